/* SPDX-License-Identifier: MIT
 * `tollgate group …`, `role …`, `mfa …` and `audit …`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/err.h"
#include "base/mem.h"
#include "base/str.h"
#include "cli/cli_int.h"
#include "core/roles.h"
#include "store/store.h"

static int done_msg(struct cli *c, json_t *j, const char *msg)
{
	if (c->json)
		return cli_print_json(j);
	json_decref(j);
	printf("%s\n", msg);
	return EXIT_OK;
}

/* ------------------------------------------------------------------- group */

int cli_group_add(struct cli *c, int argc, char **argv)
{
	const char *desc = NULL;
	struct cli_opt opts[] = {{"--description", OPT_STR, &desc}, {0}};
	CLI_PARSE(opts, 1, 1);
	int r = cli_open(c, true);
	if (r)
		return r;
	struct tg_group g;
	if (svc_group_create(&c->sv, &c->tenant, pos[0], desc, &g))
		return cli_svc_err(c);
	char msg[400];
	snprintf(msg, sizeof msg, "created group %s (%s)", g.name, g.id);
	return done_msg(c, json_pack("{s:s,s:s,s:s}", "id", g.id, "displayName", g.name,
	                             "description", g.description), msg);
}

int cli_group_delete(struct cli *c, int argc, char **argv)
{
	CLI_PARSE(NULL, 1, 1);
	int r = cli_open(c, true);
	if (r)
		return r;
	if (svc_group_delete(&c->sv, &c->tenant, pos[0]))
		return cli_svc_err(c);
	char msg[400];
	snprintf(msg, sizeof msg, "deleted group %s", pos[0]);
	return done_msg(c, json_pack("{s:s,s:b}", "group", pos[0], "deleted", 1), msg);
}

static int group_row(const struct tg_group *g, void *arg)
{
	if (arg)
		json_array_append_new(arg, json_pack("{s:s,s:s,s:s}", "id", g->id, "displayName", g->name,
		                                     "description", g->description));
	else
		printf("%-36s %s\n", g->id, g->name);
	return 0;
}

int cli_group_list(struct cli *c, int argc, char **argv)
{
	CLI_PARSE(NULL, 0, 0);
	int r = cli_open(c, true);
	if (r)
		return r;
	json_t *arr = c->json ? json_array() : NULL;
	if ((r = store_group_list(c->store, c->tenant.id, group_row, arr))) {
		json_decref(arr);
		return cli_err("cannot list groups: %s", tg_strerror(r));
	}
	return arr ? cli_print_json(arr) : EXIT_OK;
}

struct mctx { struct cli *c; json_t *arr; };

static int member_row(enum tg_member_kind k, const char *id, void *arg)
{
	struct mctx *m = arg;
	char name[TG_MAX_GROUP_NAME + 1] = "";
	if (k == TG_MEMBER_USER) {
		struct tg_user u;
		if (store_user_get(m->c->store, id, &u) == TG_OK)
			tg_strlcpy(name, u.upn, sizeof name);
		tg_wipe(u.pwhash, sizeof u.pwhash);
	} else {
		struct tg_group g;
		if (store_group_get(m->c->store, m->c->tenant.id, id, &g) == TG_OK)
			tg_strlcpy(name, g.name, sizeof name);
	}
	const char *kind = k == TG_MEMBER_USER ? "user" : "group";
	if (m->arr)
		json_array_append_new(m->arr, json_pack("{s:s,s:s,s:s}", "type", kind, "id", id, "name", name));
	else
		printf("%-5s %-36s %s\n", kind, id, name);
	return 0;
}

int cli_group_members(struct cli *c, int argc, char **argv)
{
	bool tr = false;
	struct cli_opt opts[] = {{"--transitive", OPT_FLAG, &tr}, {0}};
	CLI_PARSE(opts, 1, 1);
	int r = cli_open(c, true);
	if (r)
		return r;
	struct tg_group g;
	if ((r = store_group_get(c->store, c->tenant.id, pos[0], &g)))
		return cli_err("no group \"%s\" in tenant %s", pos[0], c->tenant.name);
	struct mctx m = {c, c->json ? json_array() : NULL};
	if ((r = store_group_members(c->store, g.id, tr, member_row, &m))) {
		json_decref(m.arr);
		return cli_err("cannot list members: %s", tg_strerror(r));
	}
	return m.arr ? cli_print_json(m.arr) : EXIT_OK;
}

