/* SPDX-License-Identifier: MIT
 * Authentication methods through the service layer on a real SQLite file,
 * with an injected clock and a capturing channel: authenticator app
 * registration and activation (registration completed, audited), the ±1
 * window edges, replay refused ("verification code already used once"),
 * two concurrent submissions of one code from two threads with two store
 * handles (exactly one succeeds), hardware token CSV import (bad rows by
 * line, nothing applied; SHA-256 / 60 s; at most 5 OATH methods), phone
 * formats and types, a phone number changed in place, one-time codes
 * (expiry, single use, burnt after wrong guesses, send rate limit, a
 * failed send consumes nothing), recovery
 * codes, the app password limit and tenant setting, lockout thresholds and
 * unlock, require-re-register, key rotation, and the sealed-at-rest dump:
 * no seed, code, recovery code or app password in any encoding in the
 * database file or its WAL. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "harness.h"
#include "base/err.h"
#include "base/mem.h"
#include "base/str.h"
#include "core/base32.h"
#include "core/oath.h"
#include "crypto/keys.h"
#include "crypto/rng.h"
#include "store/store.h"
#include "store/store_auth.h"
#include "svc/svc.h"
#include "svc/svc_auth.h"

static const struct pw_params fast = {64, 1, 1};
static int64_t clock_now;
static int64_t test_now(void) { return clock_now; }
#define T0 1800000000LL   /* a multiple of 30 and 60: step boundaries are easy */

static char dir[] = "/tmp/tg-svc-auth-XXXXXX";

/* The capturing channel: remembers the last message; can be told to fail. */
struct capture {
	char code[16], to[300], locale[16];
	enum channel_kind kind;
	int sent;
	int fail;   /* non-zero: return this error */
};

static int capture_deliver(void *arg, const struct channel_msg *m, char *err, size_t n)
{
	struct capture *c = arg;
	if (c->fail) {
		snprintf(err, n, "test channel is down");
		return c->fail;
	}
	tg_strlcpy(c->code, m->code, sizeof c->code);
	tg_strlcpy(c->to, m->to, sizeof c->to);
	tg_strlcpy(c->locale, m->locale ? m->locale : "", sizeof c->locale);
	c->kind = m->kind;
	c->sent++;
	return TG_OK;
}

struct env {
	char db[256];
	struct store *st;
	struct svc sv;
	struct svc_auth a;
	struct keys *k;
	struct auth_config cfg;
	struct capture cap;
	struct tg_tenant t;
};

static int env_n;

static void mk_user(struct env *e, const char *upn, const char *locale)
{
	struct svc_user_input in = {.upn = upn, .locale = locale};
	if (svc_user_create(&e->sv, &e->t, &in, NULL))
		fprintf(stderr, "user %s: %s\n", upn, e->sv.err);
}

static int setup(struct env *e)
{
	memset(e, 0, sizeof *e);
	clock_now = T0;
	snprintf(e->db, sizeof e->db, "%s/t%d.db", dir, env_n++);
	struct store_open_opts o = {.dsn = e->db, .create = true};
	if (store_open("sqlite", &o, &e->st) || keys_new_ephemeral(&e->k))
		return -1;
	svc_init(&e->sv, e->st, &fast, "test:runner");
	e->sv.now = test_now;
	auth_config_defaults(&e->cfg);
	svc_auth_init(&e->a, &e->sv, e->k, &e->cfg);
	e->a.deliver = capture_deliver;
	e->a.deliver_arg = &e->cap;
	if (svc_tenant_create(&e->sv, "contoso", "contoso.test", "Contoso", &e->t))
		return -1;
	mk_user(e, "alice@contoso.test", "sv");
	mk_user(e, "bob@contoso.test", "en");
	return 0;
}

static void teardown(struct env *e)
{
	store_close(e->st);
	keys_free(e->k);
}

static int count_audit_cb(const struct tg_audit *a, void *arg)
{
	(void)a;
	(*(int *)arg)++;
	return 0;
}

static int audit_count(struct env *e, const char *prefix)
{
	int n = 0;
	struct audit_query q = {.action_prefix = prefix};
	store_audit_list(e->st, &q, count_audit_cb, &n);
	return n;
}

/* The seed of an enrollment, decoded from its Base32. */
static size_t seed_of(const struct svc_totp_enrollment *en, uint8_t seed[TG_MAX_OATH_SECRET])
{
	size_t n = 0;
	if (base32_decode(en->secret_b32, strlen(en->secret_b32), seed, TG_MAX_OATH_SECRET, &n))
		return 0;
	return n;
}

static void code_at(const uint8_t *seed, size_t n, enum hmac_alg alg, unsigned period,
                    int64_t t, char out[OATH_CODE_SIZE])
{
	struct totp_params p;
	totp_params_default(&p);
	p.alg = alg;
	p.period = period;
	if (totp_generate(&p, seed, n, t, out))
		out[0] = '\0';
}

/* A code matching none of the steps t-30, t, t+30. */
static void wrong_code(const uint8_t *seed, size_t n, int64_t t, char out[OATH_CODE_SIZE])
{
	char c[3][OATH_CODE_SIZE];
	for (int i = 0; i < 3; i++)
		code_at(seed, n, HMAC_ALG_SHA1, 30, t + (i - 1) * 30, c[i]);
	tg_strlcpy(out, c[1], OATH_CODE_SIZE);
	for (int d = 0; d < 10; d++) {
		out[5] = (char)('0' + (c[1][5] - '0' + 1 + d) % 10);
		if (strcmp(out, c[0]) && strcmp(out, c[1]) && strcmp(out, c[2]))
			return;
	}
}

/* Register and activate an app for upn; seed out. */
static size_t app_for(struct env *e, const char *upn, uint8_t seed[TG_MAX_OATH_SECRET],
                      char id_out[TG_ID_BUF])
{
	struct svc_totp_enrollment en;
	if (svc_totp_register(&e->a, &e->t, upn, NULL, &en)) {
		fprintf(stderr, "register: %s\n", e->sv.err);
		return 0;
	}
	size_t n = seed_of(&en, seed);
	char c[OATH_CODE_SIZE];
	code_at(seed, n, HMAC_ALG_SHA1, 30, clock_now, c);
	if (svc_oath_activate(&e->a, &e->t, upn, en.method_id, c))
		fprintf(stderr, "activate: %s\n", e->sv.err);
	if (id_out)
		tg_strlcpy(id_out, en.method_id, TG_ID_BUF);
	svc_totp_enrollment_cleanup(&en);
	return n;
}

/* ------------------------------------------------------------------ TOTP */

