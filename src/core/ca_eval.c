/* SPDX-License-Identifier: MIT
 * One Conditional Access policy against one sign-in (see ca_eval.h).
 * Sections: names, conditions, grant controls, the policy, control names. */
#include <stdio.h>
#include <string.h>
#include "base/err.h"
#include "base/str.h"
#include "core/ca_compile_int.h"
#include "core/ca_eval.h"

/* Entra's "every time" tolerates five minutes of clock skew
 * (concept-session-lifetime.md): MFA that recent still counts. */
#define EVERY_TIME_SKEW 300

/* MFA result detail strings (reference/entra.md §5.1) */
#define RD_COMPLETED "successfully completed"
#define RD_CLAIM "satisfied by claim in the token"
#define RD_REMEMBERED "skipped due to remembered device"
#define RD_IN_PROGRESS "authentication in-progress"
#define RD_EXPIRED "has expired due to the policies configured on tenant"

/* ---- names -------------------------------------------------------------- */

static const char *const result_names[CA_RESULT_COUNT_] = {
	[CA_RESULT_NOT_APPLIED] = "notApplied",
	[CA_RESULT_SUCCESS] = "success",
	[CA_RESULT_FAILURE] = "failure",
	[CA_RESULT_NOT_ENABLED] = "notEnabled",
	[CA_RESULT_REPORT_ONLY_SUCCESS] = "reportOnlySuccess",
	[CA_RESULT_REPORT_ONLY_FAILURE] = "reportOnlyFailure",
	[CA_RESULT_REPORT_ONLY_NOT_APPLIED] = "reportOnlyNotApplied",
	[CA_RESULT_REPORT_ONLY_INTERRUPTED] = "reportOnlyInterrupted",
};

const char *ca_result_name(enum ca_result r)
{
	if ((unsigned)r >= CA_RESULT_COUNT_)
		return "unknown";
	return result_names[r];
}

const char *ca_eval_conditions_format(unsigned flags, char *buf, size_t size)
{
	static const struct {
		unsigned bit;
		const char *name;
	} names[] = {
		{CA_COND_APPLICATION, "application"}, {CA_COND_USERS, "users"},
		{CA_COND_DEVICE_PLATFORM, "devicePlatform"}, {CA_COND_LOCATION, "location"},
		{CA_COND_CLIENT_TYPE, "clientType"}, {CA_COND_SIGN_IN_RISK, "signInRisk"},
		{CA_COND_USER_RISK, "userRisk"}, {CA_COND_DEVICE_STATE, "deviceState"},
	};
	size_t len = 0;
	if (size == 0)
		return buf;
	buf[0] = '\0';
	if (flags == 0) {
		tg_strlcpy(buf, "none", size);
		return buf;
	}
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (!(flags & names[i].bit))
			continue;
		int w = snprintf(buf + len, size - len, "%s%s", len ? "," : "", names[i].name);
		if (w < 0 || (size_t)w >= size - len)
			break;
		len += (size_t)w;
	}
	return buf;
}

unsigned ca_eval_strength_methods(const char *id)
{
	if (!id)
		return 0;
	if (tg_streq_ci(id, CA_STRENGTH_MFA))
		return CA_METHOD_SOFTWARE_OATH | CA_METHOD_HARDWARE_OATH | CA_METHOD_SMS |
		       CA_METHOD_VOICE | CA_METHOD_FIDO2 | CA_METHOD_TAP;
	if (tg_streq_ci(id, CA_STRENGTH_PASSWORDLESS) || tg_streq_ci(id, CA_STRENGTH_PHISHING_RESIST))
		return CA_METHOD_FIDO2;
	return 0;
}

/* ---- conditions --------------------------------------------------------- */

/* Record the first reason a policy does not apply. */
static void miss(struct ca_eval_result *out, unsigned cond, const char *reason, const char *arg)
{
	out->not_satisfied |= cond;
	if (!out->reason) {
		out->reason = reason;
		out->reason_arg = arg;
	}
}

static const char *first_in(const struct ca_ids *l, const char *const *ids, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (ids[i] && ca_ids_contains(l, ids[i]))
			return ids[i];
	return NULL;
}

