/* SPDX-License-Identifier: MIT
 * The browser sign-in over HTTP (issue 5): the page at /{tenant}/signin/,
 * the JSON API at /{tenant}/api/signin/... over svc_flow (svc_flow.h), and
 * the legacy-client endpoint /{tenant}/legacy/basic. Here live cookies,
 * CSRF (Origin check plus a per-session token), body limits and the
 * Graph-shaped errors; every decision is svc_flow's.
 * Sections: helpers (body, CSRF, cookies, answers); the page; the API;
 * the legacy endpoint. docs/internals/signin-flow.md has the design. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/b64.h"
#include "base/err.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/str.h"
#include "crypto/ct.h"
#include "http/http_app.h"
#include "http/http_reply.h"
#include "http/http_route.h"

#define CSRF_HEADER "X-CSRF-Token"

/* ---- helpers ------------------------------------------------------------- */

static int reply_code(struct http_req *r, unsigned status, const char *code, const char *msg)
{
	return http_reply_error(r, status, code, msg);
}

/* Origin must be this server's own (RFC 6454 serialisation). Browsers send
 * it on every fetch POST; a missing one is refused as well. */
static bool origin_ok(struct http_req *r)
{
	const char *o = http_req_header(r, "Origin");
	char own[300];
	if (!o || !http_req_own_origin(r, own, sizeof own))
		return false;
	return strcmp(o, own) == 0;
}

/* Check method-independent request shape and parse the JSON body. Answers
 * on failure (returns false). */
static bool body_or_reply(struct http_req *r, json_t **out, int *ret)
{
	*out = NULL;
	if (!origin_ok(r)) {
		*ret = reply_code(r, 403, "CsrfOriginMismatch",
		                  "The request's Origin is missing or is not this server.");
		return false;
	}
	const char *ct = http_req_header(r, "Content-Type");
	size_t n = strlen("application/json");
	if (!ct || strncasecmp(ct, "application/json", n) != 0 || (ct[n] && ct[n] != ';' && ct[n] != ' ')) {
		*ret = reply_code(r, 415, "UnsupportedMediaType",
		                  "The request body must be JSON (Content-Type: application/json).");
		return false;
	}
	if (r->body.len > TG_MAX_SIGNIN_BODY) {
		*ret = reply_code(r, 413, "Request_EntityTooLarge", "The request body is too large.");
		return false;
	}
	json_error_t e;
	json_t *j = r->body.len ? json_loadb((const char *)r->body.data, r->body.len,
	                                     JSON_REJECT_DUPLICATES, &e) : NULL;
	if (!json_is_object(j)) {
		json_decref(j);
		*ret = reply_code(r, 400, "Request_BadRequest", "The request body must be a JSON object.");
		return false;
	}
	*out = j;
	return true;
}

/* A string field: NULL when absent; *bad when present but not a string of
 * at most TG_MAX_SIGNIN_FIELD bytes without NUL. */
static const char *field(json_t *j, const char *k, bool *bad)
{
	json_t *v = json_object_get(j, k);
	if (!v || json_is_null(v))
		return NULL;
	if (!json_is_string(v) || json_string_length(v) > TG_MAX_SIGNIN_FIELD ||
	    strlen(json_string_value(v)) != json_string_length(v)) {
		*bad = true;
		return NULL;
	}
	return json_string_value(v);
}

static bool flag(json_t *j, const char *k)
{
	return json_is_true(json_object_get(j, k));
}

static const struct {
	unsigned bit;
	const char *name;
} method_names[] = {
	{CA_METHOD_SOFTWARE_OATH, "appCode"},
	{CA_METHOD_HARDWARE_OATH, "hardwareToken"},
	{CA_METHOD_SMS, "sms"},
	{CA_METHOD_VOICE, "voice"},
	{CA_METHOD_EMAIL, "email"},
	{CA_METHOD_RECOVERY_CODE, "recoveryCode"},
};

