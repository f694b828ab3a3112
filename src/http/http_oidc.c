/* SPDX-License-Identifier: MIT
 * OpenID Connect endpoints that need no browser: discovery, JWKS,
 * userinfo, introspection (RFC 7662) and revocation (RFC 7009), plus the
 * set-up, parsing and error answers the other endpoint files share
 * (http_oidc.h). /authorize and /logout: http_oidc_authorize.c; /token:
 * http_oidc_token.c. Sections: shared, discovery and keys, userinfo,
 * introspection, revocation. */
#include <string.h>
#include <strings.h>
#include "base/err.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/str.h"
#include "core/client_auth.h"
#include "json/jwt_json.h"
#include "json/oidc_json.h"
#include "http/http_oidc.h"
#include "http/http_reply.h"
#include "http/http_route.h"
#include "svc/svc_oidc.h"

/* ---- shared ------------------------------------------------------------------ */

int http_oidc_begin(struct http_req *r, struct oidc_call *oc)
{
	memset(oc, 0, sizeof *oc);
	int e = http_ctx_get(r, &oc->c);
	if (e)
		return e;
	if ((e = http_app_tenant(r, oc->c, &oc->t)))
		return e;
	const char *pub = r->srv ? r->srv->public_url : NULL;
	if (oidc_base_url(pub, http_req_header(r, "Host"), oc->base, sizeof oc->base) != TG_OK) {
		log_warn("request %s: no public_url configured and Host is not a loopback name",
		         r->request_id);
		return http_oidc_reply_error(r, 400, OIDC_ERR_INVALID_REQUEST,
			"The server cannot name its issuer: set public_url in the configuration "
			"(only loopback Host names work without it).", false);
	}
	int n = snprintf(oc->tenant_url, sizeof oc->tenant_url, "%s/%s", oc->base, oc->t.name);
	if (n < 0 || (size_t)n >= sizeof oc->tenant_url ||
	    oidc_issuer(oc->base, oc->t.name, oc->issuer, sizeof oc->issuer) != TG_OK)
		return TG_ERR_INVALID;
	return TG_OK;
}

int http_oidc_ring(struct http_req *r, struct oidc_call *oc)
{
	struct http_ctx *c = oc->c;
	int e = svc_signkeys_get(&c->sv, http_app_keys(c->app), http_app_signkeys(c->app), &oc->t,
	                         &oc->ring);
	if (e) {
		log_error("request %s: signing keys of tenant %s: %s", r->request_id, oc->t.name,
		          c->sv.err);
		return TG_ERR_INTERNAL;
	}
	oc->jc.t = &oc->t;
	oc->jc.issuer = oc->issuer;
	oc->jc.resource = oc->base;
	oc->jc.ring = svc_signring_keys(oc->ring);
	return TG_OK;
}

void http_oidc_end(struct oidc_call *oc)
{
	svc_signring_release(oc->ring);
	oc->ring = NULL;
}

/* JSON with Pragma: no-cache (http_reply_queue adds Cache-Control:
 * no-store). Access-Control-Allow-Origin comes from the route table: the
 * token, userinfo, revocation and introspection routes are HTTP_CORS,
 * since single-page apps call them from their own origin — without
 * cookies, so no credentials are exposed. */
static struct MHD_Response *no_store_json(const json_t *j, size_t *len)
{
	struct MHD_Response *resp = http_json_response(j, len);
	if (resp && MHD_add_response_header(resp, "Pragma", "no-cache") != MHD_YES) {
		MHD_destroy_response(resp);
		resp = NULL;
	}
	return resp;
}

int http_oidc_reply_json_take(struct http_req *r, unsigned status, json_t *j)
{
	size_t len = 0;
	struct MHD_Response *resp = no_store_json(j, &len);
	json_decref(j);
	return http_reply_queue(r, status, resp, len);
}

int http_oidc_reply_error(struct http_req *r, unsigned status, enum oidc_error e,
                          const char *description, bool basic_tried)
{
	json_t *j = oidc_error_json(oidc_error_name(e), description);
	size_t len = 0;
	struct MHD_Response *resp = no_store_json(j, &len);
	json_decref(j);
	if (e == OIDC_ERR_INVALID_CLIENT && basic_tried) {
		status = 401;
		if (resp && MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE,
		                                    "Basic realm=\"tollgate\"") != MHD_YES) {
			MHD_destroy_response(resp);
			resp = NULL;
		}
	}
	return http_reply_queue(r, status, resp, len);
}

