/* SPDX-License-Identifier: MIT
 * Conditional Access templates (see ca_templates.h). Each builder writes
 * the policy Entra's template creates; the shared part (report-only,
 * creator excluded) is done once in ca_template_build. */
#include <string.h>
#include "base/err.h"
#include "base/mem.h"
#include "base/str.h"
#include "core/ca_templates.h"
#include "core/roles.h"
#include "core/uuid.h"

const struct ca_template ca_template_table[] = {
	{"require-mfa-admins", "Require multifactor authentication for admins",
	 "Administrator roles must do MFA for every app"},
	{"require-mfa-all-users", "Require multifactor authentication for all users",
	 "Every user must do MFA for every app"},
	{"block-legacy-auth", "Block legacy authentication",
	 "Exchange ActiveSync and other legacy clients are blocked"},
	{"require-mfa-admin-portals", "Require multifactor authentication for admins accessing admin portals",
	 "Administrator roles must do MFA for the admin portal and admin API"},
	{"require-mfa-risky-sign-ins", "Require multifactor authentication for risky sign-ins",
	 "Sign-ins with medium or high risk must do MFA, every time"},
	{"require-password-change-high-risk-users", "Require password change for high-risk users",
	 "High-risk users must do MFA and change their password, every time"},
	{NULL, NULL, NULL},
};

const char *const ca_template_admin_roles[] = {
	ROLE_ID_GLOBAL_ADMIN,
	"9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3", /* Application Administrator */
	ROLE_ID_AUTH_ADMIN,
	ROLE_ID_BILLING_ADMIN,
	"158c047a-c907-4556-b7ef-446551a6b5f7", /* Cloud Application Administrator */
	ROLE_ID_CA_ADMIN,
	"29232cdf-9323-42fd-ade2-1d097af3e4de", /* Exchange Administrator */
	ROLE_ID_HELPDESK_ADMIN,
	"966707d0-3269-4727-9be2-8c3a10f19b9d", /* Password Administrator */
	ROLE_ID_PRIV_AUTH_ADMIN,
	"e8611ab8-c189-46e8-94e1-60213ab1f814", /* Privileged Role Administrator */
	ROLE_ID_SECURITY_ADMIN,
	"f28a1f50-f6e7-4571-818b-6a12f2af6b6c", /* SharePoint Administrator */
	ROLE_ID_USER_ADMIN,
};

size_t ca_template_count(void)
{
	return TG_ARRAY_LEN(ca_template_table) - 1;
}

size_t ca_template_admin_role_count(void)
{
	return TG_ARRAY_LEN(ca_template_admin_roles);
}

const struct ca_template *ca_template_find(const char *name)
{
	if (!name)
		return NULL;
	for (const struct ca_template *t = ca_template_table; t->name; t++)
		if (tg_streq_ci(t->name, name))
			return t;
	return NULL;
}

static void all_users(struct ca_policy *p)
{
	p->cond.users.include_kw = CA_USERS_ALL;
}

static void all_apps(struct ca_policy *p)
{
	p->cond.apps.include_kw = CA_APPS_ALL;
}

static void admin_roles(struct ca_policy *p)
{
	for (size_t i = 0; i < ca_template_admin_role_count(); i++)
		(void)ca_ids_add(&p->cond.users.include_roles, ca_template_admin_roles[i]);
}

static void grant(struct ca_policy *p, enum ca_operator op, unsigned controls)
{
	p->grant.present = true;
	p->grant.op = op;
	p->grant.builtin = controls;
}

static void every_time(struct ca_policy *p)
{
	p->session.present = true;
	p->session.sif.present = true;
	p->session.sif.is_enabled = true;
	p->session.sif.type = CA_SIF_TYPE_NONE;
	p->session.sif.value = 0;
	p->session.sif.auth_type = CA_SIF_AUTH_PRIMARY_AND_SECONDARY;
	p->session.sif.interval = CA_SIF_EVERY_TIME;
}

/* Build the template-specific part. Index into ca_template_table. */
static void build(size_t which, struct ca_policy *p)
{
	switch (which) {
	case 0: /* require MFA for admins (howto-conditional-access-policy-admin-mfa) */
		admin_roles(p);
		all_apps(p);
		grant(p, CA_OP_OR, CA_CTL_MFA);
		break;
	case 1: /* require MFA for all users; Entra's newer template uses the "MFA"
	         * strength, which admits the same methods here: plain mfa is clearer */
		all_users(p);
		all_apps(p);
		grant(p, CA_OP_OR, CA_CTL_MFA);
		break;
	case 2: /* block legacy authentication */
		all_users(p);
		all_apps(p);
		p->cond.client_app_types = CA_CLIENT_EXCHANGE_ACTIVESYNC | CA_CLIENT_OTHER;
		grant(p, CA_OP_OR, CA_CTL_BLOCK);
		break;
	case 3: /* require MFA for admins accessing admin portals */
		admin_roles(p);
		p->cond.apps.include_kw = CA_APPS_ADMIN_PORTALS;
		grant(p, CA_OP_OR, CA_CTL_MFA);
		break;
	case 4: /* sign-in risk-based MFA (howto-conditional-access-policy-risk) */
		all_users(p);
		all_apps(p);
		p->cond.sign_in_risk = CA_RISK_HIGH | CA_RISK_MEDIUM;
		grant(p, CA_OP_OR, CA_CTL_MFA);
		every_time(p);
		break;
	case 5: /* user risk-based password change (howto-conditional-access-policy-risk-user) */
		all_users(p);
		all_apps(p);
		p->cond.user_risk = CA_RISK_HIGH;
		grant(p, CA_OP_AND, CA_CTL_MFA | CA_CTL_PASSWORD_CHANGE);
		every_time(p);
		break;
	default:
		break;
	}
}

int ca_template_build(const char *name, const char *creator_id, struct ca_policy *out)
{
	ca_policy_init(out);
	const struct ca_template *t = ca_template_find(name);
	if (!t)
		return TG_ERR_NOT_FOUND;
	if (!creator_id || !uuid_is_valid(creator_id))
		return TG_ERR_INVALID;

	struct ca_policy p;
	ca_policy_init(&p);
	if (ca_policy_set_display_name(&p, t->display_name) != TG_OK) {
		ca_policy_cleanup(&p);
		return TG_ERR_INTERNAL;
	}
	p.state = CA_STATE_REPORT_ONLY;
	build((size_t)(t - ca_template_table), &p);
	(void)ca_ids_add(&p.cond.users.exclude_users, creator_id);
	*out = p;   /* transferred */
	return TG_OK;
}
