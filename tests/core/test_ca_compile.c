/* SPDX-License-Identifier: MIT
 * The policy index gives the same decisions as evaluating every policy:
 * random tenants and random sign-ins (fixed seed) decided against the
 * indexed set and against a CA_COMPILE_NO_INDEX set must agree on the
 * outcome, the sources and every policy's result; policies the index
 * skips must be ones that do not apply. Also: the index really skips, and
 * compile's limits and accessors. */
#include "decision_fixture.h"
#include "base/mem.h"

#define N_USERS 40
#define N_GROUPS 120
#define N_APPS 16
#define N_ROLES 8
#define N_POLICIES 300
#define N_QUERIES 3000

static uint64_t rng_state = UINT64_C(0x5eed0f7011ca7e);

static uint32_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state >> 16);
}

static unsigned pick(unsigned n)
{
	return rnd() % n;
}

static bool chance(unsigned percent)
{
	return pick(100) < percent;
}

static char users[N_USERS][37], groups[N_GROUPS][37], apps[N_APPS][37];
static const char *roles[N_ROLES];

static void make_ids(void)
{
	for (unsigned i = 0; i < N_USERS; i++)
		snprintf(users[i], sizeof users[i], "%08x-0000-4000-8000-%012x", 0x1000u + i, i);
	for (unsigned i = 0; i < N_GROUPS; i++)
		snprintf(groups[i], sizeof groups[i], "%08x-0000-4000-8000-%012x", 0x2000u + i, i);
	for (unsigned i = 0; i < N_APPS; i++)
		snprintf(apps[i], sizeof apps[i], "%08x-0000-4000-8000-%012x", 0x3000u + i, i);
	for (unsigned i = 0; i < N_ROLES; i++)
		roles[i] = role_table[i * 2].id;
}

static void add_some(struct ca_ids *l, char (*pool)[37], unsigned n_pool, unsigned max)
{
	unsigned n = pick(max + 1);
	for (unsigned i = 0; i < n; i++)
		ca_ids_add(l, pool[pick(n_pool)]);
}

static void add_roles(struct ca_ids *l, unsigned max)
{
	unsigned n = pick(max + 1);
	for (unsigned i = 0; i < n; i++)
		ca_ids_add(l, roles[pick(N_ROLES)]);
}

