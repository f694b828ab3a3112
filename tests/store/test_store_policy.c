/* SPDX-License-Identifier: MIT
 * Store conformance for the policy domain (store_policy.h) on SQLite in
 * memory: policy and location rows, the policy generation, the bad-IP list,
 * user risk, the security defaults grace ("first after each enabling
 * wins"), and the sign-in log with every filter, both orders and cursor
 * paging. */
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
#define U2 "00000000-0000-4000-8000-000000000002"
#define P1 "aaaaaaaa-0000-4000-8000-000000000001"
#define P2 "aaaaaaaa-0000-4000-8000-000000000002"
#define APP_A "bbbbbbbb-0000-4000-8000-00000000000a"
#define APP_B "bbbbbbbb-0000-4000-8000-00000000000b"

static struct store *setup(void)
{
	struct store *s = fixture_open();
	if (!s || fixture_tenant(s, T1, "contoso", NULL) || fixture_tenant(s, T2, "fabrikam", NULL) ||
	    fixture_user(s, "00000000-0000-4000-8000-000000000001", T1, "user1@contoso.test", false) ||
	    fixture_user(s, "00000000-0000-4000-8000-000000000002", T1, "user2@contoso.test", false))
		return s ? fixture_fail(s) : NULL;
	return s;
}

static void row(struct store_policy_row *r, const char *id, const char *tid, const char *name, int state,
                const char *json)
{
	memset(r, 0, sizeof *r);
	tg_strlcpy(r->id, id, sizeof r->id);
	tg_strlcpy(r->tenant_id, tid, sizeof r->tenant_id);
	tg_strlcpy(r->display_name, name, sizeof r->display_name);
	r->state = state;
	r->json = (char *)(uintptr_t)json;
	r->created = r->modified = 100;
}

struct names { char v[8][400]; int n; };

static int names_cb(const struct store_policy_row *r, void *arg)
{
	struct names *x = arg;
	if (x->n < 8)
		snprintf(x->v[x->n], sizeof x->v[0], "%s:%d:%s", r->display_name, r->state, r->json);
	x->n++;
	return 0;
}

static void policy_rows(void)
{
	struct store *s = setup();
	REQUIRE(s);
	struct store_policy_row r, got;
	row(&r, P1, T1, "First", 1, "{\"a\":1}");
	CHECK_OK(store_ca_policy_insert(s, &r));
	CHECK_INT(store_ca_policy_insert(s, &r), TG_ERR_EXISTS);
	row(&r, P2, T1, "Second", 3, "{\"b\":2}");
	r.created = 200;
	CHECK_OK(store_ca_policy_insert(s, &r));
	row(&r, "cccccccc-0000-4000-8000-000000000001", T1, "Bad state", 7, "{}");
	CHECK_INT(store_ca_policy_insert(s, &r), TG_ERR_INVALID);
	row(&r, "cccccccc-0000-4000-8000-000000000002", "99999999-0000-4000-8000-000000000000", "No tenant", 1, "{}");
	CHECK_INT(store_ca_policy_insert(s, &r), TG_ERR_NOT_FOUND);
	row(&r, "CCCCCCCC-0000-4000-8000-000000000003", T1, "Upper id", 1, "{}");
	CHECK_INT(store_ca_policy_insert(s, &r), TG_ERR_INVALID);

	int64_t n = 0;
	CHECK_OK(store_ca_policy_count(s, T1, &n));
	CHECK_INT(n, 2);
	CHECK_OK(store_ca_policy_count(s, T2, &n));
	CHECK_INT(n, 0);
	struct names x = {.n = 0};
	CHECK_OK(store_ca_policy_list(s, T1, names_cb, &x));
	CHECK_INT(x.n, 2);
	CHECK_STR(x.v[0], "First:1:{\"a\":1}");
	CHECK_STR(x.v[1], "Second:3:{\"b\":2}");

	/* get is case-insensitive on the id and scoped to the tenant */
	CHECK_OK(store_ca_policy_get(s, T1, "AAAAAAAA-0000-4000-8000-000000000001", &got));
	CHECK_STR(got.json, "{\"a\":1}");
	CHECK_INT(got.created, 100);
	store_policy_row_cleanup(&got);
	CHECK_INT(store_ca_policy_get(s, T2, P1, &got), TG_ERR_NOT_FOUND);

	row(&r, P1, T1, "First v2", 2, "{\"a\":2}");
	r.created = 999;   /* ignored: created never changes */
	r.modified = 300;
	CHECK_OK(store_ca_policy_update(s, &r));
	CHECK_OK(store_ca_policy_get(s, T1, P1, &got));
	CHECK_STR(got.display_name, "First v2");
	CHECK_INT(got.state, 2);
	CHECK_INT(got.created, 100);
	CHECK_INT(got.modified, 300);
	store_policy_row_cleanup(&got);
	row(&r, P1, T2, "Wrong tenant", 2, "{}");
	CHECK_INT(store_ca_policy_update(s, &r), TG_ERR_NOT_FOUND);

	CHECK_INT(store_ca_policy_delete(s, T2, P1), TG_ERR_NOT_FOUND);
	CHECK_OK(store_ca_policy_delete(s, T1, P1));
	CHECK_INT(store_ca_policy_delete(s, T1, P1), TG_ERR_NOT_FOUND);
	CHECK_OK(store_ca_policy_count(s, T1, &n));
	CHECK_INT(n, 1);
	store_close(s);
}

