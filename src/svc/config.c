/* SPDX-License-Identifier: MIT
 * Configuration: defaults, file, environment, flags (see config.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/err.h"
#include "base/mem.h"
#include "base/str.h"
#include "svc/config.h"

/* "trusted_proxies": CIDRs or bare addresses separated by commas or spaces;
 * "" or "none" clears. All or nothing. */
static const char *set_trusted_proxies(struct tg_config *c, const char *v)
{
	struct cidr tmp[TG_MAX_TRUSTED_PROXIES];
	size_t n = 0;
	if (strcmp(v, "none") == 0)
		v = "";
	for (const char *p = v; *p;) {
		while (*p == ' ' || *p == ',' || *p == '\t')
			p++;
		size_t len = strcspn(p, " ,\t");
		if (!len)
			break;
		char one[CIDR_STRLEN];
		if (len >= sizeof one || n == TG_MAX_TRUSTED_PROXIES)
			return "must be at most 32 CIDR ranges or addresses, separated by commas";
		memcpy(one, p, len);
		one[len] = '\0';
		if (cidr_parse(one, CIDR_ALLOW_BARE, &tmp[n]))
			return "must be CIDR ranges or addresses (\"10.0.0.0/8, ::1\"), separated by commas";
		n++;
		p += len;
	}
	memcpy(c->trusted_proxies, tmp, n * sizeof tmp[0]);
	c->n_trusted_proxies = n;
	return NULL;
}

static void set_paths(struct tg_config *c)
{
	snprintf(c->db_path, sizeof c->db_path, "%s/tollgate.db", c->data_dir);
	snprintf(c->key_path, sizeof c->key_path, "%s/master.key", c->data_dir);
	snprintf(c->auth.outbox_default, sizeof c->auth.outbox_default, "%s/outbox.jsonl", c->data_dir);
}

void config_defaults(struct tg_config *c, const char *data_dir)
{
	memset(c, 0, sizeof *c);
	tg_strlcpy(c->data_dir, data_dir && *data_dir ? data_dir : "data", sizeof c->data_dir);
	set_paths(c);
	tg_strlcpy(c->listen_host, "127.0.0.1", sizeof c->listen_host);
	c->port = 8080;
	c->threads = 4;
	c->max_body = TG_MAX_HTTP_BODY;
	c->log_level = LOG_LVL_INFO;
	pw_params_default(&c->pw);
	c->session_idle_minutes = 30;   /* NIST SP 800-63B AAL2 */
	c->session_absolute_hours = 12;
	auth_config_defaults(&c->auth);
	set_paths(c); /* again: the outbox default lives in c->auth */
	c->notify.mfa_enabled = true;
	c->notify.retry_seconds = 60;
	c->housekeep.signin_retention_days = 30; /* Entra ID P1/P2 */
	c->housekeep.interval_seconds = 300;
}

static int u32(const char *v, int64_t min, int64_t max, uint32_t *out)
{
	int64_t x;
	if (tg_parse_i64(v, min, max, &x))
		return TG_ERR_INVALID;
	*out = (uint32_t)x;
	return TG_OK;
}

/* "HOST:PORT", "[V6]:PORT" or ":PORT". */
static int parse_listen(struct tg_config *c, const char *v)
{
	char host[64];
	const char *colon;
	if (v[0] == '[') {
		const char *close = strchr(v, ']');
		if (!close || close[1] != ':' || (size_t)(close - v - 1) >= sizeof host)
			return TG_ERR_INVALID;
		memcpy(host, v + 1, (size_t)(close - v - 1));
		host[close - v - 1] = '\0';
		colon = close + 1;
	} else {
		colon = strrchr(v, ':');
		if (!colon || (size_t)(colon - v) >= sizeof host)
			return TG_ERR_INVALID;
		memcpy(host, v, (size_t)(colon - v));
		host[colon - v] = '\0';
		if (strchr(host, ':'))
			return TG_ERR_INVALID; /* bare IPv6 needs brackets */
	}
	uint32_t port;
	if (u32(colon + 1, 0, 65535, &port))
		return TG_ERR_INVALID;
	tg_strlcpy(c->listen_host, host[0] ? host : "127.0.0.1", sizeof c->listen_host);
	c->port = port;
	return TG_OK;
}

