/* SPDX-License-Identifier: MIT
 * Responses: the tg_err -> HTTP table, Graph-shaped errors, JSON bodies and
 * the single place where every response gets its security headers
 * (http_reply_queue). Memory modes: JSON text comes from json_dumps()
 * (malloc) and is handed to libmicrohttpd with MHD_RESPMEM_MUST_FREE. */
#include <stdlib.h>
#include <string.h>
#include "base/err.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/str.h"
#include "http/http_reply.h"

/* ---- the one error table (STYLE §3) ----------------------------------- */

static const struct {
	int err;
	unsigned status;
	const char *code;      /* Microsoft Graph error code */
	const char *message;   /* default message */
} err_table[] = {
	{TG_ERR_INVALID, 400, "Request_BadRequest", "The request is not valid."},
	{TG_ERR_CYCLE, 400, "Request_BadRequest", "The change would create a cycle."},
	{TG_ERR_UNSUPPORTED, 400, "Request_BadRequest", "The request uses something that is not supported."},
	{TG_ERR_FORBIDDEN, 403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation."},
	{TG_ERR_DISABLED, 403, "Authorization_RequestDenied", "The feature or account is disabled."},
	{TG_ERR_LIMIT, 403, "Directory_QuotaExceeded", "A limit on the number of objects has been reached."},
	{TG_ERR_NOT_FOUND, 404, "Request_ResourceNotFound", "The resource was not found."},
	{TG_ERR_EXISTS, 409, "Request_MultipleObjectsWithSameKeyPropertyValue", "An object with the same key already exists."},
	{TG_ERR_CONFLICT, 409, "Request_Conflict", "The request conflicts with the current state."},
	{TG_ERR_TOO_LARGE, 413, "Request_EntityTooLarge", "The request is too large."},
	{TG_ERR_RATE_LIMITED, 429, "TooManyRequests", "Too many requests; try again later."},
	{TG_ERR_UNAVAILABLE, 503, "ServiceNotAvailable", "A service this request needs is unavailable; try again later."},
	{TG_ERR_BUSY, 503, "ServiceNotAvailable", "The service is busy; try again later."},
};

#define GENERIC_CODE    "generalException"
#define GENERIC_MESSAGE "An internal error occurred."

void http_err_lookup(int err, unsigned *status_out, const char **code_out,
                     const char **message_out)
{
	for (size_t i = 0; i < TG_ARRAY_LEN(err_table); i++)
		if (err_table[i].err == err) {
			*status_out = err_table[i].status;
			*code_out = err_table[i].code;
			*message_out = err_table[i].message;
			return;
		}
	*status_out = 500;
	*code_out = GENERIC_CODE;
	*message_out = GENERIC_MESSAGE;
}

/* ---- security headers, in one place ------------------------------------ */

#define CSP "default-src 'self'; script-src 'self'; style-src 'self'; " \
	"img-src 'self' data:; object-src 'none'; base-uri 'none'; " \
	"form-action 'self'; frame-ancestors 'none'"
/* Features no Tollgate page uses. publickey-credentials-* (WebAuthn) stays
 * at its default (self) for the passkey pages to come. */
#define PERMISSIONS "accelerometer=(), camera=(), display-capture=(), " \
	"geolocation=(), gyroscope=(), magnetometer=(), microphone=(), " \
	"midi=(), payment=(), usb=()"

static const struct {
	const char *name, *value;
} security_headers[] = {
	{"Content-Security-Policy", CSP},
	{"X-Content-Type-Options", "nosniff"},
	{"Referrer-Policy", "no-referrer"},
	{"X-Frame-Options", "DENY"},
	{"Cross-Origin-Opener-Policy", "same-origin"},
	{"Cross-Origin-Resource-Policy", "same-origin"},
	{"Permissions-Policy", PERMISSIONS},
};

static bool add_headers(const struct http_req *r, struct MHD_Response *resp)
{
	bool ok = true;
	for (size_t i = 0; i < TG_ARRAY_LEN(security_headers); i++)
		ok &= MHD_add_response_header(resp, security_headers[i].name,
		                              security_headers[i].value) == MHD_YES;
	/* HSTS only when the operator says the public URL is https: sending it
	 * over plain http on a test box would pin browsers for a year. */
	if (r->srv && r->srv->https)
		ok &= MHD_add_response_header(resp, "Strict-Transport-Security",
		                              "max-age=31536000") == MHD_YES;
	/* Static files set their own caching; everything else (API, JSON,
	 * errors) must never be stored. */
	if (!MHD_get_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL))
		ok &= MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL,
		                              "no-store") == MHD_YES;
	/* routes any origin may call (HTTP_CORS): no cookie is involved */
	if (r->cors)
		ok &= MHD_add_response_header(resp, "Access-Control-Allow-Origin", "*") == MHD_YES &&
		      MHD_add_response_header(resp, "Access-Control-Expose-Headers",
		                              "request-id, client-request-id, WWW-Authenticate") ==
		              MHD_YES;
	/* Graph sends both ids on every response. */
	ok &= MHD_add_response_header(resp, "request-id", r->request_id) == MHD_YES;
	ok &= MHD_add_response_header(resp, "client-request-id",
	                              r->client_request_id) == MHD_YES;
	/* While stopping, tell keep-alive clients not to send another request
	 * on this connection. */
	if (r->srv && atomic_load(&r->srv->stopping))
		ok &= MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION,
		                              "close") == MHD_YES;
	return ok;
}

/* ---- queueing ------------------------------------------------------------ */

