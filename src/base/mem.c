/* SPDX-License-Identifier: MIT
 * Aborting allocators and secret wiping. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/mem.h"

static void oom(size_t n)
{
	fprintf(stderr, "tollgate: out of memory allocating %zu bytes\n", n);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom(n);
	return p;
}

void *xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);
	if (!p)
		oom(nmemb * size);
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		oom(n);
	return q;
}

char *xstrdup(const char *s)
{
	char *p = strdup(s);
	if (!p)
		oom(strlen(s));
	return p;
}

char *xstrndup(const char *s, size_t n)
{
	char *p = strndup(s, n);
	if (!p)
		oom(n);
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *out = NULL;
	va_start(ap, fmt);
	int n = vasprintf(&out, fmt, ap);
	va_end(ap);
	if (n < 0)
		oom(0);
	return out;
}

void tg_wipe(void *p, size_t len)
{
	if (p && len)
		explicit_bzero(p, len);
}

void tg_secret_free(void *p, size_t len)
{
	if (!p)
		return;
	tg_wipe(p, len);
	free(p);
}

void tg_secret_strfree(char *s)
{
	if (!s)
		return;
	tg_wipe(s, strlen(s));
	free(s);
}
