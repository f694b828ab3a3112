/* SPDX-License-Identifier: MIT
 * The otpauth:// key URI that authenticator apps scan from a QR code
 * (Google Authenticator "Key Uri Format", as every app reads it):
 *
 *   otpauth://totp/ISSUER:UPN?secret=BASE32&issuer=ISSUER
 *       &algorithm=SHA1&digits=6&period=30
 *
 * Issuer and UPN are UTF-8, percent-encoded per RFC 3986 §2.1 (upper-case
 * hex; only unreserved characters, plus '@' in the label, are left as is;
 * a space is %20, never '+'). The secret is Base32 without padding. Pure. */
#ifndef TG_CORE_OTPAUTH_H
#define TG_CORE_OTPAUTH_H
#include <stddef.h>
#include <stdint.h>
#include "core/oath.h"

/* Build the URI for a TOTP method. issuer: 1..TG_MAX_ISSUER bytes, upn:
 * 1..TG_MAX_UPN bytes; both valid UTF-8 without control characters or ':'
 * (the label separator). secret: 1..TG_MAX_OATH_SECRET bytes.
 * *uri_out is a new string; WARNING: it contains the secret: free it with
 * tg_secret_strfree. Set only on TG_OK. Returns TG_OK, TG_ERR_INVALID or
 * TG_ERR_TOO_LARGE. */
int otpauth_build(const char *issuer, const char *upn, const uint8_t *secret, size_t secret_len,
                  const struct totp_params *p, char **uri_out)
	__attribute__((warn_unused_result));

#endif
