/* SPDX-License-Identifier: MIT
 * SQLite backend, policy domain (see store_policy.h; tables in
 * schema/sqlite/0004_policy.sql). Bound parameters only; every statement is
 * a static string so the handle's cache keys on its address.
 *
 * Sections: helpers, policies and locations, generation, bad IPs, user
 * risk, security defaults grace, sign-in log, ops table. */
#include <sqlite3.h>
#include <stdint.h>
#include <string.h>
#include "base/err.h"
#include "base/mem.h"
#include "base/str.h"
#include "store/store_policy.h"
#include "store/store_sqlite_int.h"

/* ------------------------------------------------------------------ helpers */

static int count_tenant(struct store *st, const char *sql, const char *tid, int64_t *out)
{
	sqlite3_stmt *q;
	int r = prep(sqlite_of(st), sql, &q);
	if (r)
		return r;
	bind_text(q, 1, tid);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(q, 0);
	r = rc == SQLITE_ROW ? TG_OK : map_rc(sqlite_of(st)->db, rc, "count");
	done(q);
	return r;
}

/* A statement expected to change exactly one row: TG_ERR_NOT_FOUND if none. */
static int step_one(struct store *st, sqlite3_stmt *q, const char *what)
{
	int r = step_done(sqlite_of(st), q, what);
	if (!r && sqlite3_changes(sqlite_of(st)->db) == 0)
		r = TG_ERR_NOT_FOUND;
	return r;
}

static char *col_dup(sqlite3_stmt *q, int i)
{
	const unsigned char *t = sqlite3_column_text(q, i);
	return xstrdup(t ? (const char *)t : "");
}

/* ------------------------------------------------- policies and locations */

/* Both tables share the row shape: id, tenant_id, display_name, a small
 * integer (state / is_trusted), json, created, modified. */

static void row_read(sqlite3_stmt *q, struct store_policy_row *row, bool location, bool borrow)
{
	memset(row, 0, sizeof *row);
	col_text(q, 0, row->id, sizeof row->id);
	col_text(q, 1, row->tenant_id, sizeof row->tenant_id);
	col_text(q, 2, row->display_name, sizeof row->display_name);
	if (location)
		row->is_trusted = sqlite3_column_int(q, 3) != 0;
	else
		row->state = sqlite3_column_int(q, 3);
	if (borrow) {
		const unsigned char *t = sqlite3_column_text(q, 4);
		row->json = (char *)(uintptr_t)(t ? (const char *)t : "");
	} else {
		row->json = col_dup(q, 4);
	}
	row->created = sqlite3_column_int64(q, 5);
	row->modified = sqlite3_column_int64(q, 6);
}

static void row_bind(sqlite3_stmt *q, const struct store_policy_row *row, bool location)
{
	bind_text(q, 1, row->id);
	bind_text(q, 2, row->tenant_id);
	bind_text(q, 3, row->display_name);
	sqlite3_bind_int(q, 4, location ? (row->is_trusted ? 1 : 0) : row->state);
	bind_text(q, 5, row->json);
	sqlite3_bind_int64(q, 6, row->created);
	sqlite3_bind_int64(q, 7, row->modified);
}

static int row_write(struct store *st, const char *sql, const struct store_policy_row *row,
                     bool location, bool update)
{
	sqlite3_stmt *q;
	int r = prep(sqlite_of(st), sql, &q);
	if (r)
		return r;
	row_bind(q, row, location);
	return update ? step_one(st, q, "policy row update") : step_done(sqlite_of(st), q, "policy row insert");
}

static int row_delete(struct store *st, const char *sql, const char *tid, const char *id)
{
	sqlite3_stmt *q;
	int r = prep(sqlite_of(st), sql, &q);
	if (r)
		return r;
	bind_text(q, 1, tid);
	bind_text(q, 2, id);
	return step_one(st, q, "policy row delete");
}

static int row_get(struct store *st, const char *sql, const char *tid, const char *id,
                   bool location, struct store_policy_row *out)
{
	sqlite3_stmt *q;
	int r = prep(sqlite_of(st), sql, &q);
	if (r)
		return r;
	bind_text(q, 1, tid);
	bind_text(q, 2, id);
	if ((r = step_row(sqlite_of(st), q, "policy row get")))
		return r;
	row_read(q, out, location, false);
	done(q);
	return TG_OK;
}

