/* SPDX-License-Identifier: MIT
 * `tollgate settings …`, `security-defaults …`, `policy …` (but impact),
 * `location …` and `risk …`: the tenant's MFA service settings, security
 * defaults, Conditional Access policies and templates, named locations and
 * risk inputs, through svc_policy.h. Sign-ins, what-if and impact are in
 * cli_signin.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/err.h"
#include "base/mem.h"
#include "base/str.h"
#include "cli/cli_int.h"
#include "core/ca_templates.h"
#include "core/roles.h"
#include "json/ca_policy_json.h"
#include "json/named_location_json.h"
#include "store/store_policy.h"
#include "svc/svc_policy.h"

/* Parse a JSON text we produced into a value for --json output. */
static json_t *json_of(const char *text)
{
	json_t *v = json_loads(text, 0, NULL);
	return v ? v : json_null();
}

/* -------------------------------------------------------------- settings */

int cli_settings_show(struct cli *c, int argc, char **argv)
{
	CLI_PARSE(NULL, 0, 0);
	int r = cli_open(c, true);
	if (r)
		return r;
	struct svc_settings s;
	if (svc_settings_get(&c->sv, &c->tenant, &s))
		return cli_svc_err(c);
	if (c->json) {
		char *text = svc_settings_json(&s);
		json_t *v = json_of(text);
		free(text);
		return cli_print_json(v);
	}
	char opts[64];
	printf("%-22s %s\n", "allow-app-passwords", s.allow_app_passwords ? "true" : "false");
	printf("%-22s %s\n", "verification-options",
	       svc_verification_options_format(s.verification_options, true, opts, sizeof opts));
	if (s.remember_mfa_days)
		printf("%-22s %u\n", "remember-mfa-days", s.remember_mfa_days);
	else
		printf("%-22s 0 (off)\n", "remember-mfa-days");
	printf("%-22s ", "trusted-ips");
	if (!s.n_trusted_ips)
		printf("none");
	for (size_t i = 0; i < s.n_trusted_ips; i++) {
		char buf[CIDR_STRLEN];
		cidr_format(&s.trusted_ips[i], buf);
		printf("%s%s", i ? "," : "", buf);
	}
	printf("\n%-22s %s\n", "security-defaults", s.security_defaults ? "enabled" : "disabled");
	return EXIT_OK;
}

int cli_settings_set(struct cli *c, int argc, char **argv)
{
	CLI_PARSE(NULL, 2, 2);
	static const char *const keys[] = {"allow-app-passwords", "verification-options",
	                                   "remember-mfa-days", "trusted-ips"};
	bool known = false;
	for (size_t i = 0; i < TG_ARRAY_LEN(keys); i++)
		known |= strcmp(pos[0], keys[i]) == 0;
	if (!known)
		return cli_usage_err(c, "unknown setting \"%s\" (allow-app-passwords, verification-options, "
		                     "remember-mfa-days, trusted-ips)", pos[0]);
	int r = cli_open(c, true);
	if (r)
		return r;
	if (svc_settings_set_text(&c->sv, &c->tenant, pos[0], pos[1]))
		return cli_svc_err(c);
	if (!c->json)
		printf("%s updated\n", pos[0]);
	else
		return cli_print_json(json_pack("{s:s,s:s}", "setting", pos[0], "value", pos[1]));
	return EXIT_OK;
}

/* ------------------------------------------------------ security defaults */

#define SD_POLICY_ID "00000000-0000-0000-0000-000000000005"

