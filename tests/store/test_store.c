/* SPDX-License-Identifier: MIT
 * Store conformance suite, run against every compiled backend (SQLite now:
 * in memory and on disk). Covers migrations, uniqueness, paging, transitive
 * groups with cycles refused, roles, the append-only audit log, settings and
 * transaction rollback. */
#include <sqlite3.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
#include "harness.h"
#include "base/err.h"
#include "base/str.h"
#include "core/roles.h"
#include "store/store.h"

static char dir[] = "/tmp/tg-store-XXXXXX";
static char dbpath[256];

static struct store *open_db(const char *path, int max_schema)
{
	struct store_open_opts o = {.dsn = path, .max_schema = max_schema, .create = true};
	struct store *s = NULL;
	if (store_open("sqlite", &o, &s) != TG_OK)
		return NULL;
	return s;
}

static void mk_tenant(struct tg_tenant *t, const char *id, const char *name)
{
	memset(t, 0, sizeof *t);
	tg_strlcpy(t->id, id, sizeof t->id);
	tg_strlcpy(t->name, name, sizeof t->name);
	snprintf(t->domain, sizeof t->domain, "%s.test", name);
	t->created = 1000;
}

static void mk_user(struct tg_user *u, const char *tid, int n)
{
	memset(u, 0, sizeof *u);
	snprintf(u->id, sizeof u->id, "00000000-0000-4000-8000-%012d", n);
	tg_strlcpy(u->tenant_id, tid, sizeof u->tenant_id);
	snprintf(u->upn, sizeof u->upn, "user%05d@contoso.test", n);
	snprintf(u->display_name, sizeof u->display_name, "User %d", n);
	u->enabled = true;
	u->created = u->modified = 1000 + n;
}

#define T1 "11111111-1111-4111-8111-111111111111"
#define T2 "22222222-2222-4222-8222-222222222222"

static int count_cb(const struct tg_user *u, void *arg) { (void)u; (*(int *)arg)++; return 0; }

static void tenants_and_users(void)
{
	struct store *s = open_db(":memory:", 0);
	REQUIRE(s);
	struct tg_tenant t, got;
	mk_tenant(&t, T1, "contoso");
	CHECK_OK(store_tenant_insert(s, &t));
	CHECK_INT(store_tenant_insert(s, &t), TG_ERR_EXISTS);
	CHECK_OK(store_tenant_get(s, "contoso", &got));
	CHECK_STR(got.id, T1);
	CHECK_OK(store_tenant_get(s, T1, &got));
	CHECK_INT(store_tenant_get(s, "nope", &got), TG_ERR_NOT_FOUND);

	struct tg_user u, v;
	mk_user(&u, T1, 1);
	CHECK_OK(store_user_insert(s, &u));
	/* UPN unique per installation */
	tg_strlcpy(u.id, "00000000-0000-4000-8000-999999999999", sizeof u.id);
	CHECK_INT(store_user_insert(s, &u), TG_ERR_EXISTS);
	/* upper-case UPNs are refused by the schema: callers store lowercase */
	mk_user(&u, T1, 2);
	tg_strlcpy(u.upn, "Mixed@Contoso.test", sizeof u.upn);
	CHECK(store_user_insert(s, &u) != TG_OK);
	/* lookup is case-insensitive */
	CHECK_OK(store_user_get_by_upn(s, "USER00001@CONTOSO.TEST", &v));
	CHECK_STR(v.display_name, "User 1");
	CHECK_INT(v.mfa_state, MFA_STATE_DISABLED);
	/* unknown tenant: foreign key */
	mk_user(&u, "33333333-3333-4333-8333-333333333333", 3);
	CHECK_INT(store_user_insert(s, &u), TG_ERR_NOT_FOUND);

	CHECK_OK(store_user_set_mfa_state(s, v.id, MFA_STATE_ENFORCED, 2000));
	CHECK_OK(store_user_get(s, v.id, &v));
	CHECK_INT(v.mfa_state, MFA_STATE_ENFORCED);
	CHECK_INT(v.modified, 2000);
	CHECK_INT(store_user_set_mfa_state(s, "missing", MFA_STATE_ENABLED, 1), TG_ERR_NOT_FOUND);

	tg_strlcpy(v.display_name, "Renamed", sizeof v.display_name);
	CHECK_OK(store_user_update(s, &v));
	CHECK_OK(store_user_get(s, v.id, &u));
	CHECK_STR(u.display_name, "Renamed");
	CHECK_OK(store_user_delete(s, v.id));
	CHECK_INT(store_user_delete(s, v.id), TG_ERR_NOT_FOUND);
	store_close(s);
}

