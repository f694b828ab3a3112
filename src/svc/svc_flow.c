/* SPDX-License-Identifier: MIT
 * The browser sign-in flow (svc_flow.h): the state kept in the session's
 * flow slot, the steps (password, MFA, registration, skip, password
 * change), the decision after each, the sign-in log record of every
 * attempt, and the re-check of an existing authentication for /authorize
 * and /token. Sections: flow state <-> JSON; deciding and logging;
 * re-check; steps. docs/internals/signin-flow.md has the state diagram. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "base/b64.h"
#include "base/err.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/str.h"
#include "base/uuid.h"
#include "core/phone.h"
#include "core/signin.h"
#include "core/upn.h"
#include "crypto/rng.h"
#include "svc/svc_auth_int.h"
#include "svc/svc_flow.h"
#include "svc/svc_int.h"
#include "svc/svc_signin.h"

#define CTX_CSRF "signin-csrf"
#define CTX_UNKNOWN_USER "signin-unknown-user"
#define FR_BAD_CREDENTIALS "Error validating credentials due to invalid username or password."
#define FR_MFA_FAILED "Strong authentication is required and the user did not pass the MFA challenge."
#define FR_DISABLED "The user account is disabled."
#define FR_LOCKED "The account is locked because of too many failed attempts."
#define CODE_LOCKED 50053        /* IdsLocked */
#define CODE_DISABLED 50057      /* UserDisabled */

void svc_flow_init(struct svc_flow *f, struct svc *sv, struct svc_oidc *oidc,
                   struct svc_auth *auth, struct svc_policy_cache *cache)
{
	memset(f, 0, sizeof *f);
	f->sv = sv;
	f->oidc = oidc;
	f->auth = auth;
	f->cache = cache;
	f->min_fail_ms = SVC_FLOW_MIN_FAIL_MS;
}

static const char *const step_names[SVC_FLOW_STEP_COUNT_] = {
	"password", "mfa", "register", "passwordChange", "done", "blocked",
};

const char *svc_flow_step_name(enum svc_flow_step s)
{
	return (unsigned)s < SVC_FLOW_STEP_COUNT_ ? step_names[s] : "unknown";
}

/* ---- flow state <-> JSON --------------------------------------------------- */

/* Everything the flow remembers between requests (the session's flow
 * slot, at most TG_MAX_SESSION_FLOW bytes as JSON). No secrets. */
struct fl {
	enum svc_flow_step st;
	char app[TG_ID_BUF];
	bool force, stepup;
	char uid[TG_ID_BUF];
	char upn[TG_MAX_UPN + 1];
	unsigned methods;         /* mfa: offered */
	unsigned sent;            /* mfa / register contact: kind of the last code sent */
	char to[80];              /* ... where to (masked) */
	int rem;                  /* remember days offered */
	bool skip;
	int dl;
	char pm[TG_ID_BUF];       /* register: pending authenticator app */
	bool mfa;                 /* a second factor was verified in this sign-in */
	bool sso;                 /* continues an authenticated session (no password typed) */
	bool pwc;                 /* the password was changed in this sign-in */
	int code;                 /* blocked */
	char reason[200];
	char rq[TG_ID_BUF];
	char sid[TG_ID_BUF];
	int64_t t;
};

static void fl_init(struct fl *x)
{
	memset(x, 0, sizeof *x);
}

static char *fl_dump(const struct fl *x)
{
	json_t *j = json_pack("{s:i,s:s,s:s}", "v", 1, "st", step_names[x->st], "app", x->app);
	if (!j)
		return NULL;
	if (x->force)
		json_object_set_new(j, "force", json_true());
	if (x->stepup)
		json_object_set_new(j, "stepup", json_true());
	if (x->uid[0]) {
		json_object_set_new(j, "uid", json_string(x->uid));
		json_object_set_new(j, "upn", json_string(x->upn));
	}
	if (x->methods)
		json_object_set_new(j, "m", json_integer(x->methods));
	if (x->sent) {
		json_object_set_new(j, "sent", json_integer(x->sent));
		json_object_set_new(j, "to", json_string(x->to));
	}
	if (x->rem)
		json_object_set_new(j, "rem", json_integer(x->rem));
	if (x->skip) {
		json_object_set_new(j, "skip", json_true());
		json_object_set_new(j, "dl", json_integer(x->dl));
	}
	if (x->pm[0])
		json_object_set_new(j, "pm", json_string(x->pm));
	if (x->mfa)
		json_object_set_new(j, "mfa", json_true());
	if (x->pwc)
		json_object_set_new(j, "pwc", json_true());
	if (x->sso)
		json_object_set_new(j, "sso", json_true());
	if (x->st == SVC_FLOW_STEP_BLOCKED) {
		json_object_set_new(j, "code", json_integer(x->code));
		json_object_set_new(j, "reason", json_string(x->reason));
		json_object_set_new(j, "rq", json_string(x->rq));
		json_object_set_new(j, "sid", json_string(x->sid));
		json_object_set_new(j, "t", json_integer(x->t));
	}
	char *s = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	return s;
}

static void get_str(json_t *j, const char *k, char *out, size_t size)
{
	const char *v = json_string_value(json_object_get(j, k));
	tg_strlcpy(out, v ? v : "", size);
}

static int fl_load(struct svc *sv, const char *text, struct fl *x)
{
	fl_init(x);
	if (!text || !*text)
		return svc_fail(sv, TG_ERR_CONFLICT, "no sign-in is in progress in this session");
	json_t *j = json_loads(text, 0, NULL);
	if (!json_is_object(j)) {
		json_decref(j);
		return svc_fail(sv, TG_ERR_CONFLICT, "no sign-in is in progress in this session");
	}
	const char *st = json_string_value(json_object_get(j, "st"));
	int found = -1;
	for (int i = 0; st && i < SVC_FLOW_STEP_COUNT_; i++)
		if (strcmp(st, step_names[i]) == 0)
			found = i;
	if (found < 0 || json_integer_value(json_object_get(j, "v")) != 1) {
		json_decref(j);
		return svc_fail(sv, TG_ERR_CONFLICT, "no sign-in is in progress in this session");
	}
	x->st = (enum svc_flow_step)found;
	get_str(j, "app", x->app, sizeof x->app);
	x->force = json_is_true(json_object_get(j, "force"));
	x->stepup = json_is_true(json_object_get(j, "stepup"));
	get_str(j, "uid", x->uid, sizeof x->uid);
	get_str(j, "upn", x->upn, sizeof x->upn);
	x->methods = (unsigned)json_integer_value(json_object_get(j, "m"));
	x->sent = (unsigned)json_integer_value(json_object_get(j, "sent"));
	get_str(j, "to", x->to, sizeof x->to);
	x->rem = (int)json_integer_value(json_object_get(j, "rem"));
	x->skip = json_is_true(json_object_get(j, "skip"));
	x->dl = (int)json_integer_value(json_object_get(j, "dl"));
	get_str(j, "pm", x->pm, sizeof x->pm);
	x->mfa = json_is_true(json_object_get(j, "mfa"));
	x->pwc = json_is_true(json_object_get(j, "pwc"));
	x->sso = json_is_true(json_object_get(j, "sso"));
	x->code = (int)json_integer_value(json_object_get(j, "code"));
	get_str(j, "reason", x->reason, sizeof x->reason);
	get_str(j, "rq", x->rq, sizeof x->rq);
	get_str(j, "sid", x->sid, sizeof x->sid);
	x->t = json_integer_value(json_object_get(j, "t"));
	json_decref(j);
	return TG_OK;
}

