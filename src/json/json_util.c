/* SPDX-License-Identifier: MIT
 * Strict JSON helpers (see json_util.h). Sections: paths and errors, the
 * pre-scan (depth, UTF-8, path of a byte offset), loading, member checks,
 * typed getters, output. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/err.h"
#include "base/mem.h"
#include "base/str.h"
#include "json/json_util.h"

/* ---- paths and errors -------------------------------------------------- */

void json_path_init(struct json_path *p)
{
	p->buf[0] = '\0';
	p->len = 0;
}

/* Append n bytes, cutting at a UTF-8 boundary if they do not fit and
 * replacing control characters by '?', so the path is always printable
 * UTF-8 that fits in an HTTP error body. */
static void path_append(struct json_path *p, const char *s, size_t n)
{
	size_t room = sizeof p->buf - 1 - p->len;
	if (n > room) {
		n = room;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		p->buf[p->len++] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
	}
	p->buf[p->len] = '\0';
}

size_t json_path_push_key(struct json_path *p, const char *key)
{
	size_t mark = p->len;
	if (p->len > 0)
		path_append(p, ".", 1);
	path_append(p, key, strlen(key));
	return mark;
}

size_t json_path_push_index(struct json_path *p, size_t i)
{
	size_t mark = p->len;
	char tmp[32];
	int n = snprintf(tmp, sizeof tmp, "[%zu]", i);
	if (n > 0)
		path_append(p, tmp, (size_t)n);
	return mark;
}

void json_path_pop(struct json_path *p, size_t mark)
{
	if (mark <= p->len) {
		p->len = mark;
		p->buf[mark] = '\0';
	}
}

static int vfail(int code, struct json_err *err, const struct json_path *path,
                 const char *fmt, va_list ap) __attribute__((format(printf, 4, 0)));

static int vfail(int code, struct json_err *err, const struct json_path *path,
                 const char *fmt, va_list ap)
{
	if (err) {
		tg_strlcpy(err->path, path ? path->buf : "", sizeof err->path);
		vsnprintf(err->message, sizeof err->message, fmt, ap);
	}
	return code;
}

int json_fail(struct json_err *err, const struct json_path *path, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = vfail(TG_ERR_INVALID, err, path, fmt, ap);
	va_end(ap);
	return r;
}

int json_fail_code(int code, struct json_err *err, const struct json_path *path,
                   const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = vfail(code, err, path, fmt, ap);
	va_end(ap);
	return r;
}

/* ---- the pre-scan ------------------------------------------------------- */

/* A light tokenizer that follows containers, member names and element
 * indexes without building anything. It checks nesting depth and the UTF-8
 * of every string, and can tell the path of the value at a byte offset
 * (used to place jansson's syntax errors). It never reads past len and
 * tolerates malformed input (it simply reaches the end). */

struct scan_frame {
	bool is_obj;
	bool have_key;        /* object: a member name was read, its value follows */
	size_t index;         /* array: current element */
	const char *key;      /* object: raw member name (escapes not decoded) */
	size_t key_len;
	bool started;         /* array: an element has begun */
};

enum scan_result {
	SCAN_END = 0,         /* reached the end of the text, no fault */
	SCAN_STOPPED,         /* reached the stop offset */
	SCAN_TOO_DEEP,
	SCAN_BAD_UTF8,
};

struct scan {
	struct scan_frame frames[TG_MAX_JSON_DEPTH + 1];
	size_t depth;
};

static void scan_path(const struct scan *sc, bool include_last_key, struct json_path *out)
{
	json_path_init(out);
	for (size_t i = 0; i < sc->depth; i++) {
		const struct scan_frame *f = &sc->frames[i];
		bool last = i + 1 == sc->depth;
		if (f->is_obj && f->have_key && (include_last_key || !last)) {
			if (out->len > 0)
				path_append(out, ".", 1);
			path_append(out, f->key, f->key_len);
		} else if (!f->is_obj && f->started) {
			(void)json_path_push_index(out, f->index);
		}
	}
}

/* Mark that a value starts in the innermost container. */
static void scan_value_start(struct scan *sc)
{
	if (sc->depth > 0 && !sc->frames[sc->depth - 1].is_obj)
		sc->frames[sc->depth - 1].started = true;
}

