/* SPDX-License-Identifier: MIT
 * Service layer: the JWTs the OpenID Connect provider issues — ID tokens
 * and access tokens for a user, app-only access tokens — and the check of
 * an access token presented back (userinfo, introspection). Claims come
 * from the grant (a redeemed code, a rotated refresh token, a client) and
 * the directory as it is now (UPN, name, roles, account enabled); keys
 * from the tenant's ring (svc_signkeys.h). Conventions as svc.h.
 * Claims and audiences: docs/internals/oidc.md ("Tokens"). */
#ifndef TG_SVC_SVC_JWT_H
#define TG_SVC_SVC_JWT_H
#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>
#include "crypto/signkeys.h"
#include "store/store_oidc.h"
#include "svc/svc.h"

/* Where tokens are issued and checked. All borrowed. */
struct svc_jwt_ctx {
	const struct tg_tenant *t;
	const char *issuer;          /* the tenant's issuer (core/oidc.h oidc_issuer) */
	const char *resource;        /* audience of access tokens: the base URL */
	const struct signkeys *ring; /* the tenant's signing keys */
};

/* What a token grants. */
struct svc_jwt_grant {
	const struct store_app *app;
	const char *user_id;         /* NULL: an app-only token (client_credentials) */
	const char *scope;           /* the granted scope */
	const char *nonce;           /* ID token; NULL = none */
	const char *amr;             /* space separated; the authentication's */
	int64_t auth_time;
	const char *sid;             /* session id; NULL = none */
	bool id_token;               /* also issue an ID token */
};

struct svc_jwt_tokens {
	char *access_token;          /* malloc'd */
	char *id_token;              /* malloc'd; NULL unless asked */
	int64_t expires_in;          /* seconds */
	char jti[TG_ID_BUF];         /* the access token's */
	char upn[TG_MAX_UPN + 1];    /* "" for app-only tokens */
};
void svc_jwt_tokens_cleanup(struct svc_jwt_tokens *tk);   /* accepts NULL */

/* Sign the access token (ES256) and, when asked, the ID token (with the
 * app's id_token_signed_response_alg), both living OIDC_TOKEN_TTL. A user
 * token reads the user as they are now: TG_ERR_NOT_FOUND when deleted,
 * TG_ERR_DISABLED when the account is disabled (answer invalid_grant).
 * *out is overwritten; on failure it holds nothing. */
int svc_jwt_issue(struct svc *sv, const struct svc_jwt_ctx *c, const struct svc_jwt_grant *g,
                  struct svc_jwt_tokens *out) __attribute__((warn_unused_result));

/* Check an access token issued by c (signature with a published key,
 * iss, aud = c->resource, exp/iat/nbf with JWT_DEFAULT_SKEW) and that its
 * jti has not been revoked. TG_OK with *claims_out (new reference);
 * TG_ERR_DENIED, TG_ERR_EXPIRED, TG_ERR_INVALID, TG_ERR_TOO_LARGE as
 * jwt_verify, TG_ERR_DENIED for a revoked jti; store errors. */
int svc_jwt_verify_access(struct svc *sv, const struct svc_jwt_ctx *c, const char *token,
                          json_t **claims_out) __attribute__((warn_unused_result));

#endif
