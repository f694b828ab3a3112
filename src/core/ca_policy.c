/* SPDX-License-Identifier: MIT
 * Conditional Access policy model (see ca_policy.h): life cycle, bounded
 * lists, Graph enum names, and the semantic validator.
 * Sections: enum tables, lists, life cycle, equality, validation, helpers. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/err.h"
#include "base/mem.h"
#include "base/str.h"
#include "core/ca_policy.h"
#include "core/uuid.h"

/* ---- enum tables -------------------------------------------------------- */

struct name_bit {
	const char *name;   /* canonical Graph spelling */
	unsigned bit;
};

static const struct name_bit client_app_names[] = {
	{"all", CA_CLIENT_ALL},
	{"browser", CA_CLIENT_BROWSER},
	{"mobileAppsAndDesktopClients", CA_CLIENT_MOBILE_DESKTOP},
	{"exchangeActiveSync", CA_CLIENT_EXCHANGE_ACTIVESYNC},
	{"easSupported", CA_CLIENT_EAS_SUPPORTED},
	{"other", CA_CLIENT_OTHER},
	{NULL, 0},
};

static const struct name_bit platform_names[] = {
	{"all", CA_PLAT_ALL},
	{"android", CA_PLAT_ANDROID},
	{"iOS", CA_PLAT_IOS},
	{"windows", CA_PLAT_WINDOWS},
	{"windowsPhone", CA_PLAT_WINDOWS_PHONE},
	{"macOS", CA_PLAT_MACOS},
	{"linux", CA_PLAT_LINUX},
	{NULL, 0},
};

static const struct name_bit risk_names[] = {
	{"low", CA_RISK_LOW},
	{"medium", CA_RISK_MEDIUM},
	{"high", CA_RISK_HIGH},
	{"hidden", CA_RISK_HIDDEN},
	{"none", CA_RISK_NONE},
	{NULL, 0},
};

static const struct name_bit control_names[] = {
	{"block", CA_CTL_BLOCK},
	{"mfa", CA_CTL_MFA},
	{"compliantDevice", CA_CTL_COMPLIANT_DEVICE},
	{"domainJoinedDevice", CA_CTL_DOMAIN_JOINED_DEVICE},
	{"approvedApplication", CA_CTL_APPROVED_APPLICATION},
	{"compliantApplication", CA_CTL_COMPLIANT_APPLICATION},
	{"passwordChange", CA_CTL_PASSWORD_CHANGE},
	{NULL, 0},
};

static const struct name_bit user_action_names[] = {
	{"urn:user:registersecurityinfo", CA_UA_REGISTER_SECURITY_INFO},
	{"urn:user:registerdevice", CA_UA_REGISTER_DEVICE},
	{NULL, 0},
};

static const char *bit_name(const struct name_bit *t, unsigned bit)
{
	for (; t->name; t++)
		if (t->bit == bit)
			return t->name;
	return NULL;
}

static int bit_parse(const struct name_bit *t, const char *s, unsigned *bit_out)
{
	if (!s)
		return TG_ERR_INVALID;
	for (; t->name; t++) {
		if (tg_streq_ci(t->name, s)) {
			*bit_out = t->bit;
			return TG_OK;
		}
	}
	return TG_ERR_INVALID;
}

const char *ca_client_app_type_name(unsigned bit) { return bit_name(client_app_names, bit); }
const char *ca_platform_name(unsigned bit) { return bit_name(platform_names, bit); }
const char *ca_risk_name(unsigned bit) { return bit_name(risk_names, bit); }
const char *ca_control_name(unsigned bit) { return bit_name(control_names, bit); }
const char *ca_user_action_name(unsigned bit) { return bit_name(user_action_names, bit); }

int ca_client_app_type_parse(const char *s, unsigned *bit_out)
{
	/* "easUnsupported" is Graph's deprecated name for exchangeActiveSync. */
	if (s && tg_streq_ci(s, "easUnsupported")) {
		*bit_out = CA_CLIENT_EXCHANGE_ACTIVESYNC;
		return TG_OK;
	}
	return bit_parse(client_app_names, s, bit_out);
}