static enum scan_result scan_text(const char *s, size_t len, size_t stop, size_t max_depth,
                                  struct json_path *path_out)
{
	struct scan sc;
	sc.depth = 0;
	if (max_depth > TG_MAX_JSON_DEPTH)
		max_depth = TG_MAX_JSON_DEPTH;
	size_t i = 0;
	while (i < len) {
		if (i >= stop) {
			scan_path(&sc, true, path_out);
			return SCAN_STOPPED;
		}
		char c = s[i];
		struct scan_frame *top = sc.depth ? &sc.frames[sc.depth - 1] : NULL;
		switch (c) {
		case '{':
		case '[':
			scan_value_start(&sc);
			if (sc.depth >= max_depth) {
				scan_path(&sc, true, path_out);
				return SCAN_TOO_DEEP;
			}
			memset(&sc.frames[sc.depth], 0, sizeof sc.frames[0]);
			sc.frames[sc.depth].is_obj = c == '{';
			sc.depth++;
			i++;
			break;
		case '}':
		case ']':
			if (sc.depth > 0)
				sc.depth--;
			i++;
			break;
		case ',':
			if (top && top->is_obj)
				top->have_key = false;
			else if (top)
				top->index++;
			i++;
			break;
		case '"': {
			size_t j = i + 1;
			while (j < len && s[j] != '"')
				j += (s[j] == '\\') ? 2 : 1;
			if (j > len)
				j = len;
			bool is_key = top && top->is_obj && !top->have_key;
			if (!is_key)
				scan_value_start(&sc);
			if (!tg_utf8_valid(s + i + 1, j - i - 1, NULL)) {
				/* a bad member name is reported at its object */
				scan_path(&sc, !is_key, path_out);
				return SCAN_BAD_UTF8;
			}
			if (is_key) {
				top->have_key = true;
				top->key = s + i + 1;
				top->key_len = j - i - 1;
			}
			if (i + 1 <= stop && stop <= j) {
				scan_path(&sc, true, path_out);
				return SCAN_STOPPED;
			}
			i = j + 1;
			break;
		}
		case ' ': case '\t': case '\r': case '\n': case ':':
			i++;
			break;
		default:
			scan_value_start(&sc);
			i++;
			break;
		}
	}
	scan_path(&sc, true, path_out);
	return SCAN_END;
}

/* ---- loading -------------------------------------------------------------- */

int json_load_strict(const char *text, size_t len, size_t max_len, size_t max_depth,
                     json_t **out, struct json_err *err)
{
	struct json_path path;
	*out = NULL;
	json_path_init(&path);
	if (len > max_len)
		return json_fail_code(TG_ERR_TOO_LARGE, err, &path,
		                      "document larger than %zu bytes", max_len);
	if (max_depth > TG_MAX_JSON_DEPTH)
		max_depth = TG_MAX_JSON_DEPTH;
	switch (scan_text(text, len, SIZE_MAX, max_depth, &path)) {
	case SCAN_TOO_DEEP:
		return json_fail(err, &path, "nested deeper than %zu levels", max_depth);
	case SCAN_BAD_UTF8:
		return json_fail(err, &path, "invalid UTF-8");
	case SCAN_END:
	case SCAN_STOPPED:
		break;
	}

	json_error_t je;
	json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	if (!root) {
		size_t pos = je.position > 0 ? (size_t)je.position : 0;
		(void)scan_text(text, len, pos > 0 ? pos - 1 : 0, max_depth, &path);
		return json_fail(err, &path, "invalid JSON: %s", je.text);
	}
	if (!json_is_object(root)) {
		json_decref(root);
		json_path_init(&path);
		return json_fail(err, &path, "expected a JSON object");
	}
	*out = root;   /* transferred */
	return TG_OK;
}

/* ---- member checks -------------------------------------------------------- */

bool json_is_annotation(const char *key)
{
	if (strncmp(key, "@odata.", 7) == 0)
		return true;
	const char *at = strstr(key, "@odata.");
	return at != NULL && at != key;
}

static bool is_empty_value(const json_t *v)
{
	if (json_is_null(v) || json_is_false(v))
		return true;
	if (json_is_array(v))
		return json_array_size(v) == 0;
	if (json_is_object(v))
		return json_object_size(v) == 0;
	if (json_is_string(v))
		return json_string_length(v) == 0;
	return false;
}

