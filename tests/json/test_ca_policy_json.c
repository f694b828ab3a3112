/* SPDX-License-Identifier: MIT
 * Graph conditionalAccessPolicy JSON: the Graph documentation examples
 * (reference/entra.md §3.4, requests and 201 responses, in tests/json/fixtures)
 * round-trip (parse -> serialise -> parse gives an equal struct, and the
 * canonical text is stable), the request and its response parse to the
 * same policy, and bad documents of many kinds are refused with the exact
 * JSON path of the fault. */
#include "harness.h"
#include "base/err.h"
#include "base/limits.h"
#include "base/mem.h"
#include "base/str.h"
#include "json/ca_policy_json.h"

/* Read tests/json/fixtures/<name> (TG_TEST_SRCDIR, or the source tree when run
 * by hand from the build directory). Caller frees. */
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
	char *buf = xmalloc(TG_MAX_CA_POLICY_JSON + 1);
	size_t n = fread(buf, 1, TG_MAX_CA_POLICY_JSON, f);
	fclose(f);
	buf[n] = '\0';
	*len_out = n;
	return buf;
}

static int parse_str(const char *text, unsigned flags, struct ca_policy *p, struct json_err *e)
{
	return ca_policy_parse(text, strlen(text), flags, p, e);
}

/* parse -> text -> parse: equal structs, and text stable. */
static void round_trip(const char *name, unsigned flags)
{
	size_t len;
	char *text = load(name, &len);
	if (!text)
		return;
	struct ca_policy a, b;
	struct json_err e;
	int r = ca_policy_parse(text, len, flags, &a, &e);
	free(text);
	if (r != TG_OK) {
		TG_T_FAIL("%s refused at \"%s\": %s", name, e.path, e.message);
		return;
	}
	char *t1 = ca_policy_to_text(&a, true);
	r = parse_str(t1, flags | CA_JSON_READ_ONLY_FIELDS, &b, &e);
	if (r != TG_OK)
		TG_T_FAIL("%s: canonical output refused at \"%s\": %s\n%s", name, e.path, e.message, t1);
	else if (!ca_policy_equal(&a, &b))
		TG_T_FAIL("%s: parse(serialise(p)) != p\n%s", name, t1);
	char *t2 = ca_policy_to_text(&b, true);
	if (strcmp(t1, t2) != 0)
		TG_T_FAIL("%s: canonical text not stable\n%s\n---\n%s", name, t1, t2);
	char *c1 = ca_policy_to_text(&a, false);
	CHECK(strchr(c1, '\n') == NULL);
	free(c1);
	free(t1);
	free(t2);
	ca_policy_cleanup(&a);
	ca_policy_cleanup(&b);
}

static void graph_examples_round_trip(void)
{
	static const char *files[] = {
		"ca_example1_request.json", "ca_example1_response.json",
		"ca_example2_request.json", "ca_example2_response.json",
		"ca_example3_request.json", "ca_example3_response.json",
		"ca_example4_request.json", "ca_example4_response.json",
		"ca_export_risky_users.json", "ca_export_strength.json",
	};
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		round_trip(files[i], 0);
		round_trip(files[i], CA_JSON_READ_ONLY_FIELDS);
	}
}

static void request_equals_response(void)
{
	for (int i = 1; i <= 4; i++) {
		char rq[64], rs[64];
		snprintf(rq, sizeof rq, "ca_example%d_request.json", i);
		snprintf(rs, sizeof rs, "ca_example%d_response.json", i);
		size_t l1, l2;
		char *t1 = load(rq, &l1), *t2 = load(rs, &l2);
		struct ca_policy a, b;
		struct json_err e;
		if (t1 && t2) {
			CHECK_OK(ca_policy_parse(t1, l1, 0, &a, &e));
			CHECK_OK(ca_policy_parse(t2, l2, 0, &b, &e));
			if (!ca_policy_equal(&a, &b))
				TG_T_FAIL("example %d: request and response differ", i);
			ca_policy_cleanup(&a);
			ca_policy_cleanup(&b);
		}
		free(t1);
		free(t2);
	}
}

