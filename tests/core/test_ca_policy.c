/* SPDX-License-Identifier: MIT
 * The Conditional Access model: bounded id lists, enum names, copy and
 * equality, and the validator: every rule Entra enforces, each forbidden
 * combination refused with the JSON path of the fault, and the allowed
 * neighbours of each accepted (so a test fails if a rule is too wide). */
#include "harness.h"
#include "base/err.h"
#include "base/limits.h"
#include "core/ca_policy.h"

#define U1 "11111111-1111-4111-8111-111111111111"
#define U2 "22222222-2222-4222-8222-222222222222"
#define APP "00000002-0000-0ff1-ce00-000000000000"

/* A valid policy: All users, All apps, grant mfa. */
static void base(struct ca_policy *p)
{
	ca_policy_init(p);
	if (ca_policy_set_display_name(p, "Base") != TG_OK)
		abort();
	p->state = CA_STATE_ENABLED;
	p->cond.users.include_kw = CA_USERS_ALL;
	p->cond.apps.include_kw = CA_APPS_ALL;
	p->grant.present = true;
	p->grant.builtin = CA_CTL_MFA;
}

/* mfa AND passwordChange, user risk high, All apps: valid. */
static void pw_change(struct ca_policy *p)
{
	base(p);
	p->grant.op = CA_OP_AND;
	p->grant.builtin = CA_CTL_MFA | CA_CTL_PASSWORD_CHANGE;
	p->cond.user_risk = CA_RISK_HIGH;
}

static void sif(struct ca_policy *p, enum ca_sif_type type, int32_t value,
                enum ca_sif_interval interval)
{
	p->session.present = true;
	p->session.sif.present = true;
	p->session.sif.is_enabled = true;
	p->session.sif.type = type;
	p->session.sif.value = value;
	p->session.sif.interval = interval;
}

static void add(struct ca_ids *l, const char *id)
{
	if (ca_ids_add(l, id) != TG_OK)
		abort();
}

/* ---- mutations: each returns the expected error path, or NULL for valid ---- */

#define M(name) static const char *name(struct ca_policy *p)

M(ok_base) { base(p); return NULL; }
M(no_state) { base(p); p->state = CA_STATE_UNSET; return "state"; }
M(bad_state) { base(p); p->state = (enum ca_state)9; return "state"; }
M(no_name) { base(p); free(p->display_name); p->display_name = NULL; return "displayName"; }
M(empty_policy)
{
	ca_policy_init(p);
	(void)ca_policy_set_display_name(p, "Empty");
	p->state = CA_STATE_DISABLED;
	return "";
}
M(ok_grant_only) { base(p); p->cond.users.include_kw = 0; p->cond.apps.include_kw = 0; return NULL; }
M(ok_session_only)
{
	ca_policy_init(p);
	(void)ca_policy_set_display_name(p, "Session only");
	p->state = CA_STATE_ENABLED;
	sif(p, CA_SIF_HOURS, 4, CA_SIF_TIME_BASED);
	return NULL;
}
M(ok_users_none_only)
{
	ca_policy_init(p);
	(void)ca_policy_set_display_name(p, "None");
	p->state = CA_STATE_DISABLED;
	p->cond.users.include_kw = CA_USERS_NONE;
	return NULL;
}
M(ok_apps_none_only)
{
	ca_policy_init(p);
	(void)ca_policy_set_display_name(p, "None");
	p->state = CA_STATE_DISABLED;
	p->cond.apps.include_kw = CA_APPS_NONE;
	return NULL;
}
M(ok_id) { base(p); memcpy(p->id, U1, sizeof U1); return NULL; }
M(bad_id) { base(p); memcpy(p->id, "7359D0E0-D8A9-4AFA-8A93-E23E099D7BE8", 37); return "id"; }

