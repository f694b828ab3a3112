/* SPDX-License-Identifier: MIT
 * Authentication-method and channel settings: defaults, one table of keys,
 * parsing of each value, the environment (see auth_config.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/err.h"
#include "base/mem.h"
#include "base/str.h"
#include "core/email_addr.h"
#include "core/otp_code.h"
#include "svc/auth_config.h"

void auth_config_defaults(struct auth_config *a)
{
	memset(a, 0, sizeof *a);
	a->otp_digits = OTP_CODE_DEFAULT_DIGITS;
	a->otp_max_sends = OTP_CODE_SEND_DEFAULT_MAX;
	a->email = a->sms = a->voice = CHANNEL_OUTBOX;
	a->smtp_port = 587;
	a->smtp_tls = SMTP_TLS_STARTTLS;
	a->smtp_timeout = 10;
	a->webhook_timeout_ms = 5000;
	a->webhook_retries = 2;
}

void auth_config_cleanup(struct auth_config *a)
{
	tg_wipe(a->smtp_password, sizeof a->smtp_password);
	tg_wipe(a->webhook_secret, sizeof a->webhook_secret);
}

const char *auth_config_transport_name(enum channel_transport t)
{
	switch (t) {
	case CHANNEL_SMTP: return "smtp";
	case CHANNEL_WEBHOOK: return "webhook";
	case CHANNEL_OUTBOX: break;
	}
	return "outbox";
}

enum key_id {
	K_OTP_DIGITS, K_OTP_MAX_SENDS, K_TOTP_ISSUER,
	K_EMAIL_CHANNEL, K_SMS_CHANNEL, K_VOICE_CHANNEL, K_OUTBOX,
	K_SMTP_HOST, K_SMTP_PORT, K_SMTP_TLS, K_SMTP_USER, K_SMTP_PASSWORD, K_SMTP_FROM,
	K_SMTP_CA_FILE, K_SMTP_TIMEOUT,
	K_WEBHOOK_URL, K_WEBHOOK_SECRET, K_WEBHOOK_CA_FILE, K_WEBHOOK_TIMEOUT_MS, K_WEBHOOK_RETRIES,
	K_EMAIL_SUBJECT_EN, K_EMAIL_SUBJECT_SV, K_EMAIL_BODY_EN, K_EMAIL_BODY_SV,
	K_SMS_MESSAGE_EN, K_SMS_MESSAGE_SV,
};

static const struct { const char *name; enum key_id id; } keys[] = {
	{"otp_digits", K_OTP_DIGITS},
	{"otp_max_sends", K_OTP_MAX_SENDS},
	{"totp_issuer", K_TOTP_ISSUER},
	{"email_channel", K_EMAIL_CHANNEL},
	{"sms_channel", K_SMS_CHANNEL},
	{"voice_channel", K_VOICE_CHANNEL},
	{"outbox_file", K_OUTBOX},
	{"smtp_host", K_SMTP_HOST},
	{"smtp_port", K_SMTP_PORT},
	{"smtp_tls", K_SMTP_TLS},
	{"smtp_user", K_SMTP_USER},
	{"smtp_password", K_SMTP_PASSWORD},
	{"smtp_from", K_SMTP_FROM},
	{"smtp_ca_file", K_SMTP_CA_FILE},
	{"smtp_timeout", K_SMTP_TIMEOUT},
	{"webhook_url", K_WEBHOOK_URL},
	{"webhook_secret", K_WEBHOOK_SECRET},
	{"webhook_ca_file", K_WEBHOOK_CA_FILE},
	{"webhook_timeout_ms", K_WEBHOOK_TIMEOUT_MS},
	{"webhook_retries", K_WEBHOOK_RETRIES},
	{"email_subject_en", K_EMAIL_SUBJECT_EN},
	{"email_subject_sv", K_EMAIL_SUBJECT_SV},
	{"email_body_en", K_EMAIL_BODY_EN},
	{"email_body_sv", K_EMAIL_BODY_SV},
	{"sms_message_en", K_SMS_MESSAGE_EN},
	{"sms_message_sv", K_SMS_MESSAGE_SV},
};

static int find_key(const char *key)
{
	for (size_t i = 0; i < TG_ARRAY_LEN(keys); i++)
		if (strcmp(keys[i].name, key) == 0)
			return (int)keys[i].id;
	return -1;
}

bool auth_config_has_key(const char *key)
{
	return find_key(key) >= 0;
}

static int uint_in(const char *v, int64_t min, int64_t max, unsigned *out)
{
	int64_t x;
	if (tg_parse_i64(v, min, max, &x))
		return TG_ERR_INVALID;
	*out = (unsigned)x;
	return TG_OK;
}

static int copy_text(char *dst, size_t size, const char *v)
{
	if (tg_has_ctl(v) || !tg_utf8_valid(v, strlen(v), NULL))
		return TG_ERR_INVALID;
	return tg_strcpy_checked(dst, size, v);
}

/* A message template: "\n" becomes a newline, "\\" a backslash; must
 * contain {code}; no other control characters. one_line: a header. */
