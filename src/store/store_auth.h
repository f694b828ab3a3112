/* SPDX-License-Identifier: MIT
 * Store interface, auth domain: authentication methods (OATH secrets sealed by svc), one-time codes, recovery codes, app passwords and lockout counters.
 * Same conventions as store.h (tg_err results, out-parameters written only
 * on success, list callbacks, one handle per thread). Callers use the
 * store_* wrappers declared here (store_auth.c), never the table directly.
 *
 * The store never sees a secret in clear: OATH seeds arrive sealed
 * (keys_seal), codes as keyed digests, app passwords as Argon2id strings.
 * Single-use rules that must not race are single atomic operations here:
 * store_oath_step_advance, store_method_activate, store_otp_code_use and
 * store_recovery_code_use answer TG_ERR_REPLAY when no row changed, so two
 * concurrent submissions of one code succeed exactly once.
 * Tables: src/store/schema/sqlite/0003_auth.sql; design:
 * docs/internals/methods.md. */
#ifndef TG_STORE_STORE_AUTH_H
#define TG_STORE_STORE_AUTH_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/lockout.h"
#include "store/store.h"

#define STORE_AUTH_OPS_VERSION 1

#define STORE_MAX_SEALED  160   /* a sealed OATH seed (KEYS_SEALED_LEN(80) = 109) */
#define STORE_MAX_DIGEST  64    /* a keyed digest (KEYS_DIGEST_LEN = 33) */
#define STORE_KIND_SIZE   24
#define STORE_CHANNEL_SIZE 8

/* auth_method.status */
enum store_method_status {
	STORE_METHOD_PENDING = 0,   /* registered, not yet proved with a code */
	STORE_METHOD_ACTIVE = 1,
	STORE_METHOD_DISABLED = 2,  /* hardware token deactivated (re-register) */
};

/* Method kinds (Graph names). */
#define STORE_KIND_SOFTWARE_OATH "softwareOath"
#define STORE_KIND_HARDWARE_OATH "hardwareOath"
#define STORE_KIND_PHONE         "phone"
#define STORE_KIND_EMAIL         "email"

/* One registered method of a user. */
struct store_method {
	char id[TG_ID_BUF];
	char tenant_id[TG_ID_BUF];
	char user_id[TG_ID_BUF];
	char kind[STORE_KIND_SIZE];
	int status;                              /* enum store_method_status */
	char display_name[TG_MAX_DISPLAY_NAME + 1];
	uint8_t secret[STORE_MAX_SEALED];        /* sealed seed (OATH kinds) */
	size_t secret_len;                       /* 0 = none */
	int64_t created;
	int64_t last_used;                       /* 0 = never */
	int64_t last_step;                       /* TOTP step last accepted, -1 never */
	int oath_alg;                            /* enum hmac_alg */
	unsigned oath_digits;
	unsigned oath_period;
	char detail[TG_MAX_EMAIL + 1];           /* phone number or email address */
	int phone_type;                          /* enum phone_type */
	char serial[TG_MAX_TOKEN_SERIAL + 1];    /* hardwareOath: the token (read only) */
};

/* One hardware token of the inventory, with its assignment (read only). */
struct store_hw_token {
	char id[TG_ID_BUF];
	char tenant_id[TG_ID_BUF];
	char serial[TG_MAX_TOKEN_SERIAL + 1];
	char manufacturer[TG_MAX_TOKEN_LABEL + 1];
	char model[TG_MAX_TOKEN_LABEL + 1];
	char method_id[TG_ID_BUF];               /* "" = unassigned */
	int64_t created;
	/* filled by store_hw_token_get/list from the method and user: */
	char user_id[TG_ID_BUF];
	char upn[TG_MAX_UPN + 1];
	int method_status;                       /* -1 when unassigned */
	int64_t last_used;
	int oath_alg;
	unsigned oath_period;
};

/* One sent one-time code. */
struct store_otp_code {
	char id[TG_ID_BUF];
	char tenant_id[TG_ID_BUF];
	char user_id[TG_ID_BUF];
	char method_id[TG_ID_BUF];
	char channel[STORE_CHANNEL_SIZE];        /* "email", "sms", "voice" */
	uint8_t digest[STORE_MAX_DIGEST];
	size_t digest_len;
	int64_t created;
	int64_t ttl;
	bool delivered;
	int64_t used_at;                         /* 0 = unused */
	unsigned failures;                       /* wrong guesses against it */
};

struct store_recovery_code {
	char id[TG_ID_BUF];
	uint8_t digest[STORE_MAX_DIGEST];
	size_t digest_len;
	int64_t created;
	int64_t used_at;                         /* 0 = unused */
};

