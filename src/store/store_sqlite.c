/* SPDX-License-Identifier: MIT
 * SQLite store backend: one database file (WAL, synchronous=FULL, foreign
 * keys, secure_delete, mode 0600), numbered migrations embedded from
 * src/store/schema/sqlite/, bound parameters only, prepared statements
 * cached per handle. A handle belongs to one thread at a time.
 *
 * Sections: open/migrate, helpers, tenants, users, groups, roles, audit,
 * settings, ops table. */
#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "base/embed.h"
#include "base/err.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/str.h"
#include "store/store.h"
#include "store/store_int.h"
#include "store/store_auth.h"
#include "store/store_policy.h"
#include "store/store_oidc.h"
#include "store/store_notify.h"
#include "store/store_sqlite_int.h"


static struct sqlite_store *S(struct store *s) { return (struct sqlite_store *)s; }

/* ------------------------------------------------------------------ helpers */

int map_rc(sqlite3 *db, int rc, const char *what)
{
	switch (rc) {
	case SQLITE_OK:
	case SQLITE_DONE:
	case SQLITE_ROW:
		return TG_OK;
	case SQLITE_CONSTRAINT_UNIQUE:
	case SQLITE_CONSTRAINT_PRIMARYKEY:
		return TG_ERR_EXISTS;
	case SQLITE_CONSTRAINT_FOREIGNKEY:
		return TG_ERR_NOT_FOUND;
	case SQLITE_CONSTRAINT_CHECK:
		return TG_ERR_INVALID;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return TG_ERR_BUSY;
	default:
		log_error("sqlite %s: %s (%d)", what, db ? sqlite3_errmsg(db) : "?", rc);
		return TG_ERR_STORE;
	}
}

int prep(struct sqlite_store *s, const char *sql, sqlite3_stmt **out)
{
	int free_slot = -1;
	for (int i = 0; i < STMT_CACHE; i++) {
		if (s->cache[i].sql == sql) {
			*out = s->cache[i].st;
			return TG_OK;
		}
		if (!s->cache[i].sql && free_slot < 0)
			free_slot = i;
	}
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
	if (rc != SQLITE_OK)
		return map_rc(s->db, rc, "prepare");
	if (free_slot < 0) {
		log_error("statement cache full; raise STMT_CACHE");
		sqlite3_finalize(st);
		return TG_ERR_INTERNAL;
	}
	s->cache[free_slot].sql = sql;
	s->cache[free_slot].st = st;
	*out = st;
	return TG_OK;
}

void done(sqlite3_stmt *st)
{
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
}

int bind_text(sqlite3_stmt *st, int i, const char *v)
{
	return sqlite3_bind_text(st, i, v ? v : "", -1, SQLITE_STATIC) == SQLITE_OK ? TG_OK
	                                                                           : TG_ERR_STORE;
}

void col_text(sqlite3_stmt *st, int i, char *dst, size_t size)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	tg_strlcpy(dst, t ? (const char *)t : "", size);
}

/* Run a statement expecting no rows; returns mapped code. */
int step_done(struct sqlite_store *s, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);
	int r = rc == SQLITE_DONE ? TG_OK : map_rc(s->db, sqlite3_extended_errcode(s->db), what);
	done(st);
	return r;
}

int step_row(struct sqlite_store *s, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		return TG_OK;
	int r = rc == SQLITE_DONE ? TG_ERR_NOT_FOUND : map_rc(s->db, rc, what);
	done(st);
	return r;
}

int exec_sql(struct sqlite_store *s, const char *sql, const char *what)
{
	char *err = NULL;
	int rc = sqlite3_exec(s->db, sql, NULL, NULL, &err);
	if (rc != SQLITE_OK) {
		log_error("sqlite %s: %s", what, err ? err : sqlite3_errstr(rc));
		sqlite3_free(err);
		return rc == SQLITE_BUSY ? TG_ERR_BUSY : TG_ERR_STORE;
	}
	return TG_OK;
}

/* ------------------------------------------------------------ open/migrate */

static int migration_version(const char *path)
{
	int64_t v = 0;
	char num[8] = {0};
	for (int i = 0; i < 4 && path[i]; i++)
		num[i] = path[i];
	if (tg_parse_i64(num, 1, 9999, &v) != TG_OK)
		return -1;
	return (int)v;
}

int store_sqlite_latest_schema(void)
{
	int latest = 0;
	for (const struct embed_file *f = schema_sqlite; f->path; f++) {
		int v = migration_version(f->path);
		if (v > latest)
			latest = v;
	}
	return latest;
}

static int current_version(struct sqlite_store *s, int *out)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(s->db, "SELECT coalesce(max(version),0) FROM schema_migrations",
	                            -1, &st, NULL);
	if (rc != SQLITE_OK)
		return map_rc(s->db, rc, "schema version");
	rc = sqlite3_step(st);
	int r = TG_ERR_STORE;
	if (rc == SQLITE_ROW) {
		*out = sqlite3_column_int(st, 0);
		r = TG_OK;
	}
	sqlite3_finalize(st);
	return r;
}

