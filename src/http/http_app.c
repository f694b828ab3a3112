/* SPDX-License-Identifier: MIT
 * The service context behind the handlers (http_app.h): shared keys,
 * configuration and policy cache; one store handle and service structs per
 * worker thread (thread-specific data, closed when the thread exits); the
 * tenant of a /{tenant}/... path; the client IP under the trusted-proxy
 * rule; HTTPS detection and cookies. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "base/err.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/str.h"
#include "core/upn.h"
#include "http/http_app.h"

struct http_app {
	struct tg_config cfg;                 /* copy: secrets inside are wiped at free */
	struct keys *keys;
	struct svc_policy_cache *cache;
	struct svc_signkeys_cache *signkeys;  /* OIDC token signing keys per tenant */
	struct cidr_set proxies;
	pthread_key_t tls;
	pthread_mutex_t lock;                 /* guards ctxs */
	struct ctx_node *ctxs;                /* every live thread context */
};

struct ctx_node {
	struct http_ctx c;
	struct ctx_node *next;
};

static void ctx_close(struct ctx_node *n)
{
	store_close(n->c.store);
	free(n);
}

/* pthread key destructor: the worker thread is exiting. */
static void ctx_thread_exit(void *p)
{
	struct ctx_node *n = p;
	struct http_app *a = n->c.app;
	pthread_mutex_lock(&a->lock);
	for (struct ctx_node **pp = &a->ctxs; *pp; pp = &(*pp)->next)
		if (*pp == n) {
			*pp = n->next;
			break;
		}
	pthread_mutex_unlock(&a->lock);
	ctx_close(n);
}

int http_app_new(const struct tg_config *cfg, struct http_app **out)
{
	*out = NULL;
	struct http_app *a = xcalloc(1, sizeof *a);
	a->cfg = *cfg;
	int r = keys_load(cfg->key_path, &a->keys);
	if (r) {
		log_error("cannot load the master key %s: %s", cfg->key_path, tg_strerror(r));
		goto fail;
	}
	cidr_set_build(&a->proxies, cfg->trusted_proxies, cfg->n_trusted_proxies);
	a->cache = svc_policy_cache_new();
	a->signkeys = svc_signkeys_cache_new();
	pthread_mutex_init(&a->lock, NULL);
	if (pthread_key_create(&a->tls, ctx_thread_exit) != 0) {
		pthread_mutex_destroy(&a->lock);
		r = TG_ERR_INTERNAL;
		goto fail;
	}

	/* built-in apps for every tenant (databases from before apps existed,
	 * tenants made by `tenant create`) */
	struct store *st = NULL;
	struct store_open_opts o = {.dsn = cfg->db_path, .create = false};
	if ((r = store_open("sqlite", &o, &st))) {
		log_error("cannot open the database %s: %s", cfg->db_path, tg_strerror(r));
		pthread_key_delete(a->tls);
		pthread_mutex_destroy(&a->lock);
		goto fail;
	}
	struct svc sv;
	svc_init(&sv, st, &cfg->pw, "system:serve");
	if ((r = svc_app_ensure_builtin_all(&sv, NULL)))
		log_warn("could not create the built-in apps: %s", sv.err);
	store_close(st);
	*out = a;
	return TG_OK;
fail:
	svc_policy_cache_free(a->cache);
	svc_signkeys_cache_free(a->signkeys);
	cidr_set_cleanup(&a->proxies);
	keys_free(a->keys);
	tg_wipe(&a->cfg, sizeof a->cfg);
	free(a);
	return r;
}

void http_app_free(struct http_app *a)
{
	if (!a)
		return;
	pthread_mutex_lock(&a->lock);
	struct ctx_node *n = a->ctxs;
	a->ctxs = NULL;
	pthread_mutex_unlock(&a->lock);
	while (n) {
		struct ctx_node *next = n->next;
		ctx_close(n);
		n = next;
	}
	/* the calling thread's own value (if it ever served) was in the list */
	pthread_setspecific(a->tls, NULL);
	pthread_key_delete(a->tls);
	pthread_mutex_destroy(&a->lock);
	svc_policy_cache_free(a->cache);
	svc_signkeys_cache_free(a->signkeys);
	cidr_set_cleanup(&a->proxies);
	keys_free(a->keys);
	tg_wipe(&a->cfg, sizeof a->cfg);
	free(a);
}

const struct tg_config *http_app_config(const struct http_app *a)
{
	return &a->cfg;
}

