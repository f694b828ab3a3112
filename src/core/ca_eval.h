/* SPDX-License-Identifier: MIT
 * Evaluation of ONE compiled Conditional Access policy against one sign-in
 * (SPEC §4, reference/entra.md §3.2–§3.3): does it apply (and which
 * conditions were or were not satisfied), and if so are its grant and
 * session controls met, pending a user action, or impossible. The
 * decision (core/decision.h) combines the policies; this file knows
 * nothing about per-user MFA or security defaults. Pure; thread-safe for
 * distinct contexts.
 *
 * Rules implemented here:
 *  - every configured condition must match; exclusions beat inclusions;
 *  - block -> failure; controls Tollgate cannot satisfy (compliant or
 *    domain-joined device, approved or compliant app, terms of use, custom
 *    factors) evaluate as not satisfied, with that reason;
 *  - a legacy client (exchangeActiveSync, other) fails any policy whose
 *    grant requires anything: it cannot do MFA or send device state;
 *  - OR: one satisfied control suffices; otherwise the user is asked for
 *    the first control they can satisfy (MFA before password change);
 *    AND: every control, any impossible one fails the policy;
 *  - MFA is satisfied by the session's MFA claim unless a sign-in
 *    frequency control makes it too old (everyTime allows Entra's 5 min
 *    skew), or by a remembered device unless the policy has any sign-in
 *    frequency control; an authentication strength also needs one of its
 *    methods (a remembered device counts only for the built-in "MFA"
 *    strength);
 *  - sign-in frequency on primary authentication (primaryAndSecondary or
 *    unset type) makes a non-interactive sign-in whose primary
 *    authentication is older than the window need re-authentication. */
#ifndef TG_CORE_CA_EVAL_H
#define TG_CORE_CA_EVAL_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/ca_compile.h"
#include "core/cidr.h"

/* Second-factor methods as bits: the unit of registered methods, the
 * tenant's verification options, authentication strengths and the
 * methods offered in an MFA prompt. */
enum {
	CA_METHOD_SOFTWARE_OATH = 1u << 0,  /* authenticator app code (TOTP) */
	CA_METHOD_HARDWARE_OATH = 1u << 1,  /* hardware OATH token code */
	CA_METHOD_SMS = 1u << 2,
	CA_METHOD_VOICE = 1u << 3,
	CA_METHOD_EMAIL = 1u << 4,          /* email code */
	CA_METHOD_RECOVERY_CODE = 1u << 5,
	CA_METHOD_FIDO2 = 1u << 6,          /* FIDO2 / passkey (later) */
	CA_METHOD_TAP = 1u << 7,            /* temporary access pass (later) */
};
#define CA_METHOD_ALL 0xffu

/* Methods allowed by an authentication strength id (CA_STRENGTH_*); an
 * unknown id allows none. Built-in "MFA": app and hardware codes, SMS,
 * voice, FIDO2, TAP (not email: Entra's strengths exclude email OTP; not
 * recovery codes: Entra has none). Passwordless and phishing-resistant:
 * FIDO2 only (Tollgate has no Windows Hello or device-bound push). */
unsigned ca_eval_strength_methods(const char *strength_id);

/* Graph conditionalAccessConditions flags (appliedConditionalAccessPolicy
 * conditionsSatisfied / conditionsNotSatisfied), Graph's values. */
enum {
	CA_COND_APPLICATION = 1u << 0,
	CA_COND_USERS = 1u << 1,
	CA_COND_DEVICE_PLATFORM = 1u << 2,
	CA_COND_LOCATION = 1u << 3,
	CA_COND_CLIENT_TYPE = 1u << 4,
	CA_COND_SIGN_IN_RISK = 1u << 5,
	CA_COND_USER_RISK = 1u << 6,
	CA_COND_DEVICE_STATE = 1u << 8,
};
/* Names of the set bits, comma-separated in Graph's order ("none" for 0),
 * into buf; returns buf. */
const char *ca_eval_conditions_format(unsigned flags, char *buf, size_t size);