static int row_list(struct store *st, const char *sql, const char *tid, bool location,
                    store_policy_row_cb cb, void *arg)
{
	sqlite3_stmt *q;
	int r = prep(sqlite_of(st), sql, &q);
	if (r)
		return r;
	bind_text(q, 1, tid);
	int rc;
	struct store_policy_row row;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		row_read(q, &row, location, true);
		if ((r = cb(&row, arg)))
			break;
	}
	if (!r && rc != SQLITE_DONE)
		r = map_rc(sqlite_of(st)->db, rc, "policy row list");
	done(q);
	return r;
}

#define POLICY_COLS "id,tenant_id,display_name,state,json,created,modified"
#define LOCATION_COLS "id,tenant_id,display_name,is_trusted,json,created,modified"

static int sqlite_ca_policy_insert(struct store *st, const struct store_policy_row *row)
{
	static const char sql[] = "INSERT INTO ca_policy(" POLICY_COLS ") VALUES(?,?,?,?,?,?,?)";
	return row_write(st, sql, row, false, false);
}

static int sqlite_ca_policy_update(struct store *st, const struct store_policy_row *row)
{
	static const char sql[] = "UPDATE ca_policy SET display_name=?3,state=?4,json=?5,modified=?7"
		" WHERE id=?1 AND tenant_id=?2 AND ?6=?6";
	return row_write(st, sql, row, false, true);
}

static int sqlite_ca_policy_delete(struct store *st, const char *tid, const char *id)
{
	static const char sql[] = "DELETE FROM ca_policy WHERE tenant_id=? AND id=?";
	return row_delete(st, sql, tid, id);
}

static int sqlite_ca_policy_get(struct store *st, const char *tid, const char *id,
                                struct store_policy_row *out)
{
	static const char sql[] = "SELECT " POLICY_COLS " FROM ca_policy WHERE tenant_id=? AND id=lower(?)";
	return row_get(st, sql, tid, id, false, out);
}

static int sqlite_ca_policy_list(struct store *st, const char *tid, store_policy_row_cb cb, void *arg)
{
	static const char sql[] = "SELECT " POLICY_COLS " FROM ca_policy WHERE tenant_id=? ORDER BY created, id";
	return row_list(st, sql, tid, false, cb, arg);
}

static int sqlite_ca_policy_count(struct store *st, const char *tid, int64_t *out)
{
	static const char sql[] = "SELECT count(*) FROM ca_policy WHERE tenant_id=?";
	return count_tenant(st, sql, tid, out);
}

static int sqlite_location_insert(struct store *st, const struct store_policy_row *row)
{
	static const char sql[] = "INSERT INTO named_location(" LOCATION_COLS ") VALUES(?,?,?,?,?,?,?)";
	return row_write(st, sql, row, true, false);
}

static int sqlite_location_update(struct store *st, const struct store_policy_row *row)
{
	static const char sql[] = "UPDATE named_location SET display_name=?3,is_trusted=?4,json=?5,"
		"modified=?7 WHERE id=?1 AND tenant_id=?2 AND ?6=?6";
	return row_write(st, sql, row, true, true);
}

static int sqlite_location_delete(struct store *st, const char *tid, const char *id)
{
	static const char sql[] = "DELETE FROM named_location WHERE tenant_id=? AND id=?";
	return row_delete(st, sql, tid, id);
}

static int sqlite_location_get(struct store *st, const char *tid, const char *id,
                               struct store_policy_row *out)
{
	static const char sql[] = "SELECT " LOCATION_COLS " FROM named_location WHERE tenant_id=? AND id=lower(?)";
	return row_get(st, sql, tid, id, true, out);
}

static int sqlite_location_list(struct store *st, const char *tid, store_policy_row_cb cb, void *arg)
{
	static const char sql[] = "SELECT " LOCATION_COLS " FROM named_location WHERE tenant_id=?"
		" ORDER BY created, id";
	return row_list(st, sql, tid, true, cb, arg);
}

static int sqlite_location_count(struct store *st, const char *tid, int64_t *out)
{
	static const char sql[] = "SELECT count(*) FROM named_location WHERE tenant_id=?";
	return count_tenant(st, sql, tid, out);
}

/* -------------------------------------------------------------- generation */

static int sqlite_generation_get(struct store *st, const char *tid, int64_t *out)
{
	static const char sql[] = "SELECT coalesce(max(generation),0) FROM policy_generation WHERE tenant_id=?";
	return count_tenant(st, sql, tid, out);
}