/* users */
M(users_all_with_id) { base(p); add(&p->cond.users.include_users, U1); return "conditions.users.includeUsers"; }
M(users_all_with_guests) { base(p); p->cond.users.include_kw |= CA_USERS_GUESTS; return "conditions.users.includeUsers"; }
M(users_none_with_id)
{
	base(p);
	p->cond.users.include_kw = CA_USERS_NONE;
	add(&p->cond.users.include_users, U1);
	return "conditions.users.includeUsers";
}
M(ok_users_guests_with_id)
{
	base(p);
	p->cond.users.include_kw = CA_USERS_GUESTS;
	add(&p->cond.users.include_users, U1);
	return NULL;
}
M(users_exclude_all) { base(p); p->cond.users.exclude_kw = CA_USERS_ALL; return "conditions.users.excludeUsers"; }
M(ok_users_exclude_guests) { base(p); p->cond.users.exclude_kw = CA_USERS_GUESTS; return NULL; }
M(bad_uppercase_group)
{
	base(p);
	add(&p->cond.users.include_groups, U1);
	add(&p->cond.users.include_groups, U2);
	p->cond.users.include_groups.v[1][0] = 'X';
	return "conditions.users.includeGroups[1]";
}

/* applications */
M(apps_all_with_office) { base(p); p->cond.apps.include_kw |= CA_APPS_OFFICE365; return "conditions.applications.includeApplications"; }
M(apps_all_with_id) { base(p); add(&p->cond.apps.include_apps, APP); return "conditions.applications.includeApplications"; }
M(apps_none_with_portals)
{
	base(p);
	p->cond.apps.include_kw = CA_APPS_NONE | CA_APPS_ADMIN_PORTALS;
	return "conditions.applications.includeApplications";
}
M(ok_apps_portals_and_id)
{
	base(p);
	p->cond.apps.include_kw = CA_APPS_ADMIN_PORTALS | CA_APPS_OFFICE365;
	add(&p->cond.apps.include_apps, APP);
	return NULL;
}
M(apps_exclude_all) { base(p); p->cond.apps.exclude_kw = CA_APPS_ALL; return "conditions.applications.excludeApplications"; }
M(ok_apps_exclude_portals) { base(p); p->cond.apps.exclude_kw = CA_APPS_ADMIN_PORTALS; return NULL; }
M(user_actions_with_apps)
{
	base(p);
	p->cond.apps.user_actions = CA_UA_REGISTER_SECURITY_INFO;
	return "conditions.applications.includeUserActions";
}
M(ok_user_actions)
{
	base(p);
	p->cond.apps.include_kw = 0;
	p->cond.apps.user_actions = CA_UA_REGISTER_SECURITY_INFO;
	return NULL;
}
M(user_actions_report_only)
{
	base(p);
	p->cond.apps.include_kw = 0;
	p->cond.apps.user_actions = CA_UA_REGISTER_DEVICE;
	p->state = CA_STATE_REPORT_ONLY;
	return "state";
}

