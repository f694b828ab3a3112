/* SPDX-License-Identifier: MIT
 * application/x-www-form-urlencoded parameters (see form.h). */
#include <string.h>
#include "base/err.h"
#include "base/mem.h"
#include "base/str.h"
#include "core/form.h"

void form_init(struct form *f)
{
	memset(f, 0, sizeof *f);
}

void form_cleanup(struct form *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->n; i++) {
		tg_secret_strfree(f->f[i].name);
		tg_secret_strfree(f->f[i].value);
	}
	memset(f, 0, sizeof *f);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int form_decode(const char *in, size_t n, char *out, size_t size, size_t *len_out)
{
	size_t o = 0;
	int r = TG_OK;
	for (size_t i = 0; i < n; i++) {
		int c = (unsigned char)in[i];
		if (c == '+') {
			c = ' ';
		} else if (c == '%') {
			int hi = i + 2 < n ? hexval(in[i + 1]) : -1;
			int lo = i + 2 < n ? hexval(in[i + 2]) : -1;
			if (hi < 0 || lo < 0) {
				r = TG_ERR_INVALID;
				goto out;
			}
			c = hi * 16 + lo;
			i += 2;
		}
		if (c < 0x20 || c == 0x7f) {
			r = TG_ERR_INVALID;
			goto out;
		}
		if (o + 1 >= size) {
			r = TG_ERR_TOO_LARGE;
			goto out;
		}
		out[o++] = (char)c;
	}
	out[o] = '\0';
	*len_out = o;
out:
	if (r && size)
		tg_wipe(out, size);
	return r;
}

const char *form_get(const struct form *f, const char *name)
{
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->f[i].name, name) == 0)
			return f->f[i].value;
	return NULL;
}

/* Check and store one decoded pair (copies). */
static int add_pair(struct form *f, const char *name, size_t name_len, const char *value,
                    size_t value_len)
{
	if (name_len == 0 || name_len > TG_MAX_FORM_NAME)
		return name_len ? TG_ERR_TOO_LARGE : TG_ERR_INVALID;
	if (value_len > TG_MAX_FORM_VALUE)
		return TG_ERR_TOO_LARGE;
	/* name and value are NUL-terminated at name_len / value_len */
	if (!tg_utf8_valid(name, name_len, NULL) || !tg_utf8_valid(value, value_len, NULL) ||
	    tg_has_ctl(name) || tg_has_ctl(value))
		return TG_ERR_INVALID;
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->f[i].name, name) == 0)
			return TG_ERR_INVALID;       /* RFC 6749 §3.1: at most once */
	if (value_len == 0)
		return TG_OK;                    /* RFC 6749 §3.1: as if omitted */
	if (f->n >= TG_MAX_FORM_FIELDS)
		return TG_ERR_TOO_LARGE;
	f->f[f->n].name = xstrndup(name, name_len);
	f->f[f->n].value = xstrndup(value, value_len);
	f->n++;
	return TG_OK;
}

int form_add(struct form *f, const char *name, const char *value)
{
	return add_pair(f, name, strlen(name), value ? value : "", value ? strlen(value) : 0);
}

int form_parse(const char *text, size_t len, struct form *f)
{
	char name[TG_MAX_FORM_NAME + 1];
	char *value = xmalloc(TG_MAX_FORM_VALUE + 1);
	int r = TG_OK;
	size_t i = 0;
	while (i < len && r == TG_OK) {
		const char *amp = memchr(text + i, '&', len - i);
		size_t end = amp ? (size_t)(amp - text) : len;
		if (end == i) {                  /* "&&" or a trailing '&' */
			i = end + 1;
			continue;
		}
		const char *eq = memchr(text + i, '=', end - i);
		size_t name_end = eq ? (size_t)(eq - text) : end;
		size_t nl = 0, vl = 0;
		r = form_decode(text + i, name_end - i, name, sizeof name, &nl);
		if (!r && eq)
			r = form_decode(eq + 1, end - name_end - 1, value, TG_MAX_FORM_VALUE + 1, &vl);
		else if (!r)
			value[0] = '\0';
		if (!r)
			r = add_pair(f, name, nl, value, vl);
		i = end + 1;
	}
	tg_wipe(name, sizeof name);
	tg_secret_free(value, TG_MAX_FORM_VALUE + 1);
	if (r)
		form_cleanup(f);
	return r;
}
