/* SPDX-License-Identifier: MIT
 * AES-256-GCM sealing: layout, round trip, fresh nonces, and refusal of
 * every kind of tampering (ciphertext, tag, nonce, version byte, AAD),
 * a different AAD (row copied to another user) and a wrong key. */
#include "harness.h"
#include "base/err.h"
#include "base/limits.h"
#include "crypto/aead.h"

static const uint8_t key_a[AEAD_KEY_LEN] = {
	1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
	17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32};
static const char seed[] = "12345678901234567890"; /* a 20-byte TOTP seed */
static const char aad[] = "tenant-1|user-1|method-1";

static void seal_seed(uint8_t *out, size_t *len)
{
	CHECK_OK(aead_seal(key_a, 1, aad, strlen(aad), seed, 20, out, AEAD_SEALED_LEN(20), len));
	CHECK_INT(*len, 20 + AEAD_OVERHEAD);
}

static void round_trip(void)
{
	uint8_t sealed[64], pt[64];
	size_t len = 0, pt_len = 0;
	seal_seed(sealed, &len);
	CHECK_INT(sealed[0], 1);
	CHECK(memmem(sealed, len, seed, 20) == NULL); /* not in the clear */
	CHECK_OK(aead_unseal(key_a, aad, strlen(aad), sealed, len, pt, sizeof pt, &pt_len));
	CHECK_INT(pt_len, 20);
	CHECK(memcmp(pt, seed, 20) == 0);
	uint8_t v = 0;
	CHECK_OK(aead_version(sealed, len, &v));
	CHECK_INT(v, 1);
	CHECK_INT(aead_version(sealed, AEAD_OVERHEAD - 1, &v), TG_ERR_INVALID);
}

static void fresh_nonce_each_seal(void)
{
	uint8_t a[64], b[64];
	size_t la = 0, lb = 0;
	seal_seed(a, &la);
	seal_seed(b, &lb);
	CHECK_INT(la, lb);
	CHECK(memcmp(a + 1, b + 1, AEAD_NONCE_LEN) != 0);
	CHECK(memcmp(a, b, la) != 0);
}

/* Flip one bit at every position of the sealed value: each must fail and
 * leave nothing in the output buffer. */
static void any_flipped_bit_refused(void)
{
	uint8_t sealed[64], pt[64];
	size_t len = 0, pt_len = 0;
	seal_seed(sealed, &len);
	for (size_t i = 0; i < len; i++) {
		for (int bit = 0; bit < 8; bit += 7) {
			sealed[i] ^= (uint8_t)(1u << bit);
			memset(pt, 0x55, sizeof pt);
			int r = aead_unseal(key_a, aad, strlen(aad), sealed, len, pt, sizeof pt, &pt_len);
			if (r != TG_ERR_CRYPTO)
				TG_T_FAIL("flip byte %zu bit %d: got %d", i, bit, r);
			CHECK_INT(pt_len, 0);
			/* wiped, not partially decrypted */
			for (size_t j = 0; j < 20; j++)
				if (pt[j] != 0)
					TG_T_FAIL("plaintext byte %zu left after failure", j);
			sealed[i] ^= (uint8_t)(1u << bit);
		}
	}
	/* untouched again: still opens */
	CHECK_OK(aead_unseal(key_a, aad, strlen(aad), sealed, len, pt, sizeof pt, &pt_len));
}

static void truncated_or_extended_refused(void)
{
	uint8_t sealed[80], pt[80];
	size_t len = 0, pt_len = 0;
	seal_seed(sealed, &len);
	CHECK_INT(aead_unseal(key_a, aad, strlen(aad), sealed, len - 1, pt, sizeof pt, &pt_len), TG_ERR_CRYPTO);
	sealed[len] = 0;
	CHECK_INT(aead_unseal(key_a, aad, strlen(aad), sealed, len + 1, pt, sizeof pt, &pt_len), TG_ERR_CRYPTO);
	CHECK_INT(aead_unseal(key_a, aad, strlen(aad), sealed, AEAD_OVERHEAD - 1, pt, sizeof pt, &pt_len), TG_ERR_CRYPTO);
	CHECK_INT(aead_unseal(key_a, aad, strlen(aad), sealed, 0, pt, sizeof pt, &pt_len), TG_ERR_CRYPTO);
}