static int sqlite_generation_bump(struct store *st, const char *tid, int64_t *out)
{
	static const char sql[] = "INSERT INTO policy_generation(tenant_id,generation) VALUES(?,1)"
		" ON CONFLICT(tenant_id) DO UPDATE SET generation=generation+1";
	sqlite3_stmt *q;
	int r = prep(sqlite_of(st), sql, &q);
	if (r)
		return r;
	bind_text(q, 1, tid);
	if ((r = step_done(sqlite_of(st), q, "generation bump")))
		return r;
	int64_t g = 0;
	if ((r = sqlite_generation_get(st, tid, &g)))
		return r;
	if (out)
		*out = g;
	return TG_OK;
}

/* ----------------------------------------------------------------- bad IPs */

static int sqlite_bad_ip_add(struct store *st, const char *tid, const struct store_bad_ip *b)
{
	static const char sql[] = "INSERT INTO bad_ip(tenant_id,cidr,created,actor) VALUES(?,?,?,?)";
	sqlite3_stmt *q;
	int r = prep(sqlite_of(st), sql, &q);
	if (r)
		return r;
	bind_text(q, 1, tid);
	bind_text(q, 2, b->cidr);
	sqlite3_bind_int64(q, 3, b->created);
	bind_text(q, 4, b->actor);
	return step_done(sqlite_of(st), q, "bad ip add");
}

static int sqlite_bad_ip_remove(struct store *st, const char *tid, const char *cidr)
{
	static const char sql[] = "DELETE FROM bad_ip WHERE tenant_id=? AND cidr=?";
	return row_delete(st, sql, tid, cidr);
}

static int sqlite_bad_ip_list(struct store *st, const char *tid, store_bad_ip_cb cb, void *arg)
{
	static const char sql[] = "SELECT cidr,created,actor FROM bad_ip WHERE tenant_id=? ORDER BY cidr";
	sqlite3_stmt *q;
	int r = prep(sqlite_of(st), sql, &q);
	if (r)
		return r;
	bind_text(q, 1, tid);
	int rc;
	struct store_bad_ip b;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		memset(&b, 0, sizeof b);
		col_text(q, 0, b.cidr, sizeof b.cidr);
		b.created = sqlite3_column_int64(q, 1);
		col_text(q, 2, b.actor, sizeof b.actor);
		if ((r = cb(&b, arg)))
			break;
	}
	if (!r && rc != SQLITE_DONE)
		r = map_rc(sqlite_of(st)->db, rc, "bad ip list");
	done(q);
	return r;
}

static int sqlite_bad_ip_count(struct store *st, const char *tid, int64_t *out)
{
	static const char sql[] = "SELECT count(*) FROM bad_ip WHERE tenant_id=?";
	return count_tenant(st, sql, tid, out);
}

/* --------------------------------------------------------------- user risk */

static int sqlite_user_risk_get(struct store *st, const char *uid, struct store_user_risk *out)
{
	static const char sql[] = "SELECT user_id,tenant_id,compromised,reported,reason,updated,actor"
		" FROM user_risk WHERE user_id=?";
	sqlite3_stmt *q;
	int r = prep(sqlite_of(st), sql, &q);
	if (r)
		return r;
	bind_text(q, 1, uid);
	if ((r = step_row(sqlite_of(st), q, "user risk get")))
		return r;
	memset(out, 0, sizeof *out);
	col_text(q, 0, out->user_id, sizeof out->user_id);
	col_text(q, 1, out->tenant_id, sizeof out->tenant_id);
	out->compromised = sqlite3_column_int(q, 2) != 0;
	out->reported = sqlite3_column_int(q, 3) != 0;
	col_text(q, 4, out->reason, sizeof out->reason);
	out->updated = sqlite3_column_int64(q, 5);
	col_text(q, 6, out->actor, sizeof out->actor);
	done(q);
	return TG_OK;
}

