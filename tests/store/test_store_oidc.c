/* SPDX-License-Identifier: MIT
 * Store conformance, oidc domain (SQLite): apps round-trip with their lists,
 * the single-use operations decided by one statement (code consume, refresh
 * rotation, session rotation), revocation by user and session, cascades
 * when an app or a user goes, and purge. Digests here are made-up bytes:
 * the store never sees a secret. */
#include <stdio.h>
#include "harness.h"
#include "base/err.h"
#include "base/str.h"
#include "store/store.h"
#include "store_fixture.h"
#include "store/store_oidc.h"

#define T1 "11111111-1111-4111-8111-111111111111"
#define U1 "00000000-0000-4000-8000-000000000001"
#define U2 "00000000-0000-4000-8000-000000000002"
#define APP "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa"

static struct store *setup(void)
{
	struct store *s = fixture_open();
	if (!s || fixture_tenant(s, T1, "contoso", "contoso.test") ||
	    fixture_user(s, U1, T1, "u0@contoso.test", true) || fixture_user(s, U2, T1, "u1@contoso.test", true))
		return s ? fixture_fail(s) : NULL;
	return s;
}

static struct store_digest dg(uint8_t fill)
{
	struct store_digest d;
	memset(&d, 0, sizeof d);
	memset(d.b, fill, 33);
	d.len = 33;
	return d;
}

static void mk_app(struct store_app *a, const char *id, bool pub)
{
	memset(a, 0, sizeof *a);
	tg_strlcpy(a->tenant_id, T1, sizeof a->tenant_id);
	tg_strlcpy(a->id, id, sizeof a->id);
	tg_strlcpy(a->display_name, "App", sizeof a->display_name);
	tg_strlcpy(a->signing_alg, "ES256", sizeof a->signing_alg);
	a->is_public = pub;
	if (!pub)
		a->secret = dg(0x5e);
	a->grant_types = STORE_GRANT_AUTHORIZATION_CODE | STORE_GRANT_REFRESH_TOKEN;
	a->n_redirect_uris = 2;
	tg_strlcpy(a->redirect_uris[0], "https://a.test/cb", sizeof a->redirect_uris[0]);
	tg_strlcpy(a->redirect_uris[1], "http://127.0.0.1:9/cb", sizeof a->redirect_uris[1]);
	a->created = 1000;
}

static void apps_roundtrip(void)
{
	struct store *s = setup();
	REQUIRE(s);
	struct store_app a, b;
	mk_app(&a, APP, false);
	a.n_permissions = 2;
	tg_strlcpy(a.permissions[0], "User.Read.All", sizeof a.permissions[0]);
	tg_strlcpy(a.permissions[1], "Policy.Read.All", sizeof a.permissions[1]);
	a.grant_types |= STORE_GRANT_CLIENT_CREDENTIALS;
	CHECK_OK(store_app_insert(s, &a));
	CHECK_INT(store_app_insert(s, &a), TG_ERR_EXISTS);
	CHECK_OK(store_app_get(s, T1, APP, &b));
	CHECK_INT(b.n_redirect_uris, 2);
	CHECK_STR(b.redirect_uris[1], "http://127.0.0.1:9/cb");
	CHECK_INT(b.n_permissions, 2);
	CHECK_STR(b.permissions[1], "Policy.Read.All");
	CHECK_INT(b.secret.len, 33);
	CHECK(memcmp(b.secret.b, a.secret.b, 33) == 0);
	CHECK_INT(b.grant_types, STORE_GRANT_ALL);
	/* update replaces the lists */
	b.n_redirect_uris = 1;
	tg_strlcpy(b.redirect_uris[0], "https://b.test/cb", sizeof b.redirect_uris[0]);
	CHECK_OK(store_app_update(s, &b));
	CHECK_OK(store_app_get(s, T1, APP, &a));
	CHECK_INT(a.n_redirect_uris, 1);
	CHECK_STR(a.redirect_uris[0], "https://b.test/cb");
	/* argument checks: a public app with a secret, a confidential one without */
	mk_app(&a, "bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb", true);
	a.secret = dg(1);
	CHECK_INT(store_app_insert(s, &a), TG_ERR_INVALID);
	mk_app(&a, "bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb", false);
	a.secret.len = 0;
	CHECK_INT(store_app_insert(s, &a), TG_ERR_INVALID);
	a.secret = dg(1);
	a.grant_types = 0;
	CHECK_INT(store_app_insert(s, &a), TG_ERR_INVALID);
	/* unknown tenant */
	mk_app(&a, "cccccccc-cccc-4ccc-8ccc-cccccccccccc", true);
	tg_strlcpy(a.tenant_id, "99999999-9999-4999-8999-999999999999", sizeof a.tenant_id);
	CHECK_INT(store_app_insert(s, &a), TG_ERR_NOT_FOUND);
	CHECK_OK(store_app_delete(s, T1, APP));
	CHECK_INT(store_app_delete(s, T1, APP), TG_ERR_NOT_FOUND);
	CHECK_INT(store_app_get(s, T1, APP, &a), TG_ERR_NOT_FOUND);
	store_close(s);
}

