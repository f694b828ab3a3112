/* SPDX-License-Identifier: MIT
 * `tollgate notify …`: the notices emailed to users when an administrator
 * turns per-user MFA on for them (svc_notify.h): list them, deliver the
 * due ones now, and turn them off or on for the tenant. */
#include <stdio.h>
#include <string.h>
#include "base/err.h"
#include "base/str.h"
#include "cli/cli_int.h"
#include "svc/svc_notify.h"

static const char *status_name(int st)
{
	switch (st) {
	case STORE_NOTIFY_PENDING: return "pending";
	case STORE_NOTIFY_SENT: return "sent";
	case STORE_NOTIFY_FAILED: return "failed";
	}
	return "?";
}

static int print_row(const struct store_notification *n, void *arg)
{
	json_t *arr = arg;
	char created[TG_TIME_ISO_LEN], when[TG_TIME_ISO_LEN] = "";
	tg_time_iso(n->created, created);
	if (n->status == STORE_NOTIFY_SENT)
		tg_time_iso(n->sent, when);
	else if (n->status == STORE_NOTIFY_PENDING)
		tg_time_iso(n->next_attempt, when);
	if (arr) {
		json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:I,s:s,s:i}", "id", n->id,
		                      "created", created, "status", status_name(n->status),
		                      "kind", n->kind, "userPrincipalName", n->upn, "to", n->to,
		                      "changeSeq", (json_int_t)n->change_seq,
		                      "locale", n->locale,
		                      "attempts", (int)n->attempts);
		if (!o)
			return TG_ERR_NOMEM;
		if (n->status == STORE_NOTIFY_SENT)
			json_object_set_new(o, "sent", json_string(when));
		if (n->status == STORE_NOTIFY_PENDING)
			json_object_set_new(o, "nextAttempt", json_string(when));
		if (n->last_error[0])
			json_object_set_new(o, "lastError", json_string(n->last_error));
		json_array_append_new(arr, o);
		return 0;
	}
	printf("%s  %-7s  %-11s  %-30s  %s  attempts %u", created, status_name(n->status), n->kind,
	       n->upn, n->to, n->attempts);
	if (n->status == STORE_NOTIFY_SENT)
		printf("  sent %s", when);
	else if (n->status == STORE_NOTIFY_PENDING)
		printf("  next %s", when);
	if (n->last_error[0])
		printf("\n    last error: %s", n->last_error);
	printf("\n");
	return 0;
}

int cli_notify_list(struct cli *c, int argc, char **argv)
{
	bool pending = false, failed = false, sent = false;
	const char *limit = NULL;
	struct cli_opt opts[] = {{"--pending", OPT_FLAG, &pending}, {"--failed", OPT_FLAG, &failed},
	                         {"--sent", OPT_FLAG, &sent}, {"--limit", OPT_STR, &limit}, {0}};
	CLI_PARSE(opts, 0, 0);
	if ((int)pending + (int)failed + (int)sent > 1)
		return cli_usage_err(c, "choose one of --pending, --failed and --sent");
	int status = pending ? STORE_NOTIFY_PENDING : failed ? STORE_NOTIFY_FAILED
	           : sent    ? STORE_NOTIFY_SENT    : -1;
	int64_t n = 100;
	if (limit && tg_parse_i64(limit, 1, TG_MAX_NOTIFY_LIST, &n))
		return cli_usage_err(c, "--limit must be a whole number from 1 to %d", TG_MAX_NOTIFY_LIST);
	int r = cli_open(c, true);
	if (r)
		return r;
	json_t *arr = c->json ? json_array() : NULL;
	if (svc_notify_list(&c->sv, &c->tenant, status, (int)n, print_row, arr)) {
		json_decref(arr);
		return cli_svc_err(c);
	}
	return arr ? cli_print_json(arr) : EXIT_OK;
}

int cli_notify_run(struct cli *c, int argc, char **argv)
{
	const char *max = NULL;
	struct cli_opt opts[] = {{"--max", OPT_STR, &max}, {0}};
	CLI_PARSE(opts, 0, 0);
	int64_t n = 100;
	if (max && tg_parse_i64(max, 1, TG_MAX_NOTIFY_BATCH, &n))
		return cli_usage_err(c, "--max must be a whole number from 1 to %d", TG_MAX_NOTIFY_BATCH);
	int r = cli_open(c, false);
	if (r)
		return r;
	char base[TG_MAX_PATH];
	svc_notify_base_url(&c->cfg, base, sizeof base);
	char err[600];
	if (auth_config_check(&c->cfg.auth, err, sizeof err))
		return cli_err("configuration: %s", err);
	struct svc_notify_sender s = {
		.sv = &c->sv,
		.cfg = &c->cfg.auth,
		.base_url = base,
		.retry_seconds = c->cfg.notify.retry_seconds,
	};
	struct svc_notify_run_report rep;
	if (svc_notify_run_once(&s, svc_now(&c->sv), (size_t)n, &rep))
		return cli_svc_err(c);
	if (c->json) {
		r = cli_print_json(json_pack("{s:I,s:I,s:I}", "sent", (json_int_t)rep.sent,
		                             "retrying", (json_int_t)rep.retrying,
		                             "failed", (json_int_t)rep.failed));
		if (r)
			return r;
	} else {
		printf("sent %zu, failed and to be retried %zu, failed for good %zu\n", rep.sent,
		       rep.retrying, rep.failed);
	}
	return rep.retrying || rep.failed ? EXIT_FAIL : EXIT_OK;
}

static int set_tenant(struct cli *c, int argc, char **argv, bool on)
{
	CLI_PARSE(NULL, 0, 0);
	int r = cli_open(c, true);
	if (r)
		return r;
	if (svc_notify_tenant_set(&c->sv, &c->tenant, on))
		return cli_svc_err(c);
	const char *global = svc_notify_enabled() ? ""
	                   : " (but notify_mfa_enabled = false in the configuration turns them off "
	                     "everywhere)";
	if (c->json)
		return cli_print_json(json_pack("{s:s,s:b,s:b}", "tenant", c->tenant.name,
		                                "mfaEnabled", on, "configurationAllows",
		                                svc_notify_enabled()));
	printf("Users of %s are %s told by email when MFA is turned on for them%s.\n",
	       c->tenant.name, on ? "now" : "no longer", on ? global : "");
	return EXIT_OK;
}

int cli_notify_enable(struct cli *c, int argc, char **argv) { return set_tenant(c, argc, argv, true); }
int cli_notify_disable(struct cli *c, int argc, char **argv) { return set_tenant(c, argc, argv, false); }
