/* SPDX-License-Identifier: MIT
 * Channels without a real server: configuration keys and their checks,
 * message templates in English and Swedish, the file outbox (JSON lines,
 * mode 0600, no symbolic links), and the failure paths of SMTP and the
 * webhook: a closed port is a clear error without the code in it, and a
 * server that accepts but never answers is cut off within the configured
 * time (so a sign-in never hangs). Real SMTP and HTTP receivers are in
 * tests/cli/test_channels.sh. */
#include <arpa/inet.h>
#include <jansson.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "harness.h"
#include "base/err.h"
#include "base/mem.h"
#include "base/str.h"
#include "svc/auth_config.h"
#include "svc/channel.h"
#include "svc/config.h"

static char dir[] = "/tmp/tg-channel-XXXXXX";

static double mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A listening socket on 127.0.0.1 that never accepts (connect succeeds,
 * nothing is ever answered); *port_out gets its port. */
static int silent_listener(unsigned *port_out)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t sl = sizeof sa;
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof sa) || listen(fd, 8) ||
	    getsockname(fd, (struct sockaddr *)&sa, &sl))
		return -1;
	*port_out = ntohs(sa.sin_port);
	return fd;
}

/* A port with nothing listening (bound, then closed). */
static unsigned closed_port(void)
{
	unsigned p = 0;
	int fd = silent_listener(&p);
	if (fd >= 0)
		close(fd);
	return p;
}

static void config_keys(void)
{
	struct tg_config c;
	char err[300];
	config_defaults(&c, "/tmp/x");
	CHECK_INT(c.auth.email, CHANNEL_OUTBOX);
	CHECK_INT(c.auth.otp_digits, 6);
	CHECK_OK(config_set(&c, "email_channel", "smtp", err, sizeof err));
	CHECK_INT(config_set(&c, "email_channel", "webhook", err, sizeof err), TG_ERR_INVALID);
	CHECK(strstr(err, "email_channel must be outbox or smtp") != NULL);
	CHECK_INT(config_set(&c, "sms_channel", "smtp", err, sizeof err), TG_ERR_INVALID);
	CHECK_OK(config_set(&c, "smtp_tls", "tls", err, sizeof err));
	CHECK_INT(c.auth.smtp_tls, SMTP_TLS_IMPLICIT);
	CHECK_INT(config_set(&c, "smtp_tls", "maybe", err, sizeof err), TG_ERR_INVALID);
	CHECK_INT(config_set(&c, "smtp_port", "0", err, sizeof err), TG_ERR_INVALID);
	CHECK_INT(config_set(&c, "smtp_from", "not-an-address", err, sizeof err), TG_ERR_INVALID);
	CHECK_INT(config_set(&c, "otp_digits", "5", err, sizeof err), TG_ERR_INVALID);
	CHECK_OK(config_set(&c, "otp_digits", "8", err, sizeof err));
	CHECK_INT(config_set(&c, "otp_max_sends", "101", err, sizeof err), TG_ERR_INVALID);
	CHECK_INT(config_set(&c, "webhook_url", "ftp://x", err, sizeof err), TG_ERR_INVALID);
	CHECK_INT(config_set(&c, "webhook_retries", "9", err, sizeof err), TG_ERR_INVALID);
	CHECK_INT(config_set(&c, "totp_issuer", "a:b", err, sizeof err), TG_ERR_INVALID);
	/* templates: \n is a newline, {code} is required, subjects are one line */
	CHECK_OK(config_set(&c, "email_body_en", "Code: {code}\\nBye", err, sizeof err));
	CHECK_STR(c.auth.email_body[AUTH_LANG_EN], "Code: {code}\nBye");
	CHECK_INT(config_set(&c, "sms_message_sv", "ingen kod", err, sizeof err), TG_ERR_INVALID);
	CHECK_INT(config_set(&c, "email_subject_sv", "a\\nb", err, sizeof err), TG_ERR_INVALID);
	/* smtp without a host is caught by the whole-configuration check */
	CHECK_INT(auth_config_check(&c.auth, err, sizeof err), TG_ERR_INVALID);
	CHECK(strstr(err, "smtp_host") != NULL);
	CHECK_OK(config_set(&c, "smtp_host", "mail.contoso.test", err, sizeof err));
	CHECK_OK(config_set(&c, "smtp_from", "noreply@contoso.test", err, sizeof err));
	CHECK_OK(auth_config_check(&c.auth, err, sizeof err));
	/* the file format and the environment reach the same keys */
	const char *text = "sms_channel = webhook\nwebhook_url = https://sms.contoso.test/send\n";
	CHECK_OK(config_apply_text(&c, text, strlen(text), err, sizeof err));
	CHECK_INT(c.auth.sms, CHANNEL_WEBHOOK);
	setenv("TOLLGATE_WEBHOOK_SECRET", "s3cret", 1);
	setenv("TOLLGATE_OTP_MAX_SENDS", "7", 1);
	CHECK_OK(config_apply_env(&c, err, sizeof err));
	CHECK_STR(c.auth.webhook_secret, "s3cret");
	CHECK_INT(c.auth.otp_max_sends, 7);
	setenv("TOLLGATE_SMTP_PORT", "nope", 1);
	CHECK_INT(config_apply_env(&c, err, sizeof err), TG_ERR_INVALID);
	CHECK(strstr(err, "TOLLGATE_SMTP_PORT") != NULL);
	unsetenv("TOLLGATE_SMTP_PORT");
	unsetenv("TOLLGATE_WEBHOOK_SECRET");
	unsetenv("TOLLGATE_OTP_MAX_SENDS");
	auth_config_cleanup(&c.auth);
	CHECK_STR(c.auth.webhook_secret, "");
}

