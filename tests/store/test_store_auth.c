/* SPDX-License-Identifier: MIT
 * Auth-domain store conformance (store_auth.h) on SQLite: methods and their
 * atomic replay counter, activation as a compare-and-set, sealed-value
 * compare-and-set, the hardware token inventory (unique serials, unassigned
 * when the method goes), one-time codes (single use, delivered only),
 * recovery codes, app passwords, lockout counters, and cascades when a
 * user is deleted. Secrets here are opaque bytes: sealing is svc's job. */
#include <stdio.h>
#include <string.h>
#include "harness.h"
#include "base/err.h"
#include "base/str.h"
#include "store/store.h"
#include "store_fixture.h"
#include "store/store_auth.h"

#define T1 "11111111-1111-4111-8111-111111111111"
#define U1 "00000000-0000-4000-8000-000000000001"
#define U2 "00000000-0000-4000-8000-000000000002"
#define M1 "aaaaaaaa-0000-4000-8000-000000000001"
#define M2 "aaaaaaaa-0000-4000-8000-000000000002"
#define M3 "aaaaaaaa-0000-4000-8000-000000000003"

static struct store *setup(void)
{
	struct store *s = fixture_open();
	if (!s || fixture_tenant(s, T1, "contoso", "contoso.test") ||
	    fixture_user(s, U1, T1, "user1@contoso.test", true) ||
	    fixture_user(s, U2, T1, "user2@contoso.test", true))
		return s ? fixture_fail(s) : NULL;
	return s;
}

static void mk_method(struct store_method *m, const char *id, const char *uid, const char *kind)
{
	memset(m, 0, sizeof *m);
	tg_strlcpy(m->id, id, sizeof m->id);
	tg_strlcpy(m->tenant_id, T1, sizeof m->tenant_id);
	tg_strlcpy(m->user_id, uid, sizeof m->user_id);
	tg_strlcpy(m->kind, kind, sizeof m->kind);
	m->last_step = -1;
	m->oath_digits = 6;
	m->oath_period = 30;
	m->created = 100;
	m->secret_len = 40;
	memset(m->secret, 0x5a, m->secret_len);
}

static int count_methods(const struct store_method *m, void *arg)
{
	(void)m;
	(*(int *)arg)++;
	return 0;
}

static void methods_and_replay_counter(void)
{
	struct store *s = setup();
	REQUIRE(s);
	struct store_method m, got;
	mk_method(&m, M1, U1, STORE_KIND_SOFTWARE_OATH);
	CHECK_OK(store_method_insert(s, &m));
	CHECK_INT(store_method_insert(s, &m), TG_ERR_EXISTS);
	CHECK_OK(store_method_get(s, M1, &got));
	CHECK_INT(got.secret_len, 40);
	CHECK(memcmp(got.secret, m.secret, 40) == 0);
	CHECK_INT(got.last_step, -1);
	CHECK_INT(got.status, STORE_METHOD_PENDING);
	/* the replay counter only works on active methods */
	CHECK_INT(store_oath_step_advance(s, M1, 10, 200), TG_ERR_REPLAY);
	/* activation is a compare-and-set: once, with a fresh step */
	CHECK_OK(store_method_activate(s, M1, 10, 200));
	CHECK_INT(store_method_activate(s, M1, 11, 201), TG_ERR_REPLAY);
	CHECK_INT(store_oath_step_advance(s, M1, 10, 300), TG_ERR_REPLAY); /* same step */
	CHECK_INT(store_oath_step_advance(s, M1, 9, 300), TG_ERR_REPLAY);  /* earlier step */
	CHECK_OK(store_oath_step_advance(s, M1, 11, 300));
	CHECK_OK(store_method_get(s, M1, &got));
	CHECK_INT(got.last_step, 11);
	CHECK_INT(got.last_used, 300);
	CHECK_INT(got.status, STORE_METHOD_ACTIVE);
	/* a deactivated (hardware) method is refused too, and can be re-activated */
	CHECK_OK(store_method_set_status(s, M1, STORE_METHOD_DISABLED));
	CHECK_INT(store_oath_step_advance(s, M1, 12, 301), TG_ERR_REPLAY);
	CHECK_OK(store_method_activate(s, M1, 12, 302));
	int64_t n = 0;
	CHECK_OK(store_user_method_count(s, U1, &n));
	CHECK_INT(n, 1);
	int c = 0;
	CHECK_OK(store_method_list(s, U1, count_methods, &c));
	CHECK_INT(c, 1);
	CHECK_INT(store_method_delete(s, M2), TG_ERR_NOT_FOUND);
	CHECK_OK(store_method_touch(s, M1, 400));
	CHECK_OK(store_method_delete(s, M1));
	CHECK_INT(store_method_get(s, M1, &got), TG_ERR_NOT_FOUND);
	/* argument checks in the wrappers */
	CHECK_INT(store_method_activate(s, M1, -1, 1), TG_ERR_INVALID);
	CHECK_INT(store_method_set_status(s, M1, 7), TG_ERR_INVALID);
	store_close(s);
}

