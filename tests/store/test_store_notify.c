/* SPDX-License-Identifier: MIT
 * Notify-domain store conformance (store_notify.h) on SQLite: one notice
 * per change (unique change_seq), argument checks, the claim as a lease
 * (due order, nothing twice while leased — also across two handles on one
 * database file, as two servers — and again after the lease ran out, with
 * the attempt counted), mark_sent / mark_failed only by the claim's holder,
 * giving up, the list (status filter, newest first, UPN, keyset pages of
 * every size from 1 to 5 with and without the filter, ties on created
 * broken by change_seq, the cursor's argument checks, the page query an
 * index range read without a sort), and the cascade
 * when a user is deleted. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "harness.h"
#include "base/err.h"
#include "base/str.h"
#include "store/store.h"
#include "store/store_notify.h"
#include "store_fixture.h"

#define T1 "11111111-1111-4111-8111-111111111111"
#define U1 "00000000-0000-4000-8000-000000000001"
#define U2 "00000000-0000-4000-8000-000000000002"
#define N1 "bbbbbbbb-0000-4000-8000-000000000001"
#define N2 "bbbbbbbb-0000-4000-8000-000000000002"
#define N3 "bbbbbbbb-0000-4000-8000-000000000003"

static int populate(struct store *s)
{
	if (fixture_tenant(s, T1, "contoso", "contoso.test") ||
	    fixture_user(s, U1, T1, "user1@contoso.test", true) ||
	    fixture_user(s, U2, T1, "user2@contoso.test", true))
		return -1;
	return 0;
}

static struct store *setup(void)
{
	struct store *s = fixture_open();
	if (!s || populate(s))
		return s ? fixture_fail(s) : NULL;
	return s;
}

static void mk(struct store_notification *n, const char *id, const char *uid, int64_t seq,
               int64_t due)
{
	memset(n, 0, sizeof *n);
	tg_strlcpy(n->id, id, sizeof n->id);
	tg_strlcpy(n->tenant_id, T1, sizeof n->tenant_id);
	tg_strlcpy(n->user_id, uid, sizeof n->user_id);
	n->change_seq = seq;
	tg_strlcpy(n->kind, STORE_NOTIFY_MFA_REGISTER, sizeof n->kind);
	tg_strlcpy(n->locale, "sv", sizeof n->locale);
	tg_strlcpy(n->to, "user@example.test", sizeof n->to);
	n->created = due;
	n->next_attempt = due;
}

struct rows {
	int n;
	struct store_notification v[8];
};

static int collect(const struct store_notification *n, void *arg)
{
	struct rows *r = arg;
	if (r->n < 8)
		r->v[r->n] = *n;
	r->n++;
	return 0;
}

static int list(struct store *s, int status, struct rows *out)
{
	memset(out, 0, sizeof *out);
	struct store_notify_query q = {.tenant_id = T1, .status = status, .limit = 100};
	return store_notify_list(s, &q, collect, out);
}

static void insert_rules(void)
{
	struct store *s = setup();
	REQUIRE(s);
	struct store_notification n;
	mk(&n, N1, U1, 7, 100);
	CHECK_OK(store_notify_insert(s, &n));
	mk(&n, N2, U2, 7, 100);
	CHECK_INT(store_notify_insert(s, &n), TG_ERR_EXISTS);        /* one per change */
	mk(&n, N2, "00000000-0000-4000-8000-00000000dead", 8, 100);
	CHECK_INT(store_notify_insert(s, &n), TG_ERR_NOT_FOUND);     /* unknown user */
	mk(&n, N2, U2, 8, 100);
	tg_strlcpy(n.kind, "somethingElse", sizeof n.kind);
	CHECK_INT(store_notify_insert(s, &n), TG_ERR_INVALID);
	mk(&n, N2, U2, 8, 100);
	n.to[0] = '\0';
	CHECK_INT(store_notify_insert(s, &n), TG_ERR_INVALID);       /* no address, no row */
	mk(&n, N2, U2, 0, 100);
	CHECK_INT(store_notify_insert(s, &n), TG_ERR_INVALID);       /* names its change */
	struct rows r;
	CHECK_OK(list(s, -1, &r));
	REQUIRE(r.n == 1);
	CHECK_STR(r.v[0].id, N1);
	CHECK_STR(r.v[0].upn, "user1@contoso.test");
	CHECK_STR(r.v[0].locale, "sv");
	CHECK_INT(r.v[0].status, STORE_NOTIFY_PENDING);
	CHECK_INT(r.v[0].attempts, 0);
	struct store_notify_query bad = {.tenant_id = T1, .status = -1, .limit = 0};
	CHECK_INT(store_notify_list(s, &bad, collect, &r), TG_ERR_INVALID);
	bad.limit = 1;
	bad.status = 3;
	CHECK_INT(store_notify_list(s, &bad, collect, &r), TG_ERR_INVALID);
	store_close(s);
}

