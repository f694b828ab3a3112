/* SPDX-License-Identifier: MIT
 * Sign-ins in the service layer (see svc_signin.h): applications, the user
 * as the decision sees it, sign-in risk from the store, what-if and the
 * simulation tool, and the sign-in log.
 * Sections: apps, user, risk, deciding, the log. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/err.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/str.h"
#include "core/uuid.h"
#include "crypto/rng.h"
#include "json/signin_json.h"
#include "store/store_auth.h"
#include "store/store_oidc.h"
#include "store/store_policy.h"
#include "svc/svc_policy_int.h"
#include "core/phone.h"
#include "svc/svc_signin.h"

/* -------------------------------------------------------------------- apps */

static const struct {
	const char *key, *id, *name;
	bool privileged;
} builtin_apps[] = {
	{"admin-portal", SVC_APP_ADMIN_PORTAL, "Tollgate admin portal", true},
	{"admin-api", SVC_APP_ADMIN_API, "Tollgate admin API", true},
	{"my-signins", SVC_APP_MY_SIGNINS, "My sign-ins", false},
};

struct app_by_name {
	const char *name;
	struct svc_app found;
	int n;
};

static int app_name_cb(const struct store_app *a, void *arg)
{
	struct app_by_name *x = arg;
	if (!tg_streq_ci(a->display_name, x->name))
		return 0;
	if (x->n++ == 0) {
		tg_strlcpy(x->found.id, a->id, sizeof x->found.id);
		tg_strlcpy(x->found.display_name, a->display_name, sizeof x->found.display_name);
		x->found.privileged = a->privileged;
	}
	return 0;
}

int svc_app_resolve(struct svc *sv, const struct tg_tenant *t, const char *key, struct svc_app *out)
{
	struct store_app a;
	memset(out, 0, sizeof *out);
	if (!key || !*key)
		return svc_fail(sv, TG_ERR_INVALID, "no application given");
	for (size_t i = 0; i < TG_ARRAY_LEN(builtin_apps); i++) {
		if (tg_streq_ci(key, builtin_apps[i].key) || tg_streq_ci(key, builtin_apps[i].id)) {
			tg_strlcpy(out->id, builtin_apps[i].id, sizeof out->id);
			tg_strlcpy(out->display_name, builtin_apps[i].name, sizeof out->display_name);
			out->privileged = builtin_apps[i].privileged;
			return TG_OK;
		}
	}
	if (uuid_is_valid(key)) {
		tg_strlcpy(out->id, key, sizeof out->id);
		tg_ascii_lower(out->id);
		int r = store_app_get(sv->store, t->id, out->id, &a);
		if (r == TG_OK) {
			tg_strlcpy(out->display_name, a.display_name, sizeof out->display_name);
			out->privileged = a.privileged;
		} else if (r == TG_ERR_NOT_FOUND || r == TG_ERR_UNSUPPORTED) {
			tg_strlcpy(out->display_name, out->id, sizeof out->display_name);
		} else {
			return svc_store_fail(sv, r, "reading the applications");
		}
		return TG_OK;
	}
	struct app_by_name x = {.name = key};
	int r = store_app_list(sv->store, t->id, app_name_cb, &x);
	if (r && r != TG_ERR_UNSUPPORTED)
		return svc_store_fail(sv, r, "reading the applications");
	if (x.n == 1) {
		*out = x.found;
		return TG_OK;
	}
	if (x.n > 1)
		return svc_fail(sv, TG_ERR_INVALID, "%d applications are named \"%s\": give the client id", x.n, key);
	return svc_fail(sv, TG_ERR_INVALID, "unknown application \"%s\": give admin-portal, admin-api, "
	                "my-signins, an application's name or an application (client) id", key);
}

/* -------------------------------------------------------------------- user */

