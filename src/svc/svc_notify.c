/* SPDX-License-Identifier: MIT
 * Notices emailed to users (see svc_notify.h): the switches, queueing in
 * the caller's transaction, delivery with a lease and retries, and the
 * background worker of `tollgate serve`.
 *
 * Sections: switches, queueing, delivery, list, worker. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "base/err.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/str.h"
#include "crypto/rng.h"
#include "store/store_auth.h"
#include "svc/svc_int.h"
#include "svc/svc_notify.h"
#include "svc/svc_worker.h"

/* ----------------------------------------------------------------- switches */

static atomic_bool process_on = true;

void svc_notify_set_enabled(bool on)
{
	atomic_store(&process_on, on);
}

bool svc_notify_enabled(void)
{
	return atomic_load(&process_on);
}

int svc_notify_tenant_enabled(struct svc *sv, const struct tg_tenant *t, bool *out)
{
	char *v = NULL;
	int r = store_setting_get(sv->store, t->id, SVC_SETTING_NOTIFY_MFA, &v);
	if (r == TG_ERR_NOT_FOUND) {
		*out = true;
		return TG_OK;
	}
	if (r)
		return svc_store_fail(sv, r, "reading the tenant's notification setting");
	bool on = strcmp(v, "false") != 0;
	free(v);
	*out = on;
	return TG_OK;
}

int svc_notify_tenant_set(struct svc *sv, const struct tg_tenant *t, bool on)
{
	bool before;
	int r = store_tx_begin(sv->store);
	if (r)
		return svc_store_fail(sv, r, "changing the notification setting");
	if ((r = svc_notify_tenant_enabled(sv, t, &before)))
		goto fail;
	const char *v = on ? "true" : "false";
	if ((r = store_setting_set(sv->store, t->id, SVC_SETTING_NOTIFY_MFA, v))) {
		svc_store_fail(sv, r, "changing the notification setting");
		goto fail;
	}
	char b[64], a[64];
	snprintf(b, sizeof b, "{\"mfaEnabled\":%s}", before ? "true" : "false");
	snprintf(a, sizeof a, "{\"mfaEnabled\":%s}", v);
	if ((r = svc_audit(sv, t->id, "notify.settings", t->name, b, a)))
		goto fail;
	if ((r = store_tx_commit(sv->store))) {
		svc_store_fail(sv, r, "changing the notification setting");
		goto fail;
	}
	return TG_OK;
fail:
	store_tx_rollback(sv->store);
	return r;
}

/* ----------------------------------------------------------------- queueing */

struct email_method {
	char addr[TG_MAX_EMAIL + 1];
};

static int find_email_method(const struct store_method *m, void *arg)
{
	struct email_method *e = arg;
	if (!e->addr[0] && m->status == STORE_METHOD_ACTIVE && strcmp(m->kind, STORE_KIND_EMAIL) == 0)
		tg_strlcpy(e->addr, m->detail, sizeof e->addr);
	return 0;
}

int svc_notify_mfa_prepare(struct svc *sv, const struct tg_tenant *t, const char *user_id,
                           enum mfa_state from, enum mfa_state to, bool has_methods,
                           struct store_notification *n_out, enum svc_notify_outcome *outcome_out)
{
	*outcome_out = SVC_NOTIFY_OFF;
	if (from != MFA_STATE_DISABLED || (to != MFA_STATE_ENABLED && to != MFA_STATE_ENFORCED) ||
	    !svc_notify_enabled())
		return TG_OK;
	bool tenant_on;
	int r = svc_notify_tenant_enabled(sv, t, &tenant_on);
	if (r || !tenant_on)
		return r;
	struct tg_user u;
	if ((r = store_user_get(sv->store, user_id, &u)))
		return svc_store_fail(sv, r, "reading the user to notify");
	tg_wipe(u.pwhash, sizeof u.pwhash);
	struct email_method em = {{0}};
	if (!u.email[0] && (r = store_method_list(sv->store, u.id, find_email_method, &em)))
		return svc_store_fail(sv, r, "reading the user's email method");
	const char *to_addr = u.email[0] ? u.email : em.addr;
	if (!to_addr[0]) {
		*outcome_out = SVC_NOTIFY_NO_ADDRESS;
		return TG_OK;
	}
	struct store_notification n;
	memset(&n, 0, sizeof n);
	tg_strlcpy(n.tenant_id, t->id, sizeof n.tenant_id);
	tg_strlcpy(n.user_id, u.id, sizeof n.user_id);
	tg_strlcpy(n.kind, has_methods ? STORE_NOTIFY_MFA_REQUIRED : STORE_NOTIFY_MFA_REGISTER,
	           sizeof n.kind);
	tg_strlcpy(n.locale, u.locale, sizeof n.locale);
	tg_strlcpy(n.to, to_addr, sizeof n.to);
	n.status = STORE_NOTIFY_PENDING;
	*n_out = n;
	*outcome_out = SVC_NOTIFY_QUEUED;
	return TG_OK;
}

