/* SPDX-License-Identifier: MIT
 * The libmicrohttpd daemon: options and limits, the per-request context
 * (created by the URI-log callback, freed by the completion callback, with
 * the access-log line), request checks before routing (URL length, path
 * shape, header size, body size), and start / quiesce / stop.
 * Sections: request context, checks, access handler, daemon lifecycle. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>
#include "base/err.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/str.h"
#include "base/uuid.h"
#include "crypto/rng.h"
#include "http/http.h"
#include "http/http_reply.h"
#include "http/http_route.h"

#define LOG_PATH_MAX 512   /* path characters kept for log lines */

/* ---- request context --------------------------------------------------- */

const char *http_req_header(const struct http_req *r, const char *name)
{
	if (r->capture && strcasecmp(name, MHD_HTTP_HEADER_CONTENT_TYPE) == 0)
		return r->capture->content_type;
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *http_req_query(const struct http_req *r, const char *name)
{
	if (r->capture) {
		for (size_t i = 0; i < r->capture->nargs; i++)
			if (strcmp(r->capture->keys[i], name) == 0)
				return r->capture->values[i];
		return NULL;
	}
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

bool http_req_is_head(const struct http_req *r)
{
	return r->method && strcmp(r->method, MHD_HTTP_METHOD_HEAD) == 0;
}

bool http_req_is_read(const struct http_req *r)
{
	return r->method && (strcmp(r->method, MHD_HTTP_METHOD_GET) == 0 || http_req_is_head(r));
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Inspect the request-target as received (before libmicrohttpd decodes it):
 * a decoded NUL would silently cut the path short and a backslash is a path
 * separator somewhere, so both are refused outright. */
static bool raw_target_is_bad(const char *uri, size_t path_len)
{
	for (size_t i = 0; i < path_len; i++) {
		unsigned char c = (unsigned char)uri[i];
		if (c == '\\' || c < 0x20 || c == 0x7f)
			return true;
		if (c != '%')
			continue;
		if (i + 2 >= path_len)
			return true;           /* '%' too close to the end */
		int hi = hexval(uri[i + 1]), lo = hexval(uri[i + 2]);
		if (hi < 0 || lo < 0)
			return true;           /* malformed escape */
		int v = hi * 16 + lo;
		if (v == 0 || v == '\\')
			return true;
		i += 2;
	}
	return false;
}

static void remote_addr(struct MHD_Connection *conn, char *out, size_t size)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	tg_strlcpy(out, "-", size);
	if (!ci || !ci->client_addr)
		return;
	const struct sockaddr *sa = ci->client_addr;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr,
		          out, (socklen_t)size);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
		          out, (socklen_t)size);
}

/* MHD_OPTION_URI_LOG_CALLBACK: the first thing MHD tells us about a request
 * (the request line is in), so the context and its clock start here. The
 * return value becomes the access handler's *req_cls. */
static void *req_new(void *cls, const char *uri, struct MHD_Connection *conn)
{
	struct http_server *s = cls;
	struct http_req *r = xcalloc(1, sizeof *r);
	clock_gettime(CLOCK_MONOTONIC, &r->start);
	r->srv = s;
	r->conn = conn;
	r->app = s->opts.app;
	tg_buf_init(&r->body, s->opts.max_body);
	tg_time_iso((int64_t)time(NULL), r->date);
	if (rng_uuid(r->request_id) != TG_OK) {
		/* still answer (with an error: see handle()) */
		tg_strlcpy(r->request_id, "00000000-0000-0000-0000-000000000000",
		           sizeof r->request_id);
	}
	tg_strlcpy(r->client_request_id, r->request_id, sizeof r->client_request_id);
	remote_addr(conn, r->remote, sizeof r->remote);

	size_t ulen = strlen(uri);
	size_t plen = strcspn(uri, "?#");
	r->uri_len = ulen;
	r->raw_uri = uri;
	r->raw_bad = raw_target_is_bad(uri, plen);
	/* the log keeps the path only: the query may carry codes or tokens */
	size_t keep = plen < LOG_PATH_MAX ? plen : LOG_PATH_MAX;
	r->log_path = xmalloc(keep + 4);
	for (size_t i = 0; i < keep; i++) {
		unsigned char c = (unsigned char)uri[i];
		r->log_path[i] = (c > 0x20 && c < 0x7f && c != '"') ? (char)c : '?';
	}
	memcpy(r->log_path + keep, keep < plen ? "..." : "", keep < plen ? 4 : 1);
	atomic_fetch_add(&s->inflight, 1);
	return r;
}