static int migrate(struct sqlite_store *s, int max_schema)
{
	int latest = store_sqlite_latest_schema();
	int target = max_schema > 0 && max_schema < latest ? max_schema : latest;
	int r = exec_sql(s, "CREATE TABLE IF NOT EXISTS schema_migrations ("
	                    " version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
	                    " applied INTEGER NOT NULL)", "create schema_migrations");
	if (r)
		return r;
	int cur = 0;
	if ((r = current_version(s, &cur)))
		return r;
	if (cur > latest) {
		log_error("database schema version %d is newer than this Tollgate supports (%d): "
		          "upgrade Tollgate, or restore a backup made by this version", cur, latest);
		return TG_ERR_SCHEMA_NEWER;
	}
	for (const struct embed_file *f = schema_sqlite; f->path; f++) {
		int v = migration_version(f->path);
		if (v <= cur || v > target)
			continue;
		if ((r = exec_sql(s, "BEGIN IMMEDIATE", "begin migration")))
			return r;
		int again = 0;
		if ((r = current_version(s, &again)) == TG_OK && again < v) {
			r = exec_sql(s, (const char *)f->data, f->path);
			if (r == TG_OK) {
				sqlite3_stmt *st = NULL;
				int rc = sqlite3_prepare_v2(s->db, "INSERT INTO schema_migrations(version,name,applied)"
				                            " VALUES(?,?,strftime('%s','now'))", -1, &st, NULL);
				if (rc == SQLITE_OK) {
					sqlite3_bind_int(st, 1, v);
					sqlite3_bind_text(st, 2, f->path, -1, SQLITE_STATIC);
					rc = sqlite3_step(st);
				}
				sqlite3_finalize(st);
				if (rc != SQLITE_DONE)
					r = map_rc(s->db, rc, "record migration");
			}
		}
		if (r) {
			exec_sql(s, "ROLLBACK", "rollback migration");
			log_error("migration %s failed: %s", f->path, tg_strerror(r));
			return r;
		}
		if ((r = exec_sql(s, "COMMIT", "commit migration")))
			return r;
		log_debug("applied migration %s", f->path);
	}
	return TG_OK;
}

static void sqlite_close(struct store *st)
{
	struct sqlite_store *s = S(st);
	if (!s)
		return;
	for (int i = 0; i < STMT_CACHE; i++)
		if (s->cache[i].st)
			sqlite3_finalize(s->cache[i].st);
	if (s->db)
		sqlite3_close(s->db);
	free(s);
}

static int sqlite_open(const struct store_open_opts *o, struct store **out)
{
	const char *path = o->dsn;
	bool mem = strcmp(path, ":memory:") == 0;
	if (!mem) {
		if (o->create) {
			/* create the file ourselves so it is 0600 from the start */
			int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
			if (fd < 0) {
				log_error("cannot create database %s: %s", path, strerror(errno));
				return TG_ERR_IO;
			}
			close(fd);
		} else if (access(path, F_OK) != 0) {
			log_error("database %s does not exist (run `tollgate init` first)", path);
			return TG_ERR_NOT_FOUND;
		}
	}
	struct sqlite_store *s = xcalloc(1, sizeof *s);
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
	int rc = sqlite3_open_v2(path, &s->db, flags, NULL);
	if (rc != SQLITE_OK) {
		log_error("cannot open database %s: %s", path, s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
		sqlite_close(&s->base);
		return TG_ERR_STORE;
	}
	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_busy_timeout(s->db, 5000);
	int r = exec_sql(s, "PRAGMA foreign_keys=ON; PRAGMA secure_delete=ON;"
	                    " PRAGMA synchronous=FULL;", "pragmas");
	if (!r && !mem)
		r = exec_sql(s, "PRAGMA journal_mode=WAL;", "wal");
	if (!r)
		r = migrate(s, o->max_schema);
	if (r) {
		sqlite_close(&s->base);
		return r;
	}
	*out = &s->base; /* transferred */
	return TG_OK;
}

static int sqlite_schema_version(struct store *st, int *out)
{
	return current_version(S(st), out);
}

static int sqlite_ping(struct store *st)
{
	int v;
	return current_version(S(st), &v);
}

static int sqlite_tx_begin(struct store *st) { return exec_sql(S(st), "BEGIN IMMEDIATE", "begin"); }
static int sqlite_tx_commit(struct store *st) { return exec_sql(S(st), "COMMIT", "commit"); }
static int sqlite_tx_rollback(struct store *st) { return exec_sql(S(st), "ROLLBACK", "rollback"); }

/* ----------------------------------------------------------------- tenants */

#define TENANT_COLS "id,name,domain,display_name,created"

static void row_tenant(sqlite3_stmt *st, struct tg_tenant *t)
{
	memset(t, 0, sizeof *t);
	col_text(st, 0, t->id, sizeof t->id);
	col_text(st, 1, t->name, sizeof t->name);
	col_text(st, 2, t->domain, sizeof t->domain);
	col_text(st, 3, t->display_name, sizeof t->display_name);
	t->created = sqlite3_column_int64(st, 4);
}

static int sqlite_tenant_insert(struct store *st, const struct tg_tenant *t)
{
	static const char sql[] = "INSERT INTO tenant(" TENANT_COLS ") VALUES(?,?,?,?,?)";
	sqlite3_stmt *q;
	int r = prep(S(st), sql, &q);
	if (r)
		return r;
	bind_text(q, 1, t->id);
	bind_text(q, 2, t->name);
	bind_text(q, 3, t->domain);
	bind_text(q, 4, t->display_name);
	sqlite3_bind_int64(q, 5, t->created);
	return step_done(S(st), q, "tenant insert");
}

static int sqlite_tenant_get(struct store *st, const char *k, struct tg_tenant *out)
{
	static const char sql[] = "SELECT " TENANT_COLS " FROM tenant WHERE id=?1 OR name=?1";
	sqlite3_stmt *q;
	int r = prep(S(st), sql, &q);
	if (r)
		return r;
	bind_text(q, 1, k);
	if ((r = step_row(S(st), q, "tenant get")))
		return r;
	row_tenant(q, out);
	done(q);
	return TG_OK;
}

static int sqlite_tenant_list(struct store *st, store_tenant_cb cb, void *arg)
{
	static const char sql[] = "SELECT " TENANT_COLS " FROM tenant ORDER BY name";
	sqlite3_stmt *q;
	int r = prep(S(st), sql, &q);
	if (r)
		return r;
	int rc;
	struct tg_tenant t;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		row_tenant(q, &t);
		if ((r = cb(&t, arg)))
			break;
	}
	if (!r && rc != SQLITE_DONE)
		r = map_rc(S(st)->db, rc, "tenant list");
	done(q);
	return r;
}

