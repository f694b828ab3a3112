/* SPDX-License-Identifier: MIT
 * The Graph-shaped admin API's framework: token check, the one
 * authorization table, OData query options, collection answers and strict
 * JSON bodies. Interface and use: http_graph.h; docs/admin-api.md. */
#include "http/http_graph.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "base/err.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/str.h"
#include "core/oidc.h"
#include "core/roles.h"
#include "http/http_reply.h"
#include "store/store.h"

/* ---- the authorization table (docs/admin-api.md mirrors it) ------------- */

/* How a rule applies to a per-user write. */
enum graph_scope {
	SCOPE_ANY = 0,           /* any target */
	SCOPE_NON_ADMIN,         /* only targets without a directory role */
};

struct graph_role_rule {
	const char *role_id;
	enum graph_scope scope;
};

#define GRAPH_RULE_MAX 16

struct graph_rule {
	struct graph_role_rule roles[GRAPH_RULE_MAX];   /* ended by {NULL} */
	const char *perms[GRAPH_RULE_MAX];              /* ended by NULL */
};

#define GA {ROLE_ID_GLOBAL_ADMIN, SCOPE_ANY}
#define GR {ROLE_ID_GLOBAL_READER, SCOPE_ANY}
#define SR {ROLE_ID_SECURITY_READER, SCOPE_ANY}

