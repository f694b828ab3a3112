/* SPDX-License-Identifier: MIT
 * Authentication-method commands: `tollgate method …`, `code …`,
 * `token …`, `app-password …`, `recovery-codes …`, `account unlock` and
 * `key rotate`. Each loads the master key file only when it needs it and
 * calls one svc_auth function; secrets shown once are wiped after
 * printing. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "base/err.h"
#include "base/mem.h"
#include "base/str.h"
#include "cli/cli_int.h"
#include "crypto/keys.h"
#include "svc/svc_auth.h"

struct auth_cli {
	struct keys *keys;
	struct svc_auth a;
};

/* Open the store (tenant resolved), check the channel configuration and
 * load the master key file when need_keys. EXIT_OK or EXIT_FAIL (printed). */
static int auth_open(struct cli *c, struct auth_cli *x, bool need_keys)
{
	memset(x, 0, sizeof *x);
	int r = cli_open(c, true);
	if (r)
		return r;
	char err[300];
	if (auth_config_check(&c->cfg.auth, err, sizeof err))
		return cli_err("configuration: %s", err);
	if (need_keys) {
		r = keys_load(c->cfg.key_path, &x->keys);
		if (r == TG_ERR_NOT_FOUND)
			return cli_err("no master key file at %s (it is created by `tollgate init`)",
			               c->cfg.key_path);
		if (r == TG_ERR_FORBIDDEN)
			return cli_err("the master key file %s must be a regular file readable only by "
			               "its owner: chmod 600 %s", c->cfg.key_path, c->cfg.key_path);
		if (r)
			return cli_err("cannot load the master key file %s: %s", c->cfg.key_path,
			               tg_strerror(r));
	}
	svc_auth_init(&x->a, &c->sv, x->keys, &c->cfg.auth);
	return EXIT_OK;
}

static void auth_close(struct cli *c, struct auth_cli *x)
{
	keys_free(x->keys);
	x->keys = NULL;
	auth_config_cleanup(&c->cfg.auth);
}

/* Run body with the context open (`break` leaves it early), then close:
 * keeps every handler short. body sets _r for the exit status. */
#define AUTH_RUN(need_keys, ...) do { \
	struct auth_cli x; \
	int _r = auth_open(c, &x, need_keys); \
	if (_r == EXIT_OK) do { __VA_ARGS__ } while (0); \
	auth_close(c, &x); \
	return _r; } while (0)

static int fail(struct cli *c) { return cli_svc_err(c); }

static void iso(int64_t t, char out[TG_TIME_ISO_LEN])
{
	if (t > 0)
		tg_time_iso(t, out);
	else
		tg_strlcpy(out, "-", TG_TIME_ISO_LEN);
}

/* ------------------------------------------------------------------ method */

static const char *status_text(int st)
{
	return st == STORE_METHOD_ACTIVE ? "active" : st == STORE_METHOD_PENDING ? "pending"
	                                                                         : "disabled";
}

static json_t *method_json(const struct store_method *m)
{
	char created[TG_TIME_ISO_LEN], used[TG_TIME_ISO_LEN];
	tg_time_iso(m->created, created);
	iso(m->last_used, used);
	json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s*}", "id", m->id, "kind", m->kind,
	                      "status", status_text(m->status), "displayName", m->display_name,
	                      "createdDateTime", created,
	                      "lastUsedDateTime", m->last_used ? used : NULL);
	if (!o)
		return json_object();
	if (strcmp(m->kind, STORE_KIND_PHONE) == 0) {
		json_object_set_new(o, "phoneNumber", json_string(m->detail));
		json_object_set_new(o, "phoneType", json_string(phone_type_name(
			(enum phone_type)m->phone_type) ? phone_type_name((enum phone_type)m->phone_type)
			                                : "mobile"));
	} else if (strcmp(m->kind, STORE_KIND_EMAIL) == 0) {
		json_object_set_new(o, "emailAddress", json_string(m->detail));
	} else {
		const char *alg = hmac_alg_name((enum hmac_alg)m->oath_alg);
		json_object_set_new(o, "algorithm", json_string(alg ? alg : "SHA1"));
		json_object_set_new(o, "digits", json_integer(m->oath_digits));
		json_object_set_new(o, "period", json_integer(m->oath_period));
		if (m->serial[0])
			json_object_set_new(o, "serialNumber", json_string(m->serial));
	}
	return o;
}

