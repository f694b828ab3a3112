/* SPDX-License-Identifier: MIT
 * The signing key ring (see signkeys.h). Sections: the ring in memory,
 * rotation and retirement, the sealed form.
 *
 * Sealed form (all integers big-endian; docs/internals/tokens.md):
 *
 *   header  "TGSK" | version 1 | count | 0 0 | ring id (16 random bytes)
 *   count x alg (1) | flags (1, bit 0 = current) | created (8)
 *           | not_after (8) | sealed_len (2) | keys_seal(PKCS #8 DER)
 *
 * Each key is sealed on its own (a ring of RSA keys is larger than one
 * keys_seal may hold) with associated data
 *
 *   "signing-keys" 0 | owner 0 | header | index (1) | the entry's first
 *   18 bytes
 *
 * so every key is bound to its metadata, its place and the one ring it
 * was sealed in (the random ring id): entries cannot be edited, dropped,
 * reordered or spliced in from another ring or owner without a key
 * failing to open, which gives the whole ring the integrity of a single
 * seal. */
#include <string.h>
#include <openssl/crypto.h>
#include "base/err.h"
#include "base/mem.h"
#include "crypto/jws_int.h"
#include "crypto/rng.h"
#include "crypto/signkeys.h"

#define SIGNKEYS_MAGIC    "TGSK"
#define SIGNKEYS_VERSION  1
#define SIGNKEYS_RING_ID  16
#define FLAG_CURRENT      0x01
#define ENTRY_AUTH_LEN    18   /* entry bytes covered by the AAD */
#define AAD_MAX (sizeof SIGNKEYS_AAD + TG_MAX_ID + 1 + SIGNKEYS_HEADER_LEN + 1 + ENTRY_AUTH_LEN)

struct signkeys {
	size_t n;
	struct sign_key *key[TG_MAX_SIGN_KEYS];
	bool current[TG_MAX_SIGN_KEYS];
};

/* ---- the ring in memory ---------------------------------------------------- */

struct signkeys *signkeys_new(void)
{
	return xcalloc(1, sizeof(struct signkeys));
}

void signkeys_free(struct signkeys *ks)
{
	if (!ks)
		return;
	for (size_t i = 0; i < ks->n; i++)
		sign_key_free(ks->key[i]);
	free(ks);
}

size_t signkeys_count(const struct signkeys *ks)
{
	return ks->n;
}

static int current_index(const struct signkeys *ks, enum jws_alg alg)
{
	for (size_t i = 0; i < ks->n; i++)
		if (ks->current[i] && sign_key_alg(ks->key[i]) == alg)
			return (int)i;
	return -1;
}

const struct sign_key *signkeys_current(const struct signkeys *ks, enum jws_alg alg)
{
	int i = current_index(ks, alg);
	return i < 0 ? NULL : ks->key[i];
}

const struct sign_key *signkeys_find(const struct signkeys *ks, const char *kid, int64_t now)
{
	/* kids are public (they are in the JWKS): a plain comparison */
	for (size_t i = 0; i < ks->n; i++)
		if (strcmp(sign_key_kid(ks->key[i]), kid) == 0)
			return sign_key_is_valid_at(ks->key[i], now) ? ks->key[i] : NULL;
	return NULL;
}

size_t signkeys_published(const struct signkeys *ks, int64_t now, const struct sign_key **out,
                          size_t out_max)
{
	size_t o = 0;
	static const enum jws_alg order[] = {JWS_ALG_ES256, JWS_ALG_RS256};
	for (size_t a = 0; a < TG_ARRAY_LEN(order); a++) {
		const struct sign_key *k = signkeys_current(ks, order[a]);
		if (k && o < out_max)
			out[o++] = k;
	}
	/* replaced, unretired keys, newest first (insertion into out) */
	size_t first_prev = o;
	for (size_t i = 0; i < ks->n; i++) {
		const struct sign_key *k = ks->key[i];
		if (ks->current[i] || !sign_key_is_valid_at(k, now) || o >= out_max)
			continue;
		size_t j = o++;
		while (j > first_prev && sign_key_created(out[j - 1]) < sign_key_created(k)) {
			out[j] = out[j - 1];
			j--;
		}
		out[j] = k;
	}
	return o;
}

/* ---- rotation and retirement ----------------------------------------------- */

size_t signkeys_prune(struct signkeys *ks, int64_t now)
{
	size_t kept = 0, dropped = 0;
	for (size_t i = 0; i < ks->n; i++) {
		struct sign_key *k = ks->key[i];
		if (!ks->current[i] && !sign_key_is_valid_at(k, now)) {
			sign_key_free(k);
			dropped++;
			continue;
		}
		ks->key[kept] = k;
		ks->current[kept] = ks->current[i];
		kept++;
	}
	for (size_t i = kept; i < ks->n; i++) {
		ks->key[i] = NULL;
		ks->current[i] = false;
	}
	ks->n = kept;
	return dropped;
}