static int sqlite_user_risk_set(struct store *st, const struct store_user_risk *ur)
{
	static const char sql[] = "INSERT INTO user_risk(user_id,tenant_id,compromised,reported,reason,"
		"updated,actor) VALUES(?,?,?,?,?,?,?) ON CONFLICT(user_id) DO UPDATE SET"
		" compromised=excluded.compromised, reported=excluded.reported, reason=excluded.reason,"
		" updated=excluded.updated, actor=excluded.actor";
	sqlite3_stmt *q;
	int r = prep(sqlite_of(st), sql, &q);
	if (r)
		return r;
	bind_text(q, 1, ur->user_id);
	bind_text(q, 2, ur->tenant_id);
	sqlite3_bind_int(q, 3, ur->compromised ? 1 : 0);
	sqlite3_bind_int(q, 4, ur->reported ? 1 : 0);
	bind_text(q, 5, ur->reason);
	sqlite3_bind_int64(q, 6, ur->updated);
	bind_text(q, 7, ur->actor);
	return step_done(sqlite_of(st), q, "user risk set");
}

/* ------------------------------------------------ security defaults grace */

static int sqlite_sd_first_signin_get(struct store *st, const char *uid, int64_t *out)
{
	static const char sql[] = "SELECT time FROM sd_first_signin WHERE user_id=?";
	sqlite3_stmt *q;
	int r = prep(sqlite_of(st), sql, &q);
	if (r)
		return r;
	bind_text(q, 1, uid);
	if ((r = step_row(sqlite_of(st), q, "grace get")))
		return r;
	*out = sqlite3_column_int64(q, 0);
	done(q);
	return TG_OK;
}

static int sqlite_sd_first_signin_note(struct store *st, const char *tid, const char *uid,
                                       int64_t time, int64_t since, bool *noted_out)
{
	/* One statement: the first sign-in after each enabling wins, even
	 * when two sign-ins of the same user race. */
	static const char sql[] = "INSERT INTO sd_first_signin(user_id,tenant_id,time) VALUES(?1,?2,?3)"
		" ON CONFLICT(user_id) DO UPDATE SET time=excluded.time WHERE sd_first_signin.time < ?4";
	sqlite3_stmt *q;
	int r = prep(sqlite_of(st), sql, &q);
	if (r)
		return r;
	bind_text(q, 1, uid);
	bind_text(q, 2, tid);
	sqlite3_bind_int64(q, 3, time);
	sqlite3_bind_int64(q, 4, since);
	r = step_done(sqlite_of(st), q, "grace note");
	if (!r && noted_out)
		*noted_out = sqlite3_changes(sqlite_of(st)->db) > 0;
	return r;
}

/* ----------------------------------------------------------- sign-in log */

#define SIGNIN_COLS "seq,id,tenant_id,time,user_id,upn,app_id,ip,client_app,client_type," \
	"platform,error_code,ca_status,interactive,request_id,json,app_name"

static void signin_read(sqlite3_stmt *q, struct store_signin *r, bool borrow)
{
	memset(r, 0, sizeof *r);
	r->seq = sqlite3_column_int64(q, 0);
	col_text(q, 1, r->id, sizeof r->id);
	col_text(q, 2, r->tenant_id, sizeof r->tenant_id);
	r->time = sqlite3_column_int64(q, 3);
	col_text(q, 4, r->user_id, sizeof r->user_id);
	col_text(q, 5, r->upn, sizeof r->upn);
	col_text(q, 6, r->app_id, sizeof r->app_id);
	col_text(q, 7, r->ip, sizeof r->ip);
	col_text(q, 8, r->client_app, sizeof r->client_app);
	r->client_type = sqlite3_column_int(q, 9);
	r->platform = sqlite3_column_int(q, 10);
	r->error_code = sqlite3_column_int(q, 11);
	r->ca_status = sqlite3_column_int(q, 12);
	r->interactive = sqlite3_column_int(q, 13) != 0;
	col_text(q, 14, r->request_id, sizeof r->request_id);
	if (borrow) {
		const unsigned char *t = sqlite3_column_text(q, 15);
		r->json = (char *)(uintptr_t)(t ? (const char *)t : "");
	} else {
		r->json = col_dup(q, 15);
	}
	col_text(q, 16, r->app_name, sizeof r->app_name);
}

