/* SPDX-License-Identifier: MIT
 * OATH one-time passwords: HOTP (RFC 4226) and TOTP (RFC 6238) with
 * HMAC-SHA1/SHA256/SHA512, 6 or 8 digits, 30 or 60 s steps. Pure: the
 * time comes in as a parameter; the HMAC is computed by src/crypto.
 *
 * Replay rule: each method remembers the last step it accepted. A code is
 * accepted only for a step strictly greater than that, so the same code,
 * or any code of an earlier or equal step, is refused afterwards with
 * TG_ERR_REPLAY ("verification code already used once"). totp_verify
 * reports the matched step; the store then records it atomically
 * (UPDATE ... SET last_step = :m WHERE id = :id AND last_step < :m) and
 * treats "no row changed" as a replay, so two concurrent submissions of
 * one code succeed exactly once. Design notes: docs/internals/oath.md. */
#ifndef TG_CORE_OATH_H
#define TG_CORE_OATH_H
#include <stddef.h>
#include <stdint.h>
#include "crypto/hmac.h"

#define OATH_MIN_DIGITS       6
#define OATH_MAX_DIGITS       8
#define OATH_CODE_SIZE        (OATH_MAX_DIGITS + 1) /* buffer incl. NUL */
#define OATH_SECRET_LEN       20 /* bytes generated for a new app (160 bits) */
#define TOTP_DEFAULT_PERIOD   30
#define TOTP_DEFAULT_DIGITS   6
#define TOTP_DEFAULT_WINDOW   1  /* current step ±1 */
#define TOTP_STEP_NONE        (-1) /* last_used_step of a method never used */

/* One method's TOTP configuration. */
struct totp_params {
	enum hmac_alg alg;   /* HMAC_ALG_SHA1 (default), _SHA256, _SHA512 */
	unsigned digits;     /* 6 or 8 */
	unsigned period;     /* 30 or 60 seconds */
	unsigned window;     /* steps accepted either side of now; 0..TG_MAX_TOTP_WINDOW */
};

/* SHA1, 6 digits, 30 s, window 1: what every authenticator app supports. */
void totp_params_default(struct totp_params *p);
/* TG_OK, or TG_ERR_INVALID for a value outside the lists above. */
int totp_params_check(const struct totp_params *p);

/* Parse an algorithm name, case-insensitive: "SHA1"/"SHA256"/"SHA512"
 * (otpauth) or "hmacsha1"/"hmacsha256"/"hmacsha512" (Graph hashFunction).
 * TG_OK or TG_ERR_INVALID. */
int oath_alg_parse(const char *s, enum hmac_alg *out);

/* TG_OK when secret_len is acceptable for a NEW secret (registration,
 * import): TG_MIN_OATH_SECRET..TG_MAX_OATH_SECRET bytes (RFC 4226 §4 R6);
 * TG_ERR_INVALID (too short) or TG_ERR_TOO_LARGE. */
int oath_secret_check(size_t secret_len);

/* HOTP value for counter (RFC 4226 §5.3, dynamic truncation), as exactly
 * `digits` (6..8) decimal digits with leading zeros, into out.
 * secret_len must be 1..TG_MAX_OATH_SECRET. TG_OK, TG_ERR_INVALID,
 * TG_ERR_TOO_LARGE or TG_ERR_CRYPTO. */
int hotp_generate(enum hmac_alg alg, const uint8_t *secret, size_t secret_len,
                  uint64_t counter, unsigned digits, char out[OATH_CODE_SIZE])
	__attribute__((warn_unused_result));

/* The TOTP step containing time now (Unix seconds, >= 0): now / period.
 * TG_OK or TG_ERR_INVALID (bad params, negative time). */
int totp_step(const struct totp_params *p, int64_t now, int64_t *step_out);

/* The TOTP code for time now (RFC 6238 §4). Errors as hotp_generate. */
int totp_generate(const struct totp_params *p, const uint8_t *secret, size_t secret_len,
                  int64_t now, char out[OATH_CODE_SIZE]) __attribute__((warn_unused_result));

/* Verify a typed code against steps now-window .. now+window.
 * code must be exactly p->digits ASCII digits (normalise typed input with
 * otp_code_normalize first); anything else is a wrong code.
 * Every candidate step is computed and compared in constant time, so the
 * time taken does not depend on which step, if any, matched.
 *   TG_OK            matched a step > last_used_step; *matched_step_out
 *                    gets it (the lowest such step if several match).
 *   TG_ERR_REPLAY    matched only steps <= last_used_step.
 *   TG_ERR_DENIED    matched nothing (or malformed code).
 *   TG_ERR_INVALID   bad params, secret length or negative time.
 *   TG_ERR_CRYPTO    HMAC failure.
 * last_used_step: the step recorded for the method, or TOTP_STEP_NONE.
 * *matched_step_out is set only on TG_OK. */
int totp_verify(const struct totp_params *p, const uint8_t *secret, size_t secret_len,
                const char *code, int64_t now, int64_t last_used_step,
                int64_t *matched_step_out) __attribute__((warn_unused_result));

#endif
