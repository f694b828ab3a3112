/* SPDX-License-Identifier: MIT
 * Admin API: /v1.0/groups (list, create, get, update, delete; members,
 * transitiveMembers, members/$ref) and /v1.0/directoryRoles (the role
 * templates Tollgate knows, their members, members/$ref). Framework:
 * http_graph.h; services: svc_group_*, svc_role_assign (svc_dir.c);
 * documentation: docs/admin-api.md.
 *
 * Sections: shapes, paths and references, groups, group members,
 * directory roles. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/err.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/str.h"
#include "core/roles.h"
#include "http/http_app.h"
#include "http/http_graph.h"
#include "http/http_reply.h"
#include "http/http_route.h"
#include "store/store.h"

#define DIR_BIND_MAX 20            /* members@odata.bind per request (Graph: 20) */
#define DIR_WALK_STOP 1            /* a list callback's "enough" (not an error) */
#define DIR_MAX_SEGS 4
#define DIR_SEG_LEN (TG_MAX_UPN + 1)
#define DIR_MAX_ODATA_ID 2048

static const char *const group_props[] = {
	"id", "displayName", "description", "createdDateTime", "mailEnabled", "securityEnabled",
	"groupTypes", NULL,
};
static const char *const group_filter_props[] = {"displayName", NULL};
/* $select on members: the properties of users and of groups */
static const char *const member_props[] = {
	"id", "displayName", "description", "createdDateTime", "mailEnabled", "securityEnabled",
	"groupTypes", "userPrincipalName", "mail", "mobilePhone", "preferredLanguage",
	"accountEnabled", "userType", NULL,
};
static const char *const role_props[] = {
	"id", "displayName", "description", "roleTemplateId", "deletedDateTime", NULL,
};
static const char *const role_filter_props[] = {"displayName", "roleTemplateId", NULL};

static const char MSG_REF_EXISTS[] =
	"One or more added object references already exist for the following modified "
	"properties: 'members'.";

/* ---- shapes ------------------------------------------------------------- */

static json_t *group_json(const struct tg_group *gr)
{
	char created[TG_TIME_ISO_LEN];
	tg_time_iso(gr->created, created);
	json_t *o = json_object();
	json_object_set_new(o, "id", json_string(gr->id));
	json_object_set_new(o, "displayName", json_string(gr->name));
	json_object_set_new(o, "description",
	                    gr->description[0] ? json_string(gr->description) : json_null());
	json_object_set_new(o, "createdDateTime", json_string(created));
	json_object_set_new(o, "mailEnabled", json_false());
	json_object_set_new(o, "securityEnabled", json_true());
	json_object_set_new(o, "groupTypes", json_array());
	return o;
}

/* A user as a directoryObject in a members collection (the properties of
 * GET /v1.0/users; never the password hash). */
static json_t *member_user_json(const struct tg_user *u)
{
	json_t *o = json_object();
	json_t *user = http_graph_user_json(u);
	json_object_set_new(o, "@odata.type", json_string("#microsoft.graph.user"));
	if (json_object_update(o, user) != 0) {
		json_decref(o);
		o = NULL;
	}
	json_decref(user);
	return o;
}

static json_t *member_group_json(const struct tg_group *gr)
{
	json_t *o = group_json(gr);
	json_object_set_new(o, "@odata.type", json_string("#microsoft.graph.group"));
	return o;
}

/* Entra lists activated roles with their own object ids; Tollgate lists
 * every role it knows, with id = roleTemplateId (docs/admin-api.md). */
static json_t *role_json(const struct role_def *rd)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_string(rd->id));
	json_object_set_new(o, "deletedDateTime", json_null());
	json_object_set_new(o, "description", json_string(rd->description));
	json_object_set_new(o, "displayName", json_string(rd->name));
	json_object_set_new(o, "roleTemplateId", json_string(rd->id));
	return o;
}

static int bad_request(struct http_req *r, const char *msg)
{
	return http_reply_error(r, 400, "Request_BadRequest", msg);
}

static int bad_path(struct http_req *r, const char *path, const char *msg)
{
	struct json_err err;
	memset(&err, 0, sizeof err);
	snprintf(err.path, sizeof err.path, "%s", path);
	snprintf(err.message, sizeof err.message, "%s", msg);
	return http_graph_reply_json_err(r, &err);
}

static int reply_405(struct http_req *r, const char *allow)
{
	size_t len = 0;
	struct MHD_Response *resp = http_error_response(r, 405, "Request_MethodNotAllowed",
		"The method is not allowed for this resource.", &len);
	if (resp && MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, allow) != MHD_YES) {
		MHD_destroy_response(resp);
		resp = NULL;
	}
	return http_reply_queue(r, 405, resp, len);
}

/* A service error: bad input 400 with the service's message, a cycle
 * 400, an unknown object 404, the rest through the error table. exists_msg
 * is the message for TG_ERR_EXISTS (NULL = the service's). */
static int reply_svc_err(struct http_req *r, struct graph_call *g, int e, const char *exists_msg)
{
	if (e == TG_ERR_INVALID || e == TG_ERR_TOO_LARGE || e == TG_ERR_CYCLE)
		return bad_request(r, g->c->sv.err);
	if (e == TG_ERR_EXISTS)
		return bad_request(r, exists_msg ? exists_msg : g->c->sv.err);
	if (e == TG_ERR_NOT_FOUND)
		return http_reply_error(r, 404, "Request_ResourceNotFound", g->c->sv.err);
	return http_reply_err(r, e, g->c->sv.err);
}

/* ---- paths and references ----------------------------------------------- */

struct segs {
	size_t n;
	char s[DIR_MAX_SEGS][DIR_SEG_LEN];
};

