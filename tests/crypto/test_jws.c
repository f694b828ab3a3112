/* SPDX-License-Identifier: MIT
 * crypto/jws: ES256 and RS256 signing keys and signatures.
 *  - RFC 7515 Appendix A.2 (RS256) and A.3 (ES256) keys and signatures:
 *    our RS256 signature equals the RFC's byte for byte (PKCS #1 v1.5 is
 *    deterministic) and the RFC's R || S ES256 signature verifies;
 *  - RFC 7638 §3.1: the kid of the RFC's RSA key is its thumbprint;
 *  - interop with the openssl command: keys it generates import, its
 *    signatures verify with ours, ours verify with `openssl dgst -verify`;
 *  - tampered header, payload or signature, alg "none" or another alg,
 *    wrong signature lengths, weak or wrong key types are all refused. */
#include <stdbool.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "harness.h"
#include "base/b64.h"
#include "base/err.h"
#include "base/limits.h"
#include "crypto/jws.h"
#include "crypto/jws_int.h"

/* RFC 7515 Appendix A.2 / A.3 keys as PKCS #8 DER (hex), built once from
 * the RFC's JWK members (n, e, d, p, q, dp, dq, qi; x, y, d). These are
 * the RFC's published example keys, not secrets. */
static const char RFC7515_A2_RSA_PKCS8[] =
	"308204bd020100300d06092a864886f70d0101010500048204a7308204a30201000282010100a1f8"
	"160ae2e3c9b465ce8d2d656263362b927dbe29e1f02477fc1625cc90a136e38bd93497c5b6ea63dd"
	"7711e67c7429f956b0fb8a8f089adc4b69893cc1333f53edd019b87784252fec914fe4857769594b"
	"ea4280d32c0f55bf62944f130396bc6e9bdf6ebdd2bda3678eeca0c668f701b38dbffb38c8342ce2"
	"fe6d27fade4a5a4874979dd4b9cf9adec4c75b05852c2c0f5ef8a5c1750392f944e8ed64c110c6b6"
	"47609aa4783aeb9c6c9ad755313050638b83665c6f6f7a82a396702a1f641b82d3ebf2392219491f"
	"b686872c5716f50af8358d9a8b9d17c340728f7f87d89a18d8fcab67ad84590c2ecf759339363c07"
	"034d6f606f9e21e05456cae5e9a102030100010282010012ae71a469cd0a2bc37e526c4500571f1d"
	"61751d64e949707b62590f9d0ba57c963c401e3fcf2f2cd3bdec88e503bfc6439b0b28c82f7d3797"
	"671f5213eed8c15a25d8d5cea0025ee3ab2e8b7f79216fc63bea562753b40644c6a15127d9b29545"
	"40a0bbe1a30556982d4e9fde5f6425f14d4b713441b55dc73b9b4aedcc92ace3927e37f57d0cfd5e"
	"7581fa512c8f4961a9eb0b80f8a80746728a55ff46471f3425063b9d53642f5ede1e84d613081afa"
	"5c22d051285bd63b943b565d898a05685413e53c3c6c6525ff1fe34e3ddc70f0d56450fda48ba12e"
	"104e9deb9fb81881e1c4bdf25d9247f450c865927968e77334f4414f75a750e139546e3a8a739d02"
	"818100e01cc410eb48a6655d54464d0aa4bb6da0b872b774a6a9d11ffe480778f0ddb7311a7e902e"
	"f9c4b5f75476262ba8176cb35979f014372a1a2829e4136bd001d07c3f3f2e4f25d4c934f63c7109"
	"fba2e67628a0dc9a73c6058e6def22dcd50950e711ddc16d5586f2a7fa75ea8494c18083e0b65742"
	"f8a0d5e73fb2d970f0194702818100b903c47e0995b632f4532cb1f3c199145d5f3ae9c7dfeedc7a"
	"92a6b47e29c61b42a07aa95a64fc600999c5a7b01e01c08cb62ca756527bbcc56078fb0baba5ed38"
	"de2d07990ff6300faeadeb6c039a97bf1e507e4e7040fa78db8257c8b112ed5e59c3cd092fe5d4e5"
	"b51275d41281072a5e785ebaf3dae3709203133f5159d702818007029f577024ab9fcc1590c56429"
	"d6fb0ce5f820a8f375a866f9cb430093783bfcbb396e4529e6ef52374022dd86ba84d9ef58931bee"
	"c5d05fa53fcf23b633f8538a9eed51e87b097830a39f5d92937be6024b55db36f7e0c09dcbb72975"
	"387f615afbb6cb36bbabe7793c2b03ceab66dbb931baf50b55ec9af9311d001d628d0281810087ff"
	"7afa62b547fee0961b2e9bcd5d6718d39d8ca73db6691f38998de78771762c5da68cc243a5383b16"
	"6bb23dc570e84706ca801ef5f6bae6236a0aafa3770e8f54d1a8da1c5f8d2899f082331ddb0f5c8f"
	"3dfffa4c8d97102bdafe082a118da6633988880e4b55599ce67af26ebfa5b2c14a9de7b2c4dd96ab"
	"ddd2d2224c7502818021877b0c73a1ad6bf19303d0b11336b4e82b8db72b7efb50262a5df8395cc7"
	"256eb8cf6c40b7608d5936a32dba174126a527062ead8ca305fb7e177f409437c9dcb9718ed82018"
	"bcef0f7720a2c475f9db26da0e3cb516d084eb25178e828d5cabd49bb3161ac0181fa7f821e80e7a"
	"d37936f9943054ad092921ee2c592e4375";
