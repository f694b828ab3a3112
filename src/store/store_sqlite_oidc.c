/* SPDX-License-Identifier: MIT
 * SQLite backend, oidc domain (see store_oidc.h and schema 0005_oidc.sql).
 * Bound parameters only; every single-use rule is one UPDATE whose change
 * count decides (code use, refresh rotation, session rotation).
 *
 * Sections: helpers, apps, sessions, remembered devices, authorization
 * codes, refresh tokens, revoked jtis, purge, ops table. */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include "base/err.h"
#include "base/mem.h"
#include "base/str.h"
#include "store/store_oidc.h"
#include "store/store_sqlite_int.h"

/* ------------------------------------------------------------------ helpers */

static struct sqlite_store *S(struct store *s) { return sqlite_of(s); }

static int bind_digest(sqlite3_stmt *st, int i, const struct store_digest *d)
{
	int rc = d && d->len ? sqlite3_bind_blob(st, i, d->b, (int)d->len, SQLITE_STATIC)
	                     : sqlite3_bind_null(st, i);
	return rc == SQLITE_OK ? TG_OK : TG_ERR_STORE;
}

static void col_digest(sqlite3_stmt *st, int i, struct store_digest *d)
{
	const void *b = sqlite3_column_blob(st, i);
	int n = sqlite3_column_bytes(st, i);
	memset(d, 0, sizeof *d);
	if (b && n > 0 && (size_t)n <= sizeof d->b) {
		memcpy(d->b, b, (size_t)n);
		d->len = (size_t)n;
	}
}

/* "" binds NULL (optional foreign keys). */
static int bind_opt_text(sqlite3_stmt *st, int i, const char *v)
{
	if (!v || !*v)
		return sqlite3_bind_null(st, i) == SQLITE_OK ? TG_OK : TG_ERR_STORE;
	return bind_text(st, i, v);
}

/* Run a write; `none` when it changed no row. */
static int step_changed(struct store *st, sqlite3_stmt *q, const char *what, int none)
{
	int r = step_done(S(st), q, what);
	if (!r && sqlite3_changes(S(st)->db) == 0)
		r = none;
	return r;
}

/* Run a write keyed by one text value and report the change count. */
static int exec_counted(struct store *st, const char *sql, const char *key, int64_t t,
                        const char *what, int64_t *n_out)
{
	sqlite3_stmt *q;
	int r = prep(S(st), sql, &q);
	if (r)
		return r;
	bind_text(q, 1, key);
	if (sqlite3_bind_parameter_count(q) >= 2)
		sqlite3_bind_int64(q, 2, t);
	r = step_done(S(st), q, what);
	if (!r && n_out)
		*n_out = sqlite3_changes(S(st)->db);
	return r;
}

/* Space-joined list of n strings stored `stride` bytes apart; caller frees. */
static char *join_list(const char *base, size_t stride, size_t n)
{
	size_t len = 1;
	for (size_t i = 0; i < n; i++)
		len += strlen(base + i * stride) + 1;
	char *out = xmalloc(len), *p = out;
	*p = '\0';
	for (size_t i = 0; i < n; i++) {
		const char *v = base + i * stride;
		size_t l = strlen(v);
		if (i)
			*p++ = ' ';
		memcpy(p, v, l);
		p += l;
		*p = '\0';
	}
	return out;
}

/* Split a space-separated column into at most max strings `stride` bytes
 * apart (longer items are cut: the service layer never stores those). */
static size_t split_list(const char *s, char *base, size_t stride, size_t max)
{
	size_t n = 0;
	while (s && *s && n < max) {
		while (*s == ' ')
			s++;
		size_t l = strcspn(s, " ");
		if (l == 0)
			break;
		char *dst = base + n * stride;
		size_t c = l < stride - 1 ? l : stride - 1;
		memcpy(dst, s, c);
		dst[c] = '\0';
		n++;
		s += l;
	}
	return n;
}

/* -------------------------------------------------------------------- apps */

#define APP_COLS "tenant_id,id,display_name,public_client,secret_digest,grant_types," \
	"redirect_uris,permissions,privileged,builtin,signing_alg,created"

