/* SPDX-License-Identifier: MIT
 * The logs part of the admin API (docs/admin-api.md): /beta/auditLogs/signIns
 * (the stored Graph signIn records, newest first, $filter on
 * userPrincipalName / userId / appId eq, createdDateTime ge / le,
 * status/errorCode eq, joined by "and"; $top and @odata.nextLink paging
 * with the "TIME.SEQ" cursor as $skiptoken) and /v1.0/auditLogs/directoryAudits
 * (the audit table in Graph's directoryAudit shape, newest first, paged by
 * sequence number; $filter also on who made the change, initiatedBy/…).
 * Both need GRAPH_OP_AUDIT_READ. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "base/err.h"
#include "base/mem.h"
#include "base/str.h"
#include "base/uuid.h"
#include "core/upn.h"
#include "http/http_app.h"
#include "http/http_graph.h"
#include "http/http_reply.h"
#include "http/http_route.h"
#include "store/store.h"
#include "store/store_policy.h"
#include "svc/svc_signin.h"

#define CTX_SIGNINS "auditLogs/signIns"
#define CTX_AUDITS "auditLogs/directoryAudits"

/* ---- query options (a local parser: the framework's $filter takes one
 * eq/startswith clause, these collections need ranges and "and") -------- */

static bool bad_request(struct http_req *r, const char *msg)
{
	(void)http_reply_error(r, 400, "Request_BadRequest", msg);
	return false;
}

/* $top and $skiptoken into q; any other $option than $filter is refused. */
static bool paging_or_reply(struct http_req *r, struct graph_query *q)
{
	static const char *const refused[] = {"$orderby", "$expand", "$search", "$count", "$select",
	                                      "$skip", NULL};
	memset(q, 0, sizeof *q);
	q->top = 100;
	for (size_t i = 0; refused[i]; i++)
		if (http_req_query(r, refused[i])) {
			char msg[96];
			snprintf(msg, sizeof msg, "Query option '%s' is not supported.", refused[i]);
			return bad_request(r, msg);
		}
	const char *top = http_req_query(r, "$top");
	if (top) {
		int64_t v;
		if (tg_parse_i64(top, 1, 999, &v))
			return bad_request(r, "Invalid page size specified: $top must be between 1 and 999.");
		q->top = (size_t)v;
	}
	const char *skip = http_req_query(r, "$skiptoken");
	if (skip) {
		if (!*skip || strlen(skip) >= sizeof q->skiptoken)
			return bad_request(r, "Invalid $skiptoken.");
		snprintf(q->skiptoken, sizeof q->skiptoken, "%s", skip);
	}
	return true;
}

struct clause {
	char prop[64];
	char op[4];                  /* "eq", "ge", "le" */
	char value[256];             /* unquoted */
};

/* Next "prop op value" of a filter; *s advances past it and a following
 * " and ". false on a syntax error. */
static bool next_clause(const char **s, struct clause *c)
{
	const char *p = *s;
	size_t n;
	while (*p == ' ')
		p++;
	for (n = 0; p[n] && p[n] != ' ' && n + 1 < sizeof c->prop; n++)
		c->prop[n] = p[n];
	c->prop[n] = '\0';
	if (!n || p[n] != ' ')
		return false;
	p += n;
	while (*p == ' ')
		p++;
	if (!(p[0] && p[1] && p[2] == ' '))
		return false;
	c->op[0] = (char)tolower((unsigned char)p[0]);
	c->op[1] = (char)tolower((unsigned char)p[1]);
	c->op[2] = '\0';
	p += 3;
	while (*p == ' ')
		p++;
	n = 0;
	if (*p == '\'') {
		for (p++;; p++) {
			if (!*p)
				return false;
			if (*p == '\'') {
				if (p[1] != '\'')
					break;
				p++;             /* '' is a quote */
			}
			if (n + 1 >= sizeof c->value)
				return false;
			c->value[n++] = *p;
		}
		p++;
	} else {
		for (; *p && *p != ' '; p++) {
			if (n + 1 >= sizeof c->value)
				return false;
			c->value[n++] = *p;
		}
	}
	c->value[n] = '\0';
	while (*p == ' ')
		p++;
	if (*p) {
		if (strncasecmp(p, "and ", 4) != 0)
			return false;
		p += 4;
		if (!*p)
			return false;
	}
	*s = p;
	return true;
}

/* ---------------------------------------------------------------- signIns */

