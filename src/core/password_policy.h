/* SPDX-License-Identifier: MIT
 * Password acceptance rules (NIST SP 800-63B §5.1.1.2): length only, any
 * Unicode, no composition rules. Pure. */
#ifndef TG_CORE_PASSWORD_POLICY_H
#define TG_CORE_PASSWORD_POLICY_H
#include <stddef.h>

/* TG_OK, or TG_ERR_INVALID with a static reason in *why_out (may be NULL):
 * not UTF-8, too short (< TG_MIN_PASSWORD_CHARS code points), too long. */
int password_policy_check(const char *pw, size_t len, const char **why_out);

#endif