/* ------------------------------------------------------------------- users */

#define USER_COLS "id,tenant_id,upn,display_name,email,phone,locale,enabled,is_guest," \
	"must_change_password,pwhash,mfa_state,created,modified"

static void row_user(sqlite3_stmt *st, struct tg_user *u)
{
	memset(u, 0, sizeof *u);
	col_text(st, 0, u->id, sizeof u->id);
	col_text(st, 1, u->tenant_id, sizeof u->tenant_id);
	col_text(st, 2, u->upn, sizeof u->upn);
	col_text(st, 3, u->display_name, sizeof u->display_name);
	col_text(st, 4, u->email, sizeof u->email);
	col_text(st, 5, u->phone, sizeof u->phone);
	col_text(st, 6, u->locale, sizeof u->locale);
	u->enabled = sqlite3_column_int(st, 7) != 0;
	u->is_guest = sqlite3_column_int(st, 8) != 0;
	u->must_change_password = sqlite3_column_int(st, 9) != 0;
	col_text(st, 10, u->pwhash, sizeof u->pwhash);
	int ms = sqlite3_column_int(st, 11);
	u->mfa_state = (ms >= 0 && ms <= 2) ? (enum mfa_state)ms : MFA_STATE_ENFORCED;
	u->created = sqlite3_column_int64(st, 12);
	u->modified = sqlite3_column_int64(st, 13);
}

static void bind_user(sqlite3_stmt *q, const struct tg_user *u)
{
	bind_text(q, 1, u->id);
	bind_text(q, 2, u->tenant_id);
	bind_text(q, 3, u->upn);
	bind_text(q, 4, u->display_name);
	bind_text(q, 5, u->email);
	bind_text(q, 6, u->phone);
	bind_text(q, 7, u->locale);
	sqlite3_bind_int(q, 8, u->enabled);
	sqlite3_bind_int(q, 9, u->is_guest);
	sqlite3_bind_int(q, 10, u->must_change_password);
	bind_text(q, 11, u->pwhash);
	sqlite3_bind_int(q, 12, (int)u->mfa_state);
	sqlite3_bind_int64(q, 13, u->created);
	sqlite3_bind_int64(q, 14, u->modified);
}

static int sqlite_user_insert(struct store *st, const struct tg_user *u)
{
	static const char sql[] = "INSERT INTO user(" USER_COLS ") VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
	sqlite3_stmt *q;
	int r = prep(S(st), sql, &q);
	if (r)
		return r;
	bind_user(q, u);
	return step_done(S(st), q, "user insert");
}

