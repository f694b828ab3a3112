/* SPDX-License-Identifier: MIT
 * Store interface, oidc domain: registered applications (OpenID Connect
 * clients), browser sessions, remembered-device tokens, authorization codes,
 * refresh-token families and revoked access-token ids. Same conventions as
 * store.h (tg_err results, out-parameters written only on success, list
 * callbacks, one handle per thread); callers use the store_* wrappers
 * declared here (store_oidc.c), never the table directly.
 *
 * Bearer secrets (session ids, device tokens, codes, refresh tokens, client
 * secrets) never reach the store: the service layer passes their keyed
 * digests (struct store_digest) and looks rows up by them. Single-use rules
 * that must not race are one atomic operation each: store_code_consume and
 * store_refresh_rotate succeed for exactly one caller, store_session_rotate
 * only while the old digest is current.
 * Tables: src/store/schema/sqlite/0005_oidc.sql; design:
 * docs/internals/sessions-and-tokens.md. */
#ifndef TG_STORE_STORE_OIDC_H
#define TG_STORE_STORE_OIDC_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/cidr.h"
#include "core/model.h"
#include "store/store.h"

#define STORE_OIDC_OPS_VERSION 1

#define STORE_DIGEST_MAX 64    /* a keyed digest (KEYS_DIGEST_LEN = 33) */
#define STORE_ALG_SIZE   8     /* "ES256", "RS256" */
#define STORE_PKCE_METHOD_SIZE 8

/* A keyed digest of a bearer secret, as stored. */
struct store_digest {
	uint8_t b[STORE_DIGEST_MAX];
	size_t len;
};

/* store_app.grant_types */
enum store_grant {
	STORE_GRANT_AUTHORIZATION_CODE = 1u << 0,
	STORE_GRANT_REFRESH_TOKEN = 1u << 1,
	STORE_GRANT_CLIENT_CREDENTIALS = 1u << 2,
};
#define STORE_GRANT_ALL 7u

/* One app (OpenID Connect client) of a tenant. */
struct store_app {
	char tenant_id[TG_ID_BUF];
	char id[TG_ID_BUF];                          /* client_id (a UUID) */
	char display_name[TG_MAX_DISPLAY_NAME + 1];
	bool is_public;                              /* no secret; PKCE required */
	struct store_digest secret;                  /* confidential: the secret's digest */
	unsigned grant_types;                        /* STORE_GRANT_* */
	bool privileged;                             /* admin portal: MicrosoftAdminPortals */
	bool builtin;                                /* created by Tollgate; cannot be deleted */
	char signing_alg[STORE_ALG_SIZE];            /* id_token_signed_response_alg */
	size_t n_redirect_uris;
	char redirect_uris[TG_MAX_APP_REDIRECT_URIS][TG_MAX_REDIRECT_URI + 1];
	size_t n_permissions;                        /* for app-only tokens */
	char permissions[TG_MAX_APP_PERMISSIONS][TG_MAX_APP_PERMISSION + 1];
	int64_t created;
};

/* One browser session (or a sign-in not finished yet). */
struct store_session {
	char id[TG_ID_BUF];                          /* internal, not secret: OIDC "sid" */
	struct store_digest digest;                  /* of the bearer session id */
	char tenant_id[TG_ID_BUF];
	char user_id[TG_ID_BUF];                     /* "" before the first factor */
	int64_t created;
	int64_t last_seen;                           /* idle timeout from here */
	int64_t expires;                             /* absolute expiry */
	int64_t auth_time;                           /* last first factor; 0 = none */
	char amr[TG_MAX_AMR + 1];                    /* "pwd mfa otp" */
	int64_t mfa_time;                            /* last second factor; 0 = none */
	unsigned mfa_methods;                        /* CA_METHOD_* used for MFA */
	char acr[TG_MAX_ACR + 1];
	char ip[CIDR_STRLEN];                        /* client address at creation */
	char user_agent[TG_MAX_SESSION_USER_AGENT + 1];
	char flow[TG_MAX_SESSION_FLOW + 1];          /* unfinished sign-in (JSON), "" none */
	bool revoked;
};

/* One remembered device ("Don't ask again for N days"). */
struct store_device {
	struct store_digest digest;                  /* bound to the user */
	char tenant_id[TG_ID_BUF];
	char user_id[TG_ID_BUF];
	int64_t created;
	int64_t expires;
};

/* One authorization code and what it grants. */
struct store_code {
	struct store_digest digest;
	char tenant_id[TG_ID_BUF];
	char client_id[TG_ID_BUF];
	char user_id[TG_ID_BUF];
	char session_id[TG_ID_BUF];                  /* "" = none */
	char family_id[TG_ID_BUF];                   /* refresh-token family of its tokens */
	char redirect_uri[TG_MAX_REDIRECT_URI + 1];
	char code_challenge[TG_MAX_PKCE_CHALLENGE + 1];  /* "" = no PKCE */
	char challenge_method[STORE_PKCE_METHOD_SIZE];   /* "S256" or "" */
	char nonce[TG_MAX_OIDC_NONCE + 1];
	char scope[TG_MAX_OIDC_SCOPE + 1];
	int64_t auth_time;
	char amr[TG_MAX_AMR + 1];
	char acr[TG_MAX_ACR + 1];
	int64_t mfa_time;
	unsigned mfa_methods;
	int64_t created;
	int64_t expires;
	bool used;
};