static const char RFC7515_A3_EC_PKCS8[] =
	"308187020100301306072a8648ce3d020106082a8648ce3d030107046d306b02010104208e9b109e"
	"719098bf980487df1f5d77e9cb29606ebed2263b5f57c213df84f4b2a144034200047fcdce2770f6"
	"c45d4183cbee6fdb4b7b580733357be9ef13bacf6e3c7bd15445c7f144cd1bbd9b7e872cdfedb9ee"
	"b9f4b3695d6ea90b24ad8a4623288588e5ad";

/* RFC 7515 A.2/A.3 signing input: {"alg":"RS256"} / {"alg":"ES256"} and
 * the claims {"iss":"joe","exp":1300819380,"http://example.com/is_root":true} */
#define RFC_PAYLOAD "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ"
#define A2_INPUT "eyJhbGciOiJSUzI1NiJ9." RFC_PAYLOAD
#define A3_INPUT "eyJhbGciOiJFUzI1NiJ9." RFC_PAYLOAD
#define A2_N "ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ"
#define A2_SIG "cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5jujGbds9uJdbF9CUAr7t1dnZcAcQjbKBYNX4BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07Qe7K0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-eOkHWEsqtFZESc6BfI7noOPqvhJ1phCnvWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igcN_IoypGlUPQGe77Rw"
#define A3_X "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU"
#define A3_Y "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"
#define A3_SIG "DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q"
/* RFC 7638 §3.1 */
#define R7638_N "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"
#define R7638_KID "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"

#define INPUT "eyJhbGciOiJFUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhbGljZSJ9"

static size_t unhex(const char *hex, uint8_t *out, size_t max)
{
	size_t n = strlen(hex) / 2;
	if (n > max)
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned v = 0;
		if (sscanf(hex + 2 * i, "%2x", &v) != 1)
			return 0;
		out[i] = (uint8_t)v;
	}
	return n;
}

static size_t unb64url(const char *s, uint8_t *out, size_t max)
{
	size_t n = 0;
	if (b64url_decode(s, strlen(s), out, max, &n) != TG_OK)
		return 0;
	return n;
}

static struct sign_key *import_hex(enum jws_alg alg, const char *hex)
{
	uint8_t der[JWS_MAX_PRIVATE_DER];
	size_t n = unhex(hex, der, sizeof der);
	struct sign_key *k = NULL;
	if (n == 0 || sign_key_import_private(alg, der, n, 1000, 0, &k) != TG_OK)
		return NULL;
	return k;
}

/* ---- algorithm names ---- */

