/* SPDX-License-Identifier: MIT
 * Private to src/crypto (the signing key ring) and its tests: the calls
 * that move private key bytes in and out of a struct sign_key, and the
 * ECDSA signature form conversion. Nothing above src/crypto includes this
 * header; the service layer only ever handles a sealed key ring. */
#ifndef TG_CRYPTO_JWS_INT_H
#define TG_CRYPTO_JWS_INT_H
#include <stddef.h>
#include <stdint.h>
#include "crypto/jws.h"

/* Largest DER ECDSA-Sig-Value for P-256 (two 33-byte INTEGERs). */
#define JWS_MAX_ECDSA_DER   72

/* The private key as DER PKCS #8 PrivateKeyInfo (unencrypted: the caller
 * seals it at once) into out (out_size >= JWS_MAX_PRIVATE_DER). *out_len
 * gets its length. TG_OK; TG_ERR_INVALID for a verify-only key;
 * TG_ERR_TOO_LARGE; TG_ERR_CRYPTO. out is wiped on failure; the caller
 * wipes it after use. */
int sign_key_export_private(const struct sign_key *k, uint8_t *out, size_t out_size,
                            size_t *out_len) __attribute__((warn_unused_result));

/* A key pair from DER PKCS #8 PrivateKeyInfo, which must be exactly a key
 * for alg: P-256 for ES256, RSA (not RSA-PSS) of JWS_RSA_MIN_BITS to
 * JWS_RSA_MAX_BITS for RS256, with the public half consistent with the
 * private one and no trailing bytes. created and not_after are recorded
 * as given. *out set only on TG_OK. TG_ERR_INVALID for anything else,
 * TG_ERR_CRYPTO. der is not modified (the caller wipes it). */
int sign_key_import_private(enum jws_alg alg, const uint8_t *der, size_t der_len,
                            int64_t created, int64_t not_after, struct sign_key **out)
	__attribute__((warn_unused_result));

/* ECDSA P-256 signature forms (RFC 7518 §3.4): OpenSSL's DER
 * ECDSA-Sig-Value <-> JOSE's 64-byte R || S (each big-endian, left-padded
 * with zeros to 32 bytes). der_to_raw refuses trailing bytes, non-minimal
 * encodings and integers over 32 bytes (TG_ERR_INVALID). raw_to_der needs
 * der_size >= JWS_MAX_ECDSA_DER. */
int jws_ecdsa_der_to_raw(const uint8_t *der, size_t der_len, uint8_t raw[JWS_ES256_SIG_LEN])
	__attribute__((warn_unused_result));
int jws_ecdsa_raw_to_der(const uint8_t raw[JWS_ES256_SIG_LEN], uint8_t *der, size_t der_size,
                         size_t *der_len) __attribute__((warn_unused_result));

#endif