/* client apps, locations, platforms, devices, risk */
M(client_none) { base(p); p->cond.client_app_types = 0; return "conditions.clientAppTypes"; }
M(client_all_and_browser) { base(p); p->cond.client_app_types = CA_CLIENT_ALL | CA_CLIENT_BROWSER; return "conditions.clientAppTypes"; }
M(ok_client_legacy) { base(p); p->cond.client_app_types = CA_CLIENT_EXCHANGE_ACTIVESYNC | CA_CLIENT_OTHER; return NULL; }
M(loc_no_include) { base(p); p->cond.locations.present = true; p->cond.locations.exclude_kw = CA_LOC_ALL_TRUSTED; return "conditions.locations.includeLocations"; }
M(loc_all_with_id)
{
	base(p);
	p->cond.locations.present = true;
	p->cond.locations.include_kw = CA_LOC_ALL;
	add(&p->cond.locations.include, U1);
	return "conditions.locations.includeLocations";
}
M(loc_exclude_all)
{
	base(p);
	p->cond.locations.present = true;
	p->cond.locations.include_kw = CA_LOC_ALL;
	p->cond.locations.exclude_kw = CA_LOC_ALL;
	return "conditions.locations.excludeLocations";
}
M(ok_loc_all_but_trusted)
{
	base(p);
	p->cond.locations.present = true;
	p->cond.locations.include_kw = CA_LOC_ALL;
	p->cond.locations.exclude_kw = CA_LOC_ALL_TRUSTED;
	add(&p->cond.locations.exclude, CA_LOCATION_ID_MFA_TRUSTED_IPS);
	return NULL;
}
M(loc_lists_without_present) { base(p); p->cond.locations.include_kw = CA_LOC_ALL; return "conditions.locations"; }
M(plat_no_include) { base(p); p->cond.platforms.present = true; p->cond.platforms.exclude = CA_PLAT_IOS; return "conditions.platforms.includePlatforms"; }
M(plat_all_and_ios) { base(p); p->cond.platforms.present = true; p->cond.platforms.include = CA_PLAT_ALL | CA_PLAT_IOS; return "conditions.platforms.includePlatforms"; }
M(plat_exclude_all) { base(p); p->cond.platforms.present = true; p->cond.platforms.include = CA_PLAT_ALL; p->cond.platforms.exclude = CA_PLAT_ALL; return "conditions.platforms.excludePlatforms"; }
M(ok_plat_all_but_ios)
{
	base(p);
	p->cond.platforms.present = true;
	p->cond.platforms.include = CA_PLAT_ALL;
	p->cond.platforms.exclude = CA_PLAT_IOS | CA_PLAT_WINDOWS_PHONE;
	return NULL;
}
M(device_no_rule) { base(p); p->cond.devices.present = true; return "conditions.devices.deviceFilter.rule"; }
M(ok_device_rule)
{
	base(p);
	p->cond.devices.present = true;
	p->cond.devices.mode = CA_FILTER_EXCLUDE;
	p->cond.devices.rule = strdup("device.isCompliant -eq True");
	return NULL;
}
M(sp_risk_hidden) { base(p); p->cond.sp_risk = CA_RISK_HIDDEN; return "conditions.servicePrincipalRiskLevels"; }
M(ok_sign_in_risk_hidden) { base(p); p->cond.sign_in_risk = CA_RISK_HIDDEN | CA_RISK_NONE; return NULL; }

