/* SPDX-License-Identifier: MIT
 * IP addresses and CIDR ranges, IPv4 and IPv6 (pure: no sockets, no DNS).
 * Used by named locations (core/named_location.h), the MFA service
 * settings' trusted IPs and the sign-in decision.
 *
 * Representation: an address is a family plus 128 bits (hi, lo). IPv4 keeps
 * its 32 bits in the low word; an IPv4-mapped IPv6 address (::ffff:a.b.c.d,
 * what a dual-stack socket reports for an IPv4 client) is parsed as IPv4,
 * and so is a mapped range ::ffff:a.b.c.d/(96+n), which becomes a.b.c.d/n.
 * A v4 range never matches a v6 address and vice versa.
 * Matching one range is two AND-and-compare operations; struct cidr_set
 * merges many ranges into sorted intervals for O(log n) lookups. */
#ifndef TG_CORE_CIDR_H
#define TG_CORE_CIDR_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CIDR_STRLEN 64   /* room for any formatted address or range, NUL included */

struct cidr_ip {
	uint8_t family;      /* 4 or 6 */
	uint64_t hi, lo;     /* v4: hi == 0, lo == the 32-bit address */
};

struct cidr {
	uint8_t family;      /* 4 or 6 */
	uint8_t prefix;      /* 0..32 or 0..128 */
	uint64_t hi, lo;     /* network address, host bits cleared */
	uint64_t mhi, mlo;   /* mask */
};

/* cidr_parse flags */
enum {
	CIDR_ALLOW_BARE = 1u << 0,   /* accept "1.2.3.4" / "2001:db8::1" as /32 or /128 */
	CIDR_STRICT = 1u << 1,       /* refuse host bits ("10.0.0.1/8"); default: clear them */
};

/* Parse "a.b.c.d/n" or "v6addr/n". IPv4 is strict dotted decimal (four
 * parts, 0..255, no leading zeros); IPv6 is RFC 4291 text (no zone id);
 * the prefix is decimal without leading zeros. Host bits are cleared
 * ("12.34.221.11/22" -> 12.34.220.0/22) unless CIDR_STRICT is given, as
 * Entra accepts such ranges. Returns TG_OK or TG_ERR_INVALID (out untouched). */
int cidr_parse(const char *s, unsigned flags, struct cidr *out);
/* Parse one address (IPv4 or IPv6, v4-mapped folds to v4). TG_OK or TG_ERR_INVALID. */
int cidr_ip_parse(const char *s, struct cidr_ip *out);

/* Canonical text: "12.34.220.0/22", "2001:0:9d38:90d6::/63" (RFC 5952). */
void cidr_format(const struct cidr *r, char out[CIDR_STRLEN]);
void cidr_ip_format(const struct cidr_ip *ip, char out[CIDR_STRLEN]);

/* true when ip lies in r (same family). */
static inline bool cidr_contains(const struct cidr *r, const struct cidr_ip *ip)
{
	return r->family == ip->family && (ip->hi & r->mhi) == r->hi && (ip->lo & r->mlo) == r->lo;
}
bool cidr_equal(const struct cidr *a, const struct cidr *b);

/* ---- sets of ranges ---------------------------------------------------- */

struct cidr_interval {
	uint8_t family;
	uint64_t shi, slo;   /* first address */
	uint64_t ehi, elo;   /* last address */
};

/* Sorted, merged, non-overlapping intervals. Build once, look up often;
 * read-only after cidr_set_build, so concurrent lookups are safe. */
struct cidr_set {
	size_t n;
	struct cidr_interval *iv;   /* owned */
};

/* Build set from n ranges (n may be 0; ranges may overlap). set must be
 * empty (zeroed or cleaned up). Aborts on OOM (xmalloc). */
void cidr_set_build(struct cidr_set *set, const struct cidr *ranges, size_t n);
bool cidr_set_contains(const struct cidr_set *set, const struct cidr_ip *ip);
void cidr_set_cleanup(struct cidr_set *set);   /* accepts NULL */

#endif
