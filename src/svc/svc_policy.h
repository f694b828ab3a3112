/* SPDX-License-Identifier: MIT
 * Service layer, policy domain: the tenant's MFA service settings and
 * security defaults (with SPEC §3's conflict rules), Conditional Access
 * policies and templates, named locations, risk inputs (bad-IP list, user
 * risk), and a cache of each tenant's compiled policies, ready for the
 * sign-in decision. Sign-ins themselves (what-if, the log, impact replay)
 * are in svc_signin.h. docs/internals/policy-store.md has the design.
 *
 * Same conventions as svc.h: every function returns enum tg_err and leaves
 * a human-readable reason in sv->err on failure; every change is one store
 * transaction with its audit record and a bump of the tenant's policy
 * generation. Thread-safety: a struct svc belongs to one thread; a struct
 * svc_policy_cache may be shared by threads (it locks). */
#ifndef TG_SVC_SVC_POLICY_H
#define TG_SVC_SVC_POLICY_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/ca_compile.h"
#include "core/ca_policy.h"
#include "core/cidr.h"
#include "core/decision.h"
#include "core/named_location.h"
#include "core/risk.h"
#include "json/json_util.h"
#include "svc/svc.h"

/* ---- MFA service settings and security defaults -------------------------
 * Stored as text in the `setting` table (the contract other modules read):
 *   mfa.allowAppPasswords        "true" / "false"          absent = false
 *   mfa.verificationOptions      "appCode,sms,voice,email"  absent = all four
 *   mfa.rememberDays             "0".."365"                 absent/0 = off
 *   mfa.trustedIps               CIDRs, one a line          absent = none
 *   securityDefaults.enabled     "true" / "false"           absent = false
 *   securityDefaults.since       Unix seconds of the last enabling */
#define SVC_SETTING_ALLOW_APP_PASSWORDS "mfa.allowAppPasswords"
#define SVC_SETTING_VERIFICATION_OPTIONS "mfa.verificationOptions"
#define SVC_SETTING_REMEMBER_DAYS "mfa.rememberDays"
#define SVC_SETTING_TRUSTED_IPS "mfa.trustedIps"
#define SVC_SETTING_SD_ENABLED "securityDefaults.enabled"
#define SVC_SETTING_SD_SINCE "securityDefaults.since"

#define SVC_REMEMBER_DAYS_MAX 365
/* Trusted IPs and bad IPs need a mask of /8 or longer (10.0.0.0/8 is a
 * usual self-hosted trusted range; /0../7 is refused as a likely mistake).
 * Named locations keep Entra's stricter "greater than /8". */
#define SVC_MIN_RANGE_PREFIX 8

struct svc_settings {
	bool allow_app_passwords;
	unsigned verification_options;          /* DECISION_VERIFY_*, never 0 */
	unsigned remember_mfa_days;             /* 0 = off, else 1..365 */
	size_t n_trusted_ips;                   /* at most TG_MAX_TRUSTED_IPS */
	struct cidr trusted_ips[TG_MAX_TRUSTED_IPS];
	/* read-only here: changed by svc_security_defaults_set */
	bool security_defaults;
	int64_t security_defaults_since;        /* last enabling, 0 = never */
};

/* Read the tenant's settings (defaults for absent keys). A stored value
 * that does not parse is TG_ERR_INTERNAL naming the key (never silently
 * replaced by a default: it would change who must do MFA). */
int svc_settings_get(struct svc *sv, const struct tg_tenant *t, struct svc_settings *out);
/* Replace the MFA service settings with in's (its security defaults fields
 * are ignored). Validates every field (TG_ERR_INVALID naming it), writes,
 * audits "settings.update" with before and after, bumps the generation. */
int svc_settings_set(struct svc *sv, const struct tg_tenant *t, const struct svc_settings *in);
/* The CLI form: one key, one value, applied through svc_settings_set.
 *   allow-app-passwords   true | false
 *   verification-options  comma list of app-code, sms, voice, email
 *   remember-mfa-days     0 (off) .. 365
 *   trusted-ips           comma or space separated CIDRs; "none" clears */