/* grant */
M(grant_empty) { base(p); p->grant.builtin = 0; return "grantControls"; }
M(grant_absent_with_controls) { base(p); p->grant.present = false; return "grantControls"; }
M(block_and_mfa) { base(p); p->grant.builtin = CA_CTL_BLOCK | CA_CTL_MFA; return "grantControls.builtInControls"; }
M(block_and_terms) { base(p); p->grant.builtin = CA_CTL_BLOCK; add(&p->grant.terms_of_use, U1); return "grantControls.builtInControls"; }
M(block_and_strength)
{
	base(p);
	p->grant.builtin = CA_CTL_BLOCK;
	memcpy(p->grant.auth_strength, CA_STRENGTH_MFA, CA_ID_SIZE);
	return "grantControls.builtInControls";
}
M(ok_block) { base(p); p->grant.builtin = CA_CTL_BLOCK; return NULL; }
M(mfa_and_strength) { base(p); memcpy(p->grant.auth_strength, CA_STRENGTH_PHISHING_RESIST, CA_ID_SIZE); return "grantControls.authenticationStrength"; }
M(strength_not_builtin)
{
	base(p);
	p->grant.builtin = 0;
	memcpy(p->grant.auth_strength, "00000000-0000-0000-0000-000000000005", CA_ID_SIZE);
	return "grantControls.authenticationStrength.id";
}
M(strength_custom)
{
	base(p);
	p->grant.builtin = 0;
	memcpy(p->grant.auth_strength, U1, CA_ID_SIZE);
	return "grantControls.authenticationStrength.id";
}
M(ok_strength_2) { base(p); p->grant.builtin = 0; memcpy(p->grant.auth_strength, CA_STRENGTH_MFA, CA_ID_SIZE); return NULL; }
M(ok_strength_3) { base(p); p->grant.builtin = 0; memcpy(p->grant.auth_strength, CA_STRENGTH_PASSWORDLESS, CA_ID_SIZE); return NULL; }
M(ok_strength_4_and_device)
{
	base(p);
	p->grant.builtin = CA_CTL_COMPLIANT_DEVICE;
	memcpy(p->grant.auth_strength, CA_STRENGTH_PHISHING_RESIST, CA_ID_SIZE);
	return NULL;
}
M(ok_unsatisfiable_controls)
{
	base(p);
	p->grant.builtin = CA_CTL_MFA | CA_CTL_UNSATISFIABLE;
	add(&p->grant.terms_of_use, U1);
	(void)ca_strs_add(&p->grant.custom_factors, "Duo-MFA");
	return NULL;
}
M(ok_pw_change) { pw_change(p); return NULL; }
M(pw_change_alone) { pw_change(p); p->grant.builtin = CA_CTL_PASSWORD_CHANGE; return "grantControls.builtInControls"; }
M(pw_change_or) { pw_change(p); p->grant.op = CA_OP_OR; return "grantControls.operator"; }
M(pw_change_plus_device) { pw_change(p); p->grant.builtin |= CA_CTL_COMPLIANT_DEVICE; return "grantControls.builtInControls"; }
M(pw_change_plus_terms) { pw_change(p); add(&p->grant.terms_of_use, U1); return "grantControls.builtInControls"; }
M(pw_change_strength_not_mfa)
{
	pw_change(p);
	p->grant.builtin = CA_CTL_PASSWORD_CHANGE;
	memcpy(p->grant.auth_strength, CA_STRENGTH_MFA, CA_ID_SIZE);
	return "grantControls.builtInControls";
}
M(pw_change_no_user_risk) { pw_change(p); p->cond.user_risk = 0; return "conditions.userRiskLevels"; }
M(pw_change_one_app)
{
	pw_change(p);
	p->cond.apps.include_kw = 0;
	add(&p->cond.apps.include_apps, APP);
	return "conditions.applications.includeApplications";
}
M(pw_change_portals) { pw_change(p); p->cond.apps.include_kw = CA_APPS_ADMIN_PORTALS; return "conditions.applications.includeApplications"; }
M(pw_change_excluded_app) { pw_change(p); add(&p->cond.apps.exclude_apps, APP); return "conditions.applications.excludeApplications"; }
M(pw_change_excluded_office) { pw_change(p); p->cond.apps.exclude_kw = CA_APPS_OFFICE365; return "conditions.applications.excludeApplications"; }
M(pw_change_sign_in_risk) { pw_change(p); p->cond.sign_in_risk = CA_RISK_HIGH; return "conditions.signInRiskLevels"; }
M(pw_change_sp_risk) { pw_change(p); p->cond.sp_risk = CA_RISK_HIGH; return "conditions.servicePrincipalRiskLevels"; }
M(pw_change_client_types) { pw_change(p); p->cond.client_app_types = CA_CLIENT_BROWSER; return "conditions.clientAppTypes"; }
M(pw_change_locations)
{
	pw_change(p);
	p->cond.locations.present = true;
	p->cond.locations.include_kw = CA_LOC_ALL;
	return "conditions.locations";
}
M(pw_change_platforms)
{
	pw_change(p);
	p->cond.platforms.present = true;
	p->cond.platforms.include = CA_PLAT_ALL;
	return "conditions.platforms";
}
M(pw_change_devices)
{
	pw_change(p);
	p->cond.devices.present = true;
	p->cond.devices.rule = strdup("device.trustType -eq \"ServerAD\"");
	return "conditions.devices";
}
M(ok_pw_change_user_scope)
{
	pw_change(p);   /* users, groups and exclusions are assignments, not conditions */
	p->cond.users.include_kw = 0;
	add(&p->cond.users.include_groups, U1);
	add(&p->cond.users.exclude_users, U2);
	sif(p, CA_SIF_TYPE_NONE, 0, CA_SIF_EVERY_TIME);
	return NULL;
}