int ca_platform_parse(const char *s, unsigned *bit_out) { return bit_parse(platform_names, s, bit_out); }
int ca_risk_parse(const char *s, unsigned *bit_out) { return bit_parse(risk_names, s, bit_out); }
int ca_control_parse(const char *s, unsigned *bit_out) { return bit_parse(control_names, s, bit_out); }
int ca_user_action_parse(const char *s, unsigned *bit_out) { return bit_parse(user_action_names, s, bit_out); }

const char *ca_state_name(enum ca_state s)
{
	switch (s) {
	case CA_STATE_ENABLED: return "enabled";
	case CA_STATE_DISABLED: return "disabled";
	case CA_STATE_REPORT_ONLY: return "enabledForReportingButNotEnforced";
	case CA_STATE_UNSET: break;
	}
	return "";
}

int ca_state_parse(const char *s, enum ca_state *out)
{
	static const enum ca_state all[] = {
		CA_STATE_ENABLED, CA_STATE_DISABLED, CA_STATE_REPORT_ONLY,
	};
	if (!s)
		return TG_ERR_INVALID;
	for (size_t i = 0; i < TG_ARRAY_LEN(all); i++) {
		if (tg_streq_ci(s, ca_state_name(all[i]))) {
			*out = all[i];
			return TG_OK;
		}
	}
	return TG_ERR_INVALID;
}

/* ---- lists ---------------------------------------------------------------- */

static bool id_canonical(const char *s)
{
	if (!uuid_is_valid(s))
		return false;
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'F')
			return false;
	return true;
}

bool ca_ids_contains(const struct ca_ids *l, const char *id)
{
	for (size_t i = 0; i < l->n; i++)
		if (tg_streq_ci(l->v[i], id))
			return true;
	return false;
}

int ca_ids_add(struct ca_ids *l, const char *id)
{
	if (!id || !uuid_is_valid(id))
		return TG_ERR_INVALID;
	if (ca_ids_contains(l, id))
		return TG_OK;
	if (l->n >= TG_MAX_CA_LIST)
		return TG_ERR_TOO_LARGE;
	/* grow in steps of 8 so that small lists stay small */
	if (l->n % 8 == 0)
		l->v = xrealloc(l->v, (l->n + 8) * sizeof l->v[0]);
	memcpy(l->v[l->n], id, CA_ID_SIZE);
	tg_ascii_lower(l->v[l->n]);
	l->n++;
	return TG_OK;
}

void ca_ids_cleanup(struct ca_ids *l)
{
	if (!l)
		return;
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static void ids_dup(struct ca_ids *dst, const struct ca_ids *src)
{
	dst->n = src->n;
	dst->v = NULL;
	if (src->n == 0)
		return;
	size_t cap = (src->n + 7) / 8 * 8;
	dst->v = xmalloc(cap * sizeof dst->v[0]);
	memcpy(dst->v, src->v, src->n * sizeof dst->v[0]);
}

static bool ids_equal(const struct ca_ids *a, const struct ca_ids *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->v[i], b->v[i]) != 0)
			return false;
	return true;
}

static bool custom_id_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > TG_MAX_CA_CUSTOM_ID)
		return false;
	for (; *s; s++)
		if ((unsigned char)*s < 0x21 || (unsigned char)*s > 0x7e)
			return false;
	return true;
}

int ca_strs_add(struct ca_strs *l, const char *s)
{
	if (!s || !custom_id_ok(s))
		return TG_ERR_INVALID;
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i], s) == 0)
			return TG_OK;
	if (l->n >= TG_MAX_CA_LIST)
		return TG_ERR_TOO_LARGE;
	if (l->n % 8 == 0)
		l->v = xrealloc(l->v, (l->n + 8) * sizeof l->v[0]);
	l->v[l->n++] = xstrdup(s);
	return TG_OK;
}

void ca_strs_cleanup(struct ca_strs *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static void strs_dup(struct ca_strs *dst, const struct ca_strs *src)
{
	dst->n = src->n;
	dst->v = NULL;
	if (src->n == 0)
		return;
	/* same capacity rule as ca_strs_add: multiples of 8 */
	dst->v = xmalloc((src->n + 7) / 8 * 8 * sizeof dst->v[0]);
	for (size_t i = 0; i < src->n; i++)
		dst->v[i] = xstrdup(src->v[i]);
}

static bool strs_equal(const struct ca_strs *a, const struct ca_strs *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->v[i], b->v[i]) != 0)
			return false;
	return true;
}

