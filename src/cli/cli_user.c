/* SPDX-License-Identifier: MIT
 * `tollgate tenant …` and `tollgate user …`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/err.h"
#include "base/mem.h"
#include "base/str.h"
#include "cli/cli_int.h"
#include "core/roles.h"
#include "store/store.h"

/* ------------------------------------------------------------------ tenant */

static json_t *tenant_json(const struct tg_tenant *t)
{
	char ts[TG_TIME_ISO_LEN];
	tg_time_iso(t->created, ts);
	return json_pack("{s:s,s:s,s:s,s:s,s:s}", "id", t->id, "name", t->name, "domain", t->domain,
	                 "displayName", t->display_name, "createdDateTime", ts);
}

int cli_tenant_create(struct cli *c, int argc, char **argv)
{
	const char *domain = NULL, *display = NULL;
	struct cli_opt opts[] = {{"--domain", OPT_STR, &domain}, {"--display-name", OPT_STR, &display}, {0}};
	CLI_PARSE(opts, 1, 1);
	int r = cli_open(c, false);
	if (r)
		return r;
	struct tg_tenant t;
	if (svc_tenant_create(&c->sv, pos[0], domain, display, &t))
		return cli_svc_err(c);
	if (c->json)
		return cli_print_json(tenant_json(&t));
	printf("created tenant %s (%s), domain %s\n", t.name, t.id, t.domain);
	return EXIT_OK;
}

static int tenant_row(const struct tg_tenant *t, void *arg)
{
	json_t *arr = arg;
	if (arr)
		json_array_append_new(arr, tenant_json(t));
	else
		printf("%-24s %-36s %s\n", t->name, t->id, t->domain);
	return 0;
}

int cli_tenant_list(struct cli *c, int argc, char **argv)
{
	CLI_PARSE(NULL, 0, 0);
	int r = cli_open(c, false);
	if (r)
		return r;
	json_t *arr = c->json ? json_array() : NULL;
	if (!c->json)
		printf("%-24s %-36s %s\n", "NAME", "ID", "DOMAIN");
	if ((r = store_tenant_list(c->store, tenant_row, arr))) {
		json_decref(arr);
		return cli_err("cannot list tenants: %s", tg_strerror(r));
	}
	return arr ? cli_print_json(arr) : EXIT_OK;
}

/* -------------------------------------------------------------------- user */

json_t *cli_user_json(const struct tg_user *u)
{
	char created[TG_TIME_ISO_LEN], modified[TG_TIME_ISO_LEN];
	tg_time_iso(u->created, created);
	tg_time_iso(u->modified, modified);
	return json_pack("{s:s,s:s,s:s,s:s*,s:s*,s:s*,s:b,s:s,s:s,s:b,s:b,s:s,s:s}",
	                 "id", u->id, "userPrincipalName", u->upn, "displayName", u->display_name,
	                 "mail", u->email[0] ? u->email : NULL,
	                 "mobilePhone", u->phone[0] ? u->phone : NULL,
	                 "preferredLanguage", u->locale[0] ? u->locale : NULL,
	                 "accountEnabled", u->enabled,
	                 "userType", u->is_guest ? "Guest" : "Member",
	                 "perUserMfaState", mfa_state_name(u->mfa_state),
	                 "hasPassword", u->pwhash[0] != '\0',
	                 "passwordMustChange", u->must_change_password,
	                 "createdDateTime", created, "modifiedDateTime", modified);
}

/* Password from --password-stdin or --generate-password; *generated says
 * whether to print it. Returns EXIT_OK or an exit status. */
static int get_password(struct cli *c, bool from_stdin, bool generate, char **pw, size_t *len,
                        bool *generated)
{
	*pw = NULL;
	*generated = false;
	if (from_stdin && generate)
		return cli_usage_err(c, "give --password-stdin or --generate-password, not both");
	if (from_stdin) {
		*pw = cli_read_password_stdin(len);
		return *pw ? EXIT_OK : EXIT_FAIL;
	}
	if (generate) {
		*pw = xcalloc(1, 32);
		if (svc_password_generate(*pw, 32)) {
			tg_secret_free(*pw, 32);
			*pw = NULL;
			return cli_err("no randomness available");
		}
		*len = strlen(*pw);
		*generated = true;
	}
	return EXIT_OK;
}

