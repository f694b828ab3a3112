/* SPDX-License-Identifier: MIT
 * Recovery code format and normalisation (see recovery.h). */
#include <stdbool.h>
#include <string.h>
#include "base/err.h"
#include "base/mem.h"
#include "core/recovery.h"

/* Crockford's Base32 alphabet, lower case. */
static const char alphabet[] = "0123456789abcdefghjkmnpqrstvwxyz";

void recovery_code_format(const uint8_t rnd[RECOVERY_CODE_RAND_BYTES], char out[RECOVERY_CODE_SIZE])
{
	size_t o = 0;
	for (size_t i = 0; i < RECOVERY_CODE_CHARS; i++) {
		if (i == RECOVERY_CODE_CHARS / 2)
			out[o++] = '-';
		out[o++] = alphabet[rnd[i] & 31];
	}
	out[o] = '\0';
}

int recovery_codes_generate(const uint8_t *rnd, size_t rnd_len,
                            char codes[RECOVERY_CODE_COUNT][RECOVERY_CODE_SIZE])
{
	if (rnd_len != (size_t)RECOVERY_CODE_COUNT * RECOVERY_CODE_RAND_BYTES)
		return TG_ERR_INVALID;
	for (size_t i = 0; i < RECOVERY_CODE_COUNT; i++) {
		recovery_code_format(rnd + i * RECOVERY_CODE_RAND_BYTES, codes[i]);
		for (size_t j = 0; j < i; j++) {
			if (strcmp(codes[i], codes[j]) == 0) {
				tg_wipe(codes, (size_t)RECOVERY_CODE_COUNT * RECOVERY_CODE_SIZE);
				return TG_ERR_INVALID;
			}
		}
	}
	return TG_OK;
}

/* The alphabet character a typed character stands for, or 0. */
static char canonical(char c)
{
	if (c >= 'A' && c <= 'Z')
		c = (char)(c - 'A' + 'a');
	if (c == 'o')
		return '0';
	if (c == 'i' || c == 'l')
		return '1';
	if (c && strchr(alphabet, c))
		return c;
	return 0;
}

int recovery_code_normalize(const char *typed, char out[RECOVERY_CODE_NORM_SIZE])
{
	size_t n = 0;
	for (size_t i = 0; typed[i]; i++) {
		if (i > 64)
			goto bad;
		char c = typed[i];
		if (c == ' ' || c == '-' || c == '\t')
			continue;
		char k = canonical(c);
		if (!k || n == RECOVERY_CODE_CHARS)
			goto bad;
		out[n++] = k;
	}
	if (n != RECOVERY_CODE_CHARS)
		goto bad;
	out[n] = '\0';
	return TG_OK;
bad:
	tg_wipe(out, RECOVERY_CODE_NORM_SIZE);
	return TG_ERR_INVALID;
}
