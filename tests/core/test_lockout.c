/* SPDX-License-Identifier: MIT
 * Brute-force limiter with an injected clock: thresholds, back-off growth
 * and caps, lockout growth, never more than 100 consecutive failures on an
 * account even for a patient attacker, reset on success, administrator
 * unlock, source keys that never lock for good and forget, and policy
 * validation. */
#include "harness.h"
#include "base/err.h"
#include "base/limits.h"
#include "base/mem.h"
#include "core/lockout.h"

static const int64_t T0 = 1700000000;

/* An attacker that waits out every delay and fails again. Returns the
 * number of failures recorded before the limiter refused for good (or
 * gave up after max_tries); *now_io advances. */
static uint32_t patient_attacker(const struct lockout_policy *p, struct lockout_state *s,
                                 int64_t *now_io, uint32_t max_tries)
{
	uint32_t recorded = 0;
	for (uint32_t i = 0; i < max_tries; i++) {
		int64_t wait = 0;
		int r = lockout_check(p, s, *now_io, &wait);
		if (r != TG_OK && wait == LOCKOUT_UNTIL_UNLOCK)
			break;
		if (r != TG_OK)
			*now_io += wait;
		if (lockout_check(p, s, *now_io, NULL) != TG_OK) {
			TG_T_FAIL("still refused after waiting %lld s", (long long)wait);
			break;
		}
		lockout_record_failure(p, s, *now_io);
		recorded++;
		*now_io += 1;
	}
	return recorded;
}

static void second_factor_thresholds(void)
{
	struct lockout_policy p;
	struct lockout_state s = {0};
	int64_t now = T0, wait = 0;
	lockout_policy_second_factor(&p);
	CHECK_OK(lockout_policy_check(&p));
	CHECK_INT(p.lock_after, 10);
	CHECK_OK(lockout_check(&p, &s, now, &wait));
	CHECK_INT(lockout_record_failure(&p, &s, now), LOCKOUT_EV_NONE);
	CHECK_OK(lockout_check(&p, &s, now, &wait));
	CHECK_INT(lockout_record_failure(&p, &s, now), LOCKOUT_EV_NONE);
	CHECK_OK(lockout_check(&p, &s, now, &wait)); /* two free failures */
	/* the third starts back-off: 2 s */
	CHECK_INT(lockout_record_failure(&p, &s, now), LOCKOUT_EV_BACKOFF);
	CHECK_INT(lockout_check(&p, &s, now, &wait), TG_ERR_RATE_LIMITED);
	CHECK_INT(wait, 2);
	CHECK_INT(lockout_check(&p, &s, now + 1, &wait), TG_ERR_RATE_LIMITED);
	CHECK_INT(wait, 1);
	CHECK_OK(lockout_check(&p, &s, now + 2, &wait));
	CHECK(!lockout_is_locked(&p, &s, now));
	/* back-off doubles: failures 4..9 wait 4, 8, 16, 32, 60 (cap), 60 */
	static const int64_t expect[] = {4, 8, 16, 32, 60, 60};
	now += 2;
	for (size_t i = 0; i < TG_ARRAY_LEN(expect); i++) {
		CHECK_INT(lockout_record_failure(&p, &s, now), LOCKOUT_EV_BACKOFF);
		CHECK_INT(lockout_check(&p, &s, now, &wait), TG_ERR_RATE_LIMITED);
		CHECK_INT(wait, expect[i]);
		now += wait;
	}
	CHECK_INT(s.failures, 9);
	/* the tenth locks: 5 minutes, reported as locked */
	CHECK_OK(lockout_check(&p, &s, now, &wait));
	CHECK_INT(lockout_record_failure(&p, &s, now), LOCKOUT_EV_LOCKED);
	CHECK_INT(lockout_check(&p, &s, now, &wait), TG_ERR_LOCKED);
	CHECK_INT(wait, 300);
	CHECK(lockout_is_locked(&p, &s, now + 299));
	CHECK_OK(lockout_check(&p, &s, now + 300, &wait));
	/* each further failure doubles the lockout, up to a day */
	now += 300;
	static const int64_t locks[] = {600, 1200, 2400, 4800, 9600, 19200, 38400, 76800, 86400, 86400};
	for (size_t i = 0; i < TG_ARRAY_LEN(locks); i++) {
		CHECK_INT(lockout_record_failure(&p, &s, now), LOCKOUT_EV_LOCKED);
		CHECK_INT(lockout_check(&p, &s, now, &wait), TG_ERR_LOCKED);
		CHECK_INT(wait, locks[i]);
		now += wait;
	}
}

