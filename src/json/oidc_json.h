/* SPDX-License-Identifier: MIT
 * The JSON of the OpenID Connect provider: token claims (ID tokens,
 * access tokens for a user, app-only access tokens), the discovery
 * document (OpenID Connect Discovery 1.0 §3), token responses (RFC 6749
 * §5.1), introspection answers (RFC 7662 §2.2), userinfo (OIDC Core
 * §5.3.2) and OAuth error bodies (RFC 6749 §5.2). Signing is
 * json/jwt_json.h; which claims a token gets and why is
 * docs/internals/oidc.md. Thread-safe; every function returns a new
 * reference (json_decref it) and aborts only on out-of-memory. */
#ifndef TG_JSON_OIDC_JSON_H
#define TG_JSON_OIDC_JSON_H
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

enum oidc_token_kind {
	OIDC_TOKEN_ID = 1,        /* ID token: aud = client id */
	OIDC_TOKEN_ACCESS,        /* access token for a user: aud = the resource */
	OIDC_TOKEN_APP,           /* app-only access token (client_credentials) */
};

/* What a token says. Strings may be NULL (or "") when absent; a member
 * that does not belong to the kind is left out. */
struct oidc_claims {
	enum oidc_token_kind kind;
	const char *iss;
	const char *aud;          /* ID: client id; access/app: the resource URL */
	const char *client_id;    /* azp / client_id (access and app tokens; ID: azp) */
	const char *sub;          /* user object id; app: the client id */
	const char *tid;          /* tenant id */
	const char *jti;
	int64_t iat, exp;
	/* user tokens */
	const char *upn;
	const char *name;         /* ID token with scope profile */
	const char *email;        /* ID token with scope email */
	const char *nonce;        /* ID token */
	const char *amr;          /* space separated RFC 8176 values: "pwd mfa otp" */
	const char *acr;
	const char *sid;          /* session id */
	const char *scope;        /* access token: scp */
	int64_t auth_time;        /* 0 = absent */
	/* directory role template ids (user tokens) or application
	 * permissions (app tokens): "roles" */
	const char *const *roles;
	size_t n_roles;
};

/* The claims object of a token. */
json_t *oidc_claims_json(const struct oidc_claims *c);

/* The discovery document of issuer, whose endpoints live under
 * tenant_url (base + "/" + tenant name). */
json_t *oidc_discovery_json(const char *issuer, const char *tenant_url);

/* A successful token response: token_type Bearer, expires_in, scope;
 * id_token and refresh_token only when not NULL. */
json_t *oidc_token_response_json(const char *access_token, int64_t expires_in,
                                 const char *scope, const char *id_token,
                                 const char *refresh_token);

/* {"error":error,"error_description":description} (description may be NULL). */
json_t *oidc_error_json(const char *error, const char *description);

/* Introspection of a verified access token's claims: "active":true with
 * scope (from scp), client_id, username (upn), token_type "Bearer", exp,
 * iat, sub, aud, iss, jti, tid, amr and acr when present. */
json_t *oidc_introspect_access_json(const json_t *claims);
/* Introspection of an active refresh token. */
json_t *oidc_introspect_refresh_json(const char *iss, const char *client_id, const char *sub,
                                     const char *scope, int64_t iat, int64_t exp);
/* {"active":false} */
json_t *oidc_introspect_inactive_json(void);

/* Userinfo (OIDC Core §5.3.2): sub always; name and preferred_username
 * with scope profile, email with scope email (when the user has one). */
json_t *oidc_userinfo_json(const char *sub, const char *upn, const char *name,
                           const char *email, const char *scope);

#endif
