/* SPDX-License-Identifier: MIT
 * `tollgate signins list|show|record`, `tollgate whatif` and
 * `tollgate policy impact`: the sign-in log, the decision explained for a
 * hypothetical sign-in (as Entra's What If tool), the administrator's
 * sign-in simulation, and the replay of a draft policy over the log. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/err.h"
#include "base/mem.h"
#include "base/str.h"
#include "cli/cli_int.h"
#include "core/upn.h"
#include "json/ca_policy_json.h"
#include "json/signin_json.h"
#include "store/store_policy.h"
#include "svc/svc_signin.h"

static void methods_text(unsigned methods, char *buf, size_t size)
{
	size_t len = 0;
	buf[0] = '\0';
	for (unsigned bit = 1; bit <= CA_METHOD_ALL && len < size; bit <<= 1) {
		if (!(methods & bit))
			continue;
		int w = snprintf(buf + len, size - len, "%s%s", len ? ", " : "", signin_json_method_key(bit));
		if (w < 0)
			break;
		len += (size_t)w;
	}
}

/* ----------------------------------------------------- a sign-in's options */

struct signin_opts {
	const char *user, *app, *ip, *client, *platform, *ua, *risk, *mfa_at, *at, *protocol;
	bool app_password, remembered, non_interactive;
};

/* Turn the options into a request (after cli_open: times need the clock). */
static int build_request(struct cli *c, const struct signin_opts *o, struct svc_signin_request *req)
{
	memset(req, 0, sizeof *req);
	if (!o->user || !o->app || !o->ip || !o->client)
		return cli_usage_err(c, "--user, --app, --ip and --client are required");
	req->user = o->user;
	req->app = o->app;
	req->ip = o->ip;
	if (signin_json_client_parse(o->client, &req->client))
		return cli_usage_err(c, "--client must be browser, mobileAppsAndDesktopClients, "
		                     "exchangeActiveSync or other");
	if (o->platform) {
		if (platform_parse(o->platform, &req->platform))
			return cli_usage_err(c, "--platform must be android, iOS, windows, windowsPhone, macOS, "
			                     "linux or unknown");
		req->has_platform = true;
	}
	req->user_agent = o->ua;
	if (o->risk) {
		if (risk_level_parse(o->risk, &req->sign_in_risk))
			return cli_usage_err(c, "--risk must be none, low, medium or high");
		req->has_risk = true;
	}
	req->protocol = o->protocol;
	req->credential = o->app_password ? DECISION_CRED_APP_PASSWORD : DECISION_CRED_PASSWORD;
	req->remembered_device = o->remembered;
	req->non_interactive = o->non_interactive;
	return EXIT_OK;
}

static int request_times(struct cli *c, const struct signin_opts *o, struct svc_signin_request *req)
{
	int64_t now = svc_now(&c->sv);
	if (o->at && tg_time_parse_when(o->at, now, &now))
		return cli_usage_err(c, "--at must be \"now\", a duration back (2h, 3d) or an ISO-8601 time");
	req->now = now;
	if (o->mfa_at) {
		if (tg_time_parse_when(o->mfa_at, now, &req->mfa_at) || req->mfa_at <= 0 || req->mfa_at > now)
			return cli_usage_err(c, "--mfa-at must be \"now\", a duration back (2h, 3d) or an ISO-8601 "
			                     "time not after the sign-in");
		req->mfa_this_signin = req->mfa_at == now;
	}
	return EXIT_OK;
}

#define SIGNIN_OPTS(o) \
	{"--user", OPT_STR, &(o).user}, {"--app", OPT_STR, &(o).app}, {"--ip", OPT_STR, &(o).ip}, \
	{"--client", OPT_STR, &(o).client}, {"--platform", OPT_STR, &(o).platform}, \
	{"--user-agent", OPT_STR, &(o).ua}, {"--risk", OPT_STR, &(o).risk}, \
	{"--mfa-at", OPT_STR, &(o).mfa_at}, {"--app-password", OPT_FLAG, &(o).app_password}, \
	{"--remembered-device", OPT_FLAG, &(o).remembered}, \
	{"--non-interactive", OPT_FLAG, &(o).non_interactive}