/* ---- life cycle --------------------------------------------------------- */

void ca_policy_init(struct ca_policy *p)
{
	memset(p, 0, sizeof *p);
	p->state = CA_STATE_UNSET;
	p->cond.client_app_types = CA_CLIENT_ALL;
	p->grant.op = CA_OP_OR;
}

/* Every id list of a policy, with its JSON path, for cleanup, copy,
 * comparison and validation alike. */
struct ids_ref {
	size_t off;
	const char *path;
};

#define IDS(member, path) {offsetof(struct ca_policy, member), path}
static const struct ids_ref ids_fields[] = {
	IDS(cond.users.include_users, "conditions.users.includeUsers"),
	IDS(cond.users.exclude_users, "conditions.users.excludeUsers"),
	IDS(cond.users.include_groups, "conditions.users.includeGroups"),
	IDS(cond.users.exclude_groups, "conditions.users.excludeGroups"),
	IDS(cond.users.include_roles, "conditions.users.includeRoles"),
	IDS(cond.users.exclude_roles, "conditions.users.excludeRoles"),
	IDS(cond.apps.include_apps, "conditions.applications.includeApplications"),
	IDS(cond.apps.exclude_apps, "conditions.applications.excludeApplications"),
	IDS(cond.locations.include, "conditions.locations.includeLocations"),
	IDS(cond.locations.exclude, "conditions.locations.excludeLocations"),
	IDS(grant.terms_of_use, "grantControls.termsOfUse"),
};
#undef IDS

static struct ca_ids *ids_at(struct ca_policy *p, size_t i)
{
	return (struct ca_ids *)(void *)((char *)p + ids_fields[i].off);
}

static const struct ca_ids *ids_at_c(const struct ca_policy *p, size_t i)
{
	return (const struct ca_ids *)(const void *)((const char *)p + ids_fields[i].off);
}

void ca_policy_cleanup(struct ca_policy *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < TG_ARRAY_LEN(ids_fields); i++)
		ca_ids_cleanup(ids_at(p, i));
	ca_strs_cleanup(&p->grant.custom_factors);
	free(p->display_name);
	free(p->cond.devices.rule);
	ca_policy_init(p);
}

struct ca_policy *ca_policy_new(void)
{
	struct ca_policy *p = xmalloc(sizeof *p);
	ca_policy_init(p);
	return p;
}

void ca_policy_free(struct ca_policy *p)
{
	if (!p)
		return;
	ca_policy_cleanup(p);
	free(p);
}

void ca_policy_dup(struct ca_policy *dst, const struct ca_policy *src)
{
	*dst = *src;   /* scalars; every pointer is replaced below */
	for (size_t i = 0; i < TG_ARRAY_LEN(ids_fields); i++)
		ids_dup(ids_at(dst, i), ids_at_c(src, i));
	strs_dup(&dst->grant.custom_factors, &src->grant.custom_factors);
	dst->display_name = src->display_name ? xstrdup(src->display_name) : NULL;
	dst->cond.devices.rule = src->cond.devices.rule ? xstrdup(src->cond.devices.rule) : NULL;
}

int ca_policy_set_display_name(struct ca_policy *p, const char *name)
{
	size_t n = name ? strlen(name) : 0;
	if (n == 0 || n > TG_MAX_DISPLAY_NAME || !tg_utf8_valid(name, n, NULL) || tg_has_ctl(name))
		return TG_ERR_INVALID;
	free(p->display_name);
	p->display_name = xstrdup(name);
	return TG_OK;
}

/* ---- equality ------------------------------------------------------------ */

