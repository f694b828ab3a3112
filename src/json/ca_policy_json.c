/* SPDX-License-Identifier: MIT
 * Graph conditionalAccessPolicy JSON reader and canonical writer (see
 * ca_policy_json.h). Sections: member tables, keyword tables, list
 * readers, object readers (conditions, grant, session), the policy reader,
 * the writer. */
#include <stdlib.h>
#include <string.h>
#include "base/err.h"
#include "base/mem.h"
#include "base/str.h"
#include "core/uuid.h"
#include "json/ca_policy_json.h"

/* ---- member tables ------------------------------------------------------ */

#define R JSON_MEMBER_READ
#define IGN JSON_MEMBER_IGNORED
#define NUL JSON_MEMBER_NULL_ONLY

static const struct json_member policy_members[] = {
	{"id", R}, {"displayName", R}, {"state", R}, {"createdDateTime", R},
	{"modifiedDateTime", R}, {"conditions", R}, {"grantControls", R},
	{"sessionControls", R},
	{"templateId", IGN}, {"deletedDateTime", IGN},
	{"description", NUL}, {"partialEnablementStrategy", NUL},
	{NULL, R},
};

static const struct json_member conditions_members[] = {
	{"applications", R}, {"users", R}, {"clientAppTypes", R}, {"locations", R},
	{"platforms", R}, {"devices", R}, {"signInRiskLevels", R}, {"userRiskLevels", R},
	{"servicePrincipalRiskLevels", R},
	{"clientApplications", NUL}, {"times", NUL}, {"deviceStates", NUL},
	{"insiderRiskLevels", NUL}, {"authenticationFlows", NUL}, {"agentIdRiskLevels", NUL},
	{NULL, R},
};

static const struct json_member users_members[] = {
	{"includeUsers", R}, {"excludeUsers", R}, {"includeGroups", R}, {"excludeGroups", R},
	{"includeRoles", R}, {"excludeRoles", R},
	{"includeGuestsOrExternalUsers", NUL}, {"excludeGuestsOrExternalUsers", NUL},
	{NULL, R},
};

static const struct json_member apps_members[] = {
	{"includeApplications", R}, {"excludeApplications", R}, {"includeUserActions", R},
	{"applicationFilter", NUL}, {"includeAuthenticationContextClassReferences", NUL},
	{"includeProtectionLevels", NUL}, {"globalSecureAccess", NUL}, {"networkAccess", NUL},
	{NULL, R},
};

static const struct json_member locations_members[] = {
	{"includeLocations", R}, {"excludeLocations", R}, {NULL, R},
};

static const struct json_member platforms_members[] = {
	{"includePlatforms", R}, {"excludePlatforms", R}, {NULL, R},
};

static const struct json_member devices_members[] = {
	{"deviceFilter", R},
	{"includeDevices", NUL}, {"excludeDevices", NUL},
	{"includeDeviceStates", NUL}, {"excludeDeviceStates", NUL},
	{NULL, R},
};

static const struct json_member filter_members[] = {
	{"mode", R}, {"rule", R}, {NULL, R},
};

static const struct json_member grant_members[] = {
	{"operator", R}, {"builtInControls", R}, {"customAuthenticationFactors", R},
	{"termsOfUse", R}, {"authenticationStrength", R}, {NULL, R},
};

/* A GET expands the strength policy; only its id matters on input. */
static const struct json_member strength_members[] = {
	{"id", R},
	{"displayName", IGN}, {"description", IGN}, {"policyType", IGN},
	{"requirementsSatisfied", IGN}, {"allowedCombinations", IGN},
	{"createdDateTime", IGN}, {"modifiedDateTime", IGN}, {"combinationConfigurations", IGN},
	{NULL, R},
};

static const struct json_member session_members[] = {
	{"applicationEnforcedRestrictions", R}, {"cloudAppSecurity", R},
	{"disableResilienceDefaults", R}, {"persistentBrowser", R}, {"signInFrequency", R},
	{"continuousAccessEvaluation", NUL}, {"secureSignInSession", NUL},
	{"networkAccessSecurity", NUL}, {"globalSecureAccessFilteringProfile", NUL},
	{NULL, R},
};

static const struct json_member sif_members[] = {
	{"isEnabled", R}, {"type", R}, {"value", R}, {"authenticationType", R},
	{"frequencyInterval", R}, {NULL, R},
};

static const struct json_member browser_members[] = {
	{"isEnabled", R}, {"mode", R}, {NULL, R},
};

static const struct json_member aer_members[] = {
	{"isEnabled", R}, {NULL, R},
};

static const struct json_member mcas_members[] = {
	{"isEnabled", R}, {"cloudAppSecurityType", R}, {NULL, R},
};

#undef R
#undef IGN
#undef NUL

/* ---- keyword tables ------------------------------------------------------- */

