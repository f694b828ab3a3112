/* SPDX-License-Identifier: MIT
 * The periodic background worker (svc_worker.h): a thread, a mutex and a
 * CLOCK_MONOTONIC condition variable. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "base/err.h"
#include "base/log.h"
#include "base/mem.h"
#include "svc/svc_worker.h"

struct svc_worker {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;          /* CLOCK_MONOTONIC */
	bool stop, woken;             /* under lock */
	const char *name;
	svc_worker_round_fn round;
	void *arg;
	unsigned interval;            /* seconds, >= 1 */
};

static void *worker_main(void *p)
{
	struct svc_worker *w = p;
	pthread_mutex_lock(&w->lock);
	while (!w->stop) {
		w->woken = false;
		pthread_mutex_unlock(&w->lock);
		bool more = w->round(w->arg);
		pthread_mutex_lock(&w->lock);
		if (more || w->stop)
			continue;
		struct timespec until;
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_sec += w->interval;
		while (!w->stop && !w->woken) {
			int e = pthread_cond_timedwait(&w->cond, &w->lock, &until);
			if (e == ETIMEDOUT)
				break;
		}
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

int svc_worker_start(const char *name, svc_worker_round_fn round, void *arg,
                     unsigned interval_seconds, struct svc_worker **out)
{
	*out = NULL;
	struct svc_worker *w = xcalloc(1, sizeof *w);
	w->name = name;
	w->round = round;
	w->arg = arg;
	w->interval = interval_seconds ? interval_seconds : 1;
	pthread_condattr_t ca;
	if (pthread_mutex_init(&w->lock, NULL) != 0) {
		free(w);
		return TG_ERR_INTERNAL;
	}
	if (pthread_condattr_init(&ca) != 0) {
		pthread_mutex_destroy(&w->lock);
		free(w);
		return TG_ERR_INTERNAL;
	}
	int e = pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	if (e == 0)
		e = pthread_cond_init(&w->cond, &ca);
	pthread_condattr_destroy(&ca);
	if (e != 0) {
		pthread_mutex_destroy(&w->lock);
		free(w);
		return TG_ERR_INTERNAL;
	}
	/* the thread starts with every signal blocked: SIGTERM and SIGINT
	 * belong to the thread that waits for them (http_serve_until_signal) */
	sigset_t all, old;
	sigfillset(&all);
	e = pthread_sigmask(SIG_SETMASK, &all, &old);
	if (e == 0) {
		e = pthread_create(&w->thread, NULL, worker_main, w);
		pthread_sigmask(SIG_SETMASK, &old, NULL);
	}
	if (e != 0) {
		log_error("cannot start the %s worker: %s", name, strerror(e));
		pthread_cond_destroy(&w->cond);
		pthread_mutex_destroy(&w->lock);
		free(w);
		return TG_ERR_INTERNAL;
	}
	*out = w;
	return TG_OK;
}

void svc_worker_wake(struct svc_worker *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->lock);
	w->woken = true;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
}

void svc_worker_stop(struct svc_worker *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->lock);
	w->stop = true;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	pthread_cond_destroy(&w->cond);
	pthread_mutex_destroy(&w->lock);
	free(w);
}
