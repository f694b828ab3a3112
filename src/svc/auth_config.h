/* SPDX-License-Identifier: MIT
 * Configuration of authentication methods and of the channels that deliver
 * one-time codes (SMTP email, an SMS/voice HTTP gateway webhook, or a file
 * outbox). Part of struct tg_config (config.h): config_set hands the keys
 * listed here to auth_config_set, and config_apply_env reads their
 * TOLLGATE_<KEY> variables through auth_config_apply_env. Reference:
 * docs/configuration.md ("Authentication methods and channels").
 *
 * WARNING: smtp_password and webhook_secret are secrets: never log them
 * (auth_config_cleanup wipes them). */
#ifndef TG_SVC_AUTH_CONFIG_H
#define TG_SVC_AUTH_CONFIG_H
#include <stdbool.h>
#include <stddef.h>
#include "base/limits.h"

enum channel_transport {
	CHANNEL_OUTBOX = 0,    /* append JSON lines to a local file (default) */
	CHANNEL_SMTP = 1,      /* email only */
	CHANNEL_WEBHOOK = 2,   /* SMS and voice only */
};

enum smtp_tls {
	SMTP_TLS_STARTTLS = 0, /* plain connection upgraded with STARTTLS (required) */
	SMTP_TLS_IMPLICIT = 1, /* TLS from the first byte (smtps, port 465) */
	SMTP_TLS_NONE = 2,     /* no TLS: only for a relay on the same machine */
};

enum { AUTH_LANG_EN = 0, AUTH_LANG_SV = 1, AUTH_LANG_COUNT = 2 };

#define AUTH_SECRET_SIZE 256

struct auth_config {
	/* one-time codes and authenticator apps */
	unsigned otp_digits;                 /* 6..8, default 6 */
	unsigned otp_max_sends;              /* per user per 15 minutes, default 5 */
	char totp_issuer[TG_MAX_ISSUER + 1]; /* "" = the tenant's display name */

	/* which transport each kind of message uses */
	enum channel_transport email, sms, voice;
	char outbox[TG_MAX_PATH];            /* outbox_file; "" = outbox_default */
	char outbox_default[TG_MAX_PATH];    /* DATA/outbox.jsonl, set by config.c */

	char smtp_host[TG_MAX_DOMAIN + 1];
	unsigned smtp_port;                  /* default 587 (465 for implicit TLS) */
	enum smtp_tls smtp_tls;
	char smtp_user[AUTH_SECRET_SIZE];
	char smtp_password[AUTH_SECRET_SIZE];
	char smtp_from[TG_MAX_EMAIL + 1];
	char smtp_ca_file[TG_MAX_PATH];      /* "" = the system's CA store */
	unsigned smtp_timeout;               /* seconds for one whole delivery, default 10 */

	char webhook_url[TG_MAX_CHANNEL_TEXT + 1];
	char webhook_secret[AUTH_SECRET_SIZE]; /* sent as "Authorization: Bearer …" */
	char webhook_ca_file[TG_MAX_PATH];
	unsigned webhook_timeout_ms;         /* all attempts together, default 5000 */
	unsigned webhook_retries;            /* extra attempts, default 2 */

	/* message templates, "" = built in; {code}, {minutes}, {upn}, {issuer} */
	char email_subject[AUTH_LANG_COUNT][256];
	char email_body[AUTH_LANG_COUNT][TG_MAX_CHANNEL_TEXT + 1];
	char sms_message[AUTH_LANG_COUNT][TG_MAX_CHANNEL_TEXT + 1];
};

void auth_config_defaults(struct auth_config *a);
/* Wipe the secrets (smtp_password, webhook_secret). */
void auth_config_cleanup(struct auth_config *a);

/* true when key is one of this module's keys (see the table in
 * auth_config.c and docs/configuration.md). */
bool auth_config_has_key(const char *key);
/* Set one key. Returns NULL on success, else a static reason to print
 * after the key ("must be …"). Template values may use \n for a newline. */
const char *auth_config_set(struct auth_config *a, const char *key, const char *value);
/* Apply TOLLGATE_<KEY> (key upper-cased) for every key of this module.
 * TG_OK, or TG_ERR_INVALID with "VARIABLE: reason" in err. */
int auth_config_apply_env(struct auth_config *a, char *err, size_t err_size);
/* Whole-configuration checks that one key cannot make (SMTP chosen but no
 * host or sender; webhook chosen but no URL). TG_OK, or TG_ERR_INVALID with
 * the reason in err. */
int auth_config_check(const struct auth_config *a, char *err, size_t err_size);

/* "outbox", "smtp", "webhook". */
const char *auth_config_transport_name(enum channel_transport t);

#endif