struct kw {
	const char *name;   /* canonical spelling */
	unsigned bit;
};

static const struct kw users_kw[] = {
	{"All", CA_USERS_ALL}, {"None", CA_USERS_NONE},
	{"GuestsOrExternalUsers", CA_USERS_GUESTS}, {NULL, 0},
};
static const struct kw users_excl_kw[] = {
	{"GuestsOrExternalUsers", CA_USERS_GUESTS}, {NULL, 0},
};
static const struct kw apps_kw[] = {
	{"All", CA_APPS_ALL}, {"None", CA_APPS_NONE}, {"Office365", CA_APPS_OFFICE365},
	{"MicrosoftAdminPortals", CA_APPS_ADMIN_PORTALS}, {NULL, 0},
};
static const struct kw apps_excl_kw[] = {
	{"Office365", CA_APPS_OFFICE365}, {"MicrosoftAdminPortals", CA_APPS_ADMIN_PORTALS},
	{NULL, 0},
};
static const struct kw loc_kw[] = {
	{"All", CA_LOC_ALL}, {"AllTrusted", CA_LOC_ALL_TRUSTED}, {NULL, 0},
};
static const struct kw loc_excl_kw[] = {
	{"AllTrusted", CA_LOC_ALL_TRUSTED}, {NULL, 0},
};
static const struct kw no_kw[] = {
	{NULL, 0},
};
/* every keyword of any list, to say "not allowed here" rather than "not a UUID" */
static const char *const any_keyword[] = {
	"All", "None", "GuestsOrExternalUsers", "Office365", "MicrosoftAdminPortals",
	"AllTrusted",
};

/* Keywords that must be the only value of their list. */
#define ALONE_KW (CA_USERS_ALL | CA_USERS_NONE)   /* same bits as CA_APPS_ALL|NONE, CA_LOC_ALL */

/* A caller's value quoted in an error message: only short, printable ones,
 * so the message stays valid UTF-8 within TG_MAX_ERR_MESSAGE. */
static const char *echo(const char *s)
{
	size_t n = strlen(s);
	if (n > 64)
		return "(too long to show)";
	for (const unsigned char *c = (const unsigned char *)s; *c; c++)
		if (*c < 0x20 || *c == 0x7f || *c == '"' || *c == '\\')
			return "(not shown)";
	return s;
}

/* ---- list readers ------------------------------------------------------------ */

/* Read obj[name]: an array of ids and keywords (kws). alone: keyword bits
 * that must stand alone in the list. */
static int read_ids(const json_t *obj, const char *name, const struct kw *kws, unsigned alone,
                    unsigned *kw_out, struct ca_ids *ids, struct json_path *path,
                    struct json_err *err)
{
	const json_t *arr;
	int r = json_get_string_array(obj, name, TG_MAX_CA_LIST, path, err, &arr);
	if (r != TG_OK || !arr)
		return r;
	size_t mark = json_path_push_key(path, name);
	for (size_t i = 0; i < json_array_size(arr); i++) {
		const char *s = json_string_value(json_array_get(arr, i));
		size_t imark = json_path_push_index(path, i);
		const struct kw *k = kws;
		while (k->name && !tg_streq_ci(k->name, s))
			k++;
		if (k->name) {
			if (kw_out)
				*kw_out |= k->bit;
		} else if (uuid_is_valid(s)) {
			if (ca_ids_add(ids, s) != TG_OK)
				return json_fail(err, path, "too many entries");
		} else {
			for (size_t j = 0; j < TG_ARRAY_LEN(any_keyword); j++)
				if (tg_streq_ci(any_keyword[j], s))
					return json_fail(err, path, "\"%s\" is not allowed in %s",
					                 any_keyword[j], name);
			if (kws[0].name)
				return json_fail(err, path, "not a UUID or a keyword");
			return json_fail(err, path, "not a UUID");
		}
		unsigned kwv = kw_out ? *kw_out : 0;
		if ((kwv & alone) && ((kwv & (kwv - 1)) || ids->n))
			return json_fail(err, path, "\"%s\" must be the only value",
			                 (kwv & alone & CA_USERS_ALL) ? "All" : "None");
		json_path_pop(path, imark);
	}
	json_path_pop(path, mark);
	return TG_OK;
}

typedef int (*enum_parse_fn)(const char *s, unsigned *bit_out);

/* Read obj[name]: an array of enum values into a bitmask. allowed: bits
 * accepted in this list; alone: a bit that must stand alone (0 = none). */
