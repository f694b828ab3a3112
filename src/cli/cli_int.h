/* SPDX-License-Identifier: MIT
 * Shared by the cli_*.c files: the per-invocation context, the option
 * parser and output helpers. Exit statuses: 0 success, 1 the operation
 * failed (message on stderr), 2 usage error. */
#ifndef TG_CLI_CLI_INT_H
#define TG_CLI_CLI_INT_H
#include <jansson.h>
#include <stdbool.h>
#include "core/model.h"
#include "svc/config.h"
#include "svc/svc.h"

#define EXIT_OK 0
#define EXIT_FAIL 1
#define EXIT_USAGE 2

struct cli {
	const char *data_dir;      /* --data or TOLLGATE_DATA */
	const char *tenant_name;   /* --tenant */
	const char *config_file;   /* --config */
	bool json;                 /* --json */
	const struct cli_cmd *cmd;
	struct tg_config cfg;
	struct store *store;
	struct svc sv;
	struct tg_tenant tenant;
};

struct cli_cmd {
	const char *name;          /* "user add" */
	int (*fn)(struct cli *c, int argc, char **argv);
	const char *args;          /* usage after the name */
	const char *summary;       /* one line */
	const char *help;          /* details, options (may be NULL) */
};

enum opt_kind { OPT_FLAG, OPT_STR };
struct cli_opt {
	const char *name;          /* "--name" */
	enum opt_kind kind;
	void *dest;                /* bool* or const char** */
};

/* Parse options (anywhere before "--") and positionals. Returns 0, 2 after
 * printing a usage error, or -1 when --help was asked (usage printed). */
int cli_parse(struct cli *c, int argc, char **argv, const struct cli_opt *opts,
              char **pos, int min_pos, int max_pos, int *npos);
void cli_usage(const struct cli_cmd *cmd, FILE *f);

/* In a handler `int fn(struct cli *c, int argc, char **argv)`: parse opts,
 * declare `char *pos[8]` and `int np` with the positionals, and return from
 * the handler on --help (0) or a usage error (2). */
#define CLI_PARSE(opts, minp, maxp) \
	char *pos[8]; int np = 0; \
	do { int _r = cli_parse(c, argc, argv, opts, pos, minp, maxp, &np); \
	     if (_r) return _r < 0 ? EXIT_OK : _r; } while (0)

/* Load configuration (file, env) and open the store. need_tenant resolves
 * --tenant (or the only tenant). Prints the error and returns EXIT_FAIL. */
int cli_open(struct cli *c, bool need_tenant);
void cli_close(struct cli *c);

