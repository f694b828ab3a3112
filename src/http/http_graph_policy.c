/* SPDX-License-Identifier: MIT
 * Admin API: /v1.0/policies/identitySecurityDefaultsEnforcementPolicy
 * (GET, PATCH {"isEnabled": …}; 409 with the service's conflict message)
 * and the MFA service settings at /tollgate/v1/mfaServiceSettings (not in
 * Graph; shape in docs/admin-api.md). Framework: http_graph.h. */
#include <stdio.h>
#include <string.h>
#include "base/err.h"
#include "core/cidr.h"
#include "core/decision.h"
#include "http/http_graph.h"
#include "http/http_reply.h"
#include "http/http_route.h"
#include "svc/svc_policy.h"

#define SD_ID "00000000-0000-0000-0000-000000000005"

static int reply_settings_err(struct http_req *r, struct graph_call *g, int e)
{
	if (e == TG_ERR_INVALID)
		return http_reply_error(r, 400, "Request_BadRequest", g->c->sv.err);
	if (e == TG_ERR_CONFLICT)
		return http_reply_error(r, 409, "Request_Conflict", g->c->sv.err);
	return http_reply_err(r, e, g->c->sv.err);
}

static const struct json_member sd_members[] = {
	{"isEnabled", JSON_MEMBER_READ},
	{"id", JSON_MEMBER_IGNORED},
	{"displayName", JSON_MEMBER_IGNORED},
	{"description", JSON_MEMBER_IGNORED},
	{NULL, JSON_MEMBER_READ},
};

int http_graph_security_defaults(struct http_req *r)
{
	struct graph_call g;
	json_t *j = NULL;
	int e = http_graph_begin(r, &g);
	if (e || r->replied)
		goto out;
	bool get = http_req_is_read(r);
	if (!http_graph_require(r, &g, get ? GRAPH_OP_SECURITY_DEFAULTS_READ :
	                        GRAPH_OP_SECURITY_DEFAULTS_WRITE, NULL))
		goto out;
	if (get) {
		struct svc_settings s;
		if ((e = svc_settings_get(&g.c->sv, g.t, &s)))
			goto out;
		json_t *o = json_object();
		json_object_set_new(o, "id", json_string(SD_ID));
		json_object_set_new(o, "displayName", json_string("Security Defaults"));
		json_object_set_new(o, "description", json_string(
			"Security defaults is a set of basic identity security mechanisms. When "
			"enabled, these recommendations are automatically enforced in your organization."));
		json_object_set_new(o, "isEnabled", json_boolean(s.security_defaults));
		e = http_graph_reply_entity(r, &g, 200,
		                            "policies/identitySecurityDefaultsEnforcementPolicy/$entity", o);
		goto out;
	}
	if (!(j = http_graph_body(r)))
		goto out;
	struct json_path p;
	struct json_err err;
	memset(&err, 0, sizeof err);
	json_path_init(&p);
	bool on = false, present = false;
	if (json_check_members(j, sd_members, &p, &err) ||
	    json_get_bool(j, "isEnabled", &p, &err, &on, &present)) {
		e = http_graph_reply_json_err(r, &err);
		goto out;
	}
	if (present) {
		struct svc_sd_report rep;
		if ((e = svc_security_defaults_set(&g.c->sv, g.t, on, false, &rep))) {
			e = reply_settings_err(r, &g, e);
			goto out;
		}
	}
	e = http_graph_reply_204(r);
out:
	json_decref(j);
	http_graph_end(&g);
	return e;
}

/* ---- MFA service settings ------------------------------------------------ */

static const struct json_member settings_members[] = {
	{"allowAppPasswords", JSON_MEMBER_READ},
	{"verificationOptions", JSON_MEMBER_READ},
	{"rememberMfaDays", JSON_MEMBER_READ},
	{"trustedIps", JSON_MEMBER_READ},
	{"securityDefaults", JSON_MEMBER_IGNORED},
	{"securityDefaultsSince", JSON_MEMBER_IGNORED},
	{NULL, JSON_MEMBER_READ},
};

static const struct {
	unsigned bit;
	const char *name;
} vopt_names[] = {
	{DECISION_VERIFY_APP_CODE, "appCode"},
	{DECISION_VERIFY_SMS, "sms"},
	{DECISION_VERIFY_VOICE, "voice"},
	{DECISION_VERIFY_EMAIL, "email"},
};

