/* SPDX-License-Identifier: MIT
 * OpenID Connect apps (clients): registration with validated redirect URIs
 * and a client secret shown once, the built-in apps of every tenant, and
 * client authentication at the token endpoint (see svc_oidc.h).
 *
 * Client secrets are 256-bit random values, so a keyed digest
 * (keys_pepper_digest) protects them as well as Argon2id would and costs a
 * microsecond instead of tens of milliseconds per token request: a slow
 * hash only matters for guessable secrets such as passwords. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include "base/err.h"
#include "base/mem.h"
#include "base/str.h"
#include "core/redirect_uri.h"
#include "core/uuid.h"
#include "crypto/rng.h"
#include "svc/svc_int.h"
#include "svc/svc_oidc.h"
#include "svc/svc_oidc_int.h"

/* The built-in apps: the same well-known client id in every tenant. */
static const struct builtin_app {
	const char *id;
	const char *name;
	bool privileged;
	const char *page;    /* its page under the server's own tenant URL */
} builtin_apps[] = {
	{SVC_APP_ADMIN_PORTAL, "Tollgate admin portal", true, "/admin/"},
	{SVC_APP_MY_SIGNINS, "My sign-ins", false, "/my/"},
};

/* ------------------------------------------------------------- validation */

static const char *grant_name(unsigned g)
{
	switch (g) {
	case STORE_GRANT_AUTHORIZATION_CODE: return "authorization_code";
	case STORE_GRANT_REFRESH_TOKEN: return "refresh_token";
	case STORE_GRANT_CLIENT_CREDENTIALS: return "client_credentials";
	default: return "";
	}
}

/* "Resource.Action[.Scope…]": ASCII letters and digits in at least two
 * dot-separated parts, each starting with a letter (Graph's names). */
static bool permission_ok(const char *p)
{
	size_t n = strlen(p), parts = 0;
	if (n == 0 || n > TG_MAX_APP_PERMISSION)
		return false;
	bool start = true;
	for (size_t i = 0; i < n; i++) {
		char c = p[i];
		bool alpha = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
		bool digit = c >= '0' && c <= '9';
		if (start) {
			if (!alpha)
				return false;
			parts++;
			start = false;
		} else if (c == '.') {
			start = true;
		} else if (!alpha && !digit) {
			return false;
		}
	}
	return !start && parts >= 2;
}

static int check_redirect_uris(struct svc *sv, const char *const *uris, size_t n,
                               struct store_app *a)
{
	if (n > TG_MAX_APP_REDIRECT_URIS)
		return svc_fail(sv, TG_ERR_INVALID, "an app may have at most %d redirect URIs",
		                TG_MAX_APP_REDIRECT_URIS);
	for (size_t i = 0; i < n; i++) {
		const char *why = NULL;
		if (!uris[i] || redirect_uri_check(uris[i], &why))
			return svc_fail(sv, TG_ERR_INVALID, "invalid redirect URI \"%.300s\": %s",
			                uris[i] ? uris[i] : "", why ? why : "missing");
		for (size_t j = 0; j < i; j++)
			if (strcmp(uris[i], uris[j]) == 0)
				return svc_fail(sv, TG_ERR_INVALID, "redirect URI \"%s\" is given twice",
				                uris[i]);
		tg_strlcpy(a->redirect_uris[i], uris[i], sizeof a->redirect_uris[i]);
	}
	a->n_redirect_uris = n;
	return TG_OK;
}