static void example1_canonical_text(void)
{
	size_t len;
	char *text = load("ca_example1_response.json", &len);
	char *want = load("ca_example1_canonical.json", &len);
	struct ca_policy p;
	struct json_err e;
	if (!text || !want)
		goto out;
	CHECK_OK(ca_policy_parse(text, strlen(text), CA_JSON_READ_ONLY_FIELDS, &p, &e));
	char *got = ca_policy_to_text(&p, true);
	/* the file ends with a newline; the serialiser does not */
	if (len > 0 && want[len - 1] == '\n')
		want[len - 1] = '\0';
	if (strcmp(got, want) != 0)
		TG_T_FAIL("canonical text differs:\n%s", got);
	CHECK_STR(p.id, "7359d0e0-d8a9-4afa-8a93-e23e099d7be8");
	CHECK_INT(p.created, 1571082720);   /* 2019-10-14T19:52:00Z, fraction dropped */
	CHECK_INT(p.modified, 0);
	free(got);
	ca_policy_cleanup(&p);
out:
	free(text);
	free(want);
}

static void read_only_fields_ignored_without_flag(void)
{
	size_t len;
	char *text = load("ca_export_strength.json", &len);
	struct ca_policy p;
	struct json_err e;
	if (!text)
		return;
	CHECK_OK(ca_policy_parse(text, len, 0, &p, &e));
	CHECK_STR(p.id, "");
	CHECK_INT(p.created, 0);
	CHECK_STR(p.grant.auth_strength, CA_STRENGTH_PHISHING_RESIST);
	CHECK_INT(p.grant.builtin, 0);
	CHECK(p.grant.present);
	CHECK(p.cond.devices.present);
	CHECK_INT(p.cond.devices.mode, CA_FILTER_EXCLUDE);
	CHECK_STR(p.cond.devices.rule, "device.extensionAttribute1 -eq \"SAW\"");
	CHECK_STR(p.cond.users.include_roles.v[1], "194ae4cb-b126-40b2-bd5b-6091b380977d");
	CHECK_INT(p.session.persistent_browser.mode, CA_BROWSER_NEVER);
	ca_policy_cleanup(&p);

	/* a garbage id is ignored on POST, refused when read-only fields are read */
	const char *doc = "{\"id\":\"garbage\",\"createdDateTime\":\"yesterday\","
	                  "\"displayName\":\"x\",\"state\":\"disabled\","
	                  "\"conditions\":{\"users\":{\"includeUsers\":[\"None\"]}}}";
	CHECK_OK(parse_str(doc, 0, &p, &e));
	ca_policy_cleanup(&p);
	CHECK_INT(parse_str(doc, CA_JSON_READ_ONLY_FIELDS, &p, &e), TG_ERR_INVALID);
	CHECK_STR(e.path, "id");
	free(text);
}

static void values_case_insensitive_output_canonical(void)
{
	const char *doc =
		"{\"displayName\":\"Case\",\"state\":\"ENABLEDFORREPORTINGBUTNOTENFORCED\","
		"\"conditions\":{\"clientAppTypes\":[\"BROWSER\",\"easunsupported\"],"
		"\"users\":{\"includeUsers\":[\"all\"],\"excludeUsers\":[\"guestsorexternalusers\","
		"\"3F0B7C55-1E0D-4A6F-8F0E-2A9B0C1D2E3F\"]},"
		"\"applications\":{\"includeApplications\":[\"microsoftadminportals\",\"OFFICE365\"]},"
		"\"platforms\":{\"includePlatforms\":[\"IOS\",\"MacOs\"]},"
		"\"locations\":{\"includeLocations\":[\"alltrusted\"]},"
		"\"signInRiskLevels\":[\"HIGH\"]},"
		"\"grantControls\":{\"operator\":\"or\",\"builtInControls\":[\"MFA\",\"CompliantDevice\"]},"
		"\"sessionControls\":{\"signInFrequency\":{\"isEnabled\":true,\"type\":\"DAYS\",\"value\":7,"
		"\"frequencyInterval\":\"TIMEBASED\"}}}";
	struct ca_policy p;
	struct json_err e;
	int r = parse_str(doc, 0, &p, &e);
	if (r != TG_OK) {
		TG_T_FAIL("refused at \"%s\": %s", e.path, e.message);
		return;
	}
	char *t = ca_policy_to_text(&p, false);
	static const char *expect[] = {
		"\"state\":\"enabledForReportingButNotEnforced\"",
		"\"clientAppTypes\":[\"browser\",\"exchangeActiveSync\"]",
		"\"includeUsers\":[\"All\"]",
		"\"excludeUsers\":[\"GuestsOrExternalUsers\",\"3f0b7c55-1e0d-4a6f-8f0e-2a9b0c1d2e3f\"]",
		"\"includeApplications\":[\"Office365\",\"MicrosoftAdminPortals\"]",
		"\"includePlatforms\":[\"iOS\",\"macOS\"]",
		"\"includeLocations\":[\"AllTrusted\"]",
		"\"signInRiskLevels\":[\"high\"]",
		"\"operator\":\"OR\"",
		"\"builtInControls\":[\"mfa\",\"compliantDevice\"]",
		"\"type\":\"days\"",
		"\"frequencyInterval\":\"timeBased\"",
	};
	for (size_t i = 0; i < sizeof expect / sizeof expect[0]; i++)
		if (!strstr(t, expect[i]))
			TG_T_FAIL("missing %s in\n%s", expect[i], t);
	free(t);
	ca_policy_cleanup(&p);
}