/* A refresh-token family: the tokens rotated from one grant. */
struct store_refresh_family {
	char id[TG_ID_BUF];
	char tenant_id[TG_ID_BUF];
	char client_id[TG_ID_BUF];
	char user_id[TG_ID_BUF];
	char session_id[TG_ID_BUF];
	int64_t created;
	int64_t expires;                             /* no token of it outlives this */
	bool revoked;
	int64_t revoked_at;
};

/* One refresh token. store_refresh_get also fills `family` from its family
 * row; store_refresh_insert reads only family.id from it. */
struct store_refresh {
	struct store_digest digest;
	struct store_refresh_family family;
	char scope[TG_MAX_OIDC_SCOPE + 1];
	char amr[TG_MAX_AMR + 1];
	char acr[TG_MAX_ACR + 1];
	int64_t auth_time;
	int64_t mfa_time;
	unsigned mfa_methods;
	int64_t created;
	int64_t expires;
	bool rotated;                                /* has a successor: using it is reuse */
	int64_t rotated_at;
};

/* What store_oidc_purge removes: rows that expired at or before `now`,
 * sessions last seen before idle_before, codes that expired before
 * codes_before (used codes are kept a while so that a replay is still
 * recognised and revokes what the code granted). */
struct store_oidc_purge_at {
	int64_t now;
	int64_t idle_before;
	int64_t codes_before;
};

/* Rows removed by store_oidc_purge. */
struct store_oidc_purged {
	int64_t sessions, devices, codes, families, tokens, jtis;
};

typedef int (*store_app_cb)(const struct store_app *a, void *arg);

struct store_oidc_ops {
	int version;

	int (*app_insert)(struct store *s, const struct store_app *a);
	int (*app_update)(struct store *s, const struct store_app *a);
	int (*app_get)(struct store *s, const char *tenant_id, const char *id, struct store_app *out);
	int (*app_list)(struct store *s, const char *tenant_id, store_app_cb cb, void *arg);
	int (*app_delete)(struct store *s, const char *tenant_id, const char *id);

	int (*session_insert)(struct store *s, const struct store_session *x);
	int (*session_get)(struct store *s, const struct store_digest *d, struct store_session *out);
	int (*session_get_id)(struct store *s, const char *id, struct store_session *out);
	int (*session_rotate)(struct store *s, const struct store_digest *old,
	                      const struct store_session *x);
	int (*session_touch)(struct store *s, const char *id, int64_t now);
	int (*session_set_flow)(struct store *s, const char *id, const struct store_digest *d,
	                        const char *flow);
	int (*session_revoke)(struct store *s, const char *id);
	int (*session_revoke_user)(struct store *s, const char *user_id, int64_t *n_out);

	int (*device_insert)(struct store *s, const struct store_device *d);
	int (*device_get)(struct store *s, const struct store_digest *d, struct store_device *out);
	int (*device_delete_user)(struct store *s, const char *user_id, int64_t *n_out);

	int (*code_insert)(struct store *s, const struct store_code *c);
	int (*code_consume)(struct store *s, const struct store_digest *d, int64_t now,
	                    struct store_code *out);

	int (*family_insert)(struct store *s, const struct store_refresh_family *f);
	int (*family_revoke)(struct store *s, const char *id, int64_t now);
	int (*family_revoke_user)(struct store *s, const char *user_id, int64_t now, int64_t *n_out);
	int (*family_revoke_session)(struct store *s, const char *session_id, int64_t now,
	                             int64_t *n_out);
	int (*refresh_insert)(struct store *s, const struct store_refresh *r);
	int (*refresh_get)(struct store *s, const struct store_digest *d, struct store_refresh *out);
	int (*refresh_rotate)(struct store *s, const struct store_digest *old,
	                      const struct store_digest *fresh, int64_t now);

	int (*jti_revoke)(struct store *s, const char *tenant_id, const char *jti, int64_t expires);
	int (*jti_is_revoked)(struct store *s, const char *jti, int64_t now, bool *out);

	int (*purge)(struct store *s, const struct store_oidc_purge_at *at,
	             struct store_oidc_purged *out);
};

/* ---- apps ---- */

/* Insert an app (tenant_id, id, display_name, signing_alg required; a
 * public app has no secret digest, a confidential one has one). TG_ERR_EXISTS
 * for a client id the tenant has; TG_ERR_NOT_FOUND for an unknown tenant. */
int store_app_insert(struct store *s, const struct store_app *a);
/* Replace the mutable fields of an app (display name, secret digest, grant
 * types, redirect URIs, permissions, signing alg; not tenant, id, public,
 * privileged, builtin, created). TG_ERR_NOT_FOUND when absent. */
