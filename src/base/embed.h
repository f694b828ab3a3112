/* SPDX-License-Identifier: MIT
 * Files embedded into the binary at build time by tools/embed.c:
 * the web assets (web_assets) and the SQL migrations (schema_sqlite). */
#ifndef TG_BASE_EMBED_H
#define TG_BASE_EMBED_H
#include <stddef.h>

struct embed_file {
	const char *path;            /* relative to the embedded folder */
	const unsigned char *data;   /* NUL-terminated for convenience */
	size_t len;                  /* without the terminating NUL */
};

/* Arrays end with a {NULL, NULL, 0} entry and are sorted by path. */
extern const struct embed_file web_assets[];
extern const struct embed_file schema_sqlite[];

/* Exact-name lookup (binary search); NULL when absent. Never joins paths. */
const struct embed_file *embed_find(const struct embed_file *table, const char *path);

#endif
