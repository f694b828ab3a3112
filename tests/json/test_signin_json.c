/* SPDX-License-Identifier: MIT
 * Sign-in log records as Graph signIn JSON: records built from real
 * decisions (per-user MFA, a Conditional Access block with every policy
 * listed, an MFA step) survive write -> read with every field, including the
 * Tollgate members and the decision input the impact replay needs; a
 * User-Agent cut inside a UTF-8 sequence is still written; bad records are
 * refused with the JSON path. */
#include "harness.h"
#include "base/err.h"
#include "base/mem.h"
#include "base/str.h"
#include "core/decision_fixture.h"
#include "json/signin_json.h"

#define REC_ID "5e5e5e5e-0000-4000-8000-000000000001"

static void check_same(const struct signin_record *a, const struct signin_record *b)
{
	CHECK_STR(a->id, b->id);
	CHECK_INT(a->created_date_time, b->created_date_time);
	CHECK_STR(a->user_id, b->user_id);
	CHECK_STR(a->user_principal_name, b->user_principal_name);
	CHECK_STR(a->app_id, b->app_id);
	CHECK_STR(a->app_display_name, b->app_display_name);
	CHECK_STR(a->ip_address, b->ip_address);
	CHECK_STR(a->client_app_used, b->client_app_used);
	CHECK_STR(a->user_agent, b->user_agent);
	CHECK_INT(a->is_interactive, b->is_interactive);
	CHECK_INT(a->operating_system, b->operating_system);
	CHECK_INT(a->multi_factor, b->multi_factor);
	CHECK_INT(a->n_requirement_policies, b->n_requirement_policies);
	for (size_t i = 0; i < a->n_requirement_policies && i < b->n_requirement_policies; i++) {
		CHECK_STR(a->authentication_requirement_policies[i].requirement_provider,
		          b->authentication_requirement_policies[i].requirement_provider);
		CHECK_STR(a->authentication_requirement_policies[i].detail, b->authentication_requirement_policies[i].detail);
		CHECK_STR(a->authentication_requirement_policies[i].status, b->authentication_requirement_policies[i].status);
	}
	CHECK_INT(a->n_authentication_details, b->n_authentication_details);
	for (size_t i = 0; i < a->n_authentication_details && i < b->n_authentication_details; i++) {
		const struct signin_auth_detail *x = &a->authentication_details[i], *y = &b->authentication_details[i];
		CHECK_STR(x->authentication_method, y->authentication_method);
		CHECK_STR(x->authentication_method_detail, y->authentication_method_detail);
		CHECK_INT(x->authentication_step_date_time, y->authentication_step_date_time);
		CHECK_STR(x->authentication_step_requirement, y->authentication_step_requirement);
		CHECK_STR(x->authentication_step_result_detail, y->authentication_step_result_detail);
		CHECK_INT(x->succeeded, y->succeeded);
	}
	CHECK_INT(a->n_applied_policies, b->n_applied_policies);
	for (size_t i = 0; i < a->n_applied_policies && i < b->n_applied_policies; i++) {
		const struct signin_ca_policy *x = &a->applied_conditional_access_policies[i];
		const struct signin_ca_policy *y = &b->applied_conditional_access_policies[i];
		CHECK_STR(x->id, y->id);
		CHECK_STR(x->display_name, y->display_name);
		CHECK_INT(x->n_enforced_grant_controls, y->n_enforced_grant_controls);
		for (size_t k = 0; k < x->n_enforced_grant_controls && k < y->n_enforced_grant_controls; k++)
			CHECK_STR(x->enforced_grant_controls[k], y->enforced_grant_controls[k]);
		CHECK_INT(x->n_enforced_session_controls, y->n_enforced_session_controls);
		CHECK_INT(x->conditions_satisfied, y->conditions_satisfied);
		CHECK_INT(x->conditions_not_satisfied, y->conditions_not_satisfied);
		CHECK_STR(x->authentication_strength, y->authentication_strength);
		CHECK_INT(x->result, y->result);
		CHECK_STR(x->reason, y->reason);
	}
	CHECK_INT(a->conditional_access_status, b->conditional_access_status);
	CHECK_INT(a->error_code, b->error_code);
	CHECK_STR(a->failure_reason, b->failure_reason);
	CHECK_STR(a->additional_details, b->additional_details);
	CHECK_INT(a->risk_level_during_sign_in, b->risk_level_during_sign_in);
	CHECK_INT(a->risk_level_aggregated, b->risk_level_aggregated);
	CHECK_STR(a->risk_reason, b->risk_reason);
	CHECK_INT(a->user_risk_level, b->user_risk_level);
	CHECK_STR(a->user_risk_reason, b->user_risk_reason);
	CHECK_INT(a->outcome, b->outcome);
	CHECK_INT(a->mfa_methods_offered, b->mfa_methods_offered);
}