static int collect_sealed(const struct store_sealed *v, void *arg)
{
	(*(int *)arg)++;
	(void)v;
	return 0;
}

static void sealed_compare_and_set(void)
{
	struct store *s = setup();
	REQUIRE(s);
	struct store_method m;
	mk_method(&m, M1, U1, STORE_KIND_SOFTWARE_OATH);
	CHECK_OK(store_method_insert(s, &m));
	mk_method(&m, M2, U1, STORE_KIND_PHONE);
	m.secret_len = 0; /* no secret: not listed */
	CHECK_OK(store_method_insert(s, &m));
	int n = 0;
	CHECK_OK(store_sealed_list(s, "", 10, collect_sealed, &n));
	CHECK_INT(n, 1);
	uint8_t old[40], fresh[40], other[40];
	memset(old, 0x5a, sizeof old);
	memset(fresh, 0x11, sizeof fresh);
	memset(other, 0x22, sizeof other);
	CHECK_INT(store_sealed_replace(s, M1, other, 40, fresh, 40), TG_ERR_CONFLICT);
	CHECK_OK(store_sealed_replace(s, M1, old, 40, fresh, 40));
	CHECK_INT(store_sealed_replace(s, M1, old, 40, other, 40), TG_ERR_CONFLICT);
	struct store_method got;
	CHECK_OK(store_method_get(s, M1, &got));
	CHECK(memcmp(got.secret, fresh, 40) == 0);
	n = 0;
	CHECK_OK(store_sealed_list(s, M1, 10, collect_sealed, &n)); /* paging: after M1 */
	CHECK_INT(n, 0);
	store_close(s);
}

static int collect_token(const struct store_hw_token *t, void *arg)
{
	*(struct store_hw_token *)arg = *t;
	return 0;
}

static void token_inventory(void)
{
	struct store *s = setup();
	REQUIRE(s);
	struct store_method m;
	mk_method(&m, M1, U1, STORE_KIND_HARDWARE_OATH);
	CHECK_OK(store_method_insert(s, &m));
	struct store_hw_token t, got;
	memset(&t, 0, sizeof t);
	tg_strlcpy(t.id, "bbbbbbbb-0000-4000-8000-000000000001", sizeof t.id);
	tg_strlcpy(t.tenant_id, T1, sizeof t.tenant_id);
	tg_strlcpy(t.serial, "GALT11420104", sizeof t.serial);
	tg_strlcpy(t.manufacturer, "Thales", sizeof t.manufacturer);
	tg_strlcpy(t.method_id, M1, sizeof t.method_id);
	CHECK_OK(store_hw_token_insert(s, &t));
	tg_strlcpy(t.id, "bbbbbbbb-0000-4000-8000-000000000002", sizeof t.id);
	t.method_id[0] = '\0';
	CHECK_INT(store_hw_token_insert(s, &t), TG_ERR_EXISTS); /* serial is unique */
	CHECK_OK(store_hw_token_get(s, "GALT11420104", &got));
	CHECK_STR(got.upn, "user1@contoso.test");
	CHECK_STR(got.method_id, M1);
	CHECK_INT(got.method_status, STORE_METHOD_PENDING);
	struct store_method mg;
	CHECK_OK(store_method_get(s, M1, &mg));
	CHECK_STR(mg.serial, "GALT11420104");
	/* deleting the method leaves the token unassigned */
	CHECK_OK(store_method_delete(s, M1));
	memset(&got, 0, sizeof got);
	CHECK_OK(store_hw_token_list(s, T1, collect_token, &got));
	CHECK_STR(got.serial, "GALT11420104");
	CHECK_STR(got.method_id, "");
	CHECK_INT(got.method_status, -1);
	CHECK_OK(store_hw_token_delete(s, got.id));
	CHECK_INT(store_hw_token_get(s, "GALT11420104", &got), TG_ERR_NOT_FOUND);
	store_close(s);
}

