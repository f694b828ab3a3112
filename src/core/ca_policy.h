/* SPDX-License-Identifier: MIT
 * Typed model of a Microsoft Graph `conditionalAccessPolicy` (SPEC §4,
 * reference/entra.md §3.1) and its semantic validator. Pure: no JSON, no I/O.
 * src/json/ca_policy_json.c converts Graph JSON to and from this struct;
 * src/core/decision.c / ca_eval.c evaluate it. docs/internals/conditional-access.md
 * explains what is accepted and refused.
 *
 * Conventions used throughout the model:
 *  - Special keywords ("All", "None", "GuestsOrExternalUsers", "Office365",
 *    "MicrosoftAdminPortals", "AllTrusted") are never kept as strings: they
 *    are bits in the matching *_kw field. The id lists (struct ca_ids) hold
 *    only ids, as lowercase UUIDs, without duplicates, in input order.
 *  - Enumerations with several values (clientAppTypes, platforms, risk
 *    levels, builtInControls) are bitmasks; 0 means "empty list".
 *  - `present` flags keep the difference between a Graph `null` object and a
 *    configured one (e.g. conditions.platforms null = not a condition).
 *  - Times are int64 Unix seconds, 0 = null.
 *
 * Thread-safety: a struct ca_policy is plain data; concurrent readers are
 * fine, writers need their own copy (ca_policy_dup). */
#ifndef TG_CORE_CA_POLICY_H
#define TG_CORE_CA_POLICY_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/limits.h"

#define CA_ID_SIZE (TG_MAX_ID + 1)   /* a UUID string with its NUL */

/* Built-in authentication strength policy ids (reference/entra.md §4.4). */
#define CA_STRENGTH_MFA             "00000000-0000-0000-0000-000000000002"
#define CA_STRENGTH_PASSWORDLESS    "00000000-0000-0000-0000-000000000003"
#define CA_STRENGTH_PHISHING_RESIST "00000000-0000-0000-0000-000000000004"
/* The location id Graph uses for the MFA service settings' trusted IPs
 * (reference/entra.md §8 item 8). An ordinary UUID to the parser; the
 * evaluator treats it as "the tenant's trusted IPs". */
#define CA_LOCATION_ID_MFA_TRUSTED_IPS "00000000-0000-0000-0000-000000000000"

/* ---- bounded lists --------------------------------------------------- */

/* A list of ids: lowercase canonical UUIDs, no duplicates, at most
 * TG_MAX_CA_LIST entries. v is NULL when n == 0. Owned by the policy. */
struct ca_ids {
	size_t n;
	char (*v)[CA_ID_SIZE];
};

/* A list of free-form ids (customAuthenticationFactors): printable ASCII,
 * 1..TG_MAX_CA_CUSTOM_ID bytes each, no duplicates (case-sensitive),
 * at most TG_MAX_CA_LIST entries. v is NULL when n == 0. */
struct ca_strs {
	size_t n;
	char **v;
};

/* ---- enumerations ---------------------------------------------------- */

enum ca_state {
	CA_STATE_UNSET = 0,          /* "state" absent: refused by the validator */
	CA_STATE_ENABLED,            /* "enabled" */
	CA_STATE_DISABLED,           /* "disabled" */
	CA_STATE_REPORT_ONLY,        /* "enabledForReportingButNotEnforced" */
};

/* conditions.users keywords */
enum {
	CA_USERS_ALL = 1u << 0,      /* "All" (includeUsers only) */
	CA_USERS_NONE = 1u << 1,     /* "None" (includeUsers only) */
	CA_USERS_GUESTS = 1u << 2,   /* "GuestsOrExternalUsers" (include or exclude) */
};

/* conditions.applications keywords */
enum {
	CA_APPS_ALL = 1u << 0,           /* "All" (include only) */
	CA_APPS_NONE = 1u << 1,          /* "None" (include only) */
	CA_APPS_OFFICE365 = 1u << 2,     /* "Office365": no Tollgate app is part of it */
	CA_APPS_ADMIN_PORTALS = 1u << 3, /* "MicrosoftAdminPortals": Tollgate's privileged apps */
};

