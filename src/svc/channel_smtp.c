/* SPDX-License-Identifier: MIT
 * Email channel: one message over SMTP with libcurl (STARTTLS required,
 * implicit TLS, or none for a local relay; optional AUTH), bounded by
 * smtp_timeout. The message is text/plain UTF-8, base64 body, RFC 2047
 * subject, Content-Language of the user's locale. Recipient and sender are
 * validated addresses and the subject is one line, so no header can be
 * injected. */
#include <curl/curl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "base/err.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/str.h"
#include "core/email_addr.h"
#include "svc/channel.h"
#include "svc/channel_int.h"

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Base64 of n bytes, wrapped at 76 characters with CRLF when wrap. */
static void base64_append(struct tg_buf *b, const char *p, size_t n, bool wrap)
{
	size_t col = 0;
	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)(unsigned char)p[i] << 16;
		if (i + 1 < n)
			v |= (unsigned)(unsigned char)p[i + 1] << 8;
		if (i + 2 < n)
			v |= (unsigned char)p[i + 2];
		char q[4] = {b64[(v >> 18) & 63], b64[(v >> 12) & 63],
		             i + 1 < n ? b64[(v >> 6) & 63] : '=', i + 2 < n ? b64[v & 63] : '='};
		tg_buf_append(b, q, 4);
		col += 4;
		if (wrap && col >= 76) {
			tg_buf_append(b, "\r\n", 2);
			col = 0;
		}
	}
	if (wrap && col)
		tg_buf_append(b, "\r\n", 2);
}

/* The whole message (headers and body) with CRLF line ends. ref names the
 * Message-ID's local part. */
static void build_message(const struct auth_config *cfg, const char *to, const char *subject,
                          const char *body, const char *ref, int lang, int64_t now,
                          struct tg_buf *b)
{
	char date[64];
	time_t t = (time_t)now;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
	const char *at = strchr(cfg->smtp_from, '@');
	tg_buf_appendf(b, "Date: %s\r\nFrom: %s\r\nTo: %s\r\nSubject: =?UTF-8?B?", date,
	               cfg->smtp_from, to);
	base64_append(b, subject, strlen(subject), false);
	tg_buf_appendf(b, "?=\r\nMessage-ID: <%s@%s>\r\nMIME-Version: 1.0\r\n"
	               "Content-Type: text/plain; charset=UTF-8\r\n"
	               "Content-Transfer-Encoding: base64\r\nContent-Language: %s\r\n"
	               "Auto-Submitted: auto-generated\r\n\r\n",
	               ref && *ref ? ref : "code", at ? at + 1 : "tollgate.local",
	               lang == AUTH_LANG_SV ? "sv" : "en");
	/* the body with LF turned into CRLF, then base64 */
	struct tg_buf crlf;
	tg_buf_init_secret(&crlf, 4 * TG_MAX_CHANNEL_TEXT + 4096);
	for (const char *p = body; *p; p++) {
		if (*p == '\n')
			tg_buf_append(&crlf, "\r", 1);
		tg_buf_append(&crlf, p, 1);
	}
	base64_append(b, crlf.data ? crlf.data : "", crlf.len, true);
	tg_buf_cleanup_secret(&crlf);
}

struct reader { const char *p; size_t left; };

static size_t read_cb(char *dst, size_t size, size_t nmemb, void *arg)
{
	struct reader *r = arg;
	size_t n = size * nmemb;
	if (n > r->left)
		n = r->left;
	memcpy(dst, r->p, n);
	r->p += n;
	r->left -= n;
	return n;
}

