/* SPDX-License-Identifier: MIT
 * SQLite backend, auth domain (see store_auth.h and schema 0003_auth.sql).
 * Bound parameters only; every single-use rule is one UPDATE whose
 * sqlite3_changes() decides (TG_ERR_REPLAY when 0).
 *
 * Sections: helpers, methods, sealed values, hardware tokens, one-time
 * codes, recovery codes, app passwords, lockout counters, ops table. */
#include <sqlite3.h>
#include <string.h>
#include "base/err.h"
#include "base/str.h"
#include "store/store_auth.h"
#include "store/store_sqlite_int.h"

/* ------------------------------------------------------------------ helpers */

static struct sqlite_store *S(struct store *s) { return sqlite_of(s); }

static void col_blob(sqlite3_stmt *st, int i, uint8_t *dst, size_t size, size_t *len_out)
{
	const void *b = sqlite3_column_blob(st, i);
	int n = sqlite3_column_bytes(st, i);
	*len_out = 0;
	if (b && n > 0 && (size_t)n <= size) {
		memcpy(dst, b, (size_t)n);
		*len_out = (size_t)n;
	}
}

static int bind_blob(sqlite3_stmt *st, int i, const uint8_t *p, size_t n)
{
	int rc = n ? sqlite3_bind_blob(st, i, p, (int)n, SQLITE_STATIC) : sqlite3_bind_null(st, i);
	return rc == SQLITE_OK ? TG_OK : TG_ERR_STORE;
}

/* Run a write; TG_ERR_NOT_FOUND (or `none`) when it changed no row. */
static int step_changed(struct store *st, sqlite3_stmt *q, const char *what, int none)
{
	int r = step_done(S(st), q, what);
	if (!r && sqlite3_changes(S(st)->db) == 0)
		r = none;
	return r;
}

/* One statement with a text key, run for its changes. */
static int exec_id(struct store *st, const char *sql, const char *id, const char *what, int none)
{
	sqlite3_stmt *q;
	int r = prep(S(st), sql, &q);
	if (r)
		return r;
	bind_text(q, 1, id);
	return step_changed(st, q, what, none);
}

static int exec_id_time(struct store *st, const char *sql, const char *id, int64_t t,
                        const char *what, int none)
{
	sqlite3_stmt *q;
	int r = prep(S(st), sql, &q);
	if (r)
		return r;
	bind_text(q, 1, id);
	sqlite3_bind_int64(q, 2, t);
	return step_changed(st, q, what, none);
}

static int count_by(struct store *st, const char *sql, const char *id, int64_t *out)
{
	sqlite3_stmt *q;
	int r = prep(S(st), sql, &q);
	if (r)
		return r;
	bind_text(q, 1, id);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(q, 0);
	r = rc == SQLITE_ROW ? TG_OK : map_rc(S(st)->db, rc, "count");
	done(q);
	return r;
}

/* Delete by user id and report how many rows went. */
static int delete_counted(struct store *st, const char *sql, const char *user_id,
                          const char *what, int64_t *n_out)
{
	sqlite3_stmt *q;
	int r = prep(S(st), sql, &q);
	if (r)
		return r;
	bind_text(q, 1, user_id);
	r = step_done(S(st), q, what);
	if (!r && n_out)
		*n_out = sqlite3_changes(S(st)->db);
	return r;
}

/* ----------------------------------------------------------------- methods */

#define METHOD_COLS "m.id,m.tenant_id,m.user_id,m.kind,m.status,m.display_name,m.secret," \
	"m.created,m.last_used,m.last_step,m.oath_alg,m.oath_digits,m.oath_period,m.detail," \
	"m.phone_type,coalesce(h.serial,'')"
#define METHOD_FROM " FROM auth_method m LEFT JOIN hardware_token h ON h.method_id=m.id"

