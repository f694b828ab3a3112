/* SPDX-License-Identifier: MIT
 * Sign-ins in the service layer against SQLite in memory: what-if answers
 * (per-user MFA with trusted IPs and app passwords, security defaults,
 * Conditional Access through transitive groups, every policy listed, risk
 * from the bad-IP list and the user's history), the simulation tool with
 * the security defaults grace counted from the first interactive sign-in,
 * the sign-in log (records, filters, cursor), and the impact replay of a
 * draft policy over a crafted log with its exact counts. */
#include <stdio.h>
#include "harness.h"
#include "base/err.h"
#include "base/mem.h"
#include "base/str.h"
#include "core/roles.h"
#include "json/signin_json.h"
#include "store/store.h"
#include "store/store_oidc.h"
#include "store/store_policy.h"
#include "store/store_sqlite_int.h"
#include "svc/svc.h"
#include "svc/svc_policy.h"
#include "svc/svc_signin.h"

#define DAY 86400
#define APP_PAYROLL "aaaaaaaa-0000-4000-8000-000000000001"
#define APP_MAIL "aaaaaaaa-0000-4000-8000-000000000002"

static const struct pw_params fast = {64, 1, 1};
static int64_t clock_now = 1800000000;
static int64_t test_now(void) { return clock_now; }

struct env { struct store *st; struct svc sv; struct tg_tenant t; struct svc_policy_cache *cache; };

static struct tg_user add_user(struct env *e, const char *upn)
{
	struct tg_user u;
	struct svc_user_input in = {.upn = upn};
	memset(&u, 0, sizeof u);
	if (svc_user_create(&e->sv, &e->t, &in, &u))
		TG_T_FAIL("user %s: %s", upn, e->sv.err);
	return u;
}

/* An active authenticator app for the user (what store_user_method_count counts). */
static void add_method(struct env *e, const struct tg_user *u)
{
	static int n;
	char sql[512];
	snprintf(sql, sizeof sql, "INSERT INTO auth_method(id,tenant_id,user_id,kind,status,created)"
	         " VALUES('dddddddd-0000-4000-8000-%012d','%s','%s','softwareOath',1,1)", ++n, e->t.id, u->id);
	if (exec_sql(sqlite_of(e->st), sql, "test method"))
		TG_T_FAIL("method for %s", u->upn);
}

/* An active mobile phone (SMS and voice) for the user. */
static void add_phone(struct env *e, const struct tg_user *u)
{
	static int n;
	char sql[512];
	snprintf(sql, sizeof sql, "INSERT INTO auth_method(id,tenant_id,user_id,kind,status,created,detail,phone_type)"
	         " VALUES('eeeeeeee-0000-4000-8000-%012d','%s','%s','phone',1,1,'+46 701234567',0)", ++n,
	         e->t.id, u->id);
	if (exec_sql(sqlite_of(e->st), sql, "test phone"))
		TG_T_FAIL("phone for %s", u->upn);
}

static int setup(struct env *e)
{
	struct store_open_opts o = {.dsn = ":memory:", .create = true};
	memset(e, 0, sizeof *e);
	clock_now = 1800000000;
	if (store_open("sqlite", &o, &e->st))
		return -1;
	svc_init(&e->sv, e->st, &fast, "test:runner");
	e->sv.now = test_now;
	e->cache = svc_policy_cache_new();
	return svc_tenant_create(&e->sv, "contoso", "contoso.test", "Contoso", &e->t);
}

static void teardown(struct env *e)
{
	svc_policy_cache_free(e->cache);
	store_close(e->st);
}

/* An app with a fixed client id (a policy may name only the tenant's apps). */
static void add_app(struct env *e, const char *id, const char *name)
{
	struct store_app *a = xcalloc(1, sizeof *a);
	tg_strlcpy(a->tenant_id, e->t.id, sizeof a->tenant_id);
	tg_strlcpy(a->id, id, sizeof a->id);
	tg_strlcpy(a->display_name, name, sizeof a->display_name);
	tg_strlcpy(a->signing_alg, "ES256", sizeof a->signing_alg);
	a->is_public = true;
	a->grant_types = STORE_GRANT_AUTHORIZATION_CODE;
	a->created = clock_now;
	if (store_app_insert(e->st, a))
		TG_T_FAIL("app %s", name);
	free(a);
}

static struct svc_signin_request req_of(const char *user, const char *app, const char *ip,
                                        enum decision_client client)
{
	struct svc_signin_request r;
	memset(&r, 0, sizeof r);
	r.user = user;
	r.app = app;
	r.ip = ip;
	r.client = client;
	r.has_platform = true;
	r.platform = PLATFORM_WINDOWS;
	return r;
}

/* What-if and return the outcome; *res stays for inspection. */
static int whatif(struct env *e, const struct svc_signin_request *r, struct svc_signin_result *res)
{
	int rc = svc_whatif(&e->sv, e->cache, &e->t, r, res);
	if (rc)
		TG_T_FAIL("whatif: %s", e->sv.err);
	return rc ? -1 : (int)res->d.outcome;
}

