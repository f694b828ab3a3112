/* SPDX-License-Identifier: MIT
 * Graph ipNamedLocation JSON reader and writer (see named_location_json.h). */
#include <stdlib.h>
#include <string.h>
#include "base/err.h"
#include "base/str.h"
#include "core/uuid.h"
#include "json/named_location_json.h"

#define TYPE_LOCATION "#microsoft.graph.ipNamedLocation"
#define TYPE_COUNTRY "#microsoft.graph.countryNamedLocation"
#define TYPE_V4 "#microsoft.graph.iPv4CidrRange"
#define TYPE_V6 "#microsoft.graph.iPv6CidrRange"

static const struct json_member location_members[] = {
	{"id", JSON_MEMBER_READ}, {"displayName", JSON_MEMBER_READ},
	{"isTrusted", JSON_MEMBER_READ}, {"ipRanges", JSON_MEMBER_READ},
	{"createdDateTime", JSON_MEMBER_READ}, {"modifiedDateTime", JSON_MEMBER_READ},
	{NULL, JSON_MEMBER_READ},
};

static const struct json_member range_members[] = {
	{"cidrAddress", JSON_MEMBER_READ}, {NULL, JSON_MEMBER_READ},
};

/* "@odata.type" equal to want, '#' optional, case-insensitive. */
static bool type_is(const char *got, const char *want)
{
	if (got[0] != '#')
		want++;
	return tg_streq_ci(got, want);
}

/* Read the required "@odata.type" of obj. */
static int odata_type(const json_t *obj, struct json_path *path, struct json_err *err,
                      const char **out)
{
	bool present;
	int r = json_get_string(obj, "@odata.type", path, err, out, &present);
	if (r != TG_OK)
		return r;
	if (!present) {
		(void)json_path_push_key(path, "@odata.type");
		return json_fail(err, path, "required");
	}
	return TG_OK;
}

static int read_time(const json_t *root, const char *name, int64_t *out,
                     struct json_path *path, struct json_err *err)
{
	const char *s;
	bool present;
	int r = json_get_string(root, name, path, err, &s, &present);
	if (r != TG_OK || !present)
		return r;
	if (tg_time_parse_iso(s, out) != TG_OK) {
		(void)json_path_push_key(path, name);
		return json_fail(err, path, "not an ISO 8601 time");
	}
	return TG_OK;
}

static int read_range(const json_t *item, struct named_location *loc, struct json_path *path,
                      struct json_err *err)
{
	const char *type, *text;
	bool present;
	int r;
	if (!json_is_object(item))
		return json_fail(err, path, "expected an object");
	if ((r = odata_type(item, path, err, &type)) != TG_OK ||
	    (r = json_check_members(item, range_members, path, err)) != TG_OK)
		return r;
	bool v6;
	if (type_is(type, TYPE_V4)) {
		v6 = false;
	} else if (type_is(type, TYPE_V6)) {
		v6 = true;
	} else {
		(void)json_path_push_key(path, "@odata.type");
		return json_fail(err, path, "must be %s or %s", TYPE_V4, TYPE_V6);
	}
	if ((r = json_get_string(item, "cidrAddress", path, err, &text, &present)) != TG_OK)
		return r;
	(void)json_path_push_key(path, "cidrAddress");
	if (!present)
		return json_fail(err, path, "required");
	if ((strchr(text, ':') != NULL) != v6)
		return json_fail(err, path, "not an %s range", v6 ? "IPv6" : "IPv4");
	struct cidr c;
	if (cidr_parse(text, 0, &c) != TG_OK)
		return json_fail(err, path, "not a CIDR range");
	if (c.prefix < NAMED_LOCATION_MIN_PREFIX)
		return json_fail(err, path, "the mask must be greater than /8");
	r = named_location_add_cidr(loc, &c);
	if (r != TG_OK)
		return json_fail(err, path, "cannot add this range");
	return TG_OK;
}

static int read_location(const json_t *root, unsigned flags, struct named_location *loc,
                         struct json_path *path, struct json_err *err)
{
	const char *s;
	bool present;
	int r;
	if (!json_is_object(root))
		return json_fail(err, path, "expected an object");
	/* the type first: a country location is refused as such, not for its members */
	if ((r = odata_type(root, path, err, &s)) != TG_OK)
		return r;
	if (type_is(s, TYPE_COUNTRY)) {
		(void)json_path_push_key(path, "@odata.type");
		return json_fail(err, path, "countryNamedLocation is not supported (no GeoIP data)");
	}
	if (!type_is(s, TYPE_LOCATION)) {
		(void)json_path_push_key(path, "@odata.type");
		return json_fail(err, path, "must be %s", TYPE_LOCATION);
	}
	if ((r = json_check_members(root, location_members, path, err)) != TG_OK)
		return r;

