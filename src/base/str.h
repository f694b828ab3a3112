/* SPDX-License-Identifier: MIT
 * String helpers: bounded copies, strict number parsing, UTF-8 checks,
 * ISO-8601 times, and a growable buffer with a hard maximum size. */
#ifndef TG_BASE_STR_H
#define TG_BASE_STR_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Copy src into dst (size bytes incl. NUL), always NUL-terminating.
 * Returns strlen(src); a value >= size means src was truncated. */
size_t tg_strlcpy(char *dst, const char *src, size_t size);
/* Copy only if it fits: TG_OK, or TG_ERR_TOO_LARGE leaving dst "" . */
int tg_strcpy_checked(char *dst, size_t size, const char *src);

/* Strict decimal integer: optional sign, digits only, no spaces, within
 * [min, max]. Returns TG_OK or TG_ERR_INVALID; *out set only on success. */
int tg_parse_i64(const char *s, int64_t min, int64_t max, int64_t *out);

bool tg_streq_ci(const char *a, const char *b);      /* ASCII case-insensitive */
bool tg_startswith_ci(const char *s, const char *prefix);
void tg_ascii_lower(char *s);
/* Trim ASCII white space at both ends, in place; returns s. */
char *tg_trim(char *s);

/* Validate UTF-8 (no overlongs, no surrogates, <= U+10FFFF, no NUL).
 * On success stores the number of code points in *cps_out (may be NULL). */
bool tg_utf8_valid(const char *s, size_t len, size_t *cps_out);
/* true when s contains ASCII control characters (0x00-0x1f, 0x7f). */
bool tg_has_ctl(const char *s);

/* Times are int64 seconds since the Unix epoch, UTC.
 * ISO form: "2026-11-22T19:15:57Z". */
#define TG_TIME_ISO_LEN 32
void tg_time_iso(int64_t t, char out[TG_TIME_ISO_LEN]);
/* Accepts "YYYY-MM-DDTHH:MM:SS[.frac](Z|+hh:mm|-hh:mm)" or "YYYY-MM-DD". */
int tg_time_parse_iso(const char *s, int64_t *out);
/* "now", a duration back from now ("2h", "7d"), or an ISO-8601 time. */
int tg_time_parse_when(const char *s, int64_t now, int64_t *out);
/* Duration such as "30s", "15m", "24h", "7d", "2w"; seconds out. */
int tg_duration_parse(const char *s, int64_t *out);

/* Growable buffer with a maximum: appending past max fails with
 * TG_ERR_TOO_LARGE and leaves the buffer as it was. */
struct tg_buf {
	char *data;   /* always NUL-terminated when non-NULL */
	size_t len;
	size_t cap;
	size_t max;
	bool secret;  /* wipe old storage when growing and on cleanup */
};
void tg_buf_init(struct tg_buf *b, size_t max);
/* A buffer for secrets: growth copies and wipes instead of realloc, and
 * tg_buf_cleanup wipes. */
void tg_buf_init_secret(struct tg_buf *b, size_t max);
void tg_buf_cleanup(struct tg_buf *b);          /* frees data */
void tg_buf_cleanup_secret(struct tg_buf *b);   /* wipes, then frees */
int tg_buf_append(struct tg_buf *b, const void *p, size_t n);
int tg_buf_appendf(struct tg_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Append everything read from f (until EOF) to b: TG_OK, TG_ERR_TOO_LARGE
 * past b->max, or TG_ERR_IO on a read error. Does not close f. */
int tg_buf_read_stream(struct tg_buf *b, void *f /* FILE * */);

#endif
