/* SPDX-License-Identifier: MIT
 * Service layer for authentication methods (SPEC §6, issue 3): authenticator
 * apps (TOTP), hardware OATH tokens, phone and email methods with one-time
 * codes delivered through channels, recovery codes, app passwords,
 * brute-force limits, require-re-register, account unlock and master key
 * rotation. Each call validates (core), seals or hashes (crypto), writes
 * the store and the audit log in one transaction, and leaves a reason in
 * sv->err on failure (as svc.h).
 *
 * Secrets: OATH seeds are sealed with keys_seal (associated data
 * "tenant|user|method"); codes and recovery codes are stored as keyed
 * digests; app passwords as Argon2id. Plaintext secrets exist only in the
 * caller's buffers named below (shown once) and are wiped everywhere else.
 * Verification functions apply the second-factor lockout (per account and,
 * when `source` is given, per source address) and audit a lockout.
 *
 * Methods are reported as struct store_method with the sealed secret
 * removed (secret_len 0). `upn` arguments accept a UPN or a user object id.
 * Thread-safety: a struct svc_auth belongs to one thread, like its svc.
 * Design: docs/internals/methods.md. */
#ifndef TG_SVC_SVC_AUTH_H
#define TG_SVC_SVC_AUTH_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/app_password.h"
#include "core/oath.h"
#include "core/phone.h"
#include "core/recovery.h"
#include "crypto/keys.h"
#include "store/store_auth.h"
#include "svc/auth_config.h"
#include "svc/channel.h"
#include "svc/svc.h"

/* Tenant MFA service settings read here (the policy service owns them). */
#define SVC_SETTING_ALLOW_APP_PASSWORDS "mfa.allowAppPasswords"
#define SVC_SETTING_VERIFICATION_OPTIONS "mfa.verificationOptions"

struct svc_auth {
	struct svc *sv;                  /* store, actor, clock, err */
	const struct keys *keys;         /* master keys: sealing and digests */
	const struct auth_config *cfg;   /* codes, issuer, channels */
	/* Tests only: deliver instead of channel_send (NULL = channel_send). */
	int (*deliver)(void *arg, const struct channel_msg *m, char *err, size_t err_size);
	void *deliver_arg;
};

/* Set up a over sv. keys and cfg are borrowed and must outlive a. */
void svc_auth_init(struct svc_auth *a, struct svc *sv, const struct keys *keys,
                   const struct auth_config *cfg);

/* ---- methods ---- */

/* A user's methods, oldest first (secrets removed). */
int svc_method_list(struct svc_auth *a, const struct tg_tenant *t, const char *upn,
                    store_method_cb cb, void *arg);
/* Delete one of the user's methods (a hardware token's goes back to the
 * inventory unassigned). Audited. TG_ERR_NOT_FOUND for another user's id. */
int svc_method_delete(struct svc_auth *a, const struct tg_tenant *t, const char *upn,
                      const char *method_id);

struct svc_rereg_report {
	size_t deleted;       /* phone numbers, authenticator apps (software OATH) */
	size_t deactivated;   /* hardware tokens (activate again with a code) */
};
/* Entra's "require re-register MFA" (reference/entra.md §1.3): delete the
 * phone and software OATH methods, deactivate hardware tokens; email
 * methods, recovery codes and app passwords stay. One transaction,
 * audited. */
int svc_method_require_reregister(struct svc_auth *a, const struct tg_tenant *t, const char *upn,
                                  struct svc_rereg_report *rep);

/* ---- authenticator apps and hardware tokens (TOTP) ---- */

#define SVC_SECRET_B32_SIZE 129   /* Base32 of a 80-byte secret + NUL */

/* What a new authenticator app registration shows the user, once.
 * WARNING: secret_b32, uri and svg all reveal the seed: release with
 * svc_totp_enrollment_cleanup, which wipes them. */
struct svc_totp_enrollment {
	char method_id[TG_ID_BUF];
	char secret_b32[SVC_SECRET_B32_SIZE];  /* unpadded Base32 */
	char *uri;                             /* otpauth://totp/… */
	char *svg;                             /* the URI as a QR code, SVG */
	struct totp_params params;
};
void svc_totp_enrollment_cleanup(struct svc_totp_enrollment *e);

/* Register an authenticator app: a 160-bit secret from rng_bytes, sealed,
 * stored as a pending softwareOath method (a previous pending app of the
 * user is replaced). name: display name, NULL = "Authenticator app".
 * TG_ERR_LIMIT at TG_MAX_OATH_METHODS apps and tokens together. *out is
 * filled only on TG_OK. */
