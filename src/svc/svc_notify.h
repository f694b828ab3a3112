/* SPDX-License-Identifier: MIT
 * Notices emailed to users (issue 6 item 4, "users are told"): when an
 * administrator turns per-user MFA on for a user (disabled → enabled or
 * enforced), the user is emailed in their language what will happen at
 * the next sign-in and what to have ready. enabled → enforced sends
 * nothing: the user was told when MFA was enabled, and their sign-in does
 * not change (enforcing only stops legacy clients using the password).
 *
 * Queued, not sent: svc_bulk.c's state change calls svc_notify_mfa_prepare
 * and svc_notify_enqueue inside its own transaction, so a notice exists
 * exactly when the change does (a rolled-back or dry-run change queues
 * nothing) and the administrator's request never waits for a mail server.
 * svc_notify_run_once delivers due notices through the email channel,
 * each under a lease, and retries failures with growing delays for about a
 * day (svc_notify_retry_delay) before giving up; `tollgate serve` runs it
 * on a background thread (svc_notify_worker_*), `tollgate notify run` on
 * demand.
 *
 * Switches: notify_mfa_enabled in the configuration (the whole process:
 * svc_notify_set_enabled) and the tenant setting notify.mfaEnabled
 * (svc_notify_tenant_set). Same conventions as svc.h (enum tg_err, reason
 * in sv->err). Design: docs/internals/notifications.md. */
#ifndef TG_SVC_SVC_NOTIFY_H
#define TG_SVC_SVC_NOTIFY_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/mfa_state.h"
#include "store/store_notify.h"
#include "svc/auth_config.h"
#include "svc/channel.h"
#include "svc/config.h"
#include "svc/svc.h"

/* Tenant setting: "false" turns the notices off for the tenant; absent or
 * "true" = on. */
#define SVC_SETTING_NOTIFY_MFA "notify.mfaEnabled"

/* ---- switches ---- */

/* The process-wide switch (notify_mfa_enabled), set once after the
 * configuration is read (cli_open); on until set. Thread-safe. */
void svc_notify_set_enabled(bool on);
bool svc_notify_enabled(void);
/* The tenant's switch: *out true unless the tenant turned notices off. */
int svc_notify_tenant_enabled(struct svc *sv, const struct tg_tenant *t, bool *out);
/* Turn the tenant's notices on or off; audited "notify.settings". */
int svc_notify_tenant_set(struct svc *sv, const struct tg_tenant *t, bool on);

/* ---- queueing (inside the caller's transaction) ---- */

enum svc_notify_outcome {
	SVC_NOTIFY_QUEUED = 0,      /* a notice will be sent */
	SVC_NOTIFY_NO_ADDRESS = 1,  /* the user has no email address: not told */
	SVC_NOTIFY_OFF = 2,         /* notices are turned off (process or tenant) */
};

/* Decide the notice for an administrator's change of user_id's per-user
 * MFA state from `from` to `to`. A notice is due only when MFA is turned on
 * (from disabled to enabled or enforced) and notices are on (process and
 * tenant); otherwise *outcome_out is SVC_NOTIFY_OFF. Its kind:
 * mfaRegister when the user has no active method (they will be asked to
 * register), else mfaRequired. The address is tg_user.email, else the
 * user's active email method; none: SVC_NOTIFY_NO_ADDRESS. *n_out is
 * filled (all but id and change_seq) only for SVC_NOTIFY_QUEUED. Reads
 * only. */
int svc_notify_mfa_prepare(struct svc *sv, const struct tg_tenant *t, const char *user_id,
                           enum mfa_state from, enum mfa_state to, bool has_methods,
                           struct store_notification *n_out, enum svc_notify_outcome *outcome_out);
/* Insert n (from svc_notify_mfa_prepare) for the change audited as
 * change_seq, with a fresh id, due at once. */
int svc_notify_enqueue(struct svc *sv, struct store_notification *n, int64_t change_seq);

/* ---- delivery ---- */

struct svc_notify_sender {
	struct svc *sv;                  /* store, clock, err */
	const struct auth_config *cfg;   /* the email transport */
	const char *base_url;            /* "https://id.example.com": the sign-in page is
	                                    {base_url}/{tenant}/signin/ */
	unsigned retry_seconds;          /* first retry delay (notify_retry_seconds) */
	/* Tests only: deliver instead of channel_send_notice (NULL = it). */
	int (*deliver)(void *arg, const struct channel_notice *n, char *err, size_t err_size);
	void *deliver_arg;
};

struct svc_notify_run_report {
	size_t sent;       /* accepted by the mail server / written to the outbox */
	size_t retrying;   /* failed; tried again later */
	size_t failed;     /* failed for the last time: given up */
};

/* Deliver up to max (1..TG_MAX_NOTIFY_BATCH) due notices, one claim at a
 * time, at time now. A delivery failure is no error of this call: it is
 * recorded on the notice (retry or give up) and counted. Errors: store
 * failures. Every outcome is logged (notice id, kind, UPN, error; never a
 * secret). */
int svc_notify_run_once(struct svc_notify_sender *s, int64_t now, size_t max,
                        struct svc_notify_run_report *rep);
/* Seconds until the next try after `attempts` failed tries, with the
 * first retry after `base` seconds (then 5, 15, 60, 120, 240, 480 and 480
 * times base / 60 — minutes when base is 60); -1 when attempts reached
 * TG_MAX_NOTIFY_ATTEMPTS: give up. */
int64_t svc_notify_retry_delay(unsigned attempts, unsigned base);
/* The base URL for sign-in addresses: public_url, else built from the
 * listen address ("http://127.0.0.1:8080"). No trailing slash. */
void svc_notify_base_url(const struct tg_config *cfg, char *out, size_t size);

/* A tenant's notices, newest first: status -1 any, else enum
 * store_notify_status; limit 1..TG_MAX_NOTIFY_LIST. */
int svc_notify_list(struct svc *sv, const struct tg_tenant *t, int status, int limit,
                    store_notification_cb cb, void *arg);

/* ---- the background worker of `tollgate serve` ---- */

struct svc_notify_worker;
/* Start a thread that delivers due notices every min(10,
 * notify_retry_seconds) seconds over its own store handle, and at once when
 * svc_notify_wake is called. The thread blocks every
 * signal. cfg is borrowed and must outlive the worker. *out only on TG_OK. */
int svc_notify_worker_start(const struct tg_config *cfg, struct svc_notify_worker **out);
/* Stop and join (a delivery in progress finishes first: bounded by
 * smtp_timeout). Accepts NULL. */
void svc_notify_worker_stop(struct svc_notify_worker *w);
/* Wake the running worker of this process, if any (after a commit that
 * queued notices). Cheap; thread-safe. */
void svc_notify_wake(void);

#endif
