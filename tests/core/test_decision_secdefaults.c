/* SPDX-License-Identifier: MIT
 * Security defaults (SPEC §3, reference/entra.md §2.1): every rule — the
 * 14-day registration grace counted from the first interactive sign-in
 * (days left, the last skippable day, day 15 refused), privileged roles,
 * privileged apps, risk, legacy authentication blocked with 530035 — and
 * what does not lift them (trusted IPs). */
#include "decision_fixture.h"

#define SD_SINCE (FX_NOW - 30 * FX_DAY)

static void sd_fixture(struct fx *f)
{
	fx_init(f);
	f->tenant.security_defaults = true;
	f->tenant.security_defaults_since = SD_SINCE;
}

static void legacy_blocked_530035(void)
{
	static const enum decision_client legacy[] = {DECISION_CLIENT_EXCHANGE_ACTIVESYNC,
	                                              DECISION_CLIENT_OTHER};
	for (size_t i = 0; i < TG_ARRAY_LEN(legacy); i++) {
		struct fx f;
		sd_fixture(&f);
		f.in.client = legacy[i];
		CHECK_OK(fx_decide(&f));
		CHECK_OUTCOME(&f, DECISION_BLOCKED, DECISION_CODE_BLOCKED_BY_SECURITY_DEFAULTS);
		const struct decision_source *s = fx_source(&f, DECISION_PROVIDER_SECURITY_DEFAULTS);
		REQUIRE(s);
		CHECK_INT(s->status, DECISION_SRC_FAILED);
		/* app passwords do not get through either, nor a trusted IP */
		f.user.state = MFA_STATE_ENFORCED;
		f.user.has_app_passwords = true;
		f.in.credential = DECISION_CRED_APP_PASSWORD;
		f.in.ip = fx_ip("10.0.0.1");
		CHECK_OK(fx_decide(&f));
		CHECK_OUTCOME(&f, DECISION_BLOCKED, DECISION_CODE_BLOCKED_BY_SECURITY_DEFAULTS);
		/* off: the same sign-in is allowed */
		f.tenant.security_defaults = false;
		CHECK_OK(fx_decide(&f));
		CHECK_OUTCOME(&f, DECISION_ALLOW, 0);
		fx_cleanup(&f);
	}
}

static void registered_user_normal_sign_in_allowed(void)
{
	struct fx f;
	sd_fixture(&f);
	CHECK_OK(fx_decide(&f));
	CHECK_OUTCOME(&f, DECISION_ALLOW, 0);
	CHECK(!f.d.multi_factor);
	CHECK_INT(f.d.n_sources, 0);
	fx_cleanup(&f);
}

/* grace: first interactive sign-in `first` (0 = none yet) and now */
static void grace_at(int64_t first, int64_t now, bool interactive, enum decision_outcome want,
                     int code, bool can_skip, int days_left)
{
	struct fx f;
	sd_fixture(&f);
	f.user.methods = 0;
	f.user.sd_first_interactive = first;
	f.in.now = now;
	f.in.interactive = interactive;
	if (!interactive) {
		f.in.credential = DECISION_CRED_SESSION;
		f.in.session.auth_time = now - 60;
		f.in.client = DECISION_CLIENT_MOBILE_DESKTOP;
	}
	CHECK_OK(fx_decide(&f));
	if (f.d.outcome != want || f.d.error_code != code || f.d.can_skip != can_skip ||
	    f.d.days_left != days_left)
		TG_T_FAIL("first=%lld now=%lld interactive=%d: %s/%d skip=%d left=%d, expected %s/%d skip=%d left=%d",
		          (long long)first, (long long)now, interactive, decision_outcome_name(f.d.outcome),
		          f.d.error_code, f.d.can_skip, f.d.days_left, decision_outcome_name(want), code,
		          can_skip, days_left);
	fx_cleanup(&f);
}