static int read_enum_list(const json_t *obj, const char *name, enum_parse_fn parse,
                          unsigned allowed, unsigned alone, unsigned *out,
                          struct json_path *path, struct json_err *err)
{
	const json_t *arr;
	*out = 0;
	int r = json_get_string_array(obj, name, 32, path, err, &arr);
	if (r != TG_OK || !arr)
		return r;
	size_t mark = json_path_push_key(path, name);
	for (size_t i = 0; i < json_array_size(arr); i++) {
		const char *s = json_string_value(json_array_get(arr, i));
		unsigned bit;
		size_t imark = json_path_push_index(path, i);
		if (parse(s, &bit) != TG_OK || !(bit & allowed))
			return json_fail(err, path, "unknown value \"%s\"", echo(s));
		*out |= bit;
		if ((*out & alone) && *out != alone)
			return json_fail(err, path, "\"all\" must be the only value");
		json_path_pop(path, imark);
	}
	json_path_pop(path, mark);
	return TG_OK;
}

/* One enum string member: absent/null -> *out = none_value. */
struct enum_name {
	const char *name;
	int value;
};

static int read_enum(const json_t *obj, const char *name, const struct enum_name *table,
                     int none_value, int *out, struct json_path *path, struct json_err *err)
{
	const char *s;
	bool present;
	*out = none_value;
	int r = json_get_string(obj, name, path, err, &s, &present);
	if (r != TG_OK || !present)
		return r;
	for (const struct enum_name *e = table; e->name; e++) {
		if (tg_streq_ci(e->name, s)) {
			*out = e->value;
			return TG_OK;
		}
	}
	size_t mark = json_path_push_key(path, name);
	r = json_fail(err, path, "unknown value \"%s\"", echo(s));
	json_path_pop(path, mark);
	return r;
}

static const struct enum_name sif_type_names[] = {
	{"hours", CA_SIF_HOURS}, {"days", CA_SIF_DAYS}, {NULL, 0},
};
static const struct enum_name sif_auth_names[] = {
	{"primaryAndSecondaryAuthentication", CA_SIF_AUTH_PRIMARY_AND_SECONDARY},
	{"secondaryAuthentication", CA_SIF_AUTH_SECONDARY}, {NULL, 0},
};
static const struct enum_name sif_interval_names[] = {
	{"timeBased", CA_SIF_TIME_BASED}, {"everyTime", CA_SIF_EVERY_TIME}, {NULL, 0},
};
static const struct enum_name browser_mode_names[] = {
	{"always", CA_BROWSER_ALWAYS}, {"never", CA_BROWSER_NEVER}, {NULL, 0},
};
static const struct enum_name mcas_names[] = {
	{"mcasConfigured", CA_MCAS_CONFIGURED}, {"monitorOnly", CA_MCAS_MONITOR_ONLY},
	{"blockDownloads", CA_MCAS_BLOCK_DOWNLOADS}, {NULL, 0},
};
static const struct enum_name filter_mode_names[] = {
	{"include", CA_FILTER_INCLUDE}, {"exclude", CA_FILTER_EXCLUDE}, {NULL, 0},
};
static const struct enum_name operator_names[] = {
	{"OR", CA_OP_OR}, {"AND", CA_OP_AND}, {NULL, 0},
};

static const char *enum_to_name(const struct enum_name *table, int value)
{
	for (const struct enum_name *e = table; e->name; e++)
		if (e->value == value)
			return e->name;
	return NULL;
}

/* Enter member `name` of obj if it is a non-null object: checks its
 * members and pushes its path. *sub_out NULL when absent/null. */
static int enter(const json_t *obj, const char *name, const struct json_member *members,
                 const json_t **sub_out, size_t *mark_out, struct json_path *path,
                 struct json_err *err)
{
	int r = json_get_object(obj, name, path, err, sub_out);
	if (r != TG_OK || !*sub_out)
		return r;
	*mark_out = json_path_push_key(path, name);
	return json_check_members(*sub_out, members, path, err);
}

/* ---- conditions ------------------------------------------------------------- */

static int read_users(const json_t *c, struct ca_users *u, struct json_path *path,
                      struct json_err *err)
{
	const json_t *o;
	size_t mark;
	int r = enter(c, "users", users_members, &o, &mark, path, err);
	if (r != TG_OK || !o)
		return r;
	if ((r = read_ids(o, "includeUsers", users_kw, ALONE_KW, &u->include_kw,
	                  &u->include_users, path, err)) != TG_OK ||
	    (r = read_ids(o, "excludeUsers", users_excl_kw, 0, &u->exclude_kw,
	                  &u->exclude_users, path, err)) != TG_OK ||
	    (r = read_ids(o, "includeGroups", no_kw, 0, NULL, &u->include_groups, path, err)) != TG_OK ||
	    (r = read_ids(o, "excludeGroups", no_kw, 0, NULL, &u->exclude_groups, path, err)) != TG_OK ||
	    (r = read_ids(o, "includeRoles", no_kw, 0, NULL, &u->include_roles, path, err)) != TG_OK ||
	    (r = read_ids(o, "excludeRoles", no_kw, 0, NULL, &u->exclude_roles, path, err)) != TG_OK)
		return r;
	json_path_pop(path, mark);
	return TG_OK;
}

