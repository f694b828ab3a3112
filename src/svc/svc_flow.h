/* SPDX-License-Identifier: MIT
 * The browser sign-in flow (issue 5): a state machine kept in the
 * session's `flow` slot (svc_oidc) — password, then the sign-in decision
 * for the app being signed in to, then MFA challenge, registration
 * interrupt, password change or a block — and the re-check of an existing
 * session or refresh token that /authorize and /token run
 * (svc_flow_check_session). Every attempt is written to the sign-in log
 * (svc_signin_log) with the request id the pages show.
 *
 * Nothing here speaks HTTP: cookies, CSRF and JSON are src/http's
 * (http_signin.c). Conventions as svc.h: enum tg_err, a reason in sv->err,
 * out-parameters written only on success. Thread-safety: a struct svc_flow
 * belongs to one thread, like the svc structs it points to.
 * Design (states, cookies, CSRF, client IP): docs/internals/signin-flow.md. */
#ifndef TG_SVC_SVC_FLOW_H
#define TG_SVC_SVC_FLOW_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/decision.h"
#include "svc/svc.h"
#include "svc/svc_auth.h"
#include "svc/svc_oidc.h"
#include "svc/svc_policy.h"

/* The services the flow uses (borrowed; all over one thread's store). */
struct svc_flow {
	struct svc *sv;
	struct svc_oidc *oidc;
	struct svc_auth *auth;
	struct svc_policy_cache *cache;   /* shared between threads; may be NULL */
	int64_t min_fail_ms;              /* failed password steps take at least this
	                                     long (SVC_FLOW_MIN_FAIL_MS; tests may lower) */
};

#define SVC_FLOW_MIN_FAIL_MS 250

void svc_flow_init(struct svc_flow *f, struct svc *sv, struct svc_oidc *oidc,
                   struct svc_auth *auth, struct svc_policy_cache *cache);

/* ---- re-checking an existing authentication (/authorize, /token) ----------
 * CONTRACT with the OpenID Connect endpoints. */

enum svc_flow_verdict_kind {
	SVC_FLOW_ALLOW = 0,          /* issue the code / tokens */
	SVC_FLOW_INTERACTION,        /* the user must act: send them to the sign-in
	                                pages (browser) or answer interaction_required
	                                (token refresh); `require_mfa` says whether a
	                                second factor is what is missing */
	SVC_FLOW_BLOCKED,            /* refused: error_code and reason; never retry */
};

struct svc_flow_check {
	/* the earlier authentication: from the session (store_session) at
	 * /authorize, or from the refresh token (store_refresh) at /token */
	const char *user_id;
	int64_t auth_time;           /* first factor */
	int64_t mfa_time;            /* last second factor, 0 = none */
	unsigned mfa_methods;        /* CA_METHOD_* of it */
	/* the request */
	const char *client_id;       /* app signed in to; NULL = "My sign-ins" */
	enum decision_client client; /* BROWSER at /authorize; MOBILE_DESKTOP for a
	                                public native client's refresh; BROWSER for a
	                                web app's refresh */
	const char *ip;              /* http_client_ip() text; NULL = unknown */
	const char *user_agent;      /* may be NULL */
	bool step_up_mfa;            /* acr_values / claims ask for MFA */
	bool refresh;                /* a token refresh: non-interactive log record */
	const char *device_token;    /* tg_device cookie value, NULL = none (browser) */
	const char *request_id;      /* for the log record; NULL = one is made */
};

struct svc_flow_verdict {
	enum svc_flow_verdict_kind kind;
	enum decision_outcome outcome;     /* the decision's */
	int error_code;                    /* enum decision_code; 0 when allowed */
	bool require_mfa;                  /* INTERACTION: a second factor (or
	                                      registration) is needed */
	char reason[256];                  /* status.failureReason / why */
	char signin_id[TG_ID_BUF];         /* the log record written */
	char upn[TG_MAX_UPN + 1];
};

/* Re-run the sign-in decision for an earlier authentication and an app,
 * and log it (interactive at /authorize, non-interactive for a refresh).
 * TG_OK with *out filled whatever the verdict; an error (store failure,
 * unknown or disabled user: TG_ERR_NOT_FOUND / TG_ERR_DISABLED, unknown
 * app: TG_ERR_INVALID) means deny — *out is then still filled with kind
 * SVC_FLOW_BLOCKED. Outcomes: ALLOW -> ALLOW; REGISTRATION_REQUIRED that
 * may be skipped (security defaults' grace: the skip was offered at the
 * interactive sign-in) -> ALLOW; MFA_REQUIRED, REGISTRATION_REQUIRED,
 * PASSWORD_CHANGE_REQUIRED, REAUTH_REQUIRED -> INTERACTION;
 * BLOCKED, APP_PASSWORD_REQUIRED -> BLOCKED. A remembered device counts
 * only for browser checks (device_token). */
