/* SPDX-License-Identifier: MIT
 * Phone numbers in Entra's form "+{CC} {NUMBER}[x{EXT}]" ("+1 5555551234",
 * "+46 701234567x12"; reference/entra.md §4.1) and the phone method types:
 * mobile (SMS and voice), alternateMobile and office (voice only). Pure.
 *
 * Normalisation accepts what people type ("+46 70-123 45 67",
 * "+1 (555) 555-1234 ext. 12", "+44 (0)20 7946 0000") and produces the one
 * canonical form, so a number is stored and compared one way. The country
 * code is found from the digits with the ITU-T E.164 country code table
 * (prefix-free: 1 and 7 are one digit, a fixed list is two, the rest three);
 * the whole number is at most 15 digits (E.164 §6.2.1). */
#ifndef TG_CORE_PHONE_H
#define TG_CORE_PHONE_H
#include <stdbool.h>
#include "base/limits.h"

#define PHONE_SIZE (TG_MAX_PHONE + 1)   /* buffer for a canonical number */
#define PHONE_MIN_SUBSCRIBER_DIGITS 4   /* national number after the CC */
#define PHONE_MAX_DIGITS            15  /* CC + national number (E.164) */
#define PHONE_MAX_EXT_DIGITS        10

enum phone_type {
	PHONE_TYPE_MOBILE = 0,
	PHONE_TYPE_ALTERNATE_MOBILE = 1,
	PHONE_TYPE_OFFICE = 2,
};

/* Delivery channels, as bits so a set fits in an unsigned. */
enum phone_channel {
	PHONE_CHANNEL_SMS = 1,
	PHONE_CHANNEL_VOICE = 2,
};

/* Normalise typed input into canonical "+CC NUMBER[xEXT]" in out.
 * Accepted: a leading '+' (required: without it the country is unknown),
 * digits, and as separators spaces, '-', '.', and parentheses around
 * digits; "(0)" (a national trunk prefix written in brackets) is dropped;
 * an extension after 'x', "ext" or "ext." (any case). Refused
 * (TG_ERR_INVALID): letters, a missing '+', a country code starting with
 * 0, fewer than PHONE_MIN_SUBSCRIBER_DIGITS national digits, more than
 * PHONE_MAX_DIGITS digits, an empty or over-long extension, input longer
 * than 64 bytes. out is "" on failure. */
int phone_normalize(const char *in, char out[PHONE_SIZE]);

/* true when s is already canonical (phone_normalize(s) == s). */
bool phone_is_canonical(const char *s);

/* true when a canonical number carries an extension. */
bool phone_has_extension(const char *canonical);
/* A canonical number masked for readers who may not see it whole: the
 * country code and the last two digits of the number stay, every other
 * digit (the extension's too) becomes 'X': "+46 701234567x12" ->
 * "+46 XXXXXXX67xXX". TG_ERR_INVALID when in is not canonical (out = ""). */
int phone_mask(const char *in, char out[PHONE_SIZE]);

/* "mobile", "alternateMobile", "office" (Graph phoneType values), or NULL. */
const char *phone_type_name(enum phone_type t);
/* Case-insensitive parse of those names. TG_OK or TG_ERR_INVALID. */
int phone_type_parse(const char *s, enum phone_type *out);
/* Entra's fixed method id for each type (phoneAuthenticationMethod.id). */
const char *phone_type_method_id(enum phone_type t);

/* "sms" / "voice", or NULL; and the parse of those (case-insensitive). */
const char *phone_channel_name(enum phone_channel c);
int phone_channel_parse(const char *s, enum phone_channel *out);

/* Channels a phone type allows (bit set): mobile SMS|VOICE, the others
 * VOICE; 0 for an unknown type. */
unsigned phone_type_channels(enum phone_type t);
/* true when type t allows channel c. */
bool phone_type_allows(enum phone_type t, enum phone_channel c);
/* Channels usable for this type AND this canonical number: a number with
 * an extension cannot receive SMS, whatever its type. */
unsigned phone_channels(enum phone_type t, const char *canonical);

#endif