/* The session of `token` and its flow, which must be in state `want`. */
static int load(struct svc_flow *f, const struct tg_tenant *t, const char *token,
                enum svc_flow_step want, struct store_session *s, struct fl *x)
{
	if (!token || !*token)
		return svc_fail(f->sv, TG_ERR_NOT_FOUND, "no sign-in session: start again");
	int r = svc_session_get(f->oidc, t, token, s);
	if (r)
		return r;
	if ((r = fl_load(f->sv, s->flow, x)))
		return r;
	if ((int)want >= 0 && x->st != want)
		return svc_fail(f->sv, TG_ERR_CONFLICT, "this step is not expected now (the sign-in is at \"%s\")",
		                step_names[x->st]);
	return TG_OK;
}

static void fill_state(struct svc_flow *f, const struct tg_tenant *t, const struct fl *x,
                       struct svc_flow_state *out)
{
	memset(out, 0, sizeof *out);
	out->step = x->st;
	tg_strlcpy(out->client_id, x->app, sizeof out->client_id);
	struct svc_app app;
	if (x->app[0] && svc_app_resolve(f->sv, t, x->app, &app) == TG_OK)
		tg_strlcpy(out->app_name, app.display_name, sizeof out->app_name);
	tg_strlcpy(out->upn, x->upn, sizeof out->upn);
	if (x->uid[0]) {
		struct tg_user u;
		if (svc_user_find(f->sv, t, x->uid, &u) == TG_OK) {
			tg_strlcpy(out->display_name, u.display_name, sizeof out->display_name);
			tg_strlcpy(out->locale, u.locale, sizeof out->locale);
			out->must_change_reason_admin = u.must_change_password;
			tg_wipe(u.pwhash, sizeof u.pwhash);
		}
	}
	out->methods = x->methods;
	out->sent_kind = x->sent;
	tg_strlcpy(out->sent_to, x->to, sizeof out->sent_to);
	out->remember_days = x->rem;
	out->can_skip = x->skip;
	out->days_left = x->dl;
	tg_strlcpy(out->pending_method, x->pm, sizeof out->pending_method);
	out->error_code = x->code;
	tg_strlcpy(out->reason, x->reason, sizeof out->reason);
	tg_strlcpy(out->request_id, x->rq, sizeof out->request_id);
	tg_strlcpy(out->signin_id, x->sid, sizeof out->signin_id);
	out->time = x->t;
	out->mfa_done = x->mfa;
	f->sv->err[0] = '\0';
}

/* Write x into the session: with a step (rotation: new_token) or without. */
static int save(struct svc_flow *f, const struct tg_tenant *t, const char *token,
                const struct fl *x, struct svc_session_step *step, char new_token[SVC_TOKEN_SIZE])
{
	char *text = fl_dump(x);
	if (!text)
		return svc_fail(f->sv, TG_ERR_NOMEM, "cannot write the sign-in state");
	int r;
	if (step) {
		step->flow = text;
		struct store_session s;
		r = svc_session_step(f->oidc, t, token, step, &s, new_token);
	} else {
		r = svc_session_set_flow(f->oidc, t, token, text);
	}
	free(text);
	return r;
}

/* ---- helpers ------------------------------------------------------------- */

static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Failed first factors take at least min_fail_ms (STYLE §9: no timing
 * oracle between unknown users, wrong passwords and lockouts). */
static void pad_until(int64_t start_ms, int64_t min_ms)
{
	int64_t left = start_ms + min_ms - mono_ms();
	if (left <= 0)
		return;
	struct timespec ts = {.tv_sec = (time_t)(left / 1000), .tv_nsec = (long)(left % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) != 0)
		;
}

/* "+46 70 123 45 67" -> "+46 ******** 67"; "alice@contoso.com" -> "a****@contoso.com". */
static void mask(const char *in, char *out, size_t size)
{
	char buf[80];
	const char *at = strchr(in, '@');
	if (!at) {
		/* a phone number, masked as the admin API masks it (core/phone.c) */
		char p[PHONE_SIZE];
		tg_strlcpy(out, phone_mask(in, p) == TG_OK ? p : "", size);
		return;
	}
	if (strlen(in) >= sizeof buf) {
		tg_strlcpy(out, "", size);
		return;
	}
	tg_strlcpy(buf, in, sizeof buf);
	for (size_t i = 1; i < (size_t)(at - in); i++)
		buf[i] = '*';
	tg_strlcpy(out, buf, size);
}

static const char *amr_of(unsigned kind)
{
	switch (kind) {
	case CA_METHOD_SMS: return "sms";
	case CA_METHOD_VOICE: return "tel";
	default: return "otp";     /* TOTP, hardware token, email code, recovery code (RFC 8176) */
	}
}

/* Methods to offer for an MFA prompt: the user's active methods allowed by
 * the verification options, narrowed to what the decision accepts when
 * that leaves any; recovery codes when some are unused. */
static unsigned offer_methods(struct svc_flow *f, const struct tg_tenant *t, const char *uid,
                              const struct svc_signin_result *res)
{
	unsigned bits = 0;
	bool has_app_passwords;
	(void)t;
	if (svc_signin_user_methods(f->sv, uid, &bits, &has_app_passwords) != TG_OK)
		bits = 0;
	const struct decision_tenant *dt = res->in.tenant;
	unsigned usable = decision_usable_methods(bits, dt->verification_options);
	unsigned narrowed = usable & res->d.methods;
	/* an app code satisfies a requirement for either OATH kind */
	if (res->d.methods & (CA_METHOD_SOFTWARE_OATH | CA_METHOD_HARDWARE_OATH))
		narrowed |= usable & (CA_METHOD_SOFTWARE_OATH | CA_METHOD_HARDWARE_OATH);
	unsigned offer = narrowed ? narrowed : usable;
	int unused = 0, total = 0;
	if (svc_recovery_count(f->auth, t, uid, &unused, &total) == TG_OK && unused > 0 &&
	    (!res->d.methods || (res->d.methods & CA_METHOD_RECOVERY_CODE) || !narrowed ||
	     res->d.methods == usable))
		offer |= CA_METHOD_RECOVERY_CODE;
	f->sv->err[0] = '\0';
	return offer;
}

/* ---- deciding and logging -------------------------------------------------- */

struct ask {
	const char *uid;
	const char *app;                  /* NULL/"" = My sign-ins */
	enum decision_client client;
	const char *protocol;             /* clientAppUsed, NULL = from client */
	const char *ip, *user_agent;
	int64_t mfa_at;
	unsigned mfa_methods;
	bool mfa_this_signin;
	bool password_changed;
	bool step_up;
	enum decision_credential cred;
	int64_t auth_time;
	bool remembered;
	bool interactive;
};