static void other_aad_refused(void)
{
	uint8_t sealed[64], pt[64];
	size_t len = 0, pt_len = 0;
	seal_seed(sealed, &len);
	const char *moved = "tenant-1|user-2|method-1"; /* row copied to another user */
	CHECK_INT(aead_unseal(key_a, moved, strlen(moved), sealed, len, pt, sizeof pt, &pt_len), TG_ERR_CRYPTO);
	CHECK_INT(aead_unseal(key_a, aad, strlen(aad) - 1, sealed, len, pt, sizeof pt, &pt_len), TG_ERR_CRYPTO);
	CHECK_INT(aead_unseal(key_a, NULL, 0, sealed, len, pt, sizeof pt, &pt_len), TG_ERR_CRYPTO);
}

static void wrong_key_refused(void)
{
	uint8_t sealed[64], pt[64], key_b[AEAD_KEY_LEN];
	size_t len = 0, pt_len = 0;
	seal_seed(sealed, &len);
	memcpy(key_b, key_a, sizeof key_b);
	key_b[31] ^= 0x80;
	CHECK_INT(aead_unseal(key_b, aad, strlen(aad), sealed, len, pt, sizeof pt, &pt_len), TG_ERR_CRYPTO);
}

static void version_byte_is_authenticated(void)
{
	uint8_t sealed[64], pt[64];
	size_t len = 0, pt_len = 0;
	CHECK_OK(aead_seal(key_a, 7, aad, strlen(aad), seed, 20, sealed, sizeof sealed, &len));
	CHECK_INT(sealed[0], 7);
	CHECK_OK(aead_unseal(key_a, aad, strlen(aad), sealed, len, pt, sizeof pt, &pt_len));
	sealed[0] = 8; /* same key, relabelled generation */
	CHECK_INT(aead_unseal(key_a, aad, strlen(aad), sealed, len, pt, sizeof pt, &pt_len), TG_ERR_CRYPTO);
}

static void sizes_and_limits(void)
{
	uint8_t out[64], pt[64];
	size_t len = 5, pt_len = 0;
	/* output buffer one byte short */
	CHECK_INT(aead_seal(key_a, 1, aad, strlen(aad), seed, 20, out, AEAD_SEALED_LEN(20) - 1, &len), TG_ERR_TOO_LARGE);
	CHECK_INT(len, 0);
	static uint8_t big[TG_MAX_SEAL_PLAINTEXT + 1], bigout[AEAD_SEALED_LEN(TG_MAX_SEAL_PLAINTEXT + 1)];
	CHECK_INT(aead_seal(key_a, 1, NULL, 0, big, sizeof big, bigout, sizeof bigout, &len), TG_ERR_TOO_LARGE);
	CHECK_OK(aead_seal(key_a, 1, NULL, 0, big, TG_MAX_SEAL_PLAINTEXT, bigout, sizeof bigout, &len));
	CHECK_INT(aead_seal(key_a, 1, big, TG_MAX_SEAL_AAD + 1, seed, 20, out, sizeof out, &len), TG_ERR_TOO_LARGE);
	/* plaintext buffer too small for the sealed value */
	seal_seed(out, &len);
	CHECK_INT(aead_unseal(key_a, aad, strlen(aad), out, len, pt, 19, &pt_len), TG_ERR_TOO_LARGE);
	/* an empty secret still authenticates */
	CHECK_OK(aead_seal(key_a, 1, aad, strlen(aad), "", 0, out, sizeof out, &len));
	CHECK_INT(len, AEAD_OVERHEAD);
	CHECK_OK(aead_unseal(key_a, aad, strlen(aad), out, len, pt, sizeof pt, &pt_len));
	CHECK_INT(pt_len, 0);
	out[AEAD_OVERHEAD - 1] ^= 1;
	CHECK_INT(aead_unseal(key_a, aad, strlen(aad), out, len, pt, sizeof pt, &pt_len), TG_ERR_CRYPTO);
}

int main(void)
{
	TEST(round_trip);
	TEST(fresh_nonce_each_seal);
	TEST(any_flipped_bit_refused);
	TEST(truncated_or_extended_refused);
	TEST(other_aad_refused);
	TEST(wrong_key_refused);
	TEST(version_byte_is_authenticated);
	TEST(sizes_and_limits);
	return tg_test_done();
}