static int typed_cb(const struct store_method *m, void *arg)
{
	unsigned *bits = arg;
	if (m->status != STORE_METHOD_ACTIVE)
		return 0;
	if (strcmp(m->kind, STORE_KIND_SOFTWARE_OATH) == 0)
		*bits |= CA_METHOD_SOFTWARE_OATH;
	else if (strcmp(m->kind, STORE_KIND_HARDWARE_OATH) == 0)
		*bits |= CA_METHOD_HARDWARE_OATH;
	else if (strcmp(m->kind, STORE_KIND_EMAIL) == 0)
		*bits |= CA_METHOD_EMAIL;
	else if (strcmp(m->kind, STORE_KIND_PHONE) == 0) {
		unsigned ch = phone_channels((enum phone_type)m->phone_type, m->detail);
		if (ch & PHONE_CHANNEL_SMS)
			*bits |= CA_METHOD_SMS;
		if (ch & PHONE_CHANNEL_VOICE)
			*bits |= CA_METHOD_VOICE;
	}
	return 0;
}

int svc_signin_user_methods(struct svc *sv, const char *user_id, unsigned *methods_out,
                            bool *app_passwords_out)
{
	/* The user's active methods by type (CA_METHOD_* bits): the decision
	 * needs them for authentication strengths and verification options,
	 * the sign-in flow to know what to offer. */
	unsigned bits = 0;
	int64_t ap = 0;
	int r = store_method_list(sv->store, user_id, typed_cb, &bits);
	if (r)
		return svc_store_fail(sv, r, "reading the user's methods");
	r = store_app_password_count(sv->store, user_id, &ap);
	if (r && r != TG_ERR_UNSUPPORTED)
		return svc_store_fail(sv, r, "reading the user's app passwords");
	*methods_out = bits;
	*app_passwords_out = r == TG_OK && ap > 0;
	return TG_OK;
}

static const char **idv_ptrs(char (*v)[TG_ID_BUF], size_t n)
{
	const char **p = xcalloc(n ? n : 1, sizeof *p);
	for (size_t i = 0; i < n; i++)
		p[i] = v[i];
	return p;
}

void svc_decision_user_cleanup(struct svc_decision_user *u)
{
	if (!u)
		return;
	free(u->roles);
	free(u->groups);
	free(u->role_ptrs);
	free(u->group_ptrs);
	memset(u, 0, sizeof *u);
}

int svc_decision_user_load(struct svc *sv, const struct tg_tenant *t, const char *user,
                           struct svc_decision_user *out)
{
	struct svc_idv roles = {0}, groups = {0};
	int64_t first = 0;
	int r;

	memset(out, 0, sizeof *out);
	if ((r = svc_user_find(sv, t, user, &out->user)))
		return r;
	tg_wipe(out->user.pwhash, sizeof out->user.pwhash);
	if ((r = store_user_roles(sv->store, out->user.id, svc_idv_add, &roles)) ||
	    (r = store_member_groups(sv->store, TG_MEMBER_USER, out->user.id, true, svc_idv_add, &groups))) {
		svc_store_fail(sv, r, "reading the user's roles and groups");
		goto fail;
	}
	out->roles = roles.v;
	out->n_roles = roles.n;
	out->groups = groups.v;
	out->n_groups = groups.n;
	roles.v = groups.v = NULL;   /* transferred */
	out->role_ptrs = idv_ptrs(out->roles, out->n_roles);
	out->group_ptrs = idv_ptrs(out->groups, out->n_groups);
	if ((r = svc_signin_user_methods(sv, out->user.id, &out->du.methods, &out->du.has_app_passwords)) ||
	    (r = svc_user_risk_get(sv, t, out->user.id, &out->risk)))
		goto fail;
	r = store_sd_first_signin_get(sv->store, out->user.id, &first);
	if (r && r != TG_ERR_NOT_FOUND) {
		svc_store_fail(sv, r, "reading the registration grace");
		goto fail;
	}
	out->du.id = out->user.id;
	out->du.upn = out->user.upn;
	out->du.state = out->user.mfa_state;
	out->du.roles = out->role_ptrs;
	out->du.n_roles = out->n_roles;
	out->du.groups = out->group_ptrs;
	out->du.n_groups = out->n_groups;
	out->du.is_guest = out->user.is_guest;
	out->du.sd_first_interactive = r == TG_OK ? first : 0;
	return TG_OK;
fail:
	free(roles.v);
	free(groups.v);
	return r;
}