static void never_more_than_100(void)
{
	struct lockout_policy p;
	struct lockout_state s = {0};
	int64_t now = T0, wait = 0;
	lockout_policy_second_factor(&p);
	uint32_t n = patient_attacker(&p, &s, &now, 1000);
	CHECK_INT(n, 100);
	CHECK_INT(s.failures, 100);
	CHECK_INT(lockout_check(&p, &s, now, &wait), TG_ERR_LOCKED);
	CHECK_INT(wait, LOCKOUT_UNTIL_UNLOCK);
	/* years later: still locked */
	CHECK_INT(lockout_check(&p, &s, now + 10LL * 365 * 86400, &wait), TG_ERR_LOCKED);
	CHECK_INT(wait, LOCKOUT_UNTIL_UNLOCK);
	/* the hundredth failure is the one to audit */
	struct lockout_state t = {0};
	int64_t later = T0;
	patient_attacker(&p, &t, &later, 99);
	CHECK_INT(t.failures, 99);
	CHECK_INT(lockout_record_failure(&p, &t, later + 86400), LOCKOUT_EV_LOCKED_UNTIL_UNLOCK);
	/* passwords too */
	lockout_policy_password(&p);
	struct lockout_state u = {0};
	now = T0;
	CHECK_INT(patient_attacker(&p, &u, &now, 1000), 100);
	/* and a stricter configured limit */
	lockout_policy_password(&p);
	p.max_consecutive = 20;
	CHECK_OK(lockout_policy_check(&p));
	struct lockout_state v = {0};
	now = T0;
	CHECK_INT(patient_attacker(&p, &v, &now, 1000), 20);
}

static void password_threshold_configurable(void)
{
	struct lockout_policy p;
	struct lockout_state s = {0};
	int64_t wait = 0;
	lockout_policy_password(&p);
	CHECK_INT(p.lock_after, 10);
	CHECK_INT(p.lock_duration, 60);
	p.lock_after = 5;
	CHECK_OK(lockout_policy_check(&p));
	for (int i = 0; i < 4; i++)
		lockout_record_failure(&p, &s, T0);
	CHECK_INT(lockout_check(&p, &s, T0, &wait), TG_ERR_RATE_LIMITED);
	CHECK_INT(lockout_record_failure(&p, &s, T0), LOCKOUT_EV_LOCKED);
	CHECK_INT(lockout_check(&p, &s, T0, &wait), TG_ERR_LOCKED);
	CHECK_INT(wait, 60);
}

static void success_resets(void)
{
	struct lockout_policy p;
	struct lockout_state s = {0};
	int64_t now = T0, wait = 0;
	lockout_policy_second_factor(&p);
	patient_attacker(&p, &s, &now, 9);
	CHECK_INT(s.failures, 9);
	now += 3600;
	CHECK_OK(lockout_check(&p, &s, now, &wait));
	lockout_record_success(&s);
	CHECK_INT(s.failures, 0);
	/* the next failure is free again, not a lockout */
	CHECK_INT(lockout_record_failure(&p, &s, now), LOCKOUT_EV_NONE);
	CHECK_OK(lockout_check(&p, &s, now, &wait));
	/* and the full budget of 100 is available again */
	lockout_record_success(&s);
	CHECK_INT(patient_attacker(&p, &s, &now, 1000), 100);
}