static const struct graph_rule graph_rules[GRAPH_OP_COUNT_] = {
	[GRAPH_OP_USER_READ] = {
		{GA, GR, {ROLE_ID_USER_ADMIN, SCOPE_ANY}, {ROLE_ID_AUTH_ADMIN, SCOPE_ANY},
		 {ROLE_ID_PRIV_AUTH_ADMIN, SCOPE_ANY}, {ROLE_ID_AUTH_POLICY_ADMIN, SCOPE_ANY},
		 {ROLE_ID_SECURITY_ADMIN, SCOPE_ANY}, {ROLE_ID_CA_ADMIN, SCOPE_ANY},
		 {ROLE_ID_HELPDESK_ADMIN, SCOPE_ANY}, {NULL, SCOPE_ANY}},
		{"User.Read.All", "User.ReadWrite.All", NULL}},
	[GRAPH_OP_USER_WRITE] = {
		{GA, {ROLE_ID_USER_ADMIN, SCOPE_NON_ADMIN}, {NULL, SCOPE_ANY}},
		{"User.ReadWrite.All", NULL}},
	[GRAPH_OP_PER_USER_MFA_READ] = {
		{GA, GR, {ROLE_ID_AUTH_ADMIN, SCOPE_ANY}, {ROLE_ID_PRIV_AUTH_ADMIN, SCOPE_ANY},
		 {ROLE_ID_AUTH_POLICY_ADMIN, SCOPE_ANY}, {ROLE_ID_SECURITY_ADMIN, SCOPE_ANY},
		 {NULL, SCOPE_ANY}},
		{"Policy.Read.All", "Policy.ReadWrite.AuthenticationMethod", "User.Read.All",
		 "User.ReadWrite.All", NULL}},
	[GRAPH_OP_PER_USER_MFA_WRITE] = {
		{GA, {ROLE_ID_AUTH_ADMIN, SCOPE_NON_ADMIN}, {ROLE_ID_PRIV_AUTH_ADMIN, SCOPE_ANY},
		 {ROLE_ID_AUTH_POLICY_ADMIN, SCOPE_ANY}, {NULL, SCOPE_ANY}},
		{"Policy.ReadWrite.AuthenticationMethod", NULL}},
	[GRAPH_OP_METHODS_READ] = {
		{GA, GR, {ROLE_ID_AUTH_ADMIN, SCOPE_ANY}, {ROLE_ID_PRIV_AUTH_ADMIN, SCOPE_ANY},
		 {ROLE_ID_SECURITY_ADMIN, SCOPE_ANY}, {NULL, SCOPE_ANY}},
		{"Policy.Read.All", "Policy.ReadWrite.AuthenticationMethod", NULL}},
	[GRAPH_OP_METHODS_WRITE] = {
		{GA, {ROLE_ID_AUTH_ADMIN, SCOPE_NON_ADMIN}, {ROLE_ID_PRIV_AUTH_ADMIN, SCOPE_ANY},
		 {NULL, SCOPE_ANY}},
		{"Policy.ReadWrite.AuthenticationMethod", NULL}},
	[GRAPH_OP_SETTINGS_READ] = {
		{GA, GR, {ROLE_ID_AUTH_POLICY_ADMIN, SCOPE_ANY}, {ROLE_ID_SECURITY_ADMIN, SCOPE_ANY},
		 {ROLE_ID_AUTH_ADMIN, SCOPE_ANY}, {ROLE_ID_PRIV_AUTH_ADMIN, SCOPE_ANY},
		 {NULL, SCOPE_ANY}},
		{"Policy.Read.All", "Policy.ReadWrite.AuthenticationMethod", NULL}},
	[GRAPH_OP_SETTINGS_WRITE] = {
		{GA, {ROLE_ID_AUTH_POLICY_ADMIN, SCOPE_ANY}, {NULL, SCOPE_ANY}},
		{"Policy.ReadWrite.AuthenticationMethod", NULL}},
	[GRAPH_OP_SECURITY_DEFAULTS_READ] = {
		{GA, GR, SR, {ROLE_ID_SECURITY_ADMIN, SCOPE_ANY}, {ROLE_ID_CA_ADMIN, SCOPE_ANY},
		 {ROLE_ID_AUTH_POLICY_ADMIN, SCOPE_ANY}, {NULL, SCOPE_ANY}},
		{"Policy.Read.All", "Policy.ReadWrite.SecurityDefaults", NULL}},
	[GRAPH_OP_SECURITY_DEFAULTS_WRITE] = {
		{GA, {ROLE_ID_SECURITY_ADMIN, SCOPE_ANY}, {NULL, SCOPE_ANY}},
		{"Policy.ReadWrite.SecurityDefaults", NULL}},
	[GRAPH_OP_CA_READ] = {
		{GA, GR, SR, {ROLE_ID_CA_ADMIN, SCOPE_ANY}, {ROLE_ID_SECURITY_ADMIN, SCOPE_ANY},
		 {NULL, SCOPE_ANY}},
		{"Policy.Read.All", "Policy.ReadWrite.ConditionalAccess", NULL}},
	[GRAPH_OP_CA_WRITE] = {
		{GA, {ROLE_ID_CA_ADMIN, SCOPE_ANY}, {ROLE_ID_SECURITY_ADMIN, SCOPE_ANY},
		 {NULL, SCOPE_ANY}},
		{"Policy.ReadWrite.ConditionalAccess", NULL}},
	[GRAPH_OP_AUDIT_READ] = {
		{GA, GR, SR, {ROLE_ID_SECURITY_ADMIN, SCOPE_ANY}, {ROLE_ID_AUTH_POLICY_ADMIN, SCOPE_ANY},
		 {ROLE_ID_CA_ADMIN, SCOPE_ANY}, {NULL, SCOPE_ANY}},
		{"AuditLog.Read.All", NULL}},
	/* groups: those who read users, plus Security Reader and Privileged
	 * Role Administrator (they pick users and groups for policies and
	 * assignments); Groups Administrator is not a Tollgate role */
	[GRAPH_OP_GROUP_READ] = {
		{GA, GR, SR, {ROLE_ID_USER_ADMIN, SCOPE_ANY}, {ROLE_ID_HELPDESK_ADMIN, SCOPE_ANY},
		 {ROLE_ID_AUTH_ADMIN, SCOPE_ANY}, {ROLE_ID_PRIV_AUTH_ADMIN, SCOPE_ANY},
		 {ROLE_ID_AUTH_POLICY_ADMIN, SCOPE_ANY}, {ROLE_ID_SECURITY_ADMIN, SCOPE_ANY},
		 {ROLE_ID_CA_ADMIN, SCOPE_ANY}, {ROLE_ID_PRIV_ROLE_ADMIN, SCOPE_ANY}, {NULL, SCOPE_ANY}},
		{"Group.Read.All", "Group.ReadWrite.All", "GroupMember.Read.All",
		 "GroupMember.ReadWrite.All", "Directory.Read.All", NULL}},
	[GRAPH_OP_GROUP_WRITE] = {
		{GA, {ROLE_ID_USER_ADMIN, SCOPE_ANY}, {NULL, SCOPE_ANY}},
		{"Group.ReadWrite.All", NULL}},
	/* groups decide Conditional Access (include/exclude): a User
	 * Administrator may not move administrators in or out of them */
	[GRAPH_OP_GROUP_MEMBER_WRITE] = {
		{GA, {ROLE_ID_USER_ADMIN, SCOPE_NON_ADMIN}, {NULL, SCOPE_ANY}},
		{"Group.ReadWrite.All", "GroupMember.ReadWrite.All", NULL}},
	[GRAPH_OP_ROLE_READ] = {
		{GA, GR, SR, {ROLE_ID_PRIV_ROLE_ADMIN, SCOPE_ANY}, {ROLE_ID_USER_ADMIN, SCOPE_ANY},
		 {ROLE_ID_HELPDESK_ADMIN, SCOPE_ANY}, {ROLE_ID_AUTH_ADMIN, SCOPE_ANY},
		 {ROLE_ID_PRIV_AUTH_ADMIN, SCOPE_ANY}, {ROLE_ID_SECURITY_ADMIN, SCOPE_ANY},
		 {ROLE_ID_CA_ADMIN, SCOPE_ANY}, {NULL, SCOPE_ANY}},
		{"RoleManagement.Read.Directory", "RoleManagement.ReadWrite.Directory",
		 "Directory.Read.All", NULL}},
	/* assigning roles is privileged: never User Administrator */
	[GRAPH_OP_ROLE_WRITE] = {
		{GA, {ROLE_ID_PRIV_ROLE_ADMIN, SCOPE_ANY}, {NULL, SCOPE_ANY}},
		{"RoleManagement.ReadWrite.Directory", NULL}},
	/* entra.md §1.3: an Authentication Administrator "cannot manage
	 * hardware OATH tokens" (require re-register still deactivates them) */
	[GRAPH_OP_HW_TOKEN_WRITE] = {
		{GA, {ROLE_ID_PRIV_AUTH_ADMIN, SCOPE_ANY}, {NULL, SCOPE_ANY}},
		{"Policy.ReadWrite.AuthenticationMethod", NULL}},
	/* entra.md §4.1: an Authentication Administrator sees masked phone
	 * numbers; so does everyone else who reads methods without this row */
	[GRAPH_OP_PHONE_READ_FULL] = {
		{GA, {ROLE_ID_PRIV_AUTH_ADMIN, SCOPE_ANY}, {NULL, SCOPE_ANY}},
		{"Policy.Read.All", "Policy.ReadWrite.AuthenticationMethod", NULL}},
};

