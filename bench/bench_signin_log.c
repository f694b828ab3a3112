/* SPDX-License-Identifier: MIT
 * Policy store and sign-in log benchmark (issue 4), on a SQLite file in
 * WAL mode with synchronous=FULL, as `tollgate serve` uses it:
 *  - a cached compiled-tenant snapshot lookup (one generation read);
 *  - what-if (load the user, compute the sign-in risk from the log, decide);
 *  - logging one sign-in (its own transaction, fsync'ed), and in bulk;
 *  - sign-in log queries on a tenant with N sign-ins: newest page, one
 *    user's page, one error code;
 *  - impact replay of a draft policy over all N.
 * Tenant: 1,000 users in 50 groups, 20 policies. Usage:
 * bench_signin_log [sign-ins]   (default 100000) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "base/err.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/str.h"
#include "store/store.h"
#include "store/store_policy.h"
#include "svc/svc.h"
#include "svc/svc_policy.h"
#include "svc/svc_signin.h"

#define N_USERS 1000
#define N_GROUPS 50
#define N_POLICIES 20

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *what, const struct svc *sv)
{
	fprintf(stderr, "%s: %s\n", what, sv->err);
	exit(1);
}

static int count_cb(const struct store_signin *r, void *arg)
{
	(void)r;
	(*(int *)arg)++;
	return 0;
}

static double query_ms(struct store *st, const struct store_signin_query *q, int reps, int *rows)
{
	double t0 = now();
	for (int i = 0; i < reps; i++) {
		*rows = 0;
		if (store_signin_list(st, q, count_cb, rows))
			exit(1);
	}
	return (now() - t0) * 1000.0 / reps;
}

int main(int argc, char **argv)
{
	int64_t arg = 100000;
	if (argc > 1 && tg_parse_i64(argv[1], 2000, 10000000, &arg)) {
		fprintf(stderr, "usage: bench_signin_log [sign-ins >= 2000]\n");
		return 2;
	}
	long n_signins = (long)arg;
	char dir[] = "/tmp/tg-bench-signin-XXXXXX", path[128];
	struct pw_params fast = {64, 1, 1};
	struct store *st;
	struct svc sv;
	struct tg_tenant t;
	char gid[N_GROUPS][TG_ID_BUF];

	log_set_level(LOG_LVL_WARN);
	if (!mkdtemp(dir))
		return 1;
	snprintf(path, sizeof path, "%s/bench.db", dir);
	struct store_open_opts o = {.dsn = path, .create = true};
	if (store_open("sqlite", &o, &st))
		return 1;
	svc_init(&sv, st, &fast, "bench");
	if (svc_tenant_create(&sv, "bench", "bench.test", NULL, &t))
		die("tenant", &sv);
	for (int g = 0; g < N_GROUPS; g++) {
		char name[32];
		struct tg_group grp;
		snprintf(name, sizeof name, "group%d", g);
		if (svc_group_create(&sv, &t, name, NULL, &grp))
			die("group", &sv);
		memcpy(gid[g], grp.id, TG_ID_BUF);
	}
	for (int u = 0; u < N_USERS; u++) {
		char upn[64], grp[32];
		snprintf(upn, sizeof upn, "user%04d@bench.test", u);
		snprintf(grp, sizeof grp, "group%d", u % N_GROUPS);
		struct svc_user_input in = {.upn = upn};
		if (svc_user_create(&sv, &t, &in, NULL) || svc_group_member(&sv, &t, grp, upn, false, true))
			die("user", &sv);
	}
	for (int p = 0; p < N_POLICIES; p++) {
		char json[4096];
		snprintf(json, sizeof json, "{\"displayName\": \"Policy %d\", \"state\": \"%s\", \"conditions\":"
		         " {\"users\": {\"includeGroups\": [\"%s\"]}, \"applications\": {\"includeApplications\":"
		         " [\"All\"]}}, \"grantControls\": {\"operator\": \"OR\", \"builtInControls\": [\"mfa\"]}}",
		         p, p % 2 ? "enabledForReportingButNotEnforced" : "enabled", gid[p]);
		if (svc_policy_create(&sv, &t, json, strlen(json), NULL, NULL))
			die("policy", &sv);
	}
	struct svc_policy_cache *cache = svc_policy_cache_new();
	struct svc_policy_snapshot *snap;

	/* cached snapshot */
	int reps = 20000;
	double t0 = now();
	for (int i = 0; i < reps; i++) {
		if (svc_policy_snapshot_get(&sv, cache, &t, &snap))
			die("snapshot", &sv);
		svc_policy_snapshot_release(snap);
	}
	printf("cached tenant snapshot (generation read)   %8.2f us\n", (now() - t0) * 1e6 / reps);

	/* what-if and logging: the first sign-ins, each its own transaction */
	struct svc_signin_result res;
	svc_signin_result_init(&res);
	struct svc_signin_request req = {.client = DECISION_CLIENT_BROWSER, .has_platform = true,
	                                 .platform = PLATFORM_WINDOWS, .app = "my-signins"};
	int64_t base = 1800000000 - 30 * 86400;
	char upn[64], ip[32];
	reps = 2000;
	t0 = now();
	for (int i = 0; i < reps; i++) {
		snprintf(upn, sizeof upn, "user%04d@bench.test", i % N_USERS);
		snprintf(ip, sizeof ip, "198.51.%d.%d", (i / 250) % 250, i % 250);
		req.user = upn;
		req.ip = ip;
		req.now = base + i;
		if (svc_whatif(&sv, cache, &t, &req, &res))
			die("whatif", &sv);
	}
	printf("what-if (user, risk from the log, decision) %8.1f us\n", (now() - t0) * 1e6 / reps);
	reps = 1000;
	t0 = now();
	for (int i = 0; i < reps; i++) {
		if (svc_signin_log(&sv, &t, &res.in, &res.d, "Mozilla/5.0 (Windows NT 10.0)", NULL, NULL))
			die("log", &sv);
	}
	double one = (now() - t0) / reps;
	printf("log one sign-in (own transaction, fsync)   %8.2f ms   (%.0f/s)\n", one * 1e3, 1 / one);

	/* bulk: the rest of the log in transactions of 1000 */
	t0 = now();
	for (long i = reps; i < n_signins; i++) {
		if (i % 1000 == 0 && store_tx_begin(st))
			return 1;
		snprintf(upn, sizeof upn, "user%04ld@bench.test", i % N_USERS);
		snprintf(ip, sizeof ip, "198.51.%ld.%ld", (i / 250) % 250, i % 250);
		req.user = upn;
		req.ip = ip;
		req.now = base + i * 20;
		req.has_risk = true;   /* skip the history read: this measures the log */
		if (svc_whatif(&sv, cache, &t, &req, &res) ||
		    svc_signin_log(&sv, &t, &res.in, &res.d, "Mozilla/5.0 (Windows NT 10.0)", NULL, NULL))
			die("bulk", &sv);
		if (i % 1000 == 999 && store_tx_commit(st))
			return 1;
	}
	if (st->in_tx && store_tx_commit(st))
		return 1;
	double bulk = now() - t0;
	printf("decide + log, batches of 1000              %8.1f us   (%ld sign-ins in %.1f s)\n",
	       bulk * 1e6 / (double)(n_signins - reps), n_signins - reps, bulk);
	svc_signin_result_cleanup(&res);

	/* queries */
	int rows = 0;
	struct store_signin_query q = {.tenant_id = t.id, .error_code = -1, .interactive = -1, .limit = 100};
	double ms = query_ms(st, &q, 200, &rows);
	printf("signins list, newest 100                   %8.2f ms   (%d rows)\n", ms, rows);
	q.upn = "user0042@bench.test";
	ms = query_ms(st, &q, 200, &rows);
	printf("signins list --user, newest 100            %8.2f ms   (%d rows)\n", ms, rows);
	q.upn = NULL;
	q.error_code = 50072;
	ms = query_ms(st, &q, 20, &rows);
	printf("signins list --error 50072, newest 100     %8.2f ms   (%d rows)\n", ms, rows);

	/* impact replay over everything */
	char draft[4096];
	snprintf(draft, sizeof draft, "{\"displayName\": \"Draft\", \"state\": \"disabled\", \"conditions\":"
	         " {\"users\": {\"includeGroups\": [\"%s\", \"%s\"]}, \"applications\": {\"includeApplications\":"
	         " [\"All\"]}, \"clientAppTypes\": [\"browser\"]}, \"grantControls\": {\"operator\": \"OR\","
	         " \"builtInControls\": [\"block\"]}}", gid[30], gid[31]);
	struct svc_impact_report rep;
	svc_impact_report_init(&rep);
	t0 = now();
	if (svc_policy_impact(&sv, &t, draft, strlen(draft), base - 1, base + n_signins * 20 + 1, &rep, NULL))
		die("impact", &sv);
	double it = now() - t0;
	printf("policy impact over %zu sign-ins              %8.2f s    (%.0f sign-ins/s; %zu blocked)\n",
	       rep.replayed, it, (double)rep.replayed / it, rep.blocked);
	svc_impact_report_cleanup(&rep);

	svc_policy_cache_free(cache);
	store_close(st);
	char cmd[256];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : 1;
}
