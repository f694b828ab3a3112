/* SPDX-License-Identifier: MIT
 * The key ring of token signing keys: one current ES256 key and one
 * current RS256 key sign new tokens; keys replaced by a rotation stay
 * published (in the JWKS) and trusted for verification until every token
 * they signed has expired, then they are retired and dropped.
 *
 * At rest the whole ring is one opaque byte string sealed with the master
 * key (keys_seal, associated data starting "signing-keys"), which the
 * service layer keeps wherever it likes; docs/internals/tokens.md
 * recommends the tenant's `setting` row "oidc.signing_keys" (base64).
 * Private keys exist in clear only inside this module and jws.c.
 *
 * Thread-safety: a ring is read-only for signing, verifying and listing,
 * so it may be shared once built. signkeys_rotate and signkeys_prune
 * modify it: do them on a private copy (unseal, rotate, seal, store) and
 * let servers load the new ring and swap their pointer. */
#ifndef TG_CRYPTO_SIGNKEYS_H
#define TG_CRYPTO_SIGNKEYS_H
#include <stddef.h>
#include <stdint.h>
#include "base/limits.h"
#include "crypto/jws.h"
#include "crypto/keys.h"

/* Start of the associated data every key in a sealed ring is bound to. */
#define SIGNKEYS_AAD "signing-keys"
/* Added to the token lifetime when a replaced key's retirement is
 * computed, so that a token accepted with clock skew still finds its key. */
#define SIGNKEYS_RETIRE_GRACE 300
/* The longest token lifetime a rotation accepts (seconds): a year. */
#define SIGNKEYS_MAX_LIFETIME (366 * 86400)
/* Size bounds of the sealed form: header, then per key a fixed part and
 * the sealed PKCS #8 key. */
#define SIGNKEYS_HEADER_LEN 24
#define SIGNKEYS_ENTRY_LEN  20
#define SIGNKEYS_MAX_SEALED \
	(SIGNKEYS_HEADER_LEN + TG_MAX_SIGN_KEYS * \
	 (SIGNKEYS_ENTRY_LEN + KEYS_SEALED_LEN(JWS_MAX_PRIVATE_DER)))

struct signkeys;

/* An empty ring. Never fails (aborts on OOM). */
struct signkeys *signkeys_new(void);

/* A ring with a fresh current ES256 and RS256 key created at now: what a
 * new deployment (or tenant) starts with. TG_OK or TG_ERR_CRYPTO; *out
 * set only on TG_OK. */
int signkeys_generate(int64_t now, struct signkeys **out) __attribute__((warn_unused_result));

/* Wipes every private key and frees; accepts NULL. */
void signkeys_free(struct signkeys *ks);

/* Number of keys held (current, previous and any retired not yet pruned). */
size_t signkeys_count(const struct signkeys *ks);

/* The current key for alg (the one new tokens are signed with), or NULL
 * when the ring has none. Owned by the ring. */
const struct sign_key *signkeys_current(const struct signkeys *ks, enum jws_alg alg);

/* The key with this kid if it may still verify at now (current, or
 * replaced but not yet retired), else NULL. Owned by the ring. */
const struct sign_key *signkeys_find(const struct signkeys *ks, const char *kid, int64_t now);

/* The keys to publish in the JWKS and verify with at now: the current
 * keys (ES256 first), then replaced, unretired keys, newest first. Up to
 * out_max pointers (owned by the ring) go into out; returns how many.
 * TG_MAX_SIGN_KEYS is always enough. */
size_t signkeys_published(const struct signkeys *ks, int64_t now, const struct sign_key **out,
                          size_t out_max);

/* Rotate alg: a new key created at now becomes current; the key it
 * replaces (if any) stays published until
 *   now + max_token_lifetime + SIGNKEYS_RETIRE_GRACE
 * (its not_after), where max_token_lifetime is the longest lifetime of any
 * token signed with it (ID and access tokens: 1 hour). Retired keys are
 * pruned first. TG_OK; TG_ERR_INVALID for an unknown alg or a lifetime
 * outside 0..SIGNKEYS_MAX_LIFETIME; TG_ERR_LIMIT when the ring would hold
 * more than TG_MAX_SIGN_KEYS keys (rotating faster than tokens expire);
 * TG_ERR_CRYPTO. The ring is unchanged on failure. */
int signkeys_rotate(struct signkeys *ks, enum jws_alg alg, int64_t now,
                    int64_t max_token_lifetime) __attribute__((warn_unused_result));

/* Drop keys retired at now (not_after <= now); current keys are never
 * dropped. Returns the number dropped. */
size_t signkeys_prune(struct signkeys *ks, int64_t now);

/* Seal the ring under the master keyring's current generation. owner
 * names whose ring it is (the tenant id, or "" for a deployment-wide
 * ring) and is bound into the associated data, so a ring copied to
 * another owner's row does not open. *out (malloc'd, free with free();
 * it holds no clear secret) and *out_len are set only on TG_OK; at most
 * SIGNKEYS_MAX_SEALED bytes. TG_ERR_INVALID for an owner over
 * TG_MAX_ID bytes; errors of keys_seal; TG_ERR_CRYPTO. */
int signkeys_seal(const struct signkeys *ks, const struct keys *mk, const char *owner,
                  uint8_t **out, size_t *out_len) __attribute__((warn_unused_result));

/* Open a sealed ring (made under any generation of the master keyring)
 * for owner. TG_OK; TG_ERR_TOO_LARGE over SIGNKEYS_MAX_SEALED;
 * TG_ERR_INVALID for a malformed ring (bad header, lengths, flags, two
 * current keys for one algorithm, a replaced key without a not-after,
 * a key of the wrong type, a duplicate kid); TG_ERR_CRYPTO when any key
 * does not open (wrong master key, wrong owner, tampering, keys spliced
 * from another ring). *out set only on TG_OK. To re-seal under a new
 * master key generation, unseal and seal again. */
int signkeys_unseal(const struct keys *mk, const char *owner, const uint8_t *in, size_t in_len,
                    struct signkeys **out) __attribute__((warn_unused_result));

#endif
