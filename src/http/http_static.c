/* SPDX-License-Identifier: MIT
 * The web/ files, served from the table tools/embed.c compiles into the
 * binary: exact-name lookup only (no filesystem, no path joining beyond
 * "directory/" -> "directory/index.html"), Content-Type by extension, an
 * ETag per file computed once, If-None-Match -> 304, and Cache-Control.
 * Responses point at the embedded bytes (MHD_RESPMEM_PERSISTENT). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/embed.h"
#include "base/err.h"
#include "base/log.h"
#include "base/mem.h"
#include "http/http_reply.h"
#include "http/http_route.h"

/* html may change at every upgrade and names no versioned file, so browsers
 * revalidate it after a minute; other files may be reused for an hour and are
 * then revalidated with If-None-Match (file names carry no content hash, so
 * a longer lifetime would show stale CSS/JS for longer after an upgrade). */
#define CACHE_HTML  "max-age=60, must-revalidate"
#define CACHE_OTHER "max-age=3600, must-revalidate"

static const struct {
	const char *ext;
	const char *type;
} content_types[] = {
	{"css", "text/css; charset=utf-8"},
	{"html", "text/html; charset=utf-8"},
	{"ico", "image/x-icon"},
	{"js", "text/javascript; charset=utf-8"},
	{"json", "application/json"},
	{"png", "image/png"},
	{"svg", "image/svg+xml"},
	{"txt", "text/plain; charset=utf-8"},
	{"woff2", "font/woff2"},
};

static const char *content_type(const char *name)
{
	const char *slash = strrchr(name, '/');
	const char *dot = strrchr(slash ? slash : name, '.');
	if (dot)
		for (size_t i = 0; i < TG_ARRAY_LEN(content_types); i++)
			if (strcmp(dot + 1, content_types[i].ext) == 0)
				return content_types[i].type;
	return "application/octet-stream";
}

/* ---- ETags: FNV-1a 64 of the content plus its length, computed once for
 * all files at first use. Not a security property (we made the files), so
 * a fast non-cryptographic hash is enough. */

#define ETAG_LEN 40   /* "\"" 16 hex "-" up to 16 hex "\"" + NUL, rounded */

static char (*etags)[ETAG_LEN];
static pthread_once_t etags_once = PTHREAD_ONCE_INIT;

static void etags_init(void)
{
	size_t n = 0;
	while (web_assets[n].path)
		n++;
	/* lives as long as the process, like the table it describes */
	etags = xcalloc(n ? n : 1, sizeof *etags);
	for (size_t i = 0; i < n; i++) {
		uint64_t h = 1469598103934665603ULL;
		for (size_t k = 0; k < web_assets[i].len; k++) {
			h ^= web_assets[i].data[k];
			h *= 1099511628211ULL;
		}
		snprintf(etags[i], ETAG_LEN, "\"%016llx-%zx\"", (unsigned long long)h,
		         web_assets[i].len);
	}
}

static const char *etag_of(const struct embed_file *f)
{
	pthread_once(&etags_once, etags_init);
	return etags[f - web_assets];
}

/* If-None-Match (RFC 9110 §13.1.2) uses the weak comparison: "W/" prefixes
 * are ignored; "*" matches any existing file. */
static bool etag_matches(const char *header, const char *etag)
{
	size_t elen = strlen(etag);
	const char *p = header;
	while (*p) {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (!*p)
			break;
		if (*p == '*')
			return true;
		if (p[0] == 'W' && p[1] == '/')
			p += 2;
		const char *end = p;
		if (*end == '"') {
			end = strchr(end + 1, '"');
			if (!end)
				return false;
			end++;
		} else {
			while (*end && *end != ',')
				end++;
		}
		if ((size_t)(end - p) == elen && memcmp(p, etag, elen) == 0)
			return true;
		p = end;
	}
	return false;
}

/* ---- lookup ----------------------------------------------------------- */

/* Map a request path to an embedded file: "/" and "/dir/" serve
 * "index.html" in that directory, "/a/b.css" serves "a/b.css". Names with a
 * segment starting with '.' (".gitkeep", ".well-known" handled elsewhere)
 * are never served. *dir_out is set when path names a directory without its
 * trailing slash (answered with a redirect). */
static const struct embed_file *lookup(const char *path, bool *dir_out)
{
	char name[TG_MAX_HTTP_URL + sizeof "/index.html"];
	*dir_out = false;
	if (path[0] != '/' || strstr(path, "/."))
		return NULL;
	size_t len = strlen(path);
	if (len > TG_MAX_HTTP_URL)
		return NULL;
	if (path[len - 1] == '/') {
		snprintf(name, sizeof name, "%sindex.html", path + 1);
		return embed_find(web_assets, name);
	}
	const struct embed_file *f = embed_find(web_assets, path + 1);
	if (f)
		return f;
	snprintf(name, sizeof name, "%s/index.html", path + 1);
	f = embed_find(web_assets, name);
	if (f)
		*dir_out = true;
	return f;
}

bool http_static_exists(const char *path)
{
	bool dir;
	return lookup(path, &dir) != NULL;
}

static int reply_redirect(struct http_req *r)
{
	char *loc = xasprintf("%s/", r->path);
	struct MHD_Response *resp = MHD_create_response_from_buffer(0, NULL,
	                                                            MHD_RESPMEM_PERSISTENT);
	if (resp && MHD_add_response_header(resp, MHD_HTTP_HEADER_LOCATION, loc) != MHD_YES) {
		MHD_destroy_response(resp);
		resp = NULL;
	}
	free(loc);
	return http_reply_queue(r, 301, resp, 0);
}

static int send_file(struct http_req *r, const struct embed_file *f);

int http_static_get(struct http_req *r)
{
	bool dir;
	const struct embed_file *f = lookup(r->path, &dir);
	if (!f)
		return TG_ERR_NOT_FOUND;
	if (dir)
		return reply_redirect(r);
	return send_file(r, f);
}

int http_static_send(struct http_req *r, const char *name)
{
	const struct embed_file *f = embed_find(web_assets, name);
	return f ? send_file(r, f) : TG_ERR_NOT_FOUND;
}

static int send_file(struct http_req *r, const struct embed_file *f)
{
	const char *etag = etag_of(f);
	const char *type = content_type(f->path);
	const char *cache = strncmp(type, "text/html", 9) == 0 ? CACHE_HTML : CACHE_OTHER;
	const char *inm = http_req_header(r, MHD_HTTP_HEADER_IF_NONE_MATCH);
	bool not_modified = inm && etag_matches(inm, etag);

	/* The embedded bytes live as long as the program: no copy. */
	struct MHD_Response *resp = not_modified
		? MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT)
		: MHD_create_response_from_buffer(f->len, (void *)(uintptr_t)f->data,
		                                  MHD_RESPMEM_PERSISTENT);
	if (!resp)
		return http_reply_queue(r, 500, NULL, 0);
	bool ok = MHD_add_response_header(resp, MHD_HTTP_HEADER_ETAG, etag) == MHD_YES &&
	          MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, cache) == MHD_YES;
	/* a 304 carries no body and so no Content-Type (RFC 9110 §15.4.5) */
	if (ok && !not_modified)
		ok = MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type) == MHD_YES;
	if (!ok) {
		MHD_destroy_response(resp);
		return http_reply_queue(r, 500, NULL, 0);
	}
	return http_reply_queue(r, not_modified ? 304 : 200, resp, not_modified ? 0 : f->len);
}