int cli_security_defaults_show(struct cli *c, int argc, char **argv)
{
	CLI_PARSE(NULL, 0, 0);
	int r = cli_open(c, true);
	if (r)
		return r;
	struct svc_settings s;
	if (svc_settings_get(&c->sv, &c->tenant, &s))
		return cli_svc_err(c);
	char ts[TG_TIME_ISO_LEN];
	tg_time_iso(s.security_defaults_since, ts);
	if (c->json)
		return cli_print_json(json_pack("{s:s,s:s,s:b,s:s*}", "id", SD_POLICY_ID,
		                                "displayName", "Security Defaults", "isEnabled", s.security_defaults,
		                                "enabledSince", s.security_defaults_since ? ts : NULL));
	if (s.security_defaults)
		printf("security defaults: enabled since %s\n", ts);
	else
		printf("security defaults: disabled\n");
	return EXIT_OK;
}

static int sd_set(struct cli *c, int argc, char **argv, bool enable)
{
	bool per_user = false;
	struct cli_opt opts[] = {{"--disable-per-user-mfa", OPT_FLAG, &per_user}, {0}};
	CLI_PARSE(enable ? opts : NULL, 0, 0);
	int r = cli_open(c, true);
	if (r)
		return r;
	struct svc_sd_report rep;
	if (svc_security_defaults_set(&c->sv, &c->tenant, enable, per_user, &rep))
		return cli_svc_err(c);
	if (c->json)
		return cli_print_json(json_pack("{s:b,s:b,s:I}", "isEnabled", enable, "changed", rep.changed,
		                                "perUserMfaDisabled", (json_int_t)rep.per_user_disabled));
	if (rep.per_user_disabled)
		printf("per-user MFA turned off for %zu user%s\n", rep.per_user_disabled,
		       rep.per_user_disabled == 1 ? "" : "s");
	printf("security defaults %s%s\n", rep.changed ? "" : "were already ", enable ? "enabled" : "disabled");
	return EXIT_OK;
}

int cli_security_defaults_enable(struct cli *c, int argc, char **argv) { return sd_set(c, argc, argv, true); }
int cli_security_defaults_disable(struct cli *c, int argc, char **argv) { return sd_set(c, argc, argv, false); }

/* ---------------------------------------------------------------- policies */

static const char *state_short(enum ca_state s)
{
	switch (s) {
	case CA_STATE_ENABLED: return "enabled";
	case CA_STATE_DISABLED: return "disabled";
	case CA_STATE_REPORT_ONLY: return "report-only";
	case CA_STATE_UNSET: break;
	}
	return "?";
}

static int print_policy(struct cli *c, const struct ca_policy *p, const char *verb)
{
	if (c->json || !verb)
		return cli_print_json(ca_policy_to_json(p));
	printf("%s policy %s \"%s\" (%s)\n", verb, p->id, p->display_name, state_short(p->state));
	return EXIT_OK;
}

int cli_policy_list(struct cli *c, int argc, char **argv)
{
	CLI_PARSE(NULL, 0, 0);
	int r = cli_open(c, true);
	if (r)
		return r;
	struct ca_policy *v;
	size_t n;
	if (svc_policy_list(&c->sv, &c->tenant, &v, &n))
		return cli_svc_err(c);
	if (c->json) {
		json_t *arr = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(arr, ca_policy_to_json(&v[i]));
		svc_policy_list_free(v, n);
		return cli_print_json(arr);
	}
	printf("%-12s %-36s %-20s %s\n", "STATE", "ID", "MODIFIED", "DISPLAY NAME");
	for (size_t i = 0; i < n; i++) {
		char ts[TG_TIME_ISO_LEN];
		tg_time_iso(v[i].modified, ts);
		printf("%-12s %-36s %-20s %s\n", state_short(v[i].state), v[i].id, ts, v[i].display_name);
	}
	svc_policy_list_free(v, n);
	return EXIT_OK;
}

int cli_policy_show(struct cli *c, int argc, char **argv)
{
	CLI_PARSE(NULL, 1, 1);
	int r = cli_open(c, true);
	if (r)
		return r;
	struct ca_policy p;
	if (svc_policy_get(&c->sv, &c->tenant, pos[0], &p))
		return cli_svc_err(c);
	r = print_policy(c, &p, NULL);
	ca_policy_cleanup(&p);
	return r;
}