static unsigned method_parse(const char *s)
{
	for (size_t i = 0; s && i < TG_ARRAY_LEN(method_names); i++)
		if (strcmp(s, method_names[i].name) == 0)
			return method_names[i].bit;
	return 0;
}

static const char *method_name(unsigned bit)
{
	for (size_t i = 0; i < TG_ARRAY_LEN(method_names); i++)
		if (method_names[i].bit == bit)
			return method_names[i].name;
	return "";
}

/* The `return` the pages navigate to when done: only a relative URL of
 * this tenant's /authorize (no open redirects). */
static bool return_ok(const struct http_req *r, const char *ret)
{
	const char *seg = r->path + 1;
	size_t seglen = strcspn(seg, "/");
	static const char tail[] = "/oauth2/v2.0/authorize?";
	size_t n = strlen(ret);
	if (n > TG_MAX_HTTP_URL || ret[0] != '/' || strncmp(ret + 1, seg, seglen) != 0 ||
	    strncmp(ret + 1 + seglen, tail, sizeof tail - 1) != 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)ret[i] <= 0x20 || (unsigned char)ret[i] >= 0x7f || ret[i] == '\\' ||
		    ret[i] == '#')
			return false;
	return true;
}

static json_t *state_json(struct http_req *r, const struct svc_flow_state *st, const char *csrf,
                          const char *ret)
{
	json_t *j = json_pack("{s:s,s:{s:s,s:s}}", "state", svc_flow_step_name(st->step),
	                      "app", "id", st->client_id, "name", st->app_name);
	if (!j)
		return NULL;
	if (csrf)
		json_object_set_new(j, "csrf", json_string(csrf));
	if (st->upn[0])
		json_object_set_new(j, "user", json_pack("{s:s,s:s,s:s}", "upn", st->upn, "displayName",
		                                         st->display_name, "locale", st->locale));
	switch (st->step) {
	case SVC_FLOW_STEP_MFA: {
		json_t *m = json_array();
		for (size_t i = 0; i < TG_ARRAY_LEN(method_names); i++)
			if (st->methods & method_names[i].bit)
				json_array_append_new(m, json_string(method_names[i].name));
		json_object_set_new(j, "methods", m);
		json_object_set_new(j, "rememberDays", json_integer(st->remember_days));
		break;
	}
	case SVC_FLOW_STEP_REGISTER:
		json_object_set_new(j, "canSkip", json_boolean(st->can_skip));
		json_object_set_new(j, "daysLeft", json_integer(st->can_skip ? st->days_left : 0));
		json_object_set_new(j, "pendingApp", json_boolean(st->pending_method[0] != '\0'));
		break;
	case SVC_FLOW_STEP_PASSWORD_CHANGE:
		json_object_set_new(j, "oneTimePassword", json_boolean(st->must_change_reason_admin));
		break;
	case SVC_FLOW_STEP_BLOCKED: {
		char when[TG_TIME_ISO_LEN];
		tg_time_iso(st->time, when);
		json_object_set_new(j, "blocked", json_pack("{s:i,s:s,s:s,s:s,s:s}", "errorCode",
		                    st->error_code, "reason", st->reason, "requestId", st->request_id,
		                    "signInId", st->signin_id, "time", when));
		break;
	}
	case SVC_FLOW_STEP_DONE:
		json_object_set_new(j, "mfa", json_boolean(st->mfa_done));
		if (ret && return_ok(r, ret))
			json_object_set_new(j, "next", json_string(ret));
		break;
	default:
		break;
	}
	if (st->sent_kind) {
		json_object_set_new(j, "sentMethod", json_string(method_name(st->sent_kind)));
		json_object_set_new(j, "sentTo", json_string(st->sent_to));
	}
	return j;
}