static const struct decision_source *source(const struct svc_signin_result *res, enum decision_provider p)
{
	for (size_t i = 0; i < res->d.n_sources; i++)
		if (res->d.sources[i].provider == p)
			return &res->d.sources[i];
	return NULL;
}

static const struct decision_policy *policy_result(const struct svc_signin_result *res, const char *name)
{
	for (size_t i = 0; i < res->d.n_policies; i++)
		if (strcmp(res->d.policies[i].policy->display_name, name) == 0)
			return &res->d.policies[i];
	return NULL;
}

static void create_policy(struct env *e, const char *json)
{
	if (svc_policy_create(&e->sv, &e->t, json, strlen(json), NULL, NULL))
		TG_T_FAIL("policy: %s", e->sv.err);
}

/* ----------------------------------------------------------------- what-if */

static void whatif_per_user(void)
{
	struct env e;
	REQUIRE(setup(&e) == 0);
	struct tg_user alice = add_user(&e, "alice@contoso.test");
	add_method(&e, &alice);
	add_user(&e, "bob@contoso.test");
	struct svc_mfa_report mrep;
	const char *upns[] = {"alice@contoso.test", "bob@contoso.test"};
	CHECK_OK(svc_mfa_set(&e.sv, &e.t, MFA_STATE_ENFORCED, upns, 2, false, false, &mrep));
	svc_mfa_report_cleanup(&mrep);
	CHECK_OK(svc_settings_set_text(&e.sv, &e.t, "trusted-ips", "10.0.0.0/8"));
	struct svc_signin_result res;
	svc_signin_result_init(&res);

	struct svc_signin_request r = req_of("alice@contoso.test", APP_PAYROLL, "198.51.100.7", DECISION_CLIENT_BROWSER);
	CHECK_INT(whatif(&e, &r, &res), DECISION_MFA_REQUIRED);
	CHECK_INT(res.d.error_code, DECISION_CODE_MFA_REQUIRED);
	CHECK(res.d.methods & CA_METHOD_SOFTWARE_OATH);
	const struct decision_source *s = source(&res, DECISION_PROVIDER_USER);
	CHECK(s && s->status == DECISION_SRC_PENDING);
	/* from a trusted IP per-user MFA is skipped */
	r.ip = "10.20.30.40";
	CHECK_INT(whatif(&e, &r, &res), DECISION_ALLOW);
	s = source(&res, DECISION_PROVIDER_USER);
	CHECK(s && s->result_detail && strcmp(s->result_detail, "skipped due to location") == 0);
	/* MFA earlier in the session satisfies it */
	r.ip = "198.51.100.7";
	r.mfa_at = clock_now - 600;
	CHECK_INT(whatif(&e, &r, &res), DECISION_ALLOW);
	CHECK_STR(res.d.mfa_detail, "satisfied by claim in the token");
	/* a legacy client of an enforced user needs an app password */
	r = req_of("alice@contoso.test", APP_MAIL, "198.51.100.7", DECISION_CLIENT_OTHER);
	CHECK_INT(whatif(&e, &r, &res), DECISION_APP_PASSWORD_REQUIRED);
	r.credential = DECISION_CRED_APP_PASSWORD;
	CHECK_INT(whatif(&e, &r, &res), DECISION_ALLOW);
	/* bob has no method: registration */
	r = req_of("bob@contoso.test", APP_PAYROLL, "198.51.100.7", DECISION_CLIENT_BROWSER);
	CHECK_INT(whatif(&e, &r, &res), DECISION_REGISTRATION_REQUIRED);
	/* bad input */
	r = req_of("ghost@contoso.test", APP_PAYROLL, "198.51.100.7", DECISION_CLIENT_BROWSER);
	CHECK_INT(svc_whatif(&e.sv, e.cache, &e.t, &r, &res), TG_ERR_NOT_FOUND);
	r = req_of("alice@contoso.test", APP_PAYROLL, "198.51.100.300", DECISION_CLIENT_BROWSER);
	CHECK_INT(svc_whatif(&e.sv, e.cache, &e.t, &r, &res), TG_ERR_INVALID);
	r = req_of("alice@contoso.test", "Payroll", "198.51.100.7", DECISION_CLIENT_BROWSER);
	CHECK_INT(svc_whatif(&e.sv, e.cache, &e.t, &r, &res), TG_ERR_INVALID);
	CHECK(strstr(e.sv.err, "admin-portal") != NULL);
	svc_signin_result_cleanup(&res);
	teardown(&e);
}

