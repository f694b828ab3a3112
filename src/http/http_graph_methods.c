/* SPDX-License-Identifier: MIT
 * Admin API: a user's authentication methods in Graph's shapes —
 * /v1.0/users/{id|upn}/authentication/methods and the typed collections
 * phoneMethods, emailMethods, softwareOathMethods, hardwareOathMethods
 * (the last also under /beta, where Graph has it) — and the helpdesk
 * actions: POST /v1.0/users/{id|upn}/revokeSignInSessions and Tollgate's
 * /tollgate/v1/users/{id|upn}/{requireReregister, revokeMfaSessions,
 * deleteAllAppPasswords, appPasswords}. Authorization: GRAPH_OP_METHODS_READ
 * for reads, GRAPH_OP_METHODS_WRITE with the target user for changes; the
 * services audit every change with the token's actor. Secrets (OATH seeds,
 * app password hashes) never leave the service layer.
 * Framework: http_graph.h; documentation: docs/admin-api.md. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/err.h"
#include "base/mem.h"
#include "base/str.h"
#include "core/phone.h"
#include "crypto/hmac.h"
#include "http/http_app.h"
#include "http/http_graph.h"
#include "http/http_reply.h"
#include "http/http_route.h"
#include "store/store_auth.h"
#include "svc/svc_auth.h"
#include "svc/svc_oidc.h"

/* Entra's fixed ids (the same for every user): the password method and the
 * email method; phone methods have one per type (phone_type_method_id). */
#define PASSWORD_METHOD_ID "28c10230-6103-485e-b985-444c60001490"
#define EMAIL_METHOD_ID    "3ddfcfc8-9383-446f-83cc-3ab9be4be18f"

/* A user has at most 3 phones, 1 email and TG_MAX_OATH_METHODS apps and
 * tokens (plus one pending app): a fixed bound with room to spare. */
#define METHODS_MAX 32

enum coll { COLL_ALL, COLL_PHONE, COLL_EMAIL, COLL_SOFTWARE, COLL_HARDWARE };

static const struct {
	const char *seg;      /* path segment after /authentication/ */
	enum coll c;
	const char *kind;     /* store kind; NULL = every kind */
} colls[] = {
	{"methods", COLL_ALL, NULL},
	{"phoneMethods", COLL_PHONE, STORE_KIND_PHONE},
	{"emailMethods", COLL_EMAIL, STORE_KIND_EMAIL},
	{"softwareOathMethods", COLL_SOFTWARE, STORE_KIND_SOFTWARE_OATH},
	{"hardwareOathMethods", COLL_HARDWARE, STORE_KIND_HARDWARE_OATH},
};

/* $select: any property of any method type ("id" is always kept). */
static const char *const method_props[] = {
	"id", "createdDateTime", "lastUsedDateTime", "displayName", "phoneNumber", "phoneType",
	"smsSignInState", "emailAddress", "secretKey", "password", "serialNumber", "manufacturer",
	"model", "timeIntervalInSeconds", "hashFunction", "status", "device", NULL,
};

/* Answer a service failure: bad input as 400 with the JSON path (member)
 * before the service's message, a missing object as 404, the rest through
 * the error table. */
static int reply_svc_err(struct http_req *r, struct graph_call *g, int e, const char *member,
                         const char *what)
{
	if (e == TG_ERR_INVALID) {
		struct json_err err;
		memset(&err, 0, sizeof err);
		tg_strlcpy(err.path, member ? member : "", sizeof err.path);
		tg_strlcpy(err.message, g->c->sv.err, sizeof err.message);
		return http_graph_reply_json_err(r, &err);
	}
	if (e == TG_ERR_NOT_FOUND)
		return http_graph_not_found(r, what);
	return http_reply_err(r, e, g->c->sv.err[0] ? g->c->sv.err : NULL);
}

/* Copy the segment at *p (up to '/' or the end) into out and move *p past
 * it. false when empty or too long. */
static bool take_segment(const char **p, char *out, size_t size)
{
	size_t n = strcspn(*p, "/");
	if (n == 0 || n >= size)
		return false;
	memcpy(out, *p, n);
	out[n] = '\0';
	*p += n;
	return true;
}

/* ---- the user's methods ------------------------------------------------- */

struct methods {
	struct store_method *v;   /* secrets already removed by svc_method_list */
	size_t n;
};

