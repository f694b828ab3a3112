/* SPDX-License-Identifier: MIT
 * Memory policy: allocation failure aborts (xmalloc family). This is safe
 * only because every size an attacker controls is capped by a TG_MAX_*
 * limit before allocating. Secrets are wiped before they are freed. */
#ifndef TG_BASE_MEM_H
#define TG_BASE_MEM_H
#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* printf into a new string; caller frees. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Zero memory in a way the compiler may not elide. */
void tg_wipe(void *p, size_t len);
/* Wipe len bytes then free; accepts NULL. */
void tg_secret_free(void *p, size_t len);
/* Wipe a NUL-terminated secret string then free it; accepts NULL. */
void tg_secret_strfree(char *s);

/* free() and set the pointer to NULL. */
#define safefree(p) do { free(p); (p) = NULL; } while (0)

#define TG_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#endif
