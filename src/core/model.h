/* SPDX-License-Identifier: MIT
 * The directory's entities as plain typed structs, shared by core, store and
 * service layers. Strings are fixed-size arrays bounded by TG_MAX_* limits, so
 * a struct owns all its data and copies freely. Times are Unix seconds UTC. */
#ifndef TG_CORE_MODEL_H
#define TG_CORE_MODEL_H
#include <stdbool.h>
#include <stdint.h>
#include "base/limits.h"
#include "core/mfa_state.h"

#define TG_ID_BUF (TG_MAX_ID + 1)

struct tg_tenant {
	char id[TG_ID_BUF];
	char name[TG_MAX_TENANT_NAME + 1];          /* short unique name: [a-z0-9-] */
	char domain[TG_MAX_DOMAIN + 1];             /* default UPN domain */
	char display_name[TG_MAX_DISPLAY_NAME + 1];
	int64_t created;
};

struct tg_user {
	char id[TG_ID_BUF];
	char tenant_id[TG_ID_BUF];
	char upn[TG_MAX_UPN + 1];                   /* stored lowercase */
	char display_name[TG_MAX_DISPLAY_NAME + 1];
	char email[TG_MAX_EMAIL + 1];
	char phone[TG_MAX_PHONE + 1];
	char locale[TG_MAX_LOCALE + 1];             /* "en", "sv"; "" = tenant default */
	bool enabled;                               /* accountEnabled */
	bool is_guest;                              /* userType Guest */
	bool must_change_password;                  /* one-time password set by an admin */
	char pwhash[TG_MAX_PWHASH + 1];             /* Argon2id encoded; "" = no password */
	enum mfa_state mfa_state;
	int64_t created;
	int64_t modified;
};

struct tg_group {
	char id[TG_ID_BUF];
	char tenant_id[TG_ID_BUF];
	char name[TG_MAX_GROUP_NAME + 1];           /* displayName, unique per tenant */
	char description[TG_MAX_DISPLAY_NAME + 1];
	int64_t created;
};

enum tg_member_kind { TG_MEMBER_USER = 0, TG_MEMBER_GROUP = 1 };

/* One append-only audit record: who did what to which target, and the
 * value before and after. Never holds a secret. */
struct tg_audit {
	int64_t seq;                                /* assigned by the store */
	char tenant_id[TG_ID_BUF];                  /* "" for installation-wide */
	int64_t time;
	char actor[TG_MAX_AUDIT_ACTOR + 1];         /* "cli:root", "user:<upn>", "system" */
	char action[TG_MAX_AUDIT_ACTION + 1];       /* "user.create", "user.mfa_state", … */
	char target[TG_MAX_AUDIT_TARGET + 1];       /* usually a UPN or object id */
	char before[TG_MAX_AUDIT_VALUE + 1];
	char after[TG_MAX_AUDIT_VALUE + 1];
};

#endif
