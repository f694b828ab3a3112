/* SPDX-License-Identifier: MIT
 * otpauth:// URIs: exact strings for the default and non-default
 * parameters, RFC 3986 percent-encoding of issuer and UPN (reserved
 * characters, '+', spaces, UTF-8), decoding back to the input, and refusal
 * of values that would break the label. */
#include <ctype.h>
#include "harness.h"
#include "base/err.h"
#include "base/limits.h"
#include "base/mem.h"
#include "core/otpauth.h"

static const uint8_t *seed20 = (const uint8_t *)"12345678901234567890";

static char *build(const char *issuer, const char *upn, const struct totp_params *p)
{
	char *uri = NULL;
	int r = otpauth_build(issuer, upn, seed20, 20, p, &uri);
	if (r != TG_OK)
		TG_T_FAIL("otpauth_build(\"%s\", \"%s\") returned %d", issuer, upn, r);
	return uri;
}

/* Percent-decode n bytes of s into out (test-side reference decoder). */
static void pct_decode(const char *s, size_t n, char *out)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned v;
		if (s[i] == '%' && i + 2 < n + 1 && sscanf(s + i + 1, "%2x", &v) == 1) {
			out[o++] = (char)v;
			i += 2;
		} else {
			out[o++] = s[i];
		}
	}
	out[o] = '\0';
}

static void default_parameters(void)
{
	struct totp_params p;
	totp_params_default(&p);
	char *uri = build("Tollgate", "helga@contoso.com", &p);
	CHECK_STR(uri, "otpauth://totp/Tollgate:helga@contoso.com"
	               "?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Tollgate"
	               "&algorithm=SHA1&digits=6&period=30");
	tg_secret_strfree(uri);
}

static void other_parameters_and_encoding(void)
{
	struct totp_params p;
	totp_params_default(&p);
	p.alg = HMAC_ALG_SHA256;
	p.digits = 8;
	p.period = 60;
	char *uri = build("Contoso Ltd & Co", "anna.berg+mfa@contoso.se", &p);
	CHECK_STR(uri, "otpauth://totp/Contoso%20Ltd%20%26%20Co:anna.berg%2Bmfa@contoso.se"
	               "?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Contoso%20Ltd%20%26%20Co"
	               "&algorithm=SHA256&digits=8&period=60");
	tg_secret_strfree(uri);
	p.alg = HMAC_ALG_SHA512;
	uri = build("x", "y", &p);
	CHECK(uri && strstr(uri, "&algorithm=SHA512&") != NULL);
	tg_secret_strfree(uri);
}

static void reserved_and_utf8_encoded(void)
{
	struct totp_params p;
	totp_params_default(&p);
	char *uri = build("a/b?c#d=e%f&g h+i", "j\xc3\xb6ns@\xc3\xa5re.se", &p);
	CHECK_STR(uri, "otpauth://totp/a%2Fb%3Fc%23d%3De%25f%26g%20h%2Bi:j%C3%B6ns@%C3%A5re.se"
	               "?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=a%2Fb%3Fc%23d%3De%25f%26g%20h%2Bi"
	               "&algorithm=SHA1&digits=6&period=30");
	tg_secret_strfree(uri);
	/* '@' stays literal in the label but is encoded in the issuer value */
	uri = build("ops@contoso", "u@x", &p);
	CHECK(uri && strstr(uri, "totp/ops@contoso:u@x?") != NULL);
	CHECK(uri && strstr(uri, "&issuer=ops%40contoso&") != NULL);
	tg_secret_strfree(uri);
	/* unreserved characters are never encoded */
	uri = build("A-Z.a_z~09", "a-b.c_d~e@f", &p);
	CHECK(uri && strstr(uri, "totp/A-Z.a_z~09:a-b.c_d~e@f?") != NULL);
	tg_secret_strfree(uri);
}

