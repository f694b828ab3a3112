/* SPDX-License-Identifier: MIT
 * Private to ca_compile.c and ca_eval.c: the layout of a compiled policy
 * set. Everyone else uses core/ca_compile.h. */
#ifndef TG_CORE_CA_COMPILE_INT_H
#define TG_CORE_CA_COMPILE_INT_H
#include "core/ca_compile.h"

/* A location reference resolved at compile time: an index into
 * ca_compiled.locs, or one of these. */
#define CA_LOC_MFA_TRUSTED_IPS UINT32_MAX        /* the service settings' trusted IPs */
#define CA_LOC_MISSING (UINT32_MAX - 1)          /* no such named location: never matches */

/* How a policy is reached from a query (see ca_compile.h). */
enum ca_primary {
	CA_PRIMARY_NEVER = 0,   /* disabled, or can never apply */
	CA_PRIMARY_USER,        /* through its included user, group, role ids, guests */
	CA_PRIMARY_APP,         /* through its included apps, admin portals, user actions */
	CA_PRIMARY_ALWAYS,      /* all users and all apps: by client type only */
};

struct ca_u32s {
	size_t n;
	uint32_t *v;
};

struct ca_cpol {
	struct ca_policy pol;          /* owned deep copy */
	enum ca_primary primary;
	unsigned client_mask;          /* CA_CLIENT_* with ALL expanded to every bit */
	struct ca_u32s inc_loc;        /* resolved conditions.locations.includeLocations */
	struct ca_u32s exc_loc;        /* resolved excludeLocations */
	int64_t sif;                   /* ca_policy_sif_seconds() */
};

/* One hash slot: a (kind, id) pair and its policy references, each
 * (policy index << 1) | excluded, in refs[start .. start+count). */
enum ca_key_kind { CA_KEY_USER = 1, CA_KEY_GROUP, CA_KEY_ROLE, CA_KEY_APP };

struct ca_slot {
	uint64_t hash;                 /* 0 = empty slot */
	const char *key;               /* points into a policy's id list */
	uint32_t start, count;
	uint8_t kind;
};

/* client classes, for the always-lists */
enum { CA_CLASS_BROWSER, CA_CLASS_MOBILE, CA_CLASS_EAS, CA_CLASS_OTHER, CA_CLASS_COUNT_ };

struct ca_compiled {
	unsigned flags;
	size_t n;
	struct ca_cpol *pols;
	size_t n_locs;
	struct named_location *locs;   /* owned copies */
	struct cidr_set *loc_sets;     /* one per location, for O(log n) lookups */
	struct cidr_set trusted_locs;  /* union of the trusted named locations */
	/* index */
	struct ca_slot *tab;
	size_t tab_mask;               /* slots - 1 (power of two), 0 when no table */
	uint64_t *filter;              /* one bit per prefix class of every key: most of a
	                                  user's groups miss here, before any hashing */
	unsigned filter_shift;         /* 64 - log2(bits) */
	uint32_t *refs;
	size_t n_refs;
	struct ca_u32s always[CA_CLASS_COUNT_];
	struct ca_u32s guests;         /* CA_PRIMARY_USER policies including GuestsOrExternalUsers */
	struct ca_u32s admin_portals;  /* CA_PRIMARY_APP policies including MicrosoftAdminPortals */
	struct ca_u32s user_actions;   /* CA_PRIMARY_APP policies with includeUserActions */
	struct ca_u32s all_active;     /* every enabled/report-only policy (CA_COMPILE_NO_INDEX) */
};

/* Hash of an id, ASCII case folded, mixed with its kind; never 0. */
uint64_t ca_compile_hash(const char *s, unsigned kind);
/* The filter bit of an id: its first 8 bytes, case folded, mixed. */
uint64_t ca_compile_prefix(const char *s);

#endif
