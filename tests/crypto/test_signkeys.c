/* SPDX-License-Identifier: MIT
 * crypto/signkeys: the signing key ring.
 *  - a new ring has a current ES256 and RS256 key, both published;
 *  - rotation: the new key signs, the old key still verifies (and stays
 *    in the JWKS) until its tokens can have expired, then is refused and
 *    pruned; the ring never grows past TG_MAX_SIGN_KEYS;
 *  - sealing: a round trip keeps keys, kids, flags and times; a wrong
 *    master key, a wrong owner, any changed byte, truncation, and
 *    entries spliced from another ring are all refused. */
#include "harness.h"
#include "base/err.h"
#include "base/limits.h"
#include "crypto/jws.h"
#include "crypto/keys.h"
#include "crypto/signkeys.h"

#define T0       1700000000
#define LIFETIME 3600
#define INPUT    "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJib2IifQ"

/* One RSA key pair for the whole program: generating them is slow, so
 * rings built here rotate ES256 and reuse this ring's RS256 key. */
static struct signkeys *base_ring;

static int sign_verify(const struct sign_key *signer, const struct sign_key *verifier)
{
	uint8_t sig[JWS_MAX_SIG_LEN];
	size_t len = 0;
	int r = jws_sign(signer, INPUT, strlen(INPUT), sig, sizeof sig, &len);
	if (r != TG_OK)
		return r;
	return jws_verify(verifier, sign_key_alg(signer), INPUT, strlen(INPUT), sig, len);
}

static void new_ring_has_both_current_keys(void)
{
	REQUIRE(base_ring);
	CHECK_INT(signkeys_count(base_ring), 2);
	const struct sign_key *es = signkeys_current(base_ring, JWS_ALG_ES256);
	const struct sign_key *rs = signkeys_current(base_ring, JWS_ALG_RS256);
	REQUIRE(es && rs);
	CHECK_INT(sign_key_alg(es), JWS_ALG_ES256);
	CHECK_INT(sign_key_alg(rs), JWS_ALG_RS256);
	CHECK_INT(sign_key_not_after(es), 0);
	CHECK_INT(sign_key_created(es), T0);
	const struct sign_key *pub[TG_MAX_SIGN_KEYS];
	CHECK_INT(signkeys_published(base_ring, T0, pub, TG_MAX_SIGN_KEYS), 2);
	CHECK(pub[0] == es && pub[1] == rs);
	CHECK(signkeys_find(base_ring, sign_key_kid(rs), T0) == rs);
	CHECK(signkeys_find(base_ring, "no-such-kid", T0) == NULL);
	CHECK_OK(sign_verify(es, es));
	CHECK_OK(sign_verify(rs, rs));
	/* an empty ring */
	struct signkeys *e = signkeys_new();
	CHECK(signkeys_current(e, JWS_ALG_ES256) == NULL);
	CHECK_INT(signkeys_published(e, T0, pub, TG_MAX_SIGN_KEYS), 0);
	signkeys_free(e);
	signkeys_free(NULL);
}

static void old_key_verifies_until_retired(void)
{
	struct signkeys *ks = signkeys_new();
	CHECK_OK(signkeys_rotate(ks, JWS_ALG_ES256, T0, LIFETIME));
	const struct sign_key *old = signkeys_current(ks, JWS_ALG_ES256);
	REQUIRE(old);
	char old_kid[JWS_KID_LEN + 1];
	snprintf(old_kid, sizeof old_kid, "%s", sign_key_kid(old));

	int64_t t1 = T0 + 86400;
	CHECK_OK(signkeys_rotate(ks, JWS_ALG_ES256, t1, LIFETIME));
	const struct sign_key *cur = signkeys_current(ks, JWS_ALG_ES256);
	REQUIRE(cur && cur != old);
	CHECK(strcmp(sign_key_kid(cur), old_kid) != 0);
	CHECK_INT(signkeys_count(ks), 2);
	int64_t retire = t1 + LIFETIME + SIGNKEYS_RETIRE_GRACE;
	CHECK_INT(sign_key_not_after(old), retire);

	/* the old key: found, published after the current one, verifies its
	 * own signatures, right up to the last second */
	const struct sign_key *pub[TG_MAX_SIGN_KEYS];
	CHECK_INT(signkeys_published(ks, retire - 1, pub, TG_MAX_SIGN_KEYS), 2);
	CHECK(pub[0] == cur && pub[1] == old);
	const struct sign_key *found = signkeys_find(ks, old_kid, retire - 1);
	CHECK(found == old);
	if (found)
		CHECK_OK(sign_verify(old, found));
	/* from then on: not found, not published, though not yet pruned */
	CHECK(signkeys_find(ks, old_kid, retire) == NULL);
	CHECK_INT(signkeys_published(ks, retire, pub, TG_MAX_SIGN_KEYS), 1);
	CHECK(pub[0] == cur);
	CHECK_INT(signkeys_count(ks), 2);
	/* pruning drops it, never the current key */
	CHECK_INT(signkeys_prune(ks, retire - 1), 0);
	CHECK_INT(signkeys_prune(ks, retire), 1);
	CHECK_INT(signkeys_count(ks), 1);
	CHECK(signkeys_current(ks, JWS_ALG_ES256) == cur);
	CHECK_INT(signkeys_prune(ks, INT64_MAX), 0);
	signkeys_free(ks);
}

