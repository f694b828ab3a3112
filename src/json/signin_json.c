/* SPDX-License-Identifier: MIT
 * Graph `signIn` JSON for sign-in log records (see signin_json.h).
 * Sections: names, writing, reading. */
#include <stdlib.h>
#include <string.h>
#include "base/err.h"
#include "base/mem.h"
#include "base/str.h"
#include "json/signin_json.h"

/* ------------------------------------------------------------------ names */

static const char *const client_names[DECISION_CLIENT_COUNT_] = {
	[DECISION_CLIENT_BROWSER] = "browser",
	[DECISION_CLIENT_MOBILE_DESKTOP] = "mobileAppsAndDesktopClients",
	[DECISION_CLIENT_EXCHANGE_ACTIVESYNC] = "exchangeActiveSync",
	[DECISION_CLIENT_OTHER] = "other",
};

const char *signin_json_client_name(enum decision_client c)
{
	return (unsigned)c < DECISION_CLIENT_COUNT_ ? client_names[c] : "";
}

int signin_json_client_parse(const char *s, enum decision_client *out)
{
	for (unsigned i = 0; s && i < DECISION_CLIENT_COUNT_; i++) {
		if (tg_streq_ci(s, client_names[i])) {
			*out = (enum decision_client)i;
			return TG_OK;
		}
	}
	return TG_ERR_INVALID;
}

static const char *const credential_names[] = {
	[DECISION_CRED_PASSWORD] = "password",
	[DECISION_CRED_APP_PASSWORD] = "appPassword",
	[DECISION_CRED_SESSION] = "session",
};

void signin_json_meta_from_input(struct signin_json_meta *meta, const struct decision_input *in)
{
	meta->client = in->client;
	meta->has_input = true;
	meta->credential = in->credential;
	meta->auth_time = in->credential == DECISION_CRED_SESSION ? in->session.auth_time : 0;
	meta->mfa_time = in->session.mfa_time;
	meta->mfa_methods = in->session.mfa_methods;
	meta->mfa_this_signin = in->session.mfa_this_signin;
	meta->remembered_device = in->remembered_device;
	meta->step_up_mfa = in->step_up_mfa;
}

static const struct {
	unsigned bit;
	const char *key;
} method_keys[] = {
	{CA_METHOD_SOFTWARE_OATH, "softwareOath"}, {CA_METHOD_HARDWARE_OATH, "hardwareOath"},
	{CA_METHOD_SMS, "sms"}, {CA_METHOD_VOICE, "voice"}, {CA_METHOD_EMAIL, "email"},
	{CA_METHOD_RECOVERY_CODE, "recoveryCode"}, {CA_METHOD_FIDO2, "fido2"},
	{CA_METHOD_TAP, "temporaryAccessPass"},
};

const char *signin_json_method_key(unsigned bit)
{
	for (size_t i = 0; i < TG_ARRAY_LEN(method_keys); i++)
		if (method_keys[i].bit == bit)
			return method_keys[i].key;
	return NULL;
}

int signin_json_method_parse(const char *s, unsigned *bit_out)
{
	for (size_t i = 0; s && i < TG_ARRAY_LEN(method_keys); i++) {
		if (tg_streq_ci(s, method_keys[i].key)) {
			*bit_out = method_keys[i].bit;
			return TG_OK;
		}
	}
	return TG_ERR_INVALID;
}

/* appliedConditionalAccessPolicy conditionsSatisfied flags, as
 * ca_eval_conditions_format() writes them */
static const struct {
	unsigned bit;
	const char *name;
} cond_names[] = {
	{CA_COND_APPLICATION, "application"}, {CA_COND_USERS, "users"},
	{CA_COND_DEVICE_PLATFORM, "devicePlatform"}, {CA_COND_LOCATION, "location"},
	{CA_COND_CLIENT_TYPE, "clientType"}, {CA_COND_SIGN_IN_RISK, "signInRisk"},
	{CA_COND_USER_RISK, "userRisk"}, {CA_COND_DEVICE_STATE, "deviceState"},
};

/* ---------------------------------------------------------------- writing */

static void set(json_t *o, const char *key, json_t *v)
{
	if (!v || json_object_set_new(o, key, v) != 0)
		abort();   /* OOM only: same policy as xmalloc */
}

