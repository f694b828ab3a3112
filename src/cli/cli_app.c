/* SPDX-License-Identifier: MIT
 * `tollgate app …` (OpenID Connect apps: add, list, show, delete) and
 * `tollgate mfa revoke-sessions`. The tenant's built-in apps are created on
 * the way if they are missing (tenants made before apps existed, or by
 * `tenant create`). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/err.h"
#include "base/mem.h"
#include "base/str.h"
#include "cli/cli_int.h"
#include "crypto/keys.h"
#include "svc/svc_oidc.h"

/* ------------------------------------------------------------------ helpers */

/* A repeatable option ("--redirect-uri URI" given several times). */
struct multi_opt {
	const char *name;
	const char **v;       /* values, argc long */
	size_t n;
};

/* Take every occurrence of the options in m out of argv (before "--"),
 * "--opt VALUE" or "--opt=VALUE", so that cli_parse sees the rest.
 * 0, or EXIT_USAGE after printing a usage error. */
static int take_multi(struct cli *c, int *argc, char **argv, struct multi_opt *m, size_t nm)
{
	int w = 0;
	bool only_pos = false;
	for (int i = 0; i < *argc; i++) {
		char *a = argv[i];
		if (strcmp(a, "--") == 0)
			only_pos = true;
		struct multi_opt *hit = NULL;
		const char *val = NULL;
		for (size_t k = 0; !only_pos && k < nm; k++) {
			size_t nl = strlen(m[k].name);
			if (strncmp(a, m[k].name, nl) == 0 && (a[nl] == '\0' || a[nl] == '=')) {
				hit = &m[k];
				val = a[nl] == '=' ? a + nl + 1 : NULL;
			}
		}
		if (!hit) {
			argv[w++] = a;
			continue;
		}
		if (!val) {
			if (i + 1 >= *argc)
				return cli_usage_err(c, "option %s needs a value", hit->name);
			val = argv[++i];
		}
		hit->v[hit->n++] = val;
	}
	*argc = w;
	return 0;
}

static const char *grant_names[] = {"authorization_code", "refresh_token", "client_credentials"};

static json_t *app_json(const struct store_app *a)
{
	char created[TG_TIME_ISO_LEN];
	tg_time_iso(a->created, created);
	json_t *uris = json_array(), *grants = json_array(), *perms = json_array();
	for (size_t i = 0; i < a->n_redirect_uris; i++)
		json_array_append_new(uris, json_string(a->redirect_uris[i]));
	for (unsigned i = 0; i < TG_ARRAY_LEN(grant_names); i++)
		if (a->grant_types & (1u << i))
			json_array_append_new(grants, json_string(grant_names[i]));
	for (size_t i = 0; i < a->n_permissions; i++)
		json_array_append_new(perms, json_string(a->permissions[i]));
	return json_pack("{s:s,s:s,s:b,s:o,s:o,s:o,s:b,s:b,s:s,s:s}", "appId", a->id,
	                 "displayName", a->display_name, "publicClient", a->is_public,
	                 "redirectUris", uris, "grantTypes", grants,
	                 "applicationPermissions", perms, "privileged", a->privileged,
	                 "builtIn", a->builtin, "idTokenSignedResponseAlg", a->signing_alg,
	                 "createdDateTime", created);
}

static const char *app_kind(const struct store_app *a)
{
	return a->is_public ? "public" : "confidential";
}

/* Open the store for the tenant and make sure its built-in apps exist. */
static int open_apps(struct cli *c)
{
	int r = cli_open(c, true);
	if (r)
		return r;
	if (svc_app_ensure_builtin(&c->sv, &c->tenant, NULL))
		return cli_svc_err(c);
	return EXIT_OK;
}

static void print_list(const char *label, const char (*v)[TG_MAX_REDIRECT_URI + 1], size_t n)
{
	printf("%-20s", label);
	if (n == 0)
		printf("-\n");
	for (size_t i = 0; i < n; i++)
		printf("%s%s\n", i ? "                    " : "", v[i]);
}

