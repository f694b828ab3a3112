/* SPDX-License-Identifier: MIT
 * Token signing keys per tenant (svc_signkeys.h) and the JWTs issued with
 * them (svc_jwt.h), against a real SQLite store with a pinned clock: the
 * ring made once on first use and stored sealed, the cache noticing a
 * rotation made elsewhere, the previous key published until its tokens
 * expired, a ring copied to another tenant not opening, the ring full;
 * claims from the directory (roles, disabled users), access tokens that
 * expire, are revoked by jti or come from another tenant. */
#include <stdlib.h>
#include <string.h>
#include "harness.h"
#include "base/err.h"
#include "base/str.h"
#include "core/oidc.h"
#include "core/roles.h"
#include "crypto/keys.h"
#include "json/jwt_json.h"
#include "store/store.h"
#include "svc/svc.h"
#include "svc/svc_jwt.h"
#include "svc/svc_oidc.h"
#include "svc/svc_signkeys.h"

static const struct pw_params fast = {64, 1, 1};
static int64_t clock_now = 1800000000;
static int64_t test_now(void) { return clock_now; }

struct env {
	struct store *st;
	struct svc sv;
	struct keys *k;
	struct tg_tenant t, t2;
	struct tg_user alice;
};

static int env_open(struct env *e)
{
	memset(e, 0, sizeof *e);
	clock_now = 1800000000;
	struct store_open_opts so = {.dsn = ":memory:", .create = true};
	if (store_open("sqlite", &so, &e->st) || keys_new_ephemeral(&e->k))
		return -1;
	svc_init(&e->sv, e->st, &fast, "test:signkeys");
	e->sv.now = test_now;
	if (svc_tenant_create(&e->sv, "contoso", "contoso.test", NULL, &e->t) ||
	    svc_tenant_create(&e->sv, "fabrikam", "fabrikam.test", NULL, &e->t2))
		return -1;
	struct svc_user_input a = {.upn = "alice@contoso.test", .display_name = "Alice"};
	if (svc_user_create(&e->sv, &e->t, &a, &e->alice) ||
	    svc_role_assign(&e->sv, &e->t, "alice@contoso.test", ROLE_ID_GLOBAL_READER, true))
		return -1;
	return svc_app_ensure_builtin(&e->sv, &e->t, NULL);
}

static void env_close(struct env *e)
{
	store_close(e->st);
	keys_free(e->k);
}

static int audit_cb(const struct tg_audit *a, void *arg)
{
	(void)a;
	(*(int *)arg)++;
	return 0;
}

static int audits(struct env *e, const char *prefix)
{
	int n = 0;
	struct audit_query q = {.action_prefix = prefix};
	store_audit_list(e->st, &q, audit_cb, &n);
	return n;
}

static size_t published(const struct svc_signring *r)
{
	const struct sign_key *v[TG_MAX_SIGN_KEYS];
	return signkeys_published(svc_signring_keys(r), clock_now, v, TG_MAX_SIGN_KEYS);
}

static void ring_made_once_and_cached(void)
{
	struct env e;
	REQUIRE(env_open(&e) == 0);
	struct svc_signkeys_cache *c = svc_signkeys_cache_new();
	struct svc_signring *a = NULL, *b = NULL;
	CHECK_OK(svc_signkeys_get(&e.sv, e.k, c, &e.t, &a));
	REQUIRE(a);
	CHECK_INT(published(a), 2);
	CHECK(signkeys_current(svc_signring_keys(a), JWS_ALG_ES256) != NULL);
	CHECK(signkeys_current(svc_signring_keys(a), JWS_ALG_RS256) != NULL);
	CHECK_INT(audits(&e, "oidc.signing_keys.create"), 1);
	char *text = NULL;
	CHECK_OK(store_setting_get(e.st, e.t.id, SVC_SETTING_SIGNING_KEYS, &text));
	CHECK(text && strlen(text) > 1000);
	free(text);
	CHECK_OK(svc_signkeys_get(&e.sv, e.k, c, &e.t, &b));
	CHECK(a == b);                           /* cached: the same ring */
	CHECK_INT(audits(&e, "oidc.signing_keys.create"), 1);
	svc_signring_release(b);
	/* without a cache: the same keys, opened again */
	CHECK_OK(svc_signkeys_get(&e.sv, e.k, NULL, &e.t, &b));
	CHECK(a != b);
	CHECK_STR(sign_key_kid(signkeys_current(svc_signring_keys(a), JWS_ALG_ES256)),
	          sign_key_kid(signkeys_current(svc_signring_keys(b), JWS_ALG_ES256)));
	svc_signring_release(b);
	svc_signkeys_cache_free(c);              /* a is still ours */
	CHECK_INT(published(a), 2);
	svc_signring_release(a);
	env_close(&e);
}