int svc_notify_enqueue(struct svc *sv, struct store_notification *n, int64_t change_seq)
{
	int r = rng_uuid(n->id);
	if (r)
		return svc_fail(sv, r, "no randomness for the notice's id");
	n->change_seq = change_seq;
	n->created = svc_now(sv);
	n->next_attempt = n->created;
	n->attempts = 0;
	n->status = STORE_NOTIFY_PENDING;
	if ((r = store_notify_insert(sv->store, n)))
		return svc_store_fail(sv, r, "queueing the user's notice");
	return TG_OK;
}

/* ----------------------------------------------------------------- delivery */

/* Retry delays in minutes (when base is 60 s): 1, 5, 15 minutes, 1, 2, 4,
 * 8 and 8 hours: nine tries over about 23.4 hours. */
static const unsigned retry_factors[] = {1, 5, 15, 60, 120, 240, 480, 480};
_Static_assert(sizeof retry_factors / sizeof retry_factors[0] == TG_MAX_NOTIFY_ATTEMPTS - 1,
               "one delay between each two of the TG_MAX_NOTIFY_ATTEMPTS tries");

int64_t svc_notify_retry_delay(unsigned attempts, unsigned base)
{
	if (attempts == 0)
		return 0;
	if (attempts >= TG_MAX_NOTIFY_ATTEMPTS)
		return -1;
	return (int64_t)retry_factors[attempts - 1] * (base ? base : 60);
}

void svc_notify_base_url(const struct tg_config *cfg, char *out, size_t size)
{
	if (cfg->public_url[0]) {
		tg_strlcpy(out, cfg->public_url, size);
		size_t n = strlen(out);
		while (n > 0 && out[n - 1] == '/')
			out[--n] = '\0';
		return;
	}
	const char *h = cfg->listen_host;
	bool v6 = strchr(h, ':') != NULL;
	/* an unspecified address is no address to give a user: loopback
	 * (set public_url on any server reached from elsewhere) */
	if (strcmp(h, "0.0.0.0") == 0 || strcmp(h, "::") == 0 || !h[0]) {
		h = "127.0.0.1";
		v6 = false;
	}
	snprintf(out, size, "http://%s%s%s:%u", v6 ? "[" : "", h, v6 ? "]" : "", cfg->port);
}

/* The lease covers one delivery, which is bounded by smtp_timeout. */
static int64_t lease_seconds(const struct auth_config *cfg)
{
	return (int64_t)cfg->smtp_timeout + 60;
}

static enum channel_notice_kind notice_kind(const char *kind)
{
	return strcmp(kind, STORE_NOTIFY_MFA_REQUIRED) == 0 ? CHANNEL_NOTICE_MFA_REQUIRED
	                                                    : CHANNEL_NOTICE_MFA_REGISTER;
}

