/* SPDX-License-Identifier: MIT
 * Housekeeping (svc_housekeep.h) against a real SQLite store under an
 * injected clock: one round purges dead sessions (idle, past their absolute
 * lifetime, revoked), expired remembered devices and authorization codes
 * past their replay window and keeps the live ones; sign-in records older
 * than the retention go in every tenant (each audited once with the
 * actor), newer ones and those at the day cutoff stay; retention 0 keeps
 * everything; a round stops at its bound and the next one finishes; the
 * cutoff arithmetic; the configuration keys and their bounds; and the
 * periodic worker (svc_worker.h): rounds at start, on wake, again at once
 * while there is more, and a prompt stop. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include "harness.h"
#include "base/err.h"
#include "base/str.h"
#include "store/store.h"
#include "store/store_oidc.h"
#include "store/store_policy.h"
#include "svc/config.h"
#include "svc/svc.h"
#include "svc/svc_housekeep.h"
#include "svc/svc_oidc.h"
#include "svc/svc_worker.h"

static const struct pw_params fast = {64, 1, 1};
#define DAY 86400
/* 2027-01-15T08:00:00Z: 8 hours into a UTC day */
static int64_t clock_now = 1800000000;
static int64_t test_now(void) { return clock_now; }
static int64_t midnight(void) { return clock_now - clock_now % DAY; }

struct env {
	struct store *st;
	struct svc sv;
	struct tg_config cfg;
	struct tg_tenant t1, t2;
	struct tg_user alice, bob;
	int n;                         /* ids */
};

static int env_open(struct env *e)
{
	memset(e, 0, sizeof *e);
	clock_now = 1800000000;
	struct store_open_opts so = {.dsn = ":memory:", .create = true};
	if (store_open("sqlite", &so, &e->st))
		return -1;
	svc_init(&e->sv, e->st, &fast, "test:housekeep");
	e->sv.now = test_now;
	config_defaults(&e->cfg, NULL);
	if (svc_tenant_create(&e->sv, "contoso", "contoso.test", NULL, &e->t1) ||
	    svc_tenant_create(&e->sv, "fabrikam", "fabrikam.test", NULL, &e->t2))
		return -1;
	struct svc_user_input a = {.upn = "alice@contoso.test"}, b = {.upn = "bob@fabrikam.test"};
	if (svc_user_create(&e->sv, &e->t1, &a, &e->alice) ||
	    svc_user_create(&e->sv, &e->t2, &b, &e->bob))
		return -1;
	return svc_app_ensure_builtin(&e->sv, &e->t1, NULL);
}

static void digest(struct store_digest *d, int n)
{
	memset(d, 0, sizeof *d);
	d->len = 33;
	snprintf((char *)d->b, sizeof d->b, "digest-%d", n);
}

static void session(struct env *e, const char *id, int64_t last_seen, int64_t expires, bool revoked)
{
	struct store_session s;
	memset(&s, 0, sizeof s);
	tg_strlcpy(s.id, id, sizeof s.id);
	digest(&s.digest, ++e->n);
	tg_strlcpy(s.tenant_id, e->t1.id, sizeof s.tenant_id);
	tg_strlcpy(s.user_id, e->alice.id, sizeof s.user_id);
	s.created = last_seen;
	s.last_seen = last_seen;
	s.expires = expires;
	s.revoked = revoked;
	if (store_session_insert(e->st, &s))
		TG_T_FAIL("session %s", id);
}

static void device(struct env *e, int64_t expires)
{
	struct store_device d;
	memset(&d, 0, sizeof d);
	digest(&d.digest, ++e->n);
	tg_strlcpy(d.tenant_id, e->t1.id, sizeof d.tenant_id);
	tg_strlcpy(d.user_id, e->alice.id, sizeof d.user_id);
	d.created = clock_now - 10 * DAY;
	d.expires = expires;
	if (store_device_insert(e->st, &d))
		TG_T_FAIL("device");
}

