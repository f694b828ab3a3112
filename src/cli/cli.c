/* SPDX-License-Identifier: MIT
 * tollgate command line: global options, the subcommand table (sorted by
 * name), dispatch, the option parser and shared helpers. */
#include <errno.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "base/err.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/str.h"
#include "cli/cli.h"
#include "cli/cli_int.h"
#include "store/store.h"
#include "svc/svc_notify.h"

static const struct cli_cmd commands[] = {
	{"account unlock", cli_account_unlock, "UPN",
	 "clear a user's failed password and second-factor attempts (ends a lockout)", NULL},
	{"app add", cli_app_add,
	 "NAME --redirect-uri URI [--redirect-uri URI…] [--public] [--grant TYPE…] [--permission PERM…] [--signing-alg ES256|RS256]",
	 "register an OpenID Connect app: prints its client id and, for a confidential app, its secret once",
	 "  --redirect-uri  an exact redirect URI (repeatable): https://, or http:// only for\n"
	 "                  127.0.0.1, [::1] or localhost; no fragment\n"
	 "  --public        a public client (SPA, native app): no secret, PKCE (S256) required\n"
	 "  --grant         client_credentials for app-only tokens (confidential apps);\n"
	 "                  redirect URIs imply authorization_code and refresh_token\n"
	 "  --permission    an application permission for app-only tokens, e.g.\n"
	 "                  User.ReadWrite.All (repeatable; needs client_credentials)\n"
	 "  --signing-alg   ID token signing algorithm (default ES256)\n"},
	{"app delete", cli_app_delete, "APP_ID",
	 "delete an app with its codes and refresh tokens (built-in apps cannot be deleted)", NULL},
	{"app list", cli_app_list, "", "list the tenant's apps, built-in ones first", NULL},
	{"app show", cli_app_show, "APP_ID", "show an app (never its secret)", NULL},
	{"app-password create", cli_app_password_create, "UPN --name NAME",
	 "create an app password for legacy clients (printed once)",
	 "  Allowed only while the tenant allows app passwords (off by default:\n"
	 "  tollgate settings set allow-app-passwords true); at most 40 per user.\n"},
	{"app-password delete", cli_app_password_delete, "UPN ID", "delete one app password", NULL},
	{"app-password delete-all", cli_app_password_delete_all, "UPN",
	 "delete all of a user's app passwords", NULL},
	{"app-password list", cli_app_password_list, "UPN",
	 "list a user's app passwords (names and dates, never the passwords)", NULL},
	{"audit list", cli_audit_list,
	 "[--since DURATION|TIME] [--action PREFIX] [--target NAME] [--actor ACTOR] [--limit N]",
	 "show the audit log, newest first",
	 "  --since    24h, 7d, … or an ISO-8601 time\n  --action   only actions starting with PREFIX (user., user.mfa_state, group., …)\n"
	 "  --target   only records about this UPN or name\n"
	 "  --actor    only changes made by ACTOR, exactly as listed: user:UPN (lowercase),\n"
	 "             app:CLIENT-ID, cli:USER, system\n"
	 "  --limit    at most N records (default 100)\n"},
	{"code send", cli_code_send, "UPN --channel email|sms|voice",
	 "send a one-time code through the configured channel",
	 "  email goes to the user's email method, sms to the mobile number, voice to\n"
	 "  the mobile, alternateMobile or office number. Codes are valid 10 minutes\n"
	 "  and used once; sends are limited per user (otp_max_sends per 15 minutes).\n"
	 "  Channels are configured in tollgate.conf (see README, \"Channels\").\n"},
	{"code verify", cli_code_verify, "UPN CODE [--source IP]",
	 "check a one-time code sent by code send (uses it up)", NULL},
	{"group add", cli_group_add, "NAME [--description TEXT]", "create a group", NULL},
	{"group delete", cli_group_delete, "NAME", "delete a group (its memberships go with it)", NULL},
	{"group list", cli_group_list, "", "list the tenant's groups", NULL},
	{"group member add", cli_group_member_add, "GROUP (--user UPN | --group NAME)",
	 "add a user or a group to a group (nested groups; cycles are refused)", NULL},
	{"group member remove", cli_group_member_remove, "GROUP (--user UPN | --group NAME)",
	 "remove a member from a group", NULL},
	{"group members", cli_group_members, "GROUP [--transitive]",
	 "list a group's members (--transitive: through nested groups)", NULL},
	{"init", cli_init, "[--domain DOMAIN] [--admin UPN] [--no-security-defaults]",
	 "create the data directory, database, master key, first tenant and a Global Administrator",
	 "  Creates DATA (default ./data) with tollgate.db and master.key (mode 0600),\n"
	 "  the tenant named by --tenant (default \"default\") and a Global Administrator\n"
	 "  (default admin@DOMAIN) whose one-time password is printed once.\n"
	 "  --domain   the tenant's domain (default TENANT.tollgate.local)\n"
	 "  --admin    the administrator's user principal name\n"
	 "  Security defaults are turned on, as Entra does for new tenants: everyone\n"
	 "  registers for MFA, administrators and the admin portal ask for it every\n"
	 "  time, legacy authentication is blocked. --no-security-defaults leaves them\n"
	 "  off (per-user MFA or Conditional Access instead).\n"},
	{"key rotate", cli_key_rotate, "[--reseal-only]",
	 "add a master key generation and re-seal every secret under it",
	 "  Older generations stay in the key file, so reads keep working throughout.\n"
	 "  --reseal-only  re-seal under the current generation without adding one\n"
	 "                 (finishes an interrupted rotation)\n"
	 "  Restart running servers afterwards so they read the new key file.\n"},
	{"key rotate-signing", cli_key_rotate_signing, "[--alg ES256|RS256]",
	 "give the tenant new OpenID Connect token signing keys (both algorithms by default)",
	 "  New ID and access tokens are signed with the new key at once; the previous\n"
	 "  key stays in the JWKS until every token it signed has expired (1 hour and\n"
	 "  5 minutes), so relying parties never meet a token they cannot verify.\n"
	 "  --alg   rotate only this algorithm's key\n"},
	{"key signing", cli_key_signing, "",
	 "list the tenant's published token signing keys (kid, algorithm, current or previous)",
	 NULL},
	{"location create", cli_location_create, "FILE.json",
	 "create a named location from Graph ipNamedLocation JSON (\"-\" = standard input)",
	 "  {\"@odata.type\": \"#microsoft.graph.ipNamedLocation\", \"displayName\": \"Office\",\n"
	 "   \"isTrusted\": true, \"ipRanges\": [{\"@odata.type\": \"#microsoft.graph.iPv4CidrRange\",\n"
	 "   \"cidrAddress\": \"203.0.113.0/24\"}]}\n"
	 "  IPv4 and IPv6 ranges (mask greater than /8), at most 195 locations per tenant.\n"},
	{"location delete", cli_location_delete, "ID",
	 "delete a named location (not while trusted, nor while a policy uses it)", NULL},
	{"location list", cli_location_list, "", "list the tenant's named locations", NULL},
	{"location show", cli_location_show, "ID", "show a named location as Graph JSON", NULL},
	{"location update", cli_location_update, "ID FILE.json",
	 "replace a named location (set \"isTrusted\": false before deleting a trusted one)", NULL},
	{"maintenance run", cli_maintenance_run, "",
	 "purge dead sessions and tokens and apply the sign-in log retention now",
	 "  What `tollgate serve` does every housekeeping_interval_seconds (default 300):\n"
	 "  delete expired or revoked sessions, remembered devices, authorization codes,\n"
	 "  refresh tokens and revoked token ids, and sign-in records older than\n"
	 "  signin_log_retention_days (default 30; 0 keeps them forever), counted per\n"
	 "  kind. Each tenant whose log lost records gets a signins.retention audit record.\n"},
	{"method activate", cli_method_activate, "UPN METHOD_ID CODE",
	 "activate a pending authenticator app or hardware token with a current code", NULL},
	{"method add-app", cli_method_add_app, "UPN [--name NAME] [--qr FILE.svg]",
	 "register an authenticator app: prints the secret and otpauth URI once",
	 "  The method stays pending until activated with a current code.\n"
	 "  --qr   also write the QR code as SVG to FILE (mode 0600)\n"},
	{"method add-email", cli_method_add_email, "UPN ADDRESS", "add the user's email method", NULL},
	{"method add-phone", cli_method_add_phone, "UPN \"+CC NUMBER\" [--type mobile|alternateMobile|office]",
	 "add a phone number (one per type; SMS only to mobile numbers)", NULL},
	{"method delete", cli_method_delete, "UPN METHOD_ID", "delete one of a user's methods", NULL},
	{"method list", cli_method_list, "UPN",
	 "list a user's authentication methods, recovery codes and app passwords", NULL},
	{"method require-reregister", cli_method_require_reregister, "UPN",
	 "delete phone numbers and authenticator apps, deactivate hardware tokens", NULL},
	{"method verify", cli_method_verify, "UPN CODE [--source IP]",
	 "check a code from an authenticator app or hardware token (each code works once)", NULL},
	{"mfa revoke-sessions", cli_mfa_revoke_sessions, "UPN",
	 "sign a user out everywhere: end their sessions, remembered devices and refresh tokens", NULL},
	{"mfa set", cli_mfa_set, "STATE [UPN…] [--from-file FILE] [--all] [--dry-run]",
	 "set per-user MFA state (disabled, enabled, enforced) for users",
	 "  UPN…          users named on the command line\n"
	 "  --from-file   a file with one UPN a line (\"-\" = standard input; # comments)\n"
	 "  --all         every user of the tenant\n"
	 "  --dry-run     report what would change, change nothing\n"
	 "  Unknown UPNs are reported and the others applied; the summary counts\n"
	 "  changed / unchanged / not found. Exit status 1 if any UPN was not found.\n"},
	{"mfa show", cli_mfa_show, "UPN", "show a user's per-user MFA state", NULL},
	{"notify disable", cli_notify_disable, "",
	 "stop emailing the tenant's users when MFA is turned on for them", NULL},
	{"notify enable", cli_notify_enable, "",
	 "email the tenant's users when MFA is turned on for them (the default)", NULL},
	{"notify list", cli_notify_list, "[--pending | --failed | --sent] [--limit N]",
	 "list the notices emailed (or to be emailed) to users, newest first",
	 "  A notice is queued when an administrator turns per-user MFA on for a user\n"
	 "  (disabled to enabled or enforced) and delivered by `tollgate serve` in the\n"
	 "  background, retried for about a day when the mail server fails.\n"
	 "  --limit   at most N (default 100, at most 1000)\n"},
	{"notify run", cli_notify_run, "[--max N]",
	 "deliver the notices due now (what `serve` does every few seconds)",
	 "  --max   at most N notices (default 100, at most 1000)\n"
	 "  Exit status 1 when a delivery failed (it stays queued for a retry).\n"},
	{"policy create", cli_policy_create, "FILE.json",
	 "create a Conditional Access policy from Graph conditionalAccessPolicy JSON",
	 "  The document is validated as Graph does; the first fault is reported with\n"
	 "  its JSON path (conditions.users.includeUsers[2]: …) and nothing is stored.\n"
	 "  \"-\" reads standard input. A policy cannot be enabled while security\n"
	 "  defaults are on: create it as disabled or enabledForReportingButNotEnforced.\n"},
	{"policy delete", cli_policy_delete, "ID", "delete a Conditional Access policy", NULL},
	{"policy impact", cli_policy_impact, "FILE.json [--since DURATION|TIME] [--until TIME]",
	 "replay logged sign-ins against a draft policy: who it would block or prompt",
	 "  Every sign-in logged in the period (default: the last 7 days) is decided\n"
	 "  again against the tenant as it is plus the draft, evaluated as if enabled,\n"
	 "  with each user's current roles, groups and methods. The report counts the\n"
	 "  sign-ins the draft applies to, would block and would prompt for MFA (or\n"
	 "  registration, or a password change), by user and app, and how many of\n"
	 "  those were not blocked / were allowed without a prompt in reality.\n"},
	{"policy list", cli_policy_list, "", "list the tenant's Conditional Access policies", NULL},
	{"policy show", cli_policy_show, "ID", "show a policy as canonical Graph JSON", NULL},
	{"policy template", cli_policy_template, "NAME [--admin UPN]",
	 "create a policy from a template, in report-only state",
	 "  require-mfa-admins                      MFA for the 14 administrator roles\n"
	 "  require-mfa-all-users                   MFA for all users\n"
	 "  block-legacy-auth                       block Exchange ActiveSync and other legacy clients\n"
	 "  require-mfa-admin-portals               MFA for administrators in the admin portal and API\n"
	 "  require-mfa-risky-sign-ins              MFA at every sign-in of medium or high risk\n"
	 "  require-password-change-high-risk-users MFA and a password change for high-risk users\n"
	 "  --admin  the administrator creating it, excluded from the policy as Entra's\n"
	 "           templates exclude their creator (default: the tenant's only Global\n"
	 "           Administrator)\n"},
	{"policy update", cli_policy_update, "ID FILE.json", "replace a Conditional Access policy", NULL},
	{"recovery-codes regenerate", cli_recovery_codes_regenerate, "UPN",
	 "make 10 new recovery codes (printed once; the old ones stop working)", NULL},
	{"recovery-codes verify", cli_recovery_codes_verify, "UPN CODE [--source IP]",
	 "use one recovery code", NULL},
	{"risk bad-ip add", cli_risk_bad_ip_add, "CIDR",
	 "add an address or range to the bad-IP list (sign-ins from it are high risk)", NULL},
	{"risk bad-ip list", cli_risk_bad_ip_list, "", "list the bad-IP ranges", NULL},
	{"risk bad-ip remove", cli_risk_bad_ip_remove, "CIDR", "remove a range from the bad-IP list", NULL},
	{"risk set-user", cli_risk_set_user, "UPN high|none [--reason TEXT]",
	 "confirm a user compromised (user risk high) or dismiss the user's risk", NULL},
	{"risk show", cli_risk_show, "UPN", "show a user's risk and why", NULL},
	{"role assign", cli_role_assign, "UPN ROLE", "assign a directory role (name, key or template id)", NULL},
	{"role list", cli_role_list, "", "list the built-in directory roles", NULL},
	{"role members", cli_role_members, "ROLE", "list the users holding a role", NULL},
	{"role remove", cli_role_remove, "UPN ROLE", "remove a directory role from a user", NULL},
	{"security-defaults disable", cli_security_defaults_disable, "", "turn security defaults off", NULL},
	{"security-defaults enable", cli_security_defaults_enable, "[--disable-per-user-mfa]",
	 "turn security defaults on",
	 "  Refused while any Conditional Access policy is enabled, and while any user\n"
	 "  has per-user MFA enabled or enforced unless --disable-per-user-mfa, which\n"
	 "  first sets every user of the tenant to disabled (each change audited).\n"
	 "  Users then get 14 days from their first interactive sign-in to register.\n"},
	{"security-defaults show", cli_security_defaults_show, "", "show whether security defaults are on", NULL},
	{"serve", cli_serve, "[--listen ADDR:PORT] [--threads N]",
	 "run the server until SIGTERM or SIGINT",
	 "  --listen   address and port (default 127.0.0.1:8080; [::1]:8080 for IPv6)\n"
	 "  --threads  worker threads (default 4)\n"
	 "  Settings come from defaults < config file < TOLLGATE_* environment < flags.\n"},
	{"settings set", cli_settings_set, "KEY VALUE", "change one MFA service setting",
	 "  allow-app-passwords   true | false (creation only; existing ones keep working)\n"
	 "  verification-options  comma list of app-code, sms, voice, email\n"
	 "  remember-mfa-days     0 (off) or 1 to 365\n"
	 "  trusted-ips           comma-separated IPv4/IPv6 CIDR ranges (at most 50,\n"
	 "                        mask /8 or longer, private ranges allowed), or none\n"},
	{"settings show", cli_settings_show, "", "show the tenant's MFA service settings", NULL},
	{"signins list", cli_signins_list,
	 "[--user UPN] [--app APP] [--since D|TIME] [--until TIME] [--error CODE] [--status success|failure] "
	 "[--limit N] [--before CURSOR]",
	 "list sign-ins, newest first",
	 "  --error   only sign-ins with this status.errorCode (0 = success, 50076, 53003, …)\n"
	 "  --limit   at most N (default 100, at most 999); a full page prints the cursor\n"
	 "            of the next one for --before\n"},
	{"signins record", cli_signins_record,
	 "--user UPN --app APP --ip IP --client TYPE [--at TIME] [--platform P] [--user-agent UA] "
	 "[--risk R] [--mfa-at TIME] [--app-password] [--remembered-device] [--non-interactive] "
	 "[--protocol NAME]",
	 "simulate a sign-in: run the real decision and log it (administrator's test tool)",
	 "  Decides a synthetic sign-in exactly as a real one (sign-in risk from the\n"
	 "  bad-IP list and the user's history unless --risk is given) and writes it to\n"
	 "  the sign-in log; under security defaults an interactive one starts the\n"
	 "  user's registration grace. Use it to try policies and to feed `policy impact`.\n"
	 "  Options as `tollgate whatif`; --at backdates it (\"3d\" = 3 days ago),\n"
	 "  --protocol names a legacy protocol (IMAP, SMTP, …) for clientAppUsed.\n"},
	{"signins show", cli_signins_show, "ID", "show one sign-in and why MFA was or was not required", NULL},
	{"tenant create", cli_tenant_create, "NAME [--domain DOMAIN] [--display-name TEXT]", "create a tenant", NULL},
	{"tenant list", cli_tenant_list, "", "list tenants", NULL},
	{"token activate", cli_token_activate, "UPN SERIAL CODE",
	 "activate a user's hardware token with a current code", NULL},
	{"token import", cli_token_import, "FILE.csv [--dry-run]",
	 "import hardware OATH tokens: all rows or none",
	 "  Header (Entra's format): upn,serial number,secret key,time interval,manufacturer,model\n"
	 "  and optionally hash function (hmacsha1, hmacsha256). Secret keys are Base32\n"
	 "  (at most 128 characters), time intervals 30 or 60. Each token is assigned to\n"
	 "  its user, pending until activated; at most 5 apps and tokens per user.\n"
	 "  Any bad row is reported with its line number and nothing is imported.\n"},
	{"token list", cli_token_list, "", "list the tenant's hardware tokens and their status", NULL},
	{"user add", cli_user_add,
	 "UPN [--name NAME] [--email E] [--phone P] [--locale en|sv] [--password-stdin | --generate-password] [--must-change] [--disabled]",
	 "create a user",
	 "  Without a password the user cannot sign in until one is set.\n"
	 "  --password-stdin     read the password from the first line of standard input\n"
	 "  --generate-password  generate one and print it once\n"
	 "  --must-change        the user must change it at the next sign-in\n"
	 "  --phone              \"+CC NUMBER\" or \"+CC NUMBERxEXT\", e.g. \"+46 701234567\"\n"},
	{"user delete", cli_user_delete, "UPN", "delete a user", NULL},
	{"user disable", cli_user_disable, "UPN", "block a user from signing in", NULL},
	{"user enable", cli_user_enable, "UPN", "allow a disabled user to sign in again", NULL},
	{"user import", cli_user_import, "FILE.csv [--dry-run]",
	 "create users from a CSV file: all rows or none",
	 "  Header row with columns (any order): userPrincipalName (required),\n"
	 "  displayName, mail, mobilePhone, password, passwordHash (an Argon2id\n"
	 "  encoded hash), preferredLanguage (en|sv), accountEnabled (true|false).\n"
	 "  Any bad row is reported with its line number and nothing is applied.\n"},
	{"user list", cli_user_list, "[--state STATE] [--prefix TEXT] [--limit N]",
	 "list users (by UPN)", NULL},
	{"user set", cli_user_set, "UPN [--name NAME] [--email E] [--phone P] [--locale en|sv]",
	 "change a user's details (an empty value clears email or phone)", NULL},
	{"user set-password", cli_user_set_password, "UPN (--password-stdin | --generate-password) [--must-change]",
	 "set a user's password", NULL},
	{"user show", cli_user_show, "UPN", "show a user with roles and groups", NULL},
	{"version", cli_version, "", "print the version", NULL},
	{"whatif", cli_whatif,
	 "--user UPN --app APP --ip IP --client browser|mobileAppsAndDesktopClients|exchangeActiveSync|other "
	 "[--platform P] [--risk R] [--mfa-at TIME] [--user-agent UA] [--app-password] "
	 "[--remembered-device] [--non-interactive] [--at TIME]",
	 "decide a hypothetical sign-in and explain it (nothing is logged)",
	 "  Like Entra's What If: the outcome and error code, each requirement source\n"
	 "  (per-user MFA, security defaults, Conditional Access) with its detail, and\n"
	 "  every policy's result with its reason.\n"
	 "  --app       admin-portal, admin-api, my-signins, an app's name or client id\n"
	 "  --platform  android, iOS, windows, windowsPhone, macOS, linux (else from --user-agent)\n"
	 "  --risk      sign-in risk none|low|medium|high (else computed from the bad-IP\n"
	 "              list and the user's sign-in history)\n"
	 "  --mfa-at    the session's last MFA: \"now\", a duration back (2h) or a time\n"
	 "  --app-password  the credential was an app password (legacy clients)\n"},
};