static void only_es256_and_rs256(void)
{
	enum jws_alg a = 0;
	CHECK_OK(jws_alg_parse("ES256", &a));
	CHECK_INT(a, JWS_ALG_ES256);
	CHECK_OK(jws_alg_parse("RS256", &a));
	CHECK_INT(a, JWS_ALG_RS256);
	const char *refused[] = {"none", "None", "NONE", "", "HS256", "es256", "ES256 ", "ES384",
	                         "PS256", "EdDSA", "RS512"};
	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++)
		if (jws_alg_parse(refused[i], &a) != TG_ERR_UNSUPPORTED)
			TG_T_FAIL("alg \"%s\" accepted", refused[i]);
	CHECK_INT(jws_alg_parse(NULL, &a), TG_ERR_UNSUPPORTED);
	CHECK_STR(jws_alg_name(JWS_ALG_ES256), "ES256");
	CHECK_STR(jws_alg_name(JWS_ALG_RS256), "RS256");
	CHECK(jws_alg_name((enum jws_alg)0) == NULL);
}

/* ---- round trips and tampering ---- */

/* Sign INPUT with k and check every kind of tampering is refused. */
static void round_trip_and_tamper(struct sign_key *k, size_t want_len)
{
	uint8_t sig[JWS_MAX_SIG_LEN + 1];
	size_t len = 0;
	enum jws_alg alg = sign_key_alg(k), other = alg == JWS_ALG_ES256 ? JWS_ALG_RS256 : JWS_ALG_ES256;
	char input[] = INPUT;
	size_t in_len = strlen(input);
	CHECK_OK(jws_sign(k, input, in_len, sig, sizeof sig, &len));
	CHECK_INT(len, want_len);
	CHECK_OK(jws_verify(k, alg, input, in_len, sig, len));

	/* a byte of the header, of the payload, of the signature */
	input[3] ^= 1;
	CHECK_INT(jws_verify(k, alg, input, in_len, sig, len), TG_ERR_DENIED);
	input[3] ^= 1;
	input[in_len - 2] ^= 1;
	CHECK_INT(jws_verify(k, alg, input, in_len, sig, len), TG_ERR_DENIED);
	input[in_len - 2] ^= 1;
	for (size_t i = 0; i < len; i += len / 8) {
		sig[i] ^= 0x40;
		if (jws_verify(k, alg, input, in_len, sig, len) != TG_ERR_DENIED)
			TG_T_FAIL("signature with byte %zu changed accepted", i);
		sig[i] ^= 0x40;
	}
	/* truncated or extended input */
	CHECK_INT(jws_verify(k, alg, input, in_len - 1, sig, len), TG_ERR_DENIED);
	/* the key decides the algorithm */
	CHECK_INT(jws_verify(k, other, input, in_len, sig, len), TG_ERR_DENIED);
	CHECK_INT(jws_verify(k, (enum jws_alg)0, input, in_len, sig, len), TG_ERR_DENIED);
	/* wrong lengths: one short, one long, empty */
	CHECK_INT(jws_verify(k, alg, input, in_len, sig, len - 1), TG_ERR_DENIED);
	sig[len] = 0;
	CHECK_INT(jws_verify(k, alg, input, in_len, sig, len + 1), TG_ERR_DENIED);
	CHECK_INT(jws_verify(k, alg, input, in_len, sig, 0), TG_ERR_DENIED);
	/* an all-zero signature of the right length */
	uint8_t zero[JWS_MAX_SIG_LEN] = {0};
	CHECK_INT(jws_verify(k, alg, input, in_len, zero, len), TG_ERR_DENIED);
	/* the original still verifies */
	CHECK_OK(jws_verify(k, alg, input, in_len, sig, len));
}

