/* SPDX-License-Identifier: MIT
 * Graph ipNamedLocation JSON: Graph's own POST example (reference/entra.md
 * §3.1) parses, normalises its ranges and round-trips; "@odata.type" is
 * required on the location and on each range; bad documents are refused
 * with the JSON path. */
#include "harness.h"
#include "base/err.h"
#include "base/limits.h"
#include "base/mem.h"
#include "base/str.h"
#include "json/named_location_json.h"

static char *load(const char *name, size_t *len_out)
{
	const char *src = getenv("TG_TEST_SRCDIR");
	char path[1024];
	snprintf(path, sizeof path, "%s/tests/json/fixtures/%s", src ? src : "..", name);
	FILE *f = fopen(path, "rb");
	if (!f) {
		TG_T_FAIL("cannot open %s", path);
		return NULL;
	}
	char *buf = xmalloc(65536);
	size_t n = fread(buf, 1, 65535, f);
	fclose(f);
	buf[n] = '\0';
	*len_out = n;
	return buf;
}

static int parse(const char *text, unsigned flags, struct named_location *loc, struct json_err *e)
{
	return named_location_parse(text, strlen(text), flags, loc, e);
}

static void graph_example(void)
{
	size_t len;
	char *text = load("named_location_example.json", &len);
	struct named_location a, b;
	struct json_err e;
	if (!text)
		return;
	int r = named_location_parse(text, len, 0, &a, &e);
	free(text);
	if (r != TG_OK) {
		TG_T_FAIL("refused at \"%s\": %s", e.path, e.message);
		return;
	}
	CHECK_STR(a.display_name, "Untrusted IP named location");
	CHECK(!a.is_trusted);
	REQUIRE(a.n_ranges == 2);
	char buf[CIDR_STRLEN];
	cidr_format(&a.ranges[0], buf);
	CHECK_STR(buf, "12.34.220.0/22");
	cidr_format(&a.ranges[1], buf);
	CHECK_STR(buf, "2001:0:9d38:90d6::/63");

	char *t1 = named_location_to_text(&a, false);
	CHECK_STR(t1, "{\"@odata.type\":\"#microsoft.graph.ipNamedLocation\",\"id\":null,"
	              "\"displayName\":\"Untrusted IP named location\",\"createdDateTime\":null,"
	              "\"modifiedDateTime\":null,\"isTrusted\":false,\"ipRanges\":["
	              "{\"@odata.type\":\"#microsoft.graph.iPv4CidrRange\",\"cidrAddress\":\"12.34.220.0/22\"},"
	              "{\"@odata.type\":\"#microsoft.graph.iPv6CidrRange\",\"cidrAddress\":\"2001:0:9d38:90d6::/63\"}]}");
	CHECK_OK(parse(t1, NAMED_LOCATION_JSON_READ_ONLY_FIELDS, &b, &e));
	CHECK(named_location_equal(&a, &b));
	char *t2 = named_location_to_text(&b, false);
	CHECK_STR(t2, t1);
	free(t1);
	free(t2);
	named_location_cleanup(&b);

	/* with read-only fields (the store reading its own output) */
	memcpy(a.id, "0a1b2c3d-0000-4000-8000-000000000001", TG_MAX_ID + 1);
	a.created = 1700000000;
	a.is_trusted = true;
	t1 = named_location_to_text(&a, true);
	CHECK_OK(parse(t1, NAMED_LOCATION_JSON_READ_ONLY_FIELDS, &b, &e));
	CHECK(named_location_equal(&a, &b));
	named_location_cleanup(&b);
	CHECK_OK(parse(t1, 0, &b, &e));   /* ignored on POST */
	CHECK_STR(b.id, "");
	CHECK_INT(b.created, 0);
	free(t1);
	named_location_cleanup(&b);
	named_location_cleanup(&a);
}

