/* SPDX-License-Identifier: MIT
 * Authorization codes (single use, 60 s, PKCE), refresh tokens (rotation
 * with reuse detection that revokes the whole family), revoked access-token
 * ids and the purge of dead rows (see svc_oidc.h).
 *
 * Sections: checks, authorization codes, refresh tokens, access tokens and
 * housekeeping. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/err.h"
#include "base/mem.h"
#include "base/str.h"
#include "core/uuid.h"
#include "crypto/pkce.h"
#include "crypto/rng.h"
#include "svc/svc_int.h"
#include "svc/svc_oidc.h"
#include "svc/svc_oidc_int.h"

/* ------------------------------------------------------------------ checks */

static int check_opt(struct svc *sv, const char *field, const char *v, size_t max)
{
	return v ? svc_oidc_check_ascii(sv, field, v, max) : TG_OK;
}

/* TG_OK when user_id is a user of t (TG_ERR_INVALID otherwise). */
static int check_user(struct svc *sv, const struct tg_tenant *t, const char *user_id)
{
	if (!user_id || !uuid_is_valid(user_id))
		return svc_fail(sv, TG_ERR_INVALID, "a grant needs the user's object id");
	struct tg_user *u = xmalloc(sizeof *u);
	int r = store_user_get(sv->store, user_id, u);
	bool ours = !r && strcmp(u->tenant_id, t->id) == 0;
	tg_wipe(u, sizeof *u);
	free(u);
	if (r && r != TG_ERR_NOT_FOUND)
		return svc_store_fail(sv, r, "reading the user");
	return ours ? TG_OK : svc_fail(sv, TG_ERR_INVALID, "no such user in this tenant");
}

/* The app of client_id in t, which must allow grant. */
static int check_app(struct svc *sv, const struct tg_tenant *t, const char *client_id,
                     unsigned grant, struct store_app *a)
{
	if (!client_id || !uuid_is_valid(client_id))
		return svc_fail(sv, TG_ERR_INVALID, "unknown client");
	int r = store_app_get(sv->store, t->id, client_id, a);
	if (r == TG_ERR_NOT_FOUND)
		return svc_fail(sv, TG_ERR_INVALID, "unknown client");
	if (r)
		return svc_store_fail(sv, r, "reading the client");
	if (!svc_app_allows_grant(a, grant))
		return svc_fail(sv, TG_ERR_INVALID, "the app \"%s\" may not use this grant type",
		                a->display_name);
	return TG_OK;
}

static void copy_opt(char *dst, size_t size, const char *v)
{
	tg_strlcpy(dst, v ? v : "", size);
}

/* Revoke a family and audit why, in the caller's transaction. */
static int revoke_family_audited(struct svc *sv, const struct tg_tenant *t, const char *family_id,
                                 const char *action, const char *client_id, const char *user_id)
{
	int r = store_family_revoke(sv->store, family_id, svc_now(sv));
	if (r == TG_ERR_NOT_FOUND)
		r = TG_OK;     /* nothing was issued from it yet */
	if (r)
		return svc_store_fail(sv, r, "revoking refresh tokens");
	char after[256];
	snprintf(after, sizeof after, "{\"appId\":\"%s\",\"userId\":\"%s\",\"family\":\"%s\","
	         "\"revoked\":true}", client_id, user_id, family_id);
	return svc_audit(sv, t->id, action, user_id, "", after);
}

/* ----------------------------------------------------- authorization codes */

