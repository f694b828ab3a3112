/* SPDX-License-Identifier: MIT
 * PKCE (RFC 7636), the S256 method only. The authorization endpoint stores
 * the client's code_challenge with the authorization code; the token
 * endpoint checks the presented code_verifier against it. "plain" is
 * refused: it protects nothing once the challenge is seen (RFC 7636 §7.2,
 * OAuth 2.0 Security BCP RFC 9700 §2.1.1). Pure apart from SHA-256. */
#ifndef TG_CRYPTO_PKCE_H
#define TG_CRYPTO_PKCE_H
#include <stdbool.h>
#include <stddef.h>

#define PKCE_VERIFIER_MIN  43   /* RFC 7636 §4.1 */
#define PKCE_VERIFIER_MAX  128
#define PKCE_CHALLENGE_LEN 43   /* base64url(SHA-256), no padding */

/* Parse code_challenge_method: TG_OK for exactly "S256";
 * TG_ERR_UNSUPPORTED for "plain" and anything else. (An absent method
 * means "plain" in RFC 7636 §4.3, so callers refuse that too.) */
int pkce_method_check(const char *method) __attribute__((warn_unused_result));

/* true when v[0..len) is a syntactically valid code_verifier: 43 to 128
 * characters of [A-Za-z0-9-._~] (RFC 7636 §4.1). */
bool pkce_is_valid_verifier(const char *v, size_t len);

/* true when c[0..len) can be an S256 code_challenge: exactly 43
 * base64url characters that decode canonically to 32 bytes. */
bool pkce_is_valid_challenge(const char *c, size_t len);

/* The S256 challenge of a verifier: BASE64URL(SHA-256(ASCII(verifier)))
 * (RFC 7636 §4.2), NUL-terminated in out. TG_OK; TG_ERR_INVALID for a
 * verifier that fails pkce_is_valid_verifier; TG_ERR_CRYPTO. */
int pkce_challenge_s256(const char *verifier, size_t len, char out[PKCE_CHALLENGE_LEN + 1])
	__attribute__((warn_unused_result));

/* Check a presented verifier against the stored S256 challenge: TG_OK on
 * a match; TG_ERR_DENIED when they differ; TG_ERR_INVALID for a malformed
 * verifier or stored challenge (the caller answers invalid_grant for
 * every failure, RFC 7636 §4.6). The derived challenge is compared in
 * constant time over its fixed 43 bytes. */
int pkce_verify(const char *challenge, size_t challenge_len, const char *verifier,
                size_t verifier_len) __attribute__((warn_unused_result));

#endif
