/* SPDX-License-Identifier: MIT
 * Phone numbers: Entra's own examples stay as they are, typed variants
 * normalise to the canonical form, bad formats are refused; phone types,
 * their fixed ids and the channels each allows. */
#include "harness.h"
#include "base/err.h"
#include "base/mem.h"
#include "core/phone.h"

static const struct {
	const char *in, *out;
} good[] = {
	/* reference/entra.md §4.1 examples: already canonical */
	{"+1 5555551234", "+1 5555551234"},
	{"+1 5555551234x123", "+1 5555551234x123"},
	{"+1 2065555555", "+1 2065555555"},
	{"+46 701234567x12", "+46 701234567x12"},
	/* typed variants */
	{"+15555551234", "+1 5555551234"},
	{"+1 (555) 555-1234", "+1 5555551234"},
	{"+1.555.555.1234", "+1 5555551234"},
	{"  +46 70-123 45 67 ", "+46 701234567"},
	{"+46701234567", "+46 701234567"},
	{"+4 6701234567", "+46 701234567"},       /* the split comes from the table */
	{"+44 (0)20 7946 0000", "+44 2079460000"}, /* trunk "(0)" dropped */
	{"+44 (0) 20 7946 0000", "+44 2079460000"},
	{"+1 555 555 1234 x 12", "+1 5555551234x12"},
	{"+1 555 555 1234 X12", "+1 5555551234x12"},
	{"+1 555 555 1234 ext. 77", "+1 5555551234x77"},
	{"+1 555 555 1234 EXT 77", "+1 5555551234x77"},
	{"+1 5555551234ext9", "+1 5555551234x9"},
	/* one-, two- and three-digit country codes */
	{"+7 4951234567", "+7 4951234567"},
	{"+358401234567", "+358 401234567"},       /* Finland: 35x is 3 digits */
	{"+3545511234", "+354 5511234"},           /* Iceland */
	{"+2348031234567", "+234 8031234567"},     /* Nigeria: 23x */
	{"+27821234567", "+27 821234567"},         /* South Africa: 27 is 2 */
	{"+6834002", "+683 4002"},                 /* Niue: 4-digit numbers */
	{"+861012345678", "+86 1012345678"},
	{"+886912345678", "+886 912345678"},       /* 88x is 3 digits */
	{"+123456789012345", "+1 23456789012345"}, /* 15 digits: the maximum */
	{"+1 5555551234x1234567890", "+1 5555551234x1234567890"},
};

static const char *const bad[] = {
	"",
	"   ",
	"5555551234",            /* no '+' */
	"001 5555551234",
	"+",
	"+ ",
	"+0 5555551234",         /* no country code starts with 0 */
	"+1 555",                /* too short */
	"+6834",
	"+1234567890123456",     /* 16 digits */
	"+1 555-CALL-NOW",       /* letters */
	"+1 5555551234 #12",
	"+1 5555551234x",        /* empty extension */
	"+1 5555551234 ext.",
	"+1 5555551234x12345678901", /* 11-digit extension */
	"+1 5555551234x12-3",
	"+1 5555551234x12 3",
	"+1 5555551234x1x2",
	"+1 (555 5551234",       /* unbalanced */
	"+1 555) 5551234",
	"+1 ((555)) 5551234",
	"+1 () 5555551234",
	"+(1) 5555551234",       /* parentheses before the country code */
	"++1 5555551234",
	"+1 5555551234\n",
	"+1\t5555551234",
	"+1 555 555 1234 5555555555555555555555555555555555555555555555555555",
	"+1 ５５５5551234",       /* full-width digits */
	"+1 5555551234;ext=1",
};

static void normalises_good_numbers(void)
{
	for (size_t i = 0; i < TG_ARRAY_LEN(good); i++) {
		char out[PHONE_SIZE];
		int r = phone_normalize(good[i].in, out);
		if (r != TG_OK) {
			TG_T_FAIL("\"%s\" refused (%d)", good[i].in, r);
			continue;
		}
		CHECK_STR(out, good[i].out);
		CHECK(phone_is_canonical(out));
	}
}

static void refuses_bad_numbers(void)
{
	for (size_t i = 0; i < TG_ARRAY_LEN(bad); i++) {
		char out[PHONE_SIZE];
		memcpy(out, "junk", 5);
		int r = phone_normalize(bad[i], out);
		if (r != TG_ERR_INVALID)
			TG_T_FAIL("\"%s\" gave %d (\"%s\"), expected TG_ERR_INVALID", bad[i], r, out);
		CHECK_STR(out, "");
		CHECK(!phone_is_canonical(bad[i]));
	}
}