static int decide(struct svc_flow *f, const struct tg_tenant *t, const struct ask *a,
                  struct svc_signin_result *res)
{
	struct svc_signin_request q;
	memset(&q, 0, sizeof q);
	q.user = a->uid;
	q.app = a->app && *a->app ? a->app : SVC_APP_MY_SIGNINS;
	q.ip = a->ip && *a->ip ? a->ip : "0.0.0.0";
	q.client = a->client;
	q.protocol = a->protocol;
	q.user_agent = a->user_agent;
	q.mfa_at = a->mfa_at;
	q.mfa_methods = a->mfa_methods;
	q.mfa_this_signin = a->mfa_this_signin;
	q.credential = a->cred;
	q.auth_time = a->auth_time;
	q.remembered_device = a->remembered;
	q.non_interactive = !a->interactive;
	int r = svc_whatif(f->sv, f->cache, t, &q, res);
	if (r)
		return r;
	if (a->step_up || a->password_changed) {
		res->in.step_up_mfa = a->step_up;
		res->in.session.password_changed = a->password_changed;
		if ((r = decision_evaluate(&res->in, &res->d)))
			return svc_fail(f->sv, r, "the decision refused its input (%s)", tg_strerror(r));
	}
	return TG_OK;
}

/* Log a decided sign-in; failures to log are logged, never hidden, but do
 * not change the answer (the sign-in itself was decided). */
static void log_signin(struct svc_flow *f, const struct tg_tenant *t, const struct svc_signin_result *res,
                       const char *user_agent, const char *request_id, char sid_out[TG_ID_BUF])
{
	char keep[sizeof f->sv->err];
	tg_strlcpy(keep, f->sv->err, sizeof keep);
	int r = svc_signin_log(f->sv, t, &res->in, &res->d, user_agent, request_id, sid_out);
	if (r)
		log_error("could not write the sign-in log: %s", f->sv->err);
	tg_strlcpy(f->sv->err, keep, sizeof f->sv->err);
}

/* Log a refused attempt that never reached the decision (bad credentials,
 * disabled or locked account, failed MFA): the tenant and app as they
 * are, the user as typed (unknown users have no id). */
static void log_refusal(struct svc_flow *f, const struct tg_tenant *t, const char *app_id,
                        enum decision_client client, const char *protocol,
                        const char *uid, const char *upn, enum decision_credential cred,
                        int code, const char *reason, const char *mfa_detail,
                        unsigned mfa_method, const struct svc_flow_req *rq, char sid_out[TG_ID_BUF])
{
	char keep[sizeof f->sv->err];
	tg_strlcpy(keep, f->sv->err, sizeof keep);
	struct svc_policy_snapshot *snap = NULL;
	struct svc_app app;
	if (svc_policy_snapshot_get(f->sv, f->cache, t, &snap) ||
	    svc_app_resolve(f->sv, t, app_id && *app_id ? app_id : SVC_APP_MY_SIGNINS, &app)) {
		log_error("could not log a refused sign-in: %s", f->sv->err);
		svc_policy_snapshot_release(snap);
		tg_strlcpy(f->sv->err, keep, sizeof f->sv->err);
		return;
	}
	struct decision_user du;
	memset(&du, 0, sizeof du);
	du.id = uid ? uid : "";
	du.upn = upn ? upn : "";
	struct decision_app da = {.id = app.id, .display_name = app.display_name, .privileged = app.privileged};
	struct decision_input in;
	memset(&in, 0, sizeof in);
	in.tenant = svc_policy_snapshot_tenant(snap);
	in.user = &du;
	in.app = &da;
	in.client = client;
	in.protocol = protocol;
	if (rq->ip)
		(void)cidr_ip_parse(rq->ip, &in.ip);
	in.platform = platform_from_user_agent(rq->user_agent);
	in.credential = cred;
	in.interactive = true;
	in.now = svc_now(f->sv);
	in.session.mfa_methods = mfa_method;
	struct decision d;
	decision_init(&d);
	d.outcome = DECISION_BLOCKED;
	d.error_code = code;
	d.failure_reason = reason;
	d.mfa_detail = mfa_detail;
	d.session_max_age = -1;
	if (svc_signin_log(f->sv, t, &in, &d, rq->user_agent, rq->request_id, sid_out))
		log_error("could not write the sign-in log: %s", f->sv->err);
	decision_cleanup(&d);
	svc_policy_snapshot_release(snap);
	tg_strlcpy(f->sv->err, keep, sizeof f->sv->err);
}

static void set_blocked(struct fl *x, int code, const char *reason, const char *rq,
                        const char *sid, int64_t now)
{
	x->st = SVC_FLOW_STEP_BLOCKED;
	x->code = code;
	tg_strlcpy(x->reason, reason && *reason ? reason : "Access has been blocked.", sizeof x->reason);
	tg_strlcpy(x->rq, rq ? rq : "", sizeof x->rq);
	tg_strlcpy(x->sid, sid ? sid : "", sizeof x->sid);
	x->t = now;
}

/* Move the flow on from a decision (already logged with sid). */
static void apply(struct svc_flow *f, const struct tg_tenant *t, struct fl *x,
                  const struct svc_signin_result *res, const struct svc_flow_req *rq,
                  const char *sid)
{
	const struct decision *d = &res->d;
	const struct svc_settings *set = svc_policy_snapshot_settings(res->snap);
	x->sent = 0;
	x->to[0] = '\0';
	switch (d->outcome) {
	case DECISION_ALLOW:
		x->st = res->user.user.must_change_password ? SVC_FLOW_STEP_PASSWORD_CHANGE
		                                             : SVC_FLOW_STEP_DONE;
		break;
	case DECISION_MFA_REQUIRED:
		x->st = SVC_FLOW_STEP_MFA;
		x->methods = offer_methods(f, t, x->uid, res);
		x->rem = d->remember_device_allowed && set && set->remember_mfa_days
		         ? (int)set->remember_mfa_days : 0;
		if (!x->methods)
			set_blocked(x, DECISION_CODE_REGISTRATION_REQUIRED,
			            "None of your verification methods can be used here.", rq->request_id,
			            sid, svc_now(f->sv));
		break;
	case DECISION_REGISTRATION_REQUIRED:
		x->st = SVC_FLOW_STEP_REGISTER;
		x->skip = d->can_skip;
		x->dl = d->days_left;
		break;
	case DECISION_PASSWORD_CHANGE_REQUIRED:
		x->st = SVC_FLOW_STEP_PASSWORD_CHANGE;
		break;
	case DECISION_APP_PASSWORD_REQUIRED:
	case DECISION_BLOCKED:
	case DECISION_REAUTH_REQUIRED:
	default:
		set_blocked(x, d->error_code, d->failure_reason, rq->request_id, sid, svc_now(f->sv));
		break;
	}
}

static bool device_ok(struct svc_flow *f, const struct tg_tenant *t, const char *uid,
                      const char *token)
{
	if (!token || !*token || !uid || !*uid)
		return false;
	bool ok = svc_device_check(f->oidc, t, uid, token) == TG_OK;
	f->sv->err[0] = '\0';
	return ok;
}

