/* SPDX-License-Identifier: MIT
 * Admin API: Graph's JSON $batch (POST /v1.0/$batch and /beta/$batch): up
 * to 20 requests, each dispatched through the one route table with the
 * same Authorization (so the same principal and the same authorization
 * table), answered into memory (struct http_capture) and collected as
 * {"responses": [{"id", "status", "headers", "body"}…]}, in request order.
 * Requests run in the order given; dependsOn may name only requests that
 * come before (ids are unique), and a request whose dependency failed
 * (status >= 400, or itself 424) is answered 424 without running, as
 * Graph does. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/err.h"
#include "http/http_graph.h"
#include "http/http_reply.h"
#include "http/http_route.h"

#define BATCH_MAX 20

static const struct json_member batch_members[] = {
	{"requests", JSON_MEMBER_READ},
	{NULL, JSON_MEMBER_READ},
};
static const struct json_member item_members[] = {
	{"id", JSON_MEMBER_READ},
	{"method", JSON_MEMBER_READ},
	{"url", JSON_MEMBER_READ},
	{"headers", JSON_MEMBER_IGNORED},
	{"body", JSON_MEMBER_IGNORED},
	{"dependsOn", JSON_MEMBER_READ},
	{NULL, JSON_MEMBER_READ},
};

static json_t *item_error(const char *id, unsigned status, const char *code, const char *msg)
{
	return json_pack("{s:s,s:i,s:{s:s},s:{s:{s:s,s:s}}}", "id", id, "status", (int)status,
	                 "headers", "Content-Type", "application/json", "body", "error", "code",
	                 code, "message", msg);
}

static int hexv(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decode %XX and '+' in place; false on a bad escape or a NUL byte. */
static bool pct_decode(char *s, bool plus)
{
	char *w = s;
	for (char *p = s; *p; p++) {
		if (*p == '%') {
			int a = hexv(p[1]), b = a < 0 ? -1 : hexv(p[2]);
			if (a < 0 || b < 0 || (a == 0 && b == 0))
				return false;
			*w++ = (char)(a * 16 + b);
			p += 2;
		} else {
			*w++ = plus && *p == '+' ? ' ' : *p;
		}
	}
	*w = '\0';
	return true;
}

/* A path the server itself would accept: no "//", "." or "..", '\\' or
 * control bytes. */
