/* SPDX-License-Identifier: MIT
 * Sign-in decision benchmark (issue 4): decisions per second and the
 * median / 99th percentile time of one decision, for a tenant of 1,000,000
 * users with 20, 200 and 2,000 Conditional Access policies, most of them
 * not applicable to the user at hand. Users matter only through their
 * groups and roles: each simulated sign-in draws a user among 1,000,000,
 * ~40 transitive groups out of 50,000 (a few users in hundreds), and a
 * directory role for 2% of them. Policies target groups, roles, users and
 * apps in realistic proportions, with a handful of tenant-wide ones.
 * Usage: bench_decision [iterations per size]   (default 200000) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "base/err.h"
#include "base/mem.h"
#include "core/ca_compile.h"
#include "core/decision.h"
#include "core/roles.h"

#define N_USERS 1000000u
#define N_GROUPS 50000u
#define N_APPS 500u
#define N_SIGNINS 4096u
#define MAX_GROUPS 400u

static uint64_t rng = UINT64_C(0x7011ca7eb3c4);

static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 11);
}

static unsigned pick(unsigned n)
{
	return rnd() % n;
}

static char (*group_ids)[37], (*app_ids)[37];
static const char *role_ids[8];

static void fmt_id(char out[37], unsigned kind, unsigned i)
{
	snprintf(out, 37, "%08x-%04x-4%03x-8%03x-%012x", i * 2654435761u, kind, i & 0xfff,
	         (i >> 12) & 0xfff, i);
}

static void user_id(char out[37], unsigned i)
{
	fmt_id(out, 0xaaaa, i);
}

static void add(struct ca_ids *l, const char *id)
{
	if (ca_ids_add(l, id) != TG_OK)
		abort();
}

static void make_policy(struct ca_policy *p, unsigned k, size_t n_total)
{
	char name[32];
	ca_policy_init(p);
	fmt_id(p->id, 0xca, k);
	snprintf(name, sizeof name, "policy %u", k);
	ca_policy_set_display_name(p, name);
	unsigned r = pick(100);
	p->state = r < 70 ? CA_STATE_ENABLED : r < 90 ? CA_STATE_REPORT_ONLY : CA_STATE_DISABLED;
	p->grant.present = true;
	p->grant.builtin = CA_CTL_MFA;
	p->cond.apps.include_kw = CA_APPS_ALL;

	/* a few tenant-wide policies whatever the size (templates) */
	size_t broad = 4 + n_total / 200;
	if (k < broad) {
		p->cond.users.include_kw = CA_USERS_ALL;
		add(&p->cond.users.exclude_users, "00000000-0000-4000-8000-00000000b6ea");   /* break glass */
		switch (k % 4) {
		case 0:   /* block legacy authentication */
			p->cond.client_app_types = CA_CLIENT_EXCHANGE_ACTIVESYNC | CA_CLIENT_OTHER;
			p->grant.builtin = CA_CTL_BLOCK;
			break;
		case 1:   /* MFA for risky sign-ins, every time */
			p->cond.sign_in_risk = CA_RISK_MEDIUM | CA_RISK_HIGH;
			p->session.present = p->session.sif.present = p->session.sif.is_enabled = true;
			p->session.sif.interval = CA_SIF_EVERY_TIME;
			break;
		case 2:   /* MFA for admin portals */
			p->cond.apps.include_kw = CA_APPS_ADMIN_PORTALS;
			break;
		case 3:   /* MFA for everyone outside trusted locations */
			p->cond.locations.present = true;
			p->cond.locations.include_kw = CA_LOC_ALL;
			p->cond.locations.exclude_kw = CA_LOC_ALL_TRUSTED;
			break;
		}
		return;
	}
	r = pick(100);
	if (r < 50) {          /* a team: 1-5 groups, sometimes one app */
		for (unsigned i = 0, n = 1 + pick(5); i < n; i++)
			add(&p->cond.users.include_groups, group_ids[pick(N_GROUPS)]);
		if (pick(2)) {
			p->cond.apps.include_kw = 0;
			add(&p->cond.apps.include_apps, app_ids[pick(N_APPS)]);
		}
	} else if (r < 65) {   /* admins of some role */
		add(&p->cond.users.include_roles, role_ids[pick(8)]);
	} else if (r < 90) {   /* one app for everyone but a group */
		p->cond.users.include_kw = CA_USERS_ALL;
		add(&p->cond.users.exclude_groups, group_ids[pick(N_GROUPS)]);
		p->cond.apps.include_kw = 0;
		add(&p->cond.apps.include_apps, app_ids[pick(N_APPS)]);
	} else {               /* named users */
		char uid[37];
		for (unsigned i = 0, n = 1 + pick(20); i < n; i++) {
			user_id(uid, pick(N_USERS));
			add(&p->cond.users.include_users, uid);
		}
	}
	if (pick(10) == 0)
		p->grant.builtin = CA_CTL_BLOCK;
}

