/* SPDX-License-Identifier: MIT
 * Email address syntax (see email_addr.h). */
#include <string.h>
#include "base/err.h"
#include "base/str.h"
#include "core/email_addr.h"

static bool is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* RFC 5322 §3.2.3 atext. */
static bool is_atext(char c)
{
	return is_alnum(c) || (c && strchr("!#$%&'*+/=?^_`{|}~-", c) != NULL);
}

static int fail(const char **why_out, const char *why, int code)
{
	if (why_out)
		*why_out = why;
	return code;
}

static int check_local(const char *s, size_t n, const char **why_out)
{
	if (n == 0)
		return fail(why_out, "the part before '@' is empty", TG_ERR_INVALID);
	if (n > EMAIL_ADDR_MAX_LOCAL)
		return fail(why_out, "the part before '@' is longer than 64 characters", TG_ERR_TOO_LARGE);
	if (s[0] == '.' || s[n - 1] == '.')
		return fail(why_out, "the part before '@' starts or ends with a dot", TG_ERR_INVALID);
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '.') {
			if (s[i + 1] == '.')
				return fail(why_out, "two dots in a row", TG_ERR_INVALID);
		} else if (!is_atext(s[i])) {
			return fail(why_out, "a character not allowed before '@'", TG_ERR_INVALID);
		}
	}
	return TG_OK;
}

static int check_domain(const char *s, size_t n, const char **why_out)
{
	if (n == 0)
		return fail(why_out, "the domain is empty", TG_ERR_INVALID);
	if (n > TG_MAX_DOMAIN)
		return fail(why_out, "the domain is too long", TG_ERR_TOO_LARGE);
	size_t labels = 0, start = 0;
	bool all_digits = true;
	for (size_t i = 0; i <= n; i++) {
		if (i < n && s[i] != '.') {
			if (!is_alnum(s[i]) && s[i] != '-')
				return fail(why_out, "a character not allowed in the domain", TG_ERR_INVALID);
			if (s[i] < '0' || s[i] > '9')
				all_digits = false;
			continue;
		}
		size_t len = i - start;
		if (len == 0)
			return fail(why_out, "an empty label in the domain", TG_ERR_INVALID);
		if (len > 63)
			return fail(why_out, "a domain label is longer than 63 characters", TG_ERR_INVALID);
		if (s[start] == '-' || s[i - 1] == '-')
			return fail(why_out, "a domain label starts or ends with '-'", TG_ERR_INVALID);
		labels++;
		if (i < n) {
			all_digits = true; /* judge only the last label */
			start = i + 1;
		}
	}
	if (labels < 2)
		return fail(why_out, "the domain needs at least one dot", TG_ERR_INVALID);
	if (all_digits)
		return fail(why_out, "the top-level domain is numeric", TG_ERR_INVALID);
	return TG_OK;
}

int email_addr_check(const char *s, const char **why_out)
{
	if (why_out)
		*why_out = NULL;
	size_t n = strnlen(s, TG_MAX_EMAIL + 1);
	if (n > TG_MAX_EMAIL)
		return fail(why_out, "the address is longer than 254 characters", TG_ERR_TOO_LARGE);
	const char *at = strrchr(s, '@');
	if (!at)
		return fail(why_out, "no '@'", TG_ERR_INVALID);
	if (memchr(s, '@', (size_t)(at - s)))
		return fail(why_out, "more than one '@'", TG_ERR_INVALID);
	int r = check_local(s, (size_t)(at - s), why_out);
	if (r)
		return r;
	return check_domain(at + 1, strlen(at + 1), why_out);
}

bool email_addr_is_valid(const char *s)
{
	return email_addr_check(s, NULL) == TG_OK;
}

int email_addr_normalize(const char *in, char out[EMAIL_ADDR_SIZE], const char **why_out)
{
	char buf[EMAIL_ADDR_SIZE + 64];
	out[0] = '\0';
	if (why_out)
		*why_out = NULL;
	if (strnlen(in, sizeof buf) >= sizeof buf)
		return fail(why_out, "the address is longer than 254 characters", TG_ERR_TOO_LARGE);
	tg_strlcpy(buf, in, sizeof buf);
	char *t = tg_trim(buf);
	int r = email_addr_check(t, why_out);
	if (r)
		return r;
	tg_ascii_lower(strrchr(t, '@') + 1);
	tg_strlcpy(out, t, EMAIL_ADDR_SIZE);
	return TG_OK;
}
