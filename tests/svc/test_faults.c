/* SPDX-License-Identifier: MIT
 * Fault injection: make the Nth store call fail, for every N a bulk
 * operation makes, and check the outcome is all-or-nothing — a failed
 * `mfa set --all` changes no user and writes no audit record; a failed
 * import creates no user — with an error reported, never a crash. */
#include "harness.h"
#include "base/err.h"
#include "base/str.h"
#include "store/store.h"
#include "svc/svc.h"

static const struct pw_params fast = {64, 1, 1};

static int setup(struct store **st, struct svc *sv, struct tg_tenant *t, int users)
{
	struct store_open_opts o = {.dsn = ":memory:", .create = true};
	if (store_open("sqlite", &o, st))
		return -1;
	svc_init(sv, *st, &fast, "test:faults");
	if (svc_tenant_create(sv, "contoso", "contoso.test", NULL, t))
		return -1;
	for (int i = 0; i < users; i++) {
		char upn[64];
		snprintf(upn, sizeof upn, "u%d@contoso.test", i);
		struct svc_user_input in = {.upn = upn};
		if (svc_user_create(sv, t, &in, NULL))
			return -1;
	}
	return 0;
}

static int count_state(const struct tg_user *u, void *arg)
{
	if (u->mfa_state == MFA_STATE_ENABLED)
		(*(int *)arg)++;
	return 0;
}

static int count_audit(const struct tg_audit *a, void *arg)
{
	(void)a;
	(*(int *)arg)++;
	return 0;
}

static void mfa_set_all_or_nothing(void)
{
	int failures = 0, n;
	for (long nth = 1; nth < 200; nth++) {
		struct store *st;
		struct svc sv;
		struct tg_tenant t;
		REQUIRE(setup(&st, &sv, &t, 5) == 0);
		struct svc_mfa_report rep;
		store_fault_inject(nth);
		int r = svc_mfa_set(&sv, &t, MFA_STATE_ENABLED, NULL, 0, true, false, &rep);
		store_fault_inject(0);
		svc_mfa_report_cleanup(&rep);
		int enabled = 0, audits = 0;
		struct user_query q = {.tenant_id = t.id, .state = -1};
		CHECK_OK(store_user_list(st, &q, count_state, &enabled));
		struct audit_query aq = {.action_prefix = "user.mfa_state"};
		CHECK_OK(store_audit_list(st, &aq, count_audit, &audits));
		if (r) {
			failures++;
			CHECK(sv.err[0] != '\0');
			if (enabled != 0 || audits != 0)
				TG_T_FAIL("fault at call %ld: %d users changed, %d audits after a failure", nth,
				          enabled, audits);
		} else {
			CHECK_INT(enabled, 5);
			CHECK_INT(audits, 5);
			n = (int)nth;
			store_close(st);
			break;
		}
		store_close(st);
	}
	CHECK(failures > 5); /* the operation really went through the store */
	(void)n;
}

static int count_user(const struct tg_user *u, void *arg)
{
	(void)u;
	(*(int *)arg)++;
	return 0;
}

static void import_all_or_nothing_under_faults(void)
{
	const char *csv = "userPrincipalName,displayName\n"
	                  "a@contoso.test,A\nb@contoso.test,B\nc@contoso.test,C\n";
	int failures = 0;
	for (long nth = 1; nth < 200; nth++) {
		struct store *st;
		struct svc sv;
		struct tg_tenant t;
		REQUIRE(setup(&st, &sv, &t, 0) == 0);
		struct svc_import_report rep;
		store_fault_inject(nth);
		int r = svc_user_import_csv(&sv, &t, csv, strlen(csv), false, &rep);
		store_fault_inject(0);
		int users = 0;
		struct user_query q = {.tenant_id = t.id, .state = -1};
		CHECK_OK(store_user_list(st, &q, count_user, &users));
		store_close(st);
		if (r) {
			failures++;
			if (users != 0)
				TG_T_FAIL("fault at call %ld: %d users after a failed import", nth, users);
			CHECK_INT(rep.created, 0);
		} else {
			CHECK_INT(users, 3);
			break;
		}
	}
	CHECK(failures > 5);
}

int main(void)
{
	TEST(mfa_set_all_or_nothing);
	TEST(import_all_or_nothing_under_faults);
	return tg_test_done();
}
