/* SPDX-License-Identifier: MIT
 * OpenID Connect request rules (see oidc.h). Sections: errors, the
 * authorization request, grants, scopes, acr, URLs. */
#include <string.h>
#include "base/err.h"
#include "base/limits.h"
#include "base/str.h"
#include "core/oidc.h"
#include "core/redirect_uri.h"

/* ---- errors ---------------------------------------------------------------- */

static const char *const error_names[] = {
	[OIDC_ERR_INVALID_REQUEST] = "invalid_request",
	[OIDC_ERR_INVALID_CLIENT] = "invalid_client",
	[OIDC_ERR_INVALID_GRANT] = "invalid_grant",
	[OIDC_ERR_UNAUTHORIZED_CLIENT] = "unauthorized_client",
	[OIDC_ERR_UNSUPPORTED_GRANT_TYPE] = "unsupported_grant_type",
	[OIDC_ERR_INVALID_SCOPE] = "invalid_scope",
	[OIDC_ERR_UNSUPPORTED_RESPONSE_TYPE] = "unsupported_response_type",
	[OIDC_ERR_ACCESS_DENIED] = "access_denied",
	[OIDC_ERR_SERVER_ERROR] = "server_error",
	[OIDC_ERR_TEMPORARILY_UNAVAILABLE] = "temporarily_unavailable",
	[OIDC_ERR_LOGIN_REQUIRED] = "login_required",
	[OIDC_ERR_INTERACTION_REQUIRED] = "interaction_required",
	[OIDC_ERR_REQUEST_NOT_SUPPORTED] = "request_not_supported",
	[OIDC_ERR_REQUEST_URI_NOT_SUPPORTED] = "request_uri_not_supported",
	[OIDC_ERR_REGISTRATION_NOT_SUPPORTED] = "registration_not_supported",
	[OIDC_ERR_INVALID_TOKEN] = "invalid_token",
	[OIDC_ERR_UNSUPPORTED_TOKEN_TYPE] = "unsupported_token_type",
};

const char *oidc_error_name(enum oidc_error e)
{
	if ((unsigned)e >= sizeof error_names / sizeof error_names[0])
		return NULL;
	return error_names[e];
}

static int fault(struct oidc_fault *f, enum oidc_error e, const char *description)
{
	f->error = e;
	f->description = description;
	return TG_ERR_INVALID;
}

/* ---- the authorization request ---------------------------------------------- */

/* Printable ASCII only (RFC 6749 Appendix A: state, nonce, code_challenge
 * are VSCHAR / NQCHAR-like), at most max bytes. */
static bool is_vschar_text(const char *s, size_t max)
{
	size_t n = 0;
	for (; s[n]; n++)
		if (n >= max || (unsigned char)s[n] < 0x20 || (unsigned char)s[n] > 0x7e)
			return false;
	return true;
}

int oidc_authz_parse(const struct form *f, struct oidc_authz_req *out, struct oidc_fault *flt)
{
	memset(out, 0, sizeof *out);
	flt->error = OIDC_ERR_NONE;
	flt->description = NULL;
	out->max_age = -1;
	out->client_id = form_get(f, "client_id");
	out->redirect_uri = form_get(f, "redirect_uri");
	if (!out->client_id)
		return fault(flt, OIDC_ERR_INVALID_REQUEST, "The client_id parameter is missing.");
	if (strlen(out->client_id) > TG_MAX_ID || !is_vschar_text(out->client_id, TG_MAX_ID))
		return fault(flt, OIDC_ERR_INVALID_CLIENT, "The client_id is not valid.");
	/* OIDC Core §3.1.2.1: redirect_uri is REQUIRED (RFC 6749 would let a
	 * client with one URI omit it; OpenID Connect does not). */
	if (!out->redirect_uri)
		return fault(flt, OIDC_ERR_INVALID_REQUEST, "The redirect_uri parameter is missing.");
	if (strlen(out->redirect_uri) > TG_MAX_REDIRECT_URI)
		return fault(flt, OIDC_ERR_INVALID_REQUEST, "The redirect_uri is too long.");
	out->response_type = form_get(f, "response_type");
	out->response_mode = form_get(f, "response_mode");
	out->scope = form_get(f, "scope");
	out->state = form_get(f, "state");
	out->nonce = form_get(f, "nonce");
	out->code_challenge = form_get(f, "code_challenge");
	out->code_challenge_method = form_get(f, "code_challenge_method");
	out->acr_values = form_get(f, "acr_values");
	out->prompt_text = form_get(f, "prompt");
	out->max_age_text = form_get(f, "max_age");
	out->has_request = form_get(f, "request") != NULL;
	out->has_request_uri = form_get(f, "request_uri") != NULL;
	out->has_registration = form_get(f, "registration") != NULL;
	return TG_OK;
}