/* Print "tollgate: <msg>" to stderr; returns EXIT_FAIL. */
int cli_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int cli_usage_err(struct cli *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Report a failed service call (sv->err) and return EXIT_FAIL. */
int cli_svc_err(struct cli *c);
/* Print a JSON value (steals the reference) to stdout, pretty. */
int cli_print_json(json_t *v);
/* The actor recorded in audit logs for this process: "cli:<user>". */
void cli_actor(char *out, size_t size);

/* Read a password from stdin (first line, without the newline) into a new
 * buffer the caller wipes with tg_secret_strfree. NULL on error (printed). */
char *cli_read_password_stdin(size_t *len_out);
/* Read a whole file ("-" = stdin) bounded by max bytes; caller frees. */
char *cli_read_file(const char *path, size_t max, size_t *len_out);

json_t *cli_user_json(const struct tg_user *u);

/* command handlers */
int cli_init(struct cli *c, int argc, char **argv);
int cli_serve(struct cli *c, int argc, char **argv);
int cli_version(struct cli *c, int argc, char **argv);
int cli_tenant_create(struct cli *c, int argc, char **argv);
int cli_tenant_list(struct cli *c, int argc, char **argv);
int cli_user_add(struct cli *c, int argc, char **argv);
int cli_user_list(struct cli *c, int argc, char **argv);
int cli_user_show(struct cli *c, int argc, char **argv);
int cli_user_set(struct cli *c, int argc, char **argv);
int cli_user_enable(struct cli *c, int argc, char **argv);
int cli_user_disable(struct cli *c, int argc, char **argv);
int cli_user_delete(struct cli *c, int argc, char **argv);
int cli_user_set_password(struct cli *c, int argc, char **argv);
int cli_user_import(struct cli *c, int argc, char **argv);
int cli_group_add(struct cli *c, int argc, char **argv);
int cli_group_delete(struct cli *c, int argc, char **argv);
int cli_group_list(struct cli *c, int argc, char **argv);
int cli_group_members(struct cli *c, int argc, char **argv);
int cli_group_member_add(struct cli *c, int argc, char **argv);
int cli_group_member_remove(struct cli *c, int argc, char **argv);
int cli_role_list(struct cli *c, int argc, char **argv);
int cli_role_assign(struct cli *c, int argc, char **argv);
int cli_role_remove(struct cli *c, int argc, char **argv);
int cli_role_members(struct cli *c, int argc, char **argv);
int cli_mfa_show(struct cli *c, int argc, char **argv);
int cli_mfa_set(struct cli *c, int argc, char **argv);
int cli_audit_list(struct cli *c, int argc, char **argv);
/* cli_app.c: OpenID Connect apps, revoking a user's sessions */
int cli_app_add(struct cli *c, int argc, char **argv);
int cli_app_delete(struct cli *c, int argc, char **argv);
int cli_app_list(struct cli *c, int argc, char **argv);
int cli_app_show(struct cli *c, int argc, char **argv);
int cli_mfa_revoke_sessions(struct cli *c, int argc, char **argv);
/* cli_auth.c: authentication methods, codes, tokens, keys */
int cli_account_unlock(struct cli *c, int argc, char **argv);
int cli_app_password_create(struct cli *c, int argc, char **argv);
int cli_app_password_delete(struct cli *c, int argc, char **argv);
int cli_app_password_delete_all(struct cli *c, int argc, char **argv);
int cli_app_password_list(struct cli *c, int argc, char **argv);
int cli_code_send(struct cli *c, int argc, char **argv);
int cli_code_verify(struct cli *c, int argc, char **argv);
int cli_key_rotate(struct cli *c, int argc, char **argv);
int cli_method_activate(struct cli *c, int argc, char **argv);
int cli_method_add_app(struct cli *c, int argc, char **argv);
int cli_method_add_email(struct cli *c, int argc, char **argv);
int cli_method_add_phone(struct cli *c, int argc, char **argv);
int cli_method_delete(struct cli *c, int argc, char **argv);
int cli_method_list(struct cli *c, int argc, char **argv);
int cli_method_require_reregister(struct cli *c, int argc, char **argv);
int cli_method_verify(struct cli *c, int argc, char **argv);
int cli_recovery_codes_regenerate(struct cli *c, int argc, char **argv);
int cli_recovery_codes_verify(struct cli *c, int argc, char **argv);
int cli_token_activate(struct cli *c, int argc, char **argv);
int cli_token_import(struct cli *c, int argc, char **argv);
int cli_token_list(struct cli *c, int argc, char **argv);
/* cli_policy.c: settings, security defaults, policies, named locations, risk */
int cli_location_create(struct cli *c, int argc, char **argv);
int cli_location_delete(struct cli *c, int argc, char **argv);
int cli_location_list(struct cli *c, int argc, char **argv);
int cli_location_show(struct cli *c, int argc, char **argv);
int cli_location_update(struct cli *c, int argc, char **argv);
int cli_policy_create(struct cli *c, int argc, char **argv);
int cli_policy_delete(struct cli *c, int argc, char **argv);
int cli_policy_list(struct cli *c, int argc, char **argv);
int cli_policy_show(struct cli *c, int argc, char **argv);
int cli_policy_template(struct cli *c, int argc, char **argv);
int cli_policy_update(struct cli *c, int argc, char **argv);
int cli_risk_bad_ip_add(struct cli *c, int argc, char **argv);
int cli_risk_bad_ip_list(struct cli *c, int argc, char **argv);
int cli_risk_bad_ip_remove(struct cli *c, int argc, char **argv);
int cli_risk_set_user(struct cli *c, int argc, char **argv);
int cli_risk_show(struct cli *c, int argc, char **argv);
int cli_security_defaults_disable(struct cli *c, int argc, char **argv);
int cli_security_defaults_enable(struct cli *c, int argc, char **argv);
int cli_security_defaults_show(struct cli *c, int argc, char **argv);
int cli_settings_set(struct cli *c, int argc, char **argv);
int cli_settings_show(struct cli *c, int argc, char **argv);
/* cli_signin.c: sign-in log, what-if, the simulation tool, policy impact */
int cli_policy_impact(struct cli *c, int argc, char **argv);
int cli_signins_list(struct cli *c, int argc, char **argv);
int cli_signins_record(struct cli *c, int argc, char **argv);
int cli_signins_show(struct cli *c, int argc, char **argv);
int cli_whatif(struct cli *c, int argc, char **argv);
/* cli_oidc.c: OpenID Connect token signing keys */
int cli_key_rotate_signing(struct cli *c, int argc, char **argv);
int cli_key_signing(struct cli *c, int argc, char **argv);
/* cli_notify.c: notices emailed to users */
int cli_notify_disable(struct cli *c, int argc, char **argv);
int cli_notify_enable(struct cli *c, int argc, char **argv);
int cli_notify_list(struct cli *c, int argc, char **argv);
int cli_notify_run(struct cli *c, int argc, char **argv);
/* cli_maint.c: housekeeping on demand */
int cli_maintenance_run(struct cli *c, int argc, char **argv);

#endif