static void claim_is_a_lease(void)
{
	struct store *s = setup();
	REQUIRE(s);
	struct store_notification n, c;
	mk(&n, N1, U1, 1, 200);
	CHECK_OK(store_notify_insert(s, &n));
	mk(&n, N2, U2, 2, 100);   /* due earlier: claimed first */
	CHECK_OK(store_notify_insert(s, &n));
	mk(&n, N3, U1, 3, 500);   /* not due at 300 */
	CHECK_OK(store_notify_insert(s, &n));

	CHECK_INT(store_notify_claim(s, 50, 110, &c), TG_ERR_NOT_FOUND);  /* nothing due yet */
	CHECK_OK(store_notify_claim(s, 300, 400, &c));
	CHECK_STR(c.id, N2);
	CHECK_INT(c.attempts, 1);
	CHECK_INT(c.next_attempt, 400);
	CHECK_OK(store_notify_claim(s, 300, 400, &c));
	CHECK_STR(c.id, N1);
	/* both leased, N3 not due: nothing for a second worker */
	CHECK_INT(store_notify_claim(s, 300, 400, &c), TG_ERR_NOT_FOUND);
	CHECK_INT(store_notify_claim(s, 399, 500, &c), TG_ERR_NOT_FOUND);

	/* the lease of N2 runs out: claimed again, the attempt counted */
	CHECK_OK(store_notify_mark_sent(s, N1, 1, 310));
	CHECK_OK(store_notify_claim(s, 400, 450, &c));
	CHECK_STR(c.id, N2);
	CHECK_INT(c.attempts, 2);
	/* the first holder's late report is refused: it is no longer theirs */
	CHECK_INT(store_notify_mark_sent(s, N2, 1, 420), TG_ERR_CONFLICT);
	CHECK_INT(store_notify_mark_failed(s, N2, 1, 999, false, "late"), TG_ERR_CONFLICT);
	CHECK_OK(store_notify_mark_failed(s, N2, 2, 1000, false, "the SMTP server said 451"));
	CHECK_OK(store_notify_claim(s, 999, 1100, &c));
	CHECK_STR(c.id, N3); /* due at 500; N2 waits until 1000 */
	CHECK_INT(store_notify_claim(s, 999, 1100, &c), TG_ERR_NOT_FOUND);
	CHECK_OK(store_notify_claim(s, 1000, 1100, &c));
	CHECK_STR(c.id, N2);
	CHECK_INT(c.attempts, 3);
	CHECK_STR(c.last_error, "the SMTP server said 451");
	/* giving up keeps the row as failed, never claimed again */
	CHECK_OK(store_notify_mark_failed(s, N2, 3, 0, true, "gave up"));
	CHECK_INT(store_notify_mark_sent(s, N2, 3, 1001), TG_ERR_CONFLICT);
	CHECK_OK(store_notify_claim(s, 1000000, 1000100, &c));
	CHECK_STR(c.id, N3); /* N3's lease (1100) ran out, N2 is failed */
	CHECK_INT(store_notify_claim(s, 1000000, 1000100, &c), TG_ERR_NOT_FOUND);

	struct rows r;
	CHECK_OK(list(s, STORE_NOTIFY_FAILED, &r));
	REQUIRE(r.n == 1);
	CHECK_STR(r.v[0].id, N2);
	CHECK_STR(r.v[0].last_error, "gave up");
	CHECK_OK(list(s, STORE_NOTIFY_SENT, &r));
	REQUIRE(r.n == 1);
	CHECK_STR(r.v[0].id, N1);
	CHECK_INT(r.v[0].sent, 310);
	CHECK_OK(list(s, STORE_NOTIFY_PENDING, &r));
	REQUIRE(r.n == 1);
	CHECK_STR(r.v[0].id, N3);
	CHECK_OK(list(s, -1, &r));
	REQUIRE(r.n == 3);
	CHECK_STR(r.v[0].id, N3);  /* newest first (created 500, 200, 100) */
	CHECK_STR(r.v[1].id, N1);
	CHECK_STR(r.v[2].id, N2);

	CHECK_INT(store_notify_claim(s, 10, 10, &c), TG_ERR_INVALID); /* a lease must end later */
	store_close(s);
}

