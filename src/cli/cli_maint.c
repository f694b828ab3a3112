/* SPDX-License-Identifier: MIT
 * `tollgate maintenance run`: one housekeeping round now (svc_housekeep.h)
 * — what `tollgate serve` does every housekeeping_interval_seconds: purge
 * dead sessions, remembered devices, codes and tokens, and delete sign-in
 * records older than signin_log_retention_days. */
#include <stdio.h>
#include "base/err.h"
#include "base/str.h"
#include "cli/cli_int.h"
#include "svc/svc_housekeep.h"

int cli_maintenance_run(struct cli *c, int argc, char **argv)
{
	CLI_PARSE(NULL, 0, 0);
	int r = cli_open(c, false);
	if (r)
		return r;
	struct svc_housekeep_report rep;
	if (svc_housekeep_run(&c->sv, &c->cfg, &rep))
		return cli_svc_err(c);
	const struct store_oidc_purged *p = &rep.oidc;
	char cutoff[TG_TIME_ISO_LEN] = "";
	if (rep.signins_before)
		tg_time_iso(rep.signins_before, cutoff);
	unsigned days = c->cfg.housekeep.signin_retention_days;
	if (c->json) {
		json_t *j = json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:i,s:b}",
		                      "sessions", (json_int_t)p->sessions,
		                      "rememberedDevices", (json_int_t)p->devices,
		                      "authorizationCodes", (json_int_t)p->codes,
		                      "refreshTokens", (json_int_t)p->tokens,
		                      "refreshTokenFamilies", (json_int_t)p->families,
		                      "revokedTokenIds", (json_int_t)p->jtis,
		                      "signIns", (json_int_t)rep.signins,
		                      "signInTenants", (json_int_t)rep.tenants,
		                      "signInRetentionDays", (int)days,
		                      "more", rep.more);
		if (!j)
			return cli_err("out of memory");
		if (cutoff[0])
			json_object_set_new(j, "signInsOlderThan", json_string(cutoff));
		return cli_print_json(j);
	}
	printf("removed %lld sessions, %lld remembered devices, %lld authorization codes,\n"
	       "        %lld refresh tokens (%lld families), %lld revoked token ids\n",
	       (long long)p->sessions, (long long)p->devices, (long long)p->codes,
	       (long long)p->tokens, (long long)p->families, (long long)p->jtis);
	if (days)
		printf("removed %lld sign-in records older than %s (kept %u days) in %lld tenants\n",
		       (long long)rep.signins, cutoff, days, (long long)rep.tenants);
	else
		printf("sign-in records are kept forever (signin_log_retention_days = 0)\n");
	if (rep.more)
		printf("more records are due: run it again (tollgate serve goes on by itself)\n");
	return EXIT_OK;
}