struct codes { struct store_otp_code v[8]; int n; };

static int collect_code(const struct store_otp_code *c, void *arg)
{
	struct codes *cs = arg;
	if (cs->n < 8)
		cs->v[cs->n++] = *c;
	return 0;
}

static void otp_codes_single_use(void)
{
	struct store *s = setup();
	REQUIRE(s);
	struct store_method m;
	mk_method(&m, M1, U1, STORE_KIND_EMAIL);
	CHECK_OK(store_method_insert(s, &m));
	struct store_otp_code c;
	memset(&c, 0, sizeof c);
	tg_strlcpy(c.id, "cccccccc-0000-4000-8000-000000000001", sizeof c.id);
	tg_strlcpy(c.tenant_id, T1, sizeof c.tenant_id);
	tg_strlcpy(c.user_id, U1, sizeof c.user_id);
	tg_strlcpy(c.method_id, M1, sizeof c.method_id);
	tg_strlcpy(c.channel, "email", sizeof c.channel);
	c.digest_len = 33;
	memset(c.digest, 7, 33);
	c.created = 1000;
	c.ttl = 600;
	CHECK_OK(store_otp_code_insert(s, &c));
	tg_strlcpy(c.channel, "fax", sizeof c.channel);
	tg_strlcpy(c.id, "cccccccc-0000-4000-8000-000000000009", sizeof c.id);
	CHECK_INT(store_otp_code_insert(s, &c), TG_ERR_INVALID); /* CHECK constraint */
	const char *id = "cccccccc-0000-4000-8000-000000000001";
	/* not delivered yet: cannot be used */
	CHECK_INT(store_otp_code_use(s, id, 1001), TG_ERR_REPLAY);
	CHECK_OK(store_otp_code_delivered(s, id));
	CHECK_OK(store_otp_code_fail(s, id));
	CHECK_OK(store_otp_code_use(s, id, 1002));
	CHECK_INT(store_otp_code_use(s, id, 1003), TG_ERR_REPLAY);
	struct codes cs = {.n = 0};
	CHECK_OK(store_otp_code_list(s, U1, 0, 8, collect_code, &cs));
	REQUIRE(cs.n == 1);
	CHECK_INT(cs.v[0].used_at, 1002);
	CHECK_INT(cs.v[0].failures, 1);
	CHECK(cs.v[0].delivered);
	CHECK_INT(cs.v[0].digest_len, 33);
	cs.n = 0;
	CHECK_OK(store_otp_code_list(s, U1, 1001, 8, collect_code, &cs)); /* since */
	CHECK_INT(cs.n, 0);
	CHECK_OK(store_otp_code_purge(s, U1, 1001));
	cs.n = 0;
	CHECK_OK(store_otp_code_list(s, U1, 0, 8, collect_code, &cs));
	CHECK_INT(cs.n, 0);
	/* a code goes with its method */
	tg_strlcpy(c.channel, "sms", sizeof c.channel);
	CHECK_OK(store_otp_code_insert(s, &c));
	CHECK_OK(store_otp_code_use_all(s, U1, 1005));
	CHECK_OK(store_method_delete(s, M1));
	cs.n = 0;
	CHECK_OK(store_otp_code_list(s, U1, 0, 8, collect_code, &cs));
	CHECK_INT(cs.n, 0);
	store_close(s);
}

static int count_rc(const struct store_recovery_code *c, void *arg)
{
	if (!c->used_at)
		(*(int *)arg)++;
	return 0;
}