int svc_totp_register(struct svc_auth *a, const struct tg_tenant *t, const char *upn,
                      const char *name, struct svc_totp_enrollment *out);
/* Activate a pending (or deactivated) OATH method with a current code:
 * the matched step is recorded, so the activation code cannot be used
 * again. The user's first active method is the registration-completed
 * event (enabled → enforced). TG_ERR_DENIED (wrong code), TG_ERR_REPLAY,
 * TG_ERR_CONFLICT (already active). Audited. */
int svc_oath_activate(struct svc_auth *a, const struct tg_tenant *t, const char *upn,
                      const char *method_id, const char *code);
/* Verify a code against the user's active apps and tokens (current step
 * ±1). TG_OK (method_id_out, may be NULL, gets the method), TG_ERR_REPLAY
 * ("verification code already used once"), TG_ERR_DENIED, TG_ERR_LOCKED /
 * TG_ERR_RATE_LIMITED (lockout; the code was not checked),
 * TG_ERR_DISABLED (account disabled, or app codes not allowed by the
 * tenant's verification options). source: client address or NULL. */
int svc_oath_verify(struct svc_auth *a, const struct tg_tenant *t, const char *upn,
                    const char *code, const char *source, char method_id_out[TG_ID_BUF])
	__attribute__((warn_unused_result));

/* Import hardware tokens from Entra's CSV (header
 * "upn,serial number,secret key,time interval,manufacturer,model", any
 * order, case-insensitive; optional "hash function" hmacsha1|hmacsha256).
 * Each token becomes a pending hardwareOath method of its user and an
 * inventory entry. Every bad row is reported with its line number and, if
 * any is bad (or dry_run), nothing is applied. */
int svc_token_import_csv(struct svc_auth *a, const struct tg_tenant *t, const char *data,
                         size_t len, bool dry_run, struct svc_import_report *rep);
/* Activate the token with this serial for its user with a current code
 * (as svc_oath_activate). TG_ERR_NOT_FOUND when the serial is not the
 * user's. */
int svc_token_activate(struct svc_auth *a, const struct tg_tenant *t, const char *upn,
                       const char *serial, const char *code);
/* The tenant's token inventory by serial. */
int svc_token_list(struct svc_auth *a, const struct tg_tenant *t, store_hw_token_cb cb, void *arg);

/* ---- phone and email methods, one-time codes ---- */

/* Add a phone number ("+CC NUMBER[xEXT]"; typed forms are normalised) of a
 * type, active at once (an administrator vouches for it). One per type; a
 * mobile number must exist before an alternateMobile one. Audited; may be
 * the registration-completed event. *out (may be NULL) gets the method. */
int svc_phone_add(struct svc_auth *a, const struct tg_tenant *t, const char *upn,
                  const char *number, enum phone_type type, struct store_method *out);
/* Add the user's email method (one per user), active at once. */
int svc_email_add(struct svc_auth *a, const struct tg_tenant *t, const char *upn,
                  const char *address, struct store_method *out);
/* Change the number of the user's phone method method_id (its type, id
 * and creation time stay; codes sent to the old number stop working).
 * TG_ERR_INVALID (number), TG_ERR_NOT_FOUND (not the user's phone
 * method). Audited ("method.update", before and after). *out (may be
 * NULL) gets the method. */
int svc_phone_update(struct svc_auth *a, const struct tg_tenant *t, const char *upn,
                     const char *method_id, const char *number, struct store_method *out);

struct svc_code_sent {
	char code_id[TG_ID_BUF];
	char method_id[TG_ID_BUF];
	char to[TG_MAX_EMAIL + 1];       /* address or number it went to */
	enum channel_kind kind;
	enum channel_transport transport;
	int64_t expires;
	int64_t retry_after;             /* TG_ERR_RATE_LIMITED: seconds to wait */
};
/* Generate a code (cfg->otp_digits digits), store its digest, deliver it
 * through the channel configured for kind: email to the email method, SMS
 * to the mobile number, voice to the first of mobile, alternateMobile,
 * office. At most cfg->otp_max_sends per user per 15 minutes
 * (TG_ERR_RATE_LIMITED, out->retry_after). A failed delivery
 * (TG_ERR_UNAVAILABLE, TG_ERR_TIMEOUT, TG_ERR_INVALID, TG_ERR_IO) leaves
 * no code behind and consumes nothing: codes sent earlier still work.
 * *out may be NULL; otherwise it is filled on TG_OK and on
 * TG_ERR_RATE_LIMITED. */
