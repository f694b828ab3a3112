/* SPDX-License-Identifier: MIT
 * OpenID Connect JSON (json/oidc_json.h): which claims each kind of token
 * carries (ID, user access, app-only), amr as an array, roles, the
 * discovery document's required members, token, error, introspection and
 * userinfo bodies; and a claims object signed and verified as a relying
 * party would (jwt_json.h). */
#include <string.h>
#include "harness.h"
#include "base/err.h"
#include "crypto/signkeys.h"
#include "json/jwt_json.h"
#include "json/oidc_json.h"

static const char *str(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static const char *const roles[] = {"62e90394-69f5-4237-9190-012177145e10"};

static struct oidc_claims user_claims(enum oidc_token_kind kind)
{
	return (struct oidc_claims){
		.kind = kind, .iss = "https://id.test/contoso/v2.0", .aud = "client-1",
		.client_id = "client-1", .sub = "user-1", .tid = "tenant-1", .jti = "jti-1",
		.iat = 1800000000, .exp = 1800003600, .upn = "alice@contoso.test",
		.name = "Alice", .email = "alice@contoso.test", .nonce = "n-1",
		.amr = "pwd mfa otp", .acr = "mfa", .sid = "sess-1", .scope = "openid profile",
		.auth_time = 1799999000, .roles = roles, .n_roles = 1,
	};
}

static void id_token_claims(void)
{
	struct oidc_claims c = user_claims(OIDC_TOKEN_ID);
	json_t *j = oidc_claims_json(&c);
	CHECK_STR(str(j, "iss"), "https://id.test/contoso/v2.0");
	CHECK_STR(str(j, "sub"), "user-1");
	CHECK_STR(str(j, "oid"), "user-1");
	CHECK_STR(str(j, "aud"), "client-1");
	CHECK_STR(str(j, "azp"), "client-1");
	CHECK(json_object_get(j, "client_id") == NULL);
	CHECK_STR(str(j, "nonce"), "n-1");
	CHECK_STR(str(j, "name"), "Alice");
	CHECK_STR(str(j, "upn"), "alice@contoso.test");
	CHECK_STR(str(j, "tid"), "tenant-1");
	CHECK_STR(str(j, "acr"), "mfa");
	CHECK_STR(str(j, "sid"), "sess-1");
	CHECK(json_object_get(j, "scp") == NULL);
	CHECK_INT(json_integer_value(json_object_get(j, "auth_time")), 1799999000);
	CHECK_INT(json_integer_value(json_object_get(j, "exp")), 1800003600);
	json_t *amr = json_object_get(j, "amr");
	CHECK_INT(json_array_size(amr), 3);
	CHECK_STR(json_string_value(json_array_get(amr, 1)), "mfa");
	CHECK_STR(json_string_value(json_array_get(json_object_get(j, "roles"), 0)), roles[0]);
	json_decref(j);
	/* absent optional values are left out, amr "" is [] */
	c.nonce = NULL;
	c.email = "";
	c.amr = "";
	c.auth_time = 0;
	c.n_roles = 0;
	j = oidc_claims_json(&c);
	CHECK(json_object_get(j, "nonce") == NULL);
	CHECK(json_object_get(j, "email") == NULL);
	CHECK(json_object_get(j, "auth_time") == NULL);
	CHECK(json_object_get(j, "roles") == NULL);
	CHECK_INT(json_array_size(json_object_get(j, "amr")), 0);
	json_decref(j);
}

static void access_and_app_claims(void)
{
	struct oidc_claims c = user_claims(OIDC_TOKEN_ACCESS);
	c.aud = "https://id.test";
	json_t *j = oidc_claims_json(&c);
	CHECK_STR(str(j, "aud"), "https://id.test");
	CHECK_STR(str(j, "client_id"), "client-1");
	CHECK_STR(str(j, "scp"), "openid profile");
	CHECK_STR(str(j, "jti"), "jti-1");
	CHECK(json_object_get(j, "nonce") == NULL);     /* ID tokens only */
	CHECK(json_object_get(j, "name") == NULL);
	CHECK(json_object_get(j, "idtyp") == NULL);
	json_decref(j);
	static const char *const perms[] = {"User.Read.All", "Group.Read.All"};
	struct oidc_claims a = {
		.kind = OIDC_TOKEN_APP, .iss = "i", .aud = "https://id.test", .client_id = "app-1",
		.sub = "app-1", .tid = "t", .jti = "j", .iat = 1, .exp = 3601, .roles = perms,
		.n_roles = 2, .amr = "pwd", .upn = "nobody",
	};
	j = oidc_claims_json(&a);
	CHECK_STR(str(j, "idtyp"), "app");
	CHECK_STR(str(j, "sub"), "app-1");
	CHECK(json_object_get(j, "amr") == NULL);       /* no user, no authentication */
	CHECK(json_object_get(j, "upn") == NULL);
	CHECK_INT(json_array_size(json_object_get(j, "roles")), 2);
	json_decref(j);
}

static void discovery_document(void)
{
	json_t *d = oidc_discovery_json("https://id.test/contoso/v2.0", "https://id.test/contoso");
	CHECK_STR(str(d, "issuer"), "https://id.test/contoso/v2.0");
	CHECK_STR(str(d, "authorization_endpoint"), "https://id.test/contoso/oauth2/v2.0/authorize");
	CHECK_STR(str(d, "token_endpoint"), "https://id.test/contoso/oauth2/v2.0/token");
	CHECK_STR(str(d, "jwks_uri"), "https://id.test/contoso/discovery/v2.0/keys");
	CHECK_STR(str(d, "end_session_endpoint"), "https://id.test/contoso/oauth2/v2.0/logout");
	static const char *const required[] = {
		"userinfo_endpoint", "introspection_endpoint", "revocation_endpoint",
		"response_types_supported", "grant_types_supported", "subject_types_supported",
		"id_token_signing_alg_values_supported", "token_endpoint_auth_methods_supported",
		"code_challenge_methods_supported", "claims_supported", "scopes_supported",
		"acr_values_supported",
	};
	for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
		if (!json_object_get(d, required[i]))
			TG_T_FAIL("no %s", required[i]);
	json_t *rt = json_object_get(d, "response_types_supported");
	CHECK_INT(json_array_size(rt), 1);
	CHECK_STR(json_string_value(json_array_get(rt, 0)), "code");
	json_t *pk = json_object_get(d, "code_challenge_methods_supported");
	CHECK_INT(json_array_size(pk), 1);
	CHECK_STR(json_string_value(json_array_get(pk, 0)), "S256");
	CHECK(json_is_true(json_object_get(d, "authorization_response_iss_parameter_supported")));
	json_decref(d);
}

static void bodies(void)
{
	json_t *t = oidc_token_response_json("at", 3600, "openid", NULL, "rt");
	CHECK_STR(str(t, "token_type"), "Bearer");
	CHECK_INT(json_integer_value(json_object_get(t, "expires_in")), 3600);
	CHECK(json_object_get(t, "id_token") == NULL);
	CHECK_STR(str(t, "refresh_token"), "rt");
	json_decref(t);
	json_t *e = oidc_error_json("invalid_grant", NULL);
	CHECK_STR(str(e, "error"), "invalid_grant");
	CHECK(json_object_get(e, "error_description") == NULL);
	json_decref(e);
	struct oidc_claims c = user_claims(OIDC_TOKEN_ACCESS);
	json_t *claims = oidc_claims_json(&c);
	json_t *in = oidc_introspect_access_json(claims);
	CHECK(json_is_true(json_object_get(in, "active")));
	CHECK_STR(str(in, "scope"), "openid profile");
	CHECK_STR(str(in, "username"), "alice@contoso.test");
	CHECK_STR(str(in, "client_id"), "client-1");
	json_decref(in);
	json_decref(claims);
	json_t *off = oidc_introspect_inactive_json();
	CHECK(json_is_false(json_object_get(off, "active")));
	CHECK_INT(json_object_size(off), 1);
	json_decref(off);
	json_t *u = oidc_userinfo_json("user-1", "alice@contoso.test", "Alice", "a@x.test", "openid");
	CHECK_INT(json_object_size(u), 1);                 /* sub only without profile/email */
	json_decref(u);
	u = oidc_userinfo_json("user-1", "alice@contoso.test", "Alice", "a@x.test",
	                       "openid profile email");
	CHECK_STR(str(u, "name"), "Alice");
	CHECK_STR(str(u, "email"), "a@x.test");
	json_decref(u);
}

/* What a relying party does: sign with the ring, read the JWKS back,
 * verify with the expected issuer and audience. */
static void signed_round_trip(void)
{
	struct signkeys *ring = NULL;
	REQUIRE(signkeys_generate(1800000000, &ring) == TG_OK);
	struct oidc_claims c = user_claims(OIDC_TOKEN_ID);
	json_t *claims = oidc_claims_json(&c);
	char *token = NULL;
	CHECK_OK(jwt_sign(signkeys_current(ring, JWS_ALG_RS256), claims, &token, NULL));
	const struct sign_key *pub[TG_MAX_SIGN_KEYS];
	size_t n = signkeys_published(ring, 1800000000, pub, TG_MAX_SIGN_KEYS);
	json_t *jwks = NULL;
	CHECK_OK(jwt_jwks_build(pub, n, &jwks));
	struct sign_key *read[2] = {NULL, NULL};
	for (size_t i = 0; i < 2; i++)
		CHECK_OK(jwt_jwk_to_key(json_array_get(json_object_get(jwks, "keys"), i), &read[i], NULL));
	struct jwt_expect ex = {.iss = c.iss, .aud = "client-1", .now = 1800000100, .skew = 60};
	json_t *got = NULL;
	CHECK_OK(jwt_verify(token, strlen(token), (const struct sign_key *const *)read, 2, &ex, &got,
	                    NULL));
	CHECK_STR(str(got, "nonce"), "n-1");
	json_decref(got);
	ex.aud = "another-client";
	CHECK_INT(jwt_verify(token, strlen(token), (const struct sign_key *const *)read, 2, &ex, &got,
	                     NULL), TG_ERR_DENIED);
	ex.aud = "client-1";
	ex.now = 1800003600 + 61;
	CHECK_INT(jwt_verify(token, strlen(token), (const struct sign_key *const *)read, 2, &ex, &got,
	                     NULL), TG_ERR_EXPIRED);
	for (size_t i = 0; i < 2; i++)
		sign_key_free(read[i]);
	json_decref(jwks);
	free(token);
	json_decref(claims);
	signkeys_free(ring);
}

int main(void)
{
	TEST(id_token_claims);
	TEST(access_and_app_claims);
	TEST(discovery_document);
	TEST(bodies);
	TEST(signed_round_trip);
	return tg_test_done();
}