static void row_app(sqlite3_stmt *st, struct store_app *a)
{
	memset(a, 0, sizeof *a);
	col_text(st, 0, a->tenant_id, sizeof a->tenant_id);
	col_text(st, 1, a->id, sizeof a->id);
	col_text(st, 2, a->display_name, sizeof a->display_name);
	a->is_public = sqlite3_column_int(st, 3) != 0;
	col_digest(st, 4, &a->secret);
	a->grant_types = (unsigned)sqlite3_column_int(st, 5);
	a->n_redirect_uris = split_list((const char *)sqlite3_column_text(st, 6),
	                                &a->redirect_uris[0][0], sizeof a->redirect_uris[0],
	                                TG_MAX_APP_REDIRECT_URIS);
	a->n_permissions = split_list((const char *)sqlite3_column_text(st, 7),
	                              &a->permissions[0][0], sizeof a->permissions[0],
	                              TG_MAX_APP_PERMISSIONS);
	a->privileged = sqlite3_column_int(st, 8) != 0;
	a->builtin = sqlite3_column_int(st, 9) != 0;
	col_text(st, 10, a->signing_alg, sizeof a->signing_alg);
	a->created = sqlite3_column_int64(st, 11);
}

/* Bind the app's columns in APP_COLS order from index 1; *uris and *perms
 * are the joined lists (freed by the caller after the step). */
static void bind_app(sqlite3_stmt *q, const struct store_app *a, char **uris, char **perms)
{
	*uris = join_list(&a->redirect_uris[0][0], sizeof a->redirect_uris[0], a->n_redirect_uris);
	*perms = join_list(&a->permissions[0][0], sizeof a->permissions[0], a->n_permissions);
	bind_text(q, 1, a->tenant_id);
	bind_text(q, 2, a->id);
	bind_text(q, 3, a->display_name);
	sqlite3_bind_int(q, 4, a->is_public);
	bind_digest(q, 5, a->is_public ? NULL : &a->secret);
	sqlite3_bind_int(q, 6, (int)a->grant_types);
	bind_text(q, 7, *uris);
	bind_text(q, 8, *perms);
	sqlite3_bind_int(q, 9, a->privileged);
	sqlite3_bind_int(q, 10, a->builtin);
	bind_text(q, 11, a->signing_alg);
	sqlite3_bind_int64(q, 12, a->created);
}

static int sqlite_app_insert(struct store *st, const struct store_app *a)
{
	static const char sql[] = "INSERT INTO app(" APP_COLS ") VALUES(?,?,?,?,?,?,?,?,?,?,?,?)";
	sqlite3_stmt *q;
	int r = prep(S(st), sql, &q);
	if (r)
		return r;
	char *uris, *perms;
	bind_app(q, a, &uris, &perms);
	r = step_done(S(st), q, "app insert");
	free(uris);
	free(perms);
	return r;
}

static int sqlite_app_update(struct store *st, const struct store_app *a)
{
	static const char sql[] = "UPDATE app SET display_name=?3, secret_digest=?4, grant_types=?5,"
		" redirect_uris=?6, permissions=?7, signing_alg=?8 WHERE tenant_id=?1 AND id=?2";
	sqlite3_stmt *q;
	int r = prep(S(st), sql, &q);
	if (r)
		return r;
	char *uris = join_list(&a->redirect_uris[0][0], sizeof a->redirect_uris[0],
	                       a->n_redirect_uris);
	char *perms = join_list(&a->permissions[0][0], sizeof a->permissions[0], a->n_permissions);
	bind_text(q, 1, a->tenant_id);
	bind_text(q, 2, a->id);
	bind_text(q, 3, a->display_name);
	bind_digest(q, 4, a->is_public ? NULL : &a->secret);
	sqlite3_bind_int(q, 5, (int)a->grant_types);
	bind_text(q, 6, uris);
	bind_text(q, 7, perms);
	bind_text(q, 8, a->signing_alg);
	r = step_changed(st, q, "app update", TG_ERR_NOT_FOUND);
	free(uris);
	free(perms);
	return r;
}

static int sqlite_app_get(struct store *st, const char *tid, const char *id, struct store_app *out)
{
	static const char sql[] = "SELECT " APP_COLS " FROM app WHERE tenant_id=? AND id=?";
	sqlite3_stmt *q;
	int r = prep(S(st), sql, &q);
	if (r)
		return r;
	bind_text(q, 1, tid);
	bind_text(q, 2, id);
	if ((r = step_row(S(st), q, "app get")))
		return r;
	row_app(q, out);
	done(q);
	return TG_OK;
}