struct signin_page {
	json_t *arr;
	size_t n, max;
	int64_t last_time, last_seq;            /* of the last row shown */
};

static int signin_row(const struct store_signin *row, void *arg)
{
	struct signin_page *pg = arg;
	if (++pg->n > pg->max)
		return 0;
	pg->last_time = row->time;
	pg->last_seq = row->seq;
	json_t *v = json_loads(row->json, 0, NULL);
	json_array_append_new(pg->arr, v ? v : json_null());
	return 0;
}

/* Fill sq from $filter; answers 400 itself and returns false. */
static bool signin_filter_or_reply(struct http_req *r, struct store_signin_query *sq, char *upn,
                                   size_t upn_size, char *uid, char *aid)
{
	const char *f = http_req_query(r, "$filter");
	if (!f)
		return true;
	struct clause c;
	int64_t v;
	while (*f) {
		if (!next_clause(&f, &c))
			return bad_request(r, "Invalid filter clause: use prop eq 'value' joined by and.");
		bool eq = strcmp(c.op, "eq") == 0;
		if (eq && strcmp(c.prop, "userPrincipalName") == 0) {
			if (upn_normalize(c.value, upn, upn_size, NULL))
				return bad_request(r, "Invalid filter clause: userPrincipalName is not a UPN.");
			sq->upn = upn;
		} else if (eq && strcmp(c.prop, "userId") == 0 && strlen(c.value) <= TG_MAX_ID) {
			tg_strlcpy(uid, c.value, TG_ID_BUF); /* length checked above */
			sq->user_id = uid;
		} else if (eq && strcmp(c.prop, "appId") == 0 && strlen(c.value) <= TG_MAX_ID) {
			tg_strlcpy(aid, c.value, TG_ID_BUF); /* length checked above */
			sq->app_id = aid;
		} else if (eq && strcmp(c.prop, "status/errorCode") == 0) {
			if (tg_parse_i64(c.value, 0, INT32_MAX, &v))
				return bad_request(r, "Invalid filter clause: status/errorCode takes a number.");
			sq->error_code = (int)v;
		} else if (strcmp(c.op, "ne") == 0 && strcmp(c.prop, "status/errorCode") == 0) {
			/* "every sign-in that did not succeed": failures and interruptions */
			if (strcmp(c.value, "0") != 0)
				return bad_request(r, "Invalid filter clause: status/errorCode ne takes only 0 "
				                      "(every sign-in that did not succeed).");
			sq->status = STORE_SIGNIN_FAILURE;
		} else if (strcmp(c.prop, "createdDateTime") == 0 &&
		           (strcmp(c.op, "ge") == 0 || strcmp(c.op, "le") == 0)) {
			if (tg_time_parse_iso(c.value, &v) || v <= 0)
				return bad_request(r, "Invalid filter clause: createdDateTime takes an ISO-8601 "
				                      "time such as 2026-01-31T00:00:00Z.");
			if (c.op[0] == 'g')
				sq->since = v;
			else
				sq->until = v;
		} else {
			return bad_request(r, "Invalid filter clause: supported are userPrincipalName, userId, "
			                      "appId and status/errorCode with eq, status/errorCode ne 0, "
			                      "createdDateTime with ge and le.");
		}
	}
	return true;
}

static int signins_list(struct http_req *r, struct graph_call *g)
{
	struct graph_query q;
	if (!paging_or_reply(r, &q))
		return TG_OK;
	struct store_signin_query sq = {.error_code = -1, .interactive = -1};
	char upn[TG_MAX_UPN + 1], uid[TG_ID_BUF], aid[TG_ID_BUF];
	if (!signin_filter_or_reply(r, &sq, upn, sizeof upn, uid, aid))
		return TG_OK;
	if (q.skiptoken[0]) {
		if (svc_signin_cursor_parse(q.skiptoken, &sq.cursor_time, &sq.cursor_seq))
			return http_reply_error(r, 400, "Request_BadRequest", "Invalid $skiptoken.");
		sq.has_cursor = true;
	}
	sq.tenant_id = g->t->id;
	sq.limit = (int)q.top + 1;               /* one more: is there a next page? */
	struct signin_page pg = {json_array(), 0, q.top, 0, 0};
	int e = store_signin_list(g->c->store, &sq, signin_row, &pg);
	if (e) {
		json_decref(pg.arr);
		return http_reply_err(r, e, "reading the sign-in log");
	}
	char cursor[48];
	svc_signin_cursor_format(pg.last_time, pg.last_seq, cursor, sizeof cursor);
	const char *next = pg.n > q.top ? cursor : NULL;
	return http_graph_reply_collection(r, g, CTX_SIGNINS, pg.arr, &q, next);
}

