/* SPDX-License-Identifier: MIT
 * Each tenant's token signing keys (see svc_signkeys.h): the sealed ring
 * in the setting row, its creation on first use, rotation, and the
 * server's cache. Sections: the stored form, rings, the cache, rotation. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/b64.h"
#include "base/err.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/str.h"
#include "svc/svc_int.h"
#include "svc/svc_signkeys.h"

/* ---- the stored form: base64 of signkeys_seal ------------------------------ */

#define SEALED_TEXT_MAX B64_ENCODED_LEN(SIGNKEYS_MAX_SEALED)

/* Read the tenant's row: *text_out (malloc'd) or NULL when absent. */
static int ring_text_read(struct svc *sv, const struct tg_tenant *t, char **text_out)
{
	*text_out = NULL;
	int r = store_setting_get(sv->store, t->id, SVC_SETTING_SIGNING_KEYS, text_out);
	if (r == TG_ERR_NOT_FOUND)
		return TG_OK;
	return r ? svc_store_fail(sv, r, "reading the signing keys") : TG_OK;
}

static int ring_open(struct svc *sv, const struct keys *mk, const struct tg_tenant *t,
                     const char *text, struct signkeys **out)
{
	size_t tl = strlen(text);
	if (tl > SEALED_TEXT_MAX)
		return svc_fail(sv, TG_ERR_TOO_LARGE, "the stored signing keys are too large");
	uint8_t *bin = xmalloc(B64_DECODED_MAX(tl) + 1);
	size_t n = 0;
	int r = b64_decode(text, tl, bin, B64_DECODED_MAX(tl) + 1, &n);
	if (!r)
		r = signkeys_unseal(mk, t->id, bin, n, out);
	free(bin);   /* sealed bytes: nothing secret in clear */
	if (r)
		return svc_fail(sv, r, "the signing keys of tenant %s do not open: %s", t->name,
		                tg_strerror(r));
	return TG_OK;
}

/* Seal ks for t as base64 text (malloc'd). */
static int ring_seal_text(struct svc *sv, const struct keys *mk, const struct tg_tenant *t,
                          const struct signkeys *ks, char **text_out)
{
	*text_out = NULL;
	uint8_t *bin = NULL;
	size_t n = 0;
	int r = signkeys_seal(ks, mk, t->id, &bin, &n);
	if (r)
		return svc_fail(sv, r, "sealing the signing keys: %s", tg_strerror(r));
	size_t cap = B64_ENCODED_LEN(n) + 1;
	char *text = xmalloc(cap);
	r = b64_encode(bin, n, text, cap, NULL);
	free(bin);
	if (r) {
		free(text);
		return svc_fail(sv, r, "encoding the signing keys");
	}
	*text_out = text;
	return TG_OK;
}

/* kids of the current keys, for the audit record. */
static void ring_describe(const struct signkeys *ks, char *out, size_t size)
{
	const struct sign_key *es = signkeys_current(ks, JWS_ALG_ES256);
	const struct sign_key *rs = signkeys_current(ks, JWS_ALG_RS256);
	snprintf(out, size, "{\"ES256\":\"%s\",\"RS256\":\"%s\",\"keys\":%zu}",
	         es ? sign_key_kid(es) : "", rs ? sign_key_kid(rs) : "", signkeys_count(ks));
}

/* Create a ring for t unless one is stored by the time we write (another
 * thread or process may be doing the same): *text_out is then the stored
 * text, ours or theirs. The RSA key generation runs outside the
 * transaction so that it holds no lock. */
