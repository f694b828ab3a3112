/* SPDX-License-Identifier: MIT
 * The service context behind the HTTP handlers (the opaque `app` of struct
 * http_opts): what is loaded once for the whole server (configuration,
 * master keys, the shared policy-snapshot cache, trusted proxies) and what
 * each worker thread owns (a store handle and the svc / svc_oidc /
 * svc_auth / svc_flow structs over it). Plus the request helpers every
 * tenant-scoped handler needs: the tenant from the first path segment, the
 * client IP (trusted-proxy rule), HTTPS detection and cookies.
 *
 * Use in a handler:
 *
 *   struct http_ctx *c;
 *   struct tg_tenant t;
 *   int e = http_ctx_get(r, &c);                 // this thread's services
 *   if (e) return e;                             // 503 through the table
 *   if ((e = http_app_tenant(r, c, &t))) return e;  // 404 for unknown tenants
 *   ... svc_session_get(&c->oidc, &t, http_cookie(r, http_session_cookie_name(r)), ...)
 *
 * Threading: struct http_app is created before the server starts, read-only
 * afterwards (the policy cache locks itself), and freed after the server
 * stopped. A struct http_ctx belongs to the worker thread that created it
 * (libmicrohttpd runs every callback of a connection on one worker), is made
 * on that thread's first request and closed when the thread exits (or by
 * http_app_free). Never keep a pointer to it beyond the request.
 * Design: docs/internals/signin-flow.md ("Service context"). */
#ifndef TG_HTTP_HTTP_APP_H
#define TG_HTTP_HTTP_APP_H
#include <stdbool.h>
#include <stddef.h>
#include "core/cidr.h"
#include "core/model.h"
#include "crypto/keys.h"
#include "http/http_req.h"
#include "svc/config.h"
#include "svc/svc.h"
#include "svc/svc_auth.h"
#include "svc/svc_flow.h"
#include "svc/svc_oidc.h"
#include "svc/svc_policy.h"
#include "svc/svc_signkeys.h"

struct http_app;

/* One worker thread's services. All four service structs share `store`;
 * their pointers to keys, config and cache point into the app. */
struct http_ctx {
	struct http_app *app;
	struct store *store;        /* this thread's handle */
	struct svc sv;              /* actor reset to "http" and err cleared per request */
	struct svc_oidc oidc;       /* sessions, devices, apps, codes, refresh tokens */
	struct svc_auth auth;       /* methods: TOTP, codes, recovery, app passwords, lockout */
	struct svc_flow flow;       /* the sign-in flow and svc_flow_check_session */
};

/* Load what the server shares: a copy of *cfg, the master key file
 * (cfg->key_path), a policy cache, the trusted-proxy list
 * (cfg->trusted_proxies). Also makes sure every tenant has its built-in
 * apps (one short-lived store handle). *out only on TG_OK; free with
 * http_app_free. Errors: those of keys_load and store_open, with a log
 * line naming the cause. */
int http_app_new(const struct tg_config *cfg, struct http_app **out);
/* Close every thread context left and free the app. Call only after
 * http_server_stop(). Accepts NULL. */
void http_app_free(struct http_app *a);

/* The configuration copy, the keys and the shared policy cache (borrowed). */
const struct tg_config *http_app_config(const struct http_app *a);
const struct keys *http_app_keys(const struct http_app *a);
struct svc_policy_cache *http_app_policy_cache(struct http_app *a);
/* The token signing keys of every tenant (svc_signkeys.h; thread-safe). */
struct svc_signkeys_cache *http_app_signkeys(struct http_app *a);

/* This worker thread's context, opened on first use (a store handle per
 * thread). Resets sv.actor to "http" and sv.err for the request. Returns
 * TG_OK, or TG_ERR_UNAVAILABLE when the server has no app or the database
 * cannot be opened (logged; answer 503). */
int http_ctx_get(struct http_req *r, struct http_ctx **out) __attribute__((warn_unused_result));

/* ---- tenant-scoped paths: /{tenant}/... ---------------------------------- */

/* The tenant named by the first path segment (tenant name, matched as the
 * directory stores it; an id is accepted too). TG_OK; TG_ERR_NOT_FOUND for
 * an unknown or malformed name (the dispatcher answers 404); store errors. */
int http_app_tenant(struct http_req *r, struct http_ctx *c, struct tg_tenant *out)
	__attribute__((warn_unused_result));
/* The path after the tenant segment: "/contoso/signin/" -> "/signin/";
 * "" when the path has only one segment. Points into r->path. */
const char *http_req_subpath(const struct http_req *r);

/* ---- client ------------------------------------------------------------- */

/* The client's address (SPEC §9, issue 5 item 5): the connection's peer
 * address; X-Forwarded-For (the right-most address that is not itself a
 * trusted proxy) or, without it, Forwarded's for= is honoured ONLY when the
 * peer is in the configured trusted_proxies. Never fails: an unusable
 * header is ignored and the peer address used. text_out gets the canonical
 * text (CIDR_STRLEN bytes), ip_out (may be NULL) the parsed address (family
 * 0 when even the peer address is unknown). */
void http_client_ip(const struct http_req *r, char text_out[CIDR_STRLEN], struct cidr_ip *ip_out);
/* true when the client reached us over HTTPS: public_url is https://, or a
 * trusted proxy said X-Forwarded-Proto: https. Decides Secure cookies and
 * the __Host- prefix. */
bool http_req_is_https(const struct http_req *r);
/* The Origin the browser should send for this server: public_url's
 * scheme://host[:port] when configured, else built from the Host header
 * and http_req_is_https(). out is always NUL-terminated; false when it
 * cannot be determined (no Host). */
bool http_req_own_origin(const struct http_req *r, char *out, size_t size);

/* ---- cookies ------------------------------------------------------------ */

/* Session cookie names (CONTRACT with the OIDC provider, documented in
 * docs/internals/signin-flow.md): "__Host-tg_session" (Secure) over HTTPS,
 * "tg_session" on plain HTTP (the loopback development exception). */
#define HTTP_COOKIE_SESSION        "tg_session"
#define HTTP_COOKIE_SESSION_SECURE "__Host-tg_session"
#define HTTP_COOKIE_DEVICE         "tg_device"

/* The session cookie name for this request (by http_req_is_https). */
const char *http_session_cookie_name(const struct http_req *r);
/* A request cookie's value or NULL (libmicrohttpd-owned string). */
const char *http_cookie(const struct http_req *r, const char *name);

#endif
