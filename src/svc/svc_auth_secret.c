/* SPDX-License-Identifier: MIT
 * Recovery codes and app passwords (svc_auth.h). Recovery codes are stored
 * as keyed digests of their compact form and used with a compare-and-set;
 * app passwords as Argon2id strings, created only while the tenant allows
 * them and at most APP_PASSWORD_MAX_PER_USER per user. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/err.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/str.h"
#include "crypto/password.h"
#include "crypto/rng.h"
#include "svc/svc_auth.h"
#include "svc/svc_auth_int.h"
#include "svc/svc_int.h"

/* ----------------------------------------------------------- recovery codes */

struct rcodes {
	struct store_recovery_code *v;
	size_t n, cap;
};

static int collect_rcode(const struct store_recovery_code *c, void *arg)
{
	struct rcodes *rc = arg;
	if (rc->n == rc->cap) {
		rc->cap = rc->cap ? rc->cap * 2 : 16;
		rc->v = xrealloc(rc->v, rc->cap * sizeof *rc->v);
	}
	rc->v[rc->n++] = *c;
	return 0;
}

static int load_rcodes(struct svc_auth *a, const char *user_id, struct rcodes *out)
{
	memset(out, 0, sizeof *out);
	int r = store_recovery_code_list(a->sv->store, user_id, collect_rcode, out);
	if (r) {
		free(out->v);
		memset(out, 0, sizeof *out);
		return svc_store_fail(a->sv, r, "reading the recovery codes");
	}
	return TG_OK;
}

int svc_recovery_regenerate(struct svc_auth *a, const struct tg_tenant *t, const char *upn,
                            char codes[RECOVERY_CODE_COUNT][RECOVERY_CODE_SIZE])
{
	struct tg_user u;
	uint8_t rnd[RECOVERY_CODE_COUNT * RECOVERY_CODE_RAND_BYTES];
	struct store_recovery_code rows[RECOVERY_CODE_COUNT];
	char norm[RECOVERY_CODE_NORM_SIZE];
	memset(rows, 0, sizeof rows);
	int r = svc_auth_user(a, t, upn, &u);
	if (r)
		return r;
	r = rng_bytes(rnd, sizeof rnd);
	if (!r)
		r = recovery_codes_generate(rnd, sizeof rnd, codes);
	if (r == TG_ERR_INVALID) { /* two equal codes (chance 2^-44): draw once more */
		r = rng_bytes(rnd, sizeof rnd);
		if (!r)
			r = recovery_codes_generate(rnd, sizeof rnd, codes);
	}
	tg_wipe(rnd, sizeof rnd);
	if (r) {
		r = svc_fail(a->sv, TG_ERR_CRYPTO, "no randomness available");
		goto out;
	}
	int64_t now = svc_now(a->sv);
	for (size_t i = 0; i < RECOVERY_CODE_COUNT && !r; i++) {
		r = recovery_code_normalize(codes[i], norm);
		if (!r)
			r = keys_pepper_digest(a->keys, RECOVERY_CODE_DIGEST_CONTEXT, norm, strlen(norm),
			                       rows[i].digest);
		if (!r)
			r = rng_uuid(rows[i].id);
		rows[i].digest_len = KEYS_DIGEST_LEN;
		rows[i].created = now;
	}
	tg_wipe(norm, sizeof norm);
	if (r) {
		svc_fail(a->sv, r, "could not make the recovery codes");
		goto out;
	}
	int64_t replaced = 0;
	if ((r = store_tx_begin(a->sv->store))) {
		svc_store_fail(a->sv, r, "storing the recovery codes");
		goto out;
	}
	r = store_recovery_code_delete_all(a->sv->store, u.id, &replaced);
	for (size_t i = 0; i < RECOVERY_CODE_COUNT && !r; i++)
		r = store_recovery_code_insert(a->sv->store, t->id, u.id, &rows[i]);
	if (!r)
		r = svc_auth_audit(a, t, "recovery_codes.regenerate", u.upn,
		                   json_pack("{s:I}", "codes", (json_int_t)replaced),
		                   json_pack("{s:i}", "codes", RECOVERY_CODE_COUNT));
	if (!r)
		r = store_tx_commit(a->sv->store);
	if (r)
		svc_auth_rollback(a, r, "storing the recovery codes");
out:
	tg_wipe(rows, sizeof rows);
	if (r)
		tg_wipe(codes, (size_t)RECOVERY_CODE_COUNT * RECOVERY_CODE_SIZE);
	return r;
}