static void app_registration_completes(void)
{
	struct env e;
	REQUIRE(setup(&e) == 0);
	const char *upns[] = {"alice@contoso.test"};
	struct svc_mfa_report rep = {0};
	CHECK_OK(svc_mfa_set(&e.sv, &e.t, MFA_STATE_ENABLED, upns, 1, false, false, &rep));
	svc_mfa_report_cleanup(&rep);
	struct svc_totp_enrollment en;
	REQUIRE(svc_totp_register(&e.a, &e.t, "alice@contoso.test", "Phone", &en) == TG_OK);
	CHECK_INT(strlen(en.secret_b32), 32); /* 160 bits */
	CHECK(strncmp(en.uri, "otpauth://totp/Contoso:alice@contoso.test?secret=", 49) == 0);
	CHECK(strstr(en.uri, "&issuer=Contoso&algorithm=SHA1&digits=6&period=30") != NULL);
	CHECK(strncmp(en.svg, "<svg ", 5) == 0 && strstr(en.svg, "</svg>") != NULL);
	uint8_t seed[TG_MAX_OATH_SECRET];
	size_t n = seed_of(&en, seed);
	CHECK_INT(n, 20);
	/* pending: not usable yet, and not a registered method */
	char c[OATH_CODE_SIZE], bad[OATH_CODE_SIZE];
	code_at(seed, n, HMAC_ALG_SHA1, 30, clock_now, c);
	CHECK_INT(svc_oath_verify(&e.a, &e.t, "alice@contoso.test", c, NULL, NULL), TG_ERR_DENIED);
	struct tg_user u;
	CHECK_OK(store_user_get_by_upn(e.st, "alice@contoso.test", &u));
	CHECK_INT(u.mfa_state, MFA_STATE_ENABLED);
	wrong_code(seed, n, clock_now, bad);
	CHECK_INT(svc_oath_activate(&e.a, &e.t, "alice@contoso.test", en.method_id, bad), TG_ERR_DENIED);
	CHECK_INT(svc_oath_activate(&e.a, &e.t, "bob@contoso.test", en.method_id, c), TG_ERR_NOT_FOUND);
	CHECK_OK(svc_oath_activate(&e.a, &e.t, "alice@contoso.test", en.method_id, c));
	CHECK_INT(svc_oath_activate(&e.a, &e.t, "alice@contoso.test", en.method_id, c), TG_ERR_CONFLICT);
	/* the first active method is "registration completed": enabled -> enforced */
	CHECK_OK(store_user_get_by_upn(e.st, "alice@contoso.test", &u));
	CHECK_INT(u.mfa_state, MFA_STATE_ENFORCED);
	CHECK_INT(audit_count(&e, "method.register"), 1);
	CHECK_INT(audit_count(&e, "method.activate"), 1);
	CHECK_INT(audit_count(&e, "user.mfa_state"), 2);
	/* the activation code cannot be used for the first sign-in */
	CHECK_INT(svc_oath_verify(&e.a, &e.t, "alice@contoso.test", c, NULL, NULL), TG_ERR_REPLAY);
	CHECK_STR(e.sv.err, "verification code already used once");
	svc_totp_enrollment_cleanup(&en);
	teardown(&e);
}

static void window_edges_and_replay(void)
{
	struct env e;
	REQUIRE(setup(&e) == 0);
	uint8_t seed[TG_MAX_OATH_SECRET];
	char id[TG_ID_BUF], c[OATH_CODE_SIZE], got[TG_ID_BUF];
	size_t n = app_for(&e, "alice@contoso.test", seed, id);
	REQUIRE(n == 20);
	const char *u = "alice@contoso.test";
	clock_now = T0 + 10 * 30;
	/* two steps away either side: refused */
	code_at(seed, n, HMAC_ALG_SHA1, 30, clock_now - 60, c);
	CHECK_INT(svc_oath_verify(&e.a, &e.t, u, c, NULL, NULL), TG_ERR_DENIED);
	code_at(seed, n, HMAC_ALG_SHA1, 30, clock_now + 60, c);
	CHECK_INT(svc_oath_verify(&e.a, &e.t, u, c, NULL, NULL), TG_ERR_DENIED);
	/* one step back: accepted, at the very last second of the step too */
	clock_now = T0 + 10 * 30 + 29;
	code_at(seed, n, HMAC_ALG_SHA1, 30, clock_now - 30, c);
	CHECK_OK(svc_oath_verify(&e.a, &e.t, u, c, NULL, got));
	CHECK_STR(got, id);
	/* the current step: accepted once; again: replay */
	code_at(seed, n, HMAC_ALG_SHA1, 30, clock_now, c);
	CHECK_OK(svc_oath_verify(&e.a, &e.t, u, c, NULL, NULL));
	CHECK_INT(svc_oath_verify(&e.a, &e.t, u, c, NULL, NULL), TG_ERR_REPLAY);
	/* one step ahead: accepted; then the (earlier) previous step is a replay */
	code_at(seed, n, HMAC_ALG_SHA1, 30, clock_now + 30, c);
	CHECK_OK(svc_oath_verify(&e.a, &e.t, u, c, NULL, NULL));
	code_at(seed, n, HMAC_ALG_SHA1, 30, clock_now - 30, c);
	CHECK_INT(svc_oath_verify(&e.a, &e.t, u, c, NULL, NULL), TG_ERR_REPLAY);
	/* typed with spaces: fine; letters: wrong */
	clock_now += 90;
	code_at(seed, n, HMAC_ALG_SHA1, 30, clock_now, c);
	char spaced[16];
	snprintf(spaced, sizeof spaced, "%.3s %.3s", c, c + 3);
	CHECK_OK(svc_oath_verify(&e.a, &e.t, u, spaced, NULL, NULL));
	CHECK_INT(svc_oath_verify(&e.a, &e.t, u, "12a456", NULL, NULL), TG_ERR_DENIED);
	/* a disabled account is refused before the code is looked at */
	struct svc_user_changes ch = {.enabled = 0};
	CHECK_OK(svc_user_update(&e.sv, &e.t, u, &ch, NULL));
	clock_now += 30;
	code_at(seed, n, HMAC_ALG_SHA1, 30, clock_now, c);
	CHECK_INT(svc_oath_verify(&e.a, &e.t, u, c, NULL, NULL), TG_ERR_DISABLED);
	teardown(&e);
}

/* Two threads, two store handles on one file, one code at the same moment. */
struct racer {
	const char *db;
	const struct keys *k;
	struct tg_tenant t;
	const char *code;
	int kind;              /* 0 TOTP, 1 one-time code */
	pthread_barrier_t *go;
	int result;
};

static void *race(void *arg)
{
	struct racer *r = arg;
	struct store_open_opts o = {.dsn = r->db};
	struct store *st = NULL;
	r->result = -999;
	if (store_open("sqlite", &o, &st)) {
		pthread_barrier_wait(r->go);
		return NULL;
	}
	struct svc sv;
	struct svc_auth a;
	struct auth_config cfg;
	auth_config_defaults(&cfg);
	svc_init(&sv, st, &fast, "test:racer");
	sv.now = test_now;
	svc_auth_init(&a, &sv, r->k, &cfg);
	pthread_barrier_wait(r->go);
	if (r->kind == 0)
		r->result = svc_oath_verify(&a, &r->t, "alice@contoso.test", r->code, NULL, NULL);
	else
		r->result = svc_code_verify(&a, &r->t, "alice@contoso.test", r->code, NULL);
	store_close(st);
	return NULL;
}