static void push(json_t *a, json_t *v)
{
	if (!v || json_array_append_new(a, v) != 0)
		abort();
}

static json_t *new_object(void)
{
	json_t *o = json_object();
	if (!o)
		abort();
	return o;
}

static json_t *new_array(void)
{
	json_t *a = json_array();
	if (!a)
		abort();
	return a;
}

/* A JSON string of s. Text fields come from truncating copies (a User-Agent
 * cut inside a UTF-8 sequence); jansson refuses invalid UTF-8, so such a
 * string is written with every non-ASCII byte replaced by '?'. */
static json_t *text(const char *s)
{
	json_t *v = json_string(s ? s : "");
	if (v)
		return v;
	char *c = xstrdup(s);
	for (char *p = c; *p; p++)
		if ((unsigned char)*p >= 0x80)
			*p = '?';
	v = json_string(c);
	free(c);
	return v;
}

static json_t *time_value(int64_t t)
{
	if (t == 0)
		return json_null();
	char buf[TG_TIME_ISO_LEN];
	tg_time_iso(t, buf);
	return json_string(buf);
}

static json_t *string_list(char *const *v, size_t n)
{
	json_t *a = new_array();
	for (size_t i = 0; i < n; i++)
		push(a, text(v[i]));
	return a;
}

static json_t *methods_json(unsigned methods)
{
	json_t *a = new_array();
	for (size_t i = 0; i < TG_ARRAY_LEN(method_keys); i++)
		if (methods & method_keys[i].bit)
			push(a, text(method_keys[i].key));
	return a;
}

static json_t *policy_json(const struct signin_ca_policy *p)
{
	char buf[256];
	json_t *o = new_object();
	set(o, "id", text(p->id));
	set(o, "displayName", text(p->display_name));
	set(o, "enforcedGrantControls", string_list(p->enforced_grant_controls, p->n_enforced_grant_controls));
	set(o, "enforcedSessionControls",
	    string_list(p->enforced_session_controls, p->n_enforced_session_controls));
	set(o, "conditionsSatisfied", text(ca_eval_conditions_format(p->conditions_satisfied, buf, sizeof buf)));
	set(o, "conditionsNotSatisfied",
	    text(ca_eval_conditions_format(p->conditions_not_satisfied, buf, sizeof buf)));
	if (p->authentication_strength[0]) {
		json_t *s = new_object();
		set(s, "id", text(p->authentication_strength));
		set(o, "authenticationStrength", s);
	} else {
		set(o, "authenticationStrength", json_null());
	}
	set(o, "result", text(ca_result_name(p->result)));
	set(o, "reason", text(p->reason));
	return o;
}