int svc_flow_check_session(struct svc_flow *f, const struct tg_tenant *t,
                           const struct svc_flow_check *in, struct svc_flow_verdict *out)
	__attribute__((warn_unused_result));

/* ---- the interactive flow ----------------------------------------------------
 * States (svc_flow_state.step):
 *
 *   password ──ok──▶ decide ──allow──────────────────────────▶ done
 *      │  ▲            ├──mfaRequired──▶ mfa ──verified──▶ decide
 *      └──┘ 50126      ├──registration─▶ register ──active/skip──▶ decide
 *                      ├──passwordChange/must change──▶ password_change ──▶ decide
 *                      └──blocked──────▶ blocked (final)
 *
 * Each step is accepted only in its state; a completed authentication step
 * rotates the session id (new_token_out). The flow JSON stays below
 * TG_MAX_SESSION_FLOW. */

enum svc_flow_step {
	SVC_FLOW_STEP_PASSWORD = 0,
	SVC_FLOW_STEP_MFA,
	SVC_FLOW_STEP_REGISTER,
	SVC_FLOW_STEP_PASSWORD_CHANGE,
	SVC_FLOW_STEP_DONE,
	SVC_FLOW_STEP_BLOCKED,
	SVC_FLOW_STEP_COUNT_
};
const char *svc_flow_step_name(enum svc_flow_step s);   /* "password", "mfa", ... */

/* What the pages need to show for the current state (no secrets). */
struct svc_flow_state {
	enum svc_flow_step step;
	char client_id[TG_ID_BUF];
	char app_name[TG_MAX_DISPLAY_NAME + 1];
	char upn[TG_MAX_UPN + 1];
	char display_name[TG_MAX_DISPLAY_NAME + 1];
	char locale[TG_MAX_LOCALE + 1];     /* the user's preferred language, "" unknown */
	unsigned methods;                   /* mfa: CA_METHOD_* offered */
	char sent_to[TG_MAX_EMAIL + 1];     /* mfa: where the last code went (masked) */
	unsigned sent_kind;                 /* CA_METHOD_* of that code, 0 none */
	int remember_days;                  /* mfa: "don't ask again" offered, 0 = not */
	bool can_skip;                      /* register: security defaults' grace */
	int days_left;
	char pending_method[TG_ID_BUF];     /* register: authenticator app being set up */
	bool must_change_reason_admin;      /* password_change: one-time password */
	/* blocked */
	int error_code;
	char reason[256];
	char request_id[TG_ID_BUF];
	char signin_id[TG_ID_BUF];
	int64_t time;
	/* done */
	bool mfa_done;                      /* a second factor was verified in this sign-in */
};

/* The request around one step. */
struct svc_flow_req {
	const char *ip;              /* client address text */
	const char *user_agent;
	const char *request_id;      /* written into the log record */
	const char *device_token;    /* tg_device cookie, NULL = none */
};

/* Start a sign-in for client_id (NULL = My sign-ins; TG_ERR_INVALID for an
 * unknown app). require_mfa: a step-up (the decision gets step_up_mfa).
 * When `existing` (the session cookie, may be NULL) is an authenticated
 * session of an enabled user and not force_login, the sign-in continues
 * in it: decided at once with its first factor and MFA claim (state done,
 * mfa, register, ... — never password), new_token_out "" (keep the
 * cookie). Otherwise a new unauthenticated session (new_token_out) in
 * state password. */
int svc_flow_begin(struct svc_flow *f, const struct tg_tenant *t, const char *client_id,
                   bool force_login, bool require_mfa, const char *existing,
                   const struct svc_flow_req *rq, char new_token_out[SVC_TOKEN_SIZE],
                   struct svc_flow_state *out);

/* The state of the flow in session `token`. */
int svc_flow_state(struct svc_flow *f, const struct tg_tenant *t, const char *token,
                   struct svc_flow_state *out);

/* Result of one step. err is TG_OK when the step was accepted (state may
 * then be anything, blocked included); otherwise a refusal the page shows
 * with `code` (an AADSTS number: 50126, 50074, 50076, 53003, ...) and
 * sv->err's message, and the state is unchanged. new_token is set when the
 * session id was rotated ("" otherwise): the caller must set the cookie. */
struct svc_flow_result {
	int code;
	char new_token[SVC_TOKEN_SIZE];
	char device_token[SVC_TOKEN_SIZE];   /* remember: set tg_device (days) */
	int device_days;
	int retry_after;                     /* seconds, for rate limits */
};