static void lenient_spellings(void)
{
	struct named_location loc;
	struct json_err e;
	const char *doc =
		"{\"@odata.type\":\"microsoft.graph.IPNAMEDLOCATION\",\"displayName\":\"Office LAN\","
		"\"isTrusted\":true,\"ipRanges\":[{\"@odata.type\":\"#Microsoft.Graph.IPv4CidrRange\","
		"\"cidrAddress\":\"192.168.0.0/16\"},{\"@odata.type\":\"#microsoft.graph.iPv6CidrRange\","
		"\"cidrAddress\":\"FD00:1::/48\"},{\"@odata.type\":\"#microsoft.graph.iPv4CidrRange\","
		"\"cidrAddress\":\"192.168.1.1/16\"}]}";
	int r = parse(doc, 0, &loc, &e);
	if (r != TG_OK) {
		TG_T_FAIL("refused at \"%s\": %s", e.path, e.message);
		return;
	}
	CHECK(loc.is_trusted);
	CHECK_INT(loc.n_ranges, 2);   /* duplicate after normalising dropped */
	struct cidr_ip ip;
	CHECK_OK(cidr_ip_parse("fd00:1::5", &ip));
	CHECK(named_location_contains(&loc, &ip));
	named_location_cleanup(&loc);
}

#define V4(c) "{\"@odata.type\":\"#microsoft.graph.iPv4CidrRange\",\"cidrAddress\":\"" c "\"}"
#define V6(c) "{\"@odata.type\":\"#microsoft.graph.iPv6CidrRange\",\"cidrAddress\":\"" c "\"}"
#define LOC "{\"@odata.type\":\"#microsoft.graph.ipNamedLocation\",\"displayName\":\"L\","

static const struct {
	const char *doc;
	const char *path;
} bad[] = {
	{"{\"displayName\":\"L\",\"ipRanges\":[" V4("10.0.0.0/16") "]}", "@odata.type"},
	{"{\"@odata.type\":\"#microsoft.graph.countryNamedLocation\",\"displayName\":\"L\","
	 "\"countriesAndRegions\":[\"SE\"]}", "@odata.type"},
	{"{\"@odata.type\":\"#microsoft.graph.namedLocation\",\"displayName\":\"L\"}", "@odata.type"},
	{"{\"@odata.type\":7,\"displayName\":\"L\"}", "@odata.type"},
	{LOC "\"ipRanges\":[" V4("10.0.0.0/16") ",{\"cidrAddress\":\"10.1.0.0/16\"}]}",
	 "ipRanges[1].@odata.type"},
	{LOC "\"ipRanges\":[{\"@odata.type\":\"#microsoft.graph.iPv5CidrRange\",\"cidrAddress\":\"10.1.0.0/16\"}]}",
	 "ipRanges[0].@odata.type"},
	{LOC "\"ipRanges\":[" V4("2001:db8::/32") "]}", "ipRanges[0].cidrAddress"},
	{LOC "\"ipRanges\":[" V6("10.0.0.0/16") "]}", "ipRanges[0].cidrAddress"},
	{LOC "\"ipRanges\":[" V4("10.0.0.0/16") "," V4("1.2.3.4/8") "]}", "ipRanges[1].cidrAddress"},
	{LOC "\"ipRanges\":[" V6("2001::/8") "]}", "ipRanges[0].cidrAddress"},
	{LOC "\"ipRanges\":[" V4("1.2.3.4/33") "]}", "ipRanges[0].cidrAddress"},
	{LOC "\"ipRanges\":[" V4("1.2.3/24") "]}", "ipRanges[0].cidrAddress"},
	{LOC "\"ipRanges\":[" V6("::1/129") "]}", "ipRanges[0].cidrAddress"},
	{LOC "\"ipRanges\":[" V4("1.2.3.4") "]}", "ipRanges[0].cidrAddress"},
	{LOC "\"ipRanges\":[" V4("garbage") "]}", "ipRanges[0].cidrAddress"},
	{LOC "\"ipRanges\":[{\"@odata.type\":\"#microsoft.graph.iPv4CidrRange\"}]}",
	 "ipRanges[0].cidrAddress"},
	{LOC "\"ipRanges\":[{\"@odata.type\":\"#microsoft.graph.iPv4CidrRange\",\"cidrAddress\":167772160}]}",
	 "ipRanges[0].cidrAddress"},
	{LOC "\"ipRanges\":[{\"@odata.type\":\"#microsoft.graph.iPv4CidrRange\",\"cidrAddress\":\"10.0.0.0/16\","
	 "\"note\":\"x\"}]}", "ipRanges[0].note"},
	{LOC "\"ipRanges\":[\"10.0.0.0/16\"]}", "ipRanges[0]"},
	{LOC "\"ipRanges\":[]}", "ipRanges"},
	{LOC "\"ipRanges\":null}", "ipRanges"},
	{LOC "\"ipRanges\":{}}", "ipRanges"},
	{LOC "\"isTrusted\":\"yes\",\"ipRanges\":[" V4("10.0.0.0/16") "]}", "isTrusted"},
	{LOC "\"countriesAndRegions\":[],\"ipRanges\":[" V4("10.0.0.0/16") "]}", "countriesAndRegions"},
	{"{\"@odata.type\":\"#microsoft.graph.ipNamedLocation\",\"ipRanges\":[" V4("10.0.0.0/16") "]}",
	 "displayName"},
	{"{\"@odata.type\":\"#microsoft.graph.ipNamedLocation\",\"displayName\":\"\",\"ipRanges\":["
	 V4("10.0.0.0/16") "]}", "displayName"},
	{"{\"@odata.type\":\"#microsoft.graph.ipNamedLocation\",\"displayName\":\"\xc0\xaf\",\"ipRanges\":["
	 V4("10.0.0.0/16") "]}", "displayName"},
	{"[]", ""},
};