static json_t *settings_json(const struct svc_settings *s)
{
	json_t *o = json_object();
	json_object_set_new(o, "allowAppPasswords", json_boolean(s->allow_app_passwords));
	json_t *v = json_array();
	for (size_t i = 0; i < sizeof vopt_names / sizeof vopt_names[0]; i++)
		if (s->verification_options & vopt_names[i].bit)
			json_array_append_new(v, json_string(vopt_names[i].name));
	json_object_set_new(o, "verificationOptions", v);
	json_object_set_new(o, "rememberMfaDays", json_integer(s->remember_mfa_days));
	json_t *ips = json_array();
	for (size_t i = 0; i < s->n_trusted_ips; i++) {
		char buf[CIDR_STRLEN];
		cidr_format(&s->trusted_ips[i], buf);
		json_array_append_new(ips, json_string(buf));
	}
	json_object_set_new(o, "trustedIps", ips);
	json_object_set_new(o, "securityDefaults", json_boolean(s->security_defaults));
	return o;
}

/* Apply the members present in j to s. */
static int settings_patch(const json_t *j, struct svc_settings *s, struct json_err *err)
{
	struct json_path p;
	json_path_init(&p);
	int e;
	bool present;
	bool b;
	int64_t days;
	if ((e = json_check_members(j, settings_members, &p, err)))
		return e;
	if ((e = json_get_bool(j, "allowAppPasswords", &p, err, &b, &present)))
		return e;
	if (present)
		s->allow_app_passwords = b;
	if ((e = json_get_int(j, "rememberMfaDays", 0, 365, &p, err, &days, &present)))
		return e;
	if (present)
		s->remember_mfa_days = (unsigned)days;
	const json_t *arr = NULL;
	if ((e = json_get_string_array(j, "verificationOptions", 4, &p, err, &arr)))
		return e;
	if (arr) {
		size_t m = json_path_push_key(&p, "verificationOptions");
		unsigned v = 0;
		size_t i;
		const json_t *it;
		json_array_foreach(arr, i, it) {
			bool known = false;
			for (size_t k = 0; k < sizeof vopt_names / sizeof vopt_names[0]; k++) {
				if (strcmp(json_string_value(it), vopt_names[k].name) == 0) {
					v |= vopt_names[k].bit;
					known = true;
				}
			}
			if (!known) {
				size_t m2 = json_path_push_index(&p, i);
				e = json_fail(err, &p, "must be appCode, sms, voice or email");
				json_path_pop(&p, m2);
				return e;
			}
		}
		if (!v)
			return json_fail(err, &p, "choose at least one of appCode, sms, voice, email");
		json_path_pop(&p, m);
		s->verification_options = v;
	}
	if ((e = json_get_string_array(j, "trustedIps", TG_MAX_TRUSTED_IPS, &p, err, &arr)))
		return e;
	if (arr) {
		size_t m = json_path_push_key(&p, "trustedIps");
		size_t i;
		const json_t *it;
		s->n_trusted_ips = 0;
		json_array_foreach(arr, i, it) {
			if (cidr_parse(json_string_value(it), CIDR_ALLOW_BARE,
			               &s->trusted_ips[s->n_trusted_ips])) {
				json_path_push_index(&p, i);
				return json_fail(err, &p, "is not an IP address range (CIDR)");
			}
			s->n_trusted_ips++;
		}
		json_path_pop(&p, m);
	}
	return TG_OK;
}

int http_graph_mfa_settings(struct http_req *r)
{
	struct graph_call g;
	json_t *j = NULL;
	int e = http_graph_begin(r, &g);
	if (e || r->replied)
		goto out;
	bool get = http_req_is_read(r);
	if (!http_graph_require(r, &g, get ? GRAPH_OP_SETTINGS_READ : GRAPH_OP_SETTINGS_WRITE, NULL))
		goto out;
	struct svc_settings s;
	if ((e = svc_settings_get(&g.c->sv, g.t, &s)))
		goto out;
	if (!get) {
		if (!(j = http_graph_body(r)))
			goto out;
		struct json_err err;
		memset(&err, 0, sizeof err);
		if (settings_patch(j, &s, &err)) {
			e = http_graph_reply_json_err(r, &err);
			goto out;
		}
		if ((e = svc_settings_set(&g.c->sv, g.t, &s))) {
			e = reply_settings_err(r, &g, e);
			goto out;
		}
		if ((e = svc_settings_get(&g.c->sv, g.t, &s)))
			goto out;
	}
	e = http_reply_json_take(r, 200, settings_json(&s));
out:
	json_decref(j);
	http_graph_end(&g);
	return e;
}