static int member_change(struct cli *c, int argc, char **argv, bool add)
{
	const char *user = NULL, *group = NULL;
	struct cli_opt opts[] = {{"--user", OPT_STR, &user}, {"--group", OPT_STR, &group}, {0}};
	CLI_PARSE(opts, 1, 1);
	if (!!user == !!group)
		return cli_usage_err(c, "give exactly one of --user UPN or --group NAME");
	int r = cli_open(c, true);
	if (r)
		return r;
	if (svc_group_member(&c->sv, &c->tenant, pos[0], user ? user : group, group != NULL, add))
		return cli_svc_err(c);
	char msg[600];
	snprintf(msg, sizeof msg, "%s %s %s %s", add ? "added" : "removed", user ? user : group,
	         add ? "to" : "from", pos[0]);
	return done_msg(c, json_pack("{s:s,s:s,s:s}", "group", pos[0], "member", user ? user : group,
	                             "change", add ? "added" : "removed"), msg);
}

int cli_group_member_add(struct cli *c, int argc, char **argv) { return member_change(c, argc, argv, true); }
int cli_group_member_remove(struct cli *c, int argc, char **argv) { return member_change(c, argc, argv, false); }

/* -------------------------------------------------------------------- role */

int cli_role_list(struct cli *c, int argc, char **argv)
{
	CLI_PARSE(NULL, 0, 0);
	json_t *arr = c->json ? json_array() : NULL;
	for (const struct role_def *rd = role_table; rd->id; rd++) {
		if (arr)
			json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:s,s:b}", "roleTemplateId", rd->id,
			                                     "displayName", rd->name, "key", rd->key,
			                                     "description", rd->description,
			                                     "privileged", (rd->flags & ROLE_PRIVILEGED) != 0));
		else
			printf("%-40s %-32s %s\n", rd->name, rd->key, rd->id);
	}
	return arr ? cli_print_json(arr) : EXIT_OK;
}

static int role_change(struct cli *c, int argc, char **argv, bool assign)
{
	CLI_PARSE(NULL, 2, 2);
	int r = cli_open(c, true);
	if (r)
		return r;
	if (svc_role_assign(&c->sv, &c->tenant, pos[0], pos[1], assign))
		return cli_svc_err(c);
	const struct role_def *rd = role_find(pos[1]);
	char msg[400];
	snprintf(msg, sizeof msg, "%s %s %s %s", assign ? "assigned" : "removed", rd->name,
	         assign ? "to" : "from", pos[0]);
	return done_msg(c, json_pack("{s:s,s:s,s:s}", "userPrincipalName", pos[0], "roleTemplateId", rd->id,
	                             "change", assign ? "assigned" : "removed"), msg);
}

int cli_role_assign(struct cli *c, int argc, char **argv) { return role_change(c, argc, argv, true); }
int cli_role_remove(struct cli *c, int argc, char **argv) { return role_change(c, argc, argv, false); }

static int role_member_row(const char *id, void *arg)
{
	struct mctx *m = arg;
	struct tg_user u;
	if (store_user_get(m->c->store, id, &u) != TG_OK)
		return 0;
	tg_wipe(u.pwhash, sizeof u.pwhash);
	if (m->arr)
		json_array_append_new(m->arr, json_pack("{s:s,s:s}", "id", u.id, "userPrincipalName", u.upn));
	else
		printf("%s\n", u.upn);
	return 0;
}

