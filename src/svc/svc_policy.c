/* SPDX-License-Identifier: MIT
 * Conditional Access policies, templates and named locations in the
 * service layer (see svc_policy.h): parse, check against the tenant,
 * store canonically, audit, bump the policy generation.
 * Sections: loading, policies, templates, named locations. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/err.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/str.h"
#include "core/ca_templates.h"
#include "core/roles.h"
#include "core/uuid.h"
#include "crypto/rng.h"
#include "json/ca_policy_json.h"
#include "json/named_location_json.h"
#include "store/store_oidc.h"
#include "store/store_policy.h"
#include "svc/svc_oidc.h"
#include "svc/svc_policy.h"
#include "svc/svc_policy_int.h"

/* ----------------------------------------------------------------- loading */

int svc_policy_from_row(struct svc *sv, const char *json, struct ca_policy *out)
{
	struct json_err je;
	int r = ca_policy_parse(json, strlen(json), CA_JSON_READ_ONLY_FIELDS, out, &je);
	if (r) {
		log_error("stored policy does not parse: %s: %s", je.path, je.message);
		return svc_fail(sv, TG_ERR_INTERNAL, "a stored policy does not parse (%s: %s)", je.path, je.message);
	}
	return TG_OK;
}

int svc_location_from_row(struct svc *sv, const char *json, struct named_location *out)
{
	struct json_err je;
	int r = named_location_parse(json, strlen(json), NAMED_LOCATION_JSON_READ_ONLY_FIELDS, out, &je);
	if (r) {
		log_error("stored named location does not parse: %s: %s", je.path, je.message);
		return svc_fail(sv, TG_ERR_INTERNAL, "a stored named location does not parse (%s: %s)",
		                je.path, je.message);
	}
	return TG_OK;
}

struct load_pol {
	struct svc *sv;
	struct ca_policy *v;
	size_t n, cap;
	int err;
};

static int load_pol_cb(const struct store_policy_row *row, void *arg)
{
	struct load_pol *l = arg;
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->v = xrealloc(l->v, l->cap * sizeof *l->v);
	}
	if ((l->err = svc_policy_from_row(l->sv, row->json, &l->v[l->n])))
		return 1;
	l->n++;
	return 0;
}

int svc_policy_load_all(struct svc *sv, const struct tg_tenant *t, struct ca_policy **out, size_t *n)
{
	struct load_pol l = {.sv = sv};
	int r = store_ca_policy_list(sv->store, t->id, load_pol_cb, &l);
	if (r) {
		svc_policy_list_free(l.v, l.n);
		return l.err ? l.err : svc_store_fail(sv, r, "reading the policies");
	}
	*out = l.v;
	*n = l.n;
	return TG_OK;
}

void svc_policy_list_free(struct ca_policy *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		ca_policy_cleanup(&v[i]);
	free(v);
}

int svc_policy_list(struct svc *sv, const struct tg_tenant *t, struct ca_policy **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	return svc_policy_load_all(sv, t, out, n);
}

struct load_loc {
	struct svc *sv;
	struct named_location *v;
	size_t n, cap;
	int err;
};

static int load_loc_cb(const struct store_policy_row *row, void *arg)
{
	struct load_loc *l = arg;
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->v = xrealloc(l->v, l->cap * sizeof *l->v);
	}
	if ((l->err = svc_location_from_row(l->sv, row->json, &l->v[l->n])))
		return 1;
	l->n++;
	return 0;
}

int svc_location_load_all(struct svc *sv, const struct tg_tenant *t, struct named_location **out,
                          size_t *n)
{
	struct load_loc l = {.sv = sv};
	int r = store_location_list(sv->store, t->id, load_loc_cb, &l);
	if (r) {
		svc_location_list_free(l.v, l.n);
		return l.err ? l.err : svc_store_fail(sv, r, "reading the named locations");
	}
	*out = l.v;
	*n = l.n;
	return TG_OK;
}

void svc_location_list_free(struct named_location *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		named_location_cleanup(&v[i]);
	free(v);
}

int svc_location_list(struct svc *sv, const struct tg_tenant *t, struct named_location **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	return svc_location_load_all(sv, t, out, n);
}

/* ---------------------------------------------------------------- policies */

/* The directory objects a policy names by id, one row per id list: the
 * list, its JSON path and what kind of object its ids must name. */