/* Build the record of the fixture's current decision, write, read, compare. */
static void round_trip(struct fx *f, const char *ua)
{
	struct signin_record rec, back;
	struct signin_json_meta meta, mback;
	struct json_err je;
	memset(&meta, 0, sizeof meta);
	signin_record_init(&rec);
	signin_record_init(&back);
	REQUIRE(signin_build(&f->in, &f->d, REC_ID, ua, &rec) == TG_OK);
	tg_strlcpy(meta.request_id, "7e7e7e7e-0000-4000-8000-000000000001", sizeof meta.request_id);
	signin_json_meta_from_input(&meta, &f->in);
	char *text = signin_to_text(&rec, &meta, false);
	int r = signin_parse(text, strlen(text), &back, &mback, &je);
	if (r)
		TG_T_FAIL("parse: %s: %s\n%s", je.path, je.message, text);
	else {
		check_same(&rec, &back);
		CHECK_STR(mback.request_id, meta.request_id);
		CHECK_INT(mback.client, f->in.client);
		CHECK(mback.has_input);
		CHECK_INT(mback.credential, f->in.credential);
		CHECK_INT(mback.mfa_time, f->in.session.mfa_time);
		CHECK_INT(mback.mfa_methods, f->in.session.mfa_methods);
		CHECK_INT(mback.mfa_this_signin, f->in.session.mfa_this_signin);
		CHECK_INT(mback.remembered_device, f->in.remembered_device);
		/* writing again gives the same bytes */
		char *again = signin_to_text(&back, &mback, false);
		CHECK_STR(again, text);
		free(again);
	}
	free(text);
	signin_record_cleanup(&rec);
	signin_record_cleanup(&back);
}

static void per_user_mfa_required(void)
{
	struct fx f;
	fx_init(&f);
	f.user.state = MFA_STATE_ENFORCED;
	f.in.sign_in_risk = RISK_MEDIUM;
	f.in.sign_in_risk_reason = "new network and new platform";
	REQUIRE(fx_decide(&f) == TG_OK);
	CHECK_OUTCOME(&f, DECISION_MFA_REQUIRED, DECISION_CODE_MFA_REQUIRED);
	round_trip(&f, "Mozilla/5.0 (Windows NT 10.0; Win64; x64)");
	fx_cleanup(&f);
}

static void ca_block_every_policy_listed(void)
{
	struct fx f;
	fx_init(&f);
	struct ca_policy *p = fx_policy(&f, "Block legacy", CA_STATE_ENABLED);
	p->cond.client_app_types = CA_CLIENT_EXCHANGE_ACTIVESYNC | CA_CLIENT_OTHER;
	fx_grant(p, CA_OP_OR, CA_CTL_BLOCK);
	p = fx_policy(&f, "MFA report-only", CA_STATE_REPORT_ONLY);
	fx_grant(p, CA_OP_OR, CA_CTL_MFA);
	p = fx_policy(&f, "Compliant device", CA_STATE_DISABLED);
	fx_grant(p, CA_OP_AND, CA_CTL_MFA | CA_CTL_COMPLIANT_DEVICE);
	fx_compile(&f);
	f.in.client = DECISION_CLIENT_OTHER;
	f.in.protocol = "IMAP";
	f.in.explain_all = true;
	REQUIRE(fx_decide(&f) == TG_OK);
	CHECK_OUTCOME(&f, DECISION_BLOCKED, DECISION_CODE_BLOCKED_BY_CA);
	CHECK_INT(f.d.n_policies, 3);
	round_trip(&f, NULL);
	fx_cleanup(&f);
}

static void mfa_step_and_session(void)
{
	struct fx f;
	fx_init(&f);
	f.user.state = MFA_STATE_ENFORCED;
	f.in.session.mfa_time = FX_NOW - 60;
	f.in.session.mfa_methods = CA_METHOD_SMS;
	f.in.session.mfa_this_signin = true;
	f.in.platform = PLATFORM_IOS;
	REQUIRE(fx_decide(&f) == TG_OK);
	CHECK_OUTCOME(&f, DECISION_ALLOW, DECISION_CODE_OK);
	round_trip(&f, "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)");
	fx_cleanup(&f);
}

