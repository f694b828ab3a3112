/* SPDX-License-Identifier: MIT
 * The one route table and its dispatcher, plus the declarations of the
 * handlers it names (one block per http_*.c file). Private to src/http. */
#ifndef TG_HTTP_HTTP_ROUTE_H
#define TG_HTTP_HTTP_ROUTE_H
#include <stdbool.h>
#include "http/http_req.h"

/* A handler answers through http_reply_*() and returns TG_OK, or returns a
 * tg_err WITHOUT having answered: the dispatcher then answers it through
 * the error table (http_reply_err). */
typedef int (*http_handler)(struct http_req *r);

/* Who may call a route. Checked by the dispatcher before the handler runs;
 * a level the dispatcher does not know is refused (fail closed). */
enum http_auth {
	HTTP_AUTH_NONE = 0,   /* public */
	/* later: HTTP_AUTH_SESSION, HTTP_AUTH_MFA, HTTP_AUTH_ADMIN, ... */
};

enum http_match {
	HTTP_MATCH_EXACT,     /* path equals the route's path */
	HTTP_MATCH_PREFIX,    /* path starts with the route's path (which ends
	                         in '/'); the longest prefix wins */
	HTTP_MATCH_ASSET,     /* an embedded web file answers the path (under
	                         the route's path); weakest match */
};

/* A route path that starts with HTTP_ROUTE_TENANT ("/" "*" "/") matches any
 * one non-empty first path segment — the tenant name, resolved by the
 * handler with http_app_tenant() (http_app.h) — followed by the rest:
 * {"/" "*" "/signin/", ..., HTTP_MATCH_PREFIX} matches "/contoso/signin/x".
 * EXACT and PREFIX apply to the rest; a literal EXACT route wins. */
#define HTTP_ROUTE_TENANT "/*/"

struct http_route {
	const char *path;
	const char *method;   /* "GET" also answers HEAD */
	enum http_match match;
	enum http_auth auth;
	http_handler handler;
	/* HTTP_CORS: callable from scripts of any origin (Access-Control-Allow-
	 * Origin: *, OPTIONS preflight answered). Only for endpoints that use
	 * no cookie — bearer tokens, client credentials or nothing — so that
	 * another origin gains nothing a server-side client could not do:
	 * discovery, JWKS, token, userinfo, introspection, revocation. */
	bool cors;
};
#define HTTP_CORS true
#define HTTP_SAME_ORIGIN false

/* Route r and run its handler; answers 404 (no route), 405 with Allow (path
 * known, method not) or the handler's error. Returns TG_OK when a response
 * was queued, TG_ERR_INTERNAL when none could be (close the connection). */
int http_route_dispatch(struct http_req *r);

/* true when the route table is sorted by (path, method) without duplicates;
 * checked by tests and asserted at server start. */
bool http_route_table_is_sorted(void);

/* http_health.c */
int http_health_live(struct http_req *r);    /* GET /healthz */
int http_health_ready(struct http_req *r);   /* GET /readyz */

/* http_static.c */
/* true when GET path would be answered from the embedded web files (the
 * file itself, or a redirect to its directory form). path as in http_req. */
bool http_static_exists(const char *path);
int http_static_get(struct http_req *r);
/* Answer with the embedded file `name` ("signin/index.html"), exactly as
 * http_static_get would for its own path (ETag, 304, Cache-Control). */
int http_static_send(struct http_req *r, const char *name);

/* http_signin.c: the sign-in page, its JSON API and the legacy endpoint */
int http_signin_page(struct http_req *r);              /* GET /{t}/signin/ */
int http_admin_page(struct http_req *r);               /* GET /{t}/admin/ */
int http_signin_state(struct http_req *r);             /* GET /{t}/api/signin/state */
int http_signin_begin(struct http_req *r);             /* POST /{t}/api/signin/begin */
int http_signin_password(struct http_req *r);          /* POST .../password */
int http_signin_send(struct http_req *r);              /* POST .../send */
int http_signin_verify(struct http_req *r);            /* POST .../verify */
int http_signin_register_app(struct http_req *r);      /* POST .../register/app */
int http_signin_register_activate(struct http_req *r); /* POST .../register/activate */
int http_signin_register_contact(struct http_req *r);  /* POST .../register/contact */
int http_signin_register_confirm(struct http_req *r);  /* POST .../register/confirm */
int http_signin_skip(struct http_req *r);              /* POST .../skip */
int http_signin_change_password(struct http_req *r);   /* POST .../change-password */
int http_legacy_basic(struct http_req *r);             /* GET, POST /{t}/legacy/basic */

/* http_oidc.c, http_oidc_authorize.c, http_oidc_token.c: the OpenID
 * Connect provider (docs/internals/oidc.md) */
