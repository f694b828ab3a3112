/* SPDX-License-Identifier: MIT
 * The Graph-shaped sign-in record built from a decision: identity fields,
 * authenticationRequirement and its policies, authenticationDetails with
 * Entra's result detail strings, appliedConditionalAccessPolicies and the
 * status. */
#include "decision_fixture.h"
#include "core/signin.h"

#define RECORD_ID "0f0e0d0c-0b0a-4908-8706-050403020100"

static void allowed_with_claim(void)
{
	struct fx f;
	struct signin_record r;
	fx_init(&f);
	signin_record_init(&r);
	f.user.state = MFA_STATE_ENFORCED;
	f.in.session.mfa_time = FX_NOW - 900;
	f.in.session.mfa_methods = CA_METHOD_SOFTWARE_OATH;
	f.in.sign_in_risk_reason = "known network 198.51.100.0/24 and platform windows";
	CHECK_OK(fx_decide(&f));
	CHECK_OK(signin_build(&f.in, &f.d, RECORD_ID, "Mozilla/5.0 (Windows NT 10.0)", &r));
	CHECK_STR(r.id, RECORD_ID);
	CHECK_INT(r.created_date_time, FX_NOW);
	CHECK_STR(r.user_id, FX_USER);
	CHECK_STR(r.user_principal_name, "alice@example.org");
	CHECK_STR(r.app_id, FX_APP);
	CHECK_STR(r.app_display_name, "Payroll");
	CHECK_STR(r.ip_address, "198.51.100.7");
	CHECK_STR(r.client_app_used, "Browser");
	CHECK_STR(r.user_agent, "Mozilla/5.0 (Windows NT 10.0)");
	CHECK(r.is_interactive);
	CHECK_INT(r.operating_system, PLATFORM_WINDOWS);
	CHECK_STR(signin_requirement_name(r.multi_factor), "multiFactorAuthentication");
	REQUIRE(r.n_requirement_policies == 1);
	CHECK_STR(r.authentication_requirement_policies[0].requirement_provider, "user");
	CHECK_STR(r.authentication_requirement_policies[0].detail, "per-user MFA enforced");
	CHECK_STR(r.authentication_requirement_policies[0].status, "satisfied");
	REQUIRE(r.n_authentication_details == 2);
	CHECK_STR(r.authentication_details[0].authentication_method, "Password");
	CHECK_STR(r.authentication_details[0].authentication_step_requirement, "Primary authentication");
	CHECK(r.authentication_details[0].succeeded);
	CHECK_STR(r.authentication_details[1].authentication_method, "Previously satisfied");
	CHECK_STR(r.authentication_details[1].authentication_step_requirement, "MFA");
	CHECK_STR(r.authentication_details[1].authentication_step_result_detail,
	          "satisfied by claim in the token");
	CHECK_INT(r.authentication_details[1].authentication_step_date_time, FX_NOW - 900);
	CHECK(r.authentication_details[1].succeeded);
	CHECK_INT(r.error_code, 0);
	CHECK_STR(r.failure_reason, "");
	CHECK_STR(r.additional_details, "MFA requirement satisfied by claim in the token");
	CHECK_INT(r.conditional_access_status, DECISION_CA_NOT_APPLIED);
	CHECK_STR(r.risk_reason, "known network 198.51.100.0/24 and platform windows");
	CHECK_INT(r.outcome, DECISION_ALLOW);
	signin_record_cleanup(&r);
	fx_cleanup(&f);
}

static void mfa_done_now_names_the_method(void)
{
	struct fx f;
	struct signin_record r;
	fx_init(&f);
	signin_record_init(&r);
	f.user.state = MFA_STATE_ENFORCED;
	f.in.session.mfa_time = FX_NOW - 5;
	f.in.session.mfa_methods = CA_METHOD_SMS;
	f.in.session.mfa_this_signin = true;
	CHECK_OK(fx_decide(&f));
	CHECK_OK(signin_build(&f.in, &f.d, RECORD_ID, NULL, &r));
	REQUIRE(r.n_authentication_details == 2);
	CHECK_STR(r.authentication_details[1].authentication_method, "Text message");
	CHECK_STR(r.authentication_details[1].authentication_step_result_detail, "successfully completed");
	CHECK_STR(signin_method_name(CA_METHOD_HARDWARE_OATH), "OATH verification code");
	signin_record_cleanup(&r);
	fx_cleanup(&f);
}