static bool add_cookie(struct MHD_Response *resp, struct http_req *r, const char *name,
                       const char *value, long max_age)
{
	char buf[256];
	char age[48] = "";
	if (max_age >= 0)
		snprintf(age, sizeof age, "; Max-Age=%ld", max_age);
	int n = snprintf(buf, sizeof buf, "%s=%s; Path=/; HttpOnly; SameSite=Lax%s%s", name, value,
	                 http_req_is_https(r) ? "; Secure" : "", age);
	if (n < 0 || (size_t)n >= sizeof buf)
		return false;
	bool ok = MHD_add_response_header(resp, MHD_HTTP_HEADER_SET_COOKIE, buf) == MHD_YES;
	tg_wipe(buf, sizeof buf);
	return ok;
}

/* Answer 200 with j (taken) and the cookies a step produced. */
static int reply_state(struct http_req *r, json_t *j, const char *session_token,
                       const char *device_token, int device_days)
{
	if (!j)
		return http_reply_err(r, TG_ERR_NOMEM, NULL);
	size_t len;
	struct MHD_Response *resp = http_json_response(j, &len);
	json_decref(j);
	if (!resp)
		return http_reply_queue(r, 500, NULL, 0);
	bool ok = true;
	if (session_token && *session_token)
		ok = add_cookie(resp, r, http_session_cookie_name(r), session_token, -1);
	if (ok && device_token && *device_token)
		ok = add_cookie(resp, r, HTTP_COOKIE_DEVICE, device_token, (long)device_days * 86400L);
	if (!ok) {
		MHD_destroy_response(resp);
		return http_reply_queue(r, 500, NULL, 0);
	}
	return http_reply_queue(r, 200, resp, len);
}

/* Answer a refused step: the AADSTS number when the flow gave one. */
static int reply_step_err(struct http_req *r, struct http_ctx *c, int e, int code, int retry_after)
{
	char cs[32];
	const char *msg = c->sv.err[0] ? c->sv.err : NULL;
	if (code)
		snprintf(cs, sizeof cs, "AADSTS%d", code);
	switch (e) {
	case TG_ERR_INVALID:
		return reply_code(r, 400, "Request_BadRequest", msg ? msg : "Invalid request.");
	case TG_ERR_CONFLICT:
		return reply_code(r, 409, "InvalidState", msg ? msg : "This step is not expected now.");
	case TG_ERR_NOT_FOUND:
	case TG_ERR_EXPIRED:
		if (!code)
			return reply_code(r, 400, "SessionExpired",
			                  "Your sign-in session has expired. Start again.");
		return reply_code(r, 400, cs, msg ? msg : "The code has expired.");
	case TG_ERR_REPLAY:
		/* Entra's detail "verification code already used once" (50074) */
		return reply_code(r, 400, "CodeAlreadyUsed", msg ? msg : "That code was already used once.");
	case TG_ERR_DENIED:
	case TG_ERR_LIMIT:
		return reply_code(r, 400, code ? cs : "InvalidGrant", msg ? msg : "Verification failed.");
	case TG_ERR_DISABLED:
	case TG_ERR_FORBIDDEN:
		return reply_code(r, 403, code ? cs : "Authorization_RequestDenied",
		                  msg ? msg : "Not allowed.");
	case TG_ERR_LOCKED:
	case TG_ERR_RATE_LIMITED: {
		size_t len;
		struct MHD_Response *resp = http_error_response(r, 429, code ? cs : "TooManyRequests",
			msg ? msg : "Too many attempts. Wait and try again.", &len);
		if (resp && retry_after > 0) {
			char ra[24];
			snprintf(ra, sizeof ra, "%d", retry_after);
			MHD_add_response_header(resp, "Retry-After", ra);
		}
		return http_reply_queue(r, 429, resp, len);
	}
	case TG_ERR_UNAVAILABLE:
	case TG_ERR_TIMEOUT:
	case TG_ERR_IO:
		return reply_code(r, 503, "ServiceNotAvailable",
		                  "The code could not be sent. Try again or use another method.");
	default:
		return http_reply_err(r, e, msg);
	}
}