/* Split "/a/b/c" (or "") into segments; false when a segment is empty or
 * too long or there are more than DIR_MAX_SEGS. */
static bool split_path(const char *p, struct segs *out)
{
	memset(out, 0, sizeof *out);
	while (*p) {
		if (*p != '/' || out->n == DIR_MAX_SEGS)
			return false;
		p++;
		size_t n = strcspn(p, "/");
		if (n == 0 || n >= DIR_SEG_LEN)
			return false;
		memcpy(out->s[out->n], p, n);
		out->s[out->n][n] = '\0';
		out->n++;
		p += n;
	}
	return true;
}

enum ref_kind { REF_OBJECT, REF_USER, REF_GROUP };

/* Parse an "@odata.id" reference: any base ending in /v1.0/ or /beta/,
 * then directoryObjects/{id}, users/{id|upn} or groups/{id}. */
static bool parse_odata_id(const char *s, enum ref_kind *kind, char *key, size_t size)
{
	size_t len = strlen(s);
	if (len == 0 || len > DIR_MAX_ODATA_ID)
		return false;
	const char *last = strrchr(s, '/');
	if (!last || !last[1] || (size_t)(s + len - (last + 1)) >= size)
		return false;
	for (const char *c = last + 1; *c; c++)
		if ((unsigned char)*c <= 0x20 || *c == 0x7f || strchr("?#%'()\"\\", *c))
			return false;
	const char *cs = last;
	while (cs > s && cs[-1] != '/')
		cs--;
	size_t cn = (size_t)(last - cs);
	if (cn == 16 && strncmp(cs, "directoryObjects", 16) == 0)
		*kind = REF_OBJECT;
	else if (cn == 5 && strncmp(cs, "users", 5) == 0)
		*kind = REF_USER;
	else if (cn == 6 && strncmp(cs, "groups", 6) == 0)
		*kind = REF_GROUP;
	else
		return false;
	if (cs == s)
		return false;
	const char *ve = cs - 1;   /* the '/' before the collection */
	const char *vs = ve;
	while (vs > s && vs[-1] != '/')
		vs--;
	size_t vn = (size_t)(ve - vs);
	if (!((vn == 4 && strncmp(vs, "v1.0", 4) == 0) || (vn == 4 && strncmp(vs, "beta", 4) == 0)))
		return false;
	if (vs != s && vs[-1] != '/')
		return false;
	snprintf(key, size, "%s", last + 1);
	return true;
}

/* A user or a group of this tenant. */
struct dir_obj {
	bool is_group;
	struct tg_user u;
	struct tg_group grp;
};

/* Find the group with exactly this id (Graph addresses groups by id). */
static int find_group_id(struct graph_call *g, const char *id, struct tg_group *out)
{
	int e = store_group_get(g->c->store, g->t->id, id, out);
	if (e == TG_OK && strcmp(out->id, id) != 0)
		e = TG_ERR_NOT_FOUND;
	return e;
}

/* TG_OK, TG_ERR_NOT_FOUND or a store error. */
static int resolve_obj(struct graph_call *g, enum ref_kind kind, const char *key,
                       struct dir_obj *out)
{
	memset(out, 0, sizeof *out);
	if (kind != REF_GROUP) {
		int e = svc_user_find(&g->c->sv, g->t, key, &out->u);
		if (e == TG_OK) {
			tg_wipe(out->u.pwhash, sizeof out->u.pwhash);
			return TG_OK;
		}
		if (e != TG_ERR_NOT_FOUND && e != TG_ERR_INVALID)
			return e;
		if (kind == REF_USER)
			return TG_ERR_NOT_FOUND;
	}
	out->is_group = true;
	return find_group_id(g, key, &out->grp);
}

static const struct json_member ref_members[] = {
	{NULL, JSON_MEMBER_READ},
};

/* Read {"@odata.id": "…"} and resolve it. Answers 400 (bad body or
 * reference) or 404 (no such object) itself and returns false. */
static bool read_ref_body_or_reply(struct http_req *r, struct graph_call *g, struct dir_obj *out)
{
	bool ok = false;
	json_t *j = http_graph_body(r);
	if (!j)
		return false;
	struct json_path p;
	json_path_init(&p);
	struct json_err err;
	memset(&err, 0, sizeof err);
	if (json_check_members(j, ref_members, &p, &err)) {
		(void)http_graph_reply_json_err(r, &err);
		goto out;
	}
	const json_t *v = json_object_get(j, "@odata.id");
	if (!v) {
		(void)bad_path(r, "@odata.id", "is required");
		goto out;
	}
	enum ref_kind kind;
	char key[DIR_SEG_LEN];
	if (!json_is_string(v) || !parse_odata_id(json_string_value(v), &kind, key, sizeof key)) {
		(void)bad_path(r, "@odata.id", "must be a URL ending in /v1.0/directoryObjects/{id}, "
		               "/v1.0/users/{id} or /v1.0/groups/{id}");
		goto out;
	}
	int e = resolve_obj(g, kind, key, out);
	if (e == TG_ERR_NOT_FOUND)
		(void)http_graph_not_found(r, key);
	else if (e)
		(void)http_reply_err(r, e, NULL);
	else
		ok = true;
out:
	json_decref(j);
	return ok;
}

/* ---- scoped membership writes ------------------------------------------- */

struct scope_scan {
	struct graph_call *g;
	char denied[TG_ID_BUF];
};

static int scope_cb(enum tg_member_kind kind, const char *id, void *arg)
{
	struct scope_scan *s = arg;
	if (kind != TG_MEMBER_USER)
		return TG_OK;
	struct tg_user u;
	memset(&u, 0, sizeof u);
	tg_strlcpy(u.id, id, sizeof u.id);
	if (http_graph_allowed(s->g, GRAPH_OP_GROUP_MEMBER_WRITE, &u))
		return TG_OK;
	tg_strlcpy(s->denied, id, sizeof s->denied);
	return DIR_WALK_STOP;
}