/* ---- authentication ----------------------------------------------------- */

/* 401 in Graph's shape with the RFC 6750 challenge (no error attribute
 * when no token was sent). */
static int reply_401(struct http_req *r, struct oidc_call *oc, bool sent, const char *msg)
{
	char challenge[OIDC_URL_MAX + 64];
	snprintf(challenge, sizeof challenge, sent ?
	         "Bearer realm=\"%s\", error=\"invalid_token\"" : "Bearer realm=\"%s\"", oc->issuer);
	size_t len = 0;
	struct MHD_Response *resp = http_error_response(r, 401, "InvalidAuthenticationToken", msg, &len);
	if (resp && MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE, challenge) != MHD_YES) {
		MHD_destroy_response(resp);
		resp = NULL;
	}
	return http_reply_queue(r, 401, resp, len);
}

/* The roles (delegated) or application permissions (app-only) the
 * principal holds now, read from the store on every request. */
struct held {
	size_t n;
	char v[GRAPH_MAX_ROLES][GRAPH_ROLE_LEN];
};

static bool held_has(const struct held *h, const char *s)
{
	for (size_t i = 0; i < h->n; i++)
		if (strcmp(h->v[i], s) == 0)
			return true;
	return false;
}

static int held_add(const char *id, void *arg)
{
	struct held *h = arg;
	if (h->n < GRAPH_MAX_ROLES && strlen(id) < GRAPH_ROLE_LEN)
		snprintf(h->v[h->n++], GRAPH_ROLE_LEN, "%s", id);
	return TG_OK;
}

static int user_held(struct oidc_call *oc, const char *user_id, struct held *out)
{
	int r = store_user_roles(oc->c->store, user_id, held_add, out);
	if (r)
		log_error("reading the roles of user %s: %s", user_id, tg_strerror(r));
	return r ? TG_ERR_STORE : TG_OK;
}

static int app_held(struct oidc_call *oc, const char *client_id, struct held *out)
{
	struct store_app *app = xcalloc(1, sizeof *app);
	int r = svc_app_get(&oc->c->sv, &oc->t, client_id, app);
	if (r == TG_OK)
		for (size_t i = 0; i < app->n_permissions; i++)
			(void)held_add(app->permissions[i], out);
	tg_wipe(app, sizeof *app);                  /* holds the secret's digest */
	free(app);
	if (r == TG_ERR_NOT_FOUND || r == TG_ERR_INVALID)
		return TG_ERR_NOT_FOUND;
	return r ? TG_ERR_STORE : TG_OK;
}