/* Without an index hint: scan the policy's id lists. */
static void scan_hint(const struct ca_policy *p, const struct ca_query *q, struct ca_hint *h)
{
	const struct ca_users *u = &p->cond.users;
	const struct ca_apps *a = &p->cond.apps;
	const char *s;
	memset(h, 0, sizeof *h);
#define SCAN(list, ids, n, incbit, excbit, is_exc) \
	if ((s = first_in(list, ids, n)) != NULL) { \
		h->flags |= (is_exc) ? (excbit) : (incbit); \
		if (is_exc) { if (!h->exc_id) h->exc_id = s; } else if (!h->inc_id) h->inc_id = s; \
	}
	SCAN(&u->include_users, &q->user_id, q->user_id ? 1 : 0, CA_HINT_INC_USER, 0, false)
	SCAN(&u->exclude_users, &q->user_id, q->user_id ? 1 : 0, 0, CA_HINT_EXC_USER, true)
	SCAN(&u->include_groups, q->groups, q->n_groups, CA_HINT_INC_GROUP, 0, false)
	SCAN(&u->exclude_groups, q->groups, q->n_groups, 0, CA_HINT_EXC_GROUP, true)
	SCAN(&u->include_roles, q->roles, q->n_roles, CA_HINT_INC_ROLE, 0, false)
	SCAN(&u->exclude_roles, q->roles, q->n_roles, 0, CA_HINT_EXC_ROLE, true)
	SCAN(&a->include_apps, &q->app_id, q->app_id ? 1 : 0, CA_HINT_INC_APP, 0, false)
	SCAN(&a->exclude_apps, &q->app_id, q->app_id ? 1 : 0, 0, CA_HINT_EXC_APP, true)
#undef SCAN
}

static void eval_users(const struct ca_policy *p, const struct ca_query *q,
                       const struct ca_hint *h, struct ca_eval_result *out)
{
	const struct ca_users *u = &p->cond.users;
	unsigned f = h->flags;
	bool inc = false;

	if (f & CA_HINT_EXC_USER) {
		miss(out, CA_COND_USERS, "user excluded (excludeUsers)", h->exc_id);
		return;
	}
	if (f & CA_HINT_EXC_GROUP) {
		miss(out, CA_COND_USERS, "user excluded through group (excludeGroups)", h->exc_id);
		return;
	}
	if (f & CA_HINT_EXC_ROLE) {
		miss(out, CA_COND_USERS, "user excluded through role (excludeRoles)", h->exc_id);
		return;
	}
	if ((u->exclude_kw & CA_USERS_GUESTS) && q->is_guest) {
		miss(out, CA_COND_USERS, "guest or external user excluded", NULL);
		return;
	}
	if (!(u->include_kw & CA_USERS_NONE))
		inc = (u->include_kw & CA_USERS_ALL) || ((u->include_kw & CA_USERS_GUESTS) && q->is_guest) ||
		      (f & (CA_HINT_INC_USER | CA_HINT_INC_GROUP | CA_HINT_INC_ROLE));
	if (!inc) {
		miss(out, CA_COND_USERS, (u->include_kw & CA_USERS_NONE) ? "includeUsers is None"
		                                                       : "user not included", NULL);
		return;
	}
	out->satisfied |= CA_COND_USERS;
}

static void eval_apps(const struct ca_policy *p, const struct ca_query *q,
                      const struct ca_hint *h, struct ca_eval_result *out)
{
	const struct ca_apps *a = &p->cond.apps;
	bool inc;

	if (a->user_actions) {
		if (!(a->user_actions & q->user_action)) {
			miss(out, CA_COND_APPLICATION, "policy targets a user action this request is not", NULL);
			return;
		}
		out->satisfied |= CA_COND_APPLICATION;
		return;
	}
	if (h->flags & CA_HINT_EXC_APP) {
		miss(out, CA_COND_APPLICATION, "application excluded (excludeApplications)", h->exc_id);
		return;
	}
	if ((a->exclude_kw & CA_APPS_ADMIN_PORTALS) && q->app_privileged) {
		miss(out, CA_COND_APPLICATION, "application excluded (MicrosoftAdminPortals)", q->app_id);
		return;
	}
	inc = (a->include_kw & CA_APPS_ALL) || ((a->include_kw & CA_APPS_ADMIN_PORTALS) && q->app_privileged) ||
	      (h->flags & CA_HINT_INC_APP);
	if (!inc) {
		miss(out, CA_COND_APPLICATION, "application not included", q->app_id);
		return;
	}
	out->satisfied |= CA_COND_APPLICATION;
}