/* -------------------------------------------------------------------- risk */

struct hist {
	struct cidr nets[TG_MAX_RISK_NETWORKS];
	size_t n_nets;
	size_t n;
	unsigned platforms;
};

static int hist_cb(const struct store_signin *row, void *arg)
{
	struct hist *h = arg;
	struct cidr_ip ip;
	struct cidr net;
	h->n++;
	if ((unsigned)row->platform < PLATFORM_COUNT_)
		h->platforms |= 1u << row->platform;
	if (cidr_ip_parse(row->ip, &ip) != TG_OK)
		return 0;
	risk_network_of(&ip, &net);
	for (size_t i = 0; i < h->n_nets; i++)
		if (cidr_equal(&h->nets[i], &net))
			return 0;
	if (h->n_nets < TG_MAX_RISK_NETWORKS)
		h->nets[h->n_nets++] = net;
	return 0;
}

static int count_cb(const struct store_signin *row, void *arg)
{
	(void)row;
	(*(unsigned *)arg)++;
	return 0;
}

int svc_signin_risk(struct svc *sv, const struct tg_tenant *t, const struct svc_policy_snapshot *snap,
                    const char *user_id, const struct cidr_ip *ip, enum platform platform,
                    int64_t now, struct risk_result *out)
{
	struct hist *h = xcalloc(1, sizeof *h);
	struct risk_history rh;
	struct risk_config cfg = {.bad_ips = snap ? svc_policy_snapshot_bad_ips(snap) : NULL};
	int r = TG_OK;
	if (user_id && *user_id) {
		struct store_signin_query q = {
			.tenant_id = t->id, .user_id = user_id, .until = now, .error_code = -1,
			.status = STORE_SIGNIN_SUCCESS, .interactive = -1, .limit = TG_MAX_RISK_HISTORY,
		};
		if ((r = store_signin_list(sv->store, &q, hist_cb, h))) {
			svc_store_fail(sv, r, "reading the sign-in history");
			goto out;
		}
	}
	rh.n_signins = h->n;
	rh.networks = h->nets;
	rh.n_networks = h->n_nets;
	rh.platforms = h->platforms;
	/* Recent password failures: the account's wrong-password sign-ins
	 * (50126) in the last hour, from the sign-in log, which records every
	 * attempt. (The lockout counter cannot serve: a success resets it
	 * before the decision runs.) */
	unsigned failures = 0;
	if (user_id && *user_id) {
		struct store_signin_query fq = {
			.tenant_id = t->id, .user_id = user_id, .since = now - RISK_FAILURE_WINDOW,
			.until = now, .error_code = 50126, .status = STORE_SIGNIN_FAILURE,
			.interactive = -1, .limit = RISK_DEFAULT_FAILURE_THRESHOLD,
		};
		if ((r = store_signin_list(sv->store, &fq, count_cb, &failures))) {
			svc_store_fail(sv, r, "reading recent sign-in failures");
			goto out;
		}
	}
	struct risk_signin s = {.ip = *ip, .platform = platform, .recent_failures = failures, .history = &rh};
	if ((r = risk_signin_evaluate(&cfg, &s, out)))
		svc_fail(sv, r, "cannot evaluate the sign-in risk");
out:
	free(h);
	return r;
}

/* ---------------------------------------------------------------- deciding */

void svc_signin_result_init(struct svc_signin_result *r)
{
	memset(r, 0, sizeof *r);
	decision_init(&r->d);
}

void svc_signin_result_cleanup(struct svc_signin_result *r)
{
	if (!r)
		return;
	decision_cleanup(&r->d);
	svc_decision_user_cleanup(&r->user);
	svc_policy_snapshot_release(r->snap);
	svc_signin_result_init(r);
}