/* TG_OK when sid (a delegated token's session; NULL: the token has none)
 * names a session that is not revoked, TG_ERR_DENIED when it is revoked or
 * gone, TG_ERR_STORE when it cannot be read. */
static int session_live(struct oidc_call *oc, const char *sid)
{
	if (!sid)
		return TG_OK;
	struct store_session *x = xcalloc(1, sizeof *x);
	int r = store_session_get_id(oc->c->store, sid, x);
	bool live = r == TG_OK && !x->revoked;
	tg_wipe(x, sizeof *x);
	free(x);
	if (r && r != TG_ERR_NOT_FOUND) {
		log_error("reading session %s: %s", sid, tg_strerror(r));
		return TG_ERR_STORE;
	}
	return live ? TG_OK : TG_ERR_DENIED;
}

int http_graph_auth(struct http_req *r, struct oidc_call *oc, struct graph_principal *out)
{
	memset(out, 0, sizeof *out);
	const char *authz = http_req_header(r, MHD_HTTP_HEADER_AUTHORIZATION);
	const char *token = NULL;
	if (oidc_bearer_parse(authz, &token) != TG_OK)
		return reply_401(r, oc, authz != NULL, "A Bearer access token is required.");
	int e = http_oidc_ring(r, oc);
	if (e)
		return e;
	json_t *claims = NULL;
	int v = svc_jwt_verify_access(&oc->c->sv, &oc->jc, token, &claims);
	if (v == TG_ERR_STORE || v == TG_ERR_BUSY)
		return TG_ERR_UNAVAILABLE;
	if (v) {
		log_info("request %s: admin API token refused: %s", r->request_id, oc->c->sv.err);
		return reply_401(r, oc, true, v == TG_ERR_EXPIRED ? "The access token has expired." :
		                 "The access token is not valid.");
	}
	const char *tid = json_string_value(json_object_get(claims, "tid"));
	const char *sub = json_string_value(json_object_get(claims, "sub"));
	const char *cid = json_string_value(json_object_get(claims, "client_id"));
	if (!tid || strcmp(tid, oc->t.id) != 0 || !sub || !cid) {
		json_decref(claims);
		return reply_401(r, oc, true, "The access token is not valid for this tenant.");
	}
	out->app_only = json_object_get(claims, "idtyp") != NULL;
	snprintf(out->tenant_id, sizeof out->tenant_id, "%s", tid);
	snprintf(out->client_id, sizeof out->client_id, "%s", cid);
	if (!out->app_only) {
		/* the user as they are now: deleted or disabled users are refused */
		struct tg_user u;
		if (svc_user_find(&oc->c->sv, &oc->t, sub, &u) != TG_OK || !u.enabled) {
			json_decref(claims);
			return reply_401(r, oc, true, "The user no longer exists or is disabled.");
		}
		tg_wipe(u.pwhash, sizeof u.pwhash);
		/* the sign-in session the token came from must still be live:
		 * signing out of the portal, "revoke sessions" and "revoke MFA
		 * sessions" end the admin API for tokens already issued too */
		int sr = session_live(oc, json_string_value(json_object_get(claims, "sid")));
		if (sr) {
			json_decref(claims);
			if (sr == TG_ERR_DENIED)
				return reply_401(r, oc, true, "The sign-in session of this access token has ended.");
			return TG_ERR_UNAVAILABLE;
		}
		snprintf(out->user_id, sizeof out->user_id, "%s", u.id);
		snprintf(out->upn, sizeof out->upn, "%s", u.upn);
		const json_t *amr = json_object_get(claims, "amr");
		size_t i;
		const json_t *a;
		json_array_foreach(amr, i, a) {
			if (json_is_string(a) && strcmp(json_string_value(a), "mfa") == 0)
				out->has_mfa = true;
		}
		snprintf(out->actor, sizeof out->actor, "user:%s", u.upn);
	} else {
		snprintf(out->actor, sizeof out->actor, "app:%s", cid);
	}
	/* A role counts when the token lists it and the user (or app) still
	 * holds it now: a role removed, or a permission taken from an app,
	 * stops working at once instead of when the token expires. A role
	 * given after the token was issued needs a new token. */
	struct held held = {0};
	int hr = out->app_only ? app_held(oc, cid, &held) : user_held(oc, out->user_id, &held);
	if (hr == TG_ERR_NOT_FOUND) {
		json_decref(claims);
		return reply_401(r, oc, true, "The app no longer exists.");
	}
	if (hr) {
		json_decref(claims);
		return TG_ERR_UNAVAILABLE;
	}
	const json_t *roles = json_object_get(claims, "roles");
	size_t i;
	const json_t *rv;
	json_array_foreach(roles, i, rv) {
		const char *s = json_string_value(rv);
		if (!s || strlen(s) >= GRAPH_ROLE_LEN || out->n_roles >= GRAPH_MAX_ROLES ||
		    !held_has(&held, s))
			continue;
		snprintf(out->roles[out->n_roles++], GRAPH_ROLE_LEN, "%s", s);
	}
	json_decref(claims);
	return TG_OK;
}

