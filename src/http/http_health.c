/* SPDX-License-Identifier: MIT
 * Probes for orchestrators and load balancers: /healthz says the process
 * answers (liveness), /readyz asks the ready_check the CLI passed (the
 * database) whether requests can be served (readiness). */
#include "base/err.h"
#include "base/log.h"
#include "http/http_reply.h"
#include "http/http_route.h"

int http_health_live(struct http_req *r)
{
	return http_reply_json_take(r, 200, json_pack("{s:s, s:s}", "status", "ok",
	                                              "version", TG_VERSION));
}

int http_health_ready(struct http_req *r)
{
	const struct http_opts *o = &r->srv->opts;
	int err = o->ready_check ? o->ready_check(o->ready_arg) : TG_OK;
	if (err == TG_OK)
		return http_reply_json_take(r, 200, json_pack("{s:s}", "status", "ready"));

	/* The reason names a class of failure ("database failure"), never a
	 * detail such as a path or a DSN: the probe is unauthenticated. */
	log_warn("not ready: %s", tg_strerror(err));
	size_t len;
	json_t *j = json_pack("{s:s, s:{s:s, s:s}}", "status", "not ready",
	                      "reason", "code", tg_errname(err),
	                      "message", tg_strerror(err));
	struct MHD_Response *resp = http_json_response(j, &len);
	json_decref(j);
	if (resp && MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, "5") != MHD_YES) {
		MHD_destroy_response(resp);
		resp = NULL;
	}
	return http_reply_queue(r, 503, resp, len);
}
