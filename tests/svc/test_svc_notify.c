/* SPDX-License-Identifier: MIT
 * Notices to users when an administrator turns per-user MFA on
 * (svc_notify.h): queued once per change, in the change's transaction —
 * none for an unchanged state, a dry run, enabled → enforced, the
 * registration-completed event or turning MFA off, none when notices are
 * off (process or tenant), none (and said so in the audit) without an
 * address; the email method's address as a fallback; rolled back with a
 * failed bulk change (every store call made to fail in turn); delivery
 * with retries on the back-off schedule under an injected clock, giving up
 * after TG_MAX_NOTIFY_ATTEMPTS; a leased notice not sent twice; the text
 * in Swedish for locale "sv", English otherwise, with the sign-in address
 * and no code; the outbox line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "harness.h"
#include "base/err.h"
#include "base/str.h"
#include "store/store.h"
#include "store/store_auth.h"
#include "store/store_notify.h"
#include "svc/channel.h"
#include "svc/config.h"
#include "svc/svc.h"
#include "svc/svc_notify.h"

static const struct pw_params fast = {64, 1, 1};
static int64_t clock_now = 1800000000;
static int64_t fixed_now(void) { return clock_now; }

struct env {
	struct store *st;
	struct svc sv;
	struct tg_tenant t;
};

static int adduser(struct env *e, const char *upn, const char *email, const char *locale)
{
	struct svc_user_input in = {.upn = upn, .email = email, .locale = locale};
	return svc_user_create(&e->sv, &e->t, &in, NULL);
}

static int setup(struct env *e)
{
	memset(e, 0, sizeof *e);
	struct store_open_opts o = {.dsn = ":memory:", .create = true};
	if (store_open("sqlite", &o, &e->st))
		return -1;
	svc_init(&e->sv, e->st, &fast, "test:admin");
	e->sv.now = fixed_now;
	if (svc_tenant_create(&e->sv, "contoso", "contoso.test", "Contoso AB", &e->t))
		return -1;
	if (adduser(e, "alice@contoso.test", "alice@mail.test", "sv") ||
	    adduser(e, "bob@contoso.test", "bob@mail.test", "en") ||
	    adduser(e, "carol@contoso.test", "carol@mail.test", NULL) ||
	    adduser(e, "nomail@contoso.test", NULL, NULL))
		return -1;
	return 0;
}

struct rows {
	int n;
	struct store_notification v[16];
};

static int collect(const struct store_notification *n, void *arg)
{
	struct rows *r = arg;
	if (r->n < 16)
		r->v[r->n] = *n;
	r->n++;
	return 0;
}

static int count(struct env *e, int status)
{
	struct rows r = {0};
	if (svc_notify_list(&e->sv, &e->t, status, 1000, collect, &r))
		return -1;
	return r.n;
}

static const struct store_notification *find(struct rows *r, const char *upn)
{
	for (int i = 0; i < r->n && i < 16; i++)
		if (strcmp(r->v[i].upn, upn) == 0)
			return &r->v[i];
	return NULL;
}

static int set(struct env *e, enum mfa_state st, const char *upn, bool dry)
{
	const char *u[] = {upn};
	struct svc_mfa_report rep;
	int r = svc_mfa_set(&e->sv, &e->t, st, u, 1, false, dry, &rep);
	svc_mfa_report_cleanup(&rep);
	return r;
}

static int add_active_method(struct env *e, const char *upn, const char *kind, const char *detail)
{
	struct tg_user u;
	if (svc_user_find(&e->sv, &e->t, upn, &u))
		return -1;
	static int seq;
	struct store_method m;
	memset(&m, 0, sizeof m);
	snprintf(m.id, sizeof m.id, "aaaaaaaa-0000-4000-8000-%012d", ++seq);
	tg_strlcpy(m.tenant_id, e->t.id, sizeof m.tenant_id);
	tg_strlcpy(m.user_id, u.id, sizeof m.user_id);
	tg_strlcpy(m.kind, kind, sizeof m.kind);
	m.status = STORE_METHOD_ACTIVE;
	m.last_step = -1;
	tg_strlcpy(m.detail, detail, sizeof m.detail);
	m.created = clock_now;
	return store_method_insert(e->st, &m);
}

/* ----------------------------------------------------------- queueing */

