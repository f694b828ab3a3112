/* SPDX-License-Identifier: MIT
 * base/str: strict parsing, UTF-8 validation, ISO times, bounded buffers. */
#include "harness.h"
#include "base/err.h"
#include "base/str.h"

static void parse_i64_strict(void)
{
	int64_t v = 0;
	CHECK_OK(tg_parse_i64("42", 0, 100, &v));
	CHECK_INT(v, 42);
	CHECK_OK(tg_parse_i64("-5", -10, 10, &v));
	CHECK_INT(v, -5);
	CHECK_INT(tg_parse_i64("", 0, 10, &v), TG_ERR_INVALID);
	CHECK_INT(tg_parse_i64(" 1", 0, 10, &v), TG_ERR_INVALID);
	CHECK_INT(tg_parse_i64("1x", 0, 10, &v), TG_ERR_INVALID);
	CHECK_INT(tg_parse_i64("11", 0, 10, &v), TG_ERR_INVALID);
	CHECK_INT(tg_parse_i64("99999999999999999999", 0, INT64_MAX, &v), TG_ERR_INVALID);
	CHECK_INT(tg_parse_i64("-", -1, 1, &v), TG_ERR_INVALID);
}

static void utf8_validation(void)
{
	size_t n = 0;
	CHECK(tg_utf8_valid("abc", 3, &n));
	CHECK_INT(n, 3);
	CHECK(tg_utf8_valid("l\xc3\xb6senord", 9, &n)); /* lösenord */
	CHECK_INT(n, 8);
	CHECK(tg_utf8_valid("\xf0\x9f\x94\x91", 4, &n)); /* key emoji */
	CHECK_INT(n, 1);
	CHECK(!tg_utf8_valid("\xc3", 1, NULL));           /* truncated */
	CHECK(!tg_utf8_valid("\xc0\xaf", 2, NULL));       /* overlong */
	CHECK(!tg_utf8_valid("\xed\xa0\x80", 3, NULL));   /* surrogate */
	CHECK(!tg_utf8_valid("\xf4\x90\x80\x80", 4, NULL)); /* > U+10FFFF */
	CHECK(!tg_utf8_valid("\xff", 1, NULL));
	CHECK(!tg_utf8_valid("a\0b", 3, NULL));
}

static void iso_times(void)
{
	char buf[TG_TIME_ISO_LEN];
	tg_time_iso(0, buf);
	CHECK_STR(buf, "1970-01-01T00:00:00Z");
	tg_time_iso(1795374957, buf);
	CHECK_STR(buf, "2026-11-22T19:15:57Z");
	int64_t t = 0;
	CHECK_OK(tg_time_parse_iso("2026-11-22T19:15:57Z", &t));
	CHECK_INT(t, 1795374957);
	CHECK_OK(tg_time_parse_iso("2026-11-22T20:15:57.123+01:00", &t));
	CHECK_INT(t, 1795374957);
	CHECK_OK(tg_time_parse_iso("2000-02-29", &t));
	CHECK_INT(tg_time_parse_iso("2001-02-29", &t), TG_ERR_INVALID);
	CHECK_INT(tg_time_parse_iso("2026-13-01", &t), TG_ERR_INVALID);
	CHECK_INT(tg_time_parse_iso("2026-11-22T19:15", &t), TG_ERR_INVALID);
	CHECK_INT(tg_time_parse_iso("2026-11-22T19:15:57", &t), TG_ERR_INVALID);
	CHECK_INT(tg_time_parse_iso("yesterday", &t), TG_ERR_INVALID);
}

static void durations(void)
{
	int64_t d = 0;
	CHECK_OK(tg_duration_parse("15m", &d));
	CHECK_INT(d, 900);
	CHECK_OK(tg_duration_parse("7d", &d));
	CHECK_INT(d, 604800);
	CHECK_INT(tg_duration_parse("7", &d), TG_ERR_INVALID);
	CHECK_INT(tg_duration_parse("-7d", &d), TG_ERR_INVALID);
	CHECK_INT(tg_duration_parse("d", &d), TG_ERR_INVALID);
	CHECK_INT(tg_duration_parse("3y", &d), TG_ERR_INVALID);
}

static void when_times(void)
{
	int64_t t = 0;
	CHECK_OK(tg_time_parse_when("now", 1000000, &t));
	CHECK_INT(t, 1000000);
	CHECK_OK(tg_time_parse_when("2h", 1000000, &t));
	CHECK_INT(t, 1000000 - 7200);
	CHECK_OK(tg_time_parse_when("2026-11-22T19:15:57Z", 0, &t));
	CHECK_INT(t, 1795374957);
	t = 42;
	CHECK_INT(tg_time_parse_when("yesterday", 1000000, &t), TG_ERR_INVALID);
	CHECK_INT(tg_time_parse_when("", 1000000, &t), TG_ERR_INVALID);
	CHECK_INT(t, 42); /* untouched on failure */
}

static void buffer_max(void)
{
	struct tg_buf b;
	tg_buf_init(&b, 8);
	CHECK_OK(tg_buf_append(&b, "abcd", 4));
	CHECK_OK(tg_buf_appendf(&b, "%d", 1234));
	CHECK_STR(b.data, "abcd1234");
	CHECK_INT(tg_buf_append(&b, "x", 1), TG_ERR_TOO_LARGE);
	CHECK_STR(b.data, "abcd1234");
	tg_buf_cleanup(&b);
}

static void secret_buffer_grows(void)
{
	struct tg_buf b;
	tg_buf_init_secret(&b, 100000);
	for (int i = 0; i < 1000; i++)
		CHECK_OK(tg_buf_appendf(&b, "%04d", i));
	CHECK_INT(b.len, 4000);
	CHECK(strncmp(b.data + 3996, "0999", 4) == 0);
	tg_buf_cleanup(&b);
	CHECK(b.data == NULL);
}

static void bounded_copy(void)
{
	char small[4];
	CHECK_INT(tg_strlcpy(small, "abcdef", sizeof small), 6);
	CHECK_STR(small, "abc");
	CHECK_INT(tg_strcpy_checked(small, sizeof small, "abcd"), TG_ERR_TOO_LARGE);
	CHECK_OK(tg_strcpy_checked(small, sizeof small, "abc"));
	char t[16] = "  hi \t\n";
	CHECK_STR(tg_trim(t), "hi");
}

int main(void)
{
	TEST(parse_i64_strict);
	TEST(utf8_validation);
	TEST(iso_times);
	TEST(durations);
	TEST(when_times);
	TEST(buffer_max);
	TEST(secret_buffer_grows);
	TEST(bounded_copy);
	return tg_test_done();
}