static const char *method_detail(const struct store_method *m)
{
	if (m->detail[0])
		return m->detail;
	if (m->serial[0])
		return m->serial;
	return m->display_name;
}

static int method_row(const struct store_method *m, void *arg)
{
	if (arg) {
		json_array_append_new(arg, method_json(m));
		return 0;
	}
	char used[TG_TIME_ISO_LEN];
	iso(m->last_used, used);
	printf("%-36s  %-12s  %-8s  %-28s  %s\n", m->id, m->kind, status_text(m->status),
	       method_detail(m), used);
	return 0;
}

struct ap_count { int64_t n; };

static int count_ap(const struct store_app_password *p, void *arg)
{
	(void)p;
	((struct ap_count *)arg)->n++;
	return 0;
}

int cli_method_list(struct cli *c, int argc, char **argv)
{
	CLI_PARSE(NULL, 1, 1);
	AUTH_RUN(false, {
		json_t *arr = c->json ? json_array() : NULL;
		if (!c->json)
			printf("%-36s  %-12s  %-8s  %-28s  %s\n", "ID", "KIND", "STATUS", "DETAIL",
			       "LAST USED");
		int unused = 0, total = 0;
		struct ap_count ap = {0};
		if (svc_method_list(&x.a, &c->tenant, pos[0], method_row, arr) ||
		    svc_recovery_count(&x.a, &c->tenant, pos[0], &unused, &total) ||
		    svc_app_password_list(&x.a, &c->tenant, pos[0], count_ap, &ap)) {
			json_decref(arr);
			_r = fail(c);
			break;
		}
		if (arr) {
			_r = cli_print_json(json_pack("{s:o,s:{s:i,s:i},s:I}", "methods", arr,
			                              "recoveryCodes", "unused", unused, "total", total,
			                              "appPasswords", (json_int_t)ap.n));
		} else {
			printf("recovery codes: %d of %d unused; app passwords: %lld\n", unused, total,
			       (long long)ap.n);
		}
	});
}

int cli_method_delete(struct cli *c, int argc, char **argv)
{
	CLI_PARSE(NULL, 2, 2);
	AUTH_RUN(false, {
		if (svc_method_delete(&x.a, &c->tenant, pos[0], pos[1])) {
			_r = fail(c);
			break;
		}
		if (c->json)
			_r = cli_print_json(json_pack("{s:s,s:b}", "id", pos[1], "deleted", 1));
		else
			printf("deleted method %s of %s\n", pos[1], pos[0]);
	});
}

int cli_method_require_reregister(struct cli *c, int argc, char **argv)
{
	CLI_PARSE(NULL, 1, 1);
	AUTH_RUN(false, {
		struct svc_rereg_report rep;
		if (svc_method_require_reregister(&x.a, &c->tenant, pos[0], &rep)) {
			_r = fail(c);
			break;
		}
		if (c->json)
			_r = cli_print_json(json_pack("{s:I,s:I}", "deleted", (json_int_t)rep.deleted,
			                              "deactivated", (json_int_t)rep.deactivated));
		else
			printf("%s must register again: %zu method%s deleted, %zu hardware token%s "
			       "deactivated\n", pos[0], rep.deleted, rep.deleted == 1 ? "" : "s",
			       rep.deactivated, rep.deactivated == 1 ? "" : "s");
	});
}

/* Write the QR code to path, mode 0600 (it reveals the secret). */
static int write_private(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return cli_err("cannot write %s: %s", path, strerror(errno));
	size_t n = strlen(text);
	bool ok = fchmod(fd, 0600) == 0 && write(fd, text, n) == (ssize_t)n;
	ok = close(fd) == 0 && ok;
	return ok ? EXIT_OK : cli_err("cannot write %s: %s", path, strerror(errno));
}

