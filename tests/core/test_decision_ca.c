/* SPDX-License-Identifier: MIT
 * Conditional Access in the decision (SPEC §4, reference/entra.md §3.2–3.3):
 * one test per semantic, each failing if that semantic breaks — exclusion
 * beats inclusion, block wins, AND across policies, OR/AND within one,
 * report-only never prompts or blocks (and gets the right reportOnly*
 * result), legacy clients blocked by any control, unsatisfiable controls,
 * sign-in frequency and everyTime, remembered device against frequency,
 * AllTrusted including the service settings' trusted IPs, authentication
 * strengths restricting methods, 53004 — plus the other conditions. */
#include "decision_fixture.h"

#define LOC_TRUSTED "10c00000-0000-4000-8000-000000000001"
#define LOC_OFFICE "10c00000-0000-4000-8000-000000000002"

static void exclusion_beats_inclusion(void)
{
	struct fx f;
	fx_init(&f);
	struct ca_policy *p = fx_policy(&f, "mfa group A", CA_STATE_ENABLED);
	p->cond.users.include_kw = 0;
	fx_add_id(&p->cond.users.include_groups, FX_GROUP_A);
	fx_grant(p, CA_OP_OR, CA_CTL_MFA);
	fx_compile(&f);
	CHECK_OK(fx_decide(&f));
	CHECK_RESULT(&f, "mfa group A", CA_RESULT_FAILURE);
	CHECK_OUTCOME(&f, DECISION_MFA_REQUIRED, DECISION_CODE_MFA_REQUIRED);

	/* the same user excluded by id, by group, by role: excluded wins */
	fx_add_id(&f.pols[0].cond.users.exclude_users, FX_USER);
	fx_compile(&f);
	CHECK_OK(fx_decide(&f));
	CHECK_RESULT(&f, "mfa group A", CA_RESULT_NOT_APPLIED);
	CHECK_OUTCOME(&f, DECISION_ALLOW, 0);
	const struct decision_policy *r = fx_result(&f, "mfa group A");
	REQUIRE(r);
	CHECK_INT(r->r.not_satisfied, CA_COND_USERS);
	CHECK_STR(r->r.reason, "user excluded (excludeUsers)");

	ca_ids_cleanup(&f.pols[0].cond.users.exclude_users);
	fx_add_id(&f.pols[0].cond.users.exclude_groups, FX_GROUP_B);
	fx_compile(&f);
	CHECK_OK(fx_decide(&f));
	CHECK_RESULT(&f, "mfa group A", CA_RESULT_NOT_APPLIED);
	r = fx_result(&f, "mfa group A");
	REQUIRE(r);
	CHECK_STR(r->r.reason_arg, FX_GROUP_B);

	ca_ids_cleanup(&f.pols[0].cond.users.exclude_groups);
	fx_add_id(&f.pols[0].cond.users.exclude_roles, ROLE_ID_HELPDESK_ADMIN);
	f.roles[0] = ROLE_ID_HELPDESK_ADMIN;
	f.user.n_roles = 1;
	fx_compile(&f);
	CHECK_OK(fx_decide(&f));
	CHECK_RESULT(&f, "mfa group A", CA_RESULT_NOT_APPLIED);
	/* and All users minus a guest exclusion */
	f.pols[0].cond.users.include_kw = CA_USERS_ALL;
	ca_ids_cleanup(&f.pols[0].cond.users.exclude_roles);
	f.pols[0].cond.users.exclude_kw = CA_USERS_GUESTS;
	f.user.is_guest = true;
	fx_compile(&f);
	CHECK_OK(fx_decide(&f));
	CHECK_RESULT(&f, "mfa group A", CA_RESULT_NOT_APPLIED);
	f.user.is_guest = false;
	CHECK_OK(fx_decide(&f));
	CHECK_RESULT(&f, "mfa group A", CA_RESULT_FAILURE);
	fx_cleanup(&f);
}

