/* SPDX-License-Identifier: MIT
 * The Conditional Access part of the admin API (docs/admin-api.md):
 * /v1.0/identity/conditionalAccess/policies and /namedLocations (list,
 * create, get, PATCH, delete, in Graph's shapes), and Tollgate's own
 * /tollgate/v1/conditionalAccess/{templates/{name},whatIf,impact}.
 * Authorization through http_graph_require (GRAPH_OP_CA_READ / _WRITE);
 * the services audit every change with the token's actor. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/err.h"
#include "base/str.h"
#include "core/ca_policy.h"
#include "core/named_location.h"
#include "core/platform.h"
#include "core/risk.h"
#include "core/signin.h"
#include "http/http_app.h"
#include "http/http_graph.h"
#include "http/http_reply.h"
#include "http/http_route.h"
#include "json/ca_policy_json.h"
#include "json/json_util.h"
#include "json/named_location_json.h"
#include "json/signin_json.h"
#include "svc/svc_policy.h"
#include "svc/svc_signin.h"

#define CA_BASE "/v1.0/identity/conditionalAccess/"
#define CTX_POLICIES "identity/conditionalAccess/policies"
#define CTX_LOCATIONS "identity/conditionalAccess/namedLocations"

enum ca_kind { KIND_POLICY, KIND_LOCATION };

/* The {id} after prefix in the request's subpath, or NULL when the path is
 * the collection itself (or has more segments: answered 404 by caller). */
static const char *path_id(const struct http_req *r, const char *prefix, bool *bad_out)
{
	const char *sub = http_req_subpath(r);
	size_t n = strlen(prefix);
	*bad_out = false;
	if (strncmp(sub, prefix, n) != 0)
		return NULL;
	const char *id = sub + n;
	if (*id == '/')
		id++;
	if (!*id)
		return NULL;
	if (strchr(id, '/') || strlen(id) > TG_MAX_ID)
		*bad_out = true;
	return id;
}

/* Answer a service failure: a JSON fault with its path, else the table. */
static int reply_svc(struct http_req *r, struct graph_call *g, int e, const struct json_err *je)
{
	if (e == TG_ERR_INVALID && je && (je->path[0] || je->message[0]))
		return http_graph_reply_json_err(r, je);
	return http_reply_err(r, e, g->c->sv.err[0] ? g->c->sv.err : NULL);
}

static json_t *kind_json(enum ca_kind k, const void *obj)
{
	return k == KIND_POLICY ? ca_policy_to_json(obj) : named_location_to_json(obj);
}

static const char *kind_ctx(enum ca_kind k)
{
	return k == KIND_POLICY ? CTX_POLICIES : CTX_LOCATIONS;
}

static const char *kind_prefix(enum ca_kind k)
{
	return k == KIND_POLICY ? CA_BASE "policies" : CA_BASE "namedLocations";
}

union ca_obj {
	struct ca_policy p;
	struct named_location l;
};

static void obj_cleanup(enum ca_kind k, union ca_obj *o)
{
	if (k == KIND_POLICY)
		ca_policy_cleanup(&o->p);
	else
		named_location_cleanup(&o->l);
}

static int do_list(struct http_req *r, struct graph_call *g, enum ca_kind k)
{
	json_t *arr = json_array();
	int e;
	if (k == KIND_POLICY) {
		struct ca_policy *v = NULL;
		size_t n = 0;
		if ((e = svc_policy_list(&g->c->sv, g->t, &v, &n))) {
			json_decref(arr);
			return reply_svc(r, g, e, NULL);
		}
		for (size_t i = 0; i < n; i++)
			json_array_append_new(arr, ca_policy_to_json(&v[i]));
		svc_policy_list_free(v, n);
	} else {
		struct named_location *v = NULL;
		size_t n = 0;
		if ((e = svc_location_list(&g->c->sv, g->t, &v, &n))) {
			json_decref(arr);
			return reply_svc(r, g, e, NULL);
		}
		for (size_t i = 0; i < n; i++)
			json_array_append_new(arr, named_location_to_json(&v[i]));
		svc_location_list_free(v, n);
	}
	return http_graph_reply_collection(r, g, kind_ctx(k), arr, NULL, NULL);
}

static int do_get(struct http_req *r, struct graph_call *g, enum ca_kind k, const char *id,
                  union ca_obj *o)
{
	int e = k == KIND_POLICY ? svc_policy_get(&g->c->sv, g->t, id, &o->p)
	                         : svc_location_get(&g->c->sv, g->t, id, &o->l);
	if (e)
		return reply_svc(r, g, e, NULL);
	return http_graph_reply_entity(r, g, 200, kind_ctx(k), kind_json(k, o));
}

