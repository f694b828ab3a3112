/* SPDX-License-Identifier: MIT
 * The sign-in flow (svc_flow.h) against a real SQLite store with a pinned
 * clock: the state machine (each step only in its state), the password
 * step (unknown user as slow as a wrong password, 50126, tenant boundary),
 * rotation after each authentication step with a CSRF token that survives
 * it, MFA with TOTP (wrong code 50074, replay refused), the registration
 * interrupt (enabled -> enforced), security defaults' skip, remembered
 * devices, svc_flow_check_session verdicts, legacy clients, and a sign-in
 * log record for every attempt. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "harness.h"
#include "base/err.h"
#include "base/str.h"
#include "core/base32.h"
#include "core/oath.h"
#include "crypto/keys.h"
#include "store/store.h"
#include "svc/svc.h"
#include "svc/svc_flow.h"
#include "svc/svc_signin.h"

static const struct pw_params fast = {64, 1, 1};
static int64_t clock_now;
static int64_t test_now(void) { return clock_now; }
#define T0 1800000000LL
#define PW "Corr3ct-Horse-Battery"

static char dir[] = "/tmp/tg-svc-flow-XXXXXX";
static int env_n;

/* The capturing channel: the last code delivered. */
struct capture {
	char code[16], to[300];
	int sent;
};

static int capture_deliver(void *arg, const struct channel_msg *m, char *err, size_t n)
{
	(void)err;
	(void)n;
	struct capture *c = arg;
	tg_strlcpy(c->code, m->code, sizeof c->code);
	tg_strlcpy(c->to, m->to, sizeof c->to);
	c->sent++;
	return TG_OK;
}

struct env {
	char db[256];
	struct capture cap;
	struct store *st;
	struct svc sv;
	struct svc_oidc o;
	struct svc_auth a;
	struct svc_flow f;
	struct keys *k;
	struct auth_config cfg;
	struct svc_policy_cache *cache;
	struct tg_tenant t, other;
	struct svc_flow_req rq;
};

static void mk_user(struct env *e, const struct tg_tenant *t, const char *upn, const char *state)
{
	struct svc_user_input in = {.upn = upn, .password = PW, .password_len = strlen(PW)};
	struct tg_user u;
	if (svc_user_create(&e->sv, t, &in, &u))
		fprintf(stderr, "user %s: %s\n", upn, e->sv.err);
	if (state) {
		enum mfa_state s = strcmp(state, "enforced") == 0 ? MFA_STATE_ENFORCED : MFA_STATE_ENABLED;
		const char *upns[] = {upn};
		struct svc_mfa_report rep = {0};
		if (svc_mfa_set(&e->sv, t, s, upns, 1, false, false, &rep))
			fprintf(stderr, "mfa set %s: %s\n", upn, e->sv.err);
		svc_mfa_report_cleanup(&rep);
	}
}

/* An active authenticator app for upn (activated one step back); its raw
 * secret goes to sec (20 bytes). */
static void mk_app(struct env *e, const char *upn, uint8_t sec[20])
{
	struct svc_totp_enrollment en;
	if (svc_totp_register(&e->a, &e->t, upn, NULL, &en)) {
		fprintf(stderr, "register: %s\n", e->sv.err);
		return;
	}
	size_t n = 0;
	if (base32_decode(en.secret_b32, strlen(en.secret_b32), sec, 20, &n) || n != 20)
		fprintf(stderr, "base32\n");
	struct totp_params p;
	totp_params_default(&p);
	char code[OATH_CODE_SIZE];
	if (totp_generate(&p, sec, 20, clock_now - 30, code) ||
	    svc_oath_activate(&e->a, &e->t, upn, en.method_id, code))
		fprintf(stderr, "activate: %s\n", e->sv.err);
	svc_totp_enrollment_cleanup(&en);
}

static void code_at(const uint8_t sec[20], int64_t when, char out[OATH_CODE_SIZE])
{
	struct totp_params p;
	totp_params_default(&p);
	if (totp_generate(&p, sec, 20, when, out))
		out[0] = '\0';
}

