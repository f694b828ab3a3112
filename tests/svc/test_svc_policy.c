/* SPDX-License-Identifier: MIT
 * Policy domain of the service layer against SQLite in memory: MFA service
 * settings (validation naming the field, nothing changed on refusal,
 * audit, generation), security defaults' conflict rules in both directions
 * including per-user MFA and its turning off, the registration grace
 * bookkeeping, Conditional Access policy CRUD (bad JSON, and ids naming no
 * user, group, role or app of the tenant, refused with the path and nothing
 * stored; a user deleted since must be removed), templates, named location rules, risk inputs
 * and the compiled-tenant cache following the generation. */
#include "harness.h"
#include "base/err.h"
#include "base/mem.h"
#include "base/str.h"
#include "core/ca_templates.h"
#include "core/roles.h"
#include "json/ca_policy_json.h"
#include "store/store.h"
#include "store/store_oidc.h"
#include "store/store_policy.h"
#include "svc/svc.h"
#include "svc/svc_policy.h"
#include "svc/svc_oidc.h"
#include "svc/svc_signin.h"

static const struct pw_params fast = {64, 1, 1};
static int64_t clock_now = 1800000000;
static int64_t test_now(void) { return clock_now; }

struct env { struct store *st; struct svc sv; struct tg_tenant t; struct tg_user admin, alice, bob; };

static int setup(struct env *e)
{
	struct store_open_opts o = {.dsn = ":memory:", .create = true};
	memset(e, 0, sizeof *e);
	clock_now = 1800000000;
	if (store_open("sqlite", &o, &e->st))
		return -1;
	svc_init(&e->sv, e->st, &fast, "test:runner");
	e->sv.now = test_now;
	struct svc_user_input a = {.upn = "admin@contoso.test"}, b = {.upn = "alice@contoso.test"},
	                      c = {.upn = "bob@contoso.test"};
	if (svc_tenant_create(&e->sv, "contoso", "contoso.test", "Contoso", &e->t) ||
	    svc_user_create(&e->sv, &e->t, &a, &e->admin) || svc_user_create(&e->sv, &e->t, &b, &e->alice) ||
	    svc_user_create(&e->sv, &e->t, &c, &e->bob) ||
	    svc_role_assign(&e->sv, &e->t, "admin@contoso.test", ROLE_ID_GLOBAL_ADMIN, true))
		return -1;
	return 0;
}

static int count_audit_cb(const struct tg_audit *a, void *arg)
{
	(void)a;
	(*(int *)arg)++;
	return 0;
}

static int audit_count(struct env *e, const char *prefix)
{
	int n = 0;
	struct audit_query q = {.action_prefix = prefix};
	store_audit_list(e->st, &q, count_audit_cb, &n);
	return n;
}

struct last_audit { struct tg_audit a; int n; };

static int last_audit_cb(const struct tg_audit *a, void *arg)
{
	struct last_audit *x = arg;
	if (x->n++ == 0)
		x->a = *a;
	return 0;
}

static struct tg_audit last_audit(struct env *e, const char *prefix)
{
	struct last_audit x;
	memset(&x, 0, sizeof x);
	struct audit_query q = {.action_prefix = prefix, .limit = 1};
	store_audit_list(e->st, &q, last_audit_cb, &x);
	return x.a;
}

static int64_t generation(struct env *e)
{
	int64_t g = -1;
	store_policy_generation_get(e->st, e->t.id, &g);
	return g;
}

static int64_t policy_count(struct env *e)
{
	int64_t n = -1;
	store_ca_policy_count(e->st, e->t.id, &n);
	return n;
}

static const char *const mfa_all_enabled =
	"{\"displayName\": \"MFA for all\", \"state\": \"enabled\","
	" \"conditions\": {\"users\": {\"includeUsers\": [\"All\"]},"
	" \"applications\": {\"includeApplications\": [\"All\"]}},"
	" \"grantControls\": {\"operator\": \"OR\", \"builtInControls\": [\"mfa\"]}}";

static const char *const mfa_all_report_only =
	"{\"displayName\": \"MFA report-only\", \"state\": \"enabledForReportingButNotEnforced\","
	" \"conditions\": {\"users\": {\"includeUsers\": [\"All\"]},"
	" \"applications\": {\"includeApplications\": [\"All\"]}},"
	" \"grantControls\": {\"operator\": \"OR\", \"builtInControls\": [\"mfa\"]}}";

static int create(struct env *e, const char *json, struct ca_policy *out)
{
	struct ca_policy p;
	ca_policy_init(&p);
	int r = svc_policy_create(&e->sv, &e->t, json, strlen(json), out ? out : &p, NULL);
	ca_policy_cleanup(&p);
	return r;
}

/* ---------------------------------------------------------------- settings */

