/* SPDX-License-Identifier: MIT
 * Store interface, policy domain: Conditional Access policies and named
 * locations (canonical Graph JSON text), the per-tenant policy generation,
 * risk inputs (bad-IP list, per-user risk), security defaults' registration
 * grace bookkeeping and sign-in log records. (The MFA service settings and
 * the security defaults toggle are text values in the core `setting`
 * table: store_setting_get/set.)
 * Same conventions as store.h (tg_err results, out-parameters written only
 * on success, list callbacks, one handle per thread). Callers use the
 * store_* wrappers declared here (store_policy.c), never the table directly.
 * The store keeps JSON as opaque text: parsing, validation and the rules
 * (trusted locations cannot be deleted, at most N of anything) live in svc.
 * docs/internals/policy-store.md describes the tables. */
#ifndef TG_STORE_STORE_POLICY_H
#define TG_STORE_STORE_POLICY_H
#include <stdbool.h>
#include <stdint.h>
#include "store/store.h"

#define STORE_POLICY_OPS_VERSION 2 /* 2: signin_purge */

/* Room for a formatted address or range (core/cidr.h CIDR_STRLEN). */
#define STORE_IP_BUF 64

/* One Conditional Access policy or named location as stored.
 * json: on insert/update the caller's text (borrowed); from *_get a new
 * string the caller free()s (store_policy_row_cleanup); in a list
 * callback borrowed, valid only during the call. */
struct store_policy_row {
	char id[TG_ID_BUF];                          /* lowercase UUID */
	char tenant_id[TG_ID_BUF];
	char display_name[TG_MAX_DISPLAY_NAME + 1];
	int state;                                   /* policies: enum ca_state (1..3) */
	bool is_trusted;                             /* locations: isTrusted */
	int64_t created;
	int64_t modified;
	char *json;                                  /* canonical Graph JSON */
};
/* Frees row->json (accepts NULL). */
void store_policy_row_cleanup(struct store_policy_row *row);

typedef int (*store_policy_row_cb)(const struct store_policy_row *row, void *arg);

/* One bad-IP range. */
struct store_bad_ip {
	char cidr[STORE_IP_BUF];                     /* canonical cidr_format() text */
	int64_t created;
	char actor[TG_MAX_AUDIT_ACTOR + 1];
};
typedef int (*store_bad_ip_cb)(const struct store_bad_ip *b, void *arg);

/* Per-user risk inputs (core/risk.h risk_user_evaluate). */
struct store_user_risk {
	char user_id[TG_ID_BUF];
	char tenant_id[TG_ID_BUF];
	bool compromised;                            /* an administrator marked the user */
	bool reported;                               /* the user reported a suspicious prompt */
	char reason[TG_MAX_RISK_REASON + 1];
	int64_t updated;
	char actor[TG_MAX_AUDIT_ACTOR + 1];
};

/* One sign-in log record: indexed columns plus the Graph JSON.
 * json as in struct store_policy_row (borrowed on insert and in list
 * callbacks, allocated by store_signin_get). */
struct store_signin {
	int64_t seq;                                 /* assigned by the store; paging cursor */
	char id[TG_ID_BUF];
	char tenant_id[TG_ID_BUF];
	int64_t time;                                /* createdDateTime */
	char user_id[TG_ID_BUF];                     /* "" for an unknown user */
	char upn[TG_MAX_UPN + 1];                    /* lowercase */
	char app_id[TG_ID_BUF];
	char app_name[TG_MAX_DISPLAY_NAME + 1];      /* appDisplayName (not indexed) */
	char ip[STORE_IP_BUF];
	char client_app[TG_MAX_SIGNIN_TEXT + 1];     /* clientAppUsed */
	int client_type;                             /* enum decision_client */
	int platform;                                /* enum platform */
	int error_code;                              /* status.errorCode */
	int ca_status;                               /* enum decision_ca_status */
	bool interactive;
	char request_id[TG_ID_BUF];
	char *json;
};
void store_signin_cleanup(struct store_signin *r);   /* frees r->json */
typedef int (*store_signin_cb)(const struct store_signin *r, void *arg);