static int read_apps(const json_t *c, struct ca_apps *a, struct json_path *path,
                     struct json_err *err)
{
	const json_t *o;
	size_t mark;
	int r = enter(c, "applications", apps_members, &o, &mark, path, err);
	if (r != TG_OK || !o)
		return r;
	if ((r = read_ids(o, "includeApplications", apps_kw, ALONE_KW, &a->include_kw,
	                  &a->include_apps, path, err)) != TG_OK ||
	    (r = read_ids(o, "excludeApplications", apps_excl_kw, 0, &a->exclude_kw,
	                  &a->exclude_apps, path, err)) != TG_OK ||
	    (r = read_enum_list(o, "includeUserActions", ca_user_action_parse, ~0u, 0,
	                        &a->user_actions, path, err)) != TG_OK)
		return r;
	json_path_pop(path, mark);
	return TG_OK;
}

static int read_locations(const json_t *c, struct ca_locations *l, struct json_path *path,
                          struct json_err *err)
{
	const json_t *o;
	size_t mark;
	int r = enter(c, "locations", locations_members, &o, &mark, path, err);
	if (r != TG_OK || !o)
		return r;
	if ((r = read_ids(o, "includeLocations", loc_kw, CA_LOC_ALL, &l->include_kw,
	                  &l->include, path, err)) != TG_OK ||
	    (r = read_ids(o, "excludeLocations", loc_excl_kw, 0, &l->exclude_kw,
	                  &l->exclude, path, err)) != TG_OK)
		return r;
	/* {includeLocations: [], excludeLocations: []} is no condition at all */
	l->present = l->include_kw || l->include.n || l->exclude_kw || l->exclude.n;
	json_path_pop(path, mark);
	return TG_OK;
}

static int read_platforms(const json_t *c, struct ca_platforms *p, struct json_path *path,
                          struct json_err *err)
{
	const json_t *o;
	size_t mark;
	int r = enter(c, "platforms", platforms_members, &o, &mark, path, err);
	if (r != TG_OK || !o)
		return r;
	if ((r = read_enum_list(o, "includePlatforms", ca_platform_parse, ~0u, CA_PLAT_ALL,
	                        &p->include, path, err)) != TG_OK ||
	    (r = read_enum_list(o, "excludePlatforms", ca_platform_parse,
	                        ~(unsigned)CA_PLAT_ALL, 0, &p->exclude, path, err)) != TG_OK)
		return r;
	p->present = p->include || p->exclude;
	json_path_pop(path, mark);
	return TG_OK;
}

static int read_devices(const json_t *c, struct ca_devices *d, struct json_path *path,
                        struct json_err *err)
{
	const json_t *o, *f;
	size_t mark, fmark;
	int r = enter(c, "devices", devices_members, &o, &mark, path, err);
	if (r != TG_OK || !o)
		return r;
	if ((r = enter(o, "deviceFilter", filter_members, &f, &fmark, path, err)) != TG_OK)
		return r;
	if (f) {
		int mode;
		const char *rule;
		bool has_mode, has_rule;
		if ((r = read_enum(f, "mode", filter_mode_names, -1, &mode, path, err)) != TG_OK)
			return r;
		has_mode = mode >= 0;
		if ((r = json_get_string(f, "rule", path, err, &rule, &has_rule)) != TG_OK)
			return r;
		if (!has_mode) {
			(void)json_path_push_key(path, "mode");
			return json_fail(err, path, "required: include or exclude");
		}
		if (!has_rule || !rule[0]) {
			(void)json_path_push_key(path, "rule");
			return json_fail(err, path, "required");
		}
		if (strlen(rule) > TG_MAX_CA_DEVICE_RULE) {
			(void)json_path_push_key(path, "rule");
			return json_fail(err, path, "longer than %d bytes", TG_MAX_CA_DEVICE_RULE);
		}
		d->present = true;
		d->mode = (enum ca_filter_mode)mode;
		d->rule = xstrdup(rule);
		json_path_pop(path, fmark);
	}
	json_path_pop(path, mark);
	return TG_OK;
}