int svc_recovery_verify(struct svc_auth *a, const struct tg_tenant *t, const char *upn,
                        const char *typed, const char *source, int *remaining_out)
{
	struct tg_user u;
	struct svc_auth_guard g;
	struct rcodes rc = {0};
	char norm[RECOVERY_CODE_NORM_SIZE] = "";
	int r = svc_auth_user(a, t, upn, &u);
	if (r)
		return r;
	if (!u.enabled)
		return svc_fail(a->sv, TG_ERR_DISABLED, "the account %s is disabled", u.upn);
	if ((r = svc_auth_guard_begin(a, t, &u, SVC_AUTH_SECOND_FACTOR, source, &g)))
		return r;
	bool malformed = recovery_code_normalize(typed, norm) != TG_OK;
	if ((r = load_rcodes(a, u.id, &rc)))
		goto out;
	r = TG_ERR_DENIED;
	int unused = 0;
	const struct store_recovery_code *hit = NULL;
	for (size_t i = 0; i < rc.n; i++) {
		bool match = !malformed && keys_pepper_verify(a->keys, RECOVERY_CODE_DIGEST_CONTEXT, norm,
		                                              strlen(norm), rc.v[i].digest,
		                                              rc.v[i].digest_len) == TG_OK;
		unused += rc.v[i].used_at == 0;
		if (match && !hit)
			hit = &rc.v[i];
	}
	if (hit && hit->used_at)
		r = TG_ERR_REPLAY;
	else if (hit)
		r = store_recovery_code_use(a->sv->store, hit->id, svc_now(a->sv));
	if (r == TG_OK && remaining_out)
		*remaining_out = unused - 1;
	switch (r) {
	case TG_OK: break;
	case TG_ERR_REPLAY: svc_fail(a->sv, r, "this recovery code was already used"); break;
	case TG_ERR_DENIED:
		svc_fail(a->sv, r, rc.n ? "wrong recovery code" : "%s has no recovery codes", u.upn);
		break;
	default: svc_store_fail(a->sv, r, "using the recovery code"); break;
	}
out:
	svc_auth_guard_end(a, t, &g, r == TG_OK);
	if (rc.v)
		tg_secret_free(rc.v, rc.cap * sizeof *rc.v);
	tg_wipe(norm, sizeof norm);
	return r;
}

int svc_recovery_count(struct svc_auth *a, const struct tg_tenant *t, const char *upn,
                       int *unused_out, int *total_out)
{
	struct tg_user u;
	struct rcodes rc;
	int r = svc_auth_user(a, t, upn, &u);
	if (r || (r = load_rcodes(a, u.id, &rc)))
		return r;
	int unused = 0;
	for (size_t i = 0; i < rc.n; i++)
		unused += rc.v[i].used_at == 0;
	if (unused_out)
		*unused_out = unused;
	if (total_out)
		*total_out = (int)rc.n;
	free(rc.v);
	return TG_OK;
}

/* ------------------------------------------------------------ app passwords */

static bool app_passwords_allowed(struct svc_auth *a, const struct tg_tenant *t)
{
	char *v = NULL;
	if (store_setting_get(a->sv->store, t->id, SVC_SETTING_ALLOW_APP_PASSWORDS, &v) != TG_OK)
		return false; /* absent: off by default (Entra) */
	bool on = strcmp(v, "true") == 0;
	free(v);
	return on;
}