enum store_signin_status {
	STORE_SIGNIN_ANY = 0,
	STORE_SIGNIN_SUCCESS,                        /* error_code == 0 */
	STORE_SIGNIN_FAILURE,                        /* error_code != 0 */
};

/* Filters (NULL / 0 / -1 = no filter), newest first: ordered by time
 * descending, then seq descending (oldest_first reverses both). Paging:
 * pass the last row's time and seq as the cursor to get the rows that
 * follow it in the same order. */
struct store_signin_query {
	const char *tenant_id;                       /* required */
	const char *user_id;
	const char *upn;                             /* lowercase */
	const char *app_id;
	int64_t since, until;                        /* inclusive; 0 = open */
	int error_code;                              /* -1 = any */
	enum store_signin_status status;
	int interactive;                             /* -1 any, 0 non-interactive, 1 interactive */
	bool has_cursor;                             /* continue after (cursor_time, cursor_seq) */
	int64_t cursor_time, cursor_seq;
	int limit;                                   /* 0 = no limit */
	bool oldest_first;                           /* ascending instead (replay) */
};

struct store_policy_ops {
	int version;

	int (*ca_policy_insert)(struct store *s, const struct store_policy_row *row);
	int (*ca_policy_update)(struct store *s, const struct store_policy_row *row);
	int (*ca_policy_delete)(struct store *s, const char *tenant_id, const char *id);
	int (*ca_policy_get)(struct store *s, const char *tenant_id, const char *id,
	                     struct store_policy_row *out);
	int (*ca_policy_list)(struct store *s, const char *tenant_id, store_policy_row_cb cb,
	                      void *arg);
	int (*ca_policy_count)(struct store *s, const char *tenant_id, int64_t *out);

	int (*location_insert)(struct store *s, const struct store_policy_row *row);
	int (*location_update)(struct store *s, const struct store_policy_row *row);
	int (*location_delete)(struct store *s, const char *tenant_id, const char *id);
	int (*location_get)(struct store *s, const char *tenant_id, const char *id,
	                    struct store_policy_row *out);
	int (*location_list)(struct store *s, const char *tenant_id, store_policy_row_cb cb,
	                     void *arg);
	int (*location_count)(struct store *s, const char *tenant_id, int64_t *out);

	int (*generation_get)(struct store *s, const char *tenant_id, int64_t *out);
	int (*generation_bump)(struct store *s, const char *tenant_id, int64_t *out);

	int (*bad_ip_add)(struct store *s, const char *tenant_id, const struct store_bad_ip *b);
	int (*bad_ip_remove)(struct store *s, const char *tenant_id, const char *cidr);
	int (*bad_ip_list)(struct store *s, const char *tenant_id, store_bad_ip_cb cb, void *arg);
	int (*bad_ip_count)(struct store *s, const char *tenant_id, int64_t *out);

	int (*user_risk_get)(struct store *s, const char *user_id, struct store_user_risk *out);
	int (*user_risk_set)(struct store *s, const struct store_user_risk *r);

	int (*sd_first_signin_get)(struct store *s, const char *user_id, int64_t *out);
	int (*sd_first_signin_note)(struct store *s, const char *tenant_id, const char *user_id,
	                            int64_t time, int64_t since, bool *noted_out);

	int (*signin_insert)(struct store *s, struct store_signin *r);
	int (*signin_get)(struct store *s, const char *tenant_id, const char *id,
	                  struct store_signin *out);
	int (*signin_list)(struct store *s, const struct store_signin_query *q, store_signin_cb cb,
	                   void *arg);
	/* version 2 */
	int (*signin_purge)(struct store *s, const char *tenant_id, int64_t before, int limit,
	                    int64_t *n_out);
};

/* ---- Conditional Access policies ------------------------------------
 * insert: TG_ERR_EXISTS for a taken id. update: every column but
 * tenant_id and created; TG_ERR_NOT_FOUND when no such policy in the
 * tenant. delete/get: TG_ERR_NOT_FOUND likewise. list: oldest first
 * (created, then id), the order the compiled set and the log use. */
int store_ca_policy_insert(struct store *s, const struct store_policy_row *row);
int store_ca_policy_update(struct store *s, const struct store_policy_row *row);
int store_ca_policy_delete(struct store *s, const char *tenant_id, const char *id);
int store_ca_policy_get(struct store *s, const char *tenant_id, const char *id,
                        struct store_policy_row *out);
