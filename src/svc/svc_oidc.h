/* SPDX-License-Identifier: MIT
 * Service layer for OpenID Connect (issue 5): apps (clients) and client
 * authentication, browser sessions, remembered devices, authorization
 * codes, rotating refresh tokens and access-token revocation — the
 * persistence the /authorize and /token endpoints and the sign-in pages
 * stand on. Conventions as svc.h: enum tg_err, a reason in sv->err on
 * failure, out-parameters written only on success.
 *
 * Bearer secrets (session ids, remembered-device tokens, codes, refresh
 * tokens, client secrets) are 32 bytes from rng_bytes, written as
 * base64url (SVC_TOKEN_LEN characters), handed to the caller once, and
 * stored only as keyed digests (keys_pepper_digest, one context per kind).
 * A lookup digests the presented value and finds the row by digest; the
 * row's digest is then checked again with keys_pepper_verify (constant
 * time). Plaintext secrets live only in the caller's buffers named below;
 * everything else is wiped.
 *
 * Functions that make or check a secret take a struct svc_oidc (the svc
 * plus the master keys); the others take the struct svc alone.
 * Thread-safety: a struct svc_oidc belongs to one thread, like its svc.
 * Design, lifetimes and revocation: docs/internals/sessions-and-tokens.md. */
#ifndef TG_SVC_SVC_OIDC_H
#define TG_SVC_SVC_OIDC_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/client_auth.h"
#include "crypto/keys.h"
#include "store/store_oidc.h"
#include "svc/config.h"
#include "svc/svc.h"

/* A bearer secret as text: base64url of 32 random bytes, and its buffer. */
#define SVC_TOKEN_BYTES 32
#define SVC_TOKEN_LEN   43
#define SVC_TOKEN_SIZE  (SVC_TOKEN_LEN + 1)

/* Lifetimes in seconds. Sessions: NIST SP 800-63B AAL2 reauthentication
 * (30 minutes idle, 12 hours absolute), configurable with
 * session_idle_minutes / session_absolute_hours. */
#define SVC_SESSION_IDLE_DEFAULT      (30 * 60)
#define SVC_SESSION_ABSOLUTE_DEFAULT  (12 * 3600)
#define SVC_SESSION_TOUCH_EVERY       60          /* last_seen written at most this often */
#define SVC_CODE_TTL                  60          /* authorization code */
#define SVC_CODE_KEEP                 86400       /* a used code is kept to catch replays */
#define SVC_REFRESH_TTL               (14 * 86400) /* one refresh token (renewed by rotation) */
#define SVC_REFRESH_FAMILY_TTL        (90 * 86400) /* a family, from its first token */

/* Digest contexts (keys_pepper_digest): one per kind of secret, so a value
 * of one kind never matches a row of another. */
#define SVC_CTX_SESSION       "oidc-session"
#define SVC_CTX_DEVICE        "oidc-remembered-device"
#define SVC_CTX_CODE          "oidc-authorization-code"
#define SVC_CTX_REFRESH       "oidc-refresh-token"
#define SVC_CTX_CLIENT_SECRET "oidc-client-secret"

struct svc_oidc {
	struct svc *sv;                /* store, actor, clock, err */
	const struct keys *keys;       /* master keys: digests */
	int64_t session_idle;          /* seconds */
	int64_t session_absolute;      /* seconds */
};

/* Set up o over sv. keys is borrowed and must outlive o. cfg (may be NULL:
 * defaults) gives the session lifetimes. */
void svc_oidc_init(struct svc_oidc *o, struct svc *sv, const struct keys *keys,
                   const struct tg_config *cfg);

/* ---- apps (svc_app.c) ------------------------------------------------------ */

/* Client ids of the built-in apps, the same in every tenant (as Entra's
 * first-party apps). Identical to the definitions in svc_signin.h, which
 * the sign-in decision uses (an identical macro redefinition is valid C). */
#define SVC_APP_ADMIN_PORTAL "7011a770-0000-4000-8000-000000000001"
#define SVC_APP_MY_SIGNINS   "7011a770-0000-4000-8000-000000000003"

struct svc_app_input {
	const char *display_name;               /* required, 1-256 characters */
	bool is_public;                         /* public client: no secret, PKCE */
	const char *const *redirect_uris;       /* exact strings (redirect_uri_check) */
	size_t n_redirect_uris;
	unsigned grant_types;                   /* STORE_GRANT_*; 0 = code + refresh */
	const char *const *permissions;         /* application permissions */
	size_t n_permissions;
	const char *signing_alg;                /* "ES256" (NULL) or "RS256" */
};

