/* SPDX-License-Identifier: MIT
 * HMAC against RFC 4231 (SHA-256, SHA-512; all seven cases, case 5
 * truncated to 128 bits as the RFC does) and RFC 2202 (SHA-1); the
 * pre-keyed context against the one-shot; SHA-256; the peppered digest. */
#include "harness.h"
#include "base/err.h"
#include "base/mem.h"
#include "crypto/hmac.h"

static size_t unhex(const char *hex, uint8_t *out, size_t max)
{
	size_t n = strlen(hex) / 2;
	if (n > max)
		abort();
	for (size_t i = 0; i < n; i++) {
		unsigned v;
		if (sscanf(hex + 2 * i, "%2x", &v) != 1)
			abort();
		out[i] = (uint8_t)v;
	}
	return n;
}

static const char tc7_data[] = "This is a test using a larger than block-size key and a larger "
	"than block-size data. The key needs to be hashed before being used by the HMAC algorithm.";

/* RFC 4231 §4.2-4.8. key and data in hex ("" = special). */
static const struct {
	int tc;
	const char *key_hex;    /* NULL: 131 bytes of 0xaa */
	const char *data;       /* text, or NULL with data_hex */
	const char *data_hex;
	const char *sha256, *sha512;
} rfc4231[] = {
	{1, "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "Hi There", NULL,
	 "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
	 "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde"
	 "daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854"},
	{2, "4a656665", "what do ya want for nothing?", NULL,
	 "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
	 "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
	 "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737"},
	{3, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", NULL,
	 "dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd",
	 "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe",
	 "fa73b0089d56a284efb0f0756c890be9b1b5dbdd8ee81a3655f83e33b2279d39"
	 "bf3e848279a722c806b485a47e67c807b946a337bee8942674278859e13292fb"},
	{4, "0102030405060708090a0b0c0d0e0f10111213141516171819", NULL,
	 "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd",
	 "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b",
	 "b0ba465637458c6990e5a8c5f61d4af7e576d97ff94b872de76f8050361ee3db"
	 "a91ca5c11aa25eb4d679275cc5788063a5f19741120c4f2de2adebeb10a298dd"},
	{5, "0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c", "Test With Truncation", NULL,
	 "a3b6167473100ee06e0c796c2955552b",   /* truncated to 128 bits */
	 "415fad6271580a531d4179bc891d87a6"},
	{6, NULL, "Test Using Larger Than Block-Size Key - Hash Key First", NULL,
	 "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
	 "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f352"
	 "6b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598"},
	{7, NULL, tc7_data, NULL,
	 "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
	 "e37b6a775dc87dbaa4dfa9f96e5e3ffddebd71f8867289865df5a32d20cdc944"
	 "b6022cac3c4982b10d5eeb55c3e4de15134676fb6de0446065c97440fa8c6a58"},
};

static void check_vector(int tc, enum hmac_alg alg, const uint8_t *key, size_t key_len,
                         const uint8_t *data, size_t data_len, const char *expect_hex)
{
	uint8_t expect[HMAC_MAX_LEN], got[HMAC_MAX_LEN];
	size_t elen = unhex(expect_hex, expect, sizeof expect), glen = 0;
	CHECK_OK(hmac_compute(alg, key, key_len, data, data_len, got, &glen));
	CHECK_INT(glen, hmac_alg_len(alg));
	if (memcmp(got, expect, elen) != 0)
		TG_T_FAIL("RFC vector %d alg %s differs", tc, hmac_alg_name(alg));
}

static void rfc4231_vectors(void)
{
	for (size_t i = 0; i < TG_ARRAY_LEN(rfc4231); i++) {
		uint8_t key[131], data[256];
		size_t key_len, data_len;
		if (rfc4231[i].key_hex) {
			key_len = unhex(rfc4231[i].key_hex, key, sizeof key);
		} else {
			memset(key, 0xaa, sizeof key);
			key_len = sizeof key;
		}
		if (rfc4231[i].data) {
			data_len = strlen(rfc4231[i].data);
			memcpy(data, rfc4231[i].data, data_len);
		} else {
			data_len = unhex(rfc4231[i].data_hex, data, sizeof data);
		}
		check_vector(rfc4231[i].tc, HMAC_ALG_SHA256, key, key_len, data, data_len, rfc4231[i].sha256);
		check_vector(rfc4231[i].tc, HMAC_ALG_SHA512, key, key_len, data, data_len, rfc4231[i].sha512);
	}
	CHECK_INT(TG_ARRAY_LEN(rfc4231), 7);
}