static void settings_defaults_and_round_trip(void)
{
	struct env e;
	REQUIRE(setup(&e) == 0);
	struct svc_settings s;
	CHECK_OK(svc_settings_get(&e.sv, &e.t, &s));
	CHECK(!s.allow_app_passwords);
	CHECK_INT(s.verification_options, DECISION_VERIFY_ALL);
	CHECK_INT(s.remember_mfa_days, 0);
	CHECK_INT(s.n_trusted_ips, 0);
	CHECK(!s.security_defaults);
	int64_t g0 = generation(&e);
	CHECK_OK(svc_settings_set_text(&e.sv, &e.t, "allow-app-passwords", "true"));
	CHECK_OK(svc_settings_set_text(&e.sv, &e.t, "verification-options", "app-code, SMS"));
	CHECK_OK(svc_settings_set_text(&e.sv, &e.t, "remember-mfa-days", "90"));
	CHECK_OK(svc_settings_set_text(&e.sv, &e.t, "trusted-ips",
	                               "10.0.0.0/8, 192.168.1.7 2001:DB8::1/48,10.0.0.0/8"));
	CHECK_INT(generation(&e), g0 + 4);
	CHECK_OK(svc_settings_get(&e.sv, &e.t, &s));
	CHECK(s.allow_app_passwords);
	CHECK_INT(s.verification_options, DECISION_VERIFY_APP_CODE | DECISION_VERIFY_SMS);
	CHECK_INT(s.remember_mfa_days, 90);
	CHECK_INT(s.n_trusted_ips, 3);   /* the duplicate kept once */
	char buf[CIDR_STRLEN];
	cidr_format(&s.trusted_ips[1], buf);
	CHECK_STR(buf, "192.168.1.7/32");
	cidr_format(&s.trusted_ips[2], buf);
	CHECK_STR(buf, "2001:db8::/48");
	/* the text contract other modules read */
	char *v = NULL;
	CHECK_OK(store_setting_get(e.st, e.t.id, SVC_SETTING_ALLOW_APP_PASSWORDS, &v));
	CHECK_STR(v, "true");
	free(v);
	CHECK_OK(store_setting_get(e.st, e.t.id, SVC_SETTING_VERIFICATION_OPTIONS, &v));
	CHECK_STR(v, "appCode,sms");
	free(v);
	CHECK_OK(store_setting_get(e.st, e.t.id, SVC_SETTING_TRUSTED_IPS, &v));
	CHECK_STR(v, "10.0.0.0/8\n192.168.1.7/32\n2001:db8::/48");
	free(v);
	CHECK_OK(svc_settings_set_text(&e.sv, &e.t, "trusted-ips", "none"));
	CHECK_OK(svc_settings_set_text(&e.sv, &e.t, "remember-mfa-days", "off"));
	CHECK_OK(svc_settings_get(&e.sv, &e.t, &s));
	CHECK_INT(s.n_trusted_ips, 0);
	CHECK_INT(s.remember_mfa_days, 0);
	CHECK_INT(audit_count(&e, "settings.update"), 6);
	struct tg_audit a = last_audit(&e, "settings.update");
	CHECK(strstr(a.before, "\"rememberMfaDays\":90") != NULL);
	CHECK(strstr(a.after, "\"rememberMfaDays\":0") != NULL);
	store_close(e.st);
}

static void settings_refused_name_the_field_and_change_nothing(void)
{
	struct env e;
	REQUIRE(setup(&e) == 0);
	CHECK_OK(svc_settings_set_text(&e.sv, &e.t, "trusted-ips", "203.0.113.0/24"));
	int64_t g0 = generation(&e);
	int a0 = audit_count(&e, "settings.");
	static const struct { const char *key, *value, *names; } bad[] = {
		{"allow-app-passwords", "yes", "allow-app-passwords"},
		{"allow-app-passwords", "", "allow-app-passwords"},
		{"verification-options", "", "verification-options"},
		{"verification-options", "sms,pigeon", "verification-options"},
		{"remember-mfa-days", "366", "remember-mfa-days"},
		{"remember-mfa-days", "-1", "remember-mfa-days"},
		{"remember-mfa-days", "ninety", "remember-mfa-days"},
		{"trusted-ips", "10.0.0.0/4", "trusted-ips"},
		{"trusted-ips", "300.1.1.1/24", "trusted-ips"},
		{"trusted-ips", "10.0.0.0/8,fe80::1%eth0/64", "trusted-ips"},
		{"trusted-ips", "not-an-ip", "trusted-ips"},
		{"remember", "1", "unknown setting"},
	};
	for (size_t i = 0; i < TG_ARRAY_LEN(bad); i++) {
		e.sv.err[0] = '\0';
		if (svc_settings_set_text(&e.sv, &e.t, bad[i].key, bad[i].value) != TG_ERR_INVALID)
			TG_T_FAIL("case %zu (%s=%s) accepted", i, bad[i].key, bad[i].value);
		else if (!strstr(e.sv.err, bad[i].names))
			TG_T_FAIL("case %zu: \"%s\" does not name %s", i, e.sv.err, bad[i].names);
	}
	/* 51 ranges */
	char many[2048] = "";
	for (int i = 0; i < 51; i++) {
		char one[32];
		snprintf(one, sizeof one, "%s10.%d.0.0/16", i ? "," : "", i);
		tg_strlcpy(many + strlen(many), one, sizeof many - strlen(many));
	}
	CHECK_INT(svc_settings_set_text(&e.sv, &e.t, "trusted-ips", many), TG_ERR_INVALID);
	CHECK(strstr(e.sv.err, "at most 50") != NULL);
	/* the typed form names the stored key */
	struct svc_settings s;
	CHECK_OK(svc_settings_get(&e.sv, &e.t, &s));
	s.verification_options = 0;
	CHECK_INT(svc_settings_set(&e.sv, &e.t, &s), TG_ERR_INVALID);
	CHECK(strstr(e.sv.err, SVC_SETTING_VERIFICATION_OPTIONS) != NULL);
	s.verification_options = DECISION_VERIFY_ALL;
	s.remember_mfa_days = 400;
	CHECK_INT(svc_settings_set(&e.sv, &e.t, &s), TG_ERR_INVALID);
	CHECK(strstr(e.sv.err, SVC_SETTING_REMEMBER_DAYS) != NULL);
	/* nothing changed */
	CHECK_INT(generation(&e), g0);
	CHECK_INT(audit_count(&e, "settings."), a0);
	CHECK_OK(svc_settings_get(&e.sv, &e.t, &s));
	CHECK_INT(s.n_trusted_ips, 1);
	CHECK_INT(s.remember_mfa_days, 0);
	/* a corrupt stored value is an error naming the key, never a default */
	CHECK_OK(store_setting_set(e.st, e.t.id, SVC_SETTING_REMEMBER_DAYS, "lots"));
	CHECK_INT(svc_settings_get(&e.sv, &e.t, &s), TG_ERR_INTERNAL);
	CHECK(strstr(e.sv.err, SVC_SETTING_REMEMBER_DAYS) != NULL);
	store_close(e.st);
}

/* ------------------------------------------------------- security defaults */