int svc_settings_set_text(struct svc *sv, const struct tg_tenant *t, const char *key, const char *value);
/* The settings as compact JSON text (Tollgate's names; caller frees). */
char *svc_settings_json(const struct svc_settings *s);
/* Names of DECISION_VERIFY_* bits, comma-separated, into buf. */
const char *svc_verification_options_format(unsigned options, bool cli_names, char *buf, size_t size);

struct svc_sd_report {
	bool changed;                           /* false: it already was in that state */
	size_t per_user_disabled;               /* users moved to per-user MFA disabled */
};
/* Enable or disable security defaults (SPEC §3). Enabling is refused with
 * TG_ERR_CONFLICT, naming what is in the way, while any Conditional Access
 * policy is enabled, or while any user's per-user MFA state is not
 * disabled — unless disable_per_user_mfa, which first sets every user of
 * the tenant to disabled (svc_mfa_set, each change audited) and then
 * enables. Enabling records the time (the 14-day grace counts from each
 * user's first interactive sign-in after it). Audited
 * "securityDefaults.update"; bumps the generation. rep may be NULL.
 * WARNING: svc_mfa_set commits its own transaction; if enabling then fails
 * (a store error, or a policy enabled in between), the per-user states
 * stay disabled and sv->err says so. */
int svc_security_defaults_set(struct svc *sv, const struct tg_tenant *t, bool enable,
                              bool disable_per_user_mfa, struct svc_sd_report *rep);
/* The sign-in flow calls this after a successful interactive first
 * factor: while security defaults are on, it records the user's first
 * interactive sign-in since they were enabled (the start of the 14-day
 * registration grace); later calls keep the first time. Not audited (it is
 * a sign-in, not an admin change). *noted_out (may be NULL) says whether
 * this call started the grace. */
int svc_sd_note_interactive(struct svc *sv, const struct tg_tenant *t, const char *user_id,
                            int64_t when, bool *noted_out);

/* ---- Conditional Access policies -----------------------------------------
 * Policies are parsed with ca_policy_parse (Graph JSON, the first fault
 * named by its JSON path: sv->err is "PATH: message" and *jerr, when not
 * NULL, gets both apart), checked against the directory (every user,
 * group, app and named location id must exist in t and every role id be a
 * known directory role template, else TG_ERR_INVALID at that id's path,
 * e.g. "conditions.users.includeGroups[2]: no group <id> in this tenant";
 * on update the whole new document is checked, so an id deleted since
 * must be removed), stored canonically with our id, createdDateTime and
 * modifiedDateTime, and audited. Enabling a policy (create or update with
 * state "enabled") while security defaults are on is TG_ERR_CONFLICT. At
 * most TG_MAX_CA_POLICIES per tenant (TG_ERR_LIMIT). *out (may be NULL)
 * receives the stored policy; the caller ca_policy_cleanup()s it. */
int svc_policy_create(struct svc *sv, const struct tg_tenant *t, const char *json, size_t len,
                      struct ca_policy *out, struct json_err *jerr);
/* Replace policy id with the document (created kept, modified now). */
int svc_policy_update(struct svc *sv, const struct tg_tenant *t, const char *id, const char *json,
                      size_t len, struct ca_policy *out, struct json_err *jerr);
int svc_policy_delete(struct svc *sv, const struct tg_tenant *t, const char *id);
int svc_policy_get(struct svc *sv, const struct tg_tenant *t, const char *id, struct ca_policy *out);
/* All policies of the tenant, oldest first: *out is a new array of *n
 * policies (NULL when 0); free with svc_policy_list_free. */
int svc_policy_list(struct svc *sv, const struct tg_tenant *t, struct ca_policy **out, size_t *n);
void svc_policy_list_free(struct ca_policy *v, size_t n);
/* Create template `name` (core/ca_templates.h) in report-only state,
 * excluding creator (a UPN or user id of this tenant: the acting
 * administrator). */
int svc_policy_from_template(struct svc *sv, const struct tg_tenant *t, const char *name,
                             const char *creator, struct ca_policy *out);

/* ---- named locations ------------------------------------------------------
 * Graph ipNamedLocation JSON (named_location_parse). At most
 * TG_MAX_NAMED_LOCATIONS per tenant (TG_ERR_LIMIT). A trusted location
 * cannot be deleted (TG_ERR_CONFLICT: update it with isTrusted false
 * first), nor one a policy refers to (TG_ERR_CONFLICT naming the policies). */