static void defaults_and_normalisation(void)
{
	struct ca_policy p;
	struct json_err e;
	/* clientAppTypes absent, null or [] -> all; empty grant -> null;
	 * empty locations -> not a condition; duplicates collapse */
	const char *docs[] = {
		"{\"displayName\":\"d\",\"state\":\"disabled\",\"conditions\":{\"users\":{\"includeUsers\":[\"None\"]}}}",
		"{\"displayName\":\"d\",\"state\":\"disabled\",\"conditions\":{\"clientAppTypes\":null,\"users\":{\"includeUsers\":[\"None\"]}}}",
		"{\"displayName\":\"d\",\"state\":\"disabled\",\"conditions\":{\"clientAppTypes\":[],\"users\":{\"includeUsers\":[\"None\",\"none\"]},"
		"\"locations\":{\"includeLocations\":[],\"excludeLocations\":[]},\"platforms\":null},"
		"\"grantControls\":{\"operator\":\"AND\",\"builtInControls\":[]},\"sessionControls\":{}}",
	};
	for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++) {
		if (parse_str(docs[i], 0, &p, &e) != TG_OK) {
			TG_T_FAIL("doc %zu refused at \"%s\": %s", i, e.path, e.message);
			continue;
		}
		CHECK_INT(p.cond.client_app_types, CA_CLIENT_ALL);
		CHECK(!p.grant.present);
		CHECK(!p.session.present);
		CHECK(!p.cond.locations.present);
		CHECK_INT(p.cond.users.include_kw, CA_USERS_NONE);
		char *t = ca_policy_to_text(&p, false);
		CHECK(strstr(t, "\"grantControls\":null") != NULL);
		CHECK(strstr(t, "\"sessionControls\":null") != NULL);
		CHECK(strstr(t, "\"clientAppTypes\":[\"all\"]") != NULL);
		CHECK(strstr(t, "\"locations\":null") != NULL);
		CHECK(strstr(t, "\"includeUsers\":[\"None\"]") != NULL);
		free(t);
		ca_policy_cleanup(&p);
	}
	const char *dup = "{\"displayName\":\"d\",\"state\":\"enabled\",\"conditions\":{\"users\":{\"includeGroups\":["
	                  "\"ba8e7ded-8b0f-4836-ba06-8ff1ecc5c8ba\",\"BA8E7DED-8B0F-4836-BA06-8FF1ECC5C8BA\"]}},"
	                  "\"grantControls\":{\"builtInControls\":[\"mfa\",\"mfa\"]}}";
	CHECK_OK(parse_str(dup, 0, &p, &e));
	CHECK_INT(p.cond.users.include_groups.n, 1);
	CHECK_INT(p.grant.op, CA_OP_OR);
	ca_policy_cleanup(&p);
}

/* ---- refusals -------------------------------------------------------------- */

#define HEAD "{\"displayName\":\"x\",\"state\":\"enabled\","
#define USERS_ALL "\"users\":{\"includeUsers\":[\"All\"]}"
#define APPS_ALL "\"applications\":{\"includeApplications\":[\"All\"]}"
#define COND(...) "\"conditions\":{" USERS_ALL "," APPS_ALL __VA_ARGS__ "}"
#define MFA "\"grantControls\":{\"operator\":\"OR\",\"builtInControls\":[\"mfa\"]}"
#define U1 "11111111-1111-4111-8111-111111111111"