static int signin_get(struct http_req *r, struct graph_call *g, const char *id)
{
	char *json = NULL;
	int e = svc_signin_get(&g->c->sv, g->t, id, &json);
	if (e)
		return http_reply_err(r, e, g->c->sv.err[0] ? g->c->sv.err : NULL);
	json_t *j = json_loads(json, 0, NULL);
	free(json);
	if (!j)
		return http_reply_err(r, TG_ERR_INTERNAL, "a stored sign-in record does not parse");
	return http_graph_reply_entity(r, g, 200, CTX_SIGNINS "/$entity", j);
}

int http_graph_signins(struct http_req *r)
{
	struct graph_call g;
	memset(&g, 0, sizeof g);
	int e = http_graph_begin(r, &g);
	if (e || r->replied)
		goto out;
	if (!http_graph_require(r, &g, GRAPH_OP_AUDIT_READ, NULL))
		goto out;
	const char *sub = http_req_subpath(r);
	const char *pre = "/beta/auditLogs/signIns";
	size_t n = strlen(pre);
	if (strncmp(sub, pre, n) != 0) {
		e = http_reply_err(r, TG_ERR_NOT_FOUND, NULL);
		goto out;
	}
	const char *id = sub + n;
	if (*id == '/')
		id++;
	if (!*id)
		e = signins_list(r, &g);
	else if (strchr(id, '/') || strlen(id) > TG_MAX_ID)
		e = http_reply_err(r, TG_ERR_NOT_FOUND, NULL);
	else
		e = signin_get(r, &g, id);
out:
	http_graph_end(&g);
	return e;
}

/* ------------------------------------------------------- directoryAudits
 * Mapping from the audit table (docs/admin-api.md):
 *   id                    the record's sequence number, as text
 *   activityDateTime      time
 *   activityDisplayName   action ("policy.create")
 *   category              action's first segment ("policy")
 *   operationType         Add / Update / Delete / Other by the last segment
 *   result                "success" (only changes that happened are audited)
 *   loggedByService       "Tollgate"
 *   initiatedBy           actor "user:<upn>" -> {user:{userPrincipalName}},
 *                         "app:<client id>" -> {app:{appId}}, anything else
 *                         ("cli:root", "system") -> {app:{displayName: actor}}
 *   targetResources       [{id: target, displayName: target, type: category,
 *                           modifiedProperties: [{displayName: "value",
 *                           oldValue: before, newValue: after}]}]  */

static const char *operation_type(const char *action)
{
	const char *last = strrchr(action, '.');
	last = last ? last + 1 : action;
	if (strcmp(last, "create") == 0 || strcmp(last, "add") == 0)
		return "Add";
	if (strcmp(last, "delete") == 0 || strcmp(last, "remove") == 0)
		return "Delete";
	if (strcmp(last, "update") == 0 || strcmp(last, "set") == 0)
		return "Update";
	return "Other";
}

static json_t *audit_json(const struct tg_audit *a)
{
	char id[24], when[TG_TIME_ISO_LEN], cat[TG_MAX_AUDIT_ACTION + 1];
	snprintf(id, sizeof id, "%lld", (long long)a->seq);
	tg_time_iso(a->time, when);
	snprintf(cat, sizeof cat, "%s", a->action);
	char *dot = strchr(cat, '.');
	if (dot)
		*dot = '\0';
	json_t *by;
	if (strncmp(a->actor, "user:", 5) == 0)
		by = json_pack("{s:{s:s},s:n}", "user", "userPrincipalName", a->actor + 5, "app");
	else if (strncmp(a->actor, "app:", 4) == 0)
		by = json_pack("{s:n,s:{s:s}}", "user", "app", "appId", a->actor + 4);
	else
		by = json_pack("{s:n,s:{s:s}}", "user", "app", "displayName", a->actor);
	json_t *mod = json_array();
	if (a->before[0] || a->after[0])
		json_array_append_new(mod, json_pack("{s:s,s:s,s:s}", "displayName", "value", "oldValue",
		                                     a->before, "newValue", a->after));
	json_t *tr = json_pack("[{s:s,s:s,s:s,s:o}]", "id", a->target, "displayName", a->target, "type", cat,
	                       "modifiedProperties", mod);
	return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:o}", "id", id, "activityDateTime", when,
	                 "activityDisplayName", a->action, "category", cat, "operationType",
	                 operation_type(a->action), "result", "success", "loggedByService", "Tollgate",
	                 "initiatedBy", by, "targetResources", tr);
}

