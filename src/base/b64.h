/* SPDX-License-Identifier: MIT
 * Base64 (RFC 4648 §4, '+' '/' with '=' padding) and base64url (RFC 4648
 * §5, '-' '_' without padding, as JOSE requires: RFC 7515 §2). Pure and
 * bounded: the caller gives the output buffer and its size.
 *
 * Decoding is strict, so that one value has exactly one encoding (a JWT
 * that decodes the same from two spellings could slip past a denylist):
 * characters outside the alphabet (including white space and the other
 * alphabet's '+' '/' or '-' '_'), a length no encoder produces (1 mod 4),
 * padding that is missing, misplaced or (for base64url) present at all,
 * and non-zero unused bits in the last character are all refused.
 * Character classification is branch-free on the data, so decoding a
 * secret (a key, a seed) does not leak it through a lookup table. */
#ifndef TG_BASE_B64_H
#define TG_BASE_B64_H
#include <stddef.h>
#include <stdint.h>

/* Characters b64_encode writes for len bytes (a multiple of 4), excluding
 * the NUL. */
#define B64_ENCODED_LEN(len)    ((((size_t)(len) + 2) / 3) * 4)
/* Characters b64url_encode writes for len bytes, excluding the NUL. */
#define B64URL_ENCODED_LEN(len) (((size_t)(len) * 4 + 2) / 3)
/* Upper bound on the bytes decoded from text_len characters (either form). */
#define B64_DECODED_MAX(text_len) (((size_t)(text_len) / 4) * 3 + 2)

/* Encode len bytes, NUL-terminated, into out (out_size bytes, at least
 * B64_ENCODED_LEN(len) + 1 or B64URL_ENCODED_LEN(len) + 1). *out_len (may
 * be NULL) gets the number of characters. TG_OK, or TG_ERR_TOO_LARGE when
 * out is too small (out is then "" if out_size > 0). in may be NULL when
 * len is 0. */
int b64_encode(const uint8_t *in, size_t len, char *out, size_t out_size, size_t *out_len);
int b64url_encode(const uint8_t *in, size_t len, char *out, size_t out_size, size_t *out_len);

/* Decode text[0..text_len) (need not be NUL-terminated) into out (at most
 * out_size bytes); *out_len gets the decoded length. TG_OK;
 * TG_ERR_INVALID for anything a strict decoder refuses (see above);
 * TG_ERR_TOO_LARGE when out is too small. out is wiped on failure (the
 * bytes may be a secret) and *out_len is then 0. The empty string decodes
 * to zero bytes. */
int b64_decode(const char *text, size_t text_len, uint8_t *out, size_t out_size,
               size_t *out_len) __attribute__((warn_unused_result));
int b64url_decode(const char *text, size_t text_len, uint8_t *out, size_t out_size,
                  size_t *out_len) __attribute__((warn_unused_result));

#endif