static void sd_refused_while_a_policy_is_enabled(void)
{
	struct env e;
	REQUIRE(setup(&e) == 0);
	struct ca_policy p;
	ca_policy_init(&p);
	CHECK_OK(create(&e, mfa_all_enabled, &p));
	CHECK_OK(create(&e, mfa_all_report_only, NULL));
	struct svc_sd_report rep;
	int64_t g0 = generation(&e);
	CHECK_INT(svc_security_defaults_set(&e.sv, &e.t, true, false, &rep), TG_ERR_CONFLICT);
	CHECK(strstr(e.sv.err, "\"MFA for all\"") != NULL);
	CHECK(strstr(e.sv.err, "report-only") != NULL);
	CHECK(!strstr(e.sv.err, "\"MFA report-only\""));   /* report-only is not in the way */
	CHECK(!rep.changed);
	CHECK_INT(generation(&e), g0);
	CHECK_INT(audit_count(&e, "securityDefaults."), 0);
	/* the per-user switch does not lift the policy conflict */
	CHECK_INT(svc_security_defaults_set(&e.sv, &e.t, true, true, &rep), TG_ERR_CONFLICT);
	/* once the policy is disabled, it works */
	const char *disabled = "{\"displayName\": \"MFA for all\", \"state\": \"disabled\","
		" \"conditions\": {\"users\": {\"includeUsers\": [\"All\"]},"
		" \"applications\": {\"includeApplications\": [\"All\"]}},"
		" \"grantControls\": {\"operator\": \"OR\", \"builtInControls\": [\"mfa\"]}}";
	CHECK_OK(svc_policy_update(&e.sv, &e.t, p.id, disabled, strlen(disabled), NULL, NULL));
	CHECK_OK(svc_security_defaults_set(&e.sv, &e.t, true, false, &rep));
	CHECK(rep.changed);
	struct svc_settings s;
	CHECK_OK(svc_settings_get(&e.sv, &e.t, &s));
	CHECK(s.security_defaults);
	CHECK_INT(s.security_defaults_since, clock_now);
	CHECK_INT(audit_count(&e, "securityDefaults.update"), 1);
	/* enabling again changes nothing, not even the time */
	clock_now += 100;
	CHECK_OK(svc_security_defaults_set(&e.sv, &e.t, true, false, &rep));
	CHECK(!rep.changed);
	CHECK_OK(svc_settings_get(&e.sv, &e.t, &s));
	CHECK_INT(s.security_defaults_since, clock_now - 100);
	CHECK_INT(audit_count(&e, "securityDefaults.update"), 1);
	CHECK_OK(svc_security_defaults_set(&e.sv, &e.t, false, false, &rep));
	CHECK(rep.changed);
	CHECK_OK(svc_settings_get(&e.sv, &e.t, &s));
	CHECK(!s.security_defaults);
	ca_policy_cleanup(&p);
	store_close(e.st);
}

static void policy_enable_refused_while_sd_on(void)
{
	struct env e;
	REQUIRE(setup(&e) == 0);
	CHECK_OK(svc_security_defaults_set(&e.sv, &e.t, true, false, NULL));
	int64_t g0 = generation(&e);
	CHECK_INT(create(&e, mfa_all_enabled, NULL), TG_ERR_CONFLICT);
	CHECK(strstr(e.sv.err, "security defaults") != NULL);
	CHECK_INT(policy_count(&e), 0);
	CHECK_INT(generation(&e), g0);
	CHECK_INT(audit_count(&e, "policy."), 0);
	/* report-only and templates are allowed; switching one on is not */
	struct ca_policy p;
	ca_policy_init(&p);
	CHECK_OK(create(&e, mfa_all_report_only, &p));
	CHECK_INT(svc_policy_update(&e.sv, &e.t, p.id, mfa_all_enabled, strlen(mfa_all_enabled), NULL, NULL),
	          TG_ERR_CONFLICT);
	struct ca_policy got;
	CHECK_OK(svc_policy_get(&e.sv, &e.t, p.id, &got));
	CHECK_INT(got.state, CA_STATE_REPORT_ONLY);
	ca_policy_cleanup(&got);
	CHECK_OK(svc_policy_from_template(&e.sv, &e.t, "require-mfa-all-users", "admin@contoso.test", NULL));
	CHECK_INT(policy_count(&e), 2);
	/* after disabling security defaults the update goes through */
	CHECK_OK(svc_security_defaults_set(&e.sv, &e.t, false, false, NULL));
	CHECK_OK(svc_policy_update(&e.sv, &e.t, p.id, mfa_all_enabled, strlen(mfa_all_enabled), NULL, NULL));
	ca_policy_cleanup(&p);
	store_close(e.st);
}

static void sd_per_user_conflict_and_turning_it_off(void)
{
	struct env e;
	REQUIRE(setup(&e) == 0);
	struct svc_mfa_report mrep;
	const char *alice = "alice@contoso.test", *bob = "bob@contoso.test";
	CHECK_OK(svc_mfa_set(&e.sv, &e.t, MFA_STATE_ENABLED, &alice, 1, false, false, &mrep));
	svc_mfa_report_cleanup(&mrep);
	CHECK_OK(svc_mfa_set(&e.sv, &e.t, MFA_STATE_ENFORCED, &bob, 1, false, false, &mrep));
	svc_mfa_report_cleanup(&mrep);
	int states0 = audit_count(&e, "user.mfa_state");
	struct svc_sd_report rep;
	CHECK_INT(svc_security_defaults_set(&e.sv, &e.t, true, false, &rep), TG_ERR_CONFLICT);
	CHECK(strstr(e.sv.err, "2 users") != NULL);
	CHECK(strstr(e.sv.err, "alice@contoso.test") && strstr(e.sv.err, "bob@contoso.test"));
	struct tg_user u;
	CHECK_OK(svc_user_find(&e.sv, &e.t, bob, &u));
	CHECK_INT(u.mfa_state, MFA_STATE_ENFORCED);
	CHECK_INT(audit_count(&e, "user.mfa_state"), states0);
	/* asked in the same request: per-user MFA off for all, then enabled */
	CHECK_OK(svc_security_defaults_set(&e.sv, &e.t, true, true, &rep));
	CHECK(rep.changed);
	CHECK_INT(rep.per_user_disabled, 2);
	CHECK_OK(svc_user_find(&e.sv, &e.t, bob, &u));
	CHECK_INT(u.mfa_state, MFA_STATE_DISABLED);
	CHECK_OK(svc_user_find(&e.sv, &e.t, alice, &u));
	CHECK_INT(u.mfa_state, MFA_STATE_DISABLED);
	CHECK_INT(audit_count(&e, "user.mfa_state"), states0 + 2);
	CHECK_INT(audit_count(&e, "securityDefaults.update"), 1);
	/* the switch is harmless when nobody is in the way */
	CHECK_OK(svc_security_defaults_set(&e.sv, &e.t, false, false, NULL));
	CHECK_OK(svc_security_defaults_set(&e.sv, &e.t, true, true, &rep));
	CHECK(rep.changed);
	CHECK_INT(rep.per_user_disabled, 0);
	store_close(e.st);
}