static void run_race(struct env *e, const char *code, int kind, int *ok, int *replay)
{
	pthread_barrier_t go;
	pthread_barrier_init(&go, NULL, 2);
	struct racer rs[2];
	pthread_t th[2];
	for (int i = 0; i < 2; i++) {
		rs[i] = (struct racer){e->db, e->k, e->t, code, kind, &go, 0};
		pthread_create(&th[i], NULL, race, &rs[i]);
	}
	for (int i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	pthread_barrier_destroy(&go);
	for (int i = 0; i < 2; i++) {
		*ok += rs[i].result == TG_OK;
		*replay += rs[i].result == TG_ERR_REPLAY;
	}
}

static void concurrent_submissions_succeed_once(void)
{
	struct env e;
	REQUIRE(setup(&e) == 0);
	uint8_t seed[TG_MAX_OATH_SECRET];
	size_t n = app_for(&e, "alice@contoso.test", seed, NULL);
	REQUIRE(n == 20);
	int rounds = 20, ok = 0, replay = 0;
	for (int i = 0; i < rounds; i++) {
		clock_now += 30;
		char c[OATH_CODE_SIZE];
		code_at(seed, n, HMAC_ALG_SHA1, 30, clock_now, c);
		int o = 0, rp = 0;
		run_race(&e, c, 0, &o, &rp);
		if (o != 1 || rp != 1)
			TG_T_FAIL("round %d: %d succeeded, %d replays", i, o, rp);
		ok += o;
		replay += rp;
	}
	CHECK_INT(ok, rounds);
	CHECK_INT(replay, rounds);
	/* the same for one-time codes */
	CHECK_OK(svc_email_add(&e.a, &e.t, "alice@contoso.test", "alice@contoso.test", NULL));
	ok = replay = 0;
	for (int i = 0; i < 5; i++) {
		clock_now += 200;
		REQUIRE(svc_code_send(&e.a, &e.t, "alice@contoso.test", CHANNEL_EMAIL, NULL) == TG_OK);
		run_race(&e, e.cap.code, 1, &ok, &replay);
	}
	CHECK_INT(ok, 5);
	CHECK_INT(replay, 5);
	teardown(&e);
}

/* ------------------------------------------------------- hardware tokens */

static void token_import_all_or_nothing(void)
{
	struct env e;
	REQUIRE(setup(&e) == 0);
	const char *bad =
		"upn,serial number,secret key,time interval,manufacturer,model\n"
		"alice@contoso.test,S1,2234567abcdef2234567abcdef,30,Contoso,Key\n"
		"ghost@contoso.test,S2,2234567abcdef2234567abcdef,30,Contoso,Key\n"
		"alice@contoso.test,S3,not-base32!,30,Contoso,Key\n"
		"alice@contoso.test,S4,2234567abcdef2234567abcdef,45,Contoso,Key\n"
		"alice@contoso.test,S1,2234567abcdef2234567abcdef,30,Contoso,Key\n"
		"alice@contoso.test,S6,AAAAAAAA,30,Contoso,Key\n"
		"alice@contoso.test,S7,2234567abcdef2234567abcdef,30,Contoso,Key,extra\n";
	struct svc_import_report rep;
	CHECK_INT(svc_token_import_csv(&e.a, &e.t, bad, strlen(bad), false, &rep), TG_ERR_INVALID);
	CHECK_INT(rep.rows, 7);
	CHECK_INT(rep.created, 0);
	CHECK_INT(rep.nerrors, 6);
	static const size_t lines[] = {3, 4, 5, 6, 7, 8};
	for (size_t i = 0; i < 6; i++)
		CHECK_INT(rep.errors[i].line, lines[i]);
	CHECK(strstr(rep.errors[0].message, "ghost@contoso.test") != NULL);
	CHECK(strstr(rep.errors[3].message, "first on line 2") != NULL);
	/* nothing applied */
	struct store_hw_token tok;
	CHECK_INT(store_hw_token_get(e.st, "S1", &tok), TG_ERR_NOT_FOUND);
	int64_t nm = 0;
	CHECK_INT(audit_count(&e, "token.import"), 0);
	/* the header is checked */
	const char *hdr = "upn,serial,secret key\nalice@contoso.test,S1,AAAA\n";
	CHECK_INT(svc_token_import_csv(&e.a, &e.t, hdr, strlen(hdr), false, &rep), TG_ERR_INVALID);
	CHECK(strstr(e.sv.err, "line 1") != NULL);

	/* good rows: SHA-256 with 60 s, Entra's sample secret, any column order */
	uint8_t seed[32];
	for (size_t i = 0; i < sizeof seed; i++)
		seed[i] = (uint8_t)(i * 7 + 1);
	char b32[64], csv[512];
	REQUIRE(base32_encode(seed, sizeof seed, false, b32, sizeof b32) == TG_OK);
	snprintf(csv, sizeof csv,
	         "Serial Number,UPN,Secret Key,Time Interval,Manufacturer,Model,Hash Function\n"
	         "HW-1,alice@contoso.test,%s,60,Thales,OTP 110,hmacsha256\n"
	         "HW-2,bob@contoso.test,2234567abcdef2234567abcdef,30,Contoso,HardwareKey,\n", b32);
	CHECK_OK(svc_token_import_csv(&e.a, &e.t, csv, strlen(csv), true, &rep)); /* dry run */
	CHECK_INT(store_hw_token_get(e.st, "HW-1", &tok), TG_ERR_NOT_FOUND);
	CHECK_OK(svc_token_import_csv(&e.a, &e.t, csv, strlen(csv), false, &rep));
	CHECK_INT(rep.created, 2);
	CHECK_OK(store_hw_token_get(e.st, "HW-1", &tok));
	CHECK_STR(tok.upn, "alice@contoso.test");
	CHECK_INT(tok.method_status, STORE_METHOD_PENDING);
	CHECK_INT(store_user_method_count(e.st, tok.user_id, &nm), TG_OK);
	CHECK_INT(nm, 0);
	/* activation: SHA-256, 60 s steps, with the user's own serial only */
	char c[OATH_CODE_SIZE];
	code_at(seed, sizeof seed, HMAC_ALG_SHA256, 60, clock_now, c);
	CHECK_INT(svc_token_activate(&e.a, &e.t, "bob@contoso.test", "HW-1", c), TG_ERR_NOT_FOUND);
	code_at(seed, sizeof seed, HMAC_ALG_SHA1, 30, clock_now, c);
	CHECK_INT(svc_token_activate(&e.a, &e.t, "alice@contoso.test", "HW-1", c), TG_ERR_DENIED);
	code_at(seed, sizeof seed, HMAC_ALG_SHA256, 60, clock_now, c);
	CHECK_OK(svc_token_activate(&e.a, &e.t, "alice@contoso.test", "HW-1", c));
	CHECK_OK(store_hw_token_get(e.st, "HW-1", &tok));
	CHECK_INT(tok.method_status, STORE_METHOD_ACTIVE);
	clock_now += 60;
	code_at(seed, sizeof seed, HMAC_ALG_SHA256, 60, clock_now, c);
	CHECK_OK(svc_oath_verify(&e.a, &e.t, "alice@contoso.test", c, NULL, NULL));
	/* importing a known serial again is refused */
	CHECK_INT(svc_token_import_csv(&e.a, &e.t, csv, strlen(csv), false, &rep), TG_ERR_INVALID);
	CHECK(strstr(rep.errors[0].message, "already imported") != NULL);
	teardown(&e);
}

static void at_most_five_oath_methods(void)
{
	struct env e;
	REQUIRE(setup(&e) == 0);
	uint8_t seed[TG_MAX_OATH_SECRET];
	REQUIRE(app_for(&e, "alice@contoso.test", seed, NULL) == 20);
	char csv[1024] = "upn,serial number,secret key,time interval,manufacturer,model\n";
	for (int i = 1; i <= 5; i++) {
		char row[128];
		snprintf(row, sizeof row, "alice@contoso.test,L%d,2234567abcdef2234567abcde%c,30,C,M\n",
		         i, 'a' + i);
		tg_strlcpy(csv + strlen(csv), row, sizeof csv - strlen(csv));
	}
	struct svc_import_report rep;
	CHECK_INT(svc_token_import_csv(&e.a, &e.t, csv, strlen(csv), false, &rep), TG_ERR_INVALID);
	CHECK_INT(rep.nerrors, 1);
	CHECK_INT(rep.errors[0].line, 6); /* the fifth token would be the sixth method */
	/* four tokens fit; then no further app */
	char *cut = strstr(csv, "alice@contoso.test,L5");
	REQUIRE(cut);
	*cut = '\0';
	CHECK_OK(svc_token_import_csv(&e.a, &e.t, csv, strlen(csv), false, &rep));
	struct svc_totp_enrollment en;
	CHECK_INT(svc_totp_register(&e.a, &e.t, "alice@contoso.test", NULL, &en), TG_ERR_LIMIT);
	teardown(&e);
}

/* ------------------------------------------------ phone, email, codes */

static int first_method(const struct store_method *m, void *arg)
{
	*(struct store_method *)arg = *m;
	return 1;
}

static void phone_and_email_methods(void)
{
	struct env e;
	REQUIRE(setup(&e) == 0);
	const char *u = "alice@contoso.test";
	struct store_method m;
	CHECK_INT(svc_phone_add(&e.a, &e.t, u, "0701234567", PHONE_TYPE_MOBILE, &m), TG_ERR_INVALID);
	CHECK_INT(svc_phone_add(&e.a, &e.t, u, "+46 abc", PHONE_TYPE_MOBILE, &m), TG_ERR_INVALID);
	CHECK_INT(svc_phone_add(&e.a, &e.t, u, "+46 70 123 45 67", PHONE_TYPE_ALTERNATE_MOBILE, &m),
	          TG_ERR_CONFLICT); /* mobile first */
	CHECK_OK(svc_phone_add(&e.a, &e.t, u, "+46 70-123 45 67", PHONE_TYPE_MOBILE, &m));
	CHECK_STR(m.detail, "+46 701234567");
	CHECK_INT(m.status, STORE_METHOD_ACTIVE);
	CHECK_INT(svc_phone_add(&e.a, &e.t, u, "+46 709999999", PHONE_TYPE_MOBILE, &m), TG_ERR_EXISTS);
	CHECK_OK(svc_phone_add(&e.a, &e.t, u, "+1 (555) 555-1234 ext. 12", PHONE_TYPE_OFFICE, &m));
	CHECK_STR(m.detail, "+1 5555551234x12");
	CHECK_INT(svc_email_add(&e.a, &e.t, u, "not an address", &m), TG_ERR_INVALID);
	CHECK_OK(svc_email_add(&e.a, &e.t, u, " Alice@Contoso.TEST ", &m));
	CHECK_STR(m.detail, "Alice@contoso.test");
	CHECK_INT(svc_email_add(&e.a, &e.t, u, "other@contoso.test", &m), TG_ERR_EXISTS);
	/* the first active method completed registration; a phone is not an OATH method */
	CHECK_INT(audit_count(&e, "method.add"), 3);
	/* office-only user: voice goes there, SMS is impossible */
	CHECK_OK(svc_phone_add(&e.a, &e.t, "bob@contoso.test", "+46 8 123 456 x7", PHONE_TYPE_OFFICE,
	                       NULL));
	CHECK_INT(svc_code_send(&e.a, &e.t, "bob@contoso.test", CHANNEL_SMS, NULL), TG_ERR_NOT_FOUND);
	struct svc_code_sent s;
	CHECK_OK(svc_code_send(&e.a, &e.t, "bob@contoso.test", CHANNEL_VOICE, &s));
	CHECK_STR(s.to, "+46 8123456x7");
	CHECK_STR(e.cap.locale, "en");
	CHECK_INT(e.cap.kind, CHANNEL_VOICE);
	/* SMS goes to the mobile number, in the user's language */
	CHECK_OK(svc_code_send(&e.a, &e.t, u, CHANNEL_SMS, &s));
	CHECK_STR(e.cap.to, "+46 701234567");
	CHECK_STR(e.cap.locale, "sv");
	CHECK_INT(strlen(e.cap.code), 6);
	/* the tenant's verification options are obeyed */
	CHECK_OK(store_setting_set(e.st, e.t.id, SVC_SETTING_VERIFICATION_OPTIONS, "appCode, email"));
	CHECK_INT(svc_code_send(&e.a, &e.t, u, CHANNEL_SMS, NULL), TG_ERR_DISABLED);
	CHECK_OK(svc_code_send(&e.a, &e.t, u, CHANNEL_EMAIL, NULL));
	CHECK_STR(e.cap.to, "Alice@contoso.test");
	/* method list hides the sealed secret; delete works on own methods only */
	memset(&m, 0, sizeof m);
	CHECK_INT(svc_method_list(&e.a, &e.t, u, first_method, &m), 1);
	CHECK_INT(m.secret_len, 0);
	CHECK_INT(svc_method_delete(&e.a, &e.t, "bob@contoso.test", m.id), TG_ERR_NOT_FOUND);
	CHECK_OK(svc_method_delete(&e.a, &e.t, u, m.id));
	CHECK_INT(audit_count(&e, "method.delete"), 1);
	teardown(&e);
}

/* svc_phone_update: same id, type and creation time, new number; only the
 * user's own phone methods; audited with before and after. */
static void phone_number_update(void)
{
	struct env e;
	REQUIRE(setup(&e) == 0);
	const char *u = "alice@contoso.test";
	struct store_method ph, em, after, got;
	CHECK_OK(svc_phone_add(&e.a, &e.t, u, "+46 701234567", PHONE_TYPE_MOBILE, &ph));
	CHECK_OK(svc_email_add(&e.a, &e.t, u, "alice@example.org", &em));
	clock_now += 60;
	CHECK_INT(svc_phone_update(&e.a, &e.t, u, ph.id, "0701234567", NULL), TG_ERR_INVALID);
	CHECK_INT(svc_phone_update(&e.a, &e.t, "bob@contoso.test", ph.id, "+46 709999999", NULL),
	          TG_ERR_NOT_FOUND);
	CHECK_INT(svc_phone_update(&e.a, &e.t, u, em.id, "+46 709999999", NULL), TG_ERR_NOT_FOUND);
	CHECK_INT(audit_count(&e, "method.update"), 0);
	CHECK_OK(svc_phone_update(&e.a, &e.t, u, ph.id, "+46 70-999 99 99", &after));
	CHECK_STR(after.detail, "+46 709999999");
	CHECK_OK(store_method_get(e.st, ph.id, &got));
	CHECK_STR(got.detail, "+46 709999999");
	CHECK_INT(got.phone_type, PHONE_TYPE_MOBILE);
	CHECK_INT(got.status, STORE_METHOD_ACTIVE);
	CHECK(got.created == ph.created);
	CHECK_INT(audit_count(&e, "method.update"), 1);
	teardown(&e);
}

struct codes_n { int n; };

static int count_codes(const struct store_otp_code *c, void *arg)
{
	(void)c;
	((struct codes_n *)arg)->n++;
	return 0;
}

static int codes_stored(struct env *e, const char *upn)
{
	struct tg_user u;
	struct codes_n cn = {0};
	if (store_user_get_by_upn(e->st, upn, &u) == TG_OK)
		store_otp_code_list(e->st, u.id, 0, 64, count_codes, &cn);
	return cn.n;
}

static void codes_expire_and_are_single_use(void)
{
	struct env e;
	REQUIRE(setup(&e) == 0);
	const char *u = "alice@contoso.test";
	char first[16];
	CHECK_OK(svc_email_add(&e.a, &e.t, u, "alice@contoso.test", NULL));
	/* valid until the last second of its 10 minutes */
	REQUIRE(svc_code_send(&e.a, &e.t, u, CHANNEL_EMAIL, NULL) == TG_OK);
	clock_now += 599;
	CHECK_OK(svc_code_verify(&e.a, &e.t, u, e.cap.code, NULL));
	CHECK_INT(svc_code_verify(&e.a, &e.t, u, e.cap.code, NULL), TG_ERR_REPLAY);
	/* expired at 600 s */
	clock_now += 100;
	REQUIRE(svc_code_send(&e.a, &e.t, u, CHANNEL_EMAIL, NULL) == TG_OK);
	clock_now += 600;
	CHECK_INT(svc_code_verify(&e.a, &e.t, u, e.cap.code, NULL), TG_ERR_EXPIRED);
	/* a success uses up the other outstanding codes too */
	clock_now += 100;
	REQUIRE(svc_code_send(&e.a, &e.t, u, CHANNEL_EMAIL, NULL) == TG_OK);
	tg_strlcpy(first, e.cap.code, sizeof first);
	REQUIRE(svc_code_send(&e.a, &e.t, u, CHANNEL_EMAIL, NULL) == TG_OK);
	CHECK_OK(svc_code_verify(&e.a, &e.t, u, first, NULL)); /* an earlier code still works */
	CHECK(svc_code_verify(&e.a, &e.t, u, e.cap.code, NULL) != TG_OK);
	/* 8-digit codes when configured */
	e.cfg.otp_digits = 8;
	clock_now += 100;
	REQUIRE(svc_code_send(&e.a, &e.t, u, CHANNEL_EMAIL, NULL) == TG_OK);
	CHECK_INT(strlen(e.cap.code), 8);
	CHECK_OK(svc_code_verify(&e.a, &e.t, u, e.cap.code, NULL));
	teardown(&e);
}

static void code_burnt_after_wrong_guesses(void)
{
	struct env e;
	REQUIRE(setup(&e) == 0);
	const char *u = "bob@contoso.test";
	CHECK_OK(svc_email_add(&e.a, &e.t, u, "bob@contoso.test", NULL));
	REQUIRE(svc_code_send(&e.a, &e.t, u, CHANNEL_EMAIL, NULL) == TG_OK);
	char wrong[16];
	tg_strlcpy(wrong, e.cap.code, sizeof wrong);
	wrong[0] = (char)('0' + (wrong[0] - '0' + 1) % 10);
	for (int i = 0; i < 5; i++) {
		CHECK_INT(svc_code_verify(&e.a, &e.t, u, wrong, NULL), TG_ERR_DENIED);
		clock_now += 61; /* past the account's back-off */
	}
	CHECK_INT(svc_code_verify(&e.a, &e.t, u, e.cap.code, NULL), TG_ERR_LIMIT);
	teardown(&e);
}

static void send_rate_limit(void)
{
	struct env e;
	REQUIRE(setup(&e) == 0);
	const char *u = "alice@contoso.test";
	CHECK_OK(svc_email_add(&e.a, &e.t, u, "alice@contoso.test", NULL));
	struct svc_code_sent s;
	for (int i = 0; i < 5; i++) {
		CHECK_OK(svc_code_send(&e.a, &e.t, u, CHANNEL_EMAIL, &s));
		clock_now += 60;
	}
	/* sixth within 15 minutes: refused until the first leaves the window */
	memset(&s, 0, sizeof s);
	CHECK_INT(svc_code_send(&e.a, &e.t, u, CHANNEL_EMAIL, &s), TG_ERR_RATE_LIMITED);
	CHECK_INT(s.retry_after, 900 - 300);
	CHECK(strstr(e.sv.err, "try again in 600 seconds") != NULL);
	CHECK_INT(e.cap.sent, 5);
	clock_now += s.retry_after - 1;
	CHECK_INT(svc_code_send(&e.a, &e.t, u, CHANNEL_EMAIL, &s), TG_ERR_RATE_LIMITED);
	clock_now += 1;
	CHECK_OK(svc_code_send(&e.a, &e.t, u, CHANNEL_EMAIL, &s));
	/* configurable */
	e.cfg.otp_max_sends = 1;
	clock_now += 10;
	CHECK_INT(svc_code_send(&e.a, &e.t, u, CHANNEL_EMAIL, &s), TG_ERR_RATE_LIMITED);
	teardown(&e);
}

static void failed_send_consumes_nothing(void)
{
	struct env e;
	REQUIRE(setup(&e) == 0);
	const char *u = "alice@contoso.test";
	CHECK_OK(svc_email_add(&e.a, &e.t, u, "alice@contoso.test", NULL));
	REQUIRE(svc_code_send(&e.a, &e.t, u, CHANNEL_EMAIL, NULL) == TG_OK);
	char earlier[16];
	tg_strlcpy(earlier, e.cap.code, sizeof earlier);
	CHECK_INT(codes_stored(&e, u), 1);
	e.cap.fail = TG_ERR_UNAVAILABLE;
	clock_now += 30;
	CHECK_INT(svc_code_send(&e.a, &e.t, u, CHANNEL_EMAIL, NULL), TG_ERR_UNAVAILABLE);
	CHECK(strstr(e.sv.err, "test channel is down") != NULL);
	CHECK(strstr(e.sv.err, "nothing was used up") != NULL);
	CHECK_INT(codes_stored(&e, u), 1); /* the failed code left nothing behind */
	CHECK_INT(audit_count(&e, "code.send"), 1);
	/* failed sends do not count towards the rate limit */
	for (int i = 0; i < 6; i++)
		CHECK_INT(svc_code_send(&e.a, &e.t, u, CHANNEL_EMAIL, NULL), TG_ERR_UNAVAILABLE);
	e.cap.fail = 0;
	CHECK_OK(svc_code_verify(&e.a, &e.t, u, earlier, NULL));
	CHECK_OK(svc_code_send(&e.a, &e.t, u, CHANNEL_EMAIL, NULL));
	teardown(&e);
}

/* ----------------------------------------- recovery codes, app passwords */

static void recovery_codes_single_use(void)
{
	struct env e;
	REQUIRE(setup(&e) == 0);
	const char *u = "alice@contoso.test";
	char codes[RECOVERY_CODE_COUNT][RECOVERY_CODE_SIZE], old[RECOVERY_CODE_SIZE];
	CHECK_INT(svc_recovery_verify(&e.a, &e.t, u, "aaaaa-bbbbb", NULL, NULL), TG_ERR_DENIED);
	REQUIRE(svc_recovery_regenerate(&e.a, &e.t, u, codes) == TG_OK);
	for (int i = 0; i < RECOVERY_CODE_COUNT; i++)
		CHECK_INT(strlen(codes[i]), 11);
	int left = -1, unused = 0, total = 0;
	char upper[RECOVERY_CODE_SIZE];
	tg_strlcpy(upper, codes[3], sizeof upper);
	for (char *p = upper; *p; p++)
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 'a' + 'A');
	CHECK_OK(svc_recovery_verify(&e.a, &e.t, u, upper, NULL, &left)); /* typed in capitals */
	CHECK_INT(left, 9);
	CHECK_INT(svc_recovery_verify(&e.a, &e.t, u, codes[3], NULL, NULL), TG_ERR_REPLAY);
	CHECK_OK(svc_recovery_count(&e.a, &e.t, u, &unused, &total));
	CHECK_INT(unused, 9);
	CHECK_INT(total, 10);
	/* regenerating invalidates the old set */
	tg_strlcpy(old, codes[5], sizeof old);
	REQUIRE(svc_recovery_regenerate(&e.a, &e.t, u, codes) == TG_OK);
	CHECK_INT(svc_recovery_verify(&e.a, &e.t, u, old, NULL, NULL), TG_ERR_DENIED);
	CHECK_OK(svc_recovery_verify(&e.a, &e.t, u, codes[0], NULL, NULL));
	CHECK_INT(audit_count(&e, "recovery_codes.regenerate"), 2);
	teardown(&e);
}

