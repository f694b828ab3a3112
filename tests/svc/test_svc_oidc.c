/* SPDX-License-Identifier: MIT
 * OpenID Connect service layer against a real SQLite store: apps and
 * client secrets, sessions with idle and absolute expiry under an injected
 * clock, rotation after each authentication step, remembered devices,
 * authorization codes (single use, also with two threads racing on two
 * handles of one database file), refresh-token rotation with family
 * revocation on reuse, `mfa revoke-sessions`, revoked jtis and purge —
 * and that the database file never holds a raw bearer secret. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "harness.h"
#include "base/b64.h"
#include "base/err.h"
#include "base/mem.h"
#include "base/str.h"
#include "core/ca_eval.h"
#include "crypto/keys.h"
#include "crypto/pkce.h"
#include "store/store.h"
#include "svc/svc.h"
#include "svc/svc_oidc.h"

static const struct pw_params fast = {64, 1, 1};
static int64_t clock_now = 1800000000;
static int64_t test_now(void) { return clock_now; }

struct env {
	struct store *st;
	struct svc sv;
	struct svc_oidc o;
	struct keys *k;
	struct tg_tenant t;
	struct tg_user alice, bob;
	char path[256];            /* "" = in memory */
};

#define REDIRECT "https://app.contoso.test/cb"
#define VERIFIER "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"   /* RFC 7636 appendix B */
#define CHALLENGE "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"

static int env_open(struct env *e, const char *path)
{
	memset(e, 0, sizeof *e);
	clock_now = 1800000000;
	if (path)
		tg_strlcpy(e->path, path, sizeof e->path);
	struct store_open_opts so = {.dsn = path ? path : ":memory:", .create = true};
	if (store_open("sqlite", &so, &e->st) || keys_new_ephemeral(&e->k))
		return -1;
	svc_init(&e->sv, e->st, &fast, "test:oidc");
	e->sv.now = test_now;
	svc_oidc_init(&e->o, &e->sv, e->k, NULL);
	if (svc_tenant_create(&e->sv, "contoso", "contoso.test", NULL, &e->t))
		return -1;
	struct svc_user_input a = {.upn = "alice@contoso.test"}, b = {.upn = "bob@contoso.test"};
	if (svc_user_create(&e->sv, &e->t, &a, &e->alice) || svc_user_create(&e->sv, &e->t, &b, &e->bob))
		return -1;
	return svc_app_ensure_builtin(&e->sv, &e->t, NULL);
}

static void env_close(struct env *e)
{
	store_close(e->st);
	keys_free(e->k);
	if (e->path[0]) {
		char side[300];
		unlink(e->path);
		snprintf(side, sizeof side, "%s-wal", e->path);
		unlink(side);
		snprintf(side, sizeof side, "%s-shm", e->path);
		unlink(side);
	}
}

static int audit_cb(const struct tg_audit *a, void *arg)
{
	(void)a;
	(*(int *)arg)++;
	return 0;
}

static int audit_count(struct env *e, const char *prefix)
{
	int n = 0;
	struct audit_query q = {.action_prefix = prefix};
	store_audit_list(e->st, &q, audit_cb, &n);
	return n;
}

/* A confidential web app (code + refresh) and its secret. */
static void web_app(struct env *e, struct store_app *a, char secret[SVC_TOKEN_SIZE])
{
	const char *uris[] = {REDIRECT, "http://127.0.0.1:8400/cb"};
	struct svc_app_input in = {.display_name = "Web", .redirect_uris = uris, .n_redirect_uris = 2};
	if (svc_app_create(&e->o, &e->t, &in, a, secret))
		TG_T_FAIL("web app: %s", e->sv.err);
}

static void public_app(struct env *e, struct store_app *a)
{
	const char *uris[] = {"http://localhost:3000/cb"};
	struct svc_app_input in = {.display_name = "SPA", .is_public = true, .redirect_uris = uris,
	                           .n_redirect_uris = 1};
	char secret[SVC_TOKEN_SIZE];
	if (svc_app_create(&e->o, &e->t, &in, a, secret))
		TG_T_FAIL("public app: %s", e->sv.err);
	CHECK_STR(secret, "");
}

/* ---------------------------------------------------------------- apps */

static int count_app(const struct store_app *a, void *arg)
{
	(void)a;
	(*(int *)arg)++;
	return 0;
}

