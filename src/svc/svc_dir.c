/* SPDX-License-Identifier: MIT
 * Groups (nested, transitive) and directory role assignments. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/err.h"
#include "base/mem.h"
#include "base/str.h"
#include "core/ca_policy.h"
#include "core/roles.h"
#include "crypto/rng.h"
#include "svc/svc.h"
#include "svc/svc_int.h"
#include "svc/svc_policy.h"

static int commit_or_fail(struct svc *sv, int r, const char *what)
{
	if (!r && (r = store_tx_commit(sv->store)))
		svc_store_fail(sv, r, what);
	if (r)
		store_tx_rollback(sv->store);
	return r;
}

static int check_group_text(struct svc *sv, const char *name, const char *description)
{
	int r;
	if (name && !*name)
		return svc_fail(sv, TG_ERR_INVALID, "a group needs a name");
	if (name && (r = svc_check_text(sv, "the group name", name, TG_MAX_GROUP_NAME)))
		return r;
	if (description && (r = svc_check_text(sv, "the description", description, TG_MAX_DISPLAY_NAME)))
		return r;
	return TG_OK;
}

static int find_group(struct svc *sv, const struct tg_tenant *t, const char *k, struct tg_group *g)
{
	int r = store_group_get(sv->store, t->id, k, g);
	if (r == TG_ERR_NOT_FOUND)
		return svc_fail(sv, r, "no group \"%s\" in tenant %s", k, t->name);
	return r ? svc_store_fail(sv, r, "reading the group") : TG_OK;
}

/* Add or remove one member of g inside the caller's transaction, audited. */
static int member_change_in_tx(struct svc *sv, const struct tg_tenant *t, const struct tg_group *g,
                               const char *member, bool is_group, bool add)
{
	struct tg_group mg;
	struct tg_user u;
	const char *mid, *mname;
	int r;
	if (is_group) {
		if ((r = find_group(sv, t, member, &mg)))
			return r;
		mid = mg.id;
		mname = mg.name;
	} else {
		if ((r = svc_user_find(sv, t, member, &u)))
			return r;
		tg_wipe(u.pwhash, sizeof u.pwhash);
		mid = u.id;
		mname = u.upn;
	}
	enum tg_member_kind k = is_group ? TG_MEMBER_GROUP : TG_MEMBER_USER;
	r = add ? store_group_member_add(sv->store, g->id, k, mid)
	        : store_group_member_remove(sv->store, g->id, k, mid);
	if (r == TG_ERR_CYCLE)
		return svc_fail(sv, r, "adding group \"%s\" to \"%s\" would make a membership cycle "
		                "(\"%s\" already belongs to \"%s\", directly or through other groups)",
		                mname, g->name, g->name, mname);
	if (r == TG_ERR_EXISTS)
		return svc_fail(sv, r, "%s is already a member of \"%s\"", mname, g->name);
	if (r == TG_ERR_NOT_FOUND)
		return svc_fail(sv, r, "%s is not a member of \"%s\"", mname, g->name);
	if (r)
		return svc_store_fail(sv, r, "changing group members");
	char after[400];
	snprintf(after, sizeof after, "%s %s", is_group ? "group" : "user", mname);
	return svc_audit(sv, t->id, add ? "group.member_add" : "group.member_remove", g->name,
	                 add ? "" : after, add ? after : "");
}

int svc_group_create_with_members(struct svc *sv, const struct tg_tenant *t, const char *name,
                                  const char *description, const struct svc_member_ref *members,
                                  size_t n, struct tg_group *out)
{
	struct tg_group g;
	memset(&g, 0, sizeof g);
	int r;
	if (!name)
		return svc_fail(sv, TG_ERR_INVALID, "a group needs a name");
	if ((r = check_group_text(sv, name, description)))
		return r;
	if ((r = rng_uuid(g.id)))
		return svc_fail(sv, r, "no randomness available");
	tg_strlcpy(g.tenant_id, t->id, sizeof g.tenant_id);
	tg_strlcpy(g.name, name, sizeof g.name);
	tg_strlcpy(g.description, description ? description : "", sizeof g.description);
	g.created = svc_now(sv);
	if ((r = store_tx_begin(sv->store)))
		return svc_store_fail(sv, r, "creating the group");
	r = store_group_insert(sv->store, &g);
	if (r == TG_ERR_EXISTS)
		svc_fail(sv, r, "a group named \"%s\" already exists", name);
	else if (r)
		svc_store_fail(sv, r, "creating the group");
	if (!r)
		r = svc_audit(sv, t->id, "group.create", g.name, "", g.id);
	for (size_t i = 0; !r && i < n; i++)
		r = member_change_in_tx(sv, t, &g, members[i].id, members[i].is_group, true);
	if ((r = commit_or_fail(sv, r, "creating the group")))
		return r;
	if (out)
		*out = g;
	return TG_OK;
}

int svc_group_create(struct svc *sv, const struct tg_tenant *t, const char *name,
                     const char *description, struct tg_group *out)
{
	return svc_group_create_with_members(sv, t, name, description, NULL, 0, out);
}