static void recovery_and_app_passwords(void)
{
	struct store *s = setup();
	REQUIRE(s);
	struct store_recovery_code rc;
	memset(&rc, 0, sizeof rc);
	rc.digest_len = 33;
	for (int i = 0; i < 3; i++) {
		snprintf(rc.id, sizeof rc.id, "dddddddd-0000-4000-8000-00000000000%d", i);
		rc.digest[0] = (uint8_t)i;
		CHECK_OK(store_recovery_code_insert(s, T1, U1, &rc));
	}
	CHECK_OK(store_recovery_code_use(s, "dddddddd-0000-4000-8000-000000000001", 50));
	CHECK_INT(store_recovery_code_use(s, "dddddddd-0000-4000-8000-000000000001", 51), TG_ERR_REPLAY);
	int unused = 0;
	CHECK_OK(store_recovery_code_list(s, U1, count_rc, &unused));
	CHECK_INT(unused, 2);
	int64_t n = 0;
	CHECK_OK(store_recovery_code_delete_all(s, U1, &n));
	CHECK_INT(n, 3);

	struct store_app_password p;
	memset(&p, 0, sizeof p);
	tg_strlcpy(p.tenant_id, T1, sizeof p.tenant_id);
	tg_strlcpy(p.user_id, U1, sizeof p.user_id);
	tg_strlcpy(p.name, "Outlook", sizeof p.name);
	tg_strlcpy(p.pwhash, "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g", sizeof p.pwhash);
	for (int i = 0; i < 3; i++) {
		snprintf(p.id, sizeof p.id, "eeeeeeee-0000-4000-8000-00000000000%d", i);
		p.created = 10 + i;
		CHECK_OK(store_app_password_insert(s, &p));
	}
	CHECK_OK(store_app_password_count(s, U1, &n));
	CHECK_INT(n, 3);
	CHECK_INT(store_app_password_delete(s, U2, "eeeeeeee-0000-4000-8000-000000000000"),
	          TG_ERR_NOT_FOUND); /* another user's id */
	CHECK_OK(store_app_password_delete(s, U1, "eeeeeeee-0000-4000-8000-000000000000"));
	CHECK_OK(store_app_password_touch(s, "eeeeeeee-0000-4000-8000-000000000001", 99));
	CHECK_OK(store_app_password_delete_all(s, U1, &n));
	CHECK_INT(n, 2);
	store_close(s);
}

static void lockout_counters(void)
{
	struct store *s = setup();
	REQUIRE(s);
	struct lockout_state st = {7, 1000, 2000}, got;
	CHECK_INT(store_lockout_get(s, "mfa:" U1, &got), TG_ERR_NOT_FOUND);
	CHECK_OK(store_lockout_put(s, T1, "mfa:" U1, &st));
	st.failures = 8;
	CHECK_OK(store_lockout_put(s, T1, "mfa:" U1, &st));
	CHECK_OK(store_lockout_get(s, "mfa:" U1, &got));
	CHECK_INT(got.failures, 8);
	CHECK_INT(got.last_failure, 1000);
	CHECK_INT(got.locked_until, 2000);
	CHECK_OK(store_lockout_delete(s, "mfa:" U1));
	CHECK_OK(store_lockout_delete(s, "mfa:" U1)); /* absent: fine */
	CHECK_INT(store_lockout_get(s, "", &got), TG_ERR_INVALID);
	store_close(s);
}

static void user_delete_cascades(void)
{
	struct store *s = setup();
	REQUIRE(s);
	struct store_method m;
	mk_method(&m, M3, U2, STORE_KIND_SOFTWARE_OATH);
	CHECK_OK(store_method_insert(s, &m));
	struct store_recovery_code rc;
	memset(&rc, 0, sizeof rc);
	tg_strlcpy(rc.id, "dddddddd-0000-4000-8000-000000000009", sizeof rc.id);
	rc.digest_len = 33;
	CHECK_OK(store_recovery_code_insert(s, T1, U2, &rc));
	CHECK_OK(store_user_delete(s, U2));
	struct store_method got;
	CHECK_INT(store_method_get(s, M3, &got), TG_ERR_NOT_FOUND);
	int unused = 0;
	CHECK_OK(store_recovery_code_list(s, U2, count_rc, &unused));
	CHECK_INT(unused, 0);
	/* a method for an unknown user is refused by the foreign key */
	mk_method(&m, M2, "00000000-0000-4000-8000-000000000099", STORE_KIND_EMAIL);
	CHECK_INT(store_method_insert(s, &m), TG_ERR_NOT_FOUND);
	store_close(s);
}

int main(void)
{
	TEST(methods_and_replay_counter);
	TEST(sealed_compare_and_set);
	TEST(token_inventory);
	TEST(otp_codes_single_use);
	TEST(recovery_and_app_passwords);
	TEST(lockout_counters);
	TEST(user_delete_cascades);
	return tg_test_done();
}