static int setup(struct env *e)
{
	memset(e, 0, sizeof *e);
	clock_now = T0;
	snprintf(e->db, sizeof e->db, "%s/f%d.db", dir, env_n++);
	struct store_open_opts o = {.dsn = e->db, .create = true};
	if (store_open("sqlite", &o, &e->st) || keys_new_ephemeral(&e->k))
		return -1;
	svc_init(&e->sv, e->st, &fast, "test:flow");
	e->sv.now = test_now;
	auth_config_defaults(&e->cfg);
	svc_oidc_init(&e->o, &e->sv, e->k, NULL);
	svc_auth_init(&e->a, &e->sv, e->k, &e->cfg);
	e->a.deliver = capture_deliver;
	e->a.deliver_arg = &e->cap;
	e->cache = svc_policy_cache_new();
	svc_flow_init(&e->f, &e->sv, &e->o, &e->a, e->cache);
	e->f.min_fail_ms = 60;
	if (svc_tenant_create(&e->sv, "contoso", "contoso.test", "Contoso", &e->t) ||
	    svc_tenant_create(&e->sv, "fabrikam", "fabrikam.test", "Fabrikam", &e->other) ||
	    svc_app_ensure_builtin(&e->sv, &e->t, NULL))
		return -1;
	e->rq.ip = "192.0.2.10";
	e->rq.user_agent = "Mozilla/5.0 (X11; Linux x86_64) test";
	e->rq.request_id = "11111111-2222-4333-8444-555555555555";
	return 0;
}

static void teardown(struct env *e)
{
	svc_policy_cache_free(e->cache);
	store_close(e->st);
	keys_free(e->k);
	unlink(e->db);
}

static int64_t ms_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* begin + password; tok gets the current cookie value */
static int signin(struct env *e, const char *upn, const char *pw, char tok[SVC_TOKEN_SIZE],
                  struct svc_flow_result *res, struct svc_flow_state *st)
{
	int r = svc_flow_begin(&e->f, &e->t, NULL, false, false, NULL, &e->rq, tok, st);
	if (r)
		return r;
	r = svc_flow_password(&e->f, &e->t, tok, upn, pw, strlen(pw), &e->rq, res, st);
	if (!r && res->new_token[0])
		tg_strlcpy(tok, res->new_token, SVC_TOKEN_SIZE);
	return r;
}