static void es256_round_trip(void)
{
	struct sign_key *k = NULL;
	CHECK_OK(sign_key_generate(JWS_ALG_ES256, 1700000000, &k));
	REQUIRE(k);
	CHECK_INT(sign_key_alg(k), JWS_ALG_ES256);
	CHECK_INT(strlen(sign_key_kid(k)), JWS_KID_LEN);
	CHECK_INT(sign_key_created(k), 1700000000);
	CHECK_INT(sign_key_not_after(k), 0);
	CHECK(sign_key_has_private(k));
	round_trip_and_tamper(k, JWS_ES256_SIG_LEN);
	/* ECDSA is randomised: two signatures differ, both verify */
	uint8_t s1[64], s2[64];
	size_t l1 = 0, l2 = 0;
	CHECK_OK(jws_sign(k, "x", 1, s1, sizeof s1, &l1));
	CHECK_OK(jws_sign(k, "x", 1, s2, sizeof s2, &l2));
	CHECK(memcmp(s1, s2, 64) != 0);
	/* a buffer too small */
	CHECK_INT(jws_sign(k, "x", 1, s1, 63, &l1), TG_ERR_TOO_LARGE);
	sign_key_free(k);
}

static void rs256_round_trip(void)
{
	struct sign_key *k = NULL;
	CHECK_OK(sign_key_generate(JWS_ALG_RS256, 1700000000, &k));
	REQUIRE(k);
	CHECK_INT(sign_key_alg(k), JWS_ALG_RS256);
	CHECK_INT(strlen(sign_key_kid(k)), JWS_KID_LEN);
	struct sign_key_public pub;
	CHECK_OK(sign_key_public(k, &pub));
	CHECK_INT(pub.n_len, JWS_RSA_BITS / 8);
	CHECK_INT(pub.e_len, 3);
	CHECK(pub.e[0] == 1 && pub.e[1] == 0 && pub.e[2] == 1);   /* 65537 */
	round_trip_and_tamper(k, JWS_RSA_BITS / 8);
	sign_key_free(k);
}

static void kids_differ(void)
{
	struct sign_key *a = NULL, *b = NULL;
	CHECK_OK(sign_key_generate(JWS_ALG_ES256, 1, &a));
	CHECK_OK(sign_key_generate(JWS_ALG_ES256, 1, &b));
	REQUIRE(a && b);
	CHECK(strcmp(sign_key_kid(a), sign_key_kid(b)) != 0);
	/* a signature by one key does not verify under another */
	uint8_t sig[64];
	size_t len = 0;
	CHECK_OK(jws_sign(a, INPUT, strlen(INPUT), sig, sizeof sig, &len));
	CHECK_INT(jws_verify(b, JWS_ALG_ES256, INPUT, strlen(INPUT), sig, len), TG_ERR_DENIED);
	sign_key_free(a);
	sign_key_free(b);
}

static void oversized_input_refused(void)
{
	struct sign_key *k = import_hex(JWS_ALG_ES256, RFC7515_A3_EC_PKCS8);
	REQUIRE(k);
	static char big[TG_MAX_JWT + 1];
	uint8_t sig[64];
	size_t len = 0;
	memset(big, 'a', sizeof big);
	CHECK_INT(jws_sign(k, big, sizeof big, sig, sizeof sig, &len), TG_ERR_TOO_LARGE);
	CHECK_OK(jws_sign(k, big, TG_MAX_JWT, sig, sizeof sig, &len));
	CHECK_INT(jws_verify(k, JWS_ALG_ES256, big, sizeof big, sig, len), TG_ERR_TOO_LARGE);
	sign_key_free(k);
}

/* ---- RFC vectors ---- */

