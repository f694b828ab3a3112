/* SPDX-License-Identifier: MIT
 * Brute-force limiting for passwords and second factors, per account and
 * per source IP. Pure: the caller loads the state for a key, passes the
 * time, and stores the state back (atomically, with the attempt).
 *
 *   failures 1 .. free_failures-1   no delay
 *   free_failures .. lock_after-1   back-off: backoff_base * 2^(n - free),
 *                                   at most backoff_max  (TG_ERR_RATE_LIMITED)
 *   lock_after ..                   lockout: lock_duration * 2^(n - lock_after),
 *                                   at most lock_max     (TG_ERR_LOCKED)
 *   max_consecutive (accounts)      locked until an administrator unlocks:
 *                                   NIST SP 800-63B §5.2.2 allows no more
 *                                   than 100 consecutive failures on an
 *                                   account, so this is at most 100.
 * A success resets the count; so does an administrator's unlock. Source
 * (IP) keys never lock for good (a shared NAT address would lock everyone
 * behind it out); their failures are forgotten after forget_after seconds
 * of quiet instead. Design notes: docs/internals/oath.md. */
#ifndef TG_CORE_LOCKOUT_H
#define TG_CORE_LOCKOUT_H
#include <stdbool.h>
#include <stdint.h>

/* retry_after value meaning "until an administrator unlocks". */
#define LOCKOUT_UNTIL_UNLOCK (-1)

enum lockout_scope {
	LOCKOUT_ACCOUNT = 0,   /* key: one user */
	LOCKOUT_SOURCE = 1,    /* key: one source IP (or network) */
};

struct lockout_policy {
	enum lockout_scope scope;
	uint32_t free_failures;   /* failures allowed before any delay; >= 1 */
	int64_t backoff_base;     /* seconds, first back-off delay; >= 1 */
	int64_t backoff_max;      /* seconds, cap on one back-off delay */
	uint32_t lock_after;      /* consecutive failures that lock; >= free_failures */
	int64_t lock_duration;    /* seconds, first lockout */
	int64_t lock_max;         /* seconds, cap on one lockout */
	uint32_t max_consecutive; /* ACCOUNT: lock until unlock at this count;
	                           * lock_after..TG_MAX_CONSECUTIVE_FAILURES.
	                           * SOURCE: must be 0 (unused). */
	int64_t forget_after;     /* SOURCE: seconds of quiet that clear the count
	                           * (0 = never). ACCOUNT: must be 0. */
};

/* Per-key state; zero-initialised means "no failures". */
struct lockout_state {
	uint32_t failures;     /* consecutive failures since the last success/unlock */
	int64_t last_failure;  /* time of the latest failure */
	int64_t locked_until;  /* attempts refused before this time (back-off or lock) */
};

/* What a recorded failure did, for the audit log. */
enum lockout_event {
	LOCKOUT_EV_NONE = 0,            /* counted, no delay yet */
	LOCKOUT_EV_BACKOFF,             /* a back-off delay started */
	LOCKOUT_EV_LOCKED,              /* a timed lockout started: audit it */
	LOCKOUT_EV_LOCKED_UNTIL_UNLOCK, /* reached max_consecutive: audit it */
};

/* Second factors: 3 free, back-off 2 s doubling up to 60 s, lock after 10
 * for 5 minutes doubling up to a day, locked until unlock at 100. */
void lockout_policy_second_factor(struct lockout_policy *p);
/* Passwords: as Entra smart lockout (10 failures, then 60 s, growing):
 * 3 free, back-off 1 s doubling up to 30 s, lock after 10 for 60 s doubling
 * up to a day, locked until unlock at 100. lock_after is the configurable
 * "password threshold". */
void lockout_policy_password(struct lockout_policy *p);
/* Source IPs (all accounts together): 10 free, back-off 1 s up to 60 s,
 * lock after 50 for 5 minutes up to an hour, forgotten after a quiet day. */
void lockout_policy_source(struct lockout_policy *p);

/* TG_OK or TG_ERR_INVALID (with the rules in the field comments: ACCOUNT
 * policies must lock for good at no more than 100 failures). */
int lockout_policy_check(const struct lockout_policy *p);

/* May an attempt be made now? TG_OK; TG_ERR_RATE_LIMITED (back-off) or
 * TG_ERR_LOCKED, with *retry_after_out (may be NULL) = seconds to wait, or
 * LOCKOUT_UNTIL_UNLOCK. TG_ERR_INVALID for a bad policy. Call before
 * checking the credential; when refused, do not check it and do not
 * record a failure. */
int lockout_check(const struct lockout_policy *p, const struct lockout_state *s, int64_t now,
                  int64_t *retry_after_out) __attribute__((warn_unused_result));

/* Record a failed attempt at time now and return what it started.
 * Saturates; never wraps. */
enum lockout_event lockout_record_failure(const struct lockout_policy *p,
                                          struct lockout_state *s, int64_t now);

/* A successful attempt: the count starts again. */
void lockout_record_success(struct lockout_state *s);

/* An administrator's unlock ("tollgate account unlock"): same reset. */
void lockout_unlock(struct lockout_state *s);

/* true when lockout_check would return TG_ERR_LOCKED (not mere back-off). */
bool lockout_is_locked(const struct lockout_policy *p, const struct lockout_state *s, int64_t now);

#endif