int http_graph_begin(struct http_req *r, struct graph_call *g)
{
	memset(g, 0, sizeof *g);
	int e = http_oidc_begin(r, &g->oc);
	g->c = g->oc.c;
	g->t = &g->oc.t;
	if (e || r->replied)
		return e;
	if ((e = http_graph_auth(r, &g->oc, &g->p)))
		return e;
	if (!r->replied)
		snprintf(g->c->sv.actor, sizeof g->c->sv.actor, "%s", g->p.actor);
	return TG_OK;
}

void http_graph_end(struct graph_call *g)
{
	http_oidc_end(&g->oc);
}

/* ---- authorization ------------------------------------------------------ */

struct role_scan {
	bool any;
};

static int target_role_cb(const char *id, void *arg)
{
	(void)id;
	((struct role_scan *)arg)->any = true;
	return TG_OK;
}

/* -1: could not read; 0: no directory role; 1: holds one */
static int target_is_admin(struct graph_call *g, const struct tg_user *target)
{
	struct role_scan s = {false};
	if (store_user_roles(g->c->store, target->id, target_role_cb, &s) != TG_OK)
		return -1;
	return s.any ? 1 : 0;
}

static int decide(struct graph_call *g, enum graph_op op, const struct tg_user *target)
{
	if ((unsigned)op >= GRAPH_OP_COUNT_)
		return 0;
	const struct graph_rule *rule = &graph_rules[op];
	if (g->p.app_only) {
		for (size_t k = 0; k < GRAPH_RULE_MAX && rule->perms[k]; k++)
			for (size_t i = 0; i < g->p.n_roles; i++)
				if (strcmp(g->p.roles[i], rule->perms[k]) == 0)
					return 1;
		return 0;
	}
	bool scoped_only = false;
	for (size_t k = 0; k < GRAPH_RULE_MAX && rule->roles[k].role_id; k++) {
		for (size_t i = 0; i < g->p.n_roles; i++) {
			if (strcmp(g->p.roles[i], rule->roles[k].role_id) != 0)
				continue;
			if (rule->roles[k].scope == SCOPE_ANY)
				return 1;
			scoped_only = true;
		}
	}
	if (!scoped_only)
		return 0;
	if (!target)
		return 1;   /* the handler checks each target again */
	int admin = target_is_admin(g, target);
	return admin == 0 ? 1 : (admin < 0 ? -1 : 0);
}

bool http_graph_allowed(struct graph_call *g, enum graph_op op, const struct tg_user *target)
{
	return decide(g, op, target) == 1;
}

bool http_graph_scoped(struct graph_call *g, enum graph_op op)
{
	if (g->p.app_only || (unsigned)op >= GRAPH_OP_COUNT_)
		return false;
	const struct graph_rule *rule = &graph_rules[op];
	bool scoped = false;
	for (size_t k = 0; k < GRAPH_RULE_MAX && rule->roles[k].role_id; k++)
		for (size_t i = 0; i < g->p.n_roles; i++)
			if (strcmp(g->p.roles[i], rule->roles[k].role_id) == 0) {
				if (rule->roles[k].scope == SCOPE_ANY)
					return false;
				scoped = true;
			}
	return scoped;
}

bool http_graph_require(struct http_req *r, struct graph_call *g, enum graph_op op,
                        const struct tg_user *target)
{
	int d = decide(g, op, target);
	if (d == 1)
		return true;
	if (d < 0) {
		(void)http_reply_err(r, TG_ERR_UNAVAILABLE, NULL);
		return false;
	}
	log_info("request %s: %s denied operation %d", r->request_id, g->p.actor, (int)op);
	(void)http_reply_error(r, 403, "Authorization_RequestDenied",
	                       target ? "Insufficient privileges to complete the operation on this user."
	                              : "Insufficient privileges to complete the operation.");
	return false;
}