static void row_method(sqlite3_stmt *st, struct store_method *m)
{
	memset(m, 0, sizeof *m);
	col_text(st, 0, m->id, sizeof m->id);
	col_text(st, 1, m->tenant_id, sizeof m->tenant_id);
	col_text(st, 2, m->user_id, sizeof m->user_id);
	col_text(st, 3, m->kind, sizeof m->kind);
	m->status = sqlite3_column_int(st, 4);
	col_text(st, 5, m->display_name, sizeof m->display_name);
	col_blob(st, 6, m->secret, sizeof m->secret, &m->secret_len);
	m->created = sqlite3_column_int64(st, 7);
	m->last_used = sqlite3_column_int64(st, 8);
	m->last_step = sqlite3_column_int64(st, 9);
	m->oath_alg = sqlite3_column_int(st, 10);
	m->oath_digits = (unsigned)sqlite3_column_int(st, 11);
	m->oath_period = (unsigned)sqlite3_column_int(st, 12);
	col_text(st, 13, m->detail, sizeof m->detail);
	m->phone_type = sqlite3_column_int(st, 14);
	col_text(st, 15, m->serial, sizeof m->serial);
}

static int sqlite_method_insert(struct store *st, const struct store_method *m)
{
	static const char sql[] = "INSERT INTO auth_method(id,tenant_id,user_id,kind,status,"
		"display_name,secret,created,last_used,last_step,oath_alg,oath_digits,oath_period,"
		"detail,phone_type) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
	sqlite3_stmt *q;
	int r = prep(S(st), sql, &q);
	if (r)
		return r;
	bind_text(q, 1, m->id);
	bind_text(q, 2, m->tenant_id);
	bind_text(q, 3, m->user_id);
	bind_text(q, 4, m->kind);
	sqlite3_bind_int(q, 5, m->status);
	bind_text(q, 6, m->display_name);
	bind_blob(q, 7, m->secret, m->secret_len);
	sqlite3_bind_int64(q, 8, m->created);
	sqlite3_bind_int64(q, 9, m->last_used);
	sqlite3_bind_int64(q, 10, m->last_step);
	sqlite3_bind_int(q, 11, m->oath_alg);
	sqlite3_bind_int(q, 12, (int)m->oath_digits);
	sqlite3_bind_int(q, 13, (int)m->oath_period);
	bind_text(q, 14, m->detail);
	sqlite3_bind_int(q, 15, m->phone_type);
	return step_done(S(st), q, "method insert");
}

static int sqlite_method_get(struct store *st, const char *id, struct store_method *out)
{
	static const char sql[] = "SELECT " METHOD_COLS METHOD_FROM " WHERE m.id=?";
	sqlite3_stmt *q;
	int r = prep(S(st), sql, &q);
	if (r)
		return r;
	bind_text(q, 1, id);
	if ((r = step_row(S(st), q, "method get")))
		return r;
	row_method(q, out);
	done(q);
	return TG_OK;
}

static int sqlite_method_list(struct store *st, const char *uid, store_method_cb cb, void *arg)
{
	static const char sql[] = "SELECT " METHOD_COLS METHOD_FROM
		" WHERE m.user_id=? ORDER BY m.created, m.id";
	sqlite3_stmt *q;
	int r = prep(S(st), sql, &q);
	if (r)
		return r;
	bind_text(q, 1, uid);
	int rc;
	struct store_method m;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		row_method(q, &m);
		r = cb(&m, arg);
		if (r)
			break;
	}
	if (!r && rc != SQLITE_DONE)
		r = map_rc(S(st)->db, rc, "method list");
	done(q);
	memset(&m, 0, sizeof m); /* held a sealed seed */
	return r;
}

static int sqlite_method_delete(struct store *st, const char *id)
{
	static const char sql[] = "DELETE FROM auth_method WHERE id=?";
	return exec_id(st, sql, id, "method delete", TG_ERR_NOT_FOUND);
}

static int sqlite_method_set_status(struct store *st, const char *id, int status)
{
	static const char sql[] = "UPDATE auth_method SET status=?2 WHERE id=?1";
	return exec_id_time(st, sql, id, status, "method status", TG_ERR_NOT_FOUND);
}

static int step_update(struct store *st, const char *sql, const char *id, int64_t step,
                       int64_t now, const char *what)
{
	sqlite3_stmt *q;
	int r = prep(S(st), sql, &q);
	if (r)
		return r;
	bind_text(q, 1, id);
	sqlite3_bind_int64(q, 2, step);
	sqlite3_bind_int64(q, 3, now);
	return step_changed(st, q, what, TG_ERR_REPLAY);
}

