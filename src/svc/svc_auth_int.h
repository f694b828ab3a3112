/* SPDX-License-Identifier: MIT
 * Shared by the svc_auth*.c files (and svc_flow.c, which uses the guard
 * around password checks): user lookup, the sealing
 * associated data, method loading, audit records, the brute-force guard
 * around a verification and the tenant's verification options. */
#ifndef TG_SVC_SVC_AUTH_INT_H
#define TG_SVC_SVC_AUTH_INT_H
#include <jansson.h>
#include <stdbool.h>
#include "core/lockout.h"
#include "core/otp_code.h"
#include "svc/svc_auth.h"

/* "tenant|user|method": three UUIDs and two separators. */
#define SVC_AUTH_AAD_SIZE (3 * TG_MAX_ID + 3)

/* The user (UPN or id) within the tenant; the password hash is wiped. */
int svc_auth_user(struct svc_auth *a, const struct tg_tenant *t, const char *upn,
                  struct tg_user *u);
/* Associated data binding a sealed seed to its row; returns its length. */
size_t svc_auth_aad(char out[SVC_AUTH_AAD_SIZE], const char *tenant_id, const char *user_id,
                    const char *method_id);

/* A user's methods in memory (sealed secrets included: free with
 * svc_auth_methods_free, which wipes). */
struct svc_auth_methods {
	struct store_method *v;
	size_t n, cap;
};
int svc_auth_methods_load(struct svc_auth *a, const char *user_id, struct svc_auth_methods *out);
void svc_auth_methods_free(struct svc_auth_methods *m);
bool svc_auth_is_oath(const struct store_method *m);
/* Active methods (what store_user_method_count counts). */
size_t svc_auth_active_count(const struct svc_auth_methods *m);

/* A new method record of kind for the user: fresh id, created now, TOTP
 * defaults, status pending. */
int svc_auth_new_method(struct svc_auth *a, const struct tg_tenant *t, const struct tg_user *u,
                        const char *kind, struct store_method *m);

/* Inside the caller's transaction, after a method became active: when
 * active_before was 0 this is the registration-completed event. */
int svc_auth_first_method(struct svc_auth *a, const struct tg_tenant *t, const struct tg_user *u,
                          size_t active_before);

/* Append an audit record; takes the references to before/after (NULL =
 * ""). */
int svc_auth_audit(struct svc_auth *a, const struct tg_tenant *t, const char *action,
                   const char *target, json_t *before, json_t *after);
/* Public JSON of a method (no secret), for audit records and output. */
json_t *svc_auth_method_json(const struct store_method *m);

/* Roll back the transaction and return r, setting a store message when
 * sv->err is still empty. */
int svc_auth_rollback(struct svc_auth *a, int r, const char *what);

/* Brute-force guard around one verification. begin checks the account
 * (and source) counters and counts a failure in advance, so parallel
 * guesses are all counted; end(success) clears them, end(failure) audits
 * a lockout the failure started. */
enum svc_auth_counter { SVC_AUTH_SECOND_FACTOR, SVC_AUTH_PASSWORD };
struct svc_auth_guard {
	enum svc_auth_counter counter;
	char acct_key[TG_ID_BUF + 8];
	char src_key[80];
	enum lockout_event acct_ev, src_ev;
	char upn[TG_MAX_UPN + 1];
};
int svc_auth_guard_begin(struct svc_auth *a, const struct tg_tenant *t, const struct tg_user *u,
                         enum svc_auth_counter counter, const char *source,
                         struct svc_auth_guard *g);
void svc_auth_guard_end(struct svc_auth *a, const struct tg_tenant *t, struct svc_auth_guard *g,
                        bool success);
/* The policy for a counter, and for source addresses. */
void svc_auth_policy(enum svc_auth_counter counter, struct lockout_policy *p);

/* May users use this verification option ("appCode", "sms", "voice",
 * "email") under the tenant's MFA service settings? Absent = all. */
bool svc_auth_option_allowed(struct svc_auth *a, const struct tg_tenant *t, const char *option);

/* Keep only digits, dropping spaces and '-'; TG_OK when 6..8 remain. */
int svc_auth_code_normalize(const char *typed, char out[OTP_CODE_SIZE]);

#endif
