/* SPDX-License-Identifier: MIT
 * A sign-in fixture shared by the decision tests: one tenant (trusted IPs
 * 10.0.0.0/8, every verification option, remember-MFA off), one user
 * (registered with an authenticator app, no roles), one app, a fresh
 * interactive browser sign-in with the password from 198.51.100.7 on
 * Windows, and helpers to build Conditional Access policies. Header-only
 * and static, like harness.h; not a test program itself. */
#ifndef TG_TEST_DECISION_FIXTURE_H
#define TG_TEST_DECISION_FIXTURE_H
#include "harness.h"
#include "base/err.h"
#include "base/mem.h"
#include "core/ca_compile.h"
#include "core/ca_policy.h"
#include "core/decision.h"
#include "core/named_location.h"
#include "core/roles.h"

#define FX_NOW ((int64_t)1767225600)   /* 2026-01-01T00:00:00Z */
#define FX_DAY ((int64_t)86400)
#define FX_USER "11111111-1111-4111-8111-111111111111"
#define FX_OTHER_USER "22222222-2222-4222-8222-222222222222"
#define FX_APP "aaaaaaaa-0000-4000-8000-000000000001"
#define FX_ADMIN_APP "aaaaaaaa-0000-4000-8000-0000000000ad"
#define FX_OTHER_APP "aaaaaaaa-0000-4000-8000-000000000002"
#define FX_GROUP_A "99999999-0000-4000-8000-00000000000a"
#define FX_GROUP_B "99999999-0000-4000-8000-00000000000b"
#define FX_GROUP_C "99999999-0000-4000-8000-00000000000c"
#define FX_MAX_POLICIES 16
#define FX_MAX_LOCATIONS 4

struct fx {
	struct cidr_set trusted;
	struct decision_tenant tenant;
	const char *groups[4];
	const char *roles[4];
	struct decision_user user;
	struct decision_app app;
	struct decision_input in;
	struct decision d;
	struct ca_policy pols[FX_MAX_POLICIES];
	size_t n_pols;
	struct named_location locs[FX_MAX_LOCATIONS];
	size_t n_locs;
	struct ca_compiled *ca;
};

static inline struct cidr_ip fx_ip(const char *s)
{
	struct cidr_ip a;
	memset(&a, 0, sizeof a);
	if (cidr_ip_parse(s, &a) != TG_OK) {
		fprintf(stderr, "fixture: bad address %s\n", s);
		abort();
	}
	return a;
}

static inline void fx_init(struct fx *f)
{
	struct cidr r;
	memset(f, 0, sizeof *f);
	if (cidr_parse("10.0.0.0/8", 0, &r) != TG_OK)
		abort();
	cidr_set_build(&f->trusted, &r, 1);
	f->tenant.trusted_ips = &f->trusted;
	f->tenant.verification_options = DECISION_VERIFY_ALL;
	f->tenant.remember_mfa_days = 0;
	f->groups[0] = FX_GROUP_A;
	f->groups[1] = FX_GROUP_B;
	f->user.id = FX_USER;
	f->user.upn = "Alice@Example.org";
	f->user.state = MFA_STATE_DISABLED;
	f->user.groups = f->groups;
	f->user.n_groups = 2;
	f->user.roles = f->roles;
	f->user.n_roles = 0;
	f->user.methods = CA_METHOD_SOFTWARE_OATH;
	f->app.id = FX_APP;
	f->app.display_name = "Payroll";
	f->in.tenant = &f->tenant;
	f->in.user = &f->user;
	f->in.app = &f->app;
	f->in.client = DECISION_CLIENT_BROWSER;
	f->in.ip = fx_ip("198.51.100.7");
	f->in.platform = PLATFORM_WINDOWS;
	f->in.credential = DECISION_CRED_PASSWORD;
	f->in.interactive = true;
	f->in.now = FX_NOW;
	decision_init(&f->d);
}

static inline void fx_cleanup(struct fx *f)
{
	for (size_t i = 0; i < f->n_pols; i++)
		ca_policy_cleanup(&f->pols[i]);
	for (size_t i = 0; i < f->n_locs; i++)
		named_location_cleanup(&f->locs[i]);
	ca_compiled_free(f->ca);
	cidr_set_cleanup(&f->trusted);
	decision_cleanup(&f->d);
}