int signkeys_rotate(struct signkeys *ks, enum jws_alg alg, int64_t now,
                    int64_t max_token_lifetime)
{
	struct sign_key *fresh = NULL;
	if (!jws_alg_name(alg) || max_token_lifetime < 0 ||
	    max_token_lifetime > SIGNKEYS_MAX_LIFETIME || now < 0 ||
	    now > INT64_MAX - SIGNKEYS_MAX_LIFETIME - SIGNKEYS_RETIRE_GRACE)
		return TG_ERR_INVALID;
	/* count what the ring will hold before changing anything, so a
	 * refused rotation leaves it as it was (pruning is harmless) */
	signkeys_prune(ks, now);
	if (ks->n >= TG_MAX_SIGN_KEYS)
		return TG_ERR_LIMIT;
	int r = sign_key_generate(alg, now, &fresh);
	if (r != TG_OK)
		return r;
	int old = current_index(ks, alg);
	if (old >= 0) {
		sign_key_set_not_after(ks->key[old], now + max_token_lifetime + SIGNKEYS_RETIRE_GRACE);
		ks->current[old] = false;
	}
	ks->key[ks->n] = fresh;   /* transferred */
	ks->current[ks->n] = true;
	ks->n++;
	return TG_OK;
}

int signkeys_generate(int64_t now, struct signkeys **out)
{
	struct signkeys *ks = signkeys_new();
	*out = NULL;
	int r = signkeys_rotate(ks, JWS_ALG_ES256, now, 0);
	if (r == TG_OK)
		r = signkeys_rotate(ks, JWS_ALG_RS256, now, 0);
	if (r != TG_OK) {
		signkeys_free(ks);
		return r;
	}
	*out = ks;   /* transferred */
	return TG_OK;
}

/* ---- the sealed form ---------------------------------------------------------- */

static void put_be64(uint8_t *p, int64_t v)
{
	uint64_t u = (uint64_t)v;
	for (int i = 7; i >= 0; i--) {
		p[i] = (uint8_t)u;
		u >>= 8;
	}
}

static int64_t get_be64(const uint8_t *p)
{
	uint64_t u = 0;
	for (int i = 0; i < 8; i++)
		u = u << 8 | p[i];
	return (int64_t)u;   /* negative values are refused by the caller */
}

/* AAD of entry idx: SIGNKEYS_AAD 0 owner 0 header idx entry[0..18). */
static size_t build_aad(uint8_t aad[AAD_MAX], const char *owner, const uint8_t *header,
                        size_t idx, const uint8_t *entry)
{
	size_t n = 0, olen = strlen(owner);
	memcpy(aad + n, SIGNKEYS_AAD, sizeof SIGNKEYS_AAD);   /* with its NUL */
	n += sizeof SIGNKEYS_AAD;
	memcpy(aad + n, owner, olen + 1);
	n += olen + 1;
	memcpy(aad + n, header, SIGNKEYS_HEADER_LEN);
	n += SIGNKEYS_HEADER_LEN;
	aad[n++] = (uint8_t)idx;
	memcpy(aad + n, entry, ENTRY_AUTH_LEN);
	n += ENTRY_AUTH_LEN;
	return n;
}

int signkeys_seal(const struct signkeys *ks, const struct keys *mk, const char *owner,
                  uint8_t **out, size_t *out_len)
{
	uint8_t der[JWS_MAX_PRIVATE_DER], aad[AAD_MAX];
	size_t der_len = 0;
	*out = NULL;
	*out_len = 0;
	if (!owner || strlen(owner) > TG_MAX_ID)
		return TG_ERR_INVALID;
	size_t cap = SIGNKEYS_HEADER_LEN +
	             ks->n * (SIGNKEYS_ENTRY_LEN + KEYS_SEALED_LEN(JWS_MAX_PRIVATE_DER));
	uint8_t *buf = xmalloc(cap);
	memcpy(buf, SIGNKEYS_MAGIC, 4);
	buf[4] = SIGNKEYS_VERSION;
	buf[5] = (uint8_t)ks->n;
	buf[6] = buf[7] = 0;
	int r = rng_bytes(buf + 8, SIGNKEYS_RING_ID);
	if (r != TG_OK)
		goto out;
	size_t o = SIGNKEYS_HEADER_LEN;
	for (size_t i = 0; i < ks->n; i++) {
		const struct sign_key *k = ks->key[i];
		uint8_t *e = buf + o;
		size_t sealed_len = 0;
		e[0] = (uint8_t)sign_key_alg(k);
		e[1] = ks->current[i] ? FLAG_CURRENT : 0;
		put_be64(e + 2, sign_key_created(k));
		put_be64(e + 10, sign_key_not_after(k));
		if ((r = sign_key_export_private(k, der, sizeof der, &der_len)) != TG_OK)
			goto out;
		size_t aad_len = build_aad(aad, owner, buf, i, e);
		r = keys_seal(mk, aad, aad_len, der, der_len, e + SIGNKEYS_ENTRY_LEN,
		              cap - o - SIGNKEYS_ENTRY_LEN, &sealed_len);
		OPENSSL_cleanse(der, sizeof der);
		if (r != TG_OK)
			goto out;
		e[18] = (uint8_t)(sealed_len >> 8);
		e[19] = (uint8_t)sealed_len;
		o += SIGNKEYS_ENTRY_LEN + sealed_len;
	}
	*out = buf;   /* transferred */
	*out_len = o;
	buf = NULL;
out:
	OPENSSL_cleanse(der, sizeof der);
	free(buf);
	return r;
}

