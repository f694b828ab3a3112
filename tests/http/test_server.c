/* SPDX-License-Identifier: MIT
 * The HTTP server skeleton, in-process: a server on 127.0.0.1 with an
 * ephemeral port and a dummy ready_check, driven with libcurl (and a raw
 * socket for requests curl will not send): probes, static files and their
 * headers, Graph-shaped errors, limits (body, URL, headers), path tricks,
 * concurrency, the access log, and a clean stop with a request in flight. */
#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include "harness.h"
#include "base/embed.h"
#include "base/err.h"
#include "http/http.h"
#include "http/http_reply.h"
#include "http/http_route.h"

#define MAX_BODY 4096   /* the test server's body limit */

static struct http_server *srv;
static unsigned port;

/* ---- the dummy readiness check ----------------------------------------- */

static atomic_int ready_result = TG_OK;
static atomic_int ready_delay_ms = 0;
static atomic_int ready_calls = 0;

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int ready_check(void *arg)
{
	(void)arg;
	atomic_fetch_add(&ready_calls, 1);
	int d = atomic_load(&ready_delay_ms);
	if (d)
		sleep_ms(d);
	return atomic_load(&ready_result);
}

static struct http_opts test_opts(void)
{
	struct http_opts o = {0};
	o.listen_addr = "127.0.0.1";
	o.port = 0;
	o.threads = 4;
	o.max_body = MAX_BODY;
	o.conn_timeout = 5;
	o.ready_check = ready_check;
	return o;
}

/* ---- a small libcurl client ---------------------------------------------- */

struct resp {
	long status;
	char *body;
	size_t body_len;
	char *hdrs;           /* all response header lines */
	size_t hdrs_len;
	int curl_rc;
};

static size_t collect(char *p, size_t sz, size_t n, void *ud, bool hdr)
{
	struct resp *r = ud;
	char **buf = hdr ? &r->hdrs : &r->body;
	size_t *len = hdr ? &r->hdrs_len : &r->body_len;
	size_t add = sz * n;
	char *nb = realloc(*buf, *len + add + 1);
	if (!nb)
		return 0;
	memcpy(nb + *len, p, add);
	*len += add;
	nb[*len] = '\0';
	*buf = nb;
	return add;
}
static size_t on_body(char *p, size_t sz, size_t n, void *ud) { return collect(p, sz, n, ud, false); }
static size_t on_hdr(char *p, size_t sz, size_t n, void *ud) { return collect(p, sz, n, ud, true); }

static void resp_free(struct resp *r)
{
	free(r->body);
	free(r->hdrs);
	memset(r, 0, sizeof *r);
}

/* chunked upload source: `left` bytes of 'x' */
struct upload {
	size_t left;
	int delay_ms;         /* pause before the first chunk */
	bool paused;
};

static size_t on_read(char *buf, size_t sz, size_t n, void *ud)
{
	struct upload *u = ud;
	if (u->delay_ms && !u->paused) {
		u->paused = true;
		sleep_ms(u->delay_ms);
	}
	size_t k = sz * n < u->left ? sz * n : u->left;
	if (k > 1000)
		k = 1000;
	memset(buf, 'x', k);
	u->left -= k;
	return k;
}

struct req {
	const char *method;        /* NULL = GET */
	const char *path;
	const char *hdrs[6];       /* extra request headers, NULL-terminated */
	const char *body;          /* with Content-Length */
	size_t body_len;
	struct upload *chunked;    /* chunked body instead */
	unsigned port;             /* 0 = the shared server */
};

static void do_req(const struct req *q, struct resp *out)
{
	memset(out, 0, sizeof *out);
	CURL *c = curl_easy_init();
	if (!c) {
		out->curl_rc = -1;
		return;
	}
	char url[200000];
	snprintf(url, sizeof url, "http://127.0.0.1:%u%s", q->port ? q->port : port, q->path);
	struct curl_slist *h = NULL;
	for (int i = 0; q->hdrs[i]; i++)
		h = curl_slist_append(h, q->hdrs[i]);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PATH_AS_IS, 1L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, out);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_hdr);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, out);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 20L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	if (q->method && strcmp(q->method, "HEAD") == 0)
		curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
	else if (q->method)
		curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, q->method);
	if (q->body) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, q->body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)q->body_len);
	} else if (q->chunked) {
		curl_easy_setopt(c, CURLOPT_POST, 1L);
		curl_easy_setopt(c, CURLOPT_READFUNCTION, on_read);
		curl_easy_setopt(c, CURLOPT_READDATA, q->chunked);
		h = curl_slist_append(h, "Transfer-Encoding: chunked");
	}
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	out->curl_rc = (int)curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out->status);
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
}

