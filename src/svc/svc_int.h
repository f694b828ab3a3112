/* SPDX-License-Identifier: MIT
 * Helpers shared by the svc_*.c files only. */
#ifndef TG_SVC_SVC_INT_H
#define TG_SVC_SVC_INT_H
#include "svc/svc.h"

/* Set sv->err for a store failure and return r. */
int svc_store_fail(struct svc *sv, int r, const char *what);
/* Field checks: TG_OK or TG_ERR_INVALID with sv->err set. "" is allowed for
 * email and phone (none). */
int svc_check_text(struct svc *sv, const char *field, const char *v, size_t max);
int svc_check_email(struct svc *sv, const char *v);
/* Canonical "+CC NUMBER[xEXT]" into out; "" stays "". */
int svc_phone_normalize(struct svc *sv, const char *v, char out[TG_MAX_PHONE + 1]);
int svc_check_locale(struct svc *sv, const char *v);
/* Validate input and build a user record (hashes a given password). */
int svc_user_build(struct svc *sv, const struct tg_tenant *t, const struct svc_user_input *in,
                   struct tg_user *u);
/* Inside the caller's transaction: TG_ERR_CONFLICT (sv->err says what to
 * do instead) when user_id is a Global Administrator and no other enabled
 * user of the tenant holds the role, so `what` (deleting, disabling,
 * removing the role) would leave the tenant without one. TG_OK otherwise. */
int svc_keep_last_global_admin(struct svc *sv, const char *tenant_id, const char *user_id,
                               const char *what);
/* Public fields of a user as compact JSON; caller frees. */
char *svc_user_json(const struct tg_user *u);
/* A growable list of object ids, filled by a store callback: pass
 * svc_idv_add as the callback and the list as its argument; free(v). */
struct svc_idv {
	char (*v)[TG_ID_BUF];
	size_t n, cap;
};
int svc_idv_add(const char *id, void *arg);

#endif
