/* SPDX-License-Identifier: MIT
 * User-Agent → platform: a table of real-world UAs, including the ones whose
 * tokens overlap (Android says Linux, iOS says Mac OS X, Windows Phone says
 * Android and iPhone), and the name table round trip. */
#include "harness.h"
#include "base/err.h"
#include "core/platform.h"

static const struct {
	const char *ua;
	enum platform want;
} table[] = {
	/* Android before Linux */
	{"Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
	 "Chrome/124.0.0.0 Mobile Safari/537.36", PLATFORM_ANDROID},
	{"Mozilla/5.0 (Android 13; Mobile; rv:125.0) Gecko/125.0 Firefox/125.0", PLATFORM_ANDROID},
	{"Dalvik/2.1.0 (Linux; U; Android 12; SM-G991B Build/SP1A.210812.016)", PLATFORM_ANDROID},
	/* iOS before macOS */
	{"Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
	 "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1", PLATFORM_IOS},
	{"Mozilla/5.0 (iPad; CPU OS 12_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
	 "Mobile/15E148", PLATFORM_IOS},
	{"Mozilla/5.0 (iPod touch; CPU iPhone OS 12_5 like Mac OS X)", PLATFORM_IOS},
	{"Outlook-iOS/709.2189947.prod.iphone (4.2.0)", PLATFORM_IOS},
	{"MyApp/1.0 (iOS 17.1; Scale/3.00)", PLATFORM_IOS},
	/* iPadOS desktop mode: indistinguishable from a Mac, reported as macOS */
	{"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
	 "Version/17.4 Safari/605.1.15", PLATFORM_MACOS},
	{"Mozilla/5.0 (Macintosh; Intel Mac OS X 14.4; rv:125.0) Gecko/20100101 Firefox/125.0",
	 PLATFORM_MACOS},
	/* Windows Phone first: its UAs carry Android and iPhone too */
	{"Mozilla/5.0 (Mobile; Windows Phone 8.1; Android 4.0; ARM; Trident/7.0; Touch; rv:11.0; "
	 "IEMobile/11.0; NOKIA; Lumia 635) like iPhone OS 7_0_3 Mac OS X AppleWebKit/537 (KHTML, "
	 "like Gecko) Mobile Safari/537", PLATFORM_WINDOWS_PHONE},
	{"Mozilla/5.0 (compatible; MSIE 10.0; Windows Phone 8.0; Trident/6.0; IEMobile/10.0)",
	 PLATFORM_WINDOWS_PHONE},
	/* Windows */
	{"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
	 "Chrome/124.0.0.0 Safari/537.36 Edg/124.0.0.0", PLATFORM_WINDOWS},
	{"Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17328; Pro)", PLATFORM_WINDOWS},
	{"Mozilla/4.0 (compatible; MSIE 8.0; Win32)", PLATFORM_WINDOWS},
	/* Linux */
	{"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
	 "Chrome/124.0.0.0 Safari/537.36", PLATFORM_LINUX},
	{"Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
	 PLATFORM_LINUX},
	{"Mozilla/5.0 (X11; FreeBSD amd64; rv:125.0) Gecko/20100101 Firefox/125.0", PLATFORM_LINUX},
	/* unknown */
	{"Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) "
	 "Chrome/124.0.0.0 Safari/537.36", PLATFORM_UNKNOWN},
	{"MyApp/1.0 CFNetwork/1240.0.4 Darwin/20.5.0", PLATFORM_UNKNOWN},
	{"curl/8.5.0", PLATFORM_UNKNOWN},
	{"Flashrom BIOS updater", PLATFORM_UNKNOWN},
	{"", PLATFORM_UNKNOWN},
	/* case of tokens other than "iOS" does not matter */
	{"SOMETHING (ANDROID 9)", PLATFORM_ANDROID},
	{"tool (windows nt 6.1)", PLATFORM_WINDOWS},
	{"client ios 3", PLATFORM_UNKNOWN},
};

static void user_agent_table(void)
{
	for (unsigned i = 0; i < sizeof table / sizeof table[0]; i++) {
		enum platform got = platform_from_user_agent(table[i].ua);
		if (got != table[i].want)
			TG_T_FAIL("row %u \"%.60s\": %s, expected %s", i, table[i].ua,
			          platform_name(got), platform_name(table[i].want));
	}
	CHECK_INT(platform_from_user_agent(NULL), PLATFORM_UNKNOWN);
}

static void long_header_is_bounded(void)
{
	static char big[20000];
	memset(big, 'a', sizeof big - 1);
	/* a token past the examined prefix is not seen */
	memcpy(big + sizeof big - 10, "Android", 7);
	CHECK_INT(platform_from_user_agent(big), PLATFORM_UNKNOWN);
	memcpy(big + 10, "Linux", 5);
	CHECK_INT(platform_from_user_agent(big), PLATFORM_LINUX);
}

static void names_round_trip(void)
{
	enum platform p;
	for (int i = 0; i < PLATFORM_COUNT_; i++) {
		CHECK_OK(platform_parse(platform_name((enum platform)i), &p));
		CHECK_INT(p, i);
	}
	CHECK_STR(platform_name(PLATFORM_WINDOWS_PHONE), "windowsPhone");
	CHECK_STR(platform_name(PLATFORM_IOS), "iOS");
	CHECK_STR(platform_name((enum platform)99), "unknown");
	CHECK_OK(platform_parse("IOS", &p));
	CHECK_INT(p, PLATFORM_IOS);
	CHECK_INT(platform_parse("beos", &p), TG_ERR_INVALID);
	CHECK_INT(platform_parse(NULL, &p), TG_ERR_INVALID);
}

int main(void)
{
	TEST(user_agent_table);
	TEST(long_header_is_bounded);
	TEST(names_round_trip);
	return tg_test_done();
}
