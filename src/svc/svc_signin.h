/* SPDX-License-Identifier: MIT
 * Service layer, sign-ins: the inputs of a decision loaded from the store
 * (the app, the user with roles, transitive groups, methods and risk, the
 * sign-in risk from the bad-IP list and the user's history), "what if"
 * (decide a hypothetical sign-in and explain every source and policy), the
 * sign-in log (record from a decision -> Graph JSON -> store; read back),
 * and the impact replay of a draft policy over the logged sign-ins.
 * docs/internals/policy-store.md has the design. Conventions as svc.h.
 * Thread-safety: a struct svc belongs to one thread; results hold a
 * reference to a shared, immutable policy snapshot. */
#ifndef TG_SVC_SVC_SIGNIN_H
#define TG_SVC_SVC_SIGNIN_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/decision.h"
#include "core/risk.h"
#include "core/signin.h"
#include "svc/svc.h"
#include "svc/svc_policy.h"

/* ---- applications ---------------------------------------------------------
 * An app is a built-in one (by key or id), a registered OpenID Connect app
 * of the tenant (by client id or display name), or any other UUID, taken as
 * the client id of an ordinary, not privileged app (policies imported from
 * Entra name Microsoft's app ids). The admin portal and admin API are
 * privileged: "MicrosoftAdminPortals" for Conditional Access and
 * privileged apps for security defaults. The ids are shared with
 * svc_oidc.h, which registers the portal and "My sign-ins" as apps. */
#define SVC_APP_ADMIN_PORTAL "7011a770-0000-4000-8000-000000000001"
#define SVC_APP_ADMIN_API    "7011a770-0000-4000-8000-000000000002"
#define SVC_APP_MY_SIGNINS   "7011a770-0000-4000-8000-000000000003"

struct svc_app {
	char id[TG_ID_BUF];
	char display_name[TG_MAX_DISPLAY_NAME + 1];
	bool privileged;
};
/* "admin-portal", "admin-api", "my-signins", an app id, or a registered
 * app's display name (case-insensitive, must be unique). TG_ERR_INVALID
 * otherwise, with sv->err saying what is accepted. */
int svc_app_resolve(struct svc *sv, const struct tg_tenant *t, const char *name_or_id,
                    struct svc_app *out);

/* ---- the user as the decision sees it ------------------------------------- */
struct svc_decision_user {
	struct tg_user user;                    /* pwhash wiped */
	struct decision_user du;                /* points into this struct */
	struct svc_user_risk risk;
	size_t n_roles, n_groups;
	char (*roles)[TG_ID_BUF];
	char (*groups)[TG_ID_BUF];
	const char **role_ptrs;
	const char **group_ptrs;
};
/* Load user (UPN or id, in t) with roles, transitive groups, registered
 * methods, app passwords, risk and the security defaults grace start.
 * out is overwritten; svc_decision_user_cleanup frees it (also after a
 * failure). */
int svc_decision_user_load(struct svc *sv, const struct tg_tenant *t, const char *user,
                           struct svc_decision_user *out);
void svc_decision_user_cleanup(struct svc_decision_user *u);   /* accepts NULL */
/* Registered, active second-factor methods by type (CA_METHOD_*: software
 * and hardware OATH, SMS and voice by phone type, email) and whether any
 * app password exists. The decision and the sign-in flow both use it. */
int svc_signin_user_methods(struct svc *sv, const char *user_id, unsigned *methods_out,
                            bool *app_passwords_out);

/* Sign-in risk (core/risk.h) of a sign-in by user_id from ip on platform at
 * `now`: the tenant's bad-IP list, the user's successful sign-ins before now
 * (at most TG_MAX_RISK_HISTORY) and the wrong-password sign-ins (50126)
 * of the last RISK_FAILURE_WINDOW seconds. */
int svc_signin_risk(struct svc *sv, const struct tg_tenant *t, const struct svc_policy_snapshot *snap,
                    const char *user_id, const struct cidr_ip *ip, enum platform platform,
                    int64_t now, struct risk_result *out);

/* ---- deciding a sign-in (what-if and the simulation tool) ---------------- */
struct svc_signin_request {
	const char *user;                       /* UPN or id */
	const char *app;                        /* svc_app_resolve */
	const char *ip;                         /* address text */
	enum decision_client client;
	bool has_platform;                      /* else from user_agent, else unknown */
	enum platform platform;
	const char *user_agent;                 /* may be NULL */
	const char *protocol;                   /* clientAppUsed override, may be NULL */
	bool has_risk;                          /* else computed (svc_signin_risk) */
	enum risk_level sign_in_risk;
	int64_t mfa_at;                         /* the session's last MFA, 0 = none */
	unsigned mfa_methods;                   /* ... done with (0 = an authenticator code) */
	bool mfa_this_signin;                   /* that MFA happened in this sign-in */
	enum decision_credential credential;
	int64_t auth_time;                      /* CRED_SESSION: earlier primary auth */
	bool remembered_device;
	bool non_interactive;
	bool step_up_mfa;                       /* the request's acr asks for MFA */
	bool password_changed;                  /* the password was changed in this sign-in */
	unsigned user_action;                   /* CA_UA_* (registering security info, ...) */
	int64_t now;                            /* 0 = svc_now() */
	bool candidates_only;                   /* list only the policies that could apply
	                                           (not explain_all): smaller log records in
	                                           tenants with many policies */
};

