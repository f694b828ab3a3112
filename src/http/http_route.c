/* SPDX-License-Identifier: MIT
 * The route table (kept sorted by path, then method) and the dispatcher:
 * pick the most specific path match, then the method; 404 and 405 in
 * Graph's error shape. HEAD is answered by a GET route. */
#include <stdio.h>
#include <string.h>
#include "base/err.h"
#include "base/log.h"
#include "base/mem.h"
#include "http/http_reply.h"
#include "http/http_route.h"

static const struct http_route routes[] = {
	/* path        method  match              auth            handler  cors */
	{"/",          "GET",  HTTP_MATCH_ASSET,  HTTP_AUTH_NONE, http_static_get, HTTP_SAME_ORIGIN},
	{HTTP_ROUTE_TENANT "admin/", "GET", HTTP_MATCH_EXACT, HTTP_AUTH_NONE, http_admin_page, HTTP_SAME_ORIGIN},
	{HTTP_ROUTE_TENANT "api/signin/begin", "POST", HTTP_MATCH_EXACT, HTTP_AUTH_NONE, http_signin_begin, HTTP_SAME_ORIGIN},
	{HTTP_ROUTE_TENANT "api/signin/change-password", "POST", HTTP_MATCH_EXACT, HTTP_AUTH_NONE, http_signin_change_password, HTTP_SAME_ORIGIN},
	{HTTP_ROUTE_TENANT "api/signin/password", "POST", HTTP_MATCH_EXACT, HTTP_AUTH_NONE, http_signin_password, HTTP_SAME_ORIGIN},
	{HTTP_ROUTE_TENANT "api/signin/register/activate", "POST", HTTP_MATCH_EXACT, HTTP_AUTH_NONE, http_signin_register_activate, HTTP_SAME_ORIGIN},
	{HTTP_ROUTE_TENANT "api/signin/register/app", "POST", HTTP_MATCH_EXACT, HTTP_AUTH_NONE, http_signin_register_app, HTTP_SAME_ORIGIN},
	{HTTP_ROUTE_TENANT "api/signin/register/confirm", "POST", HTTP_MATCH_EXACT, HTTP_AUTH_NONE, http_signin_register_confirm, HTTP_SAME_ORIGIN},
	{HTTP_ROUTE_TENANT "api/signin/register/contact", "POST", HTTP_MATCH_EXACT, HTTP_AUTH_NONE, http_signin_register_contact, HTTP_SAME_ORIGIN},
	{HTTP_ROUTE_TENANT "api/signin/send", "POST", HTTP_MATCH_EXACT, HTTP_AUTH_NONE, http_signin_send, HTTP_SAME_ORIGIN},
	{HTTP_ROUTE_TENANT "api/signin/skip", "POST", HTTP_MATCH_EXACT, HTTP_AUTH_NONE, http_signin_skip, HTTP_SAME_ORIGIN},
	{HTTP_ROUTE_TENANT "api/signin/state", "GET", HTTP_MATCH_EXACT, HTTP_AUTH_NONE, http_signin_state, HTTP_SAME_ORIGIN},
	{HTTP_ROUTE_TENANT "api/signin/verify", "POST", HTTP_MATCH_EXACT, HTTP_AUTH_NONE, http_signin_verify, HTTP_SAME_ORIGIN},
	{HTTP_ROUTE_TENANT "beta/$batch", "POST", HTTP_MATCH_EXACT, HTTP_AUTH_NONE, http_graph_batch, HTTP_SAME_ORIGIN},
	{HTTP_ROUTE_TENANT "beta/auditLogs/signIns", "GET", HTTP_MATCH_EXACT, HTTP_AUTH_NONE, http_graph_signins, HTTP_SAME_ORIGIN},
	{HTTP_ROUTE_TENANT "beta/auditLogs/signIns/", "GET", HTTP_MATCH_PREFIX, HTTP_AUTH_NONE, http_graph_signins, HTTP_SAME_ORIGIN},
	{HTTP_ROUTE_TENANT "beta/users/", "GET", HTTP_MATCH_PREFIX, HTTP_AUTH_NONE, http_graph_user_requirements, HTTP_SAME_ORIGIN},
	{HTTP_ROUTE_TENANT "beta/users/", "PATCH", HTTP_MATCH_PREFIX, HTTP_AUTH_NONE, http_graph_user_requirements, HTTP_SAME_ORIGIN},
	{HTTP_ROUTE_TENANT "beta/users/*/authentication/hardwareOathMethods", "GET", HTTP_MATCH_EXACT, HTTP_AUTH_NONE, http_graph_methods, HTTP_SAME_ORIGIN},
	{HTTP_ROUTE_TENANT "beta/users/*/authentication/hardwareOathMethods/", "DELETE", HTTP_MATCH_PREFIX, HTTP_AUTH_NONE, http_graph_methods, HTTP_SAME_ORIGIN},
	{HTTP_ROUTE_TENANT "beta/users/*/authentication/hardwareOathMethods/", "GET", HTTP_MATCH_PREFIX, HTTP_AUTH_NONE, http_graph_methods, HTTP_SAME_ORIGIN},
	{HTTP_ROUTE_TENANT "discovery/v2.0/keys", "GET", HTTP_MATCH_EXACT, HTTP_AUTH_NONE, http_oidc_jwks, HTTP_CORS},
	{HTTP_ROUTE_TENANT "legacy/basic", "GET", HTTP_MATCH_EXACT, HTTP_AUTH_NONE, http_legacy_basic, HTTP_SAME_ORIGIN},
	{HTTP_ROUTE_TENANT "legacy/basic", "POST", HTTP_MATCH_EXACT, HTTP_AUTH_NONE, http_legacy_basic, HTTP_SAME_ORIGIN},
	{HTTP_ROUTE_TENANT "oauth2/v2.0/authorize", "GET", HTTP_MATCH_EXACT, HTTP_AUTH_NONE, http_oidc_authorize, HTTP_SAME_ORIGIN},
	{HTTP_ROUTE_TENANT "oauth2/v2.0/authorize", "POST", HTTP_MATCH_EXACT, HTTP_AUTH_NONE, http_oidc_authorize, HTTP_SAME_ORIGIN},
	{HTTP_ROUTE_TENANT "oauth2/v2.0/introspect", "POST", HTTP_MATCH_EXACT, HTTP_AUTH_NONE, http_oidc_introspect, HTTP_CORS},
	{HTTP_ROUTE_TENANT "oauth2/v2.0/logout", "GET", HTTP_MATCH_EXACT, HTTP_AUTH_NONE, http_oidc_logout, HTTP_SAME_ORIGIN},
	{HTTP_ROUTE_TENANT "oauth2/v2.0/logout", "POST", HTTP_MATCH_EXACT, HTTP_AUTH_NONE, http_oidc_logout, HTTP_SAME_ORIGIN},
	{HTTP_ROUTE_TENANT "oauth2/v2.0/revoke", "POST", HTTP_MATCH_EXACT, HTTP_AUTH_NONE, http_oidc_revoke, HTTP_CORS},
	{HTTP_ROUTE_TENANT "oauth2/v2.0/token", "POST", HTTP_MATCH_EXACT, HTTP_AUTH_NONE, http_oidc_token, HTTP_CORS},
	{HTTP_ROUTE_TENANT "oauth2/v2.0/userinfo", "GET", HTTP_MATCH_EXACT, HTTP_AUTH_NONE, http_oidc_userinfo, HTTP_CORS},
	{HTTP_ROUTE_TENANT "oauth2/v2.0/userinfo", "POST", HTTP_MATCH_EXACT, HTTP_AUTH_NONE, http_oidc_userinfo, HTTP_CORS},
	{HTTP_ROUTE_TENANT "signin/", "GET", HTTP_MATCH_EXACT, HTTP_AUTH_NONE, http_signin_page, HTTP_SAME_ORIGIN},
	{HTTP_ROUTE_TENANT "tollgate/v1/conditionalAccess/impact", "POST", HTTP_MATCH_EXACT, HTTP_AUTH_NONE, http_graph_ca_impact, HTTP_SAME_ORIGIN},
	{HTTP_ROUTE_TENANT "tollgate/v1/conditionalAccess/templates/", "POST", HTTP_MATCH_PREFIX, HTTP_AUTH_NONE, http_graph_ca_template, HTTP_SAME_ORIGIN},
	{HTTP_ROUTE_TENANT "tollgate/v1/conditionalAccess/whatIf", "POST", HTTP_MATCH_EXACT, HTTP_AUTH_NONE, http_graph_ca_whatif, HTTP_SAME_ORIGIN},
	{HTTP_ROUTE_TENANT "tollgate/v1/mfaNotices", "GET", HTTP_MATCH_EXACT, HTTP_AUTH_NONE, http_graph_mfa_notices, HTTP_SAME_ORIGIN},
	{HTTP_ROUTE_TENANT "tollgate/v1/mfaServiceSettings", "GET", HTTP_MATCH_EXACT, HTTP_AUTH_NONE, http_graph_mfa_settings, HTTP_SAME_ORIGIN},
	{HTTP_ROUTE_TENANT "tollgate/v1/mfaServiceSettings", "PATCH", HTTP_MATCH_EXACT, HTTP_AUTH_NONE, http_graph_mfa_settings, HTTP_SAME_ORIGIN},
	{HTTP_ROUTE_TENANT "tollgate/v1/perUserMfa", "GET", HTTP_MATCH_EXACT, HTTP_AUTH_NONE, http_graph_per_user_mfa_list, HTTP_SAME_ORIGIN},
	{HTTP_ROUTE_TENANT "tollgate/v1/perUserMfa/bulk", "POST", HTTP_MATCH_EXACT, HTTP_AUTH_NONE, http_graph_mfa_bulk, HTTP_SAME_ORIGIN},
	{HTTP_ROUTE_TENANT "tollgate/v1/users/*/appPasswords", "GET", HTTP_MATCH_EXACT, HTTP_AUTH_NONE, http_graph_user_action, HTTP_SAME_ORIGIN},
	{HTTP_ROUTE_TENANT "tollgate/v1/users/*/deleteAllAppPasswords", "POST", HTTP_MATCH_EXACT, HTTP_AUTH_NONE, http_graph_user_action, HTTP_SAME_ORIGIN},
	{HTTP_ROUTE_TENANT "tollgate/v1/users/*/requireReregister", "POST", HTTP_MATCH_EXACT, HTTP_AUTH_NONE, http_graph_user_action, HTTP_SAME_ORIGIN},
	{HTTP_ROUTE_TENANT "tollgate/v1/users/*/revokeMfaSessions", "POST", HTTP_MATCH_EXACT, HTTP_AUTH_NONE, http_graph_user_action, HTTP_SAME_ORIGIN},
	{HTTP_ROUTE_TENANT "v1.0/$batch", "POST", HTTP_MATCH_EXACT, HTTP_AUTH_NONE, http_graph_batch, HTTP_SAME_ORIGIN},
	{HTTP_ROUTE_TENANT "v1.0/auditLogs/directoryAudits", "GET", HTTP_MATCH_EXACT, HTTP_AUTH_NONE, http_graph_directory_audits, HTTP_SAME_ORIGIN},
	{HTTP_ROUTE_TENANT "v1.0/directoryRoles", "GET", HTTP_MATCH_EXACT, HTTP_AUTH_NONE, http_graph_directory_roles, HTTP_SAME_ORIGIN},
	{HTTP_ROUTE_TENANT "v1.0/directoryRoles(", "GET", HTTP_MATCH_PREFIX, HTTP_AUTH_NONE, http_graph_directory_roles, HTTP_SAME_ORIGIN},
	{HTTP_ROUTE_TENANT "v1.0/directoryRoles/", "DELETE", HTTP_MATCH_PREFIX, HTTP_AUTH_NONE, http_graph_directory_roles, HTTP_SAME_ORIGIN},
	{HTTP_ROUTE_TENANT "v1.0/directoryRoles/", "GET", HTTP_MATCH_PREFIX, HTTP_AUTH_NONE, http_graph_directory_roles, HTTP_SAME_ORIGIN},
	{HTTP_ROUTE_TENANT "v1.0/directoryRoles/", "POST", HTTP_MATCH_PREFIX, HTTP_AUTH_NONE, http_graph_directory_roles, HTTP_SAME_ORIGIN},
	{HTTP_ROUTE_TENANT "v1.0/groups", "GET", HTTP_MATCH_EXACT, HTTP_AUTH_NONE, http_graph_groups, HTTP_SAME_ORIGIN},
	{HTTP_ROUTE_TENANT "v1.0/groups", "POST", HTTP_MATCH_EXACT, HTTP_AUTH_NONE, http_graph_groups, HTTP_SAME_ORIGIN},
	{HTTP_ROUTE_TENANT "v1.0/groups/", "DELETE", HTTP_MATCH_PREFIX, HTTP_AUTH_NONE, http_graph_group_item, HTTP_SAME_ORIGIN},
	{HTTP_ROUTE_TENANT "v1.0/groups/", "GET", HTTP_MATCH_PREFIX, HTTP_AUTH_NONE, http_graph_group_item, HTTP_SAME_ORIGIN},
	{HTTP_ROUTE_TENANT "v1.0/groups/", "PATCH", HTTP_MATCH_PREFIX, HTTP_AUTH_NONE, http_graph_group_item, HTTP_SAME_ORIGIN},
	{HTTP_ROUTE_TENANT "v1.0/groups/", "POST", HTTP_MATCH_PREFIX, HTTP_AUTH_NONE, http_graph_group_item, HTTP_SAME_ORIGIN},
	{HTTP_ROUTE_TENANT "v1.0/identity/conditionalAccess/namedLocations", "GET", HTTP_MATCH_EXACT, HTTP_AUTH_NONE, http_graph_ca_locations, HTTP_SAME_ORIGIN},
	{HTTP_ROUTE_TENANT "v1.0/identity/conditionalAccess/namedLocations", "POST", HTTP_MATCH_EXACT, HTTP_AUTH_NONE, http_graph_ca_locations, HTTP_SAME_ORIGIN},
	{HTTP_ROUTE_TENANT "v1.0/identity/conditionalAccess/namedLocations/", "DELETE", HTTP_MATCH_PREFIX, HTTP_AUTH_NONE, http_graph_ca_locations, HTTP_SAME_ORIGIN},
	{HTTP_ROUTE_TENANT "v1.0/identity/conditionalAccess/namedLocations/", "GET", HTTP_MATCH_PREFIX, HTTP_AUTH_NONE, http_graph_ca_locations, HTTP_SAME_ORIGIN},
	{HTTP_ROUTE_TENANT "v1.0/identity/conditionalAccess/namedLocations/", "PATCH", HTTP_MATCH_PREFIX, HTTP_AUTH_NONE, http_graph_ca_locations, HTTP_SAME_ORIGIN},
	{HTTP_ROUTE_TENANT "v1.0/identity/conditionalAccess/policies", "GET", HTTP_MATCH_EXACT, HTTP_AUTH_NONE, http_graph_ca_policies, HTTP_SAME_ORIGIN},
	{HTTP_ROUTE_TENANT "v1.0/identity/conditionalAccess/policies", "POST", HTTP_MATCH_EXACT, HTTP_AUTH_NONE, http_graph_ca_policies, HTTP_SAME_ORIGIN},
	{HTTP_ROUTE_TENANT "v1.0/identity/conditionalAccess/policies/", "DELETE", HTTP_MATCH_PREFIX, HTTP_AUTH_NONE, http_graph_ca_policies, HTTP_SAME_ORIGIN},
	{HTTP_ROUTE_TENANT "v1.0/identity/conditionalAccess/policies/", "GET", HTTP_MATCH_PREFIX, HTTP_AUTH_NONE, http_graph_ca_policies, HTTP_SAME_ORIGIN},
	{HTTP_ROUTE_TENANT "v1.0/identity/conditionalAccess/policies/", "PATCH", HTTP_MATCH_PREFIX, HTTP_AUTH_NONE, http_graph_ca_policies, HTTP_SAME_ORIGIN},
	{HTTP_ROUTE_TENANT "v1.0/policies/identitySecurityDefaultsEnforcementPolicy", "GET", HTTP_MATCH_EXACT, HTTP_AUTH_NONE, http_graph_security_defaults, HTTP_SAME_ORIGIN},
	{HTTP_ROUTE_TENANT "v1.0/policies/identitySecurityDefaultsEnforcementPolicy", "PATCH", HTTP_MATCH_EXACT, HTTP_AUTH_NONE, http_graph_security_defaults, HTTP_SAME_ORIGIN},
	{HTTP_ROUTE_TENANT "v1.0/users", "GET", HTTP_MATCH_EXACT, HTTP_AUTH_NONE, http_graph_users_list, HTTP_SAME_ORIGIN},
	{HTTP_ROUTE_TENANT "v1.0/users", "POST", HTTP_MATCH_EXACT, HTTP_AUTH_NONE, http_graph_users_create, HTTP_SAME_ORIGIN},
	{HTTP_ROUTE_TENANT "v1.0/users/", "DELETE", HTTP_MATCH_PREFIX, HTTP_AUTH_NONE, http_graph_user_item, HTTP_SAME_ORIGIN},
	{HTTP_ROUTE_TENANT "v1.0/users/", "GET", HTTP_MATCH_PREFIX, HTTP_AUTH_NONE, http_graph_user_item, HTTP_SAME_ORIGIN},
	{HTTP_ROUTE_TENANT "v1.0/users/", "PATCH", HTTP_MATCH_PREFIX, HTTP_AUTH_NONE, http_graph_user_item, HTTP_SAME_ORIGIN},
	{HTTP_ROUTE_TENANT "v1.0/users/*/authentication/emailMethods", "GET", HTTP_MATCH_EXACT, HTTP_AUTH_NONE, http_graph_methods, HTTP_SAME_ORIGIN},
	{HTTP_ROUTE_TENANT "v1.0/users/*/authentication/emailMethods", "POST", HTTP_MATCH_EXACT, HTTP_AUTH_NONE, http_graph_methods, HTTP_SAME_ORIGIN},
	{HTTP_ROUTE_TENANT "v1.0/users/*/authentication/emailMethods/", "DELETE", HTTP_MATCH_PREFIX, HTTP_AUTH_NONE, http_graph_methods, HTTP_SAME_ORIGIN},
	{HTTP_ROUTE_TENANT "v1.0/users/*/authentication/emailMethods/", "GET", HTTP_MATCH_PREFIX, HTTP_AUTH_NONE, http_graph_methods, HTTP_SAME_ORIGIN},
	{HTTP_ROUTE_TENANT "v1.0/users/*/authentication/hardwareOathMethods", "GET", HTTP_MATCH_EXACT, HTTP_AUTH_NONE, http_graph_methods, HTTP_SAME_ORIGIN},
	{HTTP_ROUTE_TENANT "v1.0/users/*/authentication/hardwareOathMethods/", "DELETE", HTTP_MATCH_PREFIX, HTTP_AUTH_NONE, http_graph_methods, HTTP_SAME_ORIGIN},
	{HTTP_ROUTE_TENANT "v1.0/users/*/authentication/hardwareOathMethods/", "GET", HTTP_MATCH_PREFIX, HTTP_AUTH_NONE, http_graph_methods, HTTP_SAME_ORIGIN},
	{HTTP_ROUTE_TENANT "v1.0/users/*/authentication/methods", "GET", HTTP_MATCH_EXACT, HTTP_AUTH_NONE, http_graph_methods, HTTP_SAME_ORIGIN},
	{HTTP_ROUTE_TENANT "v1.0/users/*/authentication/methods/", "GET", HTTP_MATCH_PREFIX, HTTP_AUTH_NONE, http_graph_methods, HTTP_SAME_ORIGIN},
	{HTTP_ROUTE_TENANT "v1.0/users/*/authentication/phoneMethods", "GET", HTTP_MATCH_EXACT, HTTP_AUTH_NONE, http_graph_methods, HTTP_SAME_ORIGIN},
	{HTTP_ROUTE_TENANT "v1.0/users/*/authentication/phoneMethods", "POST", HTTP_MATCH_EXACT, HTTP_AUTH_NONE, http_graph_methods, HTTP_SAME_ORIGIN},
	{HTTP_ROUTE_TENANT "v1.0/users/*/authentication/phoneMethods/", "DELETE", HTTP_MATCH_PREFIX, HTTP_AUTH_NONE, http_graph_methods, HTTP_SAME_ORIGIN},
	{HTTP_ROUTE_TENANT "v1.0/users/*/authentication/phoneMethods/", "GET", HTTP_MATCH_PREFIX, HTTP_AUTH_NONE, http_graph_methods, HTTP_SAME_ORIGIN},
	{HTTP_ROUTE_TENANT "v1.0/users/*/authentication/phoneMethods/", "PATCH", HTTP_MATCH_PREFIX, HTTP_AUTH_NONE, http_graph_methods, HTTP_SAME_ORIGIN},
	{HTTP_ROUTE_TENANT "v1.0/users/*/authentication/softwareOathMethods", "GET", HTTP_MATCH_EXACT, HTTP_AUTH_NONE, http_graph_methods, HTTP_SAME_ORIGIN},
	{HTTP_ROUTE_TENANT "v1.0/users/*/authentication/softwareOathMethods/", "DELETE", HTTP_MATCH_PREFIX, HTTP_AUTH_NONE, http_graph_methods, HTTP_SAME_ORIGIN},
	{HTTP_ROUTE_TENANT "v1.0/users/*/authentication/softwareOathMethods/", "GET", HTTP_MATCH_PREFIX, HTTP_AUTH_NONE, http_graph_methods, HTTP_SAME_ORIGIN},
	{HTTP_ROUTE_TENANT "v1.0/users/*/memberOf", "GET", HTTP_MATCH_EXACT, HTTP_AUTH_NONE, http_graph_user_member_of, HTTP_SAME_ORIGIN},
	{HTTP_ROUTE_TENANT "v1.0/users/*/revokeSignInSessions", "POST", HTTP_MATCH_EXACT, HTTP_AUTH_NONE, http_graph_user_action, HTTP_SAME_ORIGIN},
	{HTTP_ROUTE_TENANT "v1.0/users/*/transitiveMemberOf", "GET", HTTP_MATCH_EXACT, HTTP_AUTH_NONE, http_graph_user_member_of, HTTP_SAME_ORIGIN},
	{HTTP_ROUTE_TENANT "v2.0/.well-known/openid-configuration", "GET", HTTP_MATCH_EXACT, HTTP_AUTH_NONE, http_oidc_discovery, HTTP_CORS},
	{"/healthz",   "GET",  HTTP_MATCH_EXACT,  HTTP_AUTH_NONE, http_health_live, HTTP_SAME_ORIGIN},
	{"/readyz",    "GET",  HTTP_MATCH_EXACT,  HTTP_AUTH_NONE, http_health_ready, HTTP_SAME_ORIGIN},
};

