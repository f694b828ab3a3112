/* SPDX-License-Identifier: MIT
 * RFC 4180 CSV reader over a buffer in memory. Pure. Quoted fields may hold
 * commas, doubled quotes and newlines; CRLF or LF line ends; a UTF-8 BOM at
 * the start is skipped. Bounded: TG_MAX_CSV_FIELD bytes per field and
 * TG_MAX_CSV_FIELDS fields per record. */
#ifndef TG_CORE_CSV_H
#define TG_CORE_CSV_H
#include <stddef.h>
#include "base/limits.h"

struct csv_reader {
	const char *buf;
	size_t len;
	size_t pos;
	size_t line;        /* 1-based line where the current record starts */
	size_t next_line;   /* line of the next record */
	char *fields[TG_MAX_CSV_FIELDS];
	size_t nfields;
	char *store;        /* owns the field text of the current record */
	size_t store_cap;
	const char *error;  /* static reason when csv_next returns TG_ERR_INVALID */
};

void csv_init(struct csv_reader *r, const char *buf, size_t len);
/* Read the next record into r->fields / r->nfields.
 * TG_OK: a record; TG_ERR_NOT_FOUND: end of input; TG_ERR_INVALID: bad CSV
 * (r->error says why, r->line says where); TG_ERR_TOO_LARGE: over a limit.
 * Blank lines are skipped. */
int csv_next(struct csv_reader *r);
void csv_cleanup(struct csv_reader *r);

#endif
