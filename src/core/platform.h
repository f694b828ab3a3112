/* SPDX-License-Identifier: MIT
 * Device platform of a sign-in, guessed from its User-Agent header, with the
 * values of Conditional Access' `platforms` condition (reference/entra.md
 * §3.1). Pure: no I/O. Thread-safe (no state).
 *
 * Order of the checks, first match wins (each earlier UA family carries the
 * tokens of a later one):
 *   1. windowsPhone  "Windows Phone", "Windows Mobile", "IEMobile", "WPDesktop"
 *                    (Windows Phone 8.1 UAs also say "Android" and "iPhone")
 *   2. android       "Android"           (Android UAs also say "Linux")
 *   3. iOS           "iPhone", "iPad", "iPod", or the word "iOS" with its
 *                    exact case ("Outlook-iOS/…"); iOS UAs also say
 *                    "like Mac OS X"
 *   4. windows       "Windows", "Win64", "WOW64", "Win32"
 *   5. macOS         "Macintosh", "Mac OS X", "macOS"
 *   6. linux         "Linux", "X11" (but not "CrOS")
 *   7. unknown       anything else: ChromeOS, bare "CFNetwork … Darwin" (sent
 *                    by iOS and macOS apps alike), curl, an empty header.
 * Tokens other than "iOS" are matched case-insensitively.
 * iPadOS 13+ Safari sends the desktop macOS UA ("Macintosh; Intel Mac OS X")
 * by default; it cannot be told apart from a Mac by the header alone, so it
 * is reported as macOS, as Entra also does. Policies that must catch iPads
 * should include both iOS and macOS. ChromeOS has no value in Graph's enum
 * and is reported as unknown rather than guessed as linux. */
#ifndef TG_CORE_PLATFORM_H
#define TG_CORE_PLATFORM_H
#include <stddef.h>

enum platform {
	PLATFORM_UNKNOWN = 0,
	PLATFORM_ANDROID,
	PLATFORM_IOS,
	PLATFORM_WINDOWS,
	PLATFORM_WINDOWS_PHONE,
	PLATFORM_MACOS,
	PLATFORM_LINUX,
	PLATFORM_COUNT_
};

/* The platform named by a User-Agent header value. ua may be NULL; only the
 * first TG_MAX_HTTP_HEADER bytes are looked at. Never fails. */
enum platform platform_from_user_agent(const char *ua);

/* Graph's spelling: "android", "iOS", "windows", "windowsPhone", "macOS",
 * "linux", and "unknown" for PLATFORM_UNKNOWN (and out-of-range values).
 * Static storage. */
const char *platform_name(enum platform p);

/* Case-insensitive parse of the names above (what-if input): TG_OK or
 * TG_ERR_INVALID; *out set only on success. */
int platform_parse(const char *s, enum platform *out);

#endif
