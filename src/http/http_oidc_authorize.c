/* SPDX-License-Identifier: MIT
 * The authorization endpoint (OIDC Core §3.1.2, RFC 6749 §4.1, RFC 7636,
 * RFC 9207) and the end-session endpoint (OpenID Connect RP-Initiated
 * Logout 1.0). /authorize checks the client and its exact redirect URI
 * first — faults there are shown on an error page and never redirected —
 * then the rest of the request, then the browser session: with a session
 * the sign-in decision is run again for this app (svc_flow_check_session)
 * and a code is issued, or the user is sent to the sign-in pages, or, for
 * prompt=none, the app is told login_required / interaction_required.
 * Sections: pages and redirects, /authorize, /logout. */
#include <string.h>
#include "base/err.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/str.h"
#include "json/jwt_json.h"
#include "http/http_oidc.h"
#include "http/http_reply.h"
#include "http/http_route.h"
#include "svc/svc_flow.h"
#include "svc/svc_oidc.h"

#define HTTP_CT_HTML "text/html; charset=utf-8"
/* A redirect URL: the redirect URI plus code, state (TG_MAX_OIDC_STATE,
 * up to 3x when percent-encoded), iss and error texts. */
#define REDIRECT_MAX (TG_MAX_REDIRECT_URI + 3 * TG_MAX_OIDC_STATE + 3 * OIDC_URL_MAX + 2048)
/* The sign-in pages' return URL travels percent-encoded in a query; keep
 * the whole Location within what our server accepts as a URL. */
#define SIGNIN_URL_MAX (TG_MAX_HTTP_URL - 256)

/* ---- pages and redirects ----------------------------------------------------- */

static void html_escape(struct tg_buf *b, const char *s)
{
	for (; *s; s++) {
		const char *rep = NULL;
		switch (*s) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		}
		if (rep ? tg_buf_append(b, rep, strlen(rep)) : tg_buf_append(b, s, 1))
			return;
	}
}

/* A small page (no script, the site's style sheet): title, text, and the
 * request id that finds the request in the log. NULL when it cannot be
 * built; *len_out its length. */
static struct MHD_Response *page_response(const struct http_req *r, const char *title,
                                          const char *text, const char *detail, size_t *len_out)
{
	struct tg_buf b;
	tg_buf_init(&b, 16 * 1024);
	tg_buf_appendf(&b, "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	               "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
	               "<title>");
	html_escape(&b, title);
	tg_buf_appendf(&b, " – Tollgate</title><link rel=\"stylesheet\" href=\"/css/tollgate.css\">"
	               "</head><body><main class=\"container\"><h1>");
	html_escape(&b, title);
	tg_buf_appendf(&b, "</h1><p>");
	html_escape(&b, text);
	tg_buf_appendf(&b, "</p>");
	if (detail) {
		tg_buf_appendf(&b, "<p><code>");
		html_escape(&b, detail);
		tg_buf_appendf(&b, "</code></p>");
	}
	/* the last piece fits only if everything before did */
	int e = tg_buf_appendf(&b, "<p><small>Request id: %s<br>Time: %s</small></p></main>"
	                       "</body></html>\n", r->request_id, r->date);
	struct MHD_Response *resp = NULL;
	if (!e && b.data)
		resp = MHD_create_response_from_buffer(b.len, b.data, MHD_RESPMEM_MUST_COPY);
	*len_out = b.len;
	tg_buf_cleanup(&b);
	if (resp && MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, HTTP_CT_HTML) != MHD_YES) {
		MHD_destroy_response(resp);
		resp = NULL;
	}
	return resp;
}

static int reply_page(struct http_req *r, unsigned status, const char *title, const char *text,
                      const char *detail)
{
	size_t len = 0;
	struct MHD_Response *resp = page_response(r, title, text, detail, &len);
	return http_reply_queue(r, status, resp, len);
}

/* An error the user sees (the client or redirect URI cannot be trusted). */
static int reply_error_page(struct http_req *r, const struct oidc_fault *f)
{
	log_info("request %s: authorization request refused: %s: %s", r->request_id,
	         oidc_error_name(f->error), f->description);
	return reply_page(r, 400, "Sign-in request not valid",
	                  "The application sent a sign-in request that Tollgate cannot accept. "
	                  "Tell the application's owner what is shown below.", f->description);
}