static void rfc7515_a2_rs256_exact(void)
{
	struct sign_key *k = import_hex(JWS_ALG_RS256, RFC7515_A2_RSA_PKCS8);
	REQUIRE(k);
	uint8_t want[256], sig[JWS_MAX_SIG_LEN], n[256];
	size_t want_len = unb64url(A2_SIG, want, sizeof want), len = 0;
	CHECK_INT(want_len, 256);
	CHECK_OK(jws_sign(k, A2_INPUT, strlen(A2_INPUT), sig, sizeof sig, &len));
	CHECK_INT(len, 256);
	CHECK(memcmp(sig, want, 256) == 0);
	CHECK_OK(jws_verify(k, JWS_ALG_RS256, A2_INPUT, strlen(A2_INPUT), want, want_len));

	/* the public parameters are the RFC's, and a verify-only key built
	 * from them verifies the RFC's signature but cannot sign */
	struct sign_key_public pub;
	CHECK_OK(sign_key_public(k, &pub));
	CHECK_INT(pub.n_len, unb64url(A2_N, n, sizeof n));
	CHECK(memcmp(pub.n, n, pub.n_len) == 0);
	struct sign_key *v = NULL;
	CHECK_OK(sign_key_from_public(&pub, &v));
	REQUIRE(v);
	CHECK(!sign_key_has_private(v));
	CHECK_STR(sign_key_kid(v), sign_key_kid(k));
	CHECK_OK(jws_verify(v, JWS_ALG_RS256, A2_INPUT, strlen(A2_INPUT), want, want_len));
	CHECK_INT(jws_sign(v, A2_INPUT, strlen(A2_INPUT), sig, sizeof sig, &len), TG_ERR_INVALID);
	sign_key_free(v);
	sign_key_free(k);
}

static void rfc7515_a3_es256(void)
{
	struct sign_key *k = import_hex(JWS_ALG_ES256, RFC7515_A3_EC_PKCS8);
	REQUIRE(k);
	uint8_t rfc_sig[64], x[32], y[32];
	CHECK_INT(unb64url(A3_SIG, rfc_sig, sizeof rfc_sig), 64);
	CHECK_INT(unb64url(A3_X, x, sizeof x), 32);
	CHECK_INT(unb64url(A3_Y, y, sizeof y), 32);
	struct sign_key_public pub;
	CHECK_OK(sign_key_public(k, &pub));
	CHECK(memcmp(pub.x, x, 32) == 0);
	CHECK(memcmp(pub.y, y, 32) == 0);
	/* the RFC's R || S signature verifies: our JOSE form is the RFC's */
	CHECK_OK(jws_verify(k, JWS_ALG_ES256, A3_INPUT, strlen(A3_INPUT), rfc_sig, 64));
	/* swapping R and S breaks it */
	uint8_t swapped[64];
	memcpy(swapped, rfc_sig + 32, 32);
	memcpy(swapped + 32, rfc_sig, 32);
	CHECK_INT(jws_verify(k, JWS_ALG_ES256, A3_INPUT, strlen(A3_INPUT), swapped, 64),
	          TG_ERR_DENIED);

	/* a verify-only key from x and y */
	struct sign_key *v = NULL;
	struct sign_key_public p2 = {.alg = JWS_ALG_ES256};
	memcpy(p2.x, x, 32);
	memcpy(p2.y, y, 32);
	CHECK_OK(sign_key_from_public(&p2, &v));
	REQUIRE(v);
	CHECK_STR(sign_key_kid(v), sign_key_kid(k));
	CHECK_OK(jws_verify(v, JWS_ALG_ES256, A3_INPUT, strlen(A3_INPUT), rfc_sig, 64));
	uint8_t sig[64];
	size_t len = 0;
	CHECK_OK(jws_sign(k, A3_INPUT, strlen(A3_INPUT), sig, sizeof sig, &len));
	CHECK_OK(jws_verify(v, JWS_ALG_ES256, A3_INPUT, strlen(A3_INPUT), sig, len));
	/* a point off the curve is refused */
	p2.y[31] ^= 1;
	struct sign_key *bad = NULL;
	CHECK_INT(sign_key_from_public(&p2, &bad), TG_ERR_INVALID);
	CHECK(bad == NULL);
	sign_key_free(v);
	sign_key_free(k);
}

static void rfc7638_thumbprint(void)
{
	struct sign_key_public pub = {.alg = JWS_ALG_RS256};
	pub.n_len = unb64url(R7638_N, pub.n, sizeof pub.n);
	pub.e_len = unb64url("AQAB", pub.e, sizeof pub.e);
	CHECK_INT(pub.n_len, 256);
	struct sign_key *k = NULL;
	CHECK_OK(sign_key_from_public(&pub, &k));
	REQUIRE(k);
	CHECK_STR(sign_key_kid(k), R7638_KID);
	sign_key_free(k);
}

/* ---- private key export and import ---- */