const struct keys *http_app_keys(const struct http_app *a)
{
	return a->keys;
}

struct svc_policy_cache *http_app_policy_cache(struct http_app *a)
{
	return a->cache;
}

struct svc_signkeys_cache *http_app_signkeys(struct http_app *a)
{
	return a->signkeys;
}

int http_ctx_get(struct http_req *r, struct http_ctx **out)
{
	*out = NULL;
	struct http_app *a = r->app;
	if (!a)
		return TG_ERR_UNAVAILABLE;
	struct ctx_node *n = pthread_getspecific(a->tls);
	if (!n) {
		struct store *st = NULL;
		struct store_open_opts o = {.dsn = a->cfg.db_path, .create = false};
		int e = store_open("sqlite", &o, &st);
		if (e) {
			log_error("cannot open the database %s: %s", a->cfg.db_path, tg_strerror(e));
			return TG_ERR_UNAVAILABLE;
		}
		n = xcalloc(1, sizeof *n);
		struct http_ctx *c = &n->c;
		c->app = a;
		c->store = st;
		svc_init(&c->sv, st, &a->cfg.pw, "http");
		svc_oidc_init(&c->oidc, &c->sv, a->keys, &a->cfg);
		svc_auth_init(&c->auth, &c->sv, a->keys, &a->cfg.auth);
		svc_flow_init(&c->flow, &c->sv, &c->oidc, &c->auth, a->cache);
		if (pthread_setspecific(a->tls, n) != 0) {
			ctx_close(n);
			return TG_ERR_UNAVAILABLE;
		}
		pthread_mutex_lock(&a->lock);
		n->next = a->ctxs;
		a->ctxs = n;
		pthread_mutex_unlock(&a->lock);
	}
	tg_strlcpy(n->c.sv.actor, "http", sizeof n->c.sv.actor);
	n->c.sv.err[0] = '\0';
	*out = &n->c;
	return TG_OK;
}

/* ---- tenant-scoped paths ------------------------------------------------- */

int http_app_tenant(struct http_req *r, struct http_ctx *c, struct tg_tenant *out)
{
	const char *p = r->path + 1;
	size_t len = strcspn(p, "/");
	char name[TG_ID_BUF > TG_MAX_TENANT_NAME + 1 ? TG_ID_BUF : TG_MAX_TENANT_NAME + 1];
	if (len == 0 || len >= sizeof name)
		return TG_ERR_NOT_FOUND;
	memcpy(name, p, len);
	name[len] = '\0';
	int e = store_tenant_get(c->store, name, out);
	if (e == TG_ERR_NOT_FOUND || e == TG_ERR_INVALID)
		return TG_ERR_NOT_FOUND;
	if (e) {
		log_error_r(e, "reading tenant %s", name);
		return TG_ERR_UNAVAILABLE;
	}
	return TG_OK;
}

const char *http_req_subpath(const struct http_req *r)
{
	const char *slash = strchr(r->path + 1, '/');
	return slash ? slash : "";
}

/* ---- client ------------------------------------------------------------- */

static bool is_proxy(const struct http_app *a, const struct cidr_ip *ip)
{
	return a && a->proxies.n && cidr_set_contains(&a->proxies, ip);
}

/* Parse one address as found in X-Forwarded-For or Forwarded: optional
 * quotes, "[v6]:port" or "[v6]", "v4:port". */
static bool parse_forwarded_addr(const char *s, size_t len, struct cidr_ip *out)
{
	char buf[CIDR_STRLEN];
	while (len && (*s == ' ' || *s == '\t' || *s == '"')) {
		s++;
		len--;
	}
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '"'))
		len--;
	if (!len || len >= sizeof buf)
		return false;
	if (*s == '[') {
		const char *close = memchr(s, ']', len);
		if (!close)
			return false;
		len = (size_t)(close - s - 1);
		s++;
	} else if (memchr(s, '.', len)) {
		const char *colon = memchr(s, ':', len);
		if (colon)
			len = (size_t)(colon - s);
	}
	if (!len || len >= sizeof buf)
		return false;
	memcpy(buf, s, len);
	buf[len] = '\0';
	return cidr_ip_parse(buf, out) == TG_OK;
}

/* X-Forwarded-For: walk from the right, skipping our own proxies; the first
 * address that is not a trusted proxy is the client (RFC 7239 §5.2 logic
 * for a chain of proxies we trust). */