/* Everything a decided sign-in needs and produced. The decision's policy
 * pointers point into snap, which this struct holds a reference to; `in`
 * points into the struct itself, so never copy or move one. */
struct svc_signin_result {
	struct svc_policy_snapshot *snap;
	struct svc_decision_user user;
	struct svc_app app;
	struct decision_app dapp;               /* points into app */
	struct risk_result sign_in_risk;
	struct decision_input in;
	struct decision d;
};
void svc_signin_result_init(struct svc_signin_result *r);
void svc_signin_result_cleanup(struct svc_signin_result *r);   /* accepts NULL */

/* Decide the request against the tenant as it is (every policy's result
 * listed: explain_all, unless req->candidates_only), without logging
 * anything. out must be init'ed. */
int svc_whatif(struct svc *sv, struct svc_policy_cache *cache, const struct tg_tenant *t,
               const struct svc_signin_request *req, struct svc_signin_result *out);
/* The administrator's simulation tool (`tollgate signins record`): decide
 * like svc_whatif, then log the sign-in as a real one would be and, for an
 * interactive sign-in under security defaults, start the user's
 * registration grace. id_out (TG_ID_BUF bytes, may be NULL) gets the
 * record's id. */
int svc_signin_simulate(struct svc *sv, struct svc_policy_cache *cache, const struct tg_tenant *t,
                        const struct svc_signin_request *req, struct svc_signin_result *out,
                        char *id_out);

/* ---- the sign-in log ------------------------------------------------------- */
/* Log one decided sign-in: build the Graph record (core/signin.h), write it
 * as JSON with its indexed columns. request_id may be NULL (one is made).
 * id_out (TG_ID_BUF bytes, may be NULL) gets the record's id. */
int svc_signin_log(struct svc *sv, const struct tg_tenant *t, const struct decision_input *in,
                   const struct decision *d, const char *user_agent, const char *request_id,
                   char *id_out);
/* One logged sign-in's Graph JSON (caller frees *json_out). */
int svc_signin_get(struct svc *sv, const struct tg_tenant *t, const char *id, char **json_out);
/* Paging cursor text "TIME.SEQ" of a row, and its parse. */
void svc_signin_cursor_format(int64_t time, int64_t seq, char *buf, size_t size);
int svc_signin_cursor_parse(const char *s, int64_t *time_out, int64_t *seq_out);

/* ---- impact replay ----------------------------------------------------------
 * Replay the sign-ins logged in [since, until] (oldest first, at most
 * TG_MAX_IMPACT_SIGNINS) against the tenant as it is now and against the
 * tenant plus the draft policy (evaluated as if enabled), rebuilding each
 * sign-in's decision input from its record with the user's current
 * directory state, and compare with what actually happened. */
struct svc_impact_row {                     /* one (user, app) pair */
	char user_id[TG_ID_BUF];
	char upn[TG_MAX_UPN + 1];
	char app_id[TG_ID_BUF];
	char app_name[TG_MAX_DISPLAY_NAME + 1];
	size_t signins;                         /* replayed */
	size_t applied;                         /* the draft applied */
	size_t blocked;                         /* the draft would block */
	size_t prompted;                        /* the draft would ask for MFA, registration or a password change */
	size_t newly_blocked;                   /* ... blocked although the logged sign-in was not */
	size_t newly_prompted;                  /* ... prompted although the logged sign-in was allowed */
};
struct svc_impact_report {
	int64_t since, until;
	size_t replayed;                        /* sign-ins replayed */
	size_t skipped_unknown_user;            /* user unknown then or deleted since */
	size_t skipped_unreadable;              /* record failed to parse (logged) */
	bool truncated;                         /* more than TG_MAX_IMPACT_SIGNINS */
	size_t applied, blocked, prompted, newly_blocked, newly_prompted;
	size_t changed_without_draft;           /* decision now differs from the log without the draft */
	struct ca_policy draft;                 /* the parsed draft */
	size_t n_rows;                          /* sorted by blocked, prompted, applied (desc), UPN */
	struct svc_impact_row *rows;
	bool security_defaults_on;              /* the draft could not be enabled today */
};
void svc_impact_report_init(struct svc_impact_report *rep);
void svc_impact_report_cleanup(struct svc_impact_report *rep);   /* frees and re-inits */
/* rep must be init'ed (it is cleaned and refilled). until 0 = now. A bad
 * draft is refused as svc_policy_create refuses it (path in sv->err and
 * *jerr); the ids it names must exist, as there. Writes nothing. */
int svc_policy_impact(struct svc *sv, const struct tg_tenant *t, const char *json, size_t len,
                      int64_t since, int64_t until, struct svc_impact_report *rep,
                      struct json_err *jerr);

/* JSON of a what-if result: the sign-in record the decision would log (no
 * id), plus requirementSources and registrationDaysLeft. New reference;
 * NULL on allocation failure. */
json_t *svc_whatif_json(const struct svc_signin_result *res);
/* JSON of a policy impact report (totals and byUserAndApp rows). */
json_t *svc_impact_json(const struct svc_impact_report *rep);

#endif
