/* SPDX-License-Identifier: MIT
 * json/jwt_json: compact JWTs and the JWKS.
 *  - sign and verify with ES256 and RS256; the header is exactly
 *    {"alg","typ":"JWT","kid"};
 *  - claims against an injected clock: expired, not yet valid, issued in
 *    the future (each at the skew's edge), wrong iss, wrong aud, missing
 *    or mistyped claims;
 *  - forged tokens: unknown kid, alg "none", HS256 keyed with the public
 *    key, alg/key mismatch, tampered parts, crit, wrong typ;
 *  - malformed and oversized tokens;
 *  - key rotation: a token of the old key verifies until the key retires;
 *  - the JWKS has the RFC 7517/7518 shape and reads back into keys that
 *    verify our tokens. */
#include "harness.h"
#include "base/b64.h"
#include "base/err.h"
#include "base/limits.h"
#include "base/mem.h"
#include "crypto/hmac.h"
#include "crypto/jws.h"
#include "crypto/signkeys.h"
#include "json/jwt_json.h"

#define NOW  1700000000
#define ISS  "https://login.example.com/contoso/v2.0"
#define AUD  "client-123"

static struct signkeys *ring;   /* current ES256 + RS256 */
static const struct sign_key *es, *rs;
static const struct sign_key *both[2];

static struct jwt_expect expect(int64_t now)
{
	struct jwt_expect ex = {.iss = ISS, .aud = AUD, .now = now, .skew = JWT_DEFAULT_SKEW};
	return ex;
}

static json_t *std_claims(void)
{
	return json_pack("{s:s, s:s, s:s, s:I, s:I, s:[s,s]}", "iss", ISS, "sub", "alice", "aud", AUD,
	                 "iat", (json_int_t)NOW, "exp", (json_int_t)(NOW + 3600), "amr", "pwd",
	                 "mfa");
}

static char *sign_claims(const struct sign_key *k, json_t *claims)
{
	char *tok = NULL;
	if (jwt_sign(k, claims, &tok, NULL) != TG_OK)
		tok = NULL;
	json_decref(claims);
	return tok;
}

static int verify(const char *tok, const struct jwt_expect *ex)
{
	json_t *claims = NULL;
	struct json_err err;
	int r = jwt_verify(tok, strlen(tok), both, 2, ex, &claims, &err);
	if (r == TG_OK && !claims)
		r = TG_ERR_INTERNAL;
	if (r != TG_OK && claims)
		r = TG_ERR_INTERNAL;   /* never a claims object with an error */
	json_decref(claims);
	return r;
}

static char *b64u(const char *s, size_t len)
{
	char *out = xmalloc(B64URL_ENCODED_LEN(len) + 1);
	if (b64url_encode((const uint8_t *)s, len, out, B64URL_ENCODED_LEN(len) + 1, NULL) != TG_OK)
		abort();
	return out;
}

/* A token with any header and payload text, signed properly by k, so
 * only the content decides whether it is accepted. */
static char *forge(const struct sign_key *k, const char *header, const char *payload)
{
	char *h = b64u(header, strlen(header)), *p = b64u(payload, strlen(payload));
	char *input = xasprintf("%s.%s", h, p);
	uint8_t sig[JWS_MAX_SIG_LEN];
	size_t len = 0;
	if (jws_sign(k, input, strlen(input), sig, sizeof sig, &len) != TG_OK)
		abort();
	char *s = xmalloc(B64URL_ENCODED_LEN(len) + 1);
	if (b64url_encode(sig, len, s, B64URL_ENCODED_LEN(len) + 1, NULL) != TG_OK)
		abort();
	char *tok = xasprintf("%s.%s", input, s);
	free(h);
	free(p);
	free(input);
	free(s);
	return tok;
}

static char *payload_json(int64_t iat, int64_t exp)
{
	return xasprintf("{\"iss\":\"" ISS "\",\"aud\":\"" AUD "\",\"sub\":\"alice\","
	                 "\"iat\":%lld,\"exp\":%lld}", (long long)iat, (long long)exp);
}

/* ---- round trips ---- */