/* Validate in and fill the app's fields (no id, no secret). */
static int app_build(struct svc *sv, const struct tg_tenant *t, const struct svc_app_input *in,
                     struct store_app *a)
{
	int r;
	memset(a, 0, sizeof *a);
	if (!in->display_name || !*in->display_name)
		return svc_fail(sv, TG_ERR_INVALID, "an app needs a display name");
	if ((r = svc_check_text(sv, "the app's display name", in->display_name, TG_MAX_DISPLAY_NAME)))
		return r;
	unsigned g = in->grant_types ? in->grant_types
	                             : STORE_GRANT_AUTHORIZATION_CODE | STORE_GRANT_REFRESH_TOKEN;
	if (g & ~STORE_GRANT_ALL)
		return svc_fail(sv, TG_ERR_INVALID, "unknown grant type");
	if ((g & STORE_GRANT_REFRESH_TOKEN) && !(g & STORE_GRANT_AUTHORIZATION_CODE))
		return svc_fail(sv, TG_ERR_INVALID,
		                "the refresh_token grant needs the authorization_code grant");
	if ((g & STORE_GRANT_CLIENT_CREDENTIALS) && in->is_public)
		return svc_fail(sv, TG_ERR_INVALID, "a public client cannot use the client_credentials "
		                "grant (it has no secret); register a confidential app");
	if ((r = check_redirect_uris(sv, in->redirect_uris, in->n_redirect_uris, a)))
		return r;
	if ((g & STORE_GRANT_AUTHORIZATION_CODE) && a->n_redirect_uris == 0)
		return svc_fail(sv, TG_ERR_INVALID, "an app that signs users in (authorization_code) "
		                "needs at least one redirect URI");
	if (in->n_permissions && !(g & STORE_GRANT_CLIENT_CREDENTIALS))
		return svc_fail(sv, TG_ERR_INVALID, "application permissions are for app-only tokens: "
		                "they need the client_credentials grant");
	if (in->n_permissions > TG_MAX_APP_PERMISSIONS)
		return svc_fail(sv, TG_ERR_INVALID, "an app may have at most %d permissions",
		                TG_MAX_APP_PERMISSIONS);
	for (size_t i = 0; i < in->n_permissions; i++) {
		const char *p = in->permissions[i];
		if (!p || !permission_ok(p))
			return svc_fail(sv, TG_ERR_INVALID, "invalid permission \"%.100s\": expected a name "
			                "like User.ReadWrite.All (letters and digits in dot-separated parts)",
			                p ? p : "");
		for (size_t j = 0; j < i; j++)
			if (tg_streq_ci(p, in->permissions[j]))
				return svc_fail(sv, TG_ERR_INVALID, "permission \"%s\" is given twice", p);
		tg_strlcpy(a->permissions[i], p, sizeof a->permissions[i]);
	}
	a->n_permissions = in->n_permissions;
	const char *alg = in->signing_alg ? in->signing_alg : "ES256";
	if (strcmp(alg, "ES256") != 0 && strcmp(alg, "RS256") != 0)
		return svc_fail(sv, TG_ERR_INVALID, "the token signing algorithm must be ES256 or RS256");
	tg_strlcpy(a->signing_alg, alg, sizeof a->signing_alg);
	tg_strlcpy(a->tenant_id, t->id, sizeof a->tenant_id);
	tg_strlcpy(a->display_name, in->display_name, sizeof a->display_name);
	a->is_public = in->is_public;
	a->grant_types = g;
	a->created = svc_now(sv);
	return TG_OK;
}

/* The audit text of an app (never the secret digest); caller frees. */
static char *app_audit_json(const struct store_app *a)
{
	json_t *uris = json_array(), *grants = json_array(), *perms = json_array();
	for (size_t i = 0; i < a->n_redirect_uris; i++)
		json_array_append_new(uris, json_string(a->redirect_uris[i]));
	for (unsigned g = 1; g & STORE_GRANT_ALL; g <<= 1)
		if (a->grant_types & g)
			json_array_append_new(grants, json_string(grant_name(g)));
	for (size_t i = 0; i < a->n_permissions; i++)
		json_array_append_new(perms, json_string(a->permissions[i]));
	json_t *o = json_pack("{s:s,s:s,s:b,s:o,s:o,s:o,s:b,s:s}", "appId", a->id,
	                      "displayName", a->display_name, "publicClient", a->is_public,
	                      "redirectUris", uris, "grantTypes", grants,
	                      "applicationPermissions", perms, "builtIn", a->builtin,
	                      "idTokenSignedResponseAlg", a->signing_alg);
	char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	return s ? s : xstrdup("{}");
}

/* ------------------------------------------------------------------- apps */

int svc_app_create(struct svc_oidc *o, const struct tg_tenant *t, const struct svc_app_input *in,
                   struct store_app *out, char secret_out[SVC_TOKEN_SIZE])
{
	o->sv->err[0] = '\0';
	struct svc *sv = o->sv;
	struct store_app *a = xmalloc(sizeof *a);
	char secret[SVC_TOKEN_SIZE] = "";
	char *audit = NULL;
	int r = app_build(sv, t, in, a);
	if (r)
		goto out;
	if ((r = rng_uuid(a->id))) {
		svc_fail(sv, r, "no randomness available");
		goto out;
	}
	if (!a->is_public &&
	    (r = svc_oidc_token_new(o, SVC_CTX_CLIENT_SECRET, NULL, secret, &a->secret)))
		goto out;
	if ((r = store_tx_begin(sv->store))) {
		svc_store_fail(sv, r, "registering the app");
		goto out;
	}
	r = store_app_insert(sv->store, a);
	if (r)
		svc_store_fail(sv, r, "registering the app");
	if (!r) {
		audit = app_audit_json(a);
		r = svc_audit(sv, t->id, "app.create", a->display_name, "", audit);
	}
	if ((r = svc_oidc_end_tx(sv, r, "registering the app")))
		goto out;
	memcpy(secret_out, secret, SVC_TOKEN_SIZE);
	if (out)
		*out = *a;
out:
	tg_wipe(secret, sizeof secret);
	free(audit);
	free(a);
	return r;
}