static int collect_cb(const struct store_method *m, void *arg)
{
	struct methods *ms = arg;
	if (ms->n == METHODS_MAX)
		return TG_ERR_INTERNAL;   /* cannot happen: see METHODS_MAX */
	ms->v[ms->n++] = *m;
	return TG_OK;
}

static void methods_free(struct methods *ms)
{
	if (ms->v)
		tg_secret_free(ms->v, METHODS_MAX * sizeof *ms->v);
	ms->v = NULL;
	ms->n = 0;
}

static int methods_load(struct graph_call *g, const struct tg_user *u, struct methods *ms)
{
	ms->v = xcalloc(METHODS_MAX, sizeof *ms->v);
	ms->n = 0;
	int e = svc_method_list(&g->c->auth, g->t, u->id, collect_cb, ms);
	if (e)
		methods_free(ms);
	return e;
}

/* The id Graph shows for m: fixed ids for phone (by type) and email. */
static const char *graph_id(const struct store_method *m)
{
	if (strcmp(m->kind, STORE_KIND_PHONE) == 0) {
		const char *id = phone_type_method_id((enum phone_type)m->phone_type);
		return id ? id : m->id;
	}
	if (strcmp(m->kind, STORE_KIND_EMAIL) == 0)
		return EMAIL_METHOD_ID;
	return m->id;
}

/* Whether m belongs to collection c. A pending authenticator app (never
 * activated) is not a registered method in Graph's sense: listed nowhere,
 * but it can be deleted (with_pending). */
static bool in_coll(const struct store_method *m, enum coll c, bool with_pending)
{
	if (!with_pending && m->status == STORE_METHOD_PENDING &&
	    strcmp(m->kind, STORE_KIND_SOFTWARE_OATH) == 0)
		return false;
	for (size_t i = 0; i < TG_ARRAY_LEN(colls); i++)
		if (colls[i].c == c)
			return !colls[i].kind || strcmp(colls[i].kind, m->kind) == 0;
	return false;
}

/* The method of collection c that id names (Graph's id or the stored one),
 * or NULL. */
static const struct store_method *find_method(const struct methods *ms, enum coll c,
                                              const char *id, bool with_pending)
{
	for (size_t i = 0; i < ms->n; i++) {
		const struct store_method *m = &ms->v[i];
		if (in_coll(m, c, with_pending) &&
		    (strcmp(graph_id(m), id) == 0 || strcmp(m->id, id) == 0))
			return m;
	}
	return NULL;
}

static json_t *time_or_null(int64_t t)
{
	if (t <= 0)
		return json_null();
	char iso[TG_TIME_ISO_LEN];
	tg_time_iso(t, iso);
	return json_string(iso);
}

/* "@odata.type": "#microsoft.graph.<type>AuthenticationMethod" */
static void set_type(json_t *o, const char *type)
{
	char t[80];
	snprintf(t, sizeof t, "#microsoft.graph.%sAuthenticationMethod", type);
	json_object_set_new(o, "@odata.type", json_string(t));
}

static json_t *password_json(void)
{
	json_t *o = json_object();
	set_type(o, "password");
	json_object_set_new(o, "id", json_string(PASSWORD_METHOD_ID));
	json_object_set_new(o, "password", json_null());
	json_object_set_new(o, "createdDateTime", json_null());
	return o;
}

/* Graph's hardwareOathTokenAuthenticationMethodDevice.status of a token
 * assigned to a user: "activated" once proved with a code, else
 * "assigned" (also after require-re-register deactivated it). */
static const char *hw_status(int method_status)
{
	return method_status == STORE_METHOD_ACTIVE ? "activated" : "assigned";
}