static void es256_and_rs256_round_trip(void)
{
	const struct sign_key *keys[] = {es, rs};
	for (size_t i = 0; i < 2; i++) {
		char *tok = sign_claims(keys[i], std_claims());
		REQUIRE(tok);
		struct jwt_expect ex = expect(NOW + 10);
		json_t *claims = NULL, *header = NULL;
		CHECK_OK(jwt_verify(tok, strlen(tok), both, 2, &ex, &claims, NULL));
		REQUIRE(claims);
		CHECK_STR(json_string_value(json_object_get(claims, "sub")), "alice");
		CHECK_INT(json_array_size(json_object_get(claims, "amr")), 2);
		json_decref(claims);
		claims = NULL;
		/* the header, byte for byte */
		CHECK_OK(jwt_decode_verify(tok, strlen(tok), both, 2, NOW, NULL, &header, &claims,
		                           NULL));
		REQUIRE(header);
		char *h = json_dump_canonical(header, false);
		char *want = xasprintf("{\"alg\":\"%s\",\"typ\":\"JWT\",\"kid\":\"%s\"}",
		                       jws_alg_name(sign_key_alg(keys[i])), sign_key_kid(keys[i]));
		CHECK_STR(h, want);
		free(h);
		free(want);
		json_decref(header);
		json_decref(claims);
		/* the raw header segment decodes to the same text */
		const char *dot = strchr(tok, '.');
		REQUIRE(dot);
		uint8_t raw[256];
		size_t n = 0;
		CHECK_OK(b64url_decode(tok, (size_t)(dot - tok), raw, sizeof raw - 1, &n));
		raw[n] = 0;
		CHECK(strstr((char *)raw, "\"typ\":\"JWT\"") != NULL);
		free(tok);
	}
}

/* ---- claims against the clock ---- */

static void expired(void)
{
	char *tok = sign_claims(es, std_claims());   /* exp = NOW + 3600 */
	REQUIRE(tok);
	struct jwt_expect ex = expect(NOW + 3600 + JWT_DEFAULT_SKEW - 1);
	CHECK_OK(verify(tok, &ex));
	ex.now = NOW + 3600 + JWT_DEFAULT_SKEW;
	CHECK_INT(verify(tok, &ex), TG_ERR_EXPIRED);
	ex.skew = 0;
	ex.now = NOW + 3599;
	CHECK_OK(verify(tok, &ex));
	ex.now = NOW + 3600;
	CHECK_INT(verify(tok, &ex), TG_ERR_EXPIRED);
	struct json_err err;
	json_t *claims = NULL;
	CHECK_INT(jwt_verify(tok, strlen(tok), both, 2, &ex, &claims, &err), TG_ERR_EXPIRED);
	CHECK_STR(err.path, "exp");
	CHECK(claims == NULL);
	free(tok);
}

static void not_yet_valid(void)
{
	json_t *c = std_claims();
	json_object_set_new(c, "nbf", json_integer(NOW + 600));
	char *tok = sign_claims(es, c);
	REQUIRE(tok);
	struct jwt_expect ex = expect(NOW + 600 - JWT_DEFAULT_SKEW - 1);
	CHECK_INT(verify(tok, &ex), TG_ERR_DENIED);
	ex.now = NOW + 600 - JWT_DEFAULT_SKEW;
	CHECK_OK(verify(tok, &ex));
	free(tok);
}

static void issued_in_the_future(void)
{
	char *tok = sign_claims(es, std_claims());   /* iat = NOW */
	REQUIRE(tok);
	struct jwt_expect ex = expect(NOW - JWT_DEFAULT_SKEW - 1);
	CHECK_INT(verify(tok, &ex), TG_ERR_DENIED);
	ex.now = NOW - JWT_DEFAULT_SKEW;
	CHECK_OK(verify(tok, &ex));
	free(tok);
}

static void real_numeric_dates(void)
{
	json_t *c = std_claims();
	json_object_set_new(c, "exp", json_real(NOW + 100.9));
	json_object_set_new(c, "iat", json_real(NOW + 0.5));
	char *tok = sign_claims(es, c);
	REQUIRE(tok);
	struct jwt_expect ex = expect(NOW + 99);
	ex.skew = 0;
	CHECK_OK(verify(tok, &ex));
	ex.now = NOW + 100;   /* truncated to NOW + 100 */
	CHECK_INT(verify(tok, &ex), TG_ERR_EXPIRED);
	free(tok);
}