static const char *set_template(char *dst, size_t size, const char *v, bool one_line)
{
	size_t n = 0;
	for (size_t i = 0; v[i]; i++) {
		char c = v[i];
		if (c == '\\' && (v[i + 1] == 'n' || v[i + 1] == '\\')) {
			c = v[i + 1] == 'n' ? '\n' : '\\';
			i++;
			if (c == '\n' && one_line)
				return "must be one line";
		} else if ((unsigned char)c < 0x20 || c == 0x7f) {
			return "must not contain control characters";
		}
		if (n + 1 >= size)
			return "is too long";
		dst[n++] = c;
	}
	dst[n] = '\0';
	if (!tg_utf8_valid(dst, n, NULL))
		return "must be UTF-8 text";
	if (!one_line && !strstr(dst, "{code}"))
		return "must contain {code}";
	return NULL;
}

static const char *set_transport(enum channel_transport *dst, const char *v, bool email)
{
	if (strcmp(v, "outbox") == 0)
		*dst = CHANNEL_OUTBOX;
	else if (email && strcmp(v, "smtp") == 0)
		*dst = CHANNEL_SMTP;
	else if (!email && strcmp(v, "webhook") == 0)
		*dst = CHANNEL_WEBHOOK;
	else
		return email ? "must be outbox or smtp" : "must be outbox or webhook";
	return NULL;
}

static const char *set_path(char *dst, size_t size, const char *v)
{
	if (copy_text(dst, size, v))
		return "must be a file path";
	return NULL;
}