static void whatif_security_defaults(void)
{
	struct env e;
	REQUIRE(setup(&e) == 0);
	struct tg_user admin = add_user(&e, "admin@contoso.test");
	add_method(&e, &admin);
	struct tg_user alice = add_user(&e, "alice@contoso.test");
	add_method(&e, &alice);
	CHECK_OK(svc_role_assign(&e.sv, &e.t, "admin@contoso.test", ROLE_ID_GLOBAL_ADMIN, true));
	CHECK_OK(svc_security_defaults_set(&e.sv, &e.t, true, false, NULL));
	struct svc_signin_result res;
	svc_signin_result_init(&res);
	struct svc_signin_request r = req_of("alice@contoso.test", APP_MAIL, "198.51.100.7", DECISION_CLIENT_EXCHANGE_ACTIVESYNC);
	CHECK_INT(whatif(&e, &r, &res), DECISION_BLOCKED);
	CHECK_INT(res.d.error_code, DECISION_CODE_BLOCKED_BY_SECURITY_DEFAULTS);
	/* privileged role: MFA at every sign-in */
	r = req_of("admin@contoso.test", APP_PAYROLL, "198.51.100.7", DECISION_CLIENT_BROWSER);
	CHECK_INT(whatif(&e, &r, &res), DECISION_MFA_REQUIRED);
	/* everyone does MFA for the admin portal */
	r = req_of("alice@contoso.test", "admin-portal", "198.51.100.7", DECISION_CLIENT_BROWSER);
	CHECK_INT(whatif(&e, &r, &res), DECISION_MFA_REQUIRED);
	CHECK(res.app.privileged);
	r.app = APP_PAYROLL;
	CHECK_INT(whatif(&e, &r, &res), DECISION_ALLOW);
	/* risky sign-in: "when necessary" */
	r.has_risk = true;
	r.sign_in_risk = RISK_MEDIUM;
	CHECK_INT(whatif(&e, &r, &res), DECISION_MFA_REQUIRED);
	CHECK(source(&res, DECISION_PROVIDER_RISK) != NULL);
	svc_signin_result_cleanup(&res);
	teardown(&e);
}

static void whatif_conditional_access(void)
{
	struct env e;
	REQUIRE(setup(&e) == 0);
	struct tg_user alice = add_user(&e, "alice@contoso.test");
	add_method(&e, &alice);
	add_user(&e, "bob@contoso.test");
	struct tg_group g;
	CHECK_OK(svc_group_create(&e.sv, &e.t, "finance", NULL, &g));
	CHECK_OK(svc_group_create(&e.sv, &e.t, "staff", NULL, NULL));
	CHECK_OK(svc_group_member(&e.sv, &e.t, "finance", "staff", true, true));
	CHECK_OK(svc_group_member(&e.sv, &e.t, "staff", "alice@contoso.test", false, true));
	add_app(&e, APP_PAYROLL, "Payroll");
	char json[1024];
	snprintf(json, sizeof json, "{\"displayName\": \"Finance MFA\", \"state\": \"enabled\", \"conditions\":"
	         " {\"users\": {\"includeGroups\": [\"%s\"]}, \"applications\": {\"includeApplications\":"
	         " [\"%s\"]}}, \"grantControls\": {\"operator\": \"OR\", \"builtInControls\": [\"mfa\"]}}",
	         g.id, APP_PAYROLL);
	create_policy(&e, json);
	create_policy(&e, "{\"displayName\": \"Block legacy\", \"state\": \"enabledForReportingButNotEnforced\","
	              " \"conditions\": {\"users\": {\"includeUsers\": [\"All\"]}, \"applications\":"
	              " {\"includeApplications\": [\"All\"]}, \"clientAppTypes\": [\"exchangeActiveSync\", \"other\"]},"
	              " \"grantControls\": {\"operator\": \"OR\", \"builtInControls\": [\"block\"]}}");
	struct svc_signin_result res;
	svc_signin_result_init(&res);
	/* alice is in finance through staff (transitive) */
	struct svc_signin_request r = req_of("alice@contoso.test", APP_PAYROLL, "198.51.100.7", DECISION_CLIENT_BROWSER);
	CHECK_INT(whatif(&e, &r, &res), DECISION_MFA_REQUIRED);
	CHECK_INT(res.d.ca_status, DECISION_CA_FAILURE);
	const struct decision_policy *p = policy_result(&res, "Finance MFA");
	CHECK(p && p->r.result == CA_RESULT_FAILURE);
	p = policy_result(&res, "Block legacy");   /* every policy is listed */
	CHECK(p && p->r.result == CA_RESULT_REPORT_ONLY_NOT_APPLIED && p->r.reason);
	/* bob is not */
	r.user = "bob@contoso.test";
	CHECK_INT(whatif(&e, &r, &res), DECISION_ALLOW);
	p = policy_result(&res, "Finance MFA");
	CHECK(p && p->r.result == CA_RESULT_NOT_APPLIED);
	/* candidates only: policies that cannot apply to bob's browser sign-in are left out */
	r.candidates_only = true;
	CHECK_INT(whatif(&e, &r, &res), DECISION_ALLOW);
	CHECK_INT(res.d.n_policies, 0);
	r.candidates_only = false;
	/* another app is not targeted */
	r.user = "alice@contoso.test";
	r.app = APP_MAIL;
	CHECK_INT(whatif(&e, &r, &res), DECISION_ALLOW);
	/* unless the application asks for MFA (acr step-up) */
	r.step_up_mfa = true;
	CHECK_INT(whatif(&e, &r, &res), DECISION_MFA_REQUIRED);
	CHECK(source(&res, DECISION_PROVIDER_REQUEST) != NULL);
	r.step_up_mfa = false;
	/* report-only never blocks a legacy client */
	r.client = DECISION_CLIENT_OTHER;
	CHECK_INT(whatif(&e, &r, &res), DECISION_ALLOW);
	p = policy_result(&res, "Block legacy");
	CHECK(p && p->r.result == CA_RESULT_REPORT_ONLY_FAILURE);
	svc_signin_result_cleanup(&res);
	teardown(&e);
}