static void get(const char *path, struct resp *out)
{
	struct req q = {.path = path};
	do_req(&q, out);
}

/* Value of the last response header `name` (case-insensitive), trimmed,
 * copied into buf; NULL when absent. */
static const char *hdr(const struct resp *r, const char *name, char *buf, size_t size)
{
	const char *found = NULL;
	size_t nlen = strlen(name);
	for (const char *p = r->hdrs; p && *p; ) {
		const char *eol = strstr(p, "\r\n");
		size_t llen = eol ? (size_t)(eol - p) : strlen(p);
		if (llen > nlen && strncasecmp(p, name, nlen) == 0 && p[nlen] == ':') {
			const char *v = p + nlen + 1;
			while (*v == ' ')
				v++;
			size_t vlen = llen - (size_t)(v - p);
			if (vlen >= size)
				vlen = size - 1;
			memcpy(buf, v, vlen);
			buf[vlen] = '\0';
			found = buf;
		}
		p += llen + (eol ? 2 : 0);
	}
	return found;
}

#define CHECK_HDR(resp, name, want) do { char hdr_buf_[512]; \
	CHECK_STR(hdr((resp), (name), hdr_buf_, sizeof hdr_buf_), (want)); } while (0)

/* The response is a Graph error with `code` and a request id equal to the
 * request-id header. */
static void check_graph_error(const struct resp *r, const char *code)
{
	char rid[128], crid[128];
	json_error_t je;
	json_t *j = json_loads(r->body ? r->body : "", 0, &je);
	if (!j) {
		TG_T_FAIL("body is not JSON: %s", r->body ? r->body : "(none)");
		return;
	}
	json_t *e = json_object_get(j, "error");
	CHECK_STR(json_string_value(json_object_get(e, "code")), code);
	CHECK(json_string_length(json_object_get(e, "message")) > 0);
	json_t *inner = json_object_get(e, "innerError");
	CHECK(json_is_string(json_object_get(inner, "date")));
	CHECK(hdr(r, "request-id", rid, sizeof rid) != NULL);
	CHECK(hdr(r, "client-request-id", crid, sizeof crid) != NULL);
	CHECK_STR(json_string_value(json_object_get(inner, "request-id")), rid);
	CHECK_STR(json_string_value(json_object_get(inner, "client-request-id")), crid);
	CHECK_INT(strlen(rid), 36);
	CHECK_HDR(r, "Content-Type", "application/json");
	CHECK_HDR(r, "Cache-Control", "no-store");
	json_decref(j);
}

static void check_security_headers(const struct resp *r)
{
	CHECK_HDR(r, "Content-Security-Policy",
	          "default-src 'self'; script-src 'self'; style-src 'self'; "
	          "img-src 'self' data:; object-src 'none'; base-uri 'none'; "
	          "form-action 'self'; frame-ancestors 'none'");
	CHECK_HDR(r, "X-Content-Type-Options", "nosniff");
	CHECK_HDR(r, "Referrer-Policy", "no-referrer");
	CHECK_HDR(r, "X-Frame-Options", "DENY");
	CHECK_HDR(r, "Cross-Origin-Opener-Policy", "same-origin");
	char b[512];
	const char *pp = hdr(r, "Permissions-Policy", b, sizeof b);
	CHECK(pp && strstr(pp, "camera=()") && strstr(pp, "geolocation=()"));
	/* no HSTS without an https public URL */
	CHECK(hdr(r, "Strict-Transport-Security", b, sizeof b) == NULL);
}

/* ---- a raw socket client, for bytes curl will not send ------------------- */

/* Send req (len bytes) and read the answer; returns the status or -1. The
 * head of the answer (up to size-1 bytes) goes to out. */
static int raw_req(unsigned p, const char *req, size_t len, char *out, size_t size)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return -1;
	struct sockaddr_in a = {0};
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)p);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	struct timeval tv = {5, 0};
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
		close(fd);
		return -1;
	}
	size_t sent = 0;
	while (sent < len) {
		ssize_t w = send(fd, req + sent, len - sent, MSG_NOSIGNAL);
		if (w <= 0)
			break;
		sent += (size_t)w;
	}
	size_t got = 0;
	out[0] = '\0';
	for (;;) {
		ssize_t n = recv(fd, out + got, size - 1 - got, 0);
		if (n <= 0)
			break;
		got += (size_t)n;
		out[got] = '\0';
		if (got == size - 1)
			break;
	}
	close(fd);
	int status = -1;
	if (sscanf(out, "HTTP/1.%*d %d", &status) != 1)
		return -1;
	return status;
}

