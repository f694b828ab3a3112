/* SPDX-License-Identifier: MIT
 * Recovery codes: format and alphabet, a set of 10 from pinned random
 * bytes, duplicates refused, and normalisation of what users type. */
#include <stdbool.h>
#include "harness.h"
#include "base/err.h"
#include "base/mem.h"
#include "core/recovery.h"

static void format_is_grouped(void)
{
	uint8_t rnd[RECOVERY_CODE_RAND_BYTES] = {0, 1, 9, 10, 17, 31, 32, 63, 255, 224};
	char code[RECOVERY_CODE_SIZE];
	recovery_code_format(rnd, code);
	/* 0->'0', 1->'1', 9->'9', 10->'a', 17->'h', 31->'z', 32->'0', 63->'z',
	 * 255->'z', 224->'0' (only the low 5 bits count) */
	CHECK_STR(code, "019ah-z0zz0");
	CHECK_INT(strlen(code), RECOVERY_CODE_SIZE - 1);
}

static void alphabet_is_unambiguous(void)
{
	uint8_t rnd[RECOVERY_CODE_RAND_BYTES];
	char code[RECOVERY_CODE_SIZE];
	bool seen[128] = {false};
	for (unsigned v = 0; v < 32; v++) {
		memset(rnd, (int)v, sizeof rnd);
		recovery_code_format(rnd, code);
		seen[(unsigned char)code[0]] = true;
	}
	unsigned distinct = 0;
	for (int c = 0; c < 128; c++)
		distinct += seen[c];
	CHECK_INT(distinct, 32);
	CHECK(!seen['i'] && !seen['l'] && !seen['o'] && !seen['u']);
	for (int c = 'A'; c <= 'Z'; c++)
		CHECK(!seen[c]);
}

static void a_set_of_ten(void)
{
	uint8_t rnd[RECOVERY_CODE_COUNT * RECOVERY_CODE_RAND_BYTES];
	char codes[RECOVERY_CODE_COUNT][RECOVERY_CODE_SIZE];
	for (size_t i = 0; i < sizeof rnd; i++)
		rnd[i] = (uint8_t)(i * 37 + 11);
	CHECK_OK(recovery_codes_generate(rnd, sizeof rnd, codes));
	for (size_t i = 0; i < RECOVERY_CODE_COUNT; i++) {
		CHECK_INT(strlen(codes[i]), 11);
		CHECK_INT(codes[i][5], '-');
		char norm[RECOVERY_CODE_NORM_SIZE];
		CHECK_OK(recovery_code_normalize(codes[i], norm));
		CHECK_INT(strlen(norm), RECOVERY_CODE_CHARS);
		for (size_t j = 0; j < i; j++)
			CHECK(strcmp(codes[i], codes[j]) != 0);
	}
	CHECK_INT(recovery_codes_generate(rnd, sizeof rnd - 1, codes), TG_ERR_INVALID);
	/* the same bytes for two codes: refused, nothing left in the output */
	memcpy(rnd + RECOVERY_CODE_RAND_BYTES * 3, rnd, RECOVERY_CODE_RAND_BYTES);
	CHECK_INT(recovery_codes_generate(rnd, sizeof rnd, codes), TG_ERR_INVALID);
	CHECK_STR(codes[0], "");
}

static void normalizes_typed(void)
{
	static const struct {
		const char *typed, *norm;
	} ok[] = {
		{"019ah-z0zz0", "019ahz0zz0"},
		{"019AH-Z0ZZ0", "019ahz0zz0"},
		{" 019ah z0zz0 ", "019ahz0zz0"},
		{"019ahz0zz0", "019ahz0zz0"},
		{"O19AH-ZOZZO", "019ahz0zz0"}, /* letter O read as zero */
		{"il9ah-z0zz0", "119ahz0zz0"}, /* i and l read as one */
		{"0-1-9-a-h-z-0-z-z-0", "019ahz0zz0"},
	};
	for (size_t i = 0; i < TG_ARRAY_LEN(ok); i++) {
		char out[RECOVERY_CODE_NORM_SIZE];
		CHECK_OK(recovery_code_normalize(ok[i].typed, out));
		CHECK_STR(out, ok[i].norm);
	}
	static const char *const bad[] = {
		"", "019ah-z0zz", "019ah-z0zz00", "019ah-z0zzu", "019ah_z0zz0", "019ah-z0zz!",
		"019ah-z0zz\xc3\xb6",
	};
	for (size_t i = 0; i < TG_ARRAY_LEN(bad); i++) {
		char out[RECOVERY_CODE_NORM_SIZE];
		int r = recovery_code_normalize(bad[i], out);
		if (r != TG_ERR_INVALID)
			TG_T_FAIL("\"%s\" gave %d", bad[i], r);
		CHECK_STR(out, "");
	}
}

int main(void)
{
	TEST(format_is_grouped);
	TEST(alphabet_is_unambiguous);
	TEST(a_set_of_ten);
	TEST(normalizes_typed);
	return tg_test_done();
}
