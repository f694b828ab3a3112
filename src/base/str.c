/* SPDX-License-Identifier: MIT
 * String helpers (see str.h). */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "base/err.h"
#include "base/mem.h"
#include "base/str.h"

size_t tg_strlcpy(char *dst, const char *src, size_t size)
{
	size_t n = strlen(src);
	if (size) {
		size_t c = n < size - 1 ? n : size - 1;
		memcpy(dst, src, c);
		dst[c] = '\0';
	}
	return n;
}

int tg_strcpy_checked(char *dst, size_t size, const char *src)
{
	if (strlen(src) >= size) {
		if (size)
			dst[0] = '\0';
		return TG_ERR_TOO_LARGE;
	}
	tg_strlcpy(dst, src, size);
	return TG_OK;
}

int tg_parse_i64(const char *s, int64_t min, int64_t max, int64_t *out)
{
	if (!s || !*s)
		return TG_ERR_INVALID;
	const char *p = s;
	if (*p == '-' || *p == '+')
		p++;
	if (!*p)
		return TG_ERR_INVALID;
	for (const char *q = p; *q; q++)
		if (*q < '0' || *q > '9')
			return TG_ERR_INVALID;
	errno = 0;
	char *end = NULL;
	long long v = strtoll(s, &end, 10); /* checked: digits only, errno, end */
	if (errno || !end || *end || v < min || v > max)
		return TG_ERR_INVALID;
	*out = (int64_t)v;
	return TG_OK;
}

bool tg_streq_ci(const char *a, const char *b)
{
	return strcasecmp(a, b) == 0;
}

