/* SPDX-License-Identifier: MIT
 * ID and access tokens as JWTs (see svc_jwt.h). */
#include <stdlib.h>
#include <string.h>
#include "base/err.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/str.h"
#include "core/oidc.h"
#include "crypto/rng.h"
#include "json/jwt_json.h"
#include "json/oidc_json.h"
#include "svc/svc_int.h"
#include "svc/svc_jwt.h"
#include "svc/svc_oidc.h"

/* Directory roles a token lists at most (there are fewer built-in roles). */
#define MAX_TOKEN_ROLES 64

void svc_jwt_tokens_cleanup(struct svc_jwt_tokens *tk)
{
	if (!tk)
		return;
	free(tk->access_token);
	free(tk->id_token);
	memset(tk, 0, sizeof *tk);
}

struct roles {
	size_t n;
	char ids[MAX_TOKEN_ROLES][TG_ID_BUF];
	const char *ptrs[MAX_TOKEN_ROLES];
};

static int add_role(const char *id, void *arg)
{
	struct roles *r = arg;
	if (r->n < MAX_TOKEN_ROLES) {
		tg_strlcpy(r->ids[r->n], id, sizeof r->ids[r->n]);
		r->ptrs[r->n] = r->ids[r->n];
		r->n++;
	}
	return TG_OK;
}

static int sign(struct svc *sv, const struct signkeys *ring, enum jws_alg alg, json_t *claims,
                char **out)
{
	const struct sign_key *k = signkeys_current(ring, alg);
	if (!k)
		return svc_fail(sv, TG_ERR_INTERNAL, "the tenant has no current %s signing key",
		                jws_alg_name(alg));
	int r = jwt_sign(k, claims, out, NULL);
	return r ? svc_fail(sv, r, "signing a token: %s", tg_strerror(r)) : TG_OK;
}

int svc_jwt_issue(struct svc *sv, const struct svc_jwt_ctx *c, const struct svc_jwt_grant *g,
                  struct svc_jwt_tokens *out)
{
	memset(out, 0, sizeof *out);
	struct svc_jwt_tokens tk;
	memset(&tk, 0, sizeof tk);
	struct tg_user u;
	struct roles *roles = xcalloc(1, sizeof *roles);
	json_t *claims = NULL;
	int r = TG_OK;
	int64_t now = svc_now(sv);
	if (rng_uuid(tk.jti)) {
		r = svc_fail(sv, TG_ERR_CRYPTO, "no randomness for a token id");
		goto out;
	}
	struct oidc_claims cl = {
		.kind = g->user_id ? OIDC_TOKEN_ACCESS : OIDC_TOKEN_APP,
		.iss = c->issuer, .aud = c->resource, .client_id = g->app->id,
		.sub = g->user_id ? g->user_id : g->app->id, .tid = c->t->id, .jti = tk.jti,
		.iat = now, .exp = now + OIDC_TOKEN_TTL,
	};
	if (g->user_id) {
		if ((r = svc_user_find(sv, c->t, g->user_id, &u)))
			goto out;
		tg_wipe(u.pwhash, sizeof u.pwhash);
		if (!u.enabled) {
			r = svc_fail(sv, TG_ERR_DISABLED, "the account %s is disabled", u.upn);
			goto out;
		}
		if ((r = store_user_roles(sv->store, u.id, add_role, roles))) {
			r = svc_store_fail(sv, r, "reading the user's roles");
			goto out;
		}
		tg_strlcpy(tk.upn, u.upn, sizeof tk.upn);
		cl.upn = u.upn;
		cl.amr = g->amr;
		cl.acr = oidc_acr_of_amr(g->amr);
		cl.auth_time = g->auth_time;
		cl.sid = g->sid;
		cl.scope = g->scope;
		cl.roles = roles->ptrs;
		cl.n_roles = roles->n;
	} else {
		for (size_t i = 0; i < g->app->n_permissions && i < MAX_TOKEN_ROLES; i++)
			roles->ptrs[i] = g->app->permissions[i];
		cl.roles = roles->ptrs;
		cl.n_roles = g->app->n_permissions < MAX_TOKEN_ROLES ? g->app->n_permissions
		                                                     : MAX_TOKEN_ROLES;
	}
	/* access tokens are for Tollgate itself (userinfo, the admin API), not
	 * for the client: always ES256, the cheaper to sign */
	claims = oidc_claims_json(&cl);
	if ((r = sign(sv, c->ring, JWS_ALG_ES256, claims, &tk.access_token)))
		goto out;
	if (g->user_id && g->id_token) {
		json_decref(claims);
		cl.kind = OIDC_TOKEN_ID;
		cl.aud = g->app->id;
		cl.jti = NULL;
		cl.scope = NULL;
		cl.nonce = g->nonce;
		cl.name = oidc_scope_has(g->scope, "profile") ? u.display_name : NULL;
		cl.email = oidc_scope_has(g->scope, "email") ? u.email : NULL;
		enum jws_alg alg = JWS_ALG_ES256;
		if (jws_alg_parse(g->app->signing_alg, &alg) != TG_OK)
			alg = JWS_ALG_ES256;
		claims = oidc_claims_json(&cl);
		if ((r = sign(sv, c->ring, alg, claims, &tk.id_token)))
			goto out;
	}
	tk.expires_in = OIDC_TOKEN_TTL;
	*out = tk;                               /* transferred */
	memset(&tk, 0, sizeof tk);
out:
	json_decref(claims);
	free(roles);
	svc_jwt_tokens_cleanup(&tk);
	return r;
}

int svc_jwt_verify_access(struct svc *sv, const struct svc_jwt_ctx *c, const char *token,
                          json_t **claims_out)
{
	*claims_out = NULL;
	int64_t now = svc_now(sv);
	const struct sign_key *keys[TG_MAX_SIGN_KEYS];
	size_t n = signkeys_published(c->ring, now, keys, TG_MAX_SIGN_KEYS);
	struct jwt_expect ex = {
		.iss = c->issuer, .aud = c->resource, .typ = NULL, .now = now,
		.skew = JWT_DEFAULT_SKEW,
	};
	json_t *claims = NULL;
	struct json_err jerr;
	memset(&jerr, 0, sizeof jerr);
	int r = jwt_verify(token, strlen(token), keys, n, &ex, &claims, &jerr);
	if (r)
		return svc_fail(sv, r, "access token refused: %s%s%s", jerr.path,
		                jerr.path[0] ? ": " : "", jerr.message[0] ? jerr.message : tg_strerror(r));
	const char *jti = json_string_value(json_object_get(claims, "jti"));
	const char *tid = json_string_value(json_object_get(claims, "tid"));
	if (!jti || !tid || strcmp(tid, c->t->id) != 0) {
		json_decref(claims);
		return svc_fail(sv, TG_ERR_DENIED, "access token refused: no jti or another tenant");
	}
	bool revoked = false;
	if ((r = svc_jti_is_revoked(sv, jti, &revoked))) {
		json_decref(claims);
		return r;
	}
	if (revoked) {
		json_decref(claims);
		return svc_fail(sv, TG_ERR_DENIED, "access token refused: revoked");
	}
	*claims_out = claims;
	return TG_OK;
}