static bool opt_str_equal(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

bool ca_policy_equal(const struct ca_policy *a, const struct ca_policy *b)
{
	for (size_t i = 0; i < TG_ARRAY_LEN(ids_fields); i++)
		if (!ids_equal(ids_at_c(a, i), ids_at_c(b, i)))
			return false;
	if (!strs_equal(&a->grant.custom_factors, &b->grant.custom_factors))
		return false;
	if (strcmp(a->id, b->id) != 0 || !opt_str_equal(a->display_name, b->display_name) ||
	    a->state != b->state || a->created != b->created || a->modified != b->modified)
		return false;

	const struct ca_conditions *ca = &a->cond, *cb = &b->cond;
	if (ca->users.include_kw != cb->users.include_kw ||
	    ca->users.exclude_kw != cb->users.exclude_kw ||
	    ca->apps.include_kw != cb->apps.include_kw ||
	    ca->apps.exclude_kw != cb->apps.exclude_kw ||
	    ca->apps.user_actions != cb->apps.user_actions ||
	    ca->client_app_types != cb->client_app_types ||
	    ca->locations.present != cb->locations.present ||
	    ca->locations.include_kw != cb->locations.include_kw ||
	    ca->locations.exclude_kw != cb->locations.exclude_kw ||
	    ca->platforms.present != cb->platforms.present ||
	    ca->platforms.include != cb->platforms.include ||
	    ca->platforms.exclude != cb->platforms.exclude ||
	    ca->devices.present != cb->devices.present ||
	    ca->devices.mode != cb->devices.mode ||
	    !opt_str_equal(ca->devices.rule, cb->devices.rule) ||
	    ca->sign_in_risk != cb->sign_in_risk || ca->user_risk != cb->user_risk ||
	    ca->sp_risk != cb->sp_risk)
		return false;

	const struct ca_grant *ga = &a->grant, *gb = &b->grant;
	if (ga->present != gb->present || ga->op != gb->op || ga->builtin != gb->builtin ||
	    strcmp(ga->auth_strength, gb->auth_strength) != 0)
		return false;

	const struct ca_session *sa = &a->session, *sb = &b->session;
	const struct ca_sign_in_frequency *fa = &sa->sif, *fb = &sb->sif;
	return sa->present == sb->present &&
	       fa->present == fb->present && fa->is_enabled == fb->is_enabled &&
	       fa->type == fb->type && fa->value == fb->value &&
	       fa->auth_type == fb->auth_type && fa->interval == fb->interval &&
	       sa->persistent_browser.present == sb->persistent_browser.present &&
	       sa->persistent_browser.is_enabled == sb->persistent_browser.is_enabled &&
	       sa->persistent_browser.mode == sb->persistent_browser.mode &&
	       sa->app_enforced_present == sb->app_enforced_present &&
	       sa->app_enforced_enabled == sb->app_enforced_enabled &&
	       sa->cloud_app_security_present == sb->cloud_app_security_present &&
	       sa->cloud_app_security_enabled == sb->cloud_app_security_enabled &&
	       sa->cloud_app_security_type == sb->cloud_app_security_type &&
	       sa->disable_resilience_present == sb->disable_resilience_present &&
	       sa->disable_resilience == sb->disable_resilience;
}

/* ---- validation ---------------------------------------------------------- */

static int fail(struct ca_error *err, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct ca_error *err, const char *path, const char *fmt, ...)
{
	if (err) {
		tg_strlcpy(err->path, path, sizeof err->path);
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err->message, sizeof err->message, fmt, ap);
		va_end(ap);
	}
	return TG_ERR_INVALID;
}

/* true when more than one bit of mask is set */
static bool many_bits(unsigned mask)
{
	return (mask & (mask - 1)) != 0;
}

static int validate_ids(const struct ca_policy *p, struct ca_error *err)
{
	for (size_t i = 0; i < TG_ARRAY_LEN(ids_fields); i++) {
		const struct ca_ids *l = ids_at_c(p, i);
		if (l->n > TG_MAX_CA_LIST)
			return fail(err, ids_fields[i].path, "more than %d entries", TG_MAX_CA_LIST);
		for (size_t j = 0; j < l->n; j++) {
			if (!id_canonical(l->v[j])) {
				char path[TG_MAX_ERR_PATH];
				snprintf(path, sizeof path, "%s[%zu]", ids_fields[i].path, j);
				return fail(err, path, "not a lowercase UUID");
			}
		}
	}
	const struct ca_strs *cf = &p->grant.custom_factors;
	if (cf->n > TG_MAX_CA_LIST)
		return fail(err, "grantControls.customAuthenticationFactors",
		            "more than %d entries", TG_MAX_CA_LIST);
	for (size_t j = 0; j < cf->n; j++) {
		if (!cf->v[j] || !custom_id_ok(cf->v[j])) {
			char path[TG_MAX_ERR_PATH];
			snprintf(path, sizeof path, "grantControls.customAuthenticationFactors[%zu]", j);
			return fail(err, path, "not a valid custom control id");
		}
	}
	return TG_OK;
}