int store_ca_policy_list(struct store *s, const char *tenant_id, store_policy_row_cb cb, void *arg);
int store_ca_policy_count(struct store *s, const char *tenant_id, int64_t *out);

/* ---- named locations (same contract as the policies) ---------------- */
int store_location_insert(struct store *s, const struct store_policy_row *row);
int store_location_update(struct store *s, const struct store_policy_row *row);
int store_location_delete(struct store *s, const char *tenant_id, const char *id);
int store_location_get(struct store *s, const char *tenant_id, const char *id,
                       struct store_policy_row *out);
int store_location_list(struct store *s, const char *tenant_id, store_policy_row_cb cb, void *arg);
int store_location_count(struct store *s, const char *tenant_id, int64_t *out);

/* ---- policy generation ------------------------------------------------
 * A counter per tenant, 0 until first bumped. bump adds one atomically
 * and returns the new value; call it in the same transaction as the
 * change it announces. */
int store_policy_generation_get(struct store *s, const char *tenant_id, int64_t *out);
int store_policy_generation_bump(struct store *s, const char *tenant_id, int64_t *out);

/* ---- bad-IP list ------------------------------------------------------
 * add: TG_ERR_EXISTS when the range is already listed. remove:
 * TG_ERR_NOT_FOUND when it is not. list: ordered by cidr text. */
int store_bad_ip_add(struct store *s, const char *tenant_id, const struct store_bad_ip *b);
int store_bad_ip_remove(struct store *s, const char *tenant_id, const char *cidr);
int store_bad_ip_list(struct store *s, const char *tenant_id, store_bad_ip_cb cb, void *arg);
int store_bad_ip_count(struct store *s, const char *tenant_id, int64_t *out);

/* ---- user risk ----------------------------------------------------------
 * get: TG_ERR_NOT_FOUND when nothing was ever recorded (= no risk).
 * set: insert or replace the user's row; TG_ERR_NOT_FOUND for an unknown
 * user. */
int store_user_risk_get(struct store *s, const char *user_id, struct store_user_risk *out);
int store_user_risk_set(struct store *s, const struct store_user_risk *r);

/* ---- security defaults registration grace -----------------------------
 * get: the stored first interactive sign-in time, TG_ERR_NOT_FOUND if
 * none. note: one atomic statement: records `time` unless a time at or
 * after `since` (the last enabling of security defaults) is already there,
 * so the first sign-in after each enabling wins; *noted_out (may be NULL)
 * says whether it wrote. TG_ERR_NOT_FOUND for an unknown user. */
int store_sd_first_signin_get(struct store *s, const char *user_id, int64_t *out);
int store_sd_first_signin_note(struct store *s, const char *tenant_id, const char *user_id,
                               int64_t time, int64_t since, bool *noted_out);

/* ---- sign-in log ---------------------------------------------------------
 * insert: sets r->seq; TG_ERR_EXISTS for a duplicate id. get: by id within
 * the tenant, out->json allocated (store_signin_cleanup). list: see
 * struct store_signin_query. */
int store_signin_insert(struct store *s, struct store_signin *r);
int store_signin_get(struct store *s, const char *tenant_id, const char *id,
                     struct store_signin *out);
int store_signin_list(struct store *s, const struct store_signin_query *q, store_signin_cb cb,
                      void *arg);
/* Retention (svc_housekeep.h): delete at most `limit` (1 to
 * TG_MAX_SIGNIN_PURGE_BATCH) of the tenant's sign-in records whose time is
 * before `before`, oldest first, in one statement (its own transaction
 * unless the caller holds one); *n_out := how many were deleted. Fewer
 * than `limit` means none older is left. Per tenant, so the delete walks
 * the (tenant_id, time, seq) index; nothing else references a sign-in row
 * (the registration grace in sd_first_signin keeps its own time).
 * TG_ERR_UNSUPPORTED from a backend older than version 2. */
int store_signin_purge(struct store *s, const char *tenant_id, int64_t before, int limit,
                       int64_t *n_out);

#endif