static int may_create(struct svc_auth *a, const struct tg_tenant *t, const struct tg_user *u)
{
	int64_t n = 0;
	int r = store_app_password_count(a->sv->store, u->id, &n);
	if (r)
		return svc_store_fail(a->sv, r, "counting app passwords");
	r = app_password_may_create(app_passwords_allowed(a, t), (size_t)n);
	if (r == TG_ERR_DISABLED)
		return svc_fail(a->sv, r, "creating app passwords is turned off for this tenant "
		                "(MFA service settings: tollgate settings set allow-app-passwords true)");
	if (r == TG_ERR_LIMIT)
		return svc_fail(a->sv, r, "%s already has %d app passwords, the most allowed: delete "
		                "one first", u->upn, APP_PASSWORD_MAX_PER_USER);
	return r;
}

int svc_app_password_create(struct svc_auth *a, const struct tg_tenant *t, const char *upn,
                            const char *name, char display_out[APP_PASSWORD_DISPLAY_SIZE],
                            struct store_app_password *out)
{
	struct tg_user u;
	struct store_app_password p;
	uint8_t rnd[APP_PASSWORD_RAND_BYTES];
	char pw[APP_PASSWORD_SIZE] = "";
	memset(&p, 0, sizeof p);
	int r = app_password_name_check(name ? name : "");
	if (r)
		return svc_fail(a->sv, r, "the app password needs a name: 1 to %d characters of text",
		                TG_MAX_APP_PASSWORD_NAME);
	if ((r = svc_auth_user(a, t, upn, &u)) || (r = may_create(a, t, &u)))
		return r;
	r = rng_bytes(rnd, sizeof rnd);
	if (!r)
		r = app_password_generate(rnd, sizeof rnd, pw);
	tg_wipe(rnd, sizeof rnd);
	if (!r)
		r = rng_uuid(p.id);
	if (r) {
		r = svc_fail(a->sv, TG_ERR_CRYPTO, "no randomness available");
		goto out;
	}
	if ((r = password_hash(&a->sv->pw, pw, strlen(pw), p.pwhash))) {
		svc_fail(a->sv, r, "could not hash the app password");
		goto out;
	}
	tg_strlcpy(p.tenant_id, t->id, sizeof p.tenant_id);
	tg_strlcpy(p.user_id, u.id, sizeof p.user_id);
	tg_strlcpy(p.name, name, sizeof p.name);
	p.created = svc_now(a->sv);
	if ((r = store_tx_begin(a->sv->store))) {
		svc_store_fail(a->sv, r, "creating the app password");
		goto out;
	}
	r = may_create(a, t, &u); /* again, inside the transaction: no race past 40 */
	if (!r)
		r = store_app_password_insert(a->sv->store, &p);
	if (!r)
		r = svc_auth_audit(a, t, "app_password.create", u.upn, NULL,
		                   json_pack("{s:s,s:s}", "id", p.id, "name", p.name));
	if (!r)
		r = store_tx_commit(a->sv->store);
	if (r) {
		svc_auth_rollback(a, r, "creating the app password");
		goto out;
	}
	if ((r = app_password_display(pw, display_out)))
		goto out;
	if (out) {
		*out = p;
		tg_wipe(out->pwhash, sizeof out->pwhash);
	}
out:
	tg_wipe(pw, sizeof pw);
	tg_wipe(&p, sizeof p);
	return r;
}

struct strip_arg { store_app_password_cb cb; void *arg; };

static int strip_hash_cb(const struct store_app_password *p, void *arg)
{
	struct strip_arg *s = arg;
	struct store_app_password c = *p;
	tg_wipe(c.pwhash, sizeof c.pwhash);
	return s->cb(&c, s->arg);
}

int svc_app_password_list(struct svc_auth *a, const struct tg_tenant *t, const char *upn,
                          store_app_password_cb cb, void *arg)
{
	struct tg_user u;
	int r = svc_auth_user(a, t, upn, &u);
	if (r)
		return r;
	struct strip_arg s = {cb, arg};
	r = store_app_password_list(a->sv->store, u.id, strip_hash_cb, &s);
	if (r < 0)
		return svc_store_fail(a->sv, r, "reading the app passwords");
	return r;
}