static int sqlite_user_update(struct store *st, const struct tg_user *u)
{
	/* tenant_id and created never change */
	static const char sql[] = "UPDATE user SET upn=?3,display_name=?4,email=?5,phone=?6,"
		"locale=?7,enabled=?8,is_guest=?9,must_change_password=?10,pwhash=?11,mfa_state=?12,"
		"modified=?14 WHERE id=?1 AND tenant_id=?2 AND ?13=?13";
	sqlite3_stmt *q;
	int r = prep(S(st), sql, &q);
	if (r)
		return r;
	bind_user(q, u);
	r = step_done(S(st), q, "user update");
	if (!r && sqlite3_changes(S(st)->db) == 0)
		r = TG_ERR_NOT_FOUND;
	return r;
}

static int sqlite_user_delete(struct store *st, const char *id)
{
	static const char sql_m[] = "DELETE FROM group_member WHERE member_kind=0 AND member_id=?";
	static const char sql[] = "DELETE FROM user WHERE id=?";
	sqlite3_stmt *q;
	int r = prep(S(st), sql_m, &q);
	if (r)
		return r;
	bind_text(q, 1, id);
	if ((r = step_done(S(st), q, "user memberships delete")))
		return r;
	if ((r = prep(S(st), sql, &q)))
		return r;
	bind_text(q, 1, id);
	r = step_done(S(st), q, "user delete");
	if (!r && sqlite3_changes(S(st)->db) == 0)
		r = TG_ERR_NOT_FOUND;
	return r;
}

static int user_get_one(struct store *st, const char *sql, const char *k, struct tg_user *out)
{
	sqlite3_stmt *q;
	int r = prep(S(st), sql, &q);
	if (r)
		return r;
	bind_text(q, 1, k);
	if ((r = step_row(S(st), q, "user get")))
		return r;
	row_user(q, out);
	done(q);
	return TG_OK;
}

static int sqlite_user_get(struct store *st, const char *id, struct tg_user *out)
{
	static const char sql[] = "SELECT " USER_COLS " FROM user WHERE id=?";
	return user_get_one(st, sql, id, out);
}

static int sqlite_user_get_by_upn(struct store *st, const char *upn, struct tg_user *out)
{
	static const char sql[] = "SELECT " USER_COLS " FROM user WHERE upn=lower(?)";
	return user_get_one(st, sql, upn, out);
}

/* LIKE-free prefix match: upn >= p AND upn < p || U+10FFFF keeps the index. */
static int sqlite_user_list(struct store *st, const struct user_query *uq, store_user_cb cb, void *arg)
{
	static const char sql[] = "SELECT " USER_COLS " FROM user WHERE tenant_id=?1"
		" AND (?2 IS NULL OR upn > ?2)"
		" AND (?3 IS NULL OR (upn >= ?3 AND upn < ?3 || char(1114111)))"
		" AND (?4 IS NULL OR upn = ?4)"
		" AND (?5 IS NULL OR substr(lower(display_name),1,length(?5)) = lower(?5))"
		" AND (?6 IS NULL OR lower(display_name) = lower(?6))"
		" AND (?7 < 0 OR mfa_state = ?7)"
		" ORDER BY upn LIMIT ?8";
	sqlite3_stmt *q;
	int r = prep(S(st), sql, &q);
	if (r)
		return r;
	bind_text(q, 1, uq->tenant_id);
	if (uq->after_upn) bind_text(q, 2, uq->after_upn);
	if (uq->upn_prefix) bind_text(q, 3, uq->upn_prefix);
	if (uq->upn_eq) bind_text(q, 4, uq->upn_eq);
	if (uq->name_prefix) bind_text(q, 5, uq->name_prefix);
	if (uq->name_eq) bind_text(q, 6, uq->name_eq);
	sqlite3_bind_int(q, 7, uq->state);
	sqlite3_bind_int64(q, 8, uq->limit > 0 ? uq->limit : -1);
	int rc;
	struct tg_user u;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		row_user(q, &u);
		if ((r = cb(&u, arg)))
			break;
	}
	if (!r && rc != SQLITE_DONE)
		r = map_rc(S(st)->db, rc, "user list");
	tg_wipe(u.pwhash, sizeof u.pwhash);
	done(q);
	return r;
}

static int count1(struct store *st, const char *sql, const char *k, int64_t *out)
{
	sqlite3_stmt *q;
	int r = prep(S(st), sql, &q);
	if (r)
		return r;
	bind_text(q, 1, k);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(q, 0);
	r = rc == SQLITE_ROW ? TG_OK : map_rc(S(st)->db, rc, "count");
	done(q);
	return r;
}

static int sqlite_user_count(struct store *st, const char *tid, int64_t *out)
{
	static const char sql[] = "SELECT count(*) FROM user WHERE tenant_id=?";
	return count1(st, sql, tid, out);
}

static int sqlite_user_method_count(struct store *st, const char *uid, int64_t *out)
{
	static const char sql[] = "SELECT count(*) FROM auth_method WHERE user_id=? AND status=1";
	return count1(st, sql, uid, out);
}

