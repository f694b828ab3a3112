/* SPDX-License-Identifier: MIT
 * IP address and CIDR parsing, formatting and matching (see cidr.h).
 * inet_pton/inet_ntop are used as pure text converters (no I/O). */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include "base/err.h"
#include "base/mem.h"
#include "core/cidr.h"

/* Longest text accepted: a full IPv6 address with embedded IPv4
 * (45 chars) plus "/128". Anything longer is refused before copying. */
#define CIDR_MAX_INPUT 50

static uint64_t load_be64(const uint8_t *b)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = (v << 8) | b[i];
	return v;
}

static void store_be64(uint8_t *b, uint64_t v)
{
	for (int i = 7; i >= 0; i--) {
		b[i] = (uint8_t)v;
		v >>= 8;
	}
}

/* The v4-mapped prefix ::ffff:0:0/96 in the (hi, lo) form. */
static bool is_v4_mapped(uint64_t hi, uint64_t lo)
{
	return hi == 0 && (lo >> 32) == 0xffffu;
}

static int parse_addr(const char *s, struct cidr_ip *out)
{
	uint8_t b[16];
	if (strchr(s, ':') == NULL) {
		struct in_addr a4;
		if (inet_pton(AF_INET, s, &a4) != 1)
			return TG_ERR_INVALID;
		memcpy(b, &a4, 4);
		out->family = 4;
		out->hi = 0;
		out->lo = ((uint64_t)b[0] << 24) | ((uint64_t)b[1] << 16) | ((uint64_t)b[2] << 8) | b[3];
		return TG_OK;
	}
	struct in6_addr a6;
	if (inet_pton(AF_INET6, s, &a6) != 1)
		return TG_ERR_INVALID;
	memcpy(b, &a6, 16);
	out->family = 6;
	out->hi = load_be64(b);
	out->lo = load_be64(b + 8);
	return TG_OK;
}

int cidr_ip_parse(const char *s, struct cidr_ip *out)
{
	if (!s || strlen(s) > CIDR_MAX_INPUT)
		return TG_ERR_INVALID;
	struct cidr_ip ip;
	int r = parse_addr(s, &ip);
	if (r != TG_OK)
		return r;
	if (ip.family == 6 && is_v4_mapped(ip.hi, ip.lo)) {
		ip.family = 4;
		ip.lo &= 0xffffffffu;
	}
	*out = ip;
	return TG_OK;
}

static void make_mask(uint8_t family, unsigned prefix, uint64_t *mhi, uint64_t *mlo)
{
	if (family == 4) {
		*mhi = 0;
		*mlo = prefix == 0 ? 0 : (0xffffffffu << (32 - prefix)) & 0xffffffffu;
		return;
	}
	if (prefix == 0) {
		*mhi = 0;
		*mlo = 0;
	} else if (prefix <= 64) {
		*mhi = ~UINT64_C(0) << (64 - prefix);
		*mlo = 0;
	} else {
		*mhi = ~UINT64_C(0);
		*mlo = prefix == 128 ? ~UINT64_C(0) : ~UINT64_C(0) << (128 - prefix);
	}
}

/* Decimal prefix: digits only, no leading zero, value <= max. */
static int parse_prefix(const char *s, unsigned max, unsigned *out)
{
	size_t n = strlen(s);
	if (n == 0 || n > 3 || (n > 1 && s[0] == '0'))
		return TG_ERR_INVALID;
	unsigned v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return TG_ERR_INVALID;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	if (v > max)
		return TG_ERR_INVALID;
	*out = v;
	return TG_OK;
}

int cidr_parse(const char *s, unsigned flags, struct cidr *out)
{
	char buf[CIDR_MAX_INPUT + 1];
	if (!s)
		return TG_ERR_INVALID;
	size_t len = strlen(s);
	if (len == 0 || len > CIDR_MAX_INPUT)
		return TG_ERR_INVALID;
	memcpy(buf, s, len + 1);

	char *slash = strchr(buf, '/');
	if (slash)
		*slash = '\0';
	else if (!(flags & CIDR_ALLOW_BARE))
		return TG_ERR_INVALID;

	struct cidr_ip ip;
	if (parse_addr(buf, &ip) != TG_OK)
		return TG_ERR_INVALID;
	unsigned max = ip.family == 4 ? 32 : 128;
	unsigned prefix = max;
	if (slash && parse_prefix(slash + 1, max, &prefix) != TG_OK)
		return TG_ERR_INVALID;

	/* ::ffff:a.b.c.d/(96+n) is the IPv4 range a.b.c.d/n */
	if (ip.family == 6 && prefix >= 96 && is_v4_mapped(ip.hi, ip.lo)) {
		ip.family = 4;
		ip.lo &= 0xffffffffu;
		prefix -= 96;
	}

	struct cidr r;
	r.family = ip.family;
	r.prefix = (uint8_t)prefix;
	make_mask(r.family, prefix, &r.mhi, &r.mlo);
	r.hi = ip.hi & r.mhi;
	r.lo = ip.lo & r.mlo;
	if ((flags & CIDR_STRICT) && (r.hi != ip.hi || r.lo != ip.lo))
		return TG_ERR_INVALID;
	*out = r;
	return TG_OK;
}