int http_oidc_reply_bearer_error(struct http_req *r, const struct oidc_call *oc, bool token_sent,
                                 const char *description)
{
	char challenge[OIDC_URL_MAX + 64];
	/* RFC 6750 §3.1: no error attribute when the request had no token */
	snprintf(challenge, sizeof challenge, token_sent ?
	         "Bearer realm=\"%s\", error=\"invalid_token\"" : "Bearer realm=\"%s\"", oc->issuer);
	json_t *j = oidc_error_json(oidc_error_name(OIDC_ERR_INVALID_TOKEN), description);
	size_t len = 0;
	struct MHD_Response *resp = no_store_json(j, &len);
	json_decref(j);
	if (resp && MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE,
	                                    challenge) != MHD_YES) {
		MHD_destroy_response(resp);
		resp = NULL;
	}
	return http_reply_queue(r, 401, resp, len);
}

int http_oidc_parse_body(struct http_req *r, struct form *f)
{
	form_init(f);
	const char *ct = http_req_header(r, MHD_HTTP_HEADER_CONTENT_TYPE);
	size_t n = ct ? strcspn(ct, ";") : 0;
	while (n && (ct[n - 1] == ' ' || ct[n - 1] == '\t'))
		n--;
	if (!ct || n != strlen("application/x-www-form-urlencoded") ||
	    strncasecmp(ct, "application/x-www-form-urlencoded", n) != 0)
		return TG_ERR_UNSUPPORTED;
	if (r->body.len > TG_MAX_OIDC_BODY)
		return TG_ERR_TOO_LARGE;
	return form_parse(r->body.data ? r->body.data : "", r->body.len, f);
}

bool http_oidc_parse_body_or_reply(struct http_req *r, struct form *f)
{
	int e = http_oidc_parse_body(r, f);
	if (e == TG_ERR_UNSUPPORTED)
		http_oidc_reply_error(r, 415, OIDC_ERR_INVALID_REQUEST,
		                      "The body must be application/x-www-form-urlencoded.", false);
	else if (e == TG_ERR_TOO_LARGE)
		http_oidc_reply_error(r, 413, OIDC_ERR_INVALID_REQUEST,
		                      "The request body is too large, a parameter is too long, or "
		                      "there are too many.", false);
	else if (e)
		http_oidc_reply_error(r, 400, OIDC_ERR_INVALID_REQUEST,
		                      "The body is malformed or repeats a parameter.", false);
	return e == TG_OK;
}

struct query_scan {
	struct form *f;
	int err;
};

static enum MHD_Result add_query_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                     const char *value)
{
	struct query_scan *q = cls;
	q->err = form_add(q->f, key, value);
	return q->err ? MHD_NO : MHD_YES;
}

int http_oidc_parse_query(struct http_req *r, struct form *f)
{
	form_init(f);
	struct query_scan q = {f, TG_OK};
	MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, add_query_arg, &q);
	if (q.err)
		form_cleanup(f);
	return q.err;
}

bool http_oidc_client_or_reply(struct http_req *r, struct oidc_call *oc, const struct form *f,
                               struct store_app *app_out)
{
	const char *authz = http_req_header(r, MHD_HTTP_HEADER_AUTHORIZATION);
	bool basic = authz && tg_startswith_ci(authz, "Basic ");
	struct client_cred cred;
	int e = client_cred_parse(authz, form_get(f, "client_id"), form_get(f, "client_secret"),
	                          &cred);
	if (!e)
		e = svc_client_authenticate(&oc->c->oidc, &oc->t, &cred, app_out);
	client_cred_wipe(&cred);
	if (e) {
		log_info("request %s: client authentication failed: %s", r->request_id,
		         oc->c->sv.err[0] ? oc->c->sv.err : tg_strerror(e));
		http_oidc_reply_error(r, e == TG_ERR_DENIED || e == TG_ERR_INVALID ||
		                      e == TG_ERR_TOO_LARGE ? 401 : 500,
		                      e == TG_ERR_DENIED || e == TG_ERR_INVALID || e == TG_ERR_TOO_LARGE ?
		                      OIDC_ERR_INVALID_CLIENT : OIDC_ERR_SERVER_ERROR,
		                      "Client authentication failed.", basic);
		return false;
	}
	return true;
}

/* ---- discovery and keys ------------------------------------------------------- */