json_t *signin_to_json(const struct signin_record *r, const struct signin_json_meta *meta)
{
	json_t *o = new_object(), *a;
	set(o, "id", text(r->id));
	set(o, "createdDateTime", time_value(r->created_date_time));
	set(o, "userId", text(r->user_id));
	set(o, "userPrincipalName", text(r->user_principal_name));
	set(o, "appId", text(r->app_id));
	set(o, "appDisplayName", text(r->app_display_name));
	set(o, "ipAddress", text(r->ip_address));
	set(o, "clientAppUsed", text(r->client_app_used));
	set(o, "clientAppType", text(signin_json_client_name(meta ? meta->client : DECISION_CLIENT_BROWSER)));
	set(o, "userAgent", text(r->user_agent));
	set(o, "isInteractive", json_boolean(r->is_interactive));
	a = new_array();
	push(a, text(r->is_interactive ? "interactiveUser" : "nonInteractiveUser"));
	set(o, "signInEventTypes", a);
	json_t *dev = new_object();
	set(dev, "operatingSystem", text(platform_name(r->operating_system)));
	set(o, "deviceDetail", dev);
	set(o, "authenticationRequirement", text(signin_requirement_name(r->multi_factor)));

	a = new_array();
	for (size_t i = 0; i < r->n_requirement_policies && i < TG_MAX_DECISION_SOURCES; i++) {
		const struct signin_requirement *q = &r->authentication_requirement_policies[i];
		json_t *e = new_object();
		set(e, "requirementProvider", text(q->requirement_provider));
		set(e, "detail", text(q->detail));
		set(e, "status", text(q->status));
		push(a, e);
	}
	set(o, "authenticationRequirementPolicies", a);

	a = new_array();
	for (size_t i = 0; i < r->n_authentication_details && i < TG_MAX_SIGNIN_DETAILS; i++) {
		const struct signin_auth_detail *d = &r->authentication_details[i];
		json_t *e = new_object();
		set(e, "authenticationStepDateTime", time_value(d->authentication_step_date_time));
		set(e, "authenticationMethod", text(d->authentication_method));
		set(e, "authenticationMethodDetail", text(d->authentication_method_detail));
		set(e, "succeeded", json_boolean(d->succeeded));
		set(e, "authenticationStepResultDetail", text(d->authentication_step_result_detail));
		set(e, "authenticationStepRequirement", text(d->authentication_step_requirement));
		push(a, e);
	}
	set(o, "authenticationDetails", a);

	a = new_array();
	for (size_t i = 0; i < r->n_applied_policies; i++)
		push(a, policy_json(&r->applied_conditional_access_policies[i]));
	set(o, "appliedConditionalAccessPolicies", a);
	set(o, "conditionalAccessStatus", text(decision_ca_status_name(r->conditional_access_status)));

	json_t *st = new_object();
	set(st, "errorCode", json_integer(r->error_code));
	set(st, "failureReason", text(r->failure_reason));
	set(st, "additionalDetails", text(r->additional_details));
	set(o, "status", st);

	set(o, "riskLevelDuringSignIn", text(risk_level_name(r->risk_level_during_sign_in)));
	set(o, "riskLevelAggregated", text(risk_level_name(r->risk_level_aggregated)));
	set(o, "riskReason", text(r->risk_reason));
	set(o, "userRiskLevel", text(risk_level_name(r->user_risk_level)));
	set(o, "userRiskReason", text(r->user_risk_reason));
	set(o, "outcome", text(decision_outcome_name(r->outcome)));
	set(o, "mfaMethodsOffered", methods_json(r->mfa_methods_offered));
	if (meta && meta->has_input) {
		json_t *di = new_object();
		set(di, "credential", text(credential_names[meta->credential <= DECISION_CRED_SESSION
		                                            ? meta->credential : DECISION_CRED_PASSWORD]));
		set(di, "authDateTime", time_value(meta->auth_time));
		set(di, "mfaDateTime", time_value(meta->mfa_time));
		set(di, "mfaMethods", methods_json(meta->mfa_methods));
		set(di, "mfaThisSignIn", json_boolean(meta->mfa_this_signin));
		set(di, "rememberedDevice", json_boolean(meta->remembered_device));
		set(di, "stepUpMfa", json_boolean(meta->step_up_mfa));
		set(o, "decisionInput", di);
	}
	const char *rid = meta && meta->request_id[0] ? meta->request_id : NULL;
	set(o, "originalRequestId", rid ? text(rid) : json_null());
	set(o, "correlationId", rid ? text(rid) : json_null());
	return o;
}

char *signin_to_text(const struct signin_record *r, const struct signin_json_meta *meta, bool pretty)
{
	json_t *o = signin_to_json(r, meta);
	char *s = json_dump_canonical(o, pretty);
	json_decref(o);
	return s;
}

/* ---------------------------------------------------------------- reading */

struct rd {
	struct json_path path;
	struct json_err *err;
};

/* Optional string member copied into dst (absent/null = ""). */
static int rd_str(struct rd *x, const json_t *obj, const char *name, char *dst, size_t size)
{
	const char *s = NULL;
	bool present = false;
	int r = json_get_string(obj, name, &x->path, x->err, &s, &present);
	if (r)
		return r;
	dst[0] = '\0';
	if (present && tg_strlcpy(dst, s, size) >= size) {
		size_t m = json_path_push_key(&x->path, name);
		r = json_fail(x->err, &x->path, "longer than %zu bytes", size - 1);
		json_path_pop(&x->path, m);
	}
	return r;
}

static int rd_strdup(struct rd *x, const json_t *obj, const char *name, char **dst)
{
	const char *s = NULL;
	bool present = false;
	int r = json_get_string(obj, name, &x->path, x->err, &s, &present);
	if (r)
		return r;
	*dst = xstrdup(present ? s : "");
	return TG_OK;
}

static int rd_bool(struct rd *x, const json_t *obj, const char *name, bool *dst)
{
	bool present = false, v = false;
	int r = json_get_bool(obj, name, &x->path, x->err, &v, &present);
	if (!r)
		*dst = present && v;
	return r;
}