static const struct bad {
	const char *doc;
	const char *path;
	int code;
} bad_docs[] = {
	/* structure */
	{"[]", "", TG_ERR_INVALID},
	{"", "", TG_ERR_INVALID},
	{"\"policy\"", "", TG_ERR_INVALID},
	{HEAD COND() "," MFA ",\"foo\":1}", "foo", TG_ERR_INVALID},
	{HEAD "\"conditions\":{\"users\":{\"includeUser\":[\"All\"]}}," MFA "}",
	 "conditions.users.includeUser", TG_ERR_INVALID},
	{HEAD COND(",\"clientApplications\":{\"includeServicePrincipals\":[\"All\"]}") "," MFA "}",
	 "conditions.clientApplications", TG_ERR_INVALID},
	{HEAD "\"conditions\":{\"users\":{\"includeUsers\":[\"All\"],\"includeGuestsOrExternalUsers\":"
	 "{\"guestOrExternalUserTypes\":\"b2bCollaborationGuest\"}}}," MFA "}",
	 "conditions.users.includeGuestsOrExternalUsers", TG_ERR_INVALID},
	{HEAD COND() ",\"grantControls\":{\"builtInControls\":[],\"authenticationStrength\":"
	 "{\"id\":\"00000000-0000-0000-0000-000000000002\",\"foo\":1}}}",
	 "grantControls.authenticationStrength.foo", TG_ERR_INVALID},
	/* wrong types */
	{"{\"displayName\":5,\"state\":\"enabled\"," COND() "," MFA "}", "displayName", TG_ERR_INVALID},
	{"{\"displayName\":\"x\",\"state\":true," COND() "," MFA "}", "state", TG_ERR_INVALID},
	{HEAD "\"conditions\":[]," MFA "}", "conditions", TG_ERR_INVALID},
	{HEAD "\"conditions\":{\"users\":{\"includeUsers\":\"All\"}}," MFA "}",
	 "conditions.users.includeUsers", TG_ERR_INVALID},
	{HEAD "\"conditions\":{\"users\":{\"includeUsers\":[\"" U1 "\",\"" U1 "\",7]}}," MFA "}",
	 "conditions.users.includeUsers[2]", TG_ERR_INVALID},
	{HEAD COND() ",\"grantControls\":{\"builtInControls\":\"mfa\"}}",
	 "grantControls.builtInControls", TG_ERR_INVALID},
	{HEAD COND() ",\"grantControls\":[\"mfa\"]}", "grantControls", TG_ERR_INVALID},
	{HEAD COND() "," MFA ",\"sessionControls\":{\"signInFrequency\":{\"isEnabled\":true,"
	 "\"type\":\"hours\",\"value\":4.5}}}", "sessionControls.signInFrequency.value", TG_ERR_INVALID},
	{HEAD COND() "," MFA ",\"sessionControls\":{\"signInFrequency\":{\"isEnabled\":true,"
	 "\"type\":\"hours\",\"value\":\"4\"}}}", "sessionControls.signInFrequency.value", TG_ERR_INVALID},
	{HEAD COND() "," MFA ",\"sessionControls\":{\"signInFrequency\":{\"isEnabled\":\"true\","
	 "\"type\":\"hours\",\"value\":4}}}", "sessionControls.signInFrequency.isEnabled", TG_ERR_INVALID},
	{HEAD COND() "," MFA ",\"sessionControls\":{\"disableResilienceDefaults\":\"no\"}}",
	 "sessionControls.disableResilienceDefaults", TG_ERR_INVALID},
	{HEAD COND(",\"devices\":{\"deviceFilter\":{\"mode\":\"include\",\"rule\":42}}") "," MFA "}",
	 "conditions.devices.deviceFilter.rule", TG_ERR_INVALID},
	/* bad enum values */
	{"{\"displayName\":\"x\",\"state\":\"on\"," COND() "," MFA "}", "state", TG_ERR_INVALID},
	{HEAD COND(",\"clientAppTypes\":[\"browser\",\"bogus\"]") "," MFA "}",
	 "conditions.clientAppTypes[1]", TG_ERR_INVALID},
	{HEAD COND(",\"clientAppTypes\":[\"all\",\"browser\"]") "," MFA "}",
	 "conditions.clientAppTypes[1]", TG_ERR_INVALID},
	{HEAD COND(",\"signInRiskLevels\":[\"unknownFutureValue\"]") "," MFA "}",
	 "conditions.signInRiskLevels[0]", TG_ERR_INVALID},
	{HEAD COND(",\"servicePrincipalRiskLevels\":[\"low\",\"hidden\"]") "," MFA "}",
	 "conditions.servicePrincipalRiskLevels[1]", TG_ERR_INVALID},
	{HEAD COND(",\"platforms\":{\"includePlatforms\":[\"all\"],\"excludePlatforms\":[\"all\"]}") "," MFA "}",
	 "conditions.platforms.excludePlatforms[0]", TG_ERR_INVALID},
	{HEAD COND(",\"platforms\":{\"includePlatforms\":[\"android\",\"chromeOS\"]}") "," MFA "}",
	 "conditions.platforms.includePlatforms[1]", TG_ERR_INVALID},
	{HEAD COND(",\"platforms\":{\"excludePlatforms\":[\"iOS\"]}") "," MFA "}",
	 "conditions.platforms.includePlatforms", TG_ERR_INVALID},
	{HEAD COND() ",\"grantControls\":{\"operator\":\"XOR\",\"builtInControls\":[\"mfa\"]}}",
	 "grantControls.operator", TG_ERR_INVALID},
	{HEAD COND() ",\"grantControls\":{\"builtInControls\":[\"mfa\",\"requireGPS\"]}}",
	 "grantControls.builtInControls[1]", TG_ERR_INVALID},
	{HEAD COND() "," MFA ",\"sessionControls\":{\"signInFrequency\":{\"isEnabled\":true,"
	 "\"frequencyInterval\":\"sometimes\"}}}", "sessionControls.signInFrequency.frequencyInterval",
	 TG_ERR_INVALID},
	{HEAD COND() "," MFA ",\"sessionControls\":{\"persistentBrowser\":{\"isEnabled\":true,"
	 "\"mode\":\"sometimes\"}}}", "sessionControls.persistentBrowser.mode", TG_ERR_INVALID},
	{HEAD COND(",\"devices\":{\"deviceFilter\":{\"mode\":\"both\",\"rule\":\"x\"}}") "," MFA "}",
	 "conditions.devices.deviceFilter.mode", TG_ERR_INVALID},
	{HEAD COND(",\"devices\":{\"deviceFilter\":{\"mode\":\"include\"}}") "," MFA "}",
	 "conditions.devices.deviceFilter.rule", TG_ERR_INVALID},
	{HEAD "\"conditions\":{" USERS_ALL ",\"applications\":{\"includeUserActions\":[\"urn:user:bogus\"]}}," MFA "}",
	 "conditions.applications.includeUserActions[0]", TG_ERR_INVALID},
	/* bad ids and keywords */
	{HEAD "\"conditions\":{\"users\":{\"includeUsers\":[\"" U1 "\",\"alice@example.com\"]}}," MFA "}",
	 "conditions.users.includeUsers[1]", TG_ERR_INVALID},
	{HEAD "\"conditions\":{\"users\":{\"includeGroups\":[\"1111111-1111-4111-8111-111111111111\"]}}," MFA "}",
	 "conditions.users.includeGroups[0]", TG_ERR_INVALID},
	{HEAD "\"conditions\":{\"users\":{\"includeRoles\":[\"All\"]}}," MFA "}",
	 "conditions.users.includeRoles[0]", TG_ERR_INVALID},
	{HEAD "\"conditions\":{\"users\":{\"includeUsers\":[\"All\"],\"excludeUsers\":[\"All\"]}}," MFA "}",
	 "conditions.users.excludeUsers[0]", TG_ERR_INVALID},
	{HEAD "\"conditions\":{\"users\":{\"includeUsers\":[\"All\",\"" U1 "\"]}}," MFA "}",
	 "conditions.users.includeUsers[1]", TG_ERR_INVALID},
	{HEAD "\"conditions\":{\"users\":{\"includeUsers\":[\"" U1 "\",\"None\"]}}," MFA "}",
	 "conditions.users.includeUsers[1]", TG_ERR_INVALID},
	{HEAD "\"conditions\":{" USERS_ALL ",\"applications\":{\"includeApplications\":[\"All\"],"
	 "\"excludeApplications\":[\"None\"]}}," MFA "}",
	 "conditions.applications.excludeApplications[0]", TG_ERR_INVALID},
	{HEAD COND(",\"locations\":{\"includeLocations\":[\"AllTrusted\",\"All\"]}") "," MFA "}",
	 "conditions.locations.includeLocations[1]", TG_ERR_INVALID},
	{HEAD COND(",\"locations\":{\"includeLocations\":[\"Anywhere\"]}") "," MFA "}",
	 "conditions.locations.includeLocations[0]", TG_ERR_INVALID},
	{HEAD COND() ",\"grantControls\":{\"builtInControls\":[\"mfa\"],\"termsOfUse\":[\"tou-1\"]}}",
	 "grantControls.termsOfUse[0]", TG_ERR_INVALID},
	{HEAD COND() ",\"grantControls\":{\"customAuthenticationFactors\":[\"ok\",\"not ok\"]}}",
	 "grantControls.customAuthenticationFactors[1]", TG_ERR_INVALID},
	{HEAD COND() ",\"grantControls\":{\"authenticationStrength\":{\"id\":\"phishing-resistant\"}}}",
	 "grantControls.authenticationStrength.id", TG_ERR_INVALID},
	{HEAD COND() ",\"grantControls\":{\"authenticationStrength\":{\"displayName\":\"MFA\"}}}",
	 "grantControls.authenticationStrength.id", TG_ERR_INVALID},
	/* Entra's rules (from the validator) */
	{"{\"displayName\":\"x\"," COND() "," MFA "}", "state", TG_ERR_INVALID},
	{"{\"state\":\"enabled\"," COND() "," MFA "}", "displayName", TG_ERR_INVALID},
	{"{\"displayName\":\"\",\"state\":\"enabled\"," COND() "," MFA "}", "displayName", TG_ERR_INVALID},
	{"{\"displayName\":\"x\",\"state\":\"enabled\"}", "", TG_ERR_INVALID},
	{HEAD COND() ",\"grantControls\":{\"builtInControls\":[\"mfa\"],\"authenticationStrength\":"
	 "{\"id\":\"00000000-0000-0000-0000-000000000002\"}}}",
	 "grantControls.authenticationStrength", TG_ERR_INVALID},
	{HEAD COND() ",\"grantControls\":{\"authenticationStrength\":{\"id\":\"" U1 "\"}}}",
	 "grantControls.authenticationStrength.id", TG_ERR_INVALID},
	{HEAD COND(",\"userRiskLevels\":[\"high\"]") ",\"grantControls\":{\"operator\":\"OR\","
	 "\"builtInControls\":[\"mfa\",\"passwordChange\"]}}", "grantControls.operator", TG_ERR_INVALID},
	{HEAD COND() ",\"grantControls\":{\"operator\":\"AND\",\"builtInControls\":[\"mfa\",\"passwordChange\"]}}",
	 "conditions.userRiskLevels", TG_ERR_INVALID},
	{HEAD COND(",\"userRiskLevels\":[\"high\"],\"locations\":{\"includeLocations\":[\"All\"]}")
	 ",\"grantControls\":{\"operator\":\"AND\",\"builtInControls\":[\"mfa\",\"passwordChange\"]}}",
	 "conditions.locations", TG_ERR_INVALID},
	{HEAD COND() ",\"grantControls\":{\"builtInControls\":[\"block\",\"mfa\"]}}",
	 "grantControls.builtInControls", TG_ERR_INVALID},
	{HEAD COND() "," MFA ",\"sessionControls\":{\"signInFrequency\":{\"isEnabled\":true,"
	 "\"type\":\"hours\",\"value\":24}}}", "sessionControls.signInFrequency.value", TG_ERR_INVALID},
	{HEAD COND() "," MFA ",\"sessionControls\":{\"signInFrequency\":{\"isEnabled\":true,"
	 "\"type\":\"days\",\"value\":366}}}", "sessionControls.signInFrequency.value", TG_ERR_INVALID},
	{HEAD COND() "," MFA ",\"sessionControls\":{\"signInFrequency\":{\"isEnabled\":true,"
	 "\"frequencyInterval\":\"everyTime\"}}}", "sessionControls.signInFrequency.frequencyInterval",
	 TG_ERR_INVALID},
	{HEAD "\"conditions\":{" USERS_ALL ",\"applications\":{\"includeUserActions\":"
	 "[\"urn:user:registersecurityinfo\"],\"includeApplications\":[\"All\"]}}," MFA "}",
	 "conditions.applications.includeUserActions", TG_ERR_INVALID},
	/* encoding, nesting, syntax, size */
	{"{\"displayName\":\"caf\xc3\",\"state\":\"enabled\"," COND() "," MFA "}", "displayName",
	 TG_ERR_INVALID},
	{HEAD "\"conditions\":{\"users\":{\"includeUsers\":[\"All\",\"\xff\xfe\"]}}," MFA "}",
	 "conditions.users.includeUsers[1]", TG_ERR_INVALID},
	{HEAD "\"conditions\":{\"users\":{\"incl\xe9udeUsers\":[\"All\"]}}," MFA "}",
	 "conditions.users", TG_ERR_INVALID},
	{HEAD "\"conditions\":{\"users\":{\"includeUsers\":[\"\xed\xa0\x80\"]}}," MFA "}",
	 "conditions.users.includeUsers[0]", TG_ERR_INVALID},   /* UTF-8 encoded surrogate */
	{"{\"displayName\":\"a\\u0000b\",\"state\":\"enabled\"," COND() "," MFA "}", "displayName",
	 TG_ERR_INVALID},
	{"{\"displayName\":\"\\ud800\",\"state\":\"enabled\"," COND() "," MFA "}", "displayName",
	 TG_ERR_INVALID},
	{"{\"displayName\":\"tab\\there\",\"state\":\"enabled\"," COND() "," MFA "}", "displayName",
	 TG_ERR_INVALID},
	{HEAD "\"conditions\":{\"users\":{\"includeUsers\":[\"All\",]}}," MFA "}",
	 "conditions.users.includeUsers[1]", TG_ERR_INVALID},
	{"{\"state\":\"enabled\",\"state\":\"disabled\",\"displayName\":\"x\"," COND() "," MFA "}",
	 "state", TG_ERR_INVALID},
	{HEAD COND() "," MFA "} trailing", "", TG_ERR_INVALID},
	/* the caller's value is echoed only when short and printable */
	{"{\"displayName\":\"x\",\"state\":\"\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9"
	 "\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9"
	 "\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\"," COND() "," MFA "}",
	 "state", TG_ERR_INVALID},
	{HEAD COND(",\"clientAppTypes\":[\"a\\nb\"]") "," MFA "}", "conditions.clientAppTypes[0]",
	 TG_ERR_INVALID},
};