static void rotation_keeps_previous_key(void)
{
	struct env e;
	REQUIRE(env_open(&e) == 0);
	struct svc_signkeys_cache *c = svc_signkeys_cache_new();
	struct svc_signring *before = NULL, *after = NULL;
	CHECK_OK(svc_signkeys_get(&e.sv, e.k, c, &e.t, &before));
	char old_es[JWS_KID_LEN + 1];
	tg_strlcpy(old_es, sign_key_kid(signkeys_current(svc_signring_keys(before), JWS_ALG_ES256)),
	           sizeof old_es);
	clock_now += 10;
	struct svc_signkeys_rotation rot;
	CHECK_OK(svc_signkeys_rotate(&e.sv, e.k, &e.t, JWS_ALG_ES256, &rot));
	CHECK_INT(rot.n, 1);
	CHECK_STR(rot.old_kid[0], old_es);
	CHECK(strcmp(rot.new_kid[0], old_es) != 0);
	CHECK_INT(rot.old_not_after[0], clock_now + SVC_SIGNKEYS_TOKEN_LIFETIME + SIGNKEYS_RETIRE_GRACE);
	CHECK_INT(audits(&e, "oidc.signing_keys.rotate"), 1);
	/* the cache notices the new row (as a server notices the CLI's rotation) */
	CHECK_OK(svc_signkeys_get(&e.sv, e.k, c, &e.t, &after));
	CHECK(after != before);
	CHECK_STR(sign_key_kid(signkeys_current(svc_signring_keys(after), JWS_ALG_ES256)),
	          rot.new_kid[0]);
	CHECK_INT(published(after), 3);
	CHECK(signkeys_find(svc_signring_keys(after), old_es, clock_now) != NULL);
	/* a token signed before the rotation still verifies until it expires */
	json_t *claims = json_pack("{s:s,s:s,s:I,s:I}", "iss", "i", "aud", "a",
	                           "iat", (json_int_t)clock_now, "exp", (json_int_t)clock_now + 3600);
	char *tok = NULL;
	CHECK_OK(jwt_sign(signkeys_current(svc_signring_keys(before), JWS_ALG_ES256), claims, &tok,
	                  NULL));
	const struct sign_key *v[TG_MAX_SIGN_KEYS];
	size_t n = signkeys_published(svc_signring_keys(after), clock_now + 3000, v, TG_MAX_SIGN_KEYS);
	struct jwt_expect ex = {.iss = "i", .aud = "a", .now = clock_now + 3000, .skew = 60};
	json_t *got = NULL;
	CHECK_OK(jwt_verify(tok, strlen(tok), v, n, &ex, &got, NULL));
	json_decref(got);
	/* ... and the key leaves the JWKS once those tokens are gone */
	clock_now = rot.old_not_after[0];
	CHECK_INT(published(after), 2);
	free(tok);
	json_decref(claims);
	/* both algorithms; then rotating faster than tokens expire fills the ring */
	CHECK_OK(svc_signkeys_rotate(&e.sv, e.k, &e.t, 0, &rot));
	CHECK_INT(rot.n, 2);
	int r = TG_OK;
	for (int i = 0; i < 10 && r == TG_OK; i++)
		r = svc_signkeys_rotate(&e.sv, e.k, &e.t, 0, NULL);
	CHECK_INT(r, TG_ERR_LIMIT);
	CHECK(strstr(e.sv.err, "full") != NULL);
	CHECK_INT(svc_signkeys_rotate(&e.sv, e.k, &e.t, (enum jws_alg)7, NULL), TG_ERR_INVALID);
	svc_signring_release(before);
	svc_signring_release(after);
	svc_signkeys_cache_free(c);
	env_close(&e);
}