static bool from_xff(const struct http_app *a, const char *h, struct cidr_ip *out)
{
	size_t end = strlen(h);
	struct cidr_ip last;
	bool have = false;
	while (end > 0) {
		size_t start = end;
		while (start > 0 && h[start - 1] != ',')
			start--;
		struct cidr_ip ip;
		if (!parse_forwarded_addr(h + start, end - start, &ip))
			return have ? (*out = last, true) : false;
		last = ip;
		have = true;
		if (!is_proxy(a, &ip)) {
			*out = ip;
			return true;
		}
		end = start ? start - 1 : 0;
	}
	if (have)
		*out = last;
	return have;
}

/* Forwarded (RFC 7239): the for= of the right-most element that is not a
 * trusted proxy. */
static bool from_forwarded(const struct http_app *a, const char *h, struct cidr_ip *out)
{
	struct cidr_ip found;
	bool have = false;
	/* collect for= values left to right; keep the last non-proxy seen from
	 * the right by scanning all and remembering in order */
	struct cidr_ip list[16];
	size_t n = 0;
	const char *p = h;
	while (*p && n < TG_ARRAY_LEN(list)) {
		const char *e = p + strcspn(p, ",;");
		const char *q = p;
		while (q < e && (*q == ' ' || *q == '\t'))
			q++;
		if (e - q > 4 && strncasecmp(q, "for=", 4) == 0) {
			struct cidr_ip ip;
			if (parse_forwarded_addr(q + 4, (size_t)(e - q - 4), &ip))
				list[n++] = ip;
		}
		p = *e ? e + 1 : e;
	}
	for (size_t i = n; i > 0; i--) {
		found = list[i - 1];
		have = true;
		if (!is_proxy(a, &found))
			break;
	}
	if (have)
		*out = found;
	return have;
}

void http_client_ip(const struct http_req *r, char text_out[CIDR_STRLEN], struct cidr_ip *ip_out)
{
	struct cidr_ip ip;
	memset(&ip, 0, sizeof ip);
	bool ok = cidr_ip_parse(r->remote, &ip) == TG_OK;
	const struct http_app *a = r->app;
	if (ok && is_proxy(a, &ip)) {
		struct cidr_ip fwd;
		const char *xff = http_req_header(r, "X-Forwarded-For");
		const char *fw = http_req_header(r, "Forwarded");
		if ((xff && from_xff(a, xff, &fwd)) || (!xff && fw && from_forwarded(a, fw, &fwd)))
			ip = fwd;
	}
	if (ok)
		cidr_ip_format(&ip, text_out);
	else {
		memset(&ip, 0, sizeof ip);
		tg_strlcpy(text_out, "", CIDR_STRLEN);
	}
	if (ip_out)
		*ip_out = ip;
}

bool http_req_is_https(const struct http_req *r)
{
	if (r->srv && r->srv->https)
		return true;
	const struct http_app *a = r->app;
	struct cidr_ip peer;
	if (!a || cidr_ip_parse(r->remote, &peer) != TG_OK || !is_proxy(a, &peer))
		return false;
	const char *proto = http_req_header(r, "X-Forwarded-Proto");
	return proto && strcasecmp(proto, "https") == 0;
}

bool http_req_own_origin(const struct http_req *r, char *out, size_t size)
{
	out[0] = '\0';
	const char *pub = r->srv ? r->srv->public_url : NULL;
	if (pub && *pub) {
		const char *host = strstr(pub, "://");
		if (!host)
			return false;
		size_t n = (size_t)(host + 3 - pub) + strcspn(host + 3, "/?#");
		if (n >= size)
			return false;
		memcpy(out, pub, n);
		out[n] = '\0';
		return true;
	}
	const char *h = http_req_header(r, "Host");
	if (!h || !*h || strpbrk(h, "/ \t\"<>\\@"))
		return false;
	int n = snprintf(out, size, "%s://%s", http_req_is_https(r) ? "https" : "http", h);
	if (n < 0 || (size_t)n >= size) {
		out[0] = '\0';
		return false;
	}
	return true;
}

/* ---- cookies ------------------------------------------------------------ */

const char *http_session_cookie_name(const struct http_req *r)
{
	return http_req_is_https(r) ? HTTP_COOKIE_SESSION_SECURE : HTTP_COOKIE_SESSION;
}

const char *http_cookie(const struct http_req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name);
}