static void queued_once_per_change(void)
{
	struct env e;
	REQUIRE(setup(&e) == 0);
	const char *three[] = {"alice@contoso.test", "bob@contoso.test", "carol@contoso.test"};
	struct svc_mfa_report rep;
	/* a dry run queues nothing */
	CHECK_OK(svc_mfa_set(&e.sv, &e.t, MFA_STATE_ENABLED, three, 3, false, true, &rep));
	CHECK_INT(rep.changed, 3);
	svc_mfa_report_cleanup(&rep);
	CHECK_INT(count(&e, -1), 0);
	/* three users turned on: three notices, due at once */
	CHECK_OK(svc_mfa_set(&e.sv, &e.t, MFA_STATE_ENABLED, three, 3, false, false, &rep));
	svc_mfa_report_cleanup(&rep);
	struct rows r = {0};
	CHECK_OK(svc_notify_list(&e.sv, &e.t, STORE_NOTIFY_PENDING, 100, collect, &r));
	REQUIRE(r.n == 3);
	const struct store_notification *a = find(&r, "alice@contoso.test");
	REQUIRE(a);
	CHECK_STR(a->to, "alice@mail.test");
	CHECK_STR(a->locale, "sv");
	CHECK_STR(a->kind, STORE_NOTIFY_MFA_REGISTER);
	CHECK_INT(a->next_attempt, clock_now);
	CHECK(a->change_seq > 0);
	/* unchanged: nothing more */
	CHECK_OK(svc_mfa_set(&e.sv, &e.t, MFA_STATE_ENABLED, three, 3, false, false, &rep));
	CHECK_INT(rep.unchanged, 3);
	svc_mfa_report_cleanup(&rep);
	CHECK_INT(count(&e, -1), 3);
	/* enabled → enforced tells nothing new */
	CHECK_OK(set(&e, MFA_STATE_ENFORCED, "bob@contoso.test", false));
	CHECK_INT(count(&e, -1), 3);
	/* turning MFA off says nothing; turning it on again is a new change */
	CHECK_OK(set(&e, MFA_STATE_DISABLED, "bob@contoso.test", false));
	CHECK_INT(count(&e, -1), 3);
	clock_now += 5;
	CHECK_OK(set(&e, MFA_STATE_ENFORCED, "bob@contoso.test", false));
	CHECK_INT(count(&e, -1), 4);
	/* --all: only nomail is still disabled, and has no address */
	CHECK_OK(svc_mfa_set(&e.sv, &e.t, MFA_STATE_ENABLED, NULL, 0, true, false, &rep));
	svc_mfa_report_cleanup(&rep);
	CHECK_INT(count(&e, -1), 4); /* nomail has no address */
	store_close(e.st);
}

static int find_audit(const struct tg_audit *a, void *arg)
{
	if (strcmp(a->target, "nomail@contoso.test") == 0 && strstr(a->after, "enabled"))
		tg_strlcpy(arg, a->after, TG_MAX_AUDIT_VALUE + 1);
	return 0;
}

static void no_address_no_notice(void)
{
	struct env e;
	REQUIRE(setup(&e) == 0);
	CHECK_OK(set(&e, MFA_STATE_ENABLED, "nomail@contoso.test", false));
	CHECK_INT(count(&e, -1), 0);
	char *after = calloc(1, TG_MAX_AUDIT_VALUE + 1);
	REQUIRE(after);
	struct audit_query q = {.tenant_id = e.t.id, .action_prefix = "user.mfa_state"};
	CHECK_OK(store_audit_list(e.st, &q, find_audit, after));
	CHECK(strstr(after, "not emailed: the user has no email address") != NULL);
	free(after);
	/* the email method's address serves when the user has no mail */
	CHECK_OK(set(&e, MFA_STATE_DISABLED, "nomail@contoso.test", false));
	CHECK_OK(add_active_method(&e, "nomail@contoso.test", STORE_KIND_EMAIL, "backup@mail.test"));
	CHECK_OK(set(&e, MFA_STATE_ENFORCED, "nomail@contoso.test", false));
	struct rows r = {0};
	CHECK_OK(svc_notify_list(&e.sv, &e.t, -1, 10, collect, &r));
	REQUIRE(r.n == 1);
	CHECK_STR(r.v[0].to, "backup@mail.test");
	/* an active method already: MFA is now required, nothing to register */
	CHECK_STR(r.v[0].kind, STORE_NOTIFY_MFA_REQUIRED);
	store_close(e.st);
}

