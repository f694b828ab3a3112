/* SPDX-License-Identifier: MIT
 * The compiled tenant (see svc_policy.h): a reference-counted, immutable
 * snapshot of everything the decision needs, and a per-process cache of one
 * snapshot per tenant keyed by the tenant's policy generation. Reading the
 * generation first and the data after means a snapshot is never older than
 * the generation it is filed under; a change that lands in between only
 * causes one extra rebuild. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include "base/err.h"
#include "base/mem.h"
#include "base/str.h"
#include "store/store_policy.h"
#include "svc/svc_policy.h"
#include "svc/svc_policy_int.h"

struct svc_policy_snapshot {
	atomic_long refs;
	char tenant_id[TG_ID_BUF];
	int64_t generation;
	struct svc_settings settings;
	struct cidr_set trusted;
	struct cidr_set bad_ips;
	struct ca_compiled *ca;
	struct decision_tenant dt;          /* points into the above */
};

struct cache_entry {
	char tenant_id[TG_ID_BUF];
	struct svc_policy_snapshot *snap;
};

struct svc_policy_cache {
	pthread_mutex_t lock;
	size_t n, cap;
	struct cache_entry *v;
};

/* ---------------------------------------------------------------- snapshot */

void svc_policy_snapshot_release(struct svc_policy_snapshot *s)
{
	if (!s || atomic_fetch_sub(&s->refs, 1) != 1)
		return;
	cidr_set_cleanup(&s->trusted);
	cidr_set_cleanup(&s->bad_ips);
	ca_compiled_free(s->ca);
	free(s);
}

const struct decision_tenant *svc_policy_snapshot_tenant(const struct svc_policy_snapshot *s)
{
	return &s->dt;
}

const struct svc_settings *svc_policy_snapshot_settings(const struct svc_policy_snapshot *s)
{
	return &s->settings;
}

const struct cidr_set *svc_policy_snapshot_bad_ips(const struct svc_policy_snapshot *s)
{
	return &s->bad_ips;
}

int64_t svc_policy_snapshot_generation(const struct svc_policy_snapshot *s)
{
	return s->generation;
}

struct bad_acc {
	struct cidr *v;
	size_t n, cap;
};

static int bad_ip_cb(const struct store_bad_ip *b, void *arg)
{
	struct bad_acc *a = arg;
	struct cidr c;
	if (cidr_parse(b->cidr, 0, &c) != TG_OK)
		return 0;   /* stored canonical; never happens */
	if (a->n == a->cap) {
		a->cap = a->cap ? a->cap * 2 : 16;
		a->v = xrealloc(a->v, a->cap * sizeof *a->v);
	}
	a->v[a->n++] = c;
	return 0;
}

/* Build a snapshot of t at `generation`; extra (may be NULL) is appended
 * as an enabled policy. */
static int build(struct svc *sv, const struct tg_tenant *t, int64_t generation, const struct ca_policy *extra,
                 struct svc_policy_snapshot **out)
{
	struct svc_policy_snapshot *s = xcalloc(1, sizeof *s);
	struct ca_policy *pols = NULL;
	struct named_location *locs = NULL;
	struct bad_acc bad = {0};
	size_t np = 0, nl = 0;
	int r;

	atomic_init(&s->refs, 1);
	tg_strlcpy(s->tenant_id, t->id, sizeof s->tenant_id);
	s->generation = generation;
	if ((r = svc_settings_get(sv, t, &s->settings)) ||
	    (r = svc_policy_load_all(sv, t, &pols, &np)) ||
	    (r = svc_location_load_all(sv, t, &locs, &nl)))
		goto out;
	if ((r = store_bad_ip_list(sv->store, t->id, bad_ip_cb, &bad))) {
		svc_store_fail(sv, r, "reading the bad-IP list");
		goto out;
	}
	if (extra) {
		pols = xrealloc(pols, (np + 1) * sizeof *pols);
		ca_policy_init(&pols[np]);
		ca_policy_dup(&pols[np], extra);
		pols[np].state = CA_STATE_ENABLED;
		np++;
	}
	if ((r = ca_compile(pols, np, locs, nl, 0, &s->ca))) {
		svc_fail(sv, r, "cannot compile the tenant's policies: %s", tg_strerror(r));
		goto out;
	}
	cidr_set_build(&s->trusted, s->settings.trusted_ips, s->settings.n_trusted_ips);
	cidr_set_build(&s->bad_ips, bad.v, bad.n);
	s->dt.allow_app_passwords = s->settings.allow_app_passwords;
	s->dt.trusted_ips = &s->trusted;
	s->dt.verification_options = s->settings.verification_options;
	s->dt.remember_mfa_days = s->settings.remember_mfa_days;
	s->dt.security_defaults = s->settings.security_defaults;
	s->dt.security_defaults_since = s->settings.security_defaults_since;
	s->dt.ca = np ? s->ca : NULL;
	*out = s;   /* transferred */
	s = NULL;
out:
	svc_policy_list_free(pols, np);
	svc_location_list_free(locs, nl);
	free(bad.v);
	svc_policy_snapshot_release(s);
	return r;
}