struct page { char last[TG_MAX_UPN + 1]; int n; };
static int page_cb(const struct tg_user *u, void *arg)
{
	struct page *p = arg;
	tg_strlcpy(p->last, u->upn, sizeof p->last);
	p->n++;
	return 0;
}

static void user_paging_and_filters(void)
{
	struct store *s = open_db(":memory:", 0);
	REQUIRE(s);
	struct tg_tenant t;
	mk_tenant(&t, T1, "contoso");
	CHECK_OK(store_tenant_insert(s, &t));
	CHECK_OK(store_tx_begin(s));
	for (int i = 0; i < 250; i++) {
		struct tg_user u;
		mk_user(&u, T1, i);
		u.mfa_state = i % 10 == 0 ? MFA_STATE_ENABLED : MFA_STATE_DISABLED;
		CHECK_OK(store_user_insert(s, &u));
	}
	CHECK_OK(store_tx_commit(s));
	int64_t n = 0;
	CHECK_OK(store_user_count(s, T1, &n));
	CHECK_INT(n, 250);
	/* page through 100 at a time */
	struct page p = {"", 0};
	int total = 0, pages = 0;
	for (;;) {
		struct user_query q = {.tenant_id = T1, .after_upn = p.last[0] ? p.last : NULL,
		                       .state = -1, .limit = 100};
		p.n = 0;
		CHECK_OK(store_user_list(s, &q, page_cb, &p));
		total += p.n;
		pages++;
		if (p.n < 100)
			break;
	}
	CHECK_INT(total, 250);
	CHECK_INT(pages, 3);
	int c = 0;
	struct user_query q = {.tenant_id = T1, .state = MFA_STATE_ENABLED};
	CHECK_OK(store_user_list(s, &q, count_cb, &c));
	CHECK_INT(c, 25);
	c = 0;
	struct user_query q2 = {.tenant_id = T1, .upn_prefix = "user0010", .state = -1};
	CHECK_OK(store_user_list(s, &q2, count_cb, &c));
	CHECK_INT(c, 10);
	c = 0;
	struct user_query q3 = {.tenant_id = T1, .name_prefix = "user 24", .state = -1};
	CHECK_OK(store_user_list(s, &q3, count_cb, &c));
	CHECK_INT(c, 11); /* 24, 240..249 */
	store_close(s);
}

static int id_count_cb(const char *id, void *arg) { (void)id; (*(int *)arg)++; return 0; }
static int mem_count_cb(enum tg_member_kind k, const char *id, void *arg)
{
	(void)id;
	if (k == TG_MEMBER_USER)
		(*(int *)arg)++;
	return 0;
}

static void mk_group(struct tg_group *g, const char *tid, int n)
{
	memset(g, 0, sizeof *g);
	snprintf(g->id, sizeof g->id, "99999999-0000-4000-8000-%012d", n);
	tg_strlcpy(g->tenant_id, tid, sizeof g->tenant_id);
	snprintf(g->name, sizeof g->name, "group-%d", n);
	g->created = 1;
}