/* session */
M(sif_hours_0) { base(p); sif(p, CA_SIF_HOURS, 0, CA_SIF_TIME_BASED); return "sessionControls.signInFrequency.value"; }
M(sif_hours_24) { base(p); sif(p, CA_SIF_HOURS, 24, CA_SIF_TIME_BASED); return "sessionControls.signInFrequency.value"; }
M(ok_sif_hours_1) { base(p); sif(p, CA_SIF_HOURS, 1, CA_SIF_TIME_BASED); return NULL; }
M(ok_sif_hours_23) { base(p); sif(p, CA_SIF_HOURS, 23, CA_SIF_INTERVAL_NONE); return NULL; }
M(sif_days_0) { base(p); sif(p, CA_SIF_DAYS, 0, CA_SIF_TIME_BASED); return "sessionControls.signInFrequency.value"; }
M(sif_days_366) { base(p); sif(p, CA_SIF_DAYS, 366, CA_SIF_TIME_BASED); return "sessionControls.signInFrequency.value"; }
M(ok_sif_days_1) { base(p); sif(p, CA_SIF_DAYS, 1, CA_SIF_TIME_BASED); return NULL; }
M(ok_sif_days_365) { base(p); sif(p, CA_SIF_DAYS, 365, CA_SIF_TIME_BASED); return NULL; }
M(sif_enabled_no_type) { base(p); sif(p, CA_SIF_TYPE_NONE, 0, CA_SIF_TIME_BASED); return "sessionControls.signInFrequency.type"; }
M(sif_value_no_type) { base(p); sif(p, CA_SIF_TYPE_NONE, 4, CA_SIF_TIME_BASED); p->session.sif.is_enabled = false; return "sessionControls.signInFrequency.type"; }
M(ok_sif_disabled_empty) { base(p); sif(p, CA_SIF_TYPE_NONE, 0, CA_SIF_TIME_BASED); p->session.sif.is_enabled = false; return NULL; }
M(sif_every_time_no_risk) { base(p); sif(p, CA_SIF_TYPE_NONE, 0, CA_SIF_EVERY_TIME); return "sessionControls.signInFrequency.frequencyInterval"; }
M(sif_every_time_with_hours)
{
	base(p);
	p->cond.sign_in_risk = CA_RISK_HIGH;
	sif(p, CA_SIF_HOURS, 4, CA_SIF_EVERY_TIME);
	return "sessionControls.signInFrequency.type";
}
M(ok_every_time_sign_in_risk) { base(p); p->cond.sign_in_risk = CA_RISK_HIGH | CA_RISK_MEDIUM; sif(p, CA_SIF_TYPE_NONE, 0, CA_SIF_EVERY_TIME); return NULL; }
M(ok_every_time_user_risk) { base(p); p->cond.user_risk = CA_RISK_HIGH; sif(p, CA_SIF_TYPE_NONE, 0, CA_SIF_EVERY_TIME); return NULL; }
M(session_absent_with_sif) { base(p); sif(p, CA_SIF_HOURS, 4, CA_SIF_TIME_BASED); p->session.present = false; return "sessionControls"; }
M(browser_no_mode)
{
	base(p);
	p->session.present = true;
	p->session.persistent_browser.present = true;
	p->session.persistent_browser.is_enabled = true;
	return "sessionControls.persistentBrowser.mode";
}
M(ok_browser_never)
{
	base(p);
	p->session.present = true;
	p->session.persistent_browser.present = true;
	p->session.persistent_browser.is_enabled = true;
	p->session.persistent_browser.mode = CA_BROWSER_NEVER;
	return NULL;
}
M(mcas_no_type)
{
	base(p);
	p->session.present = true;
	p->session.cloud_app_security_present = true;
	p->session.cloud_app_security_enabled = true;
	return "sessionControls.cloudAppSecurity.cloudAppSecurityType";
}

#undef M