struct audit_page {
	json_t *arr;
	size_t n, max;
	int64_t last_seq;
};

static int audit_row(const struct tg_audit *a, void *arg)
{
	struct audit_page *pg = arg;
	pg->n++;
	if (pg->n > pg->max)
		return 0;
	pg->last_seq = a->seq;
	json_array_append_new(pg->arr, audit_json(a));
	return 0;
}

/* The actor of an initiatedBy clause into actor (TG_MAX_AUDIT_ACTOR + 1):
 * "user:<upn lowercased>" or "app:<appId>"; a user id is looked up and
 * stands for the user's UPN now (*none when no such user: the answer is
 * empty, as Graph's is for an id that initiated nothing). false after
 * answering 400 (naming the clause) or 500. */
static bool actor_or_reply(struct http_req *r, struct graph_call *g, const struct clause *c,
                           char *actor, bool *none, int *e)
{
	char upn[TG_MAX_UPN + 1];
	if (strcmp(c->prop, "initiatedBy/user/userPrincipalName") == 0) {
		if (upn_normalize(c->value, upn, sizeof upn, NULL))
			return bad_request(r, "Invalid filter clause: initiatedBy/user/userPrincipalName is "
			                      "not a UPN.");
	} else if (strcmp(c->prop, "initiatedBy/user/id") == 0) {
		if (!uuid_is_valid(c->value))
			return bad_request(r, "Invalid filter clause: initiatedBy/user/id takes a user's "
			                      "object id (a GUID).");
		struct tg_user u;
		int fe = svc_user_find(&g->c->sv, g->t, c->value, &u);
		tg_wipe(u.pwhash, sizeof u.pwhash);
		if (fe == TG_ERR_NOT_FOUND) {
			*none = true;
			return true;
		}
		if (fe) {
			*e = http_reply_err(r, fe, "reading the user of initiatedBy/user/id");
			return false;
		}
		tg_strlcpy(upn, u.upn, sizeof upn);
	} else {                                 /* initiatedBy/app/appId */
		if (!c->value[0] || strlen(c->value) > TG_MAX_ID)
			return bad_request(r, "Invalid filter clause: initiatedBy/app/appId takes an "
			                      "application (client) id.");
		snprintf(actor, TG_MAX_AUDIT_ACTOR + 1, "app:%.*s", TG_MAX_ID, c->value); /* length checked */
		return true;
	}
	snprintf(actor, TG_MAX_AUDIT_ACTOR + 1, "user:%s", upn);
	return true;
}

static bool is_actor_prop(const char *prop)
{
	return strcmp(prop, "initiatedBy/user/userPrincipalName") == 0 ||
	       strcmp(prop, "initiatedBy/user/id") == 0 || strcmp(prop, "initiatedBy/app/appId") == 0;
}

/* $filter for audits: activityDateTime ge/le, activityDisplayName eq
 * (a prefix match on the action when it ends in '.'), targetResources
 * id as "targetId eq", one initiatedBy clause (eq; the actor). *none when
 * the filter matches nothing without asking the store. false after an
 * answer (400, or 500 in *e). */
static bool audit_filter_or_reply(struct http_req *r, struct graph_call *g, struct audit_query *aq,
                                  char *action, char *target, char *actor, bool *none, int *e)
{
	const char *f = http_req_query(r, "$filter");
	if (!f)
		return true;
	struct clause c;
	int64_t v;
	while (*f) {
		if (!next_clause(&f, &c))
			return bad_request(r, "Invalid filter clause: use prop eq 'value' joined by and.");
		bool eq = strcmp(c.op, "eq") == 0;
		if (eq && is_actor_prop(c.prop)) {
			if (aq->actor || *none)
				return bad_request(r, "Invalid filter clause: at most one initiatedBy clause.");
			if (!actor_or_reply(r, g, &c, actor, none, e))
				return false;
			if (!*none)
				aq->actor = actor;
		} else if (eq && strcmp(c.prop, "activityDisplayName") == 0 && strlen(c.value) <= TG_MAX_AUDIT_ACTION) {
			tg_strlcpy(action, c.value, TG_MAX_AUDIT_ACTION + 1);
			aq->action_prefix = action;
		} else if (eq && strcmp(c.prop, "targetId") == 0 && strlen(c.value) <= TG_MAX_AUDIT_TARGET) {
			tg_strlcpy(target, c.value, TG_MAX_AUDIT_TARGET + 1);
			aq->target = target;
		} else if (strcmp(c.prop, "activityDateTime") == 0 &&
		           (strcmp(c.op, "ge") == 0 || strcmp(c.op, "le") == 0)) {
			if (tg_time_parse_iso(c.value, &v) || v <= 0)
				return bad_request(r, "Invalid filter clause: activityDateTime takes an ISO-8601 time.");
			if (c.op[0] == 'g')
				aq->since = v;
			else
				aq->until = v;
		} else {
			return bad_request(r, "Invalid filter clause: supported are activityDisplayName, "
			                      "targetId, initiatedBy/user/userPrincipalName, "
			                      "initiatedBy/user/id and initiatedBy/app/appId with eq, "
			                      "activityDateTime with ge and le.");
		}
	}
	return true;
}