static const char *termination_name(enum MHD_RequestTerminationCode toe)
{
	switch (toe) {
	case MHD_REQUEST_TERMINATED_COMPLETED_OK: return NULL;
	case MHD_REQUEST_TERMINATED_WITH_ERROR: return "error";
	case MHD_REQUEST_TERMINATED_TIMEOUT_REACHED: return "timeout";
	case MHD_REQUEST_TERMINATED_DAEMON_SHUTDOWN: return "shutdown";
	case MHD_REQUEST_TERMINATED_READ_ERROR: return "read-error";
	case MHD_REQUEST_TERMINATED_CLIENT_ABORT: return "client-abort";
	}
	return "unknown";
}

/* MHD_OPTION_NOTIFY_COMPLETED: one access-log line, then free everything
 * the request owned. Never logs the query, body, Authorization or Cookie. */
static void req_done(void *cls, struct MHD_Connection *conn, void **req_cls,
                     enum MHD_RequestTerminationCode toe)
{
	struct http_server *s = cls;
	struct http_req *r = *req_cls;
	if (!r)
		return;
	*req_cls = NULL;

	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	double ms = (double)(now.tv_sec - r->start.tv_sec) * 1e3 +
	            (double)(now.tv_nsec - r->start.tv_nsec) / 1e6;
	char method[16] = "-";
	if (r->method) {
		size_t i = 0;
		for (; r->method[i] && i < sizeof method - 1; i++) {
			unsigned char c = (unsigned char)r->method[i];
			method[i] = (c > 0x20 && c < 0x7f) ? (char)c : '?';
		}
		method[i] = '\0';
	}
	const char *end = termination_name(toe);
	log_access("%s %s %s %u %zu %.3fms %s%s%s", r->remote, method, r->log_path,
	           r->status, r->resp_bytes, ms, r->request_id,
	           end ? " end=" : "", end ? end : "");

	tg_buf_cleanup(&r->body);
	free(r->log_path);
	free(r);
	atomic_fetch_sub(&s->inflight, 1);
}

/* ---- checks before routing --------------------------------------------- */

/* The decoded path: starts with '/', no empty segment ("//"), no "." or
 * ".." segment, no backslash, no control byte. Traversal never reaches the
 * static table (it has no filesystem behind it), but routes and logs should
 * not have to reason about such names either. */
static bool path_is_clean(const char *p)
{
	if (p[0] != '/')
		return false;
	for (const char *seg = p + 1;; ) {
		const char *slash = strchr(seg, '/');
		size_t n = slash ? (size_t)(slash - seg) : strlen(seg);
		if (n == 0 && slash)
			return false;                       /* "//" */
		if ((n == 1 && seg[0] == '.') || (n == 2 && seg[0] == '.' && seg[1] == '.'))
			return false;
		for (size_t i = 0; i < n; i++) {
			unsigned char c = (unsigned char)seg[i];
			if (c < 0x20 || c == 0x7f || c == '\\')
				return false;
		}
		if (!slash)
			return true;
		seg = slash + 1;
	}
}

struct hdr_scan {
	bool too_big;
};

static enum MHD_Result scan_header(void *cls, enum MHD_ValueKind kind,
                                   const char *key, const char *value)
{
	struct hdr_scan *h = cls;
	if (strlen(key) + (value ? strlen(value) : 0) > TG_MAX_HTTP_HEADER) {
		h->too_big = true;
		return MHD_NO;
	}
	return MHD_YES;
}