static void location_rows(void)
{
	struct store *s = setup();
	REQUIRE(s);
	struct store_policy_row r, got;
	row(&r, P1, T1, "Office", 0, "{\"loc\":1}");
	r.is_trusted = true;
	CHECK_OK(store_location_insert(s, &r));
	CHECK_INT(store_location_insert(s, &r), TG_ERR_EXISTS);
	CHECK_OK(store_location_get(s, T1, P1, &got));
	CHECK(got.is_trusted);
	CHECK_STR(got.json, "{\"loc\":1}");
	store_policy_row_cleanup(&got);
	r.is_trusted = false;
	CHECK_OK(store_location_update(s, &r));
	CHECK_OK(store_location_get(s, T1, P1, &got));
	CHECK(!got.is_trusted);
	store_policy_row_cleanup(&got);
	int64_t n = 0;
	CHECK_OK(store_location_count(s, T1, &n));
	CHECK_INT(n, 1);
	struct names x = {.n = 0};
	CHECK_OK(store_location_list(s, T1, names_cb, &x));
	CHECK_INT(x.n, 1);
	CHECK_OK(store_location_delete(s, T1, P1));
	CHECK_INT(store_location_get(s, T1, P1, &got), TG_ERR_NOT_FOUND);
	store_close(s);
}

static void generation(void)
{
	struct store *s = setup();
	REQUIRE(s);
	int64_t g = -1;
	CHECK_OK(store_policy_generation_get(s, T1, &g));
	CHECK_INT(g, 0);
	CHECK_OK(store_policy_generation_bump(s, T1, &g));
	CHECK_INT(g, 1);
	CHECK_OK(store_policy_generation_bump(s, T1, NULL));
	CHECK_OK(store_policy_generation_get(s, T1, &g));
	CHECK_INT(g, 2);
	CHECK_OK(store_policy_generation_get(s, T2, &g));
	CHECK_INT(g, 0);
	/* a rolled-back bump is not seen */
	CHECK_OK(store_tx_begin(s));
	CHECK_OK(store_policy_generation_bump(s, T1, &g));
	CHECK_INT(g, 3);
	CHECK_OK(store_tx_rollback(s));
	CHECK_OK(store_policy_generation_get(s, T1, &g));
	CHECK_INT(g, 2);
	store_close(s);
}

static int bad_cb(const struct store_bad_ip *b, void *arg)
{
	struct names *x = arg;
	if (x->n < 8)
		snprintf(x->v[x->n], sizeof x->v[0], "%s", b->cidr);
	x->n++;
	return 0;
}

static void bad_ips(void)
{
	struct store *s = setup();
	REQUIRE(s);
	struct store_bad_ip b;
	memset(&b, 0, sizeof b);
	tg_strlcpy(b.cidr, "203.0.113.0/24", sizeof b.cidr);
	b.created = 5;
	CHECK_OK(store_bad_ip_add(s, T1, &b));
	CHECK_INT(store_bad_ip_add(s, T1, &b), TG_ERR_EXISTS);
	CHECK_OK(store_bad_ip_add(s, T2, &b));   /* per tenant */
	tg_strlcpy(b.cidr, "198.51.100.7/32", sizeof b.cidr);
	CHECK_OK(store_bad_ip_add(s, T1, &b));
	int64_t n = 0;
	CHECK_OK(store_bad_ip_count(s, T1, &n));
	CHECK_INT(n, 2);
	struct names x = {.n = 0};
	CHECK_OK(store_bad_ip_list(s, T1, bad_cb, &x));
	CHECK_INT(x.n, 2);
	CHECK_STR(x.v[0], "198.51.100.7/32");
	CHECK_OK(store_bad_ip_remove(s, T1, "198.51.100.7/32"));
	CHECK_INT(store_bad_ip_remove(s, T1, "198.51.100.7/32"), TG_ERR_NOT_FOUND);
	store_close(s);
}