static int policy_write(struct cli *c, const char *id, const char *file)
{
	size_t len;
	char *text = cli_read_file(file, TG_MAX_CA_POLICY_JSON, &len);
	if (!text)
		return EXIT_FAIL;
	int r = cli_open(c, true);
	if (r) {
		free(text);
		return r;
	}
	struct ca_policy p;
	ca_policy_init(&p);
	r = id ? svc_policy_update(&c->sv, &c->tenant, id, text, len, &p, NULL)
	       : svc_policy_create(&c->sv, &c->tenant, text, len, &p, NULL);
	free(text);
	if (r) {
		ca_policy_cleanup(&p);
		return cli_svc_err(c);
	}
	r = print_policy(c, &p, id ? "updated" : "created");
	ca_policy_cleanup(&p);
	return r;
}

int cli_policy_create(struct cli *c, int argc, char **argv)
{
	CLI_PARSE(NULL, 1, 1);
	return policy_write(c, NULL, pos[0]);
}

int cli_policy_update(struct cli *c, int argc, char **argv)
{
	CLI_PARSE(NULL, 2, 2);
	return policy_write(c, pos[0], pos[1]);
}

int cli_policy_delete(struct cli *c, int argc, char **argv)
{
	CLI_PARSE(NULL, 1, 1);
	int r = cli_open(c, true);
	if (r)
		return r;
	if (svc_policy_delete(&c->sv, &c->tenant, pos[0]))
		return cli_svc_err(c);
	if (c->json)
		return cli_print_json(json_pack("{s:s,s:b}", "id", pos[0], "deleted", 1));
	printf("deleted policy %s\n", pos[0]);
	return EXIT_OK;
}

struct one_id { char id[TG_ID_BUF]; int n; };

static int one_id_cb(const char *id, void *arg)
{
	struct one_id *o = arg;
	if (o->n++ == 0)
		tg_strlcpy(o->id, id, sizeof o->id);
	return 0;
}

int cli_policy_template(struct cli *c, int argc, char **argv)
{
	const char *admin = NULL;
	struct cli_opt opts[] = {{"--admin", OPT_STR, &admin}, {0}};
	CLI_PARSE(opts, 1, 1);
	if (!ca_template_find(pos[0]))
		return cli_usage_err(c, "unknown template \"%s\" (see `tollgate policy template --help`)", pos[0]);
	int r = cli_open(c, true);
	if (r)
		return r;
	struct one_id ga = {{0}, 0};
	if (!admin) {
		/* the one Global Administrator, as set up by `tollgate init` */
		if ((r = store_role_members(c->store, c->tenant.id, ROLE_ID_GLOBAL_ADMIN, one_id_cb, &ga)))
			return cli_err("cannot read the administrators: %s", tg_strerror(r));
		if (ga.n != 1)
			return cli_usage_err(c, "the tenant has %d Global Administrators: name the administrator "
			                     "creating the policy with --admin UPN (the template excludes them)", ga.n);
		admin = ga.id;
	}
	struct ca_policy p;
	ca_policy_init(&p);
	if (svc_policy_from_template(&c->sv, &c->tenant, pos[0], admin, &p)) {
		ca_policy_cleanup(&p);
		return cli_svc_err(c);
	}
	r = print_policy(c, &p, "created");
	if (!c->json && p.cond.users.exclude_users.n)
		printf("report-only; excludes %s (the creating administrator)\n", p.cond.users.exclude_users.v[0]);
	ca_policy_cleanup(&p);
	return r;
}

/* --------------------------------------------------------- named locations */

static int print_location(struct cli *c, const struct named_location *l, const char *verb)
{
	if (c->json || !verb)
		return cli_print_json(named_location_to_json(l));
	printf("%s named location %s \"%s\"%s, %zu range%s\n", verb, l->id, l->display_name,
	       l->is_trusted ? " (trusted)" : "", l->n_ranges, l->n_ranges == 1 ? "" : "s");
	return EXIT_OK;
}

