/* SPDX-License-Identifier: MIT
 * A periodic background worker for `tollgate serve`: one thread that calls
 * a round function every `interval` seconds (CLOCK_MONOTONIC, so a clock
 * change never stalls or races it), at once when woken, and again without
 * waiting while the round says there is more to do. Used by the notice
 * delivery (svc_notify.c) and housekeeping (svc_housekeep.c); each keeps
 * its own store handle in its round's argument, since a store handle
 * belongs to one thread.
 *
 * The thread starts with every signal blocked: SIGTERM and SIGINT belong
 * to the thread that waits for them (http_serve_until_signal). Stop it
 * before the database it uses goes away. */
#ifndef TG_SVC_SVC_WORKER_H
#define TG_SVC_SVC_WORKER_H
#include <stdbool.h>

/* One round, on the worker's thread. Returns true when there is more to do
 * at once (a full batch): the worker goes again without waiting (but
 * checks for stop first). */
typedef bool (*svc_worker_round_fn)(void *arg);

struct svc_worker;

/* Start a thread named `name` (for logs; borrowed, must outlive the worker)
 * that runs round(arg) at once, then every interval_seconds (at least 1).
 * arg is borrowed and must outlive the worker. *out only on TG_OK;
 * TG_ERR_INTERNAL when the thread cannot be made (logged). */
int svc_worker_start(const char *name, svc_worker_round_fn round, void *arg,
                     unsigned interval_seconds, struct svc_worker **out);
/* Run the next round now (or right after the current one). Thread-safe;
 * w must be running (not yet stopped). */
void svc_worker_wake(struct svc_worker *w);
/* Ask the thread to stop, join it (a round in progress finishes first) and
 * free w. Accepts NULL. After it returns round is never called again. */
void svc_worker_stop(struct svc_worker *w);

#endif
