/* SPDX-License-Identifier: MIT
 * One-time codes: generation, normalisation, life of a code, send rate
 * limit (see otp_code.h). */
#include <stdlib.h>
#include <string.h>
#include "base/err.h"
#include "base/limits.h"
#include "base/mem.h"
#include "core/otp_code.h"

static const uint32_t powers_of_ten[OTP_CODE_MAX_DIGITS + 1] = {
	1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000};

int otp_code_generate(const uint32_t *samples, size_t n_samples, unsigned digits,
                      char out[OTP_CODE_SIZE])
{
	out[0] = '\0';
	if (digits < OTP_CODE_MIN_DIGITS || digits > OTP_CODE_MAX_DIGITS)
		return TG_ERR_INVALID;
	const uint64_t span = (uint64_t)1 << 32, bound = powers_of_ten[digits];
	const uint64_t limit = span - span % bound; /* a multiple of bound */
	for (size_t i = 0; i < n_samples; i++) {
		if ((uint64_t)samples[i] >= limit)
			continue;
		uint32_t v = (uint32_t)((uint64_t)samples[i] % bound);
		for (int d = (int)digits - 1; d >= 0; d--) {
			out[d] = (char)('0' + v % 10);
			v /= 10;
		}
		out[digits] = '\0';
		return TG_OK;
	}
	return TG_ERR_INVALID;
}

int otp_code_normalize(const char *typed, unsigned digits, char out[OTP_CODE_SIZE])
{
	size_t n = 0;
	out[0] = '\0';
	if (digits < OTP_CODE_MIN_DIGITS || digits > OTP_CODE_MAX_DIGITS)
		return TG_ERR_INVALID;
	/* a bounded scan: nothing a user types for a code is this long */
	for (size_t i = 0; typed[i]; i++) {
		char c = typed[i];
		if (i > 64)
			goto bad;
		if (c == ' ' || c == '-' || c == '\t')
			continue;
		if (c < '0' || c > '9' || n == digits)
			goto bad;
		out[n++] = c;
	}
	if (n != digits)
		goto bad;
	out[n] = '\0';
	return TG_OK;
bad:
	tg_wipe(out, OTP_CODE_SIZE);
	return TG_ERR_INVALID;
}

int otp_code_check_expiry(int64_t created_at, int64_t ttl, int64_t now)
{
	if (ttl <= 0 || now - created_at >= ttl)
		return TG_ERR_EXPIRED;
	return TG_OK;
}

void otp_code_rec_init(struct otp_code_rec *rec, int64_t now, int64_t ttl)
{
	rec->created_at = now;
	rec->ttl = ttl;
	rec->used_at = 0;
	rec->failed_attempts = 0;
}

int otp_code_attempt(struct otp_code_rec *rec, int64_t now, bool code_matches)
{
	if (rec->used_at != 0)
		return TG_ERR_REPLAY;
	if (otp_code_check_expiry(rec->created_at, rec->ttl, now) != TG_OK)
		return TG_ERR_EXPIRED;
	if (rec->failed_attempts >= OTP_CODE_MAX_ATTEMPTS)
		return TG_ERR_LIMIT;
	if (!code_matches) {
		rec->failed_attempts++;
		return TG_ERR_DENIED;
	}
	rec->used_at = now > 0 ? now : 1; /* 0 means unused */
	return TG_OK;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

int otp_code_send_check(const int64_t *sent_at, size_t n, int64_t now, unsigned max_sends,
                   int64_t window, int64_t *retry_after_out)
{
	if (retry_after_out)
		*retry_after_out = 0;
	if (max_sends < 1 || max_sends > TG_MAX_OTP_SENDS || window <= 0)
		return TG_ERR_INVALID;
	size_t count = 0;
	for (size_t i = 0; i < n; i++)
		if (sent_at[i] > now - window)
			count++;
	if (count < max_sends)
		return TG_OK;
	/* blocked until enough of the recent sends leave the window: the
	 * (count - max_sends + 1)-th oldest must be window seconds old */
	int64_t *recent = xmalloc(count * sizeof *recent);
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (sent_at[i] > now - window)
			recent[k++] = sent_at[i] > now ? now : sent_at[i];
	qsort(recent, count, sizeof *recent, cmp_i64);
	if (retry_after_out)
		*retry_after_out = recent[count - max_sends] + window - now;
	free(recent);
	return TG_ERR_RATE_LIMITED;
}