/* For a principal whose GROUP_MEMBER_WRITE is scoped to non-admins (User
 * Administrator): obj, and every user in it when it is a group, must hold
 * no directory role. Answers 403 (or 503) itself and returns false. */
static bool require_member_scope(struct http_req *r, struct graph_call *g,
                                 const struct dir_obj *obj)
{
	if (!http_graph_scoped(g, GRAPH_OP_GROUP_MEMBER_WRITE))
		return true;
	if (!obj->is_group)
		return http_graph_require(r, g, GRAPH_OP_GROUP_MEMBER_WRITE, &obj->u);
	struct scope_scan s = {.g = g};
	int e = store_group_members(g->c->store, obj->grp.id, true, scope_cb, &s);
	if (e && e != DIR_WALK_STOP) {
		(void)http_reply_err(r, e, NULL);
		return false;
	}
	if (!s.denied[0])
		return true;
	struct tg_user u;
	memset(&u, 0, sizeof u);
	tg_strlcpy(u.id, s.denied, sizeof u.id);
	return http_graph_require(r, g, GRAPH_OP_GROUP_MEMBER_WRITE, &u);
}

/* ---- groups ------------------------------------------------------------- */

struct group_acc {
	json_t *arr;
	const struct graph_query *q;
	const char *after;             /* skiptoken: names > this */
	size_t n;
	bool more;
	char next[TG_MAX_GROUP_NAME + 3];
};

static bool group_matches(const struct graph_query *q, const struct tg_group *gr)
{
	if (q->fop == GRAPH_FILTER_EQ)
		return tg_streq_ci(gr->name, q->fvalue);
	if (q->fop == GRAPH_FILTER_STARTSWITH)
		return tg_startswith_ci(gr->name, q->fvalue);
	return true;
}

static int group_list_cb(const struct tg_group *gr, void *arg)
{
	struct group_acc *a = arg;
	/* the store walks by name (binary order, as strcmp) */
	if (a->after && strcmp(gr->name, a->after) <= 0)
		return TG_OK;
	if (!group_matches(a->q, gr))
		return TG_OK;
	if (a->n == a->q->top) {
		a->more = true;
		return DIR_WALK_STOP;
	}
	json_t *o = group_json(gr);
	http_graph_select(a->q, o);
	json_array_append_new(a->arr, o);
	/* the skiptoken: "n:<name>", or "i:<id>" for a name too long for it */
	if (strlen(gr->name) + 3 <= sizeof ((struct graph_query *)0)->skiptoken)
		snprintf(a->next, sizeof a->next, "n:%s", gr->name);
	else
		snprintf(a->next, sizeof a->next, "i:%s", gr->id);
	a->n++;
	return TG_OK;
}

static int groups_list(struct http_req *r, struct graph_call *g)
{
	struct graph_query q;
	if (!http_graph_require(r, g, GRAPH_OP_GROUP_READ, NULL) ||
	    !http_graph_query(r, group_filter_props, group_props, &q))
		return TG_OK;
	struct tg_group from;
	struct group_acc acc = {.q = &q};
	if (q.skiptoken[0]) {
		if (strncmp(q.skiptoken, "n:", 2) == 0) {
			acc.after = q.skiptoken + 2;
		} else if (strncmp(q.skiptoken, "i:", 2) == 0 &&
		           find_group_id(g, q.skiptoken + 2, &from) == TG_OK) {
			acc.after = from.name;
		} else {
			return bad_request(r, "Invalid $skiptoken: start again without it.");
		}
	}
	acc.arr = json_array();
	int e = store_group_list(g->c->store, g->t->id, group_list_cb, &acc);
	if (e && e != DIR_WALK_STOP) {
		json_decref(acc.arr);
		return e;
	}
	return http_graph_reply_collection(r, g, "groups", acc.arr, &q, acc.more ? acc.next : NULL);
}

static const struct json_member group_members[] = {
	{"displayName", JSON_MEMBER_READ},
	{"description", JSON_MEMBER_READ},
	{"mailEnabled", JSON_MEMBER_READ},
	{"securityEnabled", JSON_MEMBER_READ},
	{"groupTypes", JSON_MEMBER_READ},
	{"isAssignableToRole", JSON_MEMBER_NULL_ONLY},
	{"mailNickname", JSON_MEMBER_IGNORED},
	{"id", JSON_MEMBER_IGNORED},
	{"createdDateTime", JSON_MEMBER_IGNORED},
	{NULL, JSON_MEMBER_READ},
};

struct group_body {
	const char *name, *description;
	bool has_props;                     /* a property other than members */
	size_t n_members;
	struct svc_member_ref members[DIR_BIND_MAX];
	struct dir_obj objs[DIR_BIND_MAX];
};

/* Parse a group body (create or update) with members@odata.bind resolved
 * to users and groups of the tenant. Answers 400 with the JSON path (or the
 * store's error) itself and returns false. */
