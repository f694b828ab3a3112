/* SPDX-License-Identifier: MIT
 * Sign-in log records (core/signin.h) <-> Microsoft Graph `signIn` JSON
 * (reference/entra.md §5). The output is what the store keeps and what
 * `tollgate signins show` and the admin API return: Graph's property names
 * and enum spellings, plus a few Tollgate members Graph does not have,
 * documented in docs/internals/policy-store.md ("clientAppType",
 * requirement "status", policy "reason", "riskReason", "userRiskLevel",
 * "userRiskReason", "outcome", "mfaMethodsOffered", "decisionInput").
 *
 * Reading is for our own stored records (the impact replay rebuilds a
 * decision input from them): every known member is type-checked and
 * range-checked, unknown members are ignored (records written by a later
 * version stay readable), absent members keep their defaults.
 * Thread-safety: none needed (no state). */
#ifndef TG_JSON_SIGNIN_JSON_H
#define TG_JSON_SIGNIN_JSON_H
#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>
#include "core/decision.h"
#include "core/signin.h"
#include "json/json_util.h"

/* What the log keeps beside the core record: the request id, the client
 * type, and the session facts the decision was given ("decisionInput"),
 * which the record's authenticationDetails only show when a requirement
 * used them; the impact replay needs them to decide the sign-in again. */
struct signin_json_meta {
	char request_id[TG_MAX_ID + 1];   /* originalRequestId / correlationId; "" = none */
	enum decision_client client;      /* clientAppType (the CA client app type) */
	bool has_input;                   /* the members below are set ("decisionInput") */
	enum decision_credential credential;
	int64_t auth_time;                /* CRED_SESSION: the earlier primary authentication */
	int64_t mfa_time;                 /* the session's last MFA, 0 = none */
	unsigned mfa_methods;             /* CA_METHOD_* */
	bool mfa_this_signin;
	bool remembered_device;
	bool step_up_mfa;
};
/* Fill meta's decision input members from in. */
void signin_json_meta_from_input(struct signin_json_meta *meta, const struct decision_input *in);

/* Graph JSON for r (new reference; caller json_decref()s; never NULL:
 * aborts on OOM). meta may be NULL (no request id, client from the record's
 * clientAppUsed is not derivable: "browser" is written). */
json_t *signin_to_json(const struct signin_record *r, const struct signin_json_meta *meta);
/* Same as compact (or pretty) text; caller free()s. */
char *signin_to_text(const struct signin_record *r, const struct signin_json_meta *meta, bool pretty);

/* Read root into *out (init'ed or cleaned up by the caller; cleaned and
 * refilled here) and *meta_out (may be NULL). TG_OK, or TG_ERR_INVALID with
 * *err naming the path (then *out is empty). */
int signin_from_json(const json_t *root, struct signin_record *out, struct signin_json_meta *meta_out,
                     struct json_err *err);
/* Load text (at most TG_MAX_SIGNIN_JSON bytes) and read it. */
int signin_parse(const char *text, size_t len, struct signin_record *out,
                 struct signin_json_meta *meta_out, struct json_err *err);

/* Names used in the JSON (static strings; "" / -1 for unknown values). */
const char *signin_json_client_name(enum decision_client c);  /* "browser", ... */
int signin_json_client_parse(const char *s, enum decision_client *out);
/* "softwareOath", "hardwareOath", "sms", "voice", "email", "recoveryCode",
 * "fido2", "temporaryAccessPass" for one CA_METHOD_* bit; NULL otherwise. */
const char *signin_json_method_key(unsigned bit);
int signin_json_method_parse(const char *s, unsigned *bit_out);

#endif