#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void global_usage(FILE *f)
{
	fprintf(f, "usage: tollgate [--data DIR] [--tenant NAME] [--config FILE] [--json] COMMAND [ARGS]\n\n"
	           "Tollgate: a self-hosted identity provider with multifactor authentication.\n\n"
	           "Global options (before or after the command):\n"
	           "  --data DIR      data directory (default ./data, or $TOLLGATE_DATA)\n"
	           "  --tenant NAME   the tenant to act on (needed when there are several)\n"
	           "  --config FILE   configuration file (default DATA/tollgate.conf if present)\n"
	           "  --json          machine-readable output\n"
	           "  --help          help for any command: tollgate user add --help\n\n"
	           "Commands:\n");
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  %-22s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\nExit status: 0 success, 1 the operation failed, 2 usage error.\n");
}

void cli_usage(const struct cli_cmd *cmd, FILE *f)
{
	fprintf(f, "usage: tollgate %s %s\n  %s\n", cmd->name, cmd->args, cmd->summary);
	if (cmd->help)
		fprintf(f, "\n%s", cmd->help);
}

/* Commands whose names start with `prefix` words ("user"): the group help. */
static void group_usage(const char *prefix, FILE *f)
{
	fprintf(f, "usage: tollgate %s SUBCOMMAND …\n\n", prefix);
	size_t pl = strlen(prefix);
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strncmp(commands[i].name, prefix, pl) == 0 && commands[i].name[pl] == ' ')
			fprintf(f, "  tollgate %s %s\n      %s\n", commands[i].name, commands[i].args,
			        commands[i].summary);
}

