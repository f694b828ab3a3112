/* SPDX-License-Identifier: MIT
 * Building the Graph-shaped sign-in log record from a decision (see
 * signin.h). Sections: names, life cycle, authentication details, the
 * applied policies, the builder. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/err.h"
#include "base/mem.h"
#include "base/str.h"
#include "core/signin.h"
#include "core/uuid.h"

/* ---- names -------------------------------------------------------------- */

const char *signin_requirement_name(bool multi_factor)
{
	return multi_factor ? "multiFactorAuthentication" : "singleFactorAuthentication";
}

const char *signin_method_name(unsigned bit)
{
	switch (bit) {
	case CA_METHOD_SOFTWARE_OATH:
	case CA_METHOD_HARDWARE_OATH: return "OATH verification code";   /* entra.md §4.2 */
	case CA_METHOD_SMS: return "Text message";
	case CA_METHOD_VOICE: return "Voice call";
	case CA_METHOD_EMAIL: return "Email verification code";
	case CA_METHOD_RECOVERY_CODE: return "Recovery code";
	case CA_METHOD_FIDO2: return "FIDO2 security key";
	case CA_METHOD_TAP: return "Temporary Access Pass";
	default: return "";
	}
}

/* ---- life cycle --------------------------------------------------------- */

void signin_record_init(struct signin_record *r)
{
	memset(r, 0, sizeof *r);
}

static void free_strv(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void signin_record_cleanup(struct signin_record *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n_applied_policies; i++) {
		struct signin_ca_policy *p = &r->applied_conditional_access_policies[i];
		free(p->display_name);
		free(p->reason);
		free_strv(p->enforced_grant_controls, p->n_enforced_grant_controls);
		free_strv(p->enforced_session_controls, p->n_enforced_session_controls);
	}
	free(r->applied_conditional_access_policies);
	signin_record_init(r);
}

/* ---- authentication details --------------------------------------------- */

static struct signin_auth_detail *add_detail(struct signin_record *r, const char *method,
                                             const char *method_detail, int64_t when,
                                             const char *step, const char *result, bool ok)
{
	if (r->n_authentication_details >= TG_MAX_SIGNIN_DETAILS)
		return NULL;
	struct signin_auth_detail *a = &r->authentication_details[r->n_authentication_details++];
	tg_strlcpy(a->authentication_method, method, sizeof a->authentication_method);
	tg_strlcpy(a->authentication_method_detail, method_detail, sizeof a->authentication_method_detail);
	a->authentication_step_date_time = when;
	tg_strlcpy(a->authentication_step_requirement, step, sizeof a->authentication_step_requirement);
	tg_strlcpy(a->authentication_step_result_detail, result ? result : "",
	           sizeof a->authentication_step_result_detail);
	a->succeeded = ok;
	return a;
}

static unsigned lowest_bit(unsigned v)
{
	return v & (~v + 1u);
}

/* The source whose result detail is the MFA step's (see decision.c). */
static const struct decision_source *mfa_source(const struct decision *d)
{
	for (size_t i = 0; i < d->n_sources; i++)
		if (d->sources[i].result_detail && d->mfa_detail &&
		    strcmp(d->sources[i].result_detail, d->mfa_detail) == 0)
			return &d->sources[i];
	return NULL;
}

static void build_details(const struct decision_input *in, const struct decision *d,
                          struct signin_record *r)
{
	bool bad_cred = d->error_code == DECISION_CODE_BAD_CREDENTIALS;

	switch (in->credential) {
	case DECISION_CRED_PASSWORD:
		add_detail(r, "Password", "Cloud password", in->now, "Primary authentication",
		           bad_cred ? "invalid authentication" : "methodSucceeded", !bad_cred);
		break;
	case DECISION_CRED_APP_PASSWORD:
		add_detail(r, "App password", "", in->now, "Primary authentication",
		           bad_cred ? "invalid authentication" : "methodSucceeded", !bad_cred);
		break;
	case DECISION_CRED_SESSION:
		add_detail(r, "Previously satisfied", "", in->session.auth_time, "Primary authentication",
		           "satisfied by claim in the token", true);
		break;
	}
	if (!d->mfa_detail)
		return;