/* conditions.applications.includeUserActions */
enum {
	CA_UA_REGISTER_SECURITY_INFO = 1u << 0, /* "urn:user:registersecurityinfo" */
	CA_UA_REGISTER_DEVICE = 1u << 1,        /* "urn:user:registerdevice" */
};

/* conditions.locations keywords */
enum {
	CA_LOC_ALL = 1u << 0,          /* "All" (include only): any IP */
	CA_LOC_ALL_TRUSTED = 1u << 1,  /* "AllTrusted": trusted named locations + MFA trusted IPs */
};

/* conditions.clientAppTypes. CA_CLIENT_ALL stands alone ("all"); the parser
 * stores an absent or empty clientAppTypes as CA_CLIENT_ALL. */
enum {
	CA_CLIENT_ALL = 1u << 0,                /* "all" */
	CA_CLIENT_BROWSER = 1u << 1,            /* "browser" */
	CA_CLIENT_MOBILE_DESKTOP = 1u << 2,     /* "mobileAppsAndDesktopClients" */
	CA_CLIENT_EXCHANGE_ACTIVESYNC = 1u << 3,/* "exchangeActiveSync" (also "easUnsupported" on input) */
	CA_CLIENT_EAS_SUPPORTED = 1u << 4,      /* "easSupported" */
	CA_CLIENT_OTHER = 1u << 5,              /* "other" (legacy: Basic, IMAP, RADIUS, ...) */
};
#define CA_CLIENT_LEGACY (CA_CLIENT_EXCHANGE_ACTIVESYNC | CA_CLIENT_EAS_SUPPORTED | CA_CLIENT_OTHER)

/* conditions.platforms include/exclude. CA_PLAT_ALL stands alone ("all")
 * and is allowed in includePlatforms only. */
enum {
	CA_PLAT_ALL = 1u << 0,            /* "all" */
	CA_PLAT_ANDROID = 1u << 1,        /* "android" */
	CA_PLAT_IOS = 1u << 2,            /* "iOS" */
	CA_PLAT_WINDOWS = 1u << 3,        /* "windows" */
	CA_PLAT_WINDOWS_PHONE = 1u << 4,  /* "windowsPhone" */
	CA_PLAT_MACOS = 1u << 5,          /* "macOS" */
	CA_PLAT_LINUX = 1u << 6,          /* "linux" */
};

/* signInRiskLevels / userRiskLevels / servicePrincipalRiskLevels.
 * "hidden" is refused in servicePrincipalRiskLevels (as in Graph). */
enum {
	CA_RISK_LOW = 1u << 0,     /* "low" */
	CA_RISK_MEDIUM = 1u << 1,  /* "medium" */
	CA_RISK_HIGH = 1u << 2,    /* "high" */
	CA_RISK_HIDDEN = 1u << 3,  /* "hidden" */
	CA_RISK_NONE = 1u << 4,    /* "none" */
};

/* grantControls.builtInControls */
enum {
	CA_CTL_BLOCK = 1u << 0,                /* "block" */
	CA_CTL_MFA = 1u << 1,                  /* "mfa" */
	CA_CTL_COMPLIANT_DEVICE = 1u << 2,     /* "compliantDevice" */
	CA_CTL_DOMAIN_JOINED_DEVICE = 1u << 3, /* "domainJoinedDevice" */
	CA_CTL_APPROVED_APPLICATION = 1u << 4, /* "approvedApplication" */
	CA_CTL_COMPLIANT_APPLICATION = 1u << 5,/* "compliantApplication" */
	CA_CTL_PASSWORD_CHANGE = 1u << 6,      /* "passwordChange" */
};
/* Controls Tollgate stores but can never satisfy (no device or app
 * management): they evaluate as "not satisfied". termsOfUse and
 * customAuthenticationFactors entries are unsatisfiable too. */
#define CA_CTL_UNSATISFIABLE (CA_CTL_COMPLIANT_DEVICE | CA_CTL_DOMAIN_JOINED_DEVICE | \
                              CA_CTL_APPROVED_APPLICATION | CA_CTL_COMPLIANT_APPLICATION)

