/* SPDX-License-Identifier: MIT
 * crypto/pkce: the RFC 7636 Appendix B vector, verifier syntax at the
 * edges, "plain" refused, and a wrong or malformed verifier or stored
 * challenge never matching. */
#include "harness.h"
#include "base/err.h"
#include "crypto/pkce.h"

/* RFC 7636 Appendix B */
#define RFC_VERIFIER  "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
#define RFC_CHALLENGE "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"

static void rfc7636_appendix_b(void)
{
	char c[PKCE_CHALLENGE_LEN + 1];
	CHECK_OK(pkce_challenge_s256(RFC_VERIFIER, strlen(RFC_VERIFIER), c));
	CHECK_STR(c, RFC_CHALLENGE);
	CHECK_OK(pkce_verify(RFC_CHALLENGE, strlen(RFC_CHALLENGE), RFC_VERIFIER,
	                     strlen(RFC_VERIFIER)));
}

static void only_s256(void)
{
	CHECK_OK(pkce_method_check("S256"));
	CHECK_INT(pkce_method_check("plain"), TG_ERR_UNSUPPORTED);
	CHECK_INT(pkce_method_check("s256"), TG_ERR_UNSUPPORTED);
	CHECK_INT(pkce_method_check(""), TG_ERR_UNSUPPORTED);
	CHECK_INT(pkce_method_check(NULL), TG_ERR_UNSUPPORTED);
}

static void verifier_syntax(void)
{
	char v[PKCE_VERIFIER_MAX + 2];
	memset(v, 'a', sizeof v);
	CHECK(!pkce_is_valid_verifier(v, 42));
	CHECK(pkce_is_valid_verifier(v, 43));
	CHECK(pkce_is_valid_verifier(v, 128));
	CHECK(!pkce_is_valid_verifier(v, 129));
	CHECK(!pkce_is_valid_verifier(v, 0));
	CHECK(!pkce_is_valid_verifier(NULL, 43));
	/* the whole unreserved set (RFC 3986 §2.3) */
	const char *all = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";
	CHECK(pkce_is_valid_verifier(all, strlen(all)));
	/* one bad character anywhere */
	const char bad[] = {' ', '+', '/', '=', '%', '\0', '\n', '!', (char)0xc3};
	for (size_t i = 0; i < sizeof bad; i++) {
		memset(v, 'a', 43);
		v[20] = bad[i];
		if (pkce_is_valid_verifier(v, 43))
			TG_T_FAIL("verifier with 0x%02x accepted", (unsigned char)bad[i]);
		char c[PKCE_CHALLENGE_LEN + 1];
		CHECK_INT(pkce_challenge_s256(v, 43, c), TG_ERR_INVALID);
		CHECK_STR(c, "");
	}
}

static void wrong_verifier_denied(void)
{
	char other[] = RFC_VERIFIER;
	other[0] = 'e';
	CHECK_INT(pkce_verify(RFC_CHALLENGE, strlen(RFC_CHALLENGE), other, strlen(other)),
	          TG_ERR_DENIED);
	/* the challenge itself presented as the verifier ("plain" downgrade) */
	CHECK_INT(pkce_verify(RFC_CHALLENGE, strlen(RFC_CHALLENGE), RFC_CHALLENGE,
	                      strlen(RFC_CHALLENGE)), TG_ERR_DENIED);
	/* a prefix or extension of the right verifier */
	CHECK_INT(pkce_verify(RFC_CHALLENGE, strlen(RFC_CHALLENGE), RFC_VERIFIER "x",
	                      strlen(RFC_VERIFIER) + 1), TG_ERR_DENIED);
	CHECK_INT(pkce_verify(RFC_CHALLENGE, strlen(RFC_CHALLENGE), RFC_VERIFIER, 42),
	          TG_ERR_INVALID);
}

static void malformed_inputs_invalid(void)
{
	/* missing verifier, too short, bad characters */
	CHECK_INT(pkce_verify(RFC_CHALLENGE, strlen(RFC_CHALLENGE), "", 0), TG_ERR_INVALID);
	CHECK_INT(pkce_verify(RFC_CHALLENGE, strlen(RFC_CHALLENGE), "short", 5), TG_ERR_INVALID);
	/* stored challenges that no S256 computation produces */
	const char *bad_challenges[] = {
		"",
		"E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-c",    /* 42 chars */
		"E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM=",  /* padded */
		"E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw+cM",   /* base64, not url */
		"E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cN",   /* trailing bits */
	};
	for (size_t i = 0; i < sizeof bad_challenges / sizeof bad_challenges[0]; i++) {
		const char *c = bad_challenges[i];
		CHECK(!pkce_is_valid_challenge(c, strlen(c)));
		if (pkce_verify(c, strlen(c), RFC_VERIFIER, strlen(RFC_VERIFIER)) != TG_ERR_INVALID)
			TG_T_FAIL("challenge \"%s\" not refused", c);
	}
	CHECK(pkce_is_valid_challenge(RFC_CHALLENGE, strlen(RFC_CHALLENGE)));
}

static void longest_verifier(void)
{
	char v[PKCE_VERIFIER_MAX], c[PKCE_CHALLENGE_LEN + 1];
	for (size_t i = 0; i < sizeof v; i++)
		v[i] = "abcXYZ019-._~"[i % 13];
	CHECK_OK(pkce_challenge_s256(v, sizeof v, c));
	CHECK_INT(strlen(c), PKCE_CHALLENGE_LEN);
	CHECK_OK(pkce_verify(c, strlen(c), v, sizeof v));
}

int main(void)
{
	TEST(rfc7636_appendix_b);
	TEST(only_s256);
	TEST(verifier_syntax);
	TEST(wrong_verifier_denied);
	TEST(malformed_inputs_invalid);
	TEST(longest_verifier);
	return tg_test_done();
}
