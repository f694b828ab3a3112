/* SPDX-License-Identifier: MIT
 * OpenID Connect JSON (see oidc_json.h): claims, discovery, token,
 * introspection, userinfo and error bodies. */
#include <string.h>
#include <stdlib.h>
#include "base/mem.h"
#include "core/oidc.h"
#include "json/oidc_json.h"

static bool has(const char *s)
{
	return s && s[0];
}

/* Set key to string s when present. */
static void set_str(json_t *o, const char *key, const char *s)
{
	if (has(s))
		json_object_set_new(o, key, json_string(s));
}

/* A space-separated list as a JSON array of strings. */
static json_t *words_array(const char *list)
{
	json_t *a = json_array();
	for (const char *p = list ? list : ""; *p; ) {
		while (*p == ' ')
			p++;
		size_t n = strcspn(p, " ");
		if (n)
			json_array_append_new(a, json_stringn(p, n));
		p += n;
	}
	return a;
}

static json_t *strings_array(const char *const *v, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

json_t *oidc_claims_json(const struct oidc_claims *c)
{
	json_t *o = json_object();
	bool user = c->kind != OIDC_TOKEN_APP;
	set_str(o, "iss", c->iss);
	set_str(o, "sub", c->sub);
	set_str(o, "aud", c->aud);
	json_object_set_new(o, "exp", json_integer(c->exp));
	json_object_set_new(o, "iat", json_integer(c->iat));
	json_object_set_new(o, "nbf", json_integer(c->iat));
	set_str(o, "jti", c->jti);
	set_str(o, "tid", c->tid);
	/* Entra's object id claim: the user's, or for app-only tokens the
	 * app's (its client id: Tollgate has no separate service principal) */
	set_str(o, "oid", c->sub);
	set_str(o, c->kind == OIDC_TOKEN_ID ? "azp" : "client_id", c->client_id);
	json_object_set_new(o, "ver", json_string("2.0"));
	if (user) {
		if (c->auth_time > 0)
			json_object_set_new(o, "auth_time", json_integer(c->auth_time));
		json_object_set_new(o, "amr", words_array(c->amr));
		set_str(o, "acr", c->acr);
		set_str(o, "upn", c->upn);
		set_str(o, "preferred_username", c->upn);
		set_str(o, "sid", c->sid);
	} else {
		json_object_set_new(o, "idtyp", json_string("app"));
	}
	if (c->kind == OIDC_TOKEN_ID) {
		set_str(o, "nonce", c->nonce);
		set_str(o, "name", c->name);
		set_str(o, "email", c->email);
	}
	if (c->kind == OIDC_TOKEN_ACCESS)
		set_str(o, "scp", c->scope);
	if (c->n_roles)
		json_object_set_new(o, "roles", strings_array(c->roles, c->n_roles));
	return o;
}

json_t *oidc_discovery_json(const char *issuer, const char *tenant_url)
{
	static const char *const auth_methods[] = {"client_secret_basic", "client_secret_post", "none"};
	static const char *const claims[] = {
		"iss", "sub", "aud", "exp", "iat", "nbf", "auth_time", "nonce", "amr", "acr",
		"azp", "sid", "tid", "oid", "upn", "preferred_username", "name", "email",
		"roles", "ver",
	};
	static const char *const algs[] = {"ES256", "RS256"};
	static const char *const grants[] = {"authorization_code", "refresh_token",
	                                     "client_credentials"};
	static const char *const prompts[] = {"none", "login", "consent", "select_account"};
	json_t *o = json_object();
	json_object_set_new(o, "issuer", json_string(issuer));
	static const struct {
		const char *key, *path;
	} endpoints[] = {
		{"authorization_endpoint", "/oauth2/v2.0/authorize"},
		{"token_endpoint", "/oauth2/v2.0/token"},
		{"userinfo_endpoint", "/oauth2/v2.0/userinfo"},
		{"jwks_uri", "/discovery/v2.0/keys"},
		{"introspection_endpoint", "/oauth2/v2.0/introspect"},
		{"revocation_endpoint", "/oauth2/v2.0/revoke"},
		{"end_session_endpoint", "/oauth2/v2.0/logout"},
	};
	for (size_t i = 0; i < sizeof endpoints / sizeof endpoints[0]; i++) {
		char *url = xasprintf("%s%s", tenant_url, endpoints[i].path);
		json_object_set_new(o, endpoints[i].key, json_string(url));
		free(url);
	}
	json_object_set_new(o, "response_types_supported", words_array("code"));
	json_object_set_new(o, "response_modes_supported", words_array("query"));
	json_object_set_new(o, "grant_types_supported", strings_array(grants, 3));
	json_object_set_new(o, "subject_types_supported", words_array("public"));
	json_object_set_new(o, "id_token_signing_alg_values_supported", strings_array(algs, 2));
	json_object_set_new(o, "token_endpoint_auth_methods_supported",
	                    strings_array(auth_methods, 3));
	json_object_set_new(o, "introspection_endpoint_auth_methods_supported",
	                    strings_array(auth_methods, 2));
	json_object_set_new(o, "revocation_endpoint_auth_methods_supported",
	                    strings_array(auth_methods, 3));
	json_object_set_new(o, "code_challenge_methods_supported", words_array("S256"));
	json_object_set_new(o, "scopes_supported", words_array(OIDC_SCOPES_SUPPORTED));
	json_object_set_new(o, "claims_supported",
	                    strings_array(claims, sizeof claims / sizeof claims[0]));
	json_object_set_new(o, "acr_values_supported", words_array(OIDC_ACR_PWD " " OIDC_ACR_MFA));
	json_object_set_new(o, "prompt_values_supported", strings_array(prompts, 4));
	json_object_set_new(o, "claims_parameter_supported", json_false());
	json_object_set_new(o, "request_parameter_supported", json_false());
	json_object_set_new(o, "request_uri_parameter_supported", json_false());
	json_object_set_new(o, "authorization_response_iss_parameter_supported", json_true());
	return o;
}

json_t *oidc_token_response_json(const char *access_token, int64_t expires_in,
                                 const char *scope, const char *id_token,
                                 const char *refresh_token)
{
	json_t *o = json_object();
	json_object_set_new(o, "access_token", json_string(access_token));
	json_object_set_new(o, "token_type", json_string("Bearer"));
	json_object_set_new(o, "expires_in", json_integer(expires_in));
	set_str(o, "scope", scope);
	set_str(o, "id_token", id_token);
	set_str(o, "refresh_token", refresh_token);
	return o;
}

json_t *oidc_error_json(const char *error, const char *description)
{
	json_t *o = json_object();
	json_object_set_new(o, "error", json_string(error));
	set_str(o, "error_description", description);
	return o;
}

json_t *oidc_introspect_access_json(const json_t *claims)
{
	json_t *o = json_object();
	json_object_set_new(o, "active", json_true());
	json_object_set_new(o, "token_type", json_string("Bearer"));
	static const char *const copy[] = {"exp", "iat", "nbf", "sub", "aud", "iss", "jti", "tid",
	                                   "client_id", "amr", "acr", "auth_time", "roles"};
	for (size_t i = 0; i < sizeof copy / sizeof copy[0]; i++) {
		json_t *v = json_object_get(claims, copy[i]);
		if (v)
			json_object_set(o, copy[i], v);
	}
	json_t *scp = json_object_get(claims, "scp");
	if (json_is_string(scp))
		json_object_set(o, "scope", scp);
	json_t *upn = json_object_get(claims, "upn");
	if (json_is_string(upn))
		json_object_set(o, "username", upn);
	return o;
}

json_t *oidc_introspect_refresh_json(const char *iss, const char *client_id, const char *sub,
                                     const char *scope, int64_t iat, int64_t exp)
{
	json_t *o = json_object();
	json_object_set_new(o, "active", json_true());
	json_object_set_new(o, "token_type", json_string("refresh_token"));
	set_str(o, "iss", iss);
	set_str(o, "client_id", client_id);
	set_str(o, "sub", sub);
	set_str(o, "scope", scope);
	json_object_set_new(o, "iat", json_integer(iat));
	json_object_set_new(o, "exp", json_integer(exp));
	return o;
}

json_t *oidc_introspect_inactive_json(void)
{
	json_t *o = json_object();
	json_object_set_new(o, "active", json_false());
	return o;
}

json_t *oidc_userinfo_json(const char *sub, const char *upn, const char *name,
                           const char *email, const char *scope)
{
	json_t *o = json_object();
	set_str(o, "sub", sub);
	if (oidc_scope_has(scope, "profile")) {
		set_str(o, "name", name);
		set_str(o, "preferred_username", upn);
		set_str(o, "upn", upn);
	}
	if (oidc_scope_has(scope, "email"))
		set_str(o, "email", email);
	return o;
}
