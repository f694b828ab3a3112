/* SPDX-License-Identifier: MIT
 * SMS and voice channel: POST {to, channel, code, locale, message} as JSON
 * to the configured gateway URL with "Authorization: Bearer <secret>" and
 * an Idempotency-Key (the code record's id, so a retried request is not a
 * second SMS for a gateway that honours it). Any 2xx is success; a
 * transport error, 408, 429 or 5xx is retried up to webhook_retries times
 * with a short back-off; everything together stays within
 * webhook_timeout_ms, so a sign-in never hangs. Redirects are not
 * followed. */
#include <curl/curl.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "base/err.h"
#include "base/mem.h"
#include "base/str.h"
#include "svc/channel.h"
#include "svc/channel_int.h"

static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(int64_t ms)
{
	struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) != 0)
		;
}

/* Discard the gateway's answer body (we only need the status). */
static size_t sink(char *p, size_t size, size_t nmemb, void *arg)
{
	(void)p;
	(void)arg;
	return size * nmemb;
}

static char *request_body(const struct auth_config *cfg, const struct channel_msg *m)
{
	int lang = channel_lang(m->locale);
	char *text = channel_render(cfg->sms_message[lang], "sms", m);
	json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s}", "to", m->to,
	                      "channel", channel_kind_name(m->kind), "code", m->code,
	                      "locale", lang == AUTH_LANG_SV ? "sv" : "en", "message", text);
	char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;
	/* jansson keeps its own copies: clear the code in them before freeing */
	json_t *c = o ? json_object_get(o, "code") : NULL;
	if (c)
		json_string_set(c, "");
	json_t *t = o ? json_object_get(o, "message") : NULL;
	if (t)
		json_string_set(t, "");
	json_decref(o);
	tg_secret_strfree(text);
	return s;
}

static bool retryable(CURLcode rc, long status)
{
	if (rc != CURLE_OK)
		return rc == CURLE_COULDNT_CONNECT || rc == CURLE_OPERATION_TIMEDOUT ||
		       rc == CURLE_SEND_ERROR || rc == CURLE_RECV_ERROR || rc == CURLE_GOT_NOTHING ||
		       rc == CURLE_COULDNT_RESOLVE_HOST || rc == CURLE_SSL_CONNECT_ERROR;
	return status == 408 || status == 429 || status >= 500;
}

int channel_webhook_send(const struct auth_config *cfg, const struct channel_msg *m, char *err,
                         size_t err_size)
{
	if (!cfg->webhook_url[0]) {
		snprintf(err, err_size, "%s delivery by webhook is not configured (webhook_url)",
		         channel_kind_name(m->kind));
		return TG_ERR_INVALID;
	}
	if (channel_curl_init()) {
		snprintf(err, err_size, "libcurl could not be initialised");
		return TG_ERR_INTERNAL;
	}
	char *body = request_body(cfg, m);
	if (!body) {
		snprintf(err, err_size, "could not build the gateway request");
		return TG_ERR_INTERNAL;
	}
	char auth[AUTH_SECRET_SIZE + 32], idem[TG_MAX_ID + 40];
	snprintf(auth, sizeof auth, "Authorization: Bearer %s", cfg->webhook_secret);
	snprintf(idem, sizeof idem, "Idempotency-Key: %s", m->ref ? m->ref : "");
	struct curl_slist *hdr = curl_slist_append(NULL, "Content-Type: application/json");
	if (hdr && cfg->webhook_secret[0])
		hdr = curl_slist_append(hdr, auth);
	if (hdr && m->ref && *m->ref)
		hdr = curl_slist_append(hdr, idem);
	tg_wipe(auth, sizeof auth);

	int r = TG_ERR_UNAVAILABLE;
	CURL *h = curl_easy_init();
	if (!h || !hdr) {
		snprintf(err, err_size, "libcurl could not start a transfer");
		r = TG_ERR_INTERNAL;
		goto out;
	}
	char ebuf[CURL_ERROR_SIZE];
	curl_easy_setopt(h, CURLOPT_URL, cfg->webhook_url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "tollgate/" TG_VERSION);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, sink);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, ebuf);
	if (cfg->webhook_ca_file[0])
		curl_easy_setopt(h, CURLOPT_CAINFO, cfg->webhook_ca_file);

	const int64_t deadline = mono_ms() + cfg->webhook_timeout_ms;
	int64_t backoff = 200;
	unsigned attempt = 0;
	for (;;) {
		int64_t left = deadline - mono_ms();
		if (left < 50) {
			r = TG_ERR_TIMEOUT;
			snprintf(err, err_size, "the %s gateway did not answer within %u ms (%u attempt%s)",
			         channel_kind_name(m->kind), cfg->webhook_timeout_ms, attempt,
			         attempt == 1 ? "" : "s");
			break;
		}
		attempt++;
		ebuf[0] = '\0';
		curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)left);
		curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, (long)left);
		CURLcode rc = curl_easy_perform(h);
		long status = 0;
		if (rc == CURLE_OK)
			curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
		if (rc == CURLE_OK && status >= 200 && status < 300) {
			r = TG_OK;
			break;
		}
		if (rc == CURLE_OK) {
			r = TG_ERR_UNAVAILABLE;
			snprintf(err, err_size, "the %s gateway answered HTTP %ld (attempt %u)",
			         channel_kind_name(m->kind), status, attempt);
		} else {
			r = rc == CURLE_OPERATION_TIMEDOUT ? TG_ERR_TIMEOUT : TG_ERR_UNAVAILABLE;
			snprintf(err, err_size, "could not reach the %s gateway: %s (attempt %u)",
			         channel_kind_name(m->kind), ebuf[0] ? ebuf : curl_easy_strerror(rc), attempt);
		}
		if (attempt > cfg->webhook_retries || !retryable(rc, status))
			break;
		left = deadline - mono_ms();
		if (left <= backoff + 50) {
			if (r == TG_ERR_TIMEOUT || left < 50)
				snprintf(err, err_size, "the %s gateway did not answer within %u ms (%u "
				         "attempt%s)", channel_kind_name(m->kind), cfg->webhook_timeout_ms,
				         attempt, attempt == 1 ? "" : "s");
			break;
		}
		sleep_ms(backoff);
		backoff *= 2;
	}
out:
	if (h)
		curl_easy_cleanup(h);
	for (struct curl_slist *e = hdr; e; e = e->next)
		tg_wipe(e->data, strlen(e->data)); /* the bearer secret */
	curl_slist_free_all(hdr);
	tg_secret_strfree(body);
	return r;
}