enum ref_kind { REF_USER, REF_GROUP, REF_ROLE, REF_APP, REF_LOCATION };

static const struct ref_list {
	size_t off;
	const char *path;
	enum ref_kind kind;
} ref_lists[] = {
#define REF(member, path, kind) {offsetof(struct ca_policy, member), path, kind}
	REF(cond.users.include_users, "conditions.users.includeUsers", REF_USER),
	REF(cond.users.exclude_users, "conditions.users.excludeUsers", REF_USER),
	REF(cond.users.include_groups, "conditions.users.includeGroups", REF_GROUP),
	REF(cond.users.exclude_groups, "conditions.users.excludeGroups", REF_GROUP),
	REF(cond.users.include_roles, "conditions.users.includeRoles", REF_ROLE),
	REF(cond.users.exclude_roles, "conditions.users.excludeRoles", REF_ROLE),
	REF(cond.apps.include_apps, "conditions.applications.includeApplications", REF_APP),
	REF(cond.apps.exclude_apps, "conditions.applications.excludeApplications", REF_APP),
	REF(cond.locations.include, "conditions.locations.includeLocations", REF_LOCATION),
	REF(cond.locations.exclude, "conditions.locations.excludeLocations", REF_LOCATION),
#undef REF
};

/* Whether id names an object of kind k in t: TG_OK, TG_ERR_NOT_FOUND or a
 * store error. The parser has already made id a lowercase UUID. */
static int ref_exists(struct svc *sv, const struct tg_tenant *t, enum ref_kind k, const char *id)
{
	int r = TG_OK;
	switch (k) {
	case REF_USER: {
		struct tg_user u;
		r = store_user_get(sv->store, id, &u);
		tg_wipe(u.pwhash, sizeof u.pwhash);
		if (!r && strcmp(u.tenant_id, t->id) != 0)
			r = TG_ERR_NOT_FOUND;       /* another tenant's user */
		break;
	}
	case REF_GROUP: {
		struct tg_group g;
		r = store_group_get(sv->store, t->id, id, &g);
		if (!r && strcmp(g.id, id) != 0)
			r = TG_ERR_NOT_FOUND;       /* a group whose *name* is this text */
		break;
	}
	case REF_ROLE:
		r = role_by_id(id) ? TG_OK : TG_ERR_NOT_FOUND;
		break;
	case REF_APP: {
		if (strcmp(id, SVC_APP_ADMIN_PORTAL) == 0 || strcmp(id, SVC_APP_MY_SIGNINS) == 0)
			break;                      /* built-in: in every tenant */
		struct store_app *a = xmalloc(sizeof *a);
		r = store_app_get(sv->store, t->id, id, a);
		tg_wipe(a, sizeof *a);
		free(a);
		break;
	}
	case REF_LOCATION: {
		if (strcmp(id, CA_LOCATION_ID_MFA_TRUSTED_IPS) == 0)
			break;                      /* the MFA service settings' trusted IPs */
		struct store_policy_row row;
		memset(&row, 0, sizeof row);
		r = store_location_get(sv->store, t->id, id, &row);
		store_policy_row_cleanup(&row);
		break;
	}
	}
	return r;
}

/* Every id a policy names (users, groups, directory roles, apps, named
 * locations) must name an object of that kind in the policy's tenant: an
 * unknown id would silently never match, which turns an include into
 * "covers nobody" (fail open) and an exclude into "protects nobody". The
 * keywords (All, None, GuestsOrExternalUsers, Office365, …) are not ids. */
int svc_policy_check_references(struct svc *sv, const struct tg_tenant *t, const struct ca_policy *p,
                                struct json_err *jerr)
{
	static const char *const noun[] = {
		[REF_USER] = "user", [REF_GROUP] = "group", [REF_ROLE] = "directory role template",
		[REF_APP] = "application", [REF_LOCATION] = "named location",
	};
	static const char *const where[] = {
		[REF_USER] = "in this tenant", [REF_GROUP] = "in this tenant",
		[REF_ROLE] = "(see `tollgate role list`)", [REF_APP] = "in this tenant",
		[REF_LOCATION] = "in this tenant",
	};
	for (size_t k = 0; k < TG_ARRAY_LEN(ref_lists); k++) {
		const struct ref_list *l = &ref_lists[k];
		const struct ca_ids *ids = (const struct ca_ids *)(const void *)((const char *)p + l->off);
		for (size_t i = 0; i < ids->n; i++) {
			int r = ref_exists(sv, t, l->kind, ids->v[i]);
			if (r == TG_ERR_NOT_FOUND) {
				struct json_err je;
				snprintf(je.path, sizeof je.path, "%s[%zu]", l->path, i);
				snprintf(je.message, sizeof je.message, "no %s %s %s", noun[l->kind], ids->v[i],
				         where[l->kind]);
				return svc_json_fail(sv, TG_ERR_INVALID, &je, jerr, "the policy is invalid");
			}
			if (r)
				return svc_store_fail(sv, r, "reading the objects the policy names");
		}
	}
	return TG_OK;
}

