/* SPDX-License-Identifier: MIT
 * Private to src/http: the framework of the Graph-shaped admin API
 * (docs/admin-api.md). Every admin handler does:
 *
 *   struct graph_call g;
 *   int e = http_graph_begin(r, &g);            // services, tenant, token
 *   if (e || r->replied) return e;              // 401/404/503 answered
 *   if (!http_graph_require(r, &g, GRAPH_OP_CA_READ, NULL))
 *           goto out;                           // 403 answered
 *   ... g.c->sv (actor already set to http_graph_actor), g.t ...
 * out:
 *   http_graph_end(&g);
 *
 * Authentication: a Bearer access token of this tenant only
 * (svc_jwt_verify_access: signature, iss, aud = the base URL, expiry,
 * revoked jti). Basic credentials and app passwords are refused (401 with
 * WWW-Authenticate: Bearer error="invalid_token"). A delegated token whose
 * amr lacks "mfa" is still accepted: whether MFA was needed was decided by
 * the policies at sign-in (security defaults, Conditional Access "admin
 * portals"); has_mfa is there for handlers that want to know.
 *
 * Authorization: ONE table (http_graph.c, graph_rules[]; mirrored in
 * docs/admin-api.md): operation -> directory role template ids allowed
 * (delegated tokens: the "roles" claim) and application permissions
 * allowed (app-only tokens: the "roles" claim). Denials answer 403
 * Authorization_RequestDenied. */
#ifndef TG_HTTP_HTTP_GRAPH_H
#define TG_HTTP_HTTP_GRAPH_H
#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>
#include "core/model.h"
#include "http/http_oidc.h"
#include "http/http_req.h"
#include "json/json_util.h"

enum graph_op {
	GRAPH_OP_USER_READ,
	GRAPH_OP_USER_WRITE,
	GRAPH_OP_PER_USER_MFA_READ,
	GRAPH_OP_PER_USER_MFA_WRITE,       /* target: Auth Admin only for non-admins */
	GRAPH_OP_METHODS_READ,
	GRAPH_OP_METHODS_WRITE,            /* target: as PER_USER_MFA_WRITE */
	GRAPH_OP_SETTINGS_READ,
	GRAPH_OP_SETTINGS_WRITE,           /* MFA service settings */
	GRAPH_OP_SECURITY_DEFAULTS_READ,
	GRAPH_OP_SECURITY_DEFAULTS_WRITE,
	GRAPH_OP_CA_READ,                  /* policies and named locations */
	GRAPH_OP_CA_WRITE,
	GRAPH_OP_AUDIT_READ,               /* sign-in logs and directory audits */
	GRAPH_OP_GROUP_READ,               /* groups and their members */
	GRAPH_OP_GROUP_WRITE,              /* create, rename, delete groups */
	GRAPH_OP_GROUP_MEMBER_WRITE,       /* target: User Admin only for non-admin members */
	GRAPH_OP_ROLE_READ,                /* directory roles and their members */
	GRAPH_OP_ROLE_WRITE,               /* assign and remove directory roles */
	GRAPH_OP_HW_TOKEN_WRITE,           /* remove a user's hardware OATH token */
	GRAPH_OP_PHONE_READ_FULL,          /* see phone numbers unmasked */
	GRAPH_OP_COUNT_
};

#define GRAPH_MAX_ROLES 32
#define GRAPH_ROLE_LEN 64

struct graph_principal {
	bool app_only;                     /* client_credentials token */
	char tenant_id[TG_ID_BUF];
	char client_id[TG_ID_BUF];         /* the token's client (both kinds) */
	char user_id[TG_ID_BUF];           /* delegated: the user's object id */
	char upn[TG_MAX_UPN + 1];          /* delegated: the user's UPN */
	bool has_mfa;                      /* delegated: amr contains "mfa" */
	size_t n_roles;                    /* role template ids, or app permissions */
	char roles[GRAPH_MAX_ROLES][GRAPH_ROLE_LEN];
	char actor[TG_MAX_AUDIT_ACTOR + 1]; /* "user:<upn>" or "app:<client id>" */
};

/* One admin request's context. */
struct graph_call {
	struct oidc_call oc;               /* services, tenant, base URL, keys */
	struct http_ctx *c;                /* = oc.c */
	struct tg_tenant *t;               /* = &oc.t */
	struct graph_principal p;
};