static void bad_documents_refused_with_path(void)
{
	for (size_t i = 0; i < sizeof bad_docs / sizeof bad_docs[0]; i++) {
		struct ca_policy p;
		struct json_err e;
		memset(&e, 0x41, sizeof e);
		int r = parse_str(bad_docs[i].doc, 0, &p, &e);
		if (r != bad_docs[i].code) {
			TG_T_FAIL("doc %zu: code %d, expected %d (%s)", i, r, bad_docs[i].code,
			          bad_docs[i].doc);
			if (r == TG_OK)
				ca_policy_cleanup(&p);
			continue;
		}
		if (strcmp(e.path, bad_docs[i].path) != 0)
			TG_T_FAIL("doc %zu: path \"%s\" (%s), expected \"%s\"", i, e.path, e.message,
			          bad_docs[i].path);
		if (e.message[0] == '\0' || memchr(e.message, '\0', sizeof e.message) == NULL)
			TG_T_FAIL("doc %zu: no message", i);
		else if (!tg_utf8_valid(e.message, strlen(e.message), NULL) ||
		         !tg_utf8_valid(e.path, strlen(e.path), NULL))
			TG_T_FAIL("doc %zu: message or path not UTF-8", i);
		/* refused policy is left empty: nothing to free, nothing leaked */
		CHECK(p.display_name == NULL);
		CHECK_INT(p.cond.users.include_users.n, 0);
	}
}

