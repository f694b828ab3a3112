/* SPDX-License-Identifier: MIT
 * OpenID Connect request rules (core/oidc.h) and form parameters
 * (core/form.h): parsing and checking authorization requests (a table of
 * bad requests, each with the error it must give), prompt/max_age/acr,
 * scopes, grant types, the issuer URL from public_url or a loopback Host,
 * redirect URL parameters, Bearer headers; form bodies with repeated,
 * empty, malformed and oversized parameters. */
#include <string.h>
#include "harness.h"
#include "base/err.h"
#include "base/str.h"
#include "core/form.h"
#include "core/oidc.h"

#define CHALLENGE "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
#define GOOD "client_id=7011a770-0000-4000-8000-000000000001&redirect_uri=https%3A%2F%2Fa.test%2Fcb" \
	"&response_type=code&scope=openid+profile&state=s%201&nonce=n1" \
	"&code_challenge=" CHALLENGE "&code_challenge_method=S256"

/* ---- form ---------------------------------------------------------------- */

static void form_parses_and_decodes(void)
{
	struct form f;
	form_init(&f);
	const char *body = "a=1&b=x+y%21&&c=&d&e=%C3%A5";
	CHECK_OK(form_parse(body, strlen(body), &f));
	CHECK_STR(form_get(&f, "a"), "1");
	CHECK_STR(form_get(&f, "b"), "x y!");
	CHECK(form_get(&f, "c") == NULL);          /* empty = omitted (RFC 6749 §3.1) */
	CHECK(form_get(&f, "d") == NULL);
	CHECK_STR(form_get(&f, "e"), "\xc3\xa5");
	CHECK_INT(f.n, 3);
	form_cleanup(&f);
	CHECK_INT(f.n, 0);
	form_cleanup(NULL);
}

static void form_refuses_bad_input(void)
{
	static const struct {
		const char *body;
		int want;
	} cases[] = {
		{"a=1&a=2", TG_ERR_INVALID},           /* repeated (RFC 6749 §3.1) */
		{"a=%zz", TG_ERR_INVALID},             /* malformed escape */
		{"a=%4", TG_ERR_INVALID},              /* cut escape */
		{"a=%00", TG_ERR_INVALID},             /* NUL */
		{"a=%0a", TG_ERR_INVALID},             /* control character */
		{"a=%ff%fe", TG_ERR_INVALID},          /* not UTF-8 */
		{"=1", TG_ERR_INVALID},                /* no name */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct form f;
		form_init(&f);
		int r = form_parse(cases[i].body, strlen(cases[i].body), &f);
		if (r != cases[i].want)
			TG_T_FAIL("%s: got %d, want %d", cases[i].body, r, cases[i].want);
		CHECK_INT(f.n, 0);
	}
}

static void form_limits(void)
{
	struct form f;
	form_init(&f);
	struct tg_buf b;
	tg_buf_init(&b, 1 << 20);
	for (int i = 0; i <= TG_MAX_FORM_FIELDS; i++)
		CHECK_OK(tg_buf_appendf(&b, "p%d=v&", i));
	CHECK_INT(form_parse(b.data, b.len, &f), TG_ERR_TOO_LARGE);
	tg_buf_cleanup(&b);
	tg_buf_init(&b, 1 << 20);
	tg_buf_appendf(&b, "v=");
	for (int i = 0; i <= TG_MAX_FORM_VALUE; i++)
		tg_buf_append(&b, "a", 1);
	CHECK_INT(form_parse(b.data, b.len, &f), TG_ERR_TOO_LARGE);
	tg_buf_cleanup(&b);
	char name[TG_MAX_FORM_NAME + 4];
	memset(name, 'n', sizeof name - 3);
	memcpy(name + sizeof name - 3, "=1", 3);
	CHECK_INT(form_parse(name, strlen(name), &f), TG_ERR_TOO_LARGE);
	/* form_add: the same rules */
	CHECK_OK(form_add(&f, "x", "1"));
	CHECK_INT(form_add(&f, "x", "2"), TG_ERR_INVALID);
	CHECK_INT(form_add(&f, "y", "a\nb"), TG_ERR_INVALID);
	CHECK_OK(form_add(&f, "z", ""));
	CHECK_INT(f.n, 1);
	form_cleanup(&f);
}