/* ---- OData query options ------------------------------------------------ */

static bool in_list(const char *const *list, const char *s, size_t n)
{
	for (size_t i = 0; list && list[i]; i++)
		if (strlen(list[i]) == n && strncmp(list[i], s, n) == 0)
			return true;
	return false;
}

static bool bad_request(struct http_req *r, const char *msg)
{
	(void)http_reply_error(r, 400, "Request_BadRequest", msg);
	return false;
}

/* Parse an OData string literal at *p ('...' with '' for a quote). */
static bool parse_literal(const char **p, char *out, size_t size)
{
	const char *s = *p;
	if (*s != '\'')
		return false;
	s++;
	size_t n = 0;
	for (;;) {
		if (!*s)
			return false;
		if (*s == '\'') {
			if (s[1] == '\'') {
				s++;
			} else {
				s++;
				break;
			}
		}
		if (n + 1 >= size)
			return false;
		out[n++] = *s++;
	}
	out[n] = '\0';
	*p = s;
	return true;
}

static bool parse_filter(const char *f, const char *const *props, struct graph_query *q)
{
	while (*f == ' ')
		f++;
	if (strncmp(f, "startswith(", 11) == 0) {
		f += 11;
		size_t n = strcspn(f, ",");
		while (n && f[n - 1] == ' ')
			n--;
		if (!in_list(props, f, n) || n >= sizeof q->fprop)
			return false;
		memcpy(q->fprop, f, n);
		q->fprop[n] = '\0';
		f = strchr(f, ',');
		if (!f)
			return false;
		f++;
		while (*f == ' ')
			f++;
		if (!parse_literal(&f, q->fvalue, sizeof q->fvalue))
			return false;
		while (*f == ' ')
			f++;
		if (*f++ != ')')
			return false;
		q->fop = GRAPH_FILTER_STARTSWITH;
	} else {
		size_t n = strcspn(f, " ");
		if (!in_list(props, f, n) || n >= sizeof q->fprop)
			return false;
		memcpy(q->fprop, f, n);
		q->fprop[n] = '\0';
		f += n;
		while (*f == ' ')
			f++;
		if (strncmp(f, "eq ", 3) != 0)
			return false;
		f += 3;
		while (*f == ' ')
			f++;
		if (!parse_literal(&f, q->fvalue, sizeof q->fvalue))
			return false;
		q->fop = GRAPH_FILTER_EQ;
	}
	while (*f == ' ')
		f++;
	return *f == '\0';
}

/* A $filter of one clause, or of two joined by " and " (outside string
 * literals): the first into q, the second into q2. */
static bool parse_filter_and(const char *f, const char *const *props, struct graph_query *q,
                             struct graph_query *q2)
{
	bool literal = false;
	for (const char *s = f; *s; s++) {
		if (*s == '\'') {
			literal = !literal;
			continue;
		}
		if (literal || strncmp(s, " and ", 5) != 0)
			continue;
		char left[sizeof q->fprop + sizeof q->fvalue + 32];
		size_t n = (size_t)(s - f);
		if (n >= sizeof left)
			return false;
		memcpy(left, f, n);
		left[n] = '\0';
		return parse_filter(left, props, q) && parse_filter(s + 5, props, q2);
	}
	return parse_filter(f, props, q);
}

static enum MHD_Result unsupported_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                       const char *value)
{
	(void)kind;
	(void)value;
	static const char *const known[] = {"$filter", "$top", "$select", "$skiptoken", NULL};
	if (key && key[0] == '$' && !in_list(known, key, strlen(key))) {
		*(const char **)cls = key;
		return MHD_NO;
	}
	return MHD_YES;
}

