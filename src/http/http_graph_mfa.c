/* SPDX-License-Identifier: MIT
 * Admin API: GET /tollgate/v1/perUserMfa, the users of a tenant with their
 * per-user MFA state in one paged list (Entra's "multifactor
 * authentication" page). Graph has no such list: it would take one
 * GET /beta/users/{id}/authentication/requirements per user.
 *
 *   $filter  perUserMfaState eq 'disabled|enabled|enforced', and/or one
 *            eq or startswith on userPrincipalName or displayName, joined
 *            by "and"
 *   $top     1..999 (default 100); @odata.nextLink with $skiptoken (the
 *            last UPN shown: keyset paging in UPN order, as /v1.0/users)
 *   $select  among the four properties (id always kept)
 *
 * GET /tollgate/v1/mfaNotices: the tenant's notices emailed to users when
 * MFA was turned on for them (svc_notify.h), newest first.
 *
 *   $filter  status eq 'pending|sent|failed'
 *   $top     1..999 (default 100; one more is read to know whether more
 *            remain, at most TG_MAX_NOTIFY_LIST); @odata.nextLink with
 *            $skiptoken "CREATED.SEQ" (the last notice shown: keyset paging
 *            newest first, as the sign-in log), the $filter kept
 *   $select  among the properties of a notice (id always kept)
 *
 * Framework: http_graph.h; documentation: docs/admin-api.md. */
#include <stdio.h>
#include <string.h>
#include "base/err.h"
#include "base/str.h"
#include "core/mfa_state.h"
#include "http/http_graph.h"
#include "http/http_reply.h"
#include "http/http_route.h"
#include "store/store.h"
#include "store/store_notify.h"
#include "svc/svc_signin.h"

static const char *const mfa_props[] = {
	"id", "userPrincipalName", "displayName", "perUserMfaState", NULL,
};
static const char *const mfa_filter_props[] = {
	"perUserMfaState", "userPrincipalName", "displayName", NULL,
};

struct mfa_acc {
	json_t *arr;
	const struct graph_query *q;
	size_t n;
	char last[TG_MAX_UPN + 1];
	bool more;
};

static int mfa_cb(const struct tg_user *u, void *arg)
{
	struct mfa_acc *a = arg;
	if (a->n == a->q->top) {
		a->more = true;
		return TG_OK;
	}
	json_t *o = json_object();
	json_object_set_new(o, "id", json_string(u->id));
	json_object_set_new(o, "userPrincipalName", json_string(u->upn));
	json_object_set_new(o, "displayName", json_string(u->display_name));
	json_object_set_new(o, "perUserMfaState", json_string(mfa_state_name(u->mfa_state)));
	http_graph_select(a->q, o);
	json_array_append_new(a->arr, o);
	snprintf(a->last, sizeof a->last, "%s", u->upn);
	a->n++;
	return TG_OK;
}

static int bad_filter(struct http_req *r, const char *msg)
{
	return http_reply_error(r, 400, "Request_BadRequest", msg);
}

/* Put one parsed clause into uq (lower: a buffer for the lowercased UPN
 * value). false when it repeats a kind of clause already given or is not
 * allowed (startswith on the state, an unknown state). */
static bool apply_clause(const struct graph_query *c, struct user_query *uq, bool *has_name,
                         char *lower, size_t lower_size)
{
	if (c->fop == GRAPH_FILTER_NONE)
		return true;
	if (strcmp(c->fprop, "perUserMfaState") == 0) {
		enum mfa_state st;
		if (c->fop != GRAPH_FILTER_EQ || uq->state >= 0 ||
		    mfa_state_parse(c->fvalue, &st) != TG_OK)
			return false;
		uq->state = (int)st;
		return true;
	}
	if (*has_name)
		return false;
	*has_name = true;
	if (strcmp(c->fprop, "userPrincipalName") == 0) {
		snprintf(lower, lower_size, "%s", c->fvalue);
		for (char *p = lower; *p; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p - 'A' + 'a');
		if (c->fop == GRAPH_FILTER_EQ)
			uq->upn_eq = lower;
		else
			uq->upn_prefix = lower;
	} else if (c->fop == GRAPH_FILTER_EQ) {
		uq->name_eq = c->fvalue;
	} else {
		uq->name_prefix = c->fvalue;
	}
	return true;
}

int http_graph_per_user_mfa_list(struct http_req *r)
{
	struct graph_call g;
	int e = http_graph_begin(r, &g);
	if (e || r->replied)
		goto out;
	struct graph_query q, q2;
	if (!http_graph_require(r, &g, GRAPH_OP_PER_USER_MFA_READ, NULL) ||
	    !http_graph_query_and(r, mfa_filter_props, mfa_props, &q, &q2))
		goto out;
	struct user_query uq = {.tenant_id = g.t->id, .state = -1, .limit = (int)q.top + 1};
	char lower[sizeof q.fvalue];
	bool has_name = false;
	if (!apply_clause(&q, &uq, &has_name, lower, sizeof lower) ||
	    !apply_clause(&q2, &uq, &has_name, lower, sizeof lower)) {
		e = bad_filter(r, "Invalid filter clause: perUserMfaState eq 'disabled', 'enabled' or "
		                  "'enforced', and at most one clause on userPrincipalName or "
		                  "displayName.");
		goto out;
	}
	if (q.skiptoken[0])
		uq.after_upn = q.skiptoken;
	struct mfa_acc acc = {.arr = json_array(), .q = &q};
	if (!acc.arr) {
		e = TG_ERR_NOMEM;
		goto out;
	}
	if ((e = store_user_list(g.c->store, &uq, mfa_cb, &acc))) {
		json_decref(acc.arr);
		goto out;
	}
	e = http_graph_reply_collection(r, &g, "perUserMfa", acc.arr, &q, acc.more ? acc.last : NULL);
out:
	http_graph_end(&g);
	return e;
}