static int validate_users(const struct ca_users *u, struct ca_error *err)
{
	const char *inc = "conditions.users.includeUsers";
	if (u->include_kw & ~(unsigned)(CA_USERS_ALL | CA_USERS_NONE | CA_USERS_GUESTS))
		return fail(err, inc, "unknown keyword");
	if ((u->include_kw & CA_USERS_ALL) && (many_bits(u->include_kw) || u->include_users.n))
		return fail(err, inc, "\"All\" must be the only value");
	if ((u->include_kw & CA_USERS_NONE) && (many_bits(u->include_kw) || u->include_users.n))
		return fail(err, inc, "\"None\" must be the only value");
	if (u->exclude_kw & ~(unsigned)CA_USERS_GUESTS)
		return fail(err, "conditions.users.excludeUsers",
		            "only user ids and \"GuestsOrExternalUsers\" can be excluded");
	return TG_OK;
}

static int validate_apps(const struct ca_policy *p, struct ca_error *err)
{
	const struct ca_apps *a = &p->cond.apps;
	const char *inc = "conditions.applications.includeApplications";
	if (a->include_kw & ~(unsigned)(CA_APPS_ALL | CA_APPS_NONE | CA_APPS_OFFICE365 |
	                                CA_APPS_ADMIN_PORTALS))
		return fail(err, inc, "unknown keyword");
	if ((a->include_kw & CA_APPS_ALL) && (many_bits(a->include_kw) || a->include_apps.n))
		return fail(err, inc, "\"All\" must be the only value");
	if ((a->include_kw & CA_APPS_NONE) && (many_bits(a->include_kw) || a->include_apps.n))
		return fail(err, inc, "\"None\" must be the only value");
	if (a->exclude_kw & ~(unsigned)(CA_APPS_OFFICE365 | CA_APPS_ADMIN_PORTALS))
		return fail(err, "conditions.applications.excludeApplications",
		            "only app ids, \"Office365\" and \"MicrosoftAdminPortals\" can be excluded");
	if (a->user_actions & ~(unsigned)(CA_UA_REGISTER_SECURITY_INFO | CA_UA_REGISTER_DEVICE))
		return fail(err, "conditions.applications.includeUserActions", "unknown user action");
	if (a->user_actions) {
		if (a->include_kw || a->include_apps.n || a->exclude_kw || a->exclude_apps.n)
			return fail(err, "conditions.applications.includeUserActions",
			            "user actions cannot be combined with applications");
		if (p->state == CA_STATE_REPORT_ONLY)
			return fail(err, "state",
			            "report-only is not available for policies on user actions");
	}
	return TG_OK;
}