static void risk_from_bad_ips_history_and_user(void)
{
	struct env e;
	REQUIRE(setup(&e) == 0);
	struct tg_user alice = add_user(&e, "alice@contoso.test");
	add_method(&e, &alice);
	CHECK_OK(svc_bad_ip_add(&e.sv, &e.t, "203.0.113.0/24", NULL));
	create_policy(&e, "{\"displayName\": \"Risky sign-ins\", \"state\": \"enabled\", \"conditions\":"
	              " {\"users\": {\"includeUsers\": [\"All\"]}, \"applications\": {\"includeApplications\":"
	              " [\"All\"]}, \"signInRiskLevels\": [\"high\", \"medium\"]}, \"grantControls\":"
	              " {\"operator\": \"OR\", \"builtInControls\": [\"mfa\"]}}");
	struct svc_signin_result res;
	svc_signin_result_init(&res);
	struct svc_signin_request r = req_of("alice@contoso.test", APP_PAYROLL, "203.0.113.9", DECISION_CLIENT_BROWSER);
	CHECK_INT(whatif(&e, &r, &res), DECISION_MFA_REQUIRED);
	CHECK_INT(res.in.sign_in_risk, RISK_HIGH);
	CHECK(res.sign_in_risk.reason[0] != '\0');
	/* no history: none; with a history from another network and platform: medium */
	r.ip = "198.51.100.7";
	CHECK_INT(whatif(&e, &r, &res), DECISION_ALLOW);
	CHECK_INT(res.in.sign_in_risk, RISK_NONE);
	CHECK_OK(svc_signin_simulate(&e.sv, e.cache, &e.t, &r, &res, NULL));
	clock_now += 3600;
	r.ip = "192.0.2.55";
	r.platform = PLATFORM_LINUX;
	CHECK_INT(whatif(&e, &r, &res), DECISION_MFA_REQUIRED);
	CHECK_INT(res.in.sign_in_risk, RISK_MEDIUM);
	/* the same network as before is known */
	r.ip = "198.51.100.200";
	CHECK_INT(whatif(&e, &r, &res), DECISION_ALLOW);
	/* user risk from the store */
	CHECK_OK(svc_user_risk_set(&e.sv, &e.t, "alice@contoso.test", RISK_HIGH, NULL));
	CHECK_INT(whatif(&e, &r, &res), DECISION_ALLOW);
	CHECK_INT(res.in.user_risk, RISK_HIGH);
	/* a given risk overrides the computed one */
	r.has_risk = true;
	r.sign_in_risk = RISK_HIGH;
	CHECK_INT(whatif(&e, &r, &res), DECISION_MFA_REQUIRED);
	svc_signin_result_cleanup(&res);
	teardown(&e);
}

/* ----------------------------------------------------- simulation and grace */

static void simulate_starts_the_grace(void)
{
	struct env e;
	REQUIRE(setup(&e) == 0);
	add_user(&e, "carol@contoso.test");
	CHECK_OK(svc_security_defaults_set(&e.sv, &e.t, true, false, NULL));
	int64_t t0 = clock_now + 3600;
	struct svc_signin_result res;
	svc_signin_result_init(&res);
	struct svc_signin_request r = req_of("carol@contoso.test", APP_PAYROLL, "198.51.100.7", DECISION_CLIENT_BROWSER);
	/* a non-interactive sign-in does not start it */
	r.non_interactive = true;
	r.now = t0 - 60;
	CHECK_OK(svc_signin_simulate(&e.sv, e.cache, &e.t, &r, &res, NULL));
	r.non_interactive = false;
	r.now = t0;
	CHECK_OK(svc_signin_simulate(&e.sv, e.cache, &e.t, &r, &res, NULL));
	CHECK_INT(res.d.outcome, DECISION_REGISTRATION_REQUIRED);
	CHECK(res.d.can_skip);
	CHECK_INT(res.d.days_left, 14);
	r.now = t0 + 10 * DAY;
	CHECK_OK(svc_signin_simulate(&e.sv, e.cache, &e.t, &r, &res, NULL));
	CHECK(res.d.can_skip);
	CHECK_INT(res.d.days_left, 4);
	CHECK_INT(res.user.du.sd_first_interactive, t0);
	r.now = t0 + 15 * DAY;
	CHECK_OK(svc_signin_simulate(&e.sv, e.cache, &e.t, &r, &res, NULL));
	CHECK_INT(res.d.outcome, DECISION_REGISTRATION_REQUIRED);
	CHECK(!res.d.can_skip);
	svc_signin_result_cleanup(&res);
	teardown(&e);
}