static const struct {
	const char *name;
	const char *(*mutate)(struct ca_policy *p);
} cases[] = {
#define C(f) {#f, f}
	C(ok_base), C(no_state), C(bad_state), C(no_name), C(empty_policy), C(ok_grant_only),
	C(ok_session_only), C(ok_users_none_only), C(ok_apps_none_only), C(ok_id), C(bad_id),
	C(users_all_with_id), C(users_all_with_guests), C(users_none_with_id),
	C(ok_users_guests_with_id), C(users_exclude_all), C(ok_users_exclude_guests),
	C(bad_uppercase_group),
	C(apps_all_with_office), C(apps_all_with_id), C(apps_none_with_portals),
	C(ok_apps_portals_and_id), C(apps_exclude_all), C(ok_apps_exclude_portals),
	C(user_actions_with_apps), C(ok_user_actions), C(user_actions_report_only),
	C(client_none), C(client_all_and_browser), C(ok_client_legacy),
	C(loc_no_include), C(loc_all_with_id), C(loc_exclude_all), C(ok_loc_all_but_trusted),
	C(loc_lists_without_present), C(plat_no_include), C(plat_all_and_ios),
	C(plat_exclude_all), C(ok_plat_all_but_ios), C(device_no_rule), C(ok_device_rule),
	C(sp_risk_hidden), C(ok_sign_in_risk_hidden),
	C(grant_empty), C(grant_absent_with_controls), C(block_and_mfa), C(block_and_terms),
	C(block_and_strength), C(ok_block), C(mfa_and_strength), C(strength_not_builtin),
	C(strength_custom), C(ok_strength_2), C(ok_strength_3), C(ok_strength_4_and_device),
	C(ok_unsatisfiable_controls),
	C(ok_pw_change), C(pw_change_alone), C(pw_change_or), C(pw_change_plus_device),
	C(pw_change_plus_terms), C(pw_change_strength_not_mfa), C(pw_change_no_user_risk),
	C(pw_change_one_app), C(pw_change_portals), C(pw_change_excluded_app),
	C(pw_change_excluded_office), C(pw_change_sign_in_risk), C(pw_change_sp_risk),
	C(pw_change_client_types), C(pw_change_locations), C(pw_change_platforms),
	C(pw_change_devices), C(ok_pw_change_user_scope),
	C(sif_hours_0), C(sif_hours_24), C(ok_sif_hours_1), C(ok_sif_hours_23), C(sif_days_0),
	C(sif_days_366), C(ok_sif_days_1), C(ok_sif_days_365), C(sif_enabled_no_type),
	C(sif_value_no_type), C(ok_sif_disabled_empty), C(sif_every_time_no_risk),
	C(sif_every_time_with_hours), C(ok_every_time_sign_in_risk), C(ok_every_time_user_risk),
	C(session_absent_with_sif), C(browser_no_mode), C(ok_browser_never), C(mcas_no_type),
#undef C
};

static void validator_table(void)
{
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct ca_policy p;
		struct ca_error e;
		const char *want = cases[i].mutate(&p);
		int r = ca_policy_validate(&p, &e);
		if (want == NULL && r != TG_OK)
			TG_T_FAIL("%s: refused at \"%s\": %s", cases[i].name, e.path, e.message);
		if (want != NULL && r != TG_ERR_INVALID)
			TG_T_FAIL("%s: accepted, expected a fault at \"%s\"", cases[i].name, want);
		if (want != NULL && r == TG_ERR_INVALID && strcmp(e.path, want) != 0)
			TG_T_FAIL("%s: fault at \"%s\" (%s), expected \"%s\"", cases[i].name, e.path,
			          e.message, want);
		if (r != TG_OK && e.message[0] == '\0')
			TG_T_FAIL("%s: no message", cases[i].name);
		CHECK_INT(ca_policy_validate(&p, NULL), r);   /* err is optional */
		ca_policy_cleanup(&p);
	}
}