/* Call fn on each space-separated token of list; stops at a false. */
static bool each_token(const char *list, bool (*fn)(const char *tok, size_t n, void *arg),
                       void *arg)
{
	for (const char *p = list; *p; ) {
		while (*p == ' ')
			p++;
		size_t n = strcspn(p, " ");
		if (n && !fn(p, n, arg))
			return false;
		p += n;
	}
	return true;
}

static bool tok_is(const char *tok, size_t n, const char *want)
{
	return strlen(want) == n && memcmp(tok, want, n) == 0;
}

static bool add_prompt(const char *tok, size_t n, void *arg)
{
	unsigned *bits = arg;
	if (tok_is(tok, n, "none"))
		*bits |= OIDC_PROMPT_NONE;
	else if (tok_is(tok, n, "login"))
		*bits |= OIDC_PROMPT_LOGIN;
	else if (tok_is(tok, n, "consent"))
		*bits |= OIDC_PROMPT_CONSENT;
	else if (tok_is(tok, n, "select_account"))
		*bits |= OIDC_PROMPT_SELECT_ACCOUNT;
	else
		return false;
	return true;
}

static bool is_b64url_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_';
}

int oidc_authz_check(struct oidc_authz_req *req, bool is_public, struct oidc_fault *flt)
{
	flt->error = OIDC_ERR_NONE;
	flt->description = NULL;
	req->prompt = 0;
	req->max_age = -1;
	req->step_up_mfa = false;
	if (req->has_request)
		return fault(flt, OIDC_ERR_REQUEST_NOT_SUPPORTED,
		             "Request objects are not supported.");
	if (req->has_request_uri)
		return fault(flt, OIDC_ERR_REQUEST_URI_NOT_SUPPORTED,
		             "The request_uri parameter is not supported.");
	if (req->has_registration)
		return fault(flt, OIDC_ERR_REGISTRATION_NOT_SUPPORTED,
		             "The registration parameter is not supported.");
	if (!req->response_type)
		return fault(flt, OIDC_ERR_INVALID_REQUEST, "The response_type parameter is missing.");
	if (strcmp(req->response_type, "code") != 0)
		return fault(flt, OIDC_ERR_UNSUPPORTED_RESPONSE_TYPE,
		             "Only the authorization code flow (response_type=code) is supported.");
	if (req->response_mode && strcmp(req->response_mode, "query") != 0)
		return fault(flt, OIDC_ERR_INVALID_REQUEST,
		             "Only response_mode=query is supported.");
	if (!req->scope || !oidc_scope_is_valid(req->scope))
		return fault(flt, OIDC_ERR_INVALID_SCOPE, "The scope parameter is missing or malformed.");
	if (!oidc_scope_has(req->scope, "openid"))
		return fault(flt, OIDC_ERR_INVALID_SCOPE, "The scope must contain openid.");
	if (req->state && !is_vschar_text(req->state, TG_MAX_OIDC_STATE))
		return fault(flt, OIDC_ERR_INVALID_REQUEST, "The state is too long or not printable ASCII.");
	if (req->nonce && !is_vschar_text(req->nonce, TG_MAX_OIDC_NONCE))
		return fault(flt, OIDC_ERR_INVALID_REQUEST, "The nonce is too long or not printable ASCII.");
	if (req->prompt_text) {
		if (!each_token(req->prompt_text, add_prompt, &req->prompt) || !req->prompt)
			return fault(flt, OIDC_ERR_INVALID_REQUEST, "The prompt parameter has an unknown value.");
		if ((req->prompt & OIDC_PROMPT_NONE) && req->prompt != OIDC_PROMPT_NONE)
			return fault(flt, OIDC_ERR_INVALID_REQUEST,
			             "prompt=none cannot be combined with other values.");
	}
	if (req->max_age_text &&
	    tg_parse_i64(req->max_age_text, 0, INT32_MAX, &req->max_age) != TG_OK)
		return fault(flt, OIDC_ERR_INVALID_REQUEST, "The max_age parameter is not a number of seconds.");
	if (req->acr_values) {
		if (!is_vschar_text(req->acr_values, TG_MAX_OIDC_SCOPE))
			return fault(flt, OIDC_ERR_INVALID_REQUEST, "The acr_values parameter is malformed.");
		req->step_up_mfa = oidc_acr_values_want_mfa(req->acr_values);
	}
	/* PKCE (RFC 7636 §4.3, §4.4.1): S256 only; "plain" and an absent
	 * method (which means plain) are refused. */
	if (req->code_challenge_method && !req->code_challenge)
		return fault(flt, OIDC_ERR_INVALID_REQUEST,
		             "code_challenge_method was given without a code_challenge.");
	if (req->code_challenge) {
		if (!req->code_challenge_method || strcmp(req->code_challenge_method, "S256") != 0)
			return fault(flt, OIDC_ERR_INVALID_REQUEST,
			             "Only the S256 code_challenge_method is supported.");
		size_t n = strlen(req->code_challenge);
		bool ok = n == 43;
		for (size_t i = 0; ok && i < n; i++)
			ok = is_b64url_char(req->code_challenge[i]);
		if (!ok)
			return fault(flt, OIDC_ERR_INVALID_REQUEST,
			             "The code_challenge must be 43 base64url characters (S256).");
	} else if (is_public) {
		return fault(flt, OIDC_ERR_INVALID_REQUEST,
		             "A public client must use PKCE (code_challenge with S256).");
	}
	return TG_OK;
}