static json_t *method_json(struct graph_call *g, const struct store_method *m)
{
	json_t *o = json_object();
	if (strcmp(m->kind, STORE_KIND_PHONE) == 0) {
		const char *ty = phone_type_name((enum phone_type)m->phone_type);
		set_type(o, "phone");
		json_object_set_new(o, "id", json_string(graph_id(m)));
		/* masked for readers who may not see numbers whole (entra.md §4.1) */
		char masked[PHONE_SIZE];
		bool full = http_graph_allowed(g, GRAPH_OP_PHONE_READ_FULL, NULL);
		if (!full && phone_mask(m->detail, masked) != TG_OK)
			tg_strlcpy(masked, "+X XXXXXXXX", sizeof masked);
		json_object_set_new(o, "phoneNumber", json_string(full ? m->detail : masked));
		json_object_set_new(o, "phoneType", json_string(ty ? ty : "mobile"));
		/* Tollgate has no SMS sign-in (SMS as the first factor) */
		json_object_set_new(o, "smsSignInState", json_string("notSupported"));
	} else if (strcmp(m->kind, STORE_KIND_EMAIL) == 0) {
		set_type(o, "email");
		json_object_set_new(o, "id", json_string(graph_id(m)));
		json_object_set_new(o, "emailAddress", json_string(m->detail));
	} else if (strcmp(m->kind, STORE_KIND_SOFTWARE_OATH) == 0) {
		set_type(o, "softwareOath");
		json_object_set_new(o, "id", json_string(m->id));
		json_object_set_new(o, "secretKey", json_null());   /* always null, as Graph */
	} else if (strcmp(m->kind, STORE_KIND_HARDWARE_OATH) == 0) {
		set_type(o, "hardwareOath");
		json_object_set_new(o, "id", json_string(m->id));
		struct store_hw_token tok;
		bool have = m->serial[0] && store_hw_token_get(g->c->store, m->serial, &tok) == TG_OK;
		json_t *dev = json_object();
		json_object_set_new(dev, "id", have ? json_string(tok.id) : json_null());
		json_object_set_new(dev, "serialNumber", json_string(m->serial));
		json_object_set_new(dev, "manufacturer", have ? json_string(tok.manufacturer) : json_null());
		json_object_set_new(dev, "model", have ? json_string(tok.model) : json_null());
		json_object_set_new(dev, "displayName", json_string(m->display_name));
		json_object_set_new(dev, "secretKey", json_null());
		json_object_set_new(dev, "timeIntervalInSeconds", json_integer(m->oath_period));
		json_object_set_new(dev, "hashFunction", json_string(
			m->oath_alg == HMAC_ALG_SHA256 ? "hmacsha256" : "hmacsha1"));
		json_object_set_new(dev, "status", json_string(hw_status(m->status)));
		/* the token's properties also at the top (Tollgate extension, so
		 * a list shows them without $expand) */
		json_object_set(o, "displayName", json_object_get(dev, "displayName"));
		json_object_set(o, "serialNumber", json_object_get(dev, "serialNumber"));
		json_object_set(o, "manufacturer", json_object_get(dev, "manufacturer"));
		json_object_set(o, "model", json_object_get(dev, "model"));
		json_object_set(o, "timeIntervalInSeconds", json_object_get(dev, "timeIntervalInSeconds"));
		json_object_set(o, "hashFunction", json_object_get(dev, "hashFunction"));
		json_object_set(o, "status", json_object_get(dev, "status"));
		json_object_set_new(o, "device", dev);
	} else {
		json_object_set_new(o, "id", json_string(m->id));
	}
	json_object_set_new(o, "createdDateTime", time_or_null(m->created));
	if (strcmp(m->kind, STORE_KIND_SOFTWARE_OATH) == 0 ||
	    strcmp(m->kind, STORE_KIND_HARDWARE_OATH) == 0)
		json_object_set_new(o, "lastUsedDateTime", time_or_null(m->last_used));
	return o;
}

/* ---- /users/{id|upn}/authentication/{collection}[/{id}] ----------------- */

struct method_path {
	char key[TG_MAX_UPN + 1];        /* the user: object id or UPN */
	enum coll c;
	const char *seg;                 /* the collection's segment */
	char id[TG_ID_BUF];              /* "" = the collection itself */
};

/* Parse "/{v1.0|beta}/users/{key}/authentication/{seg}[/{id}]". */
static bool parse_method_path(struct http_req *r, struct method_path *mp)
{
	memset(mp, 0, sizeof *mp);
	const char *p = http_req_subpath(r);
	if (strncmp(p, "/v1.0/users/", 12) == 0)
		p += 12;
	else if (strncmp(p, "/beta/users/", 12) == 0)
		p += 12;
	else
		return false;
	if (!take_segment(&p, mp->key, sizeof mp->key) ||
	    strncmp(p, "/authentication/", 16) != 0)
		return false;
	p += 16;
	char seg[32];
	if (!take_segment(&p, seg, sizeof seg))
		return false;
	bool known = false;
	for (size_t i = 0; i < TG_ARRAY_LEN(colls) && !known; i++) {
		if (strcmp(colls[i].seg, seg) == 0) {
			mp->c = colls[i].c;
			mp->seg = colls[i].seg;
			known = true;
		}
	}
	if (!known)
		return false;
	if (!*p)
		return true;
	p++;
	return take_segment(&p, mp->id, sizeof mp->id) && !*p;
}

