/* SPDX-License-Identifier: MIT
 * A tenant's Conditional Access policies and named locations compiled once
 * per change into a read-only index, so that deciding a sign-in looks only
 * at the policies that can apply to it (by user, group, role, application,
 * user action and client app type) instead of at all of them. Pure.
 *
 * Thread-safety: a compiled set is immutable; any number of threads may
 * decide against it at once. Each thread keeps its own struct
 * ca_candidates scratch (inside struct decision).
 *
 * How policies are indexed (docs/internals/decision.md has the picture):
 *   disabled, or users "None", or applications only "None"/"Office365"
 *                          -> never a candidate
 *   users not "All"        -> under each included user, group and role id
 *                             (and the guests list for GuestsOrExternalUsers)
 *   users "All", apps not "All"
 *                          -> under each included app id, the admin-portal
 *                             list (MicrosoftAdminPortals), the user-action list
 *   users "All", apps "All" -> the always-list of each client app type it targets
 * Every user, group, role and application id a policy names, included or
 * excluded, also goes into one hash table; a lookup of the signing-in
 * user's ids therefore yields, per policy touched, which of its id lists
 * matched ("hints"), so the evaluator never scans a list. */
#ifndef TG_CORE_CA_COMPILE_H
#define TG_CORE_CA_COMPILE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/ca_policy.h"
#include "core/cidr.h"
#include "core/named_location.h"

struct ca_compiled;   /* opaque; ca_compile_int.h for core/ca_eval.c */

/* ca_compile flags */
enum {
	/* Do not index: every enabled or report-only policy is a candidate and
	 * the evaluator scans id lists itself. The reference behaviour the
	 * index is tested against; also handy when debugging. */
	CA_COMPILE_NO_INDEX = 1u << 0,
};

/* Compile n policies (any state; order kept: results list them in this
 * order) and n_locs named locations. Everything is deep-copied: the inputs
 * may be freed afterwards. Policies are expected to have passed
 * ca_policy_validate; a location id no named location has simply never
 * matches. *out receives a new set, free it with ca_compiled_free().
 * Returns TG_OK, TG_ERR_TOO_LARGE for more than TG_MAX_CA_POLICIES
 * policies or TG_MAX_NAMED_LOCATIONS locations, TG_ERR_INVALID for NULL
 * arrays with a non-zero count; *out is NULL on failure. */
int ca_compile(const struct ca_policy *policies, size_t n, const struct named_location *locs,
               size_t n_locs, unsigned flags, struct ca_compiled **out);
void ca_compiled_free(struct ca_compiled *c);  /* accepts NULL */

/* Number of policies, and the i-th (i < count) as compiled. */
size_t ca_compiled_count(const struct ca_compiled *c);
const struct ca_policy *ca_compiled_policy(const struct ca_compiled *c, size_t i);
/* The named location with this id, or NULL. */
const struct named_location *ca_compiled_location(const struct ca_compiled *c, const char *id);

/* ---- candidate lookup (used by the decision; exposed for tests) ------- */

/* What the index needs to know about a sign-in. Id arrays are borrowed. */
struct ca_query {
	const char *user_id;
	bool is_guest;
	const char *const *groups;    /* transitive group ids */
	size_t n_groups;
	const char *const *roles;     /* role template ids */
	size_t n_roles;
	const char *app_id;
	bool app_privileged;          /* counts as MicrosoftAdminPortals */
	unsigned user_action;         /* CA_UA_* of the request, 0 = none */
	unsigned client;              /* CA_CLIENT_* bits the sign-in's client type matches */
};

/* hint flags: which of a policy's id lists matched the query */
enum {
	CA_HINT_INC_USER = 1u << 0,
	CA_HINT_EXC_USER = 1u << 1,
	CA_HINT_INC_GROUP = 1u << 2,
	CA_HINT_EXC_GROUP = 1u << 3,
	CA_HINT_INC_ROLE = 1u << 4,
	CA_HINT_EXC_ROLE = 1u << 5,
	CA_HINT_INC_APP = 1u << 6,
	CA_HINT_EXC_APP = 1u << 7,
	CA_HINT_CANDIDATE_ = 1u << 15,   /* internal: already in the candidate list */
};

struct ca_hint {
	uint16_t flags;
	const char *inc_id;   /* first included id that matched (borrowed), or NULL */
	const char *exc_id;   /* first excluded id that matched (borrowed), or NULL */
};

/* Caller-owned, reusable scratch: after ca_compiled_candidates(),
 * idx[0..n) are the candidate policy indices in ascending order, and
 * hint[i] holds the hints of policy i (all zero for a policy the query did
 * not touch). Reusing one struct across calls avoids any allocation once
 * it has grown to the largest set. */
struct ca_candidates {
	size_t n;
	uint32_t *idx;
	struct ca_hint *hint;
	/* private */
	size_t cap;          /* entries of idx and hint */
	uint32_t *touched;   /* policies whose hint is non-zero */
	size_t n_touched;
	bool indexed;        /* false: hints are not valid (CA_COMPILE_NO_INDEX) */
};

void ca_candidates_init(struct ca_candidates *cand);
void ca_candidates_cleanup(struct ca_candidates *cand);  /* accepts NULL */

/* Fill cand for q against c. Never fails (grows cand with xrealloc). */
void ca_compiled_candidates(const struct ca_compiled *c, const struct ca_query *q,
                            struct ca_candidates *cand);

#endif
