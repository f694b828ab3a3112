/* SPDX-License-Identifier: MIT
 * The Conditional Access templates of SPEC §4, with Entra's configurations
 * (reference/entra.md §3.4). Every template is built in report-only state
 * (enabledForReportingButNotEnforced) and excludes the administrator who
 * creates it, as Entra's templates do (§3.2). Pure data + builder. */
#ifndef TG_CORE_CA_TEMPLATES_H
#define TG_CORE_CA_TEMPLATES_H
#include <stddef.h>
#include "core/ca_policy.h"

struct ca_template {
	const char *name;          /* CLI name, e.g. "require-mfa-admins" */
	const char *display_name;  /* the policy's displayName */
	const char *description;   /* one line for `tollgate policy template` help */
};

/* The templates, in SPEC order; ends with a {NULL} entry. */
extern const struct ca_template ca_template_table[];
size_t ca_template_count(void);
/* Find by CLI name (case-insensitive); NULL if none. */
const struct ca_template *ca_template_find(const char *name);

/* The admin roles targeted by "require-mfa-admins" and
 * "require-mfa-admin-portals" (Entra's list, reference/entra.md §3.4 item 1):
 * role template ids, lowercase. */
extern const char *const ca_template_admin_roles[];
size_t ca_template_admin_role_count(void);

/* Build template `name` into *out (which must own nothing; it is init'ed
 * here), excluding creator_id (a UUID: the creating administrator's user
 * id). The result passes ca_policy_validate(). Returns TG_OK,
 * TG_ERR_NOT_FOUND for an unknown name, TG_ERR_INVALID for a creator id
 * that is not a UUID; on failure *out is left init'ed and empty. */
int ca_template_build(const char *name, const char *creator_id, struct ca_policy *out);

#endif