/* Apply $skiptoken (the id of the last item of the previous page) and
 * $top to a built list: *next_out gets the id to continue after, or NULL.
 * false when the skiptoken names no item (answered 400). */
static bool page(struct http_req *r, const struct graph_query *q, json_t *all, json_t **page_out,
                 char *next_out, size_t next_size)
{
	size_t start = 0;
	next_out[0] = '\0';
	if (q->skiptoken[0]) {
		bool found = false;
		for (size_t i = 0; i < json_array_size(all) && !found; i++) {
			const char *id = json_string_value(json_object_get(json_array_get(all, i), "id"));
			if (id && strcmp(id, q->skiptoken) == 0) {
				start = i + 1;
				found = true;
			}
		}
		if (!found) {
			(void)http_reply_error(r, 400, "Request_BadRequest", "Invalid $skiptoken.");
			return false;
		}
	}
	json_t *out = json_array();
	for (size_t i = start; i < json_array_size(all); i++) {
		if (json_array_size(out) == q->top) {
			const json_t *last = json_array_get(out, q->top - 1);
			snprintf(next_out, next_size, "%s", json_string_value(json_object_get(last, "id")));
			break;
		}
		json_array_append(out, json_array_get(all, i));
	}
	*page_out = out;
	return true;
}

static int list_methods(struct http_req *r, struct graph_call *g, const struct method_path *mp,
                        const struct tg_user *u, bool has_password, const struct methods *ms,
                        const struct graph_query *q)
{
	json_t *all = json_array();
	if (mp->c == COLL_ALL && has_password)
		json_array_append_new(all, password_json());
	for (size_t i = 0; i < ms->n; i++) {
		if (!in_coll(&ms->v[i], mp->c, false))
			continue;
		json_t *o = method_json(g, &ms->v[i]);
		http_graph_select(q, o);
		json_array_append_new(all, o);
	}
	if (mp->c == COLL_ALL && has_password)
		http_graph_select(q, json_array_get(all, 0));
	json_t *value = NULL;
	char next[TG_ID_BUF];
	bool ok = page(r, q, all, &value, next, sizeof next);
	json_decref(all);
	if (!ok)
		return TG_OK;
	char ctx[TG_ID_BUF + 64];
	snprintf(ctx, sizeof ctx, "users('%s')/authentication/%s", u->id, mp->seg);
	return http_graph_reply_collection(r, g, ctx, value, q, next[0] ? next : NULL);
}

static int reply_method(struct http_req *r, struct graph_call *g, const struct method_path *mp,
                        const struct tg_user *u, unsigned status, json_t *o)
{
	char ctx[TG_ID_BUF + 80];
	snprintf(ctx, sizeof ctx, "users('%s')/authentication/%s/$entity", u->id, mp->seg);
	return http_graph_reply_entity(r, g, status, ctx, o);
}

/* Members of POST/PATCH bodies. Read-only properties are ignored, as on
 * every Graph entity. */
static const struct json_member phone_members[] = {
	{"phoneNumber", JSON_MEMBER_READ},
	{"phoneType", JSON_MEMBER_READ},
	{"id", JSON_MEMBER_IGNORED},
	{"smsSignInState", JSON_MEMBER_IGNORED},
	{"createdDateTime", JSON_MEMBER_IGNORED},
	{NULL, JSON_MEMBER_READ},
};
static const struct json_member email_members[] = {
	{"emailAddress", JSON_MEMBER_READ},
	{"id", JSON_MEMBER_IGNORED},
	{"createdDateTime", JSON_MEMBER_IGNORED},
	{NULL, JSON_MEMBER_READ},
};