/* The decision explained, as Entra's What If: outcome, sources, policies. */
static void print_decision(const struct svc_signin_result *res)
{
	const struct decision *d = &res->d;
	const struct decision_input *in = &res->in;
	char ip[CIDR_STRLEN], methods[160];
	cidr_ip_format(&in->ip, ip);
	printf("Sign-in: %s to %s (%s) from %s, %s, %s\n", res->user.user.upn, res->app.display_name,
	       res->app.id, ip, signin_json_client_name(in->client), platform_name(in->platform));
	printf("Risk: sign-in %s%s%s%s, user %s%s%s%s\n", risk_level_name(in->sign_in_risk),
	       res->sign_in_risk.reason[0] ? " (" : "", res->sign_in_risk.reason,
	       res->sign_in_risk.reason[0] ? ")" : "", risk_level_name(in->user_risk),
	       res->user.risk.risk.reason[0] ? " (" : "", res->user.risk.risk.reason,
	       res->user.risk.risk.reason[0] ? ")" : "");
	printf("Outcome: %s", decision_outcome_name(d->outcome));
	if (d->error_code)
		printf(", error %d", d->error_code);
	putchar('\n');
	if (d->failure_reason && d->failure_reason[0])
		printf("  %s\n", d->failure_reason);
	if (d->outcome == DECISION_MFA_REQUIRED) {
		methods_text(d->methods, methods, sizeof methods);
		printf("  methods: %s\n", methods);
	}
	if (d->outcome == DECISION_REGISTRATION_REQUIRED && d->can_skip)
		printf("  may skip registration for %d more day%s\n", d->days_left, d->days_left == 1 ? "" : "s");
	printf("Authentication requirement: %s\n", signin_requirement_name(d->multi_factor));
	printf("Requirement sources:%s\n", d->n_sources ? "" : " none");
	for (size_t i = 0; i < d->n_sources; i++) {
		const struct decision_source *s = &d->sources[i];
		printf("  %-48s %-12s %s", decision_provider_name(s->provider), decision_status_name(s->status),
		       s->detail ? s->detail : "");
		if (s->result_detail)
			printf(" — %s", s->result_detail);
		putchar('\n');
	}
	printf("Conditional Access: %s\n", decision_ca_status_name(d->ca_status));
	for (size_t i = 0; i < d->n_policies; i++) {
		const struct decision_policy *p = &d->policies[i];
		printf("  %-22s %s (%s)", ca_result_name(p->r.result), p->policy->display_name, p->policy->id);
		if (p->r.reason)
			printf(": %s%s%s", p->r.reason, p->r.reason_arg ? ": " : "", p->r.reason_arg ? p->r.reason_arg : "");
		putchar('\n');
	}
}

int cli_whatif(struct cli *c, int argc, char **argv)
{
	struct signin_opts o;
	memset(&o, 0, sizeof o);
	struct cli_opt opts[] = {SIGNIN_OPTS(o), {"--at", OPT_STR, &o.at}, {0}};
	CLI_PARSE(opts, 0, 0);
	struct svc_signin_request req;
	int r = build_request(c, &o, &req);
	if (r)
		return r;
	if ((r = cli_open(c, true)) || (r = request_times(c, &o, &req)))
		return r;
	struct svc_signin_result res;
	svc_signin_result_init(&res);
	if (svc_whatif(&c->sv, NULL, &c->tenant, &req, &res)) {
		svc_signin_result_cleanup(&res);
		return cli_svc_err(c);
	}
	if (c->json) {
		json_t *j = svc_whatif_json(&res);
		svc_signin_result_cleanup(&res);
		return cli_print_json(j);
	}
	print_decision(&res);
	svc_signin_result_cleanup(&res);
	return EXIT_OK;
}