/* create (id NULL) or replace id with body text */
static int do_write(struct http_req *r, struct graph_call *g, enum ca_kind k, const char *id,
                    const char *text, union ca_obj *o)
{
	struct json_err je;
	memset(&je, 0, sizeof je);
	size_t len = strlen(text);
	int e;
	if (k == KIND_POLICY)
		e = id ? svc_policy_update(&g->c->sv, g->t, id, text, len, &o->p, &je)
		       : svc_policy_create(&g->c->sv, g->t, text, len, &o->p, &je);
	else
		e = id ? svc_location_update(&g->c->sv, g->t, id, text, len, &o->l, &je)
		       : svc_location_create(&g->c->sv, g->t, text, len, &o->l, &je);
	if (e)
		return reply_svc(r, g, e, &je);
	if (id)
		return http_graph_reply_204(r);
	return http_graph_reply_entity(r, g, 201, kind_ctx(k), kind_json(k, o));
}

/* PATCH: merge the body's members (objects recursively) into the stored
 * canonical JSON, then validate and store the whole. */
static int do_patch(struct http_req *r, struct graph_call *g, enum ca_kind k, const char *id,
                    json_t *body, union ca_obj *o)
{
	int e = k == KIND_POLICY ? svc_policy_get(&g->c->sv, g->t, id, &o->p)
	                         : svc_location_get(&g->c->sv, g->t, id, &o->l);
	if (e)
		return reply_svc(r, g, e, NULL);
	json_t *cur = kind_json(k, o);
	obj_cleanup(k, o);
	if (json_object_update_recursive(cur, body)) {
		json_decref(cur);
		return http_reply_err(r, TG_ERR_INVALID, "The body must be a JSON object.");
	}
	char *text = json_dump_canonical(cur, false);
	json_decref(cur);
	e = do_write(r, g, k, id, text, o);
	free(text);
	return e;
}

static int resource(struct http_req *r, enum ca_kind k)
{
	struct graph_call g;
	memset(&g, 0, sizeof g);
	union ca_obj o;
	memset(&o, 0, sizeof o);
	if (k == KIND_POLICY)
		ca_policy_init(&o.p);
	else
		named_location_init(&o.l);
	int e = http_graph_begin(r, &g);
	if (e || r->replied)
		goto out;
	bool write = strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0;
	if (!http_graph_require(r, &g, write ? GRAPH_OP_CA_WRITE : GRAPH_OP_CA_READ, NULL))
		goto out;
	bool bad;
	const char *id = path_id(r, kind_prefix(k), &bad);
	if (bad) {
		e = http_reply_err(r, TG_ERR_NOT_FOUND, NULL);
		goto out;
	}
	if (!id) {
		if (!write) {
			e = do_list(r, &g, k);
		} else if (strcmp(r->method, "POST") == 0) {
			json_t *body = http_graph_body(r);
			if (!body)
				goto out;
			char *text = json_dump_canonical(body, false);
			json_decref(body);
			e = do_write(r, &g, k, NULL, text, &o);
			free(text);
		} else {
			e = http_reply_err(r, TG_ERR_UNSUPPORTED, "Use GET or POST on the collection.");
		}
		goto out;
	}
	if (!write) {
		e = do_get(r, &g, k, id, &o);
	} else if (strcmp(r->method, "PATCH") == 0) {
		json_t *body = http_graph_body(r);
		if (!body)
			goto out;
		if (!json_is_object(body))
			e = http_reply_err(r, TG_ERR_INVALID, "The body must be a JSON object.");
		else
			e = do_patch(r, &g, k, id, body, &o);
		json_decref(body);
	} else if (strcmp(r->method, "DELETE") == 0) {
		e = k == KIND_POLICY ? svc_policy_delete(&g.c->sv, g.t, id)
		                     : svc_location_delete(&g.c->sv, g.t, id);
		e = e ? reply_svc(r, &g, e, NULL) : http_graph_reply_204(r);
	} else {
		e = http_reply_err(r, TG_ERR_UNSUPPORTED, "Use GET, PATCH or DELETE on an item.");
	}
out:
	obj_cleanup(k, &o);
	http_graph_end(&g);
	return e;
}

int http_graph_ca_policies(struct http_req *r)
{
	return resource(r, KIND_POLICY);
}

int http_graph_ca_locations(struct http_req *r)
{
	return resource(r, KIND_LOCATION);
}

/* ------------------------------------------------------------- templates */