static void wrong_issuer(void)
{
	json_t *c = std_claims();
	json_object_set_new(c, "iss", json_string(ISS "x"));
	char *tok = sign_claims(es, c);
	REQUIRE(tok);
	struct jwt_expect ex = expect(NOW);
	CHECK_INT(verify(tok, &ex), TG_ERR_DENIED);
	free(tok);
	/* a prefix of the right issuer is another issuer too */
	c = std_claims();
	json_object_set_new(c, "iss", json_string("https://login.example.com/contoso"));
	tok = sign_claims(es, c);
	REQUIRE(tok);
	CHECK_INT(verify(tok, &ex), TG_ERR_DENIED);
	free(tok);
}

static void wrong_audience(void)
{
	json_t *c = std_claims();
	json_object_set_new(c, "aud", json_string("client-999"));
	char *tok = sign_claims(es, c);
	REQUIRE(tok);
	struct jwt_expect ex = expect(NOW);
	CHECK_INT(verify(tok, &ex), TG_ERR_DENIED);
	/* an endpoint serving every audience may skip the check */
	ex.aud = NULL;
	CHECK_OK(verify(tok, &ex));
	free(tok);

	/* an array: accepted when it contains ours */
	c = std_claims();
	json_object_set_new(c, "aud", json_pack("[s,s]", "api://other", AUD));
	tok = sign_claims(rs, c);
	REQUIRE(tok);
	ex = expect(NOW);
	CHECK_OK(verify(tok, &ex));
	free(tok);
	c = std_claims();
	json_object_set_new(c, "aud", json_pack("[s,s]", "api://other", "client-1234"));
	tok = sign_claims(rs, c);
	REQUIRE(tok);
	CHECK_INT(verify(tok, &ex), TG_ERR_DENIED);
	free(tok);
}

static void missing_or_mistyped_claims(void)
{
	static const char *const drop[] = {"exp", "iat", "iss", "aud"};
	struct jwt_expect ex = expect(NOW);
	for (size_t i = 0; i < sizeof drop / sizeof drop[0]; i++) {
		json_t *c = std_claims();
		json_object_del(c, drop[i]);
		char *tok = sign_claims(es, c);
		REQUIRE(tok);
		if (verify(tok, &ex) != TG_ERR_INVALID)
			TG_T_FAIL("token without \"%s\" not refused as invalid", drop[i]);
		free(tok);
	}
	struct {
		const char *name;
		json_t *value;
	} bad[] = {
		{"exp", json_string("tomorrow")}, {"exp", json_true()},   {"iat", json_string("0")},
		{"nbf", json_pack("[]")},         {"iss", json_integer(1)}, {"aud", json_integer(1)},
		{"aud", json_pack("[]")},         {"aud", json_pack("[i]", 5)},
		{"exp", json_integer(INT64_MAX)}, {"exp", json_real(1e300)}, {"exp", json_null()},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		json_t *c = std_claims();
		json_object_set_new(c, bad[i].name, bad[i].value);
		char *tok = sign_claims(es, c);
		REQUIRE(tok);
		if (verify(tok, &ex) != TG_ERR_INVALID)
			TG_T_FAIL("bad \"%s\" (case %zu) not refused as invalid", bad[i].name, i);
		free(tok);
	}
}

static void caller_mistakes_refused(void)
{
	char *tok = sign_claims(es, std_claims());
	REQUIRE(tok);
	struct jwt_expect ex = expect(NOW);
	ex.iss = NULL;
	CHECK_INT(verify(tok, &ex), TG_ERR_INVALID);
	ex = expect(NOW);
	ex.skew = JWT_MAX_SKEW + 1;
	CHECK_INT(verify(tok, &ex), TG_ERR_INVALID);
	ex = expect(INT64_MAX);
	CHECK(verify(tok, &ex) != TG_OK);
	free(tok);
}

/* ---- forged and broken tokens ---- */

static void unknown_kid(void)
{
	char *tok = sign_claims(es, std_claims());
	REQUIRE(tok);
	struct jwt_expect ex = expect(NOW);
	json_t *claims = NULL;
	/* only the RS256 key offered */
	CHECK_INT(jwt_verify(tok, strlen(tok), &rs, 1, &ex, &claims, NULL), TG_ERR_DENIED);
	CHECK_INT(jwt_verify(tok, strlen(tok), NULL, 0, &ex, &claims, NULL), TG_ERR_DENIED);
	/* a kid that matches no key, properly signed */
	char *p = payload_json(NOW, NOW + 60);
	char *f = forge(es, "{\"alg\":\"ES256\",\"kid\":\"someone-else\"}", p);
	CHECK_INT(verify(f, &ex), TG_ERR_DENIED);
	free(f);
	/* no kid at all */
	f = forge(es, "{\"alg\":\"ES256\"}", p);
	CHECK_INT(verify(f, &ex), TG_ERR_INVALID);
	free(f);
	free(p);
	free(tok);
}

