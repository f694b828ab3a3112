/* SPDX-License-Identifier: MIT
 * TOTP verification throughput on one core next to the raw HMAC-SHA1 rate
 * measured in the same run (goal: verification within 2x of one raw
 * HMAC), and the cost of sealing and unsealing a TOTP seed.
 *   cmake --build BUILD --target bench_totp && BUILD/bench_totp [seconds]
 * Not run by ctest. Each line runs for the given time (default 1 s). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "base/err.h"
#include "core/oath.h"
#include "crypto/hmac.h"
#include "crypto/keys.h"

static double seconds = 1.0;
static volatile unsigned sink; /* keeps results alive */

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct bench_ctx {
	const uint8_t *secret;
	struct totp_params p;
	struct hmac_ctx *hc;
	struct keys *keys;
	uint8_t sealed[KEYS_SEALED_LEN(OATH_SECRET_LEN)];
	size_t sealed_len;
	char right[OATH_CODE_SIZE], wrong[OATH_CODE_SIZE];
	int64_t t;
};

typedef int (*bench_fn)(struct bench_ctx *c, unsigned i);

/* Operations per second of fn over about `seconds`. */
static double rate(bench_fn fn, struct bench_ctx *c)
{
	unsigned long n = 0;
	double start = now_s(), el = 0;
	do {
		for (unsigned i = 0; i < 1000; i++) {
			if (fn(c, i) != TG_OK) {
				fprintf(stderr, "bench: operation failed\n");
				exit(1);
			}
		}
		n += 1000;
		el = now_s() - start;
	} while (el < seconds);
	return (double)n / el;
}

static int hmac_one_shot(struct bench_ctx *c, unsigned i)
{
	uint8_t msg[8] = {0, 0, 0, 0, 0, 0, (uint8_t)(i >> 8), (uint8_t)i}, out[HMAC_MAX_LEN];
	int r = hmac_compute(HMAC_ALG_SHA1, c->secret, OATH_SECRET_LEN, msg, sizeof msg, out, NULL);
	sink += out[0];
	return r;
}

static int hmac_prekeyed(struct bench_ctx *c, unsigned i)
{
	uint8_t msg[8] = {0, 0, 0, 0, 0, 0, (uint8_t)(i >> 8), (uint8_t)i}, out[HMAC_MAX_LEN];
	int r = hmac_ctx_compute(c->hc, msg, sizeof msg, out, NULL);
	sink += out[0];
	return r;
}

static int verify_right(struct bench_ctx *c, unsigned i)
{
	int64_t m = 0;
	int r = totp_verify(&c->p, c->secret, OATH_SECRET_LEN, c->right, c->t, TOTP_STEP_NONE, &m);
	sink += (unsigned)m + i;
	return r;
}

static int verify_wrong(struct bench_ctx *c, unsigned i)
{
	int64_t m = 0;
	int r = totp_verify(&c->p, c->secret, OATH_SECRET_LEN, c->wrong, c->t, TOTP_STEP_NONE, &m);
	sink += i;
	return r == TG_ERR_DENIED ? TG_OK : TG_ERR_INTERNAL;
}

static int seal_seed(struct bench_ctx *c, unsigned i)
{
	uint8_t out[KEYS_SEALED_LEN(OATH_SECRET_LEN)];
	size_t len = 0;
	const char aad[] = "tenant|user|method";
	int r = keys_seal(c->keys, aad, sizeof aad - 1, c->secret, OATH_SECRET_LEN, out, sizeof out, &len);
	sink += out[1] + i;
	return r;
}

static int unseal_seed(struct bench_ctx *c, unsigned i)
{
	uint8_t pt[OATH_SECRET_LEN];
	size_t len = 0;
	const char aad[] = "tenant|user|method";
	int r = keys_unseal(c->keys, aad, sizeof aad - 1, c->sealed, c->sealed_len, pt, sizeof pt, &len);
	sink += pt[0] + i;
	return r;
}

static void row(const char *name, double ops, double raw)
{
	printf("%-40s %12.0f %10.0f", name, ops, 1e9 / ops);
	if (raw > 0)
		printf(" %9.2fx", raw / ops);
	printf("\n");
}

int main(int argc, char **argv)
{
	struct bench_ctx c;
	static const uint8_t seed[OATH_SECRET_LEN] = "12345678901234567890";
	if (argc > 1) {
		char *end = NULL;
		seconds = strtod(argv[1], &end);
		if (!end || *end || seconds <= 0) {
			fprintf(stderr, "usage: bench_totp [seconds per line]\n");
			return 2;
		}
	}
	memset(&c, 0, sizeof c);
	c.secret = seed;
	c.t = 1700000000;
	totp_params_default(&c.p);
	if (hmac_ctx_new(HMAC_ALG_SHA1, seed, sizeof seed, &c.hc) != TG_OK ||
	    keys_new_ephemeral(&c.keys) != TG_OK ||
	    totp_generate(&c.p, seed, sizeof seed, c.t, c.right) != TG_OK) {
		fprintf(stderr, "bench: setup failed\n");
		return 1;
	}
	memcpy(c.wrong, c.right, sizeof c.wrong);
	c.wrong[5] = c.wrong[5] == '9' ? '0' : (char)(c.wrong[5] + 1);
	const char aad[] = "tenant|user|method";
	if (keys_seal(c.keys, aad, sizeof aad - 1, seed, sizeof seed, c.sealed, sizeof c.sealed,
	              &c.sealed_len) != TG_OK)
		return 1;

	printf("Tollgate TOTP benchmark: one thread, %.1f s per line, SHA1, 6 digits, 30 s\n\n", seconds);
	printf("%-40s %12s %10s %10s\n", "operation", "ops/s", "ns/op", "vs raw");
	double raw = rate(hmac_one_shot, &c);
	row("HMAC-SHA1 one-shot (raw)", raw, raw);
	row("HMAC-SHA1 pre-keyed context", rate(hmac_prekeyed, &c), raw);
	row("totp_verify window +-1, right code", rate(verify_right, &c), raw);
	row("totp_verify window +-1, wrong code", rate(verify_wrong, &c), raw);
	c.p.window = 0;
	row("totp_verify window 0, right code", rate(verify_right, &c), raw);
	printf("\n%-40s %12s %10s\n", "seed (20 bytes) at rest", "ops/s", "ns/op");
	row("keys_seal (AES-256-GCM)", rate(seal_seed, &c), 0);
	row("keys_unseal", rate(unseal_seed, &c), 0);
	hmac_ctx_free(c.hc);
	keys_free(c.keys);
	return 0;
}