/* appliedConditionalAccessPolicy.result */
enum ca_result {
	CA_RESULT_NOT_APPLIED = 0,
	CA_RESULT_SUCCESS,
	CA_RESULT_FAILURE,
	CA_RESULT_NOT_ENABLED,
	CA_RESULT_REPORT_ONLY_SUCCESS,
	CA_RESULT_REPORT_ONLY_FAILURE,
	CA_RESULT_REPORT_ONLY_NOT_APPLIED,
	CA_RESULT_REPORT_ONLY_INTERRUPTED,
	CA_RESULT_COUNT_
};
/* Graph's spelling ("reportOnlyInterrupted"); "unknown" out of range. */
const char *ca_result_name(enum ca_result r);

/* State of an applicable policy's controls. */
enum ca_grant_status {
	CA_GRANT_NOT_EVALUATED = 0,   /* the policy does not apply (or is disabled) */
	CA_GRANT_SATISFIED,           /* nothing more needed (also: no grant controls) */
	CA_GRANT_PENDING,             /* the user can act: MFA, password change, re-auth */
	CA_GRANT_UNSATISFIABLE,       /* impossible here: unsatisfiable control, legacy client */
	CA_GRANT_BLOCK,               /* the policy blocks */
};

/* The sign-in as the evaluator sees it; filled by the decision. Pointers
 * are borrowed. trusted_cache_ is private (start at 0). */
struct ca_eval_ctx {
	const struct ca_compiled *compiled;
	const struct ca_query *q;           /* user, groups, roles, app, client bits */
	bool legacy;                        /* exchangeActiveSync or other */
	struct cidr_ip ip;
	const struct cidr_set *trusted_ips; /* MFA service settings (may be NULL) */
	unsigned platform;                  /* one CA_PLAT_* bit, 0 = unknown */
	unsigned sign_in_risk;              /* one CA_RISK_* bit */
	unsigned user_risk;                 /* one CA_RISK_* bit */
	/* authentication so far */
	int64_t now;
	bool interactive;                   /* primary authentication happened now */
	int64_t auth_time;                  /* earlier primary authentication (non-interactive) */
	int64_t mfa_time;                   /* last MFA in the session, 0 = none */
	unsigned mfa_methods;               /* CA_METHOD_* used for it */
	bool mfa_this_signin;               /* that MFA was done during this sign-in */
	bool password_changed;              /* password changed during this sign-in */
	bool remembered_device;             /* valid token and the feature is on */
	int trusted_cache_;
};

/* Result of one policy. Strings are static or borrowed from the compiled
 * set / query. */
struct ca_eval_result {
	enum ca_result result;
	bool applies;
	unsigned satisfied;                 /* CA_COND_* */
	unsigned not_satisfied;             /* CA_COND_* */
	enum ca_grant_status grant;
	bool wants_mfa;                     /* grant has mfa or an authentication strength */
	bool mfa_pending;                   /* ... and it is not yet met */
	unsigned mfa_methods;               /* methods that would meet it (CA_METHOD_*) */
	const char *mfa_detail;             /* Entra result detail: how met, or why pending */
	bool password_change_pending;
	bool reauth_pending;                /* sign-in frequency on primary auth */
	bool risk_based;                    /* applies through signInRisk/userRisk levels */
	int64_t sif;                        /* -1 none, 0 everyTime, else seconds */
	const char *reason;                 /* human explanation, static */
	const char *reason_arg;             /* id or name completing it, or NULL */
};

/* Evaluate policy i of ctx->compiled. hint is the policy's entry from
 * ca_compiled_candidates() when that lookup ran with this query and
 * cand->indexed, else NULL (id lists are scanned). Never fails for i <
 * count; TG_ERR_INVALID otherwise. */
int ca_eval_policy(struct ca_eval_ctx *ctx, size_t i, const struct ca_hint *hint,
                   struct ca_eval_result *out);

/* enforcedGrantControls / enforcedSessionControls of a policy as the
 * sign-in log spells them ("Mfa", "Block", "RequireCompliantDevice", ...,
 * "SignInFrequency", "PersistentBrowserSessionMode"). Up to max strings go
 * to out (static, or the policy's custom factor ids); returns how many
 * there are in all. */
size_t ca_eval_grant_controls(const struct ca_policy *p, const char **out, size_t max);
size_t ca_eval_session_controls(const struct ca_policy *p, const char **out, size_t max);

#endif