static int read_conditions(const json_t *root, struct ca_conditions *c, struct json_path *path,
                           struct json_err *err)
{
	const json_t *o;
	size_t mark;
	int r = enter(root, "conditions", conditions_members, &o, &mark, path, err);
	if (r != TG_OK || !o)
		return r;
	const unsigned risk_all = CA_RISK_LOW | CA_RISK_MEDIUM | CA_RISK_HIGH | CA_RISK_HIDDEN |
	                          CA_RISK_NONE;
	if ((r = read_users(o, &c->users, path, err)) != TG_OK ||
	    (r = read_apps(o, &c->apps, path, err)) != TG_OK ||
	    (r = read_enum_list(o, "clientAppTypes", ca_client_app_type_parse, ~0u, CA_CLIENT_ALL,
	                        &c->client_app_types, path, err)) != TG_OK ||
	    (r = read_locations(o, &c->locations, path, err)) != TG_OK ||
	    (r = read_platforms(o, &c->platforms, path, err)) != TG_OK ||
	    (r = read_devices(o, &c->devices, path, err)) != TG_OK ||
	    (r = read_enum_list(o, "signInRiskLevels", ca_risk_parse, risk_all, 0,
	                        &c->sign_in_risk, path, err)) != TG_OK ||
	    (r = read_enum_list(o, "userRiskLevels", ca_risk_parse, risk_all, 0,
	                        &c->user_risk, path, err)) != TG_OK ||
	    (r = read_enum_list(o, "servicePrincipalRiskLevels", ca_risk_parse,
	                        risk_all & ~(unsigned)CA_RISK_HIDDEN, 0, &c->sp_risk, path,
	                        err)) != TG_OK)
		return r;
	if (c->client_app_types == 0)   /* absent, null or []: Graph's default */
		c->client_app_types = CA_CLIENT_ALL;
	json_path_pop(path, mark);
	return TG_OK;
}

/* ---- grant controls ---------------------------------------------------------- */

static int read_grant(const json_t *root, struct ca_grant *g, struct json_path *path,
                      struct json_err *err)
{
	const json_t *o, *arr;
	size_t mark;
	int r = enter(root, "grantControls", grant_members, &o, &mark, path, err);
	if (r != TG_OK || !o)
		return r;
	int op;
	if ((r = read_enum(o, "operator", operator_names, CA_OP_OR, &op, path, err)) != TG_OK)
		return r;
	g->op = (enum ca_operator)op;
	if ((r = read_enum_list(o, "builtInControls", ca_control_parse, ~0u, 0, &g->builtin,
	                        path, err)) != TG_OK)
		return r;
	if ((r = json_get_string_array(o, "customAuthenticationFactors", TG_MAX_CA_LIST, path,
	                               err, &arr)) != TG_OK)
		return r;
	for (size_t i = 0; arr && i < json_array_size(arr); i++) {
		if (ca_strs_add(&g->custom_factors, json_string_value(json_array_get(arr, i))) != TG_OK) {
			(void)json_path_push_key(path, "customAuthenticationFactors");
			(void)json_path_push_index(path, i);
			return json_fail(err, path, "not a valid custom control id (1 to %d printable characters)",
			                 TG_MAX_CA_CUSTOM_ID);
		}
	}
	if ((r = read_ids(o, "termsOfUse", no_kw, 0, NULL, &g->terms_of_use, path, err)) != TG_OK)
		return r;

	const json_t *s;
	size_t smark;
	if ((r = enter(o, "authenticationStrength", strength_members, &s, &smark, path, err)) != TG_OK)
		return r;
	if (s) {
		const char *id;
		bool has_id;
		if ((r = json_get_string(s, "id", path, err, &id, &has_id)) != TG_OK)
			return r;
		(void)json_path_push_key(path, "id");
		if (!has_id)
			return json_fail(err, path, "required");
		if (!uuid_is_valid(id))
			return json_fail(err, path, "not a UUID");
		tg_strlcpy(g->auth_strength, id, sizeof g->auth_strength);
		tg_ascii_lower(g->auth_strength);
		json_path_pop(path, smark);
	}
	g->present = g->builtin || g->custom_factors.n || g->terms_of_use.n || g->auth_strength[0];
	if (!g->present)
		g->op = CA_OP_OR;
	json_path_pop(path, mark);
	return TG_OK;
}

/* ---- session controls --------------------------------------------------------- */

static int read_sif(const json_t *o, struct ca_sign_in_frequency *f, struct json_path *path,
                    struct json_err *err)
{
	const json_t *s;
	size_t mark;
	int r = enter(o, "signInFrequency", sif_members, &s, &mark, path, err);
	if (r != TG_OK || !s)
		return r;
	int type, auth, interval;
	int64_t value;
	bool has_value;
	if ((r = json_get_bool(s, "isEnabled", path, err, &f->is_enabled, NULL)) != TG_OK ||
	    (r = read_enum(s, "type", sif_type_names, CA_SIF_TYPE_NONE, &type, path, err)) != TG_OK ||
	    (r = json_get_int(s, "value", 1, 365, path, err, &value, &has_value)) != TG_OK ||
	    (r = read_enum(s, "authenticationType", sif_auth_names, CA_SIF_AUTH_NONE, &auth, path,
	                   err)) != TG_OK ||
	    (r = read_enum(s, "frequencyInterval", sif_interval_names, CA_SIF_INTERVAL_NONE,
	                   &interval, path, err)) != TG_OK)
		return r;
	f->present = true;
	f->type = (enum ca_sif_type)type;
	f->value = (int32_t)value;
	f->auth_type = (enum ca_sif_auth)auth;
	f->interval = (enum ca_sif_interval)interval;
	json_path_pop(path, mark);
	return TG_OK;
}