static bool parse_group_body_or_reply(struct http_req *r, struct graph_call *g, json_t *j,
                                      struct group_body *b)
{
	memset(b, 0, sizeof *b);
	struct json_path p;
	json_path_init(&p);
	struct json_err err;
	memset(&err, 0, sizeof err);
	bool mail = false, mail_set = false, sec = true, sec_set = false, desc_set = false;
	const json_t *types = NULL, *bind = NULL;
	if (json_check_members(j, group_members, &p, &err) ||
	    json_get_string(j, "displayName", &p, &err, &b->name, NULL) ||
	    json_get_string(j, "description", &p, &err, &b->description, &desc_set) ||
	    json_get_bool(j, "mailEnabled", &p, &err, &mail, &mail_set) ||
	    json_get_bool(j, "securityEnabled", &p, &err, &sec, &sec_set) ||
	    json_get_string_array(j, "groupTypes", 8, &p, &err, &types) ||
	    json_get_string_array(j, "members@odata.bind", DIR_BIND_MAX, &p, &err, &bind)) {
		(void)http_graph_reply_json_err(r, &err);
		return false;
	}
	/* description: null clears it, as Graph */
	if (!b->description && json_object_get(j, "description"))
		b->description = "";
	if (mail_set && mail) {
		(void)bad_path(r, "mailEnabled", "must be false: Tollgate groups are security groups");
		return false;
	}
	if (sec_set && !sec) {
		(void)bad_path(r, "securityEnabled", "must be true: Tollgate groups are security groups");
		return false;
	}
	if (types && json_array_size(types)) {
		(void)bad_path(r, "groupTypes[0]", "only security groups (groupTypes []) are supported");
		return false;
	}
	const json_t *owners = json_object_get(j, "owners@odata.bind");
	if (owners && !(json_is_array(owners) && json_array_size(owners) == 0)) {
		(void)bad_path(r, "owners@odata.bind", "group owners are not supported");
		return false;
	}
	const char *key;
	json_t *v;
	json_object_foreach(j, key, v) {
		if (!json_is_annotation(key))
			b->has_props = true;
	}
	for (size_t i = 0; bind && i < json_array_size(bind); i++) {
		char path[64], ref[DIR_SEG_LEN];
		snprintf(path, sizeof path, "members@odata.bind[%zu]", i);
		enum ref_kind kind;
		if (!parse_odata_id(json_string_value(json_array_get(bind, i)), &kind, ref, sizeof ref)) {
			(void)bad_path(r, path, "must be a URL ending in /v1.0/directoryObjects/{id}, "
			               "/v1.0/users/{id} or /v1.0/groups/{id}");
			return false;
		}
		struct dir_obj *o = &b->objs[b->n_members];
		int e = resolve_obj(g, kind, ref, o);
		if (e == TG_ERR_NOT_FOUND) {
			char msg[DIR_SEG_LEN + 64];
			snprintf(msg, sizeof msg, "no user or group with id '%s' in this tenant", ref);
			(void)bad_path(r, path, msg);
			return false;
		}
		if (e) {
			(void)http_reply_err(r, e, NULL);
			return false;
		}
		const char *oid = o->is_group ? o->grp.id : o->u.id;
		for (size_t k = 0; k < b->n_members; k++) {
			if (strcmp(b->members[k].id, oid) == 0) {
				(void)bad_path(r, path, "names an object listed before");
				return false;
			}
		}
		b->members[b->n_members].is_group = o->is_group;
		b->members[b->n_members].id = oid;
		b->n_members++;
	}
	return true;
}

/* Authorize the membership part of a body: the op, then each member. */
static bool require_members(struct http_req *r, struct graph_call *g, const struct group_body *b)
{
	if (!b->n_members)
		return true;
	if (!http_graph_require(r, g, GRAPH_OP_GROUP_MEMBER_WRITE, NULL))
		return false;
	for (size_t i = 0; i < b->n_members; i++)
		if (!require_member_scope(r, g, &b->objs[i]))
			return false;
	return true;
}

static int groups_create(struct http_req *r, struct graph_call *g)
{
	if (!http_graph_require(r, g, GRAPH_OP_GROUP_WRITE, NULL))
		return TG_OK;
	json_t *j = http_graph_body(r);
	if (!j)
		return TG_OK;
	struct group_body *b = calloc(1, sizeof *b);
	int e = TG_OK;
	if (!b) {
		e = TG_ERR_NOMEM;
		goto out;
	}
	if (!parse_group_body_or_reply(r, g, j, b) || !require_members(r, g, b))
		goto out;
	if (!b->name) {
		e = bad_path(r, "displayName", "is required");
		goto out;
	}
	struct tg_group gr;
	e = svc_group_create_with_members(&g->c->sv, g->t, b->name, b->description, b->members,
	                                  b->n_members, &gr);
	if (e == TG_ERR_EXISTS) {   /* members are new to a new group: the name */
		e = bad_request(r, "Another object with the same value for property displayName "
		                   "already exists.");
		goto out;
	}
	if (e) {
		e = reply_svc_err(r, g, e, NULL);
		goto out;
	}
	e = http_graph_reply_entity(r, g, 201, "groups/$entity", group_json(&gr));
out:
	free(b);
	json_decref(j);
	return e;
}

/* GET, POST /v1.0/groups */
int http_graph_groups(struct http_req *r)
{
	struct graph_call g;
	int e = http_graph_begin(r, &g);
	if (e || r->replied)
		goto out;
	e = http_req_is_read(r) ? groups_list(r, &g) : groups_create(r, &g);
out:
	http_graph_end(&g);
	return e;
}

/* The group {id} into gr: true; otherwise false with *e: the result of
 * the 404 answered, or a store error (nothing answered). */
static bool group_or_reply(struct http_req *r, struct graph_call *g, const char *id,
                           struct tg_group *gr, int *e)
{
	*e = find_group_id(g, id, gr);
	if (*e == TG_ERR_NOT_FOUND)
		*e = http_graph_not_found(r, id);
	else if (*e == TG_OK)
		return true;
	return false;
}