	const struct decision_source *s = mfa_source(d);
	enum decision_status st = s ? s->status : DECISION_SRC_PENDING;
	bool ok = st == DECISION_SRC_SATISFIED || st == DECISION_SRC_SKIPPED;
	const char *method = "";
	int64_t when = in->now;
	if (strcmp(d->mfa_detail, "successfully completed") == 0) {
		method = signin_method_name(lowest_bit(in->session.mfa_methods));
		when = in->session.mfa_time;
	} else if (strcmp(d->mfa_detail, "satisfied by claim in the token") == 0) {
		method = "Previously satisfied";
		when = in->session.mfa_time;
	} else if (strcmp(d->mfa_detail, "skipped due to remembered device") == 0) {
		method = "Previously satisfied";
	} else if (strcmp(d->mfa_detail, "skipped due to app password") == 0) {
		method = "App password";
	}
	add_detail(r, method, "", when, "MFA", d->mfa_detail, ok);
}

/* ---- applied policies --------------------------------------------------- */

static char **names_dup(const char **names, size_t n)
{
	if (n == 0)
		return NULL;
	char **v = xcalloc(n, sizeof *v);
	for (size_t i = 0; i < n; i++)
		v[i] = xstrdup(names[i]);
	return v;
}

static void copy_policy(const struct decision_policy *dp, struct signin_ca_policy *out)
{
	const struct ca_policy *p = dp->policy;
	const char *names[64];
	size_t n;

	tg_strlcpy(out->id, p->id, sizeof out->id);
	out->display_name = xstrdup(p->display_name ? p->display_name : "");
	n = ca_eval_grant_controls(p, names, TG_ARRAY_LEN(names));
	if (n > TG_ARRAY_LEN(names))
		n = TG_ARRAY_LEN(names);
	out->enforced_grant_controls = names_dup(names, n);
	out->n_enforced_grant_controls = n;
	n = ca_eval_session_controls(p, names, TG_ARRAY_LEN(names));
	if (n > TG_ARRAY_LEN(names))
		n = TG_ARRAY_LEN(names);
	out->enforced_session_controls = names_dup(names, n);
	out->n_enforced_session_controls = n;
	out->conditions_satisfied = dp->r.satisfied;
	out->conditions_not_satisfied = dp->r.not_satisfied;
	tg_strlcpy(out->authentication_strength, p->grant.auth_strength, sizeof out->authentication_strength);
	out->result = dp->r.result;
	if (dp->r.reason && dp->r.reason_arg)
		out->reason = xasprintf("%s: %s", dp->r.reason, dp->r.reason_arg);
	else
		out->reason = xstrdup(dp->r.reason ? dp->r.reason : "");
}

/* ---- the builder -------------------------------------------------------- */

static void build_additional(const struct decision *d, struct signin_record *r)
{
	char *s = r->additional_details;
	size_t size = sizeof r->additional_details;

	if (d->outcome == DECISION_ALLOW) {
		if (d->mfa_detail)
			snprintf(s, size, "MFA requirement %s", d->mfa_detail);
		return;
	}
	if (d->error_code == DECISION_CODE_BLOCKED_BY_CA) {
		for (size_t i = 0; i < d->n_policies; i++) {
			const struct decision_policy *dp = &d->policies[i];
			if (dp->policy->state != CA_STATE_ENABLED || !dp->r.applies ||
			    (dp->r.grant != CA_GRANT_BLOCK && dp->r.grant != CA_GRANT_UNSATISFIABLE))
				continue;
			snprintf(s, size, "Policy '%s': %s%s%s", dp->policy->display_name ? dp->policy->display_name : "",
			         dp->r.reason ? dp->r.reason : "", dp->r.reason_arg ? ": " : "",
			         dp->r.reason_arg ? dp->r.reason_arg : "");
			return;
		}
	}
	/* otherwise: the providers that still ask for something */
	size_t len = 0;
	for (size_t i = 0; i < d->n_sources && len < size; i++) {
		const struct decision_source *src = &d->sources[i];
		if (src->status != DECISION_SRC_PENDING && src->status != DECISION_SRC_FAILED)
			continue;
		int w = snprintf(s + len, size - len, "%s%s", len ? "; " : "Required by: ", src->detail);
		if (w < 0)
			break;
		len += (size_t)w;
	}
}