static void templates_by_language(void)
{
	struct channel_msg m = {.kind = CHANNEL_EMAIL, .to = "a@contoso.test", .code = "123456",
	                        .locale = "sv", .upn = "a@contoso.test", .issuer = "Contoso",
	                        .minutes = 10, .now = 1800000000};
	char *s = channel_render(NULL, "subject", &m);
	CHECK_STR(s, "Din verifieringskod");
	tg_secret_strfree(s);
	s = channel_render(NULL, "body", &m);
	CHECK(strstr(s, "Din verifieringskod f\xc3\xb6r Contoso \xc3\xa4r 123456.") != NULL);
	CHECK(strstr(s, "10 minuter") != NULL);
	tg_secret_strfree(s);
	m.locale = "en-GB";
	s = channel_render(NULL, "sms", &m);
	CHECK_STR(s, "123456 is your Contoso verification code. It is valid for 10 minutes.");
	tg_secret_strfree(s);
	m.locale = "";
	s = channel_render("{upn}: {code} ({minutes} min) {unknown}", "sms", &m);
	CHECK_STR(s, "a@contoso.test: 123456 (10 min) {unknown}");
	tg_secret_strfree(s);
	enum channel_kind k;
	CHECK_OK(channel_kind_parse("Voice", &k));
	CHECK_INT(k, CHANNEL_VOICE);
	CHECK_INT(channel_kind_parse("fax", &k), TG_ERR_INVALID);
}

static void outbox_json_lines(void)
{
	struct auth_config cfg;
	auth_config_defaults(&cfg);
	snprintf(cfg.outbox, sizeof cfg.outbox, "%s/outbox.jsonl", dir);
	char err[300];
	mode_t old = umask(0);
	struct channel_msg m = {.kind = CHANNEL_SMS, .to = "+46 701234567", .code = "654321",
	                        .locale = "sv", .ref = "ref-1", .minutes = 10, .now = 1800000000};
	CHECK_OK(channel_send(&cfg, &m, err, sizeof err));
	m.kind = CHANNEL_EMAIL;
	m.to = "bob@contoso.test";
	m.locale = "en";
	m.code = "111222";
	CHECK_OK(channel_send(&cfg, &m, err, sizeof err));
	umask(old);
	struct stat sb;
	REQUIRE(stat(cfg.outbox, &sb) == 0);
	CHECK_INT(sb.st_mode & 0777, 0600);
	FILE *f = fopen(cfg.outbox, "r");
	REQUIRE(f);
	char line[4096];
	int n = 0;
	while (fgets(line, sizeof line, f)) {
		json_error_t je;
		json_t *o = json_loads(line, 0, &je);
		REQUIRE(o);
		const char *ch = json_string_value(json_object_get(o, "channel"));
		const char *code = json_string_value(json_object_get(o, "code"));
		const char *msg = json_string_value(json_object_get(o, "message"));
		if (n == 0) {
			CHECK_STR(ch, "sms");
			CHECK_STR(code, "654321");
			CHECK_STR(json_string_value(json_object_get(o, "to")), "+46 701234567");
			CHECK(msg && strstr(msg, "654321 \xc3\xa4r din verifieringskod") != NULL);
		} else {
			CHECK_STR(ch, "email");
			CHECK_STR(json_string_value(json_object_get(o, "subject")), "Your verification code");
			CHECK(msg && strstr(msg, "111222") != NULL);
		}
		json_decref(o);
		n++;
	}
	fclose(f);
	CHECK_INT(n, 2);
	/* a symbolic link in its place is refused */
	char link[300];
	snprintf(link, sizeof link, "%s/link.jsonl", dir);
	REQUIRE(symlink(cfg.outbox, link) == 0);
	tg_strlcpy(cfg.outbox, link, sizeof cfg.outbox);
	CHECK_INT(channel_send(&cfg, &m, err, sizeof err), TG_ERR_IO);
	cfg.outbox[0] = '\0';
	CHECK_INT(channel_send(&cfg, &m, err, sizeof err), TG_ERR_INVALID);
}