int cli_signins_record(struct cli *c, int argc, char **argv)
{
	struct signin_opts o;
	memset(&o, 0, sizeof o);
	struct cli_opt opts[] = {SIGNIN_OPTS(o), {"--at", OPT_STR, &o.at}, {"--protocol", OPT_STR, &o.protocol}, {0}};
	CLI_PARSE(opts, 0, 0);
	struct svc_signin_request req;
	int r = build_request(c, &o, &req);
	if (r)
		return r;
	if (o.protocol && (!*o.protocol || strlen(o.protocol) > TG_MAX_SIGNIN_TEXT || tg_has_ctl(o.protocol)))
		return cli_usage_err(c, "--protocol must be a short name such as IMAP or SMTP");
	if ((r = cli_open(c, true)) || (r = request_times(c, &o, &req)))
		return r;
	struct svc_signin_result res;
	char id[TG_ID_BUF];
	svc_signin_result_init(&res);
	if (svc_signin_simulate(&c->sv, NULL, &c->tenant, &req, &res, id)) {
		svc_signin_result_cleanup(&res);
		return cli_svc_err(c);
	}
	if (c->json) {
		json_t *j = json_pack("{s:s,s:s,s:i}", "id", id, "outcome", decision_outcome_name(res.d.outcome),
		                      "errorCode", res.d.error_code);
		svc_signin_result_cleanup(&res);
		return cli_print_json(j);
	}
	printf("recorded sign-in %s: %s", id, decision_outcome_name(res.d.outcome));
	if (res.d.error_code)
		printf(" (error %d)", res.d.error_code);
	putchar('\n');
	svc_signin_result_cleanup(&res);
	return EXIT_OK;
}

/* ------------------------------------------------------------ signins list */

struct list_ctx {
	json_t *arr;
	size_t n;
	int64_t last_time, last_seq;
};

static int signin_row(const struct store_signin *row, void *arg)
{
	struct list_ctx *l = arg;
	l->n++;
	l->last_time = row->time;
	l->last_seq = row->seq;
	if (l->arr) {
		json_t *v = json_loads(row->json, 0, NULL);
		json_array_append_new(l->arr, v ? v : json_null());
		return 0;
	}
	char ts[TG_TIME_ISO_LEN];
	tg_time_iso(row->time, ts);
	printf("%-20s %-30s %-28s %-15s %-19s %-7d %-10s %s\n", ts, row->upn[0] ? row->upn : "-",
	       row->app_name[0] ? row->app_name : row->app_id,
	       row->ip, signin_json_client_name((enum decision_client)row->client_type), row->error_code,
	       decision_ca_status_name((enum decision_ca_status)row->ca_status), row->id);
	return 0;
}

int cli_signins_list(struct cli *c, int argc, char **argv)
{
	const char *user = NULL, *app = NULL, *since = NULL, *until = NULL, *error = NULL, *status = NULL;
	const char *limit = NULL, *before = NULL;
	struct cli_opt opts[] = {{"--user", OPT_STR, &user}, {"--app", OPT_STR, &app},
	                         {"--since", OPT_STR, &since}, {"--until", OPT_STR, &until},
	                         {"--error", OPT_STR, &error}, {"--status", OPT_STR, &status},
	                         {"--limit", OPT_STR, &limit}, {"--before", OPT_STR, &before}, {0}};
	CLI_PARSE(opts, 0, 0);
	struct store_signin_query q = {.error_code = -1, .interactive = -1, .limit = TG_DEFAULT_PAGE};
	char upn[TG_MAX_UPN + 1];
	int64_t v;
	if (user) {
		if (upn_normalize(user, upn, sizeof upn, NULL))
			return cli_usage_err(c, "--user must be a user principal name");
		q.upn = upn;
	}
	if (error) {
		if (tg_parse_i64(error, 0, INT32_MAX, &v))
			return cli_usage_err(c, "--error must be an error code such as 50076 (0 = success)");
		q.error_code = (int)v;
	}
	if (status) {
		if (strcmp(status, "success") == 0)
			q.status = STORE_SIGNIN_SUCCESS;
		else if (strcmp(status, "failure") == 0)
			q.status = STORE_SIGNIN_FAILURE;
		else
			return cli_usage_err(c, "--status must be success or failure");
	}
	if (limit) {
		if (tg_parse_i64(limit, 1, TG_MAX_PAGE, &v))
			return cli_usage_err(c, "--limit must be a whole number from 1 to %d", TG_MAX_PAGE);
		q.limit = (int)v;
	}
	if (before) {
		if (svc_signin_cursor_parse(before, &q.cursor_time, &q.cursor_seq))
			return cli_usage_err(c, "--before must be the cursor printed by the previous page");
		q.has_cursor = true;
	}
	int r = cli_open(c, true);
	if (r)
		return r;
	int64_t now = svc_now(&c->sv);
	if (since && (tg_time_parse_when(since, now, &q.since) || q.since <= 0))
		return cli_usage_err(c, "--since must be a duration (24h, 7d) or an ISO-8601 time");
	if (until && (tg_time_parse_when(until, now, &q.until) || q.until <= 0))
		return cli_usage_err(c, "--until must be a duration back (1h) or an ISO-8601 time");
	struct svc_app a;
	if (app) {
		if (svc_app_resolve(&c->sv, &c->tenant, app, &a))
			return cli_svc_err(c);
		q.app_id = a.id;
	}
	q.tenant_id = c->tenant.id;
	struct list_ctx l = {c->json ? json_array() : NULL, 0, 0, 0};
	if (!l.arr)
		printf("%-20s %-30s %-28s %-15s %-19s %-7s %-10s %s\n", "TIME", "USER", "APP", "IP", "CLIENT",
		       "ERROR", "CA", "ID");
	if ((r = store_signin_list(c->store, &q, signin_row, &l))) {
		json_decref(l.arr);
		return cli_err("cannot read the sign-in log: %s", tg_strerror(r));
	}
	char cursor[48];
	bool more = l.n == (size_t)q.limit;
	svc_signin_cursor_format(l.last_time, l.last_seq, cursor, sizeof cursor);
	if (l.arr)
		return cli_print_json(json_pack("{s:o,s:s*}", "value", l.arr, "nextCursor", more ? cursor : NULL));
	if (more)
		printf("(more: --before %s)\n", cursor);
	return EXIT_OK;
}

