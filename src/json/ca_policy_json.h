/* SPDX-License-Identifier: MIT
 * Microsoft Graph `conditionalAccessPolicy` JSON <-> struct ca_policy
 * (reference/entra.md §3.1, §3.4). Input is strict: unknown members, wrong
 * types, unknown enum values, ids that are neither UUIDs nor the list's
 * keywords, over-long lists are refused with the JSON path of the fault.
 * Enum values and keywords are case-insensitive; `@odata.*` annotations and
 * read-only members (id, createdDateTime, modifiedDateTime, templateId) are
 * ignored; members Graph knows but Tollgate does not implement (e.g.
 * conditions.clientApplications, users.includeGuestsOrExternalUsers) are
 * accepted only when null or empty, so Entra exports import when they do
 * not use them. Output is canonical: the 201-response shape with every
 * list present (empty arrays), absent objects as null, keywords before ids,
 * enum lists in a fixed order. docs/internals/conditional-access.md. */
#ifndef TG_JSON_CA_POLICY_JSON_H
#define TG_JSON_CA_POLICY_JSON_H
#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>
#include "core/ca_policy.h"
#include "json/json_util.h"

/* flags for the readers */
enum {
	/* Also read id, createdDateTime and modifiedDateTime (the store, or
	 * an export being re-imported with its ids). Without it they are
	 * ignored, as Graph ignores read-only members on POST. */
	CA_JSON_READ_ONLY_FIELDS = 1u << 0,
};

/* Convert root (a policy object) into *out, which must own nothing; it is
 * init'ed here. Checks structure, types, enum values and ids; does NOT run
 * ca_policy_validate(). On failure *out is cleaned up (empty) and *err
 * names the path. Returns TG_OK or TG_ERR_INVALID. */
int ca_policy_from_json(const json_t *root, unsigned flags, struct ca_policy *out,
                        struct json_err *err);

/* Parse text[0..len) (at most TG_MAX_CA_POLICY_JSON bytes, nesting at most
 * TG_MAX_JSON_DEPTH), convert, and validate (ca_policy_validate), so *out
 * is a policy Entra would accept. TG_OK, TG_ERR_INVALID or
 * TG_ERR_TOO_LARGE; *out empty on failure. */
int ca_policy_parse(const char *text, size_t len, unsigned flags, struct ca_policy *out,
                    struct json_err *err);

/* Canonical Graph JSON for p (new reference; caller json_decref()s; never
 * NULL, aborts on OOM). */
json_t *ca_policy_to_json(const struct ca_policy *p);
/* Same, as text (caller free()s). pretty: two-space indentation. */
char *ca_policy_to_text(const struct ca_policy *p, bool pretty);

#endif