int cli_location_list(struct cli *c, int argc, char **argv)
{
	CLI_PARSE(NULL, 0, 0);
	int r = cli_open(c, true);
	if (r)
		return r;
	struct named_location *v;
	size_t n;
	if (svc_location_list(&c->sv, &c->tenant, &v, &n))
		return cli_svc_err(c);
	if (c->json) {
		json_t *arr = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(arr, named_location_to_json(&v[i]));
		svc_location_list_free(v, n);
		return cli_print_json(arr);
	}
	printf("%-8s %-36s %-7s %s\n", "TRUSTED", "ID", "RANGES", "DISPLAY NAME");
	for (size_t i = 0; i < n; i++)
		printf("%-8s %-36s %-7zu %s\n", v[i].is_trusted ? "yes" : "no", v[i].id, v[i].n_ranges,
		       v[i].display_name);
	svc_location_list_free(v, n);
	return EXIT_OK;
}

int cli_location_show(struct cli *c, int argc, char **argv)
{
	CLI_PARSE(NULL, 1, 1);
	int r = cli_open(c, true);
	if (r)
		return r;
	struct named_location l;
	if (svc_location_get(&c->sv, &c->tenant, pos[0], &l))
		return cli_svc_err(c);
	r = print_location(c, &l, NULL);
	named_location_cleanup(&l);
	return r;
}

static int location_write(struct cli *c, const char *id, const char *file)
{
	size_t len;
	char *text = cli_read_file(file, TG_MAX_HTTP_BODY, &len);
	if (!text)
		return EXIT_FAIL;
	int r = cli_open(c, true);
	if (r) {
		free(text);
		return r;
	}
	struct named_location l;
	named_location_init(&l);
	r = id ? svc_location_update(&c->sv, &c->tenant, id, text, len, &l, NULL)
	       : svc_location_create(&c->sv, &c->tenant, text, len, &l, NULL);
	free(text);
	if (r) {
		named_location_cleanup(&l);
		return cli_svc_err(c);
	}
	r = print_location(c, &l, id ? "updated" : "created");
	named_location_cleanup(&l);
	return r;
}

int cli_location_create(struct cli *c, int argc, char **argv)
{
	CLI_PARSE(NULL, 1, 1);
	return location_write(c, NULL, pos[0]);
}

int cli_location_update(struct cli *c, int argc, char **argv)
{
	CLI_PARSE(NULL, 2, 2);
	return location_write(c, pos[0], pos[1]);
}

int cli_location_delete(struct cli *c, int argc, char **argv)
{
	CLI_PARSE(NULL, 1, 1);
	int r = cli_open(c, true);
	if (r)
		return r;
	if (svc_location_delete(&c->sv, &c->tenant, pos[0]))
		return cli_svc_err(c);
	if (c->json)
		return cli_print_json(json_pack("{s:s,s:b}", "id", pos[0], "deleted", 1));
	printf("deleted named location %s\n", pos[0]);
	return EXIT_OK;
}

/* -------------------------------------------------------------------- risk */

int cli_risk_show(struct cli *c, int argc, char **argv)
{
	CLI_PARSE(NULL, 1, 1);
	int r = cli_open(c, true);
	if (r)
		return r;
	struct svc_user_risk ur;
	if (svc_user_risk_get(&c->sv, &c->tenant, pos[0], &ur))
		return cli_svc_err(c);
	char ts[TG_TIME_ISO_LEN];
	tg_time_iso(ur.updated, ts);
	if (c->json)
		return cli_print_json(json_pack("{s:s,s:s,s:s,s:b,s:b,s:s*,s:s*,s:s*}", "user", pos[0],
		                                "riskLevel", risk_level_name(ur.risk.level), "riskDetail",
		                                ur.risk.reason, "adminConfirmedCompromised", ur.compromised,
		                                "reportedSuspiciousPrompt", ur.reported,
		                                "note", ur.reason[0] ? ur.reason : NULL,
		                                "updatedDateTime", ur.updated ? ts : NULL,
		                                "updatedBy", ur.actor[0] ? ur.actor : NULL));
	printf("user risk: %s%s%s%s\n", risk_level_name(ur.risk.level), ur.risk.reason[0] ? " (" : "",
	       ur.risk.reason, ur.risk.reason[0] ? ")" : "");
	if (ur.updated)
		printf("last change: %s by %s: %s\n", ts, ur.actor, ur.reason);
	return EXIT_OK;
}

