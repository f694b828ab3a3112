/* SPDX-License-Identifier: MIT
 * OpenID Connect provider rules that need no I/O: OAuth error names, the
 * authorization request's parameters and their checks (OIDC Core §3.1.2,
 * RFC 6749 §4.1, RFC 7636), grant types, scopes, acr/amr values, the
 * issuer URL, Bearer credentials and redirect URLs with their parameters.
 * The endpoints (src/http/http_oidc*.c) call these; the tokens' JSON is
 * json/oidc_json.h. Pure: no clock (times are parameters), no allocation
 * beyond the caller's tg_buf. Design: docs/internals/oidc.md. */
#ifndef TG_CORE_OIDC_H
#define TG_CORE_OIDC_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/str.h"
#include "core/form.h"

/* Lifetimes (seconds). ID and access tokens: one hour (issue 5). */
#define OIDC_TOKEN_TTL 3600

/* acr values (docs/internals/oidc.md): what a token says about the
 * authentication, and what acr_values may ask for. */
#define OIDC_ACR_PWD "pwd"   /* one factor (or MFA skipped: trusted IP, remembered device) */
#define OIDC_ACR_MFA "mfa"   /* a second factor verified in this authentication */

/* OAuth 2.0 / OpenID Connect error codes (RFC 6749 §4.1.2.1 and §5.2,
 * RFC 6750 §3.1, RFC 7009 §2.2.1, OIDC Core §3.1.2.6). */
enum oidc_error {
	OIDC_ERR_NONE = 0,
	OIDC_ERR_INVALID_REQUEST,
	OIDC_ERR_INVALID_CLIENT,
	OIDC_ERR_INVALID_GRANT,
	OIDC_ERR_UNAUTHORIZED_CLIENT,
	OIDC_ERR_UNSUPPORTED_GRANT_TYPE,
	OIDC_ERR_INVALID_SCOPE,
	OIDC_ERR_UNSUPPORTED_RESPONSE_TYPE,
	OIDC_ERR_ACCESS_DENIED,
	OIDC_ERR_SERVER_ERROR,
	OIDC_ERR_TEMPORARILY_UNAVAILABLE,
	OIDC_ERR_LOGIN_REQUIRED,
	OIDC_ERR_INTERACTION_REQUIRED,
	OIDC_ERR_REQUEST_NOT_SUPPORTED,
	OIDC_ERR_REQUEST_URI_NOT_SUPPORTED,
	OIDC_ERR_REGISTRATION_NOT_SUPPORTED,
	OIDC_ERR_INVALID_TOKEN,
	OIDC_ERR_UNSUPPORTED_TOKEN_TYPE,
};
/* "invalid_request", ...; NULL for OIDC_ERR_NONE or an unknown value. */
const char *oidc_error_name(enum oidc_error e);

/* An error to answer: the code and a static, client-safe description. */
struct oidc_fault {
	enum oidc_error error;
	const char *description;
};

/* prompt values (OIDC Core §3.1.2.1), as bits. */
enum oidc_prompt {
	OIDC_PROMPT_NONE = 1u << 0,
	OIDC_PROMPT_LOGIN = 1u << 1,
	OIDC_PROMPT_CONSENT = 1u << 2,          /* accepted; apps are admin-registered: no consent page */
	OIDC_PROMPT_SELECT_ACCOUNT = 1u << 3,   /* accepted; treated like login */
};

/* An authorization request. String members point into the form it was
 * parsed from (NULL = absent). */
struct oidc_authz_req {
	const char *client_id;
	const char *redirect_uri;
	const char *response_type;
	const char *response_mode;
	const char *scope;
	const char *state;
	const char *nonce;
	const char *code_challenge;
	const char *code_challenge_method;
	const char *acr_values;
	const char *prompt_text;
	const char *max_age_text;
	bool has_request;         /* "request" (a request object): not supported */
	bool has_request_uri;     /* "request_uri": not supported */
	bool has_registration;    /* "registration": not supported */
	/* set by oidc_authz_check */
	unsigned prompt;          /* OIDC_PROMPT_* */
	int64_t max_age;          /* seconds; -1 = not given */
	bool step_up_mfa;         /* acr_values asks for "mfa" (or an alias) */
};

/* Step 1 of /authorize: read the parameters of f into *out (pointers
 * into f). client_id and redirect_uri must be present and well formed;
 * a fault here is shown to the user on an error page and NEVER sent to
 * the redirect URI (RFC 6749 §4.1.2.1: the URI is not trusted yet).
 * TG_OK or TG_ERR_INVALID with *fault. */