static int validate_conditions(const struct ca_policy *p, struct ca_error *err)
{
	const struct ca_conditions *c = &p->cond;
	int r;
	if ((r = validate_users(&c->users, err)) != TG_OK)
		return r;
	if ((r = validate_apps(p, err)) != TG_OK)
		return r;

	const unsigned client_known = CA_CLIENT_ALL | CA_CLIENT_BROWSER | CA_CLIENT_MOBILE_DESKTOP |
	                              CA_CLIENT_LEGACY;
	if (c->client_app_types == 0)
		return fail(err, "conditions.clientAppTypes", "at least one client app type is required");
	if (c->client_app_types & ~client_known)
		return fail(err, "conditions.clientAppTypes", "unknown client app type");
	if ((c->client_app_types & CA_CLIENT_ALL) && many_bits(c->client_app_types))
		return fail(err, "conditions.clientAppTypes", "\"all\" must be the only value");

	const struct ca_locations *l = &c->locations;
	if (l->present) {
		if (!l->include_kw && !l->include.n)
			return fail(err, "conditions.locations.includeLocations", "required");
		if (l->include_kw & ~(unsigned)(CA_LOC_ALL | CA_LOC_ALL_TRUSTED))
			return fail(err, "conditions.locations.includeLocations", "unknown keyword");
		if ((l->include_kw & CA_LOC_ALL) && (many_bits(l->include_kw) || l->include.n))
			return fail(err, "conditions.locations.includeLocations",
			            "\"All\" must be the only value");
		if (l->exclude_kw & ~(unsigned)CA_LOC_ALL_TRUSTED)
			return fail(err, "conditions.locations.excludeLocations",
			            "only location ids and \"AllTrusted\" can be excluded");
	} else if (l->include_kw || l->include.n || l->exclude_kw || l->exclude.n) {
		return fail(err, "conditions.locations", "lists set on an absent condition");
	}

	const unsigned plat_known = CA_PLAT_ALL | CA_PLAT_ANDROID | CA_PLAT_IOS | CA_PLAT_WINDOWS |
	                            CA_PLAT_WINDOWS_PHONE | CA_PLAT_MACOS | CA_PLAT_LINUX;
	const struct ca_platforms *pl = &c->platforms;
	if (pl->present) {
		if (!pl->include)
			return fail(err, "conditions.platforms.includePlatforms", "required");
		if ((pl->include | pl->exclude) & ~plat_known)
			return fail(err, "conditions.platforms", "unknown platform");
		if ((pl->include & CA_PLAT_ALL) && many_bits(pl->include))
			return fail(err, "conditions.platforms.includePlatforms",
			            "\"all\" must be the only value");
		if (pl->exclude & CA_PLAT_ALL)
			return fail(err, "conditions.platforms.excludePlatforms",
			            "\"all\" cannot be excluded");
	} else if (pl->include || pl->exclude) {
		return fail(err, "conditions.platforms", "lists set on an absent condition");
	}

	if (c->devices.present) {
		size_t n = c->devices.rule ? strlen(c->devices.rule) : 0;
		if (n == 0)
			return fail(err, "conditions.devices.deviceFilter.rule", "required");
		if (n > TG_MAX_CA_DEVICE_RULE)
			return fail(err, "conditions.devices.deviceFilter.rule",
			            "longer than %d bytes", TG_MAX_CA_DEVICE_RULE);
		if (c->devices.mode != CA_FILTER_INCLUDE && c->devices.mode != CA_FILTER_EXCLUDE)
			return fail(err, "conditions.devices.deviceFilter.mode", "unknown mode");
	}

	const unsigned risk_known = CA_RISK_LOW | CA_RISK_MEDIUM | CA_RISK_HIGH | CA_RISK_HIDDEN |
	                            CA_RISK_NONE;
	if (c->sign_in_risk & ~risk_known)
		return fail(err, "conditions.signInRiskLevels", "unknown risk level");
	if (c->user_risk & ~risk_known)
		return fail(err, "conditions.userRiskLevels", "unknown risk level");
	if (c->sp_risk & ~(risk_known & ~(unsigned)CA_RISK_HIDDEN))
		return fail(err, "conditions.servicePrincipalRiskLevels",
		            "\"hidden\" is not a service principal risk level");
	return TG_OK;
}

static bool is_builtin_strength(const char *id)
{
	return tg_streq_ci(id, CA_STRENGTH_MFA) || tg_streq_ci(id, CA_STRENGTH_PASSWORDLESS) ||
	       tg_streq_ci(id, CA_STRENGTH_PHISHING_RESIST);
}