static void admin_unlock(void)
{
	struct lockout_policy p;
	struct lockout_state s = {0};
	int64_t now = T0, wait = 0;
	lockout_policy_second_factor(&p);
	patient_attacker(&p, &s, &now, 1000);
	CHECK_INT(lockout_check(&p, &s, now, &wait), TG_ERR_LOCKED);
	lockout_unlock(&s);
	CHECK_OK(lockout_check(&p, &s, now, &wait));
	CHECK_INT(wait, 0);
	CHECK_INT(s.failures, 0);
	/* a timed lockout is lifted at once too */
	patient_attacker(&p, &s, &now, 10);
	CHECK_INT(lockout_check(&p, &s, now, &wait), TG_ERR_LOCKED);
	CHECK(wait > 0);
	lockout_unlock(&s);
	CHECK_OK(lockout_check(&p, &s, now, &wait));
}

static void source_never_locks_for_good(void)
{
	struct lockout_policy p;
	struct lockout_state s = {0};
	int64_t now = T0, wait = 0;
	lockout_policy_source(&p);
	CHECK_OK(lockout_policy_check(&p));
	CHECK_INT(patient_attacker(&p, &s, &now, 300), 300); /* never refused for good */
	CHECK_INT(s.failures, 300);
	CHECK_INT(lockout_record_failure(&p, &s, now), LOCKOUT_EV_LOCKED);
	CHECK_INT(lockout_check(&p, &s, now, &wait), TG_ERR_LOCKED);
	CHECK_INT(wait, p.lock_max);
	/* a quiet day clears it */
	now += p.lock_max;
	CHECK_OK(lockout_check(&p, &s, now, &wait));
	CHECK_OK(lockout_check(&p, &s, now + 86400, &wait));
	CHECK_INT(lockout_record_failure(&p, &s, now + 86400), LOCKOUT_EV_NONE);
	CHECK_INT(s.failures, 1);
	/* failures spread out but within the quiet period keep counting */
	struct lockout_state t = {0};
	for (int i = 0; i < 9; i++)
		lockout_record_failure(&p, &t, T0 + i * 3600);
	CHECK_INT(lockout_record_failure(&p, &t, T0 + 9 * 3600), LOCKOUT_EV_BACKOFF);
}

static void policy_validation(void)
{
	struct lockout_policy p;
	lockout_policy_second_factor(&p);
	p.max_consecutive = TG_MAX_CONSECUTIVE_FAILURES + 1; /* NIST: at most 100 */
	CHECK_INT(lockout_policy_check(&p), TG_ERR_INVALID);
	p.max_consecutive = 0;
	CHECK_INT(lockout_policy_check(&p), TG_ERR_INVALID);
	p.max_consecutive = 9; /* below lock_after */
	CHECK_INT(lockout_policy_check(&p), TG_ERR_INVALID);
	lockout_policy_second_factor(&p);
	p.forget_after = 86400; /* accounts never forget */
	CHECK_INT(lockout_policy_check(&p), TG_ERR_INVALID);
	lockout_policy_second_factor(&p);
	p.free_failures = 0;
	CHECK_INT(lockout_policy_check(&p), TG_ERR_INVALID);
	lockout_policy_second_factor(&p);
	p.lock_after = 2; /* before the free failures are used */
	CHECK_INT(lockout_policy_check(&p), TG_ERR_INVALID);
	lockout_policy_second_factor(&p);
	p.backoff_max = 1; /* cap below the base */
	CHECK_INT(lockout_policy_check(&p), TG_ERR_INVALID);
	lockout_policy_second_factor(&p);
	p.lock_duration = 0;
	CHECK_INT(lockout_policy_check(&p), TG_ERR_INVALID);
	lockout_policy_source(&p);
	p.max_consecutive = 100;
	CHECK_INT(lockout_policy_check(&p), TG_ERR_INVALID);
	lockout_policy_source(&p);
	p.scope = (enum lockout_scope)7;
	CHECK_INT(lockout_policy_check(&p), TG_ERR_INVALID);
	struct lockout_state s = {0};
	int64_t wait = 5;
	CHECK_INT(lockout_check(&p, &s, T0, &wait), TG_ERR_INVALID);
	lockout_policy_password(&p);
	CHECK_OK(lockout_policy_check(&p));
}

int main(void)
{
	TEST(second_factor_thresholds);
	TEST(never_more_than_100);
	TEST(password_threshold_configurable);
	TEST(success_resets);
	TEST(admin_unlock);
	TEST(source_never_locks_for_good);
	TEST(policy_validation);
	return tg_test_done();
}
