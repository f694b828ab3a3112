/* SPDX-License-Identifier: MIT
 * Email address syntax for the email method and user records: a strict
 * subset of RFC 5321/5322 that every mail system delivers to. Pure.
 *
 *   local-part: dot-atom (RFC 5322 §3.2.3 atext, no leading, trailing or
 *               doubled dots), 1..64 bytes (RFC 5321 §4.5.3.1.1);
 *   domain:     two or more LDH labels (letters, digits, '-', not at either
 *               end), 1..63 bytes each, the last not all digits, at most
 *               TG_MAX_DOMAIN bytes;
 *   whole:      at most TG_MAX_EMAIL bytes.
 * Not accepted, on purpose: quoted local parts, comments, address literals
 * ("[192.0.2.1]"), single-label domains and non-ASCII (SMTPUTF8; IDN
 * domains must be given in their xn-- form). */
#ifndef TG_CORE_EMAIL_ADDR_H
#define TG_CORE_EMAIL_ADDR_H
#include <stdbool.h>
#include "base/limits.h"

#define EMAIL_ADDR_MAX_LOCAL 64
#define EMAIL_ADDR_SIZE (TG_MAX_EMAIL + 1)

/* TG_OK, TG_ERR_INVALID (syntax, with a static reason in *why_out, which
 * may be NULL) or TG_ERR_TOO_LARGE (over a length limit). */
int email_addr_check(const char *s, const char **why_out);

/* true when email_addr_check(s) is TG_OK. */
bool email_addr_is_valid(const char *s);

/* Trim surrounding ASCII white space, check, and lower-case the domain
 * (the local part is kept: it is case-sensitive in principle). out is ""
 * on failure. Errors as email_addr_check. */
int email_addr_normalize(const char *in, char out[EMAIL_ADDR_SIZE], const char **why_out);

#endif