static int group_get(struct http_req *r, struct graph_call *g, const char *id)
{
	struct graph_query q;
	if (!http_graph_require(r, g, GRAPH_OP_GROUP_READ, NULL) ||
	    !http_graph_query(r, NULL, group_props, &q))
		return TG_OK;
	struct tg_group gr;
	int e;
	if (!group_or_reply(r, g, id, &gr, &e))
		return e;
	json_t *o = group_json(&gr);
	http_graph_select(&q, o);
	return http_graph_reply_entity(r, g, 200, "groups/$entity", o);
}

static int group_patch(struct http_req *r, struct graph_call *g, const char *id)
{
	/* nothing about the group is revealed before the caller may write */
	if (!http_graph_allowed(g, GRAPH_OP_GROUP_WRITE, NULL) &&
	    !http_graph_require(r, g, GRAPH_OP_GROUP_MEMBER_WRITE, NULL))
		return TG_OK;
	json_t *j = http_graph_body(r);
	if (!j)
		return TG_OK;
	int e = TG_OK;
	struct group_body *b = calloc(1, sizeof *b);
	if (!b) {
		e = TG_ERR_NOMEM;
		goto out;
	}
	if (!parse_group_body_or_reply(r, g, j, b))
		goto out;
	if ((b->has_props || !b->n_members) &&
	    !http_graph_require(r, g, GRAPH_OP_GROUP_WRITE, NULL))
		goto out;
	if (!require_members(r, g, b))
		goto out;
	struct tg_group gr;
	if ((e = find_group_id(g, id, &gr))) {
		if (e == TG_ERR_NOT_FOUND)
			e = http_graph_not_found(r, id);
		goto out;
	}
	if (b->name && !b->name[0]) {
		e = bad_path(r, "displayName", "must not be empty");
		goto out;
	}
	struct svc_group_changes ch = {.name = b->name, .description = b->description};
	if ((e = svc_group_update(&g->c->sv, g->t, gr.id, &ch, b->members, b->n_members, NULL))) {
		e = reply_svc_err(r, g, e, NULL);
		goto out;
	}
	e = http_graph_reply_204(r);
out:
	free(b);
	json_decref(j);
	return e;
}

static int group_delete(struct http_req *r, struct graph_call *g, const char *id)
{
	if (!http_graph_require(r, g, GRAPH_OP_GROUP_WRITE, NULL))
		return TG_OK;
	struct dir_obj obj;
	memset(&obj, 0, sizeof obj);
	obj.is_group = true;
	int e = find_group_id(g, id, &obj.grp);
	if (e == TG_ERR_NOT_FOUND)
		return http_graph_not_found(r, id);
	if (e)
		return e;
	/* deleting a group takes its members out of it: scoped as removing them */
	if (!require_member_scope(r, g, &obj))
		return TG_OK;
	/* a group a Conditional Access policy names: TG_ERR_CONFLICT, answered
	 * 409 Request_Conflict with the service's message naming the policies */
	if ((e = svc_group_delete(&g->c->sv, g->t, obj.grp.id)))
		return reply_svc_err(r, g, e, NULL);
	return http_graph_reply_204(r);
}

/* ---- group members ------------------------------------------------------ */

struct member_acc {
	struct graph_call *g;
	json_t *arr;
	const struct graph_query *q;
	int after_kind;                /* -1 = no skiptoken */
	const char *after_id;
	size_t n;
	bool more;
	char next[TG_ID_BUF + 4];
	int err;
};

/* The end of a walk over members: the store's error e or the callback's
 * cb_err (arr dropped), else the page arr (taken) with next. */
static int reply_members(struct http_req *r, struct graph_call *g, const struct graph_query *q,
                         int e, int cb_err, json_t *arr, const char *next)
{
	if (cb_err || (e && e != DIR_WALK_STOP)) {
		json_decref(arr);
		return cb_err ? cb_err : e;
	}
	return http_graph_reply_collection(r, g, "directoryObjects", arr, q, next);
}

static int member_list_cb(enum tg_member_kind kind, const char *id, void *arg)
{
	struct member_acc *a = arg;
	/* the store walks by (kind, id) */
	if (a->after_kind >= 0 && ((int)kind < a->after_kind ||
	                           ((int)kind == a->after_kind && strcmp(id, a->after_id) <= 0)))
		return TG_OK;
	if (a->n == a->q->top) {
		a->more = true;
		return DIR_WALK_STOP;
	}
	json_t *o = NULL;
	if (kind == TG_MEMBER_USER) {
		struct tg_user u;
		int e = store_user_get(a->g->c->store, id, &u);
		if (e == TG_ERR_NOT_FOUND)
			return TG_OK;
		if (e)
			return a->err = e;
		tg_wipe(u.pwhash, sizeof u.pwhash);
		o = member_user_json(&u);
	} else {
		struct tg_group gr;
		int e = find_group_id(a->g, id, &gr);
		if (e == TG_ERR_NOT_FOUND)
			return TG_OK;
		if (e)
			return a->err = e;
		o = member_group_json(&gr);
	}
	http_graph_select(a->q, o);
	json_array_append_new(a->arr, o);
	snprintf(a->next, sizeof a->next, "%c:%s", kind == TG_MEMBER_USER ? 'u' : 'g', id);
	a->n++;
	return TG_OK;
}