int store_app_update(struct store *s, const struct store_app *a);
int store_app_get(struct store *s, const char *tenant_id, const char *id, struct store_app *out);
/* A tenant's apps: built-in ones first, then by display name. */
int store_app_list(struct store *s, const char *tenant_id, store_app_cb cb, void *arg);
/* Delete an app with its codes and refresh tokens. TG_ERR_NOT_FOUND. */
int store_app_delete(struct store *s, const char *tenant_id, const char *id);

/* ---- sessions ---- */

/* Insert a session (id, digest, tenant_id required; user_id may be ""). */
int store_session_insert(struct store *s, const struct store_session *x);
/* By the digest of the bearer session id (revoked and expired rows too:
 * the caller judges). TG_ERR_NOT_FOUND. */
int store_session_get(struct store *s, const struct store_digest *d, struct store_session *out);
/* By the internal id. */
int store_session_get_id(struct store *s, const char *id, struct store_session *out);
/* Rotate the bearer id and write the authentication state of x (digest,
 * user_id, last_seen, expires, auth_time, amr, mfa_time, mfa_methods, acr,
 * flow) atomically, only while row x->id still has digest old and is not
 * revoked. TG_ERR_CONFLICT otherwise (a concurrent rotation won, or it was
 * revoked). */
int store_session_rotate(struct store *s, const struct store_digest *old,
                         const struct store_session *x);
/* last_seen := now (never backwards). */
int store_session_touch(struct store *s, const char *id, int64_t now);
/* flow := flow while the row has digest d and is not revoked;
 * TG_ERR_CONFLICT otherwise. */
int store_session_set_flow(struct store *s, const char *id, const struct store_digest *d,
                           const char *flow);
/* revoked := 1, flow := ''. TG_ERR_NOT_FOUND when absent. */
int store_session_revoke(struct store *s, const char *id);
/* Revoke every live session of the user; *n_out (may be NULL) = how many. */
int store_session_revoke_user(struct store *s, const char *user_id, int64_t *n_out);

/* ---- remembered devices ---- */

int store_device_insert(struct store *s, const struct store_device *d);
int store_device_get(struct store *s, const struct store_digest *d, struct store_device *out);
/* Delete all of the user's remembered devices; *n_out (may be NULL). */
int store_device_delete_user(struct store *s, const char *user_id, int64_t *n_out);

/* ---- authorization codes ---- */

int store_code_insert(struct store *s, const struct store_code *c);
/* Use a code, atomically: used := 1 WHERE digest = d AND used = 0 AND
 * expires > now, returning the row. Of two concurrent calls exactly one
 * gets TG_OK. Otherwise TG_ERR_REPLAY (used before; *out is filled so the
 * caller can revoke what it granted), TG_ERR_EXPIRED (out untouched) or
 * TG_ERR_NOT_FOUND. */
int store_code_consume(struct store *s, const struct store_digest *d, int64_t now,
                       struct store_code *out);

/* ---- refresh tokens ---- */

/* TG_ERR_EXISTS when the family id exists. */
int store_family_insert(struct store *s, const struct store_refresh_family *f);
/* revoked := 1 (revoked_at := now the first time). TG_ERR_NOT_FOUND when
 * there is no such family; revoking a revoked family is TG_OK. */
int store_family_revoke(struct store *s, const char *id, int64_t now);
/* Revoke every live family of the user / of a session; *n_out may be NULL. */
int store_family_revoke_user(struct store *s, const char *user_id, int64_t now, int64_t *n_out);
int store_family_revoke_session(struct store *s, const char *session_id, int64_t now,
                                int64_t *n_out);
/* Insert a token into family r->family.id (which must exist). */
int store_refresh_insert(struct store *s, const struct store_refresh *r);
/* A token with its family (rotated, revoked and expired ones too). */
int store_refresh_get(struct store *s, const struct store_digest *d, struct store_refresh *out);
/* Mark old rotated to fresh, atomically: only while old has no successor.
 * Of two concurrent calls exactly one gets TG_OK; the other TG_ERR_REPLAY.
 * TG_ERR_NOT_FOUND when old does not exist. */
int store_refresh_rotate(struct store *s, const struct store_digest *old,
                         const struct store_digest *fresh, int64_t now);

/* ---- revoked access tokens ---- */

/* Remember jti as revoked until expires (the token's exp). Idempotent. */
int store_jti_revoke(struct store *s, const char *tenant_id, const char *jti, int64_t expires);
/* *out := whether jti is revoked (rows past their expiry count as gone). */
int store_jti_is_revoked(struct store *s, const char *jti, int64_t now, bool *out);

/* ---- housekeeping ---- */

/* Delete what can never be used again (see struct store_oidc_purge_at):
 * revoked, expired and idle sessions, expired devices, old codes, expired
 * refresh tokens and families (a family's tokens go with it), revoked jtis
 * past expiry. *out (may be NULL) counts rows. */
int store_oidc_purge(struct store *s, const struct store_oidc_purge_at *at,
                     struct store_oidc_purged *out);

#endif