static int sqlite_method_activate(struct store *st, const char *id, int64_t step, int64_t now)
{
	static const char sql[] = "UPDATE auth_method SET status=1, last_step=?2, last_used=?3"
		" WHERE id=?1 AND status<>1 AND last_step < ?2";
	return step_update(st, sql, id, step, now, "method activate");
}

static int sqlite_oath_step_advance(struct store *st, const char *id, int64_t step, int64_t now)
{
	static const char sql[] = "UPDATE auth_method SET last_step=?2, last_used=?3"
		" WHERE id=?1 AND status=1 AND last_step < ?2";
	return step_update(st, sql, id, step, now, "oath step");
}

static int sqlite_method_touch(struct store *st, const char *id, int64_t now)
{
	static const char sql[] = "UPDATE auth_method SET last_used=?2 WHERE id=?1";
	return exec_id_time(st, sql, id, now, "method touch", TG_ERR_NOT_FOUND);
}

/* ------------------------------------------------------------ sealed values */

static int sqlite_sealed_list(struct store *st, const char *after, int limit, store_sealed_cb cb,
                              void *arg)
{
	static const char sql[] = "SELECT id,tenant_id,user_id,secret FROM auth_method"
		" WHERE secret IS NOT NULL AND id > ? ORDER BY id LIMIT ?";
	sqlite3_stmt *q;
	int r = prep(S(st), sql, &q);
	if (r)
		return r;
	bind_text(q, 1, after);
	sqlite3_bind_int(q, 2, limit);
	int rc;
	struct store_sealed v;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		memset(&v, 0, sizeof v);
		col_text(q, 0, v.method_id, sizeof v.method_id);
		col_text(q, 1, v.tenant_id, sizeof v.tenant_id);
		col_text(q, 2, v.user_id, sizeof v.user_id);
		col_blob(q, 3, v.secret, sizeof v.secret, &v.secret_len);
		r = cb(&v, arg);
		if (r)
			break;
	}
	if (!r && rc != SQLITE_DONE)
		r = map_rc(S(st)->db, rc, "sealed list");
	done(q);
	memset(&v, 0, sizeof v);
	return r;
}

static int sqlite_sealed_replace(struct store *st, const char *id, const uint8_t *old,
                                 size_t old_len, const uint8_t *fresh, size_t fresh_len)
{
	static const char sql[] = "UPDATE auth_method SET secret=?3 WHERE id=?1 AND secret=?2";
	sqlite3_stmt *q;
	int r = prep(S(st), sql, &q);
	if (r)
		return r;
	bind_text(q, 1, id);
	bind_blob(q, 2, old, old_len);
	bind_blob(q, 3, fresh, fresh_len);
	return step_changed(st, q, "sealed replace", TG_ERR_CONFLICT);
}

/* --------------------------------------------------------- hardware tokens */

#define TOKEN_COLS "h.id,h.tenant_id,h.serial,h.manufacturer,h.model,coalesce(h.method_id,'')," \
	"h.created,coalesce(m.user_id,''),coalesce(u.upn,''),coalesce(m.status,-1)," \
	"coalesce(m.last_used,0),coalesce(m.oath_alg,0),coalesce(m.oath_period,0)"
#define TOKEN_FROM " FROM hardware_token h LEFT JOIN auth_method m ON m.id=h.method_id" \
	" LEFT JOIN user u ON u.id=m.user_id"

static void row_token(sqlite3_stmt *st, struct store_hw_token *t)
{
	memset(t, 0, sizeof *t);
	col_text(st, 0, t->id, sizeof t->id);
	col_text(st, 1, t->tenant_id, sizeof t->tenant_id);
	col_text(st, 2, t->serial, sizeof t->serial);
	col_text(st, 3, t->manufacturer, sizeof t->manufacturer);
	col_text(st, 4, t->model, sizeof t->model);
	col_text(st, 5, t->method_id, sizeof t->method_id);
	t->created = sqlite3_column_int64(st, 6);
	col_text(st, 7, t->user_id, sizeof t->user_id);
	col_text(st, 8, t->upn, sizeof t->upn);
	t->method_status = sqlite3_column_int(st, 9);
	t->last_used = sqlite3_column_int64(st, 10);
	t->oath_alg = sqlite3_column_int(st, 11);
	t->oath_period = (unsigned)sqlite3_column_int(st, 12);
}