/* Decide the flow's sign-in after a step in this sign-in, log it, apply. */
static int decide_flow(struct svc_flow *f, const struct tg_tenant *t, struct fl *x,
                       const struct store_session *s, const struct svc_flow_req *rq)
{
	struct svc_signin_result res;
	svc_signin_result_init(&res);
	/* a new sign-in counts only its own second factor; a continued session
	 * (sso) also its earlier one, as a claim */
	bool claim = x->mfa || x->sso;
	struct ask a = {
		.uid = x->uid, .app = x->app, .client = DECISION_CLIENT_BROWSER,
		.ip = rq->ip, .user_agent = rq->user_agent,
		.mfa_at = claim ? s->mfa_time : 0, .mfa_methods = claim ? s->mfa_methods : 0,
		.mfa_this_signin = x->mfa, .password_changed = x->pwc, .step_up = x->stepup,
		.cred = x->sso ? DECISION_CRED_SESSION : DECISION_CRED_PASSWORD,
		.auth_time = x->sso ? s->auth_time : 0,
		.remembered = device_ok(f, t, x->uid, rq->device_token),
		.interactive = true,
	};
	int r = decide(f, t, &a, &res);
	if (r) {
		svc_signin_result_cleanup(&res);
		return r;
	}
	char sid[TG_ID_BUF] = "";
	log_signin(f, t, &res, rq->user_agent, rq->request_id, sid);
	if (res.in.tenant->security_defaults &&
	    svc_sd_note_interactive(f->sv, t, x->uid, res.in.now, NULL) != TG_OK)
		log_warn("could not start the registration grace of %s: %s", x->upn, f->sv->err);
	apply(f, t, x, &res, rq, sid);
	svc_signin_result_cleanup(&res);
	return TG_OK;
}

/* ---- re-check of an existing authentication --------------------------------- */

int svc_flow_check_session(struct svc_flow *f, const struct tg_tenant *t,
                           const struct svc_flow_check *in, struct svc_flow_verdict *out)
{
	memset(out, 0, sizeof *out);
	out->kind = SVC_FLOW_BLOCKED;
	out->outcome = DECISION_BLOCKED;
	out->error_code = DECISION_CODE_BLOCKED_BY_CA;
	if (!in->user_id || !*in->user_id) {
		tg_strlcpy(out->reason, "not signed in", sizeof out->reason);
		out->kind = SVC_FLOW_INTERACTION;
		return TG_OK;
	}
	struct svc_signin_result res;
	svc_signin_result_init(&res);
	bool browser = !in->refresh;
	struct ask a = {
		.uid = in->user_id, .app = in->client_id, .client = in->client,
		.ip = in->ip, .user_agent = in->user_agent,
		.mfa_at = in->mfa_time, .mfa_methods = in->mfa_methods, .step_up = in->step_up_mfa,
		.cred = DECISION_CRED_SESSION, .auth_time = in->auth_time,
		.remembered = browser && device_ok(f, t, in->user_id, in->device_token),
		.interactive = !in->refresh,
	};
	int r = decide(f, t, &a, &res);
	if (r) {
		tg_strlcpy(out->reason, f->sv->err, sizeof out->reason);
		svc_signin_result_cleanup(&res);
		return r;
	}
	tg_strlcpy(out->upn, res.user.user.upn, sizeof out->upn);
	if (!res.user.user.enabled) {
		log_refusal(f, t, in->client_id, in->client, NULL, in->user_id, res.user.user.upn, DECISION_CRED_SESSION,
		            CODE_DISABLED, FR_DISABLED, NULL, 0,
		            &(struct svc_flow_req){.ip = in->ip, .user_agent = in->user_agent,
		                                   .request_id = in->request_id}, out->signin_id);
		out->error_code = CODE_DISABLED;
		tg_strlcpy(out->reason, FR_DISABLED, sizeof out->reason);
		svc_signin_result_cleanup(&res);
		return svc_fail(f->sv, TG_ERR_DISABLED, "the account is disabled");
	}
	log_signin(f, t, &res, in->user_agent, in->request_id, out->signin_id);
	const struct decision *d = &res.d;
	out->outcome = d->outcome;
	out->error_code = d->error_code;
	tg_strlcpy(out->reason, d->failure_reason ? d->failure_reason : "", sizeof out->reason);
	switch (d->outcome) {
	case DECISION_ALLOW:
		out->kind = SVC_FLOW_ALLOW;
		break;
	case DECISION_REGISTRATION_REQUIRED:
		/* the skip was offered at the interactive sign-in: an existing
		 * session or token is not interrupted again during the grace */
		if (d->can_skip) {
			out->kind = SVC_FLOW_ALLOW;
			break;
		}
		out->kind = SVC_FLOW_INTERACTION;
		out->require_mfa = true;
		break;
	case DECISION_MFA_REQUIRED:
		out->kind = SVC_FLOW_INTERACTION;
		out->require_mfa = true;
		break;
	case DECISION_PASSWORD_CHANGE_REQUIRED:
	case DECISION_REAUTH_REQUIRED:
		out->kind = SVC_FLOW_INTERACTION;
		break;
	default:
		out->kind = SVC_FLOW_BLOCKED;
		break;
	}
	if (out->kind == SVC_FLOW_ALLOW)
		out->error_code = 0;
	svc_signin_result_cleanup(&res);
	return TG_OK;
}

/* ---- steps ------------------------------------------------------------------- */

static bool app_known(struct svc_flow *f, const struct tg_tenant *t, const char *client_id)
{
	struct store_app app;
	return uuid_is_valid(client_id) && svc_app_get(f->sv, t, client_id, &app) == TG_OK;
}

/* Continue an authenticated session: decide for the app with the
 * session's first factor and MFA claim. false when the session cannot be
 * continued (then a fresh sign-in starts). */
static bool begin_sso(struct svc_flow *f, const struct tg_tenant *t, const char *existing,
                      const char *app, bool require_mfa, const struct svc_flow_req *rq,
                      struct svc_flow_state *out)
{
	struct store_session s;
	if (!existing || !*existing || svc_session_get(f->oidc, t, existing, &s) != TG_OK ||
	    !s.user_id[0] || !s.auth_time) {
		f->sv->err[0] = '\0';
		return false;
	}
	struct tg_user u;
	if (svc_user_find(f->sv, t, s.user_id, &u) != TG_OK || !u.enabled) {
		f->sv->err[0] = '\0';
		return false;
	}
	tg_wipe(u.pwhash, sizeof u.pwhash);
	struct fl x;
	fl_init(&x);
	tg_strlcpy(x.app, app, sizeof x.app);
	x.stepup = require_mfa;
	x.sso = true;
	tg_strlcpy(x.uid, u.id, sizeof x.uid);
	tg_strlcpy(x.upn, u.upn, sizeof x.upn);
	if (decide_flow(f, t, &x, &s, rq) != TG_OK) {
		f->sv->err[0] = '\0';
		return false;
	}
	/* a sign-in frequency or a refusal: start over with the password */
	if (x.st == SVC_FLOW_STEP_BLOCKED && x.code == DECISION_CODE_SIGN_IN_FREQUENCY)
		return false;
	if (save(f, t, existing, &x, NULL, NULL) != TG_OK) {
		f->sv->err[0] = '\0';
		return false;
	}
	fill_state(f, t, &x, out);
	return true;
}

