/* SPDX-License-Identifier: MIT
 * Base32: RFC 4648 §10 vectors both ways, padding rules, case, bad
 * characters, impossible lengths, lenient spaces, buffer limits, and a
 * round trip over every length up to 80 bytes. */
#include "harness.h"
#include "base/err.h"
#include "base/limits.h"
#include "base/mem.h"
#include "base/str.h"
#include "core/base32.h"

static const struct {
	const char *plain, *padded, *unpadded;
} rfc4648[] = {
	{"", "", ""},
	{"f", "MY======", "MY"},
	{"fo", "MZXQ====", "MZXQ"},
	{"foo", "MZXW6===", "MZXW6"},
	{"foob", "MZXW6YQ=", "MZXW6YQ"},
	{"fooba", "MZXW6YTB", "MZXW6YTB"},
	{"foobar", "MZXW6YTBOI======", "MZXW6YTBOI"},
};

static int dec(const char *s, uint8_t *out, size_t out_size, size_t *len)
{
	return base32_decode(s, strlen(s), out, out_size, len);
}

static void rfc4648_vectors(void)
{
	for (size_t i = 0; i < TG_ARRAY_LEN(rfc4648); i++) {
		char enc[32];
		uint8_t raw[16];
		size_t len = 99, n = strlen(rfc4648[i].plain);
		CHECK_OK(base32_encode((const uint8_t *)rfc4648[i].plain, n, true, enc, sizeof enc));
		CHECK_STR(enc, rfc4648[i].padded);
		CHECK_INT(base32_encoded_len(n, true), strlen(rfc4648[i].padded));
		CHECK_OK(base32_encode((const uint8_t *)rfc4648[i].plain, n, false, enc, sizeof enc));
		CHECK_STR(enc, rfc4648[i].unpadded);
		CHECK_INT(base32_encoded_len(n, false), strlen(rfc4648[i].unpadded));
		/* both forms decode, in upper and lower case */
		CHECK_OK(dec(rfc4648[i].padded, raw, sizeof raw, &len));
		CHECK(len == n && memcmp(raw, rfc4648[i].plain, n) == 0);
		CHECK_OK(dec(rfc4648[i].unpadded, raw, sizeof raw, &len));
		CHECK(len == n && memcmp(raw, rfc4648[i].plain, n) == 0);
		char lower[32];
		tg_strlcpy(lower, rfc4648[i].unpadded, sizeof lower);
		tg_ascii_lower(lower);
		CHECK_OK(dec(lower, raw, sizeof raw, &len));
		CHECK(len == n && memcmp(raw, rfc4648[i].plain, n) == 0);
	}
}

static void known_secrets(void)
{
	uint8_t raw[TG_MAX_OATH_SECRET];
	size_t len = 0;
	/* the classic authenticator example */
	CHECK_OK(dec("JBSWY3DPEHPK3PXP", raw, sizeof raw, &len));
	CHECK_INT(len, 10);
	CHECK(memcmp(raw, "Hello!\xde\xad\xbe\xef", 10) == 0);
	/* RFC 6238 seed "12345678901234567890" */
	CHECK_OK(dec("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", raw, sizeof raw, &len));
	CHECK(len == 20 && memcmp(raw, "12345678901234567890", 20) == 0);
	/* Entra's hardware token sample (reference/entra.md §4.2): 26 chars,
	 * lower case, with nonzero unused bits in the last character */
	CHECK_OK(dec("2234567abcdef2234567abcdef", raw, sizeof raw, &len));
	CHECK_INT(len, 16);
}

