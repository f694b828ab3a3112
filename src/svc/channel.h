/* SPDX-License-Identifier: MIT
 * Channels deliver one-time codes: email over SMTP (libcurl), SMS and voice
 * through an HTTP gateway webhook (libcurl), or a local file outbox (JSON
 * lines, mode 0600) which is the default on a single machine. The message
 * text comes from templates in the user's language (English or Swedish).
 *
 * A delivery either succeeds or returns an error with a one-line reason
 * that never contains the code or a configured secret; the caller keeps
 * the code unusable until delivery succeeded and drops it otherwise, so a
 * failed send consumes nothing. Every transport is bounded in time
 * (smtp_timeout, webhook_timeout_ms), so a sign-in never hangs on one.
 * Thread-safe: no shared state besides libcurl's global init (done once).
 * Design: docs/internals/methods.md ("Channels"). */
#ifndef TG_SVC_CHANNEL_H
#define TG_SVC_CHANNEL_H
#include <stddef.h>
#include <stdint.h>
#include "svc/auth_config.h"

enum channel_kind {
	CHANNEL_EMAIL = 0,
	CHANNEL_SMS = 1,
	CHANNEL_VOICE = 2,
};

/* One message to deliver. Strings are borrowed for the call. */
struct channel_msg {
	enum channel_kind kind;
	const char *to;        /* email address, or canonical "+CC NUMBER[xEXT]" */
	const char *code;      /* the one-time code (digits) */
	const char *locale;    /* "sv" → Swedish, anything else English */
	const char *upn;       /* the user, for {upn} */
	const char *issuer;    /* the tenant's name, for {issuer} */
	const char *ref;       /* the code record's id: Idempotency-Key, Message-ID */
	unsigned minutes;      /* validity, for {minutes} */
	int64_t now;           /* Unix seconds (Date header, outbox time) */
};

/* "email", "sms", "voice"; and the parse of those (TG_OK, TG_ERR_INVALID). */
const char *channel_kind_name(enum channel_kind k);
int channel_kind_parse(const char *s, enum channel_kind *out);

/* The transport configured for a kind. */
enum channel_transport channel_transport_for(const struct auth_config *cfg, enum channel_kind k);

/* Deliver m through the transport configured for m->kind.
 *   TG_OK               accepted by the SMTP server / gateway / written
 *   TG_ERR_UNAVAILABLE  server unreachable, refused, or a non-2xx answer
 *   TG_ERR_TIMEOUT      no answer within the configured time
 *   TG_ERR_INVALID      the channel is not configured (missing host, URL…)
 *   TG_ERR_IO           the outbox file could not be written
 * err (err_size bytes) always gets a one-line reason on failure. */
int channel_send(const struct auth_config *cfg, const struct channel_msg *m, char *err,
                 size_t err_size) __attribute__((warn_unused_result));

/* Render a template for m into a new string (caller frees with
 * tg_secret_strfree: it contains the code). tmpl NULL or "" picks the
 * built-in text of m's language for `which`: "subject", "body", "sms". */
char *channel_render(const char *tmpl, const char *which, const struct channel_msg *m);

/* ---- notices: a plain message to a user, no code (channel_notice.c) ----
 * Sent by email only, through the transport configured for email (SMTP or
 * the outbox), with built-in English and Swedish text. A notice never holds
 * a code or a link to follow: only the plain address of the sign-in page,
 * which the user is told to reach as they always do. */
enum channel_notice_kind {
	CHANNEL_NOTICE_MFA_REGISTER = 0,  /* MFA turned on: register at the next sign-in */
	CHANNEL_NOTICE_MFA_REQUIRED = 1,  /* MFA turned on, methods already registered */
};

/* Strings are borrowed for the call. */
struct channel_notice {
	enum channel_notice_kind kind;
	const char *to;        /* email address */
	const char *locale;    /* "sv" → Swedish, anything else English */
	const char *name;      /* the user's display name ("" = the UPN), for {name} */
	const char *upn;       /* for {upn} */
	const char *issuer;    /* the organization (tenant display name), for {issuer} */
	const char *url;       /* the tenant's sign-in page, for {url} */
	const char *ref;       /* the notice's id: Message-ID, so a resend is one message */
	int64_t now;           /* Unix seconds (Date header, outbox time) */
};

/* The subject or body ("subject", "body") of n in its language; a new
 * string the caller frees with free(). */
char *channel_notice_render(const struct channel_notice *n, const char *which);
/* Deliver n: results and err as channel_send (TG_ERR_INVALID also for an
 * empty address). */
int channel_send_notice(const struct auth_config *cfg, const struct channel_notice *n, char *err,
                        size_t err_size) __attribute__((warn_unused_result));

#endif