static void apps_create_list_delete(void)
{
	struct env e;
	REQUIRE(env_open(&e, NULL) == 0);
	int created = -1;
	CHECK_OK(svc_app_ensure_builtin(&e.sv, &e.t, &created));
	CHECK_INT(created, 0);                              /* idempotent */
	CHECK_OK(svc_app_ensure_builtin_all(&e.sv, &created));
	CHECK_INT(created, 0);
	struct store_app a, b;
	CHECK_OK(svc_app_get(&e.sv, &e.t, SVC_APP_ADMIN_PORTAL, &a));
	CHECK(a.builtin && a.privileged && a.is_public);
	CHECK_STR(a.display_name, "Tollgate admin portal");
	CHECK_OK(svc_app_get(&e.sv, &e.t, SVC_APP_MY_SIGNINS, &a));
	CHECK(a.builtin && !a.privileged && a.is_public);
	CHECK_INT(svc_app_delete(&e.sv, &e.t, SVC_APP_ADMIN_PORTAL), TG_ERR_FORBIDDEN);
	CHECK(strstr(e.sv.err, "built-in"));

	char secret[SVC_TOKEN_SIZE];
	web_app(&e, &a, secret);
	CHECK_INT(strlen(secret), SVC_TOKEN_LEN);
	CHECK(!a.is_public && a.secret.len == KEYS_DIGEST_LEN);
	CHECK_INT(a.grant_types, STORE_GRANT_AUTHORIZATION_CODE | STORE_GRANT_REFRESH_TOKEN);
	CHECK_STR(a.signing_alg, "ES256");
	CHECK_OK(svc_app_get(&e.sv, &e.t, a.id, &b));
	CHECK_INT(b.n_redirect_uris, 2);
	CHECK_STR(b.redirect_uris[1], "http://127.0.0.1:8400/cb");
	CHECK(svc_app_has_redirect_uri(&b, REDIRECT, NULL));
	CHECK(!svc_app_has_redirect_uri(&b, REDIRECT "/", NULL));
	CHECK(!svc_app_has_redirect_uri(&b, "HTTPS://app.contoso.test/cb", NULL));

	/* a daemon: client credentials with permissions, RS256 */
	const char *perms[] = {"User.ReadWrite.All", "AuditLog.Read.All"};
	struct svc_app_input d = {.display_name = "Daemon", .grant_types = STORE_GRANT_CLIENT_CREDENTIALS,
	                          .permissions = perms, .n_permissions = 2, .signing_alg = "RS256"};
	CHECK_OK(svc_app_create(&e.o, &e.t, &d, &b, secret));
	CHECK_INT(b.n_permissions, 2);
	CHECK_STR(b.permissions[0], "User.ReadWrite.All");
	CHECK(svc_app_allows_grant(&b, STORE_GRANT_CLIENT_CREDENTIALS));
	CHECK(!svc_app_allows_grant(&b, STORE_GRANT_AUTHORIZATION_CODE));
	CHECK_STR(b.signing_alg, "RS256");

	int n = 0;
	CHECK_OK(svc_app_list(&e.sv, &e.t, count_app, &n));
	CHECK_INT(n, 4);
	CHECK_INT(audit_count(&e, "app.create"), 4);
	CHECK_OK(svc_app_delete(&e.sv, &e.t, b.id));
	CHECK_INT(svc_app_delete(&e.sv, &e.t, b.id), TG_ERR_NOT_FOUND);
	CHECK_INT(svc_app_get(&e.sv, &e.t, "not-a-uuid", &b), TG_ERR_INVALID);
	CHECK_INT(audit_count(&e, "app.delete"), 1);

	/* redirect URIs replaced; built-in apps may get theirs */
	const char *portal[] = {"https://id.contoso.test/portal/callback"};
	CHECK_OK(svc_app_set_redirect_uris(&e.sv, &e.t, SVC_APP_ADMIN_PORTAL, portal, 1));
	CHECK_OK(svc_app_set_redirect_uris(&e.sv, &e.t, SVC_APP_ADMIN_PORTAL, portal, 1));
	CHECK_INT(audit_count(&e, "app.redirect_uris"), 1);     /* unchanged: no record */
	CHECK_OK(svc_app_get(&e.sv, &e.t, SVC_APP_ADMIN_PORTAL, &b));
	CHECK(svc_app_has_redirect_uri(&b, portal[0], NULL));
	/* the portal's own page on this server, exactly; not for other apps */
	CHECK(svc_app_has_redirect_uri(&b, "http://127.0.0.1:8080/contoso/admin/",
	                               "http://127.0.0.1:8080/contoso"));
	CHECK(!svc_app_has_redirect_uri(&b, "http://127.0.0.1:8080/contoso/admin/x",
	                                "http://127.0.0.1:8080/contoso"));
	CHECK(!svc_app_has_redirect_uri(&b, "http://127.0.0.1:8080/contoso/my/",
	                                "http://127.0.0.1:8080/contoso"));
	CHECK(!svc_app_has_redirect_uri(&b, "http://evil.test/contoso/admin/",
	                                "http://127.0.0.1:8080/contoso"));
	CHECK(!svc_app_has_redirect_uri(&b, "http://127.0.0.1:8080/contoso/admin/", NULL));
	struct store_app other;
	CHECK_OK(svc_app_get(&e.sv, &e.t, a.id, &other));
	CHECK(!svc_app_has_redirect_uri(&other, "http://127.0.0.1:8080/contoso/admin/",
	                                "http://127.0.0.1:8080/contoso"));
	const char *badu[] = {"http://evil.test/cb"};
	CHECK_INT(svc_app_set_redirect_uris(&e.sv, &e.t, a.id, badu, 1), TG_ERR_INVALID);
	env_close(&e);
}

static void apps_bad_input(void)
{
	struct env e;
	REQUIRE(env_open(&e, NULL) == 0);
	const char *ok[] = {REDIRECT};
	const char *bad[] = {"http://evil.test/cb"};
	const char *dup[] = {REDIRECT, REDIRECT};
	const char *perm_bad[] = {"User ReadWrite"};
	const char *perm_one[] = {"Read"};
	const char *perms[] = {"User.Read.All"};
	const char *many[TG_MAX_APP_REDIRECT_URIS + 1];
	char many_buf[TG_MAX_APP_REDIRECT_URIS + 1][64];
	for (int i = 0; i <= TG_MAX_APP_REDIRECT_URIS; i++) {
		snprintf(many_buf[i], sizeof many_buf[i], "https://a.test/%d", i);
		many[i] = many_buf[i];
	}
	struct svc_app_input cases[] = {
		{.display_name = "", .redirect_uris = ok, .n_redirect_uris = 1},
		{.display_name = "No URIs"},
		{.display_name = "Bad URI", .redirect_uris = bad, .n_redirect_uris = 1},
		{.display_name = "Dup", .redirect_uris = dup, .n_redirect_uris = 2},
		{.display_name = "Many", .redirect_uris = many, .n_redirect_uris = TG_MAX_APP_REDIRECT_URIS + 1},
		{.display_name = "Public daemon", .is_public = true, .grant_types = STORE_GRANT_CLIENT_CREDENTIALS},
		{.display_name = "Refresh only", .grant_types = STORE_GRANT_REFRESH_TOKEN, .redirect_uris = ok,
		 .n_redirect_uris = 1},
		{.display_name = "Unknown grant", .grant_types = 8, .redirect_uris = ok, .n_redirect_uris = 1},
		{.display_name = "Perm w/o cc", .redirect_uris = ok, .n_redirect_uris = 1,
		 .permissions = perms, .n_permissions = 1},
		{.display_name = "Bad perm", .grant_types = STORE_GRANT_CLIENT_CREDENTIALS,
		 .permissions = perm_bad, .n_permissions = 1},
		{.display_name = "One-part perm", .grant_types = STORE_GRANT_CLIENT_CREDENTIALS,
		 .permissions = perm_one, .n_permissions = 1},
		{.display_name = "Bad alg", .redirect_uris = ok, .n_redirect_uris = 1, .signing_alg = "HS256"},
		{.display_name = "Ctl\x01name", .redirect_uris = ok, .n_redirect_uris = 1},
	};
	for (size_t i = 0; i < TG_ARRAY_LEN(cases); i++) {
		char secret[SVC_TOKEN_SIZE] = "untouched";
		e.sv.err[0] = '\0';
		if (svc_app_create(&e.o, &e.t, &cases[i], NULL, secret) != TG_ERR_INVALID)
			TG_T_FAIL("case %zu (%s) accepted", i, cases[i].display_name);
		CHECK(e.sv.err[0] != '\0');
		CHECK_STR(secret, "untouched");
	}
	int n = 0;
	CHECK_OK(svc_app_list(&e.sv, &e.t, count_app, &n));
	CHECK_INT(n, 2);                                    /* only the built-in ones */
	env_close(&e);
}