static void sd_grace_bookkeeping(void)
{
	struct env e;
	REQUIRE(setup(&e) == 0);
	bool noted = true;
	/* security defaults off: nothing is recorded */
	CHECK_OK(svc_sd_note_interactive(&e.sv, &e.t, e.alice.id, clock_now, &noted));
	CHECK(!noted);
	int64_t t0 = clock_now;
	CHECK_OK(svc_security_defaults_set(&e.sv, &e.t, true, false, NULL));
	CHECK_OK(svc_sd_note_interactive(&e.sv, &e.t, e.alice.id, t0 + 3600, &noted));
	CHECK(noted);
	CHECK_OK(svc_sd_note_interactive(&e.sv, &e.t, e.alice.id, t0 + 7200, &noted));
	CHECK(!noted);
	struct svc_decision_user du;
	CHECK_OK(svc_decision_user_load(&e.sv, &e.t, "alice@contoso.test", &du));
	CHECK_INT(du.du.sd_first_interactive, t0 + 3600);
	svc_decision_user_cleanup(&du);
	/* disabled and enabled again: the grace starts over at the next sign-in */
	clock_now = t0 + 30 * 86400;
	CHECK_OK(svc_security_defaults_set(&e.sv, &e.t, false, false, NULL));
	CHECK_OK(svc_security_defaults_set(&e.sv, &e.t, true, false, NULL));
	CHECK_OK(svc_sd_note_interactive(&e.sv, &e.t, e.alice.id, clock_now + 60, &noted));
	CHECK(noted);
	CHECK_OK(svc_decision_user_load(&e.sv, &e.t, "alice@contoso.test", &du));
	CHECK_INT(du.du.sd_first_interactive, clock_now + 60);
	svc_decision_user_cleanup(&du);
	store_close(e.st);
}

/* ---------------------------------------------------------------- policies */

static void policy_crud(void)
{
	struct env e;
	REQUIRE(setup(&e) == 0);
	struct ca_policy p, got;
	ca_policy_init(&p);
	int64_t g0 = generation(&e);
	CHECK_OK(create(&e, mfa_all_enabled, &p));
	CHECK(p.id[0] != '\0');
	CHECK_INT(p.created, clock_now);
	CHECK_INT(p.modified, clock_now);
	CHECK_INT(generation(&e), g0 + 1);
	CHECK_INT(audit_count(&e, "policy.create"), 1);
	struct tg_audit a = last_audit(&e, "policy.create");
	CHECK_STR(a.target, p.id);
	CHECK(strstr(a.after, "\"MFA for all\"") != NULL);
	/* stored canonically: what comes back is what was created */
	CHECK_OK(svc_policy_get(&e.sv, &e.t, p.id, &got));
	CHECK(ca_policy_equal(&p, &got));
	ca_policy_cleanup(&got);
	/* ids are case-insensitive */
	char upper[40];
	tg_strlcpy(upper, p.id, sizeof upper);
	for (char *c = upper; *c; c++)
		if (*c >= 'a' && *c <= 'f')
			*c = (char)(*c - 'a' + 'A');
	CHECK_OK(svc_policy_get(&e.sv, &e.t, upper, &got));
	ca_policy_cleanup(&got);
	/* update keeps created, moves modified */
	clock_now += 60;
	CHECK_OK(svc_policy_update(&e.sv, &e.t, p.id, mfa_all_report_only, strlen(mfa_all_report_only), &got, NULL));
	CHECK_INT(got.created, clock_now - 60);
	CHECK_INT(got.modified, clock_now);
	CHECK_INT(got.state, CA_STATE_REPORT_ONLY);
	CHECK_STR(got.id, p.id);
	ca_policy_cleanup(&got);
	struct ca_policy *v;
	size_t n;
	CHECK_OK(svc_policy_list(&e.sv, &e.t, &v, &n));
	CHECK_INT(n, 1);
	svc_policy_list_free(v, n);
	/* unknown ids */
	CHECK_INT(svc_policy_get(&e.sv, &e.t, "00000000-0000-4000-8000-000000000000", &got), TG_ERR_NOT_FOUND);
	CHECK_INT(svc_policy_get(&e.sv, &e.t, "nope", &got), TG_ERR_NOT_FOUND);
	CHECK_INT(svc_policy_update(&e.sv, &e.t, "00000000-0000-4000-8000-000000000000", mfa_all_enabled,
	                            strlen(mfa_all_enabled), NULL, NULL), TG_ERR_NOT_FOUND);
	CHECK_INT(svc_policy_delete(&e.sv, &e.t, "00000000-0000-4000-8000-000000000000"), TG_ERR_NOT_FOUND);
	CHECK_OK(svc_policy_delete(&e.sv, &e.t, p.id));
	CHECK_INT(policy_count(&e), 0);
	CHECK_INT(audit_count(&e, "policy.delete"), 1);
	ca_policy_cleanup(&p);
	store_close(e.st);
}

