/* SPDX-License-Identifier: MIT
 * Server and CLI configuration. Precedence, lowest to highest:
 *   built-in defaults < config file < environment (TOLLGATE_*) < flags.
 * The config file is `DATA/tollgate.conf` when present, or the file given
 * with --config (which must exist). Format: `key = value` lines, `#`
 * comments; unknown keys and bad values are errors naming the line. */
#ifndef TG_SVC_CONFIG_H
#define TG_SVC_CONFIG_H
#include <stdbool.h>
#include <stddef.h>
#include "base/limits.h"
#include "base/log.h"
#include "core/cidr.h"
#include "crypto/password.h"
#include "svc/auth_config.h"

/* Notices emailed to users (svc_notify.h, docs/internals/notifications.md). */
struct notify_config {
	bool mfa_enabled;               /* notify_mfa_enabled: tell users when MFA is turned on (true) */
	unsigned retry_seconds;         /* notify_retry_seconds: first retry delay, default 60 */
};

/* Housekeeping in `tollgate serve` and `tollgate maintenance run`
 * (svc_housekeep.h, docs/internals/sessions-and-tokens.md). */
struct housekeep_config {
	unsigned signin_retention_days; /* signin_log_retention_days: 0 = keep forever, default 30 */
	unsigned interval_seconds;      /* housekeeping_interval_seconds: default 300 */
};

struct tg_config {
	char data_dir[TG_MAX_PATH - 32];
	char db_path[TG_MAX_PATH];      /* default DATA/tollgate.db */
	char key_path[TG_MAX_PATH];     /* default DATA/master.key */
	char listen_host[64];           /* default 127.0.0.1 */
	unsigned port;                  /* default 8080 */
	unsigned threads;               /* HTTP worker threads, default 4 */
	size_t max_body;                /* bytes, default TG_MAX_HTTP_BODY */
	char public_url[256];           /* e.g. https://id.example.com; "" = derive */
	enum log_level log_level;
	struct pw_params pw;            /* Argon2id parameters for new hashes */
	unsigned session_idle_minutes;  /* browser session idle timeout, default 30 */
	unsigned session_absolute_hours;/* browser session absolute lifetime, default 12 */
	struct auth_config auth;        /* methods and code channels: auth_config.h */
	struct notify_config notify;    /* notices to users */
	struct housekeep_config housekeep; /* purge and sign-in log retention */
	/* reverse proxies whose X-Forwarded-For / Forwarded / X-Forwarded-Proto
	 * are believed (CIDRs, "trusted_proxies = 127.0.0.1/32, ::1/128"); none by
	 * default: the client address is the connection's peer */
	size_t n_trusted_proxies;
	struct cidr trusted_proxies[TG_MAX_TRUSTED_PROXIES];
};

/* Defaults for the given data directory (NULL = "./data"). */
void config_defaults(struct tg_config *c, const char *data_dir);

/* Apply `key = value` text (a config file's contents). On error returns
 * TG_ERR_INVALID and writes "line N: reason" into err (err_size bytes). */
int config_apply_text(struct tg_config *c, const char *text, size_t len,
                      char *err, size_t err_size);
/* Read and apply a file. missing_ok: an absent file is not an error. */
int config_apply_file(struct tg_config *c, const char *path, int missing_ok,
                      char *err, size_t err_size);
/* Apply TOLLGATE_* environment variables (see docs/configuration.md). */
int config_apply_env(struct tg_config *c, char *err, size_t err_size);
/* Set one key (also used for flags such as --listen). */
int config_set(struct tg_config *c, const char *key, const char *value,
               char *err, size_t err_size);

#endif