static void registration_completed_is_silent(void)
{
	struct env e;
	REQUIRE(setup(&e) == 0);
	CHECK_OK(set(&e, MFA_STATE_ENABLED, "alice@contoso.test", false));
	CHECK_INT(count(&e, -1), 1);
	CHECK_OK(add_active_method(&e, "alice@contoso.test", STORE_KIND_PHONE, "+46 701234567"));
	struct tg_user u;
	CHECK_OK(svc_user_find(&e.sv, &e.t, "alice@contoso.test", &u));
	CHECK_OK(svc_mfa_registration_completed(&e.sv, &e.t, u.id));
	CHECK_OK(svc_user_find(&e.sv, &e.t, "alice@contoso.test", &u));
	CHECK_INT(u.mfa_state, MFA_STATE_ENFORCED);
	CHECK_INT(count(&e, -1), 1);
	store_close(e.st);
}

static void switches(void)
{
	struct env e;
	REQUIRE(setup(&e) == 0);
	bool on = false;
	CHECK_OK(svc_notify_tenant_enabled(&e.sv, &e.t, &on));
	CHECK(on);
	CHECK_OK(svc_notify_tenant_set(&e.sv, &e.t, false));
	CHECK_OK(set(&e, MFA_STATE_ENABLED, "alice@contoso.test", false));
	CHECK_INT(count(&e, -1), 0);
	CHECK_OK(svc_notify_tenant_set(&e.sv, &e.t, true));
	CHECK_OK(set(&e, MFA_STATE_ENABLED, "bob@contoso.test", false));
	CHECK_INT(count(&e, -1), 1);
	svc_notify_set_enabled(false);
	CHECK_OK(set(&e, MFA_STATE_ENABLED, "carol@contoso.test", false));
	svc_notify_set_enabled(true);
	CHECK_INT(count(&e, -1), 1);
	store_close(e.st);
}

static int count_audit(const struct tg_audit *a, void *arg)
{
	(void)a;
	(*(int *)arg)++;
	return 0;
}

static void switch_is_audited(void)
{
	struct env e;
	REQUIRE(setup(&e) == 0);
	CHECK_OK(svc_notify_tenant_set(&e.sv, &e.t, false));
	CHECK_OK(svc_notify_tenant_set(&e.sv, &e.t, true));
	int n = 0;
	struct audit_query q = {.tenant_id = e.t.id, .action_prefix = "notify.settings"};
	CHECK_OK(store_audit_list(e.st, &q, count_audit, &n));
	CHECK_INT(n, 2);
	store_close(e.st);
}

/* A bulk change that fails anywhere queues nothing: make each store call
 * fail in turn. */
static void rolled_back_with_the_change(void)
{
	int failures = 0;
	bool done = false;
	for (long nth = 1; nth < 400 && !done; nth++) {
		struct env e;
		REQUIRE(setup(&e) == 0);
		struct svc_mfa_report rep;
		store_fault_inject(nth);
		int r = svc_mfa_set(&e.sv, &e.t, MFA_STATE_ENABLED, NULL, 0, true, false, &rep);
		store_fault_inject(0);
		svc_mfa_report_cleanup(&rep);
		int n = count(&e, -1);
		if (r) {
			failures++;
			if (n != 0)
				TG_T_FAIL("fault at call %ld: %d notices queued by a failed change", nth, n);
		} else {
			CHECK_INT(n, 3);
			done = true;
		}
		store_close(e.st);
	}
	CHECK(done);
	CHECK(failures > 10); /* the notices' own store calls were among those failed */
}

/* ----------------------------------------------------------- delivery */

struct outbox {
	int calls;
	int fail_first;          /* fail this many calls */
	char to[8][TG_MAX_EMAIL + 1];
	char subject[8][256];
	char body[8][4096];
	char ref[8][40];
};

static int fake_deliver(void *arg, const struct channel_notice *n, char *err, size_t err_size)
{
	struct outbox *o = arg;
	int i = o->calls++;
	if (i < o->fail_first) {
		snprintf(err, err_size, "the SMTP server said 451 (attempt %d)", i + 1);
		return TG_ERR_UNAVAILABLE;
	}
	if (i < 8) {
		tg_strlcpy(o->to[i], n->to, sizeof o->to[i]);
		char *s = channel_notice_render(n, "subject"), *b = channel_notice_render(n, "body");
		tg_strlcpy(o->subject[i], s, sizeof o->subject[i]);
		tg_strlcpy(o->body[i], b, sizeof o->body[i]);
		free(s);
		free(b);
		tg_strlcpy(o->ref[i], n->ref, sizeof o->ref[i]);
	}
	return TG_OK;
}

