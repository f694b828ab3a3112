/* SPDX-License-Identifier: MIT
 * Base32 (RFC 4648 §6, alphabet A-Z 2-7) for OATH secrets: otpauth URIs
 * carry them unpadded, hardware token CSVs carry them in any case, and
 * users type them with spaces. Pure. */
#ifndef TG_CORE_BASE32_H
#define TG_CORE_BASE32_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Characters base32_encode writes for len bytes, excluding the NUL. */
size_t base32_encoded_len(size_t len, bool pad);
/* Upper bound on the bytes decoded from text_len characters. */
#define BASE32_DECODED_MAX(text_len) (((size_t)(text_len) * 5) / 8)

/* Encode len bytes as upper-case Base32, with '=' padding when pad (the
 * otpauth form has none), NUL-terminated into out (out_size bytes).
 * TG_OK, or TG_ERR_TOO_LARGE when out is too small (out set to ""). */
int base32_encode(const uint8_t *in, size_t len, bool pad, char *out, size_t out_size);

/* Decode text (text_len chars, need not be NUL-terminated): letters in
 * either case, padding optional but correct when present (only at the end,
 * making a multiple of 8 characters). Refuses any other character,
 * including spaces, and lengths no encoding produces (1, 3 or 6 mod 8).
 * Unused low bits of the last character are ignored, as oathtool and
 * authenticator apps do (Entra's own sample secret has them set).
 * Writes at most out_size bytes; *out_len gets the decoded length.
 * TG_OK, TG_ERR_INVALID, or TG_ERR_TOO_LARGE when out is too small.
 * out is wiped on failure (the bytes are usually a secret). */
int base32_decode(const char *text, size_t text_len, uint8_t *out, size_t out_size,
                  size_t *out_len) __attribute__((warn_unused_result));

/* As base32_decode, but for user-typed or imported input: ASCII spaces,
 * tabs and '-' anywhere are ignored (authenticator apps show secrets in
 * groups of four). */
int base32_decode_lenient(const char *text, size_t text_len, uint8_t *out, size_t out_size,
                          size_t *out_len) __attribute__((warn_unused_result));

#endif