static int group_members_list(struct http_req *r, struct graph_call *g, const char *id,
                              bool transitive)
{
	struct graph_query q;
	if (!http_graph_require(r, g, GRAPH_OP_GROUP_READ, NULL) ||
	    !http_graph_query(r, NULL, member_props, &q))
		return TG_OK;
	struct tg_group gr;
	int e;
	if (!group_or_reply(r, g, id, &gr, &e))
		return e;
	struct member_acc acc = {.g = g, .q = &q, .after_kind = -1};
	if (q.skiptoken[0]) {
		if ((q.skiptoken[0] != 'u' && q.skiptoken[0] != 'g') || q.skiptoken[1] != ':' ||
		    !q.skiptoken[2])
			return bad_request(r, "Invalid $skiptoken: start again without it.");
		acc.after_kind = q.skiptoken[0] == 'u' ? TG_MEMBER_USER : TG_MEMBER_GROUP;
		acc.after_id = q.skiptoken + 2;
	}
	acc.arr = json_array();
	e = store_group_members(g->c->store, gr.id, transitive, member_list_cb, &acc);
	return reply_members(r, g, &q, e, acc.err, acc.arr, acc.more ? acc.next : NULL);
}

/* POST /groups/{id}/members/$ref (add) and DELETE
 * /groups/{id}/members/{memberId}/$ref (remove: member_key set). */
static int group_member_ref(struct http_req *r, struct graph_call *g, const char *id,
                            const char *member_key)
{
	bool add = member_key == NULL;
	if (!http_graph_require(r, g, GRAPH_OP_GROUP_MEMBER_WRITE, NULL))
		return TG_OK;
	struct tg_group gr;
	int e;
	if (!group_or_reply(r, g, id, &gr, &e))
		return e;
	struct dir_obj obj;
	if (add) {
		if (!read_ref_body_or_reply(r, g, &obj))
			return TG_OK;
	} else if ((e = resolve_obj(g, REF_OBJECT, member_key, &obj))) {
		return e == TG_ERR_NOT_FOUND ? http_graph_not_found(r, member_key) : e;
	}
	if (!require_member_scope(r, g, &obj))
		return TG_OK;
	e = svc_group_member(&g->c->sv, g->t, gr.id, obj.is_group ? obj.grp.id : obj.u.id,
	                     obj.is_group, add);
	if (e)
		return reply_svc_err(r, g, e, MSG_REF_EXISTS);
	return http_graph_reply_204(r);
}

/* GET, PATCH, DELETE /v1.0/groups/{id}; GET …/members, …/transitiveMembers;
 * POST …/members/$ref; DELETE …/members/{memberId}/$ref */
int http_graph_group_item(struct http_req *r)
{
	struct graph_call g;
	int e = http_graph_begin(r, &g);
	if (e || r->replied)
		goto out;
	static const char prefix[] = "/v1.0/groups";
	const char *sub = http_req_subpath(r);
	struct segs s;
	if (strncmp(sub, prefix, sizeof prefix - 1) != 0 ||
	    !split_path(sub + sizeof prefix - 1, &s) || s.n == 0) {
		e = http_graph_not_found(r, sub);
		goto out;
	}
	const char *id = s.s[0];
	const char *m = r->method;
	if (s.n == 1) {
		if (http_req_is_read(r))
			e = group_get(r, &g, id);
		else if (strcmp(m, "PATCH") == 0)
			e = group_patch(r, &g, id);
		else if (strcmp(m, "DELETE") == 0)
			e = group_delete(r, &g, id);
		else
			e = reply_405(r, "GET, PATCH, DELETE, HEAD");
	} else if (s.n == 2 && (strcmp(s.s[1], "members") == 0 ||
	                        strcmp(s.s[1], "transitiveMembers") == 0)) {
		if (http_req_is_read(r))
			e = group_members_list(r, &g, id, s.s[1][0] == 't');
		else
			e = reply_405(r, "GET, HEAD");
	} else if (s.n == 3 && strcmp(s.s[1], "members") == 0 && strcmp(s.s[2], "$ref") == 0) {
		if (strcmp(m, "POST") == 0)
			e = group_member_ref(r, &g, id, NULL);
		else
			e = reply_405(r, "POST");
	} else if (s.n == 4 && strcmp(s.s[1], "members") == 0 && strcmp(s.s[3], "$ref") == 0) {
		if (strcmp(m, "DELETE") == 0)
			e = group_member_ref(r, &g, id, s.s[2]);
		else
			e = reply_405(r, "DELETE");
	} else {
		e = http_graph_not_found(r, sub);
	}
out:
	http_graph_end(&g);
	return e;
}

/* ---- directory roles ---------------------------------------------------- */

static bool role_matches(const struct graph_query *q, const struct role_def *rd)
{
	const char *v = strcmp(q->fprop, "roleTemplateId") == 0 ? rd->id : rd->name;
	if (q->fop == GRAPH_FILTER_EQ)
		return tg_streq_ci(v, q->fvalue);
	if (q->fop == GRAPH_FILTER_STARTSWITH)
		return tg_startswith_ci(v, q->fvalue);
	return true;
}

static int roles_list(struct http_req *r, struct graph_call *g)
{
	struct graph_query q;
	if (!http_graph_require(r, g, GRAPH_OP_ROLE_READ, NULL) ||
	    !http_graph_query(r, role_filter_props, role_props, &q))
		return TG_OK;
	/* role_table is static: the skiptoken is the last template id shown */
	const struct role_def *rd = role_table;
	if (q.skiptoken[0]) {
		const struct role_def *from = role_by_id(q.skiptoken);
		if (!from)
			return bad_request(r, "Invalid $skiptoken: start again without it.");
		rd = from + 1;
	}
	json_t *arr = json_array();
	const char *last = NULL;
	bool more = false;
	size_t n = 0;
	for (; rd->id; rd++) {
		if (!role_matches(&q, rd))
			continue;
		if (n == q.top) {
			more = true;
			break;
		}
		json_t *o = role_json(rd);
		http_graph_select(&q, o);
		json_array_append_new(arr, o);
		last = rd->id;
		n++;
	}
	return http_graph_reply_collection(r, g, "directoryRoles", arr, &q, more ? last : NULL);
}