int http_graph_ca_template(struct http_req *r)
{
	struct graph_call g;
	memset(&g, 0, sizeof g);
	struct ca_policy p;
	json_t *body = NULL;
	ca_policy_init(&p);
	int e = http_graph_begin(r, &g);
	if (e || r->replied)
		goto out;
	if (!http_graph_require(r, &g, GRAPH_OP_CA_WRITE, NULL))
		goto out;
	const char *sub = http_req_subpath(r);
	const char *pre = "/tollgate/v1/conditionalAccess/templates/";
	const char *name = sub + strlen(pre);
	if (strncmp(sub, pre, strlen(pre)) != 0 || !*name || strchr(name, '/')) {
		e = http_reply_err(r, TG_ERR_NOT_FOUND, NULL);
		goto out;
	}
	/* who is excluded: the calling administrator; an app-only caller
	 * names one with {"excludeUser": "<upn or id>"} */
	const char *creator = g.p.app_only ? NULL : g.p.upn;
	if (r->body.len) {
		if (!(body = http_graph_body(r)))
			goto out;
		struct json_path jp;
		struct json_err je;
		memset(&je, 0, sizeof je);
		json_path_init(&jp);
		static const struct json_member members[] = {{"excludeUser", JSON_MEMBER_READ}, {NULL, 0}};
		const char *ex = NULL;
		bool has = false;
		if (json_check_members(body, members, &jp, &je) ||
		    json_get_string(body, "excludeUser", &jp, &je, &ex, &has)) {
			e = http_graph_reply_json_err(r, &je);
			goto out;
		}
		if (has)
			creator = ex;
	}
	if (!creator) {
		e = http_reply_err(r, TG_ERR_INVALID,
		                   "excludeUser: an app-only caller must name the administrator to exclude.");
		goto out;
	}
	if ((e = svc_policy_from_template(&g.c->sv, g.t, name, creator, &p))) {
		e = reply_svc(r, &g, e, NULL);
		goto out;
	}
	e = http_graph_reply_entity(r, &g, 201, CTX_POLICIES "/$entity", ca_policy_to_json(&p));
out:
	json_decref(body);
	ca_policy_cleanup(&p);
	http_graph_end(&g);
	return e;
}

/* ---------------------------------------------------------------- what-if */

static int whatif_request(json_t *body, int64_t now, struct svc_signin_request *req, struct json_err *je)
{
	static const struct json_member members[] = {
		{"user", JSON_MEMBER_READ},          {"app", JSON_MEMBER_READ},
		{"ipAddress", JSON_MEMBER_READ},     {"clientAppType", JSON_MEMBER_READ},
		{"platform", JSON_MEMBER_READ},      {"signInRiskLevel", JSON_MEMBER_READ},
		{"mfaAt", JSON_MEMBER_READ},         {"userAgent", JSON_MEMBER_READ},
		{NULL, 0},
	};
	struct json_path jp;
	const char *client = NULL, *platform = NULL, *risk = NULL, *mfa_at = NULL;
	bool has;
	int e;
	json_path_init(&jp);
	memset(req, 0, sizeof *req);
	if ((e = json_check_members(body, members, &jp, je)) ||
	    (e = json_get_string(body, "user", &jp, je, &req->user, NULL)) ||
	    (e = json_get_string(body, "app", &jp, je, &req->app, NULL)) ||
	    (e = json_get_string(body, "ipAddress", &jp, je, &req->ip, NULL)) ||
	    (e = json_get_string(body, "clientAppType", &jp, je, &client, NULL)) ||
	    (e = json_get_string(body, "platform", &jp, je, &platform, NULL)) ||
	    (e = json_get_string(body, "signInRiskLevel", &jp, je, &risk, NULL)) ||
	    (e = json_get_string(body, "mfaAt", &jp, je, &mfa_at, NULL)) ||
	    (e = json_get_string(body, "userAgent", &jp, je, &req->user_agent, &has)))
		return e;
	if (!req->user)
		return json_fail(je, NULL, "user: required (a UPN or user id)");
	if (!req->app)
		req->app = "admin-portal";
	if (!req->ip)
		req->ip = "127.0.0.1";
	if (signin_json_client_parse(client ? client : "browser", &req->client))
		return json_fail(je, NULL, "clientAppType: must be browser, mobileAppsAndDesktopClients, "
		                 "exchangeActiveSync or other");
	if (platform) {
		if (platform_parse(platform, &req->platform))
			return json_fail(je, NULL, "platform: must be android, iOS, windows, windowsPhone, "
			                 "macOS, linux or unknown");
		req->has_platform = true;
	}
	if (risk) {
		if (risk_level_parse(risk, &req->sign_in_risk))
			return json_fail(je, NULL, "signInRiskLevel: must be none, low, medium or high");
		req->has_risk = true;
	}
	req->credential = DECISION_CRED_PASSWORD;
	req->now = now;
	if (mfa_at) {
		if (tg_time_parse_when(mfa_at, now, &req->mfa_at) || req->mfa_at <= 0 || req->mfa_at > now)
			return json_fail(je, NULL, "mfaAt: must be \"now\", a duration back (2h, 3d) or an "
			                 "ISO-8601 time not in the future");
		req->mfa_this_signin = req->mfa_at == now;
	}
	return TG_OK;
}