static int count_ap(const struct store_app_password *p, void *arg)
{
	CHECK(p->pwhash[0] == '\0'); /* never handed out */
	(*(int *)arg)++;
	return 0;
}

static void app_password_limit_and_setting(void)
{
	struct env e;
	REQUIRE(setup(&e) == 0);
	const char *u = "alice@contoso.test";
	char pw[APP_PASSWORD_DISPLAY_SIZE], keep[APP_PASSWORD_DISPLAY_SIZE];
	struct store_app_password p;
	/* off by default, and when set to anything but "true" */
	CHECK_INT(svc_app_password_create(&e.a, &e.t, u, "Outlook", pw, &p), TG_ERR_DISABLED);
	CHECK_OK(store_setting_set(e.st, e.t.id, SVC_SETTING_ALLOW_APP_PASSWORDS, "false"));
	CHECK_INT(svc_app_password_create(&e.a, &e.t, u, "Outlook", pw, &p), TG_ERR_DISABLED);
	CHECK_OK(store_setting_set(e.st, e.t.id, SVC_SETTING_ALLOW_APP_PASSWORDS, "true"));
	CHECK_INT(svc_app_password_create(&e.a, &e.t, u, "", pw, &p), TG_ERR_INVALID);
	for (int i = 0; i < 40; i++) {
		char name[32];
		snprintf(name, sizeof name, "device %d", i);
		CHECK_OK(svc_app_password_create(&e.a, &e.t, u, name, pw, &p));
		if (i == 0)
			tg_strlcpy(keep, pw, sizeof keep);
	}
	CHECK_INT(strlen(keep), 19); /* "abcd efgh ijkl mnop" */
	CHECK(keep[4] == ' ' && keep[9] == ' ' && keep[14] == ' ');
	CHECK_INT(svc_app_password_create(&e.a, &e.t, u, "one too many", pw, &p), TG_ERR_LIMIT);
	int n = 0;
	CHECK_OK(svc_app_password_list(&e.a, &e.t, u, count_ap, &n));
	CHECK_INT(n, 40);
	/* turning the setting off stops creation; existing ones keep working */
	CHECK_OK(store_setting_set(e.st, e.t.id, SVC_SETTING_ALLOW_APP_PASSWORDS, "false"));
	CHECK_OK(svc_app_password_verify(&e.a, &e.t, u, keep, NULL));
	char compact[APP_PASSWORD_SIZE];
	size_t k = 0;
	for (const char *q = keep; *q; q++)
		if (*q != ' ')
			compact[k++] = (char)(*q - 'a' + 'A');
	compact[k] = '\0';
	CHECK_OK(svc_app_password_verify(&e.a, &e.t, u, compact, NULL)); /* case, spaces */
	CHECK_INT(svc_app_password_verify(&e.a, &e.t, u, "aaaabbbbccccdddd", NULL), TG_ERR_DENIED);
	CHECK_INT(svc_app_password_verify(&e.a, &e.t, "bob@contoso.test", keep, NULL), TG_ERR_DENIED);
	CHECK_OK(svc_app_password_delete(&e.a, &e.t, u, p.id));
	CHECK_INT(svc_app_password_delete(&e.a, &e.t, u, p.id), TG_ERR_NOT_FOUND);
	int64_t gone = 0;
	CHECK_OK(svc_app_password_delete_all(&e.a, &e.t, u, &gone));
	CHECK_INT(gone, 39);
	CHECK_INT(svc_app_password_verify(&e.a, &e.t, u, keep, NULL), TG_ERR_DENIED);
	CHECK_INT(audit_count(&e, "app_password.create"), 40);
	CHECK_INT(audit_count(&e, "app_password.delete"), 2); /* one + all */
	teardown(&e);
}

