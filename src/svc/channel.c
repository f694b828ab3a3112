/* SPDX-License-Identifier: MIT
 * Channels: kind names, the transport chosen per kind, message templates
 * in English and Swedish, and the dispatch to channel_smtp.c,
 * channel_webhook.c and channel_outbox.c (see channel.h). */
#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include "base/err.h"
#include "base/mem.h"
#include "base/str.h"
#include "svc/channel.h"
#include "svc/channel_int.h"

static const char *const kind_names[] = {"email", "sms", "voice"};

const char *channel_kind_name(enum channel_kind k)
{
	return (unsigned)k < TG_ARRAY_LEN(kind_names) ? kind_names[k] : "?";
}

int channel_kind_parse(const char *s, enum channel_kind *out)
{
	for (unsigned i = 0; i < TG_ARRAY_LEN(kind_names); i++)
		if (tg_streq_ci(s, kind_names[i])) {
			*out = (enum channel_kind)i;
			return TG_OK;
		}
	return TG_ERR_INVALID;
}

enum channel_transport channel_transport_for(const struct auth_config *cfg, enum channel_kind k)
{
	switch (k) {
	case CHANNEL_EMAIL: return cfg->email;
	case CHANNEL_SMS: return cfg->sms;
	case CHANNEL_VOICE: return cfg->voice;
	}
	return CHANNEL_OUTBOX;
}

int channel_lang(const char *locale)
{
	return locale && tg_startswith_ci(locale, "sv") ? AUTH_LANG_SV : AUTH_LANG_EN;
}

/* ---------------------------------------------------------------- templates */

static const char *const builtin_subject[AUTH_LANG_COUNT] = {
	"Your verification code",
	"Din verifieringskod",
};
static const char *const builtin_body[AUTH_LANG_COUNT] = {
	"Hello,\n\nyour verification code for {issuer} is {code}.\n"
	"It is valid for {minutes} minutes and can be used once.\n\n"
	"If you did not try to sign in, someone may know your password: "
	"tell your administrator.\n",
	"Hej!\n\nDin verifieringskod f\xc3\xb6r {issuer} \xc3\xa4r {code}.\n"
	"Den g\xc3\xa4ller i {minutes} minuter och kan anv\xc3\xa4ndas en g\xc3\xa5ng.\n\n"
	"Om du inte f\xc3\xb6rs\xc3\xb6kte logga in kan n\xc3\xa5gon k\xc3\xa4nna till ditt "
	"l\xc3\xb6senord: kontakta din administrat\xc3\xb6r.\n",
};
static const char *const builtin_sms[AUTH_LANG_COUNT] = {
	"{code} is your {issuer} verification code. It is valid for {minutes} minutes.",
	"{code} \xc3\xa4r din verifieringskod f\xc3\xb6r {issuer}. Den g\xc3\xa4ller i {minutes} minuter.",
};

char *channel_render(const char *tmpl, const char *which, const struct channel_msg *m)
{
	int lang = channel_lang(m->locale);
	if (!tmpl || !*tmpl)
		tmpl = strcmp(which, "subject") == 0 ? builtin_subject[lang]
		     : strcmp(which, "body") == 0    ? builtin_body[lang]
		                                     : builtin_sms[lang];
	char minutes[16];
	snprintf(minutes, sizeof minutes, "%u", m->minutes);
	const struct channel_var vars[] = {
		{"{code}", m->code}, {"{minutes}", minutes},
		{"{upn}", m->upn ? m->upn : ""}, {"{issuer}", m->issuer ? m->issuer : "Tollgate"},
	};
	return channel_subst(tmpl, vars, TG_ARRAY_LEN(vars));
}

char *channel_subst(const char *tmpl, const struct channel_var *vars, size_t nvars)
{
	struct tg_buf b;
	tg_buf_init_secret(&b, 4 * TG_MAX_CHANNEL_TEXT + 4096);
	for (const char *p = tmpl; *p;) {
		size_t i;
		for (i = 0; i < nvars; i++) {
			size_t n = strlen(vars[i].name);
			if (strncmp(p, vars[i].name, n) == 0) {
				tg_buf_append(&b, vars[i].value, strlen(vars[i].value));
				p += n;
				break;
			}
		}
		if (i == nvars)
			tg_buf_append(&b, p++, 1);
	}
	return b.data ? b.data : xstrdup("");
}

/* ------------------------------------------------------------------ dispatch */

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static int curl_ok;

static void curl_init_once(void)
{
	curl_ok = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
}

int channel_curl_init(void)
{
	pthread_once(&curl_once, curl_init_once);
	return curl_ok ? TG_OK : TG_ERR_INTERNAL;
}

int channel_send(const struct auth_config *cfg, const struct channel_msg *m, char *err,
                 size_t err_size)
{
	err[0] = '\0';
	if (!m->to || !*m->to || !m->code || !*m->code) {
		snprintf(err, err_size, "nothing to send");
		return TG_ERR_INVALID;
	}
	enum channel_transport t = channel_transport_for(cfg, m->kind);
	if (t == CHANNEL_SMTP && m->kind != CHANNEL_EMAIL)
		t = CHANNEL_OUTBOX; /* auth_config_set never allows it; be safe */
	switch (t) {
	case CHANNEL_SMTP:
		return channel_smtp_send(cfg, m, err, err_size);
	case CHANNEL_WEBHOOK:
		return channel_webhook_send(cfg, m, err, err_size);
	case CHANNEL_OUTBOX:
		break;
	}
	return channel_outbox_write(cfg, m, err, err_size);
}