static void id_lists(void)
{
	struct ca_ids l = {0, NULL};
	CHECK_INT(ca_ids_add(&l, "not-a-uuid"), TG_ERR_INVALID);
	CHECK_INT(ca_ids_add(&l, "All"), TG_ERR_INVALID);
	CHECK_INT(ca_ids_add(&l, NULL), TG_ERR_INVALID);
	CHECK_INT(ca_ids_add(&l, "7359d0e0-d8a9-4afa-8a93-e23e099d7be8 "), TG_ERR_INVALID);
	CHECK_OK(ca_ids_add(&l, "7359D0E0-D8A9-4AFA-8A93-E23E099D7BE8"));
	CHECK_STR(l.v[0], "7359d0e0-d8a9-4afa-8a93-e23e099d7be8");
	CHECK_OK(ca_ids_add(&l, "7359d0e0-d8a9-4afa-8a93-e23e099d7be8"));   /* duplicate */
	CHECK_INT(l.n, 1);
	CHECK(ca_ids_contains(&l, "7359D0E0-d8a9-4afa-8a93-e23e099d7be8"));
	CHECK(!ca_ids_contains(&l, U1));
	for (unsigned i = 1; i < TG_MAX_CA_LIST; i++) {
		char id[CA_ID_SIZE];
		snprintf(id, sizeof id, "00000000-0000-4000-8000-%012u", i);
		if (ca_ids_add(&l, id) != TG_OK) {
			TG_T_FAIL("id %u refused", i);
			break;
		}
	}
	CHECK_INT(l.n, TG_MAX_CA_LIST);
	CHECK_INT(ca_ids_add(&l, U1), TG_ERR_TOO_LARGE);
	CHECK_OK(ca_ids_add(&l, "00000000-0000-4000-8000-000000000001"));   /* dup when full */
	CHECK_INT(l.n, TG_MAX_CA_LIST);
	ca_ids_cleanup(&l);
	CHECK_INT(l.n, 0);
	ca_ids_cleanup(NULL);

	struct ca_strs s = {0, NULL};
	CHECK_INT(ca_strs_add(&s, ""), TG_ERR_INVALID);
	CHECK_INT(ca_strs_add(&s, "has space"), TG_ERR_INVALID);
	CHECK_INT(ca_strs_add(&s, "t\xc3\xa4st"), TG_ERR_INVALID);
	char longid[TG_MAX_CA_CUSTOM_ID + 2];
	memset(longid, 'x', sizeof longid - 1);
	longid[sizeof longid - 1] = '\0';
	CHECK_INT(ca_strs_add(&s, longid), TG_ERR_INVALID);
	longid[TG_MAX_CA_CUSTOM_ID] = '\0';
	CHECK_OK(ca_strs_add(&s, longid));
	CHECK_OK(ca_strs_add(&s, "Duo-MFA"));
	CHECK_OK(ca_strs_add(&s, "Duo-MFA"));
	CHECK_INT(s.n, 2);
	ca_strs_cleanup(&s);
}

static void enum_names_case_insensitive(void)
{
	unsigned bit;
	enum ca_state st;
	CHECK_OK(ca_control_parse("MFA", &bit));
	CHECK_INT(bit, CA_CTL_MFA);
	CHECK_OK(ca_control_parse("Block", &bit));
	CHECK_INT(bit, CA_CTL_BLOCK);
	CHECK_STR(ca_control_name(CA_CTL_PASSWORD_CHANGE), "passwordChange");
	CHECK_INT(ca_control_parse("unknownFutureValue", &bit), TG_ERR_INVALID);
	CHECK_OK(ca_platform_parse("IOS", &bit));
	CHECK_STR(ca_platform_name(bit), "iOS");
	CHECK_OK(ca_client_app_type_parse("EXCHANGEACTIVESYNC", &bit));
	CHECK_STR(ca_client_app_type_name(bit), "exchangeActiveSync");
	CHECK_OK(ca_client_app_type_parse("easUnsupported", &bit));
	CHECK_INT(bit, CA_CLIENT_EXCHANGE_ACTIVESYNC);
	CHECK_OK(ca_risk_parse("High", &bit));
	CHECK_STR(ca_risk_name(bit), "high");
	CHECK_INT(ca_risk_parse("severe", &bit), TG_ERR_INVALID);
	CHECK_OK(ca_user_action_parse("URN:USER:REGISTERSECURITYINFO", &bit));
	CHECK_STR(ca_user_action_name(bit), "urn:user:registersecurityinfo");
	CHECK_OK(ca_state_parse("ENABLEDFORREPORTINGBUTNOTENFORCED", &st));
	CHECK_STR(ca_state_name(st), "enabledForReportingButNotEnforced");
	CHECK_INT(ca_state_parse("on", &st), TG_ERR_INVALID);
	CHECK_INT(ca_state_parse(NULL, &st), TG_ERR_INVALID);
	CHECK(ca_control_name(CA_CTL_MFA | CA_CTL_BLOCK) == NULL);
	CHECK(ca_platform_name(0) == NULL);
}