int svc_flow_begin(struct svc_flow *f, const struct tg_tenant *t, const char *client_id,
                   bool force_login, bool require_mfa, const char *existing,
                   const struct svc_flow_req *rq, char new_token_out[SVC_TOKEN_SIZE],
                   struct svc_flow_state *out)
{
	const char *app = client_id && *client_id ? client_id : SVC_APP_MY_SIGNINS;
	new_token_out[0] = '\0';
	if (!app_known(f, t, app))
		return svc_fail(f->sv, TG_ERR_INVALID, "unknown application (client_id)");
	if (!force_login && begin_sso(f, t, existing, app, require_mfa, rq, out))
		return TG_OK;
	struct fl x;
	fl_init(&x);
	x.st = SVC_FLOW_STEP_PASSWORD;
	tg_strlcpy(x.app, app, sizeof x.app);
	x.force = force_login;
	x.stepup = require_mfa;
	char *text = fl_dump(&x);
	if (!text)
		return svc_fail(f->sv, TG_ERR_NOMEM, "cannot write the sign-in state");
	struct svc_session_start st = {.ip = rq->ip, .user_agent = rq->user_agent, .flow = text};
	struct store_session s;
	int r = svc_session_create(f->oidc, t, &st, &s, new_token_out);
	free(text);
	if (r)
		return r;
	fill_state(f, t, &x, out);
	return TG_OK;
}

int svc_flow_state(struct svc_flow *f, const struct tg_tenant *t, const char *token,
                   struct svc_flow_state *out)
{
	struct store_session s;
	struct fl x;
	int r = load(f, t, token, (enum svc_flow_step)-1, &s, &x);
	if (r)
		return r;
	fill_state(f, t, &x, out);
	return TG_OK;
}

/* A user for the password guard. Unknown users get a stand-in whose id is a
 * keyed digest of the typed name, so they take the same path (counters
 * included) as known ones. */
static void guard_user(struct svc_flow *f, const char *upn, const struct tg_user *known,
                       struct tg_user *u)
{
	memset(u, 0, sizeof *u);
	if (known) {
		tg_strlcpy(u->id, known->id, sizeof u->id);
		tg_strlcpy(u->upn, known->upn, sizeof u->upn);
		return;
	}
	uint8_t dg[KEYS_DIGEST_LEN];
	char hex[2 * KEYS_DIGEST_LEN + 1];
	if (keys_pepper_digest(f->oidc->keys, CTX_UNKNOWN_USER, upn, strlen(upn), dg) != TG_OK)
		memset(dg, 0, sizeof dg);
	for (size_t i = 0; i < 16; i++)
		snprintf(hex + 2 * i, 3, "%02x", dg[i + 1]);
	tg_strlcpy(u->id, hex, sizeof u->id);
	tg_strlcpy(u->upn, upn, sizeof u->upn);
}

int svc_flow_password(struct svc_flow *f, const struct tg_tenant *t, const char *token,
                      const char *upn, const char *pw, size_t pw_len, const struct svc_flow_req *rq,
                      struct svc_flow_result *res, struct svc_flow_state *out)
{
	int64_t start = mono_ms();
	memset(res, 0, sizeof *res);
	struct store_session s;
	struct fl x;
	int r = load(f, t, token, SVC_FLOW_STEP_PASSWORD, &s, &x);
	if (r)
		return r;
	char norm[TG_MAX_UPN + 1] = "";
	if (!upn || upn_normalize(upn, norm, sizeof norm, NULL) != TG_OK) {
		/* unparseable names: same answer, same time */
		size_t n = upn ? strlen(upn) : 0;
		tg_strlcpy(norm, n && n <= TG_MAX_UPN ? upn : "(invalid)", sizeof norm);
	}
	struct tg_user known, gu;
	bool have = svc_user_find(f->sv, t, norm, &known) == TG_OK;
	if (have)
		tg_wipe(known.pwhash, sizeof known.pwhash);
	guard_user(f, norm, have ? &known : NULL, &gu);

	struct svc_auth_guard g;
	r = svc_auth_guard_begin(f->auth, t, &gu, SVC_AUTH_PASSWORD, rq->ip, &g);
	if (r == TG_ERR_LOCKED || r == TG_ERR_RATE_LIMITED) {
		char sid[TG_ID_BUF] = "";
		log_refusal(f, t, x.app, DECISION_CLIENT_BROWSER, NULL, have ? known.id : "", norm, DECISION_CRED_PASSWORD, CODE_LOCKED,
		            FR_LOCKED, NULL, 0, rq, sid);
		pad_until(start, f->min_fail_ms);
		res->code = CODE_LOCKED;
		/* the message from the guard says how long; it never says whether
		 * the account exists (unknown names are counted too) */
		return r;
	}
	if (r)
		return r;
	struct tg_user u;
	r = svc_password_check(f->sv, norm, pw, pw_len, &u);
	if (r == TG_OK && strcmp(u.tenant_id, t->id) != 0)
		r = svc_fail(f->sv, TG_ERR_DENIED, "wrong user name or password");
	if (r == TG_ERR_DENIED || r == TG_ERR_DISABLED) {
		bool disabled = r == TG_ERR_DISABLED;
		svc_auth_guard_end(f->auth, t, &g, false);
		char sid[TG_ID_BUF] = "";
		log_refusal(f, t, x.app, DECISION_CLIENT_BROWSER, NULL, have ? known.id : "", norm, DECISION_CRED_PASSWORD,
		            disabled ? CODE_DISABLED : DECISION_CODE_BAD_CREDENTIALS,
		            disabled ? FR_DISABLED : FR_BAD_CREDENTIALS, NULL, 0, rq, sid);
		pad_until(start, f->min_fail_ms);
		res->code = disabled ? CODE_DISABLED : DECISION_CODE_BAD_CREDENTIALS;
		return svc_fail(f->sv, r, disabled ? "Your account has been disabled. Contact your administrator."
		                                   : "Your account or password is incorrect.");
	}
	if (r) {
		svc_auth_guard_end(f->auth, t, &g, false);
		return r;
	}
	svc_auth_guard_end(f->auth, t, &g, true);
	tg_wipe(u.pwhash, sizeof u.pwhash);

	tg_strlcpy(x.uid, u.id, sizeof x.uid);
	tg_strlcpy(x.upn, u.upn, sizeof x.upn);
	x.mfa = false;
	x.pwc = false;
	if ((r = decide_flow(f, t, &x, &s, rq)))
		return r;
	if (x.st == SVC_FLOW_STEP_BLOCKED) {
		/* a refusal is not an authentication: nothing recorded */
		if ((r = save(f, t, token, &x, NULL, NULL)))
			return r;
	} else {
		struct svc_session_step step = {.user_id = u.id, .first_factor = true, .amr = "pwd"};
		if ((r = save(f, t, token, &x, &step, res->new_token)))
			return r;
	}
	fill_state(f, t, &x, out);
	return TG_OK;
}

static enum channel_kind kind_channel(unsigned kind)
{
	return kind == CA_METHOD_EMAIL ? CHANNEL_EMAIL : kind == CA_METHOD_VOICE ? CHANNEL_VOICE
	                                                                         : CHANNEL_SMS;
}

int svc_flow_send(struct svc_flow *f, const struct tg_tenant *t, const char *token,
                  unsigned kind, const struct svc_flow_req *rq, struct svc_flow_result *res,
                  struct svc_flow_state *out)
{
	(void)rq;
	memset(res, 0, sizeof *res);
	struct store_session s;
	struct fl x;
	int r = load(f, t, token, SVC_FLOW_STEP_MFA, &s, &x);
	if (r)
		return r;
	if ((kind != CA_METHOD_SMS && kind != CA_METHOD_VOICE && kind != CA_METHOD_EMAIL) ||
	    !(x.methods & kind))
		return svc_fail(f->sv, TG_ERR_INVALID, "that verification method is not available");
	struct svc_code_sent sent;
	memset(&sent, 0, sizeof sent);
	r = svc_code_send(f->auth, t, x.uid, kind_channel(kind), &sent);
	if (r == TG_ERR_RATE_LIMITED)
		res->retry_after = (int)sent.retry_after;
	if (r)
		return r;
	x.sent = kind;
	mask(sent.to, x.to, sizeof x.to);
	if ((r = save(f, t, token, &x, NULL, NULL)))
		return r;
	fill_state(f, t, &x, out);
	return TG_OK;
}