const char *auth_config_set(struct auth_config *a, const char *key, const char *v)
{
	unsigned n;
	int k = find_key(key);
	switch (k) {
	case K_OTP_DIGITS:
		if (uint_in(v, OTP_CODE_MIN_DIGITS, OTP_CODE_MAX_DIGITS, &a->otp_digits))
			return "must be 6, 7 or 8";
		return NULL;
	case K_OTP_MAX_SENDS:
		if (uint_in(v, 1, TG_MAX_OTP_SENDS, &a->otp_max_sends))
			return "must be a whole number from 1 to 100";
		return NULL;
	case K_TOTP_ISSUER:
		if (strchr(v, ':') || copy_text(a->totp_issuer, sizeof a->totp_issuer, v))
			return "must be at most 128 bytes of text without ':'";
		return NULL;
	case K_EMAIL_CHANNEL:
		return set_transport(&a->email, v, true);
	case K_SMS_CHANNEL:
		return set_transport(&a->sms, v, false);
	case K_VOICE_CHANNEL:
		return set_transport(&a->voice, v, false);
	case K_OUTBOX:
		return set_path(a->outbox, sizeof a->outbox, v);
	case K_SMTP_HOST:
		if (strchr(v, '/') || strchr(v, ' ') || copy_text(a->smtp_host, sizeof a->smtp_host, v))
			return "must be a host name or IP address";
		return NULL;
	case K_SMTP_PORT:
		if (uint_in(v, 1, 65535, &a->smtp_port))
			return "must be a port number from 1 to 65535";
		return NULL;
	case K_SMTP_TLS:
		if (strcmp(v, "starttls") == 0)
			a->smtp_tls = SMTP_TLS_STARTTLS;
		else if (strcmp(v, "tls") == 0)
			a->smtp_tls = SMTP_TLS_IMPLICIT;
		else if (strcmp(v, "none") == 0)
			a->smtp_tls = SMTP_TLS_NONE;
		else
			return "must be starttls, tls or none";
		return NULL;
	case K_SMTP_USER:
		if (copy_text(a->smtp_user, sizeof a->smtp_user, v))
			return "must be at most 255 bytes of text";
		return NULL;
	case K_SMTP_PASSWORD:
		if (copy_text(a->smtp_password, sizeof a->smtp_password, v))
			return "must be at most 255 bytes of text";
		return NULL;
	case K_SMTP_FROM:
		if (*v && !email_addr_is_valid(v))
			return "must be an email address (name@example.com)";
		tg_strlcpy(a->smtp_from, v, sizeof a->smtp_from);
		return NULL;
	case K_SMTP_CA_FILE:
		return set_path(a->smtp_ca_file, sizeof a->smtp_ca_file, v);
	case K_SMTP_TIMEOUT:
		if (uint_in(v, 1, 120, &a->smtp_timeout))
			return "must be a number of seconds from 1 to 120";
		return NULL;
	case K_WEBHOOK_URL:
		if ((*v && strncmp(v, "https://", 8) != 0 && strncmp(v, "http://", 7) != 0) ||
		    strchr(v, ' ') || copy_text(a->webhook_url, sizeof a->webhook_url, v))
			return "must be an http:// or https:// URL";
		return NULL;
	case K_WEBHOOK_SECRET:
		if (copy_text(a->webhook_secret, sizeof a->webhook_secret, v))
			return "must be at most 255 bytes of text";
		return NULL;
	case K_WEBHOOK_CA_FILE:
		return set_path(a->webhook_ca_file, sizeof a->webhook_ca_file, v);
	case K_WEBHOOK_TIMEOUT_MS:
		if (uint_in(v, 100, 60000, &a->webhook_timeout_ms))
			return "must be a number of milliseconds from 100 to 60000";
		return NULL;
	case K_WEBHOOK_RETRIES:
		if (uint_in(v, 0, 5, &n))
			return "must be a whole number from 0 to 5";
		a->webhook_retries = n;
		return NULL;
	case K_EMAIL_SUBJECT_EN:
	case K_EMAIL_SUBJECT_SV:
		return set_template(a->email_subject[k == K_EMAIL_SUBJECT_SV], sizeof a->email_subject[0],
		                    v, true);
	case K_EMAIL_BODY_EN:
	case K_EMAIL_BODY_SV:
		return set_template(a->email_body[k == K_EMAIL_BODY_SV], sizeof a->email_body[0], v, false);
	case K_SMS_MESSAGE_EN:
	case K_SMS_MESSAGE_SV:
		return set_template(a->sms_message[k == K_SMS_MESSAGE_SV], sizeof a->sms_message[0], v,
		                    false);
	default:
		return "is not a known setting";
	}
}

int auth_config_apply_env(struct auth_config *a, char *err, size_t err_size)
{
	for (size_t i = 0; i < TG_ARRAY_LEN(keys); i++) {
		char env[64] = "TOLLGATE_";
		size_t p = strlen(env);
		for (const char *s = keys[i].name; *s && p + 1 < sizeof env; s++)
			env[p++] = (char)(*s >= 'a' && *s <= 'z' ? *s - 'a' + 'A' : *s);
		env[p] = '\0';
		const char *v = getenv(env);
		if (!v)
			continue;
		const char *why = auth_config_set(a, keys[i].name, v);
		if (why) {
			snprintf(err, err_size, "%s: %s %s", env, keys[i].name, why);
			return TG_ERR_INVALID;
		}
	}
	return TG_OK;
}

int auth_config_check(const struct auth_config *a, char *err, size_t err_size)
{
	if (a->email == CHANNEL_SMTP && (!a->smtp_host[0] || !a->smtp_from[0])) {
		snprintf(err, err_size, "email_channel = smtp needs smtp_host and smtp_from");
		return TG_ERR_INVALID;
	}
	if ((a->sms == CHANNEL_WEBHOOK || a->voice == CHANNEL_WEBHOOK) && !a->webhook_url[0]) {
		snprintf(err, err_size, "sms_channel or voice_channel = webhook needs webhook_url");
		return TG_ERR_INVALID;
	}
	if (a->smtp_password[0] && !a->smtp_user[0]) {
		snprintf(err, err_size, "smtp_password is set but smtp_user is not");
		return TG_ERR_INVALID;
	}
	return TG_OK;
}