/* -------------------------------------------------------------------- app */

int cli_app_add(struct cli *c, int argc, char **argv)
{
	const char **vals = xcalloc((size_t)argc * 3 + 3, sizeof *vals);
	struct multi_opt m[] = {
		{"--redirect-uri", vals, 0},
		{"--permission", vals + argc + 1, 0},
		{"--grant", vals + 2 * (argc + 1), 0},
	};
	bool is_public = false;
	const char *alg = NULL;
	struct keys *k = NULL;
	struct store_app *a = NULL;
	char secret[SVC_TOKEN_SIZE] = "";
	int status = take_multi(c, &argc, argv, m, TG_ARRAY_LEN(m));
	if (status)
		goto out;
	struct cli_opt opts[] = {{"--public", OPT_FLAG, &is_public},
	                         {"--signing-alg", OPT_STR, &alg}, {0}};
	char *pos[8];
	int np = 0;
	status = cli_parse(c, argc, argv, opts, pos, 1, 1, &np);
	if (status) {
		status = status < 0 ? EXIT_OK : status;
		goto out;
	}
	unsigned grants = 0;
	for (size_t i = 0; i < m[2].n; i++) {
		unsigned bit = 0;
		for (unsigned g = 0; g < TG_ARRAY_LEN(grant_names); g++)
			if (strcmp(m[2].v[i], grant_names[g]) == 0)
				bit = 1u << g;
		if (!bit) {
			status = cli_usage_err(c, "unknown grant type \"%s\" (authorization_code, "
			                       "refresh_token or client_credentials)", m[2].v[i]);
			goto out;
		}
		grants |= bit;
	}
	/* redirect URIs mean users sign in to the app: the code flow */
	if (grants && m[0].n)
		grants |= STORE_GRANT_AUTHORIZATION_CODE | STORE_GRANT_REFRESH_TOKEN;
	if ((status = open_apps(c)))
		goto out;
	struct svc_app_input in = {
		.display_name = pos[0], .is_public = is_public,
		.redirect_uris = m[0].v, .n_redirect_uris = m[0].n, .grant_types = grants,
		.permissions = m[1].v, .n_permissions = m[1].n, .signing_alg = alg,
	};
	if (!is_public) {
		int r = keys_load(c->cfg.key_path, &k);
		if (r) {
			status = cli_err("cannot load the master key %s: %s", c->cfg.key_path,
			                 tg_strerror(r));
			goto out;
		}
	}
	struct svc_oidc o;
	svc_oidc_init(&o, &c->sv, k, &c->cfg);
	a = xmalloc(sizeof *a);
	if (svc_app_create(&o, &c->tenant, &in, a, secret)) {
		status = cli_svc_err(c);
		goto out;
	}
	if (c->json) {
		json_t *j = app_json(a);
		if (!is_public)
			json_object_set_new(j, "clientSecret", json_string(secret));
		status = cli_print_json(j);
		goto out;
	}
	printf("created app \"%s\"\n  client id:      %s\n  type:           %s\n", a->display_name,
	       a->id, is_public ? "public (PKCE required)" : "confidential");
	if (!is_public)
		printf("  client secret:  %s\n"
		       "The client secret is shown only now: store it in the app's configuration.\n",
		       secret);
	status = EXIT_OK;
out:
	tg_wipe(secret, sizeof secret);
	keys_free(k);
	free(a);
	free(vals);
	return status;
}

static int list_row(const struct store_app *a, void *arg)
{
	json_t *arr = arg;
	if (arr) {
		json_array_append_new(arr, app_json(a));
		return 0;
	}
	printf("%-36s  %-12s  %s%s%s\n", a->id, app_kind(a), a->display_name,
	       a->builtin ? " (built-in)" : "", a->privileged ? " [privileged]" : "");
	return 0;
}