/* Deliver one claimed notice and record the outcome. */
static int deliver_one(struct svc_notify_sender *s, const struct store_notification *n,
                       int64_t now, struct svc_notify_run_report *rep)
{
	struct svc *sv = s->sv;
	struct tg_tenant t;
	struct tg_user u;
	int r = store_tenant_get(sv->store, n->tenant_id, &t);
	if (!r)
		r = store_user_get(sv->store, n->user_id, &u);
	if (r && r != TG_ERR_NOT_FOUND)
		return svc_store_fail(sv, r, "reading a notice's user");
	char err[512] = "";
	int sent;
	if (r == TG_ERR_NOT_FOUND) {
		/* the user went away between the claim and now */
		snprintf(err, sizeof err, "the user no longer exists");
		sent = TG_ERR_NOT_FOUND;
		u.upn[0] = '\0';
	} else {
		tg_wipe(u.pwhash, sizeof u.pwhash);
		char url[TG_MAX_PATH];
		snprintf(url, sizeof url, "%s/%s/signin/", s->base_url ? s->base_url : "", t.name);
		struct channel_notice cn = {
			.kind = notice_kind(n->kind),
			.to = n->to,
			.locale = n->locale,
			.name = u.display_name,
			.upn = u.upn,
			.issuer = t.display_name[0] ? t.display_name : t.name,
			.url = url,
			.ref = n->id,
			.now = now,
		};
		sent = s->deliver ? s->deliver(s->deliver_arg, &cn, err, sizeof err)
		                  : channel_send_notice(s->cfg, &cn, err, sizeof err);
		if (sent && !err[0])
			snprintf(err, sizeof err, "%s", tg_strerror(sent));
	}
	if (sent == TG_OK) {
		rep->sent++;
		log_info("notice %s (%s) to %s: sent", n->id, n->kind, u.upn);
		r = store_notify_mark_sent(sv->store, n->id, n->attempts, now);
	} else {
		int64_t delay = svc_notify_retry_delay(n->attempts, s->retry_seconds);
		bool give_up = delay < 0 || sent == TG_ERR_NOT_FOUND;
		if (give_up) {
			rep->failed++;
			log_warn("notice %s (%s) to %s: failed %u times, giving up: %s", n->id, n->kind,
			         u.upn, n->attempts, err);
		} else {
			rep->retrying++;
			log_warn("notice %s (%s) to %s: attempt %u failed, retrying in %lld s: %s", n->id,
			         n->kind, u.upn, n->attempts, (long long)delay, err);
		}
		r = store_notify_mark_failed(sv->store, n->id, n->attempts, give_up ? 0 : now + delay,
		                             give_up, err);
	}
	if (r == TG_ERR_CONFLICT || r == TG_ERR_NOT_FOUND) {
		/* the lease ran out and another worker holds it now, or the user
		 * (and with it the notice) was deleted: theirs to record */
		log_warn("notice %s: no longer ours to record (%s)", n->id, tg_strerror(r));
		return TG_OK;
	}
	if (r)
		return svc_store_fail(sv, r, "recording a notice's delivery");
	return TG_OK;
}

int svc_notify_run_once(struct svc_notify_sender *s, int64_t now, size_t max,
                        struct svc_notify_run_report *rep)
{
	memset(rep, 0, sizeof *rep);
	if (max == 0 || max > TG_MAX_NOTIFY_BATCH)
		return svc_fail(s->sv, TG_ERR_INVALID, "deliver between 1 and %d notices at a time",
		                TG_MAX_NOTIFY_BATCH);
	for (size_t i = 0; i < max; i++) {
		struct store_notification n;
		int r = store_notify_claim(s->sv->store, now, now + lease_seconds(s->cfg), &n);
		if (r == TG_ERR_NOT_FOUND)
			return TG_OK;
		if (r)
			return svc_store_fail(s->sv, r, "claiming a due notice");
		if ((r = deliver_one(s, &n, now, rep)))
			return r;
	}
	return TG_OK;
}

/* --------------------------------------------------------------------- list */

