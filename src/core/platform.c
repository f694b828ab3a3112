/* SPDX-License-Identifier: MIT
 * User-Agent → device platform. A fixed, ordered list of token checks; see
 * platform.h for the order and why it matters. */
#include <string.h>
#include "base/err.h"
#include "base/limits.h"
#include "base/str.h"
#include "core/platform.h"

static const char *const names[PLATFORM_COUNT_] = {
	[PLATFORM_UNKNOWN] = "unknown",
	[PLATFORM_ANDROID] = "android",
	[PLATFORM_IOS] = "iOS",
	[PLATFORM_WINDOWS] = "windows",
	[PLATFORM_WINDOWS_PHONE] = "windowsPhone",
	[PLATFORM_MACOS] = "macOS",
	[PLATFORM_LINUX] = "linux",
};

static char lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/* Case-insensitive search for needle in the first n bytes of hay. */
static const char *find_ci(const char *hay, size_t n, const char *needle)
{
	size_t m = strlen(needle);
	if (m == 0 || m > n)
		return NULL;
	for (size_t i = 0; i + m <= n; i++) {
		size_t j = 0;
		while (j < m && lower(hay[i + j]) == lower(needle[j]))
			j++;
		if (j == m)
			return hay + i;
	}
	return NULL;
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* "iOS" with exact case and no letter on either side: "Outlook-iOS/4.2",
 * "(iOS 17.1)", but not "BIOS" or "ios". */
static bool has_word_ios(const char *ua, size_t n)
{
	for (size_t i = 0; i + 3 <= n; i++) {
		if (memcmp(ua + i, "iOS", 3) != 0)
			continue;
		if (i > 0 && is_alpha(ua[i - 1]))
			continue;
		if (i + 3 < n && is_alpha(ua[i + 3]))
			continue;
		return true;
	}
	return false;
}

static bool any_ci(const char *ua, size_t n, const char *const *tokens)
{
	for (; *tokens; tokens++)
		if (find_ci(ua, n, *tokens))
			return true;
	return false;
}

enum platform platform_from_user_agent(const char *ua)
{
	static const char *const wphone[] = {"Windows Phone", "Windows Mobile", "IEMobile",
	                                     "WPDesktop", NULL};
	static const char *const android[] = {"Android", NULL};
	static const char *const ios[] = {"iPhone", "iPad", "iPod", NULL};
	static const char *const windows[] = {"Windows", "Win64", "WOW64", "Win32", NULL};
	static const char *const mac[] = {"Macintosh", "Mac OS X", "macOS", NULL};
	static const char *const linux_[] = {"Linux", "X11", NULL};
	size_t n;

	if (!ua)
		return PLATFORM_UNKNOWN;
	n = strnlen(ua, TG_MAX_HTTP_HEADER);
	if (any_ci(ua, n, wphone))
		return PLATFORM_WINDOWS_PHONE;
	if (any_ci(ua, n, android))
		return PLATFORM_ANDROID;
	if (any_ci(ua, n, ios) || has_word_ios(ua, n))
		return PLATFORM_IOS;
	if (any_ci(ua, n, windows))
		return PLATFORM_WINDOWS;
	if (any_ci(ua, n, mac))
		return PLATFORM_MACOS;
	if (find_ci(ua, n, "CrOS"))
		return PLATFORM_UNKNOWN;
	if (any_ci(ua, n, linux_))
		return PLATFORM_LINUX;
	return PLATFORM_UNKNOWN;
}

const char *platform_name(enum platform p)
{
	if ((unsigned)p >= PLATFORM_COUNT_)
		return names[PLATFORM_UNKNOWN];
	return names[p];
}

int platform_parse(const char *s, enum platform *out)
{
	if (!s)
		return TG_ERR_INVALID;
	for (unsigned i = 0; i < PLATFORM_COUNT_; i++) {
		if (tg_streq_ci(s, names[i])) {
			*out = (enum platform)i;
			return TG_OK;
		}
	}
	return TG_ERR_INVALID;
}