/* Query parameters (percent-decoded by MHD) must be valid UTF-8 without
 * NUL: a value that is not would otherwise be compared, stored or logged
 * as some other text ($filter values, UPNs, codes). */
static enum MHD_Result scan_query(void *cls, enum MHD_ValueKind kind, const char *key,
                                  size_t key_size, const char *value, size_t value_size)
{
	(void)kind;
	bool *bad = cls;
	if (!key || strlen(key) != key_size || !tg_utf8_valid(key, key_size, NULL) ||
	    (value && (strlen(value) != value_size || !tg_utf8_valid(value, value_size, NULL)))) {
		*bad = true;
		return MHD_NO;
	}
	return MHD_YES;
}

/* Everything decidable from the request line and headers, before the body
 * is read. Returns TG_OK to go on, or the result of an error reply. */
static int check_request(struct http_req *r, bool *answered)
{
	*answered = true;
	if (strcmp(r->request_id, "00000000-0000-0000-0000-000000000000") == 0)
		return http_reply_err(r, TG_ERR_INTERNAL, "no randomness for the request id");
	if (r->uri_len > TG_MAX_HTTP_URL)
		return http_reply_error(r, 414, "Request_UriTooLong",
		                        "The request URL is too long.");
	if (r->raw_bad || !path_is_clean(r->path))
		return http_reply_error(r, 400, "Request_BadRequest",
		                        "The request path is not valid.");
	bool bad_query = false;
	MHD_get_connection_values_n(r->conn, MHD_GET_ARGUMENT_KIND, scan_query, &bad_query);
	if (bad_query)
		return http_reply_error(r, 400, "Request_BadRequest",
		                        "A query parameter is not valid UTF-8 text.");
	struct hdr_scan h = {false};
	MHD_get_connection_values(r->conn, MHD_HEADER_KIND, scan_header, &h);
	if (h.too_big)
		return http_reply_error(r, 431, "Request_HeaderFieldsTooLarge",
		                        "A request header is too large.");

	/* Echo the client's correlation id like Graph does, only if it is a UUID
	 * (it is reflected into headers and JSON). */
	const char *crid = http_req_header(r, "client-request-id");
	if (crid && uuid_is_valid(crid))
		tg_strlcpy(r->client_request_id, crid, sizeof r->client_request_id);

	/* Refuse an announced oversized body before reading any of it. */
	const char *cl = http_req_header(r, MHD_HTTP_HEADER_CONTENT_LENGTH);
	if (cl) {
		int64_t n;
		if (tg_parse_i64(cl, 0, INT64_MAX, &n) != TG_OK)
			return http_reply_error(r, 400, "Request_BadRequest",
			                        "The Content-Length header is not valid.");
		if ((uint64_t)n > r->srv->opts.max_body) {
			r->too_large = true;
			return http_reply_err(r, TG_ERR_TOO_LARGE, NULL);
		}
	}
	*answered = false;
	return TG_OK;
}

/* ---- the access handler ------------------------------------------------ */

