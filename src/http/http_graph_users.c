/* SPDX-License-Identifier: MIT
 * Admin API: /v1.0/users (list, get, create, update, delete) and
 * /beta/users/{id|upn}/authentication/requirements (per-user MFA state),
 * plus the Tollgate bulk form POST /tollgate/v1/perUserMfa/bulk.
 * Framework: http_graph.h; documentation: docs/admin-api.md. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "base/err.h"
#include "base/mem.h"
#include "base/str.h"
#include "core/mfa_state.h"
#include "http/http_graph.h"
#include "http/http_reply.h"
#include "http/http_route.h"
#include "store/store.h"

#define USERS_BULK_MAX 10000

static const char *const user_props[] = {
	"id", "userPrincipalName", "displayName", "mail", "mobilePhone", "preferredLanguage",
	"accountEnabled", "userType", "createdDateTime", NULL,
};
static const char *const user_filter_props[] = {"userPrincipalName", "displayName", NULL};

/* The {id|upn} segment after prefix in the subpath, copied into out; rest
 * gets what follows it ("" or "/authentication/requirements"). */
static bool path_key(struct http_req *r, const char *prefix, char *out, size_t size,
                     const char **rest)
{
	const char *sub = http_req_subpath(r);
	size_t pn = strlen(prefix);
	if (strncmp(sub, prefix, pn) != 0)
		return false;
	sub += pn;
	size_t n = strcspn(sub, "/");
	if (n == 0 || n >= size)
		return false;
	memcpy(out, sub, n);
	out[n] = '\0';
	*rest = sub + n;
	return true;
}

/* ---- list --------------------------------------------------------------- */

struct list_acc {
	json_t *arr;
	const struct graph_query *q;
	size_t n;
	char last[TG_MAX_UPN + 1];
	bool more;
};

static int list_cb(const struct tg_user *u, void *arg)
{
	struct list_acc *a = arg;
	if (a->n == a->q->top) {
		a->more = true;
		return TG_OK;
	}
	json_t *o = http_graph_user_json(u);
	http_graph_select(a->q, o);
	json_array_append_new(a->arr, o);
	snprintf(a->last, sizeof a->last, "%s", u->upn);
	a->n++;
	return TG_OK;
}