static void sender(struct svc_notify_sender *s, struct env *e, struct outbox *o,
                   const struct auth_config *cfg)
{
	memset(s, 0, sizeof *s);
	s->sv = &e->sv;
	s->cfg = cfg;
	s->base_url = "https://id.contoso.test";
	s->retry_seconds = 60;
	s->deliver = fake_deliver;
	s->deliver_arg = o;
}

static void delivered_in_the_users_language(void)
{
	struct env e;
	REQUIRE(setup(&e) == 0);
	struct auth_config cfg;
	auth_config_defaults(&cfg);
	struct outbox o = {0};
	struct svc_notify_sender s;
	sender(&s, &e, &o, &cfg);
	CHECK_OK(set(&e, MFA_STATE_ENABLED, "alice@contoso.test", false));
	struct svc_notify_run_report rep;
	CHECK_OK(svc_notify_run_once(&s, clock_now, 10, &rep));
	CHECK_INT(rep.sent, 1);
	REQUIRE(o.calls == 1);
	CHECK_STR(o.to[0], "alice@mail.test");
	CHECK_STR(o.subject[0], "Konfigurera multifaktorautentisering vid nästa inloggning");
	CHECK(strstr(o.body[0], "Hej alice!") != NULL);
	CHECK(strstr(o.body[0], "Contoso AB") != NULL);
	CHECK(strstr(o.body[0], "Microsoft Authenticator") != NULL);
	CHECK(strstr(o.body[0], "TOTP") != NULL);
	CHECK(strstr(o.body[0], "alice@contoso.test") != NULL);
	CHECK(strstr(o.body[0], "  https://id.contoso.test/contoso/signin/\n") != NULL);
	/* one address and no other link, no code */
	const char *h = strstr(o.body[0], "http");
	CHECK(h && !strstr(h + 1, "http"));
	CHECK(strstr(o.body[0], "{") == NULL);
	/* sent is sent: never again */
	CHECK_OK(svc_notify_run_once(&s, clock_now + 100000, 10, &rep));
	CHECK_INT(rep.sent, 0);
	CHECK_INT(o.calls, 1);
	CHECK_INT(count(&e, STORE_NOTIFY_SENT), 1);
	/* English for "en" and for the tenant default "" */
	CHECK_OK(set(&e, MFA_STATE_ENABLED, "bob@contoso.test", false));
	CHECK_OK(svc_notify_run_once(&s, clock_now, 10, &rep));
	CHECK_OK(set(&e, MFA_STATE_ENABLED, "carol@contoso.test", false));
	CHECK_OK(svc_notify_run_once(&s, clock_now, 10, &rep));
	REQUIRE(o.calls == 3);
	CHECK_STR(o.subject[1], "Set up multifactor authentication at your next sign-in");
	CHECK(strstr(o.body[1], "Hello bob,") != NULL);
	CHECK(strstr(o.body[1], "authenticator app, such as Microsoft Authenticator") != NULL);
	CHECK(strstr(o.body[2], "Hello carol,") != NULL);
	/* the Message-ID reference is the notice's id */
	struct rows r = {0};
	CHECK_OK(svc_notify_list(&e.sv, &e.t, -1, 10, collect, &r));
	const struct store_notification *a = find(&r, "alice@contoso.test");
	REQUIRE(a);
	CHECK_STR(o.ref[0], a->id);
	/* mfaRequired, Swedish */
	struct channel_notice cn = {.kind = CHANNEL_NOTICE_MFA_REQUIRED, .to = "x@y.test",
	                            .locale = "sv-SE", .upn = "x@contoso.test", .url = "U"};
	char *sub = channel_notice_render(&cn, "subject"), *body = channel_notice_render(&cn, "body");
	CHECK_STR(sub, "Multifaktorautentisering krävs nu för ditt konto");
	CHECK(strstr(body, "Hej x@contoso.test!") != NULL); /* no display name: the UPN */
	CHECK(strstr(body, "Du har redan registrerat") != NULL);
	free(sub);
	free(body);
	store_close(e.st);
}

