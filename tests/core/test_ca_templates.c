/* SPDX-License-Identifier: MIT
 * Conditional Access templates: every template builds a valid policy, in
 * report-only state, excluding the creating administrator, with Entra's
 * configuration (reference/entra.md §3.4). */
#include "harness.h"
#include "base/err.h"
#include "core/ca_templates.h"
#include "core/roles.h"

#define ADMIN "5a1b2c3d-0000-4000-8000-00000000abcd"

static void every_template_valid_report_only_excludes_creator(void)
{
	CHECK_INT(ca_template_count(), 6);
	for (size_t i = 0; i < ca_template_count(); i++) {
		const struct ca_template *t = &ca_template_table[i];
		struct ca_policy p;
		struct ca_error e;
		CHECK_OK(ca_template_build(t->name, "5A1B2C3D-0000-4000-8000-00000000ABCD", &p));
		if (ca_policy_validate(&p, &e) != TG_OK)
			TG_T_FAIL("%s invalid at \"%s\": %s", t->name, e.path, e.message);
		CHECK_INT(p.state, CA_STATE_REPORT_ONLY);
		CHECK_INT(p.cond.users.exclude_users.n, 1);
		if (p.cond.users.exclude_users.n == 1)
			CHECK_STR(p.cond.users.exclude_users.v[0], ADMIN);
		CHECK_STR(p.display_name, t->display_name);
		CHECK(t->description && t->description[0]);
		CHECK(p.grant.present);
		CHECK(p.id[0] == '\0');
		CHECK(ca_template_find(t->name) == t);
		ca_policy_cleanup(&p);
	}
}

static void build(const char *name, struct ca_policy *p)
{
	if (ca_template_build(name, ADMIN, p) != TG_OK)
		TG_T_FAIL("%s not built", name);
}

static void admin_role_list_is_entras(void)
{
	/* the 14 roles of the Entra template, all privileged in our role table */
	CHECK_INT(ca_template_admin_role_count(), 14);
	for (size_t i = 0; i < ca_template_admin_role_count(); i++) {
		const char *id = ca_template_admin_roles[i];
		if (!role_by_id(id) || !role_is_privileged(id))
			TG_T_FAIL("role %s unknown or not privileged", id);
	}
}

static void each_template_configuration(void)
{
	struct ca_policy p;

	build("require-mfa-admins", &p);
	CHECK_INT(p.cond.users.include_kw, 0);
	CHECK_INT(p.cond.users.include_roles.n, 14);
	CHECK(ca_ids_contains(&p.cond.users.include_roles, ROLE_ID_GLOBAL_ADMIN));
	CHECK_INT(p.cond.apps.include_kw, CA_APPS_ALL);
	CHECK_INT(p.grant.builtin, CA_CTL_MFA);
	CHECK_INT(p.cond.client_app_types, CA_CLIENT_ALL);
	CHECK(!p.session.present);
	ca_policy_cleanup(&p);

	build("require-mfa-all-users", &p);
	CHECK_INT(p.cond.users.include_kw, CA_USERS_ALL);
	CHECK_INT(p.cond.apps.include_kw, CA_APPS_ALL);
	CHECK_INT(p.grant.builtin, CA_CTL_MFA);
	ca_policy_cleanup(&p);

	build("block-legacy-auth", &p);
	CHECK_INT(p.cond.users.include_kw, CA_USERS_ALL);
	CHECK_INT(p.cond.client_app_types, CA_CLIENT_EXCHANGE_ACTIVESYNC | CA_CLIENT_OTHER);
	CHECK_INT(p.grant.builtin, CA_CTL_BLOCK);
	ca_policy_cleanup(&p);

	build("require-mfa-admin-portals", &p);
	CHECK_INT(p.cond.apps.include_kw, CA_APPS_ADMIN_PORTALS);
	CHECK_INT(p.cond.users.include_roles.n, 14);
	CHECK_INT(p.grant.builtin, CA_CTL_MFA);
	ca_policy_cleanup(&p);

	build("require-mfa-risky-sign-ins", &p);
	CHECK_INT(p.cond.sign_in_risk, CA_RISK_HIGH | CA_RISK_MEDIUM);
	CHECK_INT(p.cond.user_risk, 0);
	CHECK_INT(p.grant.builtin, CA_CTL_MFA);
	CHECK_INT(p.session.sif.interval, CA_SIF_EVERY_TIME);
	CHECK(p.session.sif.is_enabled);
	CHECK_INT(ca_policy_sif_seconds(&p), 0);
	ca_policy_cleanup(&p);

	build("require-password-change-high-risk-users", &p);
	CHECK_INT(p.cond.user_risk, CA_RISK_HIGH);
	CHECK_INT(p.cond.sign_in_risk, 0);
	CHECK_INT(p.grant.op, CA_OP_AND);
	CHECK_INT(p.grant.builtin, CA_CTL_MFA | CA_CTL_PASSWORD_CHANGE);
	CHECK_INT(p.session.sif.interval, CA_SIF_EVERY_TIME);
	ca_policy_cleanup(&p);
}

static void bad_arguments(void)
{
	struct ca_policy p;
	CHECK_INT(ca_template_build("no-such-template", ADMIN, &p), TG_ERR_NOT_FOUND);
	CHECK(p.display_name == NULL);
	CHECK_INT(ca_template_build("block-legacy-auth", "admin@example.com", &p), TG_ERR_INVALID);
	CHECK(p.display_name == NULL);
	CHECK_INT(ca_template_build("block-legacy-auth", NULL, &p), TG_ERR_INVALID);
	CHECK_INT(ca_template_build(NULL, ADMIN, &p), TG_ERR_NOT_FOUND);
	CHECK(ca_template_find("BLOCK-LEGACY-AUTH") != NULL);
	CHECK(ca_template_find(NULL) == NULL);
	ca_policy_cleanup(&p);
}

int main(void)
{
	TEST(every_template_valid_report_only_excludes_creator);
	TEST(admin_role_list_is_entras);
	TEST(each_template_configuration);
	TEST(bad_arguments);
	return tg_test_done();
}