bool http_route_table_is_sorted(void)
{
	for (size_t i = 1; i < TG_ARRAY_LEN(routes); i++) {
		int c = strcmp(routes[i - 1].path, routes[i].path);
		if (c > 0 || (c == 0 && strcmp(routes[i - 1].method, routes[i].method) >= 0))
			return false;
	}
	return true;
}

/* Match the rest of a tenant route: want ("/...") against s, where a
 * segment of want that is exactly "*" matches one non-empty segment of s.
 * prefix: s may go on after want. */
static bool rest_match(const char *want, const char *s, bool prefix)
{
	while (*want) {
		if (want[0] == '*' && want[-1] == '/' && (want[1] == '/' || want[1] == '\0')) {
			size_t seg = strcspn(s, "/");
			if (seg == 0)
				return false;
			s += seg;
			want++;
			continue;
		}
		if (*want++ != *s++)
			return false;
	}
	return prefix || *s == '\0';
}

/* How well route t matches path: 0 = not at all; higher is more specific.
 * A route path starting with HTTP_ROUTE_TENANT (slash, star, slash) stands for any
 * one non-empty first segment (the tenant name, http_app_tenant) followed
 * by the rest, in which a "*" segment stands for any one non-empty segment
 * ("/" "*" "/v1.0/users/" "*" "/revokeSignInSessions"); a literal EXACT
 * route beats an EXACT route with such a segment, which beats any PREFIX. */