static bool ip_trusted(struct ca_eval_ctx *ctx)
{
	if (ctx->trusted_cache_ == 0) {
		bool t = (ctx->trusted_ips && cidr_set_contains(ctx->trusted_ips, &ctx->ip)) ||
		         cidr_set_contains(&ctx->compiled->trusted_locs, &ctx->ip);
		ctx->trusted_cache_ = t ? 1 : -1;
	}
	return ctx->trusted_cache_ > 0;
}

static bool in_location(struct ca_eval_ctx *ctx, uint32_t loc)
{
	if (loc == CA_LOC_MFA_TRUSTED_IPS)
		return ctx->trusted_ips && cidr_set_contains(ctx->trusted_ips, &ctx->ip);
	if (loc == CA_LOC_MISSING || loc >= ctx->compiled->n_locs)
		return false;
	return cidr_set_contains(&ctx->compiled->loc_sets[loc], &ctx->ip);
}

static const char *location_hit(struct ca_eval_ctx *ctx, const struct ca_u32s *locs,
                                const struct ca_ids *ids)
{
	for (size_t i = 0; i < locs->n; i++)
		if (in_location(ctx, locs->v[i]))
			return ids->v[i];
	return NULL;
}

static void eval_locations(struct ca_eval_ctx *ctx, const struct ca_cpol *cp,
                           struct ca_eval_result *out)
{
	const struct ca_locations *l = &cp->pol.cond.locations;
	const char *hit;
	bool inc;

	if (!l->present)
		return;
	if ((l->exclude_kw & CA_LOC_ALL_TRUSTED) && ip_trusted(ctx)) {
		miss(out, CA_COND_LOCATION, "location excluded: IP is in a trusted location (AllTrusted)", NULL);
		return;
	}
	if ((hit = location_hit(ctx, &cp->exc_loc, &l->exclude)) != NULL) {
		miss(out, CA_COND_LOCATION, "location excluded (excludeLocations)", hit);
		return;
	}
	inc = (l->include_kw & CA_LOC_ALL) || ((l->include_kw & CA_LOC_ALL_TRUSTED) && ip_trusted(ctx)) ||
	      location_hit(ctx, &cp->inc_loc, &l->include) != NULL;
	if (!inc) {
		miss(out, CA_COND_LOCATION, "location not included", NULL);
		return;
	}
	out->satisfied |= CA_COND_LOCATION;
}

static void eval_platforms(const struct ca_eval_ctx *ctx, const struct ca_policy *p,
                           struct ca_eval_result *out)
{
	const struct ca_platforms *pl = &p->cond.platforms;
	if (!pl->present)
		return;
	if (ctx->platform & pl->exclude) {
		miss(out, CA_COND_DEVICE_PLATFORM, "device platform excluded", ca_platform_name(ctx->platform));
		return;
	}
	if (!(pl->include & CA_PLAT_ALL) && !(ctx->platform & pl->include)) {
		miss(out, CA_COND_DEVICE_PLATFORM, "device platform not included",
		     ctx->platform ? ca_platform_name(ctx->platform) : "unknown");
		return;
	}
	out->satisfied |= CA_COND_DEVICE_PLATFORM;
}