static void bad_policy_refused_with_path_nothing_stored(void)
{
	struct env e;
	REQUIRE(setup(&e) == 0);
	static const struct { const char *json, *path; } bad[] = {
		{"{\"displayName\": \"x\", \"state\": \"enabled\", \"conditions\": {\"users\": {\"includeUsers\":"
		 " [\"All\", \"nope\"]}, \"applications\": {\"includeApplications\": [\"All\"]}}}",
		 "conditions.users.includeUsers[1]"},
		{"{\"displayName\": \"x\", \"state\": \"on\", \"conditions\": {}}", "state"},
		{"{\"displayName\": \"x\", \"state\": \"enabled\", \"conditions\": {\"users\": {\"includeUsers\":"
		 " [\"All\"]}, \"applications\": {\"includeApplications\": [\"All\"]}}, \"grantControls\":"
		 " {\"operator\": \"AND\", \"builtInControls\": [\"passwordChange\"]}}", "grantControls.builtInControls"},
		{"{\"displayName\": \"x\", \"state\": \"enabled\", \"colour\": \"red\"}", "colour"},
		{"{\"displayName\": \"x\",", "displayName"},
		{"{\"displayName\": \"x\", \"state\": \"enabled\", \"conditions\": {\"users\": {\"includeUsers\":"
		 " [\"All\"]}, \"applications\": {\"includeApplications\": [\"All\"]}, \"locations\":"
		 " {\"includeLocations\": [\"AllTrusted\", \"0a0a0a0a-0000-4000-8000-000000000000\"]}},"
		 " \"grantControls\": {\"operator\": \"OR\", \"builtInControls\": [\"mfa\"]}}",
		 "conditions.locations.includeLocations[0]"},
	};
	int64_t g0 = generation(&e);
	for (size_t i = 0; i < TG_ARRAY_LEN(bad); i++) {
		struct json_err je;
		struct ca_policy p;
		memset(&je, 0, sizeof je);
		ca_policy_init(&p);
		int r = svc_policy_create(&e.sv, &e.t, bad[i].json, strlen(bad[i].json), &p, &je);
		if (r != TG_ERR_INVALID)
			TG_T_FAIL("case %zu: %d", i, r);
		else if (strcmp(je.path, bad[i].path) != 0)
			TG_T_FAIL("case %zu: path \"%s\", expected \"%s\" (%s)", i, je.path, bad[i].path, e.sv.err);
		else if (bad[i].path[0] && !strstr(e.sv.err, bad[i].path))
			TG_T_FAIL("case %zu: message \"%s\" lacks the path", i, e.sv.err);
		ca_policy_cleanup(&p);
	}
	CHECK_INT(policy_count(&e), 0);
	CHECK_INT(generation(&e), g0);
	CHECK_INT(audit_count(&e, "policy."), 0);
	/* the MFA trusted IPs location id needs no named location */
	const char *trusted = "{\"displayName\": \"x\", \"state\": \"disabled\", \"conditions\": {\"users\":"
		" {\"includeUsers\": [\"All\"]}, \"applications\": {\"includeApplications\": [\"All\"]},"
		" \"locations\": {\"includeLocations\": [\"All\"], \"excludeLocations\":"
		" [\"00000000-0000-0000-0000-000000000000\"]}}, \"grantControls\": {\"operator\": \"OR\","
		" \"builtInControls\": [\"mfa\"]}}";
	CHECK_OK(create(&e, trusted, NULL));
	store_close(e.st);
}

static void templates(void)
{
	struct env e;
	REQUIRE(setup(&e) == 0);
	for (size_t i = 0; ca_template_table[i].name; i++) {
		struct ca_policy p;
		ca_policy_init(&p);
		if (svc_policy_from_template(&e.sv, &e.t, ca_template_table[i].name, "admin@contoso.test", &p)) {
			TG_T_FAIL("template %s: %s", ca_template_table[i].name, e.sv.err);
			continue;
		}
		CHECK_INT(p.state, CA_STATE_REPORT_ONLY);
		CHECK_INT(p.cond.users.exclude_users.n, 1);
		if (p.cond.users.exclude_users.n)
			CHECK_STR(p.cond.users.exclude_users.v[0], e.admin.id);
		CHECK_STR(p.display_name, ca_template_table[i].display_name);
		ca_policy_cleanup(&p);
	}
	CHECK_INT(policy_count(&e), (int64_t)ca_template_count());
	CHECK_INT(audit_count(&e, "policy.create"), (int)ca_template_count());
	CHECK_INT(svc_policy_from_template(&e.sv, &e.t, "require-everything", "admin@contoso.test", NULL),
	          TG_ERR_NOT_FOUND);
	CHECK(strstr(e.sv.err, "block-legacy-auth") != NULL);
	CHECK_INT(svc_policy_from_template(&e.sv, &e.t, "block-legacy-auth", "ghost@contoso.test", NULL),
	          TG_ERR_NOT_FOUND);
	CHECK_INT(policy_count(&e), (int64_t)ca_template_count());
	store_close(e.st);
}

/* ------------------------------------------------------------- references */

#define GHOST "0a0a0a0a-0000-4000-8000-00000000000a"

/* A disabled policy with these users and applications conditions. */
static int ref_policy(char *buf, size_t size, const char *users, const char *apps)
{
	int n = snprintf(buf, size, "{\"displayName\": \"refs\", \"state\": \"disabled\", \"conditions\":"
	                 " {\"users\": {%s}, \"applications\": {%s}}, \"grantControls\": {\"operator\":"
	                 " \"OR\", \"builtInControls\": [\"mfa\"]}}", users, apps);
	return n > 0 && (size_t)n < size ? n : -1;
}

static void add_app(struct env *e, const struct tg_tenant *t, const char *id)
{
	struct store_app *a = xcalloc(1, sizeof *a);
	tg_strlcpy(a->tenant_id, t->id, sizeof a->tenant_id);
	tg_strlcpy(a->id, id, sizeof a->id);
	tg_strlcpy(a->display_name, id, sizeof a->display_name);
	tg_strlcpy(a->signing_alg, "ES256", sizeof a->signing_alg);
	a->is_public = true;
	a->grant_types = STORE_GRANT_AUTHORIZATION_CODE;
	if (store_app_insert(e->st, a))
		TG_T_FAIL("app %s", id);
	free(a);
}

/* Every id a policy names must name an object of the policy's tenant: an
 * unknown one is refused at its JSON path and nothing is stored. */