int config_set(struct tg_config *c, const char *key, const char *v, char *err, size_t err_size)
{
	uint32_t n;
	int r = TG_OK;
	const char *why = NULL;
	if (strcmp(key, "data") == 0) {
		if (strlen(v) == 0 || strlen(v) >= sizeof c->data_dir)
			why = "must be a directory path";
		else {
			tg_strlcpy(c->data_dir, v, sizeof c->data_dir);
			set_paths(c);
		}
	} else if (strcmp(key, "database") == 0) {
		if (tg_strcpy_checked(c->db_path, sizeof c->db_path, v) || !*v)
			why = "must be a file path";
	} else if (strcmp(key, "master_key") == 0) {
		if (tg_strcpy_checked(c->key_path, sizeof c->key_path, v) || !*v)
			why = "must be a file path";
	} else if (strcmp(key, "listen") == 0) {
		if (parse_listen(c, v))
			why = "must be HOST:PORT, [IPv6]:PORT or :PORT with a port of 0-65535";
	} else if (strcmp(key, "threads") == 0) {
		if (u32(v, 1, 256, &n))
			why = "must be a whole number from 1 to 256";
		else
			c->threads = n;
	} else if (strcmp(key, "max_body") == 0) {
		if (u32(v, 1024, 64 * 1024 * 1024, &n))
			why = "must be a byte count from 1024 to 67108864";
		else
			c->max_body = n;
	} else if (strcmp(key, "public_url") == 0) {
		if ((strncmp(v, "https://", 8) != 0 && strncmp(v, "http://", 7) != 0) ||
		    tg_strcpy_checked(c->public_url, sizeof c->public_url, v))
			why = "must be an http:// or https:// URL of at most 255 characters";
	} else if (strcmp(key, "trusted_proxies") == 0) {
		why = set_trusted_proxies(c, v);
	} else if (strcmp(key, "log_level") == 0) {
		if (log_level_parse(v, &c->log_level))
			why = "must be error, warn, info or debug";
	} else if (strcmp(key, "session_idle_minutes") == 0) {
		if (u32(v, 1, 1440, &n))
			why = "must be a whole number of minutes from 1 to 1440";
		else
			c->session_idle_minutes = n;
	} else if (strcmp(key, "session_absolute_hours") == 0) {
		if (u32(v, 1, 720, &n))
			why = "must be a whole number of hours from 1 to 720";
		else
			c->session_absolute_hours = n;
	} else if (strcmp(key, "argon2_memory_kib") == 0) {
		if (u32(v, 8, 4 * 1024 * 1024, &n))
			why = "must be a whole number of KiB from 8 to 4194304";
		else
			c->pw.m_kib = n;
	} else if (strcmp(key, "argon2_iterations") == 0) {
		if (u32(v, 1, 100, &n))
			why = "must be a whole number from 1 to 100";
		else
			c->pw.t_cost = n;
	} else if (strcmp(key, "argon2_parallelism") == 0) {
		if (u32(v, 1, 16, &n))
			why = "must be a whole number from 1 to 16";
		else
			c->pw.parallelism = n;
	} else if (strcmp(key, "notify_mfa_enabled") == 0) {
		if (strcmp(v, "true") == 0)
			c->notify.mfa_enabled = true;
		else if (strcmp(v, "false") == 0)
			c->notify.mfa_enabled = false;
		else
			why = "must be true or false";
	} else if (strcmp(key, "notify_retry_seconds") == 0) {
		if (u32(v, 1, 3600, &n))
			why = "must be a whole number of seconds from 1 to 3600";
		else
			c->notify.retry_seconds = n;
	} else if (strcmp(key, "signin_log_retention_days") == 0) {
		if (u32(v, 0, TG_MAX_SIGNIN_RETENTION_DAYS, &n))
			why = "must be a whole number of days from 0 (keep forever) to 3650";
		else
			c->housekeep.signin_retention_days = n;
	} else if (strcmp(key, "housekeeping_interval_seconds") == 0) {
		if (u32(v, 1, 86400, &n))
			why = "must be a whole number of seconds from 1 to 86400";
		else
			c->housekeep.interval_seconds = n;
	} else if (auth_config_has_key(key)) {
		why = auth_config_set(&c->auth, key, v);
	} else {
		snprintf(err, err_size, "unknown setting \"%s\"", key);
		return TG_ERR_INVALID;
	}
	if (why) {
		snprintf(err, err_size, "%s %s", key, why);
		r = TG_ERR_INVALID;
	}
	return r;
}