/* Read a string member; on a missing required one fill err. */
static int get_str(const json_t *j, const char *name, bool required, struct json_err *err,
                   const char **out)
{
	struct json_path p;
	json_path_init(&p);
	bool present = false;
	int e = json_get_string(j, name, &p, err, out, &present);
	if (e)
		return e;
	if (required && !present) {
		size_t m = json_path_push_key(&p, name);
		e = json_fail(err, &p, "is required");
		json_path_pop(&p, m);
		return e;
	}
	if (!present)
		*out = NULL;
	return TG_OK;
}

static int parse_phone_type(const char *s, enum phone_type *out, struct json_err *err)
{
	if (phone_type_parse(s, out) == TG_OK)
		return TG_OK;
	struct json_path p;
	json_path_init(&p);
	size_t m = json_path_push_key(&p, "phoneType");
	int e = json_fail(err, &p, "must be mobile, alternateMobile or office");
	json_path_pop(&p, m);
	return e;
}

/* The members of a phone method's body: phoneNumber and phoneType (both
 * required when creating); *type stays NULL when absent, *pt is its value
 * when present. */
static int read_phone(json_t *j, bool required, const char **number, const char **type,
                      enum phone_type *pt, struct json_err *err)
{
	struct json_path p;
	json_path_init(&p);
	int e;
	if ((e = json_check_members(j, phone_members, &p, err)) ||
	    (e = get_str(j, "phoneNumber", required, err, number)) ||
	    (e = get_str(j, "phoneType", required, err, type)))
		return e;
	return *type ? parse_phone_type(*type, pt, err) : TG_OK;
}

/* POST phoneMethods {"phoneNumber", "phoneType"} or emailMethods
 * {"emailAddress"} -> 201 with the new method. */
static int create_method(struct http_req *r, struct graph_call *g, const struct method_path *mp,
                         const struct tg_user *u)
{
	json_t *j = http_graph_body(r);
	if (!j)
		return TG_OK;
	struct json_err err;
	memset(&err, 0, sizeof err);
	struct json_path p;
	json_path_init(&p);
	struct store_method m;
	int e;
	if (mp->c == COLL_PHONE) {
		const char *number = NULL, *type = NULL;
		enum phone_type pt = PHONE_TYPE_MOBILE;
		if ((e = read_phone(j, true, &number, &type, &pt, &err))) {
			e = http_graph_reply_json_err(r, &err);
			goto out;
		}
		e = svc_phone_add(&g->c->auth, g->t, u->id, number, pt, &m);
		if (e) {
			e = reply_svc_err(r, g, e, "phoneNumber", u->upn);
			goto out;
		}
	} else {
		const char *addr = NULL;
		if ((e = json_check_members(j, email_members, &p, &err)) ||
		    (e = get_str(j, "emailAddress", true, &err, &addr))) {
			e = http_graph_reply_json_err(r, &err);
			goto out;
		}
		e = svc_email_add(&g->c->auth, g->t, u->id, addr, &m);
		if (e) {
			e = reply_svc_err(r, g, e, "emailAddress", u->upn);
			goto out;
		}
	}
	e = reply_method(r, g, mp, u, 201, method_json(g, &m));
out:
	json_decref(j);
	return e;
}

/* PATCH phoneMethods/{id} {"phoneNumber"[, "phoneType"]} -> 204. As in
 * Graph, the type cannot be changed (add a number of the new type and
 * delete this one). */
static int update_phone(struct http_req *r, struct graph_call *g, const struct tg_user *u,
                        const struct store_method *m)
{
	json_t *j = http_graph_body(r);
	if (!j)
		return TG_OK;
	struct json_err err;
	memset(&err, 0, sizeof err);
	const char *number = NULL, *type = NULL;
	enum phone_type pt = PHONE_TYPE_MOBILE;
	int e;
	if ((e = read_phone(j, false, &number, &type, &pt, &err))) {
		e = http_graph_reply_json_err(r, &err);
		goto out;
	}
	if (type && (int)pt != m->phone_type) {
		snprintf(err.path, sizeof err.path, "phoneType");
		snprintf(err.message, sizeof err.message, "cannot be changed: add a number of the new "
		         "type and delete this one");
		e = http_graph_reply_json_err(r, &err);
		goto out;
	}
	if (number && (e = svc_phone_update(&g->c->auth, g->t, u->id, m->id, number, NULL))) {
		e = reply_svc_err(r, g, e, "phoneNumber", graph_id(m));
		goto out;
	}
	e = http_graph_reply_204(r);
out:
	json_decref(j);
	return e;
}

