/* SPDX-License-Identifier: MIT
 * JSON views of a what-if result and a policy impact report, shared by the
 * CLI (--json) and the admin API so both answer in the same shape. */
#include <jansson.h>
#include "base/err.h"
#include "base/str.h"
#include "core/signin.h"
#include "json/ca_policy_json.h"
#include "json/signin_json.h"
#include "svc/svc_signin.h"

json_t *svc_whatif_json(const struct svc_signin_result *res)
{
	struct signin_record rec;
	struct signin_json_meta meta = {.client = res->in.client};
	json_t *o = NULL;
	signin_record_init(&rec);
	if (signin_build(&res->in, &res->d, "00000000-0000-4000-8000-000000000000", NULL, &rec) == TG_OK)
		o = signin_to_json(&rec, &meta);
	signin_record_cleanup(&rec);
	if (!o)
		return NULL;
	json_object_del(o, "id");
	json_object_del(o, "originalRequestId");
	json_object_del(o, "correlationId");
	json_t *src = json_array();
	for (size_t i = 0; i < res->d.n_sources; i++) {
		const struct decision_source *s = &res->d.sources[i];
		json_array_append_new(src, json_pack("{s:s,s:s,s:s,s:s*,s:b}", "requirementProvider",
		                                     decision_provider_name(s->provider), "status",
		                                     decision_status_name(s->status), "detail", s->detail ? s->detail : "",
		                                     "resultDetail", s->result_detail, "riskBased", s->risk_based));
	}
	json_object_set_new(o, "requirementSources", src);
	if (res->d.can_skip)
		json_object_set_new(o, "registrationDaysLeft", json_integer(res->d.days_left));
	return o;
}

json_t *svc_impact_json(const struct svc_impact_report *rep)
{
	char since[TG_TIME_ISO_LEN], until[TG_TIME_ISO_LEN];
	tg_time_iso(rep->since, since);
	tg_time_iso(rep->until, until);
	json_t *rows = json_array();
	for (size_t i = 0; i < rep->n_rows; i++) {
		const struct svc_impact_row *w = &rep->rows[i];
		json_array_append_new(rows, json_pack("{s:s,s:s,s:s,s:s,s:I,s:I,s:I,s:I,s:I,s:I}",
		                                      "userId", w->user_id, "userPrincipalName", w->upn,
		                                      "appId", w->app_id, "appDisplayName", w->app_name,
		                                      "signIns", (json_int_t)w->signins, "applied", (json_int_t)w->applied,
		                                      "blocked", (json_int_t)w->blocked,
		                                      "prompted", (json_int_t)w->prompted,
		                                      "newlyBlocked", (json_int_t)w->newly_blocked,
		                                      "newlyPrompted", (json_int_t)w->newly_prompted));
	}
	return json_pack("{s:o,s:s,s:s,s:I,s:I,s:I,s:b,s:I,s:I,s:I,s:I,s:I,s:I,s:b,s:o}",
	                 "draft", ca_policy_to_json(&rep->draft), "since", since, "until", until,
	                 "replayed", (json_int_t)rep->replayed,
	                 "skippedUnknownUser", (json_int_t)rep->skipped_unknown_user,
	                 "skippedUnreadable", (json_int_t)rep->skipped_unreadable, "truncated", rep->truncated,
	                 "applied", (json_int_t)rep->applied, "blocked", (json_int_t)rep->blocked,
	                 "prompted", (json_int_t)rep->prompted, "newlyBlocked", (json_int_t)rep->newly_blocked,
	                 "newlyPrompted", (json_int_t)rep->newly_prompted,
	                 "changedWithoutDraft", (json_int_t)rep->changed_without_draft,
	                 "securityDefaultsOn", rep->security_defaults_on, "byUserAndApp", rows);
}
