/* SPDX-License-Identifier: MIT
 * File outbox channel, the out-of-the-box default on one machine: each
 * message is one JSON line appended to outbox_file (mode 0600, never a
 * symbolic link), under an exclusive lock, flushed to disk before success
 * is reported. The line holds the code: the file is as sensitive as the
 * messages it stands in for. A notice's line (channel_notice.c) has its
 * "kind" and no code. */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include "base/err.h"
#include "base/mem.h"
#include "base/str.h"
#include "svc/channel.h"
#include "svc/channel_int.h"

static char *outbox_line(const struct auth_config *cfg, const struct channel_msg *m)
{
	int lang = channel_lang(m->locale);
	char ts[TG_TIME_ISO_LEN];
	tg_time_iso(m->now, ts);
	char *subject = NULL;
	char *text;
	if (m->kind == CHANNEL_EMAIL) {
		subject = channel_render(cfg->email_subject[lang], "subject", m);
		text = channel_render(cfg->email_body[lang], "body", m);
	} else {
		text = channel_render(cfg->sms_message[lang], "sms", m);
	}
	json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "time", ts,
	                      "channel", channel_kind_name(m->kind), "to", m->to,
	                      "locale", lang == AUTH_LANG_SV ? "sv" : "en", "code", m->code,
	                      "ref", m->ref ? m->ref : "", "message", text);
	if (o && subject)
		json_object_set_new(o, "subject", json_string(subject));
	char *s = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	json_t *c = o ? json_object_get(o, "code") : NULL;
	if (c)
		json_string_set(c, "");
	json_t *t = o ? json_object_get(o, "message") : NULL;
	if (t)
		json_string_set(t, "");
	json_decref(o);
	tg_secret_strfree(text);
	tg_secret_strfree(subject);
	return s;
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Append line (from json_dumps: room for a newline in place of its NUL)
 * to the outbox, then free it with tg_secret_strfree. */
static int append_line(const struct auth_config *cfg, char *line, char *err, size_t err_size)
{
	const char *path = cfg->outbox[0] ? cfg->outbox : cfg->outbox_default;
	if (!path[0]) {
		snprintf(err, err_size, "no outbox file is configured (outbox_file)");
		tg_secret_strfree(line);
		return TG_ERR_INVALID;
	}
	if (!line) {
		snprintf(err, err_size, "could not format the outbox line");
		return TG_ERR_INTERNAL;
	}
	int r = TG_OK;
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0600);
	struct stat sb;
	if (fd < 0 || fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		snprintf(err, err_size, "cannot write the outbox %s: %s", path,
		         fd < 0 ? strerror(errno) : "not a regular file");
		r = TG_ERR_IO;
		goto out;
	}
	if ((sb.st_mode & 077) && fchmod(fd, 0600) != 0) {
		snprintf(err, err_size, "cannot make the outbox %s private: %s", path,
		         strerror(errno));
		r = TG_ERR_IO;
		goto out;
	}
	size_t n = strlen(line);
	line[n] = '\n'; /* json_dumps left room: the NUL becomes the newline */
	if (flock(fd, LOCK_EX) != 0 || write_all(fd, line, n + 1) != 0 || fdatasync(fd) != 0) {
		snprintf(err, err_size, "cannot write the outbox %s: %s", path, strerror(errno));
		r = TG_ERR_IO;
	}
	line[n] = '\0';
out:
	if (fd >= 0)
		close(fd);
	tg_secret_strfree(line);
	return r;
}

int channel_outbox_write(const struct auth_config *cfg, const struct channel_msg *m, char *err,
                         size_t err_size)
{
	return append_line(cfg, outbox_line(cfg, m), err, err_size);
}

/* A notice's line: as a code's, with "kind" and without "code". */
int channel_outbox_write_notice(const struct auth_config *cfg, const struct channel_notice *n,
                                const char *subject, const char *body, char *err,
                                size_t err_size)
{
	char ts[TG_TIME_ISO_LEN];
	tg_time_iso(n->now, ts);
	const char *kind = n->kind == CHANNEL_NOTICE_MFA_REQUIRED ? "mfaRequired" : "mfaRegister";
	json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "time", ts, "channel", "email",
	                      "kind", kind, "to", n->to,
	                      "locale", channel_lang(n->locale) == AUTH_LANG_SV ? "sv" : "en",
	                      "ref", n->ref ? n->ref : "", "subject", subject, "message", body);
	char *line = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	json_decref(o);
	return append_line(cfg, line, err, err_size);
}