static int read_session(const json_t *root, struct ca_session *ss, struct json_path *path,
                        struct json_err *err)
{
	const json_t *o, *s;
	size_t mark, smark;
	int r = enter(root, "sessionControls", session_members, &o, &mark, path, err);
	if (r != TG_OK || !o)
		return r;
	if ((r = read_sif(o, &ss->sif, path, err)) != TG_OK)
		return r;

	if ((r = enter(o, "persistentBrowser", browser_members, &s, &smark, path, err)) != TG_OK)
		return r;
	if (s) {
		int mode;
		if ((r = json_get_bool(s, "isEnabled", path, err, &ss->persistent_browser.is_enabled,
		                       NULL)) != TG_OK ||
		    (r = read_enum(s, "mode", browser_mode_names, CA_BROWSER_MODE_NONE, &mode, path,
		                   err)) != TG_OK)
			return r;
		ss->persistent_browser.present = true;
		ss->persistent_browser.mode = (enum ca_browser_mode)mode;
		json_path_pop(path, smark);
	}

	if ((r = enter(o, "applicationEnforcedRestrictions", aer_members, &s, &smark, path,
	               err)) != TG_OK)
		return r;
	if (s) {
		if ((r = json_get_bool(s, "isEnabled", path, err, &ss->app_enforced_enabled,
		                       NULL)) != TG_OK)
			return r;
		ss->app_enforced_present = true;
		json_path_pop(path, smark);
	}

	if ((r = enter(o, "cloudAppSecurity", mcas_members, &s, &smark, path, err)) != TG_OK)
		return r;
	if (s) {
		int type;
		if ((r = json_get_bool(s, "isEnabled", path, err, &ss->cloud_app_security_enabled,
		                       NULL)) != TG_OK ||
		    (r = read_enum(s, "cloudAppSecurityType", mcas_names, CA_MCAS_NONE, &type, path,
		                   err)) != TG_OK)
			return r;
		ss->cloud_app_security_present = true;
		ss->cloud_app_security_type = (enum ca_mcas_type)type;
		json_path_pop(path, smark);
	}

	if ((r = json_get_bool(o, "disableResilienceDefaults", path, err, &ss->disable_resilience,
	                       &ss->disable_resilience_present)) != TG_OK)
		return r;

	ss->present = ss->sif.present || ss->persistent_browser.present ||
	              ss->app_enforced_present || ss->cloud_app_security_present ||
	              ss->disable_resilience_present;
	json_path_pop(path, mark);
	return TG_OK;
}

/* ---- the policy ------------------------------------------------------------------ */

static int read_time(const json_t *root, const char *name, int64_t *out,
                     struct json_path *path, struct json_err *err)
{
	const char *s;
	bool present;
	*out = 0;
	int r = json_get_string(root, name, path, err, &s, &present);
	if (r != TG_OK || !present)
		return r;
	if (tg_time_parse_iso(s, out) != TG_OK) {
		(void)json_path_push_key(path, name);
		return json_fail(err, path, "not an ISO 8601 time");
	}
	return TG_OK;
}

static int read_policy(const json_t *root, unsigned flags, struct ca_policy *p,
                       struct json_path *path, struct json_err *err)
{
	int r = json_check_members(root, policy_members, path, err);
	if (r != TG_OK)
		return r;

	const char *s;
	bool present;
	if (flags & CA_JSON_READ_ONLY_FIELDS) {
		if ((r = json_get_string(root, "id", path, err, &s, &present)) != TG_OK)
			return r;
		if (present) {
			if (!uuid_is_valid(s)) {
				(void)json_path_push_key(path, "id");
				return json_fail(err, path, "not a UUID");
			}
			tg_strlcpy(p->id, s, sizeof p->id);
			tg_ascii_lower(p->id);
		}
		if ((r = read_time(root, "createdDateTime", &p->created, path, err)) != TG_OK ||
		    (r = read_time(root, "modifiedDateTime", &p->modified, path, err)) != TG_OK)
			return r;
	}

	if ((r = json_get_string(root, "displayName", path, err, &s, &present)) != TG_OK)
		return r;
	if (present && ca_policy_set_display_name(p, s) != TG_OK) {
		(void)json_path_push_key(path, "displayName");
		return json_fail(err, path, "must be 1 to %d bytes of text without control characters",
		                 TG_MAX_DISPLAY_NAME);
	}

	if ((r = json_get_string(root, "state", path, err, &s, &present)) != TG_OK)
		return r;
	if (present && ca_state_parse(s, &p->state) != TG_OK) {
		(void)json_path_push_key(path, "state");
		return json_fail(err, path, "unknown value \"%s\" (enabled, disabled, "
		                 "enabledForReportingButNotEnforced)", echo(s));
	}