static bool query_parse(struct http_req *r, const char *const *filter_props,
                        const char *const *select_props, struct graph_query *q,
                        struct graph_query *q2)
{
	memset(q, 0, sizeof *q);
	if (q2)
		memset(q2, 0, sizeof *q2);
	q->top = 100;
	const char *bad = NULL;
	if (r->capture) {
		for (size_t i = 0; i < r->capture->nargs && !bad; i++)
			(void)unsupported_arg(&bad, MHD_GET_ARGUMENT_KIND, r->capture->keys[i], NULL);
	} else {
		MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, unsupported_arg, &bad);
	}
	if (bad) {
		char msg[160];
		snprintf(msg, sizeof msg, "Query option '%.60s' is not supported.", bad);
		return bad_request(r, msg);
	}
	const char *f = http_req_query(r, "$filter");
	if (f && !(q2 ? parse_filter_and(f, filter_props, q, q2) : parse_filter(f, filter_props, q)))
		return bad_request(r, "Invalid filter clause: only eq and startswith on "
		                      "supported properties are allowed.");
	const char *top = http_req_query(r, "$top");
	if (top) {
		int64_t v = 0;
		if (tg_parse_i64(top, 1, 999, &v) != TG_OK)
			return bad_request(r, "Invalid page size specified: $top must be between 1 and 999.");
		q->top = (size_t)v;
	}
	const char *sel = http_req_query(r, "$select");
	if (sel) {
		if (strlen(sel) >= sizeof q->sel_buf)
			return bad_request(r, "$select is too long.");
		snprintf(q->sel_buf, sizeof q->sel_buf, "%s", sel);
		char *save = NULL;
		for (char *tok = strtok_r(q->sel_buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
			while (*tok == ' ')
				tok++;
			if (!in_list(select_props, tok, strlen(tok)) ||
			    q->n_select >= sizeof q->select / sizeof q->select[0]) {
				char msg[160];
				snprintf(msg, sizeof msg, "Could not find a property named '%.60s' for $select.",
				         tok);
				return bad_request(r, msg);
			}
			q->select[q->n_select++] = tok;
		}
	}
	const char *skip = http_req_query(r, "$skiptoken");
	if (skip) {
		if (!*skip || strlen(skip) >= sizeof q->skiptoken)
			return bad_request(r, "Invalid $skiptoken.");
		snprintf(q->skiptoken, sizeof q->skiptoken, "%s", skip);
	}
	return true;
}

bool http_graph_query(struct http_req *r, const char *const *filter_props,
                      const char *const *select_props, struct graph_query *q)
{
	return query_parse(r, filter_props, select_props, q, NULL);
}

bool http_graph_query_and(struct http_req *r, const char *const *filter_props,
                          const char *const *select_props, struct graph_query *q,
                          struct graph_query *q2)
{
	return query_parse(r, filter_props, select_props, q, q2);
}

void http_graph_select(const struct graph_query *q, json_t *obj)
{
	if (!q || !q->n_select || !json_is_object(obj))
		return;
	const char *key;
	json_t *v;
	void *tmp;
	json_object_foreach_safe(obj, tmp, key, v) {
		bool keep = strcmp(key, "id") == 0 || key[0] == '@';
		for (size_t i = 0; !keep && i < q->n_select; i++)
			keep = strcmp(key, q->select[i]) == 0;
		if (!keep)
			json_object_del(obj, key);
	}
}

/* ---- answers ------------------------------------------------------------ */

static void url_append(char *out, size_t size, const char *s)
{
	size_t n = strlen(out);
	static const char hex[] = "0123456789ABCDEF";
	for (; *s && n + 4 < size; s++) {
		unsigned char ch = (unsigned char)*s;
		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
		    ch == '-' || ch == '_' || ch == '.' || ch == '~' || ch == '/' || ch == '$') {
			out[n++] = (char)ch;
		} else {
			out[n++] = '%';
			out[n++] = hex[ch >> 4];
			out[n++] = hex[ch & 15];
		}
	}
	out[n] = '\0';
}

static void context_url(struct graph_call *g, struct http_req *r, const char *ctx, char *out,
                        size_t size)
{
	const char *sub = http_req_subpath(r);     /* "/v1.0/users..." */
	const char *ver = strncmp(sub, "/beta/", 6) == 0 ? "beta" : "v1.0";
	snprintf(out, size, "%s/%s/$metadata#%s", g->oc.tenant_url, ver, ctx);
}

int http_graph_reply_collection(struct http_req *r, struct graph_call *g, const char *ctx,
                                json_t *value, const struct graph_query *q, const char *next)
{
	json_t *o = json_object();
	char url[1024];
	context_url(g, r, ctx, url, sizeof url);
	json_object_set_new(o, "@odata.context", json_string(url));
	json_object_set_new(o, "value", value ? value : json_array());
	if (next) {
		char link[2048];
		snprintf(link, sizeof link, "%s", g->oc.base);
		url_append(link, sizeof link, r->path);
		size_t n = strlen(link);
		snprintf(link + n, sizeof link - n, "?$top=%zu", q->top);
		const char *f = http_req_query(r, "$filter");
		if (f) {
			n = strlen(link);
			snprintf(link + n, sizeof link - n, "&$filter=");
			url_append(link, sizeof link, f);
		}
		const char *sel = http_req_query(r, "$select");
		if (sel) {
			n = strlen(link);
			snprintf(link + n, sizeof link - n, "&$select=");
			url_append(link, sizeof link, sel);
		}
		n = strlen(link);
		snprintf(link + n, sizeof link - n, "&$skiptoken=");
		url_append(link, sizeof link, next);
		json_object_set_new(o, "@odata.nextLink", json_string(link));
	}
	return http_reply_json_take(r, 200, o);
}

