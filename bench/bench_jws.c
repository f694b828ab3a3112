/* SPDX-License-Identifier: MIT
 * Token signing on one core: raw JWS signatures and verifications per
 * second for ES256 (P-256) and RS256 (RSA-2048), then whole ID-token-sized
 * JWTs (JSON, base64url, signature) built and verified with claim checks,
 * and the cost of opening a sealed signing key ring (server start). The
 * OIDC issue compares these rates with Keycloak's sizing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "base/err.h"
#include "crypto/jws.h"
#include "crypto/keys.h"
#include "crypto/signkeys.h"
#include "json/jwt_json.h"

#define SECONDS 2.0
#define NOW     1700000000

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A typical signing input: header and claims of an ID token. */
static const char input[] =
	"eyJhbGciOiJFUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6IjNxVzJfZ3lZV2xsVmRiZE1CUDhNV0Zwa3JHQm9X"
	"S0tkM0F1M0JWblJBWHcifQ.eyJpc3MiOiJodHRwczovL2xvZ2luLmV4YW1wbGUuY29tL2NvbnRvc28vdjIu"
	"MCIsInN1YiI6IjNmMmE0YjZjLTFkMmUtNGY1YS05YjhjLTdkNmU1ZjRhM2IyYyIsImF1ZCI6ImNsaWVudC0x"
	"MjMiLCJleHAiOjE3MDAwMDM2MDAsImlhdCI6MTcwMDAwMDAwMCwiYW1yIjpbInB3ZCIsIm1mYSIsIm90cCJdfQ";

static int raw(const char *label, const struct sign_key *k)
{
	uint8_t sig[JWS_MAX_SIG_LEN];
	size_t len = 0;
	long n = 0;
	double t0 = now(), t;
	do {
		if (jws_sign(k, input, sizeof input - 1, sig, sizeof sig, &len) != TG_OK)
			return 1;
		n++;
	} while ((t = now() - t0) < SECONDS);
	double sps = n / t;
	long v = 0;
	t0 = now();
	do {
		if (jws_verify(k, sign_key_alg(k), input, sizeof input - 1, sig, len) != TG_OK)
			return 1;
		v++;
	} while ((t = now() - t0) < SECONDS);
	printf("jws   %-6s %9.0f signatures/s   %9.0f verifications/s\n", label, sps, v / t);
	return 0;
}

static json_t *claims(void)
{
	return json_pack("{s:s, s:s, s:s, s:I, s:I, s:I, s:s, s:[s,s,s], s:s, s:s, s:s, s:[s]}",
	                 "iss", "https://login.example.com/contoso/v2.0", "sub",
	                 "3f2a4b6c-1d2e-4f5a-9b8c-7d6e5f4a3b2c", "aud", "client-123", "exp",
	                 (json_int_t)(NOW + 3600), "iat", (json_int_t)NOW, "auth_time",
	                 (json_int_t)NOW, "nonce", "n-0S6_WzA2Mj", "amr", "pwd", "mfa", "otp",
	                 "acr", "possessionorinherence", "tid",
	                 "8a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", "upn", "alice@contoso.com", "roles",
	                 "global-admin");
}

static int jwt(const char *label, const struct sign_key *k)
{
	json_t *c = claims();
	const struct sign_key *keys[] = {k};
	struct jwt_expect ex = {.iss = "https://login.example.com/contoso/v2.0",
	                        .aud = "client-123", .now = NOW + 10, .skew = JWT_DEFAULT_SKEW};
	char *tok = NULL;
	size_t tlen = 0;
	long n = 0;
	double t0 = now(), t;
	do {
		free(tok);
		if (jwt_sign(k, c, &tok, &tlen) != TG_OK)
			return 1;
		n++;
	} while ((t = now() - t0) < SECONDS);
	double sps = n / t;
	long v = 0;
	t0 = now();
	do {
		json_t *out = NULL;
		if (jwt_verify(tok, tlen, keys, 1, &ex, &out, NULL) != TG_OK)
			return 1;
		json_decref(out);
		v++;
	} while ((t = now() - t0) < SECONDS);
	printf("jwt   %-6s %9.0f tokens/s       %9.0f verified/s      (%zu-byte ID token)\n",
	       label, sps, v / t, tlen);
	free(tok);
	json_decref(c);
	return 0;
}

int main(void)
{
	struct signkeys *ks = NULL;
	struct keys *mk = NULL;
	double t0 = now();
	if (signkeys_generate(NOW, &ks) != TG_OK || keys_new_ephemeral(&mk) != TG_OK) {
		fprintf(stderr, "key generation failed\n");
		return 1;
	}
	double gen_ms = (now() - t0) * 1000;
	const struct sign_key *es = signkeys_current(ks, JWS_ALG_ES256);
	const struct sign_key *rs = signkeys_current(ks, JWS_ALG_RS256);
	int r = raw("ES256", es) || raw("RS256", rs) || jwt("ES256", es) || jwt("RS256", rs);
	if (r) {
		fprintf(stderr, "benchmark failed\n");
		return 1;
	}
	uint8_t *blob = NULL;
	size_t len = 0;
	if (signkeys_seal(ks, mk, "", &blob, &len) != TG_OK)
		return 1;
	int n = 0;
	t0 = now();
	do {
		struct signkeys *back = NULL;
		if (signkeys_unseal(mk, "", blob, len, &back) != TG_OK)
			return 1;
		signkeys_free(back);
		n++;
	} while (now() - t0 < 1.0);
	printf("ring  new ES256+RS256 ring %.0f ms; unseal %.2f ms (%zu bytes sealed)\n", gen_ms,
	       (now() - t0) * 1000 / n, len);
	free(blob);
	keys_free(mk);
	signkeys_free(ks);
	return 0;
}