int cli_method_add_app(struct cli *c, int argc, char **argv)
{
	const char *name = NULL, *qr = NULL;
	struct cli_opt opts[] = {{"--name", OPT_STR, &name}, {"--qr", OPT_STR, &qr}, {0}};
	CLI_PARSE(opts, 1, 1);
	AUTH_RUN(true, {
		struct svc_totp_enrollment e;
		if (svc_totp_register(&x.a, &c->tenant, pos[0], name, &e)) {
			_r = fail(c);
			break;
		}
		if (qr)
			_r = write_private(qr, e.svg);
		if (_r == EXIT_OK && c->json) {
			_r = cli_print_json(json_pack("{s:s,s:s,s:s,s:s,s:i,s:i}", "id", e.method_id,
			                              "secret", e.secret_b32, "otpauthUri", e.uri,
			                              "algorithm", hmac_alg_name(e.params.alg),
			                              "digits", (int)e.params.digits,
			                              "period", (int)e.params.period));
		} else if (_r == EXIT_OK) {
			printf("authenticator app registered for %s (pending)\nmethod id: %s\nsecret:    %s\n"
			       "uri:       %s\n", pos[0], e.method_id, e.secret_b32, e.uri);
			if (qr)
				printf("QR code:   %s\n", qr);
			printf("(shown only now) activate it with a current code:\n"
			       "  tollgate method activate %s %s CODE\n", pos[0], e.method_id);
		}
		svc_totp_enrollment_cleanup(&e);
	});
}

int cli_method_activate(struct cli *c, int argc, char **argv)
{
	CLI_PARSE(NULL, 3, 3);
	AUTH_RUN(true, {
		if (svc_oath_activate(&x.a, &c->tenant, pos[0], pos[1], pos[2])) {
			_r = fail(c);
			break;
		}
		if (c->json)
			_r = cli_print_json(json_pack("{s:s,s:s}", "id", pos[1], "status", "active"));
		else
			printf("method %s of %s is active\n", pos[1], pos[0]);
	});
}

int cli_method_verify(struct cli *c, int argc, char **argv)
{
	const char *source = NULL;
	struct cli_opt opts[] = {{"--source", OPT_STR, &source}, {0}};
	CLI_PARSE(opts, 2, 2);
	AUTH_RUN(true, {
		char id[TG_ID_BUF] = "";
		if (svc_oath_verify(&x.a, &c->tenant, pos[0], pos[1], source, id)) {
			_r = fail(c);
			break;
		}
		if (c->json)
			_r = cli_print_json(json_pack("{s:b,s:s}", "verified", 1, "methodId", id));
		else
			printf("code accepted (method %s)\n", id);
	});
}

static int print_added(struct cli *c, const struct store_method *m, const char *upn)
{
	if (c->json)
		return cli_print_json(method_json(m));
	printf("added %s %s for %s (method %s)\n", m->kind, m->detail, upn, m->id);
	return EXIT_OK;
}

int cli_method_add_phone(struct cli *c, int argc, char **argv)
{
	const char *type = NULL;
	struct cli_opt opts[] = {{"--type", OPT_STR, &type}, {0}};
	CLI_PARSE(opts, 2, 2);
	enum phone_type pt = PHONE_TYPE_MOBILE;
	if (type && phone_type_parse(type, &pt))
		return cli_usage_err(c, "--type must be mobile, alternateMobile or office");
	AUTH_RUN(false, {
		struct store_method m;
		if (svc_phone_add(&x.a, &c->tenant, pos[0], pos[1], pt, &m)) {
			_r = fail(c);
			break;
		}
		_r = print_added(c, &m, pos[0]);
	});
}

int cli_method_add_email(struct cli *c, int argc, char **argv)
{
	CLI_PARSE(NULL, 2, 2);
	AUTH_RUN(false, {
		struct store_method m;
		if (svc_email_add(&x.a, &c->tenant, pos[0], pos[1], &m)) {
			_r = fail(c);
			break;
		}
		_r = print_added(c, &m, pos[0]);
	});
}

/* -------------------------------------------------------------------- code */