static void random_policy(struct ca_policy *p, unsigned k)
{
	static const enum ca_state states[] = {CA_STATE_ENABLED, CA_STATE_ENABLED, CA_STATE_ENABLED,
	                                       CA_STATE_REPORT_ONLY, CA_STATE_DISABLED};
	static const char *const strengths[] = {CA_STRENGTH_MFA, CA_STRENGTH_PASSWORDLESS,
	                                        CA_STRENGTH_PHISHING_RESIST};
	char name[32];
	ca_policy_init(p);
	snprintf(p->id, sizeof p->id, "%08x-0000-4000-8000-%012x", 0x9000u + k, k);
	snprintf(name, sizeof name, "policy %u", k);
	ca_policy_set_display_name(p, name);
	p->state = states[pick(5)];

	struct ca_users *u = &p->cond.users;
	unsigned shape = pick(100);
	if (shape < 25)
		u->include_kw = CA_USERS_ALL;
	else if (shape < 28)
		u->include_kw = CA_USERS_NONE;
	else {
		if (chance(10))
			u->include_kw = CA_USERS_GUESTS;
		add_some(&u->include_users, users, N_USERS, 2);
		add_some(&u->include_groups, groups, N_GROUPS, 4);
		add_roles(&u->include_roles, 2);
	}
	if (chance(40))
		add_some(&u->exclude_users, users, N_USERS, 2);
	if (chance(30))
		add_some(&u->exclude_groups, groups, N_GROUPS, 3);
	if (chance(15))
		add_roles(&u->exclude_roles, 1);
	if (chance(10))
		u->exclude_kw = CA_USERS_GUESTS;

	struct ca_apps *a = &p->cond.apps;
	shape = pick(100);
	if (shape < 40)
		a->include_kw = CA_APPS_ALL;
	else if (shape < 45)
		a->user_actions = CA_UA_REGISTER_SECURITY_INFO;
	else if (shape < 47)
		a->include_kw = CA_APPS_NONE;
	else {
		if (chance(20))
			a->include_kw = CA_APPS_ADMIN_PORTALS;
		if (chance(5))
			a->include_kw |= CA_APPS_OFFICE365;
		add_some(&a->include_apps, apps, N_APPS, 3);
	}
	if (!a->user_actions) {
		if (chance(20))
			add_some(&a->exclude_apps, apps, N_APPS, 2);
		if (chance(5))
			a->exclude_kw = CA_APPS_ADMIN_PORTALS;
	}

	if (chance(40))
		p->cond.client_app_types = (1u + pick(31)) << 1;   /* some of the five specific types */
	if (chance(20)) {
		p->cond.locations.present = true;
		unsigned ls = pick(4);
		if (ls == 0)
			p->cond.locations.include_kw = CA_LOC_ALL;
		else if (ls == 1)
			p->cond.locations.include_kw = CA_LOC_ALL_TRUSTED;
		else
			fx_add_id(&p->cond.locations.include, ls == 2 ? "10c00000-0000-4000-8000-000000000001"
			                                                : CA_LOCATION_ID_MFA_TRUSTED_IPS);
		if (chance(50))
			p->cond.locations.exclude_kw = CA_LOC_ALL_TRUSTED;
	}
	if (chance(15)) {
		p->cond.platforms.present = true;
		p->cond.platforms.include = chance(50) ? CA_PLAT_ALL : (1u + pick(63)) << 1;
		p->cond.platforms.exclude = chance(50) ? (pick(64) << 1) : 0;
	}
	if (chance(15))
		p->cond.sign_in_risk = 1u + pick(31);
	if (chance(10))
		p->cond.user_risk = 1u + pick(31);
	if (chance(5)) {
		p->cond.devices.present = true;
		p->cond.devices.mode = chance(50) ? CA_FILTER_INCLUDE : CA_FILTER_EXCLUDE;
	}

	shape = pick(100);
	if (shape < 15) {
		fx_grant(p, CA_OP_OR, CA_CTL_BLOCK);
	} else if (shape < 75) {
		unsigned ctl = CA_CTL_MFA;
		if (chance(20))
			ctl |= 1u << (2 + pick(5));   /* a device/app control or passwordChange */
		fx_grant(p, chance(50) ? CA_OP_AND : CA_OP_OR, ctl);
	} else if (shape < 85) {
		p->grant.present = true;
		memcpy(p->grant.auth_strength, strengths[pick(3)], 37);
	} else if (shape < 88) {
		fx_grant(p, CA_OP_OR, 0);
		fx_add_id(&p->grant.terms_of_use, "7e000000-0000-4000-8000-000000000001");
	}
	if (chance(15))
		fx_sif(p, chance(30) ? CA_SIF_EVERY_TIME : CA_SIF_TIME_BASED, CA_SIF_HOURS, 1 + (int32_t)pick(23));
}

static const char *const ips[] = {"10.1.2.3", "192.0.2.5", "198.51.100.7", "2001:db8::1"};

static void random_signin(struct fx *f, const char **qgroups, const char **qroles)
{
	unsigned ng = pick(12), nr = pick(3);
	for (unsigned i = 0; i < ng; i++)
		qgroups[i] = groups[pick(N_GROUPS)];
	for (unsigned i = 0; i < nr; i++)
		qroles[i] = roles[pick(N_ROLES)];
	f->user.id = users[pick(N_USERS)];
	f->user.groups = qgroups;
	f->user.n_groups = ng;
	f->user.roles = qroles;
	f->user.n_roles = nr;
	f->user.is_guest = chance(10);
	f->user.state = (enum mfa_state)pick(3);
	f->user.methods = chance(80) ? (rnd() & 0xff) : 0;
	f->user.has_app_passwords = chance(20);
	f->app.id = chance(90) ? apps[pick(N_APPS)] : FX_OTHER_APP;
	f->app.privileged = chance(15);
	f->in.user_action = chance(5) ? CA_UA_REGISTER_SECURITY_INFO : 0;
	f->in.client = (enum decision_client)pick(DECISION_CLIENT_COUNT_);
	f->in.ip = fx_ip(ips[pick(4)]);
	f->in.platform = (enum platform)pick(PLATFORM_COUNT_);
	f->in.sign_in_risk = (enum risk_level)pick(RISK_LEVEL_COUNT_);
	f->in.user_risk = (enum risk_level)pick(RISK_LEVEL_COUNT_);
	f->in.remembered_device = chance(20);
	f->tenant.remember_mfa_days = chance(50) ? 30 : 0;
	f->in.credential = chance(70) ? DECISION_CRED_PASSWORD : DECISION_CRED_SESSION;
	f->in.interactive = f->in.credential == DECISION_CRED_PASSWORD;
	f->in.session.auth_time = FX_NOW - (int64_t)pick(48) * 3600;
	f->in.session.mfa_time = chance(50) ? FX_NOW - (int64_t)pick(20) * 1800 : 0;
	f->in.session.mfa_methods = 1u << pick(8);
	f->in.session.password_changed = chance(10);
}