int svc_whatif(struct svc *sv, struct svc_policy_cache *cache, const struct tg_tenant *t,
               const struct svc_signin_request *req, struct svc_signin_result *out)
{
	struct cidr_ip ip;
	int r;

	svc_signin_result_cleanup(out);
	if ((unsigned)req->client >= DECISION_CLIENT_COUNT_)
		return svc_fail(sv, TG_ERR_INVALID, "unknown client app type");
	if ((unsigned)req->credential > DECISION_CRED_SESSION)
		return svc_fail(sv, TG_ERR_INVALID, "unknown credential kind");
	if (!req->ip || cidr_ip_parse(req->ip, &ip))
		return svc_fail(sv, TG_ERR_INVALID, "\"%s\" is not an IPv4 or IPv6 address", req->ip ? req->ip : "");
	if (req->has_platform && (unsigned)req->platform >= PLATFORM_COUNT_)
		return svc_fail(sv, TG_ERR_INVALID, "unknown platform");
	if (req->has_risk && (unsigned)req->sign_in_risk >= RISK_LEVEL_COUNT_)
		return svc_fail(sv, TG_ERR_INVALID, "unknown risk level");
	if ((r = svc_app_resolve(sv, t, req->app, &out->app)))
		return r;
	int64_t now = req->now ? req->now : svc_now(sv);
	if ((r = svc_policy_snapshot_get(sv, cache, t, &out->snap)) ||
	    (r = svc_decision_user_load(sv, t, req->user, &out->user)))
		return r;
	enum platform plat = req->has_platform ? req->platform : platform_from_user_agent(req->user_agent);
	if (req->has_risk) {
		out->sign_in_risk.level = req->sign_in_risk;
		tg_strlcpy(out->sign_in_risk.reason, "given for this evaluation", sizeof out->sign_in_risk.reason);
	} else if ((r = svc_signin_risk(sv, t, out->snap, out->user.user.id, &ip, plat, now, &out->sign_in_risk))) {
		return r;
	}
	out->dapp.id = out->app.id;
	out->dapp.display_name = out->app.display_name;
	out->dapp.privileged = out->app.privileged;

	struct decision_input *in = &out->in;
	in->tenant = svc_policy_snapshot_tenant(out->snap);
	in->user = &out->user.du;
	in->app = &out->dapp;
	in->client = req->client;
	in->protocol = req->protocol && *req->protocol ? req->protocol : NULL;
	in->ip = ip;
	in->platform = plat;
	in->sign_in_risk = out->sign_in_risk.level;
	in->sign_in_risk_reason = out->sign_in_risk.reason;
	in->user_risk = out->user.risk.risk.level;
	in->user_risk_reason = out->user.risk.risk.reason;
	in->session.mfa_time = req->mfa_at;
	in->session.mfa_methods = req->mfa_at ? (req->mfa_methods ? req->mfa_methods : CA_METHOD_SOFTWARE_OATH) : 0;
	in->session.mfa_this_signin = req->mfa_at && req->mfa_this_signin;
	in->session.auth_time = req->credential == DECISION_CRED_SESSION ? (req->auth_time ? req->auth_time : now) : 0;
	in->session.password_changed = req->password_changed;
	in->step_up_mfa = req->step_up_mfa;
	in->user_action = req->user_action;
	in->remembered_device = req->remembered_device;
	in->credential = req->credential;
	in->interactive = !req->non_interactive;
	in->now = now;
	in->explain_all = !req->candidates_only;
	if ((r = decision_evaluate(in, &out->d)))
		return svc_fail(sv, r, "the decision refused its input (%s)", tg_strerror(r));
	return TG_OK;
}

int svc_signin_simulate(struct svc *sv, struct svc_policy_cache *cache, const struct tg_tenant *t,
                        const struct svc_signin_request *req, struct svc_signin_result *out, char *id_out)
{
	int r = svc_whatif(sv, cache, t, req, out);
	if (r)
		return r;
	if ((r = svc_signin_log(sv, t, &out->in, &out->d, req->user_agent, NULL, id_out)))
		return r;
	/* a real sign-in that passed its first factor starts the grace */
	if (out->in.interactive && out->in.tenant->security_defaults &&
	    out->d.error_code != DECISION_CODE_BAD_CREDENTIALS)
		r = svc_sd_note_interactive(sv, t, out->user.user.id, out->in.now, NULL);
	return r;
}

