/* SPDX-License-Identifier: MIT
 * One-time codes: generation without modulo bias (the rejection edge),
 * typed-input normalisation, expiry at exactly 10 minutes, single use,
 * burning after too many wrong guesses, and the send rate limit with its
 * retry-after, all with a pinned clock. */
#include "harness.h"
#include "base/err.h"
#include "base/limits.h"
#include "base/mem.h"
#include "core/otp_code.h"

static void generate_digits(void)
{
	char out[OTP_CODE_SIZE];
	uint32_t s = 0;
	CHECK_OK(otp_code_generate(&s, 1, 6, out));
	CHECK_STR(out, "000000"); /* zero-padded */
	s = 123456789;
	CHECK_OK(otp_code_generate(&s, 1, 6, out));
	CHECK_STR(out, "456789");
	CHECK_OK(otp_code_generate(&s, 1, 8, out));
	CHECK_STR(out, "23456789");
	CHECK_OK(otp_code_generate(&s, 1, 7, out));
	CHECK_STR(out, "3456789");
	CHECK_INT(otp_code_generate(&s, 1, 5, out), TG_ERR_INVALID);
	CHECK_INT(otp_code_generate(&s, 1, 9, out), TG_ERR_INVALID);
	CHECK_STR(out, "");
	CHECK_INT(otp_code_generate(&s, 0, 6, out), TG_ERR_INVALID);
}

static void generate_rejects_biased_tail(void)
{
	char out[OTP_CODE_SIZE];
	/* 6 digits: 2^32 = 4294967296, limit = 4294000000; values at or above
	 * would make codes 000000..967295 more likely */
	uint32_t s[3] = {4294000000u, 4294967295u, 4293999999u};
	CHECK_OK(otp_code_generate(s, 3, 6, out));
	CHECK_STR(out, "999999"); /* the two rejected, the third used */
	CHECK_INT(otp_code_generate(s, 2, 6, out), TG_ERR_INVALID);
	/* 8 digits: limit = 4200000000 */
	uint32_t t[2] = {4200000000u, 4199999999u};
	CHECK_OK(otp_code_generate(t, 2, 8, out));
	CHECK_STR(out, "99999999");
	CHECK_INT(otp_code_generate(t, 1, 8, out), TG_ERR_INVALID);
	/* over the whole accepted range each code appears equally often:
	 * check the counts of the first digit over a stride of the range */
	unsigned counts[10] = {0};
	for (uint64_t v = 0; v < 4294000000u; v += 4294000000u / 100000) {
		uint32_t x = (uint32_t)v;
		REQUIRE(otp_code_generate(&x, 1, 6, out) == TG_OK);
		counts[out[0] - '0']++;
	}
	for (int d = 1; d < 10; d++)
		CHECK(counts[d] + 100 > counts[0] && counts[0] + 100 > counts[d]);
}

static void normalize_typed(void)
{
	char out[OTP_CODE_SIZE];
	CHECK_OK(otp_code_normalize("123456", 6, out));
	CHECK_STR(out, "123456");
	CHECK_OK(otp_code_normalize(" 123 456 ", 6, out));
	CHECK_STR(out, "123456");
	CHECK_OK(otp_code_normalize("123-456", 6, out));
	CHECK_STR(out, "123456");
	CHECK_OK(otp_code_normalize("1234 5678", 8, out));
	CHECK_STR(out, "12345678");
	static const char *const bad[] = {"", "12345", "1234567", "12a456", "１23456", "123456\n", "+123456"};
	for (size_t i = 0; i < TG_ARRAY_LEN(bad); i++) {
		int r = otp_code_normalize(bad[i], 6, out);
		if (r != TG_ERR_INVALID)
			TG_T_FAIL("\"%s\" gave %d", bad[i], r);
		CHECK_STR(out, "");
	}
	CHECK_INT(otp_code_normalize("12345678", 8, out), TG_OK);
	CHECK_INT(otp_code_normalize("123456", 8, out), TG_ERR_INVALID); /* length is exact */
	CHECK_INT(otp_code_normalize("123456", 4, out), TG_ERR_INVALID);
	char spaces[200];
	memset(spaces, ' ', sizeof spaces - 7);
	memcpy(spaces + sizeof spaces - 7, "123456", 7);
	CHECK_INT(otp_code_normalize(spaces, 6, out), TG_ERR_INVALID); /* bounded scan */
}

static void expires_after_ten_minutes(void)
{
	const int64_t t0 = 1700000000;
	CHECK_OK(otp_code_check_expiry(t0, OTP_CODE_TTL, t0));
	CHECK_OK(otp_code_check_expiry(t0, OTP_CODE_TTL, t0 + 599));
	CHECK_INT(otp_code_check_expiry(t0, OTP_CODE_TTL, t0 + 600), TG_ERR_EXPIRED);
	CHECK_INT(otp_code_check_expiry(t0, OTP_CODE_TTL, t0 + 86400), TG_ERR_EXPIRED);
	CHECK_OK(otp_code_check_expiry(t0, OTP_CODE_TTL, t0 - 5)); /* skewed clocks */
	CHECK_INT(otp_code_check_expiry(t0, 0, t0), TG_ERR_EXPIRED);
	CHECK_INT(OTP_CODE_TTL, 10 * 60);
}

