/* SPDX-License-Identifier: MIT
 * IP named locations (see named_location.h). */
#include <stdlib.h>
#include <string.h>
#include "base/err.h"
#include "base/mem.h"
#include "base/str.h"
#include "core/named_location.h"

void named_location_init(struct named_location *loc)
{
	memset(loc, 0, sizeof *loc);
}

void named_location_cleanup(struct named_location *loc)
{
	if (!loc)
		return;
	free(loc->display_name);
	free(loc->ranges);
	named_location_init(loc);
}

void named_location_dup(struct named_location *dst, const struct named_location *src)
{
	*dst = *src;
	dst->display_name = src->display_name ? xstrdup(src->display_name) : NULL;
	dst->ranges = NULL;
	if (src->n_ranges) {
		/* same capacity rule as named_location_add_cidr: multiples of 16 */
		size_t cap = (src->n_ranges + 15) / 16 * 16;
		dst->ranges = xmalloc(cap * sizeof *dst->ranges);
		memcpy(dst->ranges, src->ranges, src->n_ranges * sizeof *dst->ranges);
	}
}

bool named_location_equal(const struct named_location *a, const struct named_location *b)
{
	if (strcmp(a->id, b->id) != 0 || a->is_trusted != b->is_trusted ||
	    a->created != b->created || a->modified != b->modified || a->n_ranges != b->n_ranges)
		return false;
	if (!a->display_name || !b->display_name) {
		if (a->display_name != b->display_name)
			return false;
	} else if (strcmp(a->display_name, b->display_name) != 0) {
		return false;
	}
	for (size_t i = 0; i < a->n_ranges; i++)
		if (!cidr_equal(&a->ranges[i], &b->ranges[i]))
			return false;
	return true;
}

int named_location_set_display_name(struct named_location *loc, const char *name)
{
	size_t n = name ? strlen(name) : 0;
	if (n == 0 || n > TG_MAX_DISPLAY_NAME || !tg_utf8_valid(name, n, NULL) || tg_has_ctl(name))
		return TG_ERR_INVALID;
	free(loc->display_name);
	loc->display_name = xstrdup(name);
	return TG_OK;
}

int named_location_add_cidr(struct named_location *loc, const struct cidr *r)
{
	if (r->prefix < NAMED_LOCATION_MIN_PREFIX)
		return TG_ERR_INVALID;
	for (size_t i = 0; i < loc->n_ranges; i++)
		if (cidr_equal(&loc->ranges[i], r))
			return TG_OK;
	if (loc->n_ranges >= TG_MAX_LOCATION_RANGES)
		return TG_ERR_TOO_LARGE;
	if (loc->n_ranges % 16 == 0)
		loc->ranges = xrealloc(loc->ranges, (loc->n_ranges + 16) * sizeof *loc->ranges);
	loc->ranges[loc->n_ranges++] = *r;
	return TG_OK;
}

int named_location_add_range(struct named_location *loc, const char *cidr_text)
{
	struct cidr r;
	if (cidr_parse(cidr_text, 0, &r) != TG_OK)
		return TG_ERR_INVALID;
	return named_location_add_cidr(loc, &r);
}

int named_location_validate(const struct named_location *loc, const char **field_out,
                            long *index_out)
{
	const char *field = NULL;
	long index = -1;
	size_t n = loc->display_name ? strlen(loc->display_name) : 0;
	if (n == 0 || n > TG_MAX_DISPLAY_NAME) {
		field = "displayName";
	} else if (loc->n_ranges == 0 || loc->n_ranges > TG_MAX_LOCATION_RANGES) {
		field = "ipRanges";
	} else {
		for (size_t i = 0; i < loc->n_ranges; i++) {
			if (loc->ranges[i].prefix < NAMED_LOCATION_MIN_PREFIX) {
				field = "ipRanges";
				index = (long)i;
				break;
			}
		}
	}
	if (field_out)
		*field_out = field;
	if (index_out)
		*index_out = index;
	return field ? TG_ERR_INVALID : TG_OK;
}

bool named_location_contains(const struct named_location *loc, const struct cidr_ip *ip)
{
	for (size_t i = 0; i < loc->n_ranges; i++)
		if (cidr_contains(&loc->ranges[i], ip))
			return true;
	return false;
}

bool named_location_is_deletable(const struct named_location *loc)
{
	return !loc->is_trusted;
}
