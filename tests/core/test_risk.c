/* SPDX-License-Identifier: MIT
 * Sign-in and user risk (SPEC §5): each rule, the order between them, the
 * configurable failure threshold and its default, the /24 and /48 network
 * summaries, and the reasons. */
#include "harness.h"
#include "base/err.h"
#include "core/risk.h"

static struct cidr_ip ip(const char *s)
{
	struct cidr_ip a;
	memset(&a, 0, sizeof a);
	if (cidr_ip_parse(s, &a) != TG_OK)
		TG_T_FAIL("bad test address %s", s);
	return a;
}

static struct cidr net(const char *s)
{
	struct cidr r;
	memset(&r, 0, sizeof r);
	if (cidr_parse(s, 0, &r) != TG_OK)
		TG_T_FAIL("bad test range %s", s);
	return r;
}

/* history: signed in from 192.0.2.0/24 and 2001:db8:1::/48 on windows */
static struct cidr hist_nets[2];
static struct risk_history hist;

static void setup_history(void)
{
	hist_nets[0] = net("192.0.2.0/24");
	hist_nets[1] = net("2001:db8:1::/48");
	hist.n_signins = 12;
	hist.networks = hist_nets;
	hist.n_networks = 2;
	hist.platforms = 1u << PLATFORM_WINDOWS;
}

static struct risk_result eval(const struct risk_config *cfg, const char *addr,
                               enum platform p, unsigned failures, const struct risk_history *h)
{
	struct risk_signin s = {.ip = ip(addr), .platform = p, .recent_failures = failures,
	                        .history = h};
	struct risk_result r;
	if (risk_signin_evaluate(cfg, &s, &r) != TG_OK)
		TG_T_FAIL("risk_signin_evaluate failed for %s", addr);
	return r;
}

static void bad_ip_is_high(void)
{
	struct cidr bad[] = {net("203.0.113.0/24"), net("2001:db8:bad::/48")};
	struct cidr_set set = {0};
	cidr_set_build(&set, bad, 2);
	struct risk_config cfg = {.bad_ips = &set};
	struct risk_result r = eval(&cfg, "203.0.113.77", PLATFORM_WINDOWS, 0, &hist);
	CHECK_INT(r.level, RISK_HIGH);
	CHECK_STR(r.reason, "IP address 203.0.113.77 is on the bad-IP list");
	r = eval(&cfg, "2001:db8:bad::5", PLATFORM_WINDOWS, 0, &hist);
	CHECK_INT(r.level, RISK_HIGH);
	/* an address next to the list is not */
	r = eval(&cfg, "203.0.114.1", PLATFORM_WINDOWS, 0, &hist);
	CHECK_INT(r.level, RISK_NONE);
	/* bad IP wins even from a known network and platform, and with no history */
	r = eval(&cfg, "203.0.113.1", PLATFORM_WINDOWS, 0, NULL);
	CHECK_INT(r.level, RISK_HIGH);
	cidr_set_cleanup(&set);
}

static void failures_threshold_default_and_configured(void)
{
	struct risk_result r = eval(NULL, "192.0.2.10", PLATFORM_WINDOWS,
	                            RISK_DEFAULT_FAILURE_THRESHOLD - 1, &hist);
	CHECK_INT(r.level, RISK_NONE);
	r = eval(NULL, "192.0.2.10", PLATFORM_WINDOWS, RISK_DEFAULT_FAILURE_THRESHOLD, &hist);
	CHECK_INT(r.level, RISK_HIGH);
	CHECK_STR(r.reason, "10 recent failed password attempts for the account (threshold 10)");
	CHECK_INT(RISK_DEFAULT_FAILURE_THRESHOLD, 10);

	struct risk_config cfg = {.failure_threshold = 3};
	r = eval(&cfg, "192.0.2.10", PLATFORM_WINDOWS, 2, &hist);
	CHECK_INT(r.level, RISK_NONE);
	r = eval(&cfg, "192.0.2.10", PLATFORM_WINDOWS, 3, &hist);
	CHECK_INT(r.level, RISK_HIGH);
	/* threshold 0 in the config means the default */
	cfg.failure_threshold = 0;
	r = eval(&cfg, "192.0.2.10", PLATFORM_WINDOWS, 3, &hist);
	CHECK_INT(r.level, RISK_NONE);
}

static void new_network_and_new_platform_is_medium(void)
{
	struct risk_result r = eval(NULL, "198.51.100.7", PLATFORM_ANDROID, 0, &hist);
	CHECK_INT(r.level, RISK_MEDIUM);
	CHECK_STR(r.reason, "first sign-in from network 198.51.100.0/24 and from platform android");
	r = eval(NULL, "2001:db8:2::1", PLATFORM_MACOS, 0, &hist);
	CHECK_INT(r.level, RISK_MEDIUM);
	CHECK_STR(r.reason, "first sign-in from network 2001:db8:2::/48 and from platform macOS");
}