/* Redirect to the client: redirect_uri with params, state and iss. */
static int redirect_to_client(struct http_req *r, const struct oidc_call *oc,
                              const struct oidc_authz_req *q, const char *const *names,
                              const char *const *values, size_t n)
{
	struct tg_buf b;
	tg_buf_init(&b, REDIRECT_MAX);
	int e = tg_buf_append(&b, q->redirect_uri, strlen(q->redirect_uri));
	for (size_t i = 0; !e && i < n; i++)
		if (values[i])
			e = oidc_url_add_param(&b, names[i], values[i]);
	if (!e && q->state)
		e = oidc_url_add_param(&b, "state", q->state);
	if (!e)                                   /* RFC 9207 */
		e = oidc_url_add_param(&b, "iss", oc->issuer);
	if (!e)
		e = http_reply_redirect(r, 302, b.data);
	tg_buf_cleanup(&b);
	return e;
}

static int redirect_error(struct http_req *r, const struct oidc_call *oc,
                          const struct oidc_authz_req *q, enum oidc_error err, const char *desc)
{
	log_info("request %s: authorization answered %s: %s", r->request_id, oidc_error_name(err),
	         desc ? desc : "");
	const char *names[] = {"error", "error_description"};
	const char *values[] = {oidc_error_name(err), desc};
	return redirect_to_client(r, oc, q, names, values, 2);
}

/* The sign-in pages (CONTRACT with http_signin.c):
 * /{tenant}/signin/?client_id=…&return=<this request, relative>[&force_login=1][&require_mfa=1].
 * The return URL repeats the request without prompt=login/select_account
 * and max_age, which the new sign-in satisfies: with them the request
 * would send the user back to sign in forever. */
static int redirect_to_signin(struct http_req *r, const struct oidc_call *oc,
                              const struct form *f, const struct oidc_authz_req *q, bool force,
                              bool mfa)
{
	struct tg_buf ret, url;
	tg_buf_init(&ret, SIGNIN_URL_MAX);
	tg_buf_init(&url, SIGNIN_URL_MAX);
	int e = tg_buf_appendf(&ret, "/%s/oauth2/v2.0/authorize", oc->t.name);
	for (size_t i = 0; !e && i < f->n; i++) {
		const char *name = f->f[i].name;
		if (strcmp(name, "max_age") == 0 ||
		    (strcmp(name, "prompt") == 0 &&
		     (q->prompt & (OIDC_PROMPT_LOGIN | OIDC_PROMPT_SELECT_ACCOUNT))))
			continue;
		e = oidc_url_add_param(&ret, name, f->f[i].value);
	}
	if (!e)
		e = tg_buf_appendf(&url, "/%s/signin/", oc->t.name);
	if (!e)
		e = oidc_url_add_param(&url, "client_id", q->client_id);
	if (!e)
		e = oidc_url_add_param(&url, "return", ret.data);
	if (!e && force)
		e = oidc_url_add_param(&url, "force_login", "1");
	if (!e && mfa)
		e = oidc_url_add_param(&url, "require_mfa", "1");
	if (e) {
		struct oidc_fault flt = {OIDC_ERR_INVALID_REQUEST, "The sign-in request is too long."};
		e = reply_error_page(r, &flt);
	} else {
		e = http_reply_redirect(r, 302, url.data);
	}
	tg_buf_cleanup(&ret);
	tg_buf_cleanup(&url);
	return e;
}

/* The parameters of a browser request: the query (GET) or a form body
 * (POST). Faults are shown on the error page (false). */
static bool params_or_page(struct http_req *r, struct form *f)
{
	bool post = strcmp(r->method, "POST") == 0;
	int e = post ? http_oidc_parse_body(r, f) : http_oidc_parse_query(r, f);
	if (!e)
		return true;
	struct oidc_fault flt = {OIDC_ERR_INVALID_REQUEST,
		e == TG_ERR_UNSUPPORTED ? "The body must be application/x-www-form-urlencoded." :
		e == TG_ERR_TOO_LARGE ? "The request is too large." :
		"The request is malformed or repeats a parameter."};
	reply_error_page(r, &flt);
	return false;
}

/* ---- /authorize ------------------------------------------------------------------ */