static void any_block_wins(void)
{
	struct fx f;
	fx_init(&f);
	fx_grant(fx_policy(&f, "mfa all", CA_STATE_ENABLED), CA_OP_OR, CA_CTL_MFA);
	struct ca_policy *b = fx_policy(&f, "block payroll", CA_STATE_ENABLED);
	b->cond.apps.include_kw = 0;
	fx_add_id(&b->cond.apps.include_apps, FX_APP);
	fx_grant(b, CA_OP_OR, CA_CTL_BLOCK);
	fx_compile(&f);
	/* MFA already done: still blocked */
	f.in.session.mfa_time = FX_NOW - 60;
	f.in.session.mfa_methods = CA_METHOD_SOFTWARE_OATH;
	CHECK_OK(fx_decide(&f));
	CHECK_OUTCOME(&f, DECISION_BLOCKED, DECISION_CODE_BLOCKED_BY_CA);
	CHECK_RESULT(&f, "mfa all", CA_RESULT_SUCCESS);
	CHECK_RESULT(&f, "block payroll", CA_RESULT_FAILURE);
	CHECK_INT(f.d.ca_status, DECISION_CA_FAILURE);
	/* MFA not done: blocked, not prompted */
	f.in.session.mfa_time = 0;
	CHECK_OK(fx_decide(&f));
	CHECK_OUTCOME(&f, DECISION_BLOCKED, DECISION_CODE_BLOCKED_BY_CA);
	/* another app: the block does not apply */
	f.app.id = FX_OTHER_APP;
	CHECK_OK(fx_decide(&f));
	CHECK_OUTCOME(&f, DECISION_MFA_REQUIRED, DECISION_CODE_MFA_REQUIRED);
	fx_cleanup(&f);
}

static void all_applicable_policies_must_be_satisfied(void)
{
	struct fx f;
	fx_init(&f);
	fx_grant(fx_policy(&f, "mfa", CA_STATE_ENABLED), CA_OP_OR, CA_CTL_MFA);
	fx_grant(fx_policy(&f, "compliant", CA_STATE_ENABLED), CA_OP_OR, CA_CTL_COMPLIANT_DEVICE);
	fx_compile(&f);
	f.in.session.mfa_time = FX_NOW - 60;
	CHECK_OK(fx_decide(&f));
	/* MFA satisfies one; the other cannot be: blocked */
	CHECK_RESULT(&f, "mfa", CA_RESULT_SUCCESS);
	CHECK_RESULT(&f, "compliant", CA_RESULT_FAILURE);
	CHECK_OUTCOME(&f, DECISION_BLOCKED, DECISION_CODE_BLOCKED_BY_CA);
	/* two satisfiable policies: both must be, one MFA meets both */
	f.pols[1].grant.builtin = CA_CTL_MFA;
	fx_compile(&f);
	f.in.session.mfa_time = 0;
	CHECK_OK(fx_decide(&f));
	CHECK_OUTCOME(&f, DECISION_MFA_REQUIRED, DECISION_CODE_MFA_REQUIRED);
	f.in.session.mfa_time = FX_NOW - 60;
	CHECK_OK(fx_decide(&f));
	CHECK_OUTCOME(&f, DECISION_ALLOW, 0);
	CHECK_INT(f.d.ca_status, DECISION_CA_SUCCESS);
	fx_cleanup(&f);
}

static void operator_or_and_within_a_policy(void)
{
	struct fx f;
	fx_init(&f);
	fx_grant(fx_policy(&f, "mfa or device", CA_STATE_ENABLED), CA_OP_OR,
	         CA_CTL_MFA | CA_CTL_COMPLIANT_DEVICE);
	fx_compile(&f);
	CHECK_OK(fx_decide(&f));
	CHECK_OUTCOME(&f, DECISION_MFA_REQUIRED, DECISION_CODE_MFA_REQUIRED);
	f.in.session.mfa_time = FX_NOW - 60;
	CHECK_OK(fx_decide(&f));
	CHECK_OUTCOME(&f, DECISION_ALLOW, 0);
	CHECK_RESULT(&f, "mfa or device", CA_RESULT_SUCCESS);
	/* AND: MFA is not enough, the device can never be */
	f.pols[0].grant.op = CA_OP_AND;
	fx_compile(&f);
	CHECK_OK(fx_decide(&f));
	CHECK_OUTCOME(&f, DECISION_BLOCKED, DECISION_CODE_BLOCKED_BY_CA);
	CHECK_RESULT(&f, "mfa or device", CA_RESULT_FAILURE);
	fx_cleanup(&f);
}