static size_t match_score(const struct http_route *t, const char *path)
{
	size_t n = strlen(t->path);
	if (strncmp(t->path, HTTP_ROUTE_TENANT, sizeof HTTP_ROUTE_TENANT - 1) == 0) {
		const char *rest = strchr(path + 1, '/');
		if (path[0] != '/' || !rest || rest == path + 1)
			return 0;
		const char *want = t->path + sizeof HTTP_ROUTE_TENANT - 2;   /* "/..." */
		switch (t->match) {
		case HTTP_MATCH_EXACT:
			if (!rest_match(want, rest, false))
				return 0;
			return strstr(want, "/*") ? SIZE_MAX - 2 : SIZE_MAX - 1;
		case HTTP_MATCH_PREFIX:
			return rest_match(want, rest, true) ? n + 1 : 0;
		case HTTP_MATCH_ASSET:
			return 0;
		}
		return 0;
	}
	switch (t->match) {
	case HTTP_MATCH_EXACT:
		return strcmp(path, t->path) == 0 ? SIZE_MAX : 0;
	case HTTP_MATCH_PREFIX:
		return strncmp(path, t->path, n) == 0 ? n + 1 : 0;
	case HTTP_MATCH_ASSET:
		return strncmp(path, t->path, n) == 0 && http_static_exists(path) ? 1 : 0;
	}
	return 0;
}