static int sqlite_user_set_mfa_state(struct store *st, const char *id, enum mfa_state ms, int64_t modified)
{
	static const char sql[] = "UPDATE user SET mfa_state=?2, modified=?3 WHERE id=?1";
	sqlite3_stmt *q;
	int r = prep(S(st), sql, &q);
	if (r)
		return r;
	bind_text(q, 1, id);
	sqlite3_bind_int(q, 2, (int)ms);
	sqlite3_bind_int64(q, 3, modified);
	r = step_done(S(st), q, "user set mfa state");
	if (!r && sqlite3_changes(S(st)->db) == 0)
		r = TG_ERR_NOT_FOUND;
	return r;
}

/* ------------------------------------------------------------------ groups */

#define GROUP_COLS "id,tenant_id,name,description,created"

static void row_group(sqlite3_stmt *st, struct tg_group *g)
{
	memset(g, 0, sizeof *g);
	col_text(st, 0, g->id, sizeof g->id);
	col_text(st, 1, g->tenant_id, sizeof g->tenant_id);
	col_text(st, 2, g->name, sizeof g->name);
	col_text(st, 3, g->description, sizeof g->description);
	g->created = sqlite3_column_int64(st, 4);
}

static int sqlite_group_insert(struct store *st, const struct tg_group *g)
{
	static const char sql[] = "INSERT INTO grp(" GROUP_COLS ") VALUES(?,?,?,?,?)";
	sqlite3_stmt *q;
	int r = prep(S(st), sql, &q);
	if (r)
		return r;
	bind_text(q, 1, g->id);
	bind_text(q, 2, g->tenant_id);
	bind_text(q, 3, g->name);
	bind_text(q, 4, g->description);
	sqlite3_bind_int64(q, 5, g->created);
	return step_done(S(st), q, "group insert");
}

static int sqlite_group_delete(struct store *st, const char *id)
{
	static const char sql_m[] = "DELETE FROM group_member WHERE member_kind=1 AND member_id=?";
	static const char sql[] = "DELETE FROM grp WHERE id=?";
	sqlite3_stmt *q;
	int r = prep(S(st), sql_m, &q);
	if (r)
		return r;
	bind_text(q, 1, id);
	if ((r = step_done(S(st), q, "group memberships delete")))
		return r;
	if ((r = prep(S(st), sql, &q)))
		return r;
	bind_text(q, 1, id);
	r = step_done(S(st), q, "group delete");
	if (!r && sqlite3_changes(S(st)->db) == 0)
		r = TG_ERR_NOT_FOUND;
	return r;
}

static int sqlite_group_update(struct store *st, const struct tg_group *g)
{
	static const char sql[] = "UPDATE grp SET name=?3, description=?4 WHERE id=?1 AND tenant_id=?2";
	sqlite3_stmt *q;
	int r = prep(S(st), sql, &q);
	if (r)
		return r;
	bind_text(q, 1, g->id);
	bind_text(q, 2, g->tenant_id);
	bind_text(q, 3, g->name);
	bind_text(q, 4, g->description);
	r = step_done(S(st), q, "group update");
	if (!r && sqlite3_changes(S(st)->db) == 0)
		r = TG_ERR_NOT_FOUND;
	return r;
}

static int sqlite_group_get(struct store *st, const char *tid, const char *k, struct tg_group *out)
{
	static const char sql[] = "SELECT " GROUP_COLS " FROM grp WHERE tenant_id=?1 AND (id=?2 OR name=?2)";
	sqlite3_stmt *q;
	int r = prep(S(st), sql, &q);
	if (r)
		return r;
	bind_text(q, 1, tid);
	bind_text(q, 2, k);
	if ((r = step_row(S(st), q, "group get")))
		return r;
	row_group(q, out);
	done(q);
	return TG_OK;
}

static int sqlite_group_list(struct store *st, const char *tid, store_group_cb cb, void *arg)
{
	static const char sql[] = "SELECT " GROUP_COLS " FROM grp WHERE tenant_id=? ORDER BY name";
	sqlite3_stmt *q;
	int r = prep(S(st), sql, &q);
	if (r)
		return r;
	bind_text(q, 1, tid);
	int rc;
	struct tg_group g;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		row_group(q, &g);
		if ((r = cb(&g, arg)))
			break;
	}
	if (!r && rc != SQLITE_DONE)
		r = map_rc(S(st)->db, rc, "group list");
	done(q);
	return r;
}

/* Groups that contain (kind, id), transitively, bounded by TG_MAX_GROUP_DEPTH. */
static const char sql_parents_tr[] =
	"WITH RECURSIVE up(id, depth) AS ("
	" SELECT group_id, 1 FROM group_member WHERE member_kind=?1 AND member_id=?2"
	" UNION SELECT gm.group_id, up.depth+1 FROM group_member gm JOIN up"
	"  ON gm.member_kind=1 AND gm.member_id=up.id WHERE up.depth < ?3)"
	" SELECT DISTINCT id FROM up ORDER BY id";