static void password_step(void)
{
	struct env e;
	REQUIRE(setup(&e) == 0);
	mk_user(&e, &e.t, "alice@contoso.test", NULL);
	mk_user(&e, &e.other, "olle@fabrikam.test", NULL);
	char tok[SVC_TOKEN_SIZE];
	struct svc_flow_result res;
	struct svc_flow_state st;

	CHECK_OK(svc_flow_begin(&e.f, &e.t, NULL, false, false, NULL, &e.rq, tok, &st));
	CHECK_INT(st.step, SVC_FLOW_STEP_PASSWORD);
	CHECK_STR(st.client_id, SVC_APP_MY_SIGNINS);
	CHECK_STR(st.app_name, "My sign-ins");
	/* an unknown app */
	char t2[SVC_TOKEN_SIZE];
	CHECK_INT(svc_flow_begin(&e.f, &e.t, "00000000-1111-2222-3333-444444444444", false, false,
	                         NULL, &e.rq, t2, &st), TG_ERR_INVALID);

	/* a step out of order */
	CHECK_INT(svc_flow_verify(&e.f, &e.t, tok, CA_METHOD_SOFTWARE_OATH, "123456", false, &e.rq,
	                          &res, &st), TG_ERR_CONFLICT);

	/* wrong password, unknown user, another tenant's user: one answer, padded */
	const char *who[] = {"alice@contoso.test", "nobody@contoso.test", "olle@fabrikam.test"};
	for (size_t i = 0; i < 3; i++) {
		int64_t t0 = ms_now();
		int r = svc_flow_password(&e.f, &e.t, tok, who[i], i == 0 ? "wrong" : PW,
		                          i == 0 ? 5 : strlen(PW), &e.rq, &res, &st);
		int64_t took = ms_now() - t0;
		CHECK_INT(r, TG_ERR_DENIED);
		CHECK_INT(res.code, DECISION_CODE_BAD_CREDENTIALS);
		CHECK_STR(e.sv.err, "Your account or password is incorrect.");
		CHECK(took >= 60);
		CHECK(res.new_token[0] == '\0');
	}
	/* still in the password state, same cookie */
	CHECK_OK(svc_flow_state(&e.f, &e.t, tok, &st));
	CHECK_INT(st.step, SVC_FLOW_STEP_PASSWORD);

	/* the right password: done, the session id rotated, CSRF token kept */
	struct store_session before, after;
	CHECK_OK(svc_session_get(&e.o, &e.t, tok, &before));
	char csrf1[SVC_FLOW_CSRF_SIZE], csrf2[SVC_FLOW_CSRF_SIZE];
	CHECK_OK(svc_flow_csrf(&e.f, &before, csrf1));
	CHECK_OK(svc_flow_password(&e.f, &e.t, tok, "Alice@Contoso.test", PW, strlen(PW), &e.rq, &res, &st));
	CHECK_INT(st.step, SVC_FLOW_STEP_DONE);
	CHECK(res.new_token[0] != '\0');
	CHECK(strcmp(res.new_token, tok) != 0);
	CHECK_INT(svc_session_get(&e.o, &e.t, tok, &after), TG_ERR_NOT_FOUND);
	CHECK_OK(svc_session_get(&e.o, &e.t, res.new_token, &after));
	CHECK_STR(after.amr, "pwd");
	CHECK_OK(svc_flow_csrf(&e.f, &after, csrf2));
	CHECK_STR(csrf1, csrf2);
	CHECK(strlen(csrf1) == 44);
	/* a done flow takes no more steps */
	tg_strlcpy(tok, res.new_token, sizeof tok);
	CHECK_INT(svc_flow_password(&e.f, &e.t, tok, "alice@contoso.test", PW, strlen(PW),
	                            &e.rq, &res, &st), TG_ERR_CONFLICT);
	teardown(&e);
}

static void totp_challenge(void)
{
	struct env e;
	REQUIRE(setup(&e) == 0);
	mk_user(&e, &e.t, "erik@contoso.test", "enforced");
	uint8_t sec[20];
	mk_app(&e, "erik@contoso.test", sec);
	char tok[SVC_TOKEN_SIZE], code[OATH_CODE_SIZE];
	struct svc_flow_result res;
	struct svc_flow_state st;
	CHECK_OK(signin(&e, "erik@contoso.test", PW, tok, &res, &st));
	CHECK_INT(st.step, SVC_FLOW_STEP_MFA);
	CHECK(st.methods & CA_METHOD_SOFTWARE_OATH);
	CHECK_INT(st.remember_days, 0);
	/* the session knows the user after the first factor */
	struct store_session s;
	CHECK_OK(svc_session_get(&e.o, &e.t, tok, &s));
	CHECK(s.user_id[0] != '\0');
	CHECK_INT(s.mfa_time, 0);

	CHECK_INT(svc_flow_verify(&e.f, &e.t, tok, CA_METHOD_SOFTWARE_OATH, "000000", false, &e.rq,
	                          &res, &st), TG_ERR_DENIED);
	CHECK_INT(res.code, DECISION_CODE_MFA_FAILED);
	CHECK_INT(svc_flow_verify(&e.f, &e.t, tok, CA_METHOD_SMS, "000000", false, &e.rq, &res, &st),
	          TG_ERR_INVALID);
	code_at(sec, clock_now, code);
	CHECK_OK(svc_flow_verify(&e.f, &e.t, tok, CA_METHOD_SOFTWARE_OATH, code, false, &e.rq, &res, &st));
	CHECK_INT(st.step, SVC_FLOW_STEP_DONE);
	CHECK(st.mfa_done);
	CHECK_OK(svc_session_get(&e.o, &e.t, res.new_token, &s));
	CHECK(strstr(s.amr, "pwd") && strstr(s.amr, "mfa") && strstr(s.amr, "otp"));
	CHECK(s.mfa_methods & CA_METHOD_SOFTWARE_OATH);
	CHECK_INT(s.mfa_time, clock_now);

	/* the same code in another sign-in: replay */
	CHECK_OK(signin(&e, "erik@contoso.test", PW, tok, &res, &st));
	CHECK_INT(svc_flow_verify(&e.f, &e.t, tok, CA_METHOD_SOFTWARE_OATH, code, false, &e.rq,
	                          &res, &st), TG_ERR_REPLAY);
	CHECK(strstr(e.sv.err, "already used once") != NULL);
	CHECK_INT(res.code, DECISION_CODE_MFA_FAILED);

	/* check_session for that authentication */
	struct svc_flow_verdict v;
	struct svc_flow_check in = {
		.user_id = s.user_id, .auth_time = s.auth_time, .mfa_time = s.mfa_time,
		.mfa_methods = s.mfa_methods, .client = DECISION_CLIENT_BROWSER, .ip = "192.0.2.10",
	};
	CHECK_OK(svc_flow_check_session(&e.f, &e.t, &in, &v));
	CHECK_INT(v.kind, SVC_FLOW_ALLOW);
	CHECK(v.signin_id[0] != '\0');
	in.mfa_time = 0;
	in.mfa_methods = 0;
	CHECK_OK(svc_flow_check_session(&e.f, &e.t, &in, &v));
	CHECK_INT(v.kind, SVC_FLOW_INTERACTION);
	CHECK(v.require_mfa);
	CHECK_INT(v.error_code, DECISION_CODE_MFA_REQUIRED);
	in.refresh = true;
	in.client = DECISION_CLIENT_MOBILE_DESKTOP;
	CHECK_OK(svc_flow_check_session(&e.f, &e.t, &in, &v));
	CHECK_INT(v.kind, SVC_FLOW_INTERACTION);
	/* a disabled account is refused */
	struct svc_user_changes ch = {.enabled = 0};
	CHECK_OK(svc_user_update(&e.sv, &e.t, "erik@contoso.test", &ch, NULL));
	CHECK_INT(svc_flow_check_session(&e.f, &e.t, &in, &v), TG_ERR_DISABLED);
	CHECK_INT(v.kind, SVC_FLOW_BLOCKED);
	teardown(&e);
}