/* Everything a state-changing API call needs before its step. */
struct call {
	struct http_ctx *c;
	struct tg_tenant t;
	json_t *body;
	const char *token;               /* the session cookie */
	struct store_session s;
	char csrf[SVC_FLOW_CSRF_SIZE];
	char ip[CIDR_STRLEN];
	struct svc_flow_req rq;
};

static void call_end(struct call *k)
{
	json_decref(k->body);
	k->body = NULL;
}

static void call_req(struct http_req *r, struct call *k)
{
	http_client_ip(r, k->ip, NULL);
	k->rq.ip = k->ip;
	k->rq.user_agent = http_req_header(r, "User-Agent");
	k->rq.request_id = r->request_id;
	k->rq.device_token = http_cookie(r, HTTP_COOKIE_DEVICE);
}

/* Context, tenant, Origin, JSON body, session, CSRF token. Answers on
 * failure (returns false, *ret = what to return). */
static bool call_begin(struct http_req *r, struct call *k, bool need_session, int *ret)
{
	memset(k, 0, sizeof *k);
	int e = http_ctx_get(r, &k->c);
	if (!e)
		e = http_app_tenant(r, k->c, &k->t);
	if (e) {
		*ret = e;
		return false;
	}
	if (!body_or_reply(r, &k->body, ret))
		return false;
	call_req(r, k);
	if (!need_session)
		return true;
	k->token = http_cookie(r, http_session_cookie_name(r));
	e = k->token ? svc_session_get(&k->c->oidc, &k->t, k->token, &k->s) : TG_ERR_NOT_FOUND;
	if (e == TG_ERR_NOT_FOUND || e == TG_ERR_DENIED || e == TG_ERR_EXPIRED) {
		*ret = reply_code(r, 400, "SessionExpired", "Your sign-in session has expired. Start again.");
		goto fail;
	}
	if (e) {
		*ret = http_reply_err(r, e, k->c->sv.err);
		goto fail;
	}
	const char *sent = http_req_header(r, CSRF_HEADER);
	if ((e = svc_flow_csrf(&k->c->flow, &k->s, k->csrf))) {
		*ret = http_reply_err(r, e, k->c->sv.err);
		goto fail;
	}
	if (!sent || !ct_streq(sent, k->csrf)) {
		*ret = reply_code(r, 403, "CsrfTokenInvalid",
		                  "The request's CSRF token is missing or wrong. Reload the page.");
		goto fail;
	}
	return true;
fail:
	call_end(k);
	return false;
}

/* The state answer after a successful step (cookies from res). */
static int reply_after(struct http_req *r, struct call *k, const struct svc_flow_state *st,
                       const struct svc_flow_result *res)
{
	/* the CSRF token is bound to the session's internal id, which a
	 * rotation keeps */
	const char *ret = field(k->body, "return", &(bool){false});
	json_t *j = state_json(r, st, k->csrf, ret);
	return reply_state(r, j, res ? res->new_token : NULL, res ? res->device_token : NULL,
	                   res ? res->device_days : 0);
}

/* ---- the page ----------------------------------------------------------- */

int http_signin_page(struct http_req *r)
{
	return http_static_send(r, "signin/index.html");
}

/* GET /{tenant}/admin/: the admin portal's one page (web/admin/), which
 * signs its administrator in through this tenant's /authorize as the
 * built-in "Tollgate admin portal" app and then calls the admin API. */
int http_admin_page(struct http_req *r)
{
	return http_static_send(r, "admin/index.html");
}

/* ---- the API ------------------------------------------------------------ */