/* ---- the authorization request ------------------------------------------ */

static int parse_check(const char *query, bool is_public, struct form *f,
                       struct oidc_authz_req *q, struct oidc_fault *flt)
{
	form_init(f);
	int r = form_parse(query, strlen(query), f);
	if (r)
		return r;
	if ((r = oidc_authz_parse(f, q, flt)))
		return r;
	return oidc_authz_check(q, is_public, flt);
}

static void authz_good_request(void)
{
	struct form f;
	struct oidc_authz_req q;
	struct oidc_fault flt;
	CHECK_OK(parse_check(GOOD "&prompt=login&max_age=600&acr_values=urn%3Ax+mfa", true, &f, &q,
	                     &flt));
	CHECK_STR(q.client_id, "7011a770-0000-4000-8000-000000000001");
	CHECK_STR(q.redirect_uri, "https://a.test/cb");
	CHECK_STR(q.state, "s 1");
	CHECK_INT(q.prompt, OIDC_PROMPT_LOGIN);
	CHECK_INT(q.max_age, 600);
	CHECK(q.step_up_mfa);
	form_cleanup(&f);
	/* a confidential client may omit PKCE; no optional parameter */
	CHECK_OK(parse_check("client_id=c&redirect_uri=https%3A%2F%2Fa.test%2Fcb&response_type=code"
	                     "&scope=openid", false, &f, &q, &flt));
	CHECK_INT(q.max_age, -1);
	CHECK_INT(q.prompt, 0);
	CHECK(!q.step_up_mfa);
	form_cleanup(&f);
}

/* Faults of step 1 (shown on a page) and step 2 (sent to the client). */
static void authz_bad_requests(void)
{
	static const struct {
		const char *extra;       /* appended to the base request */
		const char *base;        /* NULL = GOOD */
		bool is_public;
		enum oidc_error want;
	} cases[] = {
		{"", "redirect_uri=https%3A%2F%2Fa.test%2Fcb", true, OIDC_ERR_INVALID_REQUEST},
		{"", "client_id=c", true, OIDC_ERR_INVALID_REQUEST},
		{"", "client_id=%C3%A5&redirect_uri=x", true, OIDC_ERR_INVALID_CLIENT},
		{"&response_type=token", "client_id=c&redirect_uri=x&scope=openid", false,
		 OIDC_ERR_UNSUPPORTED_RESPONSE_TYPE},
		{"", "client_id=c&redirect_uri=x&scope=openid", false, OIDC_ERR_INVALID_REQUEST},
		{"&response_type=code&scope=profile", "client_id=c&redirect_uri=x", false,
		 OIDC_ERR_INVALID_SCOPE},
		{"&response_type=code&scope=openid++profile", "client_id=c&redirect_uri=x", false,
		 OIDC_ERR_INVALID_SCOPE},
		{"&response_type=code&scope=openid&response_mode=fragment", "client_id=c&redirect_uri=x",
		 false, OIDC_ERR_INVALID_REQUEST},
		{"&prompt=none+login", NULL, true, OIDC_ERR_INVALID_REQUEST},
		{"&prompt=sometimes", NULL, true, OIDC_ERR_INVALID_REQUEST},
		{"&max_age=-1", NULL, true, OIDC_ERR_INVALID_REQUEST},
		{"&max_age=1h", NULL, true, OIDC_ERR_INVALID_REQUEST},
		{"&request=eyJ", NULL, true, OIDC_ERR_REQUEST_NOT_SUPPORTED},
		{"&request_uri=https%3A%2F%2Fx", NULL, true, OIDC_ERR_REQUEST_URI_NOT_SUPPORTED},
		{"&registration=%7B%7D", NULL, true, OIDC_ERR_REGISTRATION_NOT_SUPPORTED},
		/* PKCE */
		{"&response_type=code&scope=openid", "client_id=c&redirect_uri=x", true,
		 OIDC_ERR_INVALID_REQUEST},
		{"&response_type=code&scope=openid&code_challenge=" CHALLENGE, "client_id=c&redirect_uri=x",
		 true, OIDC_ERR_INVALID_REQUEST},
		{"&response_type=code&scope=openid&code_challenge=" CHALLENGE "&code_challenge_method=plain",
		 "client_id=c&redirect_uri=x", true, OIDC_ERR_INVALID_REQUEST},
		{"&response_type=code&scope=openid&code_challenge=short&code_challenge_method=S256",
		 "client_id=c&redirect_uri=x", false, OIDC_ERR_INVALID_REQUEST},
		{"&response_type=code&scope=openid&code_challenge_method=S256",
		 "client_id=c&redirect_uri=x", false, OIDC_ERR_INVALID_REQUEST},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char query[1024];
		snprintf(query, sizeof query, "%s%s", cases[i].base ? cases[i].base : GOOD, cases[i].extra);
		struct form f;
		struct oidc_authz_req q;
		struct oidc_fault flt = {0};
		int r = parse_check(query, cases[i].is_public, &f, &q, &flt);
		if (r != TG_ERR_INVALID || flt.error != cases[i].want || !flt.description)
			TG_T_FAIL("case %zu (%s): r=%d error=%s, want %s", i, query, r,
			          oidc_error_name(flt.error) ? oidc_error_name(flt.error) : "none",
			          oidc_error_name(cases[i].want));
		form_cleanup(&f);
	}
}

