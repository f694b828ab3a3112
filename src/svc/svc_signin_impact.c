/* SPDX-License-Identifier: MIT
 * Policy impact replay (see svc_signin.h): the logged sign-ins of a period,
 * each rebuilt into a decision input from its stored record, decided
 * against the tenant as it is and against the tenant plus a draft policy
 * (as if enabled), and compared with what the log says happened.
 * Sections: rebuilding an input, aggregation, the replay. */
#include <stdlib.h>
#include <string.h>
#include "base/err.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/str.h"
#include "json/ca_policy_json.h"
#include "json/signin_json.h"
#include "store/store_policy.h"
#include "svc/svc_policy_int.h"
#include "svc/svc_signin.h"

#define BATCH 256

/* ------------------------------------------------------ rebuilding an input */

static unsigned method_from_name(const char *name)
{
	for (unsigned bit = 1; bit <= CA_METHOD_ALL && bit; bit <<= 1)
		if (name[0] && strcmp(signin_method_name(bit), name) == 0)
			return bit;
	return 0;
}

/* For records without "decisionInput": credential, session MFA and
 * remembered device inferred from authenticationDetails (core/signin.c
 * writes them). The methods of an earlier MFA claim are not there: the
 * replay assumes an authenticator code. */
static void session_from_record(const struct signin_record *rec, struct decision_input *in)
{
	in->credential = DECISION_CRED_PASSWORD;
	for (size_t i = 0; i < rec->n_authentication_details; i++) {
		const struct signin_auth_detail *a = &rec->authentication_details[i];
		const char *rd = a->authentication_step_result_detail;
		int64_t when = a->authentication_step_date_time ? a->authentication_step_date_time
		                                                : rec->created_date_time;
		if (strcmp(a->authentication_step_requirement, "Primary authentication") == 0) {
			if (strcmp(a->authentication_method, "App password") == 0) {
				in->credential = DECISION_CRED_APP_PASSWORD;
			} else if (strcmp(a->authentication_method, "Previously satisfied") == 0) {
				in->credential = DECISION_CRED_SESSION;
				in->session.auth_time = when;
			}
			continue;
		}
		if (strcmp(rd, "successfully completed") == 0) {
			unsigned m = method_from_name(a->authentication_method);
			in->session.mfa_time = when;
			in->session.mfa_methods = m ? m : CA_METHOD_SOFTWARE_OATH;
			in->session.mfa_this_signin = true;
		} else if (strcmp(rd, "satisfied by claim in the token") == 0) {
			in->session.mfa_time = when;
			in->session.mfa_methods = CA_METHOD_SOFTWARE_OATH;
		} else if (strcmp(rd, "skipped due to remembered device") == 0) {
			in->remembered_device = true;
		}
	}
}

/* --------------------------------------------------------------- aggregation */

struct rows {
	struct svc_impact_row *v;
	size_t n, cap;
	size_t *slot;              /* open addressing: index + 1, 0 = empty */
	size_t nslot;
};