int svc_code_issue(struct svc_oidc *o, const struct tg_tenant *t, const struct svc_code_grant *g,
                   char code_out[SVC_TOKEN_SIZE], struct store_code *out)
{
	struct svc *sv = o->sv;
	struct store_app *a = xmalloc(sizeof *a);
	struct store_code *c = xcalloc(1, sizeof *c);
	char code[SVC_TOKEN_SIZE] = "";
	int r = check_app(sv, t, g->client_id, STORE_GRANT_AUTHORIZATION_CODE, a);
	if (r)
		goto out;
	if (!svc_app_has_redirect_uri(a, g->redirect_uri, g->self_url)) {
		r = svc_fail(sv, TG_ERR_INVALID, "redirect_uri is not registered for the app");
		goto out;
	}
	if (g->code_challenge) {
		if (!g->code_challenge_method || pkce_method_check(g->code_challenge_method)) {
			r = svc_fail(sv, TG_ERR_INVALID, "code_challenge_method must be S256");
			goto out;
		}
		if (!pkce_is_valid_challenge(g->code_challenge, strlen(g->code_challenge))) {
			r = svc_fail(sv, TG_ERR_INVALID, "code_challenge is not an S256 challenge");
			goto out;
		}
	} else if (a->is_public) {
		r = svc_fail(sv, TG_ERR_INVALID, "a public client must use PKCE (code_challenge with "
		             "code_challenge_method=S256)");
		goto out;
	}
	if ((r = check_user(sv, t, g->user_id)))
		goto out;
	if (g->session_id && *g->session_id && !uuid_is_valid(g->session_id)) {
		r = svc_fail(sv, TG_ERR_INVALID, "a session id is a UUID");
		goto out;
	}
	if ((r = check_opt(sv, "nonce", g->nonce, TG_MAX_OIDC_NONCE)) ||
	    (r = check_opt(sv, "scope", g->scope, TG_MAX_OIDC_SCOPE)) ||
	    (r = check_opt(sv, "amr", g->amr, TG_MAX_AMR)) ||
	    (r = check_opt(sv, "acr", g->acr, TG_MAX_ACR)))
		goto out;
	int64_t now = svc_now(sv);
	tg_strlcpy(c->tenant_id, t->id, sizeof c->tenant_id);
	tg_strlcpy(c->client_id, a->id, sizeof c->client_id);
	tg_strlcpy(c->user_id, g->user_id, sizeof c->user_id);
	copy_opt(c->session_id, sizeof c->session_id, g->session_id);
	tg_strlcpy(c->redirect_uri, g->redirect_uri, sizeof c->redirect_uri);
	if (g->code_challenge) {
		tg_strlcpy(c->code_challenge, g->code_challenge, sizeof c->code_challenge);
		tg_strlcpy(c->challenge_method, "S256", sizeof c->challenge_method);
	}
	copy_opt(c->nonce, sizeof c->nonce, g->nonce);
	copy_opt(c->scope, sizeof c->scope, g->scope);
	copy_opt(c->amr, sizeof c->amr, g->amr);
	copy_opt(c->acr, sizeof c->acr, g->acr);
	c->auth_time = g->auth_time;
	c->mfa_time = g->mfa_time;
	c->mfa_methods = g->mfa_methods;
	c->created = now;
	c->expires = now + SVC_CODE_TTL;
	if ((r = rng_uuid(c->family_id))) {
		svc_fail(sv, r, "no randomness available");
		goto out;
	}
	if ((r = svc_oidc_token_new(o, SVC_CTX_CODE, NULL, code, &c->digest)))
		goto out;
	if ((r = store_code_insert(sv->store, c))) {
		svc_store_fail(sv, r, "storing the authorization code");
		goto out;
	}
	memcpy(code_out, code, SVC_TOKEN_SIZE);
	if (out)
		*out = *c;
out:
	tg_wipe(code, sizeof code);
	free(a);
	free(c);
	return r;
}