static int security_defaults_on(struct svc *sv, const struct tg_tenant *t, bool *on)
{
	struct svc_settings s;
	int r = svc_settings_get(sv, t, &s);
	if (!r)
		*on = s.security_defaults;
	return r;
}

/* Store p (parsed and validated) as a new policy (update_id NULL) or as the
 * new content of update_id, in one transaction. On success p is what was
 * stored (id and times filled) and moves to *out when out is not NULL. */
static int policy_save(struct svc *sv, const struct tg_tenant *t, struct ca_policy *p,
                       const char *update_id, struct ca_policy *out, struct json_err *jerr)
{
	struct store_policy_row old, row;
	char *text = NULL, *before = NULL, *after = NULL;
	bool sd = false;
	int64_t count = 0;
	memset(&old, 0, sizeof old);
	int r = store_tx_begin(sv->store);
	if (r)
		return svc_store_fail(sv, r, "saving the policy");
	if (update_id) {
		r = store_ca_policy_get(sv->store, t->id, update_id, &old);
		if (r == TG_ERR_NOT_FOUND) {
			svc_fail(sv, r, "no Conditional Access policy %s in tenant %s", update_id, t->name);
			goto out;
		}
		if (r) {
			svc_store_fail(sv, r, "reading the policy");
			goto out;
		}
	} else {
		if ((r = store_ca_policy_count(sv->store, t->id, &count))) {
			svc_store_fail(sv, r, "counting the policies");
			goto out;
		}
		if (count >= TG_MAX_CA_POLICIES) {
			r = svc_fail(sv, TG_ERR_LIMIT, "the tenant already has %lld Conditional Access policies "
			             "(at most %d)", (long long)count, TG_MAX_CA_POLICIES);
			goto out;
		}
	}
	if ((r = security_defaults_on(sv, t, &sd)))
		goto out;
	if (sd && p->state == CA_STATE_ENABLED) {
		r = svc_fail(sv, TG_ERR_CONFLICT, "a Conditional Access policy cannot be enabled while security "
		             "defaults are on: disable security defaults first, or save the policy as disabled "
		             "or report-only (enabledForReportingButNotEnforced)");
		goto out;
	}
	if ((r = svc_policy_check_references(sv, t, p, jerr)))
		goto out;
	if (update_id) {
		tg_strlcpy(p->id, old.id, sizeof p->id);
		p->created = old.created;
	} else {
		if ((r = rng_uuid(p->id))) {
			svc_fail(sv, r, "no randomness available");
			goto out;
		}
		p->created = svc_now(sv);
	}
	p->modified = svc_now(sv);
	text = ca_policy_to_text(p, false);
	memset(&row, 0, sizeof row);
	tg_strlcpy(row.id, p->id, sizeof row.id);
	tg_strlcpy(row.tenant_id, t->id, sizeof row.tenant_id);
	tg_strlcpy(row.display_name, p->display_name, sizeof row.display_name);
	row.state = (int)p->state;
	row.created = p->created;
	row.modified = p->modified;
	row.json = text;
	r = update_id ? store_ca_policy_update(sv->store, &row) : store_ca_policy_insert(sv->store, &row);
	if (r) {
		svc_store_fail(sv, r, "saving the policy");
		goto out;
	}
	before = update_id ? svc_audit_doc(old.json, old.id, old.display_name) : xstrdup("");
	after = svc_audit_doc(text, p->id, p->display_name);
	if ((r = svc_audit(sv, t->id, update_id ? "policy.update" : "policy.create", p->id, before, after)) ||
	    (r = svc_policy_bump(sv, t)))
		goto out;
	if ((r = store_tx_commit(sv->store)))
		svc_store_fail(sv, r, "saving the policy");
out:
	if (r)
		store_tx_rollback(sv->store);
	store_policy_row_cleanup(&old);
	free(text);
	free(before);
	free(after);
	if (!r && out) {
		*out = *p;          /* transferred */
		ca_policy_init(p);
	}
	return r;
}