static void alg_none_refused(void)
{
	struct jwt_expect ex = expect(NOW);
	char *p = payload_json(NOW, NOW + 60);
	char *hdr = xasprintf("{\"alg\":\"none\",\"typ\":\"JWT\",\"kid\":\"%s\"}", sign_key_kid(es));
	char *h64 = b64u(hdr, strlen(hdr)), *p64 = b64u(p, strlen(p));
	/* the unsecured form (RFC 7519 §6.1): empty signature */
	char *tok = xasprintf("%s.%s.", h64, p64);
	CHECK(verify(tok, &ex) != TG_OK);
	free(tok);
	/* "none" with a signature part anyway, and a real ES256 signature */
	tok = forge(es, hdr, p);
	CHECK_INT(verify(tok, &ex), TG_ERR_DENIED);
	free(tok);
	/* variants of the name */
	const char *names[] = {"None", "NONE", "nOnE", "", "HS256", "ES384", "PS256"};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		char *hh = xasprintf("{\"alg\":\"%s\",\"kid\":\"%s\"}", names[i], sign_key_kid(es));
		tok = forge(es, hh, p);
		if (verify(tok, &ex) != TG_ERR_DENIED)
			TG_T_FAIL("alg \"%s\" not denied", names[i]);
		free(tok);
		free(hh);
	}
	free(h64);
	free(p64);
	free(hdr);
	free(p);
}

/* The classic confusion: HS256 with the server's public key as secret. */
static void hs256_with_public_key_refused(void)
{
	struct jwt_expect ex = expect(NOW);
	struct sign_key_public pub;
	CHECK_OK(sign_key_public(rs, &pub));
	char *p = payload_json(NOW, NOW + 60);
	char *hdr = xasprintf("{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"%s\"}", sign_key_kid(rs));
	char *h64 = b64u(hdr, strlen(hdr)), *p64 = b64u(p, strlen(p));
	char *input = xasprintf("%s.%s", h64, p64);
	uint8_t mac[HMAC_MAX_LEN];
	size_t mlen = 0;
	CHECK_OK(hmac_compute(HMAC_ALG_SHA256, pub.n, pub.n_len, input, strlen(input), mac, &mlen));
	char m64[64];
	CHECK_OK(b64url_encode(mac, mlen, m64, sizeof m64, NULL));
	char *tok = xasprintf("%s.%s", input, m64);
	CHECK_INT(verify(tok, &ex), TG_ERR_DENIED);
	free(tok);
	free(input);
	free(h64);
	free(p64);
	free(hdr);
	free(p);
}

static void alg_key_mismatch(void)
{
	/* header says RS256 but names the ES256 key, signed by that key */
	struct jwt_expect ex = expect(NOW);
	char *p = payload_json(NOW, NOW + 60);
	char *hdr = xasprintf("{\"alg\":\"RS256\",\"kid\":\"%s\"}", sign_key_kid(es));
	char *tok = forge(es, hdr, p);
	CHECK_INT(verify(tok, &ex), TG_ERR_DENIED);
	free(tok);
	free(hdr);
	/* header names the RS256 key but the ES256 key signed */
	hdr = xasprintf("{\"alg\":\"RS256\",\"kid\":\"%s\"}", sign_key_kid(rs));
	tok = forge(es, hdr, p);
	CHECK_INT(verify(tok, &ex), TG_ERR_DENIED);
	free(tok);
	free(hdr);
	free(p);
}

