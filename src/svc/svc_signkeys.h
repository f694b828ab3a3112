/* SPDX-License-Identifier: MIT
 * Service layer: each tenant's token signing keys (crypto/signkeys.h) —
 * made on first use, kept sealed with the master key in the tenant's
 * setting row "oidc.signing_keys" (base64), rotated by
 * `tollgate key rotate-signing`, and cached for the server in a
 * thread-safe cache that notices a rotation made by another process.
 * Conventions as svc.h: enum tg_err, a reason in sv->err.
 * Design: docs/internals/oidc.md ("Signing keys"). */
#ifndef TG_SVC_SVC_SIGNKEYS_H
#define TG_SVC_SVC_SIGNKEYS_H
#include <stddef.h>
#include <stdint.h>
#include "crypto/jws.h"
#include "crypto/keys.h"
#include "crypto/signkeys.h"
#include "svc/svc.h"

#define SVC_SETTING_SIGNING_KEYS "oidc.signing_keys"

/* The longest lifetime of a token signed with a key: a replaced key stays
 * published this long (+ SIGNKEYS_RETIRE_GRACE) after a rotation. ID and
 * access tokens live an hour (core/oidc.h OIDC_TOKEN_TTL). */
#define SVC_SIGNKEYS_TOKEN_LIFETIME 3600

/* A loaded ring, shared read-only between threads and reference-counted.
 * Sign and verify with svc_signring_keys(); release when the request is
 * done. */
struct svc_signring;
const struct signkeys *svc_signring_keys(const struct svc_signring *r);
void svc_signring_release(struct svc_signring *r);   /* accepts NULL */

/* The rings of every tenant (a server keeps one). Thread-safe. */
struct svc_signkeys_cache;
struct svc_signkeys_cache *svc_signkeys_cache_new(void);
void svc_signkeys_cache_free(struct svc_signkeys_cache *c);   /* accepts NULL */

/* Tenant t's ring, as stored now. The first call for a tenant without a
 * ring creates one (an ES256 and an RS256 key; the RSA key takes 50-300
 * ms) and stores it sealed, audited "oidc.signing_keys.create" — of two
 * processes racing, the first to store wins and both use its ring. Each
 * call reads the setting row (one indexed read) and, when it differs
 * from the cached text, opens it again, so a rotation by the CLI or
 * another server is picked up at the next request. cache may be NULL
 * (load every time). *out: a new reference (svc_signring_release).
 * TG_ERR_CRYPTO when the stored ring does not open with mk (sv->err). */
int svc_signkeys_get(struct svc *sv, const struct keys *mk, struct svc_signkeys_cache *cache,
                     const struct tg_tenant *t, struct svc_signring **out)
	__attribute__((warn_unused_result));

/* What a rotation did. */
struct svc_signkeys_rotation {
	size_t n;                                /* algorithms rotated */
	enum jws_alg alg[2];
	char new_kid[2][JWS_KID_LEN + 1];
	char old_kid[2][JWS_KID_LEN + 1];        /* "" when there was none */
	int64_t old_not_after[2];                /* when the replaced key is retired */
};

/* `tollgate key rotate-signing`: in one transaction, open the tenant's
 * ring (creating it when absent), rotate alg (0 = both ES256 and RS256),
 * prune retired keys, seal under the master key's current generation,
 * store, and audit "oidc.signing_keys.rotate". The replaced key stays
 * published until SVC_SIGNKEYS_TOKEN_LIFETIME + SIGNKEYS_RETIRE_GRACE
 * after now. *rot (may be NULL) says what changed. TG_ERR_LIMIT when the
 * ring is full (rotating faster than tokens expire). */
int svc_signkeys_rotate(struct svc *sv, const struct keys *mk, const struct tg_tenant *t,
                        enum jws_alg alg, struct svc_signkeys_rotation *rot);

#endif