struct actor_check { const char *action; const char *actor; int found; };

static int actor_cb(const struct tg_audit *a, void *arg)
{
	struct actor_check *c = arg;
	if (strcmp(a->action, c->action) == 0 && strcmp(a->actor, c->actor) == 0)
		c->found++;
	return 0;
}

static void registration_interrupt(void)
{
	struct env e;
	REQUIRE(setup(&e) == 0);
	mk_user(&e, &e.t, "nora@contoso.test", "enabled");
	char tok[SVC_TOKEN_SIZE], code[OATH_CODE_SIZE];
	struct svc_flow_result res;
	struct svc_flow_state st;
	CHECK_OK(signin(&e, "nora@contoso.test", PW, tok, &res, &st));
	CHECK_INT(st.step, SVC_FLOW_STEP_REGISTER);
	CHECK(!st.can_skip);
	CHECK_INT(svc_flow_skip(&e.f, &e.t, tok, &e.rq, &res, &st), TG_ERR_FORBIDDEN);
	CHECK_INT(svc_flow_register_activate(&e.f, &e.t, tok, "123456", &e.rq, &res, &st),
	          TG_ERR_CONFLICT);
	struct svc_totp_enrollment en;
	CHECK_OK(svc_flow_register_app(&e.f, &e.t, tok, &e.rq, &en, &st));
	CHECK(st.pending_method[0] != '\0');
	CHECK(en.svg && strstr(en.svg, "<svg"));
	uint8_t sec[20];
	size_t n = 0;
	CHECK_OK(base32_decode(en.secret_b32, strlen(en.secret_b32), sec, sizeof sec, &n));
	svc_totp_enrollment_cleanup(&en);
	CHECK_INT(svc_flow_register_activate(&e.f, &e.t, tok, "000000", &e.rq, &res, &st), TG_ERR_DENIED);
	code_at(sec, clock_now, code);
	CHECK_OK(svc_flow_register_activate(&e.f, &e.t, tok, code, &e.rq, &res, &st));
	CHECK_INT(st.step, SVC_FLOW_STEP_DONE);
	CHECK(st.mfa_done);
	struct tg_user u;
	CHECK_OK(svc_user_find(&e.sv, &e.t, "nora@contoso.test", &u));
	CHECK_INT(u.mfa_state, MFA_STATE_ENFORCED);
	/* the user's own registration is audited as theirs, and the service's
	 * actor is restored afterwards */
	struct actor_check reg = {"method.register", "user:nora@contoso.test", 0};
	struct actor_check act = {"method.activate", "user:nora@contoso.test", 0};
	struct audit_query aq = {.tenant_id = e.t.id};
	CHECK_OK(store_audit_list(e.st, &aq, actor_cb, &reg));
	CHECK_OK(store_audit_list(e.st, &aq, actor_cb, &act));
	CHECK_INT(reg.found, 1);
	CHECK_INT(act.found, 1);
	CHECK(strncmp(e.sv.actor, "user:", 5) != 0);
	teardown(&e);
}