static void groups_transitive_and_cycles(void)
{
	struct store *s = open_db(":memory:", 0);
	REQUIRE(s);
	struct tg_tenant t, t2;
	mk_tenant(&t, T1, "contoso");
	mk_tenant(&t2, T2, "fabrikam");
	CHECK_OK(store_tenant_insert(s, &t));
	CHECK_OK(store_tenant_insert(s, &t2));
	struct tg_user u;
	mk_user(&u, T1, 1);
	CHECK_OK(store_user_insert(s, &u));
	struct tg_group a, b, c, d, other;
	mk_group(&a, T1, 1);
	mk_group(&b, T1, 2);
	mk_group(&c, T1, 3);
	mk_group(&d, T1, 4);
	mk_group(&other, T2, 5);
	CHECK_OK(store_group_insert(s, &a));
	CHECK_OK(store_group_insert(s, &b));
	CHECK_OK(store_group_insert(s, &c));
	CHECK_OK(store_group_insert(s, &d));
	CHECK_OK(store_group_insert(s, &other));
	CHECK_INT(store_group_insert(s, &a), TG_ERR_EXISTS);
	/* rename: a name taken in the tenant is refused, another tenant's is not */
	struct tg_group ren = d, got;
	snprintf(ren.name, sizeof ren.name, "group-1");
	CHECK_INT(store_group_update(s, &ren), TG_ERR_EXISTS);
	snprintf(ren.name, sizeof ren.name, "group-5");
	snprintf(ren.description, sizeof ren.description, "renamed");
	CHECK_OK(store_group_update(s, &ren));
	CHECK_OK(store_group_get(s, T1, d.id, &got));
	CHECK_STR(got.name, "group-5");
	CHECK_STR(got.description, "renamed");
	CHECK_INT(got.created, 1);
	ren.tenant_id[0] = 'x';   /* another tenant's id: not found */
	CHECK_INT(store_group_update(s, &ren), TG_ERR_NOT_FOUND);
	/* u ∈ c ⊂ b ⊂ a */
	CHECK_OK(store_group_member_add(s, c.id, TG_MEMBER_USER, u.id));
	CHECK_OK(store_group_member_add(s, b.id, TG_MEMBER_GROUP, c.id));
	CHECK_OK(store_group_member_add(s, a.id, TG_MEMBER_GROUP, b.id));
	CHECK_INT(store_group_member_add(s, a.id, TG_MEMBER_GROUP, b.id), TG_ERR_EXISTS);
	int n = 0;
	CHECK_OK(store_member_groups(s, TG_MEMBER_USER, u.id, true, id_count_cb, &n));
	CHECK_INT(n, 3);
	n = 0;
	CHECK_OK(store_member_groups(s, TG_MEMBER_USER, u.id, false, id_count_cb, &n));
	CHECK_INT(n, 1);
	n = 0;
	CHECK_OK(store_group_members(s, a.id, true, mem_count_cb, &n));
	CHECK_INT(n, 1);
	n = 0;
	CHECK_OK(store_group_members(s, a.id, false, mem_count_cb, &n));
	CHECK_INT(n, 0);
	/* cycles: a into c (c ⊂ b ⊂ a), a into a, b into c */
	CHECK_INT(store_group_member_add(s, c.id, TG_MEMBER_GROUP, a.id), TG_ERR_CYCLE);
	CHECK_INT(store_group_member_add(s, a.id, TG_MEMBER_GROUP, a.id), TG_ERR_CYCLE);
	CHECK_INT(store_group_member_add(s, c.id, TG_MEMBER_GROUP, b.id), TG_ERR_CYCLE);
	/* a diamond is not a cycle: d ⊂ a and d ⊂ c */
	CHECK_OK(store_group_member_add(s, a.id, TG_MEMBER_GROUP, d.id));
	CHECK_OK(store_group_member_add(s, c.id, TG_MEMBER_GROUP, d.id));
	/* members must be in the group's tenant */
	CHECK_INT(store_group_member_add(s, other.id, TG_MEMBER_USER, u.id), TG_ERR_NOT_FOUND);
	CHECK_INT(store_group_member_add(s, a.id, TG_MEMBER_GROUP, other.id), TG_ERR_NOT_FOUND);
	/* deleting a middle group detaches it */
	CHECK_OK(store_group_delete(s, b.id));
	n = 0;
	CHECK_OK(store_member_groups(s, TG_MEMBER_USER, u.id, true, id_count_cb, &n));
	CHECK_INT(n, 1);
	store_close(s);
}