static int sqlite_hw_token_insert(struct store *st, const struct store_hw_token *t)
{
	static const char sql[] = "INSERT INTO hardware_token(id,tenant_id,serial,manufacturer,"
		"model,method_id,created) VALUES(?,?,?,?,?,nullif(?,''),?)";
	sqlite3_stmt *q;
	int r = prep(S(st), sql, &q);
	if (r)
		return r;
	bind_text(q, 1, t->id);
	bind_text(q, 2, t->tenant_id);
	bind_text(q, 3, t->serial);
	bind_text(q, 4, t->manufacturer);
	bind_text(q, 5, t->model);
	bind_text(q, 6, t->method_id);
	sqlite3_bind_int64(q, 7, t->created);
	return step_done(S(st), q, "token insert");
}

static int sqlite_hw_token_get(struct store *st, const char *serial, struct store_hw_token *out)
{
	static const char sql[] = "SELECT " TOKEN_COLS TOKEN_FROM " WHERE h.serial=?";
	sqlite3_stmt *q;
	int r = prep(S(st), sql, &q);
	if (r)
		return r;
	bind_text(q, 1, serial);
	if ((r = step_row(S(st), q, "token get")))
		return r;
	row_token(q, out);
	done(q);
	return TG_OK;
}

static int sqlite_hw_token_list(struct store *st, const char *tid, store_hw_token_cb cb, void *arg)
{
	static const char sql[] = "SELECT " TOKEN_COLS TOKEN_FROM " WHERE h.tenant_id=? ORDER BY h.serial";
	sqlite3_stmt *q;
	int r = prep(S(st), sql, &q);
	if (r)
		return r;
	bind_text(q, 1, tid);
	int rc;
	struct store_hw_token t;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		row_token(q, &t);
		r = cb(&t, arg);
		if (r)
			break;
	}
	if (!r && rc != SQLITE_DONE)
		r = map_rc(S(st)->db, rc, "token list");
	done(q);
	return r;
}

static int sqlite_hw_token_delete(struct store *st, const char *id)
{
	static const char sql[] = "DELETE FROM hardware_token WHERE id=?";
	return exec_id(st, sql, id, "token delete", TG_ERR_NOT_FOUND);
}

/* ---------------------------------------------------------- one-time codes */

static int sqlite_otp_code_insert(struct store *st, const struct store_otp_code *c)
{
	static const char sql[] = "INSERT INTO otp_code(id,tenant_id,user_id,method_id,channel,"
		"digest,created,ttl,delivered,used_at,failures) VALUES(?,?,?,?,?,?,?,?,?,?,?)";
	sqlite3_stmt *q;
	int r = prep(S(st), sql, &q);
	if (r)
		return r;
	bind_text(q, 1, c->id);
	bind_text(q, 2, c->tenant_id);
	bind_text(q, 3, c->user_id);
	bind_text(q, 4, c->method_id);
	bind_text(q, 5, c->channel);
	bind_blob(q, 6, c->digest, c->digest_len);
	sqlite3_bind_int64(q, 7, c->created);
	sqlite3_bind_int64(q, 8, c->ttl);
	sqlite3_bind_int(q, 9, c->delivered);
	sqlite3_bind_int64(q, 10, c->used_at);
	sqlite3_bind_int(q, 11, (int)c->failures);
	return step_done(S(st), q, "code insert");
}

