/* SPDX-License-Identifier: MIT
 * Housekeeping (svc_housekeep.h): the purge of dead sessions and tokens,
 * the sign-in log retention, and the periodic worker of `tollgate serve`.
 *
 * Sections: retention, round, worker. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/err.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/str.h"
#include "store/store_policy.h"
#include "svc/svc_housekeep.h"
#include "svc/svc_int.h"
#include "svc/svc_oidc.h"
#include "svc/svc_worker.h"

_Static_assert(SVC_HOUSEKEEP_BATCH <= TG_MAX_SIGNIN_PURGE_BATCH, "a batch the store accepts");

/* ---------------------------------------------------------------- retention */

int64_t svc_housekeep_signin_cutoff(int64_t now, unsigned days)
{
	if (days == 0 || now <= 0)
		return 0;
	int64_t today = now - now % 86400;
	return today - (int64_t)days * 86400;
}

struct tenant_ids {
	size_t n, cap;
	struct { char id[TG_ID_BUF]; char name[TG_MAX_TENANT_NAME + 1]; } *v;
};

static int collect_tenant(const struct tg_tenant *t, void *arg)
{
	struct tenant_ids *ts = arg;
	if (ts->n == ts->cap) {
		ts->cap = ts->cap ? ts->cap * 2 : 8;
		ts->v = xrealloc(ts->v, ts->cap * sizeof ts->v[0]);
	}
	tg_strlcpy(ts->v[ts->n].id, t->id, sizeof ts->v[ts->n].id);
	tg_strlcpy(ts->v[ts->n].name, t->name, sizeof ts->v[ts->n].name);
	ts->n++;
	return 0;
}

/* Delete one tenant's records older than before, batch by batch, while
 * *budget batches remain; audit what went. */
static int purge_tenant(struct svc *sv, const char *tid, const char *tname, int64_t before,
                        unsigned days, int *budget, struct svc_housekeep_report *rep)
{
	int64_t total = 0, n = SVC_HOUSEKEEP_BATCH;
	int r = TG_OK;
	while (n == SVC_HOUSEKEEP_BATCH) {
		if (*budget == 0) {
			rep->more = true;
			break;
		}
		(*budget)--;
		if ((r = store_signin_purge(sv->store, tid, before, SVC_HOUSEKEEP_BATCH, &n))) {
			svc_store_fail(sv, r, "deleting old sign-in records");
			break;
		}
		total += n;
		rep->signins += n;
	}
	if (total == 0)
		return r;
	rep->tenants++;
	char iso[TG_TIME_ISO_LEN], after[160];
	tg_time_iso(before, iso);
	snprintf(after, sizeof after,
	         "{\"deleted\":%" PRId64 ",\"olderThan\":\"%s\",\"retentionDays\":%u}", total, iso,
	         days);
	int a = svc_audit(sv, tid, "signins.retention", tname, NULL, after);
	return r ? r : a;
}

/* -------------------------------------------------------------------- round */

int svc_housekeep_run(struct svc *sv, const struct tg_config *cfg, struct svc_housekeep_report *rep)
{
	memset(rep, 0, sizeof *rep);
	struct svc_oidc o;
	svc_oidc_init(&o, sv, NULL, cfg); /* the purge needs no keys */
	int r = svc_oidc_purge(&o, &rep->oidc);
	if (r)
		return r;
	unsigned days = cfg->housekeep.signin_retention_days;
	rep->signins_before = svc_housekeep_signin_cutoff(svc_now(sv), days);
	if (rep->signins_before > 0) {
		struct tenant_ids ts = {0};
		if ((r = store_tenant_list(sv->store, collect_tenant, &ts)))
			svc_store_fail(sv, r, "listing tenants");
		/* a tenant reached with no budget left sets rep->more */
		int budget = SVC_HOUSEKEEP_MAX_BATCHES;
		for (size_t i = 0; !r && i < ts.n && !rep->more; i++)
			r = purge_tenant(sv, ts.v[i].id, ts.v[i].name, rep->signins_before, days, &budget,
			                 rep);
		free(ts.v);
	}
	const struct store_oidc_purged *p = &rep->oidc;
	if (p->sessions || p->devices || p->codes || p->families || p->tokens || p->jtis ||
	    rep->signins) {
		char iso[TG_TIME_ISO_LEN] = "";
		if (rep->signins)
			tg_time_iso(rep->signins_before, iso);
		log_info("housekeeping: removed %" PRId64 " sessions, %" PRId64 " remembered devices, "
		         "%" PRId64 " codes, %" PRId64 " refresh tokens, %" PRId64 " token families, "
		         "%" PRId64 " revoked token ids, %" PRId64 " sign-in records%s%s%s",
		         p->sessions, p->devices, p->codes, p->tokens, p->families, p->jtis,
		         rep->signins, rep->signins ? " older than " : "", iso,
		         rep->more ? " (more to do)" : "");
	}
	return r;
}

/* ------------------------------------------------------------------- worker */

struct svc_housekeep_worker {
	struct svc_worker *w;
	const struct tg_config *cfg;
	struct store *st;             /* the worker thread's; closed after the join */
};

static bool worker_round(void *arg)
{
	struct svc_housekeep_worker *hw = arg;
	if (!hw->st) {
		struct store_open_opts o = {.dsn = hw->cfg->db_path, .create = false};
		int r = store_open("sqlite", &o, &hw->st);
		if (r) {
			log_error("housekeeping: cannot open the database %s: %s", hw->cfg->db_path,
			          tg_strerror(r));
			hw->st = NULL;
			return false;
		}
	}
	struct svc sv;
	svc_init(&sv, hw->st, &hw->cfg->pw, "system:housekeeping");
	struct svc_housekeep_report rep;
	if (svc_housekeep_run(&sv, hw->cfg, &rep)) {
		log_error("housekeeping: %s", sv.err);
		/* a fresh handle next round */
		store_close(hw->st);
		hw->st = NULL;
		return false;
	}
	return rep.more;
}

int svc_housekeep_worker_start(const struct tg_config *cfg, struct svc_housekeep_worker **out)
{
	*out = NULL;
	struct svc_housekeep_worker *hw = xcalloc(1, sizeof *hw);
	hw->cfg = cfg;
	int r = svc_worker_start("housekeeping", worker_round, hw, cfg->housekeep.interval_seconds,
	                         &hw->w);
	if (r) {
		free(hw);
		return r;
	}
	if (cfg->housekeep.signin_retention_days)
		log_info("housekeeping: every %u s; sign-in records kept %u days",
		         cfg->housekeep.interval_seconds, cfg->housekeep.signin_retention_days);
	else
		log_info("housekeeping: every %u s; sign-in records kept forever "
		         "(signin_log_retention_days = 0)", cfg->housekeep.interval_seconds);
	*out = hw;
	return TG_OK;
}

void svc_housekeep_worker_stop(struct svc_housekeep_worker *hw)
{
	if (!hw)
		return;
	svc_worker_stop(hw->w);
	store_close(hw->st);
	free(hw);
}
