/* SPDX-License-Identifier: MIT
 * Shared by the channel_*.c files only: one function per transport and the
 * libcurl set-up they share. */
#ifndef TG_SVC_CHANNEL_INT_H
#define TG_SVC_CHANNEL_INT_H
#include <stddef.h>
#include "svc/channel.h"

/* Language index of a locale (AUTH_LANG_SV for "sv…", else EN). */
int channel_lang(const char *locale);

/* One {name} of a template and its value. */
struct channel_var {
	const char *name;   /* "{code}" */
	const char *value;  /* never NULL */
};
/* tmpl with every {name} of vars replaced by its value (values are not
 * scanned again). A new string; the caller frees it with tg_secret_strfree
 * (it may hold a code). Bounded like every message. */
char *channel_subst(const char *tmpl, const struct channel_var *vars, size_t nvars);

/* curl_global_init once per process (thread-safe). TG_OK or TG_ERR_INTERNAL. */
int channel_curl_init(void);

int channel_smtp_send(const struct auth_config *cfg, const struct channel_msg *m, char *err,
                      size_t err_size);
int channel_webhook_send(const struct auth_config *cfg, const struct channel_msg *m, char *err,
                         size_t err_size);
int channel_outbox_write(const struct auth_config *cfg, const struct channel_msg *m, char *err,
                         size_t err_size);
/* Notices (channel_notice.c): the same transports, a subject and body
 * already rendered. */
int channel_smtp_send_notice(const struct auth_config *cfg, const struct channel_notice *n,
                             const char *subject, const char *body, char *err, size_t err_size);
int channel_outbox_write_notice(const struct auth_config *cfg, const struct channel_notice *n,
                                const char *subject, const char *body, char *err,
                                size_t err_size);

#endif