static void report_only_never_prompts_or_blocks(void)
{
	struct fx f;
	fx_init(&f);
	fx_grant(fx_policy(&f, "ro block", CA_STATE_REPORT_ONLY), CA_OP_OR, CA_CTL_BLOCK);
	fx_grant(fx_policy(&f, "ro mfa", CA_STATE_REPORT_ONLY), CA_OP_OR, CA_CTL_MFA);
	struct ca_policy *na = fx_policy(&f, "ro other app", CA_STATE_REPORT_ONLY);
	na->cond.apps.include_kw = 0;
	fx_add_id(&na->cond.apps.include_apps, FX_OTHER_APP);
	fx_grant(na, CA_OP_OR, CA_CTL_MFA);
	fx_grant(fx_policy(&f, "disabled block", CA_STATE_DISABLED), CA_OP_OR, CA_CTL_BLOCK);
	fx_compile(&f);
	f.in.explain_all = true;
	CHECK_OK(fx_decide(&f));
	CHECK_OUTCOME(&f, DECISION_ALLOW, 0);
	CHECK(!f.d.multi_factor);
	CHECK_INT(f.d.n_sources, 0);
	CHECK_RESULT(&f, "ro block", CA_RESULT_REPORT_ONLY_FAILURE);
	CHECK_RESULT(&f, "ro mfa", CA_RESULT_REPORT_ONLY_INTERRUPTED);
	CHECK_RESULT(&f, "ro other app", CA_RESULT_REPORT_ONLY_NOT_APPLIED);
	CHECK_RESULT(&f, "disabled block", CA_RESULT_NOT_ENABLED);
	CHECK_INT(f.d.ca_status, DECISION_CA_NOT_APPLIED);
	/* with an MFA claim the report-only MFA policy would have succeeded */
	f.in.session.mfa_time = FX_NOW - 60;
	CHECK_OK(fx_decide(&f));
	CHECK_RESULT(&f, "ro mfa", CA_RESULT_REPORT_ONLY_SUCCESS);
	/* legacy client: a report-only control policy fails in the report only */
	f.in.client = DECISION_CLIENT_OTHER;
	CHECK_OK(fx_decide(&f));
	CHECK_OUTCOME(&f, DECISION_ALLOW, 0);
	CHECK_RESULT(&f, "ro mfa", CA_RESULT_REPORT_ONLY_FAILURE);
	/* without explain_all a disabled policy is not even listed */
	f.in.explain_all = false;
	CHECK_OK(fx_decide(&f));
	CHECK(fx_result(&f, "disabled block") == NULL);
	fx_cleanup(&f);
}

static void legacy_clients_blocked_by_any_control(void)
{
	static const enum decision_client legacy[] = {DECISION_CLIENT_EXCHANGE_ACTIVESYNC,
	                                              DECISION_CLIENT_OTHER};
	for (size_t i = 0; i < TG_ARRAY_LEN(legacy); i++) {
		struct fx f;
		fx_init(&f);
		fx_grant(fx_policy(&f, "mfa all", CA_STATE_ENABLED), CA_OP_OR, CA_CTL_MFA);
		fx_compile(&f);
		f.in.client = legacy[i];
		/* even an MFA claim and a trusted IP do not help a legacy client */
		f.in.session.mfa_time = FX_NOW - 60;
		f.in.ip = fx_ip("10.0.0.9");
		CHECK_OK(fx_decide(&f));
		CHECK_OUTCOME(&f, DECISION_BLOCKED, DECISION_CODE_BLOCKED_BY_CA);
		const struct decision_policy *r = fx_result(&f, "mfa all");
		REQUIRE(r);
		CHECK_STR(r->r.reason, "legacy clients cannot satisfy grant controls (no MFA, no device state)");
		/* password change too */
		f.pols[0].grant.builtin = CA_CTL_MFA | CA_CTL_PASSWORD_CHANGE;
		f.pols[0].grant.op = CA_OP_AND;
		fx_compile(&f);
		CHECK_OK(fx_decide(&f));
		CHECK_OUTCOME(&f, DECISION_BLOCKED, DECISION_CODE_BLOCKED_BY_CA);
		/* a policy with session controls only does not block */
		f.pols[0].grant.present = false;
		f.pols[0].grant.builtin = 0;
		f.pols[0].session.present = true;
		f.pols[0].session.persistent_browser.present = true;
		f.pols[0].session.persistent_browser.is_enabled = true;
		f.pols[0].session.persistent_browser.mode = CA_BROWSER_NEVER;
		fx_compile(&f);
		CHECK_OK(fx_decide(&f));
		CHECK_OUTCOME(&f, DECISION_ALLOW, 0);
		CHECK_RESULT(&f, "mfa all", CA_RESULT_SUCCESS);
		/* a browser-only policy does not apply to legacy clients at all */
		fx_grant(&f.pols[0], CA_OP_OR, CA_CTL_MFA);
		f.pols[0].cond.client_app_types = CA_CLIENT_BROWSER;
		fx_compile(&f);
		f.in.explain_all = true;
		CHECK_OK(fx_decide(&f));
		CHECK_OUTCOME(&f, DECISION_ALLOW, 0);
		CHECK_RESULT(&f, "mfa all", CA_RESULT_NOT_APPLIED);
		fx_cleanup(&f);
	}
}