int svc_code_redeem(struct svc_oidc *o, const struct tg_tenant *t, const char *code,
                    const char *client_id, const char *redirect_uri, const char *code_verifier,
                    struct store_code *out)
{
	o->sv->err[0] = '\0';
	struct svc *sv = o->sv;
	struct store_digest d;
	struct store_code *c = xmalloc(sizeof *c);
	int r = svc_oidc_token_digest(o, SVC_CTX_CODE, NULL, code, &d);
	if (r) {
		if (r == TG_ERR_DENIED)
			svc_fail(sv, r, "invalid authorization code");
		goto out;
	}
	/* Use it up first: whatever is wrong below, this code is spent. */
	r = store_code_consume(sv->store, &d, svc_now(sv), c);
	if (r == TG_ERR_NOT_FOUND) {
		r = svc_fail(sv, TG_ERR_DENIED, "invalid authorization code");
		goto out;
	}
	if (r == TG_ERR_EXPIRED) {
		svc_fail(sv, r, "the authorization code has expired");
		goto out;
	}
	if (r == TG_ERR_REPLAY) {
		/* RFC 6749 §4.1.2: revoke what was issued from the code. */
		if (strcmp(c->tenant_id, t->id) == 0 && !store_tx_begin(sv->store)) {
			int w = revoke_family_audited(sv, t, c->family_id, "oidc.code_reuse", c->client_id,
			                              c->user_id);
			svc_oidc_end_tx(sv, w, "revoking refresh tokens");
		}
		r = svc_fail(sv, TG_ERR_REPLAY, "the authorization code was used before; the tokens "
		             "issued from it are revoked");
		goto out;
	}
	if (r) {
		svc_store_fail(sv, r, "using the authorization code");
		goto out;
	}
	if (svc_oidc_token_verify(o, SVC_CTX_CODE, NULL, code, &c->digest) ||
	    strcmp(c->tenant_id, t->id) != 0) {
		r = svc_fail(sv, TG_ERR_DENIED, "invalid authorization code");
		goto out;
	}
	if (!client_id || strcmp(client_id, c->client_id) != 0) {
		r = svc_fail(sv, TG_ERR_DENIED, "the authorization code was issued to another client");
		goto out;
	}
	if (!redirect_uri || strcmp(redirect_uri, c->redirect_uri) != 0) {
		r = svc_fail(sv, TG_ERR_DENIED, "redirect_uri differs from the authorization request");
		goto out;
	}
	if (c->code_challenge[0]) {
		if (!code_verifier) {
			r = svc_fail(sv, TG_ERR_DENIED, "code_verifier is missing (PKCE)");
			goto out;
		}
		if (pkce_verify(c->code_challenge, strlen(c->code_challenge), code_verifier,
		                strlen(code_verifier))) {
			r = svc_fail(sv, TG_ERR_DENIED, "code_verifier does not match the code_challenge");
			goto out;
		}
	} else if (code_verifier) {
		r = svc_fail(sv, TG_ERR_DENIED, "code_verifier given for a code issued without PKCE");
		goto out;
	}
	*out = *c;
out:
	tg_wipe(&d, sizeof d);
	free(c);
	return r;
}

/* ---------------------------------------------------------- refresh tokens */

int svc_refresh_issue(struct svc_oidc *o, const struct tg_tenant *t,
                      const struct svc_refresh_grant *g, char token_out[SVC_TOKEN_SIZE],
                      struct store_refresh *out)
{
	o->sv->err[0] = '\0';
	struct svc *sv = o->sv;
	struct store_app *a = xmalloc(sizeof *a);
	struct store_refresh *x = xcalloc(1, sizeof *x);
	char token[SVC_TOKEN_SIZE] = "";
	int r = check_app(sv, t, g->client_id, STORE_GRANT_REFRESH_TOKEN, a);
	if (!r)
		r = check_user(sv, t, g->user_id);
	if (!r && g->family_id && !uuid_is_valid(g->family_id))
		r = svc_fail(sv, TG_ERR_INVALID, "a refresh-token family id is a UUID");
	if (!r && g->session_id && *g->session_id && !uuid_is_valid(g->session_id))
		r = svc_fail(sv, TG_ERR_INVALID, "a session id is a UUID");
	if (!r)
		r = check_opt(sv, "scope", g->scope, TG_MAX_OIDC_SCOPE);
	if (!r)
		r = check_opt(sv, "amr", g->amr, TG_MAX_AMR);
	if (!r)
		r = check_opt(sv, "acr", g->acr, TG_MAX_ACR);
	if (r)
		goto done;
	int64_t now = svc_now(sv);
	struct store_refresh_family *f = &x->family;
	if (g->family_id)
		tg_strlcpy(f->id, g->family_id, sizeof f->id);
	else if ((r = rng_uuid(f->id))) {
		svc_fail(sv, r, "no randomness available");
		goto done;
	}
	tg_strlcpy(f->tenant_id, t->id, sizeof f->tenant_id);
	tg_strlcpy(f->client_id, a->id, sizeof f->client_id);
	tg_strlcpy(f->user_id, g->user_id, sizeof f->user_id);
	copy_opt(f->session_id, sizeof f->session_id, g->session_id);
	f->created = now;
	f->expires = now + SVC_REFRESH_FAMILY_TTL;
	copy_opt(x->scope, sizeof x->scope, g->scope);
	copy_opt(x->amr, sizeof x->amr, g->amr);
	copy_opt(x->acr, sizeof x->acr, g->acr);
	x->auth_time = g->auth_time;
	x->mfa_time = g->mfa_time;
	x->mfa_methods = g->mfa_methods;
	x->created = now;
	x->expires = now + SVC_REFRESH_TTL;
	if ((r = svc_oidc_token_new(o, SVC_CTX_REFRESH, NULL, token, &x->digest)))
		goto done;
	if ((r = store_tx_begin(sv->store))) {
		svc_store_fail(sv, r, "issuing the refresh token");
		goto done;
	}
	r = store_family_insert(sv->store, f);
	if (r == TG_ERR_EXISTS)
		r = svc_fail(sv, TG_ERR_CONFLICT, "refresh tokens were issued for this grant already");
	if (!r)
		r = store_refresh_insert(sv->store, x);
	if ((r = svc_oidc_end_tx(sv, r, "issuing the refresh token")))
		goto done;
	memcpy(token_out, token, SVC_TOKEN_SIZE);
	if (out)
		*out = *x;
done:
	tg_wipe(token, sizeof token);
	free(a);
	free(x);
	return r;
}