static void published_newest_first(void)
{
	struct signkeys *ks = signkeys_new();
	for (int i = 0; i < 4; i++)
		CHECK_OK(signkeys_rotate(ks, JWS_ALG_ES256, T0 + i * 10, LIFETIME));
	const struct sign_key *pub[TG_MAX_SIGN_KEYS];
	size_t n = signkeys_published(ks, T0 + 30, pub, TG_MAX_SIGN_KEYS);
	CHECK_INT(n, 4);
	CHECK(pub[0] == signkeys_current(ks, JWS_ALG_ES256));
	for (size_t i = 1; i + 1 < n; i++)
		CHECK(sign_key_created(pub[i]) > sign_key_created(pub[i + 1]));
	/* out_max bounds what is written */
	CHECK_INT(signkeys_published(ks, T0 + 30, pub, 2), 2);
	signkeys_free(ks);
}

static void ring_never_exceeds_limit(void)
{
	struct signkeys *ks = signkeys_new();
	int r = TG_OK, i = 0;
	for (; i < TG_MAX_SIGN_KEYS + 2 && r == TG_OK; i++)
		r = signkeys_rotate(ks, JWS_ALG_ES256, T0 + i, LIFETIME);
	CHECK_INT(r, TG_ERR_LIMIT);
	CHECK_INT(signkeys_count(ks), TG_MAX_SIGN_KEYS);
	const struct sign_key *cur = signkeys_current(ks, JWS_ALG_ES256);
	/* the refused rotation changed nothing */
	CHECK_INT(signkeys_rotate(ks, JWS_ALG_ES256, T0 + 100, LIFETIME), TG_ERR_LIMIT);
	CHECK(signkeys_current(ks, JWS_ALG_ES256) == cur);
	CHECK_INT(sign_key_not_after(cur), 0);
	/* once the old keys are retired, rotation works again */
	CHECK_OK(signkeys_rotate(ks, JWS_ALG_ES256, T0 + 100000, LIFETIME));
	CHECK_INT(signkeys_count(ks), 2);
	signkeys_free(ks);
}

static void bad_rotation_arguments(void)
{
	struct signkeys *ks = signkeys_new();
	CHECK_INT(signkeys_rotate(ks, (enum jws_alg)0, T0, LIFETIME), TG_ERR_INVALID);
	CHECK_INT(signkeys_rotate(ks, JWS_ALG_ES256, T0, -1), TG_ERR_INVALID);
	CHECK_INT(signkeys_rotate(ks, JWS_ALG_ES256, T0, SIGNKEYS_MAX_LIFETIME + 1), TG_ERR_INVALID);
	CHECK_INT(signkeys_rotate(ks, JWS_ALG_ES256, -5, LIFETIME), TG_ERR_INVALID);
	CHECK_INT(signkeys_rotate(ks, JWS_ALG_ES256, INT64_MAX, LIFETIME), TG_ERR_INVALID);
	CHECK_INT(signkeys_count(ks), 0);
	signkeys_free(ks);
}

/* A ring of: current RS256 (from base_ring's sealed copy), an old ES256
 * key and a current ES256 key. */
static struct signkeys *three_key_ring(const struct keys *mk)
{
	uint8_t *blob = NULL;
	size_t len = 0;
	struct signkeys *ks = NULL;
	if (signkeys_seal(base_ring, mk, "", &blob, &len) != TG_OK ||
	    signkeys_unseal(mk, "", blob, len, &ks) != TG_OK) {
		free(blob);
		return NULL;
	}
	free(blob);
	if (signkeys_rotate(ks, JWS_ALG_ES256, T0 + 10, LIFETIME) != TG_OK) {
		signkeys_free(ks);
		return NULL;
	}
	return ks;
}