static bool can_connect(unsigned p)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {0};
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)p);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	bool ok = connect(fd, (struct sockaddr *)&a, sizeof a) == 0;
	close(fd);
	return ok;
}

/* ---- cases ---------------------------------------------------------------- */

static void route_table_sorted(void)
{
	CHECK(http_route_table_is_sorted());
}

static void error_table(void)
{
	static const struct {
		int err;
		unsigned status;
		const char *code;
	} rows[] = {
		{TG_ERR_INVALID, 400, "Request_BadRequest"},
		{TG_ERR_NOT_FOUND, 404, "Request_ResourceNotFound"},
		{TG_ERR_FORBIDDEN, 403, "Authorization_RequestDenied"},
		{TG_ERR_EXISTS, 409, NULL},
		{TG_ERR_CONFLICT, 409, NULL},
		{TG_ERR_TOO_LARGE, 413, NULL},
		{TG_ERR_RATE_LIMITED, 429, NULL},
		{TG_ERR_UNAVAILABLE, 503, NULL},
		{TG_ERR_INTERNAL, 500, "generalException"},
		{TG_ERR_STORE, 500, "generalException"},
		{TG_ERR_DENIED, 500, "generalException"},  /* handled by login code, never generic */
		{-9999, 500, "generalException"},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		unsigned st = 0;
		const char *code = NULL, *msg = NULL;
		http_err_lookup(rows[i].err, &st, &code, &msg);
		if (st != rows[i].status)
			TG_T_FAIL("%s -> %u, expected %u", tg_errname(rows[i].err), st, rows[i].status);
		if (rows[i].code)
			CHECK_STR(code, rows[i].code);
		CHECK(code && *code && msg && *msg);
	}
}

static void healthz_ok(void)
{
	struct resp r;
	get("/healthz", &r);
	CHECK_INT(r.status, 200);
	CHECK_HDR(&r, "Content-Type", "application/json");
	CHECK_HDR(&r, "Cache-Control", "no-store");
	check_security_headers(&r);
	json_t *j = json_loads(r.body ? r.body : "", 0, NULL);
	CHECK_STR(json_string_value(json_object_get(j, "status")), "ok");
	CHECK_STR(json_string_value(json_object_get(j, "version")), TG_VERSION);
	json_decref(j);
	resp_free(&r);
}

static void readyz_follows_check(void)
{
	struct resp r;
	atomic_store(&ready_result, TG_OK);
	int calls = atomic_load(&ready_calls);
	get("/readyz", &r);
	CHECK_INT(r.status, 200);
	CHECK(r.body && strstr(r.body, "\"status\":\"ready\""));
	CHECK_INT(atomic_load(&ready_calls), calls + 1);
	resp_free(&r);

	atomic_store(&ready_result, TG_ERR_STORE);
	get("/readyz", &r);
	CHECK_INT(r.status, 503);
	CHECK_HDR(&r, "Retry-After", "5");
	json_t *j = json_loads(r.body ? r.body : "", 0, NULL);
	CHECK_STR(json_string_value(json_object_get(j, "status")), "not ready");
	CHECK_STR(json_string_value(json_object_get(json_object_get(j, "reason"), "code")),
	          "TG_ERR_STORE");
	json_decref(j);
	resp_free(&r);

	atomic_store(&ready_result, TG_OK);
	get("/readyz", &r);
	CHECK_INT(r.status, 200);
	resp_free(&r);
}

static void index_served_with_security_headers(void)
{
	const struct embed_file *f = embed_find(web_assets, "index.html");
	REQUIRE(f != NULL);
	struct resp r;
	get("/", &r);
	CHECK_INT(r.status, 200);
	CHECK_HDR(&r, "Content-Type", "text/html; charset=utf-8");
	check_security_headers(&r);
	CHECK_INT(r.body_len, f->len);
	CHECK(r.body && memcmp(r.body, f->data, f->len) == 0);
	CHECK(r.body && strstr(r.body, "Tollgate"));
	char b[128];
	const char *cc = hdr(&r, "Cache-Control", b, sizeof b);
	CHECK(cc && strstr(cc, "must-revalidate") && !strstr(cc, "no-store"));
	CHECK(hdr(&r, "ETag", b, sizeof b) != NULL);
	resp_free(&r);

	/* the same file by its name */
	get("/index.html", &r);
	CHECK_INT(r.status, 200);
	CHECK_INT(r.body_len, f->len);
	resp_free(&r);
}

