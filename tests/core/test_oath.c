/* SPDX-License-Identifier: MIT
 * HOTP/TOTP: every RFC 4226 Appendix D value and every RFC 6238
 * Appendix B row (SHA1/SHA256/SHA512 with the 20/32/64-byte seeds of the
 * RFC's reference code, 8 digits); the ±1 window edges; replay refusal;
 * 60 s steps; 6 digits; malformed codes and parameters. */
#include "harness.h"
#include "base/err.h"
#include "base/limits.h"
#include "base/mem.h"
#include "core/oath.h"

static const uint8_t *seed20 = (const uint8_t *)"12345678901234567890";
static const uint8_t *seed32 = (const uint8_t *)"12345678901234567890123456789012";
static const uint8_t *seed64 =
	(const uint8_t *)"1234567890123456789012345678901234567890123456789012345678901234";

/* RFC 4226 Appendix D: HOTP(secret, count) for count 0..9, 6 digits. */
static const char *const rfc4226_hotp[10] = {
	"755224", "287082", "359152", "969429", "338314",
	"254676", "287922", "162583", "399871", "520489",
};

/* RFC 6238 Appendix B: time, SHA1, SHA256, SHA512 (8 digits, 30 s). */
static const struct {
	int64_t t;
	const char *sha1, *sha256, *sha512;
} rfc6238[] = {
	{59LL, "94287082", "46119246", "90693936"},
	{1111111109LL, "07081804", "68084774", "25091201"},
	{1111111111LL, "14050471", "67062674", "99943326"},
	{1234567890LL, "89005924", "91819424", "93441116"},
	{2000000000LL, "69279037", "90698825", "38618901"},
	{20000000000LL, "65353130", "77737706", "47863826"},
};

static struct totp_params params(enum hmac_alg alg, unsigned digits, unsigned period)
{
	struct totp_params p;
	totp_params_default(&p);
	p.alg = alg;
	p.digits = digits;
	p.period = period;
	return p;
}

static void rfc4226_appendix_d(void)
{
	char out[OATH_CODE_SIZE];
	for (uint64_t c = 0; c < 10; c++) {
		CHECK_OK(hotp_generate(HMAC_ALG_SHA1, seed20, 20, c, 6, out));
		CHECK_STR(out, rfc4226_hotp[c]);
	}
}

static void rfc6238_appendix_b(void)
{
	static const enum hmac_alg algs[3] = {HMAC_ALG_SHA1, HMAC_ALG_SHA256, HMAC_ALG_SHA512};
	const uint8_t *seeds[3] = {seed20, seed32, seed64};
	static const size_t lens[3] = {20, 32, 64};
	for (size_t i = 0; i < TG_ARRAY_LEN(rfc6238); i++) {
		const char *expect[3] = {rfc6238[i].sha1, rfc6238[i].sha256, rfc6238[i].sha512};
		for (int a = 0; a < 3; a++) {
			struct totp_params p = params(algs[a], 8, 30);
			char out[OATH_CODE_SIZE];
			int64_t m = -5;
			CHECK_OK(totp_generate(&p, seeds[a], lens[a], rfc6238[i].t, out));
			if (strcmp(out, expect[a]) != 0)
				TG_T_FAIL("T=%lld %s: %s, expected %s", (long long)rfc6238[i].t,
				          hmac_alg_name(algs[a]), out, expect[a]);
			/* and the same value verifies at that time, at its step */
			CHECK_OK(totp_verify(&p, seeds[a], lens[a], expect[a], rfc6238[i].t, TOTP_STEP_NONE, &m));
			CHECK_INT(m, rfc6238[i].t / 30);
		}
	}
	CHECK_INT(TG_ARRAY_LEN(rfc6238), 6);
}

static void six_digits(void)
{
	/* T=59 is step 1: the 6-digit TOTP is HOTP count 1 from RFC 4226 */
	struct totp_params p = params(HMAC_ALG_SHA1, 6, 30);
	char out[OATH_CODE_SIZE];
	CHECK_OK(totp_generate(&p, seed20, 20, 59, out));
	CHECK_STR(out, "287082");
	int64_t m = 0;
	CHECK_OK(totp_verify(&p, seed20, 20, "287082", 59, TOTP_STEP_NONE, &m));
	CHECK_INT(m, 1);
	/* the 8-digit code is not accepted by a 6-digit method, nor the reverse */
	CHECK_INT(totp_verify(&p, seed20, 20, "94287082", 59, TOTP_STEP_NONE, &m), TG_ERR_DENIED);
	struct totp_params p8 = params(HMAC_ALG_SHA1, 8, 30);
	CHECK_INT(totp_verify(&p8, seed20, 20, "287082", 59, TOTP_STEP_NONE, &m), TG_ERR_DENIED);
}