static bool path_ok(const char *p)
{
	if (p[0] != '/' || strstr(p, "//") || strchr(p, '\\'))
		return false;
	for (const char *c = p; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			return false;
	for (const char *seg = p; seg; seg = strchr(seg + 1, '/')) {
		const char *s = seg + 1;
		size_t n = strcspn(s, "/");
		if ((n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.'))
			return false;
	}
	return true;
}

static json_t *run_one(struct http_req *outer, const char *tenant, const char *ver,
                       const char *id, const char *method, const char *url, const json_t *body)
{
	char path[2048], query[2048] = "";
	const char *u = url[0] == '/' ? url + 1 : url;
	/* "/{tenant}/v1.0/…": the path of an absolute URL under this tenant,
	 * which is what Microsoft's Graph JavaScript SDK sends (it strips
	 * only scheme and host) */
	size_t tl = strlen(tenant);
	if (strncmp(u, tenant, tl) == 0 && u[tl] == '/' &&
	    (strncmp(u + tl + 1, "v1.0/", 5) == 0 || strncmp(u + tl + 1, "beta/", 5) == 0))
		u += tl + 1;
	if (strncmp(u, "v1.0/", 5) == 0 || strncmp(u, "beta/", 5) == 0) {
		snprintf(path, sizeof path, "/%s/%s", tenant, u);
	} else {
		snprintf(path, sizeof path, "/%s/%s/%s", tenant, ver, u);
	}
	char *q = strchr(path, '?');
	if (q) {
		snprintf(query, sizeof query, "%s", q + 1);
		*q = '\0';
	}
	if (!pct_decode(path, false) || !path_ok(path) || strstr(path, "$batch"))
		return item_error(id, 400, "Request_BadRequest", "Invalid request URL.");
	struct http_capture cap;
	memset(&cap, 0, sizeof cap);
	char *save = NULL;
	for (char *kv = strtok_r(query, "&", &save); kv; kv = strtok_r(NULL, "&", &save)) {
		char *eq = strchr(kv, '=');
		if (eq)
			*eq++ = '\0';
		if (cap.nargs == HTTP_CAPTURE_ARGS || !pct_decode(kv, true) ||
		    (eq && !pct_decode(eq, true)))
			return item_error(id, 400, "Request_BadRequest", "Invalid query string.");
		cap.keys[cap.nargs] = kv;
		cap.values[cap.nargs++] = eq ? eq : "";
	}
	char *text = NULL;
	if (body && !json_is_null(body)) {
		if (!json_is_object(body))
			return item_error(id, 400, "Request_BadRequest", "body must be a JSON object.");
		text = json_dumps(body, JSON_COMPACT);
		cap.content_type = "application/json";
	}
	struct http_req in = *outer;
	in.method = method;
	in.path = path;
	memset(&in.body, 0, sizeof in.body);
	if (text) {
		in.body.data = text;
		in.body.len = strlen(text);
	}
	in.replied = false;
	in.status = 0;
	in.capture = &cap;
	int e = http_route_dispatch(&in);
	free(text);
	if (!in.replied || e) {
		free(cap.body);
		return item_error(id, 500, "generalException", "The request could not be answered.");
	}
	json_t *o = json_object();
	json_object_set_new(o, "id", json_string(id));
	json_object_set_new(o, "status", json_integer(cap.status));
	if (cap.code[0]) {
		json_decref(o);
		return item_error(id, cap.status, cap.code, cap.message);
	}
	if (cap.body) {
		json_object_set_new(o, "headers", json_pack("{s:s}", "Content-Type", "application/json"));
		json_t *b = json_loads(cap.body, 0, NULL);
		json_object_set_new(o, "body", b ? b : json_null());
		free(cap.body);
	}
	return o;
}

/* The id of a dependency of it that failed (its answer, in done, has a
 * status >= 400), or NULL. Dependencies come before it (checked). */
static const char *failed_dependency(const json_t *it, const json_t *reqs, const json_t *done)
{
	const json_t *deps = json_object_get(it, "dependsOn");
	size_t d, k;
	const json_t *dep, *ans;
	json_array_foreach(deps, d, dep) {
		json_array_foreach(done, k, ans) {
			const char *aid = json_string_value(json_object_get(json_array_get(reqs, k), "id"));
			if (aid && strcmp(aid, json_string_value(dep)) == 0 &&
			    json_integer_value(json_object_get(ans, "status")) >= 400)
				return aid;
		}
	}
	return NULL;
}

int http_graph_batch(struct http_req *r)
{
	struct graph_call g;
	json_t *j = NULL;
	int e = http_graph_begin(r, &g);
	if (e || r->replied)
		goto out;
	if (r->capture) {
		e = http_reply_error(r, 400, "Request_BadRequest", "$batch cannot be nested.");
		goto out;
	}
	if (!(j = http_graph_body(r)))
		goto out;
	struct json_path p;
	struct json_err err;
	memset(&err, 0, sizeof err);
	json_path_init(&p);
	const json_t *reqs = json_object_get(j, "requests");
	if (json_check_members(j, batch_members, &p, &err)) {
		e = http_graph_reply_json_err(r, &err);
		goto out;
	}
	if (!json_is_array(reqs) || json_array_size(reqs) == 0 ||
	    json_array_size(reqs) > BATCH_MAX) {
		e = http_graph_reply_json_err(r, &(struct json_err){
			.path = "requests", .message = "must be an array of 1 to 20 requests"});
		goto out;
	}
	/* check every item before running any */
	size_t i;
	const json_t *it;
	json_array_foreach(reqs, i, it) {
		size_t m = json_path_push_key(&p, "requests");
		size_t m2 = json_path_push_index(&p, i);
		const char *id = NULL, *method = NULL, *url = NULL;
		if (json_check_members(it, item_members, &p, &err) ||
		    json_get_string(it, "id", &p, &err, &id, NULL) ||
		    json_get_string(it, "method", &p, &err, &method, NULL) ||
		    json_get_string(it, "url", &p, &err, &url, NULL) ||
		    (!id && json_fail(&err, &p, "id is required")) ||
		    (!url && json_fail(&err, &p, "url is required")) ||
		    (!method && json_fail(&err, &p, "method is required")) ||
		    (strcmp(method, "GET") && strcmp(method, "POST") && strcmp(method, "PATCH") &&
		     strcmp(method, "DELETE") && json_fail(&err, &p, "unsupported method"))) {
			e = http_graph_reply_json_err(r, &err);
			goto out;
		}
		/* ids unique; dependsOn: ids of requests before this one */
		for (size_t k = 0; k < i; k++)
			if (strcmp(id, json_string_value(json_object_get(json_array_get(reqs, k), "id"))) == 0) {
				json_fail(&err, &p, "id \"%.64s\" is used twice", id);
				e = http_graph_reply_json_err(r, &err);
				goto out;
			}
		const json_t *deps = json_object_get(it, "dependsOn");
		if (deps && !json_is_null(deps)) {
			size_t m3 = json_path_push_key(&p, "dependsOn");
			if (!json_is_array(deps) || json_array_size(deps) > BATCH_MAX) {
				json_fail(&err, &p, "must be an array of request ids");
				e = http_graph_reply_json_err(r, &err);
				goto out;
			}
			size_t d;
			const json_t *dep;
			json_array_foreach(deps, d, dep) {
				size_t m4 = json_path_push_index(&p, d);
				bool before = false;
				for (size_t k = 0; json_is_string(dep) && k < i; k++)
					before |= strcmp(json_string_value(dep), json_string_value(
						json_object_get(json_array_get(reqs, k), "id"))) == 0;
				if (!before) {
					json_fail(&err, &p, "must be the id of a request that comes before this one "
					          "(requests run in the order given)");
					e = http_graph_reply_json_err(r, &err);
					goto out;
				}
				json_path_pop(&p, m4);
			}
			json_path_pop(&p, m3);
		}
		json_path_pop(&p, m2);
		json_path_pop(&p, m);
	}
	char tenant[256];
	const char *rest = strchr(r->path + 1, '/');
	size_t tn = rest ? (size_t)(rest - (r->path + 1)) : 0;
	if (!tn || tn >= sizeof tenant) {
		e = TG_ERR_NOT_FOUND;
		goto out;
	}
	memcpy(tenant, r->path + 1, tn);
	tenant[tn] = '\0';
	const char *ver = strncmp(rest, "/beta/", 6) == 0 ? "beta" : "v1.0";
	json_t *out_arr = json_array();
	json_array_foreach(reqs, i, it) {
		const char *id = json_string_value(json_object_get(it, "id"));
		const char *failed = failed_dependency(it, reqs, out_arr);
		if (failed) {
			char msg[200];
			snprintf(msg, sizeof msg, "The request it depends on (\"%.64s\") failed.", failed);
			json_array_append_new(out_arr, item_error(id, 424, "Request_FailedDependency", msg));
			continue;
		}
		json_array_append_new(out_arr, run_one(r, tenant, ver, id,
			json_string_value(json_object_get(it, "method")),
			json_string_value(json_object_get(it, "url")), json_object_get(it, "body")));
	}
	e = http_reply_json_take(r, 200, json_pack("{s:o}", "responses", out_arr));
out:
	json_decref(j);
	http_graph_end(&g);
	return e;
}