static void landing_page_has_no_inline_code(void)
{
	const struct embed_file *f = embed_find(web_assets, "index.html");
	REQUIRE(f != NULL);
	const char *html = (const char *)f->data;
	/* every <script> has a src, and nothing uses style= or on*= */
	for (const char *p = strstr(html, "<script"); p; p = strstr(p + 1, "<script")) {
		const char *end = strchr(p, '>');
		REQUIRE(end != NULL);
		CHECK(memmem(p, (size_t)(end - p), "src=", 4) != NULL);
	}
	CHECK(strstr(html, "<style") == NULL);
	CHECK(strstr(html, " style=") == NULL);
	CHECK(strstr(html, " onclick=") == NULL && strstr(html, " onload=") == NULL);
}

static void content_types(void)
{
	static const struct {
		const char *path, *type;
	} rows[] = {
		{"/js/i18n.js", "text/javascript; charset=utf-8"},
		{"/css/tollgate.css", "text/css; charset=utf-8"},
		{"/i18n/en.json", "application/json"},
		{"/i18n/sv.json", "application/json"},
		{"/favicon.svg", "image/svg+xml"},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct resp r;
		get(rows[i].path, &r);
		if (r.status != 200)
			TG_T_FAIL("%s -> %ld", rows[i].path, r.status);
		CHECK_HDR(&r, "Content-Type", rows[i].type);
		check_security_headers(&r);
		resp_free(&r);
	}
}

static void etag_gives_304(void)
{
	struct resp r;
	char etag[128], b[128], inm[200];
	get("/css/tollgate.css", &r);
	CHECK_INT(r.status, 200);
	const char *e = hdr(&r, "ETag", etag, sizeof etag);
	REQUIRE(e != NULL);
	CHECK(e[0] == '"' && e[strlen(e) - 1] == '"');
	resp_free(&r);

	snprintf(inm, sizeof inm, "If-None-Match: %s", etag);
	struct req q = {.path = "/css/tollgate.css", .hdrs = {inm, NULL}};
	do_req(&q, &r);
	CHECK_INT(r.status, 304);
	CHECK_INT(r.body_len, 0);
	CHECK_HDR(&r, "ETag", etag);
	CHECK(hdr(&r, "Cache-Control", b, sizeof b) != NULL);
	check_security_headers(&r);
	resp_free(&r);

	/* weak form and a list */
	snprintf(inm, sizeof inm, "If-None-Match: \"nope\", W/%s", etag);
	do_req(&q, &r);
	CHECK_INT(r.status, 304);
	resp_free(&r);

	/* an ETag of another file does not match */
	q.hdrs[0] = "If-None-Match: \"0000000000000000-1\"";
	do_req(&q, &r);
	CHECK_INT(r.status, 200);
	resp_free(&r);
}

static void head_has_no_body(void)
{
	struct resp g, h;
	get("/", &g);
	struct req q = {.method = "HEAD", .path = "/"};
	do_req(&q, &h);
	CHECK_INT(h.status, 200);
	CHECK_INT(h.body_len, 0);
	char b1[64], b2[64];
	CHECK(hdr(&h, "Content-Length", b1, sizeof b1) != NULL);
	snprintf(b2, sizeof b2, "%zu", g.body_len);
	CHECK_STR(b1, b2);
	CHECK_HDR(&h, "Content-Type", "text/html; charset=utf-8");
	check_security_headers(&h);
	resp_free(&g);
	resp_free(&h);

	q.path = "/healthz";
	do_req(&q, &h);
	CHECK_INT(h.status, 200);
	resp_free(&h);
}

static void unknown_path_is_graph_404(void)
{
	struct resp r;
	get("/no/such/thing", &r);
	CHECK_INT(r.status, 404);
	check_graph_error(&r, "Request_ResourceNotFound");
	check_security_headers(&r);
	resp_free(&r);

	/* an unknown method on an unknown path is still 404 */
	struct req q = {.method = "POST", .path = "/v1.0/nothing", .body = "{}", .body_len = 2};
	do_req(&q, &r);
	CHECK_INT(r.status, 404);
	check_graph_error(&r, "Request_ResourceNotFound");
	resp_free(&r);
}