static void references_must_exist(void)
{
	struct env e;
	REQUIRE(setup(&e) == 0);
	struct tg_group fin, g2, uuid_named;
	struct tg_tenant t2;
	struct tg_user u2;
	struct svc_user_input in2 = {.upn = "carol@fabrikam.test"};
	const char *app = "a99a0000-0000-4000-8000-000000000001", *app2 = "a99a0000-0000-4000-8000-000000000002";
	CHECK_OK(svc_group_create(&e.sv, &e.t, "finance", NULL, &fin));
	/* a group whose *name* is an id: store_group_get also finds by name */
	CHECK_OK(svc_group_create(&e.sv, &e.t, "0b0b0b0b-0000-4000-8000-00000000000b", NULL, &uuid_named));
	CHECK_OK(svc_tenant_create(&e.sv, "fabrikam", "fabrikam.test", "Fabrikam", &t2));
	CHECK_OK(svc_group_create(&e.sv, &t2, "finance", NULL, &g2));
	CHECK_OK(svc_user_create(&e.sv, &t2, &in2, &u2));
	add_app(&e, &e.t, app);
	add_app(&e, &t2, app2);
	const char *all_apps = "\"includeApplications\": [\"All\"]", *all_users = "\"includeUsers\": [\"All\"]";
	char users[8][400], apps[4][400];
	snprintf(users[0], sizeof users[0], "\"includeUsers\": [\"%s\", \"%s\"]", e.alice.id, GHOST);
	snprintf(users[1], sizeof users[1], "\"includeUsers\": [\"All\"], \"excludeUsers\": [\"%s\"]", GHOST);
	snprintf(users[2], sizeof users[2], "\"includeGroups\": [\"%s\", \"%s\"]", fin.id, GHOST);
	snprintf(users[3], sizeof users[3], "\"includeUsers\": [\"All\"], \"excludeGroups\": [\"%s\", \"%s\"]",
	         fin.id, GHOST);
	snprintf(users[4], sizeof users[4], "\"includeRoles\": [\"%s\", \"%s\"]", ROLE_ID_GLOBAL_ADMIN, GHOST);
	snprintf(users[5], sizeof users[5], "\"includeUsers\": [\"All\"], \"excludeRoles\": [\"%s\"]", GHOST);
	snprintf(users[6], sizeof users[6], "\"includeGroups\": [\"%s\"]", g2.id);        /* other tenant's */
	snprintf(users[7], sizeof users[7], "\"includeUsers\": [\"%s\"]", u2.id);         /* other tenant's */
	snprintf(apps[0], sizeof apps[0], "\"includeApplications\": [\"%s\", \"%s\"]", SVC_APP_ADMIN_PORTAL, GHOST);
	snprintf(apps[1], sizeof apps[1], "\"includeApplications\": [\"All\"], \"excludeApplications\":"
	         " [\"Office365\", \"%s\", \"%s\"]", app, GHOST);
	snprintf(apps[2], sizeof apps[2], "\"includeApplications\": [\"%s\"]", app2);      /* other tenant's */
	char uuid_group[200];
	snprintf(uuid_group, sizeof uuid_group, "\"includeGroups\": [\"%s\"]", "0b0b0b0b-0000-4000-8000-00000000000b");
	static const char *const ghost_msg[] = {"no user " GHOST " in this tenant", "no group " GHOST " in this tenant",
	                                        "no directory role template " GHOST,
	                                        "no application " GHOST " in this tenant"};
	const struct { const char *users, *apps, *path, *msg; } bad[] = {
		{users[0], all_apps, "conditions.users.includeUsers[1]", ghost_msg[0]},
		{users[1], all_apps, "conditions.users.excludeUsers[0]", ghost_msg[0]},
		{users[2], all_apps, "conditions.users.includeGroups[1]", ghost_msg[1]},
		{users[3], all_apps, "conditions.users.excludeGroups[1]", ghost_msg[1]},
		{users[4], all_apps, "conditions.users.includeRoles[1]", ghost_msg[2]},
		{users[5], all_apps, "conditions.users.excludeRoles[0]", ghost_msg[2]},
		{all_users, apps[0], "conditions.applications.includeApplications[1]", ghost_msg[3]},
		{all_users, apps[1], "conditions.applications.excludeApplications[1]", ghost_msg[3]},
		{users[6], all_apps, "conditions.users.includeGroups[0]", "in this tenant"},
		{users[7], all_apps, "conditions.users.includeUsers[0]", "in this tenant"},
		{all_users, apps[2], "conditions.applications.includeApplications[0]", "in this tenant"},
		{uuid_group, all_apps, "conditions.users.includeGroups[0]", "no group 0b0b0b0b-"},
	};
	int64_t g0 = generation(&e);
	char json[2048];
	for (size_t i = 0; i < TG_ARRAY_LEN(bad); i++) {
		struct json_err je;
		memset(&je, 0, sizeof je);
		int n = ref_policy(json, sizeof json, bad[i].users, bad[i].apps);
		REQUIRE(n > 0);
		int r = svc_policy_create(&e.sv, &e.t, json, (size_t)n, NULL, &je);
		if (r != TG_ERR_INVALID)
			TG_T_FAIL("case %zu: %d (%s)", i, r, e.sv.err);
		else if (strcmp(je.path, bad[i].path) != 0)
			TG_T_FAIL("case %zu: path \"%s\", expected \"%s\" (%s)", i, je.path, bad[i].path, e.sv.err);
		else if (!strstr(e.sv.err, bad[i].path) || !strstr(e.sv.err, bad[i].msg) ||
		         !strstr(je.message, bad[i].msg))
			TG_T_FAIL("case %zu: message \"%s\" lacks \"%s\"", i, e.sv.err, bad[i].msg);
	}
	CHECK_INT(policy_count(&e), 0);
	CHECK_INT(generation(&e), g0);
	CHECK_INT(audit_count(&e, "policy."), 0);

	/* the same lists with only real ids (and keywords) are stored */
	char ok_users[600], ok_apps[300];
	snprintf(ok_users, sizeof ok_users, "\"includeUsers\": [\"%s\"], \"excludeUsers\": [\"%s\"],"
	         " \"includeGroups\": [\"%s\", \"%s\"], \"includeRoles\": [\"%s\"], \"excludeRoles\": [\"%s\"]",
	         e.alice.id, e.bob.id, fin.id, uuid_named.id, ROLE_ID_GLOBAL_ADMIN, ROLE_ID_HELPDESK_AGENT);
	snprintf(ok_apps, sizeof ok_apps, "\"includeApplications\": [\"%s\", \"%s\", \"%s\"],"
	         " \"excludeApplications\": [\"MicrosoftAdminPortals\"]", SVC_APP_ADMIN_PORTAL,
	         SVC_APP_MY_SIGNINS, app);
	int n = ref_policy(json, sizeof json, ok_users, ok_apps);
	REQUIRE(n > 0);
	struct ca_policy p;
	ca_policy_init(&p);
	CHECK_OK(svc_policy_create(&e.sv, &e.t, json, (size_t)n, &p, NULL));
	CHECK_INT(policy_count(&e), 1);

	/* a named user deleted since: the deletion is not blocked, but saving
	 * the policy again is refused, naming the id to remove */
	CHECK_OK(svc_user_delete(&e.sv, &e.t, "bob@contoso.test"));
	struct json_err je;
	memset(&je, 0, sizeof je);
	CHECK_INT(svc_policy_update(&e.sv, &e.t, p.id, json, (size_t)n, NULL, &je), TG_ERR_INVALID);
	CHECK_STR(je.path, "conditions.users.excludeUsers[0]");
	char want[200];
	snprintf(want, sizeof want, "no user %s in this tenant", e.bob.id);
	CHECK(strstr(e.sv.err, want) != NULL);
	CHECK_INT(audit_count(&e, "policy.update"), 0);
	char *drop = strstr(ok_users, "\"excludeUsers\"");
	REQUIRE(drop != NULL);
	memmove(drop, drop + strlen("\"excludeUsers\": [\"") + strlen(e.bob.id) + strlen("\"], "),
	        strlen(drop + strlen("\"excludeUsers\": [\"") + strlen(e.bob.id) + strlen("\"], ")) + 1);
	n = ref_policy(json, sizeof json, ok_users, ok_apps);
	REQUIRE(n > 0);
	CHECK_OK(svc_policy_update(&e.sv, &e.t, p.id, json, (size_t)n, NULL, NULL));
	CHECK_INT(audit_count(&e, "policy.update"), 1);
	ca_policy_cleanup(&p);
	store_close(e.st);
}