static void sixty_second_period(void)
{
	struct totp_params p = params(HMAC_ALG_SHA256, 6, 60);
	char out[OATH_CODE_SIZE], hotp[OATH_CODE_SIZE];
	int64_t step = 0, m = 0;
	const int64_t t = 1111111111;
	CHECK_OK(totp_step(&p, t, &step));
	CHECK_INT(step, t / 60);
	CHECK_OK(totp_generate(&p, seed32, 32, t, out));
	CHECK_OK(hotp_generate(HMAC_ALG_SHA256, seed32, 32, (uint64_t)(t / 60), 6, hotp));
	CHECK_STR(out, hotp);
	/* same step for the whole minute, then the next */
	int64_t start = step * 60;
	CHECK_OK(totp_verify(&p, seed32, 32, out, start, TOTP_STEP_NONE, &m));
	CHECK_INT(m, step);
	CHECK_OK(totp_verify(&p, seed32, 32, out, start + 59, TOTP_STEP_NONE, &m));
	CHECK_INT(m, step);
	/* one minute late is the -1 step; two minutes late is out */
	CHECK_OK(totp_verify(&p, seed32, 32, out, start + 60 + 59, TOTP_STEP_NONE, &m));
	CHECK_INT(m, step);
	CHECK_INT(totp_verify(&p, seed32, 32, out, start + 120, TOTP_STEP_NONE, &m), TG_ERR_DENIED);
}

/* The code of step s at any time in it. */
static void code_at_step(const struct totp_params *p, int64_t s, char out[OATH_CODE_SIZE])
{
	if (totp_generate(p, seed20, 20, s * (int64_t)p->period, out) != TG_OK)
		abort();
}

static void window_edges(void)
{
	struct totp_params p = params(HMAC_ALG_SHA1, 6, 30);
	const int64_t T = 56789012; /* a step; its first second is T*30 */
	char prev2[OATH_CODE_SIZE], prev[OATH_CODE_SIZE], cur[OATH_CODE_SIZE];
	char next[OATH_CODE_SIZE], next2[OATH_CODE_SIZE];
	code_at_step(&p, T - 2, prev2);
	code_at_step(&p, T - 1, prev);
	code_at_step(&p, T, cur);
	code_at_step(&p, T + 1, next);
	code_at_step(&p, T + 2, next2);
	int64_t m = 0;
	/* at the first and the last second of step T */
	for (int64_t now = T * 30; now <= T * 30 + 29; now += 29) {
		CHECK_OK(totp_verify(&p, seed20, 20, prev, now, TOTP_STEP_NONE, &m));
		CHECK_INT(m, T - 1);
		CHECK_OK(totp_verify(&p, seed20, 20, cur, now, TOTP_STEP_NONE, &m));
		CHECK_INT(m, T);
		CHECK_OK(totp_verify(&p, seed20, 20, next, now, TOTP_STEP_NONE, &m));
		CHECK_INT(m, T + 1);
		CHECK_INT(totp_verify(&p, seed20, 20, prev2, now, TOTP_STEP_NONE, &m), TG_ERR_DENIED);
		CHECK_INT(totp_verify(&p, seed20, 20, next2, now, TOTP_STEP_NONE, &m), TG_ERR_DENIED);
	}
	/* one second before step T starts, T+1 is two steps ahead: refused */
	CHECK_INT(totp_verify(&p, seed20, 20, next, T * 30 - 1, TOTP_STEP_NONE, &m), TG_ERR_DENIED);
	/* one second after step T ends, T-1 is two steps behind: refused */
	CHECK_INT(totp_verify(&p, seed20, 20, prev, T * 30 + 30, TOTP_STEP_NONE, &m), TG_ERR_DENIED);
	/* window 0: only the current step */
	p.window = 0;
	CHECK_OK(totp_verify(&p, seed20, 20, cur, T * 30, TOTP_STEP_NONE, &m));
	CHECK_INT(totp_verify(&p, seed20, 20, prev, T * 30, TOTP_STEP_NONE, &m), TG_ERR_DENIED);
	CHECK_INT(totp_verify(&p, seed20, 20, next, T * 30, TOTP_STEP_NONE, &m), TG_ERR_DENIED);
	/* a wider window (hardware tokens that drift) */
	p.window = 2;
	CHECK_OK(totp_verify(&p, seed20, 20, prev2, T * 30, TOTP_STEP_NONE, &m));
	CHECK_INT(m, T - 2);
	/* near the epoch the window does not go below step 0 */
	p.window = 1;
	char zero[OATH_CODE_SIZE];
	code_at_step(&p, 0, zero);
	CHECK_OK(totp_verify(&p, seed20, 20, zero, 0, TOTP_STEP_NONE, &m));
	CHECK_INT(m, 0);
}

