/* SPDX-License-Identifier: MIT
 * Recovery codes: a set of 10 single-use codes, shown once and stored
 * only as keyed digests. Each code is 10 characters of Crockford's Base32
 * alphabet (digits and lower-case letters without i, l, o, u), 50 bits,
 * shown grouped as "xxxxx-xxxxx". Typed codes are forgiving: case,
 * spaces and hyphens do not matter, and o/i/l are read as 0/1/1. Pure:
 * the random bytes come in as a parameter.
 *
 * Store digests of the compact form (recovery_code_normalize output) with
 * keys_pepper_digest(k, RECOVERY_CODE_DIGEST_CONTEXT, ...); regenerating
 * replaces the whole set, and using a code is an atomic
 * "UPDATE ... SET used_at = :now WHERE ... AND used_at IS NULL". */
#ifndef TG_CORE_RECOVERY_H
#define TG_CORE_RECOVERY_H
#include <stddef.h>
#include <stdint.h>

#define RECOVERY_CODE_COUNT      10
#define RECOVERY_CODE_CHARS      10  /* characters of entropy per code */
#define RECOVERY_CODE_RAND_BYTES 10  /* random bytes consumed per code */
#define RECOVERY_CODE_SIZE       12  /* display form "xxxxx-xxxxx" + NUL */
#define RECOVERY_CODE_NORM_SIZE  11  /* compact form + NUL */
#define RECOVERY_CODE_DIGEST_CONTEXT "recovery-code"

/* One code from RECOVERY_CODE_RAND_BYTES random bytes (5 bits of each:
 * 32 divides 256, so there is no bias), in display form. */
void recovery_code_format(const uint8_t rnd[RECOVERY_CODE_RAND_BYTES], char out[RECOVERY_CODE_SIZE]);

/* A full set from rnd_len == RECOVERY_CODE_COUNT * RECOVERY_CODE_RAND_BYTES
 * random bytes, display form. TG_OK; TG_ERR_INVALID for another rnd_len or
 * if two codes came out equal (chance 2^-44; ask for fresh bytes). */
int recovery_codes_generate(const uint8_t *rnd, size_t rnd_len,
                            char codes[RECOVERY_CODE_COUNT][RECOVERY_CODE_SIZE])
	__attribute__((warn_unused_result));

/* The compact canonical form of a typed or displayed code: spaces and '-'
 * removed, lower case, o -> 0, i and l -> 1. TG_OK when exactly
 * RECOVERY_CODE_CHARS alphabet characters remain, else TG_ERR_INVALID
 * (out ""). */
int recovery_code_normalize(const char *typed, char out[RECOVERY_CODE_NORM_SIZE]);

#endif