/* --------------------------------------------------------- named locations */

static const char *const office_trusted =
	"{\"@odata.type\": \"#microsoft.graph.ipNamedLocation\", \"displayName\": \"Office\","
	" \"isTrusted\": true, \"ipRanges\": [{\"@odata.type\": \"#microsoft.graph.iPv4CidrRange\","
	" \"cidrAddress\": \"203.0.113.0/24\"}]}";
static const char *const office_untrusted =
	"{\"@odata.type\": \"#microsoft.graph.ipNamedLocation\", \"displayName\": \"Office\","
	" \"isTrusted\": false, \"ipRanges\": [{\"@odata.type\": \"#microsoft.graph.iPv4CidrRange\","
	" \"cidrAddress\": \"203.0.113.0/24\"}]}";

static void named_location_rules(void)
{
	struct env e;
	REQUIRE(setup(&e) == 0);
	struct named_location loc, got;
	named_location_init(&loc);
	CHECK_OK(svc_location_create(&e.sv, &e.t, office_trusted, strlen(office_trusted), &loc, NULL));
	CHECK(loc.is_trusted);
	CHECK_INT(loc.created, clock_now);
	/* a trusted location cannot be deleted */
	CHECK_INT(svc_location_delete(&e.sv, &e.t, loc.id), TG_ERR_CONFLICT);
	CHECK(strstr(e.sv.err, "isTrusted") != NULL);
	/* nor one a policy uses */
	char json[1024];
	snprintf(json, sizeof json, "{\"displayName\": \"Block outside\", \"state\": \"disabled\","
	         " \"conditions\": {\"users\": {\"includeUsers\": [\"All\"]}, \"applications\":"
	         " {\"includeApplications\": [\"All\"]}, \"locations\": {\"includeLocations\": [\"All\"],"
	         " \"excludeLocations\": [\"%s\"]}}, \"grantControls\": {\"operator\": \"OR\","
	         " \"builtInControls\": [\"block\"]}}", loc.id);
	struct ca_policy p;
	ca_policy_init(&p);
	CHECK_OK(create(&e, json, &p));
	CHECK_OK(svc_location_update(&e.sv, &e.t, loc.id, office_untrusted, strlen(office_untrusted), NULL, NULL));
	CHECK_INT(svc_location_delete(&e.sv, &e.t, loc.id), TG_ERR_CONFLICT);
	CHECK(strstr(e.sv.err, "\"Block outside\"") != NULL);
	CHECK_OK(svc_location_get(&e.sv, &e.t, loc.id, &got));
	CHECK(!got.is_trusted);
	named_location_cleanup(&got);
	CHECK_OK(svc_policy_delete(&e.sv, &e.t, p.id));
	CHECK_OK(svc_location_delete(&e.sv, &e.t, loc.id));
	CHECK_INT(svc_location_get(&e.sv, &e.t, loc.id, &got), TG_ERR_NOT_FOUND);
	CHECK_INT(audit_count(&e, "location."), 3);
	/* bad JSON is refused with its path */
	const char *bad = "{\"@odata.type\": \"#microsoft.graph.ipNamedLocation\", \"displayName\": \"x\","
		" \"ipRanges\": [{\"@odata.type\": \"#microsoft.graph.iPv4CidrRange\", \"cidrAddress\": \"10.0.0.0/4\"}]}";
	struct json_err je;
	CHECK_INT(svc_location_create(&e.sv, &e.t, bad, strlen(bad), NULL, &je), TG_ERR_INVALID);
	CHECK_STR(je.path, "ipRanges[0].cidrAddress");
	/* at most 195 */
	for (int i = 0; i < TG_MAX_NAMED_LOCATIONS; i++)
		if (svc_location_create(&e.sv, &e.t, office_untrusted, strlen(office_untrusted), NULL, NULL))
			TG_T_FAIL("location %d: %s", i, e.sv.err);
	CHECK_INT(svc_location_create(&e.sv, &e.t, office_untrusted, strlen(office_untrusted), NULL, NULL),
	          TG_ERR_LIMIT);
	size_t n;
	struct named_location *v;
	CHECK_OK(svc_location_list(&e.sv, &e.t, &v, &n));
	CHECK_INT(n, TG_MAX_NAMED_LOCATIONS);
	svc_location_list_free(v, n);
	ca_policy_cleanup(&p);
	named_location_cleanup(&loc);
	store_close(e.st);
}

