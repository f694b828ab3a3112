/* SPDX-License-Identifier: MIT
 * Email address syntax: accepted and refused forms, length limits at their
 * exact edges, and normalisation. */
#include "harness.h"
#include "base/err.h"
#include "base/mem.h"
#include "core/email_addr.h"

static const char *const good[] = {
	"helga@contoso.com",
	"Helga.Svensson@Contoso.COM",
	"a@b.co",
	"first.last+tag@sub.example.org",
	"o'brien@example.ie",
	"x!#$%&'*+/=?^_`{|}~-y@example.com",
	"user@xn--rksmrgs-5wao1o.se",
	"1234@example.com",
	"u@a-b.c-d.example",
	"u@123.example.com",
};

static const char *const bad[] = {
	"",
	"plainaddress",
	"@example.com",
	"user@",
	"user@@example.com",
	"us@er@example.com",
	".user@example.com",
	"user.@example.com",
	"us..er@example.com",
	"user@localhost",          /* single label */
	"user@example..com",
	"user@.example.com",
	"user@example.com.",
	"user@-example.com",
	"user@example-.com",
	"user@exa_mple.com",
	"user@[192.0.2.1]",
	"user@192.0.2.1",          /* numeric TLD */
	"\"quoted\"@example.com",
	"us er@example.com",
	"user@exam ple.com",
	" user@example.com",       /* untrimmed (normalize trims) */
	"user@example.com\n",
	"us(comment)er@example.com",
	"us,er@example.com",
	"us\\er@example.com",
	"j\xc3\xb6ns@example.se",  /* non-ASCII local part */
	"user@\xc3\xa5re.se",      /* non-ASCII domain */
};

static void accepts_good(void)
{
	for (size_t i = 0; i < TG_ARRAY_LEN(good); i++) {
		const char *why = NULL;
		int r = email_addr_check(good[i], &why);
		if (r != TG_OK)
			TG_T_FAIL("\"%s\" refused: %s", good[i], why ? why : "?");
		CHECK(email_addr_is_valid(good[i]));
	}
}

static void refuses_bad(void)
{
	for (size_t i = 0; i < TG_ARRAY_LEN(bad); i++) {
		const char *why = NULL;
		int r = email_addr_check(bad[i], &why);
		if (r != TG_ERR_INVALID)
			TG_T_FAIL("\"%s\" gave %d, expected TG_ERR_INVALID", bad[i], r);
		CHECK(why != NULL);
		CHECK(!email_addr_is_valid(bad[i]));
	}
}

static void length_edges(void)
{
	char s[400];
	/* local part: 64 ok, 65 too long */
	memset(s, 'a', 64);
	memcpy(s + 64, "@example.com", sizeof "@example.com");
	CHECK_OK(email_addr_check(s, NULL));
	memset(s, 'a', 65);
	memcpy(s + 65, "@example.com", sizeof "@example.com");
	CHECK_INT(email_addr_check(s, NULL), TG_ERR_TOO_LARGE);
	/* a domain label: 63 ok, 64 not */
	memcpy(s, "u@", 2);
	memset(s + 2, 'b', 63);
	memcpy(s + 65, ".com", sizeof ".com");
	CHECK_OK(email_addr_check(s, NULL));
	memset(s + 2, 'b', 64);
	memcpy(s + 66, ".com", sizeof ".com");
	CHECK_INT(email_addr_check(s, NULL), TG_ERR_INVALID);
	/* whole address: exactly 254 ok, 255 too long (labels of 50) */
	size_t o = 0;
	memset(s, 'l', 64);
	o = 64;
	s[o++] = '@';
	while (o < 254) {
		size_t take = 254 - o >= 51 ? 50 : 254 - o - 1;
		if (o != 65)
			s[o++] = '.';
		memset(s + o, 'd', take);
		o += take;
	}
	s[o] = '\0';
	REQUIRE(strlen(s) == 254 || strlen(s) == 255);
	if (strlen(s) == 255)
		s[--o] = '\0';
	CHECK_INT(strlen(s), 254);
	CHECK_OK(email_addr_check(s, NULL));
	s[o] = 'e';
	s[o + 1] = '\0';
	CHECK_INT(email_addr_check(s, NULL), TG_ERR_TOO_LARGE);
}

static void normalizes(void)
{
	char out[EMAIL_ADDR_SIZE];
	const char *why = NULL;
	CHECK_OK(email_addr_normalize("  Helga.Svensson@Contoso.COM\t", out, &why));
	CHECK_STR(out, "Helga.Svensson@contoso.com");
	CHECK_INT(email_addr_normalize("not an address", out, &why), TG_ERR_INVALID);
	CHECK_STR(out, "");
	CHECK(why != NULL);
	char big[600];
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	CHECK_INT(email_addr_normalize(big, out, NULL), TG_ERR_TOO_LARGE);
}

int main(void)
{
	TEST(accepts_good);
	TEST(refuses_bad);
	TEST(length_edges);
	TEST(normalizes);
	return tg_test_done();
}
