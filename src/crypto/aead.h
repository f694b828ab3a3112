/* SPDX-License-Identifier: MIT
 * AES-256-GCM sealing of small secrets (TOTP seeds) for storage at rest.
 * Sealed form, all binary:
 *
 *   version (1 byte) || nonce (12 bytes, fresh from rng_bytes)
 *                    || ciphertext (pt_len bytes) || tag (16 bytes)
 *
 * The version byte names the key generation (see keys.h) and is
 * authenticated together with the caller's associated data, so
 * GCM's AAD is version || aad. Callers pass ids as aad
 * ("tenant|user|method") so a sealed row copied elsewhere does not open.
 * Most code should call keys_seal/keys_unseal, which pick the key. */
#ifndef TG_CRYPTO_AEAD_H
#define TG_CRYPTO_AEAD_H
#include <stddef.h>
#include <stdint.h>

#define AEAD_KEY_LEN   32
#define AEAD_NONCE_LEN 12
#define AEAD_TAG_LEN   16
#define AEAD_OVERHEAD  (1 + AEAD_NONCE_LEN + AEAD_TAG_LEN)
/* Bytes needed to seal pt_len bytes. */
#define AEAD_SEALED_LEN(pt_len) ((size_t)(pt_len) + AEAD_OVERHEAD)

/* Seal pt under key into out (out_size >= AEAD_SEALED_LEN(pt_len)).
 * *out_len gets the sealed length. aad may be NULL when aad_len is 0.
 * Limits: pt_len <= TG_MAX_SEAL_PLAINTEXT, aad_len <= TG_MAX_SEAL_AAD
 * (TG_ERR_TOO_LARGE). Returns TG_OK, TG_ERR_TOO_LARGE (also for a small
 * out buffer) or TG_ERR_CRYPTO (RNG or cipher failure); out is wiped on
 * failure. */
int aead_seal(const uint8_t key[AEAD_KEY_LEN], uint8_t version,
              const void *aad, size_t aad_len, const void *pt, size_t pt_len,
              uint8_t *out, size_t out_size, size_t *out_len)
	__attribute__((warn_unused_result));

/* Open a sealed value. pt_out needs in_len - AEAD_OVERHEAD bytes;
 * *pt_len_out gets the plaintext length. Returns TG_OK; TG_ERR_CRYPTO when
 * the tag does not verify (wrong key, wrong aad, tampered bytes) or the
 * input is shorter than AEAD_OVERHEAD; TG_ERR_TOO_LARGE for a small
 * pt_out or oversized input. pt_out is wiped on every failure, so no
 * unauthenticated plaintext is ever released. */
int aead_unseal(const uint8_t key[AEAD_KEY_LEN], const void *aad, size_t aad_len,
                const uint8_t *in, size_t in_len,
                uint8_t *pt_out, size_t pt_size, size_t *pt_len_out)
	__attribute__((warn_unused_result));

/* The version byte of a sealed value: TG_OK, or TG_ERR_INVALID when in_len
 * is too short to be one. */
int aead_version(const uint8_t *in, size_t in_len, uint8_t *version_out);

#endif