/* The record explained: why MFA was or was not required. */
static void print_record(const struct signin_record *r, const struct signin_json_meta *m)
{
	char ts[TG_TIME_ISO_LEN], buf[256];
	tg_time_iso(r->created_date_time, ts);
	printf("Sign-in %s at %s%s\n", r->id, ts, r->is_interactive ? "" : " (non-interactive)");
	printf("  user        %s (%s)\n", r->user_principal_name, r->user_id[0] ? r->user_id : "unknown");
	printf("  app         %s (%s)\n", r->app_display_name, r->app_id);
	printf("  from        %s, %s (%s), %s\n", r->ip_address, r->client_app_used, signin_json_client_name(m->client),
	       platform_name(r->operating_system));
	printf("  outcome     %s, error %d%s%s\n", decision_outcome_name(r->outcome), r->error_code,
	       r->failure_reason[0] ? ": " : "", r->failure_reason);
	if (r->additional_details[0])
		printf("  details     %s\n", r->additional_details);
	printf("  risk        sign-in %s%s%s%s, user %s%s%s%s\n", risk_level_name(r->risk_level_during_sign_in),
	       r->risk_reason[0] ? " (" : "", r->risk_reason, r->risk_reason[0] ? ")" : "",
	       risk_level_name(r->user_risk_level), r->user_risk_reason[0] ? " (" : "", r->user_risk_reason,
	       r->user_risk_reason[0] ? ")" : "");
	printf("  request id  %s\n", m->request_id);
	printf("Authentication requirement: %s\n", signin_requirement_name(r->multi_factor));
	for (size_t i = 0; i < r->n_requirement_policies; i++) {
		const struct signin_requirement *q = &r->authentication_requirement_policies[i];
		printf("  %-48s %-12s %s\n", q->requirement_provider, q->status, q->detail);
	}
	printf("Authentication steps:\n");
	for (size_t i = 0; i < r->n_authentication_details; i++) {
		const struct signin_auth_detail *a = &r->authentication_details[i];
		printf("  %-22s %-24s %-8s %s\n", a->authentication_step_requirement,
		       a->authentication_method[0] ? a->authentication_method : "-",
		       a->succeeded ? "ok" : "not met", a->authentication_step_result_detail);
	}
	printf("Conditional Access: %s\n", decision_ca_status_name(r->conditional_access_status));
	for (size_t i = 0; i < r->n_applied_policies; i++) {
		const struct signin_ca_policy *p = &r->applied_conditional_access_policies[i];
		printf("  %-22s %s (%s)%s%s\n", ca_result_name(p->result), p->display_name, p->id,
		       p->reason && p->reason[0] ? ": " : "", p->reason ? p->reason : "");
		if (p->conditions_not_satisfied)
			printf("  %-22s conditions not satisfied: %s\n", "",
			       ca_eval_conditions_format(p->conditions_not_satisfied, buf, sizeof buf));
	}
}

