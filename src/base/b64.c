/* SPDX-License-Identifier: MIT
 * Strict base64 and base64url (see b64.h). The character <-> value maps
 * are computed with masks instead of table lookups or data-dependent
 * branches (the technique of libsodium's sodium_bin2base64), so the time
 * taken does not depend on the bytes of a secret being encoded or decoded;
 * only invalid input, which carries no secret, ends the work early. */
#include <string.h>
#include "base/b64.h"
#include "base/err.h"
#include "base/mem.h"

/* 0xff when the condition holds, else 0; x, y are small non-negative. */
static unsigned mask_eq(unsigned x, unsigned y)
{
	return ((((0u - (x ^ y)) >> 8) & 0xff) ^ 0xff);
}

static unsigned mask_lt(unsigned x, unsigned y)   /* x < y */
{
	return ((x - y) >> 8) & 0xff;
}

static unsigned mask_ge(unsigned x, unsigned y)   /* x >= y */
{
	return mask_lt(x, y) ^ 0xff;
}

/* 6-bit value -> character of the chosen alphabet. */
static char enc_char(unsigned v, int url)
{
	unsigned c62 = url ? '-' : '+', c63 = url ? '_' : '/';
	unsigned c = (mask_lt(v, 26) & (v + 'A'))
	           | (mask_ge(v, 26) & mask_lt(v, 52) & (v + ('a' - 26)))
	           | (mask_ge(v, 52) & mask_lt(v, 62) & (v - (52 - '0')))
	           | (mask_eq(v, 62) & c62)
	           | (mask_eq(v, 63) & c63);
	return (char)c;
}

/* Character -> 6-bit value, or 0xff when c is not in the alphabet. */
static unsigned dec_char(unsigned char ch, int url)
{
	unsigned c = ch;
	unsigned c62 = url ? '-' : '+', c63 = url ? '_' : '/';
	unsigned in_upper = mask_ge(c, 'A') & mask_lt(c, 'Z' + 1);
	unsigned in_lower = mask_ge(c, 'a') & mask_lt(c, 'z' + 1);
	unsigned in_digit = mask_ge(c, '0') & mask_lt(c, '9' + 1);
	unsigned is62 = mask_eq(c, c62), is63 = mask_eq(c, c63);
	unsigned v = (in_upper & (c - 'A'))
	           | (in_lower & (c - ('a' - 26)))
	           | (in_digit & (c + (52 - '0')))
	           | (is62 & 62) | (is63 & 63);
	unsigned valid = in_upper | in_lower | in_digit | is62 | is63;
	return (v & valid) | (valid ^ 0xff);
}

static int encode(const uint8_t *in, size_t len, int url, char *out, size_t out_size,
                  size_t *out_len)
{
	size_t need = url ? B64URL_ENCODED_LEN(len) : B64_ENCODED_LEN(len);
	if (out_len)
		*out_len = 0;
	if (out_size == 0)
		return TG_ERR_TOO_LARGE;
	if (need >= out_size) {
		out[0] = '\0';
		return TG_ERR_TOO_LARGE;
	}
	size_t o = 0, i = 0;
	for (; i + 3 <= len; i += 3) {
		unsigned w = (unsigned)in[i] << 16 | (unsigned)in[i + 1] << 8 | in[i + 2];
		out[o++] = enc_char(w >> 18, url);
		out[o++] = enc_char((w >> 12) & 63, url);
		out[o++] = enc_char((w >> 6) & 63, url);
		out[o++] = enc_char(w & 63, url);
	}
	size_t rest = len - i;
	if (rest) {
		unsigned w = (unsigned)in[i] << 16 | (rest == 2 ? (unsigned)in[i + 1] << 8 : 0);
		out[o++] = enc_char(w >> 18, url);
		out[o++] = enc_char((w >> 12) & 63, url);
		if (rest == 2)
			out[o++] = enc_char((w >> 6) & 63, url);
		if (!url) {
			if (rest == 1)
				out[o++] = '=';
			out[o++] = '=';
		}
	}
	out[o] = '\0';
	if (out_len)
		*out_len = o;
	return TG_OK;
}

int b64_encode(const uint8_t *in, size_t len, char *out, size_t out_size, size_t *out_len)
{
	return encode(in, len, 0, out, out_size, out_len);
}

int b64url_encode(const uint8_t *in, size_t len, char *out, size_t out_size, size_t *out_len)
{
	return encode(in, len, 1, out, out_size, out_len);
}

static int decode(const char *text, size_t text_len, int url, uint8_t *out, size_t out_size,
                  size_t *out_len)
{
	const unsigned char *t = (const unsigned char *)text;
	size_t n = text_len;
	*out_len = 0;
	if (!url) {
		/* padded form: whole quartets, at most two '=' and only at the end */
		if (n % 4 != 0)
			return TG_ERR_INVALID;
		if (n && t[n - 1] == '=')
			n--;
		if (n && t[n - 1] == '=')
			n--;
	}
	size_t rem = n % 4;
	if (rem == 1)
		return TG_ERR_INVALID;
	size_t need = (n / 4) * 3 + (rem ? rem - 1 : 0);
	if (need > out_size)
		return TG_ERR_TOO_LARGE;

	unsigned bad = 0;
	size_t o = 0, i = 0;
	for (; i + 4 <= n; i += 4) {
		unsigned a = dec_char(t[i], url), b = dec_char(t[i + 1], url);
		unsigned c = dec_char(t[i + 2], url), d = dec_char(t[i + 3], url);
		bad |= (a | b | c | d) & 0x80;
		unsigned w = (a & 63) << 18 | (b & 63) << 12 | (c & 63) << 6 | (d & 63);
		out[o++] = (uint8_t)(w >> 16);
		out[o++] = (uint8_t)(w >> 8);
		out[o++] = (uint8_t)w;
	}
	if (rem) {
		unsigned a = dec_char(t[i], url), b = dec_char(t[i + 1], url);
		unsigned c = rem == 3 ? dec_char(t[i + 2], url) : 0;
		bad |= (a | b | c) & 0x80;
		/* RFC 4648 §3.5: the unused low bits of the last character must
		 * be zero, or two texts would decode to the same bytes */
		bad |= rem == 2 ? (b & 0x0f) : (c & 0x03);
		unsigned w = (a & 63) << 18 | (b & 63) << 12 | (c & 63) << 6;
		out[o++] = (uint8_t)(w >> 16);
		if (rem == 3)
			out[o++] = (uint8_t)(w >> 8);
	}
	if (bad) {
		tg_wipe(out, o);
		return TG_ERR_INVALID;
	}
	*out_len = o;
	return TG_OK;
}

int b64_decode(const char *text, size_t text_len, uint8_t *out, size_t out_size, size_t *out_len)
{
	return decode(text, text_len, 0, out, out_size, out_len);
}

int b64url_decode(const char *text, size_t text_len, uint8_t *out, size_t out_size,
                  size_t *out_len)
{
	return decode(text, text_len, 1, out, out_size, out_len);
}