int svc_refresh_rotate(struct svc_oidc *o, const struct tg_tenant *t, const char *client_id,
                       const char *token, char new_out[SVC_TOKEN_SIZE], struct store_refresh *out)
{
	o->sv->err[0] = '\0';
	struct svc *sv = o->sv;
	struct store_digest old;
	struct store_refresh *x = xmalloc(sizeof *x), *n = xcalloc(1, sizeof *n);
	char fresh[SVC_TOKEN_SIZE] = "";
	int64_t now = svc_now(sv);
	int verdict = TG_OK;   /* what the caller hears when the writes succeed */
	int r = svc_oidc_token_digest(o, SVC_CTX_REFRESH, NULL, token, &old);
	if (r) {
		if (r == TG_ERR_DENIED)
			svc_fail(sv, r, "invalid refresh token");
		goto done;
	}
	if ((r = svc_oidc_token_new(o, SVC_CTX_REFRESH, NULL, fresh, &n->digest)))
		goto done;
	if ((r = store_tx_begin(sv->store))) {
		svc_store_fail(sv, r, "refreshing");
		goto done;
	}
	r = store_refresh_get(sv->store, &old, x);
	if (r == TG_ERR_NOT_FOUND) {
		r = svc_fail(sv, TG_ERR_DENIED, "invalid refresh token");
		goto end;
	}
	if (r)
		goto end;
	if (svc_oidc_token_verify(o, SVC_CTX_REFRESH, NULL, token, &x->digest) ||
	    strcmp(x->family.tenant_id, t->id) != 0) {
		r = svc_fail(sv, TG_ERR_DENIED, "invalid refresh token");
		goto end;
	}
	if (x->family.revoked) {
		r = svc_fail(sv, TG_ERR_DENIED, "the refresh token was revoked");
		goto end;
	}
	if (!client_id || strcmp(client_id, x->family.client_id) != 0) {
		/* someone else's token: stolen, so its family ends (RFC 9700 §4.14.2) */
		verdict = svc_fail(sv, TG_ERR_DENIED, "the refresh token was issued to another client; "
		                   "its family is revoked");
		r = revoke_family_audited(sv, t, x->family.id, "oidc.refresh_wrong_client",
		                          x->family.client_id, x->family.user_id);
		goto end;
	}
	if (!x->rotated) {
		if (now >= x->expires || now >= x->family.expires) {
			r = svc_fail(sv, TG_ERR_EXPIRED, "the refresh token has expired");
			goto end;
		}
		r = store_refresh_rotate(sv->store, &old, &n->digest, now);
	}
	if (x->rotated || r == TG_ERR_REPLAY) {
		verdict = svc_fail(sv, TG_ERR_REPLAY, "the refresh token was used before; every token "
		                   "of its family is revoked");
		r = revoke_family_audited(sv, t, x->family.id, "oidc.refresh_reuse",
		                          x->family.client_id, x->family.user_id);
		goto end;
	}
	if (r)
		goto end;
	n->family = x->family;
	memcpy(n->scope, x->scope, sizeof n->scope);
	memcpy(n->amr, x->amr, sizeof n->amr);
	memcpy(n->acr, x->acr, sizeof n->acr);
	n->auth_time = x->auth_time;
	n->mfa_time = x->mfa_time;
	n->mfa_methods = x->mfa_methods;
	n->created = now;
	n->expires = now + SVC_REFRESH_TTL < x->family.expires ? now + SVC_REFRESH_TTL
	                                                       : x->family.expires;
	n->rotated = false;
	n->rotated_at = 0;
	r = store_refresh_insert(sv->store, n);
end:
	if (r && !sv->err[0])
		svc_store_fail(sv, r, "refreshing");
	/* A refused token (wrong client, reuse) still commits its family's
	 * revocation: r is TG_OK then, and the caller hears the verdict. */
	r = svc_oidc_end_tx(sv, r, "refreshing");
	if (!r && verdict)
		r = verdict;
	if (!r) {
		memcpy(new_out, fresh, SVC_TOKEN_SIZE);
		if (out)
			*out = *n;
	}
done:
	tg_wipe(fresh, sizeof fresh);
	free(x);
	free(n);
	return r;
}