/* ----------------------------------------------------------------- the log */

int svc_signin_log(struct svc *sv, const struct tg_tenant *t, const struct decision_input *in,
                   const struct decision *d, const char *user_agent, const char *request_id, char *id_out)
{
	struct signin_record rec;
	struct signin_json_meta meta;
	struct store_signin row;
	char id[TG_ID_BUF];
	int r;

	memset(&meta, 0, sizeof meta);
	memset(&row, 0, sizeof row);
	if ((r = rng_uuid(id)))
		return svc_fail(sv, r, "no randomness available");
	if (request_id && *request_id)
		tg_strlcpy(meta.request_id, request_id, sizeof meta.request_id);
	else if ((r = rng_uuid(meta.request_id)))
		return svc_fail(sv, r, "no randomness available");
	signin_json_meta_from_input(&meta, in);
	signin_record_init(&rec);
	if ((r = signin_build(in, d, id, user_agent, &rec))) {
		signin_record_cleanup(&rec);
		return svc_fail(sv, r, "cannot build the sign-in record");
	}
	char *text = signin_to_text(&rec, &meta, false);
	tg_strlcpy(row.id, rec.id, sizeof row.id);
	tg_strlcpy(row.tenant_id, t->id, sizeof row.tenant_id);
	row.time = rec.created_date_time;
	tg_strlcpy(row.user_id, rec.user_id, sizeof row.user_id);
	tg_strlcpy(row.upn, rec.user_principal_name, sizeof row.upn);
	tg_strlcpy(row.app_id, rec.app_id, sizeof row.app_id);
	tg_strlcpy(row.app_name, rec.app_display_name, sizeof row.app_name);
	tg_strlcpy(row.ip, rec.ip_address, sizeof row.ip);
	tg_strlcpy(row.client_app, rec.client_app_used, sizeof row.client_app);
	row.client_type = (int)in->client;
	row.platform = (int)rec.operating_system;
	row.error_code = rec.error_code;
	row.ca_status = (int)rec.conditional_access_status;
	row.interactive = rec.is_interactive;
	tg_strlcpy(row.request_id, meta.request_id, sizeof row.request_id);
	row.json = text;
	r = store_signin_insert(sv->store, &row);
	free(text);
	signin_record_cleanup(&rec);
	if (r)
		return svc_store_fail(sv, r, "writing the sign-in log");
	if (id_out)
		tg_strlcpy(id_out, id, TG_ID_BUF);
	return TG_OK;
}

int svc_signin_get(struct svc *sv, const struct tg_tenant *t, const char *id, char **json_out)
{
	struct store_signin row;
	int r = uuid_is_valid(id) ? store_signin_get(sv->store, t->id, id, &row) : TG_ERR_NOT_FOUND;
	if (r == TG_ERR_NOT_FOUND)
		return svc_fail(sv, r, "no sign-in %s in tenant %s", id, t->name);
	if (r)
		return svc_store_fail(sv, r, "reading the sign-in log");
	*json_out = row.json;   /* transferred */
	return TG_OK;
}

void svc_signin_cursor_format(int64_t time, int64_t seq, char *buf, size_t size)
{
	snprintf(buf, size, "%" PRId64 ".%" PRId64, time, seq);
}

int svc_signin_cursor_parse(const char *s, int64_t *time_out, int64_t *seq_out)
{
	char buf[48];
	if (!s || tg_strcpy_checked(buf, sizeof buf, s))
		return TG_ERR_INVALID;
	char *dot = strchr(buf, '.');
	if (!dot)
		return TG_ERR_INVALID;
	*dot = '\0';
	int64_t t, q;
	if (tg_parse_i64(buf, INT64_MIN, INT64_MAX, &t) || tg_parse_i64(dot + 1, 1, INT64_MAX, &q))
		return TG_ERR_INVALID;
	*time_out = t;
	*seq_out = q;
	return TG_OK;
}
