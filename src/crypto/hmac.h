/* SPDX-License-Identifier: MIT
 * HMAC-SHA1/SHA256/SHA512 (RFC 2104) and SHA-256 over OpenSSL 3 EVP_MAC.
 * One-shot functions for occasional use, a pre-keyed context for loops
 * (TOTP windows), and the peppered digest used to store one-time codes,
 * recovery codes and tokens hashed. Thread-safe: contexts are per caller;
 * the shared EVP_MAC handle is fetched once. */
#ifndef TG_CRYPTO_HMAC_H
#define TG_CRYPTO_HMAC_H
#include <stddef.h>
#include <stdint.h>

enum hmac_alg {
	HMAC_ALG_SHA1 = 0,
	HMAC_ALG_SHA256 = 1,
	HMAC_ALG_SHA512 = 2,
};

#define HMAC_MAX_LEN    64   /* largest output (SHA-512) */
#define HMAC_SHA256_LEN 32
#define HMAC_MAX_KEY    1024 /* longer keys are refused (TG_ERR_TOO_LARGE) */

/* Output length in bytes (20, 32, 64), or 0 for an unknown alg. */
size_t hmac_alg_len(enum hmac_alg alg);
/* "SHA1", "SHA256", "SHA512" (the otpauth algorithm names), or NULL. */
const char *hmac_alg_name(enum hmac_alg alg);

/* HMAC of msg under key into out; *out_len (may be NULL) gets
 * hmac_alg_len(alg). key_len may be 0. Returns TG_OK, TG_ERR_INVALID (alg),
 * TG_ERR_TOO_LARGE (key over HMAC_MAX_KEY) or TG_ERR_CRYPTO. out is wiped
 * on failure. */
int hmac_compute(enum hmac_alg alg, const void *key, size_t key_len,
                 const void *msg, size_t msg_len,
                 uint8_t out[HMAC_MAX_LEN], size_t *out_len)
	__attribute__((warn_unused_result));

/* A pre-keyed HMAC: the key schedule is computed once, so each further
 * MAC costs only the message blocks. Not shareable between threads. */
struct hmac_ctx;

/* New context keyed with key (copied into OpenSSL's state; the caller may
 * wipe its copy at once). *out is set only on TG_OK; free with
 * hmac_ctx_free. Errors as hmac_compute. */
int hmac_ctx_new(enum hmac_alg alg, const void *key, size_t key_len,
                 struct hmac_ctx **out) __attribute__((warn_unused_result));
/* HMAC of msg under the context's key; the context stays usable. */
int hmac_ctx_compute(struct hmac_ctx *c, const void *msg, size_t msg_len,
                     uint8_t out[HMAC_MAX_LEN], size_t *out_len)
	__attribute__((warn_unused_result));
/* Wipes and frees; accepts NULL. */
void hmac_ctx_free(struct hmac_ctx *c);

/* Plain SHA-256 of msg. TG_OK or TG_ERR_CRYPTO. */
int hmac_sha256_hash(const void *msg, size_t msg_len, uint8_t out[HMAC_SHA256_LEN])
	__attribute__((warn_unused_result));

/* Peppered digest for storing bearer secrets hashed:
 *   HMAC-SHA256(pepper, context || 0x00 || msg)
 * context is a short literal naming the purpose ("otp-code",
 * "recovery-code") so a digest made for one purpose never verifies for
 * another. The pepper is a secret key kept outside the database (see
 * keys_pepper_digest, which supplies it). */
int hmac_pepper_digest(const uint8_t *pepper, size_t pepper_len, const char *context,
                       const void *msg, size_t msg_len, uint8_t out[HMAC_SHA256_LEN])
	__attribute__((warn_unused_result));

#endif