static const char sql_parents[] =
	"SELECT group_id FROM group_member WHERE member_kind=?1 AND member_id=?2 AND ?3=?3 ORDER BY group_id";

static int sqlite_member_groups(struct store *st, enum tg_member_kind k, const char *mid,
                                bool transitive, store_id_cb cb, void *arg)
{
	sqlite3_stmt *q;
	int r = prep(S(st), transitive ? sql_parents_tr : sql_parents, &q);
	if (r)
		return r;
	sqlite3_bind_int(q, 1, (int)k);
	bind_text(q, 2, mid);
	sqlite3_bind_int(q, 3, TG_MAX_GROUP_DEPTH);
	int rc;
	char id[TG_ID_BUF];
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		col_text(q, 0, id, sizeof id);
		if ((r = cb(id, arg)))
			break;
	}
	if (!r && rc != SQLITE_DONE)
		r = map_rc(S(st)->db, rc, "member groups");
	done(q);
	return r;
}

struct find_arg { const char *needle; bool found; };

static int find_cb(const char *id, void *arg)
{
	struct find_arg *f = arg;
	if (strcmp(id, f->needle) == 0) {
		f->found = true;
		return 1;
	}
	return 0;
}

static int sqlite_group_member_add(struct store *st, const char *gid, enum tg_member_kind k,
                                   const char *mid)
{
	static const char sql_u[] = "SELECT count(*) FROM user u JOIN grp g ON g.id=?2"
		" WHERE u.id=?1 AND u.tenant_id=g.tenant_id";
	static const char sql_g[] = "SELECT count(*) FROM grp m JOIN grp g ON g.id=?2"
		" WHERE m.id=?1 AND m.tenant_id=g.tenant_id";
	static const char sql[] = "INSERT INTO group_member(group_id,member_kind,member_id) VALUES(?,?,?)";
	sqlite3_stmt *q;
	/* the member must exist in the same tenant as the group */
	int r = prep(S(st), k == TG_MEMBER_USER ? sql_u : sql_g, &q);
	if (r)
		return r;
	bind_text(q, 1, mid);
	bind_text(q, 2, gid);
	int rc = sqlite3_step(q);
	int64_t n = rc == SQLITE_ROW ? sqlite3_column_int64(q, 0) : -1;
	done(q);
	if (n < 0)
		return map_rc(S(st)->db, rc, "member check");
	if (n == 0)
		return TG_ERR_NOT_FOUND;
	if (k == TG_MEMBER_GROUP) {
		/* adding mid into gid cycles if mid == gid or mid already contains gid */
		if (strcmp(gid, mid) == 0)
			return TG_ERR_CYCLE;
		struct find_arg f = {mid, false};
		r = sqlite_member_groups(st, TG_MEMBER_GROUP, gid, true, find_cb, &f);
		if (r && r != 1)
			return r;
		if (f.found)
			return TG_ERR_CYCLE;
	}
	if ((r = prep(S(st), sql, &q)))
		return r;
	bind_text(q, 1, gid);
	sqlite3_bind_int(q, 2, (int)k);
	bind_text(q, 3, mid);
	return step_done(S(st), q, "group member add");
}

static int sqlite_group_member_remove(struct store *st, const char *gid, enum tg_member_kind k,
                                      const char *mid)
{
	static const char sql[] = "DELETE FROM group_member WHERE group_id=? AND member_kind=? AND member_id=?";
	sqlite3_stmt *q;
	int r = prep(S(st), sql, &q);
	if (r)
		return r;
	bind_text(q, 1, gid);
	sqlite3_bind_int(q, 2, (int)k);
	bind_text(q, 3, mid);
	r = step_done(S(st), q, "group member remove");
	if (!r && sqlite3_changes(S(st)->db) == 0)
		r = TG_ERR_NOT_FOUND;
	return r;
}

static int sqlite_group_members(struct store *st, const char *gid, bool transitive,
                                store_member_cb cb, void *arg)
{
	static const char sql_tr[] =
		"WITH RECURSIVE down(kind, id, depth) AS ("
		" SELECT member_kind, member_id, 1 FROM group_member WHERE group_id=?1"
		" UNION SELECT gm.member_kind, gm.member_id, down.depth+1 FROM group_member gm"
		"  JOIN down ON down.kind=1 AND gm.group_id=down.id WHERE down.depth < ?2)"
		" SELECT DISTINCT kind, id FROM down ORDER BY kind, id";
	static const char sql[] = "SELECT member_kind, member_id FROM group_member WHERE group_id=?1"
		" AND ?2=?2 ORDER BY member_kind, member_id";
	sqlite3_stmt *q;
	int r = prep(S(st), transitive ? sql_tr : sql, &q);
	if (r)
		return r;
	bind_text(q, 1, gid);
	sqlite3_bind_int(q, 2, TG_MAX_GROUP_DEPTH);
	int rc;
	char id[TG_ID_BUF];
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		col_text(q, 1, id, sizeof id);
		if ((r = cb(sqlite3_column_int(q, 0) ? TG_MEMBER_GROUP : TG_MEMBER_USER, id, arg)))
			break;
	}
	if (!r && rc != SQLITE_DONE)
		r = map_rc(S(st)->db, rc, "group members");
	done(q);
	return r;
}

