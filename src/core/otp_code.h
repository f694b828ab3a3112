/* SPDX-License-Identifier: MIT
 * One-time codes sent by SMS, voice call or email: generation from
 * caller-supplied random samples, normalisation of what the user typed,
 * the life of one code (valid 10 minutes, single use, a few wrong guesses),
 * and the per-user send rate limit. Pure: time and randomness are
 * parameters.
 *
 * Codes are stored only as keyed digests (keys_pepper_digest with context
 * OTP_CODE_DIGEST_CONTEXT); the caller checks the typed code with
 * keys_pepper_verify and passes the result to otp_code_attempt. The store
 * makes "single use" atomic: UPDATE ... SET used_at = :now WHERE id = :id
 * AND used_at IS NULL, treating "no row changed" as TG_ERR_REPLAY. */
#ifndef TG_CORE_OTP_CODE_H
#define TG_CORE_OTP_CODE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define OTP_CODE_DEFAULT_DIGITS 6
#define OTP_CODE_MIN_DIGITS     6
#define OTP_CODE_MAX_DIGITS     8
#define OTP_CODE_SIZE           (OTP_CODE_MAX_DIGITS + 1)
/* uint32 samples to pass to otp_code_generate: with rejection sampling
 * each is usable with probability > 0.97 (8 digits) or > 0.9997 (6), so
 * 8 samples all fail with probability < 1e-12. */
#define OTP_CODE_SAMPLES        8
#define OTP_CODE_TTL            600  /* seconds a code stays valid (10 minutes) */
#define OTP_CODE_MAX_ATTEMPTS   5    /* wrong guesses before a code is burnt */
#define OTP_CODE_DIGEST_CONTEXT "otp-code"
#define OTP_CODE_SEND_WINDOW    900  /* seconds: the rate limit's window (15 minutes) */
#define OTP_CODE_SEND_DEFAULT_MAX 5    /* sends per user per window by default */

/* A code of `digits` (6..8) decimal digits from uniformly random uint32
 * samples, without modulo bias: a sample v is used only when
 * v < 2^32 - (2^32 mod 10^digits), the first usable one gives the code
 * v mod 10^digits, zero-padded. TG_OK; TG_ERR_INVALID for bad digits or
 * when no sample is usable (ask for fresh samples). */
int otp_code_generate(const uint32_t *samples, size_t n_samples, unsigned digits,
                      char out[OTP_CODE_SIZE]) __attribute__((warn_unused_result));

/* What the user typed, with spaces and '-' removed; TG_OK only when
 * exactly `digits` ASCII digits remain (TG_ERR_INVALID otherwise, out "").
 * Also used for TOTP codes before totp_verify. */
int otp_code_normalize(const char *typed, unsigned digits, char out[OTP_CODE_SIZE]);

/* TG_OK while now < created_at + ttl, else TG_ERR_EXPIRED. A creation time
 * in the future (clock skew between servers) is not expired. */
int otp_code_check_expiry(int64_t created_at, int64_t ttl, int64_t now);

/* The stored state of one sent code (next to its digest). */
struct otp_code_rec {
	int64_t created_at;
	int64_t ttl;              /* OTP_CODE_TTL unless configured */
	int64_t used_at;          /* 0 while unused */
	unsigned failed_attempts; /* wrong guesses against this code */
};

void otp_code_rec_init(struct otp_code_rec *rec, int64_t now, int64_t ttl);

/* One attempt to use the code at time now; code_matches is the result of
 * comparing the typed code with the stored digest (keys_pepper_verify).
 * Checked in this order:
 *   TG_ERR_REPLAY   already used (the same code twice is refused);
 *   TG_ERR_EXPIRED  older than its ttl;
 *   TG_ERR_LIMIT    OTP_CODE_MAX_ATTEMPTS wrong guesses already made:
 *                   burnt, even the right code is refused now;
 *   TG_OK           matches: rec->used_at = now (persist it atomically);
 *   TG_ERR_DENIED   wrong: rec->failed_attempts++ (persist it).
 * Account-wide limits are separate (lockout.h). */
int otp_code_attempt(struct otp_code_rec *rec, int64_t now, bool code_matches)
	__attribute__((warn_unused_result));

/* Send rate limit: sent_at holds the times codes were sent to this user
 * (any order; older ones are ignored). Another send is allowed when fewer
 * than max_sends of them fall in (now - window, now]. Returns TG_OK, or
 * TG_ERR_RATE_LIMITED with *retry_after_out (may be NULL) = seconds until a
 * send becomes possible; TG_ERR_INVALID for max_sends outside
 * 1..TG_MAX_OTP_SENDS or window <= 0. Times in the future count as now. */
int otp_code_send_check(const int64_t *sent_at, size_t n, int64_t now, unsigned max_sends,
                   int64_t window, int64_t *retry_after_out)
	__attribute__((warn_unused_result));

#endif
