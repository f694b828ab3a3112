/* SPDX-License-Identifier: MIT
 * Password length policy. */
#include "base/err.h"
#include "base/limits.h"
#include "base/str.h"
#include "core/password_policy.h"

int password_policy_check(const char *pw, size_t len, const char **why_out)
{
	size_t cps = 0;
	const char *why = NULL;
	if (len > TG_MAX_PASSWORD_BYTES)
		why = "password is too long (at most 512 characters)";
	else if (!tg_utf8_valid(pw, len, &cps))
		why = "password is not valid UTF-8 text";
	else if (cps < TG_MIN_PASSWORD_CHARS)
		why = "password is too short (at least 8 characters)";
	else if (cps > TG_MAX_PASSWORD_CHARS)
		why = "password is too long (at most 512 characters)";
	if (why_out)
		*why_out = why;
	return why ? TG_ERR_INVALID : TG_OK;
}