static void code_consume_once(void)
{
	struct store *s = setup();
	REQUIRE(s);
	struct store_app a;
	mk_app(&a, APP, true);
	CHECK_OK(store_app_insert(s, &a));
	struct store_code c, out;
	memset(&c, 0, sizeof c);
	c.digest = dg(0xc0);
	tg_strlcpy(c.tenant_id, T1, sizeof c.tenant_id);
	tg_strlcpy(c.client_id, APP, sizeof c.client_id);
	tg_strlcpy(c.user_id, U1, sizeof c.user_id);
	tg_strlcpy(c.family_id, "ffffffff-ffff-4fff-8fff-ffffffffffff", sizeof c.family_id);
	tg_strlcpy(c.redirect_uri, "https://a.test/cb", sizeof c.redirect_uri);
	tg_strlcpy(c.scope, "openid", sizeof c.scope);
	c.created = 100;
	c.expires = 160;
	CHECK_OK(store_code_insert(s, &c));
	CHECK_INT(store_code_insert(s, &c), TG_ERR_EXISTS);
	struct store_digest other = dg(0xc1);
	CHECK_INT(store_code_consume(s, &other, 120, &out), TG_ERR_NOT_FOUND);
	CHECK_OK(store_code_consume(s, &c.digest, 120, &out));
	CHECK_STR(out.scope, "openid");
	CHECK(out.used);
	memset(&out, 0, sizeof out);
	CHECK_INT(store_code_consume(s, &c.digest, 121, &out), TG_ERR_REPLAY);
	CHECK_STR(out.family_id, "ffffffff-ffff-4fff-8fff-ffffffffffff");   /* to revoke it */
	/* an unused code past its expiry */
	c.digest = dg(0xc2);
	CHECK_OK(store_code_insert(s, &c));
	CHECK_INT(store_code_consume(s, &c.digest, 160, &out), TG_ERR_EXPIRED);
	/* deleting the app takes its codes */
	CHECK_OK(store_app_delete(s, T1, APP));
	CHECK_INT(store_code_consume(s, &c.digest, 120, &out), TG_ERR_NOT_FOUND);
	store_close(s);
}