/* Register an app with a random client id. A confidential app gets a
 * random secret, written once into secret_out (SVC_TOKEN_SIZE bytes; the
 * caller shows it and wipes it) and stored as a digest; for a public app
 * secret_out is "". Rules: at least one redirect URI for the authorization
 * code grant, each valid (redirect_uri_check), no duplicates; refresh_token
 * only with authorization_code; client_credentials and permissions only for
 * confidential apps, permissions only with client_credentials. Audited
 * ("app.create"). *out may be NULL. TG_ERR_INVALID with the reason. */
int svc_app_create(struct svc_oidc *o, const struct tg_tenant *t, const struct svc_app_input *in,
                   struct store_app *out, char secret_out[SVC_TOKEN_SIZE]);
/* One app by client id. TG_ERR_INVALID for a malformed id, TG_ERR_NOT_FOUND. */
int svc_app_get(struct svc *sv, const struct tg_tenant *t, const char *client_id,
                struct store_app *out);
/* The tenant's apps, built-in first. */
int svc_app_list(struct svc *sv, const struct tg_tenant *t, store_app_cb cb, void *arg);
/* Delete an app with its codes and refresh tokens. Built-in apps cannot be
 * deleted (TG_ERR_FORBIDDEN). Audited ("app.delete"). */
int svc_app_delete(struct svc *sv, const struct tg_tenant *t, const char *client_id);
/* Replace an app's redirect URIs (validated as in svc_app_create); built-in
 * apps too, since their URIs live on Tollgate's own public URL. Audited
 * ("app.redirect_uris") when they change. */
int svc_app_set_redirect_uris(struct svc *sv, const struct tg_tenant *t, const char *client_id,
                              const char *const *uris, size_t n);
/* Create the tenant's built-in apps when missing: "Tollgate admin portal"
 * (SVC_APP_ADMIN_PORTAL: public, PKCE, privileged) and "My sign-ins"
 * (SVC_APP_MY_SIGNINS: public, PKCE). Idempotent; each app created is
 * audited. *created_out (may be NULL) = how many were created. */
int svc_app_ensure_builtin(struct svc *sv, const struct tg_tenant *t, int *created_out);
/* svc_app_ensure_builtin for every tenant (server start, upgrades). */
int svc_app_ensure_builtin_all(struct svc *sv, int *created_out);
/* true when uri is one of the app's redirect URIs, compared exactly, or,
 * for a built-in app, its own page on this server: self_url (the tenant's
 * URL as this server names it: public_url or a loopback Host, then
 * "/{tenant}"; NULL = none) followed by "/admin/" for the admin portal and
 * "/my/" for My sign-ins. The server's own URL is not stored because a
 * development server's port changes from run to run. */
bool svc_app_has_redirect_uri(const struct store_app *a, const char *uri, const char *self_url);
/* true when the app may use grant (STORE_GRANT_*). */
bool svc_app_allows_grant(const struct store_app *a, unsigned grant);

/* Authenticate the client of a token, introspection or revocation request
 * (credentials from client_cred_parse). A confidential app must present
 * its secret (client_secret_basic or client_secret_post; checked with
 * keys_pepper_verify, constant time); a public app must present none.
 * TG_OK with *out (may be NULL) the app; TG_ERR_DENIED for an unknown
 * client, a wrong or missing secret, or a secret from a public client
 * (answer invalid_client, RFC 6749 §5.2). */
int svc_client_authenticate(struct svc_oidc *o, const struct tg_tenant *t,
                            const struct client_cred *cred, struct store_app *out)
	__attribute__((warn_unused_result));

/* ---- sessions (svc_session.c) --------------------------------------------- */

/* One authentication step recorded in a session (svc_session_step). */
struct svc_session_step {
	const char *user_id;     /* the user signing in; required with first_factor,
	                          * else NULL or the session's user */
	bool first_factor;       /* a password (first factor) step: auth_time := now,
	                          * amr := amr below, the absolute lifetime restarts */
	const char *amr;         /* amr values, space separated: replace with
	                          * first_factor, else added (NULL = none) */
	unsigned mfa_methods;    /* a second factor done now (CA_METHOD_*): mfa_time
	                          * := now, methods added, "mfa" added to amr */
	const char *acr;         /* NULL = unchanged */
	const char *flow;        /* NULL = unchanged, "" = clear, else a JSON object */
};

/* What a new session starts with. */
struct svc_session_start {
	const char *ip;          /* client address (text), NULL = unknown */
	const char *user_agent;  /* kept truncated to TG_MAX_SESSION_USER_AGENT */
	const char *flow;        /* NULL or a JSON object: the sign-in just started */
	const struct svc_session_step *auth;  /* NULL = not authenticated yet */
};