static int sqlite_app_list(struct store *st, const char *tid, store_app_cb cb, void *arg)
{
	static const char sql[] = "SELECT " APP_COLS " FROM app WHERE tenant_id=?"
		" ORDER BY builtin DESC, display_name COLLATE NOCASE, id";
	sqlite3_stmt *q;
	int r = prep(S(st), sql, &q);
	if (r)
		return r;
	bind_text(q, 1, tid);
	struct store_app *a = xmalloc(sizeof *a);
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		row_app(q, a);
		if ((r = cb(a, arg)))
			break;
	}
	if (!r && rc != SQLITE_DONE)
		r = map_rc(S(st)->db, rc, "app list");
	done(q);
	free(a);
	return r;
}

static int sqlite_app_delete(struct store *st, const char *tid, const char *id)
{
	static const char sql[] = "DELETE FROM app WHERE tenant_id=? AND id=?";
	sqlite3_stmt *q;
	int r = prep(S(st), sql, &q);
	if (r)
		return r;
	bind_text(q, 1, tid);
	bind_text(q, 2, id);
	return step_changed(st, q, "app delete", TG_ERR_NOT_FOUND);
}

/* ---------------------------------------------------------------- sessions */

#define SESSION_COLS "id,digest,tenant_id,coalesce(user_id,''),created,last_seen,expires," \
	"auth_time,amr,mfa_time,mfa_methods,acr,ip,user_agent,flow,revoked"

static void row_session(sqlite3_stmt *st, struct store_session *x)
{
	memset(x, 0, sizeof *x);
	col_text(st, 0, x->id, sizeof x->id);
	col_digest(st, 1, &x->digest);
	col_text(st, 2, x->tenant_id, sizeof x->tenant_id);
	col_text(st, 3, x->user_id, sizeof x->user_id);
	x->created = sqlite3_column_int64(st, 4);
	x->last_seen = sqlite3_column_int64(st, 5);
	x->expires = sqlite3_column_int64(st, 6);
	x->auth_time = sqlite3_column_int64(st, 7);
	col_text(st, 8, x->amr, sizeof x->amr);
	x->mfa_time = sqlite3_column_int64(st, 9);
	x->mfa_methods = (unsigned)sqlite3_column_int64(st, 10);
	col_text(st, 11, x->acr, sizeof x->acr);
	col_text(st, 12, x->ip, sizeof x->ip);
	col_text(st, 13, x->user_agent, sizeof x->user_agent);
	col_text(st, 14, x->flow, sizeof x->flow);
	x->revoked = sqlite3_column_int(st, 15) != 0;
}

static int sqlite_session_insert(struct store *st, const struct store_session *x)
{
	static const char sql[] = "INSERT INTO session(id,digest,tenant_id,user_id,created,"
		"last_seen,expires,auth_time,amr,mfa_time,mfa_methods,acr,ip,user_agent,flow,revoked)"
		" VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
	sqlite3_stmt *q;
	int r = prep(S(st), sql, &q);
	if (r)
		return r;
	bind_text(q, 1, x->id);
	bind_digest(q, 2, &x->digest);
	bind_text(q, 3, x->tenant_id);
	bind_opt_text(q, 4, x->user_id);
	sqlite3_bind_int64(q, 5, x->created);
	sqlite3_bind_int64(q, 6, x->last_seen);
	sqlite3_bind_int64(q, 7, x->expires);
	sqlite3_bind_int64(q, 8, x->auth_time);
	bind_text(q, 9, x->amr);
	sqlite3_bind_int64(q, 10, x->mfa_time);
	sqlite3_bind_int64(q, 11, x->mfa_methods);
	bind_text(q, 12, x->acr);
	bind_text(q, 13, x->ip);
	bind_text(q, 14, x->user_agent);
	bind_text(q, 15, x->flow);
	sqlite3_bind_int(q, 16, x->revoked);
	return step_done(S(st), q, "session insert");
}

static int sqlite_session_get(struct store *st, const struct store_digest *d,
                              struct store_session *out)
{
	static const char sql[] = "SELECT " SESSION_COLS " FROM session WHERE digest=?";
	sqlite3_stmt *q;
	int r = prep(S(st), sql, &q);
	if (r)
		return r;
	bind_digest(q, 1, d);
	if ((r = step_row(S(st), q, "session get")))
		return r;
	row_session(q, out);
	done(q);
	return TG_OK;
}