int cli_user_add(struct cli *c, int argc, char **argv)
{
	const char *name = NULL, *email = NULL, *phone = NULL, *locale = NULL;
	bool pw_stdin = false, gen = false, must = false, disabled = false;
	struct cli_opt opts[] = {
		{"--name", OPT_STR, &name}, {"--email", OPT_STR, &email}, {"--phone", OPT_STR, &phone},
		{"--locale", OPT_STR, &locale}, {"--password-stdin", OPT_FLAG, &pw_stdin},
		{"--generate-password", OPT_FLAG, &gen}, {"--must-change", OPT_FLAG, &must},
		{"--disabled", OPT_FLAG, &disabled}, {0}};
	CLI_PARSE(opts, 1, 1);
	char *pw = NULL;
	size_t pwlen = 0;
	bool generated;
	int r = get_password(c, pw_stdin, gen, &pw, &pwlen, &generated);
	if (r)
		return r;
	if ((r = cli_open(c, true))) {
		tg_secret_strfree(pw);
		return r;
	}
	struct svc_user_input in = {
		.upn = pos[0], .display_name = name, .email = email, .phone = phone, .locale = locale,
		.password = pw, .password_len = pwlen, .must_change_password = must || generated,
		.disabled = disabled,
	};
	struct tg_user u;
	r = svc_user_create(&c->sv, &c->tenant, &in, &u);
	if (r) {
		tg_secret_strfree(pw);
		return cli_svc_err(c);
	}
	if (c->json) {
		json_t *j = cli_user_json(&u);
		if (generated)
			json_object_set_new(j, "oneTimePassword", json_string(pw));
		tg_secret_strfree(pw);
		return cli_print_json(j);
	}
	printf("created %s (%s)\n", u.upn, u.id);
	if (generated)
		printf("one-time password: %s\n(shown only now; it must be changed at the first sign-in)\n", pw);
	else if (!pw)
		printf("no password set: the user cannot sign in until one is set\n");
	tg_secret_strfree(pw);
	return EXIT_OK;
}

struct list_ctx { json_t *arr; size_t n; };

static int user_row(const struct tg_user *u, void *arg)
{
	struct list_ctx *l = arg;
	l->n++;
	if (l->arr)
		json_array_append_new(l->arr, cli_user_json(u));
	else
		printf("%-40s %-9s %-8s %s\n", u->upn, mfa_state_name(u->mfa_state),
		       u->enabled ? "enabled" : "disabled", u->display_name);
	return 0;
}

int cli_user_list(struct cli *c, int argc, char **argv)
{
	const char *state = NULL, *prefix = NULL, *limit = NULL;
	struct cli_opt opts[] = {{"--state", OPT_STR, &state}, {"--prefix", OPT_STR, &prefix},
	                         {"--limit", OPT_STR, &limit}, {0}};
	CLI_PARSE(opts, 0, 0);
	struct user_query q = {.state = -1};
	enum mfa_state st;
	if (state) {
		if (mfa_state_parse(state, &st))
			return cli_usage_err(c, "--state must be disabled, enabled or enforced");
		q.state = (int)st;
	}
	int64_t lim = 0;
	if (limit && tg_parse_i64(limit, 1, INT32_MAX, &lim))
		return cli_usage_err(c, "--limit must be a positive whole number");
	q.limit = (int)lim;
	char pfx[TG_MAX_UPN + 1];
	if (prefix) {
		if (tg_strcpy_checked(pfx, sizeof pfx, prefix))
			return cli_usage_err(c, "--prefix is too long");
		tg_ascii_lower(pfx);
		q.upn_prefix = pfx;
	}
	int r = cli_open(c, true);
	if (r)
		return r;
	q.tenant_id = c->tenant.id;
	struct list_ctx l = {c->json ? json_array() : NULL, 0};
	if (!c->json)
		printf("%-40s %-9s %-8s %s\n", "USER PRINCIPAL NAME", "MFA", "ACCOUNT", "DISPLAY NAME");
	if ((r = store_user_list(c->store, &q, user_row, &l))) {
		json_decref(l.arr);
		return cli_err("cannot list users: %s", tg_strerror(r));
	}
	return l.arr ? cli_print_json(l.arr) : EXIT_OK;
}

struct ids { json_t *arr; struct store *st; const char *tid; };

static int role_name_cb(const char *id, void *arg)
{
	const struct role_def *rd = role_by_id(id);
	json_array_append_new(arg, json_string(rd ? rd->name : id));
	return 0;
}