int http_graph_methods(struct http_req *r)
{
	struct graph_call g;
	struct methods ms = {NULL, 0};
	int e = http_graph_begin(r, &g);
	if (e || r->replied)
		goto out;
	struct method_path mp;
	if (!parse_method_path(r, &mp)) {
		e = http_graph_not_found(r, http_req_subpath(r));
		goto out;
	}
	bool get = http_req_is_read(r);
	enum graph_op op = get ? GRAPH_OP_METHODS_READ : GRAPH_OP_METHODS_WRITE;
	if (!http_graph_require(r, &g, op, NULL))
		goto out;
	struct graph_query q;
	memset(&q, 0, sizeof q);
	if (get && !http_graph_query(r, NULL, method_props, &q))
		goto out;
	struct tg_user u;
	if ((e = svc_user_find(&g.c->sv, g.t, mp.key, &u))) {
		if (e == TG_ERR_NOT_FOUND || e == TG_ERR_INVALID)
			e = http_graph_not_found(r, mp.key);
		goto out;
	}
	bool has_password = u.pwhash[0] != '\0';
	tg_wipe(u.pwhash, sizeof u.pwhash);
	/* changes: the target decides for scoped roles (Authentication
	 * Administrator: non-administrators only) */
	if (!get && !http_graph_require(r, &g, op, &u))
		goto out;
	if (!get && !mp.id[0]) {   /* POST (the route table allows it on phone and email only) */
		e = create_method(r, &g, &mp, &u);
		goto out;
	}
	if ((e = methods_load(&g, &u, &ms)))
		goto out;
	if (!mp.id[0]) {
		e = list_methods(r, &g, &mp, &u, has_password, &ms, &q);
		goto out;
	}
	if (get && mp.c == COLL_ALL && has_password && strcmp(mp.id, PASSWORD_METHOD_ID) == 0) {
		json_t *o = password_json();
		http_graph_select(&q, o);
		e = reply_method(r, &g, &mp, &u, 200, o);
		goto out;
	}
	/* a method of another user is not in ms: 404, never touched */
	const struct store_method *m = find_method(&ms, mp.c, mp.id, !get);
	if (!m) {
		e = http_graph_not_found(r, mp.id);
		goto out;
	}
	if (get) {
		json_t *o = method_json(&g, m);
		http_graph_select(&q, o);
		e = reply_method(r, &g, &mp, &u, 200, o);
	} else if (strcmp(r->method, "PATCH") == 0) {
		e = update_phone(r, &g, &u, m);
	} else {
		/* DELETE; a hardware token goes back to the inventory unassigned,
		 * by those who may manage hardware tokens only */
		if (strcmp(m->kind, STORE_KIND_HARDWARE_OATH) == 0 &&
		    !http_graph_require(r, &g, GRAPH_OP_HW_TOKEN_WRITE, &u))
			goto out;
		if ((e = svc_method_delete(&g.c->auth, g.t, u.id, m->id)))
			e = reply_svc_err(r, &g, e, NULL, mp.id);
		else
			e = http_graph_reply_204(r);
	}
out:
	methods_free(&ms);
	http_graph_end(&g);
	return e;
}

/* ---- helpdesk actions --------------------------------------------------- */

enum action {
	ACT_REVOKE_SIGNIN_SESSIONS,   /* Graph: {"value": true} */
	ACT_REVOKE_MFA_SESSIONS,      /* Tollgate: the counts */
	ACT_REQUIRE_REREGISTER,
	ACT_DELETE_ALL_APP_PASSWORDS,
	ACT_LIST_APP_PASSWORDS,
};

static const struct {
	const char *prefix;
	const char *name;
	const char *method;
	enum action act;
} actions[] = {
	{"/v1.0/users/", "revokeSignInSessions", "POST", ACT_REVOKE_SIGNIN_SESSIONS},
	{"/tollgate/v1/users/", "revokeMfaSessions", "POST", ACT_REVOKE_MFA_SESSIONS},
	{"/tollgate/v1/users/", "requireReregister", "POST", ACT_REQUIRE_REREGISTER},
	{"/tollgate/v1/users/", "deleteAllAppPasswords", "POST", ACT_DELETE_ALL_APP_PASSWORDS},
	{"/tollgate/v1/users/", "appPasswords", "GET", ACT_LIST_APP_PASSWORDS},
};