/* ------------------------------------------------------------- lockout */

static void lockout_thresholds_and_unlock(void)
{
	struct env e;
	REQUIRE(setup(&e) == 0);
	const char *u = "alice@contoso.test";
	uint8_t seed[TG_MAX_OATH_SECRET];
	size_t n = app_for(&e, u, seed, NULL);
	REQUIRE(n == 20);
	char c[OATH_CODE_SIZE], bad[OATH_CODE_SIZE];
	/* three free failures, then back-off */
	for (int i = 0; i < 3; i++) {
		clock_now += 30;
		wrong_code(seed, n, clock_now, bad);
		CHECK_INT(svc_oath_verify(&e.a, &e.t, u, bad, "192.0.2.7", NULL), TG_ERR_DENIED);
	}
	code_at(seed, n, HMAC_ALG_SHA1, 30, clock_now, c);
	CHECK_INT(svc_oath_verify(&e.a, &e.t, u, c, "192.0.2.7", NULL), TG_ERR_RATE_LIMITED);
	CHECK(strstr(e.sv.err, "wait 2 seconds") != NULL);
	struct lockout_state st;
	CHECK_OK(store_lockout_get(e.st, "ip:192.0.2.7", &st));
	CHECK_INT(st.failures, 3);
	/* success resets the account and the source */
	clock_now += 30;
	code_at(seed, n, HMAC_ALG_SHA1, 30, clock_now, c);
	CHECK_OK(svc_oath_verify(&e.a, &e.t, u, c, "192.0.2.7", NULL));
	CHECK_INT(store_lockout_get(e.st, "ip:192.0.2.7", &st), TG_ERR_NOT_FOUND);
	/* ten failures (waiting out each back-off) lock for 5 minutes, audited */
	for (int i = 0; i < 10; i++) {
		clock_now += 61;
		wrong_code(seed, n, clock_now, bad);
		CHECK_INT(svc_oath_verify(&e.a, &e.t, u, bad, NULL, NULL), TG_ERR_DENIED);
	}
	CHECK_INT(audit_count(&e, "account.lockout"), 1);
	clock_now += 30;
	code_at(seed, n, HMAC_ALG_SHA1, 30, clock_now, c);
	CHECK_INT(svc_oath_verify(&e.a, &e.t, u, c, NULL, NULL), TG_ERR_LOCKED);
	CHECK(strstr(e.sv.err, "locked") != NULL);
	/* the lock covers one-time codes and recovery codes too */
	CHECK_INT(svc_recovery_verify(&e.a, &e.t, u, "aaaaa-bbbbb", NULL, NULL), TG_ERR_LOCKED);
	clock_now += 300;
	code_at(seed, n, HMAC_ALG_SHA1, 30, clock_now, c);
	CHECK_OK(svc_oath_verify(&e.a, &e.t, u, c, NULL, NULL));
	/* a patient attacker who waits out every lock is stopped for good at 100 */
	int refused_early = 0;
	for (int i = 0; i < 100; i++) {
		clock_now += 2 * 86400;
		wrong_code(seed, n, clock_now, bad);
		refused_early += svc_oath_verify(&e.a, &e.t, u, bad, NULL, NULL) != TG_ERR_DENIED;
	}
	CHECK_INT(refused_early, 0);
	clock_now += 365 * 86400;
	code_at(seed, n, HMAC_ALG_SHA1, 30, clock_now, c);
	CHECK_INT(svc_oath_verify(&e.a, &e.t, u, c, NULL, NULL), TG_ERR_LOCKED);
	CHECK(strstr(e.sv.err, "an administrator must unlock it") != NULL);
	bool was = false;
	CHECK_OK(svc_account_unlock(&e.a, &e.t, u, &was));
	CHECK(was);
	CHECK_OK(svc_oath_verify(&e.a, &e.t, u, c, NULL, NULL));
	CHECK_OK(svc_account_unlock(&e.a, &e.t, u, &was));
	CHECK(!was);
	CHECK_INT(audit_count(&e, "account.unlock"), 2);
	teardown(&e);
}