	if ((r = read_conditions(root, &p->cond, path, err)) != TG_OK ||
	    (r = read_grant(root, &p->grant, path, err)) != TG_OK ||
	    (r = read_session(root, &p->session, path, err)) != TG_OK)
		return r;
	return TG_OK;
}

int ca_policy_from_json(const json_t *root, unsigned flags, struct ca_policy *out,
                        struct json_err *err)
{
	struct json_path path;
	json_path_init(&path);
	ca_policy_init(out);
	if (err)
		err->path[0] = err->message[0] = '\0';
	int r = read_policy(root, flags, out, &path, err);
	if (r != TG_OK)
		ca_policy_cleanup(out);
	return r;
}

int ca_policy_parse(const char *text, size_t len, unsigned flags, struct ca_policy *out,
                    struct json_err *err)
{
	json_t *root = NULL;
	ca_policy_init(out);
	int r = json_load_strict(text, len, TG_MAX_CA_POLICY_JSON, TG_MAX_JSON_DEPTH, &root, err);
	if (r != TG_OK)
		return r;
	r = ca_policy_from_json(root, flags, out, err);
	json_decref(root);
	if (r != TG_OK)
		return r;
	struct ca_error ce;
	r = ca_policy_validate(out, &ce);
	if (r != TG_OK) {
		if (err) {
			tg_strlcpy(err->path, ce.path, sizeof err->path);
			tg_strlcpy(err->message, ce.message, sizeof err->message);
		}
		ca_policy_cleanup(out);
	}
	return r;
}

/* ---- the writer ------------------------------------------------------------------- */

static json_t *jstr(const char *s)
{
	json_t *v = s ? json_string(s) : json_null();
	if (!v)
		abort();
	return v;
}

static void set(json_t *obj, const char *key, json_t *v)
{
	if (!v || json_object_set_new(obj, key, v) != 0)
		abort();
}

static void push(json_t *arr, json_t *v)
{
	if (!v || json_array_append_new(arr, v) != 0)
		abort();
}

static json_t *new_object(void)
{
	json_t *o = json_object();
	if (!o)
		abort();
	return o;
}

static json_t *new_array(void)
{
	json_t *a = json_array();
	if (!a)
		abort();
	return a;
}

static json_t *ids_array(const struct kw *kws, unsigned kw_bits, const struct ca_ids *ids)
{
	json_t *a = new_array();
	for (const struct kw *k = kws; k && k->name; k++)
		if (kw_bits & k->bit)
			push(a, jstr(k->name));
	for (size_t i = 0; i < ids->n; i++)
		push(a, jstr(ids->v[i]));
	return a;
}

static json_t *bits_array(unsigned bits, const char *(*name)(unsigned))
{
	json_t *a = new_array();
	for (unsigned b = 1; b != 0 && b <= bits; b <<= 1) {
		const char *n = (bits & b) ? name(b) : NULL;
		if (n)
			push(a, jstr(n));
	}
	return a;
}

static json_t *time_value(int64_t t)
{
	if (t == 0)
		return json_null();
	char buf[TG_TIME_ISO_LEN];
	tg_time_iso(t, buf);
	return jstr(buf);
}

static json_t *write_conditions(const struct ca_conditions *c)
{
	json_t *o = new_object();
	set(o, "userRiskLevels", bits_array(c->user_risk, ca_risk_name));
	set(o, "signInRiskLevels", bits_array(c->sign_in_risk, ca_risk_name));
	set(o, "servicePrincipalRiskLevels", bits_array(c->sp_risk, ca_risk_name));
	set(o, "clientAppTypes", bits_array(c->client_app_types ? c->client_app_types : CA_CLIENT_ALL,
	                                    ca_client_app_type_name));
	if (c->platforms.present) {
		json_t *p = new_object();
		set(p, "includePlatforms", bits_array(c->platforms.include, ca_platform_name));
		set(p, "excludePlatforms", bits_array(c->platforms.exclude, ca_platform_name));
		set(o, "platforms", p);
	} else {
		set(o, "platforms", json_null());
	}
	if (c->locations.present) {
		json_t *l = new_object();
		set(l, "includeLocations", ids_array(loc_kw, c->locations.include_kw, &c->locations.include));
		set(l, "excludeLocations", ids_array(loc_kw, c->locations.exclude_kw, &c->locations.exclude));
		set(o, "locations", l);
	} else {
		set(o, "locations", json_null());
	}
	if (c->devices.present) {
		json_t *d = new_object(), *f = new_object();
		set(f, "mode", jstr(enum_to_name(filter_mode_names, (int)c->devices.mode)));
		set(f, "rule", jstr(c->devices.rule ? c->devices.rule : ""));
		set(d, "deviceFilter", f);
		set(o, "devices", d);
	} else {
		set(o, "devices", json_null());
	}
	json_t *a = new_object();
	set(a, "includeApplications", ids_array(apps_kw, c->apps.include_kw, &c->apps.include_apps));
	set(a, "excludeApplications", ids_array(apps_kw, c->apps.exclude_kw, &c->apps.exclude_apps));
	set(a, "includeUserActions", bits_array(c->apps.user_actions, ca_user_action_name));
	set(o, "applications", a);
	json_t *u = new_object();
	set(u, "includeUsers", ids_array(users_kw, c->users.include_kw, &c->users.include_users));
	set(u, "excludeUsers", ids_array(users_kw, c->users.exclude_kw, &c->users.exclude_users));
	set(u, "includeGroups", ids_array(NULL, 0, &c->users.include_groups));
	set(u, "excludeGroups", ids_array(NULL, 0, &c->users.exclude_groups));
	set(u, "includeRoles", ids_array(NULL, 0, &c->users.include_roles));
	set(u, "excludeRoles", ids_array(NULL, 0, &c->users.exclude_roles));
	set(o, "users", u);
	return o;
}