static int read_generation(struct svc *sv, const struct tg_tenant *t, int64_t *g)
{
	int r = store_policy_generation_get(sv->store, t->id, g);
	return r ? svc_store_fail(sv, r, "reading the policy generation") : TG_OK;
}

int svc_policy_snapshot_with(struct svc *sv, const struct tg_tenant *t, const struct ca_policy *extra,
                             struct svc_policy_snapshot **out)
{
	int64_t g;
	int r = read_generation(sv, t, &g);
	return r ? r : build(sv, t, g, extra, out);
}

/* ------------------------------------------------------------------- cache */

struct svc_policy_cache *svc_policy_cache_new(void)
{
	struct svc_policy_cache *c = xcalloc(1, sizeof *c);
	pthread_mutex_init(&c->lock, NULL);
	return c;
}

void svc_policy_cache_free(struct svc_policy_cache *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++)
		svc_policy_snapshot_release(c->v[i].snap);
	free(c->v);
	pthread_mutex_destroy(&c->lock);
	free(c);
}

/* A new reference to the cached snapshot of tenant_id at generation g, or NULL. */
static struct svc_policy_snapshot *cache_find(struct svc_policy_cache *c, const char *tenant_id, int64_t g)
{
	struct svc_policy_snapshot *s = NULL;
	pthread_mutex_lock(&c->lock);
	for (size_t i = 0; i < c->n; i++) {
		if (strcmp(c->v[i].tenant_id, tenant_id) == 0) {
			if (c->v[i].snap->generation == g) {
				s = c->v[i].snap;
				atomic_fetch_add(&s->refs, 1);
			}
			break;
		}
	}
	pthread_mutex_unlock(&c->lock);
	return s;
}

/* File s (the cache takes its own reference), replacing an older one. */
static void cache_put(struct svc_policy_cache *c, struct svc_policy_snapshot *s)
{
	struct svc_policy_snapshot *old = NULL;
	pthread_mutex_lock(&c->lock);
	size_t i;
	for (i = 0; i < c->n; i++)
		if (strcmp(c->v[i].tenant_id, s->tenant_id) == 0)
			break;
	if (i == c->n) {
		if (c->n == c->cap) {
			c->cap = c->cap ? c->cap * 2 : 8;
			c->v = xrealloc(c->v, c->cap * sizeof *c->v);
		}
		tg_strlcpy(c->v[i].tenant_id, s->tenant_id, sizeof c->v[i].tenant_id);
		c->v[i].snap = NULL;
		c->n++;
	}
	if (!c->v[i].snap || c->v[i].snap->generation <= s->generation) {
		old = c->v[i].snap;
		atomic_fetch_add(&s->refs, 1);
		c->v[i].snap = s;
	}
	pthread_mutex_unlock(&c->lock);
	svc_policy_snapshot_release(old);
}

int svc_policy_snapshot_get(struct svc *sv, struct svc_policy_cache *cache, const struct tg_tenant *t,
                            struct svc_policy_snapshot **out)
{
	int64_t g;
	int r = read_generation(sv, t, &g);
	if (r)
		return r;
	struct svc_policy_snapshot *s = cache ? cache_find(cache, t->id, g) : NULL;
	if (!s) {
		if ((r = build(sv, t, g, NULL, &s)))
			return r;
		if (cache)
			cache_put(cache, s);
	}
	*out = s;   /* transferred */
	return TG_OK;
}