int cli_code_send(struct cli *c, int argc, char **argv)
{
	const char *channel = NULL;
	struct cli_opt opts[] = {{"--channel", OPT_STR, &channel}, {0}};
	CLI_PARSE(opts, 1, 1);
	enum channel_kind kind;
	if (!channel)
		return cli_usage_err(c, "--channel is required (email, sms or voice)");
	if (channel_kind_parse(channel, &kind))
		return cli_usage_err(c, "--channel must be email, sms or voice");
	AUTH_RUN(true, {
		struct svc_code_sent s;
		if (svc_code_send(&x.a, &c->tenant, pos[0], kind, &s)) {
			_r = fail(c);
			break;
		}
		char until[TG_TIME_ISO_LEN];
		tg_time_iso(s.expires, until);
		if (c->json)
			_r = cli_print_json(json_pack("{s:s,s:s,s:s,s:s,s:s}", "codeId", s.code_id,
			                              "channel", channel_kind_name(s.kind),
			                              "transport", auth_config_transport_name(s.transport),
			                              "to", s.to, "expiresDateTime", until));
		else
			printf("sent a code by %s to %s through %s (valid until %s)\n",
			       channel_kind_name(s.kind), s.to, auth_config_transport_name(s.transport),
			       until);
	});
}

int cli_code_verify(struct cli *c, int argc, char **argv)
{
	const char *source = NULL;
	struct cli_opt opts[] = {{"--source", OPT_STR, &source}, {0}};
	CLI_PARSE(opts, 2, 2);
	AUTH_RUN(true, {
		if (svc_code_verify(&x.a, &c->tenant, pos[0], pos[1], source)) {
			_r = fail(c);
			break;
		}
		if (c->json)
			_r = cli_print_json(json_pack("{s:b}", "verified", 1));
		else
			printf("code accepted\n");
	});
}

/* ------------------------------------------------------------------- token */

int cli_token_import(struct cli *c, int argc, char **argv)
{
	bool dry = false;
	struct cli_opt opts[] = {{"--dry-run", OPT_FLAG, &dry}, {0}};
	CLI_PARSE(opts, 1, 1);
	size_t len = 0;
	char *data = cli_read_file(pos[0], TG_MAX_CSV_BYTES, &len);
	if (!data)
		return EXIT_FAIL;
	struct auth_cli x;
	int r = auth_open(c, &x, true);
	struct svc_import_report rep;
	if (r == EXIT_OK) {
		int s = svc_token_import_csv(&x.a, &c->tenant, data, len, dry, &rep);
		if (c->json) {
			json_t *errs = json_array();
			for (size_t i = 0; i < rep.nerrors && i < TG_ARRAY_LEN(rep.errors); i++)
				json_array_append_new(errs, json_pack("{s:I,s:s}", "line",
				                      (json_int_t)rep.errors[i].line, "message",
				                      rep.errors[i].message));
			cli_print_json(json_pack("{s:I,s:I,s:I,s:b,s:o}", "rows", (json_int_t)rep.rows,
			                         "imported", (json_int_t)rep.created, "errors",
			                         (json_int_t)rep.nerrors, "dryRun", dry, "problems", errs));
		} else {
			for (size_t i = 0; i < rep.nerrors && i < TG_ARRAY_LEN(rep.errors); i++)
				fprintf(stderr, "%s: line %zu: %s\n", pos[0], rep.errors[i].line,
				        rep.errors[i].message);
			if (rep.nerrors > TG_ARRAY_LEN(rep.errors))
				fprintf(stderr, "… and %zu more\n", rep.nerrors - TG_ARRAY_LEN(rep.errors));
		}
		if (s)
			r = fail(c);
		else if (!c->json)
			printf(dry ? "%zu token%s checked, nothing imported (--dry-run)\n"
			           : "%zu token%s imported (pending: activate each with a current code)\n",
			       dry ? rep.rows : rep.created, (dry ? rep.rows : rep.created) == 1 ? "" : "s");
	}
	auth_close(c, &x);
	tg_secret_free(data, len);
	return r;
}

int cli_token_activate(struct cli *c, int argc, char **argv)
{
	CLI_PARSE(NULL, 3, 3);
	AUTH_RUN(true, {
		if (svc_token_activate(&x.a, &c->tenant, pos[0], pos[1], pos[2])) {
			_r = fail(c);
			break;
		}
		if (c->json)
			_r = cli_print_json(json_pack("{s:s,s:s}", "serialNumber", pos[1], "status", "active"));
		else
			printf("hardware token %s of %s is active\n", pos[1], pos[0]);
	});
}

static const char *token_status(const struct store_hw_token *t)
{
	if (!t->method_id[0])
		return "unassigned";
	return t->method_status == STORE_METHOD_ACTIVE ? "activated"
	     : t->method_status == STORE_METHOD_PENDING ? "assigned" : "deactivated";
}