/* Issue a code for the session's user and send it to the client. */
static int issue_code(struct http_req *r, struct oidc_call *oc, const struct store_app *app,
                      const struct oidc_authz_req *q, const struct store_session *s)
{
	char scope[TG_MAX_OIDC_SCOPE + 1];
	oidc_scope_grant(q->scope, scope, sizeof scope);
	struct svc_code_grant g = {
		.client_id = app->id, .user_id = s->user_id, .session_id = s->id,
		.redirect_uri = q->redirect_uri, .self_url = oc->tenant_url,
		.code_challenge = q->code_challenge,
		.code_challenge_method = q->code_challenge_method, .nonce = q->nonce, .scope = scope,
		.amr = s->amr, .acr = oidc_acr_of_amr(s->amr), .auth_time = s->auth_time,
		.mfa_time = s->mfa_time, .mfa_methods = s->mfa_methods,
	};
	char code[SVC_TOKEN_SIZE];
	int e = svc_code_issue(&oc->c->oidc, &oc->t, &g, code, NULL);
	if (e) {
		log_error("request %s: no code issued: %s", r->request_id, oc->c->sv.err);
		return redirect_error(r, oc, q, e == TG_ERR_INVALID ? OIDC_ERR_INVALID_REQUEST :
		                      OIDC_ERR_SERVER_ERROR, "No authorization code could be issued.");
	}
	const char *names[] = {"code"};
	const char *values[] = {code};
	e = redirect_to_client(r, oc, q, names, values, 1);
	tg_wipe(code, sizeof code);
	return e;
}

/* The request is valid: decide with the browser session, if any. */
static int authorize_session(struct http_req *r, struct oidc_call *oc, const struct form *f,
                             const struct store_app *app, const struct oidc_authz_req *q)
{
	struct http_ctx *c = oc->c;
	bool prompt_none = q->prompt & OIDC_PROMPT_NONE;
	const char *cookie = http_cookie(r, http_session_cookie_name(r));
	struct store_session s;
	bool have = cookie && svc_session_get(&c->oidc, &oc->t, cookie, &s) == TG_OK &&
	            s.user_id[0] && s.auth_time > 0;
	int64_t now = svc_now(&c->sv);
	bool force = (q->prompt & (OIDC_PROMPT_LOGIN | OIDC_PROMPT_SELECT_ACCOUNT)) ||
	             (have && oidc_max_age_exceeded(s.auth_time, q->max_age, now));
	if (!have || force) {
		if (prompt_none)
			return redirect_error(r, oc, q, OIDC_ERR_LOGIN_REQUIRED,
			                      "The user is not signed in.");
		return redirect_to_signin(r, oc, f, q, force, q->step_up_mfa);
	}
	char ip[CIDR_STRLEN];
	http_client_ip(r, ip, NULL);
	struct svc_flow_check in = {
		.user_id = s.user_id, .auth_time = s.auth_time, .mfa_time = s.mfa_time,
		.mfa_methods = s.mfa_methods, .client_id = app->id,
		.client = DECISION_CLIENT_BROWSER, .ip = ip[0] ? ip : NULL,
		.user_agent = http_req_header(r, "User-Agent"), .step_up_mfa = q->step_up_mfa,
		.refresh = false, .device_token = http_cookie(r, HTTP_COOKIE_DEVICE),
		.request_id = r->request_id,
	};
	struct svc_flow_verdict v;
	int e = svc_flow_check_session(&c->flow, &oc->t, &in, &v);
	if (e == TG_ERR_NOT_FOUND || e == TG_ERR_DISABLED) {
		/* the account went away: a new sign-in says why */
		if (prompt_none)
			return redirect_error(r, oc, q, OIDC_ERR_LOGIN_REQUIRED, "A new sign-in is required.");
		return redirect_to_signin(r, oc, f, q, true, q->step_up_mfa);
	}
	if (e) {
		log_error("request %s: sign-in decision failed: %s", r->request_id, c->sv.err);
		return redirect_error(r, oc, q, OIDC_ERR_SERVER_ERROR, "The sign-in could not be evaluated.");
	}
	char desc[400];
	switch (v.kind) {
	case SVC_FLOW_ALLOW:
		return issue_code(r, oc, app, q, &s);
	case SVC_FLOW_INTERACTION:
		if (prompt_none) {
			snprintf(desc, sizeof desc, "AADSTS%d: %s", v.error_code,
			         v.reason[0] ? v.reason : "The user must act.");
			return redirect_error(r, oc, q, v.outcome == DECISION_REAUTH_REQUIRED ?
			                      OIDC_ERR_LOGIN_REQUIRED : OIDC_ERR_INTERACTION_REQUIRED, desc);
		}
		return redirect_to_signin(r, oc, f, q, v.outcome == DECISION_REAUTH_REQUIRED,
		                          v.require_mfa || q->step_up_mfa);
	case SVC_FLOW_BLOCKED:
		break;
	}
	snprintf(desc, sizeof desc, "AADSTS%d: %s", v.error_code,
	         v.reason[0] ? v.reason : "The sign-in is blocked.");
	return redirect_error(r, oc, q, OIDC_ERR_ACCESS_DENIED, desc);
}