int oidc_authz_parse(const struct form *f, struct oidc_authz_req *out, struct oidc_fault *fault)
	__attribute__((warn_unused_result));

/* Step 2, once the client and its exact redirect URI are known: every
 * other rule. response_type "code" only; response_mode absent or "query";
 * scope valid and containing "openid"; state and nonce within their
 * limits; prompt values known, "none" alone; max_age a non-negative
 * integer; PKCE: a challenge with method S256 (43 base64url characters),
 * required when is_public; no "request", "request_uri" or "registration".
 * TG_OK or TG_ERR_INVALID with *fault (to send to the redirect URI with
 * the state). Fills out->prompt, max_age and step_up_mfa. */
int oidc_authz_check(struct oidc_authz_req *req, bool is_public, struct oidc_fault *fault)
	__attribute__((warn_unused_result));

/* true when an earlier authentication at auth_time is too old for
 * max_age at now (OIDC Core §3.1.2.1); false when max_age is -1. */
bool oidc_max_age_exceeded(int64_t auth_time, int64_t max_age, int64_t now);

/* Grant types of the token endpoint. */
enum oidc_grant {
	OIDC_GRANT_AUTHORIZATION_CODE = 1,
	OIDC_GRANT_REFRESH_TOKEN,
	OIDC_GRANT_CLIENT_CREDENTIALS,
};
/* TG_OK, or TG_ERR_UNSUPPORTED (unsupported_grant_type) for anything else. */
int oidc_grant_parse(const char *s, enum oidc_grant *out) __attribute__((warn_unused_result));

/* ---- scopes (RFC 6749 §3.3) ---------------------------------------------- */

/* Scope tokens Tollgate grants to user tokens; others are dropped. */
#define OIDC_SCOPES_SUPPORTED "openid profile email offline_access"

/* true for 1*NQCHAR tokens separated by single spaces, at most
 * TG_MAX_OIDC_SCOPE bytes. */
bool oidc_scope_is_valid(const char *scope);
/* true when the space-separated list has exactly this token. */
bool oidc_scope_has(const char *scope, const char *token);
/* The granted scope: the requested tokens that are supported, in
 * OIDC_SCOPES_SUPPORTED's order, into out (size bytes). */
void oidc_scope_grant(const char *requested, char *out, size_t size);

/* ---- amr and acr ------------------------------------------------------------ */

/* The acr of an authentication whose amr values (space separated) are
 * amr: OIDC_ACR_MFA when they contain "mfa", else OIDC_ACR_PWD. */
const char *oidc_acr_of_amr(const char *amr);
/* true when an acr_values list asks for MFA: "mfa",
 * "possessionorinherence" or "http://schemas.microsoft.com/claims/multipleauthn". */
bool oidc_acr_values_want_mfa(const char *acr_values);

/* ---- URLs ------------------------------------------------------------------- */

/* The base URL of issuers and endpoints: public_url (configured, without
 * a trailing '/') when given, else "http://" + the Host header when that
 * names a loopback host (127.0.0.1, [::1], localhost) with an optional
 * port — the development setting. Anything else is TG_ERR_INVALID: a
 * server reachable from elsewhere must be told its public_url, since a
 * Host header is the client's to choose. out: size bytes. */
int oidc_base_url(const char *public_url, const char *host, char *out, size_t size)
	__attribute__((warn_unused_result));
/* The issuer of a tenant: base + "/" + tenant name + "/v2.0" (Entra's
 * v2.0 shape). TG_ERR_TOO_LARGE when it does not fit. */
int oidc_issuer(const char *base, const char *tenant_name, char *out, size_t size)
	__attribute__((warn_unused_result));

/* Append "name=value" to url (a tg_buf holding a URL), with '?' when the
 * URL has no query yet and '&' otherwise, value percent-encoded (every
 * byte but ALPHA / DIGIT / "-._~"). TG_OK or the tg_buf's TG_ERR_TOO_LARGE. */
int oidc_url_add_param(struct tg_buf *url, const char *name, const char *value)
	__attribute__((warn_unused_result));

/* The token of an "Authorization: Bearer TOKEN" header (RFC 6750 §2.1;
 * the scheme case-insensitive, one space, token68 characters). TG_OK with
 * *token_out pointing into header; TG_ERR_INVALID otherwise (NULL too). */
int oidc_bearer_parse(const char *header, const char **token_out)
	__attribute__((warn_unused_result));

#endif