static bool same_spec(const struct http_route *a, const struct http_route *b)
{
	return a->match == b->match && strcmp(a->path, b->path) == 0;
}

static bool method_is(const char *method, const char *want)
{
	return strcmp(method, want) == 0;
}

static int reply_405(struct http_req *r, const struct http_route *best)
{
	char allow[256] = "";
	size_t used = 0;
	bool has_get = false;
	for (size_t i = 0; i < TG_ARRAY_LEN(routes); i++) {
		if (!same_spec(&routes[i], best))
			continue;
		has_get |= method_is(routes[i].method, "GET");
		int n = snprintf(allow + used, sizeof allow - used, "%s%s",
		                 used ? ", " : "", routes[i].method);
		if (n < 0 || (size_t)n >= sizeof allow - used)
			break;
		used += (size_t)n;
	}
	if (has_get)
		snprintf(allow + used, sizeof allow - used, "%sHEAD", used ? ", " : "");

	size_t len;
	struct MHD_Response *resp = http_error_response(r, 405, "Request_MethodNotAllowed",
		"The method is not allowed for this resource.", &len);
	if (resp && MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, allow) != MHD_YES) {
		MHD_destroy_response(resp);
		resp = NULL;
	}
	return http_reply_queue(r, 405, resp, len);
}