static void smtp_failures_are_clear_and_bounded(void)
{
	struct auth_config cfg;
	auth_config_defaults(&cfg);
	cfg.email = CHANNEL_SMTP;
	tg_strlcpy(cfg.smtp_host, "127.0.0.1", sizeof cfg.smtp_host);
	tg_strlcpy(cfg.smtp_from, "noreply@contoso.test", sizeof cfg.smtp_from);
	cfg.smtp_tls = SMTP_TLS_NONE;
	cfg.smtp_port = closed_port();
	cfg.smtp_timeout = 2;
	char err[400];
	struct channel_msg m = {.kind = CHANNEL_EMAIL, .to = "a@contoso.test", .code = "987654",
	                        .locale = "en", .ref = "r", .minutes = 10, .now = 1800000000};
	double t0 = mono();
	CHECK_INT(channel_send(&cfg, &m, err, sizeof err), TG_ERR_UNAVAILABLE);
	CHECK(strstr(err, "smtp://127.0.0.1:") != NULL);
	CHECK(strstr(err, "987654") == NULL);
	/* accepts but never speaks: cut off at smtp_timeout */
	unsigned port;
	int fd = silent_listener(&port);
	REQUIRE(fd >= 0);
	cfg.smtp_port = port;
	cfg.smtp_timeout = 1;
	t0 = mono();
	CHECK_INT(channel_send(&cfg, &m, err, sizeof err), TG_ERR_TIMEOUT);
	double took = mono() - t0;
	CHECK(took < 3.0);
	close(fd);
	/* not configured */
	cfg.smtp_host[0] = '\0';
	CHECK_INT(channel_send(&cfg, &m, err, sizeof err), TG_ERR_INVALID);
	CHECK(strstr(err, "smtp_host") != NULL);
}

static void webhook_failures_are_retried_and_bounded(void)
{
	struct auth_config cfg;
	auth_config_defaults(&cfg);
	cfg.sms = CHANNEL_WEBHOOK;
	tg_strlcpy(cfg.webhook_secret, "bearer-secret", sizeof cfg.webhook_secret);
	snprintf(cfg.webhook_url, sizeof cfg.webhook_url, "http://127.0.0.1:%u/sms", closed_port());
	cfg.webhook_timeout_ms = 3000;
	cfg.webhook_retries = 2;
	char err[400];
	struct channel_msg m = {.kind = CHANNEL_SMS, .to = "+46 701234567", .code = "246810",
	                        .locale = "sv", .ref = "r", .minutes = 10, .now = 1800000000};
	CHECK_INT(channel_send(&cfg, &m, err, sizeof err), TG_ERR_UNAVAILABLE);
	CHECK(strstr(err, "attempt 3") != NULL); /* 1 + 2 retries */
	CHECK(strstr(err, "246810") == NULL && strstr(err, "bearer-secret") == NULL);
	/* a gateway that never answers: the whole send stays within the timeout */
	unsigned port;
	int fd = silent_listener(&port);
	REQUIRE(fd >= 0);
	snprintf(cfg.webhook_url, sizeof cfg.webhook_url, "http://127.0.0.1:%u/sms", port);
	cfg.webhook_timeout_ms = 700;
	double t0 = mono();
	CHECK_INT(channel_send(&cfg, &m, err, sizeof err), TG_ERR_TIMEOUT);
	double took = mono() - t0;
	CHECK(took >= 0.6 && took < 2.0);
	close(fd);
}

int main(void)
{
	if (!mkdtemp(dir))
		return 2;
	TEST(config_keys);
	TEST(templates_by_language);
	TEST(outbox_json_lines);
	TEST(smtp_failures_are_clear_and_bounded);
	TEST(webhook_failures_are_retried_and_bounded);
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	return tg_test_done();
}