/* Set up g: services, tenant (404), signing keys, the Bearer token
 * (401 answered itself; check r->replied), c->sv.actor = p.actor. */
int http_graph_begin(struct http_req *r, struct graph_call *g) __attribute__((warn_unused_result));
void http_graph_end(struct graph_call *g);

/* Just the token check, for an already begun oidc_call: fills *out, or
 * answers 401 itself and returns TG_OK with r->replied set. */
int http_graph_auth(struct http_req *r, struct oidc_call *oc, struct graph_principal *out)
	__attribute__((warn_unused_result));

/* true when p may perform op (on target, NULL when not about one user).
 * When false a 403 Authorization_RequestDenied has been answered (or a
 * 503 when the target's roles could not be read). */
bool http_graph_require(struct http_req *r, struct graph_call *g, enum graph_op op,
                        const struct tg_user *target);
/* Same decision without answering (for $batch, docs, tests). */
bool http_graph_allowed(struct graph_call *g, enum graph_op op, const struct tg_user *target);
/* true when p may perform op only through a scoped rule ("non-admins"),
 * so that every target user must be checked with http_graph_require. */
bool http_graph_scoped(struct graph_call *g, enum graph_op op);

/* ---- OData query options ------------------------------------------------ */

enum graph_filter_op { GRAPH_FILTER_NONE, GRAPH_FILTER_EQ, GRAPH_FILTER_STARTSWITH };

struct graph_query {
	enum graph_filter_op fop;
	char fprop[64];                    /* property named by $filter */
	char fvalue[256];                  /* its string literal, unquoted */
	size_t top;                        /* 1..999; default 100 */
	const char *select[32];            /* $select properties (into sel_buf) */
	size_t n_select;
	char sel_buf[512];
	char skiptoken[256];               /* "" = first page */
};

/* Parse $filter, $top, $select, $skiptoken. filter_props / select_props:
 * NULL-terminated lists of the properties allowed. Anything else
 * ($orderby, $expand, $search, $count, other operators or properties) is
 * answered 400 Request_BadRequest and false returned. */
bool http_graph_query(struct http_req *r, const char *const *filter_props,
                      const char *const *select_props, struct graph_query *q);
/* http_graph_query, but $filter may also be two clauses joined by "and"
 * (each eq or startswith on filter_props): the second goes to q2 (its
 * fop is GRAPH_FILTER_NONE when there is none; its other members unused). */
bool http_graph_query_and(struct http_req *r, const char *const *filter_props,
                          const char *const *select_props, struct graph_query *q,
                          struct graph_query *q2);
/* Keep only the $select properties (plus "id") in obj; no-op without. */
void http_graph_select(const struct graph_query *q, json_t *obj);

/* The collection answer {"@odata.context": base/tenant/<ver>/$metadata#<ctx>,
 * "value": value (taken), "@odata.nextLink": <request URL with
 * $skiptoken=next> when next is non-NULL}. */
int http_graph_reply_collection(struct http_req *r, struct graph_call *g, const char *ctx,
                                json_t *value, const struct graph_query *q, const char *next);
/* An entity answer with "@odata.context" (obj taken). */
int http_graph_reply_entity(struct http_req *r, struct graph_call *g, unsigned status,
                            const char *ctx, json_t *obj);

/* 204 No Content. */
int http_graph_reply_204(struct http_req *r);

/* Parse the request body as strict JSON (Content-Type application/json,
 * json_load_strict). On failure answers 400 Request_BadRequest with the
 * JSON path in the message (415 for another Content-Type) and returns
 * NULL. New reference. */
json_t *http_graph_body(struct http_req *r);
/* Answer 400 Request_BadRequest for a json_err (message with its path). */
int http_graph_reply_json_err(struct http_req *r, const struct json_err *err);

/* ---- users -------------------------------------------------------------- */

/* A user as GET /v1.0/users shows it (never the password hash). New
 * reference. */
json_t *http_graph_user_json(const struct tg_user *u);
/* 404 Request_ResourceNotFound: "Resource 'what' does not exist …". */
int http_graph_not_found(struct http_req *r, const char *what);
/* The user key (object id or UPN) of g's tenant into *u, password hash
 * wiped: true. Otherwise false with *e: the result of the 404 answered
 * for an unknown or malformed key, or another error (nothing answered). */
bool http_graph_find_user(struct http_req *r, struct graph_call *g, const char *key,
                          struct tg_user *u, int *e);

#endif