int cli_role_members(struct cli *c, int argc, char **argv)
{
	CLI_PARSE(NULL, 1, 1);
	const struct role_def *rd = role_find(pos[0]);
	if (!rd)
		return cli_err("unknown role \"%s\" (see `tollgate role list`)", pos[0]);
	int r = cli_open(c, true);
	if (r)
		return r;
	struct mctx m = {c, c->json ? json_array() : NULL};
	if ((r = store_role_members(c->store, c->tenant.id, rd->id, role_member_row, &m))) {
		json_decref(m.arr);
		return cli_err("cannot list role members: %s", tg_strerror(r));
	}
	return m.arr ? cli_print_json(m.arr) : EXIT_OK;
}

/* --------------------------------------------------------------------- mfa */

int cli_mfa_show(struct cli *c, int argc, char **argv)
{
	CLI_PARSE(NULL, 1, 1);
	int r = cli_open(c, true);
	if (r)
		return r;
	struct tg_user u;
	if (svc_user_find(&c->sv, &c->tenant, pos[0], &u))
		return cli_svc_err(c);
	tg_wipe(u.pwhash, sizeof u.pwhash);
	int64_t methods = 0;
	if ((r = store_user_method_count(c->store, u.id, &methods)))
		return cli_err("cannot read methods: %s", tg_strerror(r));
	if (c->json)
		return cli_print_json(json_pack("{s:s,s:s,s:I}", "userPrincipalName", u.upn,
		                                "perUserMfaState", mfa_state_name(u.mfa_state),
		                                "registeredMethods", (json_int_t)methods));
	printf("%s: %s (%lld registered method%s)\n", u.upn, mfa_state_name(u.mfa_state),
	       (long long)methods, methods == 1 ? "" : "s");
	return EXIT_OK;
}

/* One UPN a line; blank lines and # comments skipped. */
static int read_upn_file(struct cli *c, const char *path, char ***list, size_t *n, char **buf)
{
	size_t len = 0;
	*buf = cli_read_file(path, 64L * 1024 * 1024, &len);
	if (!*buf)
		return EXIT_FAIL;
	size_t cap = 0, line = 0;
	char *save = *buf;
	while (save && *save) {
		char *nl = strchr(save, '\n');
		if (nl)
			*nl = '\0';
		line++;
		char *l = tg_trim(save);
		save = nl ? nl + 1 : NULL;
		if (!*l || *l == '#')
			continue;
		if (strlen(l) > TG_MAX_LIST_LINE)
			return cli_err("%s: line %zu is too long", path, line);
		if (*n == cap) {
			cap = cap ? cap * 2 : 256;
			*list = xrealloc(*list, cap * sizeof **list);
		}
		(*list)[(*n)++] = l;
	}
	(void)c;
	return EXIT_OK;
}

int cli_mfa_set(struct cli *c, int argc, char **argv)
{
	const char *from = NULL;
	bool all = false, dry = false;
	struct cli_opt opts[] = {{"--from-file", OPT_STR, &from}, {"--all", OPT_FLAG, &all},
	                         {"--dry-run", OPT_FLAG, &dry}, {0}};
	char **pos = xcalloc((size_t)argc + 1, sizeof *pos);
	int np = 0;
	int r = cli_parse(c, argc, argv, opts, pos, 1, argc, &np);
	if (r) {
		free(pos);
		return r < 0 ? EXIT_OK : r;
	}
	enum mfa_state st;
	if (mfa_state_parse(pos[0], &st)) {
		r = cli_usage_err(c, "unknown state \"%s\": use disabled, enabled or enforced", pos[0]);
		free(pos);
		return r;
	}
	if (all && (np > 1 || from)) {
		free(pos);
		return cli_usage_err(c, "--all cannot be combined with UPNs or --from-file");
	}
	if (!all && np == 1 && !from) {
		free(pos);
		return cli_usage_err(c, "name the users: UPN…, --from-file FILE or --all");
	}
	char **list = NULL, *buf = NULL;
	size_t n = 0;
	for (int i = 1; i < np; i++) {
		list = xrealloc(list, (n + 1) * sizeof *list);
		list[n++] = pos[i];
	}
	if (from && (r = read_upn_file(c, from, &list, &n, &buf)))
		goto out;
	if (!all && n == 0) {
		r = cli_err("%s names no users", from);
		goto out;
	}
	if ((r = cli_open(c, true)))
		goto out;
	struct svc_mfa_report rep;
	if (svc_mfa_set(&c->sv, &c->tenant, st, (const char *const *)list, n, all, dry, &rep)) {
		svc_mfa_report_cleanup(&rep);
		r = cli_svc_err(c);
		goto out;
	}
	if (c->json) {
		json_t *nf = json_array();
		for (size_t i = 0; i < rep.not_found; i++)
			json_array_append_new(nf, json_string(rep.not_found_upns[i]));
		cli_print_json(json_pack("{s:s,s:b,s:I,s:I,s:I,s:o}", "perUserMfaState", mfa_state_name(st),
		                         "dryRun", dry, "changed", (json_int_t)rep.changed,
		                         "unchanged", (json_int_t)rep.unchanged,
		                         "notFound", (json_int_t)rep.not_found, "notFoundUsers", nf));
	} else {
		for (size_t i = 0; i < rep.not_found; i++)
			fprintf(stderr, "tollgate: not found: %s\n", rep.not_found_upns[i]);
		printf("%s%s: %zu changed, %zu unchanged, %zu not found\n", dry ? "dry run: " : "",
		       mfa_state_name(st), rep.changed, rep.unchanged, rep.not_found);
	}
	r = rep.not_found ? EXIT_FAIL : EXIT_OK;
	svc_mfa_report_cleanup(&rep);
out:
	free(list);
	free(buf);
	free(pos);
	return r;
}