static int token_row(const struct store_hw_token *t, void *arg)
{
	if (arg) {
		const char *alg = hmac_alg_name((enum hmac_alg)t->oath_alg);
		json_array_append_new(arg, json_pack("{s:s,s:s,s:s,s:s,s:s*,s:s,s:s,s:i}",
		                      "id", t->id, "serialNumber", t->serial, "manufacturer",
		                      t->manufacturer, "model", t->model,
		                      "assignedTo", t->upn[0] ? t->upn : NULL, "status", token_status(t),
		                      "hashFunction", alg ? alg : "SHA1",
		                      "timeIntervalInSeconds", (int)t->oath_period));
		return 0;
	}
	printf("%-20s  %-11s  %-32s  %s %s\n", t->serial, token_status(t), t->upn[0] ? t->upn : "-",
	       t->manufacturer, t->model);
	return 0;
}

int cli_token_list(struct cli *c, int argc, char **argv)
{
	CLI_PARSE(NULL, 0, 0);
	AUTH_RUN(false, {
		json_t *arr = c->json ? json_array() : NULL;
		if (!arr)
			printf("%-20s  %-11s  %-32s  %s\n", "SERIAL", "STATUS", "ASSIGNED TO", "MODEL");
		if (svc_token_list(&x.a, &c->tenant, token_row, arr)) {
			json_decref(arr);
			_r = fail(c);
			break;
		}
		if (arr)
			_r = cli_print_json(arr);
	});
}

/* ------------------------------------------------------------ app-password */

int cli_app_password_create(struct cli *c, int argc, char **argv)
{
	const char *name = NULL;
	struct cli_opt opts[] = {{"--name", OPT_STR, &name}, {0}};
	CLI_PARSE(opts, 1, 1);
	if (!name)
		return cli_usage_err(c, "--name is required (what the app password is for)");
	AUTH_RUN(false, {
		char pw[APP_PASSWORD_DISPLAY_SIZE];
		struct store_app_password p;
		if (svc_app_password_create(&x.a, &c->tenant, pos[0], name, pw, &p)) {
			_r = fail(c);
			break;
		}
		if (c->json)
			_r = cli_print_json(json_pack("{s:s,s:s,s:s}", "id", p.id, "name", p.name,
			                              "password", pw));
		else
			printf("app password \"%s\" for %s (id %s):\n\n    %s\n\n(shown only now; "
			       "spaces do not matter when it is typed)\n", p.name, pos[0], p.id, pw);
		tg_wipe(pw, sizeof pw);
	});
}

static int ap_row(const struct store_app_password *p, void *arg)
{
	char created[TG_TIME_ISO_LEN], used[TG_TIME_ISO_LEN];
	tg_time_iso(p->created, created);
	iso(p->last_used, used);
	if (arg)
		json_array_append_new(arg, json_pack("{s:s,s:s,s:s,s:s*}", "id", p->id, "name", p->name,
		                      "createdDateTime", created,
		                      "lastUsedDateTime", p->last_used ? used : NULL));
	else
		printf("%-36s  %-20s  %-20s  %s\n", p->id, created, used, p->name);
	return 0;
}

int cli_app_password_list(struct cli *c, int argc, char **argv)
{
	CLI_PARSE(NULL, 1, 1);
	AUTH_RUN(false, {
		json_t *arr = c->json ? json_array() : NULL;
		if (!arr)
			printf("%-36s  %-20s  %-20s  %s\n", "ID", "CREATED", "LAST USED", "NAME");
		if (svc_app_password_list(&x.a, &c->tenant, pos[0], ap_row, arr)) {
			json_decref(arr);
			_r = fail(c);
			break;
		}
		if (arr)
			_r = cli_print_json(arr);
	});
}

int cli_app_password_delete(struct cli *c, int argc, char **argv)
{
	CLI_PARSE(NULL, 2, 2);
	AUTH_RUN(false, {
		if (svc_app_password_delete(&x.a, &c->tenant, pos[0], pos[1])) {
			_r = fail(c);
			break;
		}
		if (c->json)
			_r = cli_print_json(json_pack("{s:s,s:b}", "id", pos[1], "deleted", 1));
		else
			printf("deleted app password %s of %s\n", pos[1], pos[0]);
	});
}

