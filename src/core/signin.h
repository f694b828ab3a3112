/* SPDX-License-Identifier: MIT
 * The sign-in log record (SPEC §7) in the shape of Microsoft Graph's
 * `signIn` resource (reference/entra.md §5), built from a decision. Field
 * names follow Graph's property names in snake case so src/json maps them
 * 1:1; fields marked "Tollgate" have no Graph counterpart. Pure: the record
 * id and the User-Agent come from the caller.
 *
 * Ownership: a record owns everything it points to; signin_record_cleanup
 * frees it. Records are plain data: no locking, copy with care (pointers). */
#ifndef TG_CORE_SIGNIN_H
#define TG_CORE_SIGNIN_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/limits.h"
#include "core/ca_eval.h"
#include "core/cidr.h"
#include "core/decision.h"
#include "core/platform.h"
#include "core/risk.h"

/* authenticationRequirementPolicies[] */
struct signin_requirement {
	char requirement_provider[TG_MAX_SIGNIN_TEXT + 1];   /* "user", "securityDefaults", ... */
	char detail[TG_MAX_SIGNIN_TEXT + 1];
	/* Tollgate: how the requirement ended (decision_status_name) */
	char status[TG_MAX_SIGNIN_TEXT + 1];
};

/* authenticationDetails[] */
struct signin_auth_detail {
	char authentication_method[TG_MAX_SIGNIN_TEXT + 1];          /* "Password", "OATH verification code", "Previously satisfied", "" */
	char authentication_method_detail[TG_MAX_SIGNIN_TEXT + 1];   /* "Cloud password", ... */
	int64_t authentication_step_date_time;
	char authentication_step_requirement[TG_MAX_SIGNIN_TEXT + 1];/* "Primary authentication", "MFA" */
	char authentication_step_result_detail[TG_MAX_SIGNIN_TEXT + 1];
	bool succeeded;
};

/* appliedConditionalAccessPolicies[] */
struct signin_ca_policy {
	char id[TG_MAX_ID + 1];
	char *display_name;                  /* owned */
	size_t n_enforced_grant_controls;
	char **enforced_grant_controls;      /* owned: "Mfa", "Block", ... */
	size_t n_enforced_session_controls;
	char **enforced_session_controls;    /* owned: "SignInFrequency", ... */
	unsigned conditions_satisfied;       /* CA_COND_* (Graph flags) */
	unsigned conditions_not_satisfied;
	char authentication_strength[TG_MAX_ID + 1];  /* authenticationStrength id, "" none */
	enum ca_result result;
	char *reason;                        /* Tollgate: human explanation, owned */
};

struct signin_record {
	char id[TG_MAX_ID + 1];
	int64_t created_date_time;
	char user_id[TG_MAX_ID + 1];
	char user_principal_name[TG_MAX_UPN + 1];   /* lowercase */
	char app_id[TG_MAX_ID + 1];
	char app_display_name[TG_MAX_DISPLAY_NAME + 1];
	char ip_address[CIDR_STRLEN];
	char client_app_used[TG_MAX_SIGNIN_TEXT + 1];
	char user_agent[TG_MAX_SIGNIN_USER_AGENT + 1];   /* truncated */
	bool is_interactive;                 /* signInEventTypes: interactiveUser / nonInteractiveUser */
	enum platform operating_system;      /* deviceDetail.operatingSystem */
	bool multi_factor;                   /* authenticationRequirement */
	size_t n_requirement_policies;
	struct signin_requirement authentication_requirement_policies[TG_MAX_DECISION_SOURCES];
	size_t n_authentication_details;
	struct signin_auth_detail authentication_details[TG_MAX_SIGNIN_DETAILS];
	size_t n_applied_policies;
	struct signin_ca_policy *applied_conditional_access_policies;   /* owned array */
	enum decision_ca_status conditional_access_status;
	/* status */
	int error_code;                      /* status.errorCode, 0 = success */
	char failure_reason[TG_MAX_FAILURE_REASON + 1];
	char additional_details[TG_MAX_FAILURE_REASON + 1];
	/* risk */
	enum risk_level risk_level_during_sign_in;
	enum risk_level risk_level_aggregated;       /* max of sign-in and user risk */
	char risk_reason[TG_MAX_RISK_REASON + 1];    /* Tollgate: why the sign-in risk */
	enum risk_level user_risk_level;             /* Tollgate */
	char user_risk_reason[TG_MAX_RISK_REASON + 1];/* Tollgate */
	/* Tollgate: the decision itself */
	enum decision_outcome outcome;
	unsigned mfa_methods_offered;        /* CA_METHOD_*, for mfaRequired */
};

void signin_record_init(struct signin_record *r);
/* Free what r owns and re-init it. Accepts NULL. */
void signin_record_cleanup(struct signin_record *r);

/* Build the record of the sign-in `in` decided as `d`. id is the new
 * record's UUID (from the caller's RNG), user_agent may be NULL. r must be
 * init'ed or cleaned up; it is filled completely (strings truncated to
 * their fields). The applied policies are those d lists: decide with
 * in->explain_all to log every policy of the tenant, as Entra does.
 * Returns TG_OK or TG_ERR_INVALID for NULL arguments or an invalid id. */
int signin_build(const struct decision_input *in, const struct decision *d, const char *id,
                 const char *user_agent, struct signin_record *r);

/* "singleFactorAuthentication" / "multiFactorAuthentication" */
const char *signin_requirement_name(bool multi_factor);
/* authenticationMethod text for one CA_METHOD_* bit ("OATH verification
 * code", "Text message", ...); "" for 0 or an unknown bit. */
const char *signin_method_name(unsigned method_bit);

#endif