static void list_limit_and_depth(void)
{
	struct ca_policy p;
	struct json_err e;
	struct tg_buf b;
	tg_buf_init(&b, TG_MAX_CA_POLICY_JSON);

	/* TG_MAX_CA_LIST ids accepted, one more refused at the list */
	for (int extra = 0; extra <= 1; extra++) {
		b.len = 0;
		CHECK_OK(tg_buf_appendf(&b, "%s", HEAD "\"conditions\":{\"users\":{\"includeGroups\":["));
		for (int i = 0; i < TG_MAX_CA_LIST + extra; i++)
			CHECK_OK(tg_buf_appendf(&b, "%s\"00000000-0000-4000-8000-%012d\"", i ? "," : "", i));
		CHECK_OK(tg_buf_appendf(&b, "%s", "]}}," MFA "}"));
		int r = ca_policy_parse(b.data, b.len, 0, &p, &e);
		if (extra == 0) {
			CHECK_OK(r);
			CHECK_INT(p.cond.users.include_groups.n, TG_MAX_CA_LIST);
			ca_policy_cleanup(&p);
		} else {
			CHECK_INT(r, TG_ERR_INVALID);
			CHECK_STR(e.path, "conditions.users.includeGroups");
		}
	}

	/* nesting: 32 levels are parsed (then refused as unknown), 33 are not */
	char want[TG_MAX_ERR_PATH];
	for (int depth = TG_MAX_JSON_DEPTH; depth <= TG_MAX_JSON_DEPTH + 1; depth++) {
		b.len = 0;
		CHECK_OK(tg_buf_appendf(&b, "%s", "{\"displayName\":"));
		for (int i = 1; i < depth; i++)
			CHECK_OK(tg_buf_append(&b, "[", 1));
		for (int i = 1; i < depth; i++)
			CHECK_OK(tg_buf_append(&b, "]", 1));
		CHECK_OK(tg_buf_append(&b, "}", 1));
		int r = ca_policy_parse(b.data, b.len, 0, &p, &e);
		CHECK_INT(r, TG_ERR_INVALID);
		if (depth == TG_MAX_JSON_DEPTH) {
			CHECK_STR(e.path, "displayName");
			CHECK(strstr(e.message, "string") != NULL);
		} else {
			/* the 33rd level opens inside 31 nested arrays */
			snprintf(want, sizeof want, "displayName");
			for (int i = 0; i < TG_MAX_JSON_DEPTH - 1; i++)
				tg_strlcpy(want + strlen(want), "[0]", sizeof want - strlen(want));
			CHECK_STR(e.path, want);
			CHECK(strstr(e.message, "nested") != NULL);
		}
	}

	/* deep nesting inside an unsupported member is refused before anything else */
	b.len = 0;
	CHECK_OK(tg_buf_appendf(&b, "%s", HEAD "\"conditions\":{\"times\":"));
	for (int i = 0; i < 100; i++)
		CHECK_OK(tg_buf_append(&b, "{\"a\":", 5));
	CHECK_OK(tg_buf_append(&b, "1", 1));
	for (int i = 0; i < 100; i++)
		CHECK_OK(tg_buf_append(&b, "}", 1));
	CHECK_OK(tg_buf_appendf(&b, "%s", "}}"));
	CHECK_INT(ca_policy_parse(b.data, b.len, 0, &p, &e), TG_ERR_INVALID);
	CHECK(strncmp(e.path, "conditions.times.a.a.a", 22) == 0);

	/* over the document size limit */
	CHECK_INT(ca_policy_parse(b.data, TG_MAX_CA_POLICY_JSON + 1, 0, &p, &e), TG_ERR_TOO_LARGE);
	CHECK_STR(e.path, "");
	tg_buf_cleanup(&b);
}