static void client_secret_check(void)
{
	struct env e;
	REQUIRE(env_open(&e, NULL) == 0);
	struct store_app web, spa, other, got;
	char secret[SVC_TOKEN_SIZE], secret2[SVC_TOKEN_SIZE];
	web_app(&e, &web, secret);
	web_app(&e, &other, secret2);
	public_app(&e, &spa);
	struct client_cred c;

	CHECK_OK(client_cred_parse(NULL, web.id, secret, &c));          /* client_secret_post */
	CHECK_OK(svc_client_authenticate(&e.o, &e.t, &c, &got));
	CHECK_STR(got.id, web.id);
	char userpass[128], b64[200], hdr[220];
	snprintf(userpass, sizeof userpass, "%s:%s", web.id, secret);
	b64_encode((const uint8_t *)userpass, strlen(userpass), b64, sizeof b64, NULL);
	snprintf(hdr, sizeof hdr, "Basic %s", b64);
	CHECK_OK(client_cred_parse(hdr, NULL, NULL, &c));                /* client_secret_basic */
	CHECK_OK(svc_client_authenticate(&e.o, &e.t, &c, NULL));

	/* wrong secret: one character changed, another app's, empty-looking */
	char wrong[SVC_TOKEN_SIZE];
	memcpy(wrong, secret, sizeof wrong);
	wrong[5] = wrong[5] == 'A' ? 'B' : 'A';
	CHECK_OK(client_cred_parse(NULL, web.id, wrong, &c));
	CHECK_INT(svc_client_authenticate(&e.o, &e.t, &c, NULL), TG_ERR_DENIED);
	CHECK_OK(client_cred_parse(NULL, web.id, secret2, &c));
	CHECK_INT(svc_client_authenticate(&e.o, &e.t, &c, NULL), TG_ERR_DENIED);
	CHECK_OK(client_cred_parse(NULL, web.id, "short", &c));
	CHECK_INT(svc_client_authenticate(&e.o, &e.t, &c, NULL), TG_ERR_DENIED);
	/* confidential client without a secret */
	CHECK_OK(client_cred_parse(NULL, web.id, NULL, &c));
	CHECK_INT(svc_client_authenticate(&e.o, &e.t, &c, NULL), TG_ERR_DENIED);
	/* public client: none is right, a secret is refused */
	CHECK_OK(client_cred_parse(NULL, spa.id, NULL, &c));
	CHECK_OK(svc_client_authenticate(&e.o, &e.t, &c, NULL));
	CHECK_OK(client_cred_parse(NULL, spa.id, secret, &c));
	CHECK_INT(svc_client_authenticate(&e.o, &e.t, &c, NULL), TG_ERR_DENIED);
	/* unknown client, malformed id */
	CHECK_OK(client_cred_parse(NULL, "00000000-0000-4000-8000-000000000000", secret, &c));
	CHECK_INT(svc_client_authenticate(&e.o, &e.t, &c, NULL), TG_ERR_DENIED);
	CHECK_OK(client_cred_parse(NULL, "nope", secret, &c));
	CHECK_INT(svc_client_authenticate(&e.o, &e.t, &c, NULL), TG_ERR_DENIED);
	client_cred_wipe(&c);
	/* another tenant does not know the app */
	struct tg_tenant t2;
	CHECK_OK(svc_tenant_create(&e.sv, "fabrikam", "fabrikam.test", NULL, &t2));
	CHECK_OK(client_cred_parse(NULL, web.id, secret, &c));
	CHECK_INT(svc_client_authenticate(&e.o, &t2, &c, NULL), TG_ERR_DENIED);
	client_cred_wipe(&c);
	env_close(&e);
}

/* ------------------------------------------------------------- sessions */

