/* SPDX-License-Identifier: MIT
 * Brute-force limiter (see lockout.h). */
#include <stddef.h>
#include "base/err.h"
#include "base/limits.h"
#include "core/lockout.h"

#define FAILURES_SATURATE 1000000u

void lockout_policy_second_factor(struct lockout_policy *p)
{
	p->scope = LOCKOUT_ACCOUNT;
	p->free_failures = 3;
	p->backoff_base = 2;
	p->backoff_max = 60;
	p->lock_after = 10;
	p->lock_duration = 300;
	p->lock_max = 86400;
	p->max_consecutive = TG_MAX_CONSECUTIVE_FAILURES;
	p->forget_after = 0;
}

void lockout_policy_password(struct lockout_policy *p)
{
	p->scope = LOCKOUT_ACCOUNT;
	p->free_failures = 3;
	p->backoff_base = 1;
	p->backoff_max = 30;
	p->lock_after = 10;
	p->lock_duration = 60;
	p->lock_max = 86400;
	p->max_consecutive = TG_MAX_CONSECUTIVE_FAILURES;
	p->forget_after = 0;
}

void lockout_policy_source(struct lockout_policy *p)
{
	p->scope = LOCKOUT_SOURCE;
	p->free_failures = 10;
	p->backoff_base = 1;
	p->backoff_max = 60;
	p->lock_after = 50;
	p->lock_duration = 300;
	p->lock_max = 3600;
	p->max_consecutive = 0;
	p->forget_after = 86400;
}

int lockout_policy_check(const struct lockout_policy *p)
{
	if (p->free_failures < 1 || p->lock_after < p->free_failures)
		return TG_ERR_INVALID;
	if (p->backoff_base < 1 || p->backoff_max < p->backoff_base)
		return TG_ERR_INVALID;
	if (p->lock_duration < 1 || p->lock_max < p->lock_duration)
		return TG_ERR_INVALID;
	switch (p->scope) {
	case LOCKOUT_ACCOUNT:
		if (p->max_consecutive < p->lock_after ||
		    p->max_consecutive > TG_MAX_CONSECUTIVE_FAILURES || p->forget_after != 0)
			return TG_ERR_INVALID;
		return TG_OK;
	case LOCKOUT_SOURCE:
		if (p->max_consecutive != 0 || p->forget_after < 0)
			return TG_ERR_INVALID;
		return TG_OK;
	}
	return TG_ERR_INVALID;
}

/* base * 2^n, at most cap, without overflow. */
static int64_t doubled(int64_t base, uint32_t n, int64_t cap)
{
	int64_t d = base;
	for (uint32_t i = 0; i < n && d < cap; i++)
		d = d > cap / 2 ? cap : d * 2;
	return d < cap ? d : cap;
}

/* A source key's failures lapse after forget_after seconds of quiet. */
static bool forgotten(const struct lockout_policy *p, const struct lockout_state *s, int64_t now)
{
	return p->scope == LOCKOUT_SOURCE && p->forget_after > 0 && s->failures > 0 &&
	       now - s->last_failure >= p->forget_after && now >= s->locked_until;
}

static bool locked_for_good(const struct lockout_policy *p, const struct lockout_state *s)
{
	return p->scope == LOCKOUT_ACCOUNT && s->failures >= p->max_consecutive;
}

int lockout_check(const struct lockout_policy *p, const struct lockout_state *s, int64_t now,
                  int64_t *retry_after_out)
{
	if (retry_after_out)
		*retry_after_out = 0;
	if (lockout_policy_check(p) != TG_OK)
		return TG_ERR_INVALID;
	if (locked_for_good(p, s)) {
		if (retry_after_out)
			*retry_after_out = LOCKOUT_UNTIL_UNLOCK;
		return TG_ERR_LOCKED;
	}
	if (forgotten(p, s, now) || now >= s->locked_until)
		return TG_OK;
	if (retry_after_out)
		*retry_after_out = s->locked_until - now;
	return s->failures >= p->lock_after ? TG_ERR_LOCKED : TG_ERR_RATE_LIMITED;
}

enum lockout_event lockout_record_failure(const struct lockout_policy *p,
                                          struct lockout_state *s, int64_t now)
{
	if (forgotten(p, s, now))
		lockout_record_success(s);
	if (s->failures < FAILURES_SATURATE)
		s->failures++;
	s->last_failure = now;
	if (locked_for_good(p, s)) {
		s->locked_until = 0;
		return s->failures == p->max_consecutive ? LOCKOUT_EV_LOCKED_UNTIL_UNLOCK
		                                         : LOCKOUT_EV_NONE;
	}
	if (s->failures >= p->lock_after) {
		s->locked_until = now + doubled(p->lock_duration, s->failures - p->lock_after, p->lock_max);
		return LOCKOUT_EV_LOCKED;
	}
	if (s->failures >= p->free_failures) {
		s->locked_until = now + doubled(p->backoff_base, s->failures - p->free_failures,
		                                p->backoff_max);
		return LOCKOUT_EV_BACKOFF;
	}
	return LOCKOUT_EV_NONE;
}

void lockout_record_success(struct lockout_state *s)
{
	s->failures = 0;
	s->last_failure = 0;
	s->locked_until = 0;
}

void lockout_unlock(struct lockout_state *s)
{
	lockout_record_success(s);
}

bool lockout_is_locked(const struct lockout_policy *p, const struct lockout_state *s, int64_t now)
{
	return lockout_check(p, s, now, NULL) == TG_ERR_LOCKED;
}