static void private_export_import(void)
{
	struct sign_key *k = import_hex(JWS_ALG_ES256, RFC7515_A3_EC_PKCS8), *k2 = NULL;
	REQUIRE(k);
	uint8_t der[JWS_MAX_PRIVATE_DER + 1];
	size_t len = 0;
	CHECK_OK(sign_key_export_private(k, der, sizeof der, &len));
	CHECK_OK(sign_key_import_private(JWS_ALG_ES256, der, len, 5, 6, &k2));
	REQUIRE(k2);
	CHECK_STR(sign_key_kid(k2), sign_key_kid(k));
	CHECK_INT(sign_key_created(k2), 5);
	CHECK_INT(sign_key_not_after(k2), 6);
	sign_key_free(k2);
	k2 = NULL;
	/* the wrong algorithm, a truncated key, a trailing byte, garbage */
	CHECK_INT(sign_key_import_private(JWS_ALG_RS256, der, len, 0, 0, &k2), TG_ERR_INVALID);
	CHECK_INT(sign_key_import_private(JWS_ALG_ES256, der, len - 1, 0, 0, &k2), TG_ERR_INVALID);
	der[len] = 0;
	CHECK_INT(sign_key_import_private(JWS_ALG_ES256, der, len + 1, 0, 0, &k2), TG_ERR_INVALID);
	CHECK_INT(sign_key_import_private(JWS_ALG_ES256, (const uint8_t *)"junk", 4, 0, 0, &k2),
	          TG_ERR_INVALID);
	CHECK_INT(sign_key_import_private(JWS_ALG_ES256, der, 0, 0, 0, &k2), TG_ERR_INVALID);
	CHECK(k2 == NULL);
	/* too small a buffer */
	CHECK_INT(sign_key_export_private(k, der, 10, &len), TG_ERR_TOO_LARGE);
	/* a verify-only key has nothing to export */
	struct sign_key_public pub;
	CHECK_OK(sign_key_public(k, &pub));
	CHECK_OK(sign_key_from_public(&pub, &k2));
	REQUIRE(k2);
	CHECK_INT(sign_key_export_private(k2, der, sizeof der, &len), TG_ERR_INVALID);
	sign_key_free(k2);
	sign_key_free(k);

	struct sign_key *r = import_hex(JWS_ALG_RS256, RFC7515_A2_RSA_PKCS8);
	REQUIRE(r);
	CHECK_OK(sign_key_export_private(r, der, sizeof der, &len));
	CHECK(len > 1100 && len < 1300);
	CHECK_INT(sign_key_import_private(JWS_ALG_ES256, der, len, 0, 0, &k2), TG_ERR_INVALID);
	sign_key_free(r);
}

static void ecdsa_forms(void)
{
	uint8_t raw[64], der[JWS_MAX_ECDSA_DER], back[64];
	size_t len = 0;
	/* high bits set: DER INTEGERs need a leading zero byte */
	memset(raw, 0xff, 32);
	memset(raw + 32, 0x01, 32);
	CHECK_OK(jws_ecdsa_raw_to_der(raw, der, sizeof der, &len));
	CHECK_INT(der[3], 33);
	CHECK_OK(jws_ecdsa_der_to_raw(der, len, back));
	CHECK(memcmp(raw, back, 64) == 0);
	/* small values: R = 1 is one DER byte, left-padded back to 32 */
	memset(raw, 0, 64);
	raw[31] = 1;
	raw[63] = 2;
	CHECK_OK(jws_ecdsa_raw_to_der(raw, der, sizeof der, &len));
	CHECK_INT(len, 8);
	CHECK_OK(jws_ecdsa_der_to_raw(der, len, back));
	CHECK(memcmp(raw, back, 64) == 0);
	/* non-minimal INTEGER (a redundant leading zero), trailing bytes */
	const uint8_t nonmin[] = {0x30, 0x07, 0x02, 0x02, 0x00, 0x01, 0x02, 0x01, 0x02};
	CHECK_INT(jws_ecdsa_der_to_raw(nonmin, sizeof nonmin, back), TG_ERR_INVALID);
	uint8_t trailing[9];
	memcpy(trailing, der, 8);
	trailing[8] = 0;
	CHECK_INT(jws_ecdsa_der_to_raw(trailing, 9, back), TG_ERR_INVALID);
	CHECK_INT(jws_ecdsa_der_to_raw(der, 0, back), TG_ERR_INVALID);
	/* an INTEGER of 33 significant bytes does not fit P-256 */
	uint8_t big[2 + 2 + 34 + 3] = {0x30, 2 + 34 + 3, 0x02, 34, 0x00, 0x80};
	big[2 + 2 + 34] = 0x02;
	big[2 + 2 + 34 + 1] = 1;
	big[2 + 2 + 34 + 2] = 1;
	CHECK_INT(jws_ecdsa_der_to_raw(big, sizeof big, back), TG_ERR_INVALID);
}