/* ----------------------------------------------------------------- the log */

struct ids { int n; char id[16][TG_ID_BUF]; int64_t last_time, last_seq; };

static int ids_cb(const struct store_signin *row, void *arg)
{
	struct ids *x = arg;
	if (x->n < 16)
		tg_strlcpy(x->id[x->n], row->id, TG_ID_BUF);
	x->n++;
	x->last_time = row->time;
	x->last_seq = row->seq;
	return 0;
}

static void signin_log_records_and_queries(void)
{
	struct env e;
	REQUIRE(setup(&e) == 0);
	struct tg_user alice = add_user(&e, "alice@contoso.test");
	add_method(&e, &alice);
	add_user(&e, "bob@contoso.test");
	struct svc_mfa_report mrep;
	const char *upn = "alice@contoso.test";
	CHECK_OK(svc_mfa_set(&e.sv, &e.t, MFA_STATE_ENFORCED, &upn, 1, false, false, &mrep));
	svc_mfa_report_cleanup(&mrep);
	struct svc_signin_result res;
	svc_signin_result_init(&res);
	char ids[6][TG_ID_BUF];
	struct svc_signin_request r = req_of("alice@contoso.test", APP_PAYROLL, "198.51.100.7", DECISION_CLIENT_BROWSER);
	r.user_agent = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0)";
	r.has_platform = false;
	for (int i = 0; i < 6; i++) {
		r.now = clock_now - (6 - i) * 3600;
		r.user = i % 2 ? "bob@contoso.test" : "alice@contoso.test";
		r.app = i < 3 ? APP_PAYROLL : "my-signins";
		CHECK_OK(svc_signin_simulate(&e.sv, e.cache, &e.t, &r, &res, ids[i]));
	}
	/* the record as JSON: what the decision said */
	char *json = NULL;
	CHECK_OK(svc_signin_get(&e.sv, &e.t, ids[0], &json));
	struct signin_record rec;
	struct signin_json_meta meta;
	signin_record_init(&rec);
	CHECK_OK(signin_parse(json, strlen(json), &rec, &meta, NULL));
	CHECK_STR(rec.user_principal_name, "alice@contoso.test");
	CHECK_INT(rec.error_code, DECISION_CODE_MFA_REQUIRED);
	CHECK_INT(rec.operating_system, PLATFORM_MACOS);
	CHECK_STR(rec.user_agent, "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0)");
	CHECK(meta.request_id[0] != '\0');
	CHECK_INT(meta.client, DECISION_CLIENT_BROWSER);
	CHECK_STR(rec.authentication_requirement_policies[0].requirement_provider, "user");
	signin_record_cleanup(&rec);
	free(json);
	CHECK_INT(svc_signin_get(&e.sv, &e.t, "00000000-0000-4000-8000-000000000000", &json), TG_ERR_NOT_FOUND);
	CHECK_INT(svc_signin_get(&e.sv, &e.t, "garbage", &json), TG_ERR_NOT_FOUND);

	struct store_signin_query q = {.tenant_id = e.t.id, .error_code = -1, .interactive = -1};
	struct ids x = {0};
	CHECK_OK(store_signin_list(e.st, &q, ids_cb, &x));
	CHECK_INT(x.n, 6);
	CHECK_STR(x.id[0], ids[5]);          /* newest first */
	q.upn = "alice@contoso.test";
	memset(&x, 0, sizeof x);
	CHECK_OK(store_signin_list(e.st, &q, ids_cb, &x));
	CHECK_INT(x.n, 3);
	q.upn = NULL;
	q.app_id = SVC_APP_MY_SIGNINS;
	memset(&x, 0, sizeof x);
	CHECK_OK(store_signin_list(e.st, &q, ids_cb, &x));
	CHECK_INT(x.n, 3);
	q.app_id = NULL;
	q.error_code = DECISION_CODE_MFA_REQUIRED;
	memset(&x, 0, sizeof x);
	CHECK_OK(store_signin_list(e.st, &q, ids_cb, &x));
	CHECK_INT(x.n, 3);                   /* alice's three; bob is allowed */
	q.error_code = -1;
	q.status = STORE_SIGNIN_SUCCESS;
	memset(&x, 0, sizeof x);
	CHECK_OK(store_signin_list(e.st, &q, ids_cb, &x));
	CHECK_INT(x.n, 3);
	q.status = STORE_SIGNIN_ANY;
	q.since = clock_now - 3 * 3600;
	memset(&x, 0, sizeof x);
	CHECK_OK(store_signin_list(e.st, &q, ids_cb, &x));
	CHECK_INT(x.n, 3);
	/* cursor text round trip: page 2 of 4+2 */
	q.since = 0;
	q.limit = 4;
	memset(&x, 0, sizeof x);
	CHECK_OK(store_signin_list(e.st, &q, ids_cb, &x));
	char cursor[48];
	svc_signin_cursor_format(x.last_time, x.last_seq, cursor, sizeof cursor);
	CHECK_OK(svc_signin_cursor_parse(cursor, &q.cursor_time, &q.cursor_seq));
	q.has_cursor = true;
	memset(&x, 0, sizeof x);
	CHECK_OK(store_signin_list(e.st, &q, ids_cb, &x));
	CHECK_INT(x.n, 2);
	CHECK_STR(x.id[1], ids[0]);
	int64_t a, b;
	CHECK_INT(svc_signin_cursor_parse("12", &a, &b), TG_ERR_INVALID);
	CHECK_INT(svc_signin_cursor_parse("12.x", &a, &b), TG_ERR_INVALID);
	CHECK_INT(svc_signin_cursor_parse("12.0", &a, &b), TG_ERR_INVALID);
	svc_signin_result_cleanup(&res);
	teardown(&e);
}