int svc_group_update(struct svc *sv, const struct tg_tenant *t, const char *k,
                     const struct svc_group_changes *ch, const struct svc_member_ref *add,
                     size_t n_add, struct tg_group *out)
{
	struct tg_group g;
	int r = check_group_text(sv, ch ? ch->name : NULL, ch ? ch->description : NULL);
	if (r)
		return r;
	if ((r = store_tx_begin(sv->store)))
		return svc_store_fail(sv, r, "changing the group");
	if ((r = find_group(sv, t, k, &g)))
		goto out;
	struct tg_group after = g;
	if (ch && ch->name)
		tg_strlcpy(after.name, ch->name, sizeof after.name);
	if (ch && ch->description)
		tg_strlcpy(after.description, ch->description, sizeof after.description);
	bool renamed = strcmp(after.name, g.name) != 0;
	bool redescribed = strcmp(after.description, g.description) != 0;
	if (renamed || redescribed) {
		r = store_group_update(sv->store, &after);
		if (r == TG_ERR_EXISTS) {
			svc_fail(sv, r, "a group named \"%s\" already exists", after.name);
			goto out;
		}
		if (r) {
			svc_store_fail(sv, r, "changing the group");
			goto out;
		}
		char before_s[TG_MAX_GROUP_NAME + TG_MAX_DISPLAY_NAME + 40];
		char after_s[sizeof before_s];
		snprintf(before_s, sizeof before_s, "%s%s%s%s%s", renamed ? "displayName=" : "",
		         renamed ? g.name : "", renamed && redescribed ? "; " : "",
		         redescribed ? "description=" : "", redescribed ? g.description : "");
		snprintf(after_s, sizeof after_s, "%s%s%s%s%s", renamed ? "displayName=" : "",
		         renamed ? after.name : "", renamed && redescribed ? "; " : "",
		         redescribed ? "description=" : "", redescribed ? after.description : "");
		if ((r = svc_audit(sv, t->id, "group.update", g.name, before_s, after_s)))
			goto out;
	}
	for (size_t i = 0; !r && i < n_add; i++)
		r = member_change_in_tx(sv, t, &after, add[i].id, add[i].is_group, true);
	if (!r && out)
		*out = after;
out:
	return commit_or_fail(sv, r, "changing the group");
}

/* Names shown in a message are cut to this many bytes (at a UTF-8
 * boundary, "…" added), so that the group's name and GUARD_SHOWN policy
 * names always fit sv->err whole. */
#define GUARD_NAME_CUT 60
#define GUARD_SHOWN 3

/* s, cut to GUARD_NAME_CUT bytes without splitting a UTF-8 sequence. */
static const char *short_name(const char *s, char out[GUARD_NAME_CUT + sizeof "…"])
{
	size_t n = strlen(s);
	if (n <= GUARD_NAME_CUT)
		return s;
	n = GUARD_NAME_CUT;
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;    /* s[n] continues a sequence: cut before its lead byte */
	memcpy(out, s, n);
	memcpy(out + n, "…", sizeof "…");
	return out;
}

/* The first id of ids that is one of ps, or NULL. */
static const char *named_parent(const struct ca_ids *ids, const struct svc_idv *ps)
{
	for (size_t i = 0; i < ids->n; i++)
		for (size_t j = 0; j < ps->n; j++)
			if (strcmp(ids->v[i], ps->v[j]) == 0)
				return ps->v[j];
	return NULL;
}

/* Inside the caller's transaction: TG_ERR_CONFLICT, naming the policies,
 * while any Conditional Access policy of t, whatever its state (enabled,
 * disabled, report-only), names g in conditions.users includeGroups or
 * excludeGroups, directly or through a group that contains g
 * (transitively). Deleting such a group would silently change whom the
 * policy covers: an included group's members would drop out of it (fail
 * open), an excluded group's members would fall into it; a nested group's
 * members drop out of its parents the same way. The policies that name g
 * itself are reported first (the message lists them); only when there are
 * none are those that name it through a parent reported, the first one
 * with the parent's name. */