static void user_risk(void)
{
	struct store *s = setup();
	REQUIRE(s);
	struct store_user_risk r, got;
	CHECK_INT(store_user_risk_get(s, U1, &got), TG_ERR_NOT_FOUND);
	memset(&r, 0, sizeof r);
	tg_strlcpy(r.user_id, U1, sizeof r.user_id);
	tg_strlcpy(r.tenant_id, T1, sizeof r.tenant_id);
	r.compromised = true;
	tg_strlcpy(r.reason, "phished", sizeof r.reason);
	r.updated = 7;
	CHECK_OK(store_user_risk_set(s, &r));
	CHECK_OK(store_user_risk_get(s, U1, &got));
	CHECK(got.compromised && !got.reported);
	CHECK_STR(got.reason, "phished");
	r.compromised = false;
	r.reported = true;
	CHECK_OK(store_user_risk_set(s, &r));
	CHECK_OK(store_user_risk_get(s, U1, &got));
	CHECK(!got.compromised && got.reported);
	tg_strlcpy(r.user_id, "00000000-0000-4000-8000-000000000099", sizeof r.user_id);
	CHECK_INT(store_user_risk_set(s, &r), TG_ERR_NOT_FOUND);
	/* deleting the user deletes the row */
	CHECK_OK(store_user_delete(s, U1));
	CHECK_INT(store_user_risk_get(s, U1, &got), TG_ERR_NOT_FOUND);
	store_close(s);
}

static void sd_grace(void)
{
	struct store *s = setup();
	REQUIRE(s);
	int64_t t = 0;
	bool noted = false;
	CHECK_INT(store_sd_first_signin_get(s, U1, &t), TG_ERR_NOT_FOUND);
	/* security defaults enabled at 1000: the first sign-in at 1500 wins */
	CHECK_OK(store_sd_first_signin_note(s, T1, U1, 1500, 1000, &noted));
	CHECK(noted);
	CHECK_OK(store_sd_first_signin_note(s, T1, U1, 1600, 1000, &noted));
	CHECK(!noted);
	CHECK_OK(store_sd_first_signin_get(s, U1, &t));
	CHECK_INT(t, 1500);
	/* re-enabled at 5000: the old time no longer counts, the next one does */
	CHECK_OK(store_sd_first_signin_note(s, T1, U1, 5100, 5000, &noted));
	CHECK(noted);
	CHECK_OK(store_sd_first_signin_note(s, T1, U1, 5200, 5000, &noted));
	CHECK(!noted);
	CHECK_OK(store_sd_first_signin_get(s, U1, &t));
	CHECK_INT(t, 5100);
	CHECK_INT(store_sd_first_signin_note(s, T1, "00000000-0000-4000-8000-000000000099", 1, 0, NULL),
	          TG_ERR_NOT_FOUND);
	store_close(s);
}

/* ---- sign-in log ---- */

static void add_signin(struct store *s, int n, const char *tid, const char *uid, const char *upn,
                       const char *app, int64_t time, int error, bool interactive)
{
	struct store_signin r;
	char json[64];
	memset(&r, 0, sizeof r);
	snprintf(r.id, sizeof r.id, "eeeeeeee-0000-4000-8000-%012d", n);
	tg_strlcpy(r.tenant_id, tid, sizeof r.tenant_id);
	r.time = time;
	tg_strlcpy(r.user_id, uid, sizeof r.user_id);
	tg_strlcpy(r.upn, upn, sizeof r.upn);
	tg_strlcpy(r.app_id, app, sizeof r.app_id);
	tg_strlcpy(r.app_name, "App", sizeof r.app_name);
	snprintf(r.ip, sizeof r.ip, "198.51.100.%d", n % 250);
	tg_strlcpy(r.client_app, "Browser", sizeof r.client_app);
	r.error_code = error;
	r.interactive = interactive;
	snprintf(json, sizeof json, "{\"n\":%d}", n);
	r.json = json;
	if (store_signin_insert(s, &r) != TG_OK || r.seq <= 0)
		TG_T_FAIL("insert %d", n);
}

struct seen { int n; int ids[64]; int64_t last_time, last_seq; };

static int seen_cb(const struct store_signin *r, void *arg)
{
	struct seen *x = arg;
	int n = 0;
	sscanf(r->json, "{\"n\":%d}", &n);
	if (x->n < 64)
		x->ids[x->n] = n;
	x->n++;
	x->last_time = r->time;
	x->last_seq = r->seq;
	return 0;
}

static struct seen run(struct store *s, struct store_signin_query q)
{
	struct seen x;
	memset(&x, 0, sizeof x);
	if (store_signin_list(s, &q, seen_cb, &x) != TG_OK)
		TG_T_FAIL("list failed");
	return x;
}