/* ------------------------------------------------------------------- roles */

static int sqlite_role_assign(struct store *st, const char *tid, const char *uid, const char *rid)
{
	static const char sql[] = "INSERT INTO role_assignment(tenant_id,user_id,role_id) VALUES(?,?,?)";
	sqlite3_stmt *q;
	int r = prep(S(st), sql, &q);
	if (r)
		return r;
	bind_text(q, 1, tid);
	bind_text(q, 2, uid);
	bind_text(q, 3, rid);
	return step_done(S(st), q, "role assign");
}

static int sqlite_role_remove(struct store *st, const char *uid, const char *rid)
{
	static const char sql[] = "DELETE FROM role_assignment WHERE user_id=? AND role_id=?";
	sqlite3_stmt *q;
	int r = prep(S(st), sql, &q);
	if (r)
		return r;
	bind_text(q, 1, uid);
	bind_text(q, 2, rid);
	r = step_done(S(st), q, "role remove");
	if (!r && sqlite3_changes(S(st)->db) == 0)
		r = TG_ERR_NOT_FOUND;
	return r;
}

static int id_list(struct store *st, const char *sql, const char *a, const char *b,
                   store_id_cb cb, void *arg)
{
	sqlite3_stmt *q;
	int r = prep(S(st), sql, &q);
	if (r)
		return r;
	bind_text(q, 1, a);
	if (b)
		bind_text(q, 2, b);
	int rc;
	char id[TG_ID_BUF];
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		col_text(q, 0, id, sizeof id);
		if ((r = cb(id, arg)))
			break;
	}
	if (!r && rc != SQLITE_DONE)
		r = map_rc(S(st)->db, rc, "id list");
	done(q);
	return r;
}

static int sqlite_user_roles(struct store *st, const char *uid, store_id_cb cb, void *arg)
{
	static const char sql[] = "SELECT role_id FROM role_assignment WHERE user_id=? ORDER BY role_id";
	return id_list(st, sql, uid, NULL, cb, arg);
}

static int sqlite_role_members(struct store *st, const char *tid, const char *rid,
                               store_id_cb cb, void *arg)
{
	static const char sql[] = "SELECT ra.user_id FROM role_assignment ra JOIN user u ON u.id=ra.user_id"
		" WHERE ra.tenant_id=? AND ra.role_id=? ORDER BY u.upn";
	return id_list(st, sql, tid, rid, cb, arg);
}

/* ------------------------------------------------------------------- audit */

static int sqlite_audit_append(struct store *st, struct tg_audit *a)
{
	static const char sql[] = "INSERT INTO audit(tenant_id,time,actor,action,target,before,after)"
		" VALUES(?,?,?,?,?,?,?)";
	sqlite3_stmt *q;
	int r = prep(S(st), sql, &q);
	if (r)
		return r;
	bind_text(q, 1, a->tenant_id);
	sqlite3_bind_int64(q, 2, a->time);
	bind_text(q, 3, a->actor);
	bind_text(q, 4, a->action);
	bind_text(q, 5, a->target);
	bind_text(q, 6, a->before);
	bind_text(q, 7, a->after);
	r = step_done(S(st), q, "audit append");
	if (!r)
		a->seq = sqlite3_last_insert_rowid(S(st)->db);
	return r;
}

/* With an actor the statement names it as a plain term ("actor=?8 AND
 * seq<?6") and its index, so SQLite walks audit_actor (0008_audit_actor.sql)
 * backwards from the paging cursor instead of scanning the whole log for
 * a rare actor; "?8 IS NULL OR …" would hide the index from the planner. */
#define AUDIT_LIST_SQL(index, actor_term, seq_term) \
	"SELECT seq,tenant_id,time,actor,action,target,before,after FROM audit" index \
	" WHERE " actor_term "(?1 IS NULL OR tenant_id=?1 OR tenant_id='') AND (?2=0 OR time>=?2)" \
	" AND (?3=0 OR time<=?3) AND (?4 IS NULL OR substr(action,1,length(?4))=?4)" \
	" AND (?5 IS NULL OR target=?5) AND " seq_term " ORDER BY seq DESC LIMIT ?7"