int cli_app_password_delete_all(struct cli *c, int argc, char **argv)
{
	CLI_PARSE(NULL, 1, 1);
	AUTH_RUN(false, {
		int64_t n = 0;
		if (svc_app_password_delete_all(&x.a, &c->tenant, pos[0], &n)) {
			_r = fail(c);
			break;
		}
		if (c->json)
			_r = cli_print_json(json_pack("{s:I}", "deleted", (json_int_t)n));
		else
			printf("deleted %lld app password%s of %s\n", (long long)n, n == 1 ? "" : "s",
			       pos[0]);
	});
}

/* ---------------------------------------------------------- recovery-codes */

int cli_recovery_codes_regenerate(struct cli *c, int argc, char **argv)
{
	CLI_PARSE(NULL, 1, 1);
	AUTH_RUN(true, {
		char codes[RECOVERY_CODE_COUNT][RECOVERY_CODE_SIZE];
		if (svc_recovery_regenerate(&x.a, &c->tenant, pos[0], codes)) {
			_r = fail(c);
			break;
		}
		if (c->json) {
			json_t *arr = json_array();
			for (int i = 0; i < RECOVERY_CODE_COUNT; i++)
				json_array_append_new(arr, json_string(codes[i]));
			_r = cli_print_json(json_pack("{s:o}", "recoveryCodes", arr));
		} else {
			printf("new recovery codes for %s (each works once; the old ones no longer "
			       "work):\n\n", pos[0]);
			for (int i = 0; i < RECOVERY_CODE_COUNT; i += 2)
				printf("    %s    %s\n", codes[i], codes[i + 1]);
			printf("\n(shown only now)\n");
		}
		tg_wipe(codes, sizeof codes);
	});
}

int cli_recovery_codes_verify(struct cli *c, int argc, char **argv)
{
	const char *source = NULL;
	struct cli_opt opts[] = {{"--source", OPT_STR, &source}, {0}};
	CLI_PARSE(opts, 2, 2);
	AUTH_RUN(true, {
		int left = 0;
		if (svc_recovery_verify(&x.a, &c->tenant, pos[0], pos[1], source, &left)) {
			_r = fail(c);
			break;
		}
		if (c->json)
			_r = cli_print_json(json_pack("{s:b,s:i}", "verified", 1, "remaining", left));
		else
			printf("recovery code accepted; %d left\n", left);
	});
}

/* ----------------------------------------------------------- account / key */

int cli_account_unlock(struct cli *c, int argc, char **argv)
{
	CLI_PARSE(NULL, 1, 1);
	AUTH_RUN(false, {
		bool was = false;
		if (svc_account_unlock(&x.a, &c->tenant, pos[0], &was)) {
			_r = fail(c);
			break;
		}
		if (c->json)
			_r = cli_print_json(json_pack("{s:s,s:b}", "userPrincipalName", pos[0],
			                              "wasLocked", was));
		else
			printf("%s: failure counters cleared%s\n", pos[0],
			       was ? " (it was locked out)" : " (it was not locked out)");
	});
}

int cli_key_rotate(struct cli *c, int argc, char **argv)
{
	bool reseal_only = false;
	struct cli_opt opts[] = {{"--reseal-only", OPT_FLAG, &reseal_only}, {0}};
	CLI_PARSE(opts, 0, 0);
	int r = cli_open(c, false);
	if (r)
		return r;
	struct svc_key_report rep;
	int s = svc_key_rotate(&c->sv, c->cfg.key_path, reseal_only, &rep);
	if (s && rep.generation == 0)
		return cli_svc_err(c);
	if (c->json)
		cli_print_json(json_pack("{s:i,s:I,s:I,s:I,s:I}", "generation", (int)rep.generation,
		                         "resealed", (json_int_t)rep.resealed,
		                         "alreadyCurrent", (json_int_t)rep.current,
		                         "changedMeanwhile", (json_int_t)rep.changed,
		                         "failed", (json_int_t)rep.failed));
	else
		printf("master key generation %u is current; %zu secret%s re-sealed, %zu already "
		       "current\nrestart running servers so they read the new key file\n",
		       rep.generation, rep.resealed, rep.resealed == 1 ? "" : "s", rep.current);
	return s ? cli_svc_err(c) : EXIT_OK;
}