int cli_app_list(struct cli *c, int argc, char **argv)
{
	CLI_PARSE(NULL, 0, 0);
	int r = open_apps(c);
	if (r)
		return r;
	json_t *arr = c->json ? json_array() : NULL;
	if (!c->json)
		printf("%-36s  %-12s  %s\n", "APP ID", "TYPE", "NAME");
	if (svc_app_list(&c->sv, &c->tenant, list_row, arr)) {
		json_decref(arr);
		return cli_svc_err(c);
	}
	return arr ? cli_print_json(arr) : EXIT_OK;
}

int cli_app_show(struct cli *c, int argc, char **argv)
{
	CLI_PARSE(NULL, 1, 1);
	int r = open_apps(c);
	if (r)
		return r;
	struct store_app *a = xmalloc(sizeof *a);
	if (svc_app_get(&c->sv, &c->tenant, pos[0], a)) {
		free(a);
		return cli_svc_err(c);
	}
	if (c->json) {
		r = cli_print_json(app_json(a));
		free(a);
		return r;
	}
	char created[TG_TIME_ISO_LEN];
	tg_time_iso(a->created, created);
	printf("%-20s%s\n%-20s%s\n%-20s%s%s\n", "displayName", a->display_name, "appId", a->id,
	       "type", app_kind(a), a->is_public ? " (PKCE required)" : " (client secret)");
	printf("%-20s", "grantTypes");
	bool any = false;
	for (unsigned i = 0; i < TG_ARRAY_LEN(grant_names); i++)
		if (a->grant_types & (1u << i)) {
			printf("%s%s", any ? ", " : "", grant_names[i]);
			any = true;
		}
	printf("\n");
	print_list("redirectUris", a->redirect_uris, a->n_redirect_uris);
	printf("%-20s", "permissions");
	for (size_t i = 0; i < a->n_permissions; i++)
		printf("%s%s", i ? ", " : "", a->permissions[i]);
	printf("%s\n", a->n_permissions ? "" : "-");
	printf("%-20s%s\n%-20s%s\n%-20s%s\n%-20s%s\n", "privileged", a->privileged ? "yes" : "no",
	       "builtIn", a->builtin ? "yes" : "no", "signingAlg", a->signing_alg, "created",
	       created);
	free(a);
	return EXIT_OK;
}

int cli_app_delete(struct cli *c, int argc, char **argv)
{
	CLI_PARSE(NULL, 1, 1);
	int r = open_apps(c);
	if (r)
		return r;
	if (svc_app_delete(&c->sv, &c->tenant, pos[0]))
		return cli_svc_err(c);
	if (c->json)
		return cli_print_json(json_pack("{s:s,s:b}", "appId", pos[0], "deleted", 1));
	printf("deleted app %s\n", pos[0]);
	return EXIT_OK;
}

/* -------------------------------------------------------------------- mfa */

int cli_mfa_revoke_sessions(struct cli *c, int argc, char **argv)
{
	CLI_PARSE(NULL, 1, 1);
	int r = cli_open(c, true);
	if (r)
		return r;
	struct svc_revoke_report rep;
	if (svc_session_revoke_user(&c->sv, &c->tenant, pos[0], &rep))
		return cli_svc_err(c);
	if (c->json)
		return cli_print_json(json_pack("{s:s,s:I,s:I,s:I}", "userPrincipalName", pos[0],
		                                "sessions", (json_int_t)rep.sessions,
		                                "rememberedDevices", (json_int_t)rep.devices,
		                                "refreshTokenFamilies", (json_int_t)rep.families));
	printf("revoked for %s: %lld session%s, %lld remembered device%s, %lld refresh-token "
	       "famil%s\n", pos[0], (long long)rep.sessions, rep.sessions == 1 ? "" : "s",
	       (long long)rep.devices, rep.devices == 1 ? "" : "s", (long long)rep.families,
	       rep.families == 1 ? "y" : "ies");
	return EXIT_OK;
}