static int rd_time(struct rd *x, const json_t *obj, const char *name, int64_t *dst)
{
	const char *s = NULL;
	bool present = false;
	int r = json_get_string(obj, name, &x->path, x->err, &s, &present);
	if (r)
		return r;
	*dst = 0;
	if (present && tg_time_parse_iso(s, dst) != TG_OK) {
		size_t m = json_path_push_key(&x->path, name);
		r = json_fail(x->err, &x->path, "not an ISO-8601 time");
		json_path_pop(&x->path, m);
	}
	return r;
}

/* An enum member given by its name; absent = keep *dst. */
static int rd_enum(struct rd *x, const json_t *obj, const char *name, const char *(*namer)(int),
                   int count, int *dst)
{
	const char *s = NULL;
	bool present = false;
	int r = json_get_string(obj, name, &x->path, x->err, &s, &present);
	if (r || !present)
		return r;
	for (int i = 0; i < count; i++) {
		if (tg_streq_ci(s, namer(i))) {
			*dst = i;
			return TG_OK;
		}
	}
	size_t m = json_path_push_key(&x->path, name);
	r = json_fail(x->err, &x->path, "unknown value \"%s\"", s);
	json_path_pop(&x->path, m);
	return r;
}

static const char *name_risk(int i) { return risk_level_name((enum risk_level)i); }
static const char *name_platform(int i) { return platform_name((enum platform)i); }
static const char *name_ca_status(int i) { return decision_ca_status_name((enum decision_ca_status)i); }
static const char *name_result(int i) { return ca_result_name((enum ca_result)i); }
static const char *name_outcome(int i) { return decision_outcome_name((enum decision_outcome)i); }
static const char *name_client(int i) { return signin_json_client_name((enum decision_client)i); }
static const char *name_requirement(int i) { return signin_requirement_name(i != 0); }

static const char *name_credential(int i)
{
	return (unsigned)i <= DECISION_CRED_SESSION ? credential_names[i] : "";
}

/* An array of method keys -> CA_METHOD_* bits. */
static int rd_methods(struct rd *x, const json_t *obj, const char *name, unsigned *dst)
{
	const json_t *methods = NULL;
	int r = json_get_string_array(obj, name, TG_ARRAY_LEN(method_keys), &x->path, x->err, &methods);
	if (r)
		return r;
	*dst = 0;
	for (size_t i = 0; methods && i < json_array_size(methods); i++) {
		unsigned bit;
		if (signin_json_method_parse(json_string_value(json_array_get(methods, i)), &bit)) {
			size_t m = json_path_push_key(&x->path, name);
			json_path_push_index(&x->path, i);
			r = json_fail(x->err, &x->path, "unknown method");
			json_path_pop(&x->path, m);
			return r;
		}
		*dst |= bit;
	}
	return TG_OK;
}

/* "application,users" / "none" -> CA_COND_* bits */
static int rd_conditions(struct rd *x, const json_t *obj, const char *name, unsigned *dst)
{
	char buf[256];
	int r = rd_str(x, obj, name, buf, sizeof buf);
	if (r)
		return r;
	*dst = 0;
	if (!buf[0] || strcmp(buf, "none") == 0)
		return TG_OK;
	for (char *p = buf; *p;) {
		char *comma = strchr(p, ',');
		if (comma)
			*comma = '\0';
		bool known = false;
		for (size_t i = 0; i < TG_ARRAY_LEN(cond_names); i++) {
			if (tg_streq_ci(tg_trim(p), cond_names[i].name)) {
				*dst |= cond_names[i].bit;
				known = true;
			}
		}
		if (!known) {
			size_t m = json_path_push_key(&x->path, name);
			r = json_fail(x->err, &x->path, "unknown condition \"%s\"", p);
			json_path_pop(&x->path, m);
			return r;
		}
		p = comma ? comma + 1 : p + strlen(p);
	}
	return TG_OK;
}