static void unsatisfiable_controls_fail_with_reason(void)
{
	static const struct {
		unsigned builtin;
		bool tou, custom;
		const char *reason;
	} cases[] = {
		{CA_CTL_COMPLIANT_DEVICE, false, false, "requires a compliant device: Tollgate has no device management"},
		{CA_CTL_DOMAIN_JOINED_DEVICE, false, false, "requires a hybrid joined device: Tollgate has no device management"},
		{CA_CTL_APPROVED_APPLICATION, false, false, "requires an approved client app: Tollgate has no app management"},
		{CA_CTL_COMPLIANT_APPLICATION, false, false, "requires an app protection policy: Tollgate has no app management"},
		{0, true, false, "requires accepting terms of use: Tollgate has no terms of use"},
		{0, false, true, "requires a custom control: Tollgate does not support custom controls"},
	};
	for (size_t i = 0; i < TG_ARRAY_LEN(cases); i++) {
		struct fx f;
		fx_init(&f);
		struct ca_policy *p = fx_policy(&f, "unsat", CA_STATE_ENABLED);
		fx_grant(p, CA_OP_OR, cases[i].builtin);
		if (cases[i].tou)
			fx_add_id(&p->grant.terms_of_use, "7e000000-0000-4000-8000-000000000001");
		if (cases[i].custom)
			CHECK_OK(ca_strs_add(&p->grant.custom_factors, "DuoMfa"));
		fx_compile(&f);
		f.in.session.mfa_time = FX_NOW - 60;
		CHECK_OK(fx_decide(&f));
		CHECK_OUTCOME(&f, DECISION_BLOCKED, DECISION_CODE_BLOCKED_BY_CA);
		const struct decision_policy *r = fx_result(&f, "unsat");
		REQUIRE(r);
		CHECK_INT(r->r.grant, CA_GRANT_UNSATISFIABLE);
		CHECK_STR(r->r.reason, cases[i].reason);
		fx_cleanup(&f);
	}
}

static void sign_in_frequency_time_based(void)
{
	struct fx f;
	fx_init(&f);
	struct ca_policy *p = fx_policy(&f, "mfa 4h", CA_STATE_ENABLED);
	fx_grant(p, CA_OP_OR, CA_CTL_MFA);
	fx_sif(p, CA_SIF_TIME_BASED, CA_SIF_HOURS, 4);
	fx_compile(&f);
	f.in.session.mfa_methods = CA_METHOD_SOFTWARE_OATH;
	f.in.session.mfa_time = FX_NOW - 3 * 3600;
	CHECK_OK(fx_decide(&f));
	CHECK_OUTCOME(&f, DECISION_ALLOW, 0);
	CHECK_INT(f.d.session_max_age, 4 * 3600);
	f.in.session.mfa_time = FX_NOW - 5 * 3600;
	CHECK_OK(fx_decide(&f));
	CHECK_OUTCOME(&f, DECISION_MFA_REQUIRED, DECISION_CODE_MFA_REQUIRED);
	CHECK_STR(f.d.mfa_detail, "has expired due to the policies configured on tenant");
	/* a token refresh whose primary sign-in is older than the window: 70043 */
	f.in.session.mfa_time = FX_NOW - 3600;
	f.in.credential = DECISION_CRED_SESSION;
	f.in.interactive = false;
	f.in.session.auth_time = FX_NOW - 5 * 3600;
	CHECK_OK(fx_decide(&f));
	CHECK_OUTCOME(&f, DECISION_REAUTH_REQUIRED, DECISION_CODE_SIGN_IN_FREQUENCY);
	/* ...unless the frequency applies to the second factor only */
	f.pols[0].session.sif.auth_type = CA_SIF_AUTH_SECONDARY;
	fx_compile(&f);
	CHECK_OK(fx_decide(&f));
	CHECK_OUTCOME(&f, DECISION_ALLOW, 0);
	fx_cleanup(&f);
}

static void sign_in_frequency_every_time(void)
{
	struct fx f;
	fx_init(&f);
	struct ca_policy *p = fx_policy(&f, "risky mfa every time", CA_STATE_ENABLED);
	p->cond.sign_in_risk = CA_RISK_MEDIUM | CA_RISK_HIGH;
	fx_grant(p, CA_OP_OR, CA_CTL_MFA);
	fx_sif(p, CA_SIF_EVERY_TIME, CA_SIF_TYPE_NONE, 0);
	fx_compile(&f);
	f.in.sign_in_risk = RISK_MEDIUM;
	f.in.session.mfa_methods = CA_METHOD_SOFTWARE_OATH;
	/* within Entra's 5 minutes of skew the last MFA still counts */
	f.in.session.mfa_time = FX_NOW - 240;
	CHECK_OK(fx_decide(&f));
	CHECK_OUTCOME(&f, DECISION_ALLOW, 0);
	CHECK_INT(f.d.session_max_age, 0);
	f.in.session.mfa_time = FX_NOW - 600;
	CHECK_OK(fx_decide(&f));
	CHECK_OUTCOME(&f, DECISION_MFA_REQUIRED, DECISION_CODE_MFA_REQUIRED);
	/* the risk gone, the policy does not apply */
	f.in.sign_in_risk = RISK_NONE;
	CHECK_OK(fx_decide(&f));
	CHECK_OUTCOME(&f, DECISION_ALLOW, 0);
	fx_cleanup(&f);
}