static void eval_conditions(struct ca_eval_ctx *ctx, const struct ca_cpol *cp,
                            const struct ca_hint *h, struct ca_eval_result *out)
{
	const struct ca_policy *p = &cp->pol;
	const struct ca_conditions *c = &p->cond;

	eval_users(p, ctx->q, h, out);
	eval_apps(p, ctx->q, h, out);
	if (!(c->client_app_types & CA_CLIENT_ALL) && c->client_app_types) {
		if (cp->client_mask & ctx->q->client)
			out->satisfied |= CA_COND_CLIENT_TYPE;
		else
			miss(out, CA_COND_CLIENT_TYPE, "client app type not included", NULL);
	}
	eval_locations(ctx, cp, out);
	eval_platforms(ctx, p, out);
	if (c->sign_in_risk) {
		if (c->sign_in_risk & ctx->sign_in_risk)
			out->satisfied |= CA_COND_SIGN_IN_RISK;
		else
			miss(out, CA_COND_SIGN_IN_RISK, "sign-in risk level not included",
			     ca_risk_name(ctx->sign_in_risk));
	}
	if (c->user_risk) {
		if (c->user_risk & ctx->user_risk)
			out->satisfied |= CA_COND_USER_RISK;
		else
			miss(out, CA_COND_USER_RISK, "user risk level not included", ca_risk_name(ctx->user_risk));
	}
	if (c->devices.present) {
		if (c->devices.mode == CA_FILTER_INCLUDE)
			miss(out, CA_COND_DEVICE_STATE, "device filter: device unknown to Tollgate", NULL);
		else
			out->satisfied |= CA_COND_DEVICE_STATE;
	}
}

/* ---- grant controls ----------------------------------------------------- */

enum ctl { CTL_SAT, CTL_PENDING, CTL_UNSAT };

static enum ctl mfa_check(const struct ca_eval_ctx *ctx, int64_t sif, unsigned allowed,
                          bool remembered_counts, const char **detail)
{
	bool expired = false;
	if (ctx->mfa_time > 0 && (allowed == CA_METHOD_ALL || (ctx->mfa_methods & allowed))) {
		int64_t window = sif < 0 ? -1 : sif == 0 ? EVERY_TIME_SKEW : sif;
		if (window < 0 || ctx->now - ctx->mfa_time <= window) {
			*detail = ctx->mfa_this_signin ? RD_COMPLETED : RD_CLAIM;
			return CTL_SAT;
		}
		expired = true;
	}
	if (remembered_counts && sif < 0 && ctx->remembered_device) {
		*detail = RD_REMEMBERED;
		return CTL_SAT;
	}
	*detail = expired ? RD_EXPIRED : RD_IN_PROGRESS;
	return CTL_PENDING;
}

static const struct {
	unsigned bit;
	const char *reason;
} unsat_controls[] = {
	{CA_CTL_COMPLIANT_DEVICE, "requires a compliant device: Tollgate has no device management"},
	{CA_CTL_DOMAIN_JOINED_DEVICE, "requires a hybrid joined device: Tollgate has no device management"},
	{CA_CTL_APPROVED_APPLICATION, "requires an approved client app: Tollgate has no app management"},
	{CA_CTL_COMPLIANT_APPLICATION, "requires an app protection policy: Tollgate has no app management"},
};

static void eval_grant(struct ca_eval_ctx *ctx, const struct ca_cpol *cp,
                       struct ca_eval_result *out)
{
	const struct ca_policy *p = &cp->pol;
	const struct ca_grant *g = &p->grant;
	bool and_op = g->op == CA_OP_AND;
	const char *unsat = NULL, *unsat_arg = NULL, *detail = NULL;
	int n_sat = 0, n_pending = 0;
	bool mfa_pend = false, pw_pend = false;

	if (!ca_policy_has_grant_requirement(p)) {
		out->grant = CA_GRANT_SATISFIED;
		out->reason = "no grant controls";
		return;
	}
	if (g->builtin & CA_CTL_BLOCK) {
		out->grant = CA_GRANT_BLOCK;
		out->reason = "policy blocks access";
		return;
	}
	if (ctx->legacy) {
		out->grant = CA_GRANT_UNSATISFIABLE;
		out->reason = "legacy clients cannot satisfy grant controls (no MFA, no device state)";
		return;
	}