static void only_one_new_is_none(void)
{
	/* new network, known platform */
	struct risk_result r = eval(NULL, "198.51.100.7", PLATFORM_WINDOWS, 0, &hist);
	CHECK_INT(r.level, RISK_NONE);
	CHECK_STR(r.reason, "new network 198.51.100.0/24 but known platform windows");
	/* known network (same /24, other host), new platform */
	r = eval(NULL, "192.0.2.200", PLATFORM_IOS, 0, &hist);
	CHECK_INT(r.level, RISK_NONE);
	CHECK_STR(r.reason, "new platform iOS but known network 192.0.2.0/24");
	/* same /48, other /64 */
	r = eval(NULL, "2001:db8:1:ffff::9", PLATFORM_LINUX, 0, &hist);
	CHECK_INT(r.level, RISK_NONE);
	r = eval(NULL, "192.0.2.1", PLATFORM_WINDOWS, 0, &hist);
	CHECK_INT(r.level, RISK_NONE);
	CHECK_STR(r.reason, "known network 192.0.2.0/24 and platform windows");
}

static void no_history_is_none(void)
{
	struct risk_history empty = {0};
	struct risk_result r = eval(NULL, "198.51.100.7", PLATFORM_ANDROID, 0, &empty);
	CHECK_INT(r.level, RISK_NONE);
	CHECK_STR(r.reason, "no sign-in history yet");
	r = eval(NULL, "198.51.100.7", PLATFORM_ANDROID, 0, NULL);
	CHECK_INT(r.level, RISK_NONE);
}

static void unknown_platform_counts_as_a_platform(void)
{
	struct risk_result r = eval(NULL, "198.51.100.7", PLATFORM_UNKNOWN, 0, &hist);
	CHECK_INT(r.level, RISK_MEDIUM);
	struct risk_history h = hist;
	h.platforms |= 1u << PLATFORM_UNKNOWN;
	r = eval(NULL, "198.51.100.7", PLATFORM_UNKNOWN, 0, &h);
	CHECK_INT(r.level, RISK_NONE);
}

static void network_summary(void)
{
	struct cidr n;
	char buf[CIDR_STRLEN];
	struct cidr_ip a = ip("10.1.2.3");
	risk_network_of(&a, &n);
	cidr_format(&n, buf);
	CHECK_STR(buf, "10.1.2.0/24");
	CHECK(cidr_contains(&n, &a));
	a = ip("2001:db8:aaaa:bbbb::1");
	risk_network_of(&a, &n);
	cidr_format(&n, buf);
	CHECK_STR(buf, "2001:db8:aaaa::/48");
	/* a v4-mapped address summarises as IPv4 */
	a = ip("::ffff:10.9.8.7");
	risk_network_of(&a, &n);
	cidr_format(&n, buf);
	CHECK_STR(buf, "10.9.8.0/24");
}

static void user_risk(void)
{
	struct risk_result r;
	CHECK_OK(risk_user_evaluate(false, false, &r));
	CHECK_INT(r.level, RISK_NONE);
	CHECK_STR(r.reason, "");
	CHECK_OK(risk_user_evaluate(true, false, &r));
	CHECK_INT(r.level, RISK_HIGH);
	CHECK_STR(r.reason, "an administrator marked the user compromised");
	CHECK_OK(risk_user_evaluate(false, true, &r));
	CHECK_INT(r.level, RISK_HIGH);
	CHECK_STR(r.reason, "the user reported a suspicious MFA prompt");
	CHECK_OK(risk_user_evaluate(true, true, &r));
	CHECK_STR(r.reason, "an administrator marked the user compromised");
	CHECK_INT(risk_user_evaluate(false, false, NULL), TG_ERR_INVALID);
}

static void bad_arguments(void)
{
	struct risk_result r;
	struct risk_signin s = {.ip = ip("192.0.2.1"), .platform = (enum platform)42};
	CHECK_INT(risk_signin_evaluate(NULL, &s, &r), TG_ERR_INVALID);
	CHECK_INT(r.level, RISK_NONE);
	CHECK_INT(risk_signin_evaluate(NULL, NULL, &r), TG_ERR_INVALID);
	CHECK_INT(risk_signin_evaluate(NULL, &s, NULL), TG_ERR_INVALID);
}

static void level_names(void)
{
	enum risk_level l;
	for (int i = 0; i < RISK_LEVEL_COUNT_; i++) {
		CHECK_OK(risk_level_parse(risk_level_name((enum risk_level)i), &l));
		CHECK_INT(l, i);
	}
	CHECK_OK(risk_level_parse("HIGH", &l));
	CHECK_INT(l, RISK_HIGH);
	CHECK_INT(risk_level_parse("severe", &l), TG_ERR_INVALID);
	CHECK_STR(risk_level_name((enum risk_level)9), "none");
}

int main(void)
{
	setup_history();
	TEST(bad_ip_is_high);
	TEST(failures_threshold_default_and_configured);
	TEST(new_network_and_new_platform_is_medium);
	TEST(only_one_new_is_none);
	TEST(no_history_is_none);
	TEST(unknown_platform_counts_as_a_platform);
	TEST(network_summary);
	TEST(user_risk);
	TEST(bad_arguments);
	TEST(level_names);
	return tg_test_done();
}
