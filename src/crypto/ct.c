/* SPDX-License-Identifier: MIT
 * Constant-time comparison over OpenSSL's CRYPTO_memcmp. */
#include <string.h>
#include <openssl/crypto.h>
#include "crypto/ct.h"

bool ct_memeq(const void *a, const void *b, size_t len)
{
	return CRYPTO_memcmp(a, b, len) == 0;
}

bool ct_streq(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la != lb)
		return false;
	return CRYPTO_memcmp(a, b, la) == 0;
}