static void roles(void)
{
	struct store *s = open_db(":memory:", 0);
	REQUIRE(s);
	struct tg_tenant t;
	mk_tenant(&t, T1, "contoso");
	CHECK_OK(store_tenant_insert(s, &t));
	struct tg_user u;
	mk_user(&u, T1, 1);
	CHECK_OK(store_user_insert(s, &u));
	CHECK_OK(store_role_assign(s, T1, u.id, ROLE_ID_GLOBAL_ADMIN));
	CHECK_INT(store_role_assign(s, T1, u.id, ROLE_ID_GLOBAL_ADMIN), TG_ERR_EXISTS);
	CHECK_OK(store_role_assign(s, T1, u.id, ROLE_ID_GLOBAL_READER));
	int n = 0;
	CHECK_OK(store_user_roles(s, u.id, id_count_cb, &n));
	CHECK_INT(n, 2);
	n = 0;
	CHECK_OK(store_role_members(s, T1, ROLE_ID_GLOBAL_ADMIN, id_count_cb, &n));
	CHECK_INT(n, 1);
	CHECK_OK(store_role_remove(s, u.id, ROLE_ID_GLOBAL_ADMIN));
	CHECK_INT(store_role_remove(s, u.id, ROLE_ID_GLOBAL_ADMIN), TG_ERR_NOT_FOUND);
	/* deleting the user removes its assignments */
	CHECK_OK(store_user_delete(s, u.id));
	n = 0;
	CHECK_OK(store_role_members(s, T1, ROLE_ID_GLOBAL_READER, id_count_cb, &n));
	CHECK_INT(n, 0);
	store_close(s);
}

static int audit_cb(const struct tg_audit *a, void *arg)
{
	int *n = arg;
	if (*n == 0 && strcmp(a->action, "user.mfa_state") != 0)
		return -100; /* newest first expected */
	(*n)++;
	return 0;
}

static void audit_append_only(void)
{
	struct store *s = open_db(dbpath, 0);
	REQUIRE(s);
	struct tg_audit a = {0};
	tg_strlcpy(a.actor, "cli:root", sizeof a.actor);
	tg_strlcpy(a.action, "user.create", sizeof a.action);
	tg_strlcpy(a.target, "a@b.test", sizeof a.target);
	a.time = 10;
	CHECK_OK(store_audit_append(s, &a));
	CHECK(a.seq > 0);
	tg_strlcpy(a.action, "user.mfa_state", sizeof a.action);
	tg_strlcpy(a.before, "disabled", sizeof a.before);
	tg_strlcpy(a.after, "enabled", sizeof a.after);
	a.time = 11;
	CHECK_OK(store_audit_append(s, &a));
	int n = 0;
	struct audit_query q = {0};
	CHECK_OK(store_audit_list(s, &q, audit_cb, &n));
	CHECK_INT(n, 2);
	store_close(s);
	/* the schema itself refuses changes to audit rows */
	sqlite3 *db;
	REQUIRE(sqlite3_open(dbpath, &db) == SQLITE_OK);
	CHECK(sqlite3_exec(db, "UPDATE audit SET actor='x'", NULL, NULL, NULL) != SQLITE_OK);
	CHECK(sqlite3_exec(db, "DELETE FROM audit", NULL, NULL, NULL) != SQLITE_OK);
	sqlite3_close(db);
}

/* Collects the seq and actor of each listed record. */
struct audit_seen {
	int n;
	int64_t seq[16];
	char actor[16][TG_MAX_AUDIT_ACTOR + 1];
};

static int audit_seen_cb(const struct tg_audit *a, void *arg)
{
	struct audit_seen *v = arg;
	if (v->n >= 16)
		return -100;
	v->seq[v->n] = a->seq;
	tg_strlcpy(v->actor[v->n], a->actor, sizeof v->actor[0]);
	v->n++;
	return 0;
}

