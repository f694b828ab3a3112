/* SPDX-License-Identifier: MIT
 * Typed Graph `ipNamedLocation` (reference/entra.md §3.1): a named set of
 * IPv4/IPv6 CIDR ranges, optionally trusted. Conditional Access refers to
 * it by id in conditions.locations; "AllTrusted" means every trusted named
 * location plus the MFA service settings' trusted IPs. Pure: no JSON, no
 * I/O (src/json/named_location_json.c converts). Country locations
 * (countryNamedLocation) are not supported: Tollgate has no GeoIP data.
 *
 * Rules (Entra's, concept-assignment-network.md): 1..TG_MAX_LOCATION_RANGES
 * ranges, each with a mask greater than /8 (applied to IPv6 too); private
 * ranges are allowed (self-hosted: clients may come from a LAN); host bits
 * are cleared ("12.34.221.11/22" is stored as 12.34.220.0/22); duplicate
 * ranges (after normalising) are kept once. */
#ifndef TG_CORE_NAMED_LOCATION_H
#define TG_CORE_NAMED_LOCATION_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/limits.h"
#include "core/cidr.h"

#define NAMED_LOCATION_MIN_PREFIX 9   /* "greater than /8" */

struct named_location {
	char id[TG_MAX_ID + 1];      /* "" until the store assigns one; lowercase UUID */
	char *display_name;          /* owned; 1..TG_MAX_DISPLAY_NAME bytes of UTF-8 */
	bool is_trusted;             /* Graph default false */
	int64_t created;             /* createdDateTime, 0 = null */
	int64_t modified;            /* modifiedDateTime, 0 = null */
	size_t n_ranges;
	struct cidr *ranges;         /* owned; input order, duplicates dropped */
};

/* Zero loc. */
void named_location_init(struct named_location *loc);
/* Free what loc owns and re-init. Accepts NULL. */
void named_location_cleanup(struct named_location *loc);
/* Deep copy (dst must own nothing). */
void named_location_dup(struct named_location *dst, const struct named_location *src);
bool named_location_equal(const struct named_location *a, const struct named_location *b);

/* Set the display name (copied): TG_ERR_INVALID for empty, too long, bad
 * UTF-8 or control characters. */
int named_location_set_display_name(struct named_location *loc, const char *name);
/* Parse a CIDR text and append it. TG_ERR_INVALID for bad syntax or a mask
 * of /8 or less; TG_ERR_TOO_LARGE when the location already has
 * TG_MAX_LOCATION_RANGES ranges. A duplicate is TG_OK and not added. */
int named_location_add_range(struct named_location *loc, const char *cidr_text);
/* Append an already parsed range, same rules. */
int named_location_add_cidr(struct named_location *loc, const struct cidr *r);

/* Complete check: display name, 1..TG_MAX_LOCATION_RANGES ranges, masks.
 * TG_OK or TG_ERR_INVALID; *field_out (may be NULL) names the offending
 * Graph member ("displayName", "ipRanges"), *index_out the range index or -1. */
int named_location_validate(const struct named_location *loc, const char **field_out,
                            long *index_out);

/* true when ip is in one of the ranges (linear scan; for many lookups build
 * a struct cidr_set from loc->ranges). */
bool named_location_contains(const struct named_location *loc, const struct cidr_ip *ip);
/* Entra refuses to delete a trusted location until it is marked untrusted. */
bool named_location_is_deletable(const struct named_location *loc);

#endif
