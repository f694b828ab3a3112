/* SPDX-License-Identifier: MIT
 * Constant-time comparison for secrets (MACs, digests, codes). */
#ifndef TG_CRYPTO_CT_H
#define TG_CRYPTO_CT_H
#include <stdbool.h>
#include <stddef.h>

/* true when a and b (both len bytes) are equal; time depends only on len. */
bool ct_memeq(const void *a, const void *b, size_t len) __attribute__((warn_unused_result));
/* Equal strings; lengths compared first (the length is not secret: callers
 * compare fixed-length digests or codes of a known length). */
bool ct_streq(const char *a, const char *b) __attribute__((warn_unused_result));

#endif