static void security_defaults_skip(void)
{
	struct env e;
	REQUIRE(setup(&e) == 0);
	mk_user(&e, &e.t, "sam@contoso.test", NULL);
	CHECK_OK(svc_security_defaults_set(&e.sv, &e.t, true, false, NULL));
	clock_now += 60;
	char tok[SVC_TOKEN_SIZE];
	struct svc_flow_result res;
	struct svc_flow_state st;
	CHECK_OK(signin(&e, "sam@contoso.test", PW, tok, &res, &st));
	CHECK_INT(st.step, SVC_FLOW_STEP_REGISTER);
	CHECK(st.can_skip);
	CHECK_INT(st.days_left, 14);
	CHECK_OK(svc_flow_skip(&e.f, &e.t, tok, &e.rq, &res, &st));
	CHECK_INT(st.step, SVC_FLOW_STEP_DONE);
	CHECK(!st.mfa_done);
	/* an existing session is not interrupted again during the grace */
	struct store_session s;
	CHECK_OK(svc_session_get(&e.o, &e.t, tok, &s));
	struct svc_flow_check in = {.user_id = s.user_id, .auth_time = s.auth_time,
	                            .client = DECISION_CLIENT_BROWSER, .ip = "192.0.2.10"};
	struct svc_flow_verdict v;
	CHECK_OK(svc_flow_check_session(&e.f, &e.t, &in, &v));
	CHECK_INT(v.kind, SVC_FLOW_ALLOW);
	/* day 15: no skipping */
	clock_now += 15 * 86400;
	CHECK_OK(signin(&e, "sam@contoso.test", PW, tok, &res, &st));
	CHECK_INT(st.step, SVC_FLOW_STEP_REGISTER);
	CHECK(!st.can_skip);
	CHECK_INT(svc_flow_skip(&e.f, &e.t, tok, &e.rq, &res, &st), TG_ERR_FORBIDDEN);
	/* legacy clients: blocked by security defaults */
	CHECK_OK(svc_flow_legacy(&e.f, &e.t, "sam@contoso.test", PW, strlen(PW), DECISION_CLIENT_OTHER,
	                         "IMAP", &e.rq, &v));
	CHECK_INT(v.kind, SVC_FLOW_BLOCKED);
	CHECK_INT(v.error_code, DECISION_CODE_BLOCKED_BY_SECURITY_DEFAULTS);
	teardown(&e);
}