/* OPTIONS on a CORS route: the preflight answer (204, no body). */
static int reply_preflight(struct http_req *r, const struct http_route *best)
{
	char methods[128] = "";
	size_t used = 0;
	for (size_t i = 0; i < TG_ARRAY_LEN(routes); i++) {
		if (!same_spec(&routes[i], best) || !routes[i].cors)
			continue;
		int n = snprintf(methods + used, sizeof methods - used, "%s%s", used ? ", " : "",
		                 routes[i].method);
		if (n < 0 || (size_t)n >= sizeof methods - used)
			break;
		used += (size_t)n;
	}
	struct MHD_Response *resp = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
	if (!resp)
		return http_reply_queue(r, 500, NULL, 0);
	bool ok = MHD_add_response_header(resp, "Access-Control-Allow-Methods", methods) == MHD_YES &&
	          MHD_add_response_header(resp, "Access-Control-Allow-Headers",
	                                  "Authorization, Content-Type") == MHD_YES &&
	          MHD_add_response_header(resp, "Access-Control-Max-Age", "600") == MHD_YES;
	if (!ok) {
		MHD_destroy_response(resp);
		return http_reply_queue(r, 500, NULL, 0);
	}
	return http_reply_queue(r, 204, resp, 0);
}

static bool spec_has_cors(const struct http_route *best)
{
	for (size_t i = 0; i < TG_ARRAY_LEN(routes); i++)
		if (same_spec(&routes[i], best) && routes[i].cors)
			return true;
	return false;
}

