/* SPDX-License-Identifier: MIT
 * base/b64: the RFC 4648 §10 test vectors in both alphabets, the
 * characters 62 and 63, round trips of every length and byte value, and
 * strict decoding (bad characters, bad padding, non-canonical trailing
 * bits, impossible lengths, small buffers). */
#include <stdbool.h>
#include "harness.h"
#include "base/b64.h"
#include "base/err.h"

struct vec {
	const char *plain, *std, *url;
};

/* RFC 4648 §10; base64url is the same text without padding */
static const struct vec rfc4648[] = {
	{"", "", ""},
	{"f", "Zg==", "Zg"},
	{"fo", "Zm8=", "Zm8"},
	{"foo", "Zm9v", "Zm9v"},
	{"foob", "Zm9vYg==", "Zm9vYg"},
	{"fooba", "Zm9vYmE=", "Zm9vYmE"},
	{"foobar", "Zm9vYmFy", "Zm9vYmFy"},
};

static void rfc4648_vectors(void)
{
	char out[64];
	uint8_t bin[64];
	size_t n = 0;
	for (size_t i = 0; i < sizeof rfc4648 / sizeof rfc4648[0]; i++) {
		const struct vec *v = &rfc4648[i];
		size_t plen = strlen(v->plain);
		CHECK_OK(b64_encode((const uint8_t *)v->plain, plen, out, sizeof out, &n));
		CHECK_STR(out, v->std);
		CHECK_INT(n, strlen(v->std));
		CHECK_INT(B64_ENCODED_LEN(plen), strlen(v->std));
		CHECK_OK(b64url_encode((const uint8_t *)v->plain, plen, out, sizeof out, &n));
		CHECK_STR(out, v->url);
		CHECK_INT(B64URL_ENCODED_LEN(plen), strlen(v->url));

		CHECK_OK(b64_decode(v->std, strlen(v->std), bin, sizeof bin, &n));
		CHECK_INT(n, plen);
		CHECK(memcmp(bin, v->plain, plen) == 0);
		CHECK_OK(b64url_decode(v->url, strlen(v->url), bin, sizeof bin, &n));
		CHECK_INT(n, plen);
		CHECK(memcmp(bin, v->plain, plen) == 0);
		CHECK(B64_DECODED_MAX(strlen(v->url)) >= plen);
	}
}

static void alphabets_differ_at_62_and_63(void)
{
	const uint8_t b[] = {0xfb, 0xff, 0xbf, 0xff, 0xff, 0xff};
	char out[16];
	uint8_t back[8];
	size_t n = 0;
	CHECK_OK(b64_encode(b, sizeof b, out, sizeof out, NULL));
	CHECK_STR(out, "+/+/////");
	CHECK_OK(b64url_encode(b, sizeof b, out, sizeof out, NULL));
	CHECK_STR(out, "-_-_____");
	CHECK_OK(b64url_decode("-_-_____", 8, back, sizeof back, &n));
	CHECK_INT(n, 6);
	CHECK(memcmp(back, b, 6) == 0);
	/* each alphabet refuses the other's two characters */
	CHECK_INT(b64_decode("-_-_____", 8, back, sizeof back, &n), TG_ERR_INVALID);
	CHECK_INT(b64url_decode("+/+/////", 8, back, sizeof back, &n), TG_ERR_INVALID);
}

static void round_trip_every_length_and_byte(void)
{
	uint8_t in[300], back[300];
	char text[420];
	size_t n = 0, tn = 0;
	for (size_t i = 0; i < sizeof in; i++)
		in[i] = (uint8_t)(i * 167 + 13);   /* every byte value appears */
	for (size_t len = 0; len <= sizeof in; len++) {
		CHECK_OK(b64_encode(in, len, text, sizeof text, &tn));
		CHECK_OK(b64_decode(text, tn, back, sizeof back, &n));
		if (n != len || memcmp(in, back, len) != 0)
			TG_T_FAIL("base64 round trip failed at length %zu", len);
		CHECK_OK(b64url_encode(in, len, text, sizeof text, &tn));
		CHECK(strchr(text, '=') == NULL);
		CHECK_OK(b64url_decode(text, tn, back, sizeof back, &n));
		if (n != len || memcmp(in, back, len) != 0)
			TG_T_FAIL("base64url round trip failed at length %zu", len);
	}
}