static void long_error_is_cut(void)
{
	struct store *s = setup();
	REQUIRE(s);
	struct store_notification n, c;
	mk(&n, N1, U1, 1, 100);
	CHECK_OK(store_notify_insert(s, &n));
	CHECK_OK(store_notify_claim(s, 100, 200, &c));
	char big[2000];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	CHECK_OK(store_notify_mark_failed(s, N1, 1, 300, false, big));
	struct rows r;
	CHECK_OK(list(s, -1, &r));
	REQUIRE(r.n == 1);
	CHECK_INT(strlen(r.v[0].last_error), TG_MAX_NOTIFY_ERROR);
	store_close(s);
}

/* A new, unused file name from the mkstemp template path (the file is
 * removed again: SQLite creates the database). */
static bool fresh_path(char *path)
{
	int fd = mkstemp(path);
	if (fd < 0)
		return false;
	close(fd);
	unlink(path);
	return true;
}

/* Removes the database file at path with its WAL and shared-memory files. */
static void remove_db(const char *path)
{
	char side[64];
	unlink(path);
	snprintf(side, sizeof side, "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", path);
	unlink(side);
}

/* Two handles on one database file (two servers): each notice is claimed
 * by exactly one of them. */
static void two_handles_never_share(void)
{
	char path[] = "/tmp/tg-notify-XXXXXX";
	REQUIRE(fresh_path(path));
	struct store_open_opts o = {.dsn = path, .create = true};
	struct store *a = NULL, *b = NULL;
	REQUIRE(store_open("sqlite", &o, &a) == TG_OK);
	REQUIRE(populate(a) == 0);
	o.create = false;
	REQUIRE(store_open("sqlite", &o, &b) == TG_OK);
	enum { N = 20 };
	for (int i = 0; i < N; i++) {
		struct store_notification n;
		char id[40];
		snprintf(id, sizeof id, "cccccccc-0000-4000-8000-%012d", i);
		mk(&n, id, i % 2 ? U1 : U2, i + 1, 100);
		CHECK_OK(store_notify_insert(a, &n));
	}
	int seen[N] = {0}, claims = 0;
	for (int round = 0; round < 2 * N; round++) {
		struct store_notification c;
		int r = store_notify_claim(round % 2 ? a : b, 150, 1000, &c);
		if (r == TG_ERR_NOT_FOUND)
			continue;
		CHECK_OK(r);
		for (int i = 0; i < N; i++) {
			char id[40];
			snprintf(id, sizeof id, "cccccccc-0000-4000-8000-%012d", i);
			if (strcmp(c.id, id) == 0)
				seen[i]++;
		}
		claims++;
	}
	CHECK_INT(claims, N);
	for (int i = 0; i < N; i++)
		if (seen[i] != 1)
			TG_T_FAIL("notice %d claimed %d times", i, seen[i]);
	store_close(b);
	store_close(a);
	remove_db(path);
}

/* Walk the list in pages of `page` notices, each page starting after the
 * previous page's last (created, change_seq); the ids in order into out. */