static void authz_limits(void)
{
	char state[TG_MAX_OIDC_STATE + 64];
	struct tg_buf b;
	tg_buf_init(&b, 1 << 16);
	tg_buf_appendf(&b, "%s&state=", "client_id=c&redirect_uri=x&response_type=code&scope=openid");
	memset(state, 's', TG_MAX_OIDC_STATE + 1);
	state[TG_MAX_OIDC_STATE + 1] = '\0';
	tg_buf_append(&b, state, strlen(state));
	struct form f;
	struct oidc_authz_req q;
	struct oidc_fault flt;
	CHECK_INT(parse_check(b.data, false, &f, &q, &flt), TG_ERR_INVALID);
	form_cleanup(&f);
	tg_buf_cleanup(&b);
}

static void max_age_rule(void)
{
	CHECK(!oidc_max_age_exceeded(1000, -1, 5000));
	CHECK(!oidc_max_age_exceeded(1000, 600, 1600));
	CHECK(oidc_max_age_exceeded(1000, 600, 1601));
	CHECK(oidc_max_age_exceeded(0, 600, 10));
	CHECK(!oidc_max_age_exceeded(1000, 0, 1000));
}

/* ---- grants, scopes, acr -------------------------------------------------- */

static void grants_and_scopes(void)
{
	enum oidc_grant g;
	CHECK_OK(oidc_grant_parse("authorization_code", &g));
	CHECK_INT(g, OIDC_GRANT_AUTHORIZATION_CODE);
	CHECK_OK(oidc_grant_parse("refresh_token", &g));
	CHECK_OK(oidc_grant_parse("client_credentials", &g));
	CHECK_INT(g, OIDC_GRANT_CLIENT_CREDENTIALS);
	CHECK_INT(oidc_grant_parse("password", &g), TG_ERR_UNSUPPORTED);
	CHECK_INT(oidc_grant_parse("Authorization_Code", &g), TG_ERR_UNSUPPORTED);
	CHECK_INT(oidc_grant_parse(NULL, &g), TG_ERR_UNSUPPORTED);

	CHECK(oidc_scope_is_valid("openid"));
	CHECK(oidc_scope_is_valid("openid api://x/.default"));
	CHECK(!oidc_scope_is_valid(""));
	CHECK(!oidc_scope_is_valid(" openid"));
	CHECK(!oidc_scope_is_valid("openid "));
	CHECK(!oidc_scope_is_valid("a\"b"));
	CHECK(!oidc_scope_is_valid("a\\b"));
	CHECK(oidc_scope_has("openid profile", "profile"));
	CHECK(!oidc_scope_has("openid profiles", "profile"));
	CHECK(!oidc_scope_has(NULL, "openid"));
	char out[128];
	oidc_scope_grant("offline_access custom openid email", out, sizeof out);
	CHECK_STR(out, "openid email offline_access");
	oidc_scope_grant("custom", out, sizeof out);
	CHECK_STR(out, "");

	CHECK_STR(oidc_acr_of_amr("pwd"), OIDC_ACR_PWD);
	CHECK_STR(oidc_acr_of_amr("pwd mfa otp"), OIDC_ACR_MFA);
	CHECK_STR(oidc_acr_of_amr(""), OIDC_ACR_PWD);
	CHECK(oidc_acr_values_want_mfa("mfa"));
	CHECK(oidc_acr_values_want_mfa("urn:x possessionorinherence"));
	CHECK(oidc_acr_values_want_mfa("http://schemas.microsoft.com/claims/multipleauthn"));
	CHECK(!oidc_acr_values_want_mfa("pwd mfa2"));
	CHECK(!oidc_acr_values_want_mfa(NULL));
	CHECK_STR(oidc_error_name(OIDC_ERR_INTERACTION_REQUIRED), "interaction_required");
	CHECK(oidc_error_name(OIDC_ERR_NONE) == NULL);
	CHECK(oidc_error_name((enum oidc_error)999) == NULL);
}