static struct store_signin_query base_query(void)
{
	struct store_signin_query q = {.tenant_id = T1, .error_code = -1, .interactive = -1};
	return q;
}

static void signin_log(void)
{
	struct store *s = setup();
	REQUIRE(s);
	/* n: user, app, time, error, interactive */
	add_signin(s, 1, T1, U1, "user1@contoso.test", APP_A, 1000, 0, true);
	add_signin(s, 2, T1, U1, "user1@contoso.test", APP_B, 2000, 50076, true);
	add_signin(s, 3, T1, U2, "user2@contoso.test", APP_A, 2000, 0, false);
	add_signin(s, 4, T1, "", "ghost@contoso.test", APP_A, 3000, 50126, true);
	add_signin(s, 5, T1, U2, "user2@contoso.test", APP_B, 4000, 53003, true);
	add_signin(s, 6, T2, U1, "user1@contoso.test", APP_A, 5000, 0, true);

	struct store_signin dup;
	memset(&dup, 0, sizeof dup);
	tg_strlcpy(dup.id, "eeeeeeee-0000-4000-8000-000000000001", sizeof dup.id);
	tg_strlcpy(dup.tenant_id, T1, sizeof dup.tenant_id);
	dup.json = (char *)(uintptr_t)"{}";
	CHECK_INT(store_signin_insert(s, &dup), TG_ERR_EXISTS);

	struct store_signin_query q = base_query();
	struct seen x = run(s, q);
	CHECK_INT(x.n, 5);                 /* tenant 1 only, newest first; ties by seq */
	CHECK_INT(x.ids[0], 5);
	CHECK_INT(x.ids[1], 4);
	CHECK_INT(x.ids[2], 3);
	CHECK_INT(x.ids[3], 2);
	CHECK_INT(x.ids[4], 1);
	q.oldest_first = true;
	x = run(s, q);
	CHECK_INT(x.ids[0], 1);
	CHECK_INT(x.ids[4], 5);

	q = base_query();
	q.user_id = U1;
	x = run(s, q);
	CHECK_INT(x.n, 2);
	q = base_query();
	q.upn = "ghost@contoso.test";
	x = run(s, q);
	CHECK_INT(x.n, 1);
	CHECK_INT(x.ids[0], 4);
	q = base_query();
	q.app_id = APP_A;
	x = run(s, q);
	CHECK_INT(x.n, 3);
	q = base_query();
	q.app_id = APP_B;
	q.user_id = U2;                   /* two filters together */
	x = run(s, q);
	CHECK_INT(x.n, 1);
	CHECK_INT(x.ids[0], 5);
	q = base_query();
	q.since = 2000;
	q.until = 3000;
	x = run(s, q);
	CHECK_INT(x.n, 3);
	q = base_query();
	q.error_code = 0;
	x = run(s, q);
	CHECK_INT(x.n, 2);
	q = base_query();
	q.status = STORE_SIGNIN_FAILURE;
	x = run(s, q);
	CHECK_INT(x.n, 3);
	q = base_query();
	q.status = STORE_SIGNIN_SUCCESS;
	q.interactive = 1;
	x = run(s, q);
	CHECK_INT(x.n, 1);
	CHECK_INT(x.ids[0], 1);

	/* paging: two at a time with the cursor, newest first, then oldest first */
	for (int asc = 0; asc <= 1; asc++) {
		q = base_query();
		q.limit = 2;
		q.oldest_first = asc;
		int order[5], k = 0;
		for (int page = 0; page < 4; page++) {
			x = run(s, q);
			for (int i = 0; i < x.n && k < 5; i++)
				order[k++] = x.ids[i];
			if (x.n < 2)
				break;
			q.has_cursor = true;
			q.cursor_time = x.last_time;
			q.cursor_seq = x.last_seq;
		}
		CHECK_INT(k, 5);
		for (int i = 0; i < 5 && k == 5; i++)
			CHECK_INT(order[i], asc ? i + 1 : 5 - i);
	}

	struct store_signin got;
	CHECK_OK(store_signin_get(s, T1, "EEEEEEEE-0000-4000-8000-000000000002", &got));
	CHECK_STR(got.json, "{\"n\":2}");
	CHECK_INT(got.error_code, 50076);
	CHECK_STR(got.app_name, "App");
	store_signin_cleanup(&got);
	CHECK_INT(store_signin_get(s, T2, "eeeeeeee-0000-4000-8000-000000000002", &got), TG_ERR_NOT_FOUND);
	store_close(s);
}

int main(void)
{
	TEST(policy_rows);
	TEST(location_rows);
	TEST(generation);
	TEST(bad_ips);
	TEST(user_risk);
	TEST(sd_grace);
	TEST(signin_log);
	return tg_test_done();
}