int json_check_members(const json_t *obj, const struct json_member *members,
                       struct json_path *path, struct json_err *err)
{
	if (!json_is_object(obj))
		return json_fail(err, path, "expected an object");
	const char *key;
	json_t *v;
	json_object_foreach((json_t *)(uintptr_t)obj, key, v) {
		if (json_is_annotation(key))
			continue;
		const struct json_member *m = members;
		while (m->name && strcmp(m->name, key) != 0)
			m++;
		size_t mark = json_path_push_key(path, key);
		if (!m->name)
			return json_fail(err, path, "unknown member");
		if (m->kind == JSON_MEMBER_NULL_ONLY && !is_empty_value(v))
			return json_fail(err, path, "not supported by Tollgate (only null or empty accepted)");
		json_path_pop(path, mark);
	}
	return TG_OK;
}

/* ---- typed getters ---------------------------------------------------------- */

/* Look up name; NULL for absent or JSON null. */
static const json_t *member(const json_t *obj, const char *name)
{
	const json_t *v = json_object_get(obj, name);
	return (v && !json_is_null(v)) ? v : NULL;
}

int json_get_string(const json_t *obj, const char *name, struct json_path *path,
                    struct json_err *err, const char **out, bool *present_out)
{
	const json_t *v = member(obj, name);
	*out = NULL;
	if (present_out)
		*present_out = v != NULL;
	if (!v)
		return TG_OK;
	if (!json_is_string(v)) {
		size_t mark = json_path_push_key(path, name);
		int r = json_fail(err, path, "expected a string");
		json_path_pop(path, mark);
		return r;
	}
	*out = json_string_value(v);
	return TG_OK;
}

int json_get_bool(const json_t *obj, const char *name, struct json_path *path,
                  struct json_err *err, bool *out, bool *present_out)
{
	const json_t *v = member(obj, name);
	*out = false;
	if (present_out)
		*present_out = v != NULL;
	if (!v)
		return TG_OK;
	if (!json_is_boolean(v)) {
		size_t mark = json_path_push_key(path, name);
		int r = json_fail(err, path, "expected true or false");
		json_path_pop(path, mark);
		return r;
	}
	*out = json_is_true(v);
	return TG_OK;
}

int json_get_int(const json_t *obj, const char *name, int64_t min, int64_t max,
                 struct json_path *path, struct json_err *err, int64_t *out,
                 bool *present_out)
{
	const json_t *v = member(obj, name);
	*out = 0;
	if (present_out)
		*present_out = v != NULL;
	if (!v)
		return TG_OK;
	size_t mark = json_path_push_key(path, name);
	int r = TG_OK;
	if (!json_is_integer(v))
		r = json_fail(err, path, "expected an integer");
	else if (json_integer_value(v) < min || json_integer_value(v) > max)
		r = json_fail(err, path, "must be between %lld and %lld", (long long)min, (long long)max);
	else
		*out = json_integer_value(v);
	json_path_pop(path, mark);
	return r;
}

int json_get_object(const json_t *obj, const char *name, struct json_path *path,
                    struct json_err *err, const json_t **out)
{
	const json_t *v = member(obj, name);
	*out = NULL;
	if (!v)
		return TG_OK;
	if (!json_is_object(v)) {
		size_t mark = json_path_push_key(path, name);
		int r = json_fail(err, path, "expected an object");
		json_path_pop(path, mark);
		return r;
	}
	*out = v;
	return TG_OK;
}

int json_get_string_array(const json_t *obj, const char *name, size_t max_items,
                          struct json_path *path, struct json_err *err, const json_t **out)
{
	const json_t *v = member(obj, name);
	*out = NULL;
	if (!v)
		return TG_OK;
	size_t mark = json_path_push_key(path, name);
	if (!json_is_array(v))
		return json_fail(err, path, "expected an array of strings");
	if (json_array_size(v) > max_items)
		return json_fail(err, path, "more than %zu entries", max_items);
	for (size_t i = 0; i < json_array_size(v); i++) {
		if (!json_is_string(json_array_get(v, i))) {
			(void)json_path_push_index(path, i);
			return json_fail(err, path, "expected a string");
		}
	}
	json_path_pop(path, mark);
	*out = v;
	return TG_OK;
}

/* ---- output ------------------------------------------------------------------ */

char *json_dump_canonical(const json_t *root, bool pretty)
{
	char *s = json_dumps(root, pretty ? JSON_INDENT(2) : JSON_COMPACT);
	if (!s)
		abort();   /* only on OOM: same policy as xmalloc */
	return s;
}
