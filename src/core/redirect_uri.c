/* SPDX-License-Identifier: MIT
 * Redirect URI syntax for app registration (see redirect_uri.h). */
#include <string.h>
#include <strings.h>
#include "base/err.h"
#include "base/limits.h"
#include "core/redirect_uri.h"

static bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static bool is_hex(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
/* RFC 3986 §2.3 unreserved and §2.2 sub-delims, plus ':' '@' (pchar), '/'
 * and '?' (path and query). */
static bool is_uri_char(char c)
{
	return is_alpha(c) || is_digit(c) || (c && strchr("-._~!$&'()*+,;=:@/?", c));
}

static int bad(const char **why_out, const char *why)
{
	if (why_out)
		*why_out = why;
	return TG_ERR_INVALID;
}

bool redirect_uri_is_loopback_host(const char *host, size_t len)
{
	static const char *const loop[] = {"127.0.0.1", "[::1]", "localhost"};
	for (size_t i = 0; i < sizeof loop / sizeof loop[0]; i++)
		if (strlen(loop[i]) == len && memcmp(loop[i], host, len) == 0)
			return true;
	return false;
}

/* A DNS name or dotted IPv4 address in lowercase: labels of [a-z0-9-],
 * 1-63 characters, not starting or ending with '-'. */
static int check_name(const char *h, size_t n, const char **why_out)
{
	size_t label = 0;
	for (size_t i = 0; i <= n; i++) {
		char c = i < n ? h[i] : '.';
		if (c == '.') {
			if (label == 0)
				return bad(why_out, "the host has an empty label (a leading, trailing or double dot)");
			if (h[i - label] == '-' || h[i - 1] == '-')
				return bad(why_out, "a host label must not start or end with '-'");
			label = 0;
			continue;
		}
		if (c >= 'A' && c <= 'Z')
			return bad(why_out, "the host must be in lowercase");
		if (!((c >= 'a' && c <= 'z') || is_digit(c) || c == '-'))
			return bad(why_out, "the host is not a DNS name or an IP address");
		if (++label > 63)
			return bad(why_out, "a host label is longer than 63 characters");
	}
	return TG_OK;
}

/* "[...]" with hexadecimal digits, ':' and '.' inside. */
static int check_ipv6(const char *h, size_t n, const char **why_out)
{
	if (n < 4 || h[0] != '[' || h[n - 1] != ']' || !memchr(h, ':', n))
		return bad(why_out, "the host is not a valid [IPv6] literal");
	for (size_t i = 1; i + 1 < n; i++) {
		char c = h[i];
		if (c >= 'A' && c <= 'F')
			return bad(why_out, "the host must be in lowercase");
		if (!(is_hex(c) || c == ':' || c == '.'))
			return bad(why_out, "the host is not a valid [IPv6] literal");
	}
	return TG_OK;
}

static int check_port(const char *p, size_t n, const char **why_out)
{
	if (n == 0 || n > 5 || p[0] == '0')
		return bad(why_out, "the port must be a number from 1 to 65535 (no leading zero)");
	long v = 0;
	for (size_t i = 0; i < n; i++) {
		if (!is_digit(p[i]))
			return bad(why_out, "the port must be a number from 1 to 65535 (no leading zero)");
		v = v * 10 + (p[i] - '0');
	}
	if (v > 65535)
		return bad(why_out, "the port must be a number from 1 to 65535 (no leading zero)");
	return TG_OK;
}

/* Path and query: RFC 3986 characters, %XX escapes, no dot segments. */
static int check_rest(const char *p, const char **why_out)
{
	bool in_query = false;
	const char *seg = p;
	for (const char *q = p;; q++) {
		char c = *q;
		if (!in_query && (c == '/' || c == '?' || c == '\0')) {
			size_t sl = (size_t)(q - seg);
			if (q != p && ((sl == 1 && seg[0] == '.') || (sl == 2 && seg[0] == '.' && seg[1] == '.')))
				return bad(why_out, "the path must not contain \".\" or \"..\" segments");
			seg = q + 1;
		}
		if (c == '\0')
			break;
		if (c == '?')
			in_query = true;
		if (c == '%') {
			if (!is_hex(q[1]) || !is_hex(q[2]))
				return bad(why_out, "'%' must start a %XX escape");
			q += 2;
			continue;
		}
		if (!is_uri_char(c))
			return bad(why_out, "contains a character that must be percent-encoded");
	}
	return TG_OK;
}

int redirect_uri_check(const char *uri, const char **why_out)
{
	if (why_out)
		*why_out = "";
	if (!uri || !*uri)
		return bad(why_out, "is empty");
	size_t len = strlen(uri);
	if (len > TG_MAX_REDIRECT_URI)
		return bad(why_out, "is longer than 256 characters");
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)uri[i] <= 0x20 || (unsigned char)uri[i] >= 0x7f)
			return bad(why_out, "contains a space, a control character or a non-ASCII "
			                    "character (percent-encode it)");
	if (strchr(uri, '#'))
		return bad(why_out, "must not contain a fragment (#)");
	bool https;
	const char *p;
	if (strncmp(uri, "https://", 8) == 0) {
		https = true;
		p = uri + 8;
	} else if (strncmp(uri, "http://", 7) == 0) {
		https = false;
		p = uri + 7;
	} else if (strncasecmp(uri, "https://", 8) == 0 || strncasecmp(uri, "http://", 7) == 0) {
		return bad(why_out, "the scheme must be in lowercase");
	} else {
		return bad(why_out, "must start with https:// (or http:// for 127.0.0.1, [::1] "
		                    "or localhost)");
	}
	size_t alen = strcspn(p, "/?");
	if (memchr(p, '@', alen))
		return bad(why_out, "must not contain user information (user@host)");
	size_t hlen;
	if (alen && p[0] == '[') {
		const char *close = memchr(p, ']', alen);
		if (!close)
			return bad(why_out, "the host is not a valid [IPv6] literal");
		hlen = (size_t)(close - p) + 1;
		int r = check_ipv6(p, hlen, why_out);
		if (r)
			return r;
	} else {
		const char *colon = memchr(p, ':', alen);
		hlen = colon ? (size_t)(colon - p) : alen;
		if (hlen == 0)
			return bad(why_out, "has no host");
		int r = check_name(p, hlen, why_out);
		if (r)
			return r;
	}
	if (hlen < alen) {
		if (p[hlen] != ':')
			return bad(why_out, "the host is not a valid [IPv6] literal");
		int r = check_port(p + hlen + 1, alen - hlen - 1, why_out);
		if (r)
			return r;
	}
	if (!https && !redirect_uri_is_loopback_host(p, hlen))
		return bad(why_out, "http:// is allowed only for 127.0.0.1, [::1] and localhost; "
		                    "use https://");
	return check_rest(p + alen, why_out);
}
