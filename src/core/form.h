/* SPDX-License-Identifier: MIT
 * application/x-www-form-urlencoded parameters (HTML §4.10.21.7, used by
 * OAuth 2.0 requests, RFC 6749 Appendix B): the decoded name/value pairs
 * of a request body or of a query string, with OAuth's rules — a
 * parameter may appear at most once (RFC 6749 §3.1) and one sent without
 * a value counts as omitted. Values may hold secrets (client_secret,
 * code_verifier, refresh tokens): form_cleanup wipes them. Pure. */
#ifndef TG_CORE_FORM_H
#define TG_CORE_FORM_H
#include <stddef.h>
#include "base/limits.h"

struct form_field {
	char *name;
	char *value;           /* never "": empty parameters are dropped */
};

/* A parsed set of parameters. Zero-initialise (or form_init) before use;
 * release with form_cleanup. */
struct form {
	size_t n;
	struct form_field f[TG_MAX_FORM_FIELDS];
};

void form_init(struct form *f);
/* Wipe and free every name and value; f is empty afterwards. Accepts NULL. */
void form_cleanup(struct form *f);

/* Decode in[0..n) ('+' is a space, %XX a byte) into out (size bytes,
 * NUL-terminated; *len_out its length). A NUL byte, another control
 * character or a malformed escape is TG_ERR_INVALID; not fitting is
 * TG_ERR_TOO_LARGE. out is wiped on failure. */
int form_decode(const char *in, size_t n, char *out, size_t size, size_t *len_out)
	__attribute__((warn_unused_result));

/* Parse a body or query string text[0..len) ("a=1&b=2"; a "&&" or a
 * trailing "&" is tolerated) into f, which must be empty. Every name and
 * value is decoded (form_decode) and must be valid UTF-8; a name is at
 * most TG_MAX_FORM_NAME bytes, a value at most TG_MAX_FORM_VALUE.
 * TG_OK; TG_ERR_INVALID (malformed, a parameter twice, a field without
 * '=' and a name only is allowed: it counts as empty); TG_ERR_TOO_LARGE
 * (more than TG_MAX_FORM_FIELDS non-empty fields, a name or value too
 * long). f is emptied on failure. */
int form_parse(const char *text, size_t len, struct form *f) __attribute__((warn_unused_result));

/* Add one already-decoded parameter (a query argument libmicrohttpd
 * decoded), with the checks of form_parse: an empty value is dropped, a
 * repeated name is TG_ERR_INVALID, limits give TG_ERR_TOO_LARGE, a control
 * character or invalid UTF-8 TG_ERR_INVALID. Copies name and value. */
int form_add(struct form *f, const char *name, const char *value)
	__attribute__((warn_unused_result));

/* The value of name, or NULL when absent. Owned by f. */
const char *form_get(const struct form *f, const char *name);

#endif
