/* SPDX-License-Identifier: MIT
 * Password hashing with Argon2id (libargon2), stored as the standard
 * self-describing string "$argon2id$v=19$m=19456,t=2,p=1$salt$hash".
 * Verification is constant-time (argon2_verify compares in constant time).
 * Hashes made with weaker parameters are upgraded by the caller when
 * password_needs_rehash() says so after a successful verification. */
#ifndef TG_CRYPTO_PASSWORD_H
#define TG_CRYPTO_PASSWORD_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/limits.h"

struct pw_params {
	uint32_t m_kib;        /* memory in KiB */
	uint32_t t_cost;       /* iterations */
	uint32_t parallelism;  /* lanes */
};

/* OWASP password storage cheat sheet minimum for Argon2id. */
#define PW_DEFAULT_M_KIB 19456
#define PW_DEFAULT_T     2
#define PW_DEFAULT_P     1

void pw_params_default(struct pw_params *p);
/* Range check: m >= 8*p KiB, t >= 1, 1 <= p <= 16, m <= 4 GiB. */
int pw_params_check(const struct pw_params *p);

/* Hash pw (pw_len bytes) with a fresh 16-byte salt into out.
 * Returns TG_OK, TG_ERR_INVALID (bad params) or TG_ERR_CRYPTO. */
int password_hash(const struct pw_params *p, const char *pw, size_t pw_len,
                  char out[TG_MAX_PWHASH + 1]) __attribute__((warn_unused_result));

/* TG_OK when pw matches; TG_ERR_DENIED when it does not; TG_ERR_INVALID
 * when `encoded` is not an Argon2id string we accept. */
int password_verify(const char *encoded, const char *pw, size_t pw_len)
	__attribute__((warn_unused_result));

/* Do the work of a verification against a fixed dummy hash made with p, so
 * an unknown user takes as long as a known one. Always TG_ERR_DENIED. */
int password_verify_dummy(const struct pw_params *p, const char *pw, size_t pw_len);

/* true when `encoded` is weaker than p in any parameter (or unparseable). */
bool password_needs_rehash(const char *encoded, const struct pw_params *p);

/* true when s looks like an encoded Argon2id hash we can verify (used when
 * importing users that carry an existing hash). */
bool password_is_encoded_hash(const char *s);

#endif