static void tampered_parts_refused(void)
{
	struct jwt_expect ex = expect(NOW);
	char *tok = sign_claims(es, std_claims());
	char *other = sign_claims(es, json_pack("{s:s, s:s, s:s, s:I, s:I}", "iss", ISS, "sub",
	                                        "mallory", "aud", AUD, "iat", (json_int_t)NOW, "exp",
	                                        (json_int_t)(NOW + 3600)));
	REQUIRE(tok && other);
	char *d1 = strchr(tok, '.'), *d2 = strrchr(tok, '.');
	char *o1 = strchr(other, '.'), *o2 = strrchr(other, '.');
	/* mallory's payload with alice's header and signature */
	char *spliced = xasprintf("%.*s%.*s%s", (int)(d1 - tok), tok, (int)(o2 - o1), o1, d2);
	CHECK_INT(verify(spliced, &ex), TG_ERR_DENIED);
	free(spliced);
	/* one character changed in each part (keeping base64url canonical) */
	size_t positions[] = {2, (size_t)(d1 - tok) + 3, (size_t)(d2 - tok) + 5};
	for (size_t i = 0; i < 3; i++) {
		char *t = xstrdup(tok);
		t[positions[i]] = t[positions[i]] == 'A' ? 'B' : 'A';
		int r = verify(t, &ex);
		if (r != TG_ERR_DENIED && r != TG_ERR_INVALID)
			TG_T_FAIL("token with part %zu changed: %d", i, r);
		free(t);
	}
	free(tok);
	free(other);
}

static void crit_and_typ(void)
{
	struct jwt_expect ex = expect(NOW);
	char *p = payload_json(NOW, NOW + 60);
	char *hdr = xasprintf("{\"alg\":\"ES256\",\"kid\":\"%s\",\"crit\":[\"exp\"],\"exp\":1}",
	                      sign_key_kid(es));
	char *tok = forge(es, hdr, p);
	CHECK_INT(verify(tok, &ex), TG_ERR_DENIED);
	free(tok);
	free(hdr);
	/* typ: absent and "JWT" (any case) pass by default; others do not */
	hdr = xasprintf("{\"alg\":\"ES256\",\"kid\":\"%s\"}", sign_key_kid(es));
	tok = forge(es, hdr, p);
	CHECK_OK(verify(tok, &ex));
	free(tok);
	free(hdr);
	hdr = xasprintf("{\"alg\":\"ES256\",\"kid\":\"%s\",\"typ\":\"jwt\"}", sign_key_kid(es));
	tok = forge(es, hdr, p);
	CHECK_OK(verify(tok, &ex));
	free(tok);
	free(hdr);
	hdr = xasprintf("{\"alg\":\"ES256\",\"kid\":\"%s\",\"typ\":\"at+jwt\"}", sign_key_kid(es));
	tok = forge(es, hdr, p);
	CHECK_INT(verify(tok, &ex), TG_ERR_DENIED);
	ex.typ = "at+JWT";
	CHECK_OK(verify(tok, &ex));
	free(tok);
	/* our own "JWT" tokens are refused where at+jwt is required */
	tok = sign_claims(es, std_claims());
	CHECK_INT(verify(tok, &ex), TG_ERR_DENIED);
	free(tok);
	free(hdr);
	/* a JWE-looking header */
	ex.typ = NULL;
	hdr = xasprintf("{\"alg\":\"ES256\",\"kid\":\"%s\",\"enc\":\"A128GCM\"}", sign_key_kid(es));
	tok = forge(es, hdr, p);
	CHECK_INT(verify(tok, &ex), TG_ERR_INVALID);
	free(tok);
	free(hdr);
	free(p);
}