enum ca_operator {
	CA_OP_OR = 0,   /* "OR" (default when operator is absent): any one control */
	CA_OP_AND = 1,  /* "AND": every control */
};

enum ca_filter_mode {
	CA_FILTER_INCLUDE = 0,  /* "include" */
	CA_FILTER_EXCLUDE = 1,  /* "exclude" */
};

enum ca_sif_type {
	CA_SIF_TYPE_NONE = 0,   /* null: required to be null with everyTime */
	CA_SIF_HOURS,           /* "hours": value 1..23 */
	CA_SIF_DAYS,            /* "days": value 1..365 */
};

enum ca_sif_auth {
	CA_SIF_AUTH_NONE = 0,                 /* null (Graph default meaning primaryAndSecondary) */
	CA_SIF_AUTH_PRIMARY_AND_SECONDARY,    /* "primaryAndSecondaryAuthentication" */
	CA_SIF_AUTH_SECONDARY,                /* "secondaryAuthentication" */
};

enum ca_sif_interval {
	CA_SIF_INTERVAL_NONE = 0,   /* null: treated as timeBased */
	CA_SIF_TIME_BASED,          /* "timeBased" */
	CA_SIF_EVERY_TIME,          /* "everyTime": MFA at every sign-in (5 min skew) */
};

enum ca_browser_mode {
	CA_BROWSER_MODE_NONE = 0,   /* null */
	CA_BROWSER_ALWAYS,          /* "always" */
	CA_BROWSER_NEVER,           /* "never" */
};

enum ca_mcas_type {
	CA_MCAS_NONE = 0,           /* null */
	CA_MCAS_CONFIGURED,         /* "mcasConfigured" */
	CA_MCAS_MONITOR_ONLY,       /* "monitorOnly" */
	CA_MCAS_BLOCK_DOWNLOADS,    /* "blockDownloads" */
};

/* ---- conditions ------------------------------------------------------ */

/* conditions.users. Exclusions beat inclusions. Roles are role template ids
 * (core/roles.h); groups match transitively (evaluator's job). */
struct ca_users {
	unsigned include_kw;          /* CA_USERS_ALL | CA_USERS_NONE | CA_USERS_GUESTS */
	struct ca_ids include_users;
	unsigned exclude_kw;          /* CA_USERS_GUESTS only */
	struct ca_ids exclude_users;
	struct ca_ids include_groups;
	struct ca_ids exclude_groups;
	struct ca_ids include_roles;
	struct ca_ids exclude_roles;
};

/* conditions.applications. Either apps (include_kw/include_apps) or user
 * actions are targeted, never both. App ids are Tollgate app (client) ids. */
struct ca_apps {
	unsigned include_kw;          /* CA_APPS_* */
	struct ca_ids include_apps;
	unsigned exclude_kw;          /* CA_APPS_OFFICE365 | CA_APPS_ADMIN_PORTALS */
	struct ca_ids exclude_apps;
	unsigned user_actions;        /* CA_UA_* */
};

/* conditions.locations; present == false means "not a condition". When
 * present, include is non-empty (include_kw or include). */
struct ca_locations {
	bool present;
	unsigned include_kw;          /* CA_LOC_ALL | CA_LOC_ALL_TRUSTED */
	struct ca_ids include;        /* named location ids */
	unsigned exclude_kw;          /* CA_LOC_ALL_TRUSTED only */
	struct ca_ids exclude;
};

/* conditions.platforms; present == false means "not a condition". When
 * present, include != 0. */
struct ca_platforms {
	bool present;
	unsigned include;             /* CA_PLAT_* */
	unsigned exclude;             /* CA_PLAT_* without CA_PLAT_ALL */
};

/* conditions.devices.deviceFilter, stored verbatim. Tollgate has no device
 * registration, so every device looks unregistered (all properties null):
 *   include mode -> no device matches the filter -> the policy does NOT apply;
 *   exclude mode -> no device is excluded -> the policy applies as if there
 *                   were no filter.
 * The evaluator should log "device filter: device unknown to Tollgate". */
struct ca_devices {
	bool present;
	enum ca_filter_mode mode;
	char *rule;                   /* owned; 1..TG_MAX_CA_DEVICE_RULE bytes of UTF-8 */
};