static void format_addr(uint8_t family, uint64_t hi, uint64_t lo, char out[CIDR_STRLEN])
{
	uint8_t b[16];
	if (family == 4) {
		struct in_addr a4;
		b[0] = (uint8_t)(lo >> 24);
		b[1] = (uint8_t)(lo >> 16);
		b[2] = (uint8_t)(lo >> 8);
		b[3] = (uint8_t)lo;
		memcpy(&a4, b, 4);
		if (!inet_ntop(AF_INET, &a4, out, CIDR_STRLEN))
			out[0] = '\0';
		return;
	}
	struct in6_addr a6;
	store_be64(b, hi);
	store_be64(b + 8, lo);
	memcpy(&a6, b, 16);
	if (!inet_ntop(AF_INET6, &a6, out, CIDR_STRLEN))
		out[0] = '\0';
}

void cidr_ip_format(const struct cidr_ip *ip, char out[CIDR_STRLEN])
{
	format_addr(ip->family, ip->hi, ip->lo, out);
}

void cidr_format(const struct cidr *r, char out[CIDR_STRLEN])
{
	format_addr(r->family, r->hi, r->lo, out);
	size_t n = strlen(out);
	/* "/128" always fits: an address is at most 45 chars */
	out[n++] = '/';
	if (r->prefix >= 100)
		out[n++] = (char)('0' + r->prefix / 100);
	if (r->prefix >= 10)
		out[n++] = (char)('0' + r->prefix / 10 % 10);
	out[n++] = (char)('0' + r->prefix % 10);
	out[n] = '\0';
}

bool cidr_equal(const struct cidr *a, const struct cidr *b)
{
	return a->family == b->family && a->prefix == b->prefix && a->hi == b->hi && a->lo == b->lo;
}

/* ---- sets -------------------------------------------------------------- */

/* Order by (family, hi, lo). */
static int cmp3(uint8_t fa, uint64_t ha, uint64_t la, uint8_t fb, uint64_t hb, uint64_t lb)
{
	if (fa != fb)
		return fa < fb ? -1 : 1;
	if (ha != hb)
		return ha < hb ? -1 : 1;
	if (la != lb)
		return la < lb ? -1 : 1;
	return 0;
}

static int cmp_start(const void *a, const void *b)
{
	const struct cidr_interval *x = a, *y = b;
	return cmp3(x->family, x->shi, x->slo, y->family, y->shi, y->slo);
}

/* true when the interval starting at (hi, lo) touches or overlaps prev,
 * i.e. start <= prev.end + 1 (no wrap: prev.end at the family's top
 * address absorbs everything after it). */
static bool adjacent(const struct cidr_interval *prev, uint64_t hi, uint64_t lo)
{
	uint64_t nlo = prev->elo + 1, nhi = prev->ehi + (nlo == 0);
	uint64_t top_lo = prev->family == 4 ? 0xffffffffu : ~UINT64_C(0);
	uint64_t top_hi = prev->family == 4 ? 0 : ~UINT64_C(0);
	if (prev->ehi == top_hi && prev->elo == top_lo)
		return true;
	return cmp3(0, hi, lo, 0, nhi, nlo) <= 0;
}

void cidr_set_build(struct cidr_set *set, const struct cidr *ranges, size_t n)
{
	set->n = 0;
	set->iv = NULL;
	if (n == 0)
		return;
	struct cidr_interval *iv = xcalloc(n, sizeof *iv);
	for (size_t i = 0; i < n; i++) {
		iv[i].family = ranges[i].family;
		iv[i].shi = ranges[i].hi;
		iv[i].slo = ranges[i].lo;
		if (ranges[i].family == 4) {
			iv[i].ehi = 0;
			iv[i].elo = ranges[i].lo | (~ranges[i].mlo & 0xffffffffu);
		} else {
			iv[i].ehi = ranges[i].hi | ~ranges[i].mhi;
			iv[i].elo = ranges[i].lo | ~ranges[i].mlo;
		}
	}
	qsort(iv, n, sizeof *iv, cmp_start);
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		if (m > 0 && iv[m - 1].family == iv[i].family && adjacent(&iv[m - 1], iv[i].shi, iv[i].slo)) {
			struct cidr_interval *p = &iv[m - 1];
			if (cmp3(0, iv[i].ehi, iv[i].elo, 0, p->ehi, p->elo) > 0) {
				p->ehi = iv[i].ehi;
				p->elo = iv[i].elo;
			}
			continue;
		}
		iv[m++] = iv[i];
	}
	set->n = m;
	set->iv = iv;
}

bool cidr_set_contains(const struct cidr_set *set, const struct cidr_ip *ip)
{
	/* last interval whose start <= ip */
	size_t lo = 0, hi = set->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct cidr_interval *v = &set->iv[mid];
		if (cmp3(v->family, v->shi, v->slo, ip->family, ip->hi, ip->lo) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return false;
	const struct cidr_interval *v = &set->iv[lo - 1];
	return v->family == ip->family && cmp3(0, ip->hi, ip->lo, 0, v->ehi, v->elo) <= 0;
}

void cidr_set_cleanup(struct cidr_set *set)
{
	if (!set)
		return;
	free(set->iv);
	set->iv = NULL;
	set->n = 0;
}