static void seal_round_trip(void)
{
	struct keys *mk = NULL;
	CHECK_OK(keys_new_ephemeral(&mk));
	REQUIRE(mk);
	struct signkeys *ks = three_key_ring(mk), *back = NULL;
	REQUIRE(ks);
	CHECK_INT(signkeys_count(ks), 3);
	uint8_t *blob = NULL;
	size_t len = 0;
	CHECK_OK(signkeys_seal(ks, mk, "tenant-1", &blob, &len));
	REQUIRE(blob);
	CHECK(len <= SIGNKEYS_MAX_SEALED);
	CHECK(len > 1217);   /* holds an RSA private key, sealed */
	CHECK_OK(signkeys_unseal(mk, "tenant-1", blob, len, &back));
	REQUIRE(back);
	CHECK_INT(signkeys_count(back), 3);
	for (size_t a = JWS_ALG_ES256; a <= JWS_ALG_RS256; a++) {
		const struct sign_key *k1 = signkeys_current(ks, (enum jws_alg)a);
		const struct sign_key *k2 = signkeys_current(back, (enum jws_alg)a);
		REQUIRE(k1 && k2);
		CHECK_STR(sign_key_kid(k2), sign_key_kid(k1));
		CHECK_INT(sign_key_created(k2), sign_key_created(k1));
		CHECK_INT(sign_key_not_after(k2), 0);
		/* the unsealed private key signs what the original verifies */
		CHECK_OK(sign_verify(k2, k1));
	}
	const struct sign_key *p1[TG_MAX_SIGN_KEYS], *p2[TG_MAX_SIGN_KEYS];
	size_t n1 = signkeys_published(ks, T0 + 20, p1, TG_MAX_SIGN_KEYS);
	size_t n2 = signkeys_published(back, T0 + 20, p2, TG_MAX_SIGN_KEYS);
	CHECK_INT(n1, 3);
	CHECK_INT(n2, 3);
	for (size_t i = 0; i < n1 && i < n2; i++) {
		CHECK_STR(sign_key_kid(p2[i]), sign_key_kid(p1[i]));
		CHECK_INT(sign_key_not_after(p2[i]), sign_key_not_after(p1[i]));
	}
	/* sealing is randomised (fresh ring id and nonces) */
	uint8_t *blob2 = NULL;
	size_t len2 = 0;
	CHECK_OK(signkeys_seal(ks, mk, "tenant-1", &blob2, &len2));
	CHECK(len2 == len && memcmp(blob, blob2, len) != 0);
	free(blob2);
	/* an empty ring seals too */
	struct signkeys *e = signkeys_new(), *e2 = NULL;
	CHECK_OK(signkeys_seal(e, mk, "", &blob2, &len2));
	CHECK_INT(len2, SIGNKEYS_HEADER_LEN);
	CHECK_OK(signkeys_unseal(mk, "", blob2, len2, &e2));
	CHECK(e2 && signkeys_count(e2) == 0);
	free(blob2);
	signkeys_free(e);
	signkeys_free(e2);
	free(blob);
	signkeys_free(back);
	signkeys_free(ks);
	keys_free(mk);
}