static void session_idle_and_absolute(void)
{
	struct env e;
	REQUIRE(env_open(&e, NULL) == 0);
	struct store_session s;
	char tok[SVC_TOKEN_SIZE];
	struct svc_session_step pw = {.user_id = e.alice.id, .first_factor = true, .amr = "pwd"};
	struct svc_session_start in = {.ip = "198.51.100.7", .user_agent = "Mozilla/5.0\x01",
	                               .auth = &pw};
	CHECK_OK(svc_session_create(&e.o, &e.t, &in, &s, tok));
	CHECK_STR(s.user_id, e.alice.id);
	CHECK_STR(s.amr, "pwd");
	CHECK_STR(s.ip, "198.51.100.7");
	CHECK_STR(s.user_agent, "Mozilla/5.0?");
	CHECK_INT(s.auth_time, clock_now);
	CHECK_INT(s.expires, clock_now + 12 * 3600);
	int64_t start = clock_now;

	/* idle: activity every 29 minutes keeps it alive */
	for (int i = 0; i < 5; i++) {
		clock_now += 29 * 60;
		CHECK_OK(svc_session_get(&e.o, &e.t, tok, &s));
		CHECK_INT(s.last_seen, clock_now);
	}
	clock_now += 30 * 60;                                  /* 30 minutes without a request */
	CHECK_INT(svc_session_get(&e.o, &e.t, tok, &s), TG_ERR_EXPIRED);
	CHECK(strstr(e.sv.err, "idle"));

	/* absolute: 12 hours however active */
	clock_now = start;
	CHECK_OK(svc_session_create(&e.o, &e.t, &in, &s, tok));
	while (clock_now + 20 * 60 < start + 12 * 3600) {
		clock_now += 20 * 60;
		CHECK_OK(svc_session_get(&e.o, &e.t, tok, &s));
	}
	clock_now = start + 12 * 3600;
	CHECK_INT(svc_session_get(&e.o, &e.t, tok, &s), TG_ERR_EXPIRED);
	CHECK(strstr(e.sv.err, "absolute"));

	/* configured lifetimes: 5 minutes idle, 1 hour absolute */
	struct tg_config cfg;
	config_defaults(&cfg, NULL);
	char err[200];
	CHECK_OK(config_set(&cfg, "session_idle_minutes", "5", err, sizeof err));
	CHECK_OK(config_set(&cfg, "session_absolute_hours", "1", err, sizeof err));
	CHECK_INT(config_set(&cfg, "session_idle_minutes", "0", err, sizeof err), TG_ERR_INVALID);
	CHECK_INT(config_set(&cfg, "session_absolute_hours", "721", err, sizeof err), TG_ERR_INVALID);
	struct svc_oidc o2;
	svc_oidc_init(&o2, &e.sv, e.k, &cfg);
	CHECK_INT(o2.session_idle, 300);
	CHECK_INT(o2.session_absolute, 3600);
	clock_now = start;
	CHECK_OK(svc_session_create(&o2, &e.t, &in, &s, tok));
	CHECK_INT(s.expires, start + 3600);
	clock_now += 299;
	CHECK_OK(svc_session_get(&o2, &e.t, tok, &s));
	clock_now += 300;
	CHECK_INT(svc_session_get(&o2, &e.t, tok, &s), TG_ERR_EXPIRED);

	/* malformed and unknown cookie values, another tenant */
	CHECK_INT(svc_session_get(&e.o, &e.t, "", &s), TG_ERR_NOT_FOUND);
	CHECK_INT(svc_session_get(&e.o, &e.t, "x' OR 1=1 --", &s), TG_ERR_NOT_FOUND);
	CHECK_INT(svc_session_get(&e.o, &e.t, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", &s),
	          TG_ERR_NOT_FOUND);
	clock_now = start;
	CHECK_OK(svc_session_create(&e.o, &e.t, &in, &s, tok));
	struct tg_tenant t2;
	CHECK_OK(svc_tenant_create(&e.sv, "fabrikam", "fabrikam.test", NULL, &t2));
	CHECK_INT(svc_session_get(&e.o, &t2, tok, &s), TG_ERR_NOT_FOUND);
	/* bad start values */
	struct svc_session_start badip = {.ip = "not-an-ip"};
	CHECK_INT(svc_session_create(&e.o, &e.t, &badip, &s, tok), TG_ERR_INVALID);
	struct svc_session_start badflow = {.flow = "[1,2]"};
	CHECK_INT(svc_session_create(&e.o, &e.t, &badflow, &s, tok), TG_ERR_INVALID);
	struct svc_session_step nouser = {.first_factor = true, .amr = "pwd"};
	struct svc_session_start badauth = {.auth = &nouser};
	CHECK_INT(svc_session_create(&e.o, &e.t, &badauth, &s, tok), TG_ERR_INVALID);
	struct svc_session_step other_tenant = {.user_id = e.alice.id, .first_factor = true};
	CHECK_INT(svc_session_create(&e.o, &t2, &(struct svc_session_start){.auth = &other_tenant}, &s,
	                             tok), TG_ERR_NOT_FOUND);
	env_close(&e);
}

static void session_rotates_each_step(void)
{
	struct env e;
	REQUIRE(env_open(&e, NULL) == 0);
	struct store_session s;
	char t0[SVC_TOKEN_SIZE], t1[SVC_TOKEN_SIZE], t2[SVC_TOKEN_SIZE], t3[SVC_TOKEN_SIZE];
	struct svc_session_start in = {.flow = "{\"step\":\"password\"}"};
	CHECK_OK(svc_session_create(&e.o, &e.t, &in, &s, t0));
	CHECK_STR(s.user_id, "");
	CHECK_INT(s.auth_time, 0);
	CHECK_STR(s.flow, "{\"step\":\"password\"}");
	char sid[TG_ID_BUF];
	tg_strlcpy(sid, s.id, sizeof sid);

	clock_now += 10;
	struct svc_session_step pw = {.user_id = e.alice.id, .first_factor = true, .amr = "pwd",
	                              .flow = "{\"step\":\"mfa\"}"};
	CHECK_OK(svc_session_step(&e.o, &e.t, t0, &pw, &s, t1));
	CHECK(strcmp(t0, t1) != 0);
	CHECK_STR(s.id, sid);                                   /* same session, new cookie */
	CHECK_STR(s.user_id, e.alice.id);
	CHECK_INT(s.auth_time, clock_now);
	CHECK_INT(s.expires, clock_now + 12 * 3600);            /* absolute restarts at sign-in */
	CHECK_INT(svc_session_get(&e.o, &e.t, t0, &s), TG_ERR_NOT_FOUND);   /* fixation: old id dead */
	CHECK_OK(svc_session_get(&e.o, &e.t, t1, &s));
	CHECK_STR(s.flow, "{\"step\":\"mfa\"}");

	struct svc_session_step mfa = {.amr = "otp", .mfa_methods = CA_METHOD_SOFTWARE_OATH,
	                               .acr = "possessionorinherence", .flow = ""};
	CHECK_OK(svc_session_step(&e.o, &e.t, t1, &mfa, &s, t2));
	CHECK_STR(s.amr, "pwd otp mfa");
	CHECK_INT(s.mfa_time, clock_now);
	CHECK_INT(s.mfa_methods, CA_METHOD_SOFTWARE_OATH);
	CHECK_STR(s.acr, "possessionorinherence");
	CHECK_STR(s.flow, "");
	CHECK_INT(svc_session_get(&e.o, &e.t, t1, &s), TG_ERR_NOT_FOUND);

	/* a stale cookie cannot step (a concurrent step won) */
	CHECK_INT(svc_session_step(&e.o, &e.t, t1, &mfa, &s, t3), TG_ERR_NOT_FOUND);
	/* another user cannot take over the session */
	struct svc_session_step bob = {.user_id = e.bob.id, .first_factor = true, .amr = "pwd"};
	CHECK_INT(svc_session_step(&e.o, &e.t, t2, &bob, &s, t3), TG_ERR_CONFLICT);
	/* re-authentication resets amr to this authentication's */
	struct svc_session_step again = {.user_id = e.alice.id, .first_factor = true, .amr = "pwd"};
	CHECK_OK(svc_session_step(&e.o, &e.t, t2, &again, &s, t3));
	CHECK_STR(s.amr, "pwd");
	CHECK_INT(s.mfa_methods, CA_METHOD_SOFTWARE_OATH);      /* the last MFA stays known */
	/* bad steps */
	char t4[SVC_TOKEN_SIZE];
	struct svc_session_step badamr = {.amr = "pwd;drop"};
	CHECK_INT(svc_session_step(&e.o, &e.t, t3, &badamr, &s, t4), TG_ERR_INVALID);
	struct svc_session_step badflow = {.flow = "not json"};
	CHECK_INT(svc_session_step(&e.o, &e.t, t3, &badflow, &s, t4), TG_ERR_INVALID);
	CHECK_OK(svc_session_get(&e.o, &e.t, t3, &s));          /* unchanged by refusals */

	/* flow without rotation, then sign-out */
	CHECK_OK(svc_session_set_flow(&e.o, &e.t, t3, "{\"step\":\"consent\"}"));
	CHECK_OK(svc_session_get(&e.o, &e.t, t3, &s));
	CHECK_STR(s.flow, "{\"step\":\"consent\"}");
	CHECK_INT(svc_session_set_flow(&e.o, &e.t, t3, "{"), TG_ERR_INVALID);
	char big[TG_MAX_SESSION_FLOW + 10];
	memset(big, ' ', sizeof big - 1);
	big[0] = '{';
	big[sizeof big - 2] = '}';
	big[sizeof big - 1] = '\0';
	CHECK_INT(svc_session_set_flow(&e.o, &e.t, t3, big), TG_ERR_INVALID);
	CHECK_OK(svc_session_end(&e.o, &e.t, t3));
	CHECK_INT(svc_session_get(&e.o, &e.t, t3, &s), TG_ERR_DENIED);
	CHECK_OK(svc_session_end(&e.o, &e.t, t3));              /* idempotent */
	CHECK_OK(svc_session_end(&e.o, &e.t, "garbage"));
	env_close(&e);
}

/* ---------------------------------------------------- remembered devices */

static void remembered_devices(void)
{
	struct env e;
	REQUIRE(env_open(&e, NULL) == 0);
	char d1[SVC_TOKEN_SIZE], d2[SVC_TOKEN_SIZE], d3[SVC_TOKEN_SIZE];
	int64_t exp = 0;
	int64_t start = clock_now;
	CHECK_OK(svc_device_remember(&e.o, &e.t, e.alice.id, 30, d1, &exp));
	CHECK_INT(exp, start + 30 * 86400);
	CHECK_OK(svc_device_remember(&e.o, &e.t, e.alice.id, 90, d2, NULL));
	CHECK_OK(svc_device_remember(&e.o, &e.t, e.bob.id, 90, d3, NULL));
	CHECK_OK(svc_device_check(&e.o, &e.t, e.alice.id, d1));
	/* bound to the user: alice's token does nothing for bob */
	CHECK_INT(svc_device_check(&e.o, &e.t, e.bob.id, d1), TG_ERR_DENIED);
	CHECK_INT(svc_device_check(&e.o, &e.t, e.alice.id, d3), TG_ERR_DENIED);
	CHECK_INT(svc_device_check(&e.o, &e.t, e.alice.id, "forged"), TG_ERR_DENIED);
	/* expiry */
	clock_now = start + 30 * 86400 - 1;
	CHECK_OK(svc_device_check(&e.o, &e.t, e.alice.id, d1));
	clock_now = start + 30 * 86400;
	CHECK_INT(svc_device_check(&e.o, &e.t, e.alice.id, d1), TG_ERR_EXPIRED);
	CHECK_OK(svc_device_check(&e.o, &e.t, e.alice.id, d2));
	/* revocation of all of alice's devices leaves bob's */
	int64_t n = 0;
	CHECK_OK(svc_device_revoke_user(&e.sv, &e.t, "alice@contoso.test", &n));
	CHECK_INT(n, 2);
	CHECK_INT(svc_device_check(&e.o, &e.t, e.alice.id, d2), TG_ERR_DENIED);
	CHECK_OK(svc_device_check(&e.o, &e.t, e.bob.id, d3));
	CHECK_INT(audit_count(&e, "user.revoke_remembered_devices"), 1);
	/* bad input */
	CHECK_INT(svc_device_remember(&e.o, &e.t, e.alice.id, 0, d1, NULL), TG_ERR_INVALID);
	CHECK_INT(svc_device_remember(&e.o, &e.t, e.alice.id, 366, d1, NULL), TG_ERR_INVALID);
	CHECK_INT(svc_device_remember(&e.o, &e.t, "00000000-0000-4000-8000-000000000000", 1, d1, NULL),
	          TG_ERR_NOT_FOUND);
	CHECK_INT(svc_device_revoke_user(&e.sv, &e.t, "nobody@contoso.test", &n), TG_ERR_NOT_FOUND);
	env_close(&e);
}

/* --------------------------------------------------- authorization codes */

static int issue_code(struct env *e, const struct store_app *a, const char *challenge,
                      char code[SVC_TOKEN_SIZE], struct store_code *c)
{
	struct svc_code_grant g = {
		.client_id = a->id, .user_id = e->alice.id, .redirect_uri = a->redirect_uris[0],
		.code_challenge = challenge, .code_challenge_method = challenge ? "S256" : NULL,
		.nonce = "n-0S6_WzA2Mj", .scope = "openid profile offline_access", .amr = "pwd mfa otp",
		.acr = "1", .auth_time = clock_now - 5, .mfa_time = clock_now - 2,
		.mfa_methods = CA_METHOD_SOFTWARE_OATH,
	};
	return svc_code_issue(&e->o, &e->t, &g, code, c);
}

static void code_single_use(void)
{
	struct env e;
	REQUIRE(env_open(&e, NULL) == 0);
	struct store_app web, spa;
	char secret[SVC_TOKEN_SIZE], code[SVC_TOKEN_SIZE];
	struct store_code c, got;
	web_app(&e, &web, secret);
	public_app(&e, &spa);

	/* confidential client without PKCE */
	CHECK_OK(issue_code(&e, &web, NULL, code, &c));
	CHECK_INT(c.expires, clock_now + 60);
	CHECK_OK(svc_code_redeem(&e.o, &e.t, code, web.id, REDIRECT, NULL, &got));
	CHECK_STR(got.user_id, e.alice.id);
	CHECK_STR(got.nonce, "n-0S6_WzA2Mj");
	CHECK_STR(got.amr, "pwd mfa otp");
	CHECK_INT(got.mfa_methods, CA_METHOD_SOFTWARE_OATH);
	CHECK_INT(svc_code_redeem(&e.o, &e.t, code, web.id, REDIRECT, NULL, &got), TG_ERR_REPLAY);
	CHECK_INT(audit_count(&e, "oidc.code_reuse"), 1);

	/* a wrong client, redirect or verifier burns the code anyway */
	CHECK_OK(issue_code(&e, &web, NULL, code, &c));
	CHECK_INT(svc_code_redeem(&e.o, &e.t, code, spa.id, REDIRECT, NULL, &got), TG_ERR_DENIED);
	CHECK_INT(svc_code_redeem(&e.o, &e.t, code, web.id, REDIRECT, NULL, &got), TG_ERR_REPLAY);
	CHECK_OK(issue_code(&e, &web, NULL, code, &c));
	CHECK_INT(svc_code_redeem(&e.o, &e.t, code, web.id, REDIRECT "/x", NULL, &got), TG_ERR_DENIED);
	CHECK_OK(issue_code(&e, &web, NULL, code, &c));
	CHECK_INT(svc_code_redeem(&e.o, &e.t, code, web.id, NULL, NULL, &got), TG_ERR_DENIED);
	/* no challenge was sent, so a verifier must not come (RFC 9700 §2.1.1) */
	CHECK_OK(issue_code(&e, &web, NULL, code, &c));
	CHECK_INT(svc_code_redeem(&e.o, &e.t, code, web.id, REDIRECT, VERIFIER, &got), TG_ERR_DENIED);

	/* public client: PKCE required and checked */
	CHECK_INT(issue_code(&e, &spa, NULL, code, &c), TG_ERR_INVALID);
	CHECK(strstr(e.sv.err, "PKCE"));
	struct svc_code_grant plain = {.client_id = spa.id, .user_id = e.alice.id,
	                               .redirect_uri = spa.redirect_uris[0], .code_challenge = VERIFIER,
	                               .code_challenge_method = "plain"};
	CHECK_INT(svc_code_issue(&e.o, &e.t, &plain, code, &c), TG_ERR_INVALID);
	plain.code_challenge_method = NULL;
	CHECK_INT(svc_code_issue(&e.o, &e.t, &plain, code, &c), TG_ERR_INVALID);
	CHECK_OK(issue_code(&e, &spa, CHALLENGE, code, &c));
	CHECK_OK(svc_code_redeem(&e.o, &e.t, code, spa.id, spa.redirect_uris[0], VERIFIER, &got));
	CHECK_OK(issue_code(&e, &spa, CHALLENGE, code, &c));
	CHECK_INT(svc_code_redeem(&e.o, &e.t, code, spa.id, spa.redirect_uris[0], NULL, &got),
	          TG_ERR_DENIED);
	CHECK_OK(issue_code(&e, &spa, CHALLENGE, code, &c));
	CHECK_INT(svc_code_redeem(&e.o, &e.t, code, spa.id, spa.redirect_uris[0],
	                          "wrong-verifier-wrong-verifier-wrong-verifier-x", &got), TG_ERR_DENIED);
	/* a confidential client may use PKCE too */
	CHECK_OK(issue_code(&e, &web, CHALLENGE, code, &c));
	CHECK_OK(svc_code_redeem(&e.o, &e.t, code, web.id, REDIRECT, VERIFIER, &got));

	/* 60 seconds */
	CHECK_OK(issue_code(&e, &web, NULL, code, &c));
	clock_now += 60;
	CHECK_INT(svc_code_redeem(&e.o, &e.t, code, web.id, REDIRECT, NULL, &got), TG_ERR_EXPIRED);

	/* bad issue requests */
	struct svc_code_grant g = {.client_id = web.id, .user_id = e.alice.id,
	                           .redirect_uri = "https://evil.test/cb"};
	CHECK_INT(svc_code_issue(&e.o, &e.t, &g, code, &c), TG_ERR_INVALID);
	g.redirect_uri = REDIRECT;
	g.user_id = "00000000-0000-4000-8000-000000000000";
	CHECK_INT(svc_code_issue(&e.o, &e.t, &g, code, &c), TG_ERR_INVALID);
	g.user_id = e.alice.id;
	g.client_id = "00000000-0000-4000-8000-000000000000";
	CHECK_INT(svc_code_issue(&e.o, &e.t, &g, code, &c), TG_ERR_INVALID);
	CHECK_INT(svc_code_redeem(&e.o, &e.t, "garbage", web.id, REDIRECT, NULL, &got), TG_ERR_DENIED);
	CHECK_INT(svc_code_redeem(&e.o, &e.t, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", web.id,
	                          REDIRECT, NULL, &got), TG_ERR_DENIED);
	env_close(&e);
}

/* Two threads, two handles on one database file, one code. */
struct racer {
	const char *path;
	const struct keys *k;
	struct tg_tenant t;
	const char *client_id;
	const char *token;              /* the code or refresh token */
	bool refresh;
	pthread_barrier_t *go;
	int result;
	char fresh[SVC_TOKEN_SIZE];
};

static void *race(void *arg)
{
	struct racer *r = arg;
	struct store *st = NULL;
	struct store_open_opts so = {.dsn = r->path, .create = false};
	r->result = -999;
	if (store_open("sqlite", &so, &st)) {
		pthread_barrier_wait(r->go);
		return NULL;
	}
	struct svc sv;
	struct svc_oidc o;
	svc_init(&sv, st, &fast, "test:race");
	sv.now = test_now;
	svc_oidc_init(&o, &sv, r->k, NULL);
	pthread_barrier_wait(r->go);
	if (r->refresh) {
		r->result = svc_refresh_rotate(&o, &r->t, r->client_id, r->token, r->fresh, NULL);
	} else {
		struct store_code c;
		r->result = svc_code_redeem(&o, &r->t, r->token, r->client_id, REDIRECT, NULL, &c);
	}
	store_close(st);
	return NULL;
}

static void run_race(struct env *e, const char *client_id, const char *token, bool refresh,
                     int *ok, int *replay)
{
	pthread_barrier_t go;
	pthread_barrier_init(&go, NULL, 2);
	struct racer rs[2];
	pthread_t th[2];
	for (int i = 0; i < 2; i++) {
		memset(&rs[i], 0, sizeof rs[i]);
		rs[i] = (struct racer){.path = e->path, .k = e->k, .t = e->t, .client_id = client_id,
		                       .token = token, .refresh = refresh, .go = &go};
		pthread_create(&th[i], NULL, race, &rs[i]);
	}
	for (int i = 0; i < 2; i++) {
		pthread_join(th[i], NULL);
		if (rs[i].result == TG_OK)
			(*ok)++;
		else if (rs[i].result == TG_ERR_REPLAY)
			(*replay)++;
		else
			TG_T_FAIL("racer %d: %d", i, rs[i].result);
	}
	pthread_barrier_destroy(&go);
}

static void code_race_two_handles(void)
{
	char path[] = "/tmp/tg-oidc-race-XXXXXX";
	int fd = mkstemp(path);
	REQUIRE(fd >= 0);
	close(fd);
	unlink(path);
	struct env e;
	REQUIRE(env_open(&e, path) == 0);
	struct store_app web;
	char secret[SVC_TOKEN_SIZE], code[SVC_TOKEN_SIZE];
	struct store_code c;
	web_app(&e, &web, secret);
	for (int round = 0; round < 25; round++) {
		REQUIRE(issue_code(&e, &web, NULL, code, &c) == TG_OK);
		int ok = 0, replay = 0;
		run_race(&e, web.id, code, false, &ok, &replay);
		CHECK_INT(ok, 1);
		CHECK_INT(replay, 1);
	}
	env_close(&e);
}

/* -------------------------------------------------------- refresh tokens */

static int issue_refresh(struct env *e, const struct store_app *a, const char *family,
                         char tok[SVC_TOKEN_SIZE])
{
	struct svc_refresh_grant g = {.family_id = family, .client_id = a->id, .user_id = e->alice.id,
	                              .scope = "openid offline_access", .amr = "pwd mfa",
	                              .auth_time = clock_now, .mfa_time = clock_now,
	                              .mfa_methods = CA_METHOD_SMS};
	return svc_refresh_issue(&e->o, &e->t, &g, tok, NULL);
}

static void refresh_rotation_and_reuse(void)
{
	struct env e;
	REQUIRE(env_open(&e, NULL) == 0);
	struct store_app web, other;
	char secret[SVC_TOKEN_SIZE], r0[SVC_TOKEN_SIZE], r1[SVC_TOKEN_SIZE], r2[SVC_TOKEN_SIZE],
	     r3[SVC_TOKEN_SIZE];
	struct store_refresh x;
	web_app(&e, &web, secret);
	web_app(&e, &other, secret);
	CHECK_OK(issue_refresh(&e, &web, NULL, r0));
	clock_now += 3600;
	CHECK_OK(svc_refresh_rotate(&e.o, &e.t, web.id, r0, r1, &x));
	CHECK(strcmp(r0, r1) != 0);
	CHECK_STR(x.amr, "pwd mfa");
	CHECK_STR(x.scope, "openid offline_access");
	CHECK_INT(x.mfa_methods, CA_METHOD_SMS);
	CHECK_INT(x.expires, clock_now + SVC_REFRESH_TTL);
	CHECK_OK(svc_refresh_inspect(&e.o, &e.t, r1, &x));
	CHECK_INT(svc_refresh_inspect(&e.o, &e.t, r0, &x), TG_ERR_NOT_FOUND);   /* rotated */
	CHECK_OK(svc_refresh_rotate(&e.o, &e.t, web.id, r1, r2, &x));
	/* r0 comes back: reuse. The whole family dies, r2 included. */
	CHECK_INT(svc_refresh_rotate(&e.o, &e.t, web.id, r0, r3, &x), TG_ERR_REPLAY);
	CHECK_INT(svc_refresh_rotate(&e.o, &e.t, web.id, r2, r3, &x), TG_ERR_DENIED);
	CHECK(strstr(e.sv.err, "revoked"));
	CHECK_INT(svc_refresh_inspect(&e.o, &e.t, r2, &x), TG_ERR_NOT_FOUND);
	CHECK_INT(audit_count(&e, "oidc.refresh_reuse"), 1);

	/* presented by another client: refused and the family revoked */
	CHECK_OK(issue_refresh(&e, &web, NULL, r0));
	CHECK_INT(svc_refresh_rotate(&e.o, &e.t, other.id, r0, r1, &x), TG_ERR_DENIED);
	CHECK_INT(svc_refresh_rotate(&e.o, &e.t, web.id, r0, r1, &x), TG_ERR_DENIED);

	/* one token lives 14 days; rotation renews it within the family's 90 */
	int64_t start = clock_now;
	CHECK_OK(issue_refresh(&e, &web, NULL, r0));
	clock_now += SVC_REFRESH_TTL;
	CHECK_INT(svc_refresh_rotate(&e.o, &e.t, web.id, r0, r1, &x), TG_ERR_EXPIRED);
	clock_now = start;
	CHECK_OK(issue_refresh(&e, &web, NULL, r0));
	char cur[SVC_TOKEN_SIZE], next[SVC_TOKEN_SIZE];
	memcpy(cur, r0, sizeof cur);
	int rotations = 0;
	int r;
	for (;;) {
		clock_now += 10 * 86400;
		r = svc_refresh_rotate(&e.o, &e.t, web.id, cur, next, &x);
		if (r)
			break;
		CHECK(x.expires <= start + SVC_REFRESH_FAMILY_TTL);
		memcpy(cur, next, sizeof cur);
		rotations++;
	}
	CHECK_INT(r, TG_ERR_EXPIRED);
	CHECK_INT(rotations, 8);                                /* days 10..80; day 90 is the end */

	/* RFC 7009 revocation */
	clock_now = start;
	CHECK_OK(issue_refresh(&e, &web, NULL, r0));
	CHECK_INT(svc_refresh_revoke(&e.o, &e.t, other.id, r0), TG_ERR_DENIED);
	CHECK_OK(svc_refresh_rotate(&e.o, &e.t, web.id, r0, r1, &x));
	CHECK_OK(svc_refresh_revoke(&e.o, &e.t, web.id, r1));
	CHECK_INT(svc_refresh_rotate(&e.o, &e.t, web.id, r1, r2, &x), TG_ERR_DENIED);
	CHECK_OK(svc_refresh_revoke(&e.o, &e.t, web.id, "garbage"));       /* §2.2 */
	CHECK_OK(svc_refresh_revoke(&e.o, &e.t, web.id, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));
	CHECK_INT(svc_refresh_rotate(&e.o, &e.t, web.id, "garbage", r2, &x), TG_ERR_DENIED);

	/* a replayed code revokes the family issued from it */
	struct store_code c, got;
	char code[SVC_TOKEN_SIZE];
	CHECK_OK(issue_code(&e, &web, NULL, code, &c));
	CHECK_OK(svc_code_redeem(&e.o, &e.t, code, web.id, REDIRECT, NULL, &got));
	CHECK_OK(issue_refresh(&e, &web, got.family_id, r0));
	CHECK_INT(issue_refresh(&e, &web, got.family_id, r1), TG_ERR_CONFLICT);
	CHECK_OK(svc_refresh_inspect(&e.o, &e.t, r0, &x));
	CHECK_INT(svc_code_redeem(&e.o, &e.t, code, web.id, REDIRECT, NULL, &got), TG_ERR_REPLAY);
	CHECK_INT(svc_refresh_rotate(&e.o, &e.t, web.id, r0, r1, &x), TG_ERR_DENIED);

	/* an app without the refresh grant gets none */
	const char *perms[] = {"User.Read.All"};
	struct svc_app_input d = {.display_name = "Daemon", .grant_types = STORE_GRANT_CLIENT_CREDENTIALS,
	                          .permissions = perms, .n_permissions = 1};
	struct store_app daemon;
	CHECK_OK(svc_app_create(&e.o, &e.t, &d, &daemon, secret));
	CHECK_INT(issue_refresh(&e, &daemon, NULL, r0), TG_ERR_INVALID);
	env_close(&e);
}

static void refresh_race_two_handles(void)
{
	char path[] = "/tmp/tg-oidc-race-XXXXXX";
	int fd = mkstemp(path);
	REQUIRE(fd >= 0);
	close(fd);
	unlink(path);
	struct env e;
	REQUIRE(env_open(&e, path) == 0);
	struct store_app web;
	char secret[SVC_TOKEN_SIZE], tok[SVC_TOKEN_SIZE];
	web_app(&e, &web, secret);
	for (int round = 0; round < 10; round++) {
		REQUIRE(issue_refresh(&e, &web, NULL, tok) == TG_OK);
		int ok = 0, replay = 0;
		run_race(&e, web.id, tok, true, &ok, &replay);
		/* exactly one rotation; the loser is a reuse, which ends the family */
		CHECK_INT(ok, 1);
		CHECK_INT(replay, 1);
		struct store_refresh x;
		CHECK_INT(svc_refresh_inspect(&e.o, &e.t, tok, &x), TG_ERR_NOT_FOUND);
	}
	env_close(&e);
}

/* ------------------------------------------------- revoke-sessions, jtis */

static void revoke_user_sessions(void)
{
	struct env e;
	REQUIRE(env_open(&e, NULL) == 0);
	struct store_app web;
	char secret[SVC_TOKEN_SIZE], s1[SVC_TOKEN_SIZE], s2[SVC_TOKEN_SIZE], sb[SVC_TOKEN_SIZE],
	     dev[SVC_TOKEN_SIZE], rt[SVC_TOKEN_SIZE], rb[SVC_TOKEN_SIZE], nx[SVC_TOKEN_SIZE];
	web_app(&e, &web, secret);
	struct svc_session_step pa = {.user_id = e.alice.id, .first_factor = true, .amr = "pwd"};
	struct svc_session_step pb = {.user_id = e.bob.id, .first_factor = true, .amr = "pwd"};
	struct svc_session_start ia = {.auth = &pa}, ib = {.auth = &pb};
	struct store_session s;
	CHECK_OK(svc_session_create(&e.o, &e.t, &ia, &s, s1));
	CHECK_OK(svc_session_create(&e.o, &e.t, &ia, &s, s2));
	CHECK_OK(svc_session_create(&e.o, &e.t, &ib, &s, sb));
	CHECK_OK(svc_device_remember(&e.o, &e.t, e.alice.id, 30, dev, NULL));
	CHECK_OK(issue_refresh(&e, &web, NULL, rt));
	struct svc_refresh_grant gb = {.client_id = web.id, .user_id = e.bob.id, .auth_time = clock_now};
	CHECK_OK(svc_refresh_issue(&e.o, &e.t, &gb, rb, NULL));

	/* a failing store call anywhere changes nothing */
	for (long nth = 1; nth <= 12; nth++) {
		store_fault_inject(nth);
		int r = svc_session_revoke_user(&e.sv, &e.t, "alice@contoso.test", NULL);
		store_fault_inject(0);
		if (r == TG_OK)
			break;
		CHECK(e.sv.err[0] != '\0');
		CHECK_OK(svc_session_get(&e.o, &e.t, s1, &s));
		CHECK_OK(svc_device_check(&e.o, &e.t, e.alice.id, dev));
		struct store_refresh x;
		CHECK_OK(svc_refresh_inspect(&e.o, &e.t, rt, &x));
	}
	CHECK_INT(svc_session_get(&e.o, &e.t, s1, &s), TG_ERR_DENIED);
	CHECK_INT(svc_session_get(&e.o, &e.t, s2, &s), TG_ERR_DENIED);
	CHECK_INT(svc_device_check(&e.o, &e.t, e.alice.id, dev), TG_ERR_DENIED);
	CHECK_INT(svc_refresh_rotate(&e.o, &e.t, web.id, rt, nx, NULL), TG_ERR_DENIED);
	/* bob is untouched */
	CHECK_OK(svc_session_get(&e.o, &e.t, sb, &s));
	CHECK_OK(svc_refresh_rotate(&e.o, &e.t, web.id, rb, nx, NULL));
	CHECK_INT(audit_count(&e, "user.revoke_sessions"), 1);
	/* a second run finds nothing left */
	struct svc_revoke_report rep;
	CHECK_OK(svc_session_revoke_user(&e.sv, &e.t, "alice@contoso.test", &rep));
	CHECK_INT(rep.sessions, 0);
	CHECK_INT(rep.devices, 0);
	CHECK_INT(rep.families, 0);
	CHECK_OK(svc_session_revoke_user(&e.sv, &e.t, "bob@contoso.test", &rep));
	CHECK_INT(rep.sessions, 1);
	CHECK_INT(rep.families, 1);
	CHECK_INT(svc_session_revoke_user(&e.sv, &e.t, "nobody@contoso.test", &rep), TG_ERR_NOT_FOUND);
	env_close(&e);
}

static void jti_and_purge(void)
{
	struct env e;
	REQUIRE(env_open(&e, NULL) == 0);
	bool rev = true;
	CHECK_OK(svc_jti_revoke(&e.sv, &e.t, "jti-1", clock_now + 3600));
	CHECK_OK(svc_jti_revoke(&e.sv, &e.t, "jti-1", clock_now + 3600));     /* idempotent */
	CHECK_OK(svc_jti_is_revoked(&e.sv, "jti-1", &rev));
	CHECK(rev);
	CHECK_OK(svc_jti_is_revoked(&e.sv, "jti-2", &rev));
	CHECK(!rev);
	CHECK_OK(svc_jti_revoke(&e.sv, &e.t, "jti-old", clock_now - 1));     /* expired: no-op */
	CHECK_OK(svc_jti_is_revoked(&e.sv, "jti-old", &rev));
	CHECK(!rev);
	CHECK_INT(svc_jti_revoke(&e.sv, &e.t, "", clock_now + 10), TG_ERR_INVALID);
	CHECK_INT(svc_jti_revoke(&e.sv, &e.t, "bad\njti", clock_now + 10), TG_ERR_INVALID);

	struct store_app web;
	char secret[SVC_TOKEN_SIZE], s1[SVC_TOKEN_SIZE], s2[SVC_TOKEN_SIZE], dev[SVC_TOKEN_SIZE],
	     code[SVC_TOKEN_SIZE], rt[SVC_TOKEN_SIZE];
	struct store_code c;
	web_app(&e, &web, secret);
	struct store_session s;
	CHECK_OK(svc_session_create(&e.o, &e.t, NULL, &s, s1));
	CHECK_OK(svc_session_create(&e.o, &e.t, NULL, &s, s2));
	CHECK_OK(svc_session_end(&e.o, &e.t, s2));
	CHECK_OK(svc_device_remember(&e.o, &e.t, e.alice.id, 1, dev, NULL));
	CHECK_OK(issue_code(&e, &web, NULL, code, &c));
	CHECK_OK(issue_refresh(&e, &web, NULL, rt));
	struct store_oidc_purged n;
	CHECK_OK(svc_oidc_purge(&e.o, &n));
	CHECK_INT(n.sessions, 1);                               /* the ended one */
	CHECK_INT(n.devices + n.codes + n.families + n.tokens + n.jtis, 0);
	clock_now += 2 * 86400;                                 /* code kept a day past expiry */
	CHECK_OK(svc_oidc_purge(&e.o, &n));
	CHECK_INT(n.sessions, 1);                               /* idle */
	CHECK_INT(n.devices, 1);
	CHECK_INT(n.codes, 1);
	CHECK_INT(n.jtis, 1);
	CHECK_INT(n.families, 0);
	clock_now += SVC_REFRESH_FAMILY_TTL;
	CHECK_OK(svc_oidc_purge(&e.o, &n));
	CHECK_INT(n.tokens, 1);
	CHECK_INT(n.families, 1);
	env_close(&e);
}

/* ----------------------------------------- the database holds no secret */

static bool file_has(const char *path, const void *needle, size_t n)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return false;
	fseek(f, 0, SEEK_END);
	long len = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *buf = xmalloc((size_t)len + 1);
	size_t got = fread(buf, 1, (size_t)len, f);
	fclose(f);
	bool found = got >= n && memmem(buf, got, needle, n) != NULL;
	free(buf);
	return found;
}