bool oidc_max_age_exceeded(int64_t auth_time, int64_t max_age, int64_t now)
{
	if (max_age < 0)
		return false;
	return auth_time <= 0 || now - auth_time > max_age;
}

/* ---- grants --------------------------------------------------------------------- */

int oidc_grant_parse(const char *s, enum oidc_grant *out)
{
	static const struct {
		const char *name;
		enum oidc_grant g;
	} grants[] = {
		{"authorization_code", OIDC_GRANT_AUTHORIZATION_CODE},
		{"client_credentials", OIDC_GRANT_CLIENT_CREDENTIALS},
		{"refresh_token", OIDC_GRANT_REFRESH_TOKEN},
	};
	for (size_t i = 0; s && i < sizeof grants / sizeof grants[0]; i++)
		if (strcmp(s, grants[i].name) == 0) {
			*out = grants[i].g;
			return TG_OK;
		}
	return TG_ERR_UNSUPPORTED;
}

/* ---- scopes ------------------------------------------------------------------------ */

/* NQCHAR = %x21 / %x23-5B / %x5D-7E */
static bool is_nqchar(unsigned char c)
{
	return c == 0x21 || (c >= 0x23 && c <= 0x5b) || (c >= 0x5d && c <= 0x7e);
}

bool oidc_scope_is_valid(const char *scope)
{
	size_t n = strlen(scope);
	if (n == 0 || n > TG_MAX_OIDC_SCOPE || scope[0] == ' ' || scope[n - 1] == ' ')
		return false;
	for (size_t i = 0; i < n; i++) {
		if (scope[i] == ' ') {
			if (scope[i + 1] == ' ')
				return false;
		} else if (!is_nqchar((unsigned char)scope[i])) {
			return false;
		}
	}
	return true;
}

struct find {
	const char *want;
	bool found;
};

static bool find_token(const char *tok, size_t n, void *arg)
{
	struct find *f = arg;
	if (tok_is(tok, n, f->want)) {
		f->found = true;
		return false;
	}
	return true;
}

bool oidc_scope_has(const char *scope, const char *token)
{
	struct find f = {token, false};
	if (scope)
		each_token(scope, find_token, &f);
	return f.found;
}

struct grant {
	const char *requested;
	char *out;
	size_t size, len;
};

static bool grant_token(const char *tok, size_t n, void *arg)
{
	struct grant *g = arg;
	char name[32];
	if (n >= sizeof name)
		return true;
	memcpy(name, tok, n);
	name[n] = '\0';
	if (!oidc_scope_has(g->requested, name) || g->len + n + 2 > g->size)
		return true;
	if (g->len)
		g->out[g->len++] = ' ';
	memcpy(g->out + g->len, tok, n);
	g->len += n;
	g->out[g->len] = '\0';
	return true;
}

void oidc_scope_grant(const char *requested, char *out, size_t size)
{
	struct grant g = {requested, out, size, 0};
	if (size)
		out[0] = '\0';
	if (requested)
		each_token(OIDC_SCOPES_SUPPORTED, grant_token, &g);
}