/* Discovery and the JWKS may be cached a few minutes: a rotation keeps
 * the previous key published for an hour, and relying parties fetch the
 * JWKS again when they meet an unknown kid. */
static int reply_public_json_take(struct http_req *r, json_t *j)
{
	size_t len = 0;
	struct MHD_Response *resp = http_json_response(j, &len);
	json_decref(j);
	/* Access-Control-Allow-Origin: the routes are HTTP_CORS */
	if (resp && MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL,
	                                    "public, max-age=300") != MHD_YES) {
		MHD_destroy_response(resp);
		resp = NULL;
	}
	return http_reply_queue(r, 200, resp, len);
}

int http_oidc_discovery(struct http_req *r)
{
	struct oidc_call oc;
	int e = http_oidc_begin(r, &oc);
	if (e || r->replied)
		return e;
	return reply_public_json_take(r, oidc_discovery_json(oc.issuer, oc.tenant_url));
}

int http_oidc_jwks(struct http_req *r)
{
	struct oidc_call oc;
	int e = http_oidc_begin(r, &oc);
	if (e || r->replied)
		return e;
	if ((e = http_oidc_ring(r, &oc)))
		goto out;
	const struct sign_key *keys[TG_MAX_SIGN_KEYS];
	size_t n = signkeys_published(oc.jc.ring, svc_now(&oc.c->sv), keys, TG_MAX_SIGN_KEYS);
	json_t *jwks = NULL;
	if ((e = jwt_jwks_build(keys, n, &jwks)))
		goto out;
	e = reply_public_json_take(r, jwks);
out:
	http_oidc_end(&oc);
	return e;
}

/* ---- userinfo (OIDC Core §5.3) ---------------------------------------------------- */

int http_oidc_userinfo(struct http_req *r)
{
	struct oidc_call oc;
	int e = http_oidc_begin(r, &oc);
	if (e || r->replied)
		return e;
	json_t *claims = NULL;
	const char *token = NULL;
	const char *authz = http_req_header(r, MHD_HTTP_HEADER_AUTHORIZATION);
	if (oidc_bearer_parse(authz, &token) != TG_OK) {
		e = http_oidc_reply_bearer_error(r, &oc, authz != NULL,
		                                 "A Bearer access token is required.");
		goto out;
	}
	if ((e = http_oidc_ring(r, &oc)))
		goto out;
	int v = svc_jwt_verify_access(&oc.c->sv, &oc.jc, token, &claims);
	if (v == TG_ERR_STORE || v == TG_ERR_BUSY) {
		e = TG_ERR_UNAVAILABLE;
		goto out;
	}
	const char *sub = json_string_value(json_object_get(claims, "sub"));
	bool app_only = json_object_get(claims, "idtyp") != NULL;
	if (v || !sub || app_only) {
		log_info("request %s: userinfo refused: %s", r->request_id,
		         v ? oc.c->sv.err : "an app-only token");
		e = http_oidc_reply_bearer_error(r, &oc, true, v == TG_ERR_EXPIRED ?
		                                 "The access token has expired." :
		                                 "The access token is not valid.");
		goto out;
	}
	struct tg_user u;
	if (svc_user_find(&oc.c->sv, &oc.t, sub, &u) != TG_OK || !u.enabled) {
		e = http_oidc_reply_bearer_error(r, &oc, true, "The user no longer exists or is disabled.");
		goto out;
	}
	tg_wipe(u.pwhash, sizeof u.pwhash);
	const char *scope = json_string_value(json_object_get(claims, "scp"));
	e = http_oidc_reply_json_take(r, 200, oidc_userinfo_json(u.id, u.upn, u.display_name,
	                                                         u.email, scope));
out:
	json_decref(claims);
	http_oidc_end(&oc);
	return e;
}

/* ---- introspection (RFC 7662) ----------------------------------------------------- */

/* A refresh token is 43 base64url characters; an access token is a JWT. */
static bool looks_like_jwt(const char *token)
{
	return strchr(token, '.') != NULL;
}