static void replay_refused(void)
{
	struct totp_params p = params(HMAC_ALG_SHA1, 6, 30);
	const int64_t T = 56789012;
	char prev[OATH_CODE_SIZE], cur[OATH_CODE_SIZE], next[OATH_CODE_SIZE];
	code_at_step(&p, T - 1, prev);
	code_at_step(&p, T, cur);
	code_at_step(&p, T + 1, next);
	int64_t m = -7, last = TOTP_STEP_NONE;

	CHECK_OK(totp_verify(&p, seed20, 20, cur, T * 30 + 3, last, &m));
	CHECK_INT(m, T);
	last = m; /* the store records the accepted step */

	/* the same code again, a second later: already used once */
	m = -7;
	CHECK_INT(totp_verify(&p, seed20, 20, cur, T * 30 + 4, last, &m), TG_ERR_REPLAY);
	CHECK_INT(m, -7); /* untouched on failure */
	/* an earlier step's code, still inside the window: refused too */
	CHECK_INT(totp_verify(&p, seed20, 20, prev, T * 30 + 4, last, &m), TG_ERR_REPLAY);
	/* a wrong code is denied, not a replay */
	char wrong[OATH_CODE_SIZE];
	memcpy(wrong, cur, sizeof wrong);
	wrong[0] = wrong[0] == '9' ? '0' : (char)(wrong[0] + 1);
	if (strcmp(wrong, prev) != 0 && strcmp(wrong, next) != 0)
		CHECK_INT(totp_verify(&p, seed20, 20, wrong, T * 30 + 4, last, &m), TG_ERR_DENIED);
	/* the next step's code is accepted (early, inside the window) ... */
	CHECK_OK(totp_verify(&p, seed20, 20, next, T * 30 + 5, last, &m));
	CHECK_INT(m, T + 1);
	last = m;
	/* ... and after that, step T's code is refused even if it was never
	 * used: codes of an earlier step than the last accepted one are dead */
	CHECK_INT(totp_verify(&p, seed20, 20, cur, T * 30 + 6, last, &m), TG_ERR_REPLAY);
	CHECK_INT(totp_verify(&p, seed20, 20, next, T * 30 + 31, last, &m), TG_ERR_REPLAY);
	/* a replayed code is still a replay when the clock moves on past the
	 * window: then it is simply wrong */
	CHECK_INT(totp_verify(&p, seed20, 20, cur, T * 30 + 90, last, &m), TG_ERR_DENIED);
}

/* Two adjacent steps with the same code (found by search): 617002 for
 * steps 56188870 and 56188871 of the RFC seed, SHA1, 6 digits. */
static void equal_codes_of_adjacent_steps(void)
{
	struct totp_params p = params(HMAC_ALG_SHA1, 6, 30);
	const int64_t A = 56188870, B = A + 1;
	char a[OATH_CODE_SIZE], b[OATH_CODE_SIZE];
	code_at_step(&p, A, a);
	code_at_step(&p, B, b);
	CHECK_STR(a, "617002");
	CHECK_STR(b, "617002");
	int64_t m = 0;
	/* both fresh: the lowest matching step is taken, leaving B usable */
	CHECK_OK(totp_verify(&p, seed20, 20, "617002", B * 30, TOTP_STEP_NONE, &m));
	CHECK_INT(m, A);
	/* A already used: the same digits are B's new code, not a replay */
	CHECK_OK(totp_verify(&p, seed20, 20, "617002", B * 30, A, &m));
	CHECK_INT(m, B);
	CHECK_INT(totp_verify(&p, seed20, 20, "617002", B * 30, B, &m), TG_ERR_REPLAY);
}

static void malformed_codes_denied(void)
{
	static const char *const bad[] = {
		"", "28708", "2870822", "28708a", " 287082", "287082 ", "28 7082", "-28708",
		"+287082", "287082\n", "２87082",
	};
	struct totp_params p = params(HMAC_ALG_SHA1, 6, 30);
	for (size_t i = 0; i < TG_ARRAY_LEN(bad); i++) {
		int64_t m = 0;
		int r = totp_verify(&p, seed20, 20, bad[i], 59, TOTP_STEP_NONE, &m);
		if (r != TG_ERR_DENIED)
			TG_T_FAIL("code \"%s\": %d, expected TG_ERR_DENIED", bad[i], r);
	}
}

