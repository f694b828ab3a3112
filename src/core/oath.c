/* SPDX-License-Identifier: MIT
 * HOTP/TOTP (see oath.h). RFC 4226 §5.3 for the truncation, RFC 6238 §4
 * for the time step. */
#include <string.h>
#include "base/err.h"
#include "base/limits.h"
#include "base/mem.h"
#include "base/str.h"
#include "core/oath.h"
#include "crypto/ct.h"

static const uint32_t powers_of_ten[OATH_MAX_DIGITS + 1] = {
	1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000};

void totp_params_default(struct totp_params *p)
{
	p->alg = HMAC_ALG_SHA1;
	p->digits = TOTP_DEFAULT_DIGITS;
	p->period = TOTP_DEFAULT_PERIOD;
	p->window = TOTP_DEFAULT_WINDOW;
}

int totp_params_check(const struct totp_params *p)
{
	if (hmac_alg_len(p->alg) == 0)
		return TG_ERR_INVALID;
	if (p->digits != 6 && p->digits != 8)
		return TG_ERR_INVALID;
	if (p->period != 30 && p->period != 60)
		return TG_ERR_INVALID;
	if (p->window > TG_MAX_TOTP_WINDOW)
		return TG_ERR_INVALID;
	return TG_OK;
}

int oath_alg_parse(const char *s, enum hmac_alg *out)
{
	static const struct {
		const char *name;
		enum hmac_alg alg;
	} names[] = {
		{"SHA1", HMAC_ALG_SHA1}, {"SHA256", HMAC_ALG_SHA256}, {"SHA512", HMAC_ALG_SHA512},
		{"hmacsha1", HMAC_ALG_SHA1}, {"hmacsha256", HMAC_ALG_SHA256},
		{"hmacsha512", HMAC_ALG_SHA512},
	};
	for (size_t i = 0; i < TG_ARRAY_LEN(names); i++) {
		if (tg_streq_ci(s, names[i].name)) {
			*out = names[i].alg;
			return TG_OK;
		}
	}
	return TG_ERR_INVALID;
}

int oath_secret_check(size_t secret_len)
{
	if (secret_len < TG_MIN_OATH_SECRET)
		return TG_ERR_INVALID;
	if (secret_len > TG_MAX_OATH_SECRET)
		return TG_ERR_TOO_LARGE;
	return TG_OK;
}

static int secret_usable(size_t secret_len)
{
	if (secret_len == 0)
		return TG_ERR_INVALID;
	if (secret_len > TG_MAX_OATH_SECRET)
		return TG_ERR_TOO_LARGE;
	return TG_OK;
}

/* The counter as the 8-byte big-endian message (RFC 4226 §5.2). */
static void counter_bytes(uint64_t c, uint8_t msg[8])
{
	for (int i = 7; i >= 0; i--) {
		msg[i] = (uint8_t)(c & 0xff);
		c >>= 8;
	}
}

/* Dynamic truncation (RFC 4226 §5.3; RFC 6238's reference code uses the
 * last byte of the longer SHA-2 outputs the same way) to `digits` digits. */
static void truncate_code(const uint8_t *mac, size_t mac_len, unsigned digits,
                          char out[OATH_CODE_SIZE])
{
	unsigned off = mac[mac_len - 1] & 0x0f;
	uint32_t bin = (uint32_t)(mac[off] & 0x7f) << 24 | (uint32_t)mac[off + 1] << 16 |
	               (uint32_t)mac[off + 2] << 8 | (uint32_t)mac[off + 3];
	uint32_t v = bin % powers_of_ten[digits];
	for (int i = (int)digits - 1; i >= 0; i--) {
		out[i] = (char)('0' + v % 10);
		v /= 10;
	}
	out[digits] = '\0';
}

static int code_for(struct hmac_ctx *c, uint64_t counter, unsigned digits,
                    char out[OATH_CODE_SIZE])
{
	uint8_t msg[8], mac[HMAC_MAX_LEN];
	size_t mac_len = 0;
	counter_bytes(counter, msg);
	int r = hmac_ctx_compute(c, msg, sizeof msg, mac, &mac_len);
	if (!r)
		truncate_code(mac, mac_len, digits, out);
	tg_wipe(mac, sizeof mac);
	return r;
}

int hotp_generate(enum hmac_alg alg, const uint8_t *secret, size_t secret_len,
                  uint64_t counter, unsigned digits, char out[OATH_CODE_SIZE])
{
	uint8_t msg[8], mac[HMAC_MAX_LEN];
	size_t mac_len = 0;
	out[0] = '\0';
	if (digits < OATH_MIN_DIGITS || digits > OATH_MAX_DIGITS || hmac_alg_len(alg) == 0)
		return TG_ERR_INVALID;
	int r = secret_usable(secret_len);
	if (r)
		return r;
	counter_bytes(counter, msg);
	r = hmac_compute(alg, secret, secret_len, msg, sizeof msg, mac, &mac_len);
	if (!r)
		truncate_code(mac, mac_len, digits, out);
	tg_wipe(mac, sizeof mac);
	return r;
}

int totp_step(const struct totp_params *p, int64_t now, int64_t *step_out)
{
	if (totp_params_check(p) != TG_OK || now < 0)
		return TG_ERR_INVALID;
	*step_out = now / (int64_t)p->period;
	return TG_OK;
}

int totp_generate(const struct totp_params *p, const uint8_t *secret, size_t secret_len,
                  int64_t now, char out[OATH_CODE_SIZE])
{
	int64_t step = 0;
	out[0] = '\0';
	int r = totp_step(p, now, &step);
	if (r)
		return r;
	return hotp_generate(p->alg, secret, secret_len, (uint64_t)step, p->digits, out);
}

static bool code_well_formed(const char *code, unsigned digits)
{
	size_t n = strnlen(code, OATH_CODE_SIZE);
	if (n != digits)
		return false;
	for (size_t i = 0; i < n; i++)
		if (code[i] < '0' || code[i] > '9')
			return false;
	return true;
}

int totp_verify(const struct totp_params *p, const uint8_t *secret, size_t secret_len,
                const char *code, int64_t now, int64_t last_used_step,
                int64_t *matched_step_out)
{
	struct hmac_ctx *c = NULL;
	char cand[OATH_CODE_SIZE];
	int64_t step = 0, fresh = -1;
	bool seen_used = false;
	int r = totp_step(p, now, &step);
	if (r)
		return r;
	r = secret_usable(secret_len);
	if (r)
		return r == TG_ERR_TOO_LARGE ? TG_ERR_INVALID : r;
	bool well_formed = code_well_formed(code, p->digits);
	r = hmac_ctx_new(p->alg, secret, secret_len, &c);
	if (r)
		return r;
	/* compute and compare every candidate, whatever matched before, so
	 * the time spent does not tell which step matched */
	for (int64_t s = step - (int64_t)p->window; s <= step + (int64_t)p->window; s++) {
		if (s < 0)
			continue;
		r = code_for(c, (uint64_t)s, p->digits, cand);
		if (r)
			goto out;
		bool eq = well_formed && ct_memeq(cand, code, p->digits);
		if (eq && s > last_used_step) {
			if (fresh < 0)
				fresh = s;
		} else if (eq) {
			seen_used = true;
		}
	}
	if (fresh >= 0) {
		*matched_step_out = fresh;
		r = TG_OK;
	} else {
		r = seen_used ? TG_ERR_REPLAY : TG_ERR_DENIED;
	}
out:
	tg_wipe(cand, sizeof cand);
	hmac_ctx_free(c);
	return r;
}