int svc_app_password_delete(struct svc_auth *a, const struct tg_tenant *t, const char *upn,
                            const char *id)
{
	struct tg_user u;
	int r = svc_auth_user(a, t, upn, &u);
	if (r)
		return r;
	if ((r = store_tx_begin(a->sv->store)))
		return svc_store_fail(a->sv, r, "deleting the app password");
	r = store_app_password_delete(a->sv->store, u.id, id);
	if (r == TG_ERR_NOT_FOUND)
		svc_fail(a->sv, r, "%s has no app password %s (see `tollgate app-password list %s`)",
		         u.upn, id, u.upn);
	if (!r)
		r = svc_auth_audit(a, t, "app_password.delete", u.upn, json_pack("{s:s}", "id", id),
		                   NULL);
	if (!r)
		r = store_tx_commit(a->sv->store);
	if (r)
		return svc_auth_rollback(a, r, "deleting the app password");
	return TG_OK;
}

int svc_app_password_delete_all(struct svc_auth *a, const struct tg_tenant *t, const char *upn,
                                int64_t *n_out)
{
	struct tg_user u;
	int64_t n = 0;
	int r = svc_auth_user(a, t, upn, &u);
	if (r)
		return r;
	if ((r = store_tx_begin(a->sv->store)))
		return svc_store_fail(a->sv, r, "deleting the app passwords");
	r = store_app_password_delete_all(a->sv->store, u.id, &n);
	if (!r)
		r = svc_auth_audit(a, t, "app_password.delete_all", u.upn,
		                   json_pack("{s:I}", "appPasswords", (json_int_t)n), NULL);
	if (!r)
		r = store_tx_commit(a->sv->store);
	if (r)
		return svc_auth_rollback(a, r, "deleting the app passwords");
	if (n_out)
		*n_out = n;
	return TG_OK;
}

struct hashes {
	char (*v)[TG_MAX_PWHASH + 1];
	char (*id)[TG_ID_BUF];
	size_t n;
};

static int collect_hash(const struct store_app_password *p, void *arg)
{
	struct hashes *h = arg;
	if (h->n >= APP_PASSWORD_MAX_PER_USER)
		return 0; /* more than the limit can only come from outside Tollgate */
	tg_strlcpy(h->v[h->n], p->pwhash, sizeof h->v[h->n]);
	tg_strlcpy(h->id[h->n], p->id, sizeof h->id[h->n]);
	h->n++;
	return 0;
}

int svc_app_password_verify(struct svc_auth *a, const struct tg_tenant *t, const char *upn,
                            const char *typed, const char *source)
{
	struct tg_user u;
	struct svc_auth_guard g;
	char pw[APP_PASSWORD_SIZE] = "";
	int r = svc_auth_user(a, t, upn, &u);
	if (r)
		return r;
	if (!u.enabled)
		return svc_fail(a->sv, TG_ERR_DISABLED, "the account %s is disabled", u.upn);
	if ((r = svc_auth_guard_begin(a, t, &u, SVC_AUTH_PASSWORD, source, &g)))
		return r;
	struct hashes h = {xcalloc(APP_PASSWORD_MAX_PER_USER, sizeof *h.v),
	                   xcalloc(APP_PASSWORD_MAX_PER_USER, sizeof *h.id), 0};
	if ((r = store_app_password_list(a->sv->store, u.id, collect_hash, &h))) {
		svc_store_fail(a->sv, r, "reading the app passwords");
		goto out;
	}
	r = TG_ERR_DENIED;
	if (app_password_normalize(typed, pw) != TG_OK || h.n == 0) {
		/* same work as a real check: no answer by timing */
		password_verify_dummy(&a->sv->pw, typed, strlen(typed));
	} else {
		for (size_t i = 0; i < h.n && r == TG_ERR_DENIED; i++)
			if (password_verify(h.v[i], pw, strlen(pw)) == TG_OK)
				r = store_app_password_touch(a->sv->store, h.id[i], svc_now(a->sv));
	}
	if (r == TG_ERR_DENIED)
		svc_fail(a->sv, r, "wrong user name or app password");
	else if (r)
		svc_store_fail(a->sv, r, "recording the app password's use");
out:
	svc_auth_guard_end(a, t, &g, r == TG_OK);
	tg_secret_free(h.v, APP_PASSWORD_MAX_PER_USER * sizeof *h.v);
	free(h.id);
	tg_wipe(pw, sizeof pw);
	return r;
}
