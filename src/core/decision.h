/* SPDX-License-Identifier: MIT
 * The sign-in decision (SPEC §2–§5): one pure function that combines every
 * source of an MFA requirement — per-user MFA with its exceptions (trusted
 * IPs, remembered devices, app passwords), security defaults, Conditional
 * Access, a step-up request, risk — for one sign-in after its first factor,
 * and explains itself in Entra's words (requirement providers, MFA result
 * detail strings, per-policy results, AADSTS error codes).
 * docs/internals/decision.md has the order of checks and every choice made
 * where Entra is silent.
 *
 * Pure: no I/O, no clock (in->now), no allocation once the caller's struct
 * decision has grown to the tenant's policy count.
 * Thread-safety: the inputs are only read (a compiled policy set can be
 * shared); each thread uses its own struct decision.
 *
 *   struct decision d;
 *   decision_init(&d);
 *   for (each sign-in) { fill in; decision_evaluate(&in, &d); act on d.outcome; }
 *   decision_cleanup(&d);
 */
#ifndef TG_CORE_DECISION_H
#define TG_CORE_DECISION_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/limits.h"
#include "core/ca_compile.h"
#include "core/ca_eval.h"
#include "core/cidr.h"
#include "core/mfa_state.h"
#include "core/platform.h"
#include "core/risk.h"

/* ---- error codes ------------------------------------------------------ */

/* Entra's AADSTS numbers (reference/entra.md §5.2), for status.errorCode. */
enum decision_code {
	DECISION_CODE_OK = 0,
	DECISION_CODE_PASSWORD_EXPIRED = 50055,           /* password change required (our use) */
	DECISION_CODE_REGISTRATION_INTERRUPT = 50072,     /* UserStrongAuthEnrollmentRequiredInterrupt */
	DECISION_CODE_MFA_FAILED = 50074,                 /* MFA challenge not passed (decided by the flow) */
	DECISION_CODE_MFA_REQUIRED = 50076,               /* UserStrongAuthClientAuthNRequired */
	DECISION_CODE_REGISTRATION_REQUIRED = 50079,      /* UserStrongAuthEnrollmentRequired */
	DECISION_CODE_BAD_CREDENTIALS = 50126,            /* InvalidUserNameOrPassword */
	DECISION_CODE_BLOCKED_BY_CA = 53003,              /* BlockedByConditionalAccess */
	DECISION_CODE_REGISTRATION_BLOCKED_RISK = 53004,  /* ProofUpBlockedDueToRisk */
	DECISION_CODE_BLOCKED_BY_SECURITY_DEFAULTS = 530035,
	DECISION_CODE_SIGN_IN_FREQUENCY = 70043,          /* BadTokenDueToSignInFrequency */
};

/* ---- input ------------------------------------------------------------ */

/* MFA service settings "verification options" (SPEC §2). FIDO2, TAP and
 * recovery codes are not governed by them (the legacy page never had them). */
enum {
	DECISION_VERIFY_APP_CODE = 1u << 0,   /* authenticator app or hardware token code */
	DECISION_VERIFY_SMS = 1u << 1,
	DECISION_VERIFY_VOICE = 1u << 2,
	DECISION_VERIFY_EMAIL = 1u << 3,
};
#define DECISION_VERIFY_ALL 0xfu

#define DECISION_SD_GRACE_DAYS 14

/* The tenant, as of the sign-in. Pointers are borrowed. */
struct decision_tenant {
	/* MFA service settings */
	bool allow_app_passwords;          /* creation only: existing app passwords keep working */
	const struct cidr_set *trusted_ips;/* may be NULL */
	unsigned verification_options;     /* DECISION_VERIFY_* */
	unsigned remember_mfa_days;        /* 0 = off (remembered-device tokens are ignored) */
	/* security defaults */
	bool security_defaults;
	int64_t security_defaults_since;   /* when they were (last) enabled */
	/* Conditional Access; NULL = no policies */
	const struct ca_compiled *ca;
};