static int group_name_cb(const char *id, void *arg)
{
	struct ids *x = arg;
	struct tg_group g;
	if (store_group_get(x->st, x->tid, id, &g) == TG_OK)
		json_array_append_new(x->arr, json_string(g.name));
	return 0;
}

int cli_user_show(struct cli *c, int argc, char **argv)
{
	CLI_PARSE(NULL, 1, 1);
	int r = cli_open(c, true);
	if (r)
		return r;
	struct tg_user u;
	if (svc_user_find(&c->sv, &c->tenant, pos[0], &u))
		return cli_svc_err(c);
	json_t *j = cli_user_json(&u);
	json_t *roles = json_array(), *groups = json_array();
	struct ids x = {groups, c->store, c->tenant.id};
	int64_t methods = 0;
	if ((r = store_user_roles(c->store, u.id, role_name_cb, roles)) ||
	    (r = store_member_groups(c->store, TG_MEMBER_USER, u.id, true, group_name_cb, &x)) ||
	    (r = store_user_method_count(c->store, u.id, &methods))) {
		json_decref(j);
		json_decref(roles);
		json_decref(groups);
		return cli_err("cannot read the user: %s", tg_strerror(r));
	}
	json_object_set_new(j, "directoryRoles", roles);
	json_object_set_new(j, "memberOfTransitive", groups);
	json_object_set_new(j, "registeredMethods", json_integer(methods));
	if (c->json)
		return cli_print_json(j);
	printf("userPrincipalName   %s\nid                  %s\ndisplayName         %s\n", u.upn, u.id,
	       u.display_name);
	printf("mail                %s\nmobilePhone         %s\nlanguage            %s\n",
	       u.email[0] ? u.email : "-", u.phone[0] ? u.phone : "-", u.locale[0] ? u.locale : "-");
	printf("account             %s\nper-user MFA        %s\npassword            %s\n",
	       u.enabled ? "enabled" : "disabled", mfa_state_name(u.mfa_state),
	       !u.pwhash[0] ? "none (cannot sign in)" : u.must_change_password ? "set (must change)" : "set");
	printf("registered methods  %lld\n", (long long)methods);
	size_t i;
	json_t *v;
	printf("roles              ");
	json_array_foreach(roles, i, v) printf(" %s%s", json_string_value(v), i + 1 < json_array_size(roles) ? "," : "");
	printf("%s\ngroups             ", json_array_size(roles) ? "" : " -");
	json_array_foreach(groups, i, v) printf(" %s%s", json_string_value(v), i + 1 < json_array_size(groups) ? "," : "");
	printf("%s\n", json_array_size(groups) ? "" : " -");
	json_decref(j);
	tg_wipe(u.pwhash, sizeof u.pwhash);
	return EXIT_OK;
}

static int print_user(struct cli *c, const struct tg_user *u, const char *what)
{
	if (c->json)
		return cli_print_json(cli_user_json(u));
	printf("%s %s\n", what, u->upn);
	return EXIT_OK;
}

int cli_user_set(struct cli *c, int argc, char **argv)
{
	struct svc_user_changes ch = {.enabled = -1};
	struct cli_opt opts[] = {{"--name", OPT_STR, &ch.display_name}, {"--email", OPT_STR, &ch.email},
	                         {"--phone", OPT_STR, &ch.phone}, {"--locale", OPT_STR, &ch.locale}, {0}};
	CLI_PARSE(opts, 1, 1);
	if (!ch.display_name && !ch.email && !ch.phone && !ch.locale)
		return cli_usage_err(c, "nothing to change: give --name, --email, --phone or --locale");
	int r = cli_open(c, true);
	if (r)
		return r;
	struct tg_user u;
	if (svc_user_update(&c->sv, &c->tenant, pos[0], &ch, &u))
		return cli_svc_err(c);
	return print_user(c, &u, "updated");
}

static int set_enabled(struct cli *c, int argc, char **argv, int enabled)
{
	CLI_PARSE(NULL, 1, 1);
	int r = cli_open(c, true);
	if (r)
		return r;
	struct svc_user_changes ch = {.enabled = enabled};
	struct tg_user u;
	if (svc_user_update(&c->sv, &c->tenant, pos[0], &ch, &u))
		return cli_svc_err(c);
	return print_user(c, &u, enabled ? "enabled" : "disabled");
}