/* A new enabled-or-not policy: All users, All apps, no controls yet. Its
 * id is 00000000-0000-4000-8000-0000000000NN with NN its position. */
static inline struct ca_policy *fx_policy(struct fx *f, const char *name, enum ca_state state)
{
	char id[40];
	if (f->n_pols >= FX_MAX_POLICIES)
		abort();
	struct ca_policy *p = &f->pols[f->n_pols];
	ca_policy_init(p);
	snprintf(id, sizeof id, "00000000-0000-4000-8000-0000000000%02zu", f->n_pols);
	memcpy(p->id, id, 37);
	if (ca_policy_set_display_name(p, name) != TG_OK)
		abort();
	p->state = state;
	p->cond.users.include_kw = CA_USERS_ALL;
	p->cond.apps.include_kw = CA_APPS_ALL;
	f->n_pols++;
	return p;
}

static inline void fx_grant(struct ca_policy *p, enum ca_operator op, unsigned controls)
{
	p->grant.present = true;
	p->grant.op = op;
	p->grant.builtin = controls;
}

static inline void fx_sif(struct ca_policy *p, enum ca_sif_interval iv, enum ca_sif_type type,
                          int32_t value)
{
	p->session.present = true;
	p->session.sif.present = true;
	p->session.sif.is_enabled = true;
	p->session.sif.interval = iv;
	p->session.sif.type = type;
	p->session.sif.value = value;
	p->session.sif.auth_type = CA_SIF_AUTH_PRIMARY_AND_SECONDARY;
}

static inline void fx_add_id(struct ca_ids *l, const char *id)
{
	if (ca_ids_add(l, id) != TG_OK)
		abort();
}

static inline struct named_location *fx_location(struct fx *f, const char *id, const char *cidr,
                                                 bool trusted)
{
	if (f->n_locs >= FX_MAX_LOCATIONS)
		abort();
	struct named_location *l = &f->locs[f->n_locs++];
	named_location_init(l);
	memcpy(l->id, id, 37);
	if (named_location_set_display_name(l, "loc") != TG_OK || named_location_add_range(l, cidr) != TG_OK)
		abort();
	l->is_trusted = trusted;
	return l;
}

/* (Re)compile the fixture's policies and locations into the tenant. */
static inline void fx_compile_flags(struct fx *f, unsigned flags)
{
	ca_compiled_free(f->ca);
	f->ca = NULL;
	if (ca_compile(f->pols, f->n_pols, f->locs, f->n_locs, flags, &f->ca) != TG_OK)
		abort();
	f->tenant.ca = f->ca;
}

static inline void fx_compile(struct fx *f)
{
	fx_compile_flags(f, 0);
}

static inline int fx_decide(struct fx *f)
{
	return decision_evaluate(&f->in, &f->d);
}

/* The result of the policy with this display name in the last decision,
 * or NULL when the decision did not list it. */
static inline const struct decision_policy *fx_result(const struct fx *f, const char *name)
{
	for (size_t i = 0; i < f->d.n_policies; i++)
		if (strcmp(f->d.policies[i].policy->display_name, name) == 0)
			return &f->d.policies[i];
	return NULL;
}

static inline const struct decision_source *fx_source(const struct fx *f, enum decision_provider p)
{
	for (size_t i = 0; i < f->d.n_sources; i++)
		if (f->d.sources[i].provider == p)
			return &f->d.sources[i];
	return NULL;
}

#define CHECK_RESULT(f, name, want) do { \
	const struct decision_policy *_p = fx_result((f), (name)); \
	if (!_p) TG_T_FAIL("policy %s not listed", (name)); \
	else if (_p->r.result != (want)) TG_T_FAIL("policy %s: %s, expected %s (%s)", (name), \
		ca_result_name(_p->r.result), ca_result_name(want), _p->r.reason ? _p->r.reason : ""); \
	} while (0)

#define CHECK_OUTCOME(f, want_outcome, want_code) do { \
	if ((f)->d.outcome != (want_outcome) || (f)->d.error_code != (want_code)) \
		TG_T_FAIL("outcome %s/%d, expected %s/%d (%s)", decision_outcome_name((f)->d.outcome), \
		          (f)->d.error_code, decision_outcome_name(want_outcome), (int)(want_code), \
		          (f)->d.failure_reason); \
	} while (0)

#endif
