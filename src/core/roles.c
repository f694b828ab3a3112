/* SPDX-License-Identifier: MIT
 * The built-in directory role table. Privileged = the roles security
 * defaults make MFA at every sign-in (reference/entra.md §2.1). */
#include <string.h>
#include "base/str.h"
#include "core/roles.h"

#define P ROLE_PRIVILEGED

const struct role_def role_table[] = {
	{ROLE_ID_ADMIN_AGENT, "Admin agent", "admin-agent", ROLE_PARTNER,
	 "Partner Center: manages customers, support requests and billing"},
	{"9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3", "Application Administrator", "application-admin", P,
	 "Manages all aspects of app registrations"},
	{ROLE_ID_AUTH_ADMIN, "Authentication Administrator", "authentication-admin", P,
	 "Sets per-user MFA state and methods of non-administrators"},
	{ROLE_ID_AUTH_POLICY_ADMIN, "Authentication Policy Administrator", "authentication-policy-admin", P,
	 "Manages the MFA service settings and authentication methods policy"},
	{ROLE_ID_BILLING_ADMIN, "Billing Administrator", "billing-admin", P,
	 "Manages billing"},
	{"158c047a-c907-4556-b7ef-446551a6b5f7", "Cloud Application Administrator", "cloud-application-admin", P,
	 "Manages app registrations except the application proxy"},
	{ROLE_ID_CA_ADMIN, "Conditional Access Administrator", "conditional-access-admin", P,
	 "Manages Conditional Access policies and named locations"},
	{"29232cdf-9323-42fd-ade2-1d097af3e4de", "Exchange Administrator", "exchange-admin", P,
	 "Manages mail"},
	{ROLE_ID_GLOBAL_ADMIN, "Global Administrator", "global-admin", P,
	 "Manages everything"},
	{ROLE_ID_GLOBAL_READER, "Global Reader", "global-reader", ROLE_READ_ONLY,
	 "Reads everything a Global Administrator can, changes nothing"},
	{ROLE_ID_HELPDESK_ADMIN, "Helpdesk Administrator", "helpdesk-admin", P,
	 "Resets passwords of non-administrators"},
	{ROLE_ID_HELPDESK_AGENT, "Helpdesk agent", "helpdesk-agent", ROLE_PARTNER,
	 "Partner Center: customers and support requests"},
	{"45d8d3c5-c802-45c6-b32a-1d70b5e1e86e", "Identity Governance Administrator", "identity-governance-admin", P,
	 "Manages access reviews and entitlement"},
	{"3a2c62db-5318-420d-8d74-23affee5d9d5", "Intune Administrator", "intune-admin", 0,
	 "Manages devices"},
	{"966707d0-3269-4727-9be2-8c3a10f19b9d", "Password Administrator", "password-admin", P,
	 "Resets passwords of non-administrators"},
	{ROLE_ID_PRIV_AUTH_ADMIN, "Privileged Authentication Administrator", "privileged-authentication-admin", P,
	 "Sets MFA state and methods of any user, administrators included"},
	{ROLE_ID_PRIV_ROLE_ADMIN, "Privileged Role Administrator", "privileged-role-admin", P,
	 "Manages role assignments"},
	{ROLE_ID_SALES_AGENT, "Sales agent", "sales-agent", ROLE_PARTNER,
	 "Partner Center: customers"},
	{ROLE_ID_SECURITY_ADMIN, "Security Administrator", "security-admin", P,
	 "Manages security settings, security defaults included"},
	{ROLE_ID_SECURITY_READER, "Security Reader", "security-reader", ROLE_READ_ONLY,
	 "Reads security information and reports"},
	{"f28a1f50-f6e7-4571-818b-6a12f2af6b6c", "SharePoint Administrator", "sharepoint-admin", P,
	 "Manages SharePoint"},
	{"69091246-20e8-4a56-aa4d-066075b2a7a8", "Teams Administrator", "teams-admin", P,
	 "Manages Teams"},
	{ROLE_ID_USER_ADMIN, "User Administrator", "user-admin", P,
	 "Manages users and groups"},
	{NULL, NULL, NULL, 0, NULL},
};

size_t role_count(void)
{
	size_t n = 0;
	while (role_table[n].id)
		n++;
	return n;
}

const struct role_def *role_by_id(const char *id)
{
	for (const struct role_def *r = role_table; r->id; r++)
		if (tg_streq_ci(r->id, id))
			return r;
	return NULL;
}

const struct role_def *role_find(const char *s)
{
	for (const struct role_def *r = role_table; r->id; r++)
		if (tg_streq_ci(r->id, s) || tg_streq_ci(r->name, s) || tg_streq_ci(r->key, s))
			return r;
	return NULL;
}

bool role_is_privileged(const char *id)
{
	const struct role_def *r = role_by_id(id);
	return r && (r->flags & ROLE_PRIVILEGED);
}
