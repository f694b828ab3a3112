/* SPDX-License-Identifier: MIT
 * Argon2id hashes and verifications per second on one core, at the default
 * parameters (19 MiB, t=2, p=1) and at two stronger settings. */
#include <stdio.h>
#include <time.h>
#include "base/err.h"
#include "crypto/password.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void run(const char *label, struct pw_params p)
{
	char h[TG_MAX_PWHASH + 1];
	const char *pw = "correct horse battery staple";
	int n = 0;
	double t0 = now(), t;
	do {
		if (password_hash(&p, pw, 28, h) != TG_OK) {
			fprintf(stderr, "hash failed\n");
			return;
		}
		n++;
	} while ((t = now() - t0) < 2.0);
	double hps = n / t;
	int v = 0;
	t0 = now();
	do {
		if (password_verify(h, pw, 28) != TG_OK) {
			fprintf(stderr, "verify failed\n");
			return;
		}
		v++;
	} while ((t = now() - t0) < 2.0);
	printf("argon2id %-28s %7.1f hashes/s  %7.1f verifications/s  (%.1f ms each)\n", label, hps,
	       v / t, 1000.0 / hps);
}

int main(void)
{
	struct pw_params d;
	pw_params_default(&d);
	run("default m=19MiB t=2 p=1", d);
	run("m=46MiB t=1 p=1", (struct pw_params){47104, 1, 1});
	run("m=64MiB t=3 p=1", (struct pw_params){65536, 3, 1});
	return 0;
}