/* Parse "{prefix}{key}/{name}" into *act and key. */
static bool parse_action(struct http_req *r, enum action *act, char *key, size_t key_size)
{
	const char *sub = http_req_subpath(r);
	const char *want = http_req_is_head(r) ? "GET" : r->method;
	for (size_t i = 0; i < TG_ARRAY_LEN(actions); i++) {
		size_t pn = strlen(actions[i].prefix);
		if (strncmp(sub, actions[i].prefix, pn) != 0 || strcmp(want, actions[i].method) != 0)
			continue;
		const char *p = sub + pn;
		if (!take_segment(&p, key, key_size) || *p != '/' || strcmp(p + 1, actions[i].name) != 0)
			continue;
		*act = actions[i].act;
		return true;
	}
	return false;
}

static int app_password_cb(const struct store_app_password *pw, void *arg)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_string(pw->id));
	json_object_set_new(o, "displayName", json_string(pw->name));
	json_object_set_new(o, "createdDateTime", time_or_null(pw->created));
	json_object_set_new(o, "lastUsedDateTime", time_or_null(pw->last_used));
	json_array_append_new(arg, o);
	return TG_OK;
}

int http_graph_user_action(struct http_req *r)
{
	struct graph_call g;
	int e = http_graph_begin(r, &g);
	if (e || r->replied)
		goto out;
	enum action act;
	char key[TG_MAX_UPN + 1];
	if (!parse_action(r, &act, key, sizeof key)) {
		e = http_graph_not_found(r, http_req_subpath(r));
		goto out;
	}
	bool read = act == ACT_LIST_APP_PASSWORDS;
	enum graph_op op = read ? GRAPH_OP_METHODS_READ : GRAPH_OP_METHODS_WRITE;
	if (!http_graph_require(r, &g, op, NULL))
		goto out;
	struct tg_user u;
	if (!http_graph_find_user(r, &g, key, &u, &e))
		goto out;
	if (!read && !http_graph_require(r, &g, op, &u))
		goto out;
	switch (act) {
	case ACT_REVOKE_SIGNIN_SESSIONS:
	case ACT_REVOKE_MFA_SESSIONS: {
		struct svc_revoke_report rep = {0, 0, 0};
		if ((e = svc_session_revoke_user(&g.c->sv, g.t, u.id, &rep))) {
			e = reply_svc_err(r, &g, e, NULL, key);
			break;
		}
		json_t *o = json_object();
		if (act == ACT_REVOKE_SIGNIN_SESSIONS) {
			json_object_set_new(o, "value", json_true());
			e = http_graph_reply_entity(r, &g, 200, "Edm.Boolean", o);
			break;
		}
		json_object_set_new(o, "sessions", json_integer((json_int_t)rep.sessions));
		json_object_set_new(o, "rememberedDevices", json_integer((json_int_t)rep.devices));
		json_object_set_new(o, "refreshTokenFamilies", json_integer((json_int_t)rep.families));
		e = http_reply_json_take(r, 200, o);
		break;
	}
	case ACT_REQUIRE_REREGISTER: {
		struct svc_rereg_report rep = {0, 0};
		if ((e = svc_method_require_reregister(&g.c->auth, g.t, u.id, &rep)))
			e = reply_svc_err(r, &g, e, NULL, key);
		else
			e = http_graph_reply_204(r);
		break;
	}
	case ACT_DELETE_ALL_APP_PASSWORDS: {
		int64_t n = 0;
		if ((e = svc_app_password_delete_all(&g.c->auth, g.t, u.id, &n))) {
			e = reply_svc_err(r, &g, e, NULL, key);
			break;
		}
		json_t *o = json_object();
		json_object_set_new(o, "deleted", json_integer((json_int_t)n));
		e = http_reply_json_take(r, 200, o);
		break;
	}
	case ACT_LIST_APP_PASSWORDS: {
		json_t *arr = json_array();
		if ((e = svc_app_password_list(&g.c->auth, g.t, u.id, app_password_cb, arr))) {
			json_decref(arr);
			e = reply_svc_err(r, &g, e, NULL, key);
			break;
		}
		json_t *o = json_object();
		json_object_set_new(o, "value", arr);
		e = http_reply_json_take(r, 200, o);
		break;
	}
	}
out:
	http_graph_end(&g);
	return e;
}