int svc_app_get(struct svc *sv, const struct tg_tenant *t, const char *client_id,
                struct store_app *out)
{
	if (!client_id || !uuid_is_valid(client_id))
		return svc_fail(sv, TG_ERR_INVALID, "\"%.64s\" is not an app id (a client id is a UUID)",
		                client_id ? client_id : "");
	char id[TG_ID_BUF];
	tg_strlcpy(id, client_id, sizeof id);
	tg_ascii_lower(id);
	int r = store_app_get(sv->store, t->id, id, out);
	if (r == TG_ERR_NOT_FOUND)
		return svc_fail(sv, r, "no app with id %s in tenant %s", id, t->name);
	if (r)
		return svc_store_fail(sv, r, "reading the app");
	return TG_OK;
}

int svc_app_list(struct svc *sv, const struct tg_tenant *t, store_app_cb cb, void *arg)
{
	sv->err[0] = '\0';
	int r = store_app_list(sv->store, t->id, cb, arg);
	if (r < 0 && !sv->err[0])
		svc_store_fail(sv, r, "listing apps");
	return r;
}

int svc_app_delete(struct svc *sv, const struct tg_tenant *t, const char *client_id)
{
	sv->err[0] = '\0';
	struct store_app *a = xmalloc(sizeof *a);
	int r = store_tx_begin(sv->store);
	if (r) {
		free(a);
		return svc_store_fail(sv, r, "deleting the app");
	}
	if ((r = svc_app_get(sv, t, client_id, a)))
		goto out;
	if (a->builtin) {
		r = svc_fail(sv, TG_ERR_FORBIDDEN, "\"%s\" is a built-in app and cannot be deleted",
		             a->display_name);
		goto out;
	}
	if ((r = store_app_delete(sv->store, t->id, a->id))) {
		svc_store_fail(sv, r, "deleting the app");
		goto out;
	}
	char before[200];
	snprintf(before, sizeof before, "{\"appId\":\"%s\"}", a->id);
	r = svc_audit(sv, t->id, "app.delete", a->display_name, before, "");
out:
	r = svc_oidc_end_tx(sv, r, "deleting the app");
	free(a);
	return r;
}

int svc_app_set_redirect_uris(struct svc *sv, const struct tg_tenant *t, const char *client_id,
                              const char *const *uris, size_t n)
{
	sv->err[0] = '\0';
	struct store_app *a = xmalloc(sizeof *a), *b = xmalloc(sizeof *b);
	char *before = NULL, *after = NULL;
	int r = store_tx_begin(sv->store);
	if (r) {
		svc_store_fail(sv, r, "changing redirect URIs");
		goto done;
	}
	if ((r = svc_app_get(sv, t, client_id, a)))
		goto out;
	*b = *a;
	memset(b->redirect_uris, 0, sizeof b->redirect_uris);
	if ((r = check_redirect_uris(sv, uris, n, b)))
		goto out;
	if ((b->grant_types & STORE_GRANT_AUTHORIZATION_CODE) && n == 0 && !b->builtin) {
		r = svc_fail(sv, TG_ERR_INVALID, "an app that signs users in needs at least one "
		             "redirect URI");
		goto out;
	}
	before = app_audit_json(a);
	after = app_audit_json(b);
	if (strcmp(before, after) == 0)
		goto out; /* unchanged: nothing to write or audit */
	if ((r = store_app_update(sv->store, b))) {
		svc_store_fail(sv, r, "changing redirect URIs");
		goto out;
	}
	r = svc_audit(sv, t->id, "app.redirect_uris", a->display_name, before, after);
out:
	r = svc_oidc_end_tx(sv, r, "changing redirect URIs");
done:
	free(before);
	free(after);
	free(a);
	free(b);
	return r;
}