/* -------------------------------------------------------------------- risk */

static void risk_inputs(void)
{
	struct env e;
	REQUIRE(setup(&e) == 0);
	struct svc_user_risk ur;
	CHECK_OK(svc_user_risk_get(&e.sv, &e.t, "alice@contoso.test", &ur));
	CHECK_INT(ur.risk.level, RISK_NONE);
	CHECK_OK(svc_user_risk_set(&e.sv, &e.t, "alice@contoso.test", RISK_HIGH, "password found in a paste"));
	CHECK_OK(svc_user_risk_get(&e.sv, &e.t, "alice@contoso.test", &ur));
	CHECK_INT(ur.risk.level, RISK_HIGH);
	CHECK(ur.compromised && !ur.reported);
	CHECK_STR(ur.reason, "password found in a paste");
	CHECK_STR(ur.actor, "test:runner");
	CHECK_OK(svc_user_risk_report(&e.sv, &e.t, e.bob.id));
	CHECK_OK(svc_user_risk_get(&e.sv, &e.t, "bob@contoso.test", &ur));
	CHECK_INT(ur.risk.level, RISK_HIGH);
	CHECK(ur.reported);
	CHECK_STR(last_audit(&e, "risk.user.reported").actor, "user:bob@contoso.test");
	CHECK_OK(svc_user_risk_set(&e.sv, &e.t, "bob@contoso.test", RISK_NONE, NULL));
	CHECK_OK(svc_user_risk_get(&e.sv, &e.t, "bob@contoso.test", &ur));
	CHECK_INT(ur.risk.level, RISK_NONE);
	CHECK(!ur.compromised && !ur.reported);
	CHECK_INT(svc_user_risk_set(&e.sv, &e.t, "bob@contoso.test", RISK_MEDIUM, NULL), TG_ERR_INVALID);
	CHECK_INT(svc_user_risk_set(&e.sv, &e.t, "ghost@contoso.test", RISK_HIGH, NULL), TG_ERR_NOT_FOUND);
	CHECK_INT(audit_count(&e, "risk.user"), 3);

	char canon[STORE_IP_BUF];
	int64_t g0 = generation(&e);
	CHECK_OK(svc_bad_ip_add(&e.sv, &e.t, "203.0.113.77/24", canon));
	CHECK_STR(canon, "203.0.113.0/24");
	CHECK_OK(svc_bad_ip_add(&e.sv, &e.t, "2001:db8::1", canon));
	CHECK_STR(canon, "2001:db8::1/128");
	CHECK_INT(svc_bad_ip_add(&e.sv, &e.t, "203.0.113.0/24", NULL), TG_ERR_EXISTS);
	CHECK_INT(svc_bad_ip_add(&e.sv, &e.t, "0.0.0.0/0", NULL), TG_ERR_INVALID);
	CHECK_INT(svc_bad_ip_add(&e.sv, &e.t, "bogus", NULL), TG_ERR_INVALID);
	CHECK_INT(svc_bad_ip_remove(&e.sv, &e.t, "198.51.100.1"), TG_ERR_NOT_FOUND);
	CHECK_OK(svc_bad_ip_remove(&e.sv, &e.t, "203.0.113.5/24"));
	CHECK_INT(generation(&e), g0 + 3);
	int64_t n = 0;
	CHECK_OK(store_bad_ip_count(e.st, e.t.id, &n));
	CHECK_INT(n, 1);
	store_close(e.st);
}

/* ------------------------------------------------------------------ cache */

static void snapshot_follows_the_generation(void)
{
	struct env e;
	REQUIRE(setup(&e) == 0);
	struct svc_policy_cache *cache = svc_policy_cache_new();
	struct svc_policy_snapshot *a = NULL, *b = NULL, *c = NULL;
	CHECK_OK(svc_policy_snapshot_get(&e.sv, cache, &e.t, &a));
	CHECK_OK(svc_policy_snapshot_get(&e.sv, cache, &e.t, &b));
	CHECK(a == b);                       /* cached */
	CHECK(svc_policy_snapshot_tenant(a)->ca == NULL);
	CHECK_OK(create(&e, mfa_all_report_only, NULL));
	CHECK_OK(svc_settings_set_text(&e.sv, &e.t, "trusted-ips", "10.0.0.0/8"));
	CHECK_OK(svc_bad_ip_add(&e.sv, &e.t, "203.0.113.0/24", NULL));
	CHECK_OK(svc_policy_snapshot_get(&e.sv, cache, &e.t, &c));
	CHECK(c != a);                       /* rebuilt after the changes */
	CHECK_INT(svc_policy_snapshot_generation(c), generation(&e));
	const struct decision_tenant *dt = svc_policy_snapshot_tenant(c);
	CHECK(dt->ca != NULL && ca_compiled_count(dt->ca) == 1);
	struct cidr_ip ip;
	CHECK_OK(cidr_ip_parse("10.1.2.3", &ip));
	CHECK(cidr_set_contains(dt->trusted_ips, &ip));
	CHECK_OK(cidr_ip_parse("203.0.113.9", &ip));
	CHECK(cidr_set_contains(svc_policy_snapshot_bad_ips(c), &ip));
	/* the old snapshot stays usable until released */
	CHECK(svc_policy_snapshot_tenant(a)->ca == NULL);
	svc_policy_snapshot_release(a);
	svc_policy_snapshot_release(b);
	svc_policy_snapshot_release(c);
	svc_policy_cache_free(cache);
	store_close(e.st);
}

int main(void)
{
	TEST(settings_defaults_and_round_trip);
	TEST(settings_refused_name_the_field_and_change_nothing);
	TEST(sd_refused_while_a_policy_is_enabled);
	TEST(policy_enable_refused_while_sd_on);
	TEST(sd_per_user_conflict_and_turning_it_off);
	TEST(sd_grace_bookkeeping);
	TEST(policy_crud);
	TEST(bad_policy_refused_with_path_nothing_stored);
	TEST(references_must_exist);
	TEST(templates);
	TEST(named_location_rules);
	TEST(risk_inputs);
	TEST(snapshot_follows_the_generation);
	return tg_test_done();
}