struct ca_conditions {
	struct ca_users users;
	struct ca_apps apps;
	unsigned client_app_types;    /* CA_CLIENT_*; never 0 after parsing (ALL) */
	struct ca_locations locations;
	struct ca_platforms platforms;
	struct ca_devices devices;
	unsigned sign_in_risk;        /* CA_RISK_*; 0 = not a condition */
	unsigned user_risk;           /* CA_RISK_*; 0 = not a condition */
	unsigned sp_risk;             /* CA_RISK_* (servicePrincipalRiskLevels); stored only */
};

/* ---- controls -------------------------------------------------------- */

/* grantControls; present == false is Graph `null` (no grant controls). The
 * parser sets present only when at least one control is configured. */
struct ca_grant {
	bool present;
	enum ca_operator op;
	unsigned builtin;                 /* CA_CTL_* */
	struct ca_strs custom_factors;    /* customAuthenticationFactors: unsatisfiable */
	struct ca_ids terms_of_use;       /* termsOfUse agreement ids: unsatisfiable */
	char auth_strength[CA_ID_SIZE];   /* authenticationStrength.id, "" = none;
	                                     one of CA_STRENGTH_* */
};

/* sessionControls.signInFrequency */
struct ca_sign_in_frequency {
	bool present;
	bool is_enabled;
	enum ca_sif_type type;
	int32_t value;                    /* 0 when type == CA_SIF_TYPE_NONE */
	enum ca_sif_auth auth_type;
	enum ca_sif_interval interval;
};

/* sessionControls.persistentBrowser */
struct ca_persistent_browser {
	bool present;
	bool is_enabled;
	enum ca_browser_mode mode;
};

/* sessionControls; present == false is Graph `null`. Only signInFrequency
 * and persistentBrowser have effect in Tollgate; the rest is stored. */
struct ca_session {
	bool present;
	struct ca_sign_in_frequency sif;
	struct ca_persistent_browser persistent_browser;
	bool app_enforced_present;        /* applicationEnforcedRestrictions */
	bool app_enforced_enabled;
	bool cloud_app_security_present;  /* cloudAppSecurity */
	bool cloud_app_security_enabled;
	enum ca_mcas_type cloud_app_security_type;
	bool disable_resilience_present;  /* disableResilienceDefaults (null vs bool) */
	bool disable_resilience;
};

/* ---- the policy ------------------------------------------------------ */

struct ca_policy {
	char id[CA_ID_SIZE];              /* "" until the store assigns one */
	char *display_name;               /* owned; required, 1..TG_MAX_DISPLAY_NAME UTF-8 bytes */
	enum ca_state state;
	int64_t created;                  /* createdDateTime, 0 = null */
	int64_t modified;                 /* modifiedDateTime, 0 = null */
	struct ca_conditions cond;
	struct ca_grant grant;
	struct ca_session session;
};

/* Where a policy is wrong: `path` is the Graph JSON path of the first fault
 * ("conditions.users.includeUsers[2]", "" for the whole document) and
 * `message` says why, both NUL-terminated. */
struct ca_error {
	char path[TG_MAX_ERR_PATH];
	char message[TG_MAX_ERR_MESSAGE];
};

/* ---- life cycle ------------------------------------------------------ */

/* Zero p: state UNSET, clientAppTypes ALL, every list empty. */
void ca_policy_init(struct ca_policy *p);
/* Free everything p owns and re-init it. Accepts NULL. */
void ca_policy_cleanup(struct ca_policy *p);
/* Heap-allocated policy: ca_policy_new() returns an init'ed policy (never
 * NULL: aborts on OOM); ca_policy_free() cleans up and frees (accepts NULL). */
struct ca_policy *ca_policy_new(void);
void ca_policy_free(struct ca_policy *p);
/* Deep copy src into dst (dst must not own anything: init'ed or cleaned). */
void ca_policy_dup(struct ca_policy *dst, const struct ca_policy *src);
/* Deep equality (order of ids included). */
bool ca_policy_equal(const struct ca_policy *a, const struct ca_policy *b);
/* Set the display name (copied). TG_ERR_INVALID for bad UTF-8, control
 * characters, empty or longer than TG_MAX_DISPLAY_NAME bytes. */