/* ------------------------------------------------ re-register, keys */

static void require_reregister(void)
{
	struct env e;
	REQUIRE(setup(&e) == 0);
	const char *u = "alice@contoso.test";
	uint8_t seed[TG_MAX_OATH_SECRET];
	REQUIRE(app_for(&e, u, seed, NULL) == 20);
	CHECK_OK(svc_phone_add(&e.a, &e.t, u, "+46 701234567", PHONE_TYPE_MOBILE, NULL));
	CHECK_OK(svc_email_add(&e.a, &e.t, u, "alice@contoso.test", NULL));
	uint8_t hw[20];
	memset(hw, 0x42, sizeof hw);
	char b32[40], csv[256];
	REQUIRE(base32_encode(hw, sizeof hw, false, b32, sizeof b32) == TG_OK);
	snprintf(csv, sizeof csv, "upn,serial number,secret key,time interval,manufacturer,model\n"
	         "%s,RR-1,%s,30,C,M\n", u, b32);
	struct svc_import_report rep;
	REQUIRE(svc_token_import_csv(&e.a, &e.t, csv, strlen(csv), false, &rep) == TG_OK);
	char c[OATH_CODE_SIZE];
	code_at(hw, sizeof hw, HMAC_ALG_SHA1, 30, clock_now, c);
	CHECK_OK(svc_token_activate(&e.a, &e.t, u, "RR-1", c));
	struct svc_rereg_report rr;
	CHECK_OK(svc_method_require_reregister(&e.a, &e.t, u, &rr));
	CHECK_INT(rr.deleted, 2);      /* app + phone */
	CHECK_INT(rr.deactivated, 1);  /* the token */
	struct tg_user usr;
	int64_t active = 0;
	CHECK_OK(store_user_get_by_upn(e.st, u, &usr));
	CHECK_OK(store_user_method_count(e.st, usr.id, &active));
	CHECK_INT(active, 1);          /* email stays */
	clock_now += 30;
	code_at(hw, sizeof hw, HMAC_ALG_SHA1, 30, clock_now, c);
	CHECK_INT(svc_oath_verify(&e.a, &e.t, u, c, NULL, NULL), TG_ERR_DENIED);
	CHECK_OK(svc_token_activate(&e.a, &e.t, u, "RR-1", c)); /* activate again */
	clock_now += 30;
	code_at(hw, sizeof hw, HMAC_ALG_SHA1, 30, clock_now, c);
	CHECK_OK(svc_oath_verify(&e.a, &e.t, u, c, NULL, NULL));
	CHECK_INT(audit_count(&e, "method.require_reregister"), 1);
	teardown(&e);
}