int cli_signins_show(struct cli *c, int argc, char **argv)
{
	CLI_PARSE(NULL, 1, 1);
	int r = cli_open(c, true);
	if (r)
		return r;
	char *json = NULL;
	if (svc_signin_get(&c->sv, &c->tenant, pos[0], &json))
		return cli_svc_err(c);
	if (c->json) {
		json_t *v = json_loads(json, 0, NULL);
		free(json);
		return cli_print_json(v);
	}
	struct signin_record rec;
	struct signin_json_meta meta;
	struct json_err je;
	signin_record_init(&rec);
	r = signin_parse(json, strlen(json), &rec, &meta, &je);
	free(json);
	if (r)
		return cli_err("the stored sign-in does not parse (%s: %s)", je.path, je.message);
	print_record(&rec, &meta);
	signin_record_cleanup(&rec);
	return EXIT_OK;
}

/* ------------------------------------------------------------ policy impact */

static void print_impact(const struct svc_impact_report *rep)
{
	char since[TG_TIME_ISO_LEN], until[TG_TIME_ISO_LEN];
	tg_time_iso(rep->since, since);
	tg_time_iso(rep->until, until);
	printf("Draft \"%s\" replayed over %zu sign-in%s from %s to %s (evaluated as if enabled)\n",
	       rep->draft.display_name, rep->replayed, rep->replayed == 1 ? "" : "s", since, until);
	printf("  applies to     %zu\n", rep->applied);
	printf("  would block    %zu (%zu of them were not blocked)\n", rep->blocked, rep->newly_blocked);
	printf("  would prompt   %zu (%zu of them were allowed without a prompt)\n", rep->prompted,
	       rep->newly_prompted);
	if (rep->skipped_unknown_user || rep->skipped_unreadable)
		printf("  skipped        %zu (user unknown or deleted), %zu unreadable\n", rep->skipped_unknown_user,
		       rep->skipped_unreadable);
	if (rep->changed_without_draft)
		printf("  note: %zu sign-in%s would already end differently without the draft (the tenant or "
		       "the users changed since)\n", rep->changed_without_draft, rep->changed_without_draft == 1 ? "" : "s");
	if (rep->truncated)
		printf("  note: only the first %d sign-ins were replayed\n", TG_MAX_IMPACT_SIGNINS);
	if (rep->security_defaults_on)
		printf("  note: security defaults are on; the policy cannot be enabled until they are disabled\n");
	bool header = false;
	for (size_t i = 0; i < rep->n_rows; i++) {
		const struct svc_impact_row *w = &rep->rows[i];
		if (!w->applied)
			continue;
		if (!header) {
			printf("%-34s %-28s %8s %8s %8s %8s %10s %11s\n", "USER", "APP", "SIGN-INS", "APPLIES", "BLOCKED",
			       "PROMPTED", "NEW-BLOCKS", "NEW-PROMPTS");
			header = true;
		}
		printf("%-34s %-28s %8zu %8zu %8zu %8zu %10zu %11zu\n", w->upn, w->app_name, w->signins, w->applied,
		       w->blocked, w->prompted, w->newly_blocked, w->newly_prompted);
	}
}

int cli_policy_impact(struct cli *c, int argc, char **argv)
{
	const char *since = NULL, *until = NULL;
	struct cli_opt opts[] = {{"--since", OPT_STR, &since}, {"--until", OPT_STR, &until}, {0}};
	CLI_PARSE(opts, 1, 1);
	size_t len;
	char *text = cli_read_file(pos[0], TG_MAX_CA_POLICY_JSON, &len);
	if (!text)
		return EXIT_FAIL;
	int r = cli_open(c, true);
	if (r) {
		free(text);
		return r;
	}
	int64_t now = svc_now(&c->sv), from = now - 7 * 86400, to = now;
	if ((since && (tg_time_parse_when(since, now, &from) || from <= 0)) ||
	    (until && (tg_time_parse_when(until, now, &to) || to <= 0))) {
		free(text);
		return cli_usage_err(c, "--since and --until take a duration back (7d, 24h) or an ISO-8601 time");
	}
	struct svc_impact_report rep;
	svc_impact_report_init(&rep);
	r = svc_policy_impact(&c->sv, &c->tenant, text, len, from, to, &rep, NULL);
	free(text);
	if (r) {
		svc_impact_report_cleanup(&rep);
		return cli_svc_err(c);
	}
	if (c->json) {
		json_t *j = svc_impact_json(&rep);
		svc_impact_report_cleanup(&rep);
		return cli_print_json(j);
	}
	print_impact(&rep);
	svc_impact_report_cleanup(&rep);
	return EXIT_OK;
}