static int ring_create(struct svc *sv, const struct keys *mk, const struct tg_tenant *t,
                       char **text_out)
{
	*text_out = NULL;
	struct signkeys *ks = NULL;
	char *text = NULL, *stored = NULL;
	int r = signkeys_generate(svc_now(sv), &ks);
	if (r) {
		r = svc_fail(sv, r, "generating signing keys: %s", tg_strerror(r));
		goto out;
	}
	if ((r = ring_seal_text(sv, mk, t, ks, &text)))
		goto out;
	if ((r = store_tx_begin(sv->store))) {
		r = svc_store_fail(sv, r, "storing the signing keys");
		goto out;
	}
	if (!(r = ring_text_read(sv, t, &stored)) && !stored) {
		char detail[200];
		ring_describe(ks, detail, sizeof detail);
		r = store_setting_set(sv->store, t->id, SVC_SETTING_SIGNING_KEYS, text);
		if (r)
			r = svc_store_fail(sv, r, "storing the signing keys");
		else
			r = svc_audit(sv, t->id, "oidc.signing_keys.create", t->name, "", detail);
	}
	if (!r && (r = store_tx_commit(sv->store)))
		r = svc_store_fail(sv, r, "storing the signing keys");
	if (r) {
		store_tx_rollback(sv->store);
		goto out;
	}
	if (stored) {
		*text_out = stored;          /* another writer was first */
		stored = NULL;
	} else {
		log_info("created token signing keys for tenant %s", t->name);
		*text_out = text;            /* transferred */
		text = NULL;
	}
out:
	signkeys_free(ks);
	free(text);
	free(stored);
	return r;
}

/* The stored text, creating the ring when there is none. */
static int ring_text_get(struct svc *sv, const struct keys *mk, const struct tg_tenant *t,
                         char **text_out)
{
	int r = ring_text_read(sv, t, text_out);
	if (r || *text_out)
		return r;
	return ring_create(sv, mk, t, text_out);
}

/* ---- rings ------------------------------------------------------------------ */

struct svc_signring {
	atomic_int refs;
	struct signkeys *ks;
	char *text;                      /* the sealed text it was opened from */
};

const struct signkeys *svc_signring_keys(const struct svc_signring *r)
{
	return r->ks;
}

void svc_signring_release(struct svc_signring *r)
{
	if (!r || atomic_fetch_sub(&r->refs, 1) != 1)
		return;
	signkeys_free(r->ks);
	free(r->text);
	free(r);
}

static struct svc_signring *ring_new(struct signkeys *ks, char *text)
{
	struct svc_signring *r = xcalloc(1, sizeof *r);
	atomic_init(&r->refs, 1);
	r->ks = ks;
	r->text = text;
	return r;
}

/* ---- the cache -------------------------------------------------------------- */

struct cache_entry {
	char tenant_id[TG_ID_BUF];
	struct svc_signring *ring;
};

struct svc_signkeys_cache {
	pthread_mutex_t lock;
	size_t n, cap;
	struct cache_entry *v;
};

struct svc_signkeys_cache *svc_signkeys_cache_new(void)
{
	struct svc_signkeys_cache *c = xcalloc(1, sizeof *c);
	pthread_mutex_init(&c->lock, NULL);
	return c;
}

void svc_signkeys_cache_free(struct svc_signkeys_cache *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++)
		svc_signring_release(c->v[i].ring);
	free(c->v);
	pthread_mutex_destroy(&c->lock);
	free(c);
}

/* A new reference to the cached ring of tenant_id if it was opened from
 * exactly text, else NULL. */
static struct svc_signring *cache_find(struct svc_signkeys_cache *c, const char *tenant_id,
                                       const char *text)
{
	struct svc_signring *found = NULL;
	pthread_mutex_lock(&c->lock);
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->v[i].tenant_id, tenant_id) == 0) {
			if (strcmp(c->v[i].ring->text, text) == 0) {
				found = c->v[i].ring;
				atomic_fetch_add(&found->refs, 1);
			}
			break;
		}
	pthread_mutex_unlock(&c->lock);
	return found;
}

/* Put ring in the cache for tenant_id (the cache takes a reference),
 * replacing an older one, which is released: requests still using it
 * keep their own references. */
static void cache_put(struct svc_signkeys_cache *c, const char *tenant_id,
                      struct svc_signring *ring)
{
	struct svc_signring *old = NULL;
	atomic_fetch_add(&ring->refs, 1);
	pthread_mutex_lock(&c->lock);
	size_t i = 0;
	while (i < c->n && strcmp(c->v[i].tenant_id, tenant_id) != 0)
		i++;
	if (i == c->n) {
		if (c->n == c->cap) {
			c->cap = c->cap ? 2 * c->cap : 8;
			c->v = xrealloc(c->v, c->cap * sizeof *c->v);
		}
		tg_strlcpy(c->v[i].tenant_id, tenant_id, sizeof c->v[i].tenant_id);
		c->v[i].ring = NULL;
		c->n++;
	}
	old = c->v[i].ring;
	c->v[i].ring = ring;
	pthread_mutex_unlock(&c->lock);
	svc_signring_release(old);
}