static void code(struct env *e, int64_t expires)
{
	struct store_code c;
	memset(&c, 0, sizeof c);
	digest(&c.digest, ++e->n);
	tg_strlcpy(c.tenant_id, e->t1.id, sizeof c.tenant_id);
	tg_strlcpy(c.client_id, SVC_APP_ADMIN_PORTAL, sizeof c.client_id);
	tg_strlcpy(c.user_id, e->alice.id, sizeof c.user_id);
	tg_strlcpy(c.redirect_uri, "https://app.contoso.test/cb", sizeof c.redirect_uri);
	snprintf(c.family_id, sizeof c.family_id, "66666666-0000-4000-8000-%012d", e->n);
	tg_strlcpy(c.scope, "openid", sizeof c.scope);
	c.created = expires - 60;
	c.expires = expires;
	if (store_code_insert(e->st, &c))
		TG_T_FAIL("code");
}

static void signin(struct env *e, const struct tg_tenant *t, int64_t time, char id_out[TG_ID_BUF])
{
	struct store_signin r;
	memset(&r, 0, sizeof r);
	snprintf(r.id, sizeof r.id, "eeeeeeee-0000-4000-8000-%012d", ++e->n);
	tg_strlcpy(r.tenant_id, t->id, sizeof r.tenant_id);
	r.time = time;
	r.json = "{}";
	if (store_signin_insert(e->st, &r))
		TG_T_FAIL("signin");
	if (id_out)
		tg_strlcpy(id_out, r.id, TG_ID_BUF);
}

static bool has_signin(struct env *e, const struct tg_tenant *t, const char *id)
{
	struct store_signin r = {0};
	int rc = store_signin_get(e->st, t->id, id, &r);
	store_signin_cleanup(&r);
	return rc == TG_OK;
}

static bool has_session(struct env *e, const char *id)
{
	struct store_session s;
	return store_session_get_id(e->st, id, &s) == TG_OK;
}

struct audits { int n; char actor[64]; char after[256]; };

static int audit_cb(const struct tg_audit *a, void *arg)
{
	struct audits *x = arg;
	x->n++;
	tg_strlcpy(x->actor, a->actor, sizeof x->actor);
	tg_strlcpy(x->after, a->after, sizeof x->after);
	return 0;
}

static struct audits audits(struct env *e, const struct tg_tenant *t)
{
	struct audits x = {0};
	struct audit_query q = {.tenant_id = t->id, .action_prefix = "signins.retention", .limit = 100};
	if (store_audit_list(e->st, &q, audit_cb, &x))
		TG_T_FAIL("audit list");
	return x;
}

#define S_LIVE    "55555555-0000-4000-8000-000000000001"
#define S_IDLE    "55555555-0000-4000-8000-000000000002"
#define S_EXPIRED "55555555-0000-4000-8000-000000000003"
#define S_REVOKED "55555555-0000-4000-8000-000000000004"