int svc_location_create(struct svc *sv, const struct tg_tenant *t, const char *json, size_t len,
                        struct named_location *out, struct json_err *jerr);
int svc_location_update(struct svc *sv, const struct tg_tenant *t, const char *id, const char *json,
                        size_t len, struct named_location *out, struct json_err *jerr);
int svc_location_delete(struct svc *sv, const struct tg_tenant *t, const char *id);
int svc_location_get(struct svc *sv, const struct tg_tenant *t, const char *id,
                     struct named_location *out);
int svc_location_list(struct svc *sv, const struct tg_tenant *t, struct named_location **out,
                      size_t *n);
void svc_location_list_free(struct named_location *v, size_t n);

/* ---- risk inputs (SPEC §5) -------------------------------------------------
 * User risk is high while an administrator has marked the user compromised
 * or the user has reported a suspicious MFA prompt; an administrator
 * dismisses both by setting none. */
struct svc_user_risk {
	struct risk_result risk;                /* level and why */
	bool compromised, reported;
	char reason[TG_MAX_RISK_REASON + 1];    /* the administrator's note */
	int64_t updated;                        /* 0 = never set */
	char actor[TG_MAX_AUDIT_ACTOR + 1];
};
int svc_user_risk_get(struct svc *sv, const struct tg_tenant *t, const char *user, struct svc_user_risk *out);
/* level RISK_HIGH (confirm compromised) or RISK_NONE (dismiss); reason may
 * be NULL. Audited "risk.user". */
int svc_user_risk_set(struct svc *sv, const struct tg_tenant *t, const char *user, enum risk_level level,
                      const char *reason);
/* The user's own report of an MFA prompt they did not start (sign-in flow).
 * Audited "risk.user.reported" with actor "user:<upn>". */
int svc_user_risk_report(struct svc *sv, const struct tg_tenant *t, const char *user_id);
/* Bad-IP ranges: a CIDR, or a bare address as /32 or /128. canonical_out
 * (may be NULL, STORE_IP_BUF bytes) receives the stored form. Audited
 * "risk.badIp.add" / "risk.badIp.remove"; bumps the generation. At most
 * TG_MAX_BAD_IPS (TG_ERR_LIMIT). */
int svc_bad_ip_add(struct svc *sv, const struct tg_tenant *t, const char *cidr, char *canonical_out);
int svc_bad_ip_remove(struct svc *sv, const struct tg_tenant *t, const char *cidr);

/* ---- the compiled tenant ----------------------------------------------------
 * A snapshot is everything the decision needs from the tenant: a ready
 * struct decision_tenant (settings, trusted IPs, security defaults,
 * compiled policies and locations) and the bad-IP set for risk. It is
 * immutable and reference-counted, so any number of threads may decide
 * against it. The cache keeps one per tenant and rebuilds it when the
 * tenant's policy generation has moved (one indexed read per call). */
struct svc_policy_snapshot;
struct svc_policy_cache;

struct svc_policy_cache *svc_policy_cache_new(void);
void svc_policy_cache_free(struct svc_policy_cache *c);   /* accepts NULL */

/* A snapshot of tenant t as of now. cache may be NULL (always build).
 * *out is a new reference: release it with svc_policy_snapshot_release. */
int svc_policy_snapshot_get(struct svc *sv, struct svc_policy_cache *cache, const struct tg_tenant *t,
                            struct svc_policy_snapshot **out);
void svc_policy_snapshot_release(struct svc_policy_snapshot *s);   /* accepts NULL */
const struct decision_tenant *svc_policy_snapshot_tenant(const struct svc_policy_snapshot *s);
const struct svc_settings *svc_policy_snapshot_settings(const struct svc_policy_snapshot *s);
const struct cidr_set *svc_policy_snapshot_bad_ips(const struct svc_policy_snapshot *s);
int64_t svc_policy_snapshot_generation(const struct svc_policy_snapshot *s);
/* Build a snapshot of t with `extra` added as its last policy (forced to
 * state enabled): the impact replay's "tenant plus the draft". */
int svc_policy_snapshot_with(struct svc *sv, const struct tg_tenant *t, const struct ca_policy *extra,
                             struct svc_policy_snapshot **out);

#endif