static void label_decodes_to_input(void)
{
	static const char *const issuers[] = {
		"Tollgate", "Åre kommun", "Contoso, Inc.", "100% [secure]", "a\"b'c<d>e",
		"\xe6\x97\xa5\xe6\x9c\xac", "semi;colon,comma!star*", "tab-free", "é",
	};
	struct totp_params p;
	totp_params_default(&p);
	for (size_t i = 0; i < TG_ARRAY_LEN(issuers); i++) {
		char *uri = build(issuers[i], "user@example.com", &p);
		REQUIRE(uri != NULL);
		const char *label = uri + strlen("otpauth://totp/");
		const char *colon = strchr(label, ':'), *q = strchr(label, '?');
		REQUIRE(colon && q && colon < q);
		CHECK(strchr(colon + 1, ':') == NULL || strchr(colon + 1, ':') > q);
		char dec[512];
		pct_decode(label, (size_t)(colon - label), dec);
		CHECK_STR(dec, issuers[i]);
		/* only unreserved characters, '@', '%' and hex remain */
		for (const char *c = label; c < colon; c++)
			if (!(isalnum((unsigned char)*c) || strchr("-._~@%", *c)))
				TG_T_FAIL("unencoded '%c' in label of \"%s\"", *c, issuers[i]);
		const char *iss = strstr(uri, "&issuer=") + 8, *amp = strchr(iss, '&');
		pct_decode(iss, (size_t)(amp - iss), dec);
		CHECK_STR(dec, issuers[i]);
		tg_secret_strfree(uri);
	}
}

static void bad_values_refused(void)
{
	struct totp_params p;
	char *uri = (char *)&p;
	totp_params_default(&p);
	CHECK_INT(otpauth_build("Evil:Corp", "u@x", seed20, 20, &p, &uri), TG_ERR_INVALID);
	CHECK(uri == NULL);
	CHECK_INT(otpauth_build("Corp", "u:x@y", seed20, 20, &p, &uri), TG_ERR_INVALID);
	CHECK_INT(otpauth_build("", "u@x", seed20, 20, &p, &uri), TG_ERR_INVALID);
	CHECK_INT(otpauth_build("Corp", "", seed20, 20, &p, &uri), TG_ERR_INVALID);
	CHECK_INT(otpauth_build("Co\nrp", "u@x", seed20, 20, &p, &uri), TG_ERR_INVALID);
	CHECK_INT(otpauth_build("Corp", "u\x7f@x", seed20, 20, &p, &uri), TG_ERR_INVALID);
	CHECK_INT(otpauth_build("Co\xc3rp", "u@x", seed20, 20, &p, &uri), TG_ERR_INVALID);
	CHECK_INT(otpauth_build("Corp", "u@x", seed20, 0, &p, &uri), TG_ERR_INVALID);
	static uint8_t big[TG_MAX_OATH_SECRET + 1];
	CHECK_INT(otpauth_build("Corp", "u@x", big, sizeof big, &p, &uri), TG_ERR_TOO_LARGE);
	char long_issuer[TG_MAX_ISSUER + 2];
	memset(long_issuer, 'a', sizeof long_issuer - 1);
	long_issuer[sizeof long_issuer - 1] = '\0';
	CHECK_INT(otpauth_build(long_issuer, "u@x", seed20, 20, &p, &uri), TG_ERR_TOO_LARGE);
	long_issuer[TG_MAX_ISSUER] = '\0';
	CHECK_OK(otpauth_build(long_issuer, "u@x", seed20, 20, &p, &uri));
	tg_secret_strfree(uri);
	p.digits = 7;
	CHECK_INT(otpauth_build("Corp", "u@x", seed20, 20, &p, &uri), TG_ERR_INVALID);
}

static void largest_inputs_fit(void)
{
	/* worst case: every byte of a maximal issuer and UPN encoded, and the
	 * longest secret */
	char issuer[TG_MAX_ISSUER + 1], upn[TG_MAX_UPN + 1];
	static uint8_t secret[TG_MAX_OATH_SECRET];
	memset(issuer, ' ', TG_MAX_ISSUER);
	issuer[TG_MAX_ISSUER] = '\0';
	memset(upn, '+', TG_MAX_UPN);
	upn[TG_MAX_UPN] = '\0';
	struct totp_params p;
	totp_params_default(&p);
	char *uri = NULL;
	CHECK_OK(otpauth_build(issuer, upn, secret, sizeof secret, &p, &uri));
	CHECK(uri && strlen(uri) <= TG_MAX_OTPAUTH_URI);
	tg_secret_strfree(uri);
}

int main(void)
{
	TEST(default_parameters);
	TEST(other_parameters_and_encoding);
	TEST(reserved_and_utf8_encoded);
	TEST(label_decodes_to_input);
	TEST(bad_values_refused);
	TEST(largest_inputs_fit);
	return tg_test_done();
}