struct store_app_password {
	char id[TG_ID_BUF];
	char tenant_id[TG_ID_BUF];
	char user_id[TG_ID_BUF];
	char name[TG_MAX_APP_PASSWORD_NAME + 1];
	char pwhash[TG_MAX_PWHASH + 1];          /* Argon2id encoded */
	int64_t created;
	int64_t last_used;
};

/* A sealed value and the ids that make its associated data (key rotation). */
struct store_sealed {
	char method_id[TG_ID_BUF];
	char tenant_id[TG_ID_BUF];
	char user_id[TG_ID_BUF];
	uint8_t secret[STORE_MAX_SEALED];
	size_t secret_len;
};

typedef int (*store_method_cb)(const struct store_method *m, void *arg);
typedef int (*store_hw_token_cb)(const struct store_hw_token *t, void *arg);
typedef int (*store_otp_code_cb)(const struct store_otp_code *c, void *arg);
typedef int (*store_recovery_cb)(const struct store_recovery_code *c, void *arg);
typedef int (*store_app_password_cb)(const struct store_app_password *p, void *arg);
typedef int (*store_sealed_cb)(const struct store_sealed *v, void *arg);

struct store_auth_ops {
	int version;

	int (*method_insert)(struct store *s, const struct store_method *m);
	int (*method_get)(struct store *s, const char *id, struct store_method *out);
	int (*method_list)(struct store *s, const char *user_id, store_method_cb cb, void *arg);
	int (*method_delete)(struct store *s, const char *id);
	int (*method_set_status)(struct store *s, const char *id, int status);
	int (*method_activate)(struct store *s, const char *id, int64_t step, int64_t now);
	int (*oath_step_advance)(struct store *s, const char *id, int64_t step, int64_t now);
	int (*method_touch)(struct store *s, const char *id, int64_t now);
	int (*sealed_list)(struct store *s, const char *after_id, int limit, store_sealed_cb cb,
	                   void *arg);
	int (*sealed_replace)(struct store *s, const char *method_id, const uint8_t *old,
	                      size_t old_len, const uint8_t *fresh, size_t fresh_len);

	int (*hw_token_insert)(struct store *s, const struct store_hw_token *t);
	int (*hw_token_get)(struct store *s, const char *serial, struct store_hw_token *out);
	int (*hw_token_list)(struct store *s, const char *tenant_id, store_hw_token_cb cb, void *arg);
	int (*hw_token_delete)(struct store *s, const char *id);

	int (*otp_code_insert)(struct store *s, const struct store_otp_code *c);
	int (*otp_code_list)(struct store *s, const char *user_id, int64_t since, int limit,
	                     store_otp_code_cb cb, void *arg);
	int (*otp_code_delivered)(struct store *s, const char *id);
	int (*otp_code_delete)(struct store *s, const char *id);
	int (*otp_code_use)(struct store *s, const char *id, int64_t now);
	int (*otp_code_fail)(struct store *s, const char *id);
	int (*otp_code_use_all)(struct store *s, const char *user_id, int64_t now);
	int (*otp_code_purge)(struct store *s, const char *user_id, int64_t before);

	int (*recovery_code_insert)(struct store *s, const char *tenant_id, const char *user_id,
	                            const struct store_recovery_code *c);
	int (*recovery_code_list)(struct store *s, const char *user_id, store_recovery_cb cb, void *arg);
	int (*recovery_code_use)(struct store *s, const char *id, int64_t now);
	int (*recovery_code_delete_all)(struct store *s, const char *user_id, int64_t *n_out);

	int (*app_password_insert)(struct store *s, const struct store_app_password *p);
	int (*app_password_list)(struct store *s, const char *user_id, store_app_password_cb cb,
	                         void *arg);
	int (*app_password_count)(struct store *s, const char *user_id, int64_t *out);
	int (*app_password_delete)(struct store *s, const char *user_id, const char *id);
	int (*app_password_delete_all)(struct store *s, const char *user_id, int64_t *n_out);
	int (*app_password_touch)(struct store *s, const char *id, int64_t now);

	int (*lockout_get)(struct store *s, const char *key, struct lockout_state *out);
	int (*lockout_put)(struct store *s, const char *tenant_id, const char *key,
	                   const struct lockout_state *st);
	int (*lockout_delete)(struct store *s, const char *key);
};

/* ---- methods ---- */

/* Insert a method (m->id, tenant_id, user_id, kind required). TG_ERR_EXISTS
 * for a duplicate id, TG_ERR_NOT_FOUND for an unknown user. */
int store_method_insert(struct store *s, const struct store_method *m);
/* One method by id (with the token serial for hardwareOath). */
int store_method_get(struct store *s, const char *id, struct store_method *out);
/* A user's methods, oldest first. */
int store_method_list(struct store *s, const char *user_id, store_method_cb cb, void *arg);
/* Delete a method; its pending one-time codes go with it and a hardware
 * token it held becomes unassigned. TG_ERR_NOT_FOUND when absent. */