static int parse_policy(struct svc *sv, const char *json, size_t len, struct ca_policy *p,
                        struct json_err *jerr)
{
	struct json_err je;
	int r = ca_policy_parse(json, len, 0, p, &je);
	if (r)
		return svc_json_fail(sv, r, &je, jerr, "the policy is invalid");
	return TG_OK;
}

int svc_policy_create(struct svc *sv, const struct tg_tenant *t, const char *json, size_t len,
                      struct ca_policy *out, struct json_err *jerr)
{
	struct ca_policy p;
	int r = parse_policy(sv, json, len, &p, jerr);
	if (!r)
		r = policy_save(sv, t, &p, NULL, out, jerr);
	ca_policy_cleanup(&p);
	return r;
}

int svc_policy_update(struct svc *sv, const struct tg_tenant *t, const char *id, const char *json,
                      size_t len, struct ca_policy *out, struct json_err *jerr)
{
	struct ca_policy p;
	if (!uuid_is_valid(id))
		return svc_fail(sv, TG_ERR_NOT_FOUND, "no Conditional Access policy %s in tenant %s", id, t->name);
	int r = parse_policy(sv, json, len, &p, jerr);
	if (!r)
		r = policy_save(sv, t, &p, id, out, jerr);
	ca_policy_cleanup(&p);
	return r;
}

int svc_policy_get(struct svc *sv, const struct tg_tenant *t, const char *id, struct ca_policy *out)
{
	struct store_policy_row row;
	int r = uuid_is_valid(id) ? store_ca_policy_get(sv->store, t->id, id, &row) : TG_ERR_NOT_FOUND;
	if (r == TG_ERR_NOT_FOUND)
		return svc_fail(sv, r, "no Conditional Access policy %s in tenant %s", id, t->name);
	if (r)
		return svc_store_fail(sv, r, "reading the policy");
	r = svc_policy_from_row(sv, row.json, out);
	store_policy_row_cleanup(&row);
	return r;
}

int svc_policy_delete(struct svc *sv, const struct tg_tenant *t, const char *id)
{
	struct store_policy_row row;
	char *before = NULL;
	memset(&row, 0, sizeof row);
	if (!uuid_is_valid(id))
		return svc_fail(sv, TG_ERR_NOT_FOUND, "no Conditional Access policy %s in tenant %s", id, t->name);
	int r = store_tx_begin(sv->store);
	if (r)
		return svc_store_fail(sv, r, "deleting the policy");
	r = store_ca_policy_get(sv->store, t->id, id, &row);
	if (r == TG_ERR_NOT_FOUND) {
		svc_fail(sv, r, "no Conditional Access policy %s in tenant %s", id, t->name);
		goto out;
	}
	if (!r && (r = store_ca_policy_delete(sv->store, t->id, row.id)))
		svc_store_fail(sv, r, "deleting the policy");
	else if (r)
		svc_store_fail(sv, r, "reading the policy");
	if (r)
		goto out;
	before = svc_audit_doc(row.json, row.id, row.display_name);
	if ((r = svc_audit(sv, t->id, "policy.delete", row.id, before, "")) || (r = svc_policy_bump(sv, t)))
		goto out;
	if ((r = store_tx_commit(sv->store)))
		svc_store_fail(sv, r, "deleting the policy");
out:
	if (r)
		store_tx_rollback(sv->store);
	store_policy_row_cleanup(&row);
	free(before);
	return r;
}

/* --------------------------------------------------------------- templates */