static int first_sealed_id(const struct store_method *m, void *arg)
{
	if (m->secret_len)
		*(uint8_t *)arg = m->secret[0];
	return 0;
}

static void key_rotation_reseals(void)
{
	struct env e;
	REQUIRE(setup(&e) == 0);
	char kp[300];
	snprintf(kp, sizeof kp, "%s/master%d.key", dir, env_n);
	REQUIRE(keys_generate_file(kp) == TG_OK);
	keys_free(e.k);
	REQUIRE(keys_load(kp, &e.k) == TG_OK);
	e.a.keys = e.k;
	const char *u = "alice@contoso.test";
	uint8_t seed[TG_MAX_OATH_SECRET];
	size_t n = app_for(&e, u, seed, NULL);
	REQUIRE(n == 20);
	char codes[RECOVERY_CODE_COUNT][RECOVERY_CODE_SIZE];
	REQUIRE(svc_recovery_regenerate(&e.a, &e.t, u, codes) == TG_OK);
	struct svc_key_report rep;
	CHECK_OK(svc_key_rotate(&e.sv, kp, false, &rep));
	CHECK_INT(rep.generation, 2);
	CHECK_INT(rep.resealed, 1);
	CHECK_INT(rep.failed, 0);
	struct tg_user usr;
	CHECK_OK(store_user_get_by_upn(e.st, u, &usr));
	uint8_t gen = 0;
	CHECK_OK(store_method_list(e.st, usr.id, first_sealed_id, &gen));
	CHECK_INT(gen, 2);
	/* reload, as a server would: old and new values open */
	keys_free(e.k);
	REQUIRE(keys_load(kp, &e.k) == TG_OK);
	e.a.keys = e.k;
	char c[OATH_CODE_SIZE];
	clock_now += 30;
	code_at(seed, n, HMAC_ALG_SHA1, 30, clock_now, c);
	CHECK_OK(svc_oath_verify(&e.a, &e.t, u, c, NULL, NULL));
	CHECK_OK(svc_recovery_verify(&e.a, &e.t, u, codes[0], NULL, NULL)); /* digest of gen 1 */
	/* again without a new generation: nothing to do */
	CHECK_OK(svc_key_rotate(&e.sv, kp, true, &rep));
	CHECK_INT(rep.generation, 2);
	CHECK_INT(rep.resealed, 0);
	CHECK_INT(rep.current, 1);
	CHECK_INT(audit_count(&e, "key."), 2);
	teardown(&e);
}

