/* SPDX-License-Identifier: MIT
 * The HTTP server's public face, for the CLI (`tollgate serve`) and tests:
 * start a libmicrohttpd daemon with a thread pool, ask for its port, stop it
 * cleanly. Everything else in src/http is private to the layer.
 * Design notes: docs/internals/http.md. */
#ifndef TG_HTTP_HTTP_H
#define TG_HTTP_HTTP_H
#include <stddef.h>

struct http_server;

/* Server settings. Zero means "the default" for every number. The strings
 * are copied by http_server_start(); the callbacks and `app` are borrowed
 * and must outlive the server. */
struct http_opts {
	const char *listen_addr;  /* numeric IPv4 or IPv6 ("127.0.0.1", "::1");
	                             NULL = "127.0.0.1" */
	unsigned port;            /* 0 = ephemeral: see http_server_port() */
	unsigned threads;         /* worker threads; 0 = TG_HTTP_THREADS */
	size_t max_body;          /* request body limit; 0 = TG_MAX_HTTP_BODY */
	unsigned conn_timeout;    /* idle seconds; 0 = TG_HTTP_CONN_TIMEOUT */
	const char *public_url;   /* e.g. "https://id.example.org"; an https URL
	                             turns on Strict-Transport-Security. May be NULL. */
	/* /readyz calls this on a worker thread, possibly several at once, so it
	 * must be thread-safe: TG_OK = ready, any tg_err = not ready (its name
	 * is shown). NULL = always ready. */
	int (*ready_check)(void *arg);
	void *ready_arg;
	void *app;                /* opaque service context handed to handlers */
};

/* Validate o, bind the listening socket and start the worker threads.
 * On success *out is the running server (free it with http_server_stop()).
 * Returns TG_OK, TG_ERR_INVALID (bad address, port or option) or TG_ERR_IO
 * (bind/listen failed; libmicrohttpd's reason is logged). *out is NULL on
 * failure. */
int http_server_start(const struct http_opts *o, struct http_server **out);

/* The port actually bound (the ephemeral one when opts.port was 0). */
unsigned http_server_port(const struct http_server *s);

/* Quiesce and free: stop accepting connections, let requests already in
 * flight finish (bounded by TG_HTTP_SHUTDOWN_GRACE seconds), then close every
 * connection and join the threads. Accepts NULL. Call it from a thread that
 * is not one of the server's workers (never from a handler). */
void http_server_stop(struct http_server *s);

/* For `tollgate serve`: block SIGTERM and SIGINT, start the server, wait
 * with sigwait() for one of them, then http_server_stop(). Returns a process
 * exit status: 0 after a clean stop, 1 when the server could not start.
 * Call it before any other thread is created (the mask is inherited). */
int http_serve_until_signal(const struct http_opts *o);

#endif
