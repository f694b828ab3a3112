/* SPDX-License-Identifier: MIT
 * App password format and creation rule (see app_password.h). */
#include <string.h>
#include "base/err.h"
#include "base/mem.h"
#include "base/str.h"
#include "core/app_password.h"

#define ACCEPT_BELOW 234 /* 9 * 26: the largest multiple of 26 <= 256 */

int app_password_generate(const uint8_t *rnd, size_t rnd_len, char out[APP_PASSWORD_SIZE])
{
	size_t n = 0;
	for (size_t i = 0; i < rnd_len && n < APP_PASSWORD_LEN; i++)
		if (rnd[i] < ACCEPT_BELOW)
			out[n++] = (char)('a' + rnd[i] % 26);
	if (n < APP_PASSWORD_LEN) {
		tg_wipe(out, APP_PASSWORD_SIZE);
		return TG_ERR_INVALID;
	}
	out[n] = '\0';
	return TG_OK;
}

static bool all_letters(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < 'a' || s[i] > 'z')
			return false;
	return true;
}

int app_password_display(const char *pw, char out[APP_PASSWORD_DISPLAY_SIZE])
{
	size_t o = 0;
	out[0] = '\0';
	if (strnlen(pw, APP_PASSWORD_SIZE) != APP_PASSWORD_LEN || !all_letters(pw, APP_PASSWORD_LEN))
		return TG_ERR_INVALID;
	for (size_t i = 0; i < APP_PASSWORD_LEN; i++) {
		if (i && i % 4 == 0)
			out[o++] = ' ';
		out[o++] = pw[i];
	}
	out[o] = '\0';
	return TG_OK;
}

int app_password_normalize(const char *typed, char out[APP_PASSWORD_SIZE])
{
	size_t n = 0;
	for (size_t i = 0; typed[i]; i++) {
		char c = typed[i];
		if (i > 64)
			goto bad;
		if (c == ' ')
			continue;
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c < 'a' || c > 'z' || n == APP_PASSWORD_LEN)
			goto bad;
		out[n++] = c;
	}
	if (n != APP_PASSWORD_LEN)
		goto bad;
	out[n] = '\0';
	return TG_OK;
bad:
	tg_wipe(out, APP_PASSWORD_SIZE);
	return TG_ERR_INVALID;
}

int app_password_may_create(bool allow_setting, size_t existing)
{
	if (!allow_setting)
		return TG_ERR_DISABLED;
	if (existing >= APP_PASSWORD_MAX_PER_USER)
		return TG_ERR_LIMIT;
	return TG_OK;
}

int app_password_name_check(const char *name)
{
	size_t n = strnlen(name, TG_MAX_APP_PASSWORD_NAME + 1);
	if (n > TG_MAX_APP_PASSWORD_NAME)
		return TG_ERR_TOO_LARGE;
	if (n == 0 || !tg_utf8_valid(name, n, NULL) || tg_has_ctl(name))
		return TG_ERR_INVALID;
	return TG_OK;
}