static void remembered_device_and_sso(void)
{
	struct env e;
	REQUIRE(setup(&e) == 0);
	CHECK_OK(svc_settings_set_text(&e.sv, &e.t, "remember-mfa-days", "30"));
	mk_user(&e, &e.t, "rolf@contoso.test", "enforced");
	uint8_t sec[20];
	mk_app(&e, "rolf@contoso.test", sec);
	char tok[SVC_TOKEN_SIZE], code[OATH_CODE_SIZE];
	struct svc_flow_result res;
	struct svc_flow_state st;
	CHECK_OK(signin(&e, "rolf@contoso.test", PW, tok, &res, &st));
	CHECK_INT(st.remember_days, 30);
	code_at(sec, clock_now, code);
	CHECK_OK(svc_flow_verify(&e.f, &e.t, tok, CA_METHOD_SOFTWARE_OATH, code, true, &e.rq, &res, &st));
	CHECK_INT(st.step, SVC_FLOW_STEP_DONE);
	CHECK(res.device_token[0] != '\0');
	CHECK_INT(res.device_days, 30);
	char dev[SVC_TOKEN_SIZE];
	tg_strlcpy(dev, res.device_token, sizeof dev);
	tg_strlcpy(tok, res.new_token, sizeof tok);

	/* SSO: begin in the authenticated session goes straight to done */
	char t2[SVC_TOKEN_SIZE];
	CHECK_OK(svc_flow_begin(&e.f, &e.t, NULL, false, false, tok, &e.rq, t2, &st));
	CHECK_INT(st.step, SVC_FLOW_STEP_DONE);
	CHECK(t2[0] == '\0');
	/* force_login starts over */
	CHECK_OK(svc_flow_begin(&e.f, &e.t, NULL, true, false, tok, &e.rq, t2, &st));
	CHECK_INT(st.step, SVC_FLOW_STEP_PASSWORD);
	CHECK(t2[0] != '\0');

	/* a new session with the device cookie: no MFA */
	e.rq.device_token = dev;
	clock_now += 3600;
	CHECK_OK(signin(&e, "rolf@contoso.test", PW, tok, &res, &st));
	CHECK_INT(st.step, SVC_FLOW_STEP_DONE);
	CHECK(!st.mfa_done);
	/* revoked: MFA again */
	CHECK_OK(svc_session_revoke_user(&e.sv, &e.t, "rolf@contoso.test", NULL));
	CHECK_OK(signin(&e, "rolf@contoso.test", PW, tok, &res, &st));
	CHECK_INT(st.step, SVC_FLOW_STEP_MFA);
	teardown(&e);
}

static void legacy(void)
{
	struct env e;
	REQUIRE(setup(&e) == 0);
	mk_user(&e, &e.t, "dora@contoso.test", NULL);
	mk_user(&e, &e.t, "ella@contoso.test", "enabled");
	mk_user(&e, &e.t, "fred@contoso.test", "enforced");
	struct svc_flow_verdict v;
	CHECK_OK(svc_flow_legacy(&e.f, &e.t, "dora@contoso.test", PW, strlen(PW), DECISION_CLIENT_OTHER,
	                         NULL, &e.rq, &v));
	CHECK_INT(v.kind, SVC_FLOW_ALLOW);
	CHECK_OK(svc_flow_legacy(&e.f, &e.t, "ella@contoso.test", PW, strlen(PW),
	                         DECISION_CLIENT_EXCHANGE_ACTIVESYNC, NULL, &e.rq, &v));
	CHECK_INT(v.kind, SVC_FLOW_ALLOW);
	CHECK_OK(svc_flow_legacy(&e.f, &e.t, "fred@contoso.test", PW, strlen(PW), DECISION_CLIENT_OTHER,
	                         "SMTP", &e.rq, &v));
	CHECK_INT(v.kind, SVC_FLOW_BLOCKED);
	CHECK_INT(v.error_code, DECISION_CODE_MFA_REQUIRED);
	CHECK_OK(svc_settings_set_text(&e.sv, &e.t, "allow-app-passwords", "true"));
	char ap[APP_PASSWORD_DISPLAY_SIZE];
	CHECK_OK(svc_app_password_create(&e.a, &e.t, "fred@contoso.test", "mail", ap, NULL));
	CHECK_OK(svc_flow_legacy(&e.f, &e.t, "fred@contoso.test", ap, strlen(ap), DECISION_CLIENT_OTHER,
	                         "SMTP", &e.rq, &v));
	CHECK_INT(v.kind, SVC_FLOW_ALLOW);
	/* the app password is no browser password */
	char tok[SVC_TOKEN_SIZE];
	struct svc_flow_result res;
	struct svc_flow_state st;
	CHECK_INT(signin(&e, "fred@contoso.test", ap, tok, &res, &st), TG_ERR_DENIED);
	/* trusted IP exception for an enforced user without app passwords */
	mk_user(&e, &e.t, "gus@contoso.test", "enforced");
	CHECK_OK(svc_settings_set_text(&e.sv, &e.t, "trusted-ips", "192.0.2.0/24"));
	CHECK_OK(svc_flow_legacy(&e.f, &e.t, "gus@contoso.test", PW, strlen(PW), DECISION_CLIENT_OTHER,
	                         NULL, &e.rq, &v));
	CHECK_INT(v.kind, SVC_FLOW_ALLOW);
	/* bad credentials, unknown user: 50126, not an error */
	CHECK_OK(svc_flow_legacy(&e.f, &e.t, "nobody@contoso.test", PW, strlen(PW), DECISION_CLIENT_OTHER,
	                         NULL, &e.rq, &v));
	CHECK_INT(v.kind, SVC_FLOW_BLOCKED);
	CHECK_INT(v.error_code, DECISION_CODE_BAD_CREDENTIALS);
	CHECK_INT(svc_flow_legacy(&e.f, &e.t, "dora@contoso.test", PW, strlen(PW), DECISION_CLIENT_BROWSER,
	                          NULL, &e.rq, &v), TG_ERR_INVALID);
	CHECK_INT(v.kind, SVC_FLOW_BLOCKED);
	teardown(&e);
}