	if (g->builtin & CA_CTL_MFA) {
		out->wants_mfa = true;
		out->mfa_methods = CA_METHOD_ALL;
		enum ctl s = mfa_check(ctx, cp->sif, CA_METHOD_ALL, true, &detail);
		out->mfa_detail = detail;
		if (s == CTL_SAT)
			n_sat++;
		else {
			n_pending++;
			mfa_pend = true;
		}
	}
	if (g->auth_strength[0]) {
		unsigned allowed = ca_eval_strength_methods(g->auth_strength);
		out->wants_mfa = true;
		out->mfa_methods = allowed;
		if (!allowed) {
			unsat = "unknown authentication strength";
			unsat_arg = g->auth_strength;
		} else {
			bool rem = tg_streq_ci(g->auth_strength, CA_STRENGTH_MFA);
			enum ctl s = mfa_check(ctx, cp->sif, allowed, rem, &detail);
			out->mfa_detail = detail;
			if (s == CTL_SAT)
				n_sat++;
			else {
				n_pending++;
				mfa_pend = true;
			}
		}
	}
	for (size_t i = 0; i < sizeof unsat_controls / sizeof unsat_controls[0]; i++) {
		if ((g->builtin & unsat_controls[i].bit) && !unsat) {
			unsat = unsat_controls[i].reason;
			unsat_arg = NULL;
		}
	}
	if (g->builtin & CA_CTL_PASSWORD_CHANGE) {
		if (ctx->password_changed)
			n_sat++;
		else {
			n_pending++;
			pw_pend = true;
		}
	}
	if (g->terms_of_use.n && !unsat) {
		unsat = "requires accepting terms of use: Tollgate has no terms of use";
		unsat_arg = g->terms_of_use.v[0];
	}
	if (g->custom_factors.n && !unsat) {
		unsat = "requires a custom control: Tollgate does not support custom controls";
		unsat_arg = g->custom_factors.v[0];
	}

	if (and_op ? unsat != NULL : (n_sat == 0 && n_pending == 0)) {
		out->grant = CA_GRANT_UNSATISFIABLE;
		out->reason = unsat;
		out->reason_arg = unsat_arg;
		out->mfa_pending = false;
		return;
	}
	if (and_op ? n_pending == 0 : n_sat > 0) {
		out->grant = CA_GRANT_SATISFIED;
		out->reason = "grant controls satisfied";
		return;
	}
	out->grant = CA_GRANT_PENDING;
	/* OR: ask for MFA first; password change only comes with AND */
	out->mfa_pending = mfa_pend;
	out->password_change_pending = and_op ? pw_pend : (pw_pend && !mfa_pend);
	if (mfa_pend) {
		out->reason = g->auth_strength[0] ? "requires an authentication strength"
		                                  : "requires multifactor authentication";
		out->reason_arg = g->auth_strength[0] ? g->auth_strength : NULL;
		if (out->mfa_detail && strcmp(out->mfa_detail, RD_EXPIRED) == 0)
			out->reason = "sign-in frequency: the session's MFA is older than the policy allows";
	} else {
		out->reason = "requires a password change";
	}
}

/* Sign-in frequency on the primary authentication: a non-interactive
 * sign-in (token refresh) older than the window must sign in again. */
static void eval_reauth(const struct ca_eval_ctx *ctx, const struct ca_cpol *cp,
                        struct ca_eval_result *out)
{
	const struct ca_sign_in_frequency *f = &cp->pol.session.sif;
	if (cp->sif < 0 || ctx->interactive || f->auth_type == CA_SIF_AUTH_SECONDARY)
		return;
	int64_t window = cp->sif == 0 ? EVERY_TIME_SKEW : cp->sif;
	if (ctx->now - ctx->auth_time <= window)
		return;
	out->reauth_pending = true;
	if (out->grant == CA_GRANT_SATISFIED) {
		out->grant = CA_GRANT_PENDING;
		out->reason = "sign-in frequency: the session is older than the policy allows";
		out->reason_arg = NULL;
	}
}

/* ---- the policy --------------------------------------------------------- */

int ca_eval_policy(struct ca_eval_ctx *ctx, size_t i, const struct ca_hint *hint,
                   struct ca_eval_result *out)
{
	struct ca_hint scanned;
	const struct ca_cpol *cp;
	bool ro;