static void request_ids_unique_and_client_id_echoed(void)
{
	struct resp a, b;
	char ra[64], rb[64], ca[64];
	get("/healthz", &a);
	get("/healthz", &b);
	CHECK(hdr(&a, "request-id", ra, sizeof ra) && hdr(&b, "request-id", rb, sizeof rb));
	CHECK(strcmp(ra, rb) != 0);
	/* without a client id, client-request-id repeats request-id */
	CHECK(hdr(&a, "client-request-id", ca, sizeof ca) && strcmp(ca, ra) == 0);
	resp_free(&a);
	resp_free(&b);

	struct req q = {.path = "/nope",
	                .hdrs = {"client-request-id: 0b3c5e1a-2f4d-4c6e-8a9b-1c2d3e4f5a6b", NULL}};
	do_req(&q, &a);
	CHECK_INT(a.status, 404);
	CHECK_HDR(&a, "client-request-id", "0b3c5e1a-2f4d-4c6e-8a9b-1c2d3e4f5a6b");
	check_graph_error(&a, "Request_ResourceNotFound");
	resp_free(&a);

	/* something that is not a UUID is not reflected */
	q.hdrs[0] = "client-request-id: <script>alert(1)</script>";
	do_req(&q, &a);
	CHECK(a.hdrs && strstr(a.hdrs, "<script>") == NULL);
	CHECK(a.body && strstr(a.body, "<script>") == NULL);
	resp_free(&a);
}

static void wrong_method_is_405_with_allow(void)
{
	struct resp r;
	struct req q = {.method = "POST", .path = "/healthz", .body = "{}", .body_len = 2};
	do_req(&q, &r);
	CHECK_INT(r.status, 405);
	CHECK_HDR(&r, "Allow", "GET, HEAD");
	check_graph_error(&r, "Request_MethodNotAllowed");
	resp_free(&r);

	struct req d = {.method = "DELETE", .path = "/"};
	do_req(&d, &r);
	CHECK_INT(r.status, 405);
	CHECK_HDR(&r, "Allow", "GET, HEAD");
	resp_free(&r);
}

static void body_over_limit_is_413(void)
{
	char *big = malloc(MAX_BODY + 1);
	REQUIRE(big != NULL);
	memset(big, 'x', MAX_BODY + 1);
	struct resp r;

	/* announced with Content-Length: refused before the body is read */
	struct req q = {.method = "POST", .path = "/healthz", .body = big,
	                .body_len = MAX_BODY + 1};
	do_req(&q, &r);
	CHECK_INT(r.status, 413);
	check_graph_error(&r, "Request_EntityTooLarge");
	resp_free(&r);

	/* ... also without "Expect: 100-continue" (the body is on its way) */
	q.hdrs[0] = "Expect:";
	do_req(&q, &r);
	CHECK_INT(r.status, 413);
	resp_free(&r);
	q.hdrs[0] = NULL;

	/* exactly the limit is accepted (and then routed: 405 here) */
	q.body_len = MAX_BODY;
	do_req(&q, &r);
	CHECK_INT(r.status, 405);
	resp_free(&r);

	/* chunked: the size is only known while reading */
	struct upload u = {.left = MAX_BODY * 3};
	struct req c = {.path = "/healthz", .chunked = &u};
	do_req(&c, &r);
	CHECK_INT(r.status, 413);
	check_graph_error(&r, "Request_EntityTooLarge");
	resp_free(&r);

	/* far past the limit the server stops reading and closes */
	struct upload huge = {.left = TG_HTTP_MAX_DISCARD + MAX_BODY * 64};
	c.chunked = &huge;
	do_req(&c, &r);
	/* 413, or the transfer fails because the server closed (curl then
	 * reports the interim "100 Continue" or nothing as the status) */
	if (!(r.status == 413 || (r.curl_rc != CURLE_OK && r.status != 200 && r.status != 405)))
		TG_T_FAIL("huge chunked body -> %ld (curl %d, %zu left)", r.status, r.curl_rc, huge.left);
	resp_free(&r);
	get("/healthz", &r);
	CHECK_INT(r.status, 200);
	resp_free(&r);

	struct upload ok = {.left = MAX_BODY};
	c.chunked = &ok;
	do_req(&c, &r);
	CHECK_INT(r.status, 405);
	resp_free(&r);

	/* a bad Content-Length */
	char buf[2048];
	const char bad[] = "POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n"
	                   "Connection: close\r\n\r\n";
	int st = raw_req(port, bad, sizeof bad - 1, buf, sizeof buf);
	CHECK_INT(st, 400);
	free(big);
}