static void round_purges_dead_and_old(void)
{
	struct env e;
	REQUIRE(env_open(&e) == 0);
	/* sessions: idle 30 minutes, absolute 12 hours by default */
	session(&e, S_LIVE, clock_now - 29 * 60, clock_now + 3600, false);
	session(&e, S_IDLE, clock_now - 31 * 60, clock_now + 3600, false);
	session(&e, S_EXPIRED, clock_now - 60, clock_now - 1, false);
	session(&e, S_REVOKED, clock_now - 60, clock_now + 3600, true);
	device(&e, clock_now - 1);
	device(&e, clock_now + DAY);
	code(&e, clock_now - SVC_CODE_KEEP - 1);   /* past the replay window */
	code(&e, clock_now - 10);                  /* expired, kept to catch a replay */
	/* sign-ins, retention 30 days: the cutoff is 00:00 UTC 30 days ago */
	int64_t cutoff = midnight() - 30 * DAY;
	char old1[TG_ID_BUF], old2[TG_ID_BUF], at_cut[TG_ID_BUF], recent[TG_ID_BUF];
	char old_t2[TG_ID_BUF], new_t2[TG_ID_BUF];
	signin(&e, &e.t1, clock_now - 400 * DAY, old1);
	signin(&e, &e.t1, cutoff - 1, old2);
	signin(&e, &e.t1, cutoff, at_cut);
	signin(&e, &e.t1, clock_now - 3600, recent);
	signin(&e, &e.t2, clock_now - 31 * DAY, old_t2);
	signin(&e, &e.t2, clock_now - 29 * DAY, new_t2);

	struct svc_housekeep_report rep;
	CHECK_OK(svc_housekeep_run(&e.sv, &e.cfg, &rep));
	CHECK_INT(rep.oidc.sessions, 3);
	CHECK_INT(rep.oidc.devices, 1);
	CHECK_INT(rep.oidc.codes, 1);
	CHECK_INT(rep.signins, 3);
	CHECK_INT(rep.tenants, 2);
	CHECK_INT(rep.signins_before, cutoff);
	CHECK(!rep.more);
	CHECK(has_session(&e, S_LIVE));
	CHECK(!has_session(&e, S_IDLE));
	CHECK(!has_session(&e, S_EXPIRED));
	CHECK(!has_session(&e, S_REVOKED));
	CHECK(!has_signin(&e, &e.t1, old1));
	CHECK(!has_signin(&e, &e.t1, old2));
	CHECK(has_signin(&e, &e.t1, at_cut));
	CHECK(has_signin(&e, &e.t1, recent));
	CHECK(!has_signin(&e, &e.t2, old_t2));
	CHECK(has_signin(&e, &e.t2, new_t2));
	struct audits a1 = audits(&e, &e.t1), a2 = audits(&e, &e.t2);
	CHECK_INT(a1.n, 1);
	CHECK_STR(a1.actor, "test:housekeep");
	CHECK(strstr(a1.after, "\"deleted\":2") != NULL);
	CHECK(strstr(a1.after, "\"retentionDays\":30") != NULL);
	CHECK_INT(a2.n, 1);
	CHECK(strstr(a2.after, "\"deleted\":1") != NULL);

	/* again at once: nothing left, nothing audited */
	CHECK_OK(svc_housekeep_run(&e.sv, &e.cfg, &rep));
	CHECK_INT(rep.oidc.sessions + rep.oidc.devices + rep.oidc.codes + rep.signins, 0);
	CHECK_INT(audits(&e, &e.t1).n, 1);

	/* later the same day the cutoff does not move; the next day it does */
	clock_now = midnight() + DAY - 1;
	session(&e, "55555555-0000-4000-8000-000000000005", clock_now, clock_now + 3600, false);
	CHECK_OK(svc_housekeep_run(&e.sv, &e.cfg, &rep));
	CHECK_INT(rep.signins, 0);
	CHECK(!has_session(&e, S_LIVE));           /* idle by now */
	CHECK(has_session(&e, "55555555-0000-4000-8000-000000000005"));
	CHECK(has_signin(&e, &e.t1, at_cut));
	clock_now += 1;
	CHECK_OK(svc_housekeep_run(&e.sv, &e.cfg, &rep));
	CHECK_INT(rep.signins, 1);                  /* at_cut is now a day too old */
	CHECK(!has_signin(&e, &e.t1, at_cut));
	CHECK(has_signin(&e, &e.t1, recent));
	store_close(e.st);
}

static void retention_zero_keeps_all(void)
{
	struct env e;
	REQUIRE(env_open(&e) == 0);
	char ancient[TG_ID_BUF];
	signin(&e, &e.t1, 1, ancient);
	signin(&e, &e.t2, clock_now - 3650 * (int64_t)DAY, NULL);
	session(&e, S_EXPIRED, clock_now - 60, clock_now - 1, false);
	e.cfg.housekeep.signin_retention_days = 0;
	struct svc_housekeep_report rep;
	CHECK_OK(svc_housekeep_run(&e.sv, &e.cfg, &rep));
	CHECK_INT(rep.signins, 0);
	CHECK_INT(rep.signins_before, 0);
	CHECK_INT(rep.oidc.sessions, 1);           /* the purge still runs */
	CHECK(has_signin(&e, &e.t1, ancient));
	CHECK_INT(audits(&e, &e.t1).n, 0);
	/* one day: yesterday's records stay, older go */
	e.cfg.housekeep.signin_retention_days = 1;
	CHECK_OK(svc_housekeep_run(&e.sv, &e.cfg, &rep));
	CHECK_INT(rep.signins, 2);
	CHECK_INT(rep.signins_before, midnight() - DAY);
	store_close(e.st);
}

