/* SPDX-License-Identifier: MIT
 * Signing keys and JWS signatures (RFC 7515) for the tokens Tollgate
 * issues: ES256 (ECDSA P-256 with SHA-256, the default) and RS256
 * (RSASSA-PKCS1-v1_5 with SHA-256, 2048-bit keys, which OpenID Connect
 * conformance requires). Nothing else: "none", HMAC and every other
 * algorithm are refused, so a token can never choose a weaker check.
 *
 * This layer signs and verifies bytes; building and parsing the JSON of
 * JWTs and JWKS is src/json/jwt_json.c. The key ring that holds the
 * current and previous keys, and seals them at rest, is crypto/signkeys.h.
 * Private key material never leaves src/crypto: it is exported only to be
 * sealed (crypto/jws_int.h), so the keys can later move into a helper
 * process behind the same calls (STYLE.md §9).
 *
 * Thread-safety: a struct sign_key is immutable after creation except for
 * sign_key_set_not_after, which the owning key ring calls before sharing
 * it; concurrent jws_sign/jws_verify on one key are safe (each call makes
 * its own OpenSSL context). Design notes: docs/internals/tokens.md. */
#ifndef TG_CRYPTO_JWS_H
#define TG_CRYPTO_JWS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Signature algorithms. 0 is deliberately not an algorithm: a zeroed
 * struct or a failed parse never means "none". */
enum jws_alg {
	JWS_ALG_ES256 = 1,
	JWS_ALG_RS256 = 2,
};

#define JWS_KID_LEN        43   /* base64url of a SHA-256 thumbprint */
#define JWS_ES256_SIG_LEN  64   /* R || S, 32 bytes each (RFC 7518 §3.4) */
#define JWS_EC_COORD_LEN   32   /* P-256 x and y */
#define JWS_RSA_BITS       2048 /* size of the RSA keys we generate */
#define JWS_RSA_MIN_BITS   2048 /* RFC 7518 §3.3: smaller keys refused */
#define JWS_RSA_MAX_BITS   4096 /* larger keys refused (cost bound) */
#define JWS_MAX_SIG_LEN    (JWS_RSA_MAX_BITS / 8)
#define JWS_MAX_RSA_E_LEN  8
/* A DER PKCS #8 PrivateKeyInfo of the largest key accepted (RSA-4096 is
 * about 2.4 KB); fits one keys_seal (TG_MAX_SEAL_PLAINTEXT). */
#define JWS_MAX_PRIVATE_DER 2560

/* "ES256" / "RS256", or NULL for a value outside the enum. */
const char *jws_alg_name(enum jws_alg alg);
/* Parse a JOSE "alg" value, case-sensitively (RFC 7515 §4.1.1). TG_OK;
 * TG_ERR_UNSUPPORTED for anything else, "none" included. */
int jws_alg_parse(const char *name, enum jws_alg *out) __attribute__((warn_unused_result));

/* A signing key: algorithm, key pair (or public key only), its kid, when
 * it was made and when it stops being trusted. Opaque. */
struct sign_key;

/* The public parameters published in a JWK (RFC 7518 §6.2, §6.3), as
 * unsigned big-endian bytes. EC: x and y are exactly 32 bytes each. RSA:
 * n without leading zero bytes (n_len bytes), e likewise. */
struct sign_key_public {
	enum jws_alg alg;
	uint8_t x[JWS_EC_COORD_LEN], y[JWS_EC_COORD_LEN];
	uint8_t n[JWS_RSA_MAX_BITS / 8];
	size_t n_len;
	uint8_t e[JWS_MAX_RSA_E_LEN];
	size_t e_len;
};

/* Generate a new key pair for alg (P-256, or RSA-2048 with e = 65537)
 * with created time now and no not-after. *out is set only on TG_OK; free
 * with sign_key_free. TG_ERR_INVALID for an unknown alg, TG_ERR_CRYPTO.
 * RSA generation takes tens to hundreds of milliseconds. */
int sign_key_generate(enum jws_alg alg, int64_t now, struct sign_key **out)
	__attribute__((warn_unused_result));

/* A verify-only key from published parameters (for instance a JWK read
 * back from a JWKS). The curve point is checked to lie on P-256; an RSA
 * modulus must be JWS_RSA_MIN_BITS..JWS_RSA_MAX_BITS and e odd and > 1.
 * created is 0. TG_OK, TG_ERR_INVALID, TG_ERR_CRYPTO. */
int sign_key_from_public(const struct sign_key_public *pub, struct sign_key **out)
	__attribute__((warn_unused_result));

/* Wipes the private key and frees; accepts NULL. */
void sign_key_free(struct sign_key *k);

enum jws_alg sign_key_alg(const struct sign_key *k);
/* The RFC 7638 JWK thumbprint (base64url SHA-256 of the canonical public
 * JWK), JWS_KID_LEN characters, NUL-terminated; lives as long as k. */
const char *sign_key_kid(const struct sign_key *k);
int64_t sign_key_created(const struct sign_key *k);
/* Seconds since the epoch after which the key no longer verifies
 * anything (it has been retired); 0 = none (a current key). */
int64_t sign_key_not_after(const struct sign_key *k);
void sign_key_set_not_after(struct sign_key *k, int64_t not_after);
/* true when k holds a private key (can sign). */
bool sign_key_has_private(const struct sign_key *k);
/* true when k may verify a signature at time now: not_after is 0 or now
 * is before it. */
bool sign_key_is_valid_at(const struct sign_key *k, int64_t now);

/* The public parameters, for the JWKS. TG_OK or TG_ERR_CRYPTO. */
int sign_key_public(const struct sign_key *k, struct sign_key_public *out)
	__attribute__((warn_unused_result));

/* Sign input[0..input_len) (the JWS signing input
 * ASCII(BASE64URL(header) "." BASE64URL(payload))) with k. sig (sig_size
 * >= JWS_MAX_SIG_LEN is always enough) gets the JWS signature bytes: for
 * ES256 the 64-byte R || S form of RFC 7518 §3.4 (not OpenSSL's DER), for
 * RS256 the modulus-sized PKCS #1 v1.5 signature. *sig_len_out gets its
 * length. TG_OK; TG_ERR_INVALID for a key without a private part;
 * TG_ERR_TOO_LARGE for a small sig buffer or input over TG_MAX_JWT;
 * TG_ERR_CRYPTO. sig is wiped on failure. */
int jws_sign(const struct sign_key *k, const void *input, size_t input_len,
             uint8_t *sig, size_t sig_size, size_t *sig_len_out)
	__attribute__((warn_unused_result));

/* Verify a JWS signature made with algorithm alg (from the token's
 * header) over input with key k. TG_OK only when alg is the key's own
 * algorithm, sig has exactly that algorithm's length (64 bytes for ES256,
 * the modulus size for RS256) and the signature verifies. TG_ERR_DENIED
 * for a signature that does not verify, an alg that is not the key's
 * (RFC 8725 §3.1: the key decides the algorithm, never the token) or a
 * wrong length; TG_ERR_TOO_LARGE for input over TG_MAX_JWT; TG_ERR_CRYPTO
 * for a library failure. Does not look at not_after (the caller decides
 * at what time: sign_key_is_valid_at). The inputs are public, so no
 * constant-time care is needed beyond OpenSSL's own. */
int jws_verify(const struct sign_key *k, enum jws_alg alg, const void *input, size_t input_len,
               const uint8_t *sig, size_t sig_len) __attribute__((warn_unused_result));

#endif
