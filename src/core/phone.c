/* SPDX-License-Identifier: MIT
 * Phone number normalisation and phone method types (see phone.h). */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "base/err.h"
#include "base/mem.h"
#include "base/str.h"
#include "core/phone.h"

#define PHONE_MAX_INPUT 64

/* Length of the country code at the start of digits (first digit 1-9),
 * from the E.164 assignment: 1 and 7 (zones 1 and 7) are one digit; these
 * are the two-digit codes; every other code is three digits. */
static size_t cc_len(const char *d)
{
	static const char two[][3] = {
		"20", "27", "30", "31", "32", "33", "34", "36", "39", "40", "41", "43", "44",
		"45", "46", "47", "48", "49", "51", "52", "53", "54", "55", "56", "57", "58",
		"60", "61", "62", "63", "64", "65", "66", "81", "82", "84", "86", "90", "91",
		"92", "93", "94", "95", "98",
	};
	if (d[0] == '1' || d[0] == '7')
		return 1;
	for (size_t i = 0; i < TG_ARRAY_LEN(two); i++)
		if (d[0] == two[i][0] && d[1] == two[i][1])
			return 2;
	return 3;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Where the extension marker starts in s (after the main number), and
 * where its digits start; NULL when there is none. */
static const char *find_extension(const char *s, const char **digits_out)
{
	for (const char *p = s; *p; p++) {
		if (strncasecmp(p, "ext", 3) == 0) {
			const char *q = p + 3;
			if (*q == '.')
				q++;
			*digits_out = q;
			return p;
		}
		if (*p == 'x' || *p == 'X') {
			*digits_out = p + 1;
			return p;
		}
	}
	return NULL;
}

int phone_normalize(const char *in, char out[PHONE_SIZE])
{
	char digits[PHONE_MAX_DIGITS + 1], ext[PHONE_MAX_EXT_DIGITS + 1];
	size_t nd = 0, ne = 0;
	out[0] = '\0';
	size_t len = strnlen(in, PHONE_MAX_INPUT + 1);
	if (len > PHONE_MAX_INPUT)
		return TG_ERR_INVALID;
	const char *p = in, *end = in + len;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	if (p == end || *p != '+')
		return TG_ERR_INVALID;
	p++;
	char body[PHONE_MAX_INPUT + 1];
	memcpy(body, p, (size_t)(end - p));
	body[end - p] = '\0';

	const char *ext_digits = NULL, *ext_at = find_extension(body, &ext_digits);
	const char *main_end = ext_at ? ext_at : body + strlen(body);

	/* the main number: digits with separators; "(0)" dropped */
	int depth = 0;
	size_t in_paren = 0;
	for (const char *q = body; q < main_end; q++) {
		char c = *q;
		if (is_digit(c)) {
			if (nd == PHONE_MAX_DIGITS)
				return TG_ERR_INVALID;
			digits[nd++] = c;
			if (depth)
				in_paren++;
		} else if (c == '(') {
			if (depth || nd == 0) /* nested, or before the country code */
				return TG_ERR_INVALID;
			depth = 1;
			in_paren = 0;
		} else if (c == ')') {
			if (!depth || in_paren == 0)
				return TG_ERR_INVALID;
			depth = 0;
			if (in_paren == 1 && digits[nd - 1] == '0' && q[-1] == '0' && q[-2] == '(')
				nd--; /* "(0)": trunk prefix, not dialled from abroad */
		} else if (c != ' ' && c != '-' && c != '.') {
			return TG_ERR_INVALID;
		}
	}
	if (depth || nd == 0 || digits[0] == '0')
		return TG_ERR_INVALID;
	digits[nd] = '\0';
	size_t cc = cc_len(digits);
	if (nd < cc + PHONE_MIN_SUBSCRIBER_DIGITS)
		return TG_ERR_INVALID;

	/* the extension: digits only, spaces around allowed */
	if (ext_at) {
		for (const char *q = ext_digits; *q; q++) {
			if (is_digit(*q)) {
				if (ne == PHONE_MAX_EXT_DIGITS)
					return TG_ERR_INVALID;
				ext[ne++] = *q;
			} else if (*q != ' ' || (ne && q[1] && q[1] != ' ')) {
				return TG_ERR_INVALID; /* no separators inside an extension */
			}
		}
		if (ne == 0)
			return TG_ERR_INVALID;
	}
	ext[ne] = '\0';

	int n = snprintf(out, PHONE_SIZE, "+%.*s %s%s%s", (int)cc, digits, digits + cc,
	                 ne ? "x" : "", ext);
	if (n < 0 || (size_t)n >= PHONE_SIZE) {
		out[0] = '\0';
		return TG_ERR_INVALID;
	}
	return TG_OK;
}

bool phone_is_canonical(const char *s)
{
	char out[PHONE_SIZE];
	return phone_normalize(s, out) == TG_OK && strcmp(out, s) == 0;
}

bool phone_has_extension(const char *canonical)
{
	return strchr(canonical, 'x') != NULL;
}

static const struct {
	enum phone_type type;
	const char *name;
	const char *method_id; /* fixed by Entra for each phoneType */
	unsigned channels;
} types[] = {
	{PHONE_TYPE_MOBILE, "mobile", "3179e48a-750b-4051-897c-87b9720928f7",
	 PHONE_CHANNEL_SMS | PHONE_CHANNEL_VOICE},
	{PHONE_TYPE_ALTERNATE_MOBILE, "alternateMobile", "b6332ec1-7057-4abe-9331-3d72feddfe41",
	 PHONE_CHANNEL_VOICE},
	{PHONE_TYPE_OFFICE, "office", "e37fc753-ff3b-4958-9484-eaa9425c82bc",
	 PHONE_CHANNEL_VOICE},
};

const char *phone_type_name(enum phone_type t)
{
	for (size_t i = 0; i < TG_ARRAY_LEN(types); i++)
		if (types[i].type == t)
			return types[i].name;
	return NULL;
}

int phone_type_parse(const char *s, enum phone_type *out)
{
	for (size_t i = 0; i < TG_ARRAY_LEN(types); i++) {
		if (tg_streq_ci(s, types[i].name)) {
			*out = types[i].type;
			return TG_OK;
		}
	}
	return TG_ERR_INVALID;
}

const char *phone_type_method_id(enum phone_type t)
{
	for (size_t i = 0; i < TG_ARRAY_LEN(types); i++)
		if (types[i].type == t)
			return types[i].method_id;
	return NULL;
}

const char *phone_channel_name(enum phone_channel c)
{
	switch (c) {
	case PHONE_CHANNEL_SMS: return "sms";
	case PHONE_CHANNEL_VOICE: return "voice";
	}
	return NULL;
}

int phone_channel_parse(const char *s, enum phone_channel *out)
{
	if (tg_streq_ci(s, "sms")) {
		*out = PHONE_CHANNEL_SMS;
		return TG_OK;
	}
	if (tg_streq_ci(s, "voice")) {
		*out = PHONE_CHANNEL_VOICE;
		return TG_OK;
	}
	return TG_ERR_INVALID;
}

unsigned phone_type_channels(enum phone_type t)
{
	for (size_t i = 0; i < TG_ARRAY_LEN(types); i++)
		if (types[i].type == t)
			return types[i].channels;
	return 0;
}

bool phone_type_allows(enum phone_type t, enum phone_channel c)
{
	return (phone_type_channels(t) & (unsigned)c) != 0;
}

unsigned phone_channels(enum phone_type t, const char *canonical)
{
	unsigned ch = phone_type_channels(t);
	if (phone_has_extension(canonical))
		ch &= ~(unsigned)PHONE_CHANNEL_SMS;
	return ch;
}

int phone_mask(const char *in, char out[PHONE_SIZE])
{
	out[0] = '\0';
	if (!in || !phone_is_canonical(in))
		return TG_ERR_INVALID;
	size_t n = strlen(in);
	const char *sp = strchr(in, ' ');
	const char *x = strchr(in, 'x');
	size_t num_end = x ? (size_t)(x - in) : n;   /* the number's last digit + 1 */
	size_t start = (size_t)(sp - in) + 1;
	for (size_t i = 0; i < n; i++) {
		char c = in[i];
		bool keep = i < start || c < '0' || c > '9' || (i < num_end && i + 2 >= num_end);
		out[i] = keep ? c : 'X';
	}
	out[n] = '\0';
	return TG_OK;
}