int http_graph_users_list(struct http_req *r)
{
	struct graph_call g;
	int e = http_graph_begin(r, &g);
	if (e || r->replied)
		goto out;
	struct graph_query q;
	if (!http_graph_require(r, &g, GRAPH_OP_USER_READ, NULL) ||
	    !http_graph_query(r, user_filter_props, user_props, &q))
		goto out;
	struct user_query uq = {.tenant_id = g.t->id, .state = -1, .limit = (int)q.top + 1};
	char lower[sizeof q.fvalue];
	snprintf(lower, sizeof lower, "%s", q.fvalue);
	for (char *p = lower; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	bool upn = strcmp(q.fprop, "userPrincipalName") == 0;
	if (q.fop == GRAPH_FILTER_EQ) {
		if (upn)
			uq.upn_eq = lower;
		else
			uq.name_eq = q.fvalue;
	} else if (q.fop == GRAPH_FILTER_STARTSWITH) {
		if (upn)
			uq.upn_prefix = lower;
		else
			uq.name_prefix = q.fvalue;
	}
	if (q.skiptoken[0])
		uq.after_upn = q.skiptoken;
	struct list_acc acc = {.arr = json_array(), .q = &q};
	if ((e = store_user_list(g.c->store, &uq, list_cb, &acc))) {
		json_decref(acc.arr);
		goto out;
	}
	e = http_graph_reply_collection(r, &g, "users", acc.arr, &q, acc.more ? acc.last : NULL);
out:
	http_graph_end(&g);
	return e;
}

/* ---- one user ----------------------------------------------------------- */

static const struct json_member user_members[] = {
	{"accountEnabled", JSON_MEMBER_READ},
	{"displayName", JSON_MEMBER_READ},
	{"userPrincipalName", JSON_MEMBER_READ},
	{"mail", JSON_MEMBER_READ},
	{"mobilePhone", JSON_MEMBER_READ},
	{"preferredLanguage", JSON_MEMBER_READ},
	{"passwordProfile", JSON_MEMBER_READ},
	{"mailNickname", JSON_MEMBER_IGNORED},
	{"id", JSON_MEMBER_IGNORED},
	{"createdDateTime", JSON_MEMBER_IGNORED},
	{"userType", JSON_MEMBER_IGNORED},
	{NULL, JSON_MEMBER_READ},
};
static const struct json_member pw_members[] = {
	{"password", JSON_MEMBER_READ},
	{"forceChangePasswordNextSignIn", JSON_MEMBER_READ},
	{"forceChangePasswordNextSignInWithMfa", JSON_MEMBER_IGNORED},
	{NULL, JSON_MEMBER_READ},
};

struct user_body {
	const char *upn, *display_name, *mail, *phone, *locale, *password;
	bool enabled, enabled_set, force_change, force_set;
};

static int parse_user_body(const json_t *j, struct user_body *b, struct json_err *err)
{
	struct json_path p;
	json_path_init(&p);
	memset(b, 0, sizeof *b);
	int e;
	if ((e = json_check_members(j, user_members, &p, err)) ||
	    (e = json_get_string(j, "userPrincipalName", &p, err, &b->upn, NULL)) ||
	    (e = json_get_string(j, "displayName", &p, err, &b->display_name, NULL)) ||
	    (e = json_get_string(j, "mail", &p, err, &b->mail, NULL)) ||
	    (e = json_get_string(j, "mobilePhone", &p, err, &b->phone, NULL)) ||
	    (e = json_get_string(j, "preferredLanguage", &p, err, &b->locale, NULL)) ||
	    (e = json_get_bool(j, "accountEnabled", &p, err, &b->enabled, &b->enabled_set)))
		return e;
	const json_t *pw = NULL;
	if ((e = json_get_object(j, "passwordProfile", &p, err, &pw)))
		return e;
	if (pw) {
		size_t m = json_path_push_key(&p, "passwordProfile");
		if ((e = json_check_members(pw, pw_members, &p, err)) ||
		    (e = json_get_string(pw, "password", &p, err, &b->password, NULL)) ||
		    (e = json_get_bool(pw, "forceChangePasswordNextSignIn", &p, err, &b->force_change,
		                       &b->force_set)))
			return e;
		json_path_pop(&p, m);
	}
	return TG_OK;
}

/* Answer a service error: invalid input as 400 with the service's
 * message, the rest through the table. */
static int reply_svc_err(struct http_req *r, struct graph_call *g, int e)
{
	if (e == TG_ERR_INVALID || e == TG_ERR_TOO_LARGE)
		return http_reply_error(r, 400, "Request_BadRequest", g->c->sv.err);
	if (e == TG_ERR_EXISTS)
		return http_reply_error(r, 400, "Request_BadRequest",
		                        "Another object with the same value for property userPrincipalName already exists.");
	if (e == TG_ERR_CONFLICT)
		return http_reply_error(r, 409, "Request_Conflict", g->c->sv.err);
	return http_reply_err(r, e, g->c->sv.err);
}

int http_graph_users_create(struct http_req *r)
{
	struct graph_call g;
	json_t *j = NULL;
	int e = http_graph_begin(r, &g);
	if (e || r->replied)
		goto out;
	if (!http_graph_require(r, &g, GRAPH_OP_USER_WRITE, NULL) || !(j = http_graph_body(r)))
		goto out;
	struct user_body b;
	struct json_err err;
	memset(&err, 0, sizeof err);
	if (parse_user_body(j, &b, &err)) {
		e = http_graph_reply_json_err(r, &err);
		goto out;
	}
	if (!b.upn) {
		snprintf(err.path, sizeof err.path, "userPrincipalName");
		snprintf(err.message, sizeof err.message, "is required");
		e = http_graph_reply_json_err(r, &err);
		goto out;
	}
	struct svc_user_input in = {
		.upn = b.upn, .display_name = b.display_name, .email = b.mail, .phone = b.phone,
		.locale = b.locale, .password = b.password,
		.password_len = b.password ? strlen(b.password) : 0,
		.must_change_password = b.force_set ? b.force_change : (b.password != NULL),
		.disabled = b.enabled_set && !b.enabled,
	};
	struct tg_user u;
	if ((e = svc_user_create(&g.c->sv, g.t, &in, &u))) {
		e = reply_svc_err(r, &g, e);
		goto out;
	}
	tg_wipe(u.pwhash, sizeof u.pwhash);
	e = http_graph_reply_entity(r, &g, 201, "users/$entity", http_graph_user_json(&u));
out:
	json_decref(j);
	http_graph_end(&g);
	return e;
}

int http_graph_user_item(struct http_req *r)
{
	struct graph_call g;
	json_t *j = NULL;
	int e = http_graph_begin(r, &g);
	if (e || r->replied)
		goto out;
	char key[TG_MAX_UPN + 1];
	const char *rest = "";
	if (!path_key(r, "/v1.0/users/", key, sizeof key, &rest) || rest[0]) {
		e = http_graph_not_found(r, http_req_subpath(r));
		goto out;
	}
	bool get = http_req_is_read(r);
	if (!http_graph_require(r, &g, get ? GRAPH_OP_USER_READ : GRAPH_OP_USER_WRITE, NULL))
		goto out;
	struct graph_query q;
	if (get && !http_graph_query(r, NULL, user_props, &q))
		goto out;
	struct tg_user u;
	if (!http_graph_find_user(r, &g, key, &u, &e))
		goto out;
	if (get) {
		json_t *o = http_graph_user_json(&u);
		http_graph_select(&q, o);
		e = http_graph_reply_entity(r, &g, 200, "users/$entity", o);
		goto out;
	}
	/* writes: the target decides for scoped roles (User Administrator
	 * manages non-administrators only) */
	if (!http_graph_require(r, &g, GRAPH_OP_USER_WRITE, &u))
		goto out;
	if (strcmp(r->method, "DELETE") == 0) {
		if ((e = svc_user_delete(&g.c->sv, g.t, u.upn))) {
			e = reply_svc_err(r, &g, e);
			goto out;
		}
		e = http_graph_reply_204(r);
		goto out;
	}
	if (!(j = http_graph_body(r)))
		goto out;
	struct user_body b;
	struct json_err err;
	memset(&err, 0, sizeof err);
	if (parse_user_body(j, &b, &err)) {
		e = http_graph_reply_json_err(r, &err);
		goto out;
	}
	if (b.upn && strcasecmp(b.upn, u.upn) != 0) {
		snprintf(err.path, sizeof err.path, "userPrincipalName");
		snprintf(err.message, sizeof err.message, "cannot be changed");
		e = http_graph_reply_json_err(r, &err);
		goto out;
	}
	struct svc_user_changes ch = {
		.display_name = b.display_name, .email = b.mail, .phone = b.phone,
		.locale = b.locale, .enabled = b.enabled_set ? (b.enabled ? 1 : 0) : -1,
	};
	struct tg_user after;
	if ((e = svc_user_update(&g.c->sv, g.t, u.upn, &ch, &after))) {
		e = reply_svc_err(r, &g, e);
		goto out;
	}
	if (b.password && (e = svc_user_set_password(&g.c->sv, g.t, u.upn, b.password,
	                                             strlen(b.password),
	                                             b.force_set ? b.force_change : true))) {
		e = reply_svc_err(r, &g, e);
		goto out;
	}
	tg_wipe(after.pwhash, sizeof after.pwhash);
	e = http_graph_reply_204(r);
out:
	json_decref(j);
	http_graph_end(&g);
	return e;
}

/* ---- per-user MFA state ------------------------------------------------- */

static const struct json_member req_members[] = {
	{"perUserMfaState", JSON_MEMBER_READ},
	{NULL, JSON_MEMBER_READ},
};

/* Parse {"perUserMfaState": "disabled|enabled|enforced"} (plus, for the
 * bulk form, extra members checked by the caller). */
static int parse_state(const json_t *j, const struct json_member *members, enum mfa_state *out,
                       struct json_err *err)
{
	struct json_path p;
	json_path_init(&p);
	const char *s = NULL;
	int e;
	if ((e = json_check_members(j, members, &p, err)) ||
	    (e = json_get_string(j, "perUserMfaState", &p, err, &s, NULL)))
		return e;
	if (!s)
		return json_fail(err, NULL, "perUserMfaState is required");
	if (mfa_state_parse(s, out) != TG_OK) {
		size_t m = json_path_push_key(&p, "perUserMfaState");
		e = json_fail(err, &p, "must be disabled, enabled or enforced");
		json_path_pop(&p, m);
		return e;
	}
	return TG_OK;
}

int http_graph_user_requirements(struct http_req *r)
{
	struct graph_call g;
	json_t *j = NULL;
	int e = http_graph_begin(r, &g);
	if (e || r->replied)
		goto out;
	char key[TG_MAX_UPN + 1];
	const char *rest = "";
	if (!path_key(r, "/beta/users/", key, sizeof key, &rest) ||
	    strcmp(rest, "/authentication/requirements") != 0) {
		e = http_graph_not_found(r, http_req_subpath(r));
		goto out;
	}
	bool get = http_req_is_read(r);
	enum graph_op op = get ? GRAPH_OP_PER_USER_MFA_READ : GRAPH_OP_PER_USER_MFA_WRITE;
	if (!http_graph_require(r, &g, op, NULL))
		goto out;
	struct tg_user u;
	if (!http_graph_find_user(r, &g, key, &u, &e))
		goto out;
	if (get) {
		json_t *o = json_object();
		json_object_set_new(o, "perUserMfaState", json_string(mfa_state_name(u.mfa_state)));
		e = http_graph_reply_entity(r, &g, 200,
		                            "users('authentication')/requirements/$entity", o);
		goto out;
	}
	if (!http_graph_require(r, &g, op, &u) || !(j = http_graph_body(r)))
		goto out;
	enum mfa_state st;
	struct json_err err;
	memset(&err, 0, sizeof err);
	if (parse_state(j, req_members, &st, &err)) {
		e = http_graph_reply_json_err(r, &err);
		goto out;
	}
	const char *upns[1] = {u.upn};
	struct svc_mfa_report rep;
	memset(&rep, 0, sizeof rep);
	e = svc_mfa_set(&g.c->sv, g.t, st, upns, 1, false, false, &rep);
	svc_mfa_report_cleanup(&rep);
	if (e) {
		e = reply_svc_err(r, &g, e);
		goto out;
	}
	e = http_graph_reply_204(r);
out:
	json_decref(j);
	http_graph_end(&g);
	return e;
}

/* POST /tollgate/v1/perUserMfa/bulk {"perUserMfaState": s, "users": [upn…]}
 * -> {"changed": n, "unchanged": n, "notFound": [upn…]}. All or nothing per
 * request (one transaction); every user must be one the caller may change. */
static const struct json_member bulk_members[] = {
	{"perUserMfaState", JSON_MEMBER_READ},
	{"users", JSON_MEMBER_READ},
	{NULL, JSON_MEMBER_READ},
};

int http_graph_mfa_bulk(struct http_req *r)
{
	struct graph_call g;
	json_t *j = NULL;
	const char **upns = NULL;
	int e = http_graph_begin(r, &g);
	if (e || r->replied)
		goto out;
	if (!http_graph_require(r, &g, GRAPH_OP_PER_USER_MFA_WRITE, NULL) ||
	    !(j = http_graph_body(r)))
		goto out;
	enum mfa_state st;
	struct json_err err;
	memset(&err, 0, sizeof err);
	struct json_path p;
	json_path_init(&p);
	const json_t *arr = NULL;
	if (parse_state(j, bulk_members, &st, &err) ||
	    json_get_string_array(j, "users", USERS_BULK_MAX, &p, &err, &arr)) {
		e = http_graph_reply_json_err(r, &err);
		goto out;
	}
	if (!arr) {
		e = http_graph_reply_json_err(r, &(struct json_err){.path = "users",
		                                                    .message = "is required"});
		goto out;
	}
	size_t n = json_array_size(arr);
	upns = calloc(n ? n : 1, sizeof *upns);
	if (!upns) {
		e = TG_ERR_NOMEM;
		goto out;
	}
	/* a scoped role (Authentication Administrator) may change
	 * non-administrators only: check every target that exists */
	bool all_any = http_graph_allowed(&g, GRAPH_OP_PER_USER_MFA_WRITE, NULL) &&
	               g.p.app_only;
	for (size_t i = 0; i < n; i++) {
		upns[i] = json_string_value(json_array_get(arr, i));
		if (all_any)
			continue;
		struct tg_user u;
		if (svc_user_find(&g.c->sv, g.t, upns[i], &u) != TG_OK)
			continue;
		tg_wipe(u.pwhash, sizeof u.pwhash);
		if (!http_graph_require(r, &g, GRAPH_OP_PER_USER_MFA_WRITE, &u))
			goto out;
	}
	struct svc_mfa_report rep;
	memset(&rep, 0, sizeof rep);
	if ((e = svc_mfa_set(&g.c->sv, g.t, st, upns, n, false, false, &rep))) {
		svc_mfa_report_cleanup(&rep);
		e = reply_svc_err(r, &g, e);
		goto out;
	}
	json_t *nf = json_array();
	for (size_t i = 0; i < rep.not_found; i++)
		json_array_append_new(nf, json_string(rep.not_found_upns[i]));
	json_t *o = json_object();
	json_object_set_new(o, "changed", json_integer((json_int_t)rep.changed));
	json_object_set_new(o, "unchanged", json_integer((json_int_t)rep.unchanged));
	json_object_set_new(o, "notFound", nf);
	svc_mfa_report_cleanup(&rep);
	e = http_reply_json_take(r, 200, o);
out:
	free(upns);
	json_decref(j);
	http_graph_end(&g);
	return e;
}
