/* SPDX-License-Identifier: MIT
 * SQLite backend, notify domain (see store_notify.h and schema
 * 0006_notify.sql, 0007_notify_paging.sql). Bound parameters only. The
 * claim is one UPDATE … RETURNING (SQLite 3.35+): the row is chosen and
 * leased under the same write lock, so two handles never claim one notice. */
#include <sqlite3.h>
#include <stdint.h>
#include <string.h>
#include "base/err.h"
#include "base/str.h"
#include "store/store_notify.h"
#include "store/store_sqlite_int.h"

static struct sqlite_store *S(struct store *s) { return sqlite_of(s); }

#define NOTIFY_COLS "id,tenant_id,user_id,change_seq,kind,locale,to_addr,created,status," \
	"attempts,next_attempt,sent,last_error"

static void row_notification(sqlite3_stmt *st, struct store_notification *n)
{
	memset(n, 0, sizeof *n);
	col_text(st, 0, n->id, sizeof n->id);
	col_text(st, 1, n->tenant_id, sizeof n->tenant_id);
	col_text(st, 2, n->user_id, sizeof n->user_id);
	n->change_seq = sqlite3_column_int64(st, 3);
	col_text(st, 4, n->kind, sizeof n->kind);
	col_text(st, 5, n->locale, sizeof n->locale);
	col_text(st, 6, n->to, sizeof n->to);
	n->created = sqlite3_column_int64(st, 7);
	n->status = sqlite3_column_int(st, 8);
	n->attempts = (unsigned)sqlite3_column_int(st, 9);
	n->next_attempt = sqlite3_column_int64(st, 10);
	n->sent = sqlite3_column_int64(st, 11);
	col_text(st, 12, n->last_error, sizeof n->last_error);
}

static int sqlite_notify_insert(struct store *st, const struct store_notification *n)
{
	static const char sql[] = "INSERT INTO notification(" NOTIFY_COLS ")"
	                          " VALUES(?,?,?,?,?,?,?,?,0,0,?,0,'')";
	sqlite3_stmt *q;
	int r = prep(S(st), sql, &q);
	if (r)
		return r;
	bind_text(q, 1, n->id);
	bind_text(q, 2, n->tenant_id);
	bind_text(q, 3, n->user_id);
	sqlite3_bind_int64(q, 4, n->change_seq);
	bind_text(q, 5, n->kind);
	bind_text(q, 6, n->locale);
	bind_text(q, 7, n->to);
	sqlite3_bind_int64(q, 8, n->created);
	sqlite3_bind_int64(q, 9, n->next_attempt);
	return step_done(S(st), q, "notification insert");
}

static int sqlite_notify_claim(struct store *st, int64_t now, int64_t lease_until,
                               struct store_notification *out)
{
	static const char sql[] =
		"UPDATE notification SET next_attempt=?2, attempts=attempts+1"
		" WHERE id=(SELECT id FROM notification WHERE status=0 AND next_attempt<=?1"
		"           ORDER BY next_attempt, created, id LIMIT 1)"
		" RETURNING " NOTIFY_COLS;
	sqlite3_stmt *q;
	int r = prep(S(st), sql, &q);
	if (r)
		return r;
	sqlite3_bind_int64(q, 1, now);
	sqlite3_bind_int64(q, 2, lease_until);
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		struct store_notification n;
		row_notification(q, &n);
		/* the UPDATE is done by the first step; finish the statement so
		 * the change is complete before it is reported */
		rc = sqlite3_step(q);
		r = rc == SQLITE_DONE ? TG_OK : map_rc(S(st)->db, sqlite3_extended_errcode(S(st)->db),
		                                       "notification claim");
		done(q);
		if (!r)
			*out = n;
		return r;
	}
	r = rc == SQLITE_DONE ? TG_ERR_NOT_FOUND
	                      : map_rc(S(st)->db, sqlite3_extended_errcode(S(st)->db), "notification claim");
	done(q);
	return r;
}

/* A write that must change exactly the caller's claimed row. */
static int step_claimed(struct store *st, sqlite3_stmt *q, const char *what)
{
	int r = step_done(S(st), q, what);
	if (!r && sqlite3_changes(S(st)->db) == 0)
		r = TG_ERR_CONFLICT;
	return r;
}