bool tg_startswith_ci(const char *s, const char *prefix)
{
	return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

void tg_ascii_lower(char *s)
{
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
}

char *tg_trim(char *s)
{
	char *p = s;
	while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
		p++;
	size_t n = strlen(p);
	while (n && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r' || p[n - 1] == '\n'))
		n--;
	memmove(s, p, n);
	s[n] = '\0';
	return s;
}

bool tg_utf8_valid(const char *s, size_t len, size_t *cps_out)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, cps = 0;
	while (i < len) {
		unsigned c = p[i];
		unsigned need;
		uint32_t cp;
		if (c == 0)
			return false;
		if (c < 0x80) {
			i++;
			cps++;
			continue;
		} else if ((c & 0xe0) == 0xc0) {
			need = 1;
			cp = c & 0x1f;
		} else if ((c & 0xf0) == 0xe0) {
			need = 2;
			cp = c & 0x0f;
		} else if ((c & 0xf8) == 0xf0) {
			need = 3;
			cp = c & 0x07;
		} else {
			return false;
		}
		if (len - i <= need)
			return false;
		for (unsigned k = 1; k <= need; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (p[i + k] & 0x3f);
		}
		if ((need == 1 && cp < 0x80) || (need == 2 && cp < 0x800) ||
		    (need == 3 && cp < 0x10000) || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		i += need + 1;
		cps++;
	}
	if (cps_out)
		*cps_out = cps;
	return true;
}

bool tg_has_ctl(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

void tg_time_iso(int64_t t, char out[TG_TIME_ISO_LEN])
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (!gmtime_r(&tt, &tm)) {
		tg_strlcpy(out, "1970-01-01T00:00:00Z", TG_TIME_ISO_LEN);
		return;
	}
	strftime(out, TG_TIME_ISO_LEN, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

int tg_time_parse_iso(const char *s, int64_t *out)
{
	int Y, M, D, h = 0, m = 0, sec = 0;
	size_t n = strlen(s);
	if (n < 10 || digits(s, 4, &Y) || s[4] != '-' || digits(s + 5, 2, &M) ||
	    s[7] != '-' || digits(s + 8, 2, &D))
		return TG_ERR_INVALID;
	const char *p = s + 10;
	int64_t offset = 0;
	if (*p) {
		if ((*p != 'T' && *p != 't' && *p != ' ') || strlen(p) < 9 ||
		    digits(p + 1, 2, &h) || p[3] != ':' || digits(p + 4, 2, &m) ||
		    p[6] != ':' || digits(p + 7, 2, &sec))
			return TG_ERR_INVALID;
		p += 9;
		if (*p == '.') {
			p++;
			if (*p < '0' || *p > '9')
				return TG_ERR_INVALID;
			while (*p >= '0' && *p <= '9')
				p++;
		}
		if (*p == 'Z' || *p == 'z') {
			p++;
		} else if (*p == '+' || *p == '-') {
			int oh, om;
			if (strlen(p) != 6 || digits(p + 1, 2, &oh) || p[3] != ':' ||
			    digits(p + 4, 2, &om) || oh > 23 || om > 59)
				return TG_ERR_INVALID;
			offset = (int64_t)(oh * 3600 + om * 60) * (*p == '+' ? 1 : -1);
			p += 6;
		} else {
			return TG_ERR_INVALID;
		}
		if (*p)
			return TG_ERR_INVALID;
	}
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (Y < 1970 || Y > 9999 || M < 1 || M > 12 || D < 1 || D > mdays[M - 1] ||
	    h > 23 || m > 59 || sec > 60)
		return TG_ERR_INVALID;
	bool leap = (Y % 4 == 0 && Y % 100 != 0) || Y % 400 == 0;
	if (M == 2 && D == 29 && !leap)
		return TG_ERR_INVALID;
	/* days from civil (Howard Hinnant's algorithm) */
	int y = Y - (M <= 2);
	int era = y / 400;
	int yoe = y - era * 400;
	int doy = (153 * (M + (M > 2 ? -3 : 9)) + 2) / 5 + D - 1;
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	int64_t days = (int64_t)era * 146097 + doe - 719468;
	*out = days * 86400 + h * 3600 + m * 60 + sec - offset;
	return TG_OK;
}

int tg_time_parse_when(const char *s, int64_t now, int64_t *out)
{
	int64_t v;
	if (strcmp(s, "now") == 0)
		v = now;
	else if (tg_duration_parse(s, &v) == TG_OK)
		v = now - v;
	else if (tg_time_parse_iso(s, &v) != TG_OK)
		return TG_ERR_INVALID;
	*out = v;
	return TG_OK;
}

int tg_duration_parse(const char *s, int64_t *out)
{
	size_t n = strlen(s);
	if (n < 2 || n > 12)
		return TG_ERR_INVALID;
	int64_t mult;
	switch (s[n - 1]) {
	case 's': mult = 1; break;
	case 'm': mult = 60; break;
	case 'h': mult = 3600; break;
	case 'd': mult = 86400; break;
	case 'w': mult = 7 * 86400; break;
	default: return TG_ERR_INVALID;
	}
	char num[16];
	memcpy(num, s, n - 1);
	num[n - 1] = '\0';
	int64_t v;
	if (num[0] == '-' || num[0] == '+' ||
	    tg_parse_i64(num, 0, INT64_C(100000000000) / mult, &v) != TG_OK)
		return TG_ERR_INVALID;
	*out = v * mult;
	return TG_OK;
}

void tg_buf_init(struct tg_buf *b, size_t max)
{
	b->data = NULL;
	b->len = b->cap = 0;
	b->max = max;
	b->secret = false;
}

void tg_buf_init_secret(struct tg_buf *b, size_t max)
{
	tg_buf_init(b, max);
	b->secret = true;
}

void tg_buf_cleanup(struct tg_buf *b)
{
	if (b->secret) {
		tg_buf_cleanup_secret(b);
		return;
	}
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

void tg_buf_cleanup_secret(struct tg_buf *b)
{
	tg_secret_free(b->data, b->cap);
	b->data = NULL;
	b->len = b->cap = 0;
}

int tg_buf_append(struct tg_buf *b, const void *p, size_t n)
{
	if (n > b->max || b->len > b->max - n)
		return TG_ERR_TOO_LARGE;
	if (b->len + n + 1 > b->cap) {
		size_t nc = b->cap ? b->cap : 256;
		while (nc < b->len + n + 1)
			nc *= 2;
		if (nc > b->max + 1)
			nc = b->max + 1;
		if (b->secret) {
			char *fresh = xmalloc(nc);
			if (b->data) {
				memcpy(fresh, b->data, b->len + 1);
				tg_secret_free(b->data, b->cap);
			}
			b->data = fresh;
		} else {
			b->data = xrealloc(b->data, nc);
		}
		b->cap = nc;
	}
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return TG_OK;
}

int tg_buf_appendf(struct tg_buf *b, const char *fmt, ...)
{
	va_list ap;
	char *s = NULL;
	va_start(ap, fmt);
	int n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		return TG_ERR_NOMEM;
	int r = tg_buf_append(b, s, (size_t)n);
	if (b->secret)
		tg_secret_free(s, (size_t)n);
	else
		free(s);
	return r;
}

int tg_buf_read_stream(struct tg_buf *b, void *fp)
{
	FILE *f = fp;
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		int r = tg_buf_append(b, chunk, n);
		if (r) {
			tg_wipe(chunk, sizeof chunk);
			return r;
		}
	}
	tg_wipe(chunk, sizeof chunk);
	return ferror(f) ? TG_ERR_IO : TG_OK;
}
