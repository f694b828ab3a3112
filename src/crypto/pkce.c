/* SPDX-License-Identifier: MIT
 * PKCE S256 (see pkce.h). */
#include <string.h>
#include <openssl/crypto.h>
#include "base/b64.h"
#include "base/err.h"
#include "crypto/ct.h"
#include "crypto/hmac.h"
#include "crypto/pkce.h"

int pkce_method_check(const char *method)
{
	/* RFC 7636 §4.3: the method name is case-sensitive */
	if (method && strcmp(method, "S256") == 0)
		return TG_OK;
	return TG_ERR_UNSUPPORTED;
}

static bool is_unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '.' || c == '_' || c == '~';
}

bool pkce_is_valid_verifier(const char *v, size_t len)
{
	if (!v || len < PKCE_VERIFIER_MIN || len > PKCE_VERIFIER_MAX)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!is_unreserved((unsigned char)v[i]))
			return false;
	return true;
}

bool pkce_is_valid_challenge(const char *c, size_t len)
{
	uint8_t raw[HMAC_SHA256_LEN + 2];
	size_t n = 0;
	if (!c || len != PKCE_CHALLENGE_LEN)
		return false;
	bool ok = b64url_decode(c, len, raw, sizeof raw, &n) == TG_OK && n == HMAC_SHA256_LEN;
	OPENSSL_cleanse(raw, sizeof raw);
	return ok;
}

int pkce_challenge_s256(const char *verifier, size_t len, char out[PKCE_CHALLENGE_LEN + 1])
{
	uint8_t digest[HMAC_SHA256_LEN];
	out[0] = '\0';
	if (!pkce_is_valid_verifier(verifier, len))
		return TG_ERR_INVALID;
	int r = hmac_sha256_hash(verifier, len, digest);
	if (r == TG_OK)
		r = b64url_encode(digest, sizeof digest, out, PKCE_CHALLENGE_LEN + 1, NULL);
	OPENSSL_cleanse(digest, sizeof digest);
	return r;
}

int pkce_verify(const char *challenge, size_t challenge_len, const char *verifier,
                size_t verifier_len)
{
	char derived[PKCE_CHALLENGE_LEN + 1];
	if (!pkce_is_valid_challenge(challenge, challenge_len))
		return TG_ERR_INVALID;
	int r = pkce_challenge_s256(verifier, verifier_len, derived);
	if (r != TG_OK)
		return r;
	/* both are exactly PKCE_CHALLENGE_LEN bytes: only the content is
	 * compared, in constant time */
	r = ct_memeq(derived, challenge, PKCE_CHALLENGE_LEN) ? TG_OK : TG_ERR_DENIED;
	OPENSSL_cleanse(derived, sizeof derived);
	return r;
}