/* Check entry metadata that needs no decryption. */
static int check_entry(const uint8_t *e, size_t left, enum jws_alg *alg_out, bool *current_out,
                       int64_t *created_out, int64_t *not_after_out, size_t *sealed_len_out)
{
	if (left < SIGNKEYS_ENTRY_LEN)
		return TG_ERR_INVALID;
	enum jws_alg alg = (enum jws_alg)e[0];
	int64_t created = get_be64(e + 2), not_after = get_be64(e + 10);
	size_t sealed_len = (size_t)e[18] << 8 | e[19];
	bool current = (e[1] & FLAG_CURRENT) != 0;
	if (!jws_alg_name(alg) || (e[1] & ~FLAG_CURRENT) != 0 || created < 0 || not_after < 0)
		return TG_ERR_INVALID;
	/* a current key is never retired; a replaced key always has an end */
	if (current != (not_after == 0))
		return TG_ERR_INVALID;
	if (sealed_len <= KEYS_SEALED_LEN(0) ||
	    sealed_len > KEYS_SEALED_LEN(JWS_MAX_PRIVATE_DER) ||
	    sealed_len > left - SIGNKEYS_ENTRY_LEN)
		return TG_ERR_INVALID;
	*alg_out = alg;
	*current_out = current;
	*created_out = created;
	*not_after_out = not_after;
	*sealed_len_out = sealed_len;
	return TG_OK;
}

int signkeys_unseal(const struct keys *mk, const char *owner, const uint8_t *in, size_t in_len,
                    struct signkeys **out)
{
	uint8_t der[JWS_MAX_PRIVATE_DER], aad[AAD_MAX];
	size_t der_len = 0;
	struct signkeys *ks = NULL;
	int r = TG_ERR_INVALID;
	*out = NULL;
	if (!owner || strlen(owner) > TG_MAX_ID)
		return TG_ERR_INVALID;
	if (in_len > SIGNKEYS_MAX_SEALED)
		return TG_ERR_TOO_LARGE;
	if (in_len < SIGNKEYS_HEADER_LEN || memcmp(in, SIGNKEYS_MAGIC, 4) != 0 ||
	    in[4] != SIGNKEYS_VERSION || in[5] > TG_MAX_SIGN_KEYS || in[6] || in[7])
		return TG_ERR_INVALID;
	size_t count = in[5], o = SIGNKEYS_HEADER_LEN;
	ks = signkeys_new();
	for (size_t i = 0; i < count; i++) {
		const uint8_t *e = in + o;
		enum jws_alg alg;
		bool current;
		int64_t created, not_after;
		size_t sealed_len;
		struct sign_key *k = NULL;
		r = check_entry(e, in_len - o, &alg, &current, &created, &not_after, &sealed_len);
		if (r != TG_OK)
			goto out;
		if (current && current_index(ks, alg) >= 0) {
			r = TG_ERR_INVALID;
			goto out;
		}
		size_t aad_len = build_aad(aad, owner, in, i, e);
		if (keys_unseal(mk, aad, aad_len, e + SIGNKEYS_ENTRY_LEN, sealed_len, der,
		                sizeof der, &der_len) != TG_OK) {
			r = TG_ERR_CRYPTO;
			goto out;
		}
		r = sign_key_import_private(alg, der, der_len, created, not_after, &k);
		OPENSSL_cleanse(der, sizeof der);
		if (r != TG_OK)
			goto out;
		for (size_t j = 0; j < ks->n; j++) {
			if (strcmp(sign_key_kid(ks->key[j]), sign_key_kid(k)) == 0) {
				sign_key_free(k);
				r = TG_ERR_INVALID;
				goto out;
			}
		}
		ks->key[ks->n] = k;   /* transferred */
		ks->current[ks->n] = current;
		ks->n++;
		o += SIGNKEYS_ENTRY_LEN + sealed_len;
	}
	if (o != in_len) {
		r = TG_ERR_INVALID;
		goto out;
	}
	*out = ks;   /* transferred */
	ks = NULL;
	r = TG_OK;
out:
	OPENSSL_cleanse(der, sizeof der);
	signkeys_free(ks);
	return r;
}