/* The Graph rules for passwordChange (GR: conditionalaccessgrantcontrols.md). */
static int validate_password_change(const struct ca_policy *p, struct ca_error *err)
{
	const struct ca_grant *g = &p->grant;
	const struct ca_conditions *c = &p->cond;
	if (g->builtin != (CA_CTL_MFA | CA_CTL_PASSWORD_CHANGE) || g->auth_strength[0] ||
	    g->terms_of_use.n || g->custom_factors.n)
		return fail(err, "grantControls.builtInControls",
		            "passwordChange must be combined with mfa and nothing else");
	if (g->op != CA_OP_AND)
		return fail(err, "grantControls.operator", "passwordChange requires operator AND");
	if (!c->user_risk)
		return fail(err, "conditions.userRiskLevels", "passwordChange requires userRiskLevels");
	if (c->apps.include_kw != CA_APPS_ALL || c->apps.include_apps.n || c->apps.user_actions)
		return fail(err, "conditions.applications.includeApplications",
		            "passwordChange requires \"All\" applications");
	if (c->apps.exclude_kw || c->apps.exclude_apps.n)
		return fail(err, "conditions.applications.excludeApplications",
		            "passwordChange allows no excluded applications");
	if (c->sign_in_risk)
		return fail(err, "conditions.signInRiskLevels",
		            "passwordChange allows no other condition");
	if (c->sp_risk)
		return fail(err, "conditions.servicePrincipalRiskLevels",
		            "passwordChange allows no other condition");
	if (c->client_app_types != CA_CLIENT_ALL)
		return fail(err, "conditions.clientAppTypes", "passwordChange allows no other condition");
	if (c->locations.present)
		return fail(err, "conditions.locations", "passwordChange allows no other condition");
	if (c->platforms.present)
		return fail(err, "conditions.platforms", "passwordChange allows no other condition");
	if (c->devices.present)
		return fail(err, "conditions.devices", "passwordChange allows no other condition");
	return TG_OK;
}

static int validate_grant(const struct ca_policy *p, struct ca_error *err)
{
	const struct ca_grant *g = &p->grant;
	const unsigned known = CA_CTL_BLOCK | CA_CTL_MFA | CA_CTL_UNSATISFIABLE |
	                       CA_CTL_PASSWORD_CHANGE;
	if (!g->present) {
		if (g->builtin || g->auth_strength[0] || g->terms_of_use.n || g->custom_factors.n)
			return fail(err, "grantControls", "controls set on absent grantControls");
		return TG_OK;
	}
	if (g->op != CA_OP_OR && g->op != CA_OP_AND)
		return fail(err, "grantControls.operator", "must be AND or OR");
	if (g->builtin & ~known)
		return fail(err, "grantControls.builtInControls", "unknown control");
	if (!g->builtin && !g->auth_strength[0] && !g->terms_of_use.n && !g->custom_factors.n)
		return fail(err, "grantControls", "at least one control is required");
	if ((g->builtin & CA_CTL_BLOCK) &&
	    (g->builtin != CA_CTL_BLOCK || g->auth_strength[0] || g->terms_of_use.n ||
	     g->custom_factors.n))
		return fail(err, "grantControls.builtInControls",
		            "block cannot be combined with other controls");
	if (g->auth_strength[0]) {
		if (!is_builtin_strength(g->auth_strength))
			return fail(err, "grantControls.authenticationStrength.id",
			            "not a built-in authentication strength (00000000-0000-0000-0000-00000000000{2,3,4})");
		if (g->builtin & CA_CTL_MFA)
			return fail(err, "grantControls.authenticationStrength",
			            "require MFA and require authentication strength cannot be used together");
	}
	if (g->builtin & CA_CTL_PASSWORD_CHANGE)
		return validate_password_change(p, err);
	return TG_OK;
}

