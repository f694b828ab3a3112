/* SPDX-License-Identifier: MIT
 * Microsoft Graph `ipNamedLocation` JSON <-> struct named_location
 * (reference/entra.md §3.1). As Graph requires, "@odata.type" must be given
 * on the location ("#microsoft.graph.ipNamedLocation") and on each range
 * ("#microsoft.graph.iPv4CidrRange" / "#microsoft.graph.iPv6CidrRange",
 * matching the address family); the leading '#' is optional and the value
 * case-insensitive. countryNamedLocation is refused (no GeoIP in Tollgate).
 * Read-only members (id, createdDateTime, modifiedDateTime) are ignored on
 * input unless NAMED_LOCATION_JSON_READ_ONLY_FIELDS is given. */
#ifndef TG_JSON_NAMED_LOCATION_JSON_H
#define TG_JSON_NAMED_LOCATION_JSON_H
#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>
#include "core/named_location.h"
#include "json/json_util.h"

enum {
	NAMED_LOCATION_JSON_READ_ONLY_FIELDS = 1u << 0,
};

/* Convert and validate root into *out (must own nothing; init'ed here).
 * TG_OK or TG_ERR_INVALID with *err naming the path
 * ("ipRanges[3].cidrAddress"); *out empty on failure. */
int named_location_from_json(const json_t *root, unsigned flags, struct named_location *out,
                             struct json_err *err);
/* Load text (at most TG_MAX_HTTP_BODY bytes) and convert. TG_OK,
 * TG_ERR_INVALID or TG_ERR_TOO_LARGE. */
int named_location_parse(const char *text, size_t len, unsigned flags,
                         struct named_location *out, struct json_err *err);

/* Graph JSON for loc (new reference; caller json_decref()s; never NULL). */
json_t *named_location_to_json(const struct named_location *loc);
/* Same as text; caller free()s. */
char *named_location_to_text(const struct named_location *loc, bool pretty);

#endif
