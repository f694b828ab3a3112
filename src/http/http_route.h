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

struct http_route {
	const char *path;
	const char *method;   /* "GET" also answers HEAD */
	enum http_match match;
	enum http_auth auth;
	http_handler handler;
};

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

#endif