static int sqlite_session_get_id(struct store *st, const char *id, struct store_session *out)
{
	static const char sql[] = "SELECT " SESSION_COLS " FROM session WHERE id=?";
	sqlite3_stmt *q;
	int r = prep(S(st), sql, &q);
	if (r)
		return r;
	bind_text(q, 1, id);
	if ((r = step_row(S(st), q, "session get")))
		return r;
	row_session(q, out);
	done(q);
	return TG_OK;
}

static int sqlite_session_rotate(struct store *st, const struct store_digest *old,
                                 const struct store_session *x)
{
	static const char sql[] = "UPDATE session SET digest=?3, user_id=?4, last_seen=?5,"
		" expires=?6, auth_time=?7, amr=?8, mfa_time=?9, mfa_methods=?10, acr=?11, flow=?12"
		" WHERE id=?1 AND digest=?2 AND revoked=0";
	sqlite3_stmt *q;
	int r = prep(S(st), sql, &q);
	if (r)
		return r;
	bind_text(q, 1, x->id);
	bind_digest(q, 2, old);
	bind_digest(q, 3, &x->digest);
	bind_opt_text(q, 4, x->user_id);
	sqlite3_bind_int64(q, 5, x->last_seen);
	sqlite3_bind_int64(q, 6, x->expires);
	sqlite3_bind_int64(q, 7, x->auth_time);
	bind_text(q, 8, x->amr);
	sqlite3_bind_int64(q, 9, x->mfa_time);
	sqlite3_bind_int64(q, 10, x->mfa_methods);
	bind_text(q, 11, x->acr);
	bind_text(q, 12, x->flow);
	return step_changed(st, q, "session rotate", TG_ERR_CONFLICT);
}

static int sqlite_session_touch(struct store *st, const char *id, int64_t now)
{
	static const char sql[] = "UPDATE session SET last_seen=?2 WHERE id=?1 AND last_seen<?2";
	return exec_counted(st, sql, id, now, "session touch", NULL);
}

static int sqlite_session_set_flow(struct store *st, const char *id, const struct store_digest *d,
                                   const char *flow)
{
	static const char sql[] = "UPDATE session SET flow=?3 WHERE id=?1 AND digest=?2 AND revoked=0";
	sqlite3_stmt *q;
	int r = prep(S(st), sql, &q);
	if (r)
		return r;
	bind_text(q, 1, id);
	bind_digest(q, 2, d);
	bind_text(q, 3, flow);
	return step_changed(st, q, "session flow", TG_ERR_CONFLICT);
}

static int sqlite_session_revoke(struct store *st, const char *id)
{
	static const char sql[] = "UPDATE session SET revoked=1, flow='' WHERE id=?";
	sqlite3_stmt *q;
	int r = prep(S(st), sql, &q);
	if (r)
		return r;
	bind_text(q, 1, id);
	return step_changed(st, q, "session revoke", TG_ERR_NOT_FOUND);
}

static int sqlite_session_revoke_user(struct store *st, const char *uid, int64_t *n_out)
{
	static const char sql[] = "UPDATE session SET revoked=1, flow='' WHERE user_id=? AND revoked=0";
	return exec_counted(st, sql, uid, 0, "session revoke user", n_out);
}

/* ------------------------------------------------------ remembered devices */

static int sqlite_device_insert(struct store *st, const struct store_device *d)
{
	static const char sql[] = "INSERT INTO remembered_device(digest,tenant_id,user_id,created,"
		"expires) VALUES(?,?,?,?,?)";
	sqlite3_stmt *q;
	int r = prep(S(st), sql, &q);
	if (r)
		return r;
	bind_digest(q, 1, &d->digest);
	bind_text(q, 2, d->tenant_id);
	bind_text(q, 3, d->user_id);
	sqlite3_bind_int64(q, 4, d->created);
	sqlite3_bind_int64(q, 5, d->expires);
	return step_done(S(st), q, "device insert");
}