static void bad_parameters(void)
{
	struct totp_params p;
	char out[OATH_CODE_SIZE];
	int64_t m = 0, step = 0;
	totp_params_default(&p);
	CHECK_OK(totp_params_check(&p));
	CHECK_INT(p.alg, HMAC_ALG_SHA1);
	CHECK_INT(p.digits, 6);
	CHECK_INT(p.period, 30);
	CHECK_INT(p.window, 1);
	p.digits = 7;
	CHECK_INT(totp_params_check(&p), TG_ERR_INVALID);
	CHECK_INT(totp_generate(&p, seed20, 20, 59, out), TG_ERR_INVALID);
	CHECK_STR(out, "");
	p.digits = 6;
	p.period = 45;
	CHECK_INT(totp_params_check(&p), TG_ERR_INVALID);
	p.period = 60;
	p.window = TG_MAX_TOTP_WINDOW + 1;
	CHECK_INT(totp_params_check(&p), TG_ERR_INVALID);
	p.window = TG_MAX_TOTP_WINDOW;
	CHECK_OK(totp_params_check(&p));
	p.alg = (enum hmac_alg)9;
	CHECK_INT(totp_params_check(&p), TG_ERR_INVALID);
	totp_params_default(&p);
	CHECK_INT(totp_step(&p, -1, &step), TG_ERR_INVALID);
	CHECK_INT(totp_verify(&p, seed20, 20, "287082", -1, TOTP_STEP_NONE, &m), TG_ERR_INVALID);
	CHECK_INT(totp_verify(&p, seed20, 0, "287082", 59, TOTP_STEP_NONE, &m), TG_ERR_INVALID);
	static uint8_t big[TG_MAX_OATH_SECRET + 1];
	CHECK_INT(totp_verify(&p, big, sizeof big, "287082", 59, TOTP_STEP_NONE, &m), TG_ERR_INVALID);
	CHECK_INT(hotp_generate(HMAC_ALG_SHA1, seed20, 20, 0, 5, out), TG_ERR_INVALID);
	CHECK_INT(hotp_generate(HMAC_ALG_SHA1, seed20, 20, 0, 9, out), TG_ERR_INVALID);
	CHECK_INT(hotp_generate(HMAC_ALG_SHA1, big, sizeof big, 0, 6, out), TG_ERR_TOO_LARGE);
	CHECK_OK(hotp_generate(HMAC_ALG_SHA1, seed20, 20, 0, 7, out)); /* RFC 4226 allows 7 */
	CHECK_STR(out, "4755224");
}

static void names_and_secret_lengths(void)
{
	enum hmac_alg a = HMAC_ALG_SHA512;
	CHECK_OK(oath_alg_parse("sha1", &a));
	CHECK_INT(a, HMAC_ALG_SHA1);
	CHECK_OK(oath_alg_parse("SHA256", &a));
	CHECK_INT(a, HMAC_ALG_SHA256);
	CHECK_OK(oath_alg_parse("hmacsha512", &a));
	CHECK_INT(a, HMAC_ALG_SHA512);
	CHECK_OK(oath_alg_parse("HmacSha256", &a));
	CHECK_INT(a, HMAC_ALG_SHA256);
	CHECK_INT(oath_alg_parse("md5", &a), TG_ERR_INVALID);
	CHECK_INT(oath_alg_parse("SHA-1", &a), TG_ERR_INVALID);
	CHECK_INT(oath_alg_parse("", &a), TG_ERR_INVALID);
	CHECK_INT(oath_secret_check(15), TG_ERR_INVALID);
	CHECK_OK(oath_secret_check(16));
	CHECK_OK(oath_secret_check(OATH_SECRET_LEN));
	CHECK_OK(oath_secret_check(80));
	CHECK_INT(oath_secret_check(81), TG_ERR_TOO_LARGE);
}

int main(void)
{
	TEST(rfc4226_appendix_d);
	TEST(rfc6238_appendix_b);
	TEST(six_digits);
	TEST(sixty_second_period);
	TEST(window_edges);
	TEST(replay_refused);
	TEST(equal_codes_of_adjacent_steps);
	TEST(malformed_codes_denied);
	TEST(bad_parameters);
	TEST(names_and_secret_lengths);
	return tg_test_done();
}