int svc_policy_from_template(struct svc *sv, const struct tg_tenant *t, const char *name,
                             const char *creator, struct ca_policy *out)
{
	struct tg_user u;
	struct ca_policy p;
	if (!ca_template_find(name)) {
		char list[512];
		size_t len = 0;
		list[0] = '\0';
		for (size_t i = 0; ca_template_table[i].name && len < sizeof list; i++) {
			int w = snprintf(list + len, sizeof list - len, "%s%s", i ? ", " : "", ca_template_table[i].name);
			if (w < 0)
				break;
			len += (size_t)w;
		}
		return svc_fail(sv, TG_ERR_NOT_FOUND, "unknown template \"%s\" (%s)", name, list);
	}
	int r = svc_user_find(sv, t, creator, &u);
	if (r)
		return r;
	tg_wipe(u.pwhash, sizeof u.pwhash);
	if ((r = ca_template_build(name, u.id, &p))) {
		ca_policy_cleanup(&p);
		return svc_fail(sv, r, "cannot build template \"%s\"", name);
	}
	r = policy_save(sv, t, &p, NULL, out, NULL);
	ca_policy_cleanup(&p);
	return r;
}

/* --------------------------------------------------------- named locations */

static int parse_location(struct svc *sv, const char *json, size_t len, struct named_location *loc,
                          struct json_err *jerr)
{
	struct json_err je;
	int r = named_location_parse(json, len, 0, loc, &je);
	if (r)
		return svc_json_fail(sv, r, &je, jerr, "the named location is invalid");
	return TG_OK;
}

static int location_save(struct svc *sv, const struct tg_tenant *t, struct named_location *loc,
                         const char *update_id, struct named_location *out)
{
	struct store_policy_row old, row;
	char *text = NULL, *before = NULL, *after = NULL;
	int64_t count = 0;
	memset(&old, 0, sizeof old);
	int r = store_tx_begin(sv->store);
	if (r)
		return svc_store_fail(sv, r, "saving the named location");
	if (update_id) {
		r = store_location_get(sv->store, t->id, update_id, &old);
		if (r == TG_ERR_NOT_FOUND) {
			svc_fail(sv, r, "no named location %s in tenant %s", update_id, t->name);
			goto out;
		}
		if (r) {
			svc_store_fail(sv, r, "reading the named location");
			goto out;
		}
		tg_strlcpy(loc->id, old.id, sizeof loc->id);
		loc->created = old.created;
	} else {
		if ((r = store_location_count(sv->store, t->id, &count))) {
			svc_store_fail(sv, r, "counting the named locations");
			goto out;
		}
		if (count >= TG_MAX_NAMED_LOCATIONS) {
			r = svc_fail(sv, TG_ERR_LIMIT, "the tenant already has %lld named locations (at most %d, "
			             "as in Entra)", (long long)count, TG_MAX_NAMED_LOCATIONS);
			goto out;
		}
		if ((r = rng_uuid(loc->id))) {
			svc_fail(sv, r, "no randomness available");
			goto out;
		}
		loc->created = svc_now(sv);
	}
	loc->modified = svc_now(sv);
	text = named_location_to_text(loc, false);
	memset(&row, 0, sizeof row);
	tg_strlcpy(row.id, loc->id, sizeof row.id);
	tg_strlcpy(row.tenant_id, t->id, sizeof row.tenant_id);
	tg_strlcpy(row.display_name, loc->display_name, sizeof row.display_name);
	row.is_trusted = loc->is_trusted;
	row.created = loc->created;
	row.modified = loc->modified;
	row.json = text;
	r = update_id ? store_location_update(sv->store, &row) : store_location_insert(sv->store, &row);
	if (r) {
		svc_store_fail(sv, r, "saving the named location");
		goto out;
	}
	before = update_id ? svc_audit_doc(old.json, old.id, old.display_name) : xstrdup("");
	after = svc_audit_doc(text, loc->id, loc->display_name);
	if ((r = svc_audit(sv, t->id, update_id ? "location.update" : "location.create", loc->id, before,
	                   after)) ||
	    (r = svc_policy_bump(sv, t)))
		goto out;
	if ((r = store_tx_commit(sv->store)))
		svc_store_fail(sv, r, "saving the named location");
out:
	if (r)
		store_tx_rollback(sv->store);
	store_policy_row_cleanup(&old);
	free(text);
	free(before);
	free(after);
	if (!r && out) {
		*out = *loc;        /* transferred */
		named_location_init(loc);
	}
	return r;
}

int svc_location_create(struct svc *sv, const struct tg_tenant *t, const char *json, size_t len,
                        struct named_location *out, struct json_err *jerr)
{
	struct named_location loc;
	int r = parse_location(sv, json, len, &loc, jerr);
	if (!r)
		r = location_save(sv, t, &loc, NULL, out);
	named_location_cleanup(&loc);
	return r;
}