static int sqlite_device_get(struct store *st, const struct store_digest *d,
                             struct store_device *out)
{
	static const char sql[] = "SELECT digest,tenant_id,user_id,created,expires"
		" FROM remembered_device WHERE digest=?";
	sqlite3_stmt *q;
	int r = prep(S(st), sql, &q);
	if (r)
		return r;
	bind_digest(q, 1, d);
	if ((r = step_row(S(st), q, "device get")))
		return r;
	memset(out, 0, sizeof *out);
	col_digest(q, 0, &out->digest);
	col_text(q, 1, out->tenant_id, sizeof out->tenant_id);
	col_text(q, 2, out->user_id, sizeof out->user_id);
	out->created = sqlite3_column_int64(q, 3);
	out->expires = sqlite3_column_int64(q, 4);
	done(q);
	return TG_OK;
}

static int sqlite_device_delete_user(struct store *st, const char *uid, int64_t *n_out)
{
	static const char sql[] = "DELETE FROM remembered_device WHERE user_id=?";
	return exec_counted(st, sql, uid, 0, "device delete user", n_out);
}

/* ----------------------------------------------------- authorization codes */

#define CODE_COLS "digest,tenant_id,client_id,user_id,session_id,family_id,redirect_uri," \
	"code_challenge,challenge_method,nonce,scope,auth_time,amr,acr,mfa_time,mfa_methods," \
	"created,expires,used"

static void row_code(sqlite3_stmt *st, struct store_code *c)
{
	memset(c, 0, sizeof *c);
	col_digest(st, 0, &c->digest);
	col_text(st, 1, c->tenant_id, sizeof c->tenant_id);
	col_text(st, 2, c->client_id, sizeof c->client_id);
	col_text(st, 3, c->user_id, sizeof c->user_id);
	col_text(st, 4, c->session_id, sizeof c->session_id);
	col_text(st, 5, c->family_id, sizeof c->family_id);
	col_text(st, 6, c->redirect_uri, sizeof c->redirect_uri);
	col_text(st, 7, c->code_challenge, sizeof c->code_challenge);
	col_text(st, 8, c->challenge_method, sizeof c->challenge_method);
	col_text(st, 9, c->nonce, sizeof c->nonce);
	col_text(st, 10, c->scope, sizeof c->scope);
	c->auth_time = sqlite3_column_int64(st, 11);
	col_text(st, 12, c->amr, sizeof c->amr);
	col_text(st, 13, c->acr, sizeof c->acr);
	c->mfa_time = sqlite3_column_int64(st, 14);
	c->mfa_methods = (unsigned)sqlite3_column_int64(st, 15);
	c->created = sqlite3_column_int64(st, 16);
	c->expires = sqlite3_column_int64(st, 17);
	c->used = sqlite3_column_int(st, 18) != 0;
}

static int sqlite_code_insert(struct store *st, const struct store_code *c)
{
	static const char sql[] = "INSERT INTO auth_code(" CODE_COLS ")"
		" VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
	sqlite3_stmt *q;
	int r = prep(S(st), sql, &q);
	if (r)
		return r;
	bind_digest(q, 1, &c->digest);
	bind_text(q, 2, c->tenant_id);
	bind_text(q, 3, c->client_id);
	bind_text(q, 4, c->user_id);
	bind_text(q, 5, c->session_id);
	bind_text(q, 6, c->family_id);
	bind_text(q, 7, c->redirect_uri);
	bind_text(q, 8, c->code_challenge);
	bind_text(q, 9, c->challenge_method);
	bind_text(q, 10, c->nonce);
	bind_text(q, 11, c->scope);
	sqlite3_bind_int64(q, 12, c->auth_time);
	bind_text(q, 13, c->amr);
	bind_text(q, 14, c->acr);
	sqlite3_bind_int64(q, 15, c->mfa_time);
	sqlite3_bind_int64(q, 16, c->mfa_methods);
	sqlite3_bind_int64(q, 17, c->created);
	sqlite3_bind_int64(q, 18, c->expires);
	sqlite3_bind_int(q, 19, c->used);
	return step_done(S(st), q, "code insert");
}