static int rd_strings(struct rd *x, const json_t *obj, const char *name, char ***v, size_t *n)
{
	const json_t *arr = NULL;
	int r = json_get_string_array(obj, name, TG_MAX_CA_LIST * 2, &x->path, x->err, &arr);
	*v = NULL;
	*n = 0;
	if (r || !arr || json_array_size(arr) == 0)
		return r;
	*v = xcalloc(json_array_size(arr), sizeof **v);
	for (size_t i = 0; i < json_array_size(arr); i++)
		(*v)[(*n)++] = xstrdup(json_string_value(json_array_get(arr, i)));
	return TG_OK;
}

/* An array member: absent/null = empty; more than max items refused. */
static int rd_array(struct rd *x, const json_t *obj, const char *name, size_t max, const json_t **out)
{
	const json_t *a = json_object_get(obj, name);
	*out = NULL;
	if (!a || json_is_null(a))
		return TG_OK;
	size_t m = json_path_push_key(&x->path, name);
	int r = TG_OK;
	if (!json_is_array(a))
		r = json_fail(x->err, &x->path, "must be an array");
	else if (json_array_size(a) > max)
		r = json_fail(x->err, &x->path, "more than %zu entries", max);
	else
		*out = a;
	json_path_pop(&x->path, m);
	return r;
}

/* The element at index i must be an object; pushes its path. */
static int rd_element(struct rd *x, const json_t *arr, size_t i, size_t *mark, const json_t **out)
{
	*mark = json_path_push_index(&x->path, i);
	*out = json_array_get(arr, i);
	if (!json_is_object(*out))
		return json_fail(x->err, &x->path, "must be an object");
	return TG_OK;
}

static int rd_policy(struct rd *x, const json_t *e, struct signin_ca_policy *p)
{
	int r, v = 0;
	const json_t *strength = NULL;
	if ((r = rd_str(x, e, "id", p->id, sizeof p->id)) ||
	    (r = rd_strdup(x, e, "displayName", &p->display_name)) ||
	    (r = rd_strings(x, e, "enforcedGrantControls", &p->enforced_grant_controls,
	                    &p->n_enforced_grant_controls)) ||
	    (r = rd_strings(x, e, "enforcedSessionControls", &p->enforced_session_controls,
	                    &p->n_enforced_session_controls)) ||
	    (r = rd_conditions(x, e, "conditionsSatisfied", &p->conditions_satisfied)) ||
	    (r = rd_conditions(x, e, "conditionsNotSatisfied", &p->conditions_not_satisfied)) ||
	    (r = json_get_object(e, "authenticationStrength", &x->path, x->err, &strength)) ||
	    (strength && (r = rd_str(x, strength, "id", p->authentication_strength,
	                             sizeof p->authentication_strength))) ||
	    (r = rd_enum(x, e, "result", name_result, CA_RESULT_COUNT_, &v)) ||
	    (r = rd_strdup(x, e, "reason", &p->reason)))
		return r;
	p->result = (enum ca_result)v;
	return TG_OK;
}