int http_oidc_authorize(struct http_req *r)
{
	struct oidc_call oc;
	struct form f;
	form_init(&f);
	int e = http_oidc_begin(r, &oc);
	if (e || r->replied)
		return e;
	struct oidc_authz_req q;
	struct oidc_fault flt;
	if (!params_or_page(r, &f)) {
		e = TG_OK;
		goto out;
	}
	if (oidc_authz_parse(&f, &q, &flt)) {
		e = reply_error_page(r, &flt);
		goto out;
	}
	struct store_app app;
	if (svc_app_get(&oc.c->sv, &oc.t, q.client_id, &app) != TG_OK) {
		flt = (struct oidc_fault){OIDC_ERR_INVALID_CLIENT,
		                          "AADSTS700016: The application was not found in this tenant."};
		e = reply_error_page(r, &flt);
		goto out;
	}
	/* exact string match (RFC 9700 §2.1) */
	if (!svc_app_has_redirect_uri(&app, q.redirect_uri, oc.tenant_url)) {
		flt = (struct oidc_fault){OIDC_ERR_INVALID_REQUEST,
		                          "AADSTS50011: The redirect URI does not match the redirect "
		                          "URIs registered for the application."};
		e = reply_error_page(r, &flt);
		goto out;
	}
	if (oidc_authz_check(&q, app.is_public, &flt)) {
		e = redirect_error(r, &oc, &q, flt.error, flt.description);
		goto out;
	}
	if (!svc_app_allows_grant(&app, STORE_GRANT_AUTHORIZATION_CODE)) {
		e = redirect_error(r, &oc, &q, OIDC_ERR_UNAUTHORIZED_CLIENT,
		                   "The client may not use the authorization code grant.");
		goto out;
	}
	e = authorize_session(r, &oc, &f, &app, &q);
out:
	form_cleanup(&f);
	http_oidc_end(&oc);
	return e;
}

/* ---- /logout (RP-Initiated Logout 1.0) ---------------------------------------------- */

/* The client an id_token_hint was issued to, if it is our token for this
 * tenant (signature and issuer; an expired one still names its client,
 * §2). */
static bool hint_client(struct http_req *r, struct oidc_call *oc, const char *hint,
                        char client_out[TG_ID_BUF])
{
	client_out[0] = '\0';
	if (!hint || http_oidc_ring(r, oc) != TG_OK)
		return false;
	const struct sign_key *keys[TG_MAX_SIGN_KEYS];
	size_t n = signkeys_published(oc->jc.ring, svc_now(&oc->c->sv), keys, TG_MAX_SIGN_KEYS);
	json_t *claims = NULL;
	if (jwt_decode_verify(hint, strlen(hint), keys, n, svc_now(&oc->c->sv), NULL, NULL, &claims,
	                      NULL) != TG_OK)
		return false;
	const char *iss = json_string_value(json_object_get(claims, "iss"));
	const char *aud = json_string_value(json_object_get(claims, "aud"));
	bool ok = iss && aud && strcmp(iss, oc->issuer) == 0 && strlen(aud) < TG_ID_BUF;
	if (ok)
		tg_strlcpy(client_out, aud, TG_ID_BUF);
	json_decref(claims);
	return ok;
}

/* Signed out: the session cookie removed, then a redirect to location
 * or the "Signed out" page. */
static int reply_signed_out(struct http_req *r, const char *location)
{
	char cookie[160];
	snprintf(cookie, sizeof cookie, "%s=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax%s",
	         http_session_cookie_name(r), http_req_is_https(r) ? "; Secure" : "");
	size_t len = 0;
	struct MHD_Response *resp = location ?
		MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT) :
		page_response(r, "Signed out", "You have signed out of Tollgate.", NULL, &len);
	if (resp && (MHD_add_response_header(resp, MHD_HTTP_HEADER_SET_COOKIE, cookie) != MHD_YES ||
	             (location && MHD_add_response_header(resp, MHD_HTTP_HEADER_LOCATION,
	                                                  location) != MHD_YES))) {
		MHD_destroy_response(resp);
		resp = NULL;
	}
	return http_reply_queue(r, location ? 302 : 200, resp, len);
}

