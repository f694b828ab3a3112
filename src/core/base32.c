/* SPDX-License-Identifier: MIT
 * RFC 4648 Base32 (see base32.h). */
#include <string.h>
#include "base/err.h"
#include "base/mem.h"
#include "core/base32.h"

static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

size_t base32_encoded_len(size_t len, bool pad)
{
	if (pad)
		return (len + 4) / 5 * 8;
	return (len * 8 + 4) / 5;
}

int base32_encode(const uint8_t *in, size_t len, bool pad, char *out, size_t out_size)
{
	size_t need = base32_encoded_len(len, pad);
	if (out_size == 0)
		return TG_ERR_TOO_LARGE;
	if (need >= out_size) {
		out[0] = '\0';
		return TG_ERR_TOO_LARGE;
	}
	size_t o = 0;
	uint32_t acc = 0;
	int bits = 0;
	for (size_t i = 0; i < len; i++) {
		acc = (acc << 8) | in[i];
		bits += 8;
		while (bits >= 5) {
			bits -= 5;
			out[o++] = alphabet[(acc >> bits) & 31];
		}
		acc &= (1u << bits) - 1; /* keep only the unconsumed bits */
	}
	if (bits > 0)
		out[o++] = alphabet[(acc << (5 - bits)) & 31];
	while (pad && o % 8)
		out[o++] = '=';
	out[o] = '\0';
	return TG_OK;
}

static int value_of(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a';
	if (c >= '2' && c <= '7')
		return c - '2' + 26;
	return -1;
}

static int decode(const char *text, size_t text_len, bool lenient,
                  uint8_t *out, size_t out_size, size_t *out_len)
{
	size_t chars = 0, pads = 0, o = 0;
	uint32_t acc = 0;
	int bits = 0;
	*out_len = 0;
	for (size_t i = 0; i < text_len; i++) {
		char c = text[i];
		if (lenient && (c == ' ' || c == '\t' || c == '-'))
			continue;
		if (c == '=') {
			pads++;
			continue;
		}
		int v = value_of(c);
		if (v < 0 || pads) /* bad character, or data after padding */
			goto bad;
		chars++;
		acc = (acc << 5) | (uint32_t)v;
		bits += 5;
		if (bits >= 8) {
			bits -= 8;
			if (o == out_size) {
				tg_wipe(out, out_size);
				return TG_ERR_TOO_LARGE;
			}
			out[o++] = (uint8_t)(acc >> bits);
			acc &= (1u << bits) - 1;
		}
	}
	/* 1, 3 and 6 leftover characters are not produced by any encoding */
	size_t rem = chars % 8;
	if (rem == 1 || rem == 3 || rem == 6)
		goto bad;
	if (pads && ((chars + pads) % 8 != 0 || pads >= 8 || rem == 0))
		goto bad;
	*out_len = o;
	return TG_OK;
bad:
	tg_wipe(out, o);
	return TG_ERR_INVALID;
}

int base32_decode(const char *text, size_t text_len, uint8_t *out, size_t out_size, size_t *out_len)
{
	return decode(text, text_len, false, out, out_size, out_len);
}

int base32_decode_lenient(const char *text, size_t text_len, uint8_t *out, size_t out_size,
                          size_t *out_len)
{
	return decode(text, text_len, true, out, out_size, out_len);
}