struct role_member_acc {
	struct graph_call *g;
	json_t *arr;
	const struct graph_query *q;
	const char *after;             /* skiptoken: UPNs > this */
	size_t n;
	bool more;
	char next[TG_MAX_UPN + 1];
	int err;
};

static int role_member_cb(const char *id, void *arg)
{
	struct role_member_acc *a = arg;
	struct tg_user u;
	int e = store_user_get(a->g->c->store, id, &u);
	if (e == TG_ERR_NOT_FOUND)
		return TG_OK;
	if (e)
		return a->err = e;
	tg_wipe(u.pwhash, sizeof u.pwhash);
	/* the store walks by UPN */
	if (a->after && strcmp(u.upn, a->after) <= 0)
		return TG_OK;
	if (a->n == a->q->top) {
		a->more = true;
		return DIR_WALK_STOP;
	}
	json_t *o = member_user_json(&u);
	http_graph_select(a->q, o);
	json_array_append_new(a->arr, o);
	tg_strlcpy(a->next, u.upn, sizeof a->next);
	a->n++;
	return TG_OK;
}

static int role_members_list(struct http_req *r, struct graph_call *g, const struct role_def *rd)
{
	struct graph_query q;
	if (!http_graph_query(r, NULL, member_props, &q))
		return TG_OK;
	struct role_member_acc acc = {.g = g, .q = &q, .after = q.skiptoken[0] ? q.skiptoken : NULL};
	acc.arr = json_array();
	int e = store_role_members(g->c->store, g->t->id, rd->id, role_member_cb, &acc);
	return reply_members(r, g, &q, e, acc.err, acc.arr, acc.more ? acc.next : NULL);
}

/* POST /directoryRoles/{id}/members/$ref (add) and DELETE
 * /directoryRoles/{id}/members/{userId}/$ref (remove: user_key set). */
static int role_member_ref(struct http_req *r, struct graph_call *g, const struct role_def *rd,
                           const char *user_key)
{
	bool add = user_key == NULL;
	struct dir_obj obj;
	if (add) {
		if (!read_ref_body_or_reply(r, g, &obj))
			return TG_OK;
		if (obj.is_group)
			return bad_path(r, "@odata.id", "only users can be members of a directory role "
			                "(Tollgate has no role-assignable groups)");
	} else {
		int e = resolve_obj(g, REF_USER, user_key, &obj);
		if (e)
			return e == TG_ERR_NOT_FOUND ? http_graph_not_found(r, user_key) : e;
	}
	int e = svc_role_assign(&g->c->sv, g->t, obj.u.id, rd->id, add);
	if (e)
		return reply_svc_err(r, g, e, MSG_REF_EXISTS);
	return http_graph_reply_204(r);
}

/* The role key of "/{id}…", "/roleTemplateId={id}…" or
 * "(roleTemplateId='{id}')…"; rest gets what follows. */
static bool role_key(const char *p, char *out, size_t size, const char **rest)
{
	if (*p == '(') {
		static const char open[] = "(roleTemplateId='";
		if (strncmp(p, open, sizeof open - 1) != 0)
			return false;
		p += sizeof open - 1;
		size_t n = strcspn(p, "'/");
		if (n == 0 || n >= size || strncmp(p + n, "')", 2) != 0)
			return false;
		memcpy(out, p, n);
		out[n] = '\0';
		*rest = p + n + 2;
		return true;
	}
	if (*p != '/')
		return false;
	p++;
	static const char tmpl[] = "roleTemplateId=";
	if (strncmp(p, tmpl, sizeof tmpl - 1) == 0)
		p += sizeof tmpl - 1;
	size_t n = strcspn(p, "/");
	if (n == 0 || n >= size)
		return false;
	memcpy(out, p, n);
	out[n] = '\0';
	*rest = p + n;
	return true;
}

/* GET /v1.0/directoryRoles; GET /directoryRoles/{id},
 * /directoryRoles/roleTemplateId={id}, /directoryRoles(roleTemplateId='{id}');
 * GET …/members; POST …/members/$ref; DELETE …/members/{userId}/$ref */
int http_graph_directory_roles(struct http_req *r)
{
	struct graph_call g;
	int e = http_graph_begin(r, &g);
	if (e || r->replied)
		goto out;
	static const char prefix[] = "/v1.0/directoryRoles";
	const char *sub = http_req_subpath(r);
	if (strncmp(sub, prefix, sizeof prefix - 1) != 0) {
		e = http_graph_not_found(r, sub);
		goto out;
	}
	const char *p = sub + sizeof prefix - 1;
	if (!*p) {
		e = http_req_is_read(r) ? roles_list(r, &g) : reply_405(r, "GET, HEAD");
		goto out;
	}
	char key[DIR_SEG_LEN];
	const char *rest = "";
	struct segs s;
	if (!role_key(p, key, sizeof key, &rest) || !split_path(rest, &s)) {
		e = http_graph_not_found(r, sub);
		goto out;
	}
	bool get = http_req_is_read(r);
	const char *m = r->method;
	enum { R_ITEM, R_MEMBERS, R_ADD, R_REMOVE, R_NONE } what = R_NONE;
	if (s.n == 0)
		what = R_ITEM;
	else if (s.n == 1 && strcmp(s.s[0], "members") == 0)
		what = R_MEMBERS;
	else if (s.n == 2 && strcmp(s.s[0], "members") == 0 && strcmp(s.s[1], "$ref") == 0)
		what = R_ADD;
	else if (s.n == 3 && strcmp(s.s[0], "members") == 0 && strcmp(s.s[2], "$ref") == 0)
		what = R_REMOVE;
	if (what == R_NONE) {
		e = http_graph_not_found(r, sub);
		goto out;
	}
	if ((what == R_ITEM || what == R_MEMBERS) && !get) {
		e = reply_405(r, "GET, HEAD");
		goto out;
	}
	if ((what == R_ADD && strcmp(m, "POST") != 0) || (what == R_REMOVE && strcmp(m, "DELETE") != 0)) {
		e = reply_405(r, what == R_ADD ? "POST" : "DELETE");
		goto out;
	}
	if (!http_graph_require(r, &g, get ? GRAPH_OP_ROLE_READ : GRAPH_OP_ROLE_WRITE, NULL))
		goto out;
	const struct role_def *rd = role_by_id(key);
	if (!rd) {
		e = http_graph_not_found(r, key);
		goto out;
	}
	if (what == R_ITEM) {
		struct graph_query q;
		if (!http_graph_query(r, NULL, role_props, &q))
			goto out;
		json_t *o = role_json(rd);
		http_graph_select(&q, o);
		e = http_graph_reply_entity(r, &g, 200, "directoryRoles/$entity", o);
	} else if (what == R_MEMBERS) {
		e = role_members_list(r, &g, rd);
	} else {
		e = role_member_ref(r, &g, rd, what == R_REMOVE ? s.s[1] : NULL);
	}
out:
	http_graph_end(&g);
	return e;
}