/* ---- acr ------------------------------------------------------------------------------ */

const char *oidc_acr_of_amr(const char *amr)
{
	return oidc_scope_has(amr, "mfa") ? OIDC_ACR_MFA : OIDC_ACR_PWD;
}

static bool acr_wants_mfa(const char *tok, size_t n, void *arg)
{
	bool *want = arg;
	if (tok_is(tok, n, OIDC_ACR_MFA) || tok_is(tok, n, "possessionorinherence") ||
	    tok_is(tok, n, "http://schemas.microsoft.com/claims/multipleauthn")) {
		*want = true;
		return false;
	}
	return true;
}

bool oidc_acr_values_want_mfa(const char *acr_values)
{
	bool want = false;
	if (acr_values)
		each_token(acr_values, acr_wants_mfa, &want);
	return want;
}

/* ---- URLs -------------------------------------------------------------------------------- */

int oidc_base_url(const char *public_url, const char *host, char *out, size_t size)
{
	if (size)
		out[0] = '\0';
	if (public_url && public_url[0]) {
		size_t n = strlen(public_url);
		while (n && public_url[n - 1] == '/')
			n--;
		if (n == 0 || n >= size)
			return TG_ERR_INVALID;
		memcpy(out, public_url, n);
		out[n] = '\0';
		return TG_OK;
	}
	if (!host || !host[0])
		return TG_ERR_INVALID;
	/* host [":" port]; an IPv6 literal is bracketed */
	size_t n = strlen(host), hl;
	if (host[0] == '[') {
		const char *close = strchr(host, ']');
		if (!close)
			return TG_ERR_INVALID;
		hl = (size_t)(close - host) + 1;
	} else {
		hl = strcspn(host, ":");
	}
	if (!redirect_uri_is_loopback_host(host, hl))
		return TG_ERR_INVALID;
	if (hl < n) {
		if (host[hl] != ':' || n - hl < 2 || n - hl > 6)
			return TG_ERR_INVALID;
		for (size_t i = hl + 1; i < n; i++)
			if (host[i] < '0' || host[i] > '9')
				return TG_ERR_INVALID;
	}
	if (7 + n >= size)
		return TG_ERR_INVALID;
	memcpy(out, "http://", 7);
	memcpy(out + 7, host, n);
	out[7 + n] = '\0';
	return TG_OK;
}

int oidc_issuer(const char *base, const char *tenant_name, char *out, size_t size)
{
	size_t bl = strlen(base), tl = strlen(tenant_name);
	if (bl + 1 + tl + 5 >= size) {
		if (size)
			out[0] = '\0';
		return TG_ERR_TOO_LARGE;
	}
	memcpy(out, base, bl);
	out[bl] = '/';
	memcpy(out + bl + 1, tenant_name, tl);
	memcpy(out + bl + 1 + tl, "/v2.0", 6);
	return TG_OK;
}

static bool is_unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '.' || c == '_' || c == '~';
}

int oidc_url_add_param(struct tg_buf *url, const char *name, const char *value)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t before = url->len;
	bool has_query = url->data && memchr(url->data, '?', url->len);
	int r = tg_buf_appendf(url, "%c%s=", has_query ? '&' : '?', name);
	for (const unsigned char *p = (const unsigned char *)value; !r && *p; p++) {
		char enc[3] = {(char)*p, 0, 0};
		size_t n = 1;
		if (!is_unreserved(*p)) {
			enc[0] = '%';
			enc[1] = hex[*p >> 4];
			enc[2] = hex[*p & 15];
			n = 3;
		}
		r = tg_buf_append(url, enc, n);
	}
	if (r && url->data) {
		url->len = before;
		url->data[before] = '\0';
	}
	return r;
}

/* token68 = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=" */
int oidc_bearer_parse(const char *header, const char **token_out)
{
	*token_out = NULL;
	if (!header || !tg_startswith_ci(header, "Bearer "))
		return TG_ERR_INVALID;
	const char *t = header + 7;
	size_t n = 0;
	while (t[n] && (is_unreserved((unsigned char)t[n]) || t[n] == '+' || t[n] == '/'))
		n++;
	size_t body = n;
	while (t[n] == '=')
		n++;
	if (body == 0 || t[n] != '\0')
		return TG_ERR_INVALID;
	*token_out = t;
	return TG_OK;
}
