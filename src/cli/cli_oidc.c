/* SPDX-License-Identifier: MIT
 * `tollgate key rotate-signing` and `tollgate key signing`: the tenant's
 * OpenID Connect token signing keys (svc_signkeys.h). */
#include <stdio.h>
#include <string.h>
#include "base/err.h"
#include "base/str.h"
#include "cli/cli_int.h"
#include "crypto/keys.h"
#include "svc/svc_signkeys.h"

/* Open the store and the tenant, and load the master key. */
static int open_keys(struct cli *c, struct keys **k)
{
	*k = NULL;
	int r = cli_open(c, true);
	if (r)
		return r;
	if ((r = keys_load(c->cfg.key_path, k)))
		return cli_err("cannot load the master key %s: %s", c->cfg.key_path, tg_strerror(r));
	return EXIT_OK;
}

static void time_text(int64_t t, char out[TG_TIME_ISO_LEN])
{
	if (t)
		tg_time_iso(t, out);
	else
		tg_strlcpy(out, "-", TG_TIME_ISO_LEN);
}

int cli_key_rotate_signing(struct cli *c, int argc, char **argv)
{
	const char *alg_name = NULL;
	struct cli_opt opts[] = {{"--alg", OPT_STR, &alg_name}, {0}};
	CLI_PARSE(opts, 0, 0);
	enum jws_alg alg = 0;
	if (alg_name && jws_alg_parse(alg_name, &alg) != TG_OK)
		return cli_usage_err(c, "--alg: ES256 or RS256, not \"%s\"", alg_name);
	struct keys *k = NULL;
	int status = open_keys(c, &k);
	if (status)
		goto out;
	struct svc_signkeys_rotation rot;
	if (svc_signkeys_rotate(&c->sv, k, &c->tenant, alg, &rot)) {
		status = cli_svc_err(c);
		goto out;
	}
	json_t *arr = c->json ? json_array() : NULL;
	for (size_t i = 0; i < rot.n; i++) {
		char until[TG_TIME_ISO_LEN];
		time_text(rot.old_not_after[i], until);
		if (arr)
			json_array_append_new(arr, json_pack("{s:s,s:s,s:s?,s:s?}", "alg",
				jws_alg_name(rot.alg[i]), "kid", rot.new_kid[i],
				"previousKid", rot.old_kid[i][0] ? rot.old_kid[i] : NULL,
				"previousPublishedUntil", rot.old_not_after[i] ? until : NULL));
		else if (rot.old_kid[i][0])
			printf("%s: new key %s\n       previous key %s stays published until %s\n",
			       jws_alg_name(rot.alg[i]), rot.new_kid[i], rot.old_kid[i], until);
		else
			printf("%s: new key %s\n", jws_alg_name(rot.alg[i]), rot.new_kid[i]);
	}
	if (arr)
		status = cli_print_json(json_pack("{s:s,s:o}", "tenant", c->tenant.name, "keys", arr));
	else
		printf("Running servers sign with the new keys from their next token request.\n");
out:
	keys_free(k);
	return status;
}

int cli_key_signing(struct cli *c, int argc, char **argv)
{
	struct cli_opt opts[] = {{0}};
	CLI_PARSE(opts, 0, 0);
	struct keys *k = NULL;
	struct svc_signring *ring = NULL;
	int status = open_keys(c, &k);
	if (status)
		goto out;
	if (svc_signkeys_get(&c->sv, k, NULL, &c->tenant, &ring)) {
		status = cli_svc_err(c);
		goto out;
	}
	const struct signkeys *ks = svc_signring_keys(ring);
	const struct sign_key *pub[TG_MAX_SIGN_KEYS];
	size_t n = signkeys_published(ks, svc_now(&c->sv), pub, TG_MAX_SIGN_KEYS);
	json_t *arr = c->json ? json_array() : NULL;
	if (!arr)
		printf("%-6s %-43s %-8s %-20s %s\n", "ALG", "KID", "STATE", "CREATED", "PUBLISHED UNTIL");
	for (size_t i = 0; i < n; i++) {
		const struct sign_key *key = pub[i];
		bool current = signkeys_current(ks, sign_key_alg(key)) == key;
		char created[TG_TIME_ISO_LEN], until[TG_TIME_ISO_LEN];
		time_text(sign_key_created(key), created);
		time_text(sign_key_not_after(key), until);
		if (arr)
			json_array_append_new(arr, json_pack("{s:s,s:s,s:b,s:s,s:s?}",
				"alg", jws_alg_name(sign_key_alg(key)), "kid", sign_key_kid(key),
				"current", current, "created", created,
				"publishedUntil", sign_key_not_after(key) ? until : NULL));
		else
			printf("%-6s %-43s %-8s %-20s %s\n", jws_alg_name(sign_key_alg(key)),
			       sign_key_kid(key), current ? "current" : "previous", created, until);
	}
	if (arr)
		status = cli_print_json(json_pack("{s:s,s:o}", "tenant", c->tenant.name, "keys", arr));
out:
	svc_signring_release(ring);
	keys_free(k);
	return status;
}