static void retried_then_given_up(void)
{
	struct env e;
	REQUIRE(setup(&e) == 0);
	struct auth_config cfg;
	auth_config_defaults(&cfg);
	struct outbox o = {.fail_first = 1000};
	struct svc_notify_sender s;
	sender(&s, &e, &o, &cfg);
	CHECK_OK(set(&e, MFA_STATE_ENABLED, "bob@contoso.test", false));
	int64_t t = clock_now, total = 0;
	struct svc_notify_run_report rep;
	for (unsigned attempt = 1; attempt <= TG_MAX_NOTIFY_ATTEMPTS; attempt++) {
		CHECK_OK(svc_notify_run_once(&s, t, 10, &rep));
		CHECK_INT(o.calls, attempt);
		int64_t delay = svc_notify_retry_delay(attempt, 60);
		if (attempt < TG_MAX_NOTIFY_ATTEMPTS) {
			CHECK_INT(rep.retrying, 1);
			CHECK(delay > 0);
			/* not before the delay is over */
			CHECK_OK(svc_notify_run_once(&s, t + delay - 1, 10, &rep));
			CHECK_INT(o.calls, attempt);
			t += delay;
			total += delay;
		} else {
			CHECK_INT(rep.failed, 1);
			CHECK_INT(delay, -1);
		}
	}
	CHECK_INT(svc_notify_retry_delay(1, 60), 60);
	CHECK_INT(svc_notify_retry_delay(2, 60), 300);
	CHECK_INT(svc_notify_retry_delay(3, 60), 900);
	CHECK_INT(svc_notify_retry_delay(1, 1), 1);
	/* about a day in all */
	CHECK(total >= 20 * 3600 && total <= 26 * 3600);
	/* given up: kept as failed with the last error, never tried again */
	CHECK_OK(svc_notify_run_once(&s, t + 10 * 86400, 10, &rep));
	CHECK_INT(o.calls, TG_MAX_NOTIFY_ATTEMPTS);
	struct rows r = {0};
	CHECK_OK(svc_notify_list(&e.sv, &e.t, STORE_NOTIFY_FAILED, 10, collect, &r));
	REQUIRE(r.n == 1);
	CHECK_INT(r.v[0].attempts, TG_MAX_NOTIFY_ATTEMPTS);
	CHECK(strstr(r.v[0].last_error, "451 (attempt 9)") != NULL);
	store_close(e.st);
}

static void retried_then_delivered(void)
{
	struct env e;
	REQUIRE(setup(&e) == 0);
	struct auth_config cfg;
	auth_config_defaults(&cfg);
	struct outbox o = {.fail_first = 2};
	struct svc_notify_sender s;
	sender(&s, &e, &o, &cfg);
	s.retry_seconds = 1;
	CHECK_OK(set(&e, MFA_STATE_ENABLED, "bob@contoso.test", false));
	struct svc_notify_run_report rep;
	CHECK_OK(svc_notify_run_once(&s, clock_now, 10, &rep));     /* fails */
	CHECK_OK(svc_notify_run_once(&s, clock_now + 1, 10, &rep)); /* fails */
	CHECK_INT(rep.retrying, 1);
	CHECK_OK(svc_notify_run_once(&s, clock_now + 5, 10, &rep));
	CHECK_INT(rep.retrying, 0);
	CHECK_OK(svc_notify_run_once(&s, clock_now + 6, 10, &rep)); /* 1 + 5 s */
	CHECK_INT(rep.sent, 1);
	CHECK_INT(o.calls, 3);
	CHECK_INT(count(&e, STORE_NOTIFY_SENT), 1);
	store_close(e.st);
}

static void leased_notice_not_sent_twice(void)
{
	struct env e;
	REQUIRE(setup(&e) == 0);
	struct auth_config cfg;
	auth_config_defaults(&cfg);
	struct outbox o = {0};
	struct svc_notify_sender s;
	sender(&s, &e, &o, &cfg);
	CHECK_OK(set(&e, MFA_STATE_ENABLED, "bob@contoso.test", false));
	/* another worker holds it */
	struct store_notification held;
	CHECK_OK(store_notify_claim(e.st, clock_now, clock_now + 70, &held));
	struct svc_notify_run_report rep;
	CHECK_OK(svc_notify_run_once(&s, clock_now + 69, 10, &rep));
	CHECK_INT(o.calls, 0);
	CHECK_INT(rep.sent, 0);
	/* it sent and recorded: nothing for us, ever */
	CHECK_OK(store_notify_mark_sent(e.st, held.id, held.attempts, clock_now + 1));
	CHECK_OK(svc_notify_run_once(&s, clock_now + 1000, 10, &rep));
	CHECK_INT(o.calls, 0);
	CHECK_INT(svc_notify_run_once(&s, clock_now, 0, &rep), TG_ERR_INVALID);
	store_close(e.st);
}

