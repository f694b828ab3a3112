/* SPDX-License-Identifier: MIT
 * A tiny test harness: checks count failures and keep going; tg_test_done()
 * prints the closing line "N passed, N failed" and returns the exit code.
 *   int main(void) { TEST(case_a); TEST(case_b); return tg_test_done(); }
 * Header-only so every test program stays self-contained. */
#ifndef TG_TEST_HARNESS_H
#define TG_TEST_HARNESS_H
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int tg_t_pass, tg_t_fail, tg_t_case_failed;
static const char *tg_t_case = "";

#define TG_T_FAIL(...) do { \
	fprintf(stderr, "FAIL %s (%s:%d): ", tg_t_case, __FILE__, __LINE__); \
	fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); \
	tg_t_case_failed = 1; } while (0)

#define CHECK(cond) do { if (!(cond)) TG_T_FAIL("%s", #cond); } while (0)
#define CHECK_INT(a, b) do { long long _a = (long long)(a), _b = (long long)(b); \
	if (_a != _b) TG_T_FAIL("%s == %lld, expected %s == %lld", #a, _a, #b, _b); } while (0)
#define CHECK_STR(a, b) do { const char *_a = (a), *_b = (b); \
	if (!_a || !_b || strcmp(_a, _b) != 0) \
		TG_T_FAIL("%s == \"%s\", expected \"%s\"", #a, _a ? _a : "(null)", _b ? _b : "(null)"); } while (0)
#define CHECK_OK(expr) do { int _r = (expr); \
	if (_r != 0) TG_T_FAIL("%s returned %d", #expr, _r); } while (0)
/* Fatal inside a case: stop this case. */
#define REQUIRE(cond) do { if (!(cond)) { TG_T_FAIL("required: %s", #cond); return; } } while (0)

#define TEST(fn) do { \
	tg_t_case = #fn; tg_t_case_failed = 0; fn(); \
	if (tg_t_case_failed) tg_t_fail++; else tg_t_pass++; } while (0)

static inline int tg_test_done(void)
{
	printf("%d passed, %d failed\n", tg_t_pass, tg_t_fail);
	return tg_t_fail ? 1 : 0;
}

#endif