/* Create a session in tenant t. token_out (SVC_TOKEN_SIZE) gets the bearer
 * session id for the cookie, once; *out (may be NULL) the stored row.
 * Lifetimes from o (idle, absolute). */
int svc_session_create(struct svc_oidc *o, const struct tg_tenant *t,
                       const struct svc_session_start *in, struct store_session *out,
                       char token_out[SVC_TOKEN_SIZE]);
/* The live session of a cookie value: TG_OK with *out; TG_ERR_NOT_FOUND
 * (unknown, malformed, another tenant's), TG_ERR_DENIED (revoked),
 * TG_ERR_EXPIRED (idle past session_idle or past its absolute expiry).
 * Marks it seen (at most every SVC_SESSION_TOUCH_EVERY seconds). */
int svc_session_get(struct svc_oidc *o, const struct tg_tenant *t, const char *token,
                    struct store_session *out) __attribute__((warn_unused_result));
/* Record an authentication step and rotate the session id: new_token_out
 * (SVC_TOKEN_SIZE) gets the new cookie value and the old one stops working
 * (session fixation, OWASP ASVS V3.2.1). Errors as svc_session_get, and
 * TG_ERR_CONFLICT when another user is signed in in this session or a
 * concurrent step rotated it first; TG_ERR_INVALID for a bad step. */
int svc_session_step(struct svc_oidc *o, const struct tg_tenant *t, const char *token,
                     const struct svc_session_step *st, struct store_session *out,
                     char new_token_out[SVC_TOKEN_SIZE]) __attribute__((warn_unused_result));
/* Replace the flow state (a JSON object, "" = none) without rotating. */
int svc_session_set_flow(struct svc_oidc *o, const struct tg_tenant *t, const char *token,
                         const char *flow);
/* Sign out: revoke the session of this cookie value and the refresh-token
 * families issued from it. TG_OK also when it was unknown or expired. */
int svc_session_end(struct svc_oidc *o, const struct tg_tenant *t, const char *token);

/* What svc_session_revoke_user ended. */
struct svc_revoke_report {
	int64_t sessions, devices, families;
};
/* `tollgate mfa revoke-sessions`: revoke every session, remembered device
 * and refresh-token family of the user (UPN or id), in one transaction,
 * audited ("user.revoke_sessions"). *rep (may be NULL) counts them. */
int svc_session_revoke_user(struct svc *sv, const struct tg_tenant *t, const char *upn,
                            struct svc_revoke_report *rep);

/* ---- remembered devices (svc_session.c) ----------------------------------- */

/* Remember the user's device for days (1-TG_MAX_REMEMBER_DAYS; the caller
 * passes the tenant's setting). token_out (SVC_TOKEN_SIZE) gets the token
 * for the device cookie, once; *expires_out (may be NULL) its expiry. */
int svc_device_remember(struct svc_oidc *o, const struct tg_tenant *t, const char *user_id,
                        int days, char token_out[SVC_TOKEN_SIZE], int64_t *expires_out);
/* Check a device cookie for user_id: TG_OK when it was issued to this
 * user in this tenant and has not expired; TG_ERR_DENIED (unknown,
 * malformed, revoked, another user's) or TG_ERR_EXPIRED. */
int svc_device_check(struct svc_oidc *o, const struct tg_tenant *t, const char *user_id,
                     const char *token) __attribute__((warn_unused_result));
/* Forget all of the user's remembered devices (SPEC §2), audited
 * ("user.revoke_remembered_devices"). *n_out may be NULL. */
int svc_device_revoke_user(struct svc *sv, const struct tg_tenant *t, const char *upn,
                           int64_t *n_out);

/* ---- authorization codes (svc_token.c) ------------------------------------ */

/* What an authorization code grants (from the /authorize request and the
 * session). */
struct svc_code_grant {
	const char *client_id;
	const char *user_id;
	const char *session_id;               /* NULL = none */
	const char *redirect_uri;             /* exactly as in the request */
	const char *self_url;                 /* svc_app_has_redirect_uri; NULL = none */
	const char *code_challenge;           /* NULL = no PKCE (confidential only) */
	const char *code_challenge_method;    /* "S256" (the only one accepted) */
	const char *nonce, *scope, *amr, *acr;  /* may be NULL */
	int64_t auth_time;
	int64_t mfa_time;
	unsigned mfa_methods;
};