static void audit_by_actor(void)
{
	struct store *s = open_db(dbpath, 0);
	REQUIRE(s);
	/* on top of audit_append_only's two "cli:root" records, nine more: three
	 * actors, two kinds of action each (user: 4, app: 3, cli: 2) */
	static const char *const rows[][2] = {
		{"user:ann@c.test", "policy.create"}, {"app:robot-1", "policy.update"},
		{"user:ann@c.test", "user.create"}, {"cli:root", "policy.delete"},
		{"user:ann@c.test", "policy.update"}, {"app:robot-1", "user.create"},
		{"user:ann@c.test", "policy.delete"}, {"app:robot-1", "policy.create"},
		{"user:ann@c.test.x", "policy.create"},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct tg_audit a = {0};
		tg_strlcpy(a.actor, rows[i][0], sizeof a.actor);
		tg_strlcpy(a.action, rows[i][1], sizeof a.action);
		a.time = 100 + (int64_t)i;
		CHECK_OK(store_audit_append(s, &a));
	}
	struct audit_seen v = {0};
	struct audit_query q = {.actor = "user:ann@c.test"};
	CHECK_OK(store_audit_list(s, &q, audit_seen_cb, &v));
	CHECK_INT(v.n, 4);                                  /* exact: not "….x" */
	for (int i = 0; i < v.n; i++) {
		CHECK_STR(v.actor[i], "user:ann@c.test");
		if (i)
			CHECK(v.seq[i] < v.seq[i - 1]);             /* newest first */
	}
	/* with an action prefix */
	memset(&v, 0, sizeof v);
	q = (struct audit_query){.actor = "app:robot-1", .action_prefix = "policy."};
	CHECK_OK(store_audit_list(s, &q, audit_seen_cb, &v));
	CHECK_INT(v.n, 2);
	CHECK_STR(v.actor[0], "app:robot-1");
	CHECK_STR(v.actor[1], "app:robot-1");
	memset(&v, 0, sizeof v);
	q = (struct audit_query){.actor = "cli:root", .action_prefix = "policy."};
	CHECK_OK(store_audit_list(s, &q, audit_seen_cb, &v));
	CHECK_INT(v.n, 1);                                  /* not the user.* two */
	/* paged: pages of 3 then 1 by the last seq shown, nothing after */
	memset(&v, 0, sizeof v);
	q = (struct audit_query){.actor = "user:ann@c.test", .limit = 3};
	CHECK_OK(store_audit_list(s, &q, audit_seen_cb, &v));
	REQUIRE(v.n == 3);
	int64_t all0 = v.seq[0];
	q.before_seq = v.seq[2];
	memset(&v, 0, sizeof v);
	CHECK_OK(store_audit_list(s, &q, audit_seen_cb, &v));
	CHECK_INT(v.n, 1);
	CHECK_STR(v.actor[0], "user:ann@c.test");
	CHECK(v.seq[0] < q.before_seq && v.seq[0] < all0);
	q.before_seq = v.seq[0];
	memset(&v, 0, sizeof v);
	CHECK_OK(store_audit_list(s, &q, audit_seen_cb, &v));
	CHECK_INT(v.n, 0);
	/* unknown actor: nothing; empty or over-long: refused */
	memset(&v, 0, sizeof v);
	q = (struct audit_query){.actor = "user:nobody@c.test"};
	CHECK_OK(store_audit_list(s, &q, audit_seen_cb, &v));
	CHECK_INT(v.n, 0);
	q.actor = "";
	CHECK_INT(store_audit_list(s, &q, audit_seen_cb, &v), TG_ERR_INVALID);
	char big[TG_MAX_AUDIT_ACTOR + 2];
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	q.actor = big;
	CHECK_INT(store_audit_list(s, &q, audit_seen_cb, &v), TG_ERR_INVALID);
	big[TG_MAX_AUDIT_ACTOR] = '\0';                     /* at the limit: fine */
	CHECK_OK(store_audit_list(s, &q, audit_seen_cb, &v));
	store_close(s);
	/* an actor's list is an index search, not a scan of the whole log */
	sqlite3 *db;
	sqlite3_stmt *st;
	REQUIRE(sqlite3_open(dbpath, &db) == SQLITE_OK);
	REQUIRE(sqlite3_prepare_v2(db, "EXPLAIN QUERY PLAN SELECT seq,time,action,target FROM audit"
	                           " WHERE actor=? AND seq<? ORDER BY seq DESC LIMIT 10",
	                           -1, &st, NULL) == SQLITE_OK);
	bool indexed = false, sorted = false;               /* sorted: a temp B-tree */
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *d = (const char *)sqlite3_column_text(st, 3);
		if (d && strstr(d, "INDEX audit_actor (actor=? AND rowid<?)"))
			indexed = true;
		if (d && strstr(d, "TEMP B-TREE"))
			sorted = true;
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	CHECK(indexed);
	CHECK(!sorted);
}