/* GET /{tenant}/api/signin/state */
int http_signin_state(struct http_req *r)
{
	struct http_ctx *c;
	struct tg_tenant t;
	int e = http_ctx_get(r, &c);
	if (!e)
		e = http_app_tenant(r, c, &t);
	if (e)
		return e;
	const char *tok = http_cookie(r, http_session_cookie_name(r));
	struct store_session s;
	struct svc_flow_state st;
	if (!tok || svc_session_get(&c->oidc, &t, tok, &s) != TG_OK || !s.flow[0] ||
	    svc_flow_state(&c->flow, &t, tok, &st) != TG_OK)
		return http_reply_json_take(r, 200, json_pack("{s:s}", "state", "none"));
	char csrf[SVC_FLOW_CSRF_SIZE];
	if ((e = svc_flow_csrf(&c->flow, &s, csrf)))
		return e;
	const char *ret = http_req_query(r, "return");
	return reply_state(r, state_json(r, &st, csrf, ret), NULL, NULL, 0);
}

/* POST /{tenant}/api/signin/begin {client_id, return, force_login, require_mfa} */
int http_signin_begin(struct http_req *r)
{
	struct call k;
	int ret;
	if (!call_begin(r, &k, false, &ret))
		return ret;
	bool bad = false;
	const char *client_id = field(k.body, "client_id", &bad);
	const char *rt = field(k.body, "return", &bad);
	if (bad || (rt && *rt && !return_ok(r, rt))) {
		call_end(&k);
		return reply_code(r, 400, "Request_BadRequest",
		                  "client_id and return must be strings; return must be this tenant's "
		                  "/oauth2/v2.0/authorize URL, relative.");
	}
	char tok[SVC_TOKEN_SIZE];
	struct svc_flow_state st;
	const char *existing = http_cookie(r, http_session_cookie_name(r));
	int e = svc_flow_begin(&k.c->flow, &k.t, client_id, flag(k.body, "force_login"),
	                       flag(k.body, "require_mfa"), existing, &k.rq, tok, &st);
	if (e) {
		ret = reply_step_err(r, k.c, e, 0, 0);
		call_end(&k);
		return ret;
	}
	if ((e = svc_session_get(&k.c->oidc, &k.t, tok[0] ? tok : existing, &k.s)) ||
	    (e = svc_flow_csrf(&k.c->flow, &k.s, k.csrf))) {
		tg_wipe(tok, sizeof tok);
		call_end(&k);
		return http_reply_err(r, e, k.c->sv.err);
	}
	struct svc_flow_result res;
	memset(&res, 0, sizeof res);
	tg_strlcpy(res.new_token, tok, sizeof res.new_token);
	tg_wipe(tok, sizeof tok);
	ret = reply_after(r, &k, &st, &res);
	tg_wipe(&res, sizeof res);
	call_end(&k);
	return ret;
}

/* After a step call: the answer, wiping what it held. */
static int finish(struct http_req *r, struct call *k, int e, struct svc_flow_result *res,
                  const struct svc_flow_state *st)
{
	int ret = e ? reply_step_err(r, k->c, e, res->code, res->retry_after)
	            : reply_after(r, k, st, res);
	tg_wipe(res, sizeof *res);
	call_end(k);
	return ret;
}

static int bad_field(struct http_req *r, struct call *k, const char *what)
{
	call_end(k);
	return reply_code(r, 400, "Request_BadRequest", what);
}

/* POST .../password {username, password} */
int http_signin_password(struct http_req *r)
{
	struct call k;
	int ret;
	if (!call_begin(r, &k, true, &ret))
		return ret;
	bool bad = false;
	const char *upn = field(k.body, "username", &bad);
	const char *pw = field(k.body, "password", &bad);
	if (bad || !upn || !pw || !*upn || !*pw)
		return bad_field(r, &k, "Enter your user name and password.");
	struct svc_flow_result res;
	struct svc_flow_state st;
	int e = svc_flow_password(&k.c->flow, &k.t, k.token, upn, pw, strlen(pw), &k.rq, &res, &st);
	return finish(r, &k, e, &res, &st);
}