struct decision_user {
	const char *id;
	const char *upn;
	enum mfa_state state;              /* per-user MFA */
	const char *const *roles;          /* role template ids */
	size_t n_roles;
	const char *const *groups;         /* transitive group ids */
	size_t n_groups;
	unsigned methods;                  /* registered, active CA_METHOD_* */
	bool has_app_passwords;            /* at least one app password exists */
	bool is_guest;
	/* First successful interactive sign-in at or after
	 * tenant.security_defaults_since (starts the 14-day registration
	 * grace); 0, or a time before that, means none yet. */
	int64_t sd_first_interactive;
};

struct decision_app {
	const char *id;                    /* client id */
	const char *display_name;
	bool privileged;                   /* admin portal or admin API (MicrosoftAdminPortals) */
};

enum decision_client {
	DECISION_CLIENT_BROWSER = 0,
	DECISION_CLIENT_MOBILE_DESKTOP,    /* modern native clients (OAuth/OIDC) */
	DECISION_CLIENT_EXCHANGE_ACTIVESYNC,
	DECISION_CLIENT_OTHER,             /* HTTP Basic, RADIUS, IMAP, ... (legacy) */
	DECISION_CLIENT_COUNT_
};

enum decision_credential {
	DECISION_CRED_PASSWORD = 0,        /* the account password, just verified */
	DECISION_CRED_APP_PASSWORD,        /* an app password, just verified */
	DECISION_CRED_SESSION,             /* a refresh token or session: primary auth earlier */
};

/* The session's earlier authentication. */
struct decision_session {
	int64_t auth_time;                 /* primary authentication (for CRED_SESSION) */
	int64_t mfa_time;                  /* last MFA, 0 = none */
	unsigned mfa_methods;              /* CA_METHOD_* used for it */
	bool mfa_this_signin;              /* that MFA happened during this sign-in */
	bool password_changed;             /* the password was changed during this sign-in */
};

struct decision_input {
	const struct decision_tenant *tenant;
	const struct decision_user *user;
	const struct decision_app *app;
	enum decision_client client;
	const char *protocol;              /* clientAppUsed for the log ("IMAP", "RADIUS", ...),
	                                      NULL = derived from client */
	struct cidr_ip ip;
	enum platform platform;
	enum risk_level sign_in_risk;
	const char *sign_in_risk_reason;   /* may be NULL */
	enum risk_level user_risk;
	const char *user_risk_reason;      /* may be NULL */
	struct decision_session session;
	bool remembered_device;            /* a valid "don't ask again" token came with it */
	enum decision_credential credential;
	bool interactive;
	int64_t now;
	bool step_up_mfa;                  /* the request's acr asks for MFA */
	unsigned user_action;              /* CA_UA_* when registering security info, etc. */
	bool explain_all;                  /* list every policy, not only those that could apply */
};

/* ---- output ----------------------------------------------------------- */

enum decision_outcome {
	DECISION_ALLOW = 0,
	DECISION_MFA_REQUIRED,             /* prompt with one of out->methods, then decide again */
	DECISION_REGISTRATION_REQUIRED,    /* register a method (skippable when out->can_skip) */
	DECISION_APP_PASSWORD_REQUIRED,    /* legacy client of an enforced user sent the password */
	DECISION_BLOCKED,
	DECISION_PASSWORD_CHANGE_REQUIRED,
	DECISION_REAUTH_REQUIRED,          /* sign-in frequency: the token/session is too old (70043) */
	DECISION_OUTCOME_COUNT_
};

/* authenticationRequirementPolicies.requirementProvider values we produce */
enum decision_provider {
	DECISION_PROVIDER_USER = 0,                    /* "user": per-user MFA */
	DECISION_PROVIDER_REQUEST,                     /* "request": acr step-up */
	DECISION_PROVIDER_SECURITY_DEFAULTS,           /* "securityDefaults" */
	DECISION_PROVIDER_SD_REGISTRATION,             /* "mfaRegistrationRequiredBySecurityDefaults" */
	DECISION_PROVIDER_MULTI_CA,                    /* "multiConditionalAccess" */
	DECISION_PROVIDER_CA_REGISTRATION,             /* "mfaRegistrationRequiredByMultiConditionalAccess" */
	DECISION_PROVIDER_RISK,                        /* "riskBasedPolicy": security defaults' risk rule */
	DECISION_PROVIDER_V1_CA,                       /* "v1ConditionalAccess": never produced, parsed from imports */
	DECISION_PROVIDER_COUNT_
};