static void ring_bound_to_tenant(void)
{
	struct env e;
	REQUIRE(env_open(&e) == 0);
	struct svc_signring *a = NULL, *b = NULL;
	CHECK_OK(svc_signkeys_get(&e.sv, e.k, NULL, &e.t, &a));
	char *text = NULL;
	CHECK_OK(store_setting_get(e.st, e.t.id, SVC_SETTING_SIGNING_KEYS, &text));
	CHECK_OK(store_setting_set(e.st, e.t2.id, SVC_SETTING_SIGNING_KEYS, text));
	CHECK_INT(svc_signkeys_get(&e.sv, e.k, NULL, &e.t2, &b), TG_ERR_CRYPTO);
	CHECK(b == NULL);
	CHECK_OK(store_setting_set(e.st, e.t2.id, SVC_SETTING_SIGNING_KEYS, "not base64!"));
	CHECK(svc_signkeys_get(&e.sv, e.k, NULL, &e.t2, &b) != TG_OK);
	free(text);
	svc_signring_release(a);
	env_close(&e);
}

/* ---- JWTs ------------------------------------------------------------------------ */

static void user_tokens(void)
{
	struct env e;
	REQUIRE(env_open(&e) == 0);
	struct svc_signring *ring = NULL;
	REQUIRE(svc_signkeys_get(&e.sv, e.k, NULL, &e.t, &ring) == TG_OK);
	struct svc_jwt_ctx jc = {&e.t, "https://id.test/contoso/v2.0", "https://id.test",
	                         svc_signring_keys(ring)};
	struct store_app app;
	REQUIRE(svc_app_get(&e.sv, &e.t, SVC_APP_MY_SIGNINS, &app) == TG_OK);
	tg_strlcpy(app.signing_alg, "RS256", sizeof app.signing_alg);
	struct svc_jwt_grant g = {
		.app = &app, .user_id = e.alice.id, .scope = "openid profile", .nonce = "n",
		.amr = "pwd mfa otp", .auth_time = clock_now - 5, .sid = "s", .id_token = true,
	};
	struct svc_jwt_tokens tk;
	CHECK_OK(svc_jwt_issue(&e.sv, &jc, &g, &tk));
	CHECK_INT(tk.expires_in, OIDC_TOKEN_TTL);
	CHECK_STR(tk.upn, "alice@contoso.test");
	REQUIRE(tk.access_token && tk.id_token);
	CHECK(strncmp(tk.id_token, "eyJhbGciOiJSUzI1NiIs", 20) == 0);     /* {"alg":"RS256", */
	CHECK(strncmp(tk.access_token, "eyJhbGciOiJFUzI1NiIs", 20) == 0); /* {"alg":"ES256", */
	json_t *claims = NULL;
	CHECK_OK(svc_jwt_verify_access(&e.sv, &jc, tk.access_token, &claims));
	CHECK_STR(json_string_value(json_object_get(claims, "sub")), e.alice.id);
	CHECK_STR(json_string_value(json_object_get(claims, "acr")), OIDC_ACR_MFA);
	CHECK_STR(json_string_value(json_array_get(json_object_get(claims, "roles"), 0)),
	          ROLE_ID_GLOBAL_READER);
	CHECK_STR(json_string_value(json_object_get(claims, "jti")), tk.jti);
	json_decref(claims);
	/* an ID token is not an access token (audience) */
	CHECK_INT(svc_jwt_verify_access(&e.sv, &jc, tk.id_token, &claims), TG_ERR_DENIED);
	CHECK(claims == NULL);
	/* another tenant's issuer context refuses it */
	struct svc_jwt_ctx other = jc;
	other.issuer = "https://id.test/fabrikam/v2.0";
	CHECK_INT(svc_jwt_verify_access(&e.sv, &other, tk.access_token, &claims), TG_ERR_DENIED);
	/* expired: one hour plus the skew */
	clock_now += OIDC_TOKEN_TTL + JWT_DEFAULT_SKEW + 1;
	CHECK_INT(svc_jwt_verify_access(&e.sv, &jc, tk.access_token, &claims), TG_ERR_EXPIRED);
	clock_now -= OIDC_TOKEN_TTL + JWT_DEFAULT_SKEW + 1;
	/* revoked by jti (RFC 7009) */
	CHECK_OK(svc_jti_revoke(&e.sv, &e.t, tk.jti, clock_now + 3600));
	CHECK_INT(svc_jwt_verify_access(&e.sv, &jc, tk.access_token, &claims), TG_ERR_DENIED);
	svc_jwt_tokens_cleanup(&tk);
	CHECK(tk.access_token == NULL);
	/* a disabled account gets no tokens */
	struct svc_user_changes ch = {.enabled = 0};
	CHECK_OK(svc_user_update(&e.sv, &e.t, "alice@contoso.test", &ch, NULL));
	CHECK_INT(svc_jwt_issue(&e.sv, &jc, &g, &tk), TG_ERR_DISABLED);
	CHECK(tk.access_token == NULL && tk.id_token == NULL);
	CHECK_OK(svc_user_delete(&e.sv, &e.t, "alice@contoso.test"));
	CHECK_INT(svc_jwt_issue(&e.sv, &jc, &g, &tk), TG_ERR_NOT_FOUND);
	svc_signring_release(ring);
	env_close(&e);
}