int http_oidc_discovery(struct http_req *r);   /* GET /{t}/v2.0/.well-known/openid-configuration */
int http_oidc_jwks(struct http_req *r);        /* GET /{t}/discovery/v2.0/keys */
int http_oidc_authorize(struct http_req *r);   /* GET, POST /{t}/oauth2/v2.0/authorize */
int http_oidc_token(struct http_req *r);       /* POST /{t}/oauth2/v2.0/token */
int http_oidc_userinfo(struct http_req *r);    /* GET, POST /{t}/oauth2/v2.0/userinfo */
int http_oidc_introspect(struct http_req *r);  /* POST /{t}/oauth2/v2.0/introspect */
int http_oidc_revoke(struct http_req *r);      /* POST /{t}/oauth2/v2.0/revoke */
int http_oidc_logout(struct http_req *r);      /* GET, POST /{t}/oauth2/v2.0/logout */

/* http_graph_users.c: the admin API's users and per-user MFA (the Bearer
 * token and the role table are checked by each handler: http_graph.h) */
int http_graph_users_list(struct http_req *r);          /* GET /{t}/v1.0/users */
int http_graph_users_create(struct http_req *r);        /* POST /{t}/v1.0/users */
int http_graph_user_item(struct http_req *r);           /* GET, PATCH, DELETE /{t}/v1.0/users/{id|upn} */
int http_graph_user_requirements(struct http_req *r);   /* GET, PATCH /{t}/beta/users/{id|upn}/authentication/requirements */
int http_graph_mfa_bulk(struct http_req *r);            /* POST /{t}/tollgate/v1/perUserMfa/bulk */
/* http_graph_batch.c: JSON $batch of up to 20 requests through this table */
int http_graph_batch(struct http_req *r);               /* POST /{t}/v1.0/$batch, /{t}/beta/$batch */
/* http_graph_policy.c: security defaults and the MFA service settings */
int http_graph_security_defaults(struct http_req *r);   /* GET, PATCH /{t}/v1.0/policies/identitySecurityDefaultsEnforcementPolicy */
int http_graph_mfa_settings(struct http_req *r);        /* GET, PATCH /{t}/tollgate/v1/mfaServiceSettings */
/* http_graph_mfa.c: the users with their per-user MFA state, paged */
int http_graph_per_user_mfa_list(struct http_req *r);   /* GET /{t}/tollgate/v1/perUserMfa */
int http_graph_mfa_notices(struct http_req *r);         /* GET /{t}/tollgate/v1/mfaNotices */

/* http_graph_ca.c: Conditional Access policies, named locations,
 * templates, what-if and impact replay (docs/admin-api.md) */
int http_graph_ca_policies(struct http_req *r);   /* GET, POST /{t}/v1.0/identity/conditionalAccess/policies; GET, PATCH, DELETE .../{id} */
int http_graph_ca_locations(struct http_req *r);  /* the same for .../namedLocations */
int http_graph_ca_template(struct http_req *r);   /* POST /{t}/tollgate/v1/conditionalAccess/templates/{name} */
int http_graph_ca_whatif(struct http_req *r);     /* POST /{t}/tollgate/v1/conditionalAccess/whatIf */
int http_graph_ca_impact(struct http_req *r);     /* POST /{t}/tollgate/v1/conditionalAccess/impact */

/* http_graph_methods.c: a user's authentication methods and the helpdesk
 * actions (a "*" route segment is the user's id or UPN) */
int http_graph_methods(struct http_req *r);      /* GET /{t}/v1.0/users/{id|upn}/authentication/methods[/{id}]; GET, POST .../phoneMethods, .../emailMethods; GET .../softwareOathMethods, .../hardwareOathMethods (also /beta); GET, PATCH, DELETE .../phoneMethods/{id}; GET, DELETE the other items */
int http_graph_user_action(struct http_req *r);  /* POST /{t}/v1.0/users/{id|upn}/revokeSignInSessions; POST /{t}/tollgate/v1/users/{id|upn}/{requireReregister,revokeMfaSessions,deleteAllAppPasswords}; GET .../appPasswords */

/* http_graph_dir.c: groups, their members and directory roles */
int http_graph_groups(struct http_req *r);          /* GET, POST /{t}/v1.0/groups */
int http_graph_group_item(struct http_req *r);      /* GET, PATCH, DELETE, POST /{t}/v1.0/groups/{id}[/members…] */
int http_graph_directory_roles(struct http_req *r); /* GET /{t}/v1.0/directoryRoles…; POST, DELETE …/members/$ref */
int http_graph_user_member_of(struct http_req *r);  /* GET /{t}/v1.0/users/{id|upn}/{memberOf,transitiveMemberOf} */

/* http_graph_logs.c: the sign-in log and the directory audit log */
int http_graph_signins(struct http_req *r);          /* GET /{t}/beta/auditLogs/signIns[/{id}] */
int http_graph_directory_audits(struct http_req *r); /* GET /{t}/v1.0/auditLogs/directoryAudits */

#endif