static void rfc2202_sha1_vectors(void)
{
	uint8_t k1[20], k6[80];
	memset(k1, 0x0b, sizeof k1);
	memset(k6, 0xaa, sizeof k6);
	check_vector(1, HMAC_ALG_SHA1, k1, sizeof k1, (const uint8_t *)"Hi There", 8,
	             "b617318655057264e28bc0b6fb378c8ef146be00");
	check_vector(2, HMAC_ALG_SHA1, (const uint8_t *)"Jefe", 4,
	             (const uint8_t *)"what do ya want for nothing?", 28,
	             "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
	const char *d6 = "Test Using Larger Than Block-Size Key - Hash Key First";
	check_vector(6, HMAC_ALG_SHA1, k6, sizeof k6, (const uint8_t *)d6, strlen(d6),
	             "aa4ae5e15272d00e95705637ce8a3b55ed402112");
}

static void context_matches_one_shot(void)
{
	static const enum hmac_alg algs[] = {HMAC_ALG_SHA1, HMAC_ALG_SHA256, HMAC_ALG_SHA512};
	const char *key = "12345678901234567890";
	for (size_t a = 0; a < TG_ARRAY_LEN(algs); a++) {
		struct hmac_ctx *c = NULL;
		CHECK_OK(hmac_ctx_new(algs[a], key, 20, &c));
		REQUIRE(c != NULL);
		/* several messages through one context: the key is reused and no
		 * state leaks from one message into the next */
		for (uint8_t m = 0; m < 5; m++) {
			uint8_t msg[8] = {0, 0, 0, 0, 0, 0, 0, m}, a1[HMAC_MAX_LEN], a2[HMAC_MAX_LEN];
			size_t l1 = 0, l2 = 0;
			CHECK_OK(hmac_ctx_compute(c, msg, sizeof msg, a1, &l1));
			CHECK_OK(hmac_compute(algs[a], key, 20, msg, sizeof msg, a2, &l2));
			CHECK_INT(l1, l2);
			CHECK(memcmp(a1, a2, l1) == 0);
		}
		hmac_ctx_free(c);
	}
	hmac_ctx_free(NULL);
}

static void empty_key_and_bad_alg(void)
{
	uint8_t out[HMAC_MAX_LEN], expect[32];
	size_t len = 99;
	/* HMAC-SHA256 with an empty key over an empty message (well known) */
	CHECK_OK(hmac_compute(HMAC_ALG_SHA256, "", 0, "", 0, out, &len));
	unhex("b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad", expect, sizeof expect);
	CHECK(memcmp(out, expect, 32) == 0);
	CHECK_INT(hmac_compute((enum hmac_alg)7, "k", 1, "m", 1, out, &len), TG_ERR_INVALID);
	CHECK_INT(len, 0);
	CHECK_INT(hmac_alg_len((enum hmac_alg)7), 0);
	CHECK(hmac_alg_name((enum hmac_alg)7) == NULL);
	static uint8_t big[HMAC_MAX_KEY + 1];
	CHECK_INT(hmac_compute(HMAC_ALG_SHA1, big, sizeof big, "m", 1, out, NULL), TG_ERR_TOO_LARGE);
	struct hmac_ctx *c = (struct hmac_ctx *)1;
	CHECK_INT(hmac_ctx_new((enum hmac_alg)7, "k", 1, &c), TG_ERR_INVALID);
	CHECK(c == NULL);
}

static void sha256_fips_vector(void)
{
	uint8_t out[HMAC_SHA256_LEN], expect[32];
	CHECK_OK(hmac_sha256_hash("abc", 3, out));
	unhex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", expect, sizeof expect);
	CHECK(memcmp(out, expect, 32) == 0);
}

static void pepper_digest_separates_contexts(void)
{
	uint8_t pepper[32], d1[32], d2[32], d3[32], d4[32], expect[HMAC_MAX_LEN];
	memset(pepper, 7, sizeof pepper);
	CHECK_OK(hmac_pepper_digest(pepper, sizeof pepper, "otp-code", "123456", 6, d1));
	CHECK_OK(hmac_pepper_digest(pepper, sizeof pepper, "otp-code", "123456", 6, d2));
	CHECK(memcmp(d1, d2, 32) == 0); /* deterministic */
	CHECK_OK(hmac_pepper_digest(pepper, sizeof pepper, "recovery-code", "123456", 6, d3));
	CHECK(memcmp(d1, d3, 32) != 0); /* purpose separates */
	/* the context/message boundary is unambiguous: ("ab","c") != ("a","bc") */
	CHECK_OK(hmac_pepper_digest(pepper, sizeof pepper, "ab", "c", 1, d3));
	CHECK_OK(hmac_pepper_digest(pepper, sizeof pepper, "a", "bc", 2, d4));
	CHECK(memcmp(d3, d4, 32) != 0);
	/* and it is exactly HMAC-SHA256(pepper, "otp-code" 0x00 "123456") */
	CHECK_OK(hmac_compute(HMAC_ALG_SHA256, pepper, sizeof pepper, "otp-code\0" "123456", 15, expect, NULL));
	CHECK(memcmp(d1, expect, 32) == 0);
	pepper[0] ^= 1;
	CHECK_OK(hmac_pepper_digest(pepper, sizeof pepper, "otp-code", "123456", 6, d2));
	CHECK(memcmp(d1, d2, 32) != 0); /* the pepper matters */
}

int main(void)
{
	TEST(rfc4231_vectors);
	TEST(rfc2202_sha1_vectors);
	TEST(context_matches_one_shot);
	TEST(empty_key_and_bad_alg);
	TEST(sha256_fips_vector);
	TEST(pepper_digest_separates_contexts);
	return tg_test_done();
}