/* After a second factor was verified: record it (rotation), decide again. */
static int after_second_factor(struct svc_flow *f, const struct tg_tenant *t, const char *token,
                               struct fl *x, unsigned kind, bool remember,
                               const struct svc_flow_req *rq, struct svc_flow_result *res)
{
	int offered = x->rem;
	x->mfa = true;
	x->sent = 0;
	x->to[0] = '\0';
	struct svc_session_step step = {.user_id = x->uid, .amr = amr_of(kind), .mfa_methods = kind};
	/* record first (flow still in this state), then decide with the new MFA */
	int r = save(f, t, token, x, &step, res->new_token);
	if (r)
		return r;
	struct store_session s;
	if ((r = svc_session_get(f->oidc, t, res->new_token, &s)))
		return r;
	if ((r = decide_flow(f, t, x, &s, rq)))
		return r;
	if (remember && offered > 0 && x->st != SVC_FLOW_STEP_BLOCKED) {
		int64_t exp = 0;
		if (svc_device_remember(f->oidc, t, x->uid, offered, res->device_token, &exp) == TG_OK)
			res->device_days = offered;
		else
			log_warn("could not remember the device of %s: %s", x->upn, f->sv->err);
	}
	x->rem = 0;
	return save(f, t, res->new_token, x, NULL, NULL);
}

int svc_flow_verify(struct svc_flow *f, const struct tg_tenant *t, const char *token,
                    unsigned kind, const char *code, bool remember, const struct svc_flow_req *rq,
                    struct svc_flow_result *res, struct svc_flow_state *out)
{
	memset(res, 0, sizeof *res);
	struct store_session s;
	struct fl x;
	int r = load(f, t, token, SVC_FLOW_STEP_MFA, &s, &x);
	if (r)
		return r;
	if (kind == CA_METHOD_HARDWARE_OATH)
		kind = CA_METHOD_SOFTWARE_OATH;
	unsigned avail = x.methods;
	if (avail & CA_METHOD_HARDWARE_OATH)
		avail |= CA_METHOD_SOFTWARE_OATH;
	if (!(avail & kind) || !code)
		return svc_fail(f->sv, TG_ERR_INVALID, "that verification method is not available");
	unsigned used = kind;
	switch (kind) {
	case CA_METHOD_SOFTWARE_OATH: {
		char mid[TG_ID_BUF] = "";
		r = svc_oath_verify(f->auth, t, x.uid, code, rq->ip, mid);
		if (r == TG_OK && (x.methods & CA_METHOD_HARDWARE_OATH) &&
		    !(x.methods & CA_METHOD_SOFTWARE_OATH))
			used = CA_METHOD_HARDWARE_OATH;
		break;
	}
	case CA_METHOD_SMS:
	case CA_METHOD_VOICE:
	case CA_METHOD_EMAIL:
		r = svc_code_verify(f->auth, t, x.uid, code, rq->ip);
		break;
	case CA_METHOD_RECOVERY_CODE:
		r = svc_recovery_verify(f->auth, t, x.uid, code, rq->ip, NULL);
		break;
	default:
		return svc_fail(f->sv, TG_ERR_INVALID, "that verification method is not available");
	}
	if (r) {
		const char *detail = r == TG_ERR_REPLAY ? "verification code already used once"
		                   : r == TG_ERR_LOCKED || r == TG_ERR_RATE_LIMITED
		                   ? "entered incorrect code too many times"
		                   : r == TG_ERR_EXPIRED ? "user never entered the verification code"
		                   : "user entered incorrect code";
		if (r == TG_ERR_DENIED || r == TG_ERR_REPLAY || r == TG_ERR_EXPIRED || r == TG_ERR_LIMIT ||
		    r == TG_ERR_LOCKED || r == TG_ERR_RATE_LIMITED) {
			char sid[TG_ID_BUF] = "";
			log_refusal(f, t, x.app, DECISION_CLIENT_BROWSER, NULL, x.uid, x.upn, DECISION_CRED_PASSWORD,
			            DECISION_CODE_MFA_FAILED, FR_MFA_FAILED, detail, kind, rq, sid);
			res->code = DECISION_CODE_MFA_FAILED;
			if (r == TG_ERR_REPLAY)
				svc_fail(f->sv, r, "That code was already used once. Wait for the next code.");
			else if (r == TG_ERR_DENIED)
				svc_fail(f->sv, r, "The code is wrong. Try again.");
		}
		return r;
	}
	if ((r = after_second_factor(f, t, token, &x, used, remember, rq, res)))
		return r;
	fill_state(f, t, &x, out);
	return TG_OK;
}

/* Changes the user makes to their own methods are audited as theirs:
 * swap the service's actor for "user:<upn>" around the call. saved must be
 * sizeof f->sv->actor bytes; act_restore puts the previous actor back. */
static void act_as_user(struct svc_flow *f, const char *upn, char *saved)
{
	tg_strlcpy(saved, f->sv->actor, sizeof f->sv->actor);
	snprintf(f->sv->actor, sizeof f->sv->actor, "user:%s", upn);
}

static void act_restore(struct svc_flow *f, const char *saved)
{
	tg_strlcpy(f->sv->actor, saved, sizeof f->sv->actor);
}

int svc_flow_register_app(struct svc_flow *f, const struct tg_tenant *t, const char *token,
                          const struct svc_flow_req *rq, struct svc_totp_enrollment *enr,
                          struct svc_flow_state *out)
{
	(void)rq;
	struct store_session s;
	struct fl x;
	int r = load(f, t, token, SVC_FLOW_STEP_REGISTER, &s, &x);
	if (r)
		return r;
	char actor[sizeof f->sv->actor];
	act_as_user(f, x.upn, actor);
	r = svc_totp_register(f->auth, t, x.uid, NULL, enr);
	act_restore(f, actor);
	if (r)
		return r;
	tg_strlcpy(x.pm, enr->method_id, sizeof x.pm);
	if ((r = save(f, t, token, &x, NULL, NULL))) {
		svc_totp_enrollment_cleanup(enr);
		return r;
	}
	fill_state(f, t, &x, out);
	return TG_OK;
}

int svc_flow_register_activate(struct svc_flow *f, const struct tg_tenant *t, const char *token,
                               const char *code, const struct svc_flow_req *rq,
                               struct svc_flow_result *res, struct svc_flow_state *out)
{
	memset(res, 0, sizeof *res);
	struct store_session s;
	struct fl x;
	int r = load(f, t, token, SVC_FLOW_STEP_REGISTER, &s, &x);
	if (r)
		return r;
	if (!x.pm[0] || !code)
		return svc_fail(f->sv, TG_ERR_CONFLICT, "start setting up the authenticator app first");
	char actor[sizeof f->sv->actor];
	act_as_user(f, x.upn, actor);
	r = svc_oath_activate(f->auth, t, x.uid, x.pm, code);
	act_restore(f, actor);
	if (r) {
		if (r == TG_ERR_DENIED)
			svc_fail(f->sv, r, "The code is wrong. Check the time on your phone and try again.");
		res->code = DECISION_CODE_MFA_FAILED;
		return r;
	}
	x.pm[0] = '\0';
	x.skip = false;
	if ((r = after_second_factor(f, t, token, &x, CA_METHOD_SOFTWARE_OATH, false, rq, res)))
		return r;
	fill_state(f, t, &x, out);
	return TG_OK;
}