static void app_only_tokens(void)
{
	struct env e;
	REQUIRE(env_open(&e) == 0);
	struct svc_signring *ring = NULL;
	REQUIRE(svc_signkeys_get(&e.sv, e.k, NULL, &e.t, &ring) == TG_OK);
	struct svc_jwt_ctx jc = {&e.t, "https://id.test/contoso/v2.0", "https://id.test",
	                         svc_signring_keys(ring)};
	struct store_app app;
	memset(&app, 0, sizeof app);
	tg_strlcpy(app.id, "3f0b7c55-1e0d-4a6f-8f0e-2a9b0c1d2e3f", sizeof app.id);
	app.n_permissions = 2;
	tg_strlcpy(app.permissions[0], "User.Read.All", sizeof app.permissions[0]);
	tg_strlcpy(app.permissions[1], "AuditLog.Read.All", sizeof app.permissions[1]);
	struct svc_jwt_grant g = {.app = &app, .id_token = true};
	struct svc_jwt_tokens tk;
	CHECK_OK(svc_jwt_issue(&e.sv, &jc, &g, &tk));
	CHECK(tk.id_token == NULL);              /* no user, no ID token */
	CHECK_STR(tk.upn, "");
	json_t *claims = NULL;
	CHECK_OK(svc_jwt_verify_access(&e.sv, &jc, tk.access_token, &claims));
	CHECK_STR(json_string_value(json_object_get(claims, "sub")), app.id);
	CHECK_STR(json_string_value(json_object_get(claims, "idtyp")), "app");
	CHECK_INT(json_array_size(json_object_get(claims, "roles")), 2);
	CHECK(json_object_get(claims, "amr") == NULL);
	json_decref(claims);
	svc_jwt_tokens_cleanup(&tk);
	svc_signring_release(ring);
	env_close(&e);
}

int main(void)
{
	TEST(ring_made_once_and_cached);
	TEST(rotation_keeps_previous_key);
	TEST(ring_bound_to_tenant);
	TEST(user_tokens);
	TEST(app_only_tokens);
	return tg_test_done();
}