	if (!ctx || !out || !ctx->compiled || !ctx->q || i >= ctx->compiled->n)
		return TG_ERR_INVALID;
	memset(out, 0, sizeof *out);
	cp = &ctx->compiled->pols[i];
	out->sif = cp->sif;
	ro = cp->pol.state == CA_STATE_REPORT_ONLY;
	if (cp->pol.state != CA_STATE_ENABLED && !ro) {
		out->result = CA_RESULT_NOT_ENABLED;
		out->reason = "policy is disabled";
		return TG_OK;
	}
	if (!hint) {
		scan_hint(&cp->pol, ctx->q, &scanned);
		hint = &scanned;
	}
	eval_conditions(ctx, cp, hint, out);
	if (out->not_satisfied) {
		out->result = ro ? CA_RESULT_REPORT_ONLY_NOT_APPLIED : CA_RESULT_NOT_APPLIED;
		return TG_OK;
	}
	out->applies = true;
	out->risk_based = cp->pol.cond.sign_in_risk || cp->pol.cond.user_risk;
	eval_grant(ctx, cp, out);
	eval_reauth(ctx, cp, out);
	switch (out->grant) {
	case CA_GRANT_SATISFIED:
		out->result = ro ? CA_RESULT_REPORT_ONLY_SUCCESS : CA_RESULT_SUCCESS;
		break;
	case CA_GRANT_PENDING:
		out->result = ro ? CA_RESULT_REPORT_ONLY_INTERRUPTED : CA_RESULT_FAILURE;
		break;
	case CA_GRANT_BLOCK:
	case CA_GRANT_UNSATISFIABLE:
	case CA_GRANT_NOT_EVALUATED:
		out->result = ro ? CA_RESULT_REPORT_ONLY_FAILURE : CA_RESULT_FAILURE;
		break;
	}
	return TG_OK;
}

/* ---- control names ------------------------------------------------------ */

static size_t put(const char **out, size_t max, size_t n, const char *s)
{
	if (n < max)
		out[n] = s;
	return n + 1;
}

size_t ca_eval_grant_controls(const struct ca_policy *p, const char **out, size_t max)
{
	static const struct {
		unsigned bit;
		const char *name;
	} names[] = {
		{CA_CTL_BLOCK, "Block"},
		{CA_CTL_MFA, "Mfa"},
		{CA_CTL_COMPLIANT_DEVICE, "RequireCompliantDevice"},
		{CA_CTL_DOMAIN_JOINED_DEVICE, "RequireDomainJoinedDevice"},
		{CA_CTL_APPROVED_APPLICATION, "RequireApprovedApp"},
		{CA_CTL_COMPLIANT_APPLICATION, "RequireCompliantApp"},
		{CA_CTL_PASSWORD_CHANGE, "RequirePasswordChange"},
	};
	const struct ca_grant *g = &p->grant;
	size_t n = 0;
	if (!g->present)
		return 0;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (g->builtin & names[i].bit)
			n = put(out, max, n, names[i].name);
	if (g->auth_strength[0])
		n = put(out, max, n, "RequireAuthenticationStrength");
	if (g->terms_of_use.n)
		n = put(out, max, n, "TermsOfUse");
	for (size_t i = 0; i < g->custom_factors.n; i++)
		n = put(out, max, n, g->custom_factors.v[i]);
	return n;
}

size_t ca_eval_session_controls(const struct ca_policy *p, const char **out, size_t max)
{
	const struct ca_session *s = &p->session;
	size_t n = 0;
	if (!s->present)
		return 0;
	if (s->sif.present && s->sif.is_enabled)
		n = put(out, max, n, "SignInFrequency");
	if (s->persistent_browser.present && s->persistent_browser.is_enabled)
		n = put(out, max, n, "PersistentBrowserSessionMode");
	if (s->cloud_app_security_present && s->cloud_app_security_enabled)
		n = put(out, max, n, "CloudAppSecurity");
	if (s->app_enforced_present && s->app_enforced_enabled)
		n = put(out, max, n, "AppEnforcedRestrictions");
	if (s->disable_resilience_present && s->disable_resilience)
		n = put(out, max, n, "DisableResilienceDefaults");
	return n;
}