static void retirement_window(void)
{
	struct sign_key *k = import_hex(JWS_ALG_ES256, RFC7515_A3_EC_PKCS8);
	REQUIRE(k);
	CHECK(sign_key_is_valid_at(k, INT64_MAX));
	sign_key_set_not_after(k, 5000);
	CHECK(sign_key_is_valid_at(k, 4999));
	CHECK(!sign_key_is_valid_at(k, 5000));
	sign_key_free(k);
	sign_key_free(NULL);
}

/* ---- interop with the openssl command ---- */

static char tmpdir[64];

static bool have_openssl(void)
{
	return system("openssl version >/dev/null 2>&1") == 0;
}

/* Run a shell command in tmpdir; returns its exit status. */
static int sh(const char *command)
{
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "cd '%s' && %s 2>&1", tmpdir, command);
	FILE *p = popen(cmd, "r");
	if (!p)
		return -1;
	char line[256];
	while (fgets(line, sizeof line, p))
		;   /* "Verified OK" / "Verification failure": the status says it */
	int st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* openssl genpkey with the given options into out (DER). */
static int genpkey(const char *opts, const char *out)
{
	char cmd[512];
	snprintf(cmd, sizeof cmd, "openssl genpkey %s -outform DER -out %s", opts, out);
	return sh(cmd);
}

static size_t read_file(const char *name, uint8_t *buf, size_t max)
{
	char path[128];
	snprintf(path, sizeof path, "%s/%s", tmpdir, name);
	FILE *f = fopen(path, "rb");
	if (!f)
		return 0;
	size_t n = fread(buf, 1, max, f);
	fclose(f);
	return n;
}

static void write_file(const char *name, const void *buf, size_t len)
{
	char path[128];
	snprintf(path, sizeof path, "%s/%s", tmpdir, name);
	FILE *f = fopen(path, "wb");
	if (!f) {
		TG_T_FAIL("cannot write %s", path);
		return;
	}
	fwrite(buf, 1, len, f);
	fclose(f);
}