/* ---- GET /tollgate/v1/mfaNotices ---------------------------------------- */

static const char *const notice_props[] = {
	"id", "userId", "userPrincipalName", "address", "kind", "status", "attempts",
	"createdDateTime", "nextAttemptDateTime", "sentDateTime", "lastError", NULL,
};
static const char *const notice_filter_props[] = {"status", NULL};
static const char *const notice_status_names[] = {
	[STORE_NOTIFY_PENDING] = "pending",
	[STORE_NOTIFY_SENT] = "sent",
	[STORE_NOTIFY_FAILED] = "failed",
};

struct notice_acc {
	json_t *arr;
	const struct graph_query *q;
	size_t n;
	int64_t last_created, last_seq;   /* the cursor after the last one shown */
	bool more;
};

static json_t *notice_time(int64_t t)
{
	if (t <= 0)
		return json_null();
	char iso[TG_TIME_ISO_LEN];
	tg_time_iso(t, iso);
	return json_string(iso);
}

static int notice_cb(const struct store_notification *n, void *arg)
{
	struct notice_acc *a = arg;
	if (a->n == a->q->top) {
		a->more = true;
		return TG_OK;
	}
	const char *st = n->status >= STORE_NOTIFY_PENDING && n->status <= STORE_NOTIFY_FAILED
	                         ? notice_status_names[n->status]
	                         : "unknown";
	json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:I}", "id", n->id, "userId", n->user_id,
	                      "userPrincipalName", n->upn, "address", n->to, "kind", n->kind,
	                      "status", st, "attempts", (json_int_t)n->attempts);
	if (!o)
		return TG_ERR_NOMEM;
	json_object_set_new(o, "createdDateTime", notice_time(n->created));
	json_object_set_new(o, "nextAttemptDateTime",
	                    notice_time(n->status == STORE_NOTIFY_PENDING ? n->next_attempt : 0));
	json_object_set_new(o, "sentDateTime",
	                    notice_time(n->status == STORE_NOTIFY_SENT ? n->sent : 0));
	json_object_set_new(o, "lastError",
	                    n->last_error[0] ? json_string(n->last_error) : json_null());
	http_graph_select(a->q, o);
	if (json_array_append_new(a->arr, o))
		return TG_ERR_NOMEM;
	a->last_created = n->created;
	a->last_seq = n->change_seq;
	a->n++;
	return TG_OK;
}

int http_graph_mfa_notices(struct http_req *r)
{
	struct graph_call g;
	int e = http_graph_begin(r, &g);
	if (e || r->replied)
		goto out;
	struct graph_query q;
	if (!http_graph_require(r, &g, GRAPH_OP_PER_USER_MFA_READ, NULL) ||
	    !http_graph_query(r, notice_filter_props, notice_props, &q))
		goto out;
	if (q.top >= TG_MAX_NOTIFY_LIST) {   /* $top + 1 is read; unreachable while $top ≤ 999 */
		char msg[96];
		snprintf(msg, sizeof msg, "Invalid page size specified: $top must be between 1 and %d.",
		         TG_MAX_NOTIFY_LIST - 1);
		e = http_reply_error(r, 400, "Request_BadRequest", msg);
		goto out;
	}
	struct store_notify_query nq = {.tenant_id = g.t->id, .status = -1, .limit = (int)q.top + 1};
	if (q.skiptoken[0] &&
	    svc_signin_cursor_parse(q.skiptoken, &nq.before_created, &nq.before_seq) != TG_OK) {
		e = http_reply_error(r, 400, "Request_BadRequest",
		                     "Invalid $skiptoken: start again without it.");
		goto out;
	}
	if (q.fop != GRAPH_FILTER_NONE) {
		nq.status = -2;
		for (int i = STORE_NOTIFY_PENDING; i <= STORE_NOTIFY_FAILED; i++)
			if (q.fop == GRAPH_FILTER_EQ && strcmp(q.fvalue, notice_status_names[i]) == 0)
				nq.status = i;
		if (nq.status == -2) {
			e = bad_filter(r, "Invalid filter clause: status eq 'pending', 'sent' or 'failed'.");
			goto out;
		}
	}
	struct notice_acc acc = {.arr = json_array(), .q = &q};
	if (!acc.arr) {
		e = TG_ERR_NOMEM;
		goto out;
	}
	if ((e = store_notify_list(g.c->store, &nq, notice_cb, &acc))) {
		json_decref(acc.arr);
		goto out;
	}
	char next[48];
	if (acc.more)
		svc_signin_cursor_format(acc.last_created, acc.last_seq, next, sizeof next);
	e = http_graph_reply_collection(r, &g, "mfaNotices", acc.arr, &q, acc.more ? next : NULL);
out:
	http_graph_end(&g);
	return e;
}