static enum MHD_Result result(int tg)
{
	return tg == TG_OK ? MHD_YES : MHD_NO;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *conn, const char *url,
                              const char *method, const char *version,
                              const char *upload_data, size_t *upload_data_size,
                              void **req_cls)
{
	struct http_req *r = *req_cls;
	if (!r) {
		/* not reached: the URI-log callback always runs first */
		r = req_new(cls, url, conn);
		*req_cls = r;
	}

	if (!r->started) {
		r->started = true;
		r->conn = conn;
		r->method = method;
		r->path = url;
		/* A NUL byte inside the request-target ends the C string MHD
		 * gives us, so "/a.html\0.css" would arrive as "/a.html".
		 * libmicrohttpd 0.9.x keeps the target and the version in its
		 * read buffer, NUL-separated: the version follows the target
		 * exactly when the target had no NUL of its own. (Pointer
		 * equality only; nothing is read. If a future MHD lays this out
		 * differently every request fails here, loudly, in the tests.) */
		if (version != r->raw_uri + r->uri_len + 1)
			r->raw_bad = true;
		bool answered;
		int ret = check_request(r, &answered);
		if (answered)
			return result(ret);
		return MHD_YES;   /* read the body, if any */
	}

	if (r->replied) {
		/* answered early (413 on Content-Length, ...): drop what still
		 * arrives; MHD closes the connection after the answer */
		*upload_data_size = 0;
		return MHD_YES;
	}

	if (*upload_data_size != 0) {
		size_t n = *upload_data_size;
		*upload_data_size = 0;
		if (!r->too_large && tg_buf_append(&r->body, upload_data, n) == TG_OK)
			return MHD_YES;
		/* Over the limit (chunked, or a lying Content-Length): stop
		 * keeping data. libmicrohttpd 0.9.x cannot queue a response in
		 * the middle of an upload, so read and drop the rest, up to a
		 * bound, and answer 413 when the body is complete. */
		if (!r->too_large) {
			r->too_large = true;
			tg_buf_cleanup(&r->body);
		}
		r->discarded += n;
		if (r->discarded > TG_HTTP_MAX_DISCARD) {
			log_warn("request %s: body far over the limit, closing", r->request_id);
			return MHD_NO;
		}
		return MHD_YES;
	}

	/* the whole request is in */
	if (r->too_large)
		return result(http_reply_err(r, TG_ERR_TOO_LARGE, NULL));
	return result(http_route_dispatch(r));
}

/* MHD_OPTION_EXTERNAL_LOGGER: libmicrohttpd's own errors (bind failures,
 * malformed requests, internal limits) go to our log at WARN. */
static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	char msg[512];
	int n = vsnprintf(msg, sizeof msg, fmt, ap);
	if (n < 0)
		return;
	size_t len = strlen(msg);
	while (len && (msg[len - 1] == '\n' || msg[len - 1] == '\r'))
		msg[--len] = '\0';
	log_warn("libmicrohttpd: %s", msg);
}

/* ---- daemon lifecycle -------------------------------------------------- */

static void server_free(struct http_server *s)
{
	if (!s)
		return;
	free(s->listen_addr);
	free(s->public_url);
	free(s);
}

