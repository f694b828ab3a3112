/* SPDX-License-Identifier: MIT
 * Pure directory syntax: UPNs, domains, tenant names, password length
 * policy and the RFC 4180 CSV reader (quotes, CRLF, BOM, limits). */
#include "harness.h"
#include "base/err.h"
#include "base/limits.h"
#include "core/csv.h"
#include "core/password_policy.h"
#include "core/upn.h"

static void upns(void)
{
	char out[TG_MAX_UPN + 1];
	CHECK_OK(upn_normalize("Alice.Smith@Contoso.COM", out, sizeof out, NULL));
	CHECK_STR(out, "alice.smith@contoso.com");
	CHECK_OK(upn_normalize("o'neil_#1!^~@sub-1.contoso.se", out, sizeof out, NULL));
	const char *bad[] = {"", "@x.se", "a@", "a@@x.se", "a@b@x.se", ".a@x.se", "a.@x.se",
	                     "a..b@x.se", "a b@x.se", "a@x..se", "a@-x.se", "a@x-.se", "a@x_y.se",
	                     "å@x.se", "a\n@x.se"};
	for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		const char *why = NULL;
		if (upn_normalize(bad[i], out, sizeof out, &why) != TG_ERR_INVALID)
			TG_T_FAIL("accepted \"%s\"", bad[i]);
		else
			CHECK(why != NULL);
	}
	char longu[200];
	memset(longu, 'a', 65);
	memcpy(longu + 65, "@x.se", 6);
	CHECK_INT(upn_normalize(longu, out, sizeof out, NULL), TG_ERR_INVALID); /* local > 64 */
	memset(longu, 'a', 60);
	longu[60] = '@';
	memset(longu + 61, 'b', 60);
	memcpy(longu + 121, ".se", 4);
	CHECK_INT(upn_normalize(longu, out, sizeof out, NULL), TG_ERR_INVALID); /* total > 113 */
}

static void tenant_names(void)
{
	CHECK_OK(tenant_name_check("contoso-2", NULL));
	CHECK_INT(tenant_name_check("", NULL), TG_ERR_INVALID);
	CHECK_INT(tenant_name_check("-x", NULL), TG_ERR_INVALID);
	CHECK_INT(tenant_name_check("Contoso", NULL), TG_ERR_INVALID);
	CHECK_INT(tenant_name_check("a b", NULL), TG_ERR_INVALID);
}

static void password_lengths(void)
{
	CHECK_OK(password_policy_check("12345678", 8, NULL));
	CHECK_INT(password_policy_check("1234567", 7, NULL), TG_ERR_INVALID);
	/* 8 code points of 2 bytes each: counts characters, not bytes */
	const char *sv = "\xc3\xa5\xc3\xa4\xc3\xb6\xc3\xa5\xc3\xa4\xc3\xb6\xc3\xa5\xc3\xa4";
	CHECK_OK(password_policy_check(sv, strlen(sv), NULL));
	CHECK_INT(password_policy_check(sv, 14, NULL), TG_ERR_INVALID); /* 7 chars */
	char big[TG_MAX_PASSWORD_CHARS + 2];
	memset(big, 'x', sizeof big);
	CHECK_OK(password_policy_check(big, 256, NULL));               /* at least 256 allowed */
	CHECK_OK(password_policy_check(big, TG_MAX_PASSWORD_CHARS, NULL));
	CHECK_INT(password_policy_check(big, TG_MAX_PASSWORD_CHARS + 1, NULL), TG_ERR_INVALID);
	CHECK_INT(password_policy_check("abc\xffxyzzy", 9, NULL), TG_ERR_INVALID);
	/* no composition rules: all-lowercase is fine */
	CHECK_OK(password_policy_check("aaaaaaaaaaaa", 12, NULL));
}

static void csv_reader(void)
{
	const char *in = "\xef\xbb\xbf" "a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\n\n\"multi\nline\",2,3";
	struct csv_reader r;
	csv_init(&r, in, strlen(in));
	CHECK_OK(csv_next(&r));
	CHECK_INT(r.nfields, 3);
	CHECK_STR(r.fields[0], "a");
	CHECK_INT(r.line, 1);
	CHECK_OK(csv_next(&r));
	CHECK_INT(r.nfields, 3);
	CHECK_STR(r.fields[0], "x, y");
	CHECK_STR(r.fields[1], "say \"hi\"");
	CHECK_STR(r.fields[2], "");
	CHECK_INT(r.line, 2);
	CHECK_OK(csv_next(&r));
	CHECK_STR(r.fields[0], "multi\nline");
	CHECK_INT(r.line, 4);
	CHECK_INT(csv_next(&r), TG_ERR_NOT_FOUND);
	csv_cleanup(&r);

	const char *bad[] = {"\"open", "a\"b,c", "\"x\"y,z"};
	for (unsigned i = 0; i < 3; i++) {
		csv_init(&r, bad[i], strlen(bad[i]));
		CHECK_INT(csv_next(&r), TG_ERR_INVALID);
		CHECK(r.error != NULL);
		csv_cleanup(&r);
	}
	/* too many fields */
	char many[200] = "";
	for (int i = 0; i < TG_MAX_CSV_FIELDS + 1; i++)
		strcat(many, "x,"); /* test only */
	csv_init(&r, many, strlen(many));
	CHECK_INT(csv_next(&r), TG_ERR_TOO_LARGE);
	csv_cleanup(&r);
}

int main(void)
{
	TEST(upns);
	TEST(tenant_names);
	TEST(password_lengths);
	TEST(csv_reader);
	return tg_test_done();
}
