/* SPDX-License-Identifier: MIT
 * otpauth:// URI construction (see otpauth.h). */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include "base/err.h"
#include "base/limits.h"
#include "base/mem.h"
#include "base/str.h"
#include "core/base32.h"
#include "core/otpauth.h"

/* RFC 3986 §2.3 unreserved characters. */
static bool unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '.' || c == '_' || c == '~';
}

/* A fixed output buffer: the URI holds the secret, so it is built on the
 * stack (wiped afterwards) instead of a growing heap buffer whose
 * reallocations would leave copies of the secret behind. */
struct out {
	char buf[TG_MAX_OTPAUTH_URI + 1];
	size_t len;
	bool full;
};

static void put(struct out *o, const char *s, size_t n)
{
	if (o->full || n > TG_MAX_OTPAUTH_URI - o->len) {
		o->full = true;
		return;
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
	o->buf[o->len] = '\0';
}

static void put_str(struct out *o, const char *s)
{
	put(o, s, strlen(s));
}

/* Append s percent-encoded; in the label '@' may stay (a pchar, and
 * authenticator apps show it as typed). */
static void put_encoded(struct out *o, const char *s, bool label)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (unreserved(*p) || (label && *p == '@')) {
			put(o, (const char *)p, 1);
			continue;
		}
		char e[3] = {'%', hex[*p >> 4], hex[*p & 15]};
		put(o, e, 3);
	}
}

static int check_text(const char *s, size_t max)
{
	size_t n = strlen(s);
	if (n == 0 || !tg_utf8_valid(s, n, NULL) || tg_has_ctl(s) || strchr(s, ':'))
		return TG_ERR_INVALID;
	if (n > max)
		return TG_ERR_TOO_LARGE;
	return TG_OK;
}

int otpauth_build(const char *issuer, const char *upn, const uint8_t *secret, size_t secret_len,
                  const struct totp_params *p, char **uri_out)
{
	char b32[TG_MAX_OATH_SECRET_B32 + 1], tail[64];
	struct out o = {.len = 0, .full = false};
	*uri_out = NULL;
	int r = check_text(issuer, TG_MAX_ISSUER);
	if (!r)
		r = check_text(upn, TG_MAX_UPN);
	if (!r)
		r = totp_params_check(p);
	if (r)
		return r;
	if (secret_len == 0)
		return TG_ERR_INVALID;
	if (secret_len > TG_MAX_OATH_SECRET)
		return TG_ERR_TOO_LARGE;
	r = base32_encode(secret, secret_len, false, b32, sizeof b32);
	if (r)
		return r;
	put_str(&o, "otpauth://totp/");
	put_encoded(&o, issuer, true);
	put_str(&o, ":");
	put_encoded(&o, upn, true);
	put_str(&o, "?secret=");
	put_str(&o, b32);
	put_str(&o, "&issuer=");
	put_encoded(&o, issuer, false);
	snprintf(tail, sizeof tail, "&algorithm=%s&digits=%u&period=%u",
	         hmac_alg_name(p->alg), p->digits, p->period);
	put_str(&o, tail);
	if (o.full) {
		r = TG_ERR_TOO_LARGE;
	} else {
		*uri_out = xstrndup(o.buf, o.len);
		r = TG_OK;
	}
	tg_wipe(b32, sizeof b32);
	tg_wipe(&o, sizeof o);
	return r;
}