static int walk(struct store *s, int status, int page, char (*out)[TG_ID_BUF], int max, int *n)
{
	struct store_notify_query q = {.tenant_id = T1, .status = status, .limit = page};
	*n = 0;
	for (int pages = 0; pages <= max; pages++) {
		struct rows r;
		memset(&r, 0, sizeof r);
		int e = store_notify_list(s, &q, collect, &r);
		if (e)
			return e;
		if (r.n > page || *n + r.n > max)
			return -1;
		for (int i = 0; i < r.n; i++)
			tg_strlcpy(out[(*n)++], r.v[i].id, TG_ID_BUF);
		if (r.n < page)
			return 0;
		q.before_created = r.v[r.n - 1].created;
		q.before_seq = r.v[r.n - 1].change_seq;
	}
	return -1;   /* never ends: the cursor does not move */
}

static void list_pages(void)
{
	struct store *s = setup();
	REQUIRE(s);
	/* created ties (three at 100, two at 200) are ordered by change_seq,
	 * which is not the order of insertion */
	static const struct { const char *id; int64_t seq, created; bool sent; } in[] = {
		{"dddddddd-0000-4000-8000-000000000001", 40, 100, false},
		{"dddddddd-0000-4000-8000-000000000002", 10, 200, true},
		{"dddddddd-0000-4000-8000-000000000003", 60, 100, true},
		{"dddddddd-0000-4000-8000-000000000004", 20, 300, false},
		{"dddddddd-0000-4000-8000-000000000005", 50, 100, false},
		{"dddddddd-0000-4000-8000-000000000006", 30, 200, true},
		{"dddddddd-0000-4000-8000-000000000007", 70, 50, false},
	};
	enum { N = sizeof in / sizeof in[0] };
	for (int i = 0; i < N; i++) {
		struct store_notification n;
		mk(&n, in[i].id, i % 2 ? U1 : U2, in[i].seq, in[i].created);
		n.next_attempt = in[i].sent ? 10 : 5000;
		CHECK_OK(store_notify_insert(s, &n));
	}
	struct store_notification c;
	while (store_notify_claim(s, 10, 20, &c) == TG_OK)
		CHECK_OK(store_notify_mark_sent(s, c.id, c.attempts, 15));
	/* newest first: (300,20) (200,30) (200,10) (100,60) (100,50) (100,40) (50,70) */
	static const int all[] = {4, 6, 2, 3, 5, 1, 7};
	static const int sent[] = {6, 2, 3};
	static const int pending[] = {4, 5, 1, 7};
	char got[N + 1][TG_ID_BUF];
	int n;
	for (int page = 1; page <= 5; page++) {
		CHECK_OK(walk(s, -1, page, got, N, &n));
		CHECK_INT(n, N);
		for (int i = 0; i < N && i < n; i++)
			if (strcmp(got[i], in[all[i] - 1].id) != 0)
				TG_T_FAIL("page size %d: position %d is %s", page, i, got[i]);
		CHECK_OK(walk(s, STORE_NOTIFY_SENT, page, got, N, &n));
		CHECK_INT(n, 3);
		for (int i = 0; i < 3 && i < n; i++)
			if (strcmp(got[i], in[sent[i] - 1].id) != 0)
				TG_T_FAIL("sent, page size %d: position %d is %s", page, i, got[i]);
		CHECK_OK(walk(s, STORE_NOTIFY_PENDING, page, got, N, &n));
		CHECK_INT(n, 4);
		for (int i = 0; i < 4 && i < n; i++)
			if (strcmp(got[i], in[pending[i] - 1].id) != 0)
				TG_T_FAIL("pending, page size %d: position %d is %s", page, i, got[i]);
		CHECK_OK(walk(s, STORE_NOTIFY_FAILED, page, got, N, &n));
		CHECK_INT(n, 0);
	}
	/* a cursor in the middle of a tie: only what is strictly after it */
	struct rows r;
	memset(&r, 0, sizeof r);
	struct store_notify_query q = {.tenant_id = T1, .status = -1, .limit = 10,
	                               .before_created = 100, .before_seq = 50};
	CHECK_OK(store_notify_list(s, &q, collect, &r));
	REQUIRE(r.n == 2);
	CHECK_STR(r.v[0].id, in[0].id);
	CHECK_STR(r.v[1].id, in[6].id);
	/* past the oldest: nothing */
	q.before_created = 50;
	q.before_seq = 70;
	memset(&r, 0, sizeof r);
	CHECK_OK(store_notify_list(s, &q, collect, &r));
	CHECK_INT(r.n, 0);
	/* both cursor fields or neither; no negative change_seq */
	q.before_created = 100;
	q.before_seq = 0;
	CHECK_INT(store_notify_list(s, &q, collect, &r), TG_ERR_INVALID);
	q.before_seq = -1;
	CHECK_INT(store_notify_list(s, &q, collect, &r), TG_ERR_INVALID);
	q.before_created = 0;
	CHECK_INT(store_notify_list(s, &q, collect, &r), TG_ERR_INVALID);
	store_close(s);
}