enum decision_status {
	DECISION_SRC_SATISFIED = 0,        /* met: fresh MFA or a claim in the token */
	DECISION_SRC_SKIPPED,              /* lifted: trusted IP, remembered device, app password */
	DECISION_SRC_PENDING,              /* the user must act (MFA, registration, ...) */
	DECISION_SRC_FAILED,               /* cannot be met: the sign-in is refused */
	DECISION_SRC_NOT_REQUIRED,         /* the source applies but asks nothing here */
};

/* One source of a requirement. Strings are static. */
struct decision_source {
	enum decision_provider provider;
	enum decision_status status;
	const char *detail;                /* why it asks ("per-user MFA enforced", ...) */
	const char *result_detail;         /* Entra's MFA result detail (§5.1), or NULL */
	bool risk_based;
};

/* One Conditional Access policy's result. policy points into the compiled
 * set (valid while it lives); the rest as in struct ca_eval_result. */
struct decision_policy {
	const struct ca_policy *policy;
	size_t index;                      /* in the compiled set */
	struct ca_eval_result r;
};

enum decision_ca_status {
	DECISION_CA_NOT_APPLIED = 0,       /* "notApplied": no enabled policy applied */
	DECISION_CA_SUCCESS,               /* "success" */
	DECISION_CA_FAILURE,               /* "failure" */
};

struct decision {
	enum decision_outcome outcome;
	int error_code;                    /* enum decision_code */
	const char *failure_reason;        /* status.failureReason, static; "" when allowed */
	bool multi_factor;                 /* authenticationRequirement */
	unsigned methods;                  /* MFA_REQUIRED: methods to offer (CA_METHOD_*) */
	bool can_skip;                     /* REGISTRATION_REQUIRED under the security defaults grace */
	int days_left;                     /* ... days the user may still skip (1..14) */
	const char *mfa_detail;            /* the MFA step's result detail (§5.1), NULL = no step */
	bool remember_device_allowed;      /* may offer "don't ask again for N days" */
	int64_t session_max_age;           /* smallest sign-in frequency window, -1 none, 0 every time */
	enum ca_browser_mode persistent_browser; /* from applicable enabled policies */
	enum decision_ca_status ca_status;
	size_t n_sources;
	struct decision_source sources[TG_MAX_DECISION_SOURCES];
	/* Conditional Access results, in compiled order: the candidate policies
	 * (every policy that could apply), or all of them with explain_all. */
	size_t n_policies;
	struct decision_policy *policies;
	/* private */
	size_t cap_policies_;
	struct ca_candidates cand_;
};

/* Prepare d for use; decision_cleanup() frees what it grew (accepts NULL). */
void decision_init(struct decision *d);
void decision_cleanup(struct decision *d);

/* Decide one sign-in. out must have been decision_init'ed; it is
 * overwritten (its buffers reused). Returns TG_OK with out complete, or
 * TG_ERR_INVALID for missing tenant/user/app, an out-of-range enum, or a
 * session/credential mismatch — then out->outcome is DECISION_BLOCKED so a
 * caller that ignores the code still denies. */
int decision_evaluate(const struct decision_input *in, struct decision *out);

/* ---- names ------------------------------------------------------------ */

const char *decision_outcome_name(enum decision_outcome o);   /* "allow", "mfaRequired", ... */
const char *decision_provider_name(enum decision_provider p); /* Graph requirementProvider */
const char *decision_status_name(enum decision_status s);     /* "satisfied", "skipped", ... */
const char *decision_ca_status_name(enum decision_ca_status s);
/* Graph clientAppUsed for a client type: "Browser", "Mobile Apps and
 * Desktop clients", "Exchange ActiveSync", "Other clients". */
const char *decision_client_name(enum decision_client c);
/* CA_CLIENT_* bits a client type matches in clientAppTypes. */
unsigned decision_client_ca_bits(enum decision_client c);
/* Usable methods: registered & allowed by the verification options. */
unsigned decision_usable_methods(unsigned registered, unsigned verification_options);

#endif
