/* SPDX-License-Identifier: MIT
 * Shared helpers for strict JSON <-> typed struct conversion: a JSON path
 * that follows the reader ("conditions.users.includeUsers[2]"), an error
 * carrying that path, a loader that checks size, nesting depth and UTF-8
 * before jansson sees the text (and names the path of a syntax error), and
 * a strict member check that refuses unknown members and ignores `@odata.*`
 * annotations. Everything returns enum tg_err codes (TG_ERR_INVALID for
 * bad input, TG_ERR_TOO_LARGE for input over a limit). */
#ifndef TG_JSON_JSON_UTIL_H
#define TG_JSON_JSON_UTIL_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "base/limits.h"

/* Where and why a document was refused. path is "" for the document as a
 * whole; both strings are always NUL-terminated. */
struct json_err {
	char path[TG_MAX_ERR_PATH];
	char message[TG_MAX_ERR_MESSAGE];
};

/* The path of the value being read; push a segment before reading a
 * member or element and pop it (restore the mark) afterwards. Segments that
 * would overflow the buffer are cut (the path stays NUL-terminated). */
struct json_path {
	char buf[TG_MAX_ERR_PATH];
	size_t len;
};

void json_path_init(struct json_path *p);
/* Append ".key" (or "key" at the root). Returns the mark to pop to. */
size_t json_path_push_key(struct json_path *p, const char *key);
/* Append "[i]". Returns the mark to pop to. */
size_t json_path_push_index(struct json_path *p, size_t i);
void json_path_pop(struct json_path *p, size_t mark);

/* Fill err (may be NULL) with path (may be NULL = "") and a message;
 * always returns TG_ERR_INVALID so callers can `return json_fail(...)`. */
int json_fail(struct json_err *err, const struct json_path *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Same with a TG_ERR_* code of the caller's choice. */
int json_fail_code(int code, struct json_err *err, const struct json_path *path,
                   const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Parse text[0..len) into *out (a new reference the caller json_decref()s;
 * NULL on failure). Checks, in order: len <= max_len (TG_ERR_TOO_LARGE),
 * nesting <= max_depth (at most TG_MAX_JSON_DEPTH), valid UTF-8 in every
 * string and member name, then jansson's parse with duplicate members
 * refused; the error path names the value where the fault is. The top
 * level must be an object. */
int json_load_strict(const char *text, size_t len, size_t max_len, size_t max_depth,
                     json_t **out, struct json_err *err);

/* How a member of an object is treated by json_check_members. */
enum json_member_kind {
	JSON_MEMBER_READ = 0,     /* read by the caller */
	JSON_MEMBER_IGNORED,      /* read-only or informational: any value accepted */
	JSON_MEMBER_NULL_ONLY,    /* known but unsupported: only null, [], {}, "" or false */
};

struct json_member {
	const char *name;         /* exact, case-sensitive (Graph property names) */
	enum json_member_kind kind;
};

/* Check that obj is an object whose every member is in members[] (ended by
 * a {NULL} entry) or an `@odata.*` annotation (also "name@odata.*"). A
 * JSON_MEMBER_NULL_ONLY member with a value is refused ("not supported").
 * path is obj's path. */
int json_check_members(const json_t *obj, const struct json_member *members,
                       struct json_path *path, struct json_err *err);

/* true for "@odata.type", "@odata.context", "includeUsers@odata.bind", ... */
bool json_is_annotation(const char *key);

/* Typed reads of obj[name] with the path already pushed by the helper.
 * Absent and null both give *present_out = false (present_out may be NULL
 * when the caller does not care); a wrong type is refused. */
int json_get_string(const json_t *obj, const char *name, struct json_path *path,
                    struct json_err *err, const char **out, bool *present_out);
int json_get_bool(const json_t *obj, const char *name, struct json_path *path,
                  struct json_err *err, bool *out, bool *present_out);
int json_get_int(const json_t *obj, const char *name, int64_t min, int64_t max,
                 struct json_path *path, struct json_err *err, int64_t *out,
                 bool *present_out);
/* Object or null/absent: *out is NULL when absent or null. */
int json_get_object(const json_t *obj, const char *name, struct json_path *path,
                    struct json_err *err, const json_t **out);
/* Array of strings or null/absent (*out NULL): checks every element is a
 * string and there are at most max_items (TG_ERR_INVALID "more than N"). */
int json_get_string_array(const json_t *obj, const char *name, size_t max_items,
                          struct json_path *path, struct json_err *err, const json_t **out);

/* Serialise root canonically (insertion order, no trailing newline);
 * pretty = two-space indentation. Caller frees; never NULL (aborts on OOM). */
char *json_dump_canonical(const json_t *root, bool pretty);

#endif
