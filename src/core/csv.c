/* SPDX-License-Identifier: MIT
 * RFC 4180 CSV reader (see csv.h). */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "base/err.h"
#include "base/limits.h"
#include "base/mem.h"
#include "core/csv.h"

void csv_init(struct csv_reader *r, const char *buf, size_t len)
{
	memset(r, 0, sizeof *r);
	r->buf = buf;
	r->len = len;
	r->next_line = 1;
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		r->pos = 3;
}

void csv_cleanup(struct csv_reader *r)
{
	free(r->store);
	r->store = NULL;
}

int csv_next(struct csv_reader *r)
{
	/* skip blank lines */
	while (r->pos < r->len && (r->buf[r->pos] == '\n' || r->buf[r->pos] == '\r')) {
		if (r->buf[r->pos] == '\n')
			r->next_line++;
		r->pos++;
	}
	if (r->pos >= r->len)
		return TG_ERR_NOT_FOUND;
	r->line = r->next_line;
	r->nfields = 0;
	r->error = NULL;
	/* the record's text is at most the rest of the buffer */
	size_t need = r->len - r->pos + TG_MAX_CSV_FIELDS + 1;
	if (need > r->store_cap) {
		size_t cap = r->store_cap ? r->store_cap : 4096;
		while (cap < need)
			cap *= 2;
		/* bound the scratch space: a record cannot exceed fields*field size */
		size_t max = (size_t)TG_MAX_CSV_FIELDS * (TG_MAX_CSV_FIELD + 1) + 1;
		if (cap > max)
			cap = max;
		if (cap > r->store_cap) {
			free(r->store);
			r->store = xmalloc(cap);
			r->store_cap = cap;
		}
	}
	size_t o = 0;
	for (;;) {
		if (r->nfields >= TG_MAX_CSV_FIELDS) {
			r->error = "too many fields in the record";
			return TG_ERR_TOO_LARGE;
		}
		size_t start = o;
		bool quoted = false;
		if (r->pos < r->len && r->buf[r->pos] == '"') {
			quoted = true;
			r->pos++;
		}
		for (;;) {
			if (r->pos >= r->len) {
				if (quoted) {
					r->error = "a quoted field is not closed";
					return TG_ERR_INVALID;
				}
				break;
			}
			char c = r->buf[r->pos];
			if (quoted) {
				if (c == '"') {
					if (r->pos + 1 < r->len && r->buf[r->pos + 1] == '"') {
						c = '"';
						r->pos++;
					} else {
						r->pos++;
						quoted = false;
						/* after a closing quote: separator or end of record */
						if (r->pos < r->len && r->buf[r->pos] != ',' &&
						    r->buf[r->pos] != '\n' && r->buf[r->pos] != '\r') {
							r->error = "text after a closing quote";
							return TG_ERR_INVALID;
						}
						continue;
					}
				} else if (c == '\n') {
					r->next_line++;
				}
			} else {
				if (c == ',' || c == '\n' || c == '\r')
					break;
				if (c == '"') {
					r->error = "a quote inside an unquoted field";
					return TG_ERR_INVALID;
				}
			}
			if (o - start >= TG_MAX_CSV_FIELD || o + 2 >= r->store_cap) {
				r->error = "a field is too long";
				return TG_ERR_TOO_LARGE;
			}
			r->store[o++] = c;
			r->pos++;
		}
		r->store[o++] = '\0';
		r->fields[r->nfields++] = r->store + start;
		if (r->pos < r->len && r->buf[r->pos] == ',') {
			r->pos++;
			continue;
		}
		/* end of record */
		if (r->pos < r->len && r->buf[r->pos] == '\r')
			r->pos++;
		if (r->pos < r->len && r->buf[r->pos] == '\n') {
			r->pos++;
			r->next_line++;
		}
		return TG_OK;
	}
}