static int validate_session(const struct ca_policy *p, struct ca_error *err)
{
	const struct ca_session *s = &p->session;
	const struct ca_sign_in_frequency *f = &s->sif;
	if (!s->present) {
		if (f->present || s->persistent_browser.present || s->app_enforced_present ||
		    s->cloud_app_security_present || s->disable_resilience_present)
			return fail(err, "sessionControls", "controls set on absent sessionControls");
		return TG_OK;
	}
	if (f->present) {
		if (f->interval == CA_SIF_EVERY_TIME) {
			if (f->type != CA_SIF_TYPE_NONE || f->value != 0)
				return fail(err, "sessionControls.signInFrequency.type",
				            "must be null when frequencyInterval is everyTime");
			if (!p->cond.sign_in_risk && !p->cond.user_risk)
				return fail(err, "sessionControls.signInFrequency.frequencyInterval",
				            "everyTime requires signInRiskLevels or userRiskLevels");
		} else if (f->interval != CA_SIF_INTERVAL_NONE && f->interval != CA_SIF_TIME_BASED) {
			return fail(err, "sessionControls.signInFrequency.frequencyInterval",
			            "unknown value");
		} else if (f->type == CA_SIF_TYPE_NONE) {
			if (f->value != 0)
				return fail(err, "sessionControls.signInFrequency.type",
				            "required when value is set");
			if (f->is_enabled)
				return fail(err, "sessionControls.signInFrequency.type",
				            "required when the control is enabled");
		} else if (f->type == CA_SIF_HOURS) {
			if (f->value < 1 || f->value > 23)
				return fail(err, "sessionControls.signInFrequency.value",
				            "hours must be 1 to 23");
		} else if (f->type == CA_SIF_DAYS) {
			if (f->value < 1 || f->value > 365)
				return fail(err, "sessionControls.signInFrequency.value",
				            "days must be 1 to 365");
		} else {
			return fail(err, "sessionControls.signInFrequency.type", "unknown value");
		}
		if (f->auth_type != CA_SIF_AUTH_NONE && f->auth_type != CA_SIF_AUTH_PRIMARY_AND_SECONDARY &&
		    f->auth_type != CA_SIF_AUTH_SECONDARY)
			return fail(err, "sessionControls.signInFrequency.authenticationType",
			            "unknown value");
	}
	const struct ca_persistent_browser *b = &s->persistent_browser;
	if (b->present && b->is_enabled && b->mode != CA_BROWSER_ALWAYS && b->mode != CA_BROWSER_NEVER)
		return fail(err, "sessionControls.persistentBrowser.mode",
		            "required when the control is enabled");
	if (s->cloud_app_security_present && s->cloud_app_security_enabled &&
	    s->cloud_app_security_type == CA_MCAS_NONE)
		return fail(err, "sessionControls.cloudAppSecurity.cloudAppSecurityType",
		            "required when the control is enabled");
	return TG_OK;
}

int ca_policy_validate(const struct ca_policy *p, struct ca_error *err)
{
	int r;
	if (err) {
		err->path[0] = '\0';
		err->message[0] = '\0';
	}
	if (!p->display_name || !p->display_name[0])
		return fail(err, "displayName", "required");
	if (strlen(p->display_name) > TG_MAX_DISPLAY_NAME)
		return fail(err, "displayName", "longer than %d bytes", TG_MAX_DISPLAY_NAME);
	if (p->state != CA_STATE_ENABLED && p->state != CA_STATE_DISABLED &&
	    p->state != CA_STATE_REPORT_ONLY)
		return fail(err, "state", "required: enabled, disabled or enabledForReportingButNotEnforced");
	if (p->id[0] && !id_canonical(p->id))
		return fail(err, "id", "not a lowercase UUID");
	if ((r = validate_ids(p, err)) != TG_OK)
		return r;
	if ((r = validate_conditions(p, err)) != TG_OK)
		return r;

	const struct ca_users *u = &p->cond.users;
	const struct ca_apps *a = &p->cond.apps;
	bool app_rule = a->include_kw || a->include_apps.n || a->user_actions;
	bool user_rule = u->include_kw || u->include_users.n || u->include_groups.n ||
	                 u->include_roles.n;
	if (!app_rule && !user_rule && !p->grant.present && !p->session.present)
		return fail(err, "",
		            "a policy needs an application rule, a user rule, or a grant or session control");

	if ((r = validate_grant(p, err)) != TG_OK)
		return r;
	return validate_session(p, err);
}

/* ---- helpers for the evaluator ---------------------------------------- */

int64_t ca_policy_sif_seconds(const struct ca_policy *p)
{
	const struct ca_sign_in_frequency *f = &p->session.sif;
	if (!p->session.present || !f->present || !f->is_enabled)
		return -1;
	if (f->interval == CA_SIF_EVERY_TIME)
		return 0;
	if (f->type == CA_SIF_HOURS)
		return (int64_t)f->value * 3600;
	if (f->type == CA_SIF_DAYS)
		return (int64_t)f->value * 86400;
	return -1;
}

bool ca_policy_has_grant_requirement(const struct ca_policy *p)
{
	const struct ca_grant *g = &p->grant;
	return g->present && (g->builtin || g->auth_strength[0] || g->terms_of_use.n ||
	                      g->custom_factors.n);
}