static void remembered_device_versus_frequency(void)
{
	struct fx f;
	fx_init(&f);
	fx_grant(fx_policy(&f, "mfa", CA_STATE_ENABLED), CA_OP_OR, CA_CTL_MFA);
	fx_compile(&f);
	f.tenant.remember_mfa_days = 90;
	f.in.remembered_device = true;
	CHECK_OK(fx_decide(&f));
	CHECK_OUTCOME(&f, DECISION_ALLOW, 0);
	CHECK_STR(f.d.mfa_detail, "skipped due to remembered device");
	CHECK(f.d.remember_device_allowed);
	/* a sign-in frequency control: the remembered device no longer counts */
	fx_sif(&f.pols[0], CA_SIF_TIME_BASED, CA_SIF_DAYS, 7);
	fx_compile(&f);
	CHECK_OK(fx_decide(&f));
	CHECK_OUTCOME(&f, DECISION_MFA_REQUIRED, DECISION_CODE_MFA_REQUIRED);
	CHECK(!f.d.remember_device_allowed);
	/* per-user MFA is still lifted by it, CA is not */
	f.user.state = MFA_STATE_ENFORCED;
	CHECK_OK(fx_decide(&f));
	CHECK_OUTCOME(&f, DECISION_MFA_REQUIRED, DECISION_CODE_MFA_REQUIRED);
	const struct decision_source *s = fx_source(&f, DECISION_PROVIDER_USER);
	REQUIRE(s);
	CHECK_INT(s->status, DECISION_SRC_SKIPPED);
	CHECK_STR(s->result_detail, "skipped due to remembered device");
	fx_cleanup(&f);
}

static void all_trusted_includes_service_settings_ips(void)
{
	struct fx f;
	fx_init(&f);
	fx_location(&f, LOC_TRUSTED, "192.0.2.0/24", true);
	fx_location(&f, LOC_OFFICE, "203.0.113.0/24", false);
	struct ca_policy *p = fx_policy(&f, "mfa outside trusted", CA_STATE_ENABLED);
	p->cond.locations.present = true;
	p->cond.locations.include_kw = CA_LOC_ALL;
	p->cond.locations.exclude_kw = CA_LOC_ALL_TRUSTED;
	fx_grant(p, CA_OP_OR, CA_CTL_MFA);
	fx_compile(&f);
	static const struct {
		const char *ip;
		enum ca_result want;
	} cases[] = {
		{"10.20.30.40", CA_RESULT_NOT_APPLIED},   /* MFA service settings trusted IP */
		{"192.0.2.9", CA_RESULT_NOT_APPLIED},     /* trusted named location */
		{"203.0.113.9", CA_RESULT_FAILURE},       /* untrusted named location */
		{"198.51.100.7", CA_RESULT_FAILURE},      /* anywhere else */
	};
	for (size_t i = 0; i < TG_ARRAY_LEN(cases); i++) {
		f.in.ip = fx_ip(cases[i].ip);
		CHECK_OK(fx_decide(&f));
		CHECK_RESULT(&f, "mfa outside trusted", cases[i].want);
	}
	/* include one named location / the MFA trusted IPs by id */
	p = &f.pols[0];
	p->cond.locations.include_kw = 0;
	p->cond.locations.exclude_kw = 0;
	fx_add_id(&p->cond.locations.include, LOC_OFFICE);
	fx_add_id(&p->cond.locations.include, CA_LOCATION_ID_MFA_TRUSTED_IPS);
	fx_compile(&f);
	f.in.ip = fx_ip("203.0.113.1");
	CHECK_OK(fx_decide(&f));
	CHECK_RESULT(&f, "mfa outside trusted", CA_RESULT_FAILURE);
	f.in.ip = fx_ip("10.1.1.1");
	CHECK_OK(fx_decide(&f));
	CHECK_RESULT(&f, "mfa outside trusted", CA_RESULT_FAILURE);
	f.in.ip = fx_ip("192.0.2.1");
	CHECK_OK(fx_decide(&f));
	CHECK_RESULT(&f, "mfa outside trusted", CA_RESULT_NOT_APPLIED);
	const struct decision_policy *r = fx_result(&f, "mfa outside trusted");
	REQUIRE(r);
	CHECK_INT(r->r.not_satisfied, CA_COND_LOCATION);
	CHECK_INT(r->r.satisfied, CA_COND_USERS | CA_COND_APPLICATION);
	fx_cleanup(&f);
}