static int sqlite_signin_insert(struct store *st, struct store_signin *r)
{
	static const char sql[] = "INSERT INTO signin(id,tenant_id,time,user_id,upn,app_id,ip,client_app,"
		"client_type,platform,error_code,ca_status,interactive,request_id,json,app_name)"
		" VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
	sqlite3_stmt *q;
	int rv = prep(sqlite_of(st), sql, &q);
	if (rv)
		return rv;
	bind_text(q, 1, r->id);
	bind_text(q, 2, r->tenant_id);
	sqlite3_bind_int64(q, 3, r->time);
	bind_text(q, 4, r->user_id);
	bind_text(q, 5, r->upn);
	bind_text(q, 6, r->app_id);
	bind_text(q, 7, r->ip);
	bind_text(q, 8, r->client_app);
	sqlite3_bind_int(q, 9, r->client_type);
	sqlite3_bind_int(q, 10, r->platform);
	sqlite3_bind_int(q, 11, r->error_code);
	sqlite3_bind_int(q, 12, r->ca_status);
	sqlite3_bind_int(q, 13, r->interactive ? 1 : 0);
	bind_text(q, 14, r->request_id);
	bind_text(q, 15, r->json);
	bind_text(q, 16, r->app_name);
	rv = step_done(sqlite_of(st), q, "signin insert");
	if (!rv)
		r->seq = sqlite3_last_insert_rowid(sqlite_of(st)->db);
	return rv;
}

static int sqlite_signin_get(struct store *st, const char *tid, const char *id, struct store_signin *out)
{
	static const char sql[] = "SELECT " SIGNIN_COLS " FROM signin WHERE tenant_id=? AND id=lower(?)";
	sqlite3_stmt *q;
	int r = prep(sqlite_of(st), sql, &q);
	if (r)
		return r;
	bind_text(q, 1, tid);
	bind_text(q, 2, id);
	if ((r = step_row(sqlite_of(st), q, "signin get")))
		return r;
	signin_read(q, out, false);
	done(q);
	return TG_OK;
}

/* One statement per driving filter (user id, UPN, app, none) and order,
 * each naming its index (without ANALYZE statistics the planner prefers
 * the time range of signin_tenant_time and filters the whole log), so a
 * query walks the matching index in time order and stops at the limit.
 * Parameters:
 *   1 tenant  2 user_id  3 upn  4 app_id  5 since  6 until  7 error code
 *   8 status  9 interactive  10 cursor time  11 cursor seq  12 limit */
#define SIGNIN_WHERE(INDEX, DRIVER) "SELECT " SIGNIN_COLS " FROM signin INDEXED BY " INDEX \
	" WHERE tenant_id=?1" DRIVER \
	" AND time>=?5 AND time<=?6" \
	" AND (?2 IS NULL OR user_id=?2) AND (?3 IS NULL OR upn=?3) AND (?4 IS NULL OR app_id=?4)" \
	" AND (?7<0 OR error_code=?7)" \
	" AND (?8=0 OR (?8=1 AND error_code=0) OR (?8=2 AND error_code<>0))" \
	" AND (?9<0 OR interactive=?9)"
#define SIGNIN_DESC " AND (time,seq)<(?10,?11) ORDER BY time DESC, seq DESC LIMIT ?12"
#define SIGNIN_ASC " AND (time,seq)>(?10,?11) ORDER BY time, seq LIMIT ?12"

#define BY_TIME "signin_tenant_time"
#define BY_USER "signin_user_time"
#define BY_UPN "signin_upn_time"
#define BY_APP "signin_app_time"
static const char sql_all_desc[] = SIGNIN_WHERE(BY_TIME, "") SIGNIN_DESC;
static const char sql_all_asc[] = SIGNIN_WHERE(BY_TIME, "") SIGNIN_ASC;
static const char sql_user_desc[] = SIGNIN_WHERE(BY_USER, " AND user_id=?2") SIGNIN_DESC;
static const char sql_user_asc[] = SIGNIN_WHERE(BY_USER, " AND user_id=?2") SIGNIN_ASC;
static const char sql_upn_desc[] = SIGNIN_WHERE(BY_UPN, " AND upn=?3") SIGNIN_DESC;
static const char sql_upn_asc[] = SIGNIN_WHERE(BY_UPN, " AND upn=?3") SIGNIN_ASC;
static const char sql_app_desc[] = SIGNIN_WHERE(BY_APP, " AND app_id=?4") SIGNIN_DESC;
static const char sql_app_asc[] = SIGNIN_WHERE(BY_APP, " AND app_id=?4") SIGNIN_ASC;