int ca_policy_set_display_name(struct ca_policy *p, const char *name);

/* ---- lists ----------------------------------------------------------- */

/* Append an id to l (a UUID in any case; stored lowercase). Duplicates are
 * ignored (TG_OK). TG_ERR_INVALID if not a UUID, TG_ERR_TOO_LARGE when l
 * already holds TG_MAX_CA_LIST ids. l is unchanged on failure. */
int ca_ids_add(struct ca_ids *l, const char *id);
bool ca_ids_contains(const struct ca_ids *l, const char *id);  /* case-insensitive */
void ca_ids_cleanup(struct ca_ids *l);
/* Append a custom factor id (copied); duplicates ignored. TG_ERR_INVALID for
 * empty, non-printable or too long; TG_ERR_TOO_LARGE when full. */
int ca_strs_add(struct ca_strs *l, const char *s);
void ca_strs_cleanup(struct ca_strs *l);

/* ---- validation ------------------------------------------------------ */

/* Check Entra's rules on a complete policy (after parsing or building):
 *  - state and displayName set; every id a UUID (lists built with
 *    ca_ids_add always are);
 *  - at least one of: an application rule, a user rule, a grant or session
 *    control (Graph POST rule);
 *  - keywords: "All"/"None" stand alone in their include list and never
 *    appear in an exclude list; includeUserActions excludes applications;
 *    report-only is not available for user actions (reference §3.3);
 *    locations/platforms, when present, have an include list;
 *    "hidden" is not a servicePrincipalRiskLevels value;
 *  - grant: block stands alone; mfa and authenticationStrength never
 *    together; authenticationStrength is a built-in CA_STRENGTH_*;
 *    passwordChange only as exactly mfa AND passwordChange, with
 *    userRiskLevels set, includeApplications exactly "All", nothing excluded
 *    and no other condition (signInRiskLevels, servicePrincipalRiskLevels,
 *    clientAppTypes other than all, locations, platforms, devices);
 *  - session: signInFrequency hours 1..23, days 1..365 (the portal's
 *    ranges); an enabled timeBased one needs type and value; everyTime has
 *    no type/value and needs signInRiskLevels or userRiskLevels;
 *    persistentBrowser and cloudAppSecurity need a mode/type when enabled.
 * Returns TG_OK, or TG_ERR_INVALID with *err filled (err may be NULL). */
int ca_policy_validate(const struct ca_policy *p, struct ca_error *err);

/* ---- helpers for the evaluator ---------------------------------------- */

/* Window of an enabled time-based signInFrequency in seconds; 0 for
 * everyTime (the evaluator applies Entra's 5-minute skew) and -1 when there
 * is no enabled sign-in frequency control. */
int64_t ca_policy_sif_seconds(const struct ca_policy *p);
/* true when the policy has grant controls (block included): a legacy
 * client, which can do no MFA, is blocked by such a policy when it applies
 * (SPEC §4). Session-only policies return false. */
bool ca_policy_has_grant_requirement(const struct ca_policy *p);

/* ---- enum <-> Graph string (canonical case out, case-insensitive in) ---- */

const char *ca_state_name(enum ca_state s);   /* "" for UNSET */
int ca_state_parse(const char *s, enum ca_state *out);
/* Single-bit values: name of one bit (NULL if not exactly one known bit);
 * parse sets *bit_out to one bit, or TG_ERR_INVALID. */
const char *ca_client_app_type_name(unsigned bit);
int ca_client_app_type_parse(const char *s, unsigned *bit_out);
const char *ca_platform_name(unsigned bit);
int ca_platform_parse(const char *s, unsigned *bit_out);
const char *ca_risk_name(unsigned bit);
int ca_risk_parse(const char *s, unsigned *bit_out);
const char *ca_control_name(unsigned bit);
int ca_control_parse(const char *s, unsigned *bit_out);
const char *ca_user_action_name(unsigned bit);
int ca_user_action_parse(const char *s, unsigned *bit_out);

#endif