int svc_refresh_revoke(struct svc_oidc *o, const struct tg_tenant *t, const char *client_id,
                       const char *token)
{
	struct svc *sv = o->sv;
	struct store_digest d;
	struct store_refresh *x = xmalloc(sizeof *x);
	int r = svc_oidc_token_digest(o, SVC_CTX_REFRESH, NULL, token, &d);
	if (r) {
		r = r == TG_ERR_DENIED ? TG_OK : r;   /* RFC 7009 §2.2: not ours, nothing to do */
		goto out;
	}
	r = store_refresh_get(sv->store, &d, x);
	if (r == TG_ERR_NOT_FOUND) {
		r = TG_OK;
		goto out;
	}
	if (r) {
		svc_store_fail(sv, r, "revoking the token");
		goto out;
	}
	if (svc_oidc_token_verify(o, SVC_CTX_REFRESH, NULL, token, &x->digest) ||
	    strcmp(x->family.tenant_id, t->id) != 0)
		goto out;
	if (!client_id || strcmp(client_id, x->family.client_id) != 0) {
		r = svc_fail(sv, TG_ERR_DENIED, "the token was issued to another client");
		goto out;
	}
	r = store_family_revoke(sv->store, x->family.id, svc_now(sv));
	if (r)
		svc_store_fail(sv, r, "revoking the token");
out:
	free(x);
	return r;
}

int svc_refresh_inspect(struct svc_oidc *o, const struct tg_tenant *t, const char *token,
                        struct store_refresh *out)
{
	struct svc *sv = o->sv;
	struct store_digest d;
	struct store_refresh *x = xmalloc(sizeof *x);
	int64_t now = svc_now(sv);
	int r = svc_oidc_token_digest(o, SVC_CTX_REFRESH, NULL, token, &d);
	if (!r)
		r = store_refresh_get(sv->store, &d, x);
	if (r && r != TG_ERR_DENIED && r != TG_ERR_NOT_FOUND) {
		svc_store_fail(sv, r, "reading the token");
		goto out;
	}
	if (r || svc_oidc_token_verify(o, SVC_CTX_REFRESH, NULL, token, &x->digest) ||
	    strcmp(x->family.tenant_id, t->id) != 0 || x->rotated || x->family.revoked ||
	    now >= x->expires || now >= x->family.expires) {
		r = svc_fail(sv, TG_ERR_NOT_FOUND, "the token is not active");
		goto out;
	}
	*out = *x;
out:
	free(x);
	return r;
}

/* --------------------------------------------- access tokens, housekeeping */

int svc_jti_revoke(struct svc *sv, const struct tg_tenant *t, const char *jti, int64_t exp)
{
	if (!jti || !*jti)
		return svc_fail(sv, TG_ERR_INVALID, "a token id (jti) is needed");
	int r = svc_oidc_check_ascii(sv, "jti", jti, TG_MAX_JTI);
	if (r)
		return r;
	if (exp <= svc_now(sv))
		return TG_OK;     /* expired already: nothing to remember */
	if ((r = store_jti_revoke(sv->store, t->id, jti, exp)))
		return svc_store_fail(sv, r, "revoking the access token");
	return TG_OK;
}

int svc_jti_is_revoked(struct svc *sv, const char *jti, bool *out)
{
	if (!jti || !*jti || strlen(jti) > TG_MAX_JTI) {
		*out = false;
		return TG_OK;
	}
	int r = store_jti_is_revoked(sv->store, jti, svc_now(sv), out);
	if (r)
		return svc_store_fail(sv, r, "reading revoked tokens");
	return TG_OK;
}

int svc_oidc_purge(struct svc_oidc *o, struct store_oidc_purged *out)
{
	int64_t now = svc_now(o->sv);
	struct store_oidc_purge_at at = {
		.now = now,
		.idle_before = now - o->session_idle,
		.codes_before = now - SVC_CODE_KEEP,
	};
	int r = store_oidc_purge(o->sv->store, &at, out);
	if (r)
		return svc_store_fail(o->sv, r, "purging expired sessions and tokens");
	return TG_OK;
}