static int sqlite_code_consume(struct store *st, const struct store_digest *d, int64_t now,
                               struct store_code *out)
{
	/* The UPDATE is the single-use decision; RETURNING hands back the row
	 * it changed (all changes happen in the first sqlite3_step). */
	static const char use_sql[] = "UPDATE auth_code SET used=1"
		" WHERE digest=?1 AND used=0 AND expires>?2 RETURNING " CODE_COLS;
	static const char why_sql[] = "SELECT " CODE_COLS " FROM auth_code WHERE digest=?";
	sqlite3_stmt *q;
	int r = prep(S(st), use_sql, &q);
	if (r)
		return r;
	bind_digest(q, 1, d);
	sqlite3_bind_int64(q, 2, now);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		row_code(q, out);
		while ((rc = sqlite3_step(q)) == SQLITE_ROW)
			;
		r = rc == SQLITE_DONE ? TG_OK : map_rc(S(st)->db, sqlite3_extended_errcode(S(st)->db),
		                                      "code use");
		done(q);
		return r;
	}
	r = rc == SQLITE_DONE ? TG_OK : map_rc(S(st)->db, sqlite3_extended_errcode(S(st)->db),
	                                      "code use");
	done(q);
	if (r)
		return r;
	/* Not used now: say why. */
	if ((r = prep(S(st), why_sql, &q)))
		return r;
	bind_digest(q, 1, d);
	if ((r = step_row(S(st), q, "code get")))
		return r;
	struct store_code c;
	row_code(q, &c);
	done(q);
	if (c.used) {
		*out = c;
		return TG_ERR_REPLAY;
	}
	return TG_ERR_EXPIRED;
}

/* ---------------------------------------------------------- refresh tokens */

static int sqlite_family_insert(struct store *st, const struct store_refresh_family *f)
{
	static const char sql[] = "INSERT INTO refresh_family(id,tenant_id,client_id,user_id,"
		"session_id,created,expires,revoked,revoked_at) VALUES(?,?,?,?,?,?,?,?,?)";
	sqlite3_stmt *q;
	int r = prep(S(st), sql, &q);
	if (r)
		return r;
	bind_text(q, 1, f->id);
	bind_text(q, 2, f->tenant_id);
	bind_text(q, 3, f->client_id);
	bind_text(q, 4, f->user_id);
	bind_text(q, 5, f->session_id);
	sqlite3_bind_int64(q, 6, f->created);
	sqlite3_bind_int64(q, 7, f->expires);
	sqlite3_bind_int(q, 8, f->revoked);
	sqlite3_bind_int64(q, 9, f->revoked_at);
	return step_done(S(st), q, "family insert");
}

static int sqlite_family_revoke(struct store *st, const char *id, int64_t now)
{
	static const char sql[] = "UPDATE refresh_family SET revoked_at=CASE WHEN revoked=1"
		" THEN revoked_at ELSE ?2 END, revoked=1 WHERE id=?1";
	sqlite3_stmt *q;
	int r = prep(S(st), sql, &q);
	if (r)
		return r;
	bind_text(q, 1, id);
	sqlite3_bind_int64(q, 2, now);
	return step_changed(st, q, "family revoke", TG_ERR_NOT_FOUND);
}

static int sqlite_family_revoke_user(struct store *st, const char *uid, int64_t now,
                                     int64_t *n_out)
{
	static const char sql[] = "UPDATE refresh_family SET revoked=1, revoked_at=?2"
		" WHERE user_id=?1 AND revoked=0";
	return exec_counted(st, sql, uid, now, "family revoke user", n_out);
}

static int sqlite_family_revoke_session(struct store *st, const char *sid, int64_t now,
                                        int64_t *n_out)
{
	static const char sql[] = "UPDATE refresh_family SET revoked=1, revoked_at=?2"
		" WHERE session_id=?1 AND revoked=0";
	return exec_counted(st, sql, sid, now, "family revoke session", n_out);
}

static int sqlite_refresh_insert(struct store *st, const struct store_refresh *t)
{
	static const char sql[] = "INSERT INTO refresh_token(digest,family_id,scope,amr,acr,"
		"auth_time,mfa_time,mfa_methods,created,expires) VALUES(?,?,?,?,?,?,?,?,?,?)";
	sqlite3_stmt *q;
	int r = prep(S(st), sql, &q);
	if (r)
		return r;
	bind_digest(q, 1, &t->digest);
	bind_text(q, 2, t->family.id);
	bind_text(q, 3, t->scope);
	bind_text(q, 4, t->amr);
	bind_text(q, 5, t->acr);
	sqlite3_bind_int64(q, 6, t->auth_time);
	sqlite3_bind_int64(q, 7, t->mfa_time);
	sqlite3_bind_int64(q, 8, t->mfa_methods);
	sqlite3_bind_int64(q, 9, t->created);
	sqlite3_bind_int64(q, 10, t->expires);
	return step_done(S(st), q, "refresh insert");
}

