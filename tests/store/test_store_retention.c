/* SPDX-License-Identifier: MIT
 * Sign-in log retention in the store (store_signin_purge): only records
 * older than the cutoff go (a record at the cutoff stays), oldest first,
 * at most `limit` per call (batches), only in the tenant named (the other
 * tenant's log is untouched), arguments checked, the registration grace
 * bookkeeping (sd_first_signin, which keeps its own time) unaffected, and
 * a purge inside a rolled-back transaction deletes nothing. */
#include <stdio.h>
#include "harness.h"
#include "base/err.h"
#include "base/str.h"
#include "store/store.h"
#include "store/store_policy.h"
#include "store_fixture.h"

#define T1 "11111111-1111-4111-8111-111111111111"
#define T2 "22222222-2222-4222-8222-222222222222"
#define U1 "00000000-0000-4000-8000-000000000001"

static struct store *setup(void)
{
	struct store *s = fixture_open();
	if (!s || fixture_tenant(s, T1, "contoso", NULL) || fixture_tenant(s, T2, "fabrikam", NULL) ||
	    fixture_user(s, U1, T1, "user1@contoso.test", false))
		return s ? fixture_fail(s) : NULL;
	return s;
}

static void add(struct store *s, int n, const char *tid, int64_t time)
{
	struct store_signin r;
	char json[32];
	memset(&r, 0, sizeof r);
	snprintf(r.id, sizeof r.id, "eeeeeeee-0000-4000-8000-%012d", n);
	tg_strlcpy(r.tenant_id, tid, sizeof r.tenant_id);
	r.time = time;
	tg_strlcpy(r.user_id, U1, sizeof r.user_id);
	tg_strlcpy(r.upn, "user1@contoso.test", sizeof r.upn);
	snprintf(json, sizeof json, "{\"n\":%d}", n);
	r.json = json;
	if (store_signin_insert(s, &r) != TG_OK)
		TG_T_FAIL("insert %d", n);
}

static bool exists(struct store *s, const char *tid, int n)
{
	char id[TG_ID_BUF];
	snprintf(id, sizeof id, "eeeeeeee-0000-4000-8000-%012d", n);
	struct store_signin r = {0};
	int rc = store_signin_get(s, tid, id, &r);
	store_signin_cleanup(&r);
	return rc == TG_OK;
}

static int count_cb(const struct store_signin *r, void *arg)
{
	(void)r;
	(*(int *)arg)++;
	return 0;
}

static int count(struct store *s, const char *tid)
{
	struct store_signin_query q = {.tenant_id = tid, .error_code = -1, .interactive = -1};
	int n = 0;
	if (store_signin_list(s, &q, count_cb, &n))
		TG_T_FAIL("list");
	return n;
}

/* 25 old records in T1 (times 100..124, inserted newest first so that
 * seq order is not time order), 5 at or after the cutoff 1000, 10 old in T2. */
static void fill(struct store *s)
{
	for (int i = 24; i >= 0; i--)
		add(s, i + 1, T1, 100 + i);
	add(s, 26, T1, 1000);              /* exactly at the cutoff: kept */
	for (int i = 27; i <= 30; i++)
		add(s, i, T1, 2000 + i);
	for (int i = 31; i <= 40; i++)
		add(s, i, T2, 50 + i);
}

static void only_older_in_batches(void)
{
	struct store *s = setup();
	REQUIRE(s);
	fill(s);
	CHECK_OK(store_sd_first_signin_note(s, T1, U1, 100, 0, NULL));
	int64_t n = -1;
	CHECK_OK(store_signin_purge(s, T1, 1000, 10, &n));
	CHECK_INT(n, 10);
	/* oldest first: records 1..10 (times 100..109) went, 11 stayed */
	CHECK(!exists(s, T1, 1));
	CHECK(!exists(s, T1, 10));
	CHECK(exists(s, T1, 11));
	CHECK_OK(store_signin_purge(s, T1, 1000, 10, &n));
	CHECK_INT(n, 10);
	CHECK_OK(store_signin_purge(s, T1, 1000, 10, &n));
	CHECK_INT(n, 5);                   /* fewer than the limit: none older left */
	CHECK_OK(store_signin_purge(s, T1, 1000, 10, &n));
	CHECK_INT(n, 0);
	CHECK_INT(count(s, T1), 5);
	CHECK(exists(s, T1, 26));          /* time == cutoff */
	CHECK(exists(s, T1, 30));
	CHECK_INT(count(s, T2), 10);       /* the other tenant's log is untouched */
	int64_t grace = 0;
	CHECK_OK(store_sd_first_signin_get(s, U1, &grace));
	CHECK_INT(grace, 100);
	/* the other tenant, in one call */
	CHECK_OK(store_signin_purge(s, T2, 1000, TG_MAX_SIGNIN_PURGE_BATCH, &n));
	CHECK_INT(n, 10);
	CHECK_INT(count(s, T2), 0);
	/* the log goes on: new records get new ids and sequence numbers */
	add(s, 41, T1, 3000);
	CHECK_INT(count(s, T1), 6);
	store_close(s);
}

static void bad_arguments(void)
{
	struct store *s = setup();
	REQUIRE(s);
	fill(s);
	int64_t n = 7;
	CHECK_INT(store_signin_purge(s, T1, 1000, 0, &n), TG_ERR_INVALID);
	CHECK_INT(store_signin_purge(s, T1, 1000, -1, &n), TG_ERR_INVALID);
	CHECK_INT(store_signin_purge(s, T1, 1000, TG_MAX_SIGNIN_PURGE_BATCH + 1, &n), TG_ERR_INVALID);
	CHECK_INT(store_signin_purge(s, NULL, 1000, 10, &n), TG_ERR_INVALID);
	CHECK_INT(store_signin_purge(s, T1, 1000, 10, NULL), TG_ERR_INVALID);
	CHECK_INT(n, 7);                   /* untouched on failure */
	CHECK_INT(count(s, T1), 30);
	/* an unknown tenant has nothing to delete */
	CHECK_OK(store_signin_purge(s, "33333333-3333-4333-8333-333333333333", 1000, 10, &n));
	CHECK_INT(n, 0);
	/* before <= every time: nothing */
	CHECK_OK(store_signin_purge(s, T1, 100, 10, &n));
	CHECK_INT(n, 0);
	store_close(s);
}

static void rolled_back(void)
{
	struct store *s = setup();
	REQUIRE(s);
	fill(s);
	int64_t n = 0;
	CHECK_OK(store_tx_begin(s));
	CHECK_OK(store_signin_purge(s, T1, 1000, 100, &n));
	CHECK_INT(n, 25);
	CHECK_OK(store_tx_rollback(s));
	CHECK_INT(count(s, T1), 30);
	store_close(s);
}

int main(void)
{
	TEST(only_older_in_batches);
	TEST(bad_arguments);
	TEST(rolled_back);
	return tg_test_done();
}