int http_graph_reply_entity(struct http_req *r, struct graph_call *g, unsigned status,
                            const char *ctx, json_t *obj)
{
	if (!obj)
		return http_reply_json_take(r, status, NULL);
	char url[1024];
	context_url(g, r, ctx, url, sizeof url);
	json_object_set_new(obj, "@odata.context", json_string(url));
	return http_reply_json_take(r, status, obj);
}

int http_graph_reply_json_err(struct http_req *r, const struct json_err *err)
{
	char msg[TG_MAX_ERR_PATH + TG_MAX_ERR_MESSAGE + 8];
	if (err->path[0])
		snprintf(msg, sizeof msg, "%s: %s", err->path, err->message);
	else
		snprintf(msg, sizeof msg, "%s", err->message);
	return http_reply_error(r, 400, "Request_BadRequest", msg);
}

json_t *http_graph_body(struct http_req *r)
{
	const char *ct = http_req_header(r, MHD_HTTP_HEADER_CONTENT_TYPE);
	if (!ct || strncasecmp(ct, "application/json", 16) != 0 ||
	    (ct[16] && ct[16] != ';' && ct[16] != ' ')) {
		(void)http_reply_error(r, 415, "Request_BadRequest",
		                       "Content-Type must be application/json.");
		return NULL;
	}
	json_t *j = NULL;
	struct json_err err;
	memset(&err, 0, sizeof err);
	int e = json_load_strict(r->body.data ? (const char *)r->body.data : "", r->body.len,
	                         TG_MAX_HTTP_BODY, TG_MAX_JSON_DEPTH, &j, &err);
	if (e) {
		(void)http_graph_reply_json_err(r, &err);
		return NULL;
	}
	return j;
}

int http_graph_reply_204(struct http_req *r)
{
	struct MHD_Response *resp = MHD_create_response_from_buffer(0, (void *)(uintptr_t)"",
	                                                            MHD_RESPMEM_PERSISTENT);
	return http_reply_queue(r, 204, resp, 0);
}

json_t *http_graph_user_json(const struct tg_user *u)
{
	char created[TG_TIME_ISO_LEN];
	tg_time_iso(u->created, created);
	json_t *o = json_object();
	json_object_set_new(o, "id", json_string(u->id));
	json_object_set_new(o, "userPrincipalName", json_string(u->upn));
	json_object_set_new(o, "displayName", json_string(u->display_name));
	json_object_set_new(o, "mail", u->email[0] ? json_string(u->email) : json_null());
	json_object_set_new(o, "mobilePhone", u->phone[0] ? json_string(u->phone) : json_null());
	json_object_set_new(o, "preferredLanguage",
	                    u->locale[0] ? json_string(u->locale) : json_null());
	json_object_set_new(o, "accountEnabled", json_boolean(u->enabled));
	json_object_set_new(o, "userType", json_string(u->is_guest ? "Guest" : "Member"));
	json_object_set_new(o, "createdDateTime", json_string(created));
	return o;
}

int http_graph_not_found(struct http_req *r, const char *what)
{
	char msg[TG_MAX_UPN + 200];
	snprintf(msg, sizeof msg, "Resource '%.*s' does not exist or one of its queried "
	         "reference-property objects are not present.", (int)TG_MAX_UPN, what);
	return http_reply_error(r, 404, "Request_ResourceNotFound", msg);
}

bool http_graph_find_user(struct http_req *r, struct graph_call *g, const char *key,
                          struct tg_user *u, int *e)
{
	*e = svc_user_find(&g->c->sv, g->t, key, u);
	if (*e == TG_OK) {
		tg_wipe(u->pwhash, sizeof u->pwhash);
		return true;
	}
	if (*e == TG_ERR_NOT_FOUND || *e == TG_ERR_INVALID)
		*e = http_graph_not_found(r, key);
	return false;
}