static void malformed_tokens(void)
{
	struct jwt_expect ex = expect(NOW);
	char *good = sign_claims(es, std_claims());
	REQUIRE(good);
	char *d1 = strchr(good, '.'), *d2 = strrchr(good, '.');
	int hl = (int)(d1 - good), pl = (int)(d2 - d1 - 1);
	char *cases[] = {
		xstrdup(""),
		xstrdup("abc"),
		xstrdup("a.b"),
		xstrdup(".."),
		xasprintf("%s.", good),                                /* four parts */
		xasprintf("%s.x.y", good),                             /* five parts (JWE) */
		xasprintf(".%s", d1 + 1),                              /* empty header */
		xasprintf("%.*s..%s", hl, good, d2 + 1),               /* empty payload */
		xasprintf("%.*s.", (int)(d2 - good), good),            /* empty signature */
		xasprintf("%.*s=.%.*s%s", hl, good, pl, d1 + 1, d2),   /* padding */
		xasprintf("*%s", good),                                /* bad character */
		xasprintf("%.*s.%.*s%s", hl, good, pl, d1 + 1, "._-_-"),  /* short signature */
		xasprintf("%s.e30.AAAA", "bm90IGpzb24"),               /* header "not json" */
		xasprintf("%s.e30.AAAA", "WzFd"),                      /* header [1] */
		xasprintf("%s AAAA", good),                            /* space */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int r = verify(cases[i], &ex);
		if (r != TG_ERR_INVALID && r != TG_ERR_DENIED)
			TG_T_FAIL("malformed case %zu: %d", i, r);
		free(cases[i]);
	}
	/* a signed payload that is not a JSON object */
	char *hdr = xasprintf("{\"alg\":\"ES256\",\"kid\":\"%s\"}", sign_key_kid(es));
	const char *payloads[] = {"[1,2]", "not json", "{\"a\":1,\"a\":2}", "\"str\""};
	for (size_t i = 0; i < sizeof payloads / sizeof payloads[0]; i++) {
		char *tok = forge(es, hdr, payloads[i]);
		if (verify(tok, &ex) != TG_ERR_INVALID)
			TG_T_FAIL("payload %s not refused as invalid", payloads[i]);
		free(tok);
	}
	/* NULL token */
	json_t *claims = NULL;
	CHECK_INT(jwt_verify(NULL, 0, both, 2, &ex, &claims, NULL), TG_ERR_INVALID);
	free(hdr);
	free(good);
}

static void oversized_tokens(void)
{
	struct jwt_expect ex = expect(NOW);
	char *big = xmalloc(TG_MAX_JWT + 2);
	memset(big, 'A', TG_MAX_JWT + 1);
	big[10] = '.';
	big[20] = '.';
	big[TG_MAX_JWT + 1] = '\0';
	CHECK_INT(verify(big, &ex), TG_ERR_TOO_LARGE);
	free(big);
	/* we never issue what we would refuse */
	json_t *c = std_claims();
	char *pad = xmalloc(TG_MAX_JWT);
	memset(pad, 'x', TG_MAX_JWT - 1);
	pad[TG_MAX_JWT - 1] = '\0';
	json_object_set_new(c, "pad", json_string(pad));
	char *tok = NULL;
	CHECK_INT(jwt_sign(es, c, &tok, NULL), TG_ERR_TOO_LARGE);
	CHECK(tok == NULL);
	/* just under the limit: issued and accepted */
	size_t lo = 1000, hi = TG_MAX_JWT;
	while (lo + 1 < hi) {   /* largest pad that still fits */
		size_t mid = (lo + hi) / 2;
		pad[mid] = '\0';
		json_object_set_new(c, "pad", json_string(pad));
		pad[mid] = 'x';
		char *t = NULL;
		if (jwt_sign(rs, c, &t, NULL) == TG_OK)
			lo = mid;
		else
			hi = mid;
		free(t);
	}
	pad[lo] = '\0';
	json_object_set_new(c, "pad", json_string(pad));
	size_t len = 0;
	CHECK_OK(jwt_sign(rs, c, &tok, &len));
	REQUIRE(tok);
	CHECK(len <= TG_MAX_JWT && len > TG_MAX_JWT - 8);
	CHECK_INT(strlen(tok), len);
	CHECK_OK(verify(tok, &ex));
	free(tok);
	free(pad);
	json_decref(c);
	/* a non-object or a verify-only key cannot sign */
	json_t *arr = json_array();
	CHECK_INT(jwt_sign(es, arr, &tok, NULL), TG_ERR_INVALID);
	json_decref(arr);
}

/* ---- rotation ---- */