/* password state: check the user name and password. */
int svc_flow_password(struct svc_flow *f, const struct tg_tenant *t, const char *token,
                      const char *upn, const char *pw, size_t pw_len, const struct svc_flow_req *rq,
                      struct svc_flow_result *res, struct svc_flow_state *out);

/* mfa state: send a code by SMS, voice call or email (kind CA_METHOD_SMS,
 * _VOICE, _EMAIL). TG_ERR_RATE_LIMITED with res->retry_after. */
int svc_flow_send(struct svc_flow *f, const struct tg_tenant *t, const char *token,
                  unsigned kind, const struct svc_flow_req *rq, struct svc_flow_result *res,
                  struct svc_flow_state *out);
/* mfa state: verify a code of kind CA_METHOD_SOFTWARE_OATH (any app or
 * hardware token), _SMS/_VOICE/_EMAIL (the sent code), _RECOVERY_CODE.
 * remember: the user ticked "Don't ask again" (honoured only when offered).
 * A replayed TOTP code is TG_ERR_REPLAY ("verification code already used
 * once"), a wrong one TG_ERR_DENIED (50074). */
int svc_flow_verify(struct svc_flow *f, const struct tg_tenant *t, const char *token,
                    unsigned kind, const char *code, bool remember, const struct svc_flow_req *rq,
                    struct svc_flow_result *res, struct svc_flow_state *out);

/* register state: start an authenticator app (enrollment, shown once;
 * the caller releases it with svc_totp_enrollment_cleanup). */
int svc_flow_register_app(struct svc_flow *f, const struct tg_tenant *t, const char *token,
                          const struct svc_flow_req *rq, struct svc_totp_enrollment *enr,
                          struct svc_flow_state *out);
/* register state: activate the pending authenticator app with a code; it
 * counts as this sign-in's second factor. */
int svc_flow_register_activate(struct svc_flow *f, const struct tg_tenant *t, const char *token,
                               const char *code, const struct svc_flow_req *rq,
                               struct svc_flow_result *res, struct svc_flow_state *out);
/* register state: add a phone number (kind CA_METHOD_SMS or _VOICE) or an
 * email address (CA_METHOD_EMAIL) and send a code to it; confirm with
 * svc_flow_register_confirm. */
int svc_flow_register_contact(struct svc_flow *f, const struct tg_tenant *t, const char *token,
                              unsigned kind, const char *value, const struct svc_flow_req *rq,
                              struct svc_flow_result *res, struct svc_flow_state *out);
int svc_flow_register_confirm(struct svc_flow *f, const struct tg_tenant *t, const char *token,
                              const char *code, const struct svc_flow_req *rq,
                              struct svc_flow_result *res, struct svc_flow_state *out);
/* register state: "Skip for now" under security defaults' grace. */
int svc_flow_skip(struct svc_flow *f, const struct tg_tenant *t, const char *token,
                  const struct svc_flow_req *rq, struct svc_flow_result *res,
                  struct svc_flow_state *out);
/* password_change state: the current password again and a new one. */
int svc_flow_change_password(struct svc_flow *f, const struct tg_tenant *t, const char *token,
                             const char *current, size_t current_len, const char *next,
                             size_t next_len, const struct svc_flow_req *rq,
                             struct svc_flow_result *res, struct svc_flow_state *out);

/* ---- legacy clients over HTTP Basic (issue 5 item 4) ---------------------
 * One attempt of a legacy client: the typed secret is tried as an app
 * password when it looks like one (16 letters, spaces ignored) and the
 * user has app passwords, else (or when that fails) as the password, each
 * under its brute-force guard (per account and per source address); then
 * the decision as client `client` (DECISION_CLIENT_OTHER or
 * _EXCHANGE_ACTIVESYNC) with clientAppUsed `protocol` (NULL = "Other
 * clients"): per-user state (enforced -> app password required, 50076;
 * trusted-IP exception), security defaults (530035), Conditional Access
 * (53003). Logged. TG_OK with *out: ALLOW or BLOCKED with error_code
 * (50126 bad credentials, 50053 locked, 50057 disabled, ...). Failures are
 * padded to min_fail_ms. Other errors: deny. */
int svc_flow_legacy(struct svc_flow *f, const struct tg_tenant *t, const char *upn,
                    const char *secret, size_t secret_len, enum decision_client client,
                    const char *protocol, const struct svc_flow_req *rq,
                    struct svc_flow_verdict *out) __attribute__((warn_unused_result));

/* CSRF token of a session: base64url of a keyed digest of the session's
 * internal id (stable across rotations, useless without the master key).
 * out: SVC_FLOW_CSRF_SIZE bytes. */
#define SVC_FLOW_CSRF_SIZE 48
int svc_flow_csrf(struct svc_flow *f, const struct store_session *s, char out[SVC_FLOW_CSRF_SIZE]);

#endif