/* ---- URLs ------------------------------------------------------------------- */

static void base_and_issuer(void)
{
	char out[128];
	CHECK_OK(oidc_base_url("https://id.contoso.test/", "evil.test", out, sizeof out));
	CHECK_STR(out, "https://id.contoso.test");
	CHECK_OK(oidc_base_url(NULL, "127.0.0.1:8080", out, sizeof out));
	CHECK_STR(out, "http://127.0.0.1:8080");
	CHECK_OK(oidc_base_url("", "localhost", out, sizeof out));
	CHECK_STR(out, "http://localhost");
	CHECK_OK(oidc_base_url(NULL, "[::1]:9000", out, sizeof out));
	CHECK_STR(out, "http://[::1]:9000");
	/* a Host the client chose is not trusted beyond loopback */
	static const char *const bad[] = {"evil.test", "127.0.0.1.evil.test", "127.0.0.1:80/x",
	                                  "127.0.0.1:", "127.0.0.1:1234567", "[::1", "10.0.0.1:80",
	                                  "localhost:8o", "", NULL};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (oidc_base_url(NULL, bad[i], out, sizeof out) != TG_ERR_INVALID)
			TG_T_FAIL("host \"%s\" accepted", bad[i] ? bad[i] : "(null)");
	CHECK_OK(oidc_issuer("https://id.test", "contoso", out, sizeof out));
	CHECK_STR(out, "https://id.test/contoso/v2.0");
	CHECK_INT(oidc_issuer("https://id.test", "contoso", out, 20), TG_ERR_TOO_LARGE);
}

static void url_params(void)
{
	struct tg_buf b;
	tg_buf_init(&b, 256);
	tg_buf_appendf(&b, "https://a.test/cb");
	CHECK_OK(oidc_url_add_param(&b, "code", "abc-_.~"));
	CHECK_OK(oidc_url_add_param(&b, "state", "a b&c=d/é"));
	CHECK_STR(b.data, "https://a.test/cb?code=abc-_.~&state=a%20b%26c%3Dd%2F%C3%A9");
	tg_buf_cleanup(&b);
	tg_buf_init(&b, 30);
	tg_buf_appendf(&b, "https://a.test/cb?x=1");
	CHECK_INT(oidc_url_add_param(&b, "state", "a long value that does not fit"), TG_ERR_TOO_LARGE);
	CHECK_STR(b.data, "https://a.test/cb?x=1");    /* unchanged on failure */
	tg_buf_cleanup(&b);
}

static void bearer_header(void)
{
	const char *t;
	CHECK_OK(oidc_bearer_parse("Bearer abc.def-_~+/=", &t));
	CHECK_STR(t, "abc.def-_~+/=");
	CHECK_OK(oidc_bearer_parse("bearer x", &t));
	static const char *const bad[] = {"Bearer", "Bearer ", "Basic abc", "Bearer a b",
	                                  "Bearer a=b", "Bearer  a", "Bearer a,b", NULL};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (oidc_bearer_parse(bad[i], &t) != TG_ERR_INVALID || t)
			TG_T_FAIL("\"%s\" accepted", bad[i] ? bad[i] : "(null)");
}

int main(void)
{
	TEST(form_parses_and_decodes);
	TEST(form_refuses_bad_input);
	TEST(form_limits);
	TEST(authz_good_request);
	TEST(authz_bad_requests);
	TEST(authz_limits);
	TEST(max_age_rule);
	TEST(grants_and_scopes);
	TEST(base_and_issuer);
	TEST(url_params);
	TEST(bearer_header);
	return tg_test_done();
}