int cli_user_enable(struct cli *c, int argc, char **argv) { return set_enabled(c, argc, argv, 1); }
int cli_user_disable(struct cli *c, int argc, char **argv) { return set_enabled(c, argc, argv, 0); }

int cli_user_delete(struct cli *c, int argc, char **argv)
{
	CLI_PARSE(NULL, 1, 1);
	int r = cli_open(c, true);
	if (r)
		return r;
	if (svc_user_delete(&c->sv, &c->tenant, pos[0]))
		return cli_svc_err(c);
	if (c->json)
		return cli_print_json(json_pack("{s:s,s:b}", "userPrincipalName", pos[0], "deleted", 1));
	printf("deleted %s\n", pos[0]);
	return EXIT_OK;
}

int cli_user_set_password(struct cli *c, int argc, char **argv)
{
	bool pw_stdin = false, gen = false, must = false;
	struct cli_opt opts[] = {{"--password-stdin", OPT_FLAG, &pw_stdin},
	                         {"--generate-password", OPT_FLAG, &gen},
	                         {"--must-change", OPT_FLAG, &must}, {0}};
	CLI_PARSE(opts, 1, 1);
	if (!pw_stdin && !gen)
		return cli_usage_err(c, "give --password-stdin or --generate-password");
	char *pw = NULL;
	size_t len = 0;
	bool generated;
	int r = get_password(c, pw_stdin, gen, &pw, &len, &generated);
	if (r)
		return r;
	if ((r = cli_open(c, true)) == EXIT_OK &&
	    svc_user_set_password(&c->sv, &c->tenant, pos[0], pw, len, must || generated))
		r = cli_svc_err(c);
	if (r) {
		tg_secret_strfree(pw);
		return r;
	}
	if (c->json) {
		json_t *j = json_pack("{s:s,s:b}", "userPrincipalName", pos[0], "passwordMustChange", must || generated);
		if (generated)
			json_object_set_new(j, "oneTimePassword", json_string(pw));
		tg_secret_strfree(pw);
		return cli_print_json(j);
	}
	printf("password set for %s\n", pos[0]);
	if (generated)
		printf("one-time password: %s\n(shown only now; it must be changed at the next sign-in)\n", pw);
	tg_secret_strfree(pw);
	return EXIT_OK;
}

int cli_user_import(struct cli *c, int argc, char **argv)
{
	bool dry = false;
	struct cli_opt opts[] = {{"--dry-run", OPT_FLAG, &dry}, {0}};
	CLI_PARSE(opts, 1, 1);
	size_t len = 0;
	char *data = cli_read_file(pos[0], TG_MAX_CSV_BYTES, &len);
	if (!data)
		return EXIT_FAIL;
	int r = cli_open(c, true);
	if (r) {
		tg_secret_free(data, len);
		return r;
	}
	struct svc_import_report rep;
	r = svc_user_import_csv(&c->sv, &c->tenant, data, len, dry, &rep);
	tg_secret_free(data, len); /* may hold passwords */
	if (c->json) {
		json_t *errs = json_array();
		for (size_t i = 0; i < rep.nerrors && i < TG_ARRAY_LEN(rep.errors); i++)
			json_array_append_new(errs, json_pack("{s:I,s:s}", "line", (json_int_t)rep.errors[i].line,
			                                      "message", rep.errors[i].message));
		json_t *j = json_pack("{s:I,s:I,s:I,s:b,s:o}", "rows", (json_int_t)rep.rows,
		                      "created", (json_int_t)rep.created, "errors", (json_int_t)rep.nerrors,
		                      "dryRun", dry, "problems", errs);
		if (r && !rep.nerrors)
			json_object_set_new(j, "error", json_string(c->sv.err));
		cli_print_json(j);
		return r ? EXIT_FAIL : EXIT_OK;
	}
	if (r) {
		for (size_t i = 0; i < rep.nerrors && i < TG_ARRAY_LEN(rep.errors); i++)
			fprintf(stderr, "%s: line %zu: %s\n", pos[0], rep.errors[i].line, rep.errors[i].message);
		if (rep.nerrors > TG_ARRAY_LEN(rep.errors))
			fprintf(stderr, "… and %zu more\n", rep.nerrors - TG_ARRAY_LEN(rep.errors));
		return cli_svc_err(c);
	}
	if (dry)
		printf("%zu rows checked: all valid; nothing imported (--dry-run)\n", rep.rows);
	else
		printf("imported %zu users\n", rep.created);
	return EXIT_OK;
}