int svc_location_update(struct svc *sv, const struct tg_tenant *t, const char *id, const char *json,
                        size_t len, struct named_location *out, struct json_err *jerr)
{
	struct named_location loc;
	if (!uuid_is_valid(id))
		return svc_fail(sv, TG_ERR_NOT_FOUND, "no named location %s in tenant %s", id, t->name);
	int r = parse_location(sv, json, len, &loc, jerr);
	if (!r)
		r = location_save(sv, t, &loc, id, out);
	named_location_cleanup(&loc);
	return r;
}

int svc_location_get(struct svc *sv, const struct tg_tenant *t, const char *id, struct named_location *out)
{
	struct store_policy_row row;
	int r = uuid_is_valid(id) ? store_location_get(sv->store, t->id, id, &row) : TG_ERR_NOT_FOUND;
	if (r == TG_ERR_NOT_FOUND)
		return svc_fail(sv, r, "no named location %s in tenant %s", id, t->name);
	if (r)
		return svc_store_fail(sv, r, "reading the named location");
	r = svc_location_from_row(sv, row.json, out);
	store_policy_row_cleanup(&row);
	return r;
}

/* Policies that name location id, as a quoted list in buf. */
static int location_users(struct svc *sv, const struct tg_tenant *t, const char *id, struct tg_buf *buf,
                          size_t *n)
{
	struct ca_policy *v = NULL;
	size_t nv = 0;
	int r = svc_policy_load_all(sv, t, &v, &nv);
	if (r)
		return r;
	*n = 0;
	for (size_t i = 0; i < nv; i++) {
		const struct ca_locations *l = &v[i].cond.locations;
		if (!l->present || (!ca_ids_contains(&l->include, id) && !ca_ids_contains(&l->exclude, id)))
			continue;
		if (*n < 5)
			tg_buf_appendf(buf, "%s\"%s\"", *n ? ", " : "", v[i].display_name);
		(*n)++;
	}
	svc_policy_list_free(v, nv);
	return TG_OK;
}

int svc_location_delete(struct svc *sv, const struct tg_tenant *t, const char *id)
{
	struct store_policy_row row;
	struct named_location loc;
	struct tg_buf users;
	char *before = NULL;
	size_t n_users = 0;
	if (!uuid_is_valid(id))
		return svc_fail(sv, TG_ERR_NOT_FOUND, "no named location %s in tenant %s", id, t->name);
	int r = store_tx_begin(sv->store);
	if (r)
		return svc_store_fail(sv, r, "deleting the named location");
	memset(&row, 0, sizeof row);
	named_location_init(&loc);
	tg_buf_init(&users, 4096);
	r = store_location_get(sv->store, t->id, id, &row);
	if (r == TG_ERR_NOT_FOUND) {
		svc_fail(sv, r, "no named location %s in tenant %s", id, t->name);
		goto out;
	}
	if (r) {
		svc_store_fail(sv, r, "reading the named location");
		goto out;
	}
	if ((r = svc_location_from_row(sv, row.json, &loc)))
		goto out;
	if (!named_location_is_deletable(&loc)) {
		r = svc_fail(sv, TG_ERR_CONFLICT, "the named location \"%s\" is trusted and cannot be deleted: "
		             "update it with \"isTrusted\": false first", loc.display_name);
		goto out;
	}
	if ((r = location_users(sv, t, row.id, &users, &n_users)))
		goto out;
	if (n_users) {
		r = svc_fail(sv, TG_ERR_CONFLICT, "the named location \"%s\" is used by %zu Conditional Access "
		             "polic%s (%s): remove it from them first", loc.display_name, n_users,
		             n_users == 1 ? "y" : "ies", users.data);
		goto out;
	}
	if ((r = store_location_delete(sv->store, t->id, row.id))) {
		svc_store_fail(sv, r, "deleting the named location");
		goto out;
	}
	before = svc_audit_doc(row.json, row.id, row.display_name);
	if ((r = svc_audit(sv, t->id, "location.delete", row.id, before, "")) || (r = svc_policy_bump(sv, t)))
		goto out;
	if ((r = store_tx_commit(sv->store)))
		svc_store_fail(sv, r, "deleting the named location");
out:
	if (r)
		store_tx_rollback(sv->store);
	store_policy_row_cleanup(&row);
	named_location_cleanup(&loc);
	tg_buf_cleanup(&users);
	free(before);
	return r;
}