struct signin {
	char user[37];
	unsigned group_idx[MAX_GROUPS];
	const char *groups[MAX_GROUPS];
	const char *roles[1];
	struct decision_user u;
	struct decision_app app;
	struct decision_input in;
};

static void make_signin(struct signin *s, const struct decision_tenant *t, int64_t now)
{
	memset(s, 0, sizeof *s);
	user_id(s->user, pick(N_USERS));
	/* transitive group counts: most users 20-60, a few in hundreds */
	unsigned ng = pick(100) < 97 ? 20 + pick(41) : 100 + pick(MAX_GROUPS - 100);
	for (unsigned i = 0; i < ng; i++)
		s->group_idx[i] = pick(N_GROUPS);
	s->u.id = s->user;
	s->u.upn = "user@example.org";
	s->u.state = MFA_STATE_DISABLED;
	s->u.groups = s->groups;
	s->u.n_groups = ng;
	if (pick(50) == 0) {
		s->roles[0] = role_ids[pick(8)];
		s->u.roles = s->roles;
		s->u.n_roles = 1;
	}
	s->u.methods = CA_METHOD_SOFTWARE_OATH | CA_METHOD_SMS;
	s->app.id = app_ids[pick(N_APPS)];
	s->app.display_name = "app";
	s->app.privileged = pick(50) == 0;
	s->in.tenant = t;
	s->in.user = &s->u;
	s->in.app = &s->app;
	unsigned c = pick(100);
	s->in.client = c < 60 ? DECISION_CLIENT_BROWSER : c < 95 ? DECISION_CLIENT_MOBILE_DESKTOP
	               : DECISION_CLIENT_OTHER;
	char ip[32];
	snprintf(ip, sizeof ip, "%u.%u.%u.%u", 11 + pick(200), pick(256), pick(256), 1 + pick(254));
	if (cidr_ip_parse(ip, &s->in.ip) != TG_OK)
		abort();
	s->in.platform = (enum platform)pick(PLATFORM_COUNT_);
	s->in.sign_in_risk = pick(20) == 0 ? RISK_MEDIUM : RISK_NONE;
	s->in.credential = pick(3) ? DECISION_CRED_SESSION : DECISION_CRED_PASSWORD;
	s->in.interactive = s->in.credential == DECISION_CRED_PASSWORD;
	s->in.session.auth_time = now - pick(36000);
	s->in.session.mfa_time = pick(2) ? now - pick(36000) : 0;
	s->in.session.mfa_methods = CA_METHOD_SOFTWARE_OATH;
	s->in.now = now;
}

static int64_t ns_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

/* What the store does just before a decision: read the user's group ids
 * into fresh memory. Not timed; it leaves them in cache as in production. */
static char loaded[MAX_GROUPS][37];

static void load_groups(struct signin *s)
{
	for (size_t i = 0; i < s->u.n_groups; i++) {
		memcpy(loaded[i], group_ids[s->group_idx[i]], 37);
		s->groups[i] = loaded[i];
	}
}