static void registration_grace_days_left(void)
{
	const int64_t t0 = FX_NOW;
	/* the first interactive sign-in starts the clock: 14 days to go */
	grace_at(0, t0, true, DECISION_REGISTRATION_REQUIRED, DECISION_CODE_REGISTRATION_INTERRUPT, true, 14);
	grace_at(t0, t0 + 3600, true, DECISION_REGISTRATION_REQUIRED, DECISION_CODE_REGISTRATION_INTERRUPT, true, 14);
	grace_at(t0, t0 + 1 * FX_DAY, true, DECISION_REGISTRATION_REQUIRED, DECISION_CODE_REGISTRATION_INTERRUPT, true, 13);
	grace_at(t0, t0 + 5 * FX_DAY + 1, true, DECISION_REGISTRATION_REQUIRED, DECISION_CODE_REGISTRATION_INTERRUPT, true, 9);
	/* day 14: the last day the user may skip */
	grace_at(t0, t0 + 13 * FX_DAY + 43200, true, DECISION_REGISTRATION_REQUIRED, DECISION_CODE_REGISTRATION_INTERRUPT, true, 1);
	grace_at(t0, t0 + 14 * FX_DAY - 1, true, DECISION_REGISTRATION_REQUIRED, DECISION_CODE_REGISTRATION_INTERRUPT, true, 1);
	/* day 15: no more skipping, no sign-in until registered */
	grace_at(t0, t0 + 14 * FX_DAY, true, DECISION_REGISTRATION_REQUIRED, DECISION_CODE_REGISTRATION_INTERRUPT, false, 0);
	grace_at(t0, t0 + 40 * FX_DAY, true, DECISION_REGISTRATION_REQUIRED, DECISION_CODE_REGISTRATION_INTERRUPT, false, 0);
	/* a first sign-in from before security defaults were (re-)enabled does not count */
	grace_at(SD_SINCE - 100 * FX_DAY, t0, true, DECISION_REGISTRATION_REQUIRED, DECISION_CODE_REGISTRATION_INTERRUPT, true, 14);
}

static void registration_grace_non_interactive(void)
{
	const int64_t t0 = FX_NOW;
	/* a token refresh cannot be interrupted: allowed during the grace, and
	 * before the grace has even started */
	grace_at(0, t0, false, DECISION_ALLOW, 0, false, 0);
	grace_at(t0, t0 + 3 * FX_DAY, false, DECISION_ALLOW, 0, false, 0);
	/* after it: refused with 50079 (interactive registration needed) */
	grace_at(t0, t0 + 15 * FX_DAY, false, DECISION_REGISTRATION_REQUIRED, DECISION_CODE_REGISTRATION_REQUIRED, false, 0);
}

static void registration_sources_and_details(void)
{
	struct fx f;
	sd_fixture(&f);
	f.user.methods = 0;
	CHECK_OK(fx_decide(&f));
	const struct decision_source *s = fx_source(&f, DECISION_PROVIDER_SD_REGISTRATION);
	REQUIRE(s);
	CHECK_STR(decision_provider_name(s->provider), "mfaRegistrationRequiredBySecurityDefaults");
	CHECK_STR(s->result_detail, "registration prompted");
	f.user.sd_first_interactive = FX_NOW - 20 * FX_DAY;
	CHECK_OK(fx_decide(&f));
	s = fx_source(&f, DECISION_PROVIDER_SD_REGISTRATION);
	REQUIRE(s);
	CHECK_STR(s->result_detail, "user doesn't have any verification methods registered");
	fx_cleanup(&f);
}

static void privileged_role_mfa_every_sign_in(void)
{
	struct fx f;
	sd_fixture(&f);
	f.roles[0] = ROLE_ID_GLOBAL_ADMIN;
	f.user.n_roles = 1;
	CHECK_OK(fx_decide(&f));
	CHECK_OUTCOME(&f, DECISION_MFA_REQUIRED, DECISION_CODE_MFA_REQUIRED);
	const struct decision_source *s = fx_source(&f, DECISION_PROVIDER_SECURITY_DEFAULTS);
	REQUIRE(s);
	CHECK_STR(decision_provider_name(s->provider), "securityDefaults");
	CHECK(f.d.multi_factor);
	/* a trusted IP does not lift security defaults */
	f.in.ip = fx_ip("10.0.0.5");
	CHECK_OK(fx_decide(&f));
	CHECK_OUTCOME(&f, DECISION_MFA_REQUIRED, DECISION_CODE_MFA_REQUIRED);
	/* the session's MFA claim satisfies it */
	f.in.session.mfa_time = FX_NOW - 600;
	f.in.session.mfa_methods = CA_METHOD_SOFTWARE_OATH;
	CHECK_OK(fx_decide(&f));
	CHECK_OUTCOME(&f, DECISION_ALLOW, 0);
	CHECK_STR(f.d.mfa_detail, "satisfied by claim in the token");
	/* every privileged role of §2.1 counts, a read-only one does not */
	f.in.session.mfa_time = 0;
	f.roles[0] = ROLE_ID_AUTH_POLICY_ADMIN;
	CHECK_OK(fx_decide(&f));
	CHECK_OUTCOME(&f, DECISION_MFA_REQUIRED, DECISION_CODE_MFA_REQUIRED);
	f.roles[0] = ROLE_ID_GLOBAL_READER;
	CHECK_OK(fx_decide(&f));
	CHECK_OUTCOME(&f, DECISION_ALLOW, 0);
	fx_cleanup(&f);
}