static void annotations_and_ignored_members(void)
{
	const char *doc =
		"{\"@odata.context\":\"x\",\"@odata.type\":\"#microsoft.graph.conditionalAccessPolicy\","
		"\"templateId\":\"c7503427-338e-4c5e-902d-abe252abfb43\",\"description\":null,"
		"\"displayName\":\"x\",\"state\":\"enabled\","
		"\"conditions\":{\"@odata.type\":\"#microsoft.graph.conditionalAccessConditionSet\","
		"\"times\":null,\"deviceStates\":null,\"insiderRiskLevels\":null,"
		"\"users\":{\"includeUsers\":[\"All\"],\"includeUsers@odata.type\":\"#Collection(String)\"},"
		"\"applications\":{\"includeApplications\":[\"All\"],\"includeProtectionLevels\":[],"
		"\"applicationFilter\":null,\"includeAuthenticationContextClassReferences\":[]},"
		"\"devices\":{\"includeDevices\":[],\"deviceFilter\":null}},"
		MFA "}";
	struct ca_policy p;
	struct json_err e;
	int r = parse_str(doc, 0, &p, &e);
	if (r != TG_OK)
		TG_T_FAIL("refused at \"%s\": %s", e.path, e.message);
	else
		CHECK(!p.cond.devices.present);
	ca_policy_cleanup(&p);
}