static void path_tricks_never_escape_the_table(void)
{
	static const char *paths[] = {
		"/../index.html",
		"/%2e%2e/index.html",
		"/%2E%2E/%2e%2e/etc/passwd",
		"/css/..%2ftollgate.css",
		"/css/%2e%2e%2findex.html",
		"//index.html",
		"/css//tollgate.css",
		"/./index.html",
		"/%2e/index.html",
		"/js/../../../../etc/passwd",
		"/index.html%00",
		"/index.html%00.css",
		"/css%5ctollgate.css",
		"/css\\tollgate.css",
		"/..\\..\\etc\\passwd",
		"/index.html%",
		"/index.html%zz",
		"/%0aindex.html",
	};
	char req[512], out[4096];
	for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
		int n = snprintf(req, sizeof req,
		                 "GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", paths[i]);
		int st = raw_req(port, req, (size_t)n, out, sizeof out);
		if (st != 400)
			TG_T_FAIL("%s -> %d, expected 400", paths[i], st);
		CHECK(strstr(out, "<html") == NULL && strstr(out, "root:") == NULL);
	}

	/* a literal NUL byte in the request line: libmicrohttpd or we refuse */
	static const char nul[] = "GET /index.html\0.css HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
	int st = raw_req(port, nul, sizeof nul - 1, out, sizeof out);
	if (!(st == 400 || st == -1))
		TG_T_FAIL("NUL in request line -> %d: %.300s", st, out);
	CHECK(strstr(out, "<html") == NULL);

	/* dot-files are never served even though "." segments are filtered */
	struct resp r;
	get("/.hidden", &r);
	CHECK_INT(r.status, 404);
	resp_free(&r);
}

static void long_url_is_414(void)
{
	/* over TG_MAX_HTTP_URL but inside libmicrohttpd's memory: ours */
	size_t n = TG_MAX_HTTP_URL + 100;
	char *path = malloc(n + 1);
	REQUIRE(path != NULL);
	path[0] = '/';
	memset(path + 1, 'a', n - 1);
	path[n] = '\0';
	struct resp r;
	get(path, &r);
	CHECK_INT(r.status, 414);
	check_graph_error(&r, "Request_UriTooLong");
	resp_free(&r);

	/* a query string counts too */
	memcpy(path, "/healthz?x=", 11);
	get(path, &r);
	CHECK_INT(r.status, 414);
	resp_free(&r);
	free(path);

	/* far over the connection memory: libmicrohttpd answers itself */
	n = TG_HTTP_CONN_MEMORY * 2;
	path = malloc(n + 1);
	REQUIRE(path != NULL);
	path[0] = '/';
	memset(path + 1, 'b', n - 1);
	path[n] = '\0';
	get(path, &r);
	CHECK_INT(r.status, 414);
	resp_free(&r);
	free(path);
}

static void huge_header_refused(void)
{
	/* one header over TG_MAX_HTTP_HEADER but within MHD's pool: ours */
	size_t n = TG_MAX_HTTP_HEADER + 10;
	char *h = malloc(n + 16);
	REQUIRE(h != NULL);
	memcpy(h, "X-Big: ", 7);
	memset(h + 7, 'h', n);
	h[7 + n] = '\0';
	struct req q = {.path = "/healthz", .hdrs = {h, NULL}};
	struct resp r;
	do_req(&q, &r);
	CHECK_INT(r.status, 431);
	check_graph_error(&r, "Request_HeaderFieldsTooLarge");
	resp_free(&r);
	free(h);

	/* over the connection memory: libmicrohttpd refuses (and our request
	 * context, created for the request line, is still freed: ASan) */
	n = TG_HTTP_CONN_MEMORY * 2;
	h = malloc(n + 16);
	REQUIRE(h != NULL);
	memcpy(h, "X-Big: ", 7);
	memset(h + 7, 'h', n);
	h[7 + n] = '\0';
	q.hdrs[0] = h;
	do_req(&q, &r);
	CHECK(r.status == 431 || r.status == 413);
	resp_free(&r);
	free(h);
}

/* Several requests on one connection, and two pipelined in one write: the
 * per-request checks (the NUL detection in particular) hold when MHD reuses
 * its buffers. */
static void keep_alive_and_pipelining(void)
{
	CURL *c = curl_easy_init();
	REQUIRE(c != NULL);
	char url[128];
	static const char *paths[] = {"/", "/healthz", "/css/tollgate.css", "/nope", "/readyz"};
	static const long want[] = {200, 200, 200, 404, 200};
	long conns = 0, total = 0;
	for (int i = 0; i < 5; i++) {
		struct resp r = {0};
		snprintf(url, sizeof url, "http://127.0.0.1:%u%s", port, paths[i]);
		curl_easy_setopt(c, CURLOPT_URL, url);
		curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
		curl_easy_setopt(c, CURLOPT_WRITEDATA, &r);
		curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
		CHECK_INT(curl_easy_perform(c), CURLE_OK);
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
		if (r.status != want[i])
			TG_T_FAIL("%s -> %ld on a reused connection", paths[i], r.status);
		curl_easy_getinfo(c, CURLINFO_NUM_CONNECTS, &conns);
		total += conns;
		resp_free(&r);
	}
	CHECK_INT(total, 1);   /* one connection for all five */
	curl_easy_cleanup(c);

	static const char two[] = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
	                          "GET /nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
	char out[8192];
	int st = raw_req(port, two, sizeof two - 1, out, sizeof out);
	CHECK_INT(st, 200);
	const char *second = strstr(out + 1, "HTTP/1.1 ");
	CHECK(second && strncmp(second, "HTTP/1.1 404", 12) == 0);
}