int svc_flow_register_contact(struct svc_flow *f, const struct tg_tenant *t, const char *token,
                              unsigned kind, const char *value, const struct svc_flow_req *rq,
                              struct svc_flow_result *res, struct svc_flow_state *out)
{
	(void)rq;
	memset(res, 0, sizeof *res);
	struct store_session s;
	struct fl x;
	int r = load(f, t, token, SVC_FLOW_STEP_REGISTER, &s, &x);
	if (r)
		return r;
	if ((kind != CA_METHOD_SMS && kind != CA_METHOD_VOICE && kind != CA_METHOD_EMAIL) || !value)
		return svc_fail(f->sv, TG_ERR_INVALID, "choose a phone number or an email address");
	char actor[sizeof f->sv->actor];
	act_as_user(f, x.upn, actor);
	struct store_method m;
	r = kind == CA_METHOD_EMAIL ? svc_email_add(f->auth, t, x.uid, value, &m)
	                            : svc_phone_add(f->auth, t, x.uid, value, PHONE_TYPE_MOBILE, &m);
	act_restore(f, actor);
	if (r && r != TG_ERR_EXISTS && r != TG_ERR_CONFLICT)
		return r;
	struct svc_code_sent sent;
	memset(&sent, 0, sizeof sent);
	r = svc_code_send(f->auth, t, x.uid, kind_channel(kind), &sent);
	if (r == TG_ERR_RATE_LIMITED)
		res->retry_after = (int)sent.retry_after;
	if (r)
		return r;
	x.sent = kind;
	mask(sent.to, x.to, sizeof x.to);
	if ((r = save(f, t, token, &x, NULL, NULL)))
		return r;
	fill_state(f, t, &x, out);
	return TG_OK;
}

int svc_flow_register_confirm(struct svc_flow *f, const struct tg_tenant *t, const char *token,
                              const char *code, const struct svc_flow_req *rq,
                              struct svc_flow_result *res, struct svc_flow_state *out)
{
	memset(res, 0, sizeof *res);
	struct store_session s;
	struct fl x;
	int r = load(f, t, token, SVC_FLOW_STEP_REGISTER, &s, &x);
	if (r)
		return r;
	if (!x.sent || !code)
		return svc_fail(f->sv, TG_ERR_CONFLICT, "send a code first");
	unsigned kind = x.sent;
	r = svc_code_verify(f->auth, t, x.uid, code, rq->ip);
	if (r) {
		if (r == TG_ERR_DENIED)
			svc_fail(f->sv, r, "The code is wrong. Try again.");
		res->code = DECISION_CODE_MFA_FAILED;
		return r;
	}
	x.skip = false;
	if ((r = after_second_factor(f, t, token, &x, kind, false, rq, res)))
		return r;
	fill_state(f, t, &x, out);
	return TG_OK;
}

int svc_flow_skip(struct svc_flow *f, const struct tg_tenant *t, const char *token,
                  const struct svc_flow_req *rq, struct svc_flow_result *res,
                  struct svc_flow_state *out)
{
	memset(res, 0, sizeof *res);
	struct store_session s;
	struct fl x;
	int r = load(f, t, token, SVC_FLOW_STEP_REGISTER, &s, &x);
	if (r)
		return r;
	/* decide again: the grace may have ended since the prompt */
	struct svc_signin_result dr;
	svc_signin_result_init(&dr);
	struct ask a = {
		.uid = x.uid, .app = x.app, .client = DECISION_CLIENT_BROWSER,
		.ip = rq->ip, .user_agent = rq->user_agent, .step_up = x.stepup,
		.password_changed = x.pwc, .cred = DECISION_CRED_PASSWORD, .interactive = true,
		.remembered = device_ok(f, t, x.uid, rq->device_token),
	};
	if ((r = decide(f, t, &a, &dr))) {
		svc_signin_result_cleanup(&dr);
		return r;
	}
	bool may = dr.d.outcome == DECISION_REGISTRATION_REQUIRED && dr.d.can_skip;
	svc_signin_result_cleanup(&dr);
	if (!may)
		return svc_fail(f->sv, TG_ERR_FORBIDDEN, "registration can no longer be skipped");
	/* the skipped sign-in goes on single-factor */
	x.st = x.uid[0] ? SVC_FLOW_STEP_DONE : SVC_FLOW_STEP_PASSWORD;
	struct tg_user u;
	if (svc_user_find(f->sv, t, x.uid, &u) == TG_OK) {
		if (u.must_change_password)
			x.st = SVC_FLOW_STEP_PASSWORD_CHANGE;
		tg_wipe(u.pwhash, sizeof u.pwhash);
	}
	x.skip = false;
	if ((r = save(f, t, token, &x, NULL, NULL)))
		return r;
	fill_state(f, t, &x, out);
	return TG_OK;
}

int svc_flow_change_password(struct svc_flow *f, const struct tg_tenant *t, const char *token,
                             const char *current, size_t current_len, const char *next,
                             size_t next_len, const struct svc_flow_req *rq,
                             struct svc_flow_result *res, struct svc_flow_state *out)
{
	int64_t start = mono_ms();
	memset(res, 0, sizeof *res);
	struct store_session s;
	struct fl x;
	int r = load(f, t, token, SVC_FLOW_STEP_PASSWORD_CHANGE, &s, &x);
	if (r)
		return r;
	if (!current || !next)
		return svc_fail(f->sv, TG_ERR_INVALID, "the current and the new password are required");
	struct tg_user u;
	r = svc_password_check(f->sv, x.upn, current, current_len, &u);
	if (r == TG_ERR_DENIED) {
		pad_until(start, f->min_fail_ms);
		res->code = DECISION_CODE_BAD_CREDENTIALS;
		return svc_fail(f->sv, r, "Your current password is incorrect.");
	}
	if (r)
		return r;
	tg_wipe(u.pwhash, sizeof u.pwhash);
	if (current_len == next_len && memcmp(current, next, next_len) == 0)
		return svc_fail(f->sv, TG_ERR_INVALID, "The new password must be different from the current one.");
	char actor[sizeof f->sv->actor];
	act_as_user(f, x.upn, actor);
	r = svc_user_set_password(f->sv, t, x.uid, next, next_len, false);
	if (!r) {
		/* a secure password change remediates user risk (as Entra's
		 * self-remediation); without it a "password change" policy for
		 * risky users would ask again at every sign-in */
		struct svc_user_risk ur;
		if (svc_user_risk_get(f->sv, t, x.uid, &ur) == TG_OK && ur.risk.level == RISK_HIGH &&
		    svc_user_risk_set(f->sv, t, x.uid, RISK_NONE, "remediated by a password change at sign-in"))
			log_warn("could not clear the user risk of %s: %s", x.upn, f->sv->err);
		f->sv->err[0] = '\0';
	}
	act_restore(f, actor);
	if (r)
		return r;
	x.pwc = true;
	struct svc_session_step step = {.user_id = x.uid, .amr = "pwd"};
	if ((r = save(f, t, token, &x, &step, res->new_token)))
		return r;
	struct store_session s2;
	if ((r = svc_session_get(f->oidc, t, res->new_token, &s2)))
		return r;
	if ((r = decide_flow(f, t, &x, &s2, rq)))
		return r;
	if ((r = save(f, t, res->new_token, &x, NULL, NULL)))
		return r;
	fill_state(f, t, &x, out);
	return TG_OK;
}