static bool same_result(const struct ca_eval_result *a, const struct ca_eval_result *b)
{
	return a->result == b->result && a->applies == b->applies && a->satisfied == b->satisfied &&
	       a->not_satisfied == b->not_satisfied && a->grant == b->grant &&
	       a->mfa_pending == b->mfa_pending && a->password_change_pending == b->password_change_pending &&
	       a->reauth_pending == b->reauth_pending &&
	       ((!a->reason && !b->reason) || (a->reason && b->reason && strcmp(a->reason, b->reason) == 0)) &&
	       ((!a->reason_arg && !b->reason_arg) ||
	        (a->reason_arg && b->reason_arg && strcmp(a->reason_arg, b->reason_arg) == 0));
}

static bool same_decision(const struct decision *a, const struct decision *b)
{
	if (a->outcome != b->outcome || a->error_code != b->error_code || a->methods != b->methods ||
	    a->multi_factor != b->multi_factor || a->ca_status != b->ca_status ||
	    a->session_max_age != b->session_max_age || a->persistent_browser != b->persistent_browser ||
	    a->remember_device_allowed != b->remember_device_allowed || a->n_sources != b->n_sources)
		return false;
	for (size_t i = 0; i < a->n_sources; i++)
		if (a->sources[i].provider != b->sources[i].provider ||
		    a->sources[i].status != b->sources[i].status ||
		    strcmp(a->sources[i].detail, b->sources[i].detail) != 0)
			return false;
	return true;
}

static bool not_applied(enum ca_result r)
{
	return r == CA_RESULT_NOT_APPLIED || r == CA_RESULT_REPORT_ONLY_NOT_APPLIED ||
	       r == CA_RESULT_NOT_ENABLED;
}

static void index_matches_full_evaluation(void)
{
	struct fx f;
	struct ca_compiled *ref = NULL;
	struct decision dref, dall;
	const char *qgroups[16], *qroles[4];
	size_t listed = 0, total = 0, applied = 0, mismatches = 0;

	fx_init(&f);
	make_ids();
	struct ca_policy *pols = xcalloc(N_POLICIES, sizeof *pols);
	for (unsigned k = 0; k < N_POLICIES; k++)
		random_policy(&pols[k], k);
	fx_location(&f, "10c00000-0000-4000-8000-000000000001", "192.0.2.0/24", chance(50));
	REQUIRE(ca_compile(pols, N_POLICIES, f.locs, f.n_locs, 0, &f.ca) == TG_OK);
	REQUIRE(ca_compile(pols, N_POLICIES, f.locs, f.n_locs, CA_COMPILE_NO_INDEX, &ref) == TG_OK);
	decision_init(&dref);
	decision_init(&dall);

	for (unsigned q = 0; q < N_QUERIES && mismatches < 5; q++) {
		random_signin(&f, qgroups, qroles);
		/* indexed, candidates only */
		f.tenant.ca = f.ca;
		f.in.explain_all = false;
		CHECK_OK(decision_evaluate(&f.in, &f.d));
		/* indexed, every policy */
		f.in.explain_all = true;
		CHECK_OK(decision_evaluate(&f.in, &dall));
		/* reference: no index, every policy scanned */
		f.tenant.ca = ref;
		CHECK_OK(decision_evaluate(&f.in, &dref));

		if (!same_decision(&f.d, &dref) || !same_decision(&dall, &dref)) {
			TG_T_FAIL("query %u: indexed %s/%d, reference %s/%d", q, decision_outcome_name(f.d.outcome),
			          f.d.error_code, decision_outcome_name(dref.outcome), dref.error_code);
			mismatches++;
			continue;
		}
		if (f.d.error_code == DECISION_CODE_BAD_CREDENTIALS)
			continue;   /* decided before Conditional Access */
		/* the reference lists every policy in order, and so does explain_all */
		REQUIRE(dref.n_policies == N_POLICIES && dall.n_policies == N_POLICIES);
		size_t k = 0;
		for (size_t i = 0; i < N_POLICIES; i++) {
			REQUIRE(dref.policies[i].index == i);
			if (!same_result(&dall.policies[i].r, &dref.policies[i].r)) {
				TG_T_FAIL("query %u policy %zu: explain-all %s (%s), reference %s (%s)", q, i,
				          ca_result_name(dall.policies[i].r.result), dall.policies[i].r.reason,
				          ca_result_name(dref.policies[i].r.result), dref.policies[i].r.reason);
				mismatches++;
			}
			if (dref.policies[i].r.applies)
				applied++;
			if (k < f.d.n_policies && f.d.policies[k].index == i) {
				if (!same_result(&f.d.policies[k].r, &dref.policies[i].r)) {
					TG_T_FAIL("query %u policy %zu: candidate %s, reference %s", q, i,
					          ca_result_name(f.d.policies[k].r.result),
					          ca_result_name(dref.policies[i].r.result));
					mismatches++;
				}
				k++;
			} else if (!not_applied(dref.policies[i].r.result)) {
				TG_T_FAIL("query %u: index skipped policy %zu which is %s (%s)", q, i,
				          ca_result_name(dref.policies[i].r.result), dref.policies[i].r.reason);
				mismatches++;
			}
		}
		CHECK_INT(k, f.d.n_policies);
		listed += f.d.n_policies;
		total += N_POLICIES;
	}
	/* the index must actually prune: well under half of the policies looked at */
	printf("index: %zu of %zu policy evaluations (%.1f%%), %zu applied\n", listed, total,
	       total ? 100.0 * (double)listed / (double)total : 0.0, applied);
	CHECK(listed * 2 < total);
	CHECK(applied > 0);

	for (unsigned k = 0; k < N_POLICIES; k++)
		ca_policy_cleanup(&pols[k]);
	free(pols);
	ca_compiled_free(ref);
	decision_cleanup(&dref);
	decision_cleanup(&dall);
	fx_cleanup(&f);
}