/* ----------------------------------------------------------- impact replay */

/* A sign-in of an unknown user (wrong credentials), logged as the sign-in
 * flow would. */
static void log_bad_password_as(struct env *e, const char *user_id, const char *upn, int64_t when);

static void log_unknown_user(struct env *e, int64_t when)
{
	log_bad_password_as(e, "", "ghost@contoso.test", when);
}

/* A wrong-password sign-in as the sign-in flow logs it (user_id "" for an
 * unknown user). */
static void log_bad_password_as(struct env *e, const char *user_id, const char *upn, int64_t when)
{
	struct decision_user du = {.id = user_id, .upn = upn};
	struct decision_app app = {.id = APP_PAYROLL, .display_name = "Payroll"};
	struct svc_policy_snapshot *snap = NULL;
	struct decision d;
	struct decision_input in;
	memset(&in, 0, sizeof in);
	if (svc_policy_snapshot_get(&e->sv, NULL, &e->t, &snap))
		return;
	in.tenant = svc_policy_snapshot_tenant(snap);
	in.user = &du;
	in.app = &app;
	in.interactive = true;
	in.now = when;
	cidr_ip_parse("198.51.100.99", &in.ip);
	decision_init(&d);
	d.outcome = DECISION_BLOCKED;
	d.error_code = DECISION_CODE_BAD_CREDENTIALS;
	d.failure_reason = "Invalid username or password.";
	CHECK_OK(svc_signin_log(&e->sv, &e->t, &in, &d, NULL, NULL, NULL));
	decision_cleanup(&d);
	svc_policy_snapshot_release(snap);
}

static void log_bad_password(struct env *e, const struct tg_user *u, int64_t when)
{
	log_bad_password_as(e, u->id, u->upn, when);
}

/* SPEC 5: many recent password failures for the account make a sign-in
 * high risk; failures older than the window do not count. */
/* The decision sees the user's methods by type: a user whose only method is
 * a mobile phone may answer by SMS or voice, not with an app code. */
static void methods_by_type(void)
{
	struct env e;
	REQUIRE(setup(&e) == 0);
	struct tg_user pat = add_user(&e, "pat@contoso.test");
	add_phone(&e, &pat);
	const char *upn = "pat@contoso.test";
	struct svc_mfa_report mrep;
	CHECK_OK(svc_mfa_set(&e.sv, &e.t, MFA_STATE_ENFORCED, &upn, 1, false, false, &mrep));
	svc_mfa_report_cleanup(&mrep);
	unsigned bits = 0;
	bool ap = true;
	CHECK_OK(svc_signin_user_methods(&e.sv, pat.id, &bits, &ap));
	CHECK_INT(bits, CA_METHOD_SMS | CA_METHOD_VOICE);
	CHECK(!ap);
	struct svc_signin_result res;
	svc_signin_result_init(&res);
	struct svc_signin_request r = req_of(upn, APP_PAYROLL, "198.51.100.7", DECISION_CLIENT_BROWSER);
	CHECK_INT(whatif(&e, &r, &res), DECISION_MFA_REQUIRED);
	CHECK(res.d.methods & CA_METHOD_SMS);
	CHECK(!(res.d.methods & CA_METHOD_SOFTWARE_OATH));
	svc_signin_result_cleanup(&res);
	teardown(&e);
}

