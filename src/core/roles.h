/* SPDX-License-Identifier: MIT
 * Built-in directory roles: Entra's role template ids (reference/entra.md
 * §3.4) plus the Partner Center agent roles, which have no Entra template id
 * and get fixed Tollgate ids in the 7011a7e0-… range. Pure data. */
#ifndef TG_CORE_ROLES_H
#define TG_CORE_ROLES_H
#include <stdbool.h>
#include <stddef.h>

enum role_flag {
	ROLE_PRIVILEGED = 1 << 0, /* MFA at every sign-in under security defaults (§2.1) */
	ROLE_PARTNER = 1 << 1,    /* Partner Center agent role */
	ROLE_READ_ONLY = 1 << 2,  /* reads everything, changes nothing */
};

struct role_def {
	const char *id;      /* role template id (lowercase UUID) */
	const char *name;    /* display name, e.g. "Global Administrator" */
	const char *key;     /* short CLI name, e.g. "global-admin" */
	unsigned flags;
	const char *description;
};

/* Ids used in code (policy checks, templates). */
#define ROLE_ID_GLOBAL_ADMIN          "62e90394-69f5-4237-9190-012177145e10"
#define ROLE_ID_GLOBAL_READER         "f2ef992c-3afb-46b9-b7cf-a126ee74c451"
#define ROLE_ID_SECURITY_READER       "5d6b6bb7-de71-4623-b4af-96380a352509"
#define ROLE_ID_SECURITY_ADMIN        "194ae4cb-b126-40b2-bd5b-6091b380977d"
#define ROLE_ID_CA_ADMIN              "b1be1c3e-b65d-4f19-8427-f6fa0d97feb9"
#define ROLE_ID_AUTH_ADMIN            "c4e39bd9-1100-46d3-8c65-fb160da0071f"
#define ROLE_ID_AUTH_POLICY_ADMIN     "0526716b-113d-4c15-b2c8-68e3c22b9f80"
#define ROLE_ID_PRIV_AUTH_ADMIN       "7be44c8a-adaf-4e2a-84d6-ab2649e08a13"
#define ROLE_ID_PRIV_ROLE_ADMIN       "e8611ab8-c189-46e8-94e1-60213ab1f814"
#define ROLE_ID_USER_ADMIN            "fe930be7-5e62-47db-91af-98c3a49a38b1"
#define ROLE_ID_HELPDESK_ADMIN        "729827e3-9c14-49f7-bb1b-9608f156bbb8"
#define ROLE_ID_BILLING_ADMIN         "b0f54661-2d74-4c50-afa3-1ec803f12efe"
#define ROLE_ID_ADMIN_AGENT           "7011a7e0-0000-4000-8000-000000000001"
#define ROLE_ID_SALES_AGENT           "7011a7e0-0000-4000-8000-000000000002"
#define ROLE_ID_HELPDESK_AGENT        "7011a7e0-0000-4000-8000-000000000003"

/* The table, sorted by name; ends with a {NULL} entry. */
extern const struct role_def role_table[];
size_t role_count(void);

/* Find by template id, display name or key (case-insensitive); NULL if none. */
const struct role_def *role_find(const char *id_or_name);
const struct role_def *role_by_id(const char *id);
bool role_is_privileged(const char *id);

#endif