static void db_holds_digests_only(void)
{
	char path[] = "/tmp/tg-oidc-scan-XXXXXX";
	int fd = mkstemp(path);
	REQUIRE(fd >= 0);
	close(fd);
	unlink(path);
	struct env e;
	REQUIRE(env_open(&e, path) == 0);
	char secrets[7][SVC_TOKEN_SIZE];
	struct store_app web;
	struct store_code c;
	struct store_session s;
	web_app(&e, &web, secrets[0]);
	struct svc_session_step pw = {.user_id = e.alice.id, .first_factor = true, .amr = "pwd"};
	CHECK_OK(svc_session_create(&e.o, &e.t, &(struct svc_session_start){.auth = &pw}, &s, secrets[1]));
	CHECK_OK(svc_session_step(&e.o, &e.t, secrets[1], &(struct svc_session_step){.amr = "otp",
	         .mfa_methods = CA_METHOD_SOFTWARE_OATH}, &s, secrets[2]));
	CHECK_OK(svc_device_remember(&e.o, &e.t, e.alice.id, 30, secrets[3], NULL));
	CHECK_OK(issue_code(&e, &web, NULL, secrets[4], &c));
	CHECK_OK(issue_refresh(&e, &web, NULL, secrets[5]));
	CHECK_OK(svc_refresh_rotate(&e.o, &e.t, web.id, secrets[5], secrets[6], NULL));
	store_close(e.st);
	e.st = NULL;
	char wal[300];
	snprintf(wal, sizeof wal, "%s-wal", path);
	REQUIRE(file_has(path, "alice", 5) || file_has(wal, "alice", 5));   /* the scan sees data */
	for (int i = 0; i < 7; i++) {
		uint8_t raw[SVC_TOKEN_BYTES];
		size_t rl = 0;
		CHECK_OK(b64url_decode(secrets[i], SVC_TOKEN_LEN, raw, sizeof raw, &rl));
		/* neither the text, nor a 16-character piece of it, nor the raw bytes */
		if (file_has(path, secrets[i], SVC_TOKEN_LEN) || file_has(wal, secrets[i], SVC_TOKEN_LEN) ||
		    file_has(path, secrets[i] + 10, 16) || file_has(wal, secrets[i] + 10, 16) ||
		    file_has(path, raw, rl) || file_has(wal, raw, rl))
			TG_T_FAIL("secret %d found in the database file", i);
	}
	env_close(&e);
}

int main(void)
{
	TEST(apps_create_list_delete);
	TEST(apps_bad_input);
	TEST(client_secret_check);
	TEST(session_idle_and_absolute);
	TEST(session_rotates_each_step);
	TEST(remembered_devices);
	TEST(code_single_use);
	TEST(code_race_two_handles);
	TEST(refresh_rotation_and_reuse);
	TEST(refresh_race_two_handles);
	TEST(revoke_user_sessions);
	TEST(jti_and_purge);
	TEST(db_holds_digests_only);
	return tg_test_done();
}