static void single_use(void)
{
	struct otp_code_rec rec;
	const int64_t t0 = 1700000000;
	otp_code_rec_init(&rec, t0, OTP_CODE_TTL);
	CHECK_OK(otp_code_attempt(&rec, t0 + 30, true));
	CHECK_INT(rec.used_at, t0 + 30);
	/* the same (correct) code again: refused */
	CHECK_INT(otp_code_attempt(&rec, t0 + 31, true), TG_ERR_REPLAY);
	CHECK_INT(otp_code_attempt(&rec, t0 + 31, false), TG_ERR_REPLAY);
	/* used and later expired: still reported as used */
	CHECK_INT(otp_code_attempt(&rec, t0 + 700, true), TG_ERR_REPLAY);
	CHECK_INT(rec.used_at, t0 + 30);
}

static void expired_code_refused(void)
{
	struct otp_code_rec rec;
	const int64_t t0 = 1700000000;
	otp_code_rec_init(&rec, t0, OTP_CODE_TTL);
	CHECK_INT(otp_code_attempt(&rec, t0 + 600, true), TG_ERR_EXPIRED);
	CHECK_INT(rec.used_at, 0); /* not consumed */
	otp_code_rec_init(&rec, t0, OTP_CODE_TTL);
	CHECK_OK(otp_code_attempt(&rec, t0 + 599, true));
}

static void wrong_guesses_burn_the_code(void)
{
	struct otp_code_rec rec;
	const int64_t t0 = 1700000000;
	otp_code_rec_init(&rec, t0, OTP_CODE_TTL);
	for (unsigned i = 1; i < OTP_CODE_MAX_ATTEMPTS; i++) {
		CHECK_INT(otp_code_attempt(&rec, t0 + i, false), TG_ERR_DENIED);
		CHECK_INT(rec.failed_attempts, i);
	}
	/* four wrong, then right: accepted */
	struct otp_code_rec copy = rec;
	CHECK_OK(otp_code_attempt(&copy, t0 + 10, true));
	/* five wrong, then right: burnt */
	CHECK_INT(otp_code_attempt(&rec, t0 + 10, false), TG_ERR_DENIED);
	CHECK_INT(rec.failed_attempts, OTP_CODE_MAX_ATTEMPTS);
	CHECK_INT(otp_code_attempt(&rec, t0 + 11, true), TG_ERR_LIMIT);
	CHECK_INT(rec.used_at, 0);
	CHECK_INT(rec.failed_attempts, OTP_CODE_MAX_ATTEMPTS); /* no further counting */
}

static void send_rate_limit(void)
{
	const int64_t t0 = 1700000000;
	int64_t retry = -1;
	/* nothing sent yet */
	CHECK_OK(otp_code_send_check(NULL, 0, t0, 3, OTP_CODE_SEND_WINDOW, &retry));
	CHECK_INT(retry, 0);
	int64_t sent[] = {t0 + 300, t0 + 100, t0 + 200}; /* any order */
	CHECK_OK(otp_code_send_check(sent, 2, t0 + 400, 3, OTP_CODE_SEND_WINDOW, &retry));
	CHECK_INT(otp_code_send_check(sent, 3, t0 + 400, 3, OTP_CODE_SEND_WINDOW, &retry), TG_ERR_RATE_LIMITED);
	/* the oldest (t0+100) leaves the window at t0+100+900 */
	CHECK_INT(retry, t0 + 1000 - (t0 + 400));
	CHECK_INT(otp_code_send_check(sent, 3, t0 + 999, 3, OTP_CODE_SEND_WINDOW, &retry), TG_ERR_RATE_LIMITED);
	CHECK_INT(retry, 1);
	CHECK_OK(otp_code_send_check(sent, 3, t0 + 1000, 3, OTP_CODE_SEND_WINDOW, &retry));
	/* a higher limit lets the third through */
	CHECK_OK(otp_code_send_check(sent, 3, t0 + 400, 4, OTP_CODE_SEND_WINDOW, &retry));
}

static void send_rate_limit_many(void)
{
	const int64_t t0 = 1700000000;
	int64_t retry = 0;
	/* five sends in the window with a limit of 3: blocked until the third
	 * oldest leaves, since then only two remain */
	int64_t sent[] = {t0 + 50, t0 + 10, t0 + 40, t0 + 20, t0 + 30, t0 - 5000};
	CHECK_INT(otp_code_send_check(sent, 6, t0 + 60, 3, 900, &retry), TG_ERR_RATE_LIMITED);
	CHECK_INT(retry, (t0 + 30 + 900) - (t0 + 60));
	CHECK_INT(otp_code_send_check(sent, 6, t0 + 929, 3, 900, &retry), TG_ERR_RATE_LIMITED);
	CHECK_OK(otp_code_send_check(sent, 6, t0 + 930, 3, 900, NULL));
	/* future timestamps (another server's clock) count as now */
	int64_t future[] = {t0 + 100};
	CHECK_INT(otp_code_send_check(future, 1, t0, 1, 900, &retry), TG_ERR_RATE_LIMITED);
	CHECK_INT(retry, 900);
	/* bad configuration */
	CHECK_INT(otp_code_send_check(sent, 6, t0, 0, 900, &retry), TG_ERR_INVALID);
	CHECK_INT(otp_code_send_check(sent, 6, t0, TG_MAX_OTP_SENDS + 1, 900, &retry), TG_ERR_INVALID);
	CHECK_INT(otp_code_send_check(sent, 6, t0, 3, 0, &retry), TG_ERR_INVALID);
	CHECK_INT(OTP_CODE_SEND_WINDOW, 15 * 60);
}

int main(void)
{
	TEST(generate_digits);
	TEST(generate_rejects_biased_tail);
	TEST(normalize_typed);
	TEST(expires_after_ten_minutes);
	TEST(single_use);
	TEST(expired_code_refused);
	TEST(wrong_guesses_burn_the_code);
	TEST(send_rate_limit);
	TEST(send_rate_limit_many);
	return tg_test_done();
}