int cli_risk_set_user(struct cli *c, int argc, char **argv)
{
	const char *reason = NULL;
	struct cli_opt opts[] = {{"--reason", OPT_STR, &reason}, {0}};
	CLI_PARSE(opts, 2, 2);
	enum risk_level level;
	if (risk_level_parse(pos[1], &level) || (level != RISK_HIGH && level != RISK_NONE))
		return cli_usage_err(c, "the level must be high (confirm compromised) or none (dismiss)");
	int r = cli_open(c, true);
	if (r)
		return r;
	if (svc_user_risk_set(&c->sv, &c->tenant, pos[0], level, reason))
		return cli_svc_err(c);
	if (c->json)
		return cli_print_json(json_pack("{s:s,s:s}", "user", pos[0], "riskLevel", risk_level_name(level)));
	printf("user risk of %s set to %s\n", pos[0], risk_level_name(level));
	return EXIT_OK;
}

int cli_risk_bad_ip_add(struct cli *c, int argc, char **argv)
{
	CLI_PARSE(NULL, 1, 1);
	int r = cli_open(c, true);
	if (r)
		return r;
	char canon[STORE_IP_BUF];
	if (svc_bad_ip_add(&c->sv, &c->tenant, pos[0], canon))
		return cli_svc_err(c);
	if (c->json)
		return cli_print_json(json_pack("{s:s,s:b}", "cidr", canon, "added", 1));
	printf("added %s to the bad-IP list\n", canon);
	return EXIT_OK;
}

int cli_risk_bad_ip_remove(struct cli *c, int argc, char **argv)
{
	CLI_PARSE(NULL, 1, 1);
	int r = cli_open(c, true);
	if (r)
		return r;
	if (svc_bad_ip_remove(&c->sv, &c->tenant, pos[0]))
		return cli_svc_err(c);
	if (c->json)
		return cli_print_json(json_pack("{s:s,s:b}", "cidr", pos[0], "removed", 1));
	printf("removed %s from the bad-IP list\n", pos[0]);
	return EXIT_OK;
}

static int bad_ip_row(const struct store_bad_ip *b, void *arg)
{
	char ts[TG_TIME_ISO_LEN];
	tg_time_iso(b->created, ts);
	if (arg)
		json_array_append_new(arg, json_pack("{s:s,s:s,s:s}", "cidr", b->cidr, "createdDateTime", ts,
		                                     "createdBy", b->actor));
	else
		printf("%-44s %-20s %s\n", b->cidr, ts, b->actor);
	return 0;
}

int cli_risk_bad_ip_list(struct cli *c, int argc, char **argv)
{
	CLI_PARSE(NULL, 0, 0);
	int r = cli_open(c, true);
	if (r)
		return r;
	json_t *arr = c->json ? json_array() : NULL;
	if (!arr)
		printf("%-44s %-20s %s\n", "RANGE", "ADDED", "BY");
	if ((r = store_bad_ip_list(c->store, c->tenant.id, bad_ip_row, arr))) {
		json_decref(arr);
		return cli_err("cannot read the bad-IP list: %s", tg_strerror(r));
	}
	return arr ? cli_print_json(arr) : EXIT_OK;
}