static void bad_documents_refused_with_path(void)
{
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct named_location loc;
		struct json_err e;
		int r = parse(bad[i].doc, 0, &loc, &e);
		if (r != TG_ERR_INVALID) {
			TG_T_FAIL("doc %zu: code %d (%s)", i, r, bad[i].doc);
			if (r == TG_OK)
				named_location_cleanup(&loc);
			continue;
		}
		if (strcmp(e.path, bad[i].path) != 0)
			TG_T_FAIL("doc %zu: path \"%s\" (%s), expected \"%s\"", i, e.path, e.message,
			          bad[i].path);
		CHECK(loc.display_name == NULL && loc.n_ranges == 0);
	}
}

static void range_count_limit(void)
{
	struct tg_buf b;
	struct named_location loc;
	struct json_err e;
	tg_buf_init(&b, TG_MAX_HTTP_BODY);
	for (int extra = 0; extra <= 1; extra++) {
		b.len = 0;
		CHECK_OK(tg_buf_appendf(&b, "%s", LOC "\"ipRanges\":["));
		for (int i = 0; i < TG_MAX_LOCATION_RANGES + extra; i++)
			CHECK_OK(tg_buf_appendf(&b, "%s" V4("10.%d.%d.0/24"), i ? "," : "", i / 256, i % 256));
		CHECK_OK(tg_buf_appendf(&b, "%s", "]}"));
		int r = named_location_parse(b.data, b.len, 0, &loc, &e);
		if (extra == 0) {
			CHECK_OK(r);
			CHECK_INT(loc.n_ranges, TG_MAX_LOCATION_RANGES);
			named_location_cleanup(&loc);
		} else {
			CHECK_INT(r, TG_ERR_INVALID);
			CHECK_STR(e.path, "ipRanges");
		}
	}
	tg_buf_cleanup(&b);
}

int main(void)
{
	TEST(graph_example);
	TEST(lenient_spellings);
	TEST(bad_documents_refused_with_path);
	TEST(range_count_limit);
	return tg_test_done();
}