int config_apply_text(struct tg_config *c, const char *text, size_t len, char *err, size_t err_size)
{
	size_t pos = 0, lineno = 0;
	char line[TG_MAX_CONFIG_LINE + 1];
	if (len > TG_MAX_CONFIG_BYTES) {
		snprintf(err, err_size, "the configuration is larger than 1 MiB");
		return TG_ERR_TOO_LARGE;
	}
	while (pos < len) {
		lineno++;
		size_t end = pos;
		while (end < len && text[end] != '\n')
			end++;
		if (end - pos > TG_MAX_CONFIG_LINE) {
			snprintf(err, err_size, "line %zu: longer than %d characters", lineno, TG_MAX_CONFIG_LINE);
			return TG_ERR_INVALID;
		}
		memcpy(line, text + pos, end - pos);
		line[end - pos] = '\0';
		size_t linelen = end - pos;
		pos = end + 1;
		if (strlen(line) != linelen) {
			snprintf(err, err_size, "line %zu: contains a NUL byte", lineno);
			return TG_ERR_INVALID;
		}
		char *l = tg_trim(line);
		if (!*l || *l == '#')
			continue;
		char *eq = strchr(l, '=');
		if (!eq) {
			snprintf(err, err_size, "line %zu: expected key = value", lineno);
			return TG_ERR_INVALID;
		}
		*eq = '\0';
		char *key = tg_trim(l), *val = tg_trim(eq + 1);
		char why[256];
		if (config_set(c, key, val, why, sizeof why)) {
			snprintf(err, err_size, "line %zu: %s", lineno, why);
			return TG_ERR_INVALID;
		}
	}
	return TG_OK;
}

int config_apply_file(struct tg_config *c, const char *path, int missing_ok, char *err, size_t err_size)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		if (missing_ok && errno == ENOENT)
			return TG_OK;
		snprintf(err, err_size, "cannot read %s: %s", path, strerror(errno));
		return TG_ERR_IO;
	}
	struct tg_buf b;
	tg_buf_init(&b, TG_MAX_CONFIG_BYTES);
	int r = tg_buf_read_stream(&b, f);
	fclose(f);
	if (r) {
		snprintf(err, err_size, "cannot read %s: %s", path, tg_strerror(r));
		tg_buf_cleanup(&b);
		return r;
	}
	char why[512];
	r = config_apply_text(c, b.data ? b.data : "", b.len, why, sizeof why);
	if (r)
		snprintf(err, err_size, "%s: %s", path, why);
	tg_buf_cleanup(&b);
	return r;
}

int config_apply_env(struct tg_config *c, char *err, size_t err_size)
{
	static const struct { const char *env, *key; } map[] = {
		{"TOLLGATE_LISTEN", "listen"},
		{"TOLLGATE_THREADS", "threads"},
		{"TOLLGATE_MAX_BODY", "max_body"},
		{"TOLLGATE_PUBLIC_URL", "public_url"},
		{"TOLLGATE_LOG_LEVEL", "log_level"},
		{"TOLLGATE_DATABASE", "database"},
		{"TOLLGATE_MASTER_KEY", "master_key"},
		{"TOLLGATE_ARGON2_MEMORY_KIB", "argon2_memory_kib"},
		{"TOLLGATE_ARGON2_ITERATIONS", "argon2_iterations"},
		{"TOLLGATE_ARGON2_PARALLELISM", "argon2_parallelism"},
		{"TOLLGATE_SESSION_IDLE_MINUTES", "session_idle_minutes"},
		{"TOLLGATE_SESSION_ABSOLUTE_HOURS", "session_absolute_hours"},
		{"TOLLGATE_TRUSTED_PROXIES", "trusted_proxies"},
		{"TOLLGATE_NOTIFY_MFA_ENABLED", "notify_mfa_enabled"},
		{"TOLLGATE_NOTIFY_RETRY_SECONDS", "notify_retry_seconds"},
		{"TOLLGATE_SIGNIN_LOG_RETENTION_DAYS", "signin_log_retention_days"},
		{"TOLLGATE_HOUSEKEEPING_INTERVAL_SECONDS", "housekeeping_interval_seconds"},
	};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
		const char *v = getenv(map[i].env);
		if (!v)
			continue;
		char why[256];
		if (config_set(c, map[i].key, v, why, sizeof why)) {
			snprintf(err, err_size, "%s: %s", map[i].env, why);
			return TG_ERR_INVALID;
		}
	}
	return auth_config_apply_env(&c->auth, err, err_size);
}