/* POST .../send {method: "sms"|"voice"|"email"} */
int http_signin_send(struct http_req *r)
{
	struct call k;
	int ret;
	if (!call_begin(r, &k, true, &ret))
		return ret;
	bool bad = false;
	unsigned kind = method_parse(field(k.body, "method", &bad));
	if (bad || !kind)
		return bad_field(r, &k, "method must be sms, voice or email.");
	struct svc_flow_result res;
	struct svc_flow_state st;
	int e = svc_flow_send(&k.c->flow, &k.t, k.token, kind, &k.rq, &res, &st);
	return finish(r, &k, e, &res, &st);
}

/* POST .../verify {method, code, remember} */
int http_signin_verify(struct http_req *r)
{
	struct call k;
	int ret;
	if (!call_begin(r, &k, true, &ret))
		return ret;
	bool bad = false;
	unsigned kind = method_parse(field(k.body, "method", &bad));
	const char *code = field(k.body, "code", &bad);
	if (bad || !kind || !code || !*code || strlen(code) > 64)
		return bad_field(r, &k, "Enter the code (method and code are required).");
	struct svc_flow_result res;
	struct svc_flow_state st;
	int e = svc_flow_verify(&k.c->flow, &k.t, k.token, kind, code, flag(k.body, "remember"),
	                        &k.rq, &res, &st);
	return finish(r, &k, e, &res, &st);
}

/* POST .../register/app {} -> the enrollment (secret, URI, QR) once */
int http_signin_register_app(struct http_req *r)
{
	struct call k;
	int ret;
	if (!call_begin(r, &k, true, &ret))
		return ret;
	struct svc_totp_enrollment enr;
	memset(&enr, 0, sizeof enr);
	struct svc_flow_state st;
	int e = svc_flow_register_app(&k.c->flow, &k.t, k.token, &k.rq, &enr, &st);
	if (e) {
		ret = reply_step_err(r, k.c, e, 0, 0);
		call_end(&k);
		return ret;
	}
	json_t *j = state_json(r, &st, k.csrf, NULL);
	char *qr = NULL;
	if (j && enr.svg) {
		size_t n = strlen(enr.svg), out_len = 0;
		size_t size = 4 * ((n + 2) / 3) + 1;
		char *b = xmalloc(size);
		if (b64_encode((const uint8_t *)enr.svg, n, b, size, &out_len) == TG_OK)
			qr = xasprintf("data:image/svg+xml;base64,%s", b);
		tg_secret_free(b, size);
	}
	if (j)
		json_object_set_new(j, "enrollment", json_pack("{s:s,s:s,s:s?,s:i,s:i}",
		                    "secret", enr.secret_b32, "uri", enr.uri ? enr.uri : "", "qr", qr,
		                    "digits", (int)enr.params.digits, "period", (int)enr.params.period));
	if (qr)
		tg_secret_free(qr, strlen(qr) + 1);
	svc_totp_enrollment_cleanup(&enr);
	/* the answer carries the seed: no-store is set for every JSON answer */
	ret = reply_state(r, j, NULL, NULL, 0);
	call_end(&k);
	return ret;
}

/* A registration step that takes one code: {code} -> step. */
typedef int (*code_step_fn)(struct svc_flow *f, const struct tg_tenant *t, const char *token,
                            const char *code, const struct svc_flow_req *rq,
                            struct svc_flow_result *res, struct svc_flow_state *out);

static int register_code(struct http_req *r, code_step_fn step, const char *missing)
{
	struct call k;
	int ret;
	if (!call_begin(r, &k, true, &ret))
		return ret;
	bool bad = false;
	const char *code = field(k.body, "code", &bad);
	if (bad || !code || !*code || strlen(code) > 64)
		return bad_field(r, &k, missing);
	struct svc_flow_result res;
	struct svc_flow_state st;
	int e = step(&k.c->flow, &k.t, k.token, code, &k.rq, &res, &st);
	return finish(r, &k, e, &res, &st);
}