static void risk_from_recent_password_failures(void)
{
	struct env e;
	REQUIRE(setup(&e) == 0);
	struct tg_user alice = add_user(&e, "alice@contoso.test");
	struct svc_signin_result res;
	svc_signin_result_init(&res);
	struct svc_signin_request r = req_of("alice@contoso.test", APP_PAYROLL, "198.51.100.7", DECISION_CLIENT_BROWSER);
	/* nine failures two hours ago and nine in the last hour: below the threshold */
	for (int i = 0; i < 9; i++)
		log_bad_password(&e, &alice, clock_now - 7200 + i);
	for (int i = 0; i < 9; i++)
		log_bad_password(&e, &alice, clock_now - 600 + i);
	whatif(&e, &r, &res);
	CHECK_INT(res.in.sign_in_risk, RISK_NONE);
	/* the tenth recent one makes it high, with a reason */
	log_bad_password(&e, &alice, clock_now - 10);
	whatif(&e, &r, &res);
	CHECK_INT(res.in.sign_in_risk, RISK_HIGH);
	CHECK(res.sign_in_risk.reason[0] != '\0');
	/* another user's failures are not alice's */
	struct tg_user bob = add_user(&e, "bob@contoso.test");
	struct svc_signin_request rb = req_of("bob@contoso.test", APP_PAYROLL, "198.51.100.7", DECISION_CLIENT_BROWSER);
	whatif(&e, &rb, &res);
	CHECK_INT(res.in.sign_in_risk, RISK_NONE);
	(void)bob;
	svc_signin_result_cleanup(&res);
	teardown(&e);
}