int svc_flow_csrf(struct svc_flow *f, const struct store_session *s, char out[SVC_FLOW_CSRF_SIZE])
{
	uint8_t dg[KEYS_DIGEST_LEN];
	out[0] = '\0';
	int r = keys_pepper_digest(f->oidc->keys, CTX_CSRF, s->id, strlen(s->id), dg);
	if (r)
		return svc_fail(f->sv, r, "cannot make the CSRF token");
	size_t n = 0;
	r = b64url_encode(dg, sizeof dg, out, SVC_FLOW_CSRF_SIZE, &n);
	tg_wipe(dg, sizeof dg);
	if (r)
		return svc_fail(f->sv, r, "cannot make the CSRF token");
	return TG_OK;
}

/* ---- legacy clients ------------------------------------------------------------ */

static int count_cb(const struct store_app_password *p, void *arg)
{
	(void)p;
	(*(int *)arg)++;
	return 0;
}

/* Does the user have any app password? (Only then is a typed secret tried
 * as one: a failure there counts against the password counter too.) */
static bool has_app_passwords(struct svc_flow *f, const struct tg_tenant *t, const char *uid)
{
	int n = 0;
	if (svc_app_password_list(f->auth, t, uid, count_cb, &n) != TG_OK)
		n = 0;
	f->sv->err[0] = '\0';
	return n > 0;
}

static bool looks_like_app_password(const char *s, size_t len)
{
	char norm[APP_PASSWORD_SIZE];
	if (len >= 64 || memchr(s, '\0', len))
		return false;
	bool ok = app_password_normalize(s, norm) == TG_OK;
	tg_wipe(norm, sizeof norm);
	return ok;
}

int svc_flow_legacy(struct svc_flow *f, const struct tg_tenant *t, const char *upn,
                    const char *secret, size_t secret_len, enum decision_client client,
                    const char *protocol, const struct svc_flow_req *rq,
                    struct svc_flow_verdict *out)
{
	int64_t start = mono_ms();
	memset(out, 0, sizeof *out);
	out->kind = SVC_FLOW_BLOCKED;
	out->outcome = DECISION_BLOCKED;
	out->error_code = DECISION_CODE_BAD_CREDENTIALS;
	tg_strlcpy(out->reason, FR_BAD_CREDENTIALS, sizeof out->reason);
	if (client != DECISION_CLIENT_OTHER && client != DECISION_CLIENT_EXCHANGE_ACTIVESYNC)
		return svc_fail(f->sv, TG_ERR_INVALID, "not a legacy client type");

	char norm[TG_MAX_UPN + 1] = "";
	if (!upn || upn_normalize(upn, norm, sizeof norm, NULL) != TG_OK) {
		size_t n = upn ? strlen(upn) : 0;
		tg_strlcpy(norm, n && n <= TG_MAX_UPN ? upn : "(invalid)", sizeof norm);
	}
	tg_strlcpy(out->upn, norm, sizeof out->upn);
	struct tg_user known, gu;
	bool have = svc_user_find(f->sv, t, norm, &known) == TG_OK;
	if (have)
		tg_wipe(known.pwhash, sizeof known.pwhash);

	enum decision_credential cred = DECISION_CRED_PASSWORD;
	int r = TG_ERR_DENIED;
	char *typed = xmalloc(secret_len + 1);
	memcpy(typed, secret, secret_len);
	typed[secret_len] = '\0';
	if (have && looks_like_app_password(typed, secret_len) && has_app_passwords(f, t, known.id)) {
		r = svc_app_password_verify(f->auth, t, known.id, typed, rq->ip);
		if (r == TG_OK)
			cred = DECISION_CRED_APP_PASSWORD;
	}
	if (r == TG_ERR_DENIED || r == TG_ERR_NOT_FOUND) {
		guard_user(f, norm, have ? &known : NULL, &gu);
		struct svc_auth_guard g;
		r = svc_auth_guard_begin(f->auth, t, &gu, SVC_AUTH_PASSWORD, rq->ip, &g);
		if (!r) {
			struct tg_user u;
			r = svc_password_check(f->sv, norm, typed, secret_len, &u);
			if (r == TG_OK) {
				tg_wipe(u.pwhash, sizeof u.pwhash);
				if (strcmp(u.tenant_id, t->id) != 0)
					r = svc_fail(f->sv, TG_ERR_DENIED, "wrong user name or password");
			}
			svc_auth_guard_end(f->auth, t, &g, r == TG_OK);
		}
	}
	tg_secret_free(typed, secret_len + 1);

	if (r) {
		int code = r == TG_ERR_DISABLED ? CODE_DISABLED
		         : r == TG_ERR_LOCKED || r == TG_ERR_RATE_LIMITED ? CODE_LOCKED
		         : DECISION_CODE_BAD_CREDENTIALS;
		const char *why = code == CODE_DISABLED ? FR_DISABLED
		                : code == CODE_LOCKED ? FR_LOCKED : FR_BAD_CREDENTIALS;
		if (r == TG_ERR_DENIED || r == TG_ERR_NOT_FOUND || r == TG_ERR_DISABLED ||
		    r == TG_ERR_LOCKED || r == TG_ERR_RATE_LIMITED) {
			log_refusal(f, t, NULL, client, protocol, have ? known.id : "", norm, cred, code,
			            why, NULL, 0, rq, out->signin_id);
			out->error_code = code;
			tg_strlcpy(out->reason, why, sizeof out->reason);
			pad_until(start, f->min_fail_ms);
			f->sv->err[0] = '\0';
			return TG_OK;
		}
		return r;
	}

	struct svc_signin_result res;
	svc_signin_result_init(&res);
	struct ask a = {
		.uid = known.id, .app = NULL, .client = client, .protocol = protocol, .ip = rq->ip,
		.user_agent = rq->user_agent, .cred = cred, .interactive = true,
	};
	r = decide(f, t, &a, &res);
	if (r) {
		svc_signin_result_cleanup(&res);
		return r;
	}
	log_signin(f, t, &res, rq->user_agent, rq->request_id, out->signin_id);
	out->outcome = res.d.outcome;
	out->error_code = res.d.error_code;
	tg_strlcpy(out->reason, res.d.failure_reason ? res.d.failure_reason : "", sizeof out->reason);
	out->kind = res.d.outcome == DECISION_ALLOW ? SVC_FLOW_ALLOW : SVC_FLOW_BLOCKED;
	if (out->kind == SVC_FLOW_BLOCKED && !out->error_code)
		out->error_code = DECISION_CODE_BLOCKED_BY_CA;
	svc_signin_result_cleanup(&res);
	return TG_OK;
}