static int sqlite_otp_code_list(struct store *st, const char *uid, int64_t since, int limit,
                                store_otp_code_cb cb, void *arg)
{
	static const char sql[] = "SELECT id,tenant_id,user_id,method_id,channel,digest,created,"
		"ttl,delivered,used_at,failures FROM otp_code WHERE user_id=? AND created>=?"
		" ORDER BY created DESC, id LIMIT ?";
	sqlite3_stmt *q;
	int r = prep(S(st), sql, &q);
	if (r)
		return r;
	bind_text(q, 1, uid);
	sqlite3_bind_int64(q, 2, since);
	sqlite3_bind_int(q, 3, limit);
	int rc;
	struct store_otp_code c;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		memset(&c, 0, sizeof c);
		col_text(q, 0, c.id, sizeof c.id);
		col_text(q, 1, c.tenant_id, sizeof c.tenant_id);
		col_text(q, 2, c.user_id, sizeof c.user_id);
		col_text(q, 3, c.method_id, sizeof c.method_id);
		col_text(q, 4, c.channel, sizeof c.channel);
		col_blob(q, 5, c.digest, sizeof c.digest, &c.digest_len);
		c.created = sqlite3_column_int64(q, 6);
		c.ttl = sqlite3_column_int64(q, 7);
		c.delivered = sqlite3_column_int(q, 8) != 0;
		c.used_at = sqlite3_column_int64(q, 9);
		c.failures = (unsigned)sqlite3_column_int(q, 10);
		r = cb(&c, arg);
		if (r)
			break;
	}
	if (!r && rc != SQLITE_DONE)
		r = map_rc(S(st)->db, rc, "code list");
	done(q);
	return r;
}

static int sqlite_otp_code_delivered(struct store *st, const char *id)
{
	static const char sql[] = "UPDATE otp_code SET delivered=1 WHERE id=?";
	return exec_id(st, sql, id, "code delivered", TG_ERR_NOT_FOUND);
}

static int sqlite_otp_code_delete(struct store *st, const char *id)
{
	static const char sql[] = "DELETE FROM otp_code WHERE id=?";
	return exec_id(st, sql, id, "code delete", TG_ERR_NOT_FOUND);
}

static int sqlite_otp_code_use(struct store *st, const char *id, int64_t now)
{
	static const char sql[] = "UPDATE otp_code SET used_at=?2 WHERE id=?1 AND used_at=0"
		" AND delivered=1";
	return exec_id_time(st, sql, id, now, "code use", TG_ERR_REPLAY);
}

static int sqlite_otp_code_fail(struct store *st, const char *id)
{
	static const char sql[] = "UPDATE otp_code SET failures=failures+1 WHERE id=?";
	return exec_id(st, sql, id, "code failure", TG_ERR_NOT_FOUND);
}

static int sqlite_otp_code_use_all(struct store *st, const char *uid, int64_t now)
{
	static const char sql[] = "UPDATE otp_code SET used_at=?2 WHERE user_id=?1 AND used_at=0";
	return exec_id_time(st, sql, uid, now, "code use all", TG_OK);
}

static int sqlite_otp_code_purge(struct store *st, const char *uid, int64_t before)
{
	static const char sql[] = "DELETE FROM otp_code WHERE user_id=?1 AND created<?2";
	return exec_id_time(st, sql, uid, before, "code purge", TG_OK);
}

/* ---------------------------------------------------------- recovery codes */

static int sqlite_recovery_code_insert(struct store *st, const char *tid, const char *uid,
                                       const struct store_recovery_code *c)
{
	static const char sql[] = "INSERT INTO recovery_code(id,tenant_id,user_id,digest,created,"
		"used_at) VALUES(?,?,?,?,?,?)";
	sqlite3_stmt *q;
	int r = prep(S(st), sql, &q);
	if (r)
		return r;
	bind_text(q, 1, c->id);
	bind_text(q, 2, tid);
	bind_text(q, 3, uid);
	bind_blob(q, 4, c->digest, c->digest_len);
	sqlite3_bind_int64(q, 5, c->created);
	sqlite3_bind_int64(q, 6, c->used_at);
	return step_done(S(st), q, "recovery insert");
}