static void impact_replay_counts(void)
{
	struct env e;
	REQUIRE(setup(&e) == 0);
	struct tg_user alice = add_user(&e, "alice@contoso.test");
	add_method(&e, &alice);
	add_user(&e, "bob@contoso.test");
	add_user(&e, "dave@contoso.test");
	struct tg_group g;
	CHECK_OK(svc_group_create(&e.sv, &e.t, "finance", NULL, &g));
	CHECK_OK(svc_group_member(&e.sv, &e.t, "finance", "alice@contoso.test", false, true));
	struct svc_signin_result res;
	svc_signin_result_init(&res);
	int64_t base = clock_now - 3 * DAY;
	/* alice: 3 browser sign-ins to Payroll, one of them with MFA in the session */
	struct svc_signin_request r = req_of("alice@contoso.test", APP_PAYROLL, "198.51.100.7", DECISION_CLIENT_BROWSER);
	for (int i = 0; i < 3; i++) {
		r.now = base + i * 3600;
		r.mfa_at = i == 2 ? r.now - 60 : 0;
		CHECK_OK(svc_signin_simulate(&e.sv, e.cache, &e.t, &r, &res, NULL));
		CHECK_INT(res.d.outcome, DECISION_ALLOW);
	}
	/* alice: one legacy IMAP sign-in to Mail */
	r = req_of("alice@contoso.test", APP_MAIL, "198.51.100.7", DECISION_CLIENT_OTHER);
	r.protocol = "IMAP";
	r.now = base + 4 * 3600;
	CHECK_OK(svc_signin_simulate(&e.sv, e.cache, &e.t, &r, &res, NULL));
	CHECK_INT(res.d.outcome, DECISION_ALLOW);
	/* bob: 2 browser sign-ins, not in finance */
	r = req_of("bob@contoso.test", APP_PAYROLL, "198.51.100.8", DECISION_CLIENT_BROWSER);
	for (int i = 0; i < 2; i++) {
		r.now = base + (5 + i) * 3600;
		CHECK_OK(svc_signin_simulate(&e.sv, e.cache, &e.t, &r, &res, NULL));
	}
	/* dave signs in, then is deleted; a ghost fails its password */
	r = req_of("dave@contoso.test", APP_PAYROLL, "198.51.100.9", DECISION_CLIENT_BROWSER);
	r.now = base + 7 * 3600;
	CHECK_OK(svc_signin_simulate(&e.sv, e.cache, &e.t, &r, &res, NULL));
	CHECK_OK(svc_user_delete(&e.sv, &e.t, "dave@contoso.test"));
	log_unknown_user(&e, base + 8 * 3600);
	/* a sign-in long before the period is not replayed */
	r = req_of("alice@contoso.test", APP_PAYROLL, "198.51.100.7", DECISION_CLIENT_BROWSER);
	r.now = clock_now - 40 * DAY;
	CHECK_OK(svc_signin_simulate(&e.sv, e.cache, &e.t, &r, &res, NULL));
	svc_signin_result_cleanup(&res);

	char draft[1024];
	snprintf(draft, sizeof draft, "{\"displayName\": \"Finance MFA\", \"state\": \"disabled\", \"conditions\":"
	         " {\"users\": {\"includeGroups\": [\"%s\"]}, \"applications\": {\"includeApplications\":"
	         " [\"All\"]}}, \"grantControls\": {\"operator\": \"OR\", \"builtInControls\": [\"mfa\"]}}", g.id);
	struct svc_impact_report rep;
	svc_impact_report_init(&rep);
	int64_t pc0 = 0, pc1 = 0, g0 = 0, g1 = 0;
	store_ca_policy_count(e.st, e.t.id, &pc0);
	store_policy_generation_get(e.st, e.t.id, &g0);
	CHECK_OK(svc_policy_impact(&e.sv, &e.t, draft, strlen(draft), clock_now - 7 * DAY, 0, &rep, NULL));
	CHECK_INT(rep.replayed, 6);              /* alice 4, bob 2 */
	CHECK_INT(rep.skipped_unknown_user, 2);  /* dave (deleted), the ghost */
	CHECK_INT(rep.skipped_unreadable, 0);
	CHECK_INT(rep.applied, 4);               /* alice's four */
	CHECK_INT(rep.blocked, 1);               /* the IMAP one: legacy cannot do MFA */
	CHECK_INT(rep.newly_blocked, 1);
	CHECK_INT(rep.prompted, 2);              /* the third had MFA in its session */
	CHECK_INT(rep.newly_prompted, 2);
	CHECK_INT(rep.changed_without_draft, 0);
	CHECK_INT(rep.n_rows, 3);
	if (rep.n_rows == 3) {
		/* ordered by blocked, then prompted */
		CHECK_STR(rep.rows[0].app_id, APP_MAIL);
		CHECK_INT(rep.rows[0].blocked, 1);
		CHECK_STR(rep.rows[1].upn, "alice@contoso.test");
		CHECK_STR(rep.rows[1].app_name, APP_PAYROLL);
		CHECK_INT(rep.rows[1].signins, 3);
		CHECK_INT(rep.rows[1].applied, 3);
		CHECK_INT(rep.rows[1].prompted, 2);
		CHECK_STR(rep.rows[2].upn, "bob@contoso.test");
		CHECK_INT(rep.rows[2].applied, 0);
	}
	/* the replay stores nothing */
	store_ca_policy_count(e.st, e.t.id, &pc1);
	store_policy_generation_get(e.st, e.t.id, &g1);
	CHECK_INT(pc1, pc0);
	CHECK_INT(g1, g0);

	/* the tenant changed since: bob is now enforced without a method */
	struct svc_mfa_report mrep;
	const char *bob = "bob@contoso.test";
	CHECK_OK(svc_mfa_set(&e.sv, &e.t, MFA_STATE_ENFORCED, &bob, 1, false, false, &mrep));
	svc_mfa_report_cleanup(&mrep);
	CHECK_OK(svc_policy_impact(&e.sv, &e.t, draft, strlen(draft), clock_now - 7 * DAY, 0, &rep, NULL));
	CHECK_INT(rep.changed_without_draft, 2);
	CHECK_INT(rep.applied, 4);

	/* a bad draft is refused with its path */
	struct json_err je;
	const char *bad = "{\"displayName\": \"x\", \"state\": \"enabled\", \"conditions\": {\"users\":"
		" {\"includeGroups\": [\"finance\"]}, \"applications\": {\"includeApplications\": [\"All\"]}}}";
	CHECK_INT(svc_policy_impact(&e.sv, &e.t, bad, strlen(bad), 0, 0, &rep, &je), TG_ERR_INVALID);
	CHECK_STR(je.path, "conditions.users.includeGroups[0]");
	/* so is a draft naming a group that does not exist in the tenant */
	const char *ghost = "{\"displayName\": \"x\", \"state\": \"enabled\", \"conditions\": {\"users\":"
		" {\"includeGroups\": [\"0a0a0a0a-0000-4000-8000-00000000000a\"]}, \"applications\":"
		" {\"includeApplications\": [\"All\"]}}, \"grantControls\": {\"operator\": \"OR\","
		" \"builtInControls\": [\"mfa\"]}}";
	memset(&je, 0, sizeof je);
	CHECK_INT(svc_policy_impact(&e.sv, &e.t, ghost, strlen(ghost), 0, 0, &rep, &je), TG_ERR_INVALID);
	CHECK_STR(je.path, "conditions.users.includeGroups[0]");
	CHECK(strstr(e.sv.err, "no group 0a0a0a0a-0000-4000-8000-00000000000a in this tenant") != NULL);
	svc_impact_report_cleanup(&rep);
	teardown(&e);
}

int main(void)
{
	TEST(whatif_per_user);
	TEST(whatif_security_defaults);
	TEST(whatif_conditional_access);
	TEST(risk_from_bad_ips_history_and_user);
	TEST(risk_from_recent_password_failures);
	TEST(methods_by_type);
	TEST(simulate_starts_the_grace);
	TEST(signin_log_records_and_queries);
	TEST(impact_replay_counts);
	return tg_test_done();
}