static void rotated_key_verifies_until_retired(void)
{
	struct signkeys *ks = signkeys_new();
	CHECK_OK(signkeys_rotate(ks, JWS_ALG_ES256, NOW, 3600));
	const struct sign_key *old = signkeys_current(ks, JWS_ALG_ES256);
	REQUIRE(old);
	/* a token issued just before the rotation, living one hour */
	json_t *c = std_claims();
	json_object_set_new(c, "exp", json_integer(NOW + 100 + 3600));
	char *tok = sign_claims(old, c);
	REQUIRE(tok);
	CHECK_OK(signkeys_rotate(ks, JWS_ALG_ES256, NOW + 100, 3600));
	const struct sign_key *pub[TG_MAX_SIGN_KEYS];
	struct jwt_expect ex = expect(NOW + 200);
	ex.skew = 0;
	size_t n = signkeys_published(ks, ex.now, pub, TG_MAX_SIGN_KEYS);
	CHECK_INT(n, 2);
	json_t *claims = NULL;
	CHECK_OK(jwt_verify(tok, strlen(tok), pub, n, &ex, &claims, NULL));
	json_decref(claims);
	claims = NULL;
	/* new tokens come from the new key */
	char *tok2 = sign_claims(signkeys_current(ks, JWS_ALG_ES256), std_claims());
	REQUIRE(tok2);
	json_t *h2 = NULL, *c2 = NULL;
	CHECK_OK(jwt_decode_verify(tok2, strlen(tok2), pub, n, ex.now, NULL, &h2, &c2, NULL));
	CHECK(h2 && strcmp(json_string_value(json_object_get(h2, "kid")), sign_key_kid(old)) != 0);
	json_decref(h2);
	json_decref(c2);
	/* the old key outlives every token it signed */
	int64_t retire = sign_key_not_after(old);
	CHECK(retire >= NOW + 100 + 3600);
	/* after retirement: the old key's token is refused as an unknown key
	 * (not published), and also when the caller passes the retired key */
	ex.now = retire;
	ex.skew = 0;
	n = signkeys_published(ks, ex.now, pub, TG_MAX_SIGN_KEYS);
	CHECK_INT(n, 1);
	CHECK_INT(jwt_verify(tok, strlen(tok), pub, n, &ex, &claims, NULL), TG_ERR_DENIED);
	const struct sign_key *retired[] = {old};
	struct jwt_expect ex2 = expect(retire);
	json_t *c3 = std_claims();
	json_object_set_new(c3, "exp", json_integer(retire + 3600));
	char *tok3 = sign_claims(old, c3);   /* a (forged) long-lived token */
	REQUIRE(tok3);
	CHECK_INT(jwt_verify(tok3, strlen(tok3), retired, 1, &ex2, &claims, NULL), TG_ERR_DENIED);
	ex2.now = retire - 1;
	CHECK_OK(jwt_verify(tok3, strlen(tok3), retired, 1, &ex2, &claims, NULL));
	json_decref(claims);
	free(tok3);
	free(tok2);
	free(tok);
	signkeys_free(ks);
}

/* ---- JWKS ---- */

static bool has_exactly(const json_t *obj, const char *const *names, size_t n)
{
	if (json_object_size(obj) != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!json_is_string(json_object_get(obj, names[i])))
			return false;
	return true;
}