static int sqlite_audit_list(struct store *st, const struct audit_query *aq, store_audit_cb cb, void *arg)
{
	static const char sql_all[] = AUDIT_LIST_SQL("", "", "(?6=0 OR seq<?6)");
	static const char sql_actor[] = AUDIT_LIST_SQL(" INDEXED BY audit_actor", "actor=?8 AND ", "seq<?6");
	sqlite3_stmt *q;
	int r = prep(S(st), aq->actor ? sql_actor : sql_all, &q);
	if (r)
		return r;
	if (aq->tenant_id) bind_text(q, 1, aq->tenant_id);
	sqlite3_bind_int64(q, 2, aq->since);
	sqlite3_bind_int64(q, 3, aq->until);
	if (aq->action_prefix) bind_text(q, 4, aq->action_prefix);
	if (aq->target) bind_text(q, 5, aq->target);
	if (aq->actor) {
		bind_text(q, 8, aq->actor);
		sqlite3_bind_int64(q, 6, aq->before_seq > 0 ? aq->before_seq : INT64_MAX);
	} else {
		sqlite3_bind_int64(q, 6, aq->before_seq);
	}
	sqlite3_bind_int64(q, 7, aq->limit > 0 ? aq->limit : -1);
	int rc;
	struct tg_audit *a = xmalloc(sizeof *a);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		a->seq = sqlite3_column_int64(q, 0);
		col_text(q, 1, a->tenant_id, sizeof a->tenant_id);
		a->time = sqlite3_column_int64(q, 2);
		col_text(q, 3, a->actor, sizeof a->actor);
		col_text(q, 4, a->action, sizeof a->action);
		col_text(q, 5, a->target, sizeof a->target);
		col_text(q, 6, a->before, sizeof a->before);
		col_text(q, 7, a->after, sizeof a->after);
		if ((r = cb(a, arg)))
			break;
	}
	free(a);
	if (!r && rc != SQLITE_DONE)
		r = map_rc(S(st)->db, rc, "audit list");
	done(q);
	return r;
}

/* ---------------------------------------------------------------- settings */

static int sqlite_setting_get(struct store *st, const char *tid, const char *key, char **out)
{
	static const char sql[] = "SELECT value FROM setting WHERE tenant_id=? AND key=?";
	sqlite3_stmt *q;
	int r = prep(S(st), sql, &q);
	if (r)
		return r;
	bind_text(q, 1, tid);
	bind_text(q, 2, key);
	if ((r = step_row(S(st), q, "setting get")))
		return r;
	const unsigned char *t = sqlite3_column_text(q, 0);
	*out = xstrdup(t ? (const char *)t : "");
	done(q);
	return TG_OK;
}

static int sqlite_setting_set(struct store *st, const char *tid, const char *key, const char *value)
{
	static const char sql[] = "INSERT INTO setting(tenant_id,key,value) VALUES(?,?,?)"
		" ON CONFLICT(tenant_id,key) DO UPDATE SET value=excluded.value";
	sqlite3_stmt *q;
	int r = prep(S(st), sql, &q);
	if (r)
		return r;
	bind_text(q, 1, tid);
	bind_text(q, 2, key);
	bind_text(q, 3, value);
	return step_done(S(st), q, "setting set");
}

/* --------------------------------------------------------------- ops table */

const struct store_ops store_sqlite_ops = {
	.name = "sqlite",
	.version = STORE_OPS_VERSION,
	.caps = STORE_CAP_TX,
	.open = sqlite_open,
	.close = sqlite_close,
	.schema_version = sqlite_schema_version,
	.ping = sqlite_ping,
	.tx_begin = sqlite_tx_begin,
	.tx_commit = sqlite_tx_commit,
	.tx_rollback = sqlite_tx_rollback,
	.tenant_insert = sqlite_tenant_insert,
	.tenant_get = sqlite_tenant_get,
	.tenant_list = sqlite_tenant_list,
	.user_insert = sqlite_user_insert,
	.user_update = sqlite_user_update,
	.user_delete = sqlite_user_delete,
	.user_get = sqlite_user_get,
	.user_get_by_upn = sqlite_user_get_by_upn,
	.user_list = sqlite_user_list,
	.user_count = sqlite_user_count,
	.user_set_mfa_state = sqlite_user_set_mfa_state,
	.user_method_count = sqlite_user_method_count,
	.group_insert = sqlite_group_insert,
	.group_delete = sqlite_group_delete,
	.group_get = sqlite_group_get,
	.group_list = sqlite_group_list,
	.group_member_add = sqlite_group_member_add,
	.group_member_remove = sqlite_group_member_remove,
	.group_members = sqlite_group_members,
	.member_groups = sqlite_member_groups,
	.role_assign = sqlite_role_assign,
	.role_remove = sqlite_role_remove,
	.user_roles = sqlite_user_roles,
	.role_members = sqlite_role_members,
	.audit_append = sqlite_audit_append,
	.audit_list = sqlite_audit_list,
	.setting_get = sqlite_setting_get,
	.setting_set = sqlite_setting_set,
	.auth = &store_sqlite_auth_ops,
	.policy = &store_sqlite_policy_ops,
	.oidc = &store_sqlite_oidc_ops,
	.notify = &store_sqlite_notify_ops,
	.group_update = sqlite_group_update,
};