static void codes_by_email(void)
{
	struct env e;
	REQUIRE(setup(&e) == 0);
	mk_user(&e, &e.t, "pia@contoso.test", "enabled");
	char tok[SVC_TOKEN_SIZE];
	struct svc_flow_result res;
	struct svc_flow_state st;
	/* registration with an email address and the code sent to it */
	CHECK_OK(signin(&e, "pia@contoso.test", PW, tok, &res, &st));
	CHECK_INT(st.step, SVC_FLOW_STEP_REGISTER);
	CHECK_INT(svc_flow_register_confirm(&e.f, &e.t, tok, "123456", &e.rq, &res, &st), TG_ERR_CONFLICT);
	CHECK_OK(svc_flow_register_contact(&e.f, &e.t, tok, CA_METHOD_EMAIL, "pia@contoso.test", &e.rq,
	                                   &res, &st));
	CHECK_INT(e.cap.sent, 1);
	CHECK_STR(e.cap.to, "pia@contoso.test");
	CHECK_INT(st.sent_kind, CA_METHOD_EMAIL);
	CHECK_STR(st.sent_to, "p**@contoso.test");
	CHECK_INT(svc_flow_register_confirm(&e.f, &e.t, tok, "000000", &e.rq, &res, &st), TG_ERR_DENIED);
	CHECK_OK(svc_flow_register_confirm(&e.f, &e.t, tok, e.cap.code, &e.rq, &res, &st));
	CHECK_INT(st.step, SVC_FLOW_STEP_DONE);
	CHECK(st.mfa_done);
	struct tg_user u;
	CHECK_OK(svc_user_find(&e.sv, &e.t, "pia@contoso.test", &u));
	CHECK_INT(u.mfa_state, MFA_STATE_ENFORCED);

	/* next time: an MFA challenge by email code; SMS is not hers */
	clock_now += 120;
	CHECK_OK(signin(&e, "pia@contoso.test", PW, tok, &res, &st));
	CHECK_INT(st.step, SVC_FLOW_STEP_MFA);
	CHECK(st.methods & CA_METHOD_EMAIL);
	CHECK(!(st.methods & CA_METHOD_SMS));
	CHECK_INT(svc_flow_send(&e.f, &e.t, tok, CA_METHOD_SMS, &e.rq, &res, &st), TG_ERR_INVALID);
	CHECK_OK(svc_flow_send(&e.f, &e.t, tok, CA_METHOD_EMAIL, &e.rq, &res, &st));
	CHECK_INT(e.cap.sent, 2);
	CHECK_OK(svc_flow_verify(&e.f, &e.t, tok, CA_METHOD_EMAIL, e.cap.code, false, &e.rq, &res, &st));
	CHECK_INT(st.step, SVC_FLOW_STEP_DONE);
	struct store_session s;
	CHECK_OK(svc_session_get(&e.o, &e.t, res.new_token, &s));
	CHECK(s.mfa_methods & CA_METHOD_EMAIL);

	/* registration by SMS: the page sees the number masked as the admin
	 * API masks it (phone_mask), never whole */
	mk_user(&e, &e.t, "sam@contoso.test", "enabled");
	CHECK_OK(signin(&e, "sam@contoso.test", PW, tok, &res, &st));
	CHECK_INT(st.step, SVC_FLOW_STEP_REGISTER);
	CHECK_OK(svc_flow_register_contact(&e.f, &e.t, tok, CA_METHOD_SMS, "+46 70 123 45 67", &e.rq,
	                                   &res, &st));
	CHECK_STR(e.cap.to, "+46 701234567");
	CHECK_INT(st.sent_kind, CA_METHOD_SMS);
	CHECK_STR(st.sent_to, "+46 XXXXXXX67");
	teardown(&e);
}