int svc_signkeys_get(struct svc *sv, const struct keys *mk, struct svc_signkeys_cache *cache,
                     const struct tg_tenant *t, struct svc_signring **out)
{
	*out = NULL;
	char *text = NULL;
	int r = ring_text_get(sv, mk, t, &text);
	if (r)
		return r;
	struct svc_signring *ring = cache ? cache_find(cache, t->id, text) : NULL;
	if (ring) {
		free(text);
		*out = ring;
		return TG_OK;
	}
	struct signkeys *ks = NULL;
	if ((r = ring_open(sv, mk, t, text, &ks))) {
		free(text);
		return r;
	}
	ring = ring_new(ks, text);
	if (cache)
		cache_put(cache, t->id, ring);
	*out = ring;
	return TG_OK;
}

/* ---- rotation ----------------------------------------------------------------- */

int svc_signkeys_rotate(struct svc *sv, const struct keys *mk, const struct tg_tenant *t,
                        enum jws_alg alg, struct svc_signkeys_rotation *rot)
{
	struct svc_signkeys_rotation res;
	memset(&res, 0, sizeof res);
	if (alg != 0 && !jws_alg_name(alg))
		return svc_fail(sv, TG_ERR_INVALID, "the algorithm must be ES256 or RS256");
	char *text = NULL, *fresh = NULL;
	struct signkeys *ks = NULL;
	/* make sure a ring exists (its creation commits on its own) */
	int r = ring_text_get(sv, mk, t, &text);
	if (r)
		return r;
	free(text);
	text = NULL;
	if ((r = store_tx_begin(sv->store)))
		return svc_store_fail(sv, r, "rotating the signing keys");
	if ((r = ring_text_read(sv, t, &text)))
		goto out;
	if (!text) {
		r = svc_fail(sv, TG_ERR_CONFLICT, "the signing keys were removed meanwhile; try again");
		goto out;
	}
	if ((r = ring_open(sv, mk, t, text, &ks)))
		goto out;
	char before[200], after[200];
	ring_describe(ks, before, sizeof before);
	int64_t now = svc_now(sv);
	static const enum jws_alg both[] = {JWS_ALG_ES256, JWS_ALG_RS256};
	for (size_t i = 0; i < 2; i++) {
		if (alg && alg != both[i])
			continue;
		const struct sign_key *old = signkeys_current(ks, both[i]);
		size_t k = res.n;
		res.alg[k] = both[i];
		tg_strlcpy(res.old_kid[k], old ? sign_key_kid(old) : "", sizeof res.old_kid[k]);
		if ((r = signkeys_rotate(ks, both[i], now, SVC_SIGNKEYS_TOKEN_LIFETIME))) {
			r = svc_fail(sv, r, r == TG_ERR_LIMIT ?
			             "the key ring is full: earlier keys are still published until "
			             "their tokens expire (about an hour); try again later" :
			             "rotating the %s key failed", jws_alg_name(both[i]));
			goto out;
		}
		tg_strlcpy(res.new_kid[k], sign_key_kid(signkeys_current(ks, both[i])),
		           sizeof res.new_kid[k]);
		res.old_not_after[k] = old ? now + SVC_SIGNKEYS_TOKEN_LIFETIME + SIGNKEYS_RETIRE_GRACE : 0;
		res.n++;
	}
	if ((r = ring_seal_text(sv, mk, t, ks, &fresh)))
		goto out;
	if ((r = store_setting_set(sv->store, t->id, SVC_SETTING_SIGNING_KEYS, fresh))) {
		r = svc_store_fail(sv, r, "storing the signing keys");
		goto out;
	}
	ring_describe(ks, after, sizeof after);
	if ((r = svc_audit(sv, t->id, "oidc.signing_keys.rotate", t->name, before, after)))
		goto out;
	if ((r = store_tx_commit(sv->store)))
		r = svc_store_fail(sv, r, "storing the signing keys");
out:
	if (r)
		store_tx_rollback(sv->store);
	else if (rot)
		*rot = res;
	signkeys_free(ks);
	free(text);
	free(fresh);
	return r;
}