static int sqlite_recovery_code_list(struct store *st, const char *uid, store_recovery_cb cb,
                                     void *arg)
{
	static const char sql[] = "SELECT id,digest,created,used_at FROM recovery_code"
		" WHERE user_id=? ORDER BY id";
	sqlite3_stmt *q;
	int r = prep(S(st), sql, &q);
	if (r)
		return r;
	bind_text(q, 1, uid);
	int rc;
	struct store_recovery_code c;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		memset(&c, 0, sizeof c);
		col_text(q, 0, c.id, sizeof c.id);
		col_blob(q, 1, c.digest, sizeof c.digest, &c.digest_len);
		c.created = sqlite3_column_int64(q, 2);
		c.used_at = sqlite3_column_int64(q, 3);
		r = cb(&c, arg);
		if (r)
			break;
	}
	if (!r && rc != SQLITE_DONE)
		r = map_rc(S(st)->db, rc, "recovery list");
	done(q);
	return r;
}

static int sqlite_recovery_code_use(struct store *st, const char *id, int64_t now)
{
	static const char sql[] = "UPDATE recovery_code SET used_at=?2 WHERE id=?1 AND used_at=0";
	return exec_id_time(st, sql, id, now, "recovery use", TG_ERR_REPLAY);
}

static int sqlite_recovery_code_delete_all(struct store *st, const char *uid, int64_t *n_out)
{
	static const char sql[] = "DELETE FROM recovery_code WHERE user_id=?";
	return delete_counted(st, sql, uid, "recovery delete", n_out);
}

/* ----------------------------------------------------------- app passwords */

static int sqlite_app_password_insert(struct store *st, const struct store_app_password *p)
{
	static const char sql[] = "INSERT INTO app_password(id,tenant_id,user_id,name,pwhash,"
		"created,last_used) VALUES(?,?,?,?,?,?,?)";
	sqlite3_stmt *q;
	int r = prep(S(st), sql, &q);
	if (r)
		return r;
	bind_text(q, 1, p->id);
	bind_text(q, 2, p->tenant_id);
	bind_text(q, 3, p->user_id);
	bind_text(q, 4, p->name);
	bind_text(q, 5, p->pwhash);
	sqlite3_bind_int64(q, 6, p->created);
	sqlite3_bind_int64(q, 7, p->last_used);
	return step_done(S(st), q, "app password insert");
}

static int sqlite_app_password_list(struct store *st, const char *uid, store_app_password_cb cb,
                                    void *arg)
{
	static const char sql[] = "SELECT id,tenant_id,user_id,name,pwhash,created,last_used"
		" FROM app_password WHERE user_id=? ORDER BY created DESC, id";
	sqlite3_stmt *q;
	int r = prep(S(st), sql, &q);
	if (r)
		return r;
	bind_text(q, 1, uid);
	int rc;
	struct store_app_password p;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		memset(&p, 0, sizeof p);
		col_text(q, 0, p.id, sizeof p.id);
		col_text(q, 1, p.tenant_id, sizeof p.tenant_id);
		col_text(q, 2, p.user_id, sizeof p.user_id);
		col_text(q, 3, p.name, sizeof p.name);
		col_text(q, 4, p.pwhash, sizeof p.pwhash);
		p.created = sqlite3_column_int64(q, 5);
		p.last_used = sqlite3_column_int64(q, 6);
		r = cb(&p, arg);
		if (r)
			break;
	}
	if (!r && rc != SQLITE_DONE)
		r = map_rc(S(st)->db, rc, "app password list");
	done(q);
	return r;
}

static int sqlite_app_password_count(struct store *st, const char *uid, int64_t *out)
{
	static const char sql[] = "SELECT count(*) FROM app_password WHERE user_id=?";
	return count_by(st, sql, uid, out);
}

static int sqlite_app_password_delete(struct store *st, const char *uid, const char *id)
{
	static const char sql[] = "DELETE FROM app_password WHERE user_id=? AND id=?";
	sqlite3_stmt *q;
	int r = prep(S(st), sql, &q);
	if (r)
		return r;
	bind_text(q, 1, uid);
	bind_text(q, 2, id);
	return step_changed(st, q, "app password delete", TG_ERR_NOT_FOUND);
}

static int sqlite_app_password_delete_all(struct store *st, const char *uid, int64_t *n_out)
{
	static const char sql[] = "DELETE FROM app_password WHERE user_id=?";
	return delete_counted(st, sql, uid, "app password delete all", n_out);
}

