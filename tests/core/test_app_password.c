/* SPDX-License-Identifier: MIT
 * App passwords: 16 letters from pinned random bytes without bias, the
 * grouped display, normalisation of typed input, the 40-per-user limit
 * and the tenant setting, and names. */
#include "harness.h"
#include "base/err.h"
#include "base/limits.h"
#include "base/mem.h"
#include "core/app_password.h"

static void generate_from_bytes(void)
{
	uint8_t rnd[APP_PASSWORD_RAND_BYTES];
	char pw[APP_PASSWORD_SIZE];
	for (size_t i = 0; i < sizeof rnd; i++)
		rnd[i] = (uint8_t)i; /* 0..47 -> a..z then a..v */
	CHECK_OK(app_password_generate(rnd, sizeof rnd, pw));
	CHECK_STR(pw, "abcdefghijklmnop");
	rnd[0] = 25;
	rnd[1] = 26;  /* 26 % 26 = 'a' */
	rnd[2] = 233; /* the largest usable byte: 233 % 26 = 25 -> 'z' */
	CHECK_OK(app_password_generate(rnd, sizeof rnd, pw));
	CHECK_STR(pw, "zazdefghijklmnop");
}

static void generate_skips_biased_bytes(void)
{
	uint8_t rnd[APP_PASSWORD_RAND_BYTES];
	char pw[APP_PASSWORD_SIZE];
	/* bytes 234..255 would make a..v more likely than w..z: skipped */
	for (size_t i = 0; i < sizeof rnd; i++)
		rnd[i] = (uint8_t)(234 + i % 22);
	CHECK_INT(app_password_generate(rnd, sizeof rnd, pw), TG_ERR_INVALID);
	CHECK_STR(pw, "");
	for (size_t i = 0; i < 16; i++)
		rnd[sizeof rnd - 16 + i] = (uint8_t)(25 - i);
	CHECK_OK(app_password_generate(rnd, sizeof rnd, pw));
	CHECK_STR(pw, "zyxwvutsrqponmlk");
	CHECK_INT(app_password_generate(rnd, 15, pw), TG_ERR_INVALID);
	/* every usable byte value gives each letter exactly 9 times */
	unsigned counts[26] = {0};
	for (unsigned v = 0; v < 234; v++) {
		uint8_t b[APP_PASSWORD_RAND_BYTES];
		memset(b, (int)v, sizeof b);
		REQUIRE(app_password_generate(b, sizeof b, pw) == TG_OK);
		counts[pw[0] - 'a']++;
	}
	for (int c = 0; c < 26; c++)
		CHECK_INT(counts[c], 9);
}

static void display_grouped(void)
{
	char out[APP_PASSWORD_DISPLAY_SIZE];
	CHECK_OK(app_password_display("abcdefghijklmnop", out));
	CHECK_STR(out, "abcd efgh ijkl mnop");
	CHECK_INT(strlen(out), APP_PASSWORD_DISPLAY_SIZE - 1);
	CHECK_INT(app_password_display("abcdefghijklmno", out), TG_ERR_INVALID);
	CHECK_STR(out, "");
	CHECK_INT(app_password_display("abcdefghijklmnopq", out), TG_ERR_INVALID);
	CHECK_INT(app_password_display("abcdefghijklmnoP", out), TG_ERR_INVALID);
}

static void normalize_typed(void)
{
	char out[APP_PASSWORD_SIZE];
	CHECK_OK(app_password_normalize("abcd efgh ijkl mnop", out));
	CHECK_STR(out, "abcdefghijklmnop");
	CHECK_OK(app_password_normalize("ABCD EFGH IJKL MNOP", out));
	CHECK_STR(out, "abcdefghijklmnop");
	CHECK_OK(app_password_normalize("abcdefghijklmnop", out));
	CHECK_OK(app_password_normalize(" abcdefgh  ijklmnop ", out));
	static const char *const bad[] = {
		"", "abcd efgh ijkl mno", "abcd efgh ijkl mnopq", "abcd-efgh-ijkl-mnop",
		"abcd efgh ijkl mn0p", "Summer2024!Summer", "abcd\tefgh ijkl mnop",
		"abcd efgh ijkl mn\xc3\xb6",
	};
	for (size_t i = 0; i < TG_ARRAY_LEN(bad); i++) {
		int r = app_password_normalize(bad[i], out);
		if (r != TG_ERR_INVALID)
			TG_T_FAIL("\"%s\" gave %d", bad[i], r);
		CHECK_STR(out, "");
	}
}

static void creation_rule(void)
{
	/* the tenant setting is off by default: no creation at all */
	CHECK_INT(app_password_may_create(false, 0), TG_ERR_DISABLED);
	CHECK_INT(app_password_may_create(false, 40), TG_ERR_DISABLED);
	CHECK_OK(app_password_may_create(true, 0));
	CHECK_OK(app_password_may_create(true, 39));
	CHECK_INT(app_password_may_create(true, 40), TG_ERR_LIMIT);
	CHECK_INT(app_password_may_create(true, 41), TG_ERR_LIMIT);
	CHECK_INT(APP_PASSWORD_MAX_PER_USER, 40);
}

static void names(void)
{
	CHECK_OK(app_password_name_check("Outlook on my phone"));
	CHECK_OK(app_password_name_check("Åsas iPad"));
	CHECK_INT(app_password_name_check(""), TG_ERR_INVALID);
	CHECK_INT(app_password_name_check("bad\nname"), TG_ERR_INVALID);
	CHECK_INT(app_password_name_check("bad \xc3"), TG_ERR_INVALID);
	char big[TG_MAX_APP_PASSWORD_NAME + 2];
	memset(big, 'n', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	CHECK_INT(app_password_name_check(big), TG_ERR_TOO_LARGE);
	big[TG_MAX_APP_PASSWORD_NAME] = '\0';
	CHECK_OK(app_password_name_check(big));
}

int main(void)
{
	TEST(generate_from_bytes);
	TEST(generate_skips_biased_bytes);
	TEST(display_grouped);
	TEST(normalize_typed);
	TEST(creation_rule);
	TEST(names);
	return tg_test_done();
}