static void blocked_by_policy(void)
{
	struct fx f;
	struct signin_record r;
	fx_init(&f);
	signin_record_init(&r);
	struct ca_policy *p = fx_policy(&f, "Block legacy authentication", CA_STATE_ENABLED);
	p->cond.client_app_types = CA_CLIENT_EXCHANGE_ACTIVESYNC | CA_CLIENT_OTHER;
	fx_grant(p, CA_OP_OR, CA_CTL_BLOCK);
	fx_grant(fx_policy(&f, "Require MFA", CA_STATE_REPORT_ONLY), CA_OP_OR, CA_CTL_MFA);
	fx_compile(&f);
	f.in.client = DECISION_CLIENT_OTHER;
	f.in.protocol = "IMAP";
	f.in.explain_all = true;
	CHECK_OK(fx_decide(&f));
	CHECK_OK(signin_build(&f.in, &f.d, RECORD_ID, NULL, &r));
	CHECK_STR(r.client_app_used, "IMAP");
	CHECK_INT(r.error_code, 53003);
	CHECK_STR(r.failure_reason,
	          "Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.");
	CHECK_STR(r.additional_details, "Policy 'Block legacy authentication': policy blocks access");
	CHECK_INT(r.conditional_access_status, DECISION_CA_FAILURE);
	REQUIRE(r.n_applied_policies == 2);
	const struct signin_ca_policy *a = &r.applied_conditional_access_policies[0];
	CHECK_STR(a->id, "00000000-0000-4000-8000-000000000000");
	CHECK_STR(a->display_name, "Block legacy authentication");
	REQUIRE(a->n_enforced_grant_controls == 1);
	CHECK_STR(a->enforced_grant_controls[0], "Block");
	CHECK_INT(a->n_enforced_session_controls, 0);
	CHECK_INT(a->result, CA_RESULT_FAILURE);
	CHECK_INT(a->conditions_satisfied, CA_COND_USERS | CA_COND_APPLICATION | CA_COND_CLIENT_TYPE);
	CHECK_STR(a->reason, "policy blocks access");
	a = &r.applied_conditional_access_policies[1];
	CHECK_INT(a->result, CA_RESULT_REPORT_ONLY_FAILURE);
	CHECK_STR(a->enforced_grant_controls[0], "Mfa");
	/* the record is reusable: building again frees the old content */
	f.in.client = DECISION_CLIENT_BROWSER;
	f.in.protocol = NULL;
	CHECK_OK(fx_decide(&f));
	CHECK_OK(signin_build(&f.in, &f.d, RECORD_ID, NULL, &r));
	CHECK_INT(r.error_code, 0);
	CHECK_STR(r.client_app_used, "Browser");
	REQUIRE(r.n_applied_policies == 2);
	CHECK_INT(r.applied_conditional_access_policies[0].result, CA_RESULT_NOT_APPLIED);
	CHECK_INT(r.applied_conditional_access_policies[0].conditions_not_satisfied, CA_COND_CLIENT_TYPE);
	CHECK_STR(r.applied_conditional_access_policies[0].reason, "client app type not included");
	CHECK_INT(r.applied_conditional_access_policies[1].result, CA_RESULT_REPORT_ONLY_INTERRUPTED);
	signin_record_cleanup(&r);
	fx_cleanup(&f);
}

static void app_password_and_mfa_required(void)
{
	struct fx f;
	struct signin_record r;
	fx_init(&f);
	signin_record_init(&r);
	f.user.state = MFA_STATE_ENFORCED;
	f.user.has_app_passwords = true;
	f.in.client = DECISION_CLIENT_EXCHANGE_ACTIVESYNC;
	f.in.credential = DECISION_CRED_APP_PASSWORD;
	f.in.interactive = false;
	CHECK_OK(fx_decide(&f));
	CHECK_OK(signin_build(&f.in, &f.d, RECORD_ID, NULL, &r));
	CHECK_STR(r.client_app_used, "Exchange ActiveSync");
	CHECK(!r.is_interactive);
	REQUIRE(r.n_authentication_details == 2);
	CHECK_STR(r.authentication_details[0].authentication_method, "App password");
	CHECK_STR(r.authentication_details[1].authentication_step_result_detail, "skipped due to app password");
	CHECK_STR(signin_requirement_name(r.multi_factor), "singleFactorAuthentication");

	/* MFA required: the MFA step is pending, not succeeded */
	f.in.client = DECISION_CLIENT_BROWSER;
	f.in.credential = DECISION_CRED_PASSWORD;
	f.in.interactive = true;
	CHECK_OK(fx_decide(&f));
	CHECK_OK(signin_build(&f.in, &f.d, RECORD_ID, NULL, &r));
	CHECK_INT(r.error_code, 50076);
	CHECK_INT(r.outcome, DECISION_MFA_REQUIRED);
	CHECK_INT(r.mfa_methods_offered, CA_METHOD_SOFTWARE_OATH);
	REQUIRE(r.n_authentication_details == 2);
	CHECK(!r.authentication_details[1].succeeded);
	CHECK_STR(r.authentication_details[1].authentication_step_result_detail, "authentication in-progress");
	CHECK_STR(r.additional_details, "Required by: per-user MFA enforced");
	signin_record_cleanup(&r);
	fx_cleanup(&f);
}

static void bad_arguments(void)
{
	struct fx f;
	struct signin_record r;
	fx_init(&f);
	signin_record_init(&r);
	CHECK_OK(fx_decide(&f));
	CHECK_INT(signin_build(&f.in, &f.d, "not-a-uuid", NULL, &r), TG_ERR_INVALID);
	CHECK_INT(signin_build(NULL, &f.d, RECORD_ID, NULL, &r), TG_ERR_INVALID);
	CHECK_INT(signin_build(&f.in, &f.d, RECORD_ID, NULL, NULL), TG_ERR_INVALID);
	signin_record_cleanup(&r);
	signin_record_cleanup(NULL);
	fx_cleanup(&f);
}

int main(void)
{
	TEST(allowed_with_claim);
	TEST(mfa_done_now_names_the_method);
	TEST(blocked_by_policy);
	TEST(app_password_and_mfa_required);
	TEST(bad_arguments);
	return tg_test_done();
}