/* ---- a user's groups and roles: /users/{id|upn}/memberOf ------------------ */

#define MEMBER_OF_MAX 10000        /* groups + roles read for one user */

struct id_list {
	size_t n, cap;
	char (*v)[TG_ID_BUF + 2];      /* "g:<id>" or "r:<id>", sorted: the skiptoken order */
	bool full;
};

static int id_list_add(struct id_list *l, char kind, const char *id)
{
	if (l->n == MEMBER_OF_MAX) {
		l->full = true;
		return DIR_WALK_STOP;
	}
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 32;
		l->v = xrealloc(l->v, l->cap * sizeof *l->v);
	}
	snprintf(l->v[l->n++], sizeof l->v[0], "%c:%s", kind, id);
	return TG_OK;
}

static int member_of_group_cb(const char *id, void *arg)
{
	return id_list_add(arg, 'g', id);
}

static int member_of_role_cb(const char *id, void *arg)
{
	return id_list_add(arg, 'r', id);
}

static int id_cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* GET /v1.0/users/{id|upn}/memberOf and …/transitiveMemberOf: the groups
 * (direct, or through nested groups) and the directory roles the user
 * holds, as Graph's directoryObject collection, groups then roles, paged by
 * $top / $skiptoken. Needs GROUP_READ and ROLE_READ. */
int http_graph_user_member_of(struct http_req *r)
{
	struct graph_call g;
	struct id_list ids = {0};
	json_t *arr = NULL;
	int e = http_graph_begin(r, &g);
	if (e || r->replied)
		goto out;
	struct segs sg;
	if (!split_path(http_req_subpath(r), &sg) || sg.n != 4) {
		e = http_graph_not_found(r, http_req_subpath(r));
		goto out;
	}
	bool transitive = strcmp(sg.s[3], "transitiveMemberOf") == 0;
	struct graph_query q;
	if (!http_graph_require(r, &g, GRAPH_OP_GROUP_READ, NULL) ||
	    !http_graph_require(r, &g, GRAPH_OP_ROLE_READ, NULL) ||
	    !http_graph_query(r, NULL, member_props, &q))
		goto out;
	struct dir_obj obj;
	if ((e = resolve_obj(&g, REF_USER, sg.s[2], &obj))) {
		if (e == TG_ERR_NOT_FOUND)
			e = http_graph_not_found(r, sg.s[2]);
		goto out;
	}
	e = store_user_roles(g.c->store, obj.u.id, member_of_role_cb, &ids);
	if (!e || e == DIR_WALK_STOP)
		e = store_member_groups(g.c->store, TG_MEMBER_USER, obj.u.id, transitive,
		                        member_of_group_cb, &ids);
	if (e && e != DIR_WALK_STOP)
		goto out;
	e = TG_OK;
	if (ids.full)
		log_warn("request %s: %s is in more than %d groups and roles; the list is cut",
		         r->request_id, obj.u.upn, MEMBER_OF_MAX);
	if (ids.n)
		qsort(ids.v, ids.n, sizeof ids.v[0], id_cmp);
	if (q.skiptoken[0] && (q.skiptoken[0] != 'g' && q.skiptoken[0] != 'r')) {
		e = bad_request(r, "Invalid $skiptoken: start again without it.");
		goto out;
	}
	arr = json_array();
	size_t n = 0;
	const char *next = NULL;
	for (size_t i = 0; i < ids.n; i++) {
		if (q.skiptoken[0] && strcmp(ids.v[i], q.skiptoken) <= 0)
			continue;
		if (n == q.top) {
			next = ids.v[i - 1];
			break;
		}
		json_t *o = NULL;
		const char *id = ids.v[i] + 2;
		if (ids.v[i][0] == 'r') {
			const struct role_def *rd = role_find(id);
			if (!rd)
				continue;
			o = role_json(rd);
			json_object_set_new(o, "@odata.type", json_string("#microsoft.graph.directoryRole"));
		} else {
			struct tg_group gr;
			int ge = find_group_id(&g, id, &gr);
			if (ge == TG_ERR_NOT_FOUND)
				continue;
			if (ge) {
				e = ge;
				goto out;
			}
			o = member_group_json(&gr);
		}
		http_graph_select(&q, o);
		json_array_append_new(arr, o);
		n++;
	}
	e = http_graph_reply_collection(r, &g, "directoryObjects", arr, &q, next);
	arr = NULL;
out:
	json_decref(arr);
	free(ids.v);
	http_graph_end(&g);
	return e;
}