/* POST .../register/activate {code}: the new authenticator app's code */
int http_signin_register_activate(struct http_req *r)
{
	return register_code(r, svc_flow_register_activate,
	                     "Enter the code from your authenticator app.");
}

/* POST .../register/contact {method: sms|voice|email, value} */
int http_signin_register_contact(struct http_req *r)
{
	struct call k;
	int ret;
	if (!call_begin(r, &k, true, &ret))
		return ret;
	bool bad = false;
	unsigned kind = method_parse(field(k.body, "method", &bad));
	const char *value = field(k.body, "value", &bad);
	if (bad || !kind || !value || !*value || strlen(value) > TG_MAX_EMAIL)
		return bad_field(r, &k, "Enter a phone number or an email address.");
	struct svc_flow_result res;
	struct svc_flow_state st;
	int e = svc_flow_register_contact(&k.c->flow, &k.t, k.token, kind, value, &k.rq, &res, &st);
	return finish(r, &k, e, &res, &st);
}

/* POST .../register/confirm {code}: the code sent to the new phone or email */
int http_signin_register_confirm(struct http_req *r)
{
	return register_code(r, svc_flow_register_confirm, "Enter the code we sent you.");
}

/* POST .../skip {} */
int http_signin_skip(struct http_req *r)
{
	struct call k;
	int ret;
	if (!call_begin(r, &k, true, &ret))
		return ret;
	struct svc_flow_result res;
	struct svc_flow_state st;
	int e = svc_flow_skip(&k.c->flow, &k.t, k.token, &k.rq, &res, &st);
	return finish(r, &k, e, &res, &st);
}

/* POST .../change-password {current, new} */
int http_signin_change_password(struct http_req *r)
{
	struct call k;
	int ret;
	if (!call_begin(r, &k, true, &ret))
		return ret;
	bool bad = false;
	const char *cur = field(k.body, "current", &bad);
	const char *next = field(k.body, "new", &bad);
	if (bad || !cur || !next || !*cur || !*next)
		return bad_field(r, &k, "Enter your current password and a new one.");
	struct svc_flow_result res;
	struct svc_flow_state st;
	int e = svc_flow_change_password(&k.c->flow, &k.t, k.token, cur, strlen(cur), next,
	                                 strlen(next), &k.rq, &res, &st);
	return finish(r, &k, e, &res, &st);
}

/* ---- legacy clients: /{tenant}/legacy/basic ------------------------------- */

static const struct {
	const char *header;            /* X-Tollgate-Protocol value (case-insensitive) */
	const char *client_app;        /* clientAppUsed */
	enum decision_client client;
} protocols[] = {
	{"EAS", "Exchange ActiveSync", DECISION_CLIENT_EXCHANGE_ACTIVESYNC},
	{"ActiveSync", "Exchange ActiveSync", DECISION_CLIENT_EXCHANGE_ACTIVESYNC},
	{"IMAP", "IMAP", DECISION_CLIENT_OTHER},
	{"POP", "POP", DECISION_CLIENT_OTHER},
	{"SMTP", "SMTP", DECISION_CLIENT_OTHER},
	{"MAPI", "MAPI", DECISION_CLIENT_OTHER},
	{"EWS", "Exchange Web Services", DECISION_CLIENT_OTHER},
	{"RADIUS", "RADIUS", DECISION_CLIENT_OTHER},
	{"Other", "Other clients", DECISION_CLIENT_OTHER},
};

static int reply_basic_challenge(struct http_req *r, const char *code, const char *msg)
{
	size_t len;
	struct MHD_Response *resp = http_error_response(r, 401, code, msg, &len);
	if (resp && MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE,
	                                    "Basic realm=\"Tollgate\", charset=\"UTF-8\"") != MHD_YES) {
		MHD_destroy_response(resp);
		resp = NULL;
	}
	return http_reply_queue(r, 401, resp, len);
}