	if (flags & NAMED_LOCATION_JSON_READ_ONLY_FIELDS) {
		if ((r = json_get_string(root, "id", path, err, &s, &present)) != TG_OK)
			return r;
		if (present) {
			if (!uuid_is_valid(s)) {
				(void)json_path_push_key(path, "id");
				return json_fail(err, path, "not a UUID");
			}
			tg_strlcpy(loc->id, s, sizeof loc->id);
			tg_ascii_lower(loc->id);
		}
		if ((r = read_time(root, "createdDateTime", &loc->created, path, err)) != TG_OK ||
		    (r = read_time(root, "modifiedDateTime", &loc->modified, path, err)) != TG_OK)
			return r;
	}

	if ((r = json_get_string(root, "displayName", path, err, &s, &present)) != TG_OK)
		return r;
	if (!present || named_location_set_display_name(loc, s) != TG_OK) {
		(void)json_path_push_key(path, "displayName");
		return json_fail(err, path, present
		                 ? "must be 1 to 256 bytes of text without control characters"
		                 : "required");
	}
	if ((r = json_get_bool(root, "isTrusted", path, err, &loc->is_trusted, NULL)) != TG_OK)
		return r;

	const json_t *arr = json_object_get(root, "ipRanges");
	size_t mark = json_path_push_key(path, "ipRanges");
	if (!arr || json_is_null(arr))
		return json_fail(err, path, "required");
	if (!json_is_array(arr))
		return json_fail(err, path, "expected an array of ranges");
	if (json_array_size(arr) == 0)
		return json_fail(err, path, "at least one range is required");
	if (json_array_size(arr) > TG_MAX_LOCATION_RANGES)
		return json_fail(err, path, "more than %d ranges", TG_MAX_LOCATION_RANGES);
	for (size_t i = 0; i < json_array_size(arr); i++) {
		size_t imark = json_path_push_index(path, i);
		if ((r = read_range(json_array_get(arr, i), loc, path, err)) != TG_OK)
			return r;
		json_path_pop(path, imark);
	}
	json_path_pop(path, mark);
	return TG_OK;
}

int named_location_from_json(const json_t *root, unsigned flags, struct named_location *out,
                             struct json_err *err)
{
	struct json_path path;
	json_path_init(&path);
	named_location_init(out);
	if (err)
		err->path[0] = err->message[0] = '\0';
	int r = read_location(root, flags, out, &path, err);
	if (r != TG_OK)
		named_location_cleanup(out);
	return r;
}

int named_location_parse(const char *text, size_t len, unsigned flags,
                         struct named_location *out, struct json_err *err)
{
	json_t *root = NULL;
	named_location_init(out);
	int r = json_load_strict(text, len, TG_MAX_HTTP_BODY, TG_MAX_JSON_DEPTH, &root, err);
	if (r != TG_OK)
		return r;
	r = named_location_from_json(root, flags, out, err);
	json_decref(root);
	return r;
}

static void set(json_t *obj, const char *key, json_t *v)
{
	if (!v || json_object_set_new(obj, key, v) != 0)
		abort();
}

static json_t *time_value(int64_t t)
{
	if (t == 0)
		return json_null();
	char buf[TG_TIME_ISO_LEN];
	tg_time_iso(t, buf);
	return json_string(buf);
}

json_t *named_location_to_json(const struct named_location *loc)
{
	json_t *o = json_object(), *arr = json_array();
	if (!o || !arr)
		abort();
	set(o, "@odata.type", json_string(TYPE_LOCATION));
	set(o, "id", loc->id[0] ? json_string(loc->id) : json_null());
	set(o, "displayName", loc->display_name ? json_string(loc->display_name) : json_null());
	set(o, "createdDateTime", time_value(loc->created));
	set(o, "modifiedDateTime", time_value(loc->modified));
	set(o, "isTrusted", json_boolean(loc->is_trusted));
	for (size_t i = 0; i < loc->n_ranges; i++) {
		char buf[CIDR_STRLEN];
		json_t *r = json_object();
		if (!r)
			abort();
		cidr_format(&loc->ranges[i], buf);
		set(r, "@odata.type", json_string(loc->ranges[i].family == 4 ? TYPE_V4 : TYPE_V6));
		set(r, "cidrAddress", json_string(buf));
		if (json_array_append_new(arr, r) != 0)
			abort();
	}
	set(o, "ipRanges", arr);
	return o;
}

char *named_location_to_text(const struct named_location *loc, bool pretty)
{
	json_t *o = named_location_to_json(loc);
	char *s = json_dump_canonical(o, pretty);
	json_decref(o);
	return s;
}