int http_route_dispatch(struct http_req *r)
{
	const struct http_route *best = NULL;
	size_t best_score = 0;
	for (size_t i = 0; i < TG_ARRAY_LEN(routes); i++) {
		size_t s = match_score(&routes[i], r->path);
		if (s > best_score) {
			best_score = s;
			best = &routes[i];
		}
	}
	if (!best)
		return http_reply_error(r, 404, "Request_ResourceNotFound",
		                        "The resource was not found.");

	if (method_is(r->method, "OPTIONS") && spec_has_cors(best)) {
		r->cors = true;
		return reply_preflight(r, best);
	}
	const char *want = http_req_is_head(r) ? "GET" : r->method;
	const struct http_route *route = NULL;
	for (size_t i = 0; i < TG_ARRAY_LEN(routes) && !route; i++)
		if (same_spec(&routes[i], best) && method_is(routes[i].method, want))
			route = &routes[i];
	if (!route)
		return reply_405(r, best);

	r->cors = route->cors;
	switch (route->auth) {
	case HTTP_AUTH_NONE:
		break;
	default:
		/* an auth level this dispatcher cannot check: refuse */
		log_error("route %s %s has unknown auth level %d", route->method,
		          route->path, (int)route->auth);
		return http_reply_err(r, TG_ERR_INTERNAL, NULL);
	}

	int ret = route->handler(r);
	if (ret != TG_OK) {
		if (r->replied) {
			/* answered and then failed: the answer stands */
			log_warn("handler for %s returned %s after answering",
			         route->path, tg_errname(ret));
			return TG_OK;
		}
		return http_reply_err(r, ret, NULL);
	}
	if (!r->replied) {
		log_error("handler for %s returned TG_OK without answering", route->path);
		return http_reply_err(r, TG_ERR_INTERNAL, NULL);
	}
	return TG_OK;
}