int signin_build(const struct decision_input *in, const struct decision *d, const char *id,
                 const char *user_agent, struct signin_record *r)
{
	if (!in || !d || !r || !in->user || !in->app || !id || !uuid_is_valid(id))
		return TG_ERR_INVALID;
	signin_record_cleanup(r);

	tg_strlcpy(r->id, id, sizeof r->id);
	tg_ascii_lower(r->id);
	r->created_date_time = in->now;
	tg_strlcpy(r->user_id, in->user->id ? in->user->id : "", sizeof r->user_id);
	tg_strlcpy(r->user_principal_name, in->user->upn ? in->user->upn : "", sizeof r->user_principal_name);
	tg_ascii_lower(r->user_principal_name);
	tg_strlcpy(r->app_id, in->app->id ? in->app->id : "", sizeof r->app_id);
	tg_strlcpy(r->app_display_name, in->app->display_name ? in->app->display_name : "",
	           sizeof r->app_display_name);
	cidr_ip_format(&in->ip, r->ip_address);
	tg_strlcpy(r->client_app_used, in->protocol ? in->protocol : decision_client_name(in->client),
	           sizeof r->client_app_used);
	tg_strlcpy(r->user_agent, user_agent ? user_agent : "", sizeof r->user_agent);
	r->is_interactive = in->interactive;
	r->operating_system = in->platform;
	r->multi_factor = d->multi_factor;

	for (size_t i = 0; i < d->n_sources && i < TG_MAX_DECISION_SOURCES; i++) {
		struct signin_requirement *q = &r->authentication_requirement_policies[r->n_requirement_policies++];
		tg_strlcpy(q->requirement_provider, decision_provider_name(d->sources[i].provider),
		           sizeof q->requirement_provider);
		tg_strlcpy(q->detail, d->sources[i].detail ? d->sources[i].detail : "", sizeof q->detail);
		tg_strlcpy(q->status, decision_status_name(d->sources[i].status), sizeof q->status);
	}
	build_details(in, d, r);

	if (d->n_policies) {
		r->applied_conditional_access_policies = xcalloc(d->n_policies, sizeof *r->applied_conditional_access_policies);
		for (size_t i = 0; i < d->n_policies; i++)
			copy_policy(&d->policies[i], &r->applied_conditional_access_policies[r->n_applied_policies++]);
	}
	r->conditional_access_status = d->ca_status;

	r->error_code = d->error_code;
	tg_strlcpy(r->failure_reason, d->failure_reason ? d->failure_reason : "", sizeof r->failure_reason);
	build_additional(d, r);

	r->risk_level_during_sign_in = in->sign_in_risk;
	r->user_risk_level = in->user_risk;
	r->risk_level_aggregated = in->sign_in_risk > in->user_risk ? in->sign_in_risk : in->user_risk;
	tg_strlcpy(r->risk_reason, in->sign_in_risk_reason ? in->sign_in_risk_reason : "", sizeof r->risk_reason);
	tg_strlcpy(r->user_risk_reason, in->user_risk_reason ? in->user_risk_reason : "",
	           sizeof r->user_risk_reason);
	r->outcome = d->outcome;
	r->mfa_methods_offered = d->methods;
	return TG_OK;
}