static void interop(enum jws_alg alg, const char *opts)
{
	uint8_t der[JWS_MAX_PRIVATE_DER], sig[JWS_MAX_SIG_LEN], raw[64], sigder[JWS_MAX_ECDSA_DER];
	size_t len = 0, slen = 0;
	struct sign_key *k = NULL;

	/* a key made by openssl imports */
	REQUIRE(genpkey(opts, "key.der") == 0);
	len = read_file("key.der", der, sizeof der);
	REQUIRE(len > 0);
	CHECK_OK(sign_key_import_private(alg, der, len, 0, 0, &k));
	REQUIRE(k);
	REQUIRE(sh("openssl pkey -inform DER -in key.der -pubout -out pub.pem") == 0);
	write_file("input", INPUT, strlen(INPUT));

	/* openssl signs, we verify */
	REQUIRE(sh("openssl dgst -sha256 -keyform DER -sign key.der -out theirs.sig input") == 0);
	slen = read_file("theirs.sig", sig, sizeof sig);
	REQUIRE(slen > 0);
	if (alg == JWS_ALG_ES256) {
		CHECK_OK(jws_ecdsa_der_to_raw(sig, slen, raw));
		CHECK_OK(jws_verify(k, alg, INPUT, strlen(INPUT), raw, 64));
		raw[10] ^= 1;
		CHECK_INT(jws_verify(k, alg, INPUT, strlen(INPUT), raw, 64), TG_ERR_DENIED);
	} else {
		CHECK_INT(slen, 256);
		CHECK_OK(jws_verify(k, alg, INPUT, strlen(INPUT), sig, slen));
	}

	/* we sign, openssl verifies (ES256 converted back to DER, which
	 * also checks our R || S is the right pair in the right order) */
	CHECK_OK(jws_sign(k, INPUT, strlen(INPUT), sig, sizeof sig, &slen));
	if (alg == JWS_ALG_ES256) {
		size_t dlen = 0;
		CHECK_OK(jws_ecdsa_raw_to_der(sig, sigder, sizeof sigder, &dlen));
		write_file("ours.sig", sigder, dlen);
	} else {
		write_file("ours.sig", sig, slen);
	}
	CHECK_INT(sh("openssl dgst -sha256 -verify pub.pem -signature ours.sig input"), 0);
	/* and refuses it over other bytes */
	write_file("input", INPUT "x", strlen(INPUT) + 1);
	CHECK(sh("openssl dgst -sha256 -verify pub.pem -signature ours.sig input") != 0);
	sign_key_free(k);
}

static void openssl_cli_interop(void)
{
	if (!have_openssl()) {
		printf("openssl_cli_interop: skipped (no openssl command)\n");
		return;
	}
	interop(JWS_ALG_ES256, "-algorithm EC -pkeyopt ec_paramgen_curve:P-256");
	interop(JWS_ALG_RS256, "-algorithm RSA -pkeyopt rsa_keygen_bits:2048");
}

static void weak_or_wrong_keys_refused(void)
{
	if (!have_openssl()) {
		printf("weak_or_wrong_keys_refused: skipped (no openssl command)\n");
		return;
	}
	static const struct {
		enum jws_alg alg;
		const char *genpkey;
	} bad[] = {
		{JWS_ALG_RS256, "-algorithm RSA -pkeyopt rsa_keygen_bits:1024"},   /* too small */
		{JWS_ALG_RS256, "-algorithm RSA-PSS -pkeyopt rsa_keygen_bits:2048"},
		{JWS_ALG_ES256, "-algorithm EC -pkeyopt ec_paramgen_curve:P-384"},
		{JWS_ALG_ES256, "-algorithm EC -pkeyopt ec_paramgen_curve:secp256k1"},
		{JWS_ALG_ES256, "-algorithm ED25519"},
	};
	uint8_t der[JWS_MAX_PRIVATE_DER];
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct sign_key *k = NULL;
		if (genpkey(bad[i].genpkey, "weak.der") != 0) {
			TG_T_FAIL("openssl genpkey %s failed", bad[i].genpkey);
			continue;
		}
		size_t len = read_file("weak.der", der, sizeof der);
		if (sign_key_import_private(bad[i].alg, der, len, 0, 0, &k) != TG_ERR_INVALID)
			TG_T_FAIL("key from \"%s\" accepted", bad[i].genpkey);
		sign_key_free(k);
	}
}

int main(void)
{
	snprintf(tmpdir, sizeof tmpdir, "/tmp/tg_jws_XXXXXX");
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	TEST(only_es256_and_rs256);
	TEST(es256_round_trip);
	TEST(rs256_round_trip);
	TEST(kids_differ);
	TEST(oversized_input_refused);
	TEST(rfc7515_a2_rs256_exact);
	TEST(rfc7515_a3_es256);
	TEST(rfc7638_thumbprint);
	TEST(private_export_import);
	TEST(ecdsa_forms);
	TEST(retirement_window);
	TEST(openssl_cli_interop);
	TEST(weak_or_wrong_keys_refused);
	const char *files[] = {"key.der", "pub.pem", "input", "theirs.sig", "ours.sig", "weak.der"};
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		char path[128];
		snprintf(path, sizeof path, "%s/%s", tmpdir, files[i]);
		unlink(path);
	}
	rmdir(tmpdir);
	return tg_test_done();
}