static int rd_lists(struct rd *x, const json_t *root, struct signin_record *out)
{
	const json_t *arr, *e;
	size_t m;
	int r;

	if ((r = rd_array(x, root, "authenticationRequirementPolicies", TG_MAX_DECISION_SOURCES, &arr)))
		return r;
	size_t pm = json_path_push_key(&x->path, "authenticationRequirementPolicies");
	for (size_t i = 0; arr && i < json_array_size(arr); i++) {
		struct signin_requirement *q = &out->authentication_requirement_policies[i];
		if ((r = rd_element(x, arr, i, &m, &e)) ||
		    (r = rd_str(x, e, "requirementProvider", q->requirement_provider, sizeof q->requirement_provider)) ||
		    (r = rd_str(x, e, "detail", q->detail, sizeof q->detail)) ||
		    (r = rd_str(x, e, "status", q->status, sizeof q->status)))
			return r;
		json_path_pop(&x->path, m);
		out->n_requirement_policies++;
	}
	json_path_pop(&x->path, pm);

	if ((r = rd_array(x, root, "authenticationDetails", TG_MAX_SIGNIN_DETAILS, &arr)))
		return r;
	pm = json_path_push_key(&x->path, "authenticationDetails");
	for (size_t i = 0; arr && i < json_array_size(arr); i++) {
		struct signin_auth_detail *d = &out->authentication_details[i];
		if ((r = rd_element(x, arr, i, &m, &e)) ||
		    (r = rd_time(x, e, "authenticationStepDateTime", &d->authentication_step_date_time)) ||
		    (r = rd_str(x, e, "authenticationMethod", d->authentication_method, sizeof d->authentication_method)) ||
		    (r = rd_str(x, e, "authenticationMethodDetail", d->authentication_method_detail,
		                sizeof d->authentication_method_detail)) ||
		    (r = rd_bool(x, e, "succeeded", &d->succeeded)) ||
		    (r = rd_str(x, e, "authenticationStepResultDetail", d->authentication_step_result_detail,
		                sizeof d->authentication_step_result_detail)) ||
		    (r = rd_str(x, e, "authenticationStepRequirement", d->authentication_step_requirement,
		                sizeof d->authentication_step_requirement)))
			return r;
		json_path_pop(&x->path, m);
		out->n_authentication_details++;
	}
	json_path_pop(&x->path, pm);

	if ((r = rd_array(x, root, "appliedConditionalAccessPolicies", TG_MAX_CA_POLICIES, &arr)))
		return r;
	if (arr && json_array_size(arr))
		out->applied_conditional_access_policies =
			xcalloc(json_array_size(arr), sizeof *out->applied_conditional_access_policies);
	pm = json_path_push_key(&x->path, "appliedConditionalAccessPolicies");
	for (size_t i = 0; arr && i < json_array_size(arr); i++) {
		struct signin_ca_policy *p = &out->applied_conditional_access_policies[i];
		/* counted first, so cleanup frees a half-read entry */
		out->n_applied_policies++;
		if ((r = rd_element(x, arr, i, &m, &e)) || (r = rd_policy(x, e, p)))
			return r;
		json_path_pop(&x->path, m);
	}
	json_path_pop(&x->path, pm);
	return TG_OK;
}

static int rd_record(struct rd *x, const json_t *root, struct signin_record *out,
                     struct signin_json_meta *meta)
{
	const json_t *dev = NULL, *st = NULL, *di = NULL;
	int r, v;
	int64_t code = 0;
	char req[TG_MAX_SIGNIN_TEXT + 1];

	if ((r = rd_str(x, root, "id", out->id, sizeof out->id)) ||
	    (r = rd_time(x, root, "createdDateTime", &out->created_date_time)) ||
	    (r = rd_str(x, root, "userId", out->user_id, sizeof out->user_id)) ||
	    (r = rd_str(x, root, "userPrincipalName", out->user_principal_name, sizeof out->user_principal_name)) ||
	    (r = rd_str(x, root, "appId", out->app_id, sizeof out->app_id)) ||
	    (r = rd_str(x, root, "appDisplayName", out->app_display_name, sizeof out->app_display_name)) ||
	    (r = rd_str(x, root, "ipAddress", out->ip_address, sizeof out->ip_address)) ||
	    (r = rd_str(x, root, "clientAppUsed", out->client_app_used, sizeof out->client_app_used)) ||
	    (r = rd_str(x, root, "userAgent", out->user_agent, sizeof out->user_agent)) ||
	    (r = rd_bool(x, root, "isInteractive", &out->is_interactive)))
		return r;
	v = DECISION_CLIENT_BROWSER;
	if ((r = rd_enum(x, root, "clientAppType", name_client, DECISION_CLIENT_COUNT_, &v)))
		return r;
	if (meta)
		meta->client = (enum decision_client)v;
	v = PLATFORM_UNKNOWN;
	if ((r = json_get_object(root, "deviceDetail", &x->path, x->err, &dev)))
		return r;
	if (dev) {
		size_t m = json_path_push_key(&x->path, "deviceDetail");
		r = rd_enum(x, dev, "operatingSystem", name_platform, PLATFORM_COUNT_, &v);
		json_path_pop(&x->path, m);
		if (r)
			return r;
	}
	out->operating_system = (enum platform)v;
	v = 0;
	if ((r = rd_enum(x, root, "authenticationRequirement", name_requirement, 2, &v)))
		return r;
	out->multi_factor = v != 0;
	if ((r = rd_lists(x, root, out)))
		return r;
	v = DECISION_CA_NOT_APPLIED;
	if ((r = rd_enum(x, root, "conditionalAccessStatus", name_ca_status, DECISION_CA_FAILURE + 1, &v)))
		return r;
	out->conditional_access_status = (enum decision_ca_status)v;