int http_server_start(const struct http_opts *o, struct http_server **out)
{
	*out = NULL;
	if (!http_route_table_is_sorted()) {
		log_error("route table is not sorted");
		return TG_ERR_INTERNAL;
	}
	if (o->port > 65535 || o->threads > TG_HTTP_MAX_THREADS) {
		log_error("invalid port %u or thread count %u", o->port, o->threads);
		return TG_ERR_INVALID;
	}

	struct http_server *s = xcalloc(1, sizeof *s);
	s->opts = *o;
	s->listen_addr = xstrdup(o->listen_addr ? o->listen_addr : "127.0.0.1");
	s->opts.listen_addr = s->listen_addr;
	s->public_url = o->public_url ? xstrdup(o->public_url) : NULL;
	s->opts.public_url = s->public_url;
	s->https = s->public_url && tg_startswith_ci(s->public_url, "https://");
	if (!s->opts.threads)
		s->opts.threads = TG_HTTP_THREADS;
	if (!s->opts.max_body)
		s->opts.max_body = TG_MAX_HTTP_BODY;
	if (!s->opts.conn_timeout)
		s->opts.conn_timeout = TG_HTTP_CONN_TIMEOUT;
	atomic_init(&s->inflight, 0);
	atomic_init(&s->stopping, false);

	struct sockaddr_storage ss;
	memset(&ss, 0, sizeof ss);
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_USE_ITC |
	                 MHD_USE_ERROR_LOG;
	struct sockaddr_in *v4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&ss;
	if (inet_pton(AF_INET, s->listen_addr, &v4->sin_addr) == 1) {
		v4->sin_family = AF_INET;
		v4->sin_port = htons((uint16_t)o->port);
	} else if (inet_pton(AF_INET6, s->listen_addr, &v6->sin6_addr) == 1) {
		v6->sin6_family = AF_INET6;
		v6->sin6_port = htons((uint16_t)o->port);
		flags |= MHD_USE_IPv6;
	} else {
		log_error("listen address \"%s\" is not a numeric IPv4 or IPv6 address",
		          s->listen_addr);
		server_free(s);
		return TG_ERR_INVALID;
	}

	/* the logger first, so that MHD's complaints about the options below
	 * reach it too */
	s->daemon = MHD_start_daemon(flags, (uint16_t)o->port, NULL, NULL, handle, s,
		MHD_OPTION_EXTERNAL_LOGGER, mhd_log, s,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
		MHD_OPTION_THREAD_POOL_SIZE, s->opts.threads,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)TG_HTTP_CONN_MEMORY,
		MHD_OPTION_CONNECTION_TIMEOUT, s->opts.conn_timeout,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)TG_HTTP_MAX_CONNS,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)TG_HTTP_MAX_CONNS_PER_IP,
		MHD_OPTION_STRICT_FOR_CLIENT, 1,
		MHD_OPTION_URI_LOG_CALLBACK, req_new, s,
		MHD_OPTION_NOTIFY_COMPLETED, req_done, s,
		MHD_OPTION_END);
	if (!s->daemon) {
		log_error("cannot listen on %s port %u (see the libmicrohttpd message above)",
		          s->listen_addr, o->port);
		server_free(s);
		return TG_ERR_IO;
	}
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
	s->port = di ? di->port : o->port;
	*out = s;
	return TG_OK;
}

unsigned http_server_port(const struct http_server *s)
{
	return s->port;
}

void http_server_stop(struct http_server *s)
{
	if (!s)
		return;
	/* 1. stop accepting: MHD hands the listening socket back to us */
	atomic_store(&s->stopping, true);
	MHD_socket fd = MHD_quiesce_daemon(s->daemon);
	if (fd != MHD_INVALID_SOCKET)
		close(fd);
	else
		log_warn("could not quiesce the daemon; stopping at once");

	/* 2. let requests already in flight finish, bounded */
	struct timespec t0, now;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	unsigned left;
	while ((left = atomic_load(&s->inflight)) > 0) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - t0.tv_sec >= TG_HTTP_SHUTDOWN_GRACE) {
			log_warn("%u request(s) still running after %d s; closing them",
			         left, TG_HTTP_SHUTDOWN_GRACE);
			break;
		}
		struct timespec nap = {0, 10 * 1000 * 1000};
		nanosleep(&nap, NULL);
	}

	/* 3. close every connection (idle keep-alive ones included), join */
	MHD_stop_daemon(s->daemon);
	server_free(s);
}

int http_serve_until_signal(const struct http_opts *o)
{
	sigset_t set, old;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	/* before any worker exists, so that every thread inherits the mask and
	 * only sigwait() below receives these signals */
	int e = pthread_sigmask(SIG_BLOCK, &set, &old);
	if (e != 0) {
		log_error("pthread_sigmask: %s", strerror(e));
		return 1;
	}
	struct http_server *s;
	if (http_server_start(o, &s) != TG_OK) {
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		return 1;
	}
	const char *a = s->listen_addr;
	log_info("listening on http://%s%s%s:%u/", strchr(a, ':') ? "[" : "", a,
	         strchr(a, ':') ? "]" : "", s->port);

	int sig = 0;
	do
		e = sigwait(&set, &sig);
	while (e == EINTR);
	log_info("%s received: finishing requests in flight and stopping",
	         sig == SIGINT ? "SIGINT" : "SIGTERM");
	http_server_stop(s);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return 0;
}
