/* SPDX-License-Identifier: MIT
 * `tollgate init` (first-time set-up of a data directory) and
 * `tollgate serve` (run the HTTP server). */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "base/err.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/str.h"
#include "cli/cli_int.h"
#include "core/roles.h"
#include "crypto/keys.h"
#include "http/http.h"
#include "http/http_app.h"
#include "store/store.h"
#include "svc/svc_housekeep.h"
#include "svc/svc_notify.h"
#include "svc/svc_oidc.h"

int cli_init(struct cli *c, int argc, char **argv)
{
	const char *domain = NULL, *admin = NULL;
	bool no_sd = false;
	struct cli_opt opts[] = {
		{"--domain", OPT_STR, &domain},
		{"--admin", OPT_STR, &admin},
		{"--no-security-defaults", OPT_FLAG, &no_sd},
		{NULL, OPT_FLAG, NULL},
	};
	int np;
	int r = cli_parse(c, argc, argv, opts, NULL, 0, 0, &np);
	if (r)
		return r < 0 ? EXIT_OK : r;
	config_defaults(&c->cfg, c->data_dir);
	char err[600];
	if (c->config_file && config_apply_file(&c->cfg, c->config_file, 0, err, sizeof err))
		return cli_err("configuration: %s", err);
	if (config_apply_env(&c->cfg, err, sizeof err))
		return cli_err("configuration: %s", err);
	const char *dir = c->cfg.data_dir;
	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		return cli_err("cannot create the data directory %s: %s", dir, strerror(errno));
	if (access(c->cfg.db_path, F_OK) == 0)
		return cli_err("%s is already initialized (%s exists)", dir, c->cfg.db_path);
	r = keys_generate_file(c->cfg.key_path);
	if (r == TG_ERR_EXISTS)
		return cli_err("%s already exists; refusing to replace a master key", c->cfg.key_path);
	if (r)
		return cli_err("cannot create the master key %s: %s", c->cfg.key_path, tg_strerror(r));
	struct store_open_opts o = {.dsn = c->cfg.db_path, .create = true};
	if ((r = store_open("sqlite", &o, &c->store)))
		return cli_err("cannot create the database %s: %s", c->cfg.db_path, tg_strerror(r));
	char actor[TG_MAX_AUDIT_ACTOR + 1];
	cli_actor(actor, sizeof actor);
	svc_init(&c->sv, c->store, &c->cfg.pw, actor);

	const char *tname = c->tenant_name ? c->tenant_name : "default";
	struct tg_tenant t;
	if (svc_tenant_create(&c->sv, tname, domain, NULL, &t))
		goto undo;
	char upn[TG_MAX_DOMAIN + 16]; /* validated (<= TG_MAX_UPN) by svc_user_create */
	if (admin)
		tg_strlcpy(upn, admin, sizeof upn);
	else
		snprintf(upn, sizeof upn, "admin@%s", t.domain);
	char pw[32];
	if (svc_password_generate(pw, sizeof pw)) {
		cli_err("no randomness available");
		goto undo_quiet;
	}
	struct svc_user_input in = {
		.upn = upn, .display_name = "Administrator", .password = pw,
		.password_len = strlen(pw), .must_change_password = true,
	};
	struct tg_user u;
	if (svc_user_create(&c->sv, &t, &in, &u) ||
	    svc_role_assign(&c->sv, &t, u.upn, ROLE_ID_GLOBAL_ADMIN, true) ||
	    svc_app_ensure_builtin(&c->sv, &t, NULL) ||
	    /* as Entra does for new tenants: MFA registration for everyone,
	     * MFA at every sign-in for administrators and for the admin portal */
	    (!no_sd && svc_security_defaults_set(&c->sv, &t, true, false, NULL))) {
		tg_wipe(pw, sizeof pw);
		goto undo;
	}
	if (c->json) {
		json_t *j = json_pack("{s:s,s:s,s:s,s:s,s:s,s:b}", "dataDirectory", dir,
		                      "tenant", t.name, "tenantId", t.id,
		                      "userPrincipalName", u.upn, "oneTimePassword", pw,
		                      "securityDefaults", !no_sd);
		tg_wipe(pw, sizeof pw);
		return cli_print_json(j);
	}
	printf("Initialized %s\n"
	       "  tenant:               %s (%s)\n"
	       "  Global Administrator: %s\n"
	       "  one-time password:    %s\n"
	       "  security defaults:    %s\n"
	       "The password is shown only now; it must be changed at the first sign-in.\n",
	       dir, t.name, t.id, u.upn, pw,
	       no_sd ? "off (--no-security-defaults)" :
	               "on (everyone registers for MFA; administrators and the admin portal ask for it every time)");
	tg_wipe(pw, sizeof pw);
	return EXIT_OK;
undo:
	cli_svc_err(c);
undo_quiet:
	/* leave no half-initialized directory behind */
	cli_close(c);
	unlink(c->cfg.db_path);
	char side[TG_MAX_PATH + 8];
	snprintf(side, sizeof side, "%s-wal", c->cfg.db_path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", c->cfg.db_path);
	unlink(side);
	unlink(c->cfg.key_path);
	return EXIT_FAIL;
}

/* /readyz: a private store handle, used by one worker at a time. */
struct ready {
	pthread_mutex_t lock;
	struct store *store;
	const char *db_path;
};

static int ready_check(void *arg)
{
	struct ready *rd = arg;
	pthread_mutex_lock(&rd->lock);
	int r = TG_OK;
	if (!rd->store) {
		struct store_open_opts o = {.dsn = rd->db_path, .create = false};
		r = store_open("sqlite", &o, &rd->store);
	}
	if (!r && (r = store_ping(rd->store))) {
		store_close(rd->store);
		rd->store = NULL;
	}
	pthread_mutex_unlock(&rd->lock);
	return r;
}

int cli_serve(struct cli *c, int argc, char **argv)
{
	const char *listen = NULL, *threads = NULL;
	struct cli_opt opts[] = {
		{"--listen", OPT_STR, &listen},
		{"--threads", OPT_STR, &threads},
		{NULL, OPT_FLAG, NULL},
	};
	int np;
	int r = cli_parse(c, argc, argv, opts, NULL, 0, 0, &np);
	if (r)
		return r < 0 ? EXIT_OK : r;
	if ((r = cli_open(c, false)))
		return r;
	char err[300];
	if (listen && config_set(&c->cfg, "listen", listen, err, sizeof err))
		return cli_usage_err(c, "--listen: %s", err);
	if (threads && config_set(&c->cfg, "threads", threads, err, sizeof err))
		return cli_usage_err(c, "--threads: %s", err);
	struct keys *k = NULL;
	if ((r = keys_load(c->cfg.key_path, &k)))
		return cli_err("cannot load the master key %s: %s", c->cfg.key_path, tg_strerror(r));
	keys_free(k);
	/* the CLI's own handle is not shared with worker threads: each worker
	 * opens its own through the service context (http_app.h) */
	cli_close(c);
	struct http_app *app = NULL;
	if ((r = http_app_new(&c->cfg, &app)))
		return cli_err("cannot start the service context: %s", tg_strerror(r));
	struct ready rd = {.store = NULL, .db_path = c->cfg.db_path};
	pthread_mutex_init(&rd.lock, NULL);
	struct http_opts ho = {
		.listen_addr = c->cfg.listen_host,
		.port = c->cfg.port,
		.threads = c->cfg.threads,
		.max_body = c->cfg.max_body,
		.public_url = c->cfg.public_url[0] ? c->cfg.public_url : NULL,
		.ready_check = ready_check,
		.ready_arg = &rd,
		.app = app,
	};
	log_info("tollgate %s serving %s on %s:%u", TG_VERSION, c->cfg.data_dir, c->cfg.listen_host,
	         c->cfg.port);
	/* notices to users go out in the background (its thread blocks every
	 * signal, so SIGTERM still reaches http_serve_until_signal's sigwait) */
	struct svc_notify_worker *nw = NULL;
	if (!c->cfg.notify.mfa_enabled)
		log_info("notices to users are off (notify_mfa_enabled = false): none is queued or sent");
	else if ((r = svc_notify_worker_start(&c->cfg, &nw))) {
		http_app_free(app);
		pthread_mutex_destroy(&rd.lock);
		return cli_err("cannot start the notice worker: %s", tg_strerror(r));
	}
	/* dead sessions and tokens, and the sign-in log retention, likewise */
	struct svc_housekeep_worker *hw = NULL;
	if ((r = svc_housekeep_worker_start(&c->cfg, &hw))) {
		svc_notify_worker_stop(nw);
		http_app_free(app);
		pthread_mutex_destroy(&rd.lock);
		return cli_err("cannot start the housekeeping worker: %s", tg_strerror(r));
	}
	int status = http_serve_until_signal(&ho);
	svc_housekeep_worker_stop(hw);
	svc_notify_worker_stop(nw);
	http_app_free(app);
	store_close(rd.store);
	pthread_mutex_destroy(&rd.lock);
	log_info("stopped");
	return status;
}