/* ------------------------------------------------- sealed at rest */

struct needles { char v[64][128]; size_t len[64]; int n; };

static void add_needle(struct needles *nd, const void *p, size_t len)
{
	if (nd->n < 64 && len < 128) {
		memcpy(nd->v[nd->n], p, len);
		nd->len[nd->n++] = len;
	}
}

static void add_text(struct needles *nd, const char *s)
{
	char up[128], low[128];
	size_t n = strlen(s);
	for (size_t i = 0; i <= n && i < sizeof up; i++) {
		up[i] = (char)(s[i] >= 'a' && s[i] <= 'z' ? s[i] - 'a' + 'A' : s[i]);
		low[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] - 'A' + 'a' : s[i]);
	}
	add_needle(nd, up, n);
	add_needle(nd, low, n);
}

/* A seed as raw bytes, Base32 (either case) and hex (either case). */
static void add_seed(struct needles *nd, const uint8_t *seed, size_t n)
{
	char b32[200], hex[200];
	add_needle(nd, seed, n);
	if (base32_encode(seed, n, false, b32, sizeof b32) == TG_OK)
		add_text(nd, b32);
	for (size_t i = 0; i < n; i++)
		snprintf(hex + 2 * i, 3, "%02x", seed[i]);
	add_text(nd, hex);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	*len = 0;
	if (!f)
		return NULL;
	char *buf = NULL;
	size_t cap = 0, n;
	char chunk[65536];
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		buf = xrealloc(buf, cap + n);
		memcpy(buf + cap, chunk, n);
		cap += n;
	}
	fclose(f);
	*len = cap;
	return buf;
}

/* How many needles appear in the file (and its -wal). */
static int scan(const char *db, const struct needles *nd, int *which)
{
	int found = 0;
	const char *suffix[] = {"", "-wal"};
	for (int s = 0; s < 2; s++) {
		char path[320];
		snprintf(path, sizeof path, "%s%s", db, suffix[s]);
		size_t len;
		char *buf = slurp(path, &len);
		for (int i = 0; buf && i < nd->n; i++)
			if (memmem(buf, len, nd->v[i], nd->len[i])) {
				found++;
				*which = i;
			}
		free(buf);
	}
	return found;
}

static void sealed_at_rest_dump(void)
{
	struct env e;
	REQUIRE(setup(&e) == 0);
	e.cfg.otp_digits = 8; /* fewer chance matches of a code inside other text */
	const char *u = "alice@contoso.test";
	struct needles *nd = xcalloc(1, sizeof *nd);
	/* an authenticator app seed */
	uint8_t seed[TG_MAX_OATH_SECRET];
	size_t n = app_for(&e, u, seed, NULL);
	REQUIRE(n == 20);
	add_seed(nd, seed, n);
	/* a hardware token seed, imported */
	uint8_t hw[32];
	char b32[64], csv[300];
	REQUIRE(rng_bytes(hw, sizeof hw) == TG_OK);
	REQUIRE(base32_encode(hw, sizeof hw, false, b32, sizeof b32) == TG_OK);
	snprintf(csv, sizeof csv, "upn,serial number,secret key,time interval,manufacturer,model\n"
	         "%s,DUMP-1,%s,30,C,M\n", u, b32);
	struct svc_import_report rep;
	REQUIRE(svc_token_import_csv(&e.a, &e.t, csv, strlen(csv), false, &rep) == TG_OK);
	add_seed(nd, hw, sizeof hw);
	/* one-time codes: one used, one outstanding */
	CHECK_OK(svc_email_add(&e.a, &e.t, u, "alice@contoso.test", NULL));
	REQUIRE(svc_code_send(&e.a, &e.t, u, CHANNEL_EMAIL, NULL) == TG_OK);
	add_text(nd, e.cap.code);
	CHECK_OK(svc_code_verify(&e.a, &e.t, u, e.cap.code, NULL));
	REQUIRE(svc_code_send(&e.a, &e.t, u, CHANNEL_EMAIL, NULL) == TG_OK);
	add_text(nd, e.cap.code);
	/* recovery codes, display and compact forms */
	char codes[RECOVERY_CODE_COUNT][RECOVERY_CODE_SIZE];
	REQUIRE(svc_recovery_regenerate(&e.a, &e.t, u, codes) == TG_OK);
	for (int i = 0; i < RECOVERY_CODE_COUNT; i++) {
		char compact[RECOVERY_CODE_NORM_SIZE];
		add_text(nd, codes[i]);
		if (recovery_code_normalize(codes[i], compact) == TG_OK)
			add_text(nd, compact);
	}
	/* an app password, grouped and compact */
	CHECK_OK(store_setting_set(e.st, e.t.id, SVC_SETTING_ALLOW_APP_PASSWORDS, "true"));
	char pw[APP_PASSWORD_DISPLAY_SIZE], compact[APP_PASSWORD_SIZE];
	REQUIRE(svc_app_password_create(&e.a, &e.t, u, "Mail", pw, NULL) == TG_OK);
	add_text(nd, pw);
	REQUIRE(app_password_normalize(pw, compact) == TG_OK);
	add_text(nd, compact);

	/* the scan itself works: a value that is stored is found */
	struct needles *probe = xcalloc(1, sizeof *probe);
	add_text(probe, "alice@contoso.test");
	int which = -1;
	CHECK(scan(e.db, probe, &which) > 0);
	free(probe);
	/* while open (data in the WAL) and after a clean close (checkpointed) */
	int found = scan(e.db, nd, &which);
	if (found)
		TG_T_FAIL("secret #%d (%.*s) found in the database", which, (int)nd->len[which],
		          nd->v[which]);
	store_close(e.st);
	e.st = NULL;
	found = scan(e.db, nd, &which);
	if (found)
		TG_T_FAIL("secret #%d found in the closed database", which);
	CHECK(nd->n >= 40);
	tg_secret_free(nd, sizeof *nd);
	tg_wipe(codes, sizeof codes);
	teardown(&e);
}

int main(void)
{
	if (!mkdtemp(dir))
		return 2;
	TEST(app_registration_completes);
	TEST(window_edges_and_replay);
	TEST(concurrent_submissions_succeed_once);
	TEST(token_import_all_or_nothing);
	TEST(at_most_five_oath_methods);
	TEST(phone_and_email_methods);
	TEST(phone_number_update);
	TEST(codes_expire_and_are_single_use);
	TEST(code_burnt_after_wrong_guesses);
	TEST(send_rate_limit);
	TEST(failed_send_consumes_nothing);
	TEST(recovery_codes_single_use);
	TEST(app_password_limit_and_setting);
	TEST(lockout_thresholds_and_unlock);
	TEST(require_reregister);
	TEST(key_rotation_reseals);
	TEST(sealed_at_rest_dump);
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	return tg_test_done();
}