static void round_is_bounded(void)
{
	struct env e;
	REQUIRE(env_open(&e) == 0);
	int total = SVC_HOUSEKEEP_BATCH * SVC_HOUSEKEEP_MAX_BATCHES + 1500;
	CHECK_OK(store_tx_begin(e.st));
	for (int i = 0; i < total; i++)
		signin(&e, i % 2 ? &e.t1 : &e.t2, 1000 + i, NULL);
	char young[TG_ID_BUF];
	signin(&e, &e.t1, clock_now, young);
	CHECK_OK(store_tx_commit(e.st));
	struct svc_housekeep_report rep;
	/* at most SVC_HOUSEKEEP_MAX_BATCHES statements: fewer rows when a
	 * tenant's last batch was not full */
	CHECK_OK(svc_housekeep_run(&e.sv, &e.cfg, &rep));
	int64_t first = rep.signins;
	CHECK(first > (int64_t)SVC_HOUSEKEEP_BATCH * (SVC_HOUSEKEEP_MAX_BATCHES - 2));
	CHECK(first <= (int64_t)SVC_HOUSEKEEP_BATCH * SVC_HOUSEKEEP_MAX_BATCHES);
	CHECK(rep.more);
	CHECK_OK(svc_housekeep_run(&e.sv, &e.cfg, &rep));
	CHECK_INT(first + rep.signins, total);
	CHECK(!rep.more);
	CHECK(has_signin(&e, &e.t1, young));
	CHECK_OK(svc_housekeep_run(&e.sv, &e.cfg, &rep));
	CHECK_INT(rep.signins, 0);
	store_close(e.st);
}

static void cutoff_arithmetic(void)
{
	CHECK_INT(svc_housekeep_signin_cutoff(1800000000, 0), 0);
	CHECK_INT(svc_housekeep_signin_cutoff(10 * DAY, 1), 9 * DAY);
	CHECK_INT(svc_housekeep_signin_cutoff(10 * DAY + DAY - 1, 1), 9 * DAY);
	CHECK_INT(svc_housekeep_signin_cutoff(10 * DAY + 5, 30), -20 * DAY);
	CHECK_INT(svc_housekeep_signin_cutoff(0, 30), 0);
}

