/* SPDX-License-Identifier: MIT
 * Redirect URIs of OpenID Connect apps: the syntax Tollgate accepts when an
 * app is registered. Matching at /authorize is an exact string compare
 * (RFC 6749 §3.1.2.2, OAuth 2.0 Security BCP RFC 9700 §2.1), so a URI is
 * accepted here only in one canonical spelling. Pure. */
#ifndef TG_CORE_REDIRECT_URI_H
#define TG_CORE_REDIRECT_URI_H
#include <stdbool.h>
#include <stddef.h>

/* Check one redirect URI to be registered:
 *   - at most TG_MAX_REDIRECT_URI characters of printable ASCII (anything
 *     else percent-encoded), no spaces;
 *   - "https://HOST[:PORT][/PATH][?QUERY]", or "http://" only when HOST is
 *     a loopback host: 127.0.0.1, [::1] or localhost (RFC 8252 §7.3, §8.3);
 *   - scheme and host in lowercase; HOST a DNS name, an IPv4 address or an
 *     [IPv6] literal; no user information ("user@host"); PORT 1-65535;
 *   - no fragment (RFC 6749 §3.1.2), no "." or ".." path segment, "%" only
 *     as a %XX escape, only RFC 3986 characters.
 * TG_OK, or TG_ERR_INVALID with *why_out (may be NULL; static text) saying
 * what is wrong. */
int redirect_uri_check(const char *uri, const char **why_out);

/* true when host (as written in a URI: "127.0.0.1", "[::1]", "localhost")
 * is a loopback host for which plain http is allowed. */
bool redirect_uri_is_loopback_host(const char *host, size_t len);

#endif