#define N_THREADS 8
#define N_PER_THREAD 25

static void *hammer(void *arg)
{
	atomic_int *ok = arg;
	static const char *paths[] = {"/", "/healthz", "/css/tollgate.css", "/readyz",
	                              "/js/i18n.js", "/nope"};
	for (int i = 0; i < N_PER_THREAD; i++) {
		struct resp r;
		const char *p = paths[i % 6];
		get(p, &r);
		long want = strcmp(p, "/nope") == 0 ? 404 : 200;
		if (r.status == want && r.curl_rc == 0)
			atomic_fetch_add(ok, 1);
		resp_free(&r);
	}
	return NULL;
}

static void concurrent_requests(void)
{
	pthread_t t[N_THREADS];
	atomic_int ok = 0;
	for (int i = 0; i < N_THREADS; i++)
		REQUIRE(pthread_create(&t[i], NULL, hammer, &ok) == 0);
	for (int i = 0; i < N_THREADS; i++)
		pthread_join(t[i], NULL);
	CHECK_INT(atomic_load(&ok), N_THREADS * N_PER_THREAD);
}

/* The access log: one line per request with the path but not the query,
 * and never a header value. stderr goes to a file for the duration. */
static void access_log_line(void)
{
	char tmpl[] = "/tmp/tg_http_log_XXXXXX";
	int fd = mkstemp(tmpl);
	REQUIRE(fd >= 0);
	unlink(tmpl);
	fflush(stderr);
	int saved = dup(STDERR_FILENO);
	dup2(fd, STDERR_FILENO);

	struct req q = {.path = "/healthz?code=SECRET123&state=x",
	                .hdrs = {"Authorization: Bearer TOKENXYZ", "Cookie: sid=COOKIEABC", NULL}};
	struct resp r;
	do_req(&q, &r);
	char rid[64] = "";
	hdr(&r, "request-id", rid, sizeof rid);
	/* the line is written when MHD reports completion, just after the
	 * client has its answer */
	char log[8192] = "";
	for (int i = 0; i < 200; i++) {
		ssize_t n = pread(fd, log, sizeof log - 1, 0);
		log[n > 0 ? n : 0] = '\0';
		if (*rid && strstr(log, rid))
			break;
		sleep_ms(10);
	}
	dup2(saved, STDERR_FILENO);
	close(saved);
	close(fd);

	CHECK_INT(r.status, 200);
	CHECK(*rid != '\0');
	const char *line = *rid ? strstr(log, rid) : NULL;
	CHECK(line != NULL);
	CHECK(strstr(log, "access 127.0.0.1 GET /healthz 200 ") != NULL);
	CHECK(strstr(log, "ms ") != NULL);
	CHECK(strstr(log, "SECRET123") == NULL);
	CHECK(strstr(log, "TOKENXYZ") == NULL);
	CHECK(strstr(log, "COOKIEABC") == NULL);
	CHECK(strstr(log, "code=") == NULL);
	resp_free(&r);
}

struct slow {
	unsigned port;
	struct resp r;
};

static void *slow_readyz(void *arg)
{
	struct slow *s = arg;
	struct req q = {.path = "/readyz", .port = s->port};
	do_req(&q, &s->r);
	return NULL;
}

static void stop_lets_inflight_finish(void)
{
	struct http_opts o = test_opts();
	struct http_server *s2;
	REQUIRE(http_server_start(&o, &s2) == TG_OK);
	unsigned p2 = http_server_port(s2);
	CHECK(p2 != 0 && p2 != port);

	atomic_store(&ready_result, TG_OK);
	atomic_store(&ready_delay_ms, 800);
	int calls = atomic_load(&ready_calls);
	struct slow sl = {.port = p2};
	pthread_t t;
	REQUIRE(pthread_create(&t, NULL, slow_readyz, &sl) == 0);
	/* wait until the handler is running */
	for (int i = 0; i < 500 && atomic_load(&ready_calls) == calls; i++)
		sleep_ms(2);
	CHECK(atomic_load(&ready_calls) > calls);

	double t0 = now_ms();
	http_server_stop(s2);
	double took = now_ms() - t0;
	pthread_join(t, NULL);
	atomic_store(&ready_delay_ms, 0);

	CHECK_INT(sl.r.curl_rc, 0);
	CHECK_INT(sl.r.status, 200);
	CHECK(sl.r.body && strstr(sl.r.body, "ready"));
	CHECK_HDR(&sl.r, "Connection", "close");
	if (took < 300 || took > 5000)
		TG_T_FAIL("stop took %.0f ms; expected to wait for the slow request", took);
	resp_free(&sl.r);
	/* and nobody listens any more */
	CHECK(!can_connect(p2));
}