/* The page query of a 100,000-notice tenant is one range read of an index
 * in list order (0007_notify_paging.sql), with and without the status: no
 * scan of the tenant, no sort. The SQL is the backend's (store_sqlite_notify.c). */
static void list_is_an_index_range(void)
{
	char path[] = "/tmp/tg-notify-plan-XXXXXX";
	REQUIRE(fresh_path(path));
	struct store_open_opts o = {.dsn = path, .create = true};
	struct store *s = NULL;
	REQUIRE(store_open("sqlite", &o, &s) == TG_OK);
	store_close(s);
	sqlite3 *db;
	REQUIRE(sqlite3_open(path, &db) == SQLITE_OK);
	static const char *const sql[] = {
		"EXPLAIN QUERY PLAN SELECT n.id,coalesce(u.upn,'') FROM notification n"
		" LEFT JOIN user u ON u.id=n.user_id WHERE n.tenant_id=?1"
		" AND (n.created,n.change_seq) < (?2,?3)"
		" ORDER BY n.created DESC, n.change_seq DESC LIMIT ?4",
		"EXPLAIN QUERY PLAN SELECT n.id,coalesce(u.upn,'') FROM notification n"
		" LEFT JOIN user u ON u.id=n.user_id WHERE n.tenant_id=?1 AND n.status=?5"
		" AND (n.created,n.change_seq) < (?2,?3)"
		" ORDER BY n.created DESC, n.change_seq DESC LIMIT ?4",
	};
	static const char *const index[] = {
		"USING INDEX notification_tenant (tenant_id=? AND (created,change_seq)<(?,?))",
		"USING INDEX notification_tenant_status (tenant_id=? AND status=? AND "
		"(created,change_seq)<(?,?))",
	};
	for (int i = 0; i < 2; i++) {
		sqlite3_stmt *st;
		REQUIRE(sqlite3_prepare_v2(db, sql[i], -1, &st, NULL) == SQLITE_OK);
		bool indexed = false, sorted = false;
		while (sqlite3_step(st) == SQLITE_ROW) {
			const char *d = (const char *)sqlite3_column_text(st, 3);
			if (d && strstr(d, index[i]))
				indexed = true;
			if (d && strstr(d, "TEMP B-TREE"))
				sorted = true;
		}
		sqlite3_finalize(st);
		if (!indexed || sorted)
			TG_T_FAIL("list query %d: indexed %d, sorted %d", i, indexed, sorted);
	}
	sqlite3_close(db);
	remove_db(path);
}

static void deleted_user_takes_notices(void)
{
	struct store *s = setup();
	REQUIRE(s);
	struct store_notification n;
	mk(&n, N1, U1, 1, 100);
	CHECK_OK(store_notify_insert(s, &n));
	mk(&n, N2, U2, 2, 100);
	CHECK_OK(store_notify_insert(s, &n));
	CHECK_OK(store_user_delete(s, U1));
	struct rows r;
	CHECK_OK(list(s, -1, &r));
	REQUIRE(r.n == 1);
	CHECK_STR(r.v[0].id, N2);
	store_close(s);
}

int main(void)
{
	TEST(insert_rules);
	TEST(claim_is_a_lease);
	TEST(long_error_is_cut);
	TEST(two_handles_never_share);
	TEST(list_pages);
	TEST(list_is_an_index_range);
	TEST(deleted_user_takes_notices);
	return tg_test_done();
}