static void settings_roundtrip(void)
{
	struct store *s = open_db(":memory:", 0);
	REQUIRE(s);
	struct tg_tenant t;
	mk_tenant(&t, T1, "contoso");
	CHECK_OK(store_tenant_insert(s, &t));
	char *v = NULL;
	CHECK_INT(store_setting_get(s, T1, "k", &v), TG_ERR_NOT_FOUND);
	CHECK_OK(store_setting_set(s, T1, "k", "one"));
	CHECK_OK(store_setting_set(s, T1, "k", "two"));
	CHECK_OK(store_setting_get(s, T1, "k", &v));
	CHECK_STR(v, "two");
	free(v);
	store_close(s);
}

static void rollback_loses_nothing_else(void)
{
	struct store *s = open_db(":memory:", 0);
	REQUIRE(s);
	struct tg_tenant t;
	mk_tenant(&t, T1, "contoso");
	CHECK_OK(store_tenant_insert(s, &t));
	struct tg_user u;
	mk_user(&u, T1, 1);
	CHECK_OK(store_user_insert(s, &u));
	CHECK_OK(store_tx_begin(s));
	mk_user(&u, T1, 2);
	CHECK_OK(store_user_insert(s, &u));
	CHECK_OK(store_tx_rollback(s));
	int64_t n = 0;
	CHECK_OK(store_user_count(s, T1, &n));
	CHECK_INT(n, 1);
	store_close(s);
}

static void migrations_old_to_new(void)
{
	char path[300];
	snprintf(path, sizeof path, "%s/old.db", dir);
	/* an "old" installation at schema 1 with data in it */
	struct store *s = open_db(path, 1);
	REQUIRE(s);
	int v = 0;
	CHECK_OK(store_schema_version(s, &v));
	CHECK_INT(v, 1);
	struct tg_tenant t;
	mk_tenant(&t, T1, "contoso");
	CHECK_OK(store_tenant_insert(s, &t));
	char *val = NULL;
	CHECK(store_setting_get(s, T1, "k", &val) != TG_OK); /* no table yet */
	store_close(s);
	/* opened by this version: migrated, data kept */
	s = open_db(path, 0);
	REQUIRE(s);
	CHECK_OK(store_schema_version(s, &v));
	CHECK_INT(v, store_latest_schema("sqlite"));
	CHECK(v >= 2);
	struct tg_tenant got;
	CHECK_OK(store_tenant_get(s, "contoso", &got));
	CHECK_OK(store_setting_set(s, T1, "k", "v"));
	store_close(s);
	/* the file is private */
	struct stat stt;
	REQUIRE(stat(path, &stt) == 0);
	CHECK_INT(stt.st_mode & 077, 0);
}

static void newer_schema_refused(void)
{
	char path[300];
	snprintf(path, sizeof path, "%s/newer.db", dir);
	struct store *s = open_db(path, 0);
	REQUIRE(s);
	store_close(s);
	sqlite3 *db;
	REQUIRE(sqlite3_open(path, &db) == SQLITE_OK);
	CHECK(sqlite3_exec(db, "INSERT INTO schema_migrations VALUES(9999,'9999_future.sql',0)",
	                   NULL, NULL, NULL) == SQLITE_OK);
	sqlite3_close(db);
	struct store_open_opts o = {.dsn = path, .create = false};
	CHECK_INT(store_open("sqlite", &o, &s), TG_ERR_SCHEMA_NEWER);
}

static void missing_database_not_created(void)
{
	char path[300];
	snprintf(path, sizeof path, "%s/absent.db", dir);
	struct store_open_opts o = {.dsn = path, .create = false};
	struct store *s = NULL;
	CHECK_INT(store_open("sqlite", &o, &s), TG_ERR_NOT_FOUND);
	CHECK(access(path, F_OK) != 0);
	CHECK_INT(store_open("nosuchbackend", &o, &s), TG_ERR_INVALID);
}

int main(void)
{
	if (!mkdtemp(dir))
		return 2;
	snprintf(dbpath, sizeof dbpath, "%s/t.db", dir);
	TEST(tenants_and_users);
	TEST(user_paging_and_filters);
	TEST(groups_transitive_and_cycles);
	TEST(roles);
	TEST(audit_append_only);
	TEST(audit_by_actor);
	TEST(settings_roundtrip);
	TEST(rollback_loses_nothing_else);
	TEST(migrations_old_to_new);
	TEST(newer_schema_refused);
	TEST(missing_database_not_created);
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	return tg_test_done();
}