static void refresh_rotate_once(void)
{
	struct store *s = setup();
	REQUIRE(s);
	struct store_app a;
	mk_app(&a, APP, true);
	CHECK_OK(store_app_insert(s, &a));
	struct store_refresh_family f;
	memset(&f, 0, sizeof f);
	tg_strlcpy(f.id, "ffffffff-ffff-4fff-8fff-ffffffffffff", sizeof f.id);
	tg_strlcpy(f.tenant_id, T1, sizeof f.tenant_id);
	tg_strlcpy(f.client_id, APP, sizeof f.client_id);
	tg_strlcpy(f.user_id, U1, sizeof f.user_id);
	tg_strlcpy(f.session_id, "55555555-5555-4555-8555-555555555555", sizeof f.session_id);
	f.created = 100;
	f.expires = 10000;
	CHECK_OK(store_family_insert(s, &f));
	CHECK_INT(store_family_insert(s, &f), TG_ERR_EXISTS);
	struct store_refresh t, got;
	memset(&t, 0, sizeof t);
	t.digest = dg(0x10);
	t.family = f;
	tg_strlcpy(t.amr, "pwd mfa", sizeof t.amr);
	t.created = 100;
	t.expires = 1000;
	CHECK_OK(store_refresh_insert(s, &t));
	struct store_digest n1 = dg(0x11), n2 = dg(0x12), none = dg(0x13);
	CHECK_OK(store_refresh_rotate(s, &t.digest, &n1, 200));
	CHECK_INT(store_refresh_rotate(s, &t.digest, &n2, 201), TG_ERR_REPLAY);   /* one successor */
	CHECK_INT(store_refresh_rotate(s, &none, &n2, 201), TG_ERR_NOT_FOUND);
	CHECK_OK(store_refresh_get(s, &t.digest, &got));
	CHECK(got.rotated);
	CHECK_INT(got.rotated_at, 200);
	CHECK_STR(got.family.user_id, U1);
	CHECK_STR(got.amr, "pwd mfa");
	CHECK(!got.family.revoked);
	/* revoke by session, then by id (idempotent, keeps the first time) */
	int64_t n = -1;
	CHECK_OK(store_family_revoke_session(s, f.session_id, 300, &n));
	CHECK_INT(n, 1);
	CHECK_OK(store_family_revoke(s, f.id, 400));
	CHECK_OK(store_refresh_get(s, &t.digest, &got));
	CHECK(got.family.revoked);
	CHECK_INT(got.family.revoked_at, 300);
	CHECK_INT(store_family_revoke(s, "00000000-0000-4000-8000-00000000dead", 1), TG_ERR_NOT_FOUND);
	CHECK_OK(store_family_revoke_user(s, U1, 500, &n));
	CHECK_INT(n, 0);                                       /* already revoked */
	/* purge: expired tokens, then the family with everything in it */
	struct store_oidc_purged p;
	struct store_oidc_purge_at at = {.now = 1000, .idle_before = 0, .codes_before = 0};
	CHECK_OK(store_oidc_purge(s, &at, &p));
	CHECK_INT(p.tokens, 1);
	CHECK_INT(p.families, 0);
	at.now = 10000;
	CHECK_OK(store_oidc_purge(s, &at, &p));
	CHECK_INT(p.families, 1);
	store_close(s);
}