static void run(size_t n_policies, unsigned iters)
{
	const int64_t now = 1767225600;
	struct ca_policy *pols = xcalloc(n_policies, sizeof *pols);
	struct ca_compiled *c = NULL;
	struct cidr trusted_r;
	struct cidr_set trusted = {0};
	struct decision d;
	struct signin *s = xcalloc(N_SIGNINS, sizeof *s);
	int64_t *t = xcalloc(iters, sizeof *t);
	size_t cand = 0, outcomes[DECISION_OUTCOME_COUNT_] = {0};

	for (size_t k = 0; k < n_policies; k++)
		make_policy(&pols[k], (unsigned)k, n_policies);
	int64_t t0 = ns_now();
	if (ca_compile(pols, n_policies, NULL, 0, 0, &c) != TG_OK)
		abort();
	int64_t compile_ns = ns_now() - t0;
	if (cidr_parse("10.0.0.0/8", 0, &trusted_r) != TG_OK)
		abort();
	cidr_set_build(&trusted, &trusted_r, 1);
	struct decision_tenant tenant = {
		.trusted_ips = &trusted, .verification_options = DECISION_VERIFY_ALL,
		.remember_mfa_days = 0, .ca = c,
	};
	for (unsigned i = 0; i < N_SIGNINS; i++)
		make_signin(&s[i], &tenant, now);
	decision_init(&d);

	/* warm up, then time each decision */
	for (unsigned i = 0; i < N_SIGNINS; i++) {
		load_groups(&s[i]);
		decision_evaluate(&s[i].in, &d);
	}
	int64_t overhead = INT64_MAX;
	for (int i = 0; i < 1000; i++) {
		int64_t a = ns_now(), b = ns_now();
		if (b - a < overhead)
			overhead = b - a;
	}
	for (unsigned i = 0; i < iters; i++) {
		struct signin *x = &s[i % N_SIGNINS];
		load_groups(x);
		int64_t a = ns_now();
		decision_evaluate(&x->in, &d);
		t[i] = ns_now() - a - overhead;
		cand += d.n_policies;
		outcomes[d.outcome]++;
	}
	/* throughput without the timer calls (the loading is subtracted) */
	int64_t total = 0;
	for (unsigned i = 0; i < iters; i += 1000) {
		unsigned end = i + 1000 < iters ? i + 1000 : iters;
		t0 = ns_now();
		for (unsigned j = i; j < end; j++) {
			load_groups(&s[j % N_SIGNINS]);
			decision_evaluate(&s[j % N_SIGNINS].in, &d);
		}
		total += ns_now() - t0;
		t0 = ns_now();
		for (unsigned j = i; j < end; j++)
			load_groups(&s[j % N_SIGNINS]);
		total -= ns_now() - t0;
	}

	qsort(t, iters, sizeof *t, cmp_i64);
	printf("%5zu policies | %9.0f decisions/s | median %6.0f ns | p99 %6.0f ns | "
	       "%5.1f policies evaluated/decision | compile %.2f ms | allow %.0f%% mfa %.0f%% blocked %.0f%%\n",
	       n_policies, (double)iters * 1e9 / (double)total, (double)t[iters / 2],
	       (double)t[(size_t)iters * 99 / 100], (double)cand / iters, (double)compile_ns / 1e6,
	       100.0 * (double)outcomes[DECISION_ALLOW] / iters,
	       100.0 * (double)outcomes[DECISION_MFA_REQUIRED] / iters,
	       100.0 * (double)outcomes[DECISION_BLOCKED] / iters);

	decision_cleanup(&d);
	ca_compiled_free(c);
	cidr_set_cleanup(&trusted);
	for (size_t k = 0; k < n_policies; k++)
		ca_policy_cleanup(&pols[k]);
	free(pols);
	free(s);
	free(t);
}

int main(int argc, char **argv)
{
	unsigned iters = 200000;
	if (argc > 1) {
		long v = strtol(argv[1], NULL, 10);   /* checksrc:allow (bench CLI argument) */
		if (v > 0 && v < 100000000)
			iters = (unsigned)v;
	}
	group_ids = xcalloc(N_GROUPS, sizeof *group_ids);
	app_ids = xcalloc(N_APPS, sizeof *app_ids);
	for (unsigned i = 0; i < N_GROUPS; i++)
		fmt_id(group_ids[i], 0x6a, i);
	for (unsigned i = 0; i < N_APPS; i++)
		fmt_id(app_ids[i], 0xab, i);
	for (unsigned i = 0; i < 8; i++)
		role_ids[i] = role_table[i * 3].id;

	printf("Tollgate sign-in decision benchmark: 1,000,000 users, %u groups, %u apps, "
	       "%u iterations per size\n", N_GROUPS, N_APPS, iters);
	static const size_t sizes[] = {20, 200, 2000};
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
		run(sizes[i], iters);
	free(group_ids);
	free(app_ids);
	return 0;
}