static int sqlite_notify_mark_sent(struct store *st, const char *id, unsigned attempts, int64_t now)
{
	static const char sql[] = "UPDATE notification SET status=1, sent=?3, last_error=''"
	                          " WHERE id=?1 AND attempts=?2 AND status=0";
	sqlite3_stmt *q;
	int r = prep(S(st), sql, &q);
	if (r)
		return r;
	bind_text(q, 1, id);
	sqlite3_bind_int64(q, 2, attempts);
	sqlite3_bind_int64(q, 3, now);
	return step_claimed(st, q, "notification sent");
}

static int sqlite_notify_mark_failed(struct store *st, const char *id, unsigned attempts,
                                     int64_t next_attempt, bool give_up, const char *error)
{
	static const char sql[] =
		"UPDATE notification SET last_error=?5,"
		" next_attempt=CASE WHEN ?4 THEN next_attempt ELSE ?3 END,"
		" status=CASE WHEN ?4 THEN 2 ELSE 0 END"
		" WHERE id=?1 AND attempts=?2 AND status=0";
	char err[TG_MAX_NOTIFY_ERROR + 1];
	tg_strlcpy(err, error, sizeof err);
	sqlite3_stmt *q;
	int r = prep(S(st), sql, &q);
	if (r)
		return r;
	bind_text(q, 1, id);
	sqlite3_bind_int64(q, 2, attempts);
	sqlite3_bind_int64(q, 3, next_attempt);
	sqlite3_bind_int(q, 4, give_up ? 1 : 0);
	bind_text(q, 5, err);
	return step_claimed(st, q, "notification failed");
}

/* Two statements, with and without the status, so that each is one range
 * read of its index (0007_notify_paging.sql) in list order: "?2 < 0 OR
 * status = ?2" would keep SQLite from using the status column. Without a
 * cursor the range starts above every row (INT64_MAX, INT64_MAX). */
#define NOTIFY_LIST_SELECT                                                                    \
	"SELECT n.id,n.tenant_id,n.user_id,n.change_seq,n.kind,n.locale,n.to_addr,n.created,"   \
	"n.status,n.attempts,n.next_attempt,n.sent,n.last_error,coalesce(u.upn,'')"             \
	" FROM notification n LEFT JOIN user u ON u.id=n.user_id WHERE n.tenant_id=?1"
#define NOTIFY_LIST_PAGE                                                                      \
	" AND (n.created,n.change_seq) < (?2,?3)"                                               \
	" ORDER BY n.created DESC, n.change_seq DESC LIMIT ?4"

static int sqlite_notify_list(struct store *st, const struct store_notify_query *qu,
                              store_notification_cb cb, void *arg)
{
	static const char sql_any[] = NOTIFY_LIST_SELECT NOTIFY_LIST_PAGE;
	static const char sql_status[] = NOTIFY_LIST_SELECT " AND n.status=?5" NOTIFY_LIST_PAGE;
	sqlite3_stmt *q;
	int r = prep(S(st), qu->status < 0 ? sql_any : sql_status, &q);
	if (r)
		return r;
	bind_text(q, 1, qu->tenant_id);
	sqlite3_bind_int64(q, 2, qu->before_seq > 0 ? qu->before_created : INT64_MAX);
	sqlite3_bind_int64(q, 3, qu->before_seq > 0 ? qu->before_seq : INT64_MAX);
	sqlite3_bind_int(q, 4, qu->limit);
	if (qu->status >= 0)
		sqlite3_bind_int(q, 5, qu->status);
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		struct store_notification n;
		row_notification(q, &n);
		col_text(q, 13, n.upn, sizeof n.upn);
		if ((r = cb(&n, arg)) != 0) {
			done(q);
			return r;
		}
	}
	r = rc == SQLITE_DONE ? TG_OK : map_rc(S(st)->db, sqlite3_extended_errcode(S(st)->db),
	                                       "notification list");
	done(q);
	return r;
}

const struct store_notify_ops store_sqlite_notify_ops = {
	.version = STORE_NOTIFY_OPS_VERSION,
	.insert = sqlite_notify_insert,
	.claim = sqlite_notify_claim,
	.mark_sent = sqlite_notify_mark_sent,
	.mark_failed = sqlite_notify_mark_failed,
	.list = sqlite_notify_list,
};