static void sessions_and_devices(void)
{
	struct store *s = setup();
	REQUIRE(s);
	struct store_session x, got;
	memset(&x, 0, sizeof x);
	tg_strlcpy(x.id, "55555555-5555-4555-8555-555555555555", sizeof x.id);
	x.digest = dg(0x20);
	tg_strlcpy(x.tenant_id, T1, sizeof x.tenant_id);
	x.created = x.last_seen = 100;
	x.expires = 1000;
	tg_strlcpy(x.flow, "{\"step\":\"password\"}", sizeof x.flow);
	CHECK_OK(store_session_insert(s, &x));                 /* no user yet */
	CHECK_OK(store_session_get(s, &x.digest, &got));
	CHECK_STR(got.user_id, "");
	CHECK_STR(got.flow, "{\"step\":\"password\"}");
	/* rotate: only from the current digest */
	struct store_digest old = x.digest;
	x.digest = dg(0x21);
	tg_strlcpy(x.user_id, U1, sizeof x.user_id);
	tg_strlcpy(x.amr, "pwd", sizeof x.amr);
	x.auth_time = 150;
	CHECK_OK(store_session_rotate(s, &old, &x));
	CHECK_INT(store_session_rotate(s, &old, &x), TG_ERR_CONFLICT);
	CHECK_INT(store_session_get(s, &old, &got), TG_ERR_NOT_FOUND);
	CHECK_OK(store_session_get(s, &x.digest, &got));
	CHECK_STR(got.user_id, U1);
	CHECK_INT(got.auth_time, 150);
	/* an unknown user is refused by the foreign key */
	struct store_session y = x;
	y.digest = dg(0x22);
	tg_strlcpy(y.user_id, "00000000-0000-4000-8000-00000000dead", sizeof y.user_id);
	CHECK_INT(store_session_rotate(s, &x.digest, &y), TG_ERR_NOT_FOUND);
	/* touch never goes backwards */
	CHECK_OK(store_session_touch(s, x.id, 500));
	CHECK_OK(store_session_touch(s, x.id, 400));
	CHECK_OK(store_session_get_id(s, x.id, &got));
	CHECK_INT(got.last_seen, 500);
	/* flow: only with the current digest */
	CHECK_INT(store_session_set_flow(s, x.id, &old, "{}"), TG_ERR_CONFLICT);
	CHECK_OK(store_session_set_flow(s, x.id, &x.digest, "{}"));
	/* revoke all of a user's sessions */
	int64_t n = -1;
	CHECK_OK(store_session_revoke_user(s, U1, &n));
	CHECK_INT(n, 1);
	CHECK_OK(store_session_get(s, &x.digest, &got));
	CHECK(got.revoked);
	CHECK_STR(got.flow, "");
	CHECK_INT(store_session_rotate(s, &x.digest, &y), TG_ERR_CONFLICT);   /* revoked */
	CHECK_INT(store_session_revoke(s, "00000000-0000-4000-8000-00000000dead"), TG_ERR_NOT_FOUND);

	struct store_device d, dgot;
	memset(&d, 0, sizeof d);
	d.digest = dg(0x30);
	tg_strlcpy(d.tenant_id, T1, sizeof d.tenant_id);
	tg_strlcpy(d.user_id, U2, sizeof d.user_id);
	d.created = 100;
	d.expires = 200;
	CHECK_OK(store_device_insert(s, &d));
	CHECK_OK(store_device_get(s, &d.digest, &dgot));
	CHECK_STR(dgot.user_id, U2);
	CHECK_INT(dgot.expires, 200);
	/* deleting the user takes the device */
	CHECK_OK(store_user_delete(s, U2));
	CHECK_INT(store_device_get(s, &d.digest, &dgot), TG_ERR_NOT_FOUND);
	CHECK_OK(store_device_delete_user(s, U2, &n));
	CHECK_INT(n, 0);
	/* revoked sessions go at the next purge */
	struct store_oidc_purged p;
	struct store_oidc_purge_at at = {.now = 600, .idle_before = 0, .codes_before = 0};
	CHECK_OK(store_oidc_purge(s, &at, &p));
	CHECK_INT(p.sessions, 1);
	store_close(s);
}

static void jtis(void)
{
	struct store *s = setup();
	REQUIRE(s);
	bool r = true;
	CHECK_OK(store_jti_revoke(s, T1, "j1", 100));
	CHECK_OK(store_jti_revoke(s, T1, "j1", 50));            /* keeps the later expiry */
	CHECK_OK(store_jti_is_revoked(s, "j1", 99, &r));
	CHECK(r);
	CHECK_OK(store_jti_is_revoked(s, "j1", 100, &r));
	CHECK(!r);
	CHECK_OK(store_jti_is_revoked(s, "j2", 0, &r));
	CHECK(!r);
	CHECK_INT(store_jti_revoke(s, T1, "", 100), TG_ERR_INVALID);
	store_close(s);
}

int main(void)
{
	TEST(apps_roundtrip);
	TEST(code_consume_once);
	TEST(refresh_rotate_once);
	TEST(sessions_and_devices);
	TEST(jtis);
	return tg_test_done();
}