static void truncated_utf8_user_agent(void)
{
	struct fx f;
	struct signin_record rec;
	char ua[TG_MAX_SIGNIN_USER_AGENT + 8];
	fx_init(&f);
	REQUIRE(fx_decide(&f) == TG_OK);
	/* "é" (2 bytes) straddling the truncation point */
	memset(ua, 'a', sizeof ua);
	ua[TG_MAX_SIGNIN_USER_AGENT - 1] = (char)0xc3;
	ua[TG_MAX_SIGNIN_USER_AGENT] = (char)0xa9;
	ua[sizeof ua - 1] = '\0';
	signin_record_init(&rec);
	REQUIRE(signin_build(&f.in, &f.d, REC_ID, ua, &rec) == TG_OK);
	char *text = signin_to_text(&rec, NULL, false);
	CHECK(text && strstr(text, "aaa?\"") != NULL);
	free(text);
	signin_record_cleanup(&rec);
	fx_cleanup(&f);
}

static void bad_records_refused_with_path(void)
{
	static const struct { const char *json, *path; } bad[] = {
		{"[]", ""},
		{"{\"createdDateTime\": \"yesterday\"}", "createdDateTime"},
		{"{\"isInteractive\": \"yes\"}", "isInteractive"},
		{"{\"deviceDetail\": {\"operatingSystem\": \"BeOS\"}}", "deviceDetail.operatingSystem"},
		{"{\"status\": {\"errorCode\": \"50076\"}}", "status.errorCode"},
		{"{\"outcome\": \"maybe\"}", "outcome"},
		{"{\"appliedConditionalAccessPolicies\": [{\"result\": \"success\"}, {\"result\": \"sometimes\"}]}",
		 "appliedConditionalAccessPolicies[1].result"},
		{"{\"appliedConditionalAccessPolicies\": [{\"conditionsSatisfied\": \"users,weather\"}]}",
		 "appliedConditionalAccessPolicies[0].conditionsSatisfied"},
		{"{\"authenticationDetails\": [1]}", "authenticationDetails[0]"},
		{"{\"authenticationDetails\": [{},{},{},{},{}]}", "authenticationDetails"},
		{"{\"mfaMethodsOffered\": [\"sms\", \"pigeon\"]}", "mfaMethodsOffered[1]"},
		{"{\"decisionInput\": {\"credential\": \"smartcard\"}}", "decisionInput.credential"},
		{"{\"userPrincipalName\": \"" "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa@x\"}", "userPrincipalName"},
		{"{\"id\": 5,}", ""},
	};
	for (size_t i = 0; i < TG_ARRAY_LEN(bad); i++) {
		struct signin_record rec;
		struct json_err je;
		memset(&je, 0, sizeof je);
		signin_record_init(&rec);
		int r = signin_parse(bad[i].json, strlen(bad[i].json), &rec, NULL, &je);
		if (r != TG_ERR_INVALID)
			TG_T_FAIL("case %zu accepted: %s", i, bad[i].json);
		else if (strcmp(je.path, bad[i].path) != 0)
			TG_T_FAIL("case %zu: path \"%s\", expected \"%s\" (%s)", i, je.path, bad[i].path, je.message);
		CHECK_INT(rec.n_applied_policies, 0);
		signin_record_cleanup(&rec);
	}
	/* unknown members are ignored (records of later versions stay readable) */
	struct signin_record rec;
	signin_record_init(&rec);
	const char *ok = "{\"id\": \"" REC_ID "\", \"sessionId\": \"x\", \"status\": {\"errorCode\": 53003}}";
	CHECK_OK(signin_parse(ok, strlen(ok), &rec, NULL, NULL));
	CHECK_INT(rec.error_code, 53003);
	signin_record_cleanup(&rec);
}

static void names(void)
{
	enum decision_client c;
	unsigned bit;
	for (int i = 0; i < DECISION_CLIENT_COUNT_; i++) {
		CHECK_OK(signin_json_client_parse(signin_json_client_name((enum decision_client)i), &c));
		CHECK_INT(c, i);
	}
	CHECK_INT(signin_json_client_parse("legacy", &c), TG_ERR_INVALID);
	for (unsigned b = 1; b <= CA_METHOD_TAP; b <<= 1) {
		CHECK(signin_json_method_key(b) != NULL);
		CHECK_OK(signin_json_method_parse(signin_json_method_key(b), &bit));
		CHECK_INT(bit, b);
	}
	CHECK(signin_json_method_key(3) == NULL);
}

int main(void)
{
	TEST(per_user_mfa_required);
	TEST(ca_block_every_policy_listed);
	TEST(mfa_step_and_session);
	TEST(truncated_utf8_user_agent);
	TEST(bad_records_refused_with_path);
	TEST(names);
	return tg_test_done();
}