static size_t hash2(const char *a, const char *b)
{
	size_t h = 1469598103934665603u;
	for (const char *p = a; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211u;
	h = (h ^ '/') * 1099511628211u;
	for (const char *p = b; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211u;
	return h;
}

static void rows_rehash(struct rows *x)
{
	free(x->slot);
	x->nslot = x->nslot ? x->nslot * 2 : 64;
	x->slot = xcalloc(x->nslot, sizeof *x->slot);
	for (size_t i = 0; i < x->n; i++) {
		size_t k = hash2(x->v[i].user_id, x->v[i].app_id) & (x->nslot - 1);
		while (x->slot[k])
			k = (k + 1) & (x->nslot - 1);
		x->slot[k] = i + 1;
	}
}

static struct svc_impact_row *rows_get(struct rows *x, const struct signin_record *rec)
{
	if (2 * (x->n + 1) > x->nslot)
		rows_rehash(x);
	size_t k = hash2(rec->user_id, rec->app_id) & (x->nslot - 1);
	while (x->slot[k]) {
		struct svc_impact_row *r = &x->v[x->slot[k] - 1];
		if (strcmp(r->user_id, rec->user_id) == 0 && strcmp(r->app_id, rec->app_id) == 0)
			return r;
		k = (k + 1) & (x->nslot - 1);
	}
	if (x->n == x->cap) {
		x->cap = x->cap ? x->cap * 2 : 64;
		x->v = xrealloc(x->v, x->cap * sizeof *x->v);
	}
	struct svc_impact_row *r = &x->v[x->n];
	memset(r, 0, sizeof *r);
	tg_strlcpy(r->user_id, rec->user_id, sizeof r->user_id);
	tg_strlcpy(r->upn, rec->user_principal_name, sizeof r->upn);
	tg_strlcpy(r->app_id, rec->app_id, sizeof r->app_id);
	tg_strlcpy(r->app_name, rec->app_display_name[0] ? rec->app_display_name : rec->app_id,
	           sizeof r->app_name);
	x->slot[k] = ++x->n;
	return r;
}

static int row_order(const void *a, const void *b)
{
	const struct svc_impact_row *x = a, *y = b;
	if (x->blocked != y->blocked)
		return x->blocked < y->blocked ? 1 : -1;
	if (x->prompted != y->prompted)
		return x->prompted < y->prompted ? 1 : -1;
	if (x->applied != y->applied)
		return x->applied < y->applied ? 1 : -1;
	int c = strcmp(x->upn, y->upn);
	return c ? c : strcmp(x->app_name, y->app_name);
}

/* ----------------------------------------------------------------- the replay */

void svc_impact_report_init(struct svc_impact_report *rep)
{
	memset(rep, 0, sizeof *rep);
	ca_policy_init(&rep->draft);
}

void svc_impact_report_cleanup(struct svc_impact_report *rep)
{
	if (!rep)
		return;
	ca_policy_cleanup(&rep->draft);
	free(rep->rows);
	svc_impact_report_init(rep);
}

struct batch {
	size_t n;
	int64_t last_time, last_seq;
	char *json[BATCH];
};

static int batch_cb(const struct store_signin *row, void *arg)
{
	struct batch *b = arg;
	b->json[b->n++] = xstrdup(row->json);
	b->last_time = row->time;
	b->last_seq = row->seq;
	return 0;
}

struct replay {
	struct svc *sv;
	const struct tg_tenant *t;
	struct svc_policy_snapshot *base, *with;
	size_t draft_index;
	struct svc_decision_user user;     /* the last user loaded */
	bool user_loaded;
	struct decision d_base, d_with;
	struct rows rows;
	struct svc_impact_report *rep;
};

/* The draft's result in d (it is the last policy of the "with" set). */
static const struct ca_eval_result *draft_result(const struct replay *x)
{
	for (size_t i = 0; i < x->d_with.n_policies; i++)
		if (x->d_with.policies[i].index == x->draft_index)
			return &x->d_with.policies[i].r;
	return NULL;
}

static int replay_one(struct replay *x, const char *json)
{
	struct signin_record rec;
	struct signin_json_meta meta;
	struct json_err je;
	struct svc_app app;
	struct decision_app dapp;
	struct decision_input in;
	struct cidr_ip ip;
	int r;

	signin_record_init(&rec);
	memset(&je, 0, sizeof je);
	if (signin_parse(json, strlen(json), &rec, &meta, &je) || cidr_ip_parse(rec.ip_address, &ip)) {
		log_warn("impact replay: unreadable sign-in record (%s: %s)", je.path, je.message);
		x->rep->skipped_unreadable++;
		signin_record_cleanup(&rec);
		return TG_OK;
	}
	if (!rec.user_id[0]) {
		x->rep->skipped_unknown_user++;
		signin_record_cleanup(&rec);
		return TG_OK;
	}
	if (!x->user_loaded || strcmp(x->user.user.id, rec.user_id) != 0) {
		svc_decision_user_cleanup(&x->user);
		x->user_loaded = false;
		r = svc_decision_user_load(x->sv, x->t, rec.user_id, &x->user);
		if (r == TG_ERR_NOT_FOUND) {
			x->rep->skipped_unknown_user++;
			signin_record_cleanup(&rec);
			return TG_OK;
		}
		if (r) {
			signin_record_cleanup(&rec);
			return r;
		}
		x->user_loaded = true;
	}
	if (svc_app_resolve(x->sv, x->t, rec.app_id, &app)) {
		x->rep->skipped_unreadable++;
		signin_record_cleanup(&rec);
		return TG_OK;
	}
	dapp.id = app.id;
	dapp.display_name = rec.app_display_name[0] ? rec.app_display_name : app.display_name;
	dapp.privileged = app.privileged;

	memset(&in, 0, sizeof in);
	in.user = &x->user.du;
	in.app = &dapp;
	in.client = meta.client;
	in.protocol = rec.client_app_used[0] ? rec.client_app_used : NULL;
	in.ip = ip;
	in.platform = rec.operating_system;
	in.sign_in_risk = rec.risk_level_during_sign_in;
	in.sign_in_risk_reason = rec.risk_reason;
	in.user_risk = rec.user_risk_level;
	in.user_risk_reason = rec.user_risk_reason;
	in.interactive = rec.is_interactive;
	in.now = rec.created_date_time;
	if (meta.has_input) {
		in.credential = meta.credential;
		in.session.auth_time = meta.auth_time;
		in.session.mfa_time = meta.mfa_time;
		in.session.mfa_methods = meta.mfa_methods;
		in.session.mfa_this_signin = meta.mfa_this_signin;
		in.remembered_device = meta.remembered_device;
		in.step_up_mfa = meta.step_up_mfa;
	} else {
		session_from_record(&rec, &in);
	}

	in.tenant = svc_policy_snapshot_tenant(x->base);
	if ((r = decision_evaluate(&in, &x->d_base)) == TG_OK) {
		in.tenant = svc_policy_snapshot_tenant(x->with);
		r = decision_evaluate(&in, &x->d_with);
	}
	if (r) {
		x->rep->skipped_unreadable++;
		signin_record_cleanup(&rec);
		return TG_OK;
	}

	struct svc_impact_report *rep = x->rep;
	struct svc_impact_row *row = rows_get(&x->rows, &rec);
	const struct ca_eval_result *dr = draft_result(x);
	bool applied = dr && dr->applies;
	bool blocked = applied && (dr->grant == CA_GRANT_BLOCK || dr->grant == CA_GRANT_UNSATISFIABLE);
	bool prompted = applied && !blocked &&
	                (dr->mfa_pending || dr->password_change_pending || dr->reauth_pending);
	bool was_blocked = rec.outcome == DECISION_BLOCKED;
	bool was_allowed = rec.outcome == DECISION_ALLOW;

	rep->replayed++;
	row->signins++;
	if (applied) {
		rep->applied++;
		row->applied++;
	}
	if (blocked) {
		rep->blocked++;
		row->blocked++;
		if (!was_blocked) {
			rep->newly_blocked++;
			row->newly_blocked++;
		}
	}
	if (prompted) {
		rep->prompted++;
		row->prompted++;
		if (was_allowed) {
			rep->newly_prompted++;
			row->newly_prompted++;
		}
	}
	if (x->d_base.outcome != rec.outcome)
		rep->changed_without_draft++;
	signin_record_cleanup(&rec);
	return TG_OK;
}

int svc_policy_impact(struct svc *sv, const struct tg_tenant *t, const char *json, size_t len,
                      int64_t since, int64_t until, struct svc_impact_report *rep, struct json_err *jerr)
{
	struct replay x;
	struct batch b;
	struct json_err je;
	int r;

	svc_impact_report_cleanup(rep);
	memset(&x, 0, sizeof x);
	memset(&b, 0, sizeof b);
	x.sv = sv;
	x.t = t;
	x.rep = rep;
	decision_init(&x.d_base);
	decision_init(&x.d_with);
	if ((r = ca_policy_parse(json, len, 0, &rep->draft, &je))) {
		r = svc_json_fail(sv, r, &je, jerr, "the draft policy is invalid");
		goto out;
	}
	if ((r = svc_policy_check_references(sv, t, &rep->draft, jerr)))
		goto out;
	rep->since = since;
	rep->until = until ? until : svc_now(sv);
	if ((r = svc_policy_snapshot_get(sv, NULL, t, &x.base)) ||
	    (r = svc_policy_snapshot_with(sv, t, &rep->draft, &x.with)))
		goto out;
	rep->security_defaults_on = svc_policy_snapshot_tenant(x.base)->security_defaults;
	x.draft_index = ca_compiled_count(svc_policy_snapshot_tenant(x.with)->ca) - 1;

	struct store_signin_query q = {
		.tenant_id = t->id, .since = since, .until = rep->until, .error_code = -1,
		.status = STORE_SIGNIN_ANY, .interactive = -1, .limit = BATCH, .oldest_first = true,
	};
	size_t seen = 0;
	for (;;) {
		b.n = 0;
		if ((r = store_signin_list(sv->store, &q, batch_cb, &b))) {
			svc_store_fail(sv, r, "reading the sign-in log");
			goto out;
		}
		for (size_t i = 0; i < b.n; i++) {
			if (!r && seen < TG_MAX_IMPACT_SIGNINS)
				r = replay_one(&x, b.json[i]);
			else if (!r)
				rep->truncated = true;
			seen++;
			free(b.json[i]);
		}
		if (r)
			goto out;
		if (b.n < BATCH || rep->truncated)
			break;
		q.has_cursor = true;
		q.cursor_time = b.last_time;
		q.cursor_seq = b.last_seq;
	}
	if (x.rows.n)
		qsort(x.rows.v, x.rows.n, sizeof *x.rows.v, row_order);
	rep->rows = x.rows.v;
	rep->n_rows = x.rows.n;
	x.rows.v = NULL;   /* transferred */
out:
	free(x.rows.v);
	free(x.rows.slot);
	svc_decision_user_cleanup(&x.user);
	decision_cleanup(&x.d_base);
	decision_cleanup(&x.d_with);
	svc_policy_snapshot_release(x.base);
	svc_policy_snapshot_release(x.with);
	return r;
}