static int sqlite_signin_list(struct store *st, const struct store_signin_query *sq,
                              store_signin_cb cb, void *arg)
{
	const char *sql;
	bool asc = sq->oldest_first;
	if (sq->user_id)
		sql = asc ? sql_user_asc : sql_user_desc;
	else if (sq->upn)
		sql = asc ? sql_upn_asc : sql_upn_desc;
	else if (sq->app_id)
		sql = asc ? sql_app_asc : sql_app_desc;
	else
		sql = asc ? sql_all_asc : sql_all_desc;
	sqlite3_stmt *q;
	int r = prep(sqlite_of(st), sql, &q);
	if (r)
		return r;
	bind_text(q, 1, sq->tenant_id);
	if (sq->user_id) bind_text(q, 2, sq->user_id);
	if (sq->upn) bind_text(q, 3, sq->upn);
	if (sq->app_id) bind_text(q, 4, sq->app_id);
	sqlite3_bind_int64(q, 5, sq->since > 0 ? sq->since : INT64_MIN);
	sqlite3_bind_int64(q, 6, sq->until > 0 ? sq->until : INT64_MAX);
	sqlite3_bind_int(q, 7, sq->error_code);
	sqlite3_bind_int(q, 8, (int)sq->status);
	sqlite3_bind_int(q, 9, sq->interactive);
	if (sq->has_cursor) {
		sqlite3_bind_int64(q, 10, sq->cursor_time);
		sqlite3_bind_int64(q, 11, sq->cursor_seq);
	} else {
		sqlite3_bind_int64(q, 10, asc ? INT64_MIN : INT64_MAX);
		sqlite3_bind_int64(q, 11, asc ? INT64_MIN : INT64_MAX);
	}
	sqlite3_bind_int64(q, 12, sq->limit > 0 ? sq->limit : -1);
	int rc;
	struct store_signin row;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		signin_read(q, &row, true);
		if ((r = cb(&row, arg)))
			break;
	}
	if (!r && rc != SQLITE_DONE)
		r = map_rc(sqlite_of(st)->db, rc, "signin list");
	done(q);
	return r;
}

static int sqlite_signin_purge(struct store *st, const char *tid, int64_t before, int limit,
                               int64_t *n_out)
{
	/* One bounded statement: the inner SELECT walks signin_tenant_time
	 * (tenant_id, time, seq) from the oldest row and stops after `limit`,
	 * so the writer lock is held for one batch only. */
	static const char sql[] = "DELETE FROM signin WHERE seq IN (SELECT seq FROM signin"
		" WHERE tenant_id=?1 AND time<?2 ORDER BY time, seq LIMIT ?3)";
	sqlite3_stmt *q;
	int r = prep(sqlite_of(st), sql, &q);
	if (r)
		return r;
	bind_text(q, 1, tid);
	sqlite3_bind_int64(q, 2, before);
	sqlite3_bind_int(q, 3, limit);
	r = step_done(sqlite_of(st), q, "signin purge");
	if (!r)
		*n_out = sqlite3_changes(sqlite_of(st)->db);
	return r;
}

/* --------------------------------------------------------------- ops table */

const struct store_policy_ops store_sqlite_policy_ops = {
	.version = STORE_POLICY_OPS_VERSION,
	.ca_policy_insert = sqlite_ca_policy_insert,
	.ca_policy_update = sqlite_ca_policy_update,
	.ca_policy_delete = sqlite_ca_policy_delete,
	.ca_policy_get = sqlite_ca_policy_get,
	.ca_policy_list = sqlite_ca_policy_list,
	.ca_policy_count = sqlite_ca_policy_count,
	.location_insert = sqlite_location_insert,
	.location_update = sqlite_location_update,
	.location_delete = sqlite_location_delete,
	.location_get = sqlite_location_get,
	.location_list = sqlite_location_list,
	.location_count = sqlite_location_count,
	.generation_get = sqlite_generation_get,
	.generation_bump = sqlite_generation_bump,
	.bad_ip_add = sqlite_bad_ip_add,
	.bad_ip_remove = sqlite_bad_ip_remove,
	.bad_ip_list = sqlite_bad_ip_list,
	.bad_ip_count = sqlite_bad_ip_count,
	.user_risk_get = sqlite_user_risk_get,
	.user_risk_set = sqlite_user_risk_set,
	.sd_first_signin_get = sqlite_sd_first_signin_get,
	.sd_first_signin_note = sqlite_sd_first_signin_note,
	.signin_insert = sqlite_signin_insert,
	.signin_get = sqlite_signin_get,
	.signin_list = sqlite_signin_list,
	.signin_purge = sqlite_signin_purge,
};