static void stop_is_prompt_when_idle(void)
{
	struct http_opts o = test_opts();
	struct http_server *s2;
	REQUIRE(http_server_start(&o, &s2) == TG_OK);
	/* an idle keep-alive connection must not hold up the stop */
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {0};
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)http_server_port(s2));
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	CHECK(connect(fd, (struct sockaddr *)&a, sizeof a) == 0);
	double t0 = now_ms();
	http_server_stop(s2);
	double took = now_ms() - t0;
	close(fd);
	if (took > 1000)
		TG_T_FAIL("idle stop took %.0f ms", took);
	http_server_stop(NULL);
}

static void bad_options_refused(void)
{
	struct http_server *s2 = (struct http_server *)1;
	struct http_opts o = test_opts();
	o.listen_addr = "localhost.example";
	CHECK_INT(http_server_start(&o, &s2), TG_ERR_INVALID);
	CHECK(s2 == NULL);
	o = test_opts();
	o.port = 70000;
	CHECK_INT(http_server_start(&o, &s2), TG_ERR_INVALID);
	/* the shared server's port is taken */
	o = test_opts();
	o.port = port;
	CHECK_INT(http_server_start(&o, &s2), TG_ERR_IO);
	CHECK(s2 == NULL);
}

static void hsts_only_for_https_public_url(void)
{
	struct http_opts o = test_opts();
	o.public_url = "https://id.example.org";
	struct http_server *s2;
	REQUIRE(http_server_start(&o, &s2) == TG_OK);
	struct req q = {.path = "/healthz", .port = http_server_port(s2)};
	struct resp r;
	do_req(&q, &r);
	CHECK_INT(r.status, 200);
	CHECK_HDR(&r, "Strict-Transport-Security", "max-age=31536000");
	resp_free(&r);
	http_server_stop(s2);
	/* the shared server (no public URL) never sends it: see
	 * check_security_headers() */
}

static void ipv6_loopback(void)
{
	struct http_opts o = test_opts();
	o.listen_addr = "::1";
	struct http_server *s6;
	int rc = http_server_start(&o, &s6);
	if (rc != TG_OK) {
		printf("ipv6_loopback: skipped (no IPv6 loopback)\n");
		return;
	}
	char url[128];
	snprintf(url, sizeof url, "http://[::1]:%u/healthz", http_server_port(s6));
	CURL *c = curl_easy_init();
	struct resp r = {0};
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &r);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	CHECK_INT(curl_easy_perform(c), CURLE_OK);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
	CHECK_INT(r.status, 200);
	curl_easy_cleanup(c);
	resp_free(&r);
	http_server_stop(s6);
}

int main(void)
{
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		fprintf(stderr, "curl_global_init failed\n");
		return 1;
	}
	struct http_opts o = test_opts();
	if (http_server_start(&o, &srv) != TG_OK) {
		fprintf(stderr, "cannot start the server\n");
		return 1;
	}
	port = http_server_port(srv);

	TEST(route_table_sorted);
	TEST(error_table);
	TEST(healthz_ok);
	TEST(readyz_follows_check);
	TEST(index_served_with_security_headers);
	TEST(landing_page_has_no_inline_code);
	TEST(content_types);
	TEST(etag_gives_304);
	TEST(head_has_no_body);
	TEST(unknown_path_is_graph_404);
	TEST(request_ids_unique_and_client_id_echoed);
	TEST(wrong_method_is_405_with_allow);
	TEST(body_over_limit_is_413);
	TEST(path_tricks_never_escape_the_table);
	TEST(long_url_is_414);
	TEST(huge_header_refused);
	TEST(keep_alive_and_pipelining);
	TEST(concurrent_requests);
	TEST(access_log_line);
	TEST(stop_lets_inflight_finish);
	TEST(stop_is_prompt_when_idle);
	TEST(bad_options_refused);
	TEST(hsts_only_for_https_public_url);
	TEST(ipv6_loopback);

	http_server_stop(srv);
	curl_global_cleanup();
	return tg_test_done();
}