static int check_no_policy_names(struct svc *sv, const struct tg_tenant *t, const struct tg_group *g)
{
	struct ca_policy *v = NULL;
	size_t nv = 0, n = 0, n_nested = 0;
	struct tg_buf names;
	struct svc_idv ps = {0};   /* the groups that contain g, transitively */
	const char *first_policy = NULL, *first_parent = NULL;
	char cut[GUARD_NAME_CUT + sizeof "…"], gcut[sizeof cut], pcut[sizeof cut];
	int r = svc_policy_list(sv, t, &v, &nv);
	if (r)
		return r;
	tg_buf_init(&names, 4 * sizeof cut);
	if ((r = store_member_groups(sv->store, TG_MEMBER_GROUP, g->id, true, svc_idv_add, &ps))) {
		svc_store_fail(sv, r, "reading the groups that contain the group");
		goto out;
	}
	for (size_t i = 0; i < nv; i++) {
		const struct ca_users *u = &v[i].cond.users;
		if (!ca_ids_contains(&u->include_groups, g->id) && !ca_ids_contains(&u->exclude_groups, g->id)) {
			const char *parent = named_parent(&u->include_groups, &ps);
			if (!parent)
				parent = named_parent(&u->exclude_groups, &ps);
			if (parent && !n_nested++) {
				first_policy = v[i].display_name;
				first_parent = parent;
			}
			continue;
		}
		if (n < GUARD_SHOWN &&
		    tg_buf_appendf(&names, "%s\"%s\"", n ? ", " : "", short_name(v[i].display_name, cut))) {
			r = svc_fail(sv, TG_ERR_INTERNAL, "listing the policies that name the group");
			goto out;
		}
		n++;
	}
	if (n > GUARD_SHOWN && tg_buf_appendf(&names, " and %zu more", n - GUARD_SHOWN)) {
		r = svc_fail(sv, TG_ERR_INTERNAL, "listing the policies that name the group");
		goto out;
	}
	if (n) {
		r = svc_fail(sv, TG_ERR_CONFLICT, "the group \"%s\" is named in %zu Conditional Access "
		             "polic%s (%s): remove the group from these policies first (deleting it would "
		             "change whom %s)", short_name(g->name, gcut), n, n == 1 ? "y" : "ies",
		             names.data, n == 1 ? "it applies to" : "they apply to");
	} else if (n_nested) {
		struct tg_group pg;
		if ((r = find_group(sv, t, first_parent, &pg)))
			goto out;
		char more[40] = "";
		if (n_nested > 1)
			snprintf(more, sizeof more, ", and %zu more", n_nested - 1);
		r = svc_fail(sv, TG_ERR_CONFLICT, "the group \"%s\" is named in %zu Conditional Access "
		             "polic%s through a group that contains it (\"%s\" names group \"%s\", which "
		             "contains this group%s): take the group out of %s, or %s out of %s, first "
		             "(deleting it would change whom %s)", short_name(g->name, gcut), n_nested,
		             n_nested == 1 ? "y" : "ies", short_name(first_policy, cut),
		             short_name(pg.name, pcut), more, n_nested == 1 ? "that group" : "those groups",
		             n_nested == 1 ? "that group" : "those groups",
		             n_nested == 1 ? "the policy" : "the policies",
		             n_nested == 1 ? "it applies to" : "they apply to");
	}
out:
	free(ps.v);
	tg_buf_cleanup(&names);
	svc_policy_list_free(v, nv);
	return r;
}

/* The check and the deletion share one transaction (BEGIN IMMEDIATE on
 * SQLite: the write lock is held from the start), so no policy can come to
 * name the group between them. */
int svc_group_delete(struct svc *sv, const struct tg_tenant *t, const char *k)
{
	struct tg_group g;
	int r = store_tx_begin(sv->store);
	if (r)
		return svc_store_fail(sv, r, "deleting the group");
	if (!(r = find_group(sv, t, k, &g)) && !(r = check_no_policy_names(sv, t, &g))) {
		if ((r = store_group_delete(sv->store, g.id)))
			svc_store_fail(sv, r, "deleting the group");
		else
			r = svc_audit(sv, t->id, "group.delete", g.name, g.id, "");
	}
	return commit_or_fail(sv, r, "deleting the group");
}

int svc_group_member(struct svc *sv, const struct tg_tenant *t, const char *group,
                     const char *member, bool is_group, bool add)
{
	struct tg_group g;
	int r = store_tx_begin(sv->store);
	if (r)
		return svc_store_fail(sv, r, "changing group members");
	if (!(r = find_group(sv, t, group, &g)))
		r = member_change_in_tx(sv, t, &g, member, is_group, add);
	return commit_or_fail(sv, r, "changing group members");
}

int svc_role_assign(struct svc *sv, const struct tg_tenant *t, const char *upn,
                    const char *role, bool assign)
{
	const struct role_def *rd = role_find(role);
	if (!rd)
		return svc_fail(sv, TG_ERR_INVALID, "unknown role \"%s\" (see `tollgate role list`)", role);
	struct tg_user u;
	int r = store_tx_begin(sv->store);
	if (r)
		return svc_store_fail(sv, r, "changing roles");
	if ((r = svc_user_find(sv, t, upn, &u)))
		goto out;
	tg_wipe(u.pwhash, sizeof u.pwhash);
	if (!assign && strcmp(rd->id, ROLE_ID_GLOBAL_ADMIN) == 0 &&
	    (r = svc_keep_last_global_admin(sv, t->id, u.id, "removing the role")))
		goto out;
	r = assign ? store_role_assign(sv->store, t->id, u.id, rd->id)
	           : store_role_remove(sv->store, u.id, rd->id);
	if (r == TG_ERR_EXISTS)
		svc_fail(sv, r, "%s already holds %s", u.upn, rd->name);
	else if (r == TG_ERR_NOT_FOUND)
		svc_fail(sv, r, "%s does not hold %s", u.upn, rd->name);
	else if (r)
		svc_store_fail(sv, r, "changing roles");
	if (!r)
		r = svc_audit(sv, t->id, assign ? "role.assign" : "role.remove", u.upn,
		              assign ? "" : rd->name, assign ? rd->name : "");
out:
	return commit_or_fail(sv, r, "changing roles");
}