static void privileged_role_unregistered_must_register(void)
{
	struct fx f;
	sd_fixture(&f);
	f.roles[0] = ROLE_ID_SECURITY_ADMIN;
	f.user.n_roles = 1;
	f.user.methods = 0;
	CHECK_OK(fx_decide(&f));
	/* an MFA requirement cannot be skipped, even inside the grace */
	CHECK_OUTCOME(&f, DECISION_REGISTRATION_REQUIRED, DECISION_CODE_REGISTRATION_INTERRUPT);
	CHECK(!f.d.can_skip);
	fx_cleanup(&f);
}

static void privileged_app_mfa_for_everyone(void)
{
	struct fx f;
	sd_fixture(&f);
	f.app.id = FX_ADMIN_APP;
	f.app.privileged = true;
	CHECK_OK(fx_decide(&f));
	CHECK_OUTCOME(&f, DECISION_MFA_REQUIRED, DECISION_CODE_MFA_REQUIRED);
	const struct decision_source *s = fx_source(&f, DECISION_PROVIDER_SECURITY_DEFAULTS);
	REQUIRE(s);
	CHECK_STR(s->detail, "security defaults: privileged application");
	/* a remembered device satisfies it (no sign-in frequency under SD) */
	f.tenant.remember_mfa_days = 90;
	f.in.remembered_device = true;
	CHECK_OK(fx_decide(&f));
	CHECK_OUTCOME(&f, DECISION_ALLOW, 0);
	CHECK_STR(f.d.mfa_detail, "skipped due to remembered device");
	fx_cleanup(&f);
}

static void risky_sign_in_mfa(void)
{
	static const enum risk_level levels[] = {RISK_NONE, RISK_LOW, RISK_MEDIUM, RISK_HIGH};
	static const bool want_mfa[] = {false, false, true, true};
	for (size_t i = 0; i < TG_ARRAY_LEN(levels); i++) {
		struct fx f;
		sd_fixture(&f);
		f.in.sign_in_risk = levels[i];
		CHECK_OK(fx_decide(&f));
		if (want_mfa[i]) {
			CHECK_OUTCOME(&f, DECISION_MFA_REQUIRED, DECISION_CODE_MFA_REQUIRED);
			const struct decision_source *s = fx_source(&f, DECISION_PROVIDER_RISK);
			REQUIRE(s);
			CHECK(s->risk_based);
			CHECK_STR(decision_provider_name(s->provider), "riskBasedPolicy");
		} else {
			CHECK_OUTCOME(&f, DECISION_ALLOW, 0);
		}
		/* user risk alone is not a security defaults rule */
		f.in.sign_in_risk = RISK_NONE;
		f.in.user_risk = levels[i];
		CHECK_OK(fx_decide(&f));
		CHECK_OUTCOME(&f, DECISION_ALLOW, 0);
		fx_cleanup(&f);
	}
}

static void risky_unregistered_53004(void)
{
	struct fx f;
	sd_fixture(&f);
	f.user.methods = 0;
	f.in.sign_in_risk = RISK_MEDIUM;
	CHECK_OK(fx_decide(&f));
	CHECK_OUTCOME(&f, DECISION_BLOCKED, DECISION_CODE_REGISTRATION_BLOCKED_RISK);
	fx_cleanup(&f);
}

static void off_means_nothing(void)
{
	struct fx f;
	fx_init(&f);
	f.roles[0] = ROLE_ID_GLOBAL_ADMIN;
	f.user.n_roles = 1;
	f.user.methods = 0;
	f.app.privileged = true;
	f.in.sign_in_risk = RISK_HIGH;
	f.in.client = DECISION_CLIENT_OTHER;
	CHECK_OK(fx_decide(&f));
	CHECK_OUTCOME(&f, DECISION_ALLOW, 0);
	CHECK_INT(f.d.n_sources, 0);
	fx_cleanup(&f);
}

int main(void)
{
	TEST(legacy_blocked_530035);
	TEST(registered_user_normal_sign_in_allowed);
	TEST(registration_grace_days_left);
	TEST(registration_grace_non_interactive);
	TEST(registration_sources_and_details);
	TEST(privileged_role_mfa_every_sign_in);
	TEST(privileged_role_unregistered_must_register);
	TEST(privileged_app_mfa_for_everyone);
	TEST(risky_sign_in_mfa);
	TEST(risky_unregistered_53004);
	TEST(off_means_nothing);
	return tg_test_done();
}