static json_t *write_grant(const struct ca_grant *g)
{
	if (!g->present)
		return json_null();
	json_t *o = new_object();
	set(o, "operator", jstr(g->op == CA_OP_AND ? "AND" : "OR"));
	set(o, "builtInControls", bits_array(g->builtin, ca_control_name));
	json_t *cf = new_array();
	for (size_t i = 0; i < g->custom_factors.n; i++)
		push(cf, jstr(g->custom_factors.v[i]));
	set(o, "customAuthenticationFactors", cf);
	set(o, "termsOfUse", ids_array(NULL, 0, &g->terms_of_use));
	if (g->auth_strength[0]) {
		json_t *s = new_object();
		set(s, "id", jstr(g->auth_strength));
		set(o, "authenticationStrength", s);
	} else {
		set(o, "authenticationStrength", json_null());
	}
	return o;
}

static json_t *write_session(const struct ca_session *s)
{
	if (!s->present)
		return json_null();
	json_t *o = new_object();
	if (s->app_enforced_present) {
		json_t *a = new_object();
		set(a, "isEnabled", json_boolean(s->app_enforced_enabled));
		set(o, "applicationEnforcedRestrictions", a);
	} else {
		set(o, "applicationEnforcedRestrictions", json_null());
	}
	if (s->persistent_browser.present) {
		json_t *b = new_object();
		set(b, "isEnabled", json_boolean(s->persistent_browser.is_enabled));
		set(b, "mode", jstr(enum_to_name(browser_mode_names, (int)s->persistent_browser.mode)));
		set(o, "persistentBrowser", b);
	} else {
		set(o, "persistentBrowser", json_null());
	}
	if (s->cloud_app_security_present) {
		json_t *m = new_object();
		set(m, "cloudAppSecurityType",
		    jstr(enum_to_name(mcas_names, (int)s->cloud_app_security_type)));
		set(m, "isEnabled", json_boolean(s->cloud_app_security_enabled));
		set(o, "cloudAppSecurity", m);
	} else {
		set(o, "cloudAppSecurity", json_null());
	}
	const struct ca_sign_in_frequency *f = &s->sif;
	if (f->present) {
		json_t *j = new_object();
		set(j, "value", f->type == CA_SIF_TYPE_NONE && f->value == 0 ? json_null()
		                                                             : json_integer(f->value));
		set(j, "type", jstr(enum_to_name(sif_type_names, (int)f->type)));
		set(j, "authenticationType", jstr(enum_to_name(sif_auth_names, (int)f->auth_type)));
		set(j, "frequencyInterval", jstr(enum_to_name(sif_interval_names, (int)f->interval)));
		set(j, "isEnabled", json_boolean(f->is_enabled));
		set(o, "signInFrequency", j);
	} else {
		set(o, "signInFrequency", json_null());
	}
	set(o, "disableResilienceDefaults",
	    s->disable_resilience_present ? json_boolean(s->disable_resilience) : json_null());
	return o;
}

json_t *ca_policy_to_json(const struct ca_policy *p)
{
	json_t *o = new_object();
	set(o, "id", p->id[0] ? jstr(p->id) : json_null());
	set(o, "displayName", jstr(p->display_name));
	set(o, "createdDateTime", time_value(p->created));
	set(o, "modifiedDateTime", time_value(p->modified));
	set(o, "state", p->state == CA_STATE_UNSET ? json_null() : jstr(ca_state_name(p->state)));
	set(o, "sessionControls", write_session(&p->session));
	set(o, "conditions", write_conditions(&p->cond));
	set(o, "grantControls", write_grant(&p->grant));
	return o;
}

char *ca_policy_to_text(const struct ca_policy *p, bool pretty)
{
	json_t *o = ca_policy_to_json(p);
	char *s = json_dump_canonical(o, pretty);
	json_decref(o);
	return s;
}
