/* SPDX-License-Identifier: MIT
 * Answers: JSON bodies, errors in Microsoft Graph's shape, the one table
 * from enum tg_err to HTTP status + Graph error code, and the one place
 * where security headers are added to every response.
 *
 * Every http_reply_* queues at most one response per request and returns
 * TG_OK when it was queued, TG_ERR_INTERNAL when libmicrohttpd refused it
 * (the connection is then closed) or the request had already been answered.
 * Handlers usually `return http_reply_...(r, ...);`. Thread-safe: each
 * request is answered on its own worker thread. */
#ifndef TG_HTTP_HTTP_REPLY_H
#define TG_HTTP_HTTP_REPLY_H
#include <jansson.h>
#include <microhttpd.h>
#include "http/http_req.h"

/* Content types used across the layer. */
#define HTTP_CT_JSON "application/json"
#define HTTP_CT_TEXT "text/plain; charset=utf-8"

/* Look up err in the error table: HTTP status, Graph error code and a
 * default message, all static strings. Unknown errors map to
 * 500 / "generalException" / a generic message. */
void http_err_lookup(int err, unsigned *status_out, const char **code_out,
                     const char **message_out);

/* Serialize j (borrowed: the caller keeps its reference) compactly with
 * Content-Type application/json and Cache-Control: no-store. */
int http_reply_json(struct http_req *r, unsigned status, const json_t *j);
/* Same, taking over the reference to j (NULL allowed: answers 500), so
 * `return http_reply_json_take(r, 200, json_pack(...));` is safe. */
int http_reply_json_take(struct http_req *r, unsigned status, json_t *j);

/* {"error":{"code":code,"message":message,"innerError":{"date":…,
 * "request-id":…,"client-request-id":…}}}. code and message are copied;
 * a message that is not valid UTF-8 is replaced by a generic one. */
int http_reply_error(struct http_req *r, unsigned status, const char *code,
                     const char *message);

/* Answer a tg_err through the table. message NULL = the table's message.
 * Errors without a table row (bugs, store failures) are logged with
 * `message` and answered 500 with a generic message that says nothing
 * about the cause. */
int http_reply_err(struct http_req *r, int err, const char *message);

/* A redirect: status (301, 302, 303 or 307) with Location: location
 * (copied; the caller has checked it) and an empty body. */
int http_reply_redirect(struct http_req *r, unsigned status, const char *location);

/* Build, without queueing, a JSON response (j borrowed) or a Graph error
 * response, so that the caller can add headers first (Allow,
 * WWW-Authenticate, Retry-After) and then http_reply_queue() it. The body
 * length goes to *len_out. NULL when out of memory or j cannot be
 * serialized. The caller owns the response. */
struct MHD_Response *http_json_response(const json_t *j, size_t *len_out);
struct MHD_Response *http_error_response(const struct http_req *r, unsigned status,
                                         const char *code, const char *message,
                                         size_t *len_out);

/* Queue resp (ownership taken: destroyed on every path, NULL allowed and
 * answered with 500 instead) with the security headers, request-id headers
 * and, unless resp already has a Cache-Control header, Cache-Control:
 * no-store. body_len is what the access log reports (0 is used for HEAD).
 * This is the only function that calls MHD_queue_response(). */
int http_reply_queue(struct http_req *r, unsigned status, struct MHD_Response *resp,
                     size_t body_len);

#endif