int cli_err(const char *fmt, ...)
{
	va_list ap;
	fputs("tollgate: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return EXIT_FAIL;
}

int cli_usage_err(struct cli *c, const char *fmt, ...)
{
	va_list ap;
	fputs("tollgate: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (c->cmd)
		fprintf(stderr, "usage: tollgate %s %s\n(see `tollgate %s --help`)\n", c->cmd->name,
		        c->cmd->args, c->cmd->name);
	return EXIT_USAGE;
}

int cli_svc_err(struct cli *c)
{
	return cli_err("%s", c->sv.err[0] ? c->sv.err : "the operation failed");
}

int cli_print_json(json_t *v)
{
	if (!v)
		return cli_err("out of memory formatting JSON");
	int r = json_dumpf(v, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', stdout);
	json_decref(v);
	return r == 0 ? EXIT_OK : EXIT_FAIL;
}

void cli_actor(char *out, size_t size)
{
	struct passwd *pw = getpwuid(getuid());
	snprintf(out, size, "cli:%s", pw && pw->pw_name ? pw->pw_name : "unknown");
}

int cli_parse(struct cli *c, int argc, char **argv, const struct cli_opt *opts,
              char **pos, int min_pos, int max_pos, int *npos)
{
	int np = 0;
	bool only_pos = false;
	for (int i = 0; i < argc; i++) {
		char *a = argv[i];
		if (!only_pos && strcmp(a, "--") == 0) {
			only_pos = true;
			continue;
		}
		if (!only_pos && (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)) {
			cli_usage(c->cmd, stdout);
			return -1;
		}
		if (!only_pos && a[0] == '-' && a[1] != '\0') {
			const char *eq = strchr(a, '=');
			size_t nl = eq ? (size_t)(eq - a) : strlen(a);
			const struct cli_opt *o = NULL;
			for (const struct cli_opt *p = opts; p && p->name; p++)
				if (strlen(p->name) == nl && strncmp(p->name, a, nl) == 0)
					o = p;
			if (!o)
				return cli_usage_err(c, "unknown option %.*s", (int)nl, a);
			if (o->kind == OPT_FLAG) {
				if (eq)
					return cli_usage_err(c, "option %s takes no value", o->name);
				*(bool *)o->dest = true;
			} else {
				const char *v = eq ? eq + 1 : (i + 1 < argc ? argv[++i] : NULL);
				if (!v)
					return cli_usage_err(c, "option %s needs a value", o->name);
				*(const char **)o->dest = v;
			}
			continue;
		}
		if (np >= max_pos)
			return cli_usage_err(c, "unexpected argument \"%s\"", a);
		pos[np++] = a;
	}
	if (np < min_pos)
		return cli_usage_err(c, "missing argument%s", min_pos - np > 1 ? "s" : "");
	*npos = np;
	return 0;
}

int cli_open(struct cli *c, bool need_tenant)
{
	char err[600];
	config_defaults(&c->cfg, c->data_dir);
	int r;
	if (c->config_file)
		r = config_apply_file(&c->cfg, c->config_file, 0, err, sizeof err);
	else {
		char path[TG_MAX_PATH];
		snprintf(path, sizeof path, "%s/tollgate.conf", c->cfg.data_dir);
		r = config_apply_file(&c->cfg, path, 1, err, sizeof err);
	}
	if (!r)
		r = config_apply_env(&c->cfg, err, sizeof err);
	if (r)
		return cli_err("configuration: %s", err);
	log_set_level(c->cfg.log_level);
	svc_notify_set_enabled(c->cfg.notify.mfa_enabled);
	struct store_open_opts o = {.dsn = c->cfg.db_path, .create = false};
	r = store_open("sqlite", &o, &c->store);
	if (r == TG_ERR_NOT_FOUND)
		return cli_err("no database at %s: run `tollgate --data %s init` first",
		               c->cfg.db_path, c->cfg.data_dir);
	if (r == TG_ERR_SCHEMA_NEWER)
		return cli_err("the database %s was written by a newer Tollgate; upgrade Tollgate", c->cfg.db_path);
	if (r)
		return cli_err("cannot open the database %s: %s", c->cfg.db_path, tg_strerror(r));
	char actor[TG_MAX_AUDIT_ACTOR + 1];
	cli_actor(actor, sizeof actor);
	svc_init(&c->sv, c->store, &c->cfg.pw, actor);
	if (need_tenant && svc_tenant_resolve(&c->sv, c->tenant_name, &c->tenant))
		return cli_svc_err(c);
	return EXIT_OK;
}

void cli_close(struct cli *c)
{
	store_close(c->store);
	c->store = NULL;
}

char *cli_read_password_stdin(size_t *len_out)
{
	size_t cap = TG_MAX_PASSWORD_BYTES + 2;
	char *buf = xcalloc(1, cap + 1);
	size_t n = 0;
	int ch;
	while ((ch = getchar()) != EOF && ch != '\n') {
		if (n >= cap) {
			tg_secret_free(buf, cap + 1);
			cli_err("the password on standard input is longer than %d bytes", TG_MAX_PASSWORD_BYTES);
			return NULL;
		}
		buf[n++] = (char)ch;
	}
	if (n && buf[n - 1] == '\r')
		buf[--n] = '\0';
	if (n == 0 && ch == EOF) {
		tg_secret_free(buf, cap + 1);
		cli_err("no password on standard input");
		return NULL;
	}
	*len_out = n;
	return buf;
}

char *cli_read_file(const char *path, size_t max, size_t *len_out)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (!f) {
		cli_err("cannot read %s: %s", path, strerror(errno));
		return NULL;
	}
	struct tg_buf b;
	tg_buf_init(&b, max);
	int r = tg_buf_read_stream(&b, f);
	if (f != stdin)
		fclose(f);
	if (r == TG_ERR_TOO_LARGE) {
		tg_buf_cleanup(&b);
		cli_err("%s is larger than %zu bytes", path, max);
		return NULL;
	}
	if (r) {
		tg_buf_cleanup(&b);
		cli_err("cannot read %s", path);
		return NULL;
	}
	*len_out = b.len;
	return b.data ? b.data : xstrdup("");
}

int cli_version(struct cli *c, int argc, char **argv)
{
	int np;
	int r = cli_parse(c, argc, argv, NULL, NULL, 0, 0, &np);
	if (r)
		return r < 0 ? EXIT_OK : r;
	if (c->json)
		return cli_print_json(json_pack("{s:s}", "version", TG_VERSION));
	printf("tollgate %s\n", TG_VERSION);
	return EXIT_OK;
}

/* Match the longest command name made of leading words of argv. */
static const struct cli_cmd *find_command(int argc, char **argv, int *used)
{
	const struct cli_cmd *best = NULL;
	int best_words = 0;
	for (size_t i = 0; i < NCOMMANDS; i++) {
		const char *name = commands[i].name;
		int w = 0;
		const char *p = name;
		bool ok = true;
		while (*p && ok) {
			const char *sp = strchr(p, ' ');
			size_t len = sp ? (size_t)(sp - p) : strlen(p);
			ok = w < argc && strlen(argv[w]) == len && strncmp(argv[w], p, len) == 0;
			w++;
			p = sp ? sp + 1 : p + len;
		}
		if (ok && w > best_words) {
			best = &commands[i];
			best_words = w;
		}
	}
	*used = best_words;
	return best;
}

int cli_main(int argc, char **argv)
{
	struct cli c;
	memset(&c, 0, sizeof c);
	c.data_dir = getenv("TOLLGATE_DATA");
	/* pull the global options out of argv, wherever they are (before "--") */
	char **rest = xcalloc((size_t)argc + 1, sizeof *rest);
	int nrest = 0;
	bool help = false, dashdash = false;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char **dest = NULL;
		if (!dashdash && strcmp(a, "--") == 0)
			dashdash = true;
		if (!dashdash) {
			if (strcmp(a, "--json") == 0) { c.json = true; continue; }
			if (strcmp(a, "--data") == 0) dest = &c.data_dir;
			else if (strcmp(a, "--tenant") == 0) dest = &c.tenant_name;
			else if (strcmp(a, "--config") == 0) dest = &c.config_file;
			else if (strncmp(a, "--data=", 7) == 0) { c.data_dir = a + 7; continue; }
			else if (strncmp(a, "--tenant=", 9) == 0) { c.tenant_name = a + 9; continue; }
			else if (strncmp(a, "--config=", 9) == 0) { c.config_file = a + 9; continue; }
			if (dest) {
				if (i + 1 >= argc) {
					free(rest);
					fprintf(stderr, "tollgate: option %s needs a value\n", a);
					return EXIT_USAGE;
				}
				*dest = argv[++i];
				continue;
			}
			if ((strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) && nrest == 0) {
				help = true;
				continue;
			}
		}
		rest[nrest++] = argv[i];
	}
	if (nrest == 0) {
		free(rest);
		global_usage(help ? stdout : stderr);
		return help ? EXIT_OK : EXIT_USAGE;
	}
	int used = 0;
	const struct cli_cmd *cmd = find_command(nrest, rest, &used);
	int status;
	if (!cmd) {
		/* a command group ("tollgate user") or an unknown word */
		bool group = false;
		for (size_t i = 0; i < NCOMMANDS; i++) {
			size_t l = strlen(rest[0]);
			if (strncmp(commands[i].name, rest[0], l) == 0 && commands[i].name[l] == ' ')
				group = true;
		}
		if (group) {
			bool asked = help || (nrest > 1 && (strcmp(rest[1], "--help") == 0 || strcmp(rest[1], "-h") == 0));
			if (nrest > 1 && !asked)
				fprintf(stderr, "tollgate: unknown command \"%s %s\"\n", rest[0], rest[1]);
			group_usage(rest[0], asked ? stdout : stderr);
			status = asked ? EXIT_OK : EXIT_USAGE;
		} else {
			fprintf(stderr, "tollgate: unknown command \"%s\" (see `tollgate --help`)\n", rest[0]);
			status = EXIT_USAGE;
		}
		free(rest);
		return status;
	}
	c.cmd = cmd;
	if (help) {
		cli_usage(cmd, stdout);
		free(rest);
		return EXIT_OK;
	}
	status = cmd->fn(&c, nrest - used, rest + used);
	cli_close(&c);
	free(rest);
	fflush(stdout);
	if (ferror(stdout) && status == EXIT_OK)
		status = cli_err("could not write the output");
	return status;
}