/* initiatedBy.user gets Graph's id and displayName, looked up by the UPN
 * the record names, after the page is read (not inside the store's
 * iteration); each UPN once per page. A user deleted since (or renamed:
 * the record keeps the UPN of the time) gets null for both. */
static int add_initiator_ids(struct graph_call *g, json_t *arr)
{
	json_t *seen = json_object();
	size_t i;
	json_t *rec;
	int rc = TG_OK;
	json_array_foreach(arr, i, rec) {
		json_t *user = json_object_get(json_object_get(rec, "initiatedBy"), "user");
		const char *upn = json_string_value(json_object_get(user, "userPrincipalName"));
		if (!upn)
			continue;
		json_t *who = json_object_get(seen, upn);
		if (!who) {
			struct tg_user u;
			int fe = svc_user_find(&g->c->sv, g->t, upn, &u);
			tg_wipe(u.pwhash, sizeof u.pwhash);
			if (fe && fe != TG_ERR_NOT_FOUND && fe != TG_ERR_INVALID) {
				rc = fe;
				break;
			}
			who = fe ? json_pack("{s:n,s:n}", "id", "displayName")
			         : json_pack("{s:s,s:s}", "id", u.id, "displayName", u.display_name);
			if (!who || json_object_set_new(seen, upn, who)) {
				rc = TG_ERR_NOMEM;
				break;
			}
		}
		if (json_object_update(user, who)) {
			rc = TG_ERR_NOMEM;
			break;
		}
	}
	json_decref(seen);
	return rc;
}

int http_graph_directory_audits(struct http_req *r)
{
	struct graph_call g;
	memset(&g, 0, sizeof g);
	int e = http_graph_begin(r, &g);
	if (e || r->replied)
		goto out;
	if (!http_graph_require(r, &g, GRAPH_OP_AUDIT_READ, NULL))
		goto out;
	struct graph_query q;
	if (!paging_or_reply(r, &q))
		goto out;
	struct audit_query aq;
	char action[TG_MAX_AUDIT_ACTION + 1], target[TG_MAX_AUDIT_TARGET + 1];
	char actor[TG_MAX_AUDIT_ACTOR + 1];
	bool none = false;
	memset(&aq, 0, sizeof aq);
	if (!audit_filter_or_reply(r, &g, &aq, action, target, actor, &none, &e))
		goto out;
	if (q.skiptoken[0]) {
		int64_t v;
		if (tg_parse_i64(q.skiptoken, 1, INT64_MAX, &v)) {
			e = http_reply_error(r, 400, "Request_BadRequest", "Invalid $skiptoken.");
			goto out;
		}
		aq.before_seq = v;
	}
	aq.tenant_id = g.t->id;
	aq.limit = (int)q.top + 1;
	struct audit_page pg = {json_array(), 0, q.top, 0};
	if (!none && (e = store_audit_list(g.c->store, &aq, audit_row, &pg))) {
		json_decref(pg.arr);
		e = http_reply_err(r, e, "reading the audit log");
		goto out;
	}
	if ((e = add_initiator_ids(&g, pg.arr))) {
		json_decref(pg.arr);
		e = http_reply_err(r, e, "reading the users who made the changes");
		goto out;
	}
	char next[24];
	snprintf(next, sizeof next, "%lld", (long long)pg.last_seq);
	e = http_graph_reply_collection(r, &g, CTX_AUDITS, pg.arr, &q, pg.n > q.top ? next : NULL);
out:
	http_graph_end(&g);
	return e;
}