/* "Sign out?" with a form that posts the same parameters back. */
static int reply_confirm_logout(struct http_req *r, const struct form *f)
{
	static const char *const keep[] = {"post_logout_redirect_uri", "state", "client_id",
	                                   "ui_locales"};
	struct tg_buf b;
	tg_buf_init(&b, 32 * 1024);
	tg_buf_appendf(&b, "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	               "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
	               "<title>Sign out – Tollgate</title>"
	               "<link rel=\"stylesheet\" href=\"/css/tollgate.css\"></head><body><main>"
	               "<h1>Sign out?</h1><p>An application asks to sign you out of Tollgate.</p>"
	               "<form method=\"post\" action=\"");
	html_escape(&b, r->path);
	tg_buf_appendf(&b, "\">");
	for (size_t i = 0; i < sizeof keep / sizeof keep[0]; i++) {
		const char *v = form_get(f, keep[i]);
		if (!v)
			continue;
		tg_buf_appendf(&b, "<input type=\"hidden\" name=\"%s\" value=\"", keep[i]);
		html_escape(&b, v);
		tg_buf_appendf(&b, "\">");
	}
	int e = tg_buf_appendf(&b, "<button type=\"submit\">Sign out</button></form></main>"
	                       "</body></html>\n");
	struct MHD_Response *resp = NULL;
	if (!e && b.data)
		resp = MHD_create_response_from_buffer(b.len, b.data, MHD_RESPMEM_MUST_COPY);
	size_t len = b.len;
	tg_buf_cleanup(&b);
	if (resp && MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, HTTP_CT_HTML) != MHD_YES) {
		MHD_destroy_response(resp);
		resp = NULL;
	}
	return http_reply_queue(r, 200, resp, len);
}

int http_oidc_logout(struct http_req *r)
{
	struct oidc_call oc;
	struct form f;
	form_init(&f);
	int e = http_oidc_begin(r, &oc);
	if (e || r->replied)
		return e;
	bool post = strcmp(r->method, "POST") == 0;
	if (!params_or_page(r, &f))
		goto out;
	const char *post_uri = form_get(&f, "post_logout_redirect_uri");
	const char *client_id = form_get(&f, "client_id");
	char hinted[TG_ID_BUF];
	bool have_hint = hint_client(r, &oc, form_get(&f, "id_token_hint"), hinted);
	if (have_hint && client_id && strcmp(client_id, hinted) != 0) {
		struct oidc_fault flt = {OIDC_ERR_INVALID_REQUEST,
		                         "The client_id does not match the id_token_hint."};
		e = reply_error_page(r, &flt);
		goto out;
	}
	if (have_hint)
		client_id = hinted;
	/* a post-logout redirect only to a URI registered for the client */
	struct tg_buf loc;
	tg_buf_init(&loc, REDIRECT_MAX);
	if (post_uri) {
		struct store_app app;
		if (!client_id || svc_app_get(&oc.c->sv, &oc.t, client_id, &app) != TG_OK ||
		    !svc_app_has_redirect_uri(&app, post_uri, oc.tenant_url)) {
			struct oidc_fault flt = {OIDC_ERR_INVALID_REQUEST,
				"The post_logout_redirect_uri is not registered for the application "
				"(or no client_id or id_token_hint names the application)."};
			e = reply_error_page(r, &flt);
			tg_buf_cleanup(&loc);
			goto out;
		}
		const char *state = form_get(&f, "state");
		if (tg_buf_append(&loc, post_uri, strlen(post_uri)) ||
		    (state && oidc_url_add_param(&loc, "state", state))) {
			tg_buf_cleanup(&loc);
			e = TG_ERR_TOO_LARGE;
			goto out;
		}
	}
	/* a POST without a hint comes from our confirmation page: its Origin
	 * must be ours (a same-site page elsewhere would carry the cookie) */
	char own[OIDC_URL_MAX];
	const char *origin = http_req_header(r, "Origin");
	if (post && !have_hint && origin &&
	    (!http_req_own_origin(r, own, sizeof own) || strcmp(origin, own) != 0)) {
		struct oidc_fault flt = {OIDC_ERR_INVALID_REQUEST,
		                         "The sign-out request did not come from this server."};
		e = reply_error_page(r, &flt);
		tg_buf_cleanup(&loc);
		goto out;
	}
	if (!post && !have_hint) {
		/* a GET from anywhere could sign the user out (a link on another
		 * site): ask first. The confirmation posts back to us, and a
		 * cross-site POST carries no SameSite=Lax session cookie. */
		e = reply_confirm_logout(r, &f);
		tg_buf_cleanup(&loc);
		goto out;
	}
	const char *cookie = http_cookie(r, http_session_cookie_name(r));
	if (cookie && svc_session_end(&oc.c->oidc, &oc.t, cookie))
		log_warn("request %s: ending the session: %s", r->request_id, oc.c->sv.err);
	e = reply_signed_out(r, loc.data);
	tg_buf_cleanup(&loc);
out:
	form_cleanup(&f);
	http_oidc_end(&oc);
	return e;
}