/* ------------------------------------------------------------------- audit */

static int audit_row(const struct tg_audit *a, void *arg)
{
	char ts[TG_TIME_ISO_LEN];
	tg_time_iso(a->time, ts);
	if (arg) {
		json_array_append_new(arg, json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s}", "seq", (json_int_t)a->seq,
		                                     "activityDateTime", ts, "initiatedBy", a->actor,
		                                     "activity", a->action, "target", a->target,
		                                     "before", a->before, "after", a->after));
	} else {
		printf("%s %-14s %-20s %-32s", ts, a->actor, a->action, a->target);
		if (a->before[0] || a->after[0])
			printf(" %s -> %s", a->before[0] ? a->before : "(none)", a->after[0] ? a->after : "(none)");
		putchar('\n');
	}
	return 0;
}

int cli_audit_list(struct cli *c, int argc, char **argv)
{
	const char *since = NULL, *action = NULL, *target = NULL, *actor = NULL, *limit = NULL;
	struct cli_opt opts[] = {{"--since", OPT_STR, &since}, {"--action", OPT_STR, &action},
	                         {"--target", OPT_STR, &target}, {"--actor", OPT_STR, &actor},
	                         {"--limit", OPT_STR, &limit}, {0}};
	CLI_PARSE(opts, 0, 0);
	struct audit_query q = {.action_prefix = action, .target = target, .actor = actor, .limit = 100};
	if (actor && (!actor[0] || strlen(actor) > TG_MAX_AUDIT_ACTOR))
		return cli_usage_err(c, "--actor must be 1 to %d characters, such as user:UPN, app:CLIENT-ID "
		                     "or cli:root", TG_MAX_AUDIT_ACTOR);
	int64_t v;
	if (limit) {
		if (tg_parse_i64(limit, 1, 1000000, &v))
			return cli_usage_err(c, "--limit must be a whole number from 1 to 1000000");
		q.limit = (int)v;
	}
	int r = cli_open(c, true);
	if (r)
		return r;
	if (since) {
		if (tg_time_parse_when(since, svc_now(&c->sv), &q.since))
			return cli_usage_err(c, "--since must be a duration (24h, 7d) or an ISO-8601 time");
	}
	q.tenant_id = c->tenant.id;
	json_t *arr = c->json ? json_array() : NULL;
	if ((r = store_audit_list(c->store, &q, audit_row, arr))) {
		json_decref(arr);
		return cli_err("cannot read the audit log: %s", tg_strerror(r));
	}
	return arr ? cli_print_json(arr) : EXIT_OK;
}
