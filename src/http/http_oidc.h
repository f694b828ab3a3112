/* SPDX-License-Identifier: MIT
 * Private to the OpenID Connect endpoint files (http_oidc.c,
 * http_oidc_authorize.c, http_oidc_token.c): the per-request set-up every
 * endpoint shares (service context, tenant, issuer, signing keys), OAuth
 * error answers (RFC 6749 §5.2 shape, not Graph's) and request parsing.
 * The handlers themselves are declared in http_route.h.
 * Design: docs/internals/oidc.md. */
#ifndef TG_HTTP_HTTP_OIDC_H
#define TG_HTTP_HTTP_OIDC_H
#include <stdbool.h>
#include <jansson.h>
#include "core/form.h"
#include "core/oidc.h"
#include "http/http_app.h"
#include "http/http_req.h"
#include "svc/svc_jwt.h"
#include "svc/svc_signkeys.h"

#define OIDC_URL_MAX 512              /* base, issuer and tenant URLs */

/* One OpenID Connect request's context. */
struct oidc_call {
	struct http_ctx *c;                /* this thread's services */
	struct tg_tenant t;
	char base[OIDC_URL_MAX];           /* public_url or http://loopback-host */
	char tenant_url[OIDC_URL_MAX];     /* base/tenant: endpoints live under it */
	char issuer[OIDC_URL_MAX];         /* tenant_url/v2.0 */
	struct svc_signring *ring;         /* NULL until http_oidc_ring */
	struct svc_jwt_ctx jc;             /* valid after http_oidc_ring */
};

/* Set up oc for request r: the thread's services, the tenant of the first
 * path segment, the base URL and issuer. Returns TG_OK, or a tg_err the
 * handler returns as it is (unknown tenant: 404; no database: 503), or
 * TG_OK after answering 400 itself when no issuer can be derived (no
 * public_url and a Host that is not a loopback name): check r->replied. */
int http_oidc_begin(struct http_req *r, struct oidc_call *oc) __attribute__((warn_unused_result));
/* Load the tenant's signing keys into oc (creating them on first use). */
int http_oidc_ring(struct http_req *r, struct oidc_call *oc) __attribute__((warn_unused_result));
/* Release what oc holds. Accepts a call whose begin failed. */
void http_oidc_end(struct oidc_call *oc);

/* Answer an OAuth error: {"error":…,"error_description":…} with
 * Cache-Control: no-store and Pragma: no-cache (RFC 6749 §5.1, §5.2).
 * invalid_client answers 401 with WWW-Authenticate: Basic when the client
 * tried HTTP Basic (basic_tried), as §5.2 asks. description may be NULL. */
int http_oidc_reply_error(struct http_req *r, unsigned status, enum oidc_error e,
                          const char *description, bool basic_tried);
/* A protected resource's refusal (RFC 6750 §3): 401 with
 * WWW-Authenticate: Bearer realm=…, error="invalid_token" (or no error
 * attribute when no token was sent) and the JSON error body. */
int http_oidc_reply_bearer_error(struct http_req *r, const struct oidc_call *oc, bool token_sent,
                                 const char *description);
/* A JSON body with the no-store / no-cache headers of token answers. */
int http_oidc_reply_json_take(struct http_req *r, unsigned status, json_t *j);

/* Parse a POST body (application/x-www-form-urlencoded, at most
 * TG_MAX_OIDC_BODY bytes) into f. TG_OK; TG_ERR_UNSUPPORTED (another
 * Content-Type), TG_ERR_TOO_LARGE, TG_ERR_INVALID (form_parse). */
int http_oidc_parse_body(struct http_req *r, struct form *f) __attribute__((warn_unused_result));
/* The same, answering the OAuth error itself (415, 413, 400
 * invalid_request) and returning false when it fails. */
bool http_oidc_parse_body_or_reply(struct http_req *r, struct form *f);
/* The query string arguments into f, with form_add's rules (a repeated
 * parameter is TG_ERR_INVALID). */
int http_oidc_parse_query(struct http_req *r, struct form *f) __attribute__((warn_unused_result));

/* Authenticate the client of a token, introspection or revocation request
 * (client_secret_basic, client_secret_post, or a public client's
 * client_id). On failure answers invalid_client (401) itself and returns
 * false; *app_out is the app on success. */
bool http_oidc_client_or_reply(struct http_req *r, struct oidc_call *oc, const struct form *f,
                               struct store_app *app_out);

#endif