static void outbox_line(void)
{
	struct env e;
	REQUIRE(setup(&e) == 0);
	char dir[] = "/tmp/tg-notify-XXXXXX";
	REQUIRE(mkdtemp(dir));
	struct auth_config cfg;
	auth_config_defaults(&cfg);
	snprintf(cfg.outbox, sizeof cfg.outbox, "%s/outbox.jsonl", dir);
	struct svc_notify_sender s = {.sv = &e.sv, .cfg = &cfg, .base_url = "http://127.0.0.1:8080",
	                              .retry_seconds = 60};
	CHECK_OK(set(&e, MFA_STATE_ENABLED, "alice@contoso.test", false));
	struct svc_notify_run_report rep;
	CHECK_OK(svc_notify_run_once(&s, clock_now, 10, &rep));
	CHECK_INT(rep.sent, 1);
	FILE *f = fopen(cfg.outbox, "r");
	REQUIRE(f);
	char line[8192] = "";
	CHECK(fgets(line, sizeof line, f) != NULL);
	fclose(f);
	CHECK(strstr(line, "\"channel\":\"email\",\"kind\":\"mfaRegister\",\"to\":\"alice@mail.test\","
	                   "\"locale\":\"sv\"") != NULL);
	CHECK(strstr(line, "\"subject\":\"Konfigurera multifaktorautentisering") != NULL);
	CHECK(strstr(line, "http://127.0.0.1:8080/contoso/signin/") != NULL);
	CHECK(strstr(line, "\"code\"") == NULL);
	struct stat sb;
	CHECK(stat(cfg.outbox, &sb) == 0 && (sb.st_mode & 0777) == 0600);
	unlink(cfg.outbox);
	rmdir(dir);
	store_close(e.st);
}

static void base_url(void)
{
	struct tg_config c;
	config_defaults(&c, "/tmp/x");
	char out[300];
	svc_notify_base_url(&c, out, sizeof out);
	CHECK_STR(out, "http://127.0.0.1:8080");
	char err[200];
	CHECK_OK(config_set(&c, "listen", "[::1]:9000", err, sizeof err));
	svc_notify_base_url(&c, out, sizeof out);
	CHECK_STR(out, "http://[::1]:9000");
	CHECK_OK(config_set(&c, "listen", "0.0.0.0:80", err, sizeof err));
	svc_notify_base_url(&c, out, sizeof out);
	CHECK_STR(out, "http://127.0.0.1:80");
	CHECK_OK(config_set(&c, "public_url", "https://id.contoso.com/", err, sizeof err));
	svc_notify_base_url(&c, out, sizeof out);
	CHECK_STR(out, "https://id.contoso.com");
	/* the configuration keys */
	CHECK(c.notify.mfa_enabled);
	CHECK_INT(c.notify.retry_seconds, 60);
	CHECK_OK(config_set(&c, "notify_mfa_enabled", "false", err, sizeof err));
	CHECK(!c.notify.mfa_enabled);
	CHECK_INT(config_set(&c, "notify_mfa_enabled", "no", err, sizeof err), TG_ERR_INVALID);
	CHECK(strstr(err, "notify_mfa_enabled must be true or false") != NULL);
	CHECK_OK(config_set(&c, "notify_retry_seconds", "1", err, sizeof err));
	CHECK_INT(c.notify.retry_seconds, 1);
	CHECK_INT(config_set(&c, "notify_retry_seconds", "0", err, sizeof err), TG_ERR_INVALID);
}

int main(void)
{
	TEST(queued_once_per_change);
	TEST(no_address_no_notice);
	TEST(registration_completed_is_silent);
	TEST(switches);
	TEST(switch_is_audited);
	TEST(rolled_back_with_the_change);
	TEST(delivered_in_the_users_language);
	TEST(retried_then_given_up);
	TEST(retried_then_delivered);
	TEST(leased_notice_not_sent_twice);
	TEST(outbox_line);
	TEST(base_url);
	return tg_test_done();
}