int svc_notify_list(struct svc *sv, const struct tg_tenant *t, int status, int limit,
                    store_notification_cb cb, void *arg)
{
	if (status < -1 || status > STORE_NOTIFY_FAILED)
		return svc_fail(sv, TG_ERR_INVALID, "unknown notice status");
	if (limit < 1 || limit > TG_MAX_NOTIFY_LIST)
		return svc_fail(sv, TG_ERR_INVALID, "the limit must be from 1 to %d", TG_MAX_NOTIFY_LIST);
	struct store_notify_query q = {.tenant_id = t->id, .status = status, .limit = limit};
	int r = store_notify_list(sv->store, &q, cb, arg);
	if (r)
		return svc_store_fail(sv, r, "listing notices");
	return TG_OK;
}

/* ------------------------------------------------------------------- worker */

/* The notice worker: a periodic svc_worker (svc_worker.h) whose round
 * delivers what is due over the worker's own store handle. */
struct svc_notify_worker {
	struct svc_worker *w;
	const struct tg_config *cfg;
	struct store *st;             /* the worker thread's; closed after the join */
	char base_url[TG_MAX_PATH];
};

/* The running worker of this process (one per `serve`), for svc_notify_wake. */
static pthread_mutex_t current_lock = PTHREAD_MUTEX_INITIALIZER;
static struct svc_notify_worker *current;

void svc_notify_wake(void)
{
	pthread_mutex_lock(&current_lock);
	if (current)
		svc_worker_wake(current->w);
	pthread_mutex_unlock(&current_lock);
}

static int64_t wall_now(void)
{
	return (int64_t)time(NULL);
}

/* One round: deliver what is due. true when the batch was full (more may
 * be due: go again without waiting). */
static bool worker_round(void *arg)
{
	struct svc_notify_worker *w = arg;
	if (!w->st) {
		struct store_open_opts o = {.dsn = w->cfg->db_path, .create = false};
		int r = store_open("sqlite", &o, &w->st);
		if (r) {
			log_error("notices: cannot open the database %s: %s", w->cfg->db_path,
			          tg_strerror(r));
			w->st = NULL;
			return false;
		}
	}
	struct svc sv;
	svc_init(&sv, w->st, &w->cfg->pw, "system:notify");
	struct svc_notify_sender s = {
		.sv = &sv,
		.cfg = &w->cfg->auth,
		.base_url = w->base_url,
		.retry_seconds = w->cfg->notify.retry_seconds,
	};
	struct svc_notify_run_report rep;
	enum { BATCH = 50 };
	int r = svc_notify_run_once(&s, wall_now(), BATCH, &rep);
	if (r) {
		log_error("notices: %s", sv.err);
		/* a fresh handle next round */
		store_close(w->st);
		w->st = NULL;
		return false;
	}
	return rep.sent + rep.retrying + rep.failed == BATCH;
}

int svc_notify_worker_start(const struct tg_config *cfg, struct svc_notify_worker **out)
{
	*out = NULL;
	struct svc_notify_worker *nw = xcalloc(1, sizeof *nw);
	nw->cfg = cfg;
	svc_notify_base_url(cfg, nw->base_url, sizeof nw->base_url);
	unsigned poll = cfg->notify.retry_seconds < 10 ? cfg->notify.retry_seconds : 10;
	int r = svc_worker_start("notice", worker_round, nw, poll ? poll : 1, &nw->w);
	if (r) {
		free(nw);
		return r;
	}
	pthread_mutex_lock(&current_lock);
	current = nw;
	pthread_mutex_unlock(&current_lock);
	log_info("notices: delivering to users every %u s at most, sign-in address %s/{tenant}/signin/",
	         poll ? poll : 1, nw->base_url);
	*out = nw;
	return TG_OK;
}

void svc_notify_worker_stop(struct svc_notify_worker *nw)
{
	if (!nw)
		return;
	pthread_mutex_lock(&current_lock);
	if (current == nw)
		current = NULL;
	pthread_mutex_unlock(&current_lock);
	svc_worker_stop(nw->w);
	store_close(nw->st);
	free(nw);
}