static int sqlite_app_password_touch(struct store *st, const char *id, int64_t now)
{
	static const char sql[] = "UPDATE app_password SET last_used=?2 WHERE id=?1";
	return exec_id_time(st, sql, id, now, "app password touch", TG_ERR_NOT_FOUND);
}

/* -------------------------------------------------------- lockout counters */

static int sqlite_lockout_get(struct store *st, const char *key, struct lockout_state *out)
{
	static const char sql[] = "SELECT failures,last_failure,locked_until FROM lockout WHERE key=?";
	sqlite3_stmt *q;
	int r = prep(S(st), sql, &q);
	if (r)
		return r;
	bind_text(q, 1, key);
	if ((r = step_row(S(st), q, "lockout get")))
		return r;
	memset(out, 0, sizeof *out);
	out->failures = (uint32_t)sqlite3_column_int64(q, 0);
	out->last_failure = sqlite3_column_int64(q, 1);
	out->locked_until = sqlite3_column_int64(q, 2);
	done(q);
	return TG_OK;
}

static int sqlite_lockout_put(struct store *st, const char *tid, const char *key,
                              const struct lockout_state *ls)
{
	static const char sql[] = "INSERT INTO lockout(key,tenant_id,failures,last_failure,"
		"locked_until) VALUES(?,?,?,?,?) ON CONFLICT(key) DO UPDATE SET"
		" failures=excluded.failures, last_failure=excluded.last_failure,"
		" locked_until=excluded.locked_until";
	sqlite3_stmt *q;
	int r = prep(S(st), sql, &q);
	if (r)
		return r;
	bind_text(q, 1, key);
	bind_text(q, 2, tid);
	sqlite3_bind_int64(q, 3, ls->failures);
	sqlite3_bind_int64(q, 4, ls->last_failure);
	sqlite3_bind_int64(q, 5, ls->locked_until);
	return step_done(S(st), q, "lockout put");
}

static int sqlite_lockout_delete(struct store *st, const char *key)
{
	static const char sql[] = "DELETE FROM lockout WHERE key=?";
	return exec_id(st, sql, key, "lockout delete", TG_OK);
}

/* --------------------------------------------------------------- ops table */

const struct store_auth_ops store_sqlite_auth_ops = {
	.version = STORE_AUTH_OPS_VERSION,
	.method_insert = sqlite_method_insert,
	.method_get = sqlite_method_get,
	.method_list = sqlite_method_list,
	.method_delete = sqlite_method_delete,
	.method_set_status = sqlite_method_set_status,
	.method_activate = sqlite_method_activate,
	.oath_step_advance = sqlite_oath_step_advance,
	.method_touch = sqlite_method_touch,
	.sealed_list = sqlite_sealed_list,
	.sealed_replace = sqlite_sealed_replace,
	.hw_token_insert = sqlite_hw_token_insert,
	.hw_token_get = sqlite_hw_token_get,
	.hw_token_list = sqlite_hw_token_list,
	.hw_token_delete = sqlite_hw_token_delete,
	.otp_code_insert = sqlite_otp_code_insert,
	.otp_code_list = sqlite_otp_code_list,
	.otp_code_delivered = sqlite_otp_code_delivered,
	.otp_code_delete = sqlite_otp_code_delete,
	.otp_code_use = sqlite_otp_code_use,
	.otp_code_fail = sqlite_otp_code_fail,
	.otp_code_use_all = sqlite_otp_code_use_all,
	.otp_code_purge = sqlite_otp_code_purge,
	.recovery_code_insert = sqlite_recovery_code_insert,
	.recovery_code_list = sqlite_recovery_code_list,
	.recovery_code_use = sqlite_recovery_code_use,
	.recovery_code_delete_all = sqlite_recovery_code_delete_all,
	.app_password_insert = sqlite_app_password_insert,
	.app_password_list = sqlite_app_password_list,
	.app_password_count = sqlite_app_password_count,
	.app_password_delete = sqlite_app_password_delete,
	.app_password_delete_all = sqlite_app_password_delete_all,
	.app_password_touch = sqlite_app_password_touch,
	.lockout_get = sqlite_lockout_get,
	.lockout_put = sqlite_lockout_put,
	.lockout_delete = sqlite_lockout_delete,
};