static void sealed_ring_tamper_refused(void)
{
	struct keys *mk = NULL, *other = NULL;
	CHECK_OK(keys_new_ephemeral(&mk));
	CHECK_OK(keys_new_ephemeral(&other));
	REQUIRE(mk && other);
	struct signkeys *ks = three_key_ring(mk), *back = NULL;
	REQUIRE(ks);
	uint8_t *blob = NULL;
	size_t len = 0;
	CHECK_OK(signkeys_seal(ks, mk, "tenant-1", &blob, &len));
	REQUIRE(blob);

	/* another master key, another owner */
	CHECK_INT(signkeys_unseal(other, "tenant-1", blob, len, &back), TG_ERR_CRYPTO);
	CHECK_INT(signkeys_unseal(mk, "tenant-2", blob, len, &back), TG_ERR_CRYPTO);
	CHECK_INT(signkeys_unseal(mk, "", blob, len, &back), TG_ERR_CRYPTO);
	/* a changed byte anywhere is refused: every byte of the header and
	 * the first entry, then a stride through the rest (each attempt that
	 * reaches the RSA key costs an import) */
	size_t accepted = 0, tried = 0;
	for (size_t i = 0; i < len; i += i < 200 || i > len - 64 ? 1 : 7) {
		blob[i] ^= 0x01;
		int r = signkeys_unseal(mk, "tenant-1", blob, len, &back);
		if (r == TG_OK) {
			accepted++;
			signkeys_free(back);
			back = NULL;
		}
		blob[i] ^= 0x01;
		tried++;
	}
	CHECK_INT(accepted, 0);
	CHECK(tried > 400);
	/* truncated anywhere, or with a byte added */
	for (size_t cut = 0; cut < len; cut += 97)
		if (signkeys_unseal(mk, "tenant-1", blob, cut, &back) == TG_OK)
			TG_T_FAIL("ring truncated to %zu bytes accepted", cut);
	uint8_t *longer = malloc(len + 1);
	REQUIRE(longer);
	memcpy(longer, blob, len);
	longer[len] = 0;
	CHECK_INT(signkeys_unseal(mk, "tenant-1", longer, len + 1, &back), TG_ERR_INVALID);
	free(longer);
	CHECK_INT(signkeys_unseal(mk, "tenant-1", blob, SIGNKEYS_MAX_SEALED + 1, &back),
	          TG_ERR_TOO_LARGE);
	CHECK(back == NULL);
	/* still opens untouched */
	CHECK_OK(signkeys_unseal(mk, "tenant-1", blob, len, &back));
	signkeys_free(back);
	free(blob);
	signkeys_free(ks);
	keys_free(other);
	keys_free(mk);
}

/* Entries of one sealed ring cannot be moved into another: the ring id
 * and the index are in every key's associated data. */
static void spliced_entries_refused(void)
{
	struct keys *mk = NULL;
	CHECK_OK(keys_new_ephemeral(&mk));
	REQUIRE(mk);
	struct signkeys *ks = signkeys_new(), *back = NULL;
	CHECK_OK(signkeys_rotate(ks, JWS_ALG_ES256, T0, LIFETIME));
	uint8_t *a = NULL, *b = NULL;
	size_t alen = 0, blen = 0;
	CHECK_OK(signkeys_seal(ks, mk, "", &a, &alen));
	CHECK_OK(signkeys_rotate(ks, JWS_ALG_ES256, T0 + 1, LIFETIME));
	CHECK_OK(signkeys_seal(ks, mk, "", &b, &blen));
	REQUIRE(a && b);
	/* a's header with b's first entry, and the reverse */
	uint8_t *mix = malloc(blen);
	REQUIRE(mix);
	memcpy(mix, b, blen);
	memcpy(mix + 8, a + 8, 16);   /* ring id of a */
	CHECK_INT(signkeys_unseal(mk, "", mix, blen, &back), TG_ERR_CRYPTO);
	/* b with its count lowered to 1 (dropping the second key) */
	memcpy(mix, b, blen);
	mix[5] = 1;
	CHECK(signkeys_unseal(mk, "", mix, blen, &back) != TG_OK);
	/* the two entries of b swapped: the index is bound */
	size_t e0 = SIGNKEYS_HEADER_LEN;
	size_t l0 = SIGNKEYS_ENTRY_LEN + ((size_t)b[e0 + 18] << 8 | b[e0 + 19]);
	size_t l1 = blen - e0 - l0;
	memcpy(mix + e0, b + e0 + l0, l1);
	memcpy(mix + e0 + l1, b + e0, l0);
	mix[5] = 2;
	CHECK(signkeys_unseal(mk, "", mix, blen, &back) != TG_OK);
	CHECK(back == NULL);
	free(mix);
	free(a);
	free(b);
	signkeys_free(ks);
	keys_free(mk);
}

int main(void)
{
	if (signkeys_generate(T0, &base_ring) != TG_OK) {
		fprintf(stderr, "signkeys_generate failed\n");
		return 1;
	}
	TEST(new_ring_has_both_current_keys);
	TEST(old_key_verifies_until_retired);
	TEST(published_newest_first);
	TEST(ring_never_exceeds_limit);
	TEST(bad_rotation_arguments);
	TEST(seal_round_trip);
	TEST(sealed_ring_tamper_refused);
	TEST(spliced_entries_refused);
	signkeys_free(base_ring);
	return tg_test_done();
}