static void authentication_strength_restricts_methods(void)
{
	struct fx f;
	fx_init(&f);
	struct ca_policy *p = fx_policy(&f, "phishing resistant", CA_STATE_ENABLED);
	p->grant.present = true;
	memcpy(p->grant.auth_strength, CA_STRENGTH_PHISHING_RESIST, 37);
	fx_compile(&f);
	/* TOTP only: must register a FIDO2 key first */
	f.user.methods = CA_METHOD_SOFTWARE_OATH;
	CHECK_OK(fx_decide(&f));
	CHECK_OUTCOME(&f, DECISION_REGISTRATION_REQUIRED, DECISION_CODE_REGISTRATION_INTERRUPT);
	CHECK(fx_source(&f, DECISION_PROVIDER_CA_REGISTRATION) != NULL);
	/* with FIDO2: only FIDO2 is offered */
	f.user.methods = CA_METHOD_SOFTWARE_OATH | CA_METHOD_FIDO2;
	CHECK_OK(fx_decide(&f));
	CHECK_OUTCOME(&f, DECISION_MFA_REQUIRED, DECISION_CODE_MFA_REQUIRED);
	CHECK_INT(f.d.methods, CA_METHOD_FIDO2);
	/* a TOTP claim does not satisfy it, a FIDO2 one does */
	f.in.session.mfa_time = FX_NOW - 60;
	f.in.session.mfa_methods = CA_METHOD_SOFTWARE_OATH;
	CHECK_OK(fx_decide(&f));
	CHECK_OUTCOME(&f, DECISION_MFA_REQUIRED, DECISION_CODE_MFA_REQUIRED);
	f.in.session.mfa_methods = CA_METHOD_FIDO2;
	CHECK_OK(fx_decide(&f));
	CHECK_OUTCOME(&f, DECISION_ALLOW, 0);
	/* a remembered device never satisfies phishing resistance... */
	f.in.session.mfa_time = 0;
	f.tenant.remember_mfa_days = 30;
	f.in.remembered_device = true;
	CHECK_OK(fx_decide(&f));
	CHECK_OUTCOME(&f, DECISION_MFA_REQUIRED, DECISION_CODE_MFA_REQUIRED);
	/* ...but satisfies the built-in MFA strength, which excludes email */
	memcpy(f.pols[0].grant.auth_strength, CA_STRENGTH_MFA, 37);
	fx_compile(&f);
	CHECK_OK(fx_decide(&f));
	CHECK_OUTCOME(&f, DECISION_ALLOW, 0);
	f.in.remembered_device = false;
	f.user.methods = CA_METHOD_EMAIL | CA_METHOD_SMS;
	CHECK_OK(fx_decide(&f));
	CHECK_OUTCOME(&f, DECISION_MFA_REQUIRED, DECISION_CODE_MFA_REQUIRED);
	CHECK_INT(f.d.methods, CA_METHOD_SMS);
	/* ...and the tenant's verification options still apply */
	f.tenant.verification_options = DECISION_VERIFY_EMAIL | DECISION_VERIFY_APP_CODE;
	CHECK_OK(fx_decide(&f));
	CHECK_OUTCOME(&f, DECISION_REGISTRATION_REQUIRED, DECISION_CODE_REGISTRATION_INTERRUPT);
	fx_cleanup(&f);
}

static void risky_unregistered_53004(void)
{
	struct fx f;
	fx_init(&f);
	struct ca_policy *p = fx_policy(&f, "risky sign-ins", CA_STATE_ENABLED);
	p->cond.sign_in_risk = CA_RISK_MEDIUM | CA_RISK_HIGH;
	fx_grant(p, CA_OP_OR, CA_CTL_MFA);
	fx_compile(&f);
	f.user.methods = 0;
	f.in.sign_in_risk = RISK_HIGH;
	CHECK_OK(fx_decide(&f));
	CHECK_OUTCOME(&f, DECISION_BLOCKED, DECISION_CODE_REGISTRATION_BLOCKED_RISK);
	/* not risk based: registration, not 53004 */
	f.pols[0].cond.sign_in_risk = 0;
	fx_compile(&f);
	CHECK_OK(fx_decide(&f));
	CHECK_OUTCOME(&f, DECISION_REGISTRATION_REQUIRED, DECISION_CODE_REGISTRATION_INTERRUPT);
	fx_cleanup(&f);
}