static void canonical_form(void)
{
	CHECK(phone_is_canonical("+46 701234567"));
	CHECK(!phone_is_canonical("+46701234567"));
	CHECK(!phone_is_canonical("+4 6701234567"));
	CHECK(!phone_is_canonical("+1 5555551234 x12"));
	CHECK(phone_has_extension("+1 5555551234x12"));
	CHECK(!phone_has_extension("+1 5555551234"));
	/* the longest canonical number fits the buffer and TG_MAX_PHONE */
	char out[PHONE_SIZE];
	CHECK_OK(phone_normalize("+123 456789012345x1234567890", out));
	CHECK(strlen(out) <= TG_MAX_PHONE);
}

static void types_and_channels(void)
{
	enum phone_type t;
	CHECK_STR(phone_type_name(PHONE_TYPE_MOBILE), "mobile");
	CHECK_STR(phone_type_name(PHONE_TYPE_ALTERNATE_MOBILE), "alternateMobile");
	CHECK_STR(phone_type_name(PHONE_TYPE_OFFICE), "office");
	CHECK(phone_type_name((enum phone_type)9) == NULL);
	CHECK_OK(phone_type_parse("alternatemobile", &t));
	CHECK_INT(t, PHONE_TYPE_ALTERNATE_MOBILE);
	CHECK_OK(phone_type_parse("Office", &t));
	CHECK_INT(t, PHONE_TYPE_OFFICE);
	CHECK_INT(phone_type_parse("landline", &t), TG_ERR_INVALID);
	CHECK_STR(phone_type_method_id(PHONE_TYPE_MOBILE), "3179e48a-750b-4051-897c-87b9720928f7");
	CHECK_STR(phone_type_method_id(PHONE_TYPE_ALTERNATE_MOBILE), "b6332ec1-7057-4abe-9331-3d72feddfe41");
	CHECK_STR(phone_type_method_id(PHONE_TYPE_OFFICE), "e37fc753-ff3b-4958-9484-eaa9425c82bc");

	/* mobile: SMS and voice; alternateMobile and office: voice only */
	CHECK(phone_type_allows(PHONE_TYPE_MOBILE, PHONE_CHANNEL_SMS));
	CHECK(phone_type_allows(PHONE_TYPE_MOBILE, PHONE_CHANNEL_VOICE));
	CHECK(!phone_type_allows(PHONE_TYPE_ALTERNATE_MOBILE, PHONE_CHANNEL_SMS));
	CHECK(phone_type_allows(PHONE_TYPE_ALTERNATE_MOBILE, PHONE_CHANNEL_VOICE));
	CHECK(!phone_type_allows(PHONE_TYPE_OFFICE, PHONE_CHANNEL_SMS));
	CHECK(phone_type_allows(PHONE_TYPE_OFFICE, PHONE_CHANNEL_VOICE));
	CHECK_INT(phone_type_channels((enum phone_type)9), 0);
	CHECK(!phone_type_allows((enum phone_type)9, PHONE_CHANNEL_VOICE));

	/* an extension rules out SMS even on a mobile */
	CHECK_INT(phone_channels(PHONE_TYPE_MOBILE, "+46 701234567"), PHONE_CHANNEL_SMS | PHONE_CHANNEL_VOICE);
	CHECK_INT(phone_channels(PHONE_TYPE_MOBILE, "+46 701234567x12"), PHONE_CHANNEL_VOICE);
	CHECK_INT(phone_channels(PHONE_TYPE_OFFICE, "+46 81234567x12"), PHONE_CHANNEL_VOICE);

	enum phone_channel c;
	CHECK_OK(phone_channel_parse("SMS", &c));
	CHECK_INT(c, PHONE_CHANNEL_SMS);
	CHECK_OK(phone_channel_parse("voice", &c));
	CHECK_INT(c, PHONE_CHANNEL_VOICE);
	CHECK_INT(phone_channel_parse("email", &c), TG_ERR_INVALID);
	CHECK_STR(phone_channel_name(PHONE_CHANNEL_SMS), "sms");
	CHECK_STR(phone_channel_name(PHONE_CHANNEL_VOICE), "voice");
}

static void masks(void)
{
	char out[PHONE_SIZE];
	CHECK_OK(phone_mask("+46 701234567", out));
	CHECK_STR(out, "+46 XXXXXXX67");
	CHECK_OK(phone_mask("+1 5555551234x123", out));
	CHECK_STR(out, "+1 XXXXXXXX34xXXX");
	CHECK_OK(phone_mask("+358 40123", out));
	CHECK_STR(out, "+358 XXX23");
	CHECK_INT(phone_mask("0701234567", out), TG_ERR_INVALID);
	CHECK_STR(out, "");
	CHECK_INT(phone_mask(NULL, out), TG_ERR_INVALID);
}

int main(void)
{
	TEST(normalises_good_numbers);
	TEST(refuses_bad_numbers);
	TEST(canonical_form);
	TEST(types_and_channels);
	TEST(masks);
	return tg_test_done();
}