int svc_code_send(struct svc_auth *a, const struct tg_tenant *t, const char *upn,
                  enum channel_kind kind, struct svc_code_sent *out);
/* Verify a one-time code: any delivered, unused code of the user younger
 * than 10 minutes. Single use (atomic in the store); a success uses up
 * the user's other outstanding codes too. TG_OK, TG_ERR_DENIED,
 * TG_ERR_EXPIRED, TG_ERR_REPLAY, TG_ERR_LIMIT (code burnt by wrong
 * guesses), lockout errors as svc_oath_verify. */
int svc_code_verify(struct svc_auth *a, const struct tg_tenant *t, const char *upn,
                    const char *code, const char *source) __attribute__((warn_unused_result));

/* ---- recovery codes ---- */

/* Replace the user's recovery codes with RECOVERY_CODE_COUNT new ones,
 * written to codes (display form) to be shown once. WARNING: the caller
 * wipes codes (tg_wipe) after showing them. Audited. */
int svc_recovery_regenerate(struct svc_auth *a, const struct tg_tenant *t, const char *upn,
                            char codes[RECOVERY_CODE_COUNT][RECOVERY_CODE_SIZE]);
/* Use one recovery code. TG_OK (remaining_out, may be NULL, gets the
 * unused codes left), TG_ERR_DENIED, TG_ERR_REPLAY (already used),
 * lockout errors as svc_oath_verify. */
int svc_recovery_verify(struct svc_auth *a, const struct tg_tenant *t, const char *upn,
                        const char *code, const char *source, int *remaining_out)
	__attribute__((warn_unused_result));
/* Unused and total codes of the user's set (0, 0 when none). */
int svc_recovery_count(struct svc_auth *a, const struct tg_tenant *t, const char *upn,
                       int *unused_out, int *total_out);

/* ---- app passwords ---- */

/* Create an app password named name, allowed only while the tenant's
 * "mfa.allowAppPasswords" setting is "true" (TG_ERR_DISABLED) and below
 * APP_PASSWORD_MAX_PER_USER (TG_ERR_LIMIT). display_out gets it grouped
 * ("abcd efgh ijkl mnop") to show once; WARNING: the caller wipes it.
 * *out (may be NULL) gets the record without its hash. Audited. */
int svc_app_password_create(struct svc_auth *a, const struct tg_tenant *t, const char *upn,
                            const char *name, char display_out[APP_PASSWORD_DISPLAY_SIZE],
                            struct store_app_password *out);
/* Newest first, hashes removed. */
int svc_app_password_list(struct svc_auth *a, const struct tg_tenant *t, const char *upn,
                          store_app_password_cb cb, void *arg);
int svc_app_password_delete(struct svc_auth *a, const struct tg_tenant *t, const char *upn,
                            const char *id);
/* *n_out (may be NULL) gets how many were deleted. */
int svc_app_password_delete_all(struct svc_auth *a, const struct tg_tenant *t, const char *upn,
                                int64_t *n_out);
/* Check an app password typed into a legacy client (works whatever the
 * setting says now). TG_OK (last used recorded), TG_ERR_DENIED, lockout
 * errors (the account's password counter). */
int svc_app_password_verify(struct svc_auth *a, const struct tg_tenant *t, const char *upn,
                            const char *typed, const char *source)
	__attribute__((warn_unused_result));

/* ---- brute-force limits ---- */

/* Clear the user's password and second-factor failure counters
 * (`tollgate account unlock`). *was_locked_out (may be NULL) says whether
 * a lockout or back-off was in force. Audited. */
int svc_account_unlock(struct svc_auth *a, const struct tg_tenant *t, const char *upn,
                       bool *was_locked_out);

/* ---- master key rotation ---- */

struct svc_key_report {
	unsigned generation;   /* the current key generation afterwards */
	size_t resealed;       /* secrets moved to it */
	size_t current;        /* already under it */
	size_t changed;        /* rewritten concurrently (re-registered): skipped */
	size_t failed;         /* would not open (logged by method id) */
};
/* `tollgate key rotate`: add a key generation to the key file (unless
 * reseal_only), then re-seal every sealed secret under it, page by page;
 * reads keep working throughout because older generations stay in the
 * file (they are never removed here: digests made under them still need
 * them). Servers must reload the key file. TG_OK, or TG_ERR_CRYPTO when a
 * secret would not open (rep->failed), other errors as keys_rotate_file
 * and the store. Audited. */
int svc_key_rotate(struct svc *sv, const char *key_path, bool reseal_only,
                   struct svc_key_report *rep);

#endif
