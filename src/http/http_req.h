/* SPDX-License-Identifier: MIT
 * Private to src/http: the per-request context. server.c creates one when
 * libmicrohttpd has read a request line and frees it when the request is
 * complete; it owns everything allocated for that request (STYLE §4).
 * Handlers (http_*.c) read it and answer through http_reply.h. */
#ifndef TG_HTTP_HTTP_REQ_H
#define TG_HTTP_HTTP_REQ_H
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <microhttpd.h>
#include "base/limits.h"
#include "base/str.h"
#include "http/http.h"

/* The running server (server.c); handlers reach the options through it. */
struct http_server {
	struct MHD_Daemon *daemon;
	struct http_opts opts;        /* strings point into the copies below */
	char *listen_addr;
	char *public_url;
	bool https;                   /* public_url is https:// */
	unsigned port;
	atomic_uint inflight;         /* request contexts alive */
	atomic_bool stopping;         /* quiesced: replies say Connection: close */
};

#define HTTP_REQ_ID_LEN 37        /* UUID text + NUL */

struct http_req {
	/* read-only for handlers */
	struct http_server *srv;
	struct MHD_Connection *conn;
	void *app;                    /* = srv->opts.app */
	const char *method;           /* MHD-owned, valid until completion */
	const char *path;             /* percent-decoded path without the query,
	                                 MHD-owned; already checked by server.c:
	                                 starts with '/', no "//", no "." or ".."
	                                 segment, no '\\', no control byte */
	struct tg_buf body;           /* request body (<= max_body), NUL-terminated
	                                 when non-empty; data is NULL when empty */
	char request_id[HTTP_REQ_ID_LEN];        /* random UUID for this request */
	char client_request_id[HTTP_REQ_ID_LEN]; /* the client's, if a UUID; else = request_id */
	char date[TG_TIME_ISO_LEN];              /* when the request arrived, ISO 8601 */

	/* private to server.c / http_reply.c */
	char *log_path;               /* request-target before '?', printable
	                                 ASCII only, capped: for logs */
	size_t uri_len;               /* length of the whole request-target */
	bool raw_bad;                 /* raw target has %00, '\\' or %5c */
	const char *raw_uri;          /* MHD's copy of the target: only compared
	                                 (NUL detection), never read later */
	char remote[64];              /* client address, numeric */
	struct timespec start;        /* CLOCK_MONOTONIC */
	bool started;                 /* access handler seen */
	bool too_large;               /* body exceeded max_body */
	size_t discarded;             /* body bytes dropped after too_large */
	bool replied;                 /* a response was queued */
	bool cors;                    /* the route allows any origin (HTTP_CORS) */
	unsigned status;              /* status of the queued response */
	size_t resp_bytes;            /* body bytes of the queued response */

	/* JSON $batch (http_graph_batch.c): an inner request answered into
	 * memory instead of to libmicrohttpd; NULL for real requests */
	struct http_capture *capture;
};

#define HTTP_CAPTURE_ARGS 16
/* What a $batch inner request brings and what its answer was. */
struct http_capture {
	/* in: the inner request's query arguments (decoded) and Content-Type */
	size_t nargs;
	const char *keys[HTTP_CAPTURE_ARGS];
	const char *values[HTTP_CAPTURE_ARGS];
	const char *content_type;
	/* out: set by http_reply_* */
	unsigned status;
	char *body;                   /* malloc'd JSON text, or NULL */
	char code[64];                /* Graph error code of http_reply_error */
	char message[512];            /* and its message */
};

/* A request header (case-insensitive name) or NULL; MHD-owned string. */
const char *http_req_header(const struct http_req *r, const char *name);
/* A decoded query-string argument or NULL; MHD-owned string. */
const char *http_req_query(const struct http_req *r, const char *name);
/* true for HEAD (answered like GET; libmicrohttpd drops the body). */
bool http_req_is_head(const struct http_req *r);
/* true for GET and HEAD: a read (the handler answers both the same way). */
bool http_req_is_read(const struct http_req *r);

#endif