int store_method_delete(struct store *s, const char *id);
int store_method_set_status(struct store *s, const char *id, int status);
/* Activate an OATH method with the step its activation code matched,
 * atomically: status := ACTIVE, last_step := step, last_used := now WHERE
 * status <> ACTIVE AND last_step < step. TG_ERR_REPLAY when no row changed
 * (already active, or the step was used). */
int store_method_activate(struct store *s, const char *id, int64_t step, int64_t now);
/* The TOTP replay check: last_step := step, last_used := now WHERE the
 * method is ACTIVE AND last_step < step. TG_ERR_REPLAY when no row
 * changed: the code (or a later one) was accepted already. */
int store_oath_step_advance(struct store *s, const char *id, int64_t step, int64_t now);
/* last_used := now. */
int store_method_touch(struct store *s, const char *id, int64_t now);
/* Methods holding a sealed secret with id > after_id ("" = from the
 * start), in id order, at most limit (> 0): key rotation pages with it. */
int store_sealed_list(struct store *s, const char *after_id, int limit, store_sealed_cb cb,
                      void *arg);
/* Compare-and-set of a sealed secret: replaced only while it still equals
 * old. TG_ERR_CONFLICT when it changed meanwhile (or the row is gone). */
int store_sealed_replace(struct store *s, const char *method_id, const uint8_t *old,
                         size_t old_len, const uint8_t *fresh, size_t fresh_len);

/* ---- hardware token inventory ---- */

/* TG_ERR_EXISTS when the serial is known already. */
int store_hw_token_insert(struct store *s, const struct store_hw_token *t);
/* By serial (unique in the installation), with its assignment. */
int store_hw_token_get(struct store *s, const char *serial, struct store_hw_token *out);
/* A tenant's tokens by serial. */
int store_hw_token_list(struct store *s, const char *tenant_id, store_hw_token_cb cb, void *arg);
int store_hw_token_delete(struct store *s, const char *id);

/* ---- one-time codes ---- */

int store_otp_code_insert(struct store *s, const struct store_otp_code *c);
/* A user's codes created at or after since, newest first, at most limit. */
int store_otp_code_list(struct store *s, const char *user_id, int64_t since, int limit,
                        store_otp_code_cb cb, void *arg);
/* The channel accepted the code: it may be used from now on. */
int store_otp_code_delivered(struct store *s, const char *id);
/* Remove a code (its delivery failed: nothing is consumed). */
int store_otp_code_delete(struct store *s, const char *id);
/* Use a code: used_at := now WHERE used_at = 0 AND delivered. TG_ERR_REPLAY
 * when no row changed. */
int store_otp_code_use(struct store *s, const char *id, int64_t now);
/* failures := failures + 1. */
int store_otp_code_fail(struct store *s, const char *id);
/* Mark every unused code of the user used (after one succeeded). */
int store_otp_code_use_all(struct store *s, const char *user_id, int64_t now);
/* Delete the user's codes created before `before`. */
int store_otp_code_purge(struct store *s, const char *user_id, int64_t before);

/* ---- recovery codes ---- */

int store_recovery_code_insert(struct store *s, const char *tenant_id, const char *user_id,
                               const struct store_recovery_code *c);
int store_recovery_code_list(struct store *s, const char *user_id, store_recovery_cb cb, void *arg);
/* used_at := now WHERE used_at = 0; TG_ERR_REPLAY when no row changed. */
int store_recovery_code_use(struct store *s, const char *id, int64_t now);
/* *n_out (may be NULL) gets the number deleted. */
int store_recovery_code_delete_all(struct store *s, const char *user_id, int64_t *n_out);

/* ---- app passwords ---- */

int store_app_password_insert(struct store *s, const struct store_app_password *p);
/* Newest first. */
int store_app_password_list(struct store *s, const char *user_id, store_app_password_cb cb,
                            void *arg);
int store_app_password_count(struct store *s, const char *user_id, int64_t *out);
/* TG_ERR_NOT_FOUND unless the user has an app password with that id. */
int store_app_password_delete(struct store *s, const char *user_id, const char *id);
int store_app_password_delete_all(struct store *s, const char *user_id, int64_t *n_out);
int store_app_password_touch(struct store *s, const char *id, int64_t now);

/* ---- brute-force counters ---- */

/* TG_ERR_NOT_FOUND when the key has no state (= no failures). */
int store_lockout_get(struct store *s, const char *key, struct lockout_state *out);
int store_lockout_put(struct store *s, const char *tenant_id, const char *key,
                      const struct lockout_state *st);
/* TG_OK whether or not the key existed. */
int store_lockout_delete(struct store *s, const char *key);

#endif
