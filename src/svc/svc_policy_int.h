/* SPDX-License-Identifier: MIT
 * Helpers shared only by the policy-domain service files
 * (svc_policy*.c, svc_signin*.c). */
#ifndef TG_SVC_SVC_POLICY_INT_H
#define TG_SVC_SVC_POLICY_INT_H
#include "json/json_util.h"
#include "svc/svc_int.h"
#include "svc/svc_policy.h"

/* Bump the tenant's policy generation inside the caller's transaction. */
int svc_policy_bump(struct svc *sv, const struct tg_tenant *t);

/* Report a JSON fault: sv->err = "PATH: message" (or the message alone at
 * the root), *jerr_out (may be NULL) = *je. Returns r. */
int svc_json_fail(struct svc *sv, int r, const struct json_err *je, struct json_err *jerr_out,
                  const char *what);

/* Audit before/after text for a JSON document: the text itself when it
 * fits an audit value, else a summary {"id","displayName","truncated"}.
 * Caller frees. */
char *svc_audit_doc(const char *json, const char *id, const char *display_name);

/* Every user, group, app and named location p names by id exists in t,
 * and every role id is a known directory role template (the MFA trusted
 * IPs location and the built-in apps aside); else TG_ERR_INVALID naming
 * the JSON path of the first missing id, e.g.
 * "conditions.users.includeGroups[2]: no group <id> in this tenant". */
int svc_policy_check_references(struct svc *sv, const struct tg_tenant *t, const struct ca_policy *p,
                                struct json_err *jerr);

/* Parse a stored policy row's JSON (read-only fields included). */
int svc_policy_from_row(struct svc *sv, const char *json, struct ca_policy *out);
/* Same for a stored named location. */
int svc_location_from_row(struct svc *sv, const char *json, struct named_location *out);

/* Read every policy / location of t (stored order); arrays as
 * svc_policy_list / svc_location_list. */
int svc_policy_load_all(struct svc *sv, const struct tg_tenant *t, struct ca_policy **out, size_t *n);
int svc_location_load_all(struct svc *sv, const struct tg_tenant *t, struct named_location **out,
                          size_t *n);

#endif
