/* SPDX-License-Identifier: MIT
 * Configuration: defaults, file syntax errors with line numbers, unknown
 * keys, value ranges, and precedence file < environment < flags. */
#include <stdlib.h>
#include "harness.h"
#include "base/err.h"
#include "svc/config.h"

static void defaults(void)
{
	struct tg_config c;
	config_defaults(&c, NULL);
	CHECK_STR(c.data_dir, "data");
	CHECK_STR(c.db_path, "data/tollgate.db");
	CHECK_STR(c.key_path, "data/master.key");
	CHECK_STR(c.listen_host, "127.0.0.1");
	CHECK_INT(c.port, 8080);
}

static void file_text(void)
{
	struct tg_config c;
	char err[300];
	config_defaults(&c, "/srv/tg");
	const char *ok = "# comment\n\nlisten = [::1]:9000\nthreads=8\n  log_level = debug  \n"
	                 "argon2_memory_kib = 65536\n";
	CHECK_OK(config_apply_text(&c, ok, strlen(ok), err, sizeof err));
	CHECK_STR(c.listen_host, "::1");
	CHECK_INT(c.port, 9000);
	CHECK_INT(c.threads, 8);
	CHECK_INT(c.pw.m_kib, 65536);
	CHECK_STR(c.db_path, "/srv/tg/tollgate.db");
	const struct { const char *text, *expect; } bad[] = {
		{"listen 8080\n", "line 1: expected key = value"},
		{"\n\ncolour = blue\n", "line 3: unknown setting \"colour\""},
		{"threads = 0\n", "line 1: threads must be"},
		{"threads = 4x\n", "line 1: threads must be"},
		{"listen = ::1:80\n", "line 1: listen must be"},
		{"listen = 127.0.0.1:70000\n", "line 1: listen must be"},
		{"public_url = ftp://x\n", "line 1: public_url must be"},
		{"log_level = loud\n", "line 1: log_level must be"},
	};
	for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		err[0] = '\0';
		if (config_apply_text(&c, bad[i].text, strlen(bad[i].text), err, sizeof err) != TG_ERR_INVALID ||
		    strncmp(err, bad[i].expect, strlen(bad[i].expect)) != 0)
			TG_T_FAIL("case %u: got \"%s\"", i, err);
	}
	CHECK_INT(config_apply_text(&c, "threads = 2\0", 12, err, sizeof err), TG_ERR_INVALID);
}

static void precedence(void)
{
	struct tg_config c;
	char err[300];
	config_defaults(&c, NULL);
	const char *file = "listen = 127.0.0.1:1111\nthreads = 3\n";
	CHECK_OK(config_apply_text(&c, file, strlen(file), err, sizeof err));
	setenv("TOLLGATE_LISTEN", "127.0.0.2:2222", 1);
	CHECK_OK(config_apply_env(&c, err, sizeof err));
	CHECK_STR(c.listen_host, "127.0.0.2");
	CHECK_INT(c.port, 2222);
	CHECK_INT(c.threads, 3);
	CHECK_OK(config_set(&c, "listen", ":3333", err, sizeof err)); /* a flag */
	CHECK_STR(c.listen_host, "127.0.0.1");
	CHECK_INT(c.port, 3333);
	setenv("TOLLGATE_THREADS", "many", 1);
	CHECK_INT(config_apply_env(&c, err, sizeof err), TG_ERR_INVALID);
	CHECK(strstr(err, "TOLLGATE_THREADS") != NULL);
	unsetenv("TOLLGATE_THREADS");
	unsetenv("TOLLGATE_LISTEN");
	CHECK_INT(config_apply_file(&c, "/nonexistent/tollgate.conf", 0, err, sizeof err), TG_ERR_IO);
	CHECK_OK(config_apply_file(&c, "/nonexistent/tollgate.conf", 1, err, sizeof err));
}

int main(void)
{
	TEST(defaults);
	TEST(file_text);
	TEST(precedence);
	return tg_test_done();
}