/* GET or POST with Authorization: Basic. 200 = allow (nginx auth_request);
 * 401 = bad credentials (with a Basic challenge); 403 = refused by policy;
 * 429 = locked. The body says why, with the AADSTS number. */
int http_legacy_basic(struct http_req *r)
{
	struct http_ctx *c;
	struct tg_tenant t;
	int e = http_ctx_get(r, &c);
	if (!e)
		e = http_app_tenant(r, c, &t);
	if (e)
		return e;
	const char *proto = http_req_header(r, "X-Tollgate-Protocol");
	const char *client_app = "Other clients";
	enum decision_client client = DECISION_CLIENT_OTHER;
	if (proto) {
		size_t i = 0;
		while (i < TG_ARRAY_LEN(protocols) && strcasecmp(proto, protocols[i].header) != 0)
			i++;
		if (i == TG_ARRAY_LEN(protocols))
			return reply_code(r, 400, "Request_BadRequest",
			                  "X-Tollgate-Protocol must be one of EAS, IMAP, POP, SMTP, MAPI, EWS, "
			                  "RADIUS, Other.");
		client_app = protocols[i].client_app;
		client = protocols[i].client;
	}
	const char *auth = http_req_header(r, "Authorization");
	if (!auth || strncasecmp(auth, "Basic ", 6) != 0)
		return reply_basic_challenge(r, "AADSTS50126", "HTTP Basic credentials are required.");
	const char *b = auth + 6;
	while (*b == ' ')
		b++;
	size_t blen = strlen(b);
	size_t cap = blen / 4 * 3 + 4;
	if (blen > 4 * (TG_MAX_UPN + TG_MAX_PASSWORD_BYTES) / 3 + 8)
		return reply_basic_challenge(r, "AADSTS50126", "The credentials are too long.");
	uint8_t *raw = xmalloc(cap + 1);
	size_t n = 0;
	if (b64_decode(b, blen, raw, cap, &n) != TG_OK || !memchr(raw, ':', n) || memchr(raw, '\0', n)) {
		tg_secret_free(raw, cap + 1);
		return reply_basic_challenge(r, "AADSTS50126", "The Basic credentials are malformed.");
	}
	raw[n] = '\0';
	char *colon = strchr((char *)raw, ':');
	*colon = '\0';
	const char *user = (const char *)raw;
	const char *secret = colon + 1;
	size_t secret_len = n - (size_t)(colon + 1 - (char *)raw);

	char ip[CIDR_STRLEN];
	http_client_ip(r, ip, NULL);
	struct svc_flow_req rq = {.ip = ip, .user_agent = http_req_header(r, "User-Agent"),
	                          .request_id = r->request_id};
	struct svc_flow_verdict v;
	e = svc_flow_legacy(&c->flow, &t, user, secret, secret_len, client,
	                    strcmp(client_app, "Other clients") ? client_app : NULL, &rq, &v);
	tg_secret_free(raw, cap + 1);
	if (e)
		return http_reply_err(r, e, c->sv.err);
	if (v.kind == SVC_FLOW_ALLOW) {
		json_t *j = json_pack("{s:b,s:s,s:s,s:s,s:s}", "allow", 1, "userPrincipalName", v.upn,
		                      "clientAppUsed", client_app, "signInId", v.signin_id,
		                      "requestId", r->request_id);
		size_t len;
		struct MHD_Response *resp = j ? http_json_response(j, &len) : NULL;
		json_decref(j);
		if (resp && MHD_add_response_header(resp, "X-Tollgate-User", v.upn) != MHD_YES) {
			MHD_destroy_response(resp);
			resp = NULL;
		}
		return http_reply_queue(r, 200, resp, len);
	}
	char code[32];
	snprintf(code, sizeof code, "AADSTS%d", v.error_code);
	if (v.error_code == 50126)
		return reply_basic_challenge(r, code, v.reason);
	return reply_code(r, v.error_code == 50053 ? 429 : 403, code, v.reason);
}