static void password_change(void)
{
	struct env e;
	REQUIRE(setup(&e) == 0);
	mk_user(&e, &e.t, "max@contoso.test", NULL);
	CHECK_OK(svc_user_set_password(&e.sv, &e.t, "max@contoso.test", PW, strlen(PW), true));
	char tok[SVC_TOKEN_SIZE];
	struct svc_flow_result res;
	struct svc_flow_state st;
	CHECK_OK(signin(&e, "max@contoso.test", PW, tok, &res, &st));
	CHECK_INT(st.step, SVC_FLOW_STEP_PASSWORD_CHANGE);
	CHECK(st.must_change_reason_admin);
	const char *nw = "N3w-Passw0rd-Long";
	CHECK_INT(svc_flow_change_password(&e.f, &e.t, tok, "wrong", 5, nw, strlen(nw), &e.rq, &res, &st),
	          TG_ERR_DENIED);
	CHECK_INT(svc_flow_change_password(&e.f, &e.t, tok, PW, strlen(PW), PW, strlen(PW), &e.rq, &res, &st),
	          TG_ERR_INVALID);
	CHECK_INT(svc_flow_change_password(&e.f, &e.t, tok, PW, strlen(PW), "short", 5, &e.rq, &res, &st),
	          TG_ERR_INVALID);
	CHECK_OK(svc_flow_change_password(&e.f, &e.t, tok, PW, strlen(PW), nw, strlen(nw), &e.rq, &res, &st));
	CHECK_INT(st.step, SVC_FLOW_STEP_DONE);
	CHECK(res.new_token[0] != '\0');
	struct tg_user u;
	CHECK_OK(svc_password_check(&e.sv, "max@contoso.test", nw, strlen(nw), &u));
	CHECK(!u.must_change_password);
	teardown(&e);
}

static void lockout(void)
{
	struct env e;
	REQUIRE(setup(&e) == 0);
	e.f.min_fail_ms = 0;
	mk_user(&e, &e.t, "lisa@contoso.test", NULL);
	char tok[SVC_TOKEN_SIZE];
	struct svc_flow_result res;
	struct svc_flow_state st;
	int r = TG_OK, i;
	for (i = 0; i < 12; i++) {
		r = signin(&e, "lisa@contoso.test", "wrong", tok, &res, &st);
		if (r != TG_ERR_DENIED)
			break;
	}
	CHECK(r == TG_ERR_RATE_LIMITED || r == TG_ERR_LOCKED);
	CHECK_INT(res.code, 50053);
	/* even the right password waits now */
	CHECK(signin(&e, "lisa@contoso.test", PW, tok, &res, &st) != TG_OK);
	clock_now += 3600;
	CHECK_OK(signin(&e, "lisa@contoso.test", PW, tok, &res, &st));
	teardown(&e);
}

int main(void)
{
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	TEST(password_step);
	TEST(totp_challenge);
	TEST(registration_interrupt);
	TEST(security_defaults_skip);
	TEST(remembered_device_and_sso);
	TEST(legacy);
	TEST(codes_by_email);
	TEST(password_change);
	TEST(lockout);
	rmdir(dir);
	return tg_test_done();
}
