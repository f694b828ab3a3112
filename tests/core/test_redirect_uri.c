/* SPDX-License-Identifier: MIT
 * Redirect URI validation (core/redirect_uri.c) as a table: https anywhere,
 * http only for loopback hosts, no fragments, no user information, one
 * canonical spelling, RFC 3986 characters only. */
#include "harness.h"
#include "base/err.h"
#include "base/limits.h"
#include "core/redirect_uri.h"

static const struct {
	const char *uri;
	int ok;
	const char *why_has;   /* part of the reason when refused */
} table[] = {
	{"https://app.contoso.com/callback", 1, NULL},
	{"https://app.contoso.com", 1, NULL},
	{"https://app.contoso.com/", 1, NULL},
	{"https://app.contoso.com:8443/cb?x=1&y=%20", 1, NULL},
	{"https://10.0.0.5/cb", 1, NULL},
	{"https://[2001:db8::1]:443/cb", 1, NULL},
	{"https://xn--bcher-kva.example/cb", 1, NULL},
	{"https://a.example/p/a-b_c~d.e!$&'()*+,;=:@/", 1, NULL},
	{"http://127.0.0.1/cb", 1, NULL},
	{"http://127.0.0.1:8400/cb", 1, NULL},
	{"http://[::1]:8400/cb", 1, NULL},
	{"http://localhost:3000/cb", 1, NULL},
	{"http://localhost", 1, NULL},
	/* refused */
	{"", 0, "empty"},
	{"http://example.com/cb", 0, "only for 127.0.0.1"},
	{"http://127.0.0.2/cb", 0, "only for 127.0.0.1"},
	{"http://localhost.evil.com/cb", 0, "only for 127.0.0.1"},
	{"http://[::2]/cb", 0, "only for 127.0.0.1"},
	{"https://app.contoso.com/cb#frag", 0, "fragment"},
	{"https://app.contoso.com/cb#", 0, "fragment"},
	{"HTTPS://app.contoso.com/cb", 0, "lowercase"},
	{"https://App.Contoso.com/cb", 0, "lowercase"},
	{"https://[2001:DB8::1]/cb", 0, "lowercase"},
	{"ftp://app.contoso.com/cb", 0, "must start with https://"},
	{"javascript:alert(1)", 0, "must start with https://"},
	{"com.example.app:/callback", 0, "must start with https://"},
	{"/relative/path", 0, "must start with https://"},
	{"https://", 0, "no host"},
	{"https:///cb", 0, "no host"},
	{"https://:443/cb", 0, "no host"},
	{"https://user:pw@app.contoso.com/cb", 0, "user information"},
	{"https://app.contoso.com@evil.com/cb", 0, "user information"},
	{"https://app.contoso.com:0/cb", 0, "port"},
	{"https://app.contoso.com:65536/cb", 0, "port"},
	{"https://app.contoso.com:08/cb", 0, "port"},
	{"https://app.contoso.com:/cb", 0, "port"},
	{"https://app.contoso.com:x/cb", 0, "port"},
	{"https://app..contoso.com/cb", 0, "empty label"},
	{"https://.contoso.com/cb", 0, "empty label"},
	{"https://contoso.com./cb", 0, "empty label"},
	{"https://-a.contoso.com/cb", 0, "'-'"},
	{"https://a_b.contoso.com/cb", 0, "not a DNS name"},
	{"https://*.contoso.com/cb", 0, "not a DNS name"},
	{"https://[2001:db8::1/cb", 0, "IPv6"},
	{"https://[2001:db8::1]x/cb", 0, "IPv6"},
	{"https://[]/cb", 0, "IPv6"},
	{"https://app.contoso.com/a b", 0, "space"},
	{"https://app.contoso.com/\x01", 0, "control"},
	{"https://app.contoso.com/caf\xc3\xa9", 0, "non-ASCII"},
	{"https://app.contoso.com/a\\b", 0, "percent-encoded"},
	{"https://app.contoso.com/<x>", 0, "percent-encoded"},
	{"https://app.contoso.com/a%2", 0, "%XX"},
	{"https://app.contoso.com/a%zz", 0, "%XX"},
	{"https://app.contoso.com/../cb", 0, "segments"},
	{"https://app.contoso.com/a/./cb", 0, "segments"},
	{"https://app.contoso.com/a/..", 0, "segments"},
};

static void table_cases(void)
{
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
		const char *why = NULL;
		int r = redirect_uri_check(table[i].uri, &why);
		if (table[i].ok && r != TG_OK)
			TG_T_FAIL("refused \"%s\": %s", table[i].uri, why ? why : "?");
		if (!table[i].ok) {
			if (r != TG_ERR_INVALID)
				TG_T_FAIL("accepted \"%s\"", table[i].uri);
			else if (!why || !strstr(why, table[i].why_has))
				TG_T_FAIL("\"%s\": reason \"%s\" lacks \"%s\"", table[i].uri,
				          why ? why : "(null)", table[i].why_has);
		}
	}
}

static void length_limit(void)
{
	char uri[TG_MAX_REDIRECT_URI + 2];
	memcpy(uri, "https://a.example/", 18);
	memset(uri + 18, 'x', sizeof uri - 18);
	uri[TG_MAX_REDIRECT_URI] = '\0';
	CHECK_INT(redirect_uri_check(uri, NULL), TG_OK);
	uri[TG_MAX_REDIRECT_URI] = 'x';
	uri[TG_MAX_REDIRECT_URI + 1] = '\0';
	const char *why = NULL;
	CHECK_INT(redirect_uri_check(uri, &why), TG_ERR_INVALID);
	CHECK(why && strstr(why, "longer"));
	CHECK_INT(redirect_uri_check(NULL, NULL), TG_ERR_INVALID);
}

static void loopback_hosts(void)
{
	CHECK(redirect_uri_is_loopback_host("127.0.0.1", 9));
	CHECK(redirect_uri_is_loopback_host("[::1]", 5));
	CHECK(redirect_uri_is_loopback_host("localhost", 9));
	CHECK(!redirect_uri_is_loopback_host("localhos", 8));
	CHECK(!redirect_uri_is_loopback_host("127.0.0.10", 10));
}

int main(void)
{
	TEST(table_cases);
	TEST(length_limit);
	TEST(loopback_hosts);
	return tg_test_done();
}