static void jwks_shape(void)
{
	const struct sign_key *pub[TG_MAX_SIGN_KEYS];
	size_t n = signkeys_published(ring, NOW, pub, TG_MAX_SIGN_KEYS);
	json_t *jwks = NULL;
	CHECK_OK(jwt_jwks_build(pub, n, &jwks));
	REQUIRE(jwks);
	CHECK_INT(json_object_size(jwks), 1);
	json_t *keys = json_object_get(jwks, "keys");
	REQUIRE(json_is_array(keys));
	CHECK_INT(json_array_size(keys), 2);
	const json_t *ec = json_array_get(keys, 0), *rsa = json_array_get(keys, 1);
	static const char *const ec_names[] = {"kty", "crv", "x", "y", "kid", "use", "alg"};
	static const char *const rsa_names[] = {"kty", "n", "e", "kid", "use", "alg"};
	CHECK(has_exactly(ec, ec_names, 7));
	CHECK(has_exactly(rsa, rsa_names, 6));
	CHECK_STR(json_string_value(json_object_get(ec, "kty")), "EC");
	CHECK_STR(json_string_value(json_object_get(ec, "crv")), "P-256");
	CHECK_STR(json_string_value(json_object_get(ec, "alg")), "ES256");
	CHECK_STR(json_string_value(json_object_get(ec, "use")), "sig");
	CHECK_STR(json_string_value(json_object_get(ec, "kid")), sign_key_kid(es));
	CHECK_INT(json_string_length(json_object_get(ec, "x")), 43);
	CHECK_INT(json_string_length(json_object_get(ec, "y")), 43);
	CHECK_STR(json_string_value(json_object_get(rsa, "kty")), "RSA");
	CHECK_STR(json_string_value(json_object_get(rsa, "alg")), "RS256");
	CHECK_STR(json_string_value(json_object_get(rsa, "e")), "AQAB");
	CHECK_INT(json_string_length(json_object_get(rsa, "n")), 342);   /* 256 bytes */
	CHECK_STR(json_string_value(json_object_get(rsa, "kid")), sign_key_kid(rs));
	CHECK(json_object_get(ec, "d") == NULL && json_object_get(rsa, "d") == NULL);

	/* a client reads the JWKS back and verifies our tokens with it */
	struct sign_key *k0 = NULL, *k1 = NULL;
	struct json_err err;
	CHECK_OK(jwt_jwk_to_key(ec, &k0, &err));
	CHECK_OK(jwt_jwk_to_key(rsa, &k1, &err));
	REQUIRE(k0 && k1);
	CHECK_STR(sign_key_kid(k0), sign_key_kid(es));
	CHECK_STR(sign_key_kid(k1), sign_key_kid(rs));
	const struct sign_key *client[] = {k0, k1};
	struct jwt_expect ex = expect(NOW);
	for (size_t i = 0; i < 2; i++) {
		char *tok = sign_claims(i ? rs : es, std_claims());
		json_t *claims = NULL;
		CHECK_OK(jwt_verify(tok, strlen(tok), client, 2, &ex, &claims, NULL));
		json_decref(claims);
		free(tok);
	}
	char *text = json_dump_canonical(jwks, false);
	CHECK(strncmp(text, "{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":", 39) == 0);
	free(text);
	sign_key_free(k0);
	sign_key_free(k1);
	json_decref(jwks);
}

static void bad_jwks_members_refused(void)
{
	struct json_err err;
	struct sign_key *k = NULL;
	const char *x = "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU";
	const char *y = "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0";
	json_t *good = json_pack("{s:s,s:s,s:s,s:s}", "kty", "EC", "crv", "P-256", "x", x, "y", y);
	CHECK_OK(jwt_jwk_to_key(good, &k, &err));
	sign_key_free(k);
	k = NULL;
	struct {
		const char *member;
		json_t *value;
		int want;
	} bad[] = {
		{"d", json_string("jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI"), TG_ERR_INVALID},
		{"crv", json_string("P-384"), TG_ERR_UNSUPPORTED},
		{"kty", json_string("oct"), TG_ERR_UNSUPPORTED},
		{"x", json_string("f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVE"), TG_ERR_INVALID},
		{"x", json_string("f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU="), TG_ERR_INVALID},
		{"y", json_string("x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a1"), TG_ERR_INVALID},
		{"y", json_string("x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a4"), TG_ERR_INVALID},
		{"use", json_string("enc"), TG_ERR_INVALID},
		{"alg", json_string("RS256"), TG_ERR_INVALID},
		{"x", json_integer(1), TG_ERR_INVALID},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		json_t *j = json_deep_copy(good);
		json_object_set_new(j, bad[i].member, bad[i].value);
		int r = jwt_jwk_to_key(j, &k, &err);
		if (r != bad[i].want)
			TG_T_FAIL("bad JWK case %zu (%s): %d", i, bad[i].member, r);
		CHECK(k == NULL);
		json_decref(j);
	}
	json_decref(good);
}

int main(void)
{
	if (signkeys_generate(NOW, &ring) != TG_OK) {
		fprintf(stderr, "signkeys_generate failed\n");
		return 1;
	}
	es = signkeys_current(ring, JWS_ALG_ES256);
	rs = signkeys_current(ring, JWS_ALG_RS256);
	both[0] = es;
	both[1] = rs;
	TEST(es256_and_rs256_round_trip);
	TEST(expired);
	TEST(not_yet_valid);
	TEST(issued_in_the_future);
	TEST(real_numeric_dates);
	TEST(wrong_issuer);
	TEST(wrong_audience);
	TEST(missing_or_mistyped_claims);
	TEST(caller_mistakes_refused);
	TEST(unknown_kid);
	TEST(alg_none_refused);
	TEST(hs256_with_public_key_refused);
	TEST(alg_key_mismatch);
	TEST(tampered_parts_refused);
	TEST(crit_and_typ);
	TEST(malformed_tokens);
	TEST(oversized_tokens);
	TEST(rotated_key_verifies_until_retired);
	TEST(jwks_shape);
	TEST(bad_jwks_members_refused);
	signkeys_free(ring);
	return tg_test_done();
}
