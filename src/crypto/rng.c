/* SPDX-License-Identifier: MIT
 * Randomness over OpenSSL's CSPRNG. */
#include <openssl/rand.h>
#include "base/err.h"
#include "base/uuid.h"
#include "crypto/rng.h"

int rng_bytes(void *buf, size_t len)
{
	if (len > (size_t)INT32_MAX)
		return TG_ERR_INVALID;
	if (RAND_bytes(buf, (int)len) != 1)
		return TG_ERR_CRYPTO;
	return TG_OK;
}

int rng_uniform(uint32_t bound, uint32_t *out)
{
	if (bound == 0)
		return TG_ERR_INVALID;
	/* reject values in the partial top range to avoid modulo bias */
	uint32_t limit = UINT32_MAX - (UINT32_MAX % bound);
	for (;;) {
		uint32_t v;
		int r = rng_bytes(&v, sizeof v);
		if (r)
			return r;
		if (v < limit) {
			*out = v % bound;
			return TG_OK;
		}
	}
}

int rng_uuid(char out[37])
{
	uint8_t b[16];
	int r = rng_bytes(b, sizeof b);
	if (r)
		return r;
	uuid_format_v4(b, out);
	return TG_OK;
}