/* Send one built message to `to` (validated here) over SMTP. */
static int smtp_deliver(const struct auth_config *cfg, const char *to_addr, const struct tg_buf *msg,
                        char *err, size_t err_size)
{
	if (!cfg->smtp_host[0] || !cfg->smtp_from[0]) {
		snprintf(err, err_size, "email delivery by SMTP is not configured (smtp_host, smtp_from)");
		return TG_ERR_INVALID;
	}
	if (!email_addr_is_valid(to_addr)) {
		snprintf(err, err_size, "the email address is not valid");
		return TG_ERR_INVALID;
	}
	if (channel_curl_init()) {
		snprintf(err, err_size, "libcurl could not be initialised");
		return TG_ERR_INTERNAL;
	}
	char url[TG_MAX_DOMAIN + 32], from[TG_MAX_EMAIL + 3], to[TG_MAX_EMAIL + 3];
	bool v6 = strchr(cfg->smtp_host, ':') != NULL;
	snprintf(url, sizeof url, "%s://%s%s%s:%u", cfg->smtp_tls == SMTP_TLS_IMPLICIT ? "smtps" : "smtp",
	         v6 ? "[" : "", cfg->smtp_host, v6 ? "]" : "", cfg->smtp_port);
	snprintf(from, sizeof from, "<%s>", cfg->smtp_from);
	snprintf(to, sizeof to, "<%s>", to_addr);
	struct reader rd = {msg->data ? msg->data : "", msg->len};

	int r = TG_OK;
	char ebuf[CURL_ERROR_SIZE] = "";
	CURL *h = curl_easy_init();
	struct curl_slist *rcpt = curl_slist_append(NULL, to);
	if (!h || !rcpt) {
		snprintf(err, err_size, "libcurl could not start a transfer");
		r = TG_ERR_INTERNAL;
		goto out;
	}
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(h, CURLOPT_USE_SSL, (long)(cfg->smtp_tls == SMTP_TLS_NONE ? CURLUSESSL_NONE
	                                                                           : CURLUSESSL_ALL));
	if (cfg->smtp_ca_file[0])
		curl_easy_setopt(h, CURLOPT_CAINFO, cfg->smtp_ca_file);
	if (cfg->smtp_user[0]) {
		curl_easy_setopt(h, CURLOPT_USERNAME, cfg->smtp_user);
		curl_easy_setopt(h, CURLOPT_PASSWORD, cfg->smtp_password);
	}
	curl_easy_setopt(h, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(h, CURLOPT_READFUNCTION, read_cb);
	curl_easy_setopt(h, CURLOPT_READDATA, &rd);
	curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, (long)cfg->smtp_timeout);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, (long)cfg->smtp_timeout);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, ebuf);
	CURLcode rc = curl_easy_perform(h);
	if (rc != CURLE_OK) {
		long code = 0;
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
		r = rc == CURLE_OPERATION_TIMEDOUT ? TG_ERR_TIMEOUT : TG_ERR_UNAVAILABLE;
		if (code >= 400)
			snprintf(err, err_size, "the SMTP server %s refused the message (%ld): %s", url,
			         code, ebuf[0] ? ebuf : curl_easy_strerror(rc));
		else
			snprintf(err, err_size, "could not deliver the email through %s: %s", url,
			         ebuf[0] ? ebuf : curl_easy_strerror(rc));
	}
out:
	curl_slist_free_all(rcpt);
	if (h)
		curl_easy_cleanup(h);
	return r;
}

int channel_smtp_send(const struct auth_config *cfg, const struct channel_msg *m, char *err,
                      size_t err_size)
{
	int lang = channel_lang(m->locale);
	char *subject = channel_render(cfg->email_subject[lang], "subject", m);
	char *body = channel_render(cfg->email_body[lang], "body", m);
	struct tg_buf msg;
	tg_buf_init_secret(&msg, 16 * TG_MAX_CHANNEL_TEXT + 8192);
	build_message(cfg, m->to, subject, body, m->ref, lang, m->now, &msg);
	tg_secret_strfree(body);
	tg_secret_strfree(subject);
	int r = smtp_deliver(cfg, m->to, &msg, err, err_size);
	tg_buf_cleanup_secret(&msg);
	return r;
}

int channel_smtp_send_notice(const struct auth_config *cfg, const struct channel_notice *n,
                             const char *subject, const char *body, char *err, size_t err_size)
{
	struct tg_buf msg;
	tg_buf_init(&msg, 16 * TG_MAX_CHANNEL_TEXT + 8192);
	build_message(cfg, n->to, subject, body, n->ref, channel_lang(n->locale), n->now, &msg);
	int r = smtp_deliver(cfg, n->to, &msg, err, err_size);
	tg_buf_cleanup(&msg);
	return r;
}