static void bad_input_refused(void)
{
	static const char *const bad[] = {
		"MZXW6YQ1",     /* '1' not in the alphabet */
		"MZXW6YQ0",     /* '0' */
		"MZXW6YQ8",
		"MZXW 6YQ",     /* space (strict) */
		"MZXW6YQ!",
		"MZXW6YQ\xc3\xa9",
		"M",            /* 1 char: impossible length */
		"MZX",          /* 3 */
		"MZXW6Y",       /* 6 */
		"MZXW6YTBM",    /* 9 = 1 mod 8 */
		"MY=====",      /* short padding */
		"MY=======",    /* long padding */
		"MY==",         /* padding not to a multiple of 8 */
		"M=Y=====",     /* data after padding */
		"MZ=XQ===",
		"========",     /* padding only */
		"MZXW6YTB========", /* a full block of padding */
		"MZXW6YTB=",
	};
	for (size_t i = 0; i < TG_ARRAY_LEN(bad); i++) {
		uint8_t raw[16];
		size_t len = 77;
		int r = dec(bad[i], raw, sizeof raw, &len);
		if (r != TG_ERR_INVALID)
			TG_T_FAIL("\"%s\" gave %d, expected TG_ERR_INVALID", bad[i], r);
		CHECK_INT(len, 0);
	}
	/* a NUL inside the counted length is a bad character too */
	uint8_t raw[8];
	size_t len = 0;
	CHECK_INT(base32_decode("MZ\0XQ", 5, raw, sizeof raw, &len), TG_ERR_INVALID);
}

static void lenient_ignores_spaces(void)
{
	uint8_t raw[32];
	size_t len = 0;
	const char *typed = "gezd gnbv gy3t qojq gezd gnbv gy3t qojq";
	CHECK_INT(base32_decode(typed, strlen(typed), raw, sizeof raw, &len), TG_ERR_INVALID);
	CHECK_OK(base32_decode_lenient(typed, strlen(typed), raw, sizeof raw, &len));
	CHECK(len == 20 && memcmp(raw, "12345678901234567890", 20) == 0);
	const char *dashed = " MZXW-6YTB-OI\t";
	CHECK_OK(base32_decode_lenient(dashed, strlen(dashed), raw, sizeof raw, &len));
	CHECK(len == 6 && memcmp(raw, "foobar", 6) == 0);
	const char *still_bad = "MZXW 6YT1";
	CHECK_INT(base32_decode_lenient(still_bad, strlen(still_bad), raw, sizeof raw, &len), TG_ERR_INVALID);
}

static void buffers_bounded(void)
{
	uint8_t raw[8];
	size_t len = 5;
	char enc[8];
	memset(raw, 0xee, sizeof raw);
	/* "foobar" needs 6 bytes */
	CHECK_INT(dec("MZXW6YTBOI", raw, 5, &len), TG_ERR_TOO_LARGE);
	CHECK_INT(len, 0);
	for (int i = 0; i < 5; i++)
		CHECK_INT(raw[i], 0); /* partial secret wiped */
	CHECK_INT(raw[5], 0xee);  /* and nothing past out_size touched */
	CHECK_OK(dec("MZXW6YTBOI", raw, 6, &len));
	/* encoding needs length + NUL */
	CHECK_INT(base32_encode((const uint8_t *)"foob", 4, false, enc, 7), TG_ERR_TOO_LARGE);
	CHECK_STR(enc, "");
	CHECK_OK(base32_encode((const uint8_t *)"foob", 4, false, enc, 8));
	CHECK_STR(enc, "MZXW6YQ");
	CHECK_INT(base32_encode((const uint8_t *)"f", 1, true, enc, 8), TG_ERR_TOO_LARGE);
	CHECK_INT(base32_encode((const uint8_t *)"", 0, false, enc, 0), TG_ERR_TOO_LARGE);
	CHECK_INT(BASE32_DECODED_MAX(TG_MAX_OATH_SECRET_B32), TG_MAX_OATH_SECRET);
}

static void round_trip_all_lengths(void)
{
	uint8_t in[80], back[80];
	char enc[160];
	for (size_t i = 0; i < sizeof in; i++)
		in[i] = (uint8_t)(i * 151u + 7u);
	for (size_t n = 0; n <= sizeof in; n++) {
		for (int pad = 0; pad <= 1; pad++) {
			size_t len = 0;
			CHECK_OK(base32_encode(in, n, pad, enc, sizeof enc));
			CHECK_INT(strlen(enc), base32_encoded_len(n, pad));
			CHECK_OK(dec(enc, back, sizeof back, &len));
			if (len != n || memcmp(in, back, n) != 0)
				TG_T_FAIL("round trip of %zu bytes (pad %d) differs", n, pad);
		}
	}
}

int main(void)
{
	TEST(rfc4648_vectors);
	TEST(known_secrets);
	TEST(bad_input_refused);
	TEST(lenient_ignores_spaces);
	TEST(buffers_bounded);
	TEST(round_trip_all_lengths);
	return tg_test_done();
}