int http_graph_ca_whatif(struct http_req *r)
{
	struct graph_call g;
	memset(&g, 0, sizeof g);
	struct svc_signin_result res;
	json_t *body = NULL;
	svc_signin_result_init(&res);
	int e = http_graph_begin(r, &g);
	if (e || r->replied)
		goto out;
	if (!http_graph_require(r, &g, GRAPH_OP_CA_READ, NULL))
		goto out;
	if (!(body = http_graph_body(r)))
		goto out;
	struct svc_signin_request req;
	struct json_err je;
	memset(&je, 0, sizeof je);
	if (whatif_request(body, svc_now(&g.c->sv), &req, &je)) {
		e = http_graph_reply_json_err(r, &je);
		goto out;
	}
	if ((e = svc_whatif(&g.c->sv, http_app_policy_cache(g.c->app), g.t, &req, &res))) {
		e = reply_svc(r, &g, e, NULL);
		goto out;
	}
	json_t *j = svc_whatif_json(&res);
	e = j ? http_reply_json_take(r, 200, j) : http_reply_err(r, TG_ERR_INTERNAL, "what-if record");
out:
	json_decref(body);
	svc_signin_result_cleanup(&res);
	http_graph_end(&g);
	return e;
}

/* ---------------------------------------------------------------- impact */

int http_graph_ca_impact(struct http_req *r)
{
	struct graph_call g;
	memset(&g, 0, sizeof g);
	struct svc_impact_report rep;
	json_t *body = NULL;
	char *text = NULL;
	svc_impact_report_init(&rep);
	int e = http_graph_begin(r, &g);
	if (e || r->replied)
		goto out;
	if (!http_graph_require(r, &g, GRAPH_OP_CA_READ, NULL))
		goto out;
	if (!(body = http_graph_body(r)))
		goto out;
	static const struct json_member members[] = {
		{"policy", JSON_MEMBER_READ}, {"since", JSON_MEMBER_READ}, {"until", JSON_MEMBER_READ}, {NULL, 0},
	};
	struct json_path jp;
	struct json_err je;
	const json_t *pol = NULL;
	const char *since = NULL, *until = NULL;
	memset(&je, 0, sizeof je);
	json_path_init(&jp);
	if (json_check_members(body, members, &jp, &je) || json_get_object(body, "policy", &jp, &je, &pol) ||
	    json_get_string(body, "since", &jp, &je, &since, NULL) ||
	    json_get_string(body, "until", &jp, &je, &until, NULL)) {
		e = http_graph_reply_json_err(r, &je);
		goto out;
	}
	if (!pol) {
		e = http_reply_err(r, TG_ERR_INVALID, "policy: required (a conditionalAccessPolicy object)");
		goto out;
	}
	int64_t now = svc_now(&g.c->sv), from = now - 7 * 86400, to = now;
	if ((since && (tg_time_parse_when(since, now, &from) || from <= 0)) ||
	    (until && (tg_time_parse_when(until, now, &to) || to <= 0))) {
		e = http_reply_err(r, TG_ERR_INVALID,
		                   "since, until: a duration back (7d, 24h), \"now\" or an ISO-8601 time");
		goto out;
	}
	text = json_dump_canonical(pol, false);
	memset(&je, 0, sizeof je);
	if ((e = svc_policy_impact(&g.c->sv, g.t, text, strlen(text), from, to, &rep, &je))) {
		/* the draft's paths are inside "policy" */
		if (e == TG_ERR_INVALID && je.path[0]) {
			char p[sizeof je.path + 8];
			snprintf(p, sizeof p, "policy.%s", je.path);
			p[sizeof je.path - 1] = '\0';
			memcpy(je.path, p, sizeof je.path);
		}
		e = reply_svc(r, &g, e, &je);
		goto out;
	}
	e = http_reply_json_take(r, 200, svc_impact_json(&rep));
out:
	free(text);
	json_decref(body);
	svc_impact_report_cleanup(&rep);
	http_graph_end(&g);
	return e;
}
