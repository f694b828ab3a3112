/* SPDX-License-Identifier: MIT
 * Housekeeping: what `tollgate serve` does every housekeeping_interval_seconds
 * on a background thread and `tollgate maintenance run` does on demand.
 * One round = svc_oidc_purge (sessions past their idle or absolute
 * lifetime or revoked, remembered devices, authorization codes kept past
 * their replay window, refresh tokens and families, revoked access-token
 * ids — nothing that can still be used) plus the sign-in log retention
 * (signin_log_retention_days). Same conventions as svc.h (enum tg_err,
 * reason in sv->err). Design: docs/internals/sessions-and-tokens.md,
 * "Housekeeping". */
#ifndef TG_SVC_SVC_HOUSEKEEP_H
#define TG_SVC_SVC_HOUSEKEEP_H
#include <stdbool.h>
#include <stdint.h>
#include "store/store_oidc.h"
#include "svc/config.h"
#include "svc/svc.h"

/* Sign-in records deleted per statement (each its own short write) and
 * statements per round: one round deletes at most 100,000 records, so a
 * round stays short and `serve` stops promptly; the rest goes in the next
 * round, which the worker runs at once. */
#define SVC_HOUSEKEEP_BATCH       1000
#define SVC_HOUSEKEEP_MAX_BATCHES 100

struct svc_housekeep_report {
	struct store_oidc_purged oidc;   /* sessions, devices, codes, families, tokens, jtis */
	int64_t signins;                 /* sign-in records deleted (all tenants) */
	int64_t signins_before;          /* records older than this were due; 0 = kept forever */
	int64_t tenants;                 /* tenants whose sign-in log lost records */
	bool more;                       /* stopped at SVC_HOUSEKEEP_MAX_BATCHES: more may be due */
};

/* The retention cutoff for `days` at time now: the start (00:00 UTC) of
 * the day `days` days before today, so records are kept at least `days`
 * full days and at most one more, and the log loses records once a day
 * (one audit record per tenant and day). 0 when days is 0 (keep forever). */
int64_t svc_housekeep_signin_cutoff(int64_t now, unsigned days);

/* One round at svc_now(sv) (the svc's clock: tests pin it) with cfg's
 * session lifetimes and retention. Sign-in records are deleted tenant by
 * tenant in batches of SVC_HOUSEKEEP_BATCH, oldest first; for each tenant
 * that lost records one audit record "signins.retention" (actor sv's, the
 * count and cutoff) is written. Logged at info level only when something
 * was removed. *rep is filled on TG_OK; on failure it holds what was done
 * before the failure (reason in sv->err). */
int svc_housekeep_run(struct svc *sv, const struct tg_config *cfg, struct svc_housekeep_report *rep);

/* ---- the background worker of `tollgate serve` ---- */

struct svc_housekeep_worker;
/* Start a thread (svc_worker.h) that runs a round at once and then every
 * housekeeping_interval_seconds over its own store handle, as actor
 * "system:housekeeping". cfg is borrowed and must outlive the worker.
 * *out only on TG_OK. */
int svc_housekeep_worker_start(const struct tg_config *cfg, struct svc_housekeep_worker **out);
/* Stop and join (a round in progress finishes its current batch loop
 * first), close its store handle. Accepts NULL. */
void svc_housekeep_worker_stop(struct svc_housekeep_worker *w);

#endif