static struct MHD_Response *static_body(const char *s, size_t len)
{
	/* string literals live for the whole program */
	return MHD_create_response_from_buffer(len, (void *)(uintptr_t)s,
	                                       MHD_RESPMEM_PERSISTENT);
}

int http_reply_queue(struct http_req *r, unsigned status, struct MHD_Response *resp,
                     size_t body_len)
{
	if (r->capture && !r->replied) {
		/* a $batch inner request: the body was captured by the caller */
		if (resp)
			MHD_destroy_response(resp);
		r->capture->status = status;
		r->replied = true;
		r->status = status;
		return TG_OK;
	}
	if (r->replied) {
		log_error("second response for request %s (status %u) dropped",
		          r->request_id, status);
		if (resp)
			MHD_destroy_response(resp);
		return TG_ERR_INTERNAL;
	}
	if (!resp) {
		static const char fallback[] =
			"{\"error\":{\"code\":\"" GENERIC_CODE "\",\"message\":\""
			GENERIC_MESSAGE "\"}}";
		log_error("no response object for request %s", r->request_id);
		status = 500;
		body_len = sizeof fallback - 1;
		resp = static_body(fallback, body_len);
		if (!resp)
			return TG_ERR_INTERNAL;
		if (MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
		                            HTTP_CT_JSON) != MHD_YES) {
			MHD_destroy_response(resp);
			return TG_ERR_INTERNAL;
		}
	}
	if (!add_headers(r, resp)) {
		/* out of memory in MHD: never send a response without its
		 * security headers */
		MHD_destroy_response(resp);
		log_error("cannot add headers to response for request %s", r->request_id);
		return TG_ERR_INTERNAL;
	}
	enum MHD_Result q = MHD_queue_response(r->conn, status, resp);
	MHD_destroy_response(resp); /* MHD holds its own reference */
	if (q != MHD_YES) {
		log_warn("libmicrohttpd refused a %u response for request %s",
		         status, r->request_id);
		return TG_ERR_INTERNAL;
	}
	r->replied = true;
	r->status = status;
	r->resp_bytes = http_req_is_head(r) ? 0 : body_len;
	return TG_OK;
}

struct MHD_Response *http_json_response(const json_t *j, size_t *len_out)
{
	*len_out = 0;
	char *text = j ? json_dumps(j, JSON_COMPACT) : NULL;
	if (!text)
		return NULL;
	size_t len = strlen(text);
	/* jansson allocates with malloc (we never call json_set_alloc_funcs),
	 * so MHD may free() it. */
	struct MHD_Response *resp =
		MHD_create_response_from_buffer(len, text, MHD_RESPMEM_MUST_FREE);
	if (!resp) {
		free(text);
		return NULL;
	}
	if (MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
	                            HTTP_CT_JSON) != MHD_YES) {
		MHD_destroy_response(resp);
		return NULL;
	}
	*len_out = len;
	return resp;
}

struct MHD_Response *http_error_response(const struct http_req *r, unsigned status,
                                         const char *code, const char *message,
                                         size_t *len_out)
{
	if (!message || !tg_utf8_valid(message, strlen(message), NULL))
		message = status >= 500 ? GENERIC_MESSAGE : "The request could not be processed.";
	json_t *j = json_pack("{s:{s:s, s:s, s:{s:s, s:s, s:s}}}", "error",
	                      "code", code, "message", message, "innerError",
	                      "date", r->date, "request-id", r->request_id,
	                      "client-request-id", r->client_request_id);
	struct MHD_Response *resp = http_json_response(j, len_out);
	json_decref(j);
	return resp;
}

int http_reply_json(struct http_req *r, unsigned status, const json_t *j)
{
	size_t len;
	struct MHD_Response *resp = http_json_response(j, &len);
	if (!resp)
		log_error("cannot serialize the JSON answer to request %s", r->request_id);
	if (r->capture && resp && !r->capture->body)
		r->capture->body = json_dumps(j, JSON_COMPACT);
	return http_reply_queue(r, status, resp, len);
}

int http_reply_json_take(struct http_req *r, unsigned status, json_t *j)
{
	int ret = http_reply_json(r, status, j);
	json_decref(j);
	return ret;
}

int http_reply_redirect(struct http_req *r, unsigned status, const char *location)
{
	struct MHD_Response *resp = static_body("", 0);
	if (resp && MHD_add_response_header(resp, MHD_HTTP_HEADER_LOCATION, location) != MHD_YES) {
		MHD_destroy_response(resp);
		resp = NULL;
	}
	return http_reply_queue(r, status, resp, 0);
}

int http_reply_error(struct http_req *r, unsigned status, const char *code,
                     const char *message)
{
	size_t len;
	struct MHD_Response *resp = http_error_response(r, status, code, message, &len);
	if (r->capture) {
		snprintf(r->capture->code, sizeof r->capture->code, "%s", code ? code : "");
		snprintf(r->capture->message, sizeof r->capture->message, "%s", message ? message : "");
	}
	return http_reply_queue(r, status, resp, len);
}

int http_reply_err(struct http_req *r, int err, const char *message)
{
	unsigned status;
	const char *code, *dflt;
	http_err_lookup(err, &status, &code, &dflt);
	if (status == 500) {
		/* unexpected: keep the detail in the log, not in the answer */
		log_error("request %s %s %s: %s (%s)%s%s", r->request_id,
		          r->method ? r->method : "-", r->log_path ? r->log_path : "-",
		          tg_strerror(err), tg_errname(err),
		          message ? ": " : "", message ? message : "");
		message = NULL;
	}
	return http_reply_error(r, status, code, message ? message : dflt);
}