static int sqlite_refresh_get(struct store *st, const struct store_digest *d,
                              struct store_refresh *out)
{
	static const char sql[] = "SELECT t.digest,f.id,f.tenant_id,f.client_id,f.user_id,"
		"f.session_id,f.created,f.expires,f.revoked,f.revoked_at,t.scope,t.amr,t.acr,"
		"t.auth_time,t.mfa_time,t.mfa_methods,t.created,t.expires,t.rotated_to IS NOT NULL,"
		"t.rotated_at FROM refresh_token t JOIN refresh_family f ON f.id=t.family_id"
		" WHERE t.digest=?";
	sqlite3_stmt *q;
	int r = prep(S(st), sql, &q);
	if (r)
		return r;
	bind_digest(q, 1, d);
	if ((r = step_row(S(st), q, "refresh get")))
		return r;
	struct store_refresh *t = out;
	memset(t, 0, sizeof *t);
	col_digest(q, 0, &t->digest);
	col_text(q, 1, t->family.id, sizeof t->family.id);
	col_text(q, 2, t->family.tenant_id, sizeof t->family.tenant_id);
	col_text(q, 3, t->family.client_id, sizeof t->family.client_id);
	col_text(q, 4, t->family.user_id, sizeof t->family.user_id);
	col_text(q, 5, t->family.session_id, sizeof t->family.session_id);
	t->family.created = sqlite3_column_int64(q, 6);
	t->family.expires = sqlite3_column_int64(q, 7);
	t->family.revoked = sqlite3_column_int(q, 8) != 0;
	t->family.revoked_at = sqlite3_column_int64(q, 9);
	col_text(q, 10, t->scope, sizeof t->scope);
	col_text(q, 11, t->amr, sizeof t->amr);
	col_text(q, 12, t->acr, sizeof t->acr);
	t->auth_time = sqlite3_column_int64(q, 13);
	t->mfa_time = sqlite3_column_int64(q, 14);
	t->mfa_methods = (unsigned)sqlite3_column_int64(q, 15);
	t->created = sqlite3_column_int64(q, 16);
	t->expires = sqlite3_column_int64(q, 17);
	t->rotated = sqlite3_column_int(q, 18) != 0;
	t->rotated_at = sqlite3_column_int64(q, 19);
	done(q);
	return TG_OK;
}

static int sqlite_refresh_rotate(struct store *st, const struct store_digest *old,
                                 const struct store_digest *fresh, int64_t now)
{
	static const char sql[] = "UPDATE refresh_token SET rotated_to=?2, rotated_at=?3"
		" WHERE digest=?1 AND rotated_to IS NULL";
	static const char exists_sql[] = "SELECT 1 FROM refresh_token WHERE digest=?";
	sqlite3_stmt *q;
	int r = prep(S(st), sql, &q);
	if (r)
		return r;
	bind_digest(q, 1, old);
	bind_digest(q, 2, fresh);
	sqlite3_bind_int64(q, 3, now);
	if ((r = step_changed(st, q, "refresh rotate", TG_ERR_REPLAY)) != TG_ERR_REPLAY)
		return r;
	if ((r = prep(S(st), exists_sql, &q)))
		return r;
	bind_digest(q, 1, old);
	if ((r = step_row(S(st), q, "refresh get")))
		return r;
	done(q);
	return TG_ERR_REPLAY;
}

/* ------------------------------------------------------------ revoked jtis */

static int sqlite_jti_revoke(struct store *st, const char *tid, const char *jti, int64_t expires)
{
	static const char sql[] = "INSERT INTO revoked_jti(jti,tenant_id,expires) VALUES(?1,?2,?3)"
		" ON CONFLICT(jti) DO UPDATE SET expires=max(expires, excluded.expires)";
	sqlite3_stmt *q;
	int r = prep(S(st), sql, &q);
	if (r)
		return r;
	bind_text(q, 1, jti);
	bind_text(q, 2, tid);
	sqlite3_bind_int64(q, 3, expires);
	return step_done(S(st), q, "jti revoke");
}