static void dup_equal_cleanup(void)
{
	struct ca_policy a, b;
	ok_device_rule(&a);
	add(&a.cond.users.exclude_users, U1);
	add(&a.grant.terms_of_use, U2);
	(void)ca_strs_add(&a.grant.custom_factors, "X");
	sif(&a, CA_SIF_DAYS, 7, CA_SIF_TIME_BASED);
	ca_policy_dup(&b, &a);
	CHECK(ca_policy_equal(&a, &b));
	CHECK(b.display_name != a.display_name);
	CHECK(b.cond.devices.rule != a.cond.devices.rule);
	b.session.sif.value = 8;
	CHECK(!ca_policy_equal(&a, &b));
	b.session.sif.value = 7;
	add(&b.cond.users.exclude_users, U2);
	CHECK(!ca_policy_equal(&a, &b));
	/* a copy keeps growing safely (capacity rule shared with add) */
	for (unsigned i = 0; i < 20; i++) {
		char id[CA_ID_SIZE], cf[16];
		snprintf(id, sizeof id, "00000000-0000-4000-8000-%012u", i);
		snprintf(cf, sizeof cf, "ctl-%u", i);
		add(&b.grant.terms_of_use, id);
		CHECK_OK(ca_strs_add(&b.grant.custom_factors, cf));
	}
	CHECK_INT(b.grant.terms_of_use.n, 21);
	CHECK_INT(b.grant.custom_factors.n, 21);
	ca_policy_cleanup(&b);
	CHECK(b.display_name == NULL && b.cond.users.exclude_users.n == 0);
	CHECK_INT(b.cond.client_app_types, CA_CLIENT_ALL);
	ca_policy_cleanup(&a);
	ca_policy_cleanup(NULL);

	struct ca_policy *h = ca_policy_new();
	CHECK_INT(h->state, CA_STATE_UNSET);
	CHECK_INT(ca_policy_set_display_name(h, ""), TG_ERR_INVALID);
	CHECK_INT(ca_policy_set_display_name(h, "bad\xff"), TG_ERR_INVALID);
	CHECK_INT(ca_policy_set_display_name(h, "tab\there"), TG_ERR_INVALID);
	CHECK_OK(ca_policy_set_display_name(h, "Kräver MFA"));
	ca_policy_free(h);
	ca_policy_free(NULL);
}

static void evaluator_helpers(void)
{
	struct ca_policy p;
	base(&p);
	CHECK_INT(ca_policy_sif_seconds(&p), -1);
	CHECK(ca_policy_has_grant_requirement(&p));
	sif(&p, CA_SIF_HOURS, 4, CA_SIF_TIME_BASED);
	CHECK_INT(ca_policy_sif_seconds(&p), 4 * 3600);
	sif(&p, CA_SIF_DAYS, 2, CA_SIF_INTERVAL_NONE);
	CHECK_INT(ca_policy_sif_seconds(&p), 2 * 86400);
	sif(&p, CA_SIF_TYPE_NONE, 0, CA_SIF_EVERY_TIME);
	CHECK_INT(ca_policy_sif_seconds(&p), 0);
	p.session.sif.is_enabled = false;
	CHECK_INT(ca_policy_sif_seconds(&p), -1);
	p.grant.present = false;
	p.grant.builtin = 0;
	CHECK(!ca_policy_has_grant_requirement(&p));
	ca_policy_cleanup(&p);
}

int main(void)
{
	TEST(validator_table);
	TEST(id_lists);
	TEST(enum_names_case_insensitive);
	TEST(dup_equal_cleanup);
	TEST(evaluator_helpers);
	return tg_test_done();
}