static void from_json_without_validation(void)
{
	/* ca_policy_from_json checks shape only: an invalid combination passes
	 * and ca_policy_validate() then names it */
	json_error_t je;
	json_t *root = json_loads(HEAD COND() ",\"grantControls\":{\"builtInControls\":[\"block\",\"mfa\"]}}",
	                          0, &je);
	REQUIRE(root != NULL);
	struct ca_policy p;
	struct json_err e;
	CHECK_OK(ca_policy_from_json(root, 0, &p, &e));
	struct ca_error ce;
	CHECK_INT(ca_policy_validate(&p, &ce), TG_ERR_INVALID);
	CHECK_STR(ce.path, "grantControls.builtInControls");
	json_t *out = ca_policy_to_json(&p);
	CHECK(json_is_object(json_object_get(out, "grantControls")));
	json_decref(out);
	ca_policy_cleanup(&p);
	json_decref(root);
}

int main(void)
{
	TEST(graph_examples_round_trip);
	TEST(request_equals_response);
	TEST(example1_canonical_text);
	TEST(read_only_fields_ignored_without_flag);
	TEST(values_case_insensitive_output_canonical);
	TEST(defaults_and_normalisation);
	TEST(bad_documents_refused_with_path);
	TEST(list_limit_and_depth);
	TEST(annotations_and_ignored_members);
	TEST(from_json_without_validation);
	return tg_test_done();
}