static void user_risk_password_change(void)
{
	struct fx f;
	fx_init(&f);
	struct ca_policy *p = fx_policy(&f, "high user risk", CA_STATE_ENABLED);
	p->cond.user_risk = CA_RISK_HIGH;
	fx_grant(p, CA_OP_AND, CA_CTL_MFA | CA_CTL_PASSWORD_CHANGE);
	fx_sif(p, CA_SIF_EVERY_TIME, CA_SIF_TYPE_NONE, 0);
	fx_compile(&f);
	f.in.user_risk = RISK_HIGH;
	CHECK_OK(fx_decide(&f));
	CHECK_OUTCOME(&f, DECISION_MFA_REQUIRED, DECISION_CODE_MFA_REQUIRED);
	f.in.session.mfa_time = FX_NOW;
	f.in.session.mfa_methods = CA_METHOD_SOFTWARE_OATH;
	f.in.session.mfa_this_signin = true;
	CHECK_OK(fx_decide(&f));
	CHECK_OUTCOME(&f, DECISION_PASSWORD_CHANGE_REQUIRED, DECISION_CODE_PASSWORD_EXPIRED);
	f.in.session.password_changed = true;
	CHECK_OK(fx_decide(&f));
	CHECK_OUTCOME(&f, DECISION_ALLOW, 0);
	CHECK_STR(f.d.mfa_detail, "successfully completed");
	fx_cleanup(&f);
}

static void other_conditions(void)
{
	struct fx f;
	fx_init(&f);
	struct ca_policy *p = fx_policy(&f, "cond", CA_STATE_ENABLED);
	fx_grant(p, CA_OP_OR, CA_CTL_BLOCK);
	/* platforms: include all, exclude iOS */
	p->cond.platforms.present = true;
	p->cond.platforms.include = CA_PLAT_ALL;
	p->cond.platforms.exclude = CA_PLAT_IOS;
	fx_compile(&f);
	f.in.platform = PLATFORM_IOS;
	CHECK_OK(fx_decide(&f));
	CHECK_RESULT(&f, "cond", CA_RESULT_NOT_APPLIED);
	f.in.platform = PLATFORM_UNKNOWN;
	CHECK_OK(fx_decide(&f));
	CHECK_RESULT(&f, "cond", CA_RESULT_FAILURE);
	/* include android only: unknown does not match */
	f.pols[0].cond.platforms.include = CA_PLAT_ANDROID;
	f.pols[0].cond.platforms.exclude = 0;
	fx_compile(&f);
	CHECK_OK(fx_decide(&f));
	CHECK_RESULT(&f, "cond", CA_RESULT_NOT_APPLIED);
	f.in.platform = PLATFORM_ANDROID;
	CHECK_OK(fx_decide(&f));
	CHECK_RESULT(&f, "cond", CA_RESULT_FAILURE);
	f.pols[0].cond.platforms.present = false;
	/* admin portals */
	f.pols[0].cond.apps.include_kw = CA_APPS_ADMIN_PORTALS;
	fx_compile(&f);
	f.in.explain_all = true;
	CHECK_OK(fx_decide(&f));
	CHECK_RESULT(&f, "cond", CA_RESULT_NOT_APPLIED);
	f.app.id = FX_ADMIN_APP;
	f.app.privileged = true;
	CHECK_OK(fx_decide(&f));
	CHECK_RESULT(&f, "cond", CA_RESULT_FAILURE);
	/* guests */
	f.pols[0].cond.apps.include_kw = CA_APPS_ALL;
	f.pols[0].cond.users.include_kw = CA_USERS_GUESTS;
	fx_compile(&f);
	CHECK_OK(fx_decide(&f));
	CHECK_RESULT(&f, "cond", CA_RESULT_NOT_APPLIED);
	f.user.is_guest = true;
	CHECK_OK(fx_decide(&f));
	CHECK_RESULT(&f, "cond", CA_RESULT_FAILURE);
	/* device filter: include mode never matches, exclude mode always */
	f.pols[0].cond.devices.present = true;
	f.pols[0].cond.devices.mode = CA_FILTER_INCLUDE;
	fx_compile(&f);
	CHECK_OK(fx_decide(&f));
	CHECK_RESULT(&f, "cond", CA_RESULT_NOT_APPLIED);
	f.pols[0].cond.devices.mode = CA_FILTER_EXCLUDE;
	fx_compile(&f);
	CHECK_OK(fx_decide(&f));
	CHECK_RESULT(&f, "cond", CA_RESULT_FAILURE);
	f.pols[0].cond.devices.present = false;
	/* user actions: only when the request is one */
	f.pols[0].cond.apps.include_kw = 0;
	f.pols[0].cond.apps.user_actions = CA_UA_REGISTER_SECURITY_INFO;
	fx_compile(&f);
	CHECK_OK(fx_decide(&f));
	CHECK_RESULT(&f, "cond", CA_RESULT_NOT_APPLIED);
	f.in.user_action = CA_UA_REGISTER_SECURITY_INFO;
	CHECK_OK(fx_decide(&f));
	CHECK_RESULT(&f, "cond", CA_RESULT_FAILURE);
	/* "None" users never match */
	f.pols[0].cond.users.include_kw = CA_USERS_NONE;
	fx_compile(&f);
	CHECK_OK(fx_decide(&f));
	CHECK_RESULT(&f, "cond", CA_RESULT_NOT_APPLIED);
	fx_cleanup(&f);
}