int svc_app_ensure_builtin(struct svc *sv, const struct tg_tenant *t, int *created_out)
{
	sv->err[0] = '\0';
	struct store_app *a = xmalloc(sizeof *a);
	int created = 0;
	char *audit = NULL;
	int r = store_tx_begin(sv->store);
	if (r) {
		free(a);
		return svc_store_fail(sv, r, "creating the built-in apps");
	}
	for (size_t i = 0; !r && i < TG_ARRAY_LEN(builtin_apps); i++) {
		const struct builtin_app *b = &builtin_apps[i];
		r = store_app_get(sv->store, t->id, b->id, a);
		if (r != TG_ERR_NOT_FOUND)
			continue;
		memset(a, 0, sizeof *a);
		tg_strlcpy(a->tenant_id, t->id, sizeof a->tenant_id);
		tg_strlcpy(a->id, b->id, sizeof a->id);
		tg_strlcpy(a->display_name, b->name, sizeof a->display_name);
		tg_strlcpy(a->signing_alg, "ES256", sizeof a->signing_alg);
		a->is_public = true;
		a->grant_types = STORE_GRANT_AUTHORIZATION_CODE | STORE_GRANT_REFRESH_TOKEN;
		a->privileged = b->privileged;
		a->builtin = true;
		a->created = svc_now(sv);
		if ((r = store_app_insert(sv->store, a)))
			break;
		audit = app_audit_json(a);
		r = svc_audit(sv, t->id, "app.create", a->display_name, "", audit);
		safefree(audit);
		created++;
	}
	if (r && !sv->err[0])
		svc_store_fail(sv, r, "creating the built-in apps");
	r = svc_oidc_end_tx(sv, r, "creating the built-in apps");
	free(a);
	if (!r && created_out)
		*created_out = created;
	return r;
}

struct tenant_ids {
	size_t n, cap;
	struct tg_tenant *v;
};

static int collect_tenant(const struct tg_tenant *t, void *arg)
{
	struct tenant_ids *ids = arg;
	if (ids->n == ids->cap) {
		ids->cap = ids->cap ? ids->cap * 2 : 8;
		ids->v = xrealloc(ids->v, ids->cap * sizeof *ids->v);
	}
	ids->v[ids->n++] = *t;
	return 0;
}

int svc_app_ensure_builtin_all(struct svc *sv, int *created_out)
{
	struct tenant_ids ids = {0, 0, NULL};
	int total = 0;
	int r = store_tenant_list(sv->store, collect_tenant, &ids);
	if (r)
		svc_store_fail(sv, r, "listing tenants");
	for (size_t i = 0; !r && i < ids.n; i++) {
		int n = 0;
		r = svc_app_ensure_builtin(sv, &ids.v[i], &n);
		total += n;
	}
	free(ids.v);
	if (!r && created_out)
		*created_out = total;
	return r;
}

bool svc_app_has_redirect_uri(const struct store_app *a, const char *uri, const char *self_url)
{
	if (!uri)
		return false;
	for (size_t i = 0; i < a->n_redirect_uris; i++)
		if (strcmp(a->redirect_uris[i], uri) == 0)
			return true;
	if (!a->builtin || !self_url || !*self_url)
		return false;
	/* a built-in app's own page on this server, compared exactly */
	size_t n = strlen(self_url);
	for (size_t i = 0; i < sizeof builtin_apps / sizeof builtin_apps[0]; i++)
		if (strcmp(a->id, builtin_apps[i].id) == 0)
			return strncmp(uri, self_url, n) == 0 && strcmp(uri + n, builtin_apps[i].page) == 0;
	return false;
}

bool svc_app_allows_grant(const struct store_app *a, unsigned grant)
{
	return grant && (a->grant_types & grant) == grant;
}

/* ------------------------------------------------- client authentication */

int svc_client_authenticate(struct svc_oidc *o, const struct tg_tenant *t,
                            const struct client_cred *cred, struct store_app *out)
{
	struct svc *sv = o->sv;
	if (!cred || !uuid_is_valid(cred->client_id))
		return svc_fail(sv, TG_ERR_DENIED, "unknown client");
	struct store_app *a = xmalloc(sizeof *a);
	char id[TG_ID_BUF];
	tg_strlcpy(id, cred->client_id, sizeof id);
	tg_ascii_lower(id);
	int r = store_app_get(sv->store, t->id, id, a);
	if (r == TG_ERR_NOT_FOUND) {
		r = svc_fail(sv, TG_ERR_DENIED, "unknown client");
		goto out;
	}
	if (r) {
		svc_store_fail(sv, r, "reading the client");
		goto out;
	}
	if (a->is_public) {
		if (cred->method != CLIENT_AUTH_NONE)
			r = svc_fail(sv, TG_ERR_DENIED, "a public client has no secret to present");
		goto out;
	}
	if (cred->method == CLIENT_AUTH_NONE) {
		r = svc_fail(sv, TG_ERR_DENIED, "client authentication required "
		             "(client_secret_basic or client_secret_post)");
		goto out;
	}
	/* the presented secret is NUL-terminated within its buffer */
	if (strlen(cred->secret) != cred->secret_len ||
	    svc_oidc_token_verify(o, SVC_CTX_CLIENT_SECRET, NULL, cred->secret, &a->secret))
		r = svc_fail(sv, TG_ERR_DENIED, "wrong client secret");
out:
	if (!r && out)
		*out = *a;
	free(a);
	return r;
}
