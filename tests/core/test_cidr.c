/* SPDX-License-Identifier: MIT
 * CIDR parsing, formatting and matching (IPv4 and IPv6), the merged range
 * set against a linear scan, and the named location rules built on them
 * (mask greater than /8, 2000 ranges, duplicates, trusted deletion). */
#include "harness.h"
#include "base/err.h"
#include "base/limits.h"
#include "core/cidr.h"
#include "core/named_location.h"

static void check_norm(const char *in, unsigned flags, const char *want)
{
	struct cidr r;
	char buf[CIDR_STRLEN];
	int rc = cidr_parse(in, flags, &r);
	if (rc != TG_OK) {
		TG_T_FAIL("cidr_parse(\"%s\") = %d, expected OK", in, rc);
		return;
	}
	cidr_format(&r, buf);
	if (strcmp(buf, want) != 0)
		TG_T_FAIL("\"%s\" normalised to \"%s\", expected \"%s\"", in, buf, want);
}

static void good_ranges_normalise(void)
{
	static const struct { const char *in, *out; } t[] = {
		{"10.0.0.0/8", "10.0.0.0/8"},
		{"12.34.221.11/22", "12.34.220.0/22"},          /* Entra's own example */
		{"0.0.0.0/0", "0.0.0.0/0"},
		{"1.2.3.4/0", "0.0.0.0/0"},
		{"255.255.255.255/32", "255.255.255.255/32"},
		{"192.168.1.77/24", "192.168.1.0/24"},
		{"172.16.5.4/12", "172.16.0.0/12"},
		{"2001:0:9d38:90d6:0:0:0:0/63", "2001:0:9d38:90d6::/63"}, /* Entra's example */
		{"2001:0:9d38:90d7:ffff::1/63", "2001:0:9d38:90d6::/63"},
		{"2001:DB8::/32", "2001:db8::/32"},
		{"::/0", "::/0"},
		{"::1/128", "::1/128"},
		{"fe80::1/10", "fe80::/10"},
		{"fd00:1234::/48", "fd00:1234::/48"},
		{"2001:db8::8000:0:0:1/65", "2001:db8:0:0:8000::/65"},
		{"::ffff:10.1.2.3/104", "10.0.0.0/8"},          /* mapped range -> IPv4 */
		{"::ffff:10.1.2.3/128", "10.1.2.3/32"},
		{"::ffff:10.1.2.3/64", "::/64"},                /* prefix < 96 stays IPv6 */
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		check_norm(t[i].in, 0, t[i].out);
}

static void bad_ranges_refused(void)
{
	static const char *bad[] = {
		"1.2.3.4/33", "1.2.3/24", "::1/129", "", "garbage", "1.2.3.4/", "/24",
		"1.2.3.4/024", "1.2.3.4/-1", "1.2.3.4/+8", "1.2.3.4/ 8", " 1.2.3.4/8",
		"1.2.3.4/8 ", "01.2.3.4/8", "256.1.1.1/8", "1.2.3.4/8/9", "1.2.3.4.5/8",
		"1.2.3.4", "2001:db8::", ":::/64", "1::2::3/64", "g::/64", "fe80::1%eth0/64",
		"1.2.3.4/3a", "0x1.2.3.4/8", "1.2.3.-4/8", "1.2.3.4/1000", "1.2.3.4/4294967304",
		"12345::/16", "2001:db8::/0128", "1.2.3.4\n/8", "[::1]/128", "::1/", "a.b.c.d/8",
		"1.2.3.4/8.0", "1,2,3,4/8",
		"111111111111111111111111111111111111111111111111111111111111.1/8",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct cidr r;
		memset(&r, 0x5a, sizeof r);
		int rc = cidr_parse(bad[i], 0, &r);
		if (rc != TG_ERR_INVALID)
			TG_T_FAIL("cidr_parse(\"%s\") = %d, expected TG_ERR_INVALID", bad[i], rc);
		if (r.family != 0x5a)
			TG_T_FAIL("cidr_parse(\"%s\") wrote its output on failure", bad[i]);
	}
	struct cidr r;
	CHECK_INT(cidr_parse(NULL, 0, &r), TG_ERR_INVALID);
}

static void flags_bare_and_strict(void)
{
	struct cidr r;
	CHECK_INT(cidr_parse("1.2.3.4", 0, &r), TG_ERR_INVALID);
	check_norm("1.2.3.4", CIDR_ALLOW_BARE, "1.2.3.4/32");
	check_norm("2001:db8::1", CIDR_ALLOW_BARE, "2001:db8::1/128");
	CHECK_INT(cidr_parse("10.0.0.1/8", CIDR_STRICT, &r), TG_ERR_INVALID);
	CHECK_INT(cidr_parse("2001:db8::1/64", CIDR_STRICT, &r), TG_ERR_INVALID);
	CHECK_OK(cidr_parse("10.0.0.0/8", CIDR_STRICT, &r));
	CHECK_OK(cidr_parse("2001:db8::/64", CIDR_STRICT, &r));
}

static bool in(const char *range, const char *ip)
{
	struct cidr r;
	struct cidr_ip a;
	if (cidr_parse(range, 0, &r) != TG_OK || cidr_ip_parse(ip, &a) != TG_OK) {
		TG_T_FAIL("bad fixture %s / %s", range, ip);
		return false;
	}
	return cidr_contains(&r, &a);
}

static void matching_edges(void)
{
	CHECK(in("10.0.0.0/8", "10.0.0.0"));
	CHECK(in("10.0.0.0/8", "10.255.255.255"));
	CHECK(!in("10.0.0.0/8", "11.0.0.0"));
	CHECK(!in("10.0.0.0/8", "9.255.255.255"));
	CHECK(in("0.0.0.0/0", "255.255.255.255"));
	CHECK(!in("0.0.0.0/0", "::1"));           /* families never mix */
	CHECK(!in("::/0", "1.2.3.4"));
	CHECK(in("::/0", "2001:db8::1"));
	CHECK(in("1.2.3.4/32", "1.2.3.4"));
	CHECK(!in("1.2.3.4/32", "1.2.3.5"));
	CHECK(in("12.34.221.11/22", "12.34.223.255"));
	CHECK(!in("12.34.221.11/22", "12.34.224.0"));
	CHECK(in("2001:0:9d38:90d6::/63", "2001:0:9d38:90d7:ffff:ffff:ffff:ffff"));
	CHECK(!in("2001:0:9d38:90d6::/63", "2001:0:9d38:90d8::"));
	CHECK(in("2001:db8::1/128", "2001:db8::1"));
	CHECK(!in("2001:db8::1/128", "2001:db8::2"));
	CHECK(in("2001:db8::/65", "2001:db8::7fff:ffff:ffff:ffff"));
	CHECK(!in("2001:db8::/65", "2001:db8::8000:0:0:0"));
	/* a dual-stack socket reports IPv4 clients as ::ffff:a.b.c.d */
	CHECK(in("10.0.0.0/8", "::ffff:10.1.2.3"));
	CHECK(in("::ffff:10.0.0.0/104", "10.9.9.9"));
	/* private ranges are ordinary ranges */
	CHECK(in("192.168.0.0/16", "192.168.10.20"));
	CHECK(in("fd00::/8", "fd12:3456::1"));
}

static void ip_parse_and_format(void)
{
	struct cidr_ip a;
	char buf[CIDR_STRLEN];
	CHECK_OK(cidr_ip_parse("::ffff:10.1.2.3", &a));
	CHECK_INT(a.family, 4);
	cidr_ip_format(&a, buf);
	CHECK_STR(buf, "10.1.2.3");
	CHECK_OK(cidr_ip_parse("2001:DB8:0:0:0:0:0:1", &a));
	CHECK_INT(a.family, 6);
	cidr_ip_format(&a, buf);
	CHECK_STR(buf, "2001:db8::1");
	static const char *bad[] = {"", "1.2.3", "1.2.3.4/32", "01.2.3.4", "::g", "1.2.3.4 ",
	                            "fe80::1%1", "localhost", "1.2.3.256"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (cidr_ip_parse(bad[i], &a) != TG_ERR_INVALID)
			TG_T_FAIL("cidr_ip_parse(\"%s\") accepted", bad[i]);
	CHECK_INT(cidr_ip_parse(NULL, &a), TG_ERR_INVALID);
}

/* xorshift64: deterministic test data */
static uint64_t rnd_state = 0x9e3779b97f4a7c15u;
static uint64_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state;
}

static struct cidr random_range(void)
{
	struct cidr r;
	char text[CIDR_STRLEN];
	if (rnd() & 1) {
		/* v4 clustered in 10.0.0.0/12 so ranges overlap and touch */
		uint32_t a = 0x0a000000u | (uint32_t)(rnd() & 0x000fffffu);
		snprintf(text, sizeof text, "%u.%u.%u.%u/%u", a >> 24, (a >> 16) & 255,
		         (a >> 8) & 255, a & 255, (unsigned)(12 + rnd() % 21));
	} else {
		snprintf(text, sizeof text, "2001:db8:%x:%x::/%u", (unsigned)(rnd() & 3),
		         (unsigned)(rnd() & 0xffff), (unsigned)(32 + rnd() % 65));
	}
	if (cidr_parse(text, 0, &r) != TG_OK)
		TG_T_FAIL("fixture %s", text);
	return r;
}

static struct cidr_ip random_ip(void)
{
	struct cidr_ip ip;
	if (rnd() & 1) {
		ip.family = 4;
		ip.hi = 0;
		ip.lo = 0x0a000000u | (rnd() & 0x001fffffu);
	} else {
		ip.family = 6;
		ip.hi = 0x20010db800000000u | (rnd() & 0x7ffffffu);
		ip.lo = (rnd() & 1) ? 0 : rnd();
	}
	return ip;
}

static void set_matches_linear_scan(void)
{
	for (int round = 0; round < 50; round++) {
		struct cidr ranges[64];
		size_t n = (size_t)(rnd() % 64);
		for (size_t i = 0; i < n; i++)
			ranges[i] = random_range();
		struct cidr_set set;
		cidr_set_build(&set, ranges, n);
		CHECK(set.n <= n);
		for (size_t i = 0; i + 1 < set.n; i++) /* sorted, disjoint */
			CHECK(set.iv[i].family < set.iv[i + 1].family ||
			      set.iv[i].ehi < set.iv[i + 1].shi ||
			      (set.iv[i].ehi == set.iv[i + 1].shi && set.iv[i].elo < set.iv[i + 1].slo));
		for (int k = 0; k < 400; k++) {
			struct cidr_ip ip = random_ip();
			bool lin = false;
			for (size_t i = 0; i < n && !lin; i++)
				lin = cidr_contains(&ranges[i], &ip);
			if (lin != cidr_set_contains(&set, &ip)) {
				char buf[CIDR_STRLEN];
				cidr_ip_format(&ip, buf);
				TG_T_FAIL("round %d: %s linear %d, set %d", round, buf, lin, !lin);
				break;
			}
		}
		cidr_set_cleanup(&set);
	}
}

static void set_edges(void)
{
	struct cidr r[4];
	CHECK_OK(cidr_parse("255.255.255.0/24", 0, &r[0]));
	CHECK_OK(cidr_parse("10.0.0.0/9", 0, &r[1]));
	CHECK_OK(cidr_parse("10.128.0.0/9", 0, &r[2]));   /* touches r[1]: merged */
	CHECK_OK(cidr_parse("ffff::/16", 0, &r[3]));
	struct cidr_set set;
	cidr_set_build(&set, r, 4);
	CHECK_INT(set.n, 3);
	struct cidr_ip ip;
	CHECK_OK(cidr_ip_parse("255.255.255.255", &ip));
	CHECK(cidr_set_contains(&set, &ip));
	CHECK_OK(cidr_ip_parse("10.200.0.1", &ip));
	CHECK(cidr_set_contains(&set, &ip));
	CHECK_OK(cidr_ip_parse("11.0.0.0", &ip));
	CHECK(!cidr_set_contains(&set, &ip));
	CHECK_OK(cidr_ip_parse("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", &ip));
	CHECK(cidr_set_contains(&set, &ip));
	CHECK_OK(cidr_ip_parse("::ffff:255.255.255.1", &ip));   /* mapped -> v4 */
	CHECK(cidr_set_contains(&set, &ip));
	CHECK_OK(cidr_ip_parse("9.255.255.255", &ip));
	CHECK(!cidr_set_contains(&set, &ip));
	cidr_set_cleanup(&set);
	cidr_set_build(&set, NULL, 0);
	CHECK(!cidr_set_contains(&set, &ip));
	cidr_set_cleanup(&set);
	cidr_set_cleanup(NULL);
}

static void named_location_mask_rule(void)
{
	struct named_location loc;
	named_location_init(&loc);
	CHECK_INT(named_location_add_range(&loc, "1.2.3.4/8"), TG_ERR_INVALID);  /* not > /8 */
	CHECK_INT(named_location_add_range(&loc, "0.0.0.0/0"), TG_ERR_INVALID);
	CHECK_INT(named_location_add_range(&loc, "2001::/8"), TG_ERR_INVALID);
	CHECK_INT(named_location_add_range(&loc, "1.2.3.4/33"), TG_ERR_INVALID);
	CHECK_INT(named_location_add_range(&loc, "1.2.3.4"), TG_ERR_INVALID);
	CHECK_OK(named_location_add_range(&loc, "1.2.3.4/9"));
	CHECK_OK(named_location_add_range(&loc, "192.168.0.0/16"));   /* private allowed */
	CHECK_OK(named_location_add_range(&loc, "192.168.7.7/16"));   /* duplicate after normalising */
	CHECK_OK(named_location_add_range(&loc, "2001:db8::/32"));
	CHECK_INT(loc.n_ranges, 3);
	struct cidr_ip ip;
	CHECK_OK(cidr_ip_parse("192.168.99.1", &ip));
	CHECK(named_location_contains(&loc, &ip));
	CHECK_OK(cidr_ip_parse("8.8.8.8", &ip));
	CHECK(!named_location_contains(&loc, &ip));

	const char *field;
	long idx;
	CHECK_INT(named_location_validate(&loc, &field, &idx), TG_ERR_INVALID);
	CHECK_STR(field, "displayName");
	CHECK_OK(named_location_set_display_name(&loc, "Office"));
	CHECK_OK(named_location_validate(&loc, &field, &idx));
	CHECK_INT(named_location_set_display_name(&loc, ""), TG_ERR_INVALID);
	CHECK_INT(named_location_set_display_name(&loc, "a\nb"), TG_ERR_INVALID);
	CHECK_STR(loc.display_name, "Office");

	CHECK(named_location_is_deletable(&loc));
	loc.is_trusted = true;
	CHECK(!named_location_is_deletable(&loc));

	struct named_location copy;
	named_location_dup(&copy, &loc);
	CHECK(named_location_equal(&copy, &loc));
	copy.ranges[0].prefix = 10;
	CHECK(!named_location_equal(&copy, &loc));
	/* a copy keeps growing safely (capacity rule shared with add) */
	for (unsigned i = 0; i < 40; i++) {
		char text[CIDR_STRLEN];
		snprintf(text, sizeof text, "172.16.%u.0/24", i);
		CHECK_OK(named_location_add_range(&copy, text));
	}
	CHECK_INT(copy.n_ranges, 43);
	named_location_cleanup(&copy);
	named_location_cleanup(&loc);
	named_location_cleanup(NULL);
}

static void named_location_range_limit(void)
{
	struct named_location loc;
	named_location_init(&loc);
	CHECK_OK(named_location_set_display_name(&loc, "Big"));
	for (unsigned i = 0; i < TG_MAX_LOCATION_RANGES; i++) {
		char text[CIDR_STRLEN];
		snprintf(text, sizeof text, "10.%u.%u.0/24", i / 256, i % 256);
		if (named_location_add_range(&loc, text) != TG_OK) {
			TG_T_FAIL("range %u refused", i);
			break;
		}
	}
	CHECK_INT(loc.n_ranges, TG_MAX_LOCATION_RANGES);
	CHECK_INT(named_location_add_range(&loc, "11.0.0.0/24"), TG_ERR_TOO_LARGE);
	CHECK_OK(named_location_add_range(&loc, "10.0.0.0/24"));   /* duplicate: no growth */
	CHECK_OK(named_location_validate(&loc, NULL, NULL));
	struct cidr_set set;
	cidr_set_build(&set, loc.ranges, loc.n_ranges);
	CHECK_INT(set.n, 1);   /* 10.0.0.0 .. 10.7.207.255, all touching */
	cidr_set_cleanup(&set);
	named_location_cleanup(&loc);
}

int main(void)
{
	TEST(good_ranges_normalise);
	TEST(bad_ranges_refused);
	TEST(flags_bare_and_strict);
	TEST(matching_edges);
	TEST(ip_parse_and_format);
	TEST(set_matches_linear_scan);
	TEST(set_edges);
	TEST(named_location_mask_rule);
	TEST(named_location_range_limit);
	return tg_test_done();
}