/* Issue a code valid for SVC_CODE_TTL seconds. Checks the app: it exists,
 * allows the authorization code grant, has redirect_uri registered, and is
 * given a valid S256 challenge when it is public (PKCE required) or when a
 * challenge is given at all. code_out (SVC_TOKEN_SIZE) gets the code once;
 * *out (may be NULL) the stored row (family_id is the family its refresh
 * tokens will belong to). TG_ERR_INVALID with the reason. */
int svc_code_issue(struct svc_oidc *o, const struct tg_tenant *t, const struct svc_code_grant *g,
                   char code_out[SVC_TOKEN_SIZE], struct store_code *out);
/* Redeem a code at the token endpoint (RFC 6749 §4.1.3, RFC 7636 §4.6).
 * The code is used up first, atomically, whatever follows: of two
 * concurrent redemptions exactly one can succeed. Then client_id and
 * redirect_uri must equal the code's, and code_verifier must match its
 * challenge (pkce_verify) — or be absent when the code has none (RFC 9700
 * §2.1.1). TG_OK with *out; TG_ERR_DENIED (unknown, another client, wrong
 * redirect_uri or verifier: invalid_grant); TG_ERR_EXPIRED; TG_ERR_REPLAY
 * (used before: the refresh-token family issued from it is revoked, and
 * the replay audited). */
int svc_code_redeem(struct svc_oidc *o, const struct tg_tenant *t, const char *code,
                    const char *client_id, const char *redirect_uri, const char *code_verifier,
                    struct store_code *out) __attribute__((warn_unused_result));

/* ---- refresh tokens (svc_token.c) ----------------------------------------- */

struct svc_refresh_grant {
	const char *family_id;    /* store_code.family_id of the redeemed code;
	                           * NULL = a new family */
	const char *client_id, *user_id;
	const char *session_id;   /* NULL = none */
	const char *scope, *amr, *acr;
	int64_t auth_time;
	int64_t mfa_time;
	unsigned mfa_methods;
};

/* Start a refresh-token family with its first token (lives SVC_REFRESH_TTL,
 * the family SVC_REFRESH_FAMILY_TTL). token_out (SVC_TOKEN_SIZE) once;
 * *out (may be NULL). TG_ERR_CONFLICT when the family exists already. */
int svc_refresh_issue(struct svc_oidc *o, const struct tg_tenant *t,
                      const struct svc_refresh_grant *g, char token_out[SVC_TOKEN_SIZE],
                      struct store_refresh *out);
/* Rotate: the presented token is spent and a new one of the same family
 * (same grant, fresh SVC_REFRESH_TTL within the family's lifetime) goes
 * into new_out, in one transaction. TG_OK with *out (may be NULL) the new
 * token's row, whose fields the caller re-runs the sign-in decision on.
 * TG_ERR_REPLAY: the token was rotated before — reuse, so the whole family
 * is revoked (RFC 9700 §4.14.2) and the reuse audited. TG_ERR_DENIED:
 * unknown, malformed, revoked family, or issued to another client (the
 * family is then revoked too). TG_ERR_EXPIRED. */
int svc_refresh_rotate(struct svc_oidc *o, const struct tg_tenant *t, const char *client_id,
                       const char *token, char new_out[SVC_TOKEN_SIZE], struct store_refresh *out)
	__attribute__((warn_unused_result));
/* Revocation (RFC 7009 §2.1): revoke the family of a refresh token. TG_OK
 * also for an unknown or malformed token (§2.2); TG_ERR_DENIED when it was
 * issued to another client. */
int svc_refresh_revoke(struct svc_oidc *o, const struct tg_tenant *t, const char *client_id,
                       const char *token);
/* The refresh token's row without using it (introspection, RFC 7662):
 * TG_OK only for an active token (not rotated, not expired, family live);
 * TG_ERR_NOT_FOUND otherwise. */
int svc_refresh_inspect(struct svc_oidc *o, const struct tg_tenant *t, const char *token,
                        struct store_refresh *out) __attribute__((warn_unused_result));

/* ---- access tokens and housekeeping (svc_token.c) -------------------------- */

/* Revoke an access token (a JWT) by its jti until its exp. */
int svc_jti_revoke(struct svc *sv, const struct tg_tenant *t, const char *jti, int64_t exp);
/* *out := whether jti was revoked (and has not expired). */
int svc_jti_is_revoked(struct svc *sv, const char *jti, bool *out);
/* Delete what can never be used again (see store_oidc_purge), with the
 * idle timeout of o. *out may be NULL. */
int svc_oidc_purge(struct svc_oidc *o, struct store_oidc_purged *out);

#endif