int http_oidc_introspect(struct http_req *r)
{
	struct oidc_call oc;
	struct form f;
	form_init(&f);
	json_t *claims = NULL;
	int e = http_oidc_begin(r, &oc);
	if (e || r->replied)
		return e;
	if (!http_oidc_parse_body_or_reply(r, &f))
		goto out;
	struct store_app app;
	if (!http_oidc_client_or_reply(r, &oc, &f, &app))
		goto out;
	/* RFC 7662 §2.1: the caller must be authorized; a public client
	 * proves nothing about itself */
	if (app.is_public) {
		e = http_oidc_reply_error(r, 401, OIDC_ERR_INVALID_CLIENT,
		                          "Introspection needs a confidential client.", false);
		goto out;
	}
	const char *token = form_get(&f, "token");
	if (!token) {
		e = http_oidc_reply_error(r, 400, OIDC_ERR_INVALID_REQUEST,
		                          "The token parameter is missing.", false);
		goto out;
	}
	if (!looks_like_jwt(token)) {
		struct store_refresh rt;
		int v = svc_refresh_inspect(&oc.c->oidc, &oc.t, token, &rt);
		/* only the client a refresh token was issued to may see it */
		if (v == TG_OK && strcmp(rt.family.client_id, app.id) == 0)
			e = http_oidc_reply_json_take(r, 200, oidc_introspect_refresh_json(
				oc.issuer, rt.family.client_id, rt.family.user_id, rt.scope, rt.created,
				rt.expires));
		else
			e = http_oidc_reply_json_take(r, 200, oidc_introspect_inactive_json());
		goto out;
	}
	if ((e = http_oidc_ring(r, &oc)))
		goto out;
	int v = svc_jwt_verify_access(&oc.c->sv, &oc.jc, token, &claims);
	if (v == TG_ERR_STORE || v == TG_ERR_BUSY) {
		e = TG_ERR_UNAVAILABLE;
		goto out;
	}
	e = http_oidc_reply_json_take(r, 200, v ? oidc_introspect_inactive_json()
	                                        : oidc_introspect_access_json(claims));
out:
	json_decref(claims);
	form_cleanup(&f);
	http_oidc_end(&oc);
	return e;
}

/* ---- revocation (RFC 7009) -------------------------------------------------------- */

static int reply_empty_200(struct http_req *r)
{
	return http_oidc_reply_json_take(r, 200, json_object());
}

int http_oidc_revoke(struct http_req *r)
{
	struct oidc_call oc;
	struct form f;
	form_init(&f);
	json_t *claims = NULL;
	int e = http_oidc_begin(r, &oc);
	if (e || r->replied)
		return e;
	if (!http_oidc_parse_body_or_reply(r, &f))
		goto out;
	struct store_app app;
	if (!http_oidc_client_or_reply(r, &oc, &f, &app))
		goto out;
	const char *token = form_get(&f, "token");
	if (!token) {
		e = http_oidc_reply_error(r, 400, OIDC_ERR_INVALID_REQUEST,
		                          "The token parameter is missing.", false);
		goto out;
	}
	if (!looks_like_jwt(token)) {
		int v = svc_refresh_revoke(&oc.c->oidc, &oc.t, app.id, token);
		if (v == TG_ERR_DENIED)
			e = http_oidc_reply_error(r, 400, OIDC_ERR_UNAUTHORIZED_CLIENT,
			                          "The token was issued to another client.", false);
		else if (v)
			e = TG_ERR_UNAVAILABLE;
		else
			e = reply_empty_200(r);
		goto out;
	}
	if ((e = http_oidc_ring(r, &oc)))
		goto out;
	/* RFC 7009 §2.2: an invalid, expired or already revoked token is
	 * answered 200 like a revoked one */
	int v = svc_jwt_verify_access(&oc.c->sv, &oc.jc, token, &claims);
	if (v == TG_ERR_STORE || v == TG_ERR_BUSY) {
		e = TG_ERR_UNAVAILABLE;
		goto out;
	}
	if (v) {
		e = reply_empty_200(r);
		goto out;
	}
	const char *client = json_string_value(json_object_get(claims, "client_id"));
	if (!client || strcmp(client, app.id) != 0) {
		e = http_oidc_reply_error(r, 400, OIDC_ERR_UNAUTHORIZED_CLIENT,
		                          "The token was issued to another client.", false);
		goto out;
	}
	const char *jti = json_string_value(json_object_get(claims, "jti"));
	json_int_t exp = json_integer_value(json_object_get(claims, "exp"));
	if (svc_jti_revoke(&oc.c->sv, &oc.t, jti, (int64_t)exp)) {
		log_error("request %s: revoking an access token: %s", r->request_id, oc.c->sv.err);
		e = TG_ERR_UNAVAILABLE;
		goto out;
	}
	e = reply_empty_200(r);
out:
	json_decref(claims);
	form_cleanup(&f);
	http_oidc_end(&oc);
	return e;
}