static void config_keys(void)
{
	struct tg_config c;
	char err[256];
	config_defaults(&c, NULL);
	CHECK_INT(c.housekeep.signin_retention_days, 30);
	CHECK_INT(c.housekeep.interval_seconds, 300);
	const char text[] = "signin_log_retention_days = 0\nhousekeeping_interval_seconds = 60\n";
	CHECK_OK(config_apply_text(&c, text, sizeof text - 1, err, sizeof err));
	CHECK_INT(c.housekeep.signin_retention_days, 0);
	CHECK_INT(c.housekeep.interval_seconds, 60);
	CHECK_OK(config_set(&c, "signin_log_retention_days", "3650", err, sizeof err));
	CHECK_INT(c.housekeep.signin_retention_days, 3650);
	const char *bad[][2] = {
		{"signin_log_retention_days", "3651"}, {"signin_log_retention_days", "-1"},
		{"signin_log_retention_days", "30d"}, {"signin_log_retention_days", ""},
		{"housekeeping_interval_seconds", "0"}, {"housekeeping_interval_seconds", "86401"},
		{"housekeeping_interval_seconds", "5m"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		err[0] = '\0';
		CHECK_INT(config_set(&c, bad[i][0], bad[i][1], err, sizeof err), TG_ERR_INVALID);
		CHECK(strstr(err, bad[i][0]) != NULL);
	}
	CHECK_INT(c.housekeep.signin_retention_days, 3650);   /* unchanged by the bad ones */
	CHECK_INT(c.housekeep.interval_seconds, 60);
	setenv("TOLLGATE_SIGNIN_LOG_RETENTION_DAYS", "90", 1);
	setenv("TOLLGATE_HOUSEKEEPING_INTERVAL_SECONDS", "600", 1);
	CHECK_OK(config_apply_env(&c, err, sizeof err));
	CHECK_INT(c.housekeep.signin_retention_days, 90);
	CHECK_INT(c.housekeep.interval_seconds, 600);
	setenv("TOLLGATE_SIGNIN_LOG_RETENTION_DAYS", "forever", 1);
	CHECK_INT(config_apply_env(&c, err, sizeof err), TG_ERR_INVALID);
	CHECK(strstr(err, "TOLLGATE_SIGNIN_LOG_RETENTION_DAYS") != NULL);
	unsetenv("TOLLGATE_SIGNIN_LOG_RETENTION_DAYS");
	unsetenv("TOLLGATE_HOUSEKEEPING_INTERVAL_SECONDS");
}

/* ---- the periodic worker ---- */

struct counter {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int rounds;
	int more;                      /* rounds still to report "more" */
};

static bool count_round(void *arg)
{
	struct counter *c = arg;
	pthread_mutex_lock(&c->lock);
	c->rounds++;
	bool more = c->more > 0;
	if (more)
		c->more--;
	pthread_cond_broadcast(&c->cond);
	pthread_mutex_unlock(&c->lock);
	return more;
}

/* Wait up to 5 s for at least n rounds; the count seen. */
static int wait_rounds(struct counter *c, int n)
{
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += 5;
	pthread_mutex_lock(&c->lock);
	while (c->rounds < n)
		if (pthread_cond_timedwait(&c->cond, &c->lock, &until) != 0)
			break;
	int got = c->rounds;
	pthread_mutex_unlock(&c->lock);
	return got;
}

static void worker_rounds(void)
{
	struct counter c = {.lock = PTHREAD_MUTEX_INITIALIZER, .cond = PTHREAD_COND_INITIALIZER};
	c.more = 3;
	struct svc_worker *w = NULL;
	/* an hour between rounds: every round below comes from start, "more" or wake */
	CHECK_OK(svc_worker_start("test", count_round, &c, 3600, &w));
	REQUIRE(w);
	CHECK_INT(wait_rounds(&c, 4), 4);          /* at start, then 3 more at once */
	struct timespec pause = {0, 50 * 1000 * 1000};
	nanosleep(&pause, NULL);
	pthread_mutex_lock(&c.lock);
	CHECK_INT(c.rounds, 4);                    /* and then it waits */
	pthread_mutex_unlock(&c.lock);
	svc_worker_wake(w);
	CHECK_INT(wait_rounds(&c, 5), 5);
	svc_worker_wake(w);
	CHECK_INT(wait_rounds(&c, 6), 6);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	svc_worker_stop(w);                        /* does not wait out the hour */
	clock_gettime(CLOCK_MONOTONIC, &t1);
	CHECK(t1.tv_sec - t0.tv_sec < 2);
	CHECK_INT(c.rounds, 6);
	svc_worker_stop(NULL);
}

static void housekeep_worker(void)
{
	/* the serve worker on a database file: a round at start, clean stop */
	char dir[] = "/tmp/tg-housekeep.XXXXXX";
	REQUIRE(mkdtemp(dir));
	char path[128];
	snprintf(path, sizeof path, "%s/tollgate.db", dir);
	struct store_open_opts so = {.dsn = path, .create = true};
	struct store *st = NULL;
	REQUIRE(store_open("sqlite", &so, &st) == TG_OK);
	struct svc sv;
	svc_init(&sv, st, &fast, "test");
	struct tg_tenant t;
	REQUIRE(svc_tenant_create(&sv, "contoso", "contoso.test", NULL, &t) == TG_OK);
	struct store_signin r;
	memset(&r, 0, sizeof r);
	tg_strlcpy(r.id, "eeeeeeee-0000-4000-8000-000000000001", sizeof r.id);
	tg_strlcpy(r.tenant_id, t.id, sizeof r.tenant_id);
	r.time = 1000;                             /* 1970: long past any retention */
	r.json = "{}";
	CHECK_OK(store_signin_insert(st, &r));
	struct tg_config cfg;
	config_defaults(&cfg, dir);
	struct svc_housekeep_worker *hw = NULL;
	CHECK_OK(svc_housekeep_worker_start(&cfg, &hw));
	int gone = 0;
	for (int i = 0; i < 100 && !gone; i++) {
		struct store_signin x = {0};
		gone = store_signin_get(st, t.id, r.id, &x) == TG_ERR_NOT_FOUND;
		if (!gone) {
			store_signin_cleanup(&x);
			struct timespec pause = {0, 50 * 1000 * 1000};
			nanosleep(&pause, NULL);
		}
	}
	CHECK(gone);
	svc_housekeep_worker_stop(hw);
	svc_housekeep_worker_stop(NULL);
	store_close(st);
	char side[160];
	unlink(path);
	snprintf(side, sizeof side, "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", path);
	unlink(side);
	rmdir(dir);
}

int main(void)
{
	TEST(round_purges_dead_and_old);
	TEST(retention_zero_keeps_all);
	TEST(round_is_bounded);
	TEST(cutoff_arithmetic);
	TEST(config_keys);
	TEST(worker_rounds);
	TEST(housekeep_worker);
	return tg_test_done();
}