static void only_alphabet_characters(void)
{
	/* position 0 of a quartet: any alphabet character is valid there */
	uint8_t out[4];
	size_t n = 0;
	for (int c = 0; c < 256; c++) {
		char std[5] = {(char)c, 'A', 'A', 'A', 0}, url[5] = {(char)c, 'A', 'A', 'A', 0};
		bool alnum = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
		int want_std = alnum || c == '+' || c == '/' ? TG_OK : TG_ERR_INVALID;
		int want_url = alnum || c == '-' || c == '_' ? TG_OK : TG_ERR_INVALID;
		if (b64_decode(std, 4, out, sizeof out, &n) != want_std)
			TG_T_FAIL("base64 char 0x%02x", c);
		if (b64url_decode(url, 4, out, sizeof out, &n) != want_url)
			TG_T_FAIL("base64url char 0x%02x", c);
	}
}

static void strict_rejects(void)
{
	static const char *bad_std[] = {
		"Zg",        /* padding missing */
		"Zg=",       /* length not a multiple of 4 */
		"Z===",      /* three pads */
		"Zm9v====",  /* a whole quartet of padding */
		"Zg==Zg==",  /* padding in the middle */
		"Z=g=",      /* data after padding */
		"Zh==",      /* non-zero unused bits (canonical is Zg==) */
		"Zm9=",      /* non-zero unused bits (canonical is Zm8=) */
		"Zm 9v",     /* white space */
		"Zm9v\n",
		"Zm9vYmFy=", /* stray pad */
		"A",
	};
	static const char *bad_url[] = {
		"Zg==",      /* base64url carries no padding in JOSE */
		"Zm8=",
		"Z",         /* 1 mod 4 is no encoding's length */
		"Zm9vY",
		"Zh",        /* non-zero unused bits */
		"Zm9",
		"Zm9v.",
		"Zm9v Zm9v",
		"+/8",
	};
	uint8_t out[32];
	size_t n = 99;
	for (size_t i = 0; i < sizeof bad_std / sizeof bad_std[0]; i++) {
		if (b64_decode(bad_std[i], strlen(bad_std[i]), out, sizeof out, &n) != TG_ERR_INVALID)
			TG_T_FAIL("base64 accepted \"%s\"", bad_std[i]);
		CHECK_INT(n, 0);
	}
	for (size_t i = 0; i < sizeof bad_url / sizeof bad_url[0]; i++) {
		if (b64url_decode(bad_url[i], strlen(bad_url[i]), out, sizeof out, &n) !=
		    TG_ERR_INVALID)
			TG_T_FAIL("base64url accepted \"%s\"", bad_url[i]);
		CHECK_INT(n, 0);
	}
	/* a NUL inside the counted length is a bad character, not an end */
	CHECK_INT(b64url_decode("Zm9v\0Zm9v", 9, out, sizeof out, &n), TG_ERR_INVALID);
}

static void failed_decode_wipes_output(void)
{
	uint8_t out[8];
	size_t n = 0;
	memset(out, 0xaa, sizeof out);
	/* the first quartet decodes before the bad character is seen */
	CHECK_INT(b64url_decode("Zm9v*m9v", 8, out, sizeof out, &n), TG_ERR_INVALID);
	for (size_t i = 0; i < 6; i++)
		CHECK(out[i] == 0);
}

static void bounded_buffers(void)
{
	char small[4];
	uint8_t two[2];
	size_t n = 7;
	CHECK_INT(b64_encode((const uint8_t *)"foo", 3, small, sizeof small, &n), TG_ERR_TOO_LARGE);
	CHECK_STR(small, "");
	CHECK_INT(n, 0);
	CHECK_INT(b64url_encode((const uint8_t *)"foo", 3, small, 0, NULL), TG_ERR_TOO_LARGE);
	CHECK_OK(b64url_encode((const uint8_t *)"foo", 3, (char[5]){0}, 5, NULL));
	CHECK_INT(b64_decode("Zm9v", 4, two, sizeof two, &n), TG_ERR_TOO_LARGE);
	CHECK_INT(b64url_decode("Zm9v", 4, two, sizeof two, &n), TG_ERR_TOO_LARGE);
	CHECK_OK(b64url_decode("Zm8", 3, two, sizeof two, &n));
	CHECK_INT(n, 2);
	CHECK_OK(b64url_decode("", 0, NULL, 0, &n));
	CHECK_INT(n, 0);
}

int main(void)
{
	TEST(rfc4648_vectors);
	TEST(alphabets_differ_at_62_and_63);
	TEST(round_trip_every_length_and_byte);
	TEST(only_alphabet_characters);
	TEST(strict_rejects);
	TEST(failed_decode_wipes_output);
	TEST(bounded_buffers);
	return tg_test_done();
}