static void per_user_and_ca_are_anded(void)
{
	struct fx f;
	fx_init(&f);
	fx_grant(fx_policy(&f, "mfa", CA_STATE_ENABLED), CA_OP_OR, CA_CTL_MFA);
	fx_compile(&f);
	f.user.state = MFA_STATE_ENFORCED;
	f.in.ip = fx_ip("10.0.0.1");   /* lifts per-user MFA only */
	CHECK_OK(fx_decide(&f));
	CHECK_OUTCOME(&f, DECISION_MFA_REQUIRED, DECISION_CODE_MFA_REQUIRED);
	const struct decision_source *u = fx_source(&f, DECISION_PROVIDER_USER);
	const struct decision_source *c = fx_source(&f, DECISION_PROVIDER_MULTI_CA);
	REQUIRE(u && c);
	CHECK_INT(u->status, DECISION_SRC_SKIPPED);
	CHECK_INT(c->status, DECISION_SRC_PENDING);
	CHECK_STR(decision_provider_name(c->provider), "multiConditionalAccess");
	fx_cleanup(&f);
}

static void controls_and_session_outputs(void)
{
	struct fx f;
	const char *names[8];
	fx_init(&f);
	struct ca_policy *p = fx_policy(&f, "controls", CA_STATE_ENABLED);
	fx_grant(p, CA_OP_OR, CA_CTL_MFA | CA_CTL_COMPLIANT_DEVICE);
	fx_sif(p, CA_SIF_TIME_BASED, CA_SIF_HOURS, 8);
	p->session.persistent_browser.present = true;
	p->session.persistent_browser.is_enabled = true;
	p->session.persistent_browser.mode = CA_BROWSER_NEVER;
	CHECK_INT(ca_eval_grant_controls(p, names, 8), 2);
	CHECK_STR(names[0], "Mfa");
	CHECK_STR(names[1], "RequireCompliantDevice");
	CHECK_INT(ca_eval_session_controls(p, names, 8), 2);
	CHECK_STR(names[0], "SignInFrequency");
	CHECK_STR(names[1], "PersistentBrowserSessionMode");
	fx_compile(&f);
	f.in.session.mfa_time = FX_NOW - 60;
	CHECK_OK(fx_decide(&f));
	CHECK_OUTCOME(&f, DECISION_ALLOW, 0);
	CHECK_INT(f.d.persistent_browser, CA_BROWSER_NEVER);
	CHECK_INT(f.d.session_max_age, 8 * 3600);
	char buf[128];
	CHECK_STR(ca_eval_conditions_format(CA_COND_USERS | CA_COND_APPLICATION | CA_COND_LOCATION, buf,
	                                    sizeof buf), "application,users,location");
	CHECK_STR(ca_eval_conditions_format(0, buf, sizeof buf), "none");
	CHECK_STR(ca_result_name(CA_RESULT_REPORT_ONLY_INTERRUPTED), "reportOnlyInterrupted");
	fx_cleanup(&f);
}

int main(void)
{
	TEST(exclusion_beats_inclusion);
	TEST(any_block_wins);
	TEST(all_applicable_policies_must_be_satisfied);
	TEST(operator_or_and_within_a_policy);
	TEST(report_only_never_prompts_or_blocks);
	TEST(legacy_clients_blocked_by_any_control);
	TEST(unsatisfiable_controls_fail_with_reason);
	TEST(sign_in_frequency_time_based);
	TEST(sign_in_frequency_every_time);
	TEST(remembered_device_versus_frequency);
	TEST(all_trusted_includes_service_settings_ips);
	TEST(authentication_strength_restricts_methods);
	TEST(risky_unregistered_53004);
	TEST(user_risk_password_change);
	TEST(other_conditions);
	TEST(per_user_and_ca_are_anded);
	TEST(controls_and_session_outputs);
	return tg_test_done();
}