	if ((r = json_get_object(root, "status", &x->path, x->err, &st)))
		return r;
	if (st) {
		size_t m = json_path_push_key(&x->path, "status");
		if ((r = json_get_int(st, "errorCode", INT32_MIN, INT32_MAX, &x->path, x->err, &code, NULL)) ||
		    (r = rd_str(x, st, "failureReason", out->failure_reason, sizeof out->failure_reason)) ||
		    (r = rd_str(x, st, "additionalDetails", out->additional_details, sizeof out->additional_details)))
			return r;
		json_path_pop(&x->path, m);
	}
	out->error_code = (int)code;

	v = RISK_NONE;
	if ((r = rd_enum(x, root, "riskLevelDuringSignIn", name_risk, RISK_LEVEL_COUNT_, &v)))
		return r;
	out->risk_level_during_sign_in = (enum risk_level)v;
	v = RISK_NONE;
	if ((r = rd_enum(x, root, "riskLevelAggregated", name_risk, RISK_LEVEL_COUNT_, &v)))
		return r;
	out->risk_level_aggregated = (enum risk_level)v;
	v = RISK_NONE;
	if ((r = rd_enum(x, root, "userRiskLevel", name_risk, RISK_LEVEL_COUNT_, &v)))
		return r;
	out->user_risk_level = (enum risk_level)v;
	if ((r = rd_str(x, root, "riskReason", out->risk_reason, sizeof out->risk_reason)) ||
	    (r = rd_str(x, root, "userRiskReason", out->user_risk_reason, sizeof out->user_risk_reason)))
		return r;
	v = DECISION_ALLOW;
	if ((r = rd_enum(x, root, "outcome", name_outcome, DECISION_OUTCOME_COUNT_, &v)))
		return r;
	out->outcome = (enum decision_outcome)v;

	if ((r = rd_methods(x, root, "mfaMethodsOffered", &out->mfa_methods_offered)))
		return r;
	if ((r = json_get_object(root, "decisionInput", &x->path, x->err, &di)))
		return r;
	if (di && meta) {
		size_t m = json_path_push_key(&x->path, "decisionInput");
		v = DECISION_CRED_PASSWORD;
		if ((r = rd_enum(x, di, "credential", name_credential, DECISION_CRED_SESSION + 1, &v)) ||
		    (r = rd_time(x, di, "authDateTime", &meta->auth_time)) ||
		    (r = rd_time(x, di, "mfaDateTime", &meta->mfa_time)) ||
		    (r = rd_methods(x, di, "mfaMethods", &meta->mfa_methods)) ||
		    (r = rd_bool(x, di, "mfaThisSignIn", &meta->mfa_this_signin)) ||
		    (r = rd_bool(x, di, "rememberedDevice", &meta->remembered_device)) ||
		    (r = rd_bool(x, di, "stepUpMfa", &meta->step_up_mfa)))
			return r;
		json_path_pop(&x->path, m);
		meta->credential = (enum decision_credential)v;
		meta->has_input = true;
	}
	if ((r = rd_str(x, root, "originalRequestId", req, sizeof req)))
		return r;
	if (meta && tg_strlcpy(meta->request_id, req, sizeof meta->request_id) >= sizeof meta->request_id)
		meta->request_id[0] = '\0';
	return TG_OK;
}

int signin_from_json(const json_t *root, struct signin_record *out, struct signin_json_meta *meta_out,
                     struct json_err *err)
{
	struct rd x;
	struct signin_json_meta meta;

	signin_record_cleanup(out);
	memset(&meta, 0, sizeof meta);
	json_path_init(&x.path);
	x.err = err;
	if (!json_is_object(root))
		return json_fail(err, &x.path, "a sign-in record must be a JSON object");
	int r = rd_record(&x, root, out, &meta);
	if (r) {
		signin_record_cleanup(out);
		return r;
	}
	if (meta_out)
		*meta_out = meta;
	return TG_OK;
}

int signin_parse(const char *s, size_t len, struct signin_record *out, struct signin_json_meta *meta_out,
                 struct json_err *err)
{
	json_t *root = NULL;
	signin_record_cleanup(out);
	int r = json_load_strict(s, len, TG_MAX_SIGNIN_JSON, TG_MAX_JSON_DEPTH, &root, err);
	if (r)
		return r;
	r = signin_from_json(root, out, meta_out, err);
	json_decref(root);
	return r;
}