static void candidates_are_sorted_and_unique(void)
{
	struct fx f;
	fx_init(&f);
	/* the same policy reachable through two groups and the user id */
	struct ca_policy *p = fx_policy(&f, "two ways", CA_STATE_ENABLED);
	p->cond.users.include_kw = 0;
	fx_add_id(&p->cond.users.include_groups, FX_GROUP_A);
	fx_add_id(&p->cond.users.include_groups, FX_GROUP_B);
	fx_add_id(&p->cond.users.include_users, FX_USER);
	fx_grant(p, CA_OP_OR, CA_CTL_MFA);
	fx_grant(fx_policy(&f, "everyone", CA_STATE_ENABLED), CA_OP_OR, CA_CTL_MFA);
	struct ca_policy *o = fx_policy(&f, "other user", CA_STATE_ENABLED);
	o->cond.users.include_kw = 0;
	fx_add_id(&o->cond.users.include_users, FX_OTHER_USER);
	fx_compile(&f);
	CHECK_OK(fx_decide(&f));
	REQUIRE(f.d.n_policies == 2);
	CHECK_INT(f.d.policies[0].index, 0);
	CHECK_INT(f.d.policies[1].index, 1);
	/* ids match case-insensitively */
	f.groups[0] = "99999999-0000-4000-8000-00000000000A";
	f.groups[1] = "nothing";
	f.user.id = "not-a-uuid";
	CHECK_OK(fx_decide(&f));
	REQUIRE(f.d.n_policies == 2);
	CHECK_INT(f.d.policies[0].index, 0);
	fx_cleanup(&f);
}

static void limits_and_accessors(void)
{
	struct ca_compiled *c = (struct ca_compiled *)1;
	struct named_location loc;
	CHECK_INT(ca_compile(NULL, 0, NULL, 0, 0, &c), TG_OK);
	CHECK_INT(ca_compiled_count(c), 0);
	CHECK(ca_compiled_policy(c, 0) == NULL);
	ca_compiled_free(c);
	CHECK_INT(ca_compile(NULL, 3, NULL, 0, 0, &c), TG_ERR_INVALID);
	CHECK(c == NULL);
	struct ca_policy one;
	ca_policy_init(&one);
	CHECK_INT(ca_compile(&one, TG_MAX_CA_POLICIES + 1, NULL, 0, 0, &c), TG_ERR_TOO_LARGE);
	CHECK(c == NULL);
	named_location_init(&loc);
	memcpy(loc.id, "10c00000-0000-4000-8000-000000000001", 37);
	CHECK_OK(named_location_add_range(&loc, "192.0.2.0/24"));
	CHECK_OK(ca_compile(&one, 1, &loc, 1, 0, &c));
	named_location_cleanup(&loc);   /* the compiled set owns copies */
	CHECK_INT(ca_compiled_count(c), 1);
	CHECK(ca_compiled_policy(c, 0) != NULL);
	CHECK(ca_compiled_location(c, "10C00000-0000-4000-8000-000000000001") != NULL);
	CHECK(ca_compiled_location(c, "10c00000-0000-4000-8000-000000000009") == NULL);
	ca_compiled_free(c);
	ca_compiled_free(NULL);
	ca_policy_cleanup(&one);
}

int main(void)
{
	TEST(index_matches_full_evaluation);
	TEST(candidates_are_sorted_and_unique);
	TEST(limits_and_accessors);
	return tg_test_done();
}