static int sqlite_jti_is_revoked(struct store *st, const char *jti, int64_t now, bool *out)
{
	static const char sql[] = "SELECT 1 FROM revoked_jti WHERE jti=? AND expires>?";
	sqlite3_stmt *q;
	int r = prep(S(st), sql, &q);
	if (r)
		return r;
	bind_text(q, 1, jti);
	sqlite3_bind_int64(q, 2, now);
	r = step_row(S(st), q, "jti get");
	if (r == TG_OK) {
		done(q);
		*out = true;
	} else if (r == TG_ERR_NOT_FOUND) {
		*out = false;
		r = TG_OK;
	}
	return r;
}

/* ------------------------------------------------------------------- purge */

static int purge_one(struct store *st, const char *sql, int64_t a, int64_t b, const char *what,
                     int64_t *n_out)
{
	sqlite3_stmt *q;
	int r = prep(S(st), sql, &q);
	if (r)
		return r;
	sqlite3_bind_int64(q, 1, a);
	if (sqlite3_bind_parameter_count(q) >= 2)
		sqlite3_bind_int64(q, 2, b);
	r = step_done(S(st), q, what);
	if (!r)
		*n_out = sqlite3_changes(S(st)->db);
	return r;
}

static int sqlite_purge(struct store *st, const struct store_oidc_purge_at *at,
                        struct store_oidc_purged *out)
{
	static const char sessions[] = "DELETE FROM session WHERE revoked=1 OR expires<=?1"
		" OR last_seen<?2";
	static const char devices[] = "DELETE FROM remembered_device WHERE expires<=?1";
	static const char codes[] = "DELETE FROM auth_code WHERE expires<?1";
	static const char tokens[] = "DELETE FROM refresh_token WHERE expires<=?1";
	static const char families[] = "DELETE FROM refresh_family WHERE expires<=?1";
	static const char jtis[] = "DELETE FROM revoked_jti WHERE expires<=?1";
	struct store_oidc_purged n;
	memset(&n, 0, sizeof n);
	int r = purge_one(st, sessions, at->now, at->idle_before, "purge sessions", &n.sessions);
	if (!r)
		r = purge_one(st, devices, at->now, 0, "purge devices", &n.devices);
	if (!r)
		r = purge_one(st, codes, at->codes_before, 0, "purge codes", &n.codes);
	if (!r)
		r = purge_one(st, tokens, at->now, 0, "purge refresh tokens", &n.tokens);
	if (!r)
		r = purge_one(st, families, at->now, 0, "purge families", &n.families);
	if (!r)
		r = purge_one(st, jtis, at->now, 0, "purge jtis", &n.jtis);
	if (!r && out)
		*out = n;
	return r;
}

/* --------------------------------------------------------------- ops table */

const struct store_oidc_ops store_sqlite_oidc_ops = {
	.version = STORE_OIDC_OPS_VERSION,
	.app_insert = sqlite_app_insert,
	.app_update = sqlite_app_update,
	.app_get = sqlite_app_get,
	.app_list = sqlite_app_list,
	.app_delete = sqlite_app_delete,
	.session_insert = sqlite_session_insert,
	.session_get = sqlite_session_get,
	.session_get_id = sqlite_session_get_id,
	.session_rotate = sqlite_session_rotate,
	.session_touch = sqlite_session_touch,
	.session_set_flow = sqlite_session_set_flow,
	.session_revoke = sqlite_session_revoke,
	.session_revoke_user = sqlite_session_revoke_user,
	.device_insert = sqlite_device_insert,
	.device_get = sqlite_device_get,
	.device_delete_user = sqlite_device_delete_user,
	.code_insert = sqlite_code_insert,
	.code_consume = sqlite_code_consume,
	.family_insert = sqlite_family_insert,
	.family_revoke = sqlite_family_revoke,
	.family_revoke_user = sqlite_family_revoke_user,
	.family_revoke_session = sqlite_family_revoke_session,
	.refresh_insert = sqlite_refresh_insert,
	.refresh_get = sqlite_refresh_get,
	.refresh_rotate = sqlite_refresh_rotate,
	.jti_revoke = sqlite_jti_revoke,
	.jti_is_revoked = sqlite_jti_is_revoked,
	.purge = sqlite_purge,
};
