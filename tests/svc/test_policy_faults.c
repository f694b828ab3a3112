/* SPDX-License-Identifier: MIT
 * Fault injection on the policy domain: for every N, make the Nth store call
 * of an operation fail and check it is all-or-nothing — a failed settings
 * change, policy create/update/delete, template, named location change,
 * bad-IP change or security defaults switch (also the one that turns
 * per-user MFA off for everyone in the same step) leaves the stored state, the
 * audit log and the policy generation exactly as they were, with an error
 * reported; the first N that is not reached succeeds completely. */
#include <stdio.h>
#include "harness.h"
#include "base/err.h"
#include "base/mem.h"
#include "base/str.h"
#include "core/roles.h"
#include "json/ca_policy_json.h"
#include "store/store.h"
#include "store/store_policy.h"
#include "svc/svc.h"
#include "svc/svc_policy.h"

static const struct pw_params fast = {64, 1, 1};

struct env { struct store *st; struct svc sv; struct tg_tenant t; char policy_id[TG_ID_BUF]; char loc_id[TG_ID_BUF]; };

static const char *const policy_json =
	"{\"displayName\": \"MFA for all\", \"state\": \"enabled\","
	" \"conditions\": {\"users\": {\"includeUsers\": [\"All\"]},"
	" \"applications\": {\"includeApplications\": [\"All\"]}},"
	" \"grantControls\": {\"operator\": \"OR\", \"builtInControls\": [\"mfa\"]}}";
static const char *const policy_ro_json =
	"{\"displayName\": \"MFA for all\", \"state\": \"enabledForReportingButNotEnforced\","
	" \"conditions\": {\"users\": {\"includeUsers\": [\"All\"]},"
	" \"applications\": {\"includeApplications\": [\"All\"]}},"
	" \"grantControls\": {\"operator\": \"OR\", \"builtInControls\": [\"mfa\"]}}";
static const char *const location_json =
	"{\"@odata.type\": \"#microsoft.graph.ipNamedLocation\", \"displayName\": \"Office\","
	" \"ipRanges\": [{\"@odata.type\": \"#microsoft.graph.iPv4CidrRange\", \"cidrAddress\": \"203.0.113.0/24\"}]}";

static int setup(struct env *e)
{
	struct store_open_opts o = {.dsn = ":memory:", .create = true};
	struct ca_policy p;
	struct named_location l;
	memset(e, 0, sizeof *e);
	if (store_open("sqlite", &o, &e->st))
		return -1;
	svc_init(&e->sv, e->st, &fast, "test:faults");
	struct svc_user_input a = {.upn = "admin@contoso.test"}, b = {.upn = "bob@contoso.test"};
	if (svc_tenant_create(&e->sv, "contoso", "contoso.test", NULL, &e->t) ||
	    svc_user_create(&e->sv, &e->t, &a, NULL) || svc_user_create(&e->sv, &e->t, &b, NULL))
		return -1;
	ca_policy_init(&p);
	named_location_init(&l);
	int r = svc_policy_create(&e->sv, &e->t, policy_ro_json, strlen(policy_ro_json), &p, NULL) ||
	        svc_location_create(&e->sv, &e->t, location_json, strlen(location_json), &l, NULL) ||
	        svc_bad_ip_add(&e->sv, &e->t, "192.0.2.0/24", NULL);
	tg_strlcpy(e->policy_id, p.id, sizeof e->policy_id);
	tg_strlcpy(e->loc_id, l.id, sizeof e->loc_id);
	ca_policy_cleanup(&p);
	named_location_cleanup(&l);
	const char *bob = "bob@contoso.test";
	struct svc_mfa_report rep;
	r = r || svc_mfa_set(&e->sv, &e->t, MFA_STATE_ENFORCED, &bob, 1, false, false, &rep);
	svc_mfa_report_cleanup(&rep);
	return r ? -1 : 0;
}

static int count_cb(const struct tg_audit *a, void *arg)
{
	(void)a;
	(*(int *)arg)++;
	return 0;
}

static int row_cb(const struct store_policy_row *r, void *arg)
{
	struct tg_buf *b = arg;
	tg_buf_appendf(b, "%s|%d|%d|%s\n", r->id, r->state, r->is_trusted, r->json);
	return 0;
}

static int bad_cb(const struct store_bad_ip *b, void *arg)
{
	tg_buf_appendf(arg, "%s\n", b->cidr);
	return 0;
}

static int user_cb(const struct tg_user *u, void *arg)
{
	tg_buf_appendf(arg, "%s=%d\n", u->upn, (int)u->mfa_state);
	return 0;
}

/* Everything the policy domain stores, as one text. */
static char *state_of(struct env *e)
{
	struct tg_buf b;
	struct svc_settings s;
	int audits = 0;
	int64_t g = 0;
	tg_buf_init(&b, 1 << 20);
	struct audit_query aq = {.tenant_id = NULL};
	store_audit_list(e->st, &aq, count_cb, &audits);
	store_policy_generation_get(e->st, e->t.id, &g);
	tg_buf_appendf(&b, "audits=%d gen=%lld\n", audits, (long long)g);
	if (svc_settings_get(&e->sv, &e->t, &s) == TG_OK) {
		char *j = svc_settings_json(&s);
		tg_buf_appendf(&b, "%s\n", j);
		free(j);
	}
	store_ca_policy_list(e->st, e->t.id, row_cb, &b);
	store_location_list(e->st, e->t.id, row_cb, &b);
	store_bad_ip_list(e->st, e->t.id, bad_cb, &b);
	struct user_query uq = {.tenant_id = e->t.id, .state = -1};
	store_user_list(e->st, &uq, user_cb, &b);
	char *out = b.data ? b.data : xstrdup("");
	return out;   /* transferred */
}

enum op { OP_SETTINGS, OP_POLICY_CREATE, OP_POLICY_UPDATE, OP_POLICY_DELETE, OP_TEMPLATE,
          OP_LOCATION_CREATE, OP_LOCATION_DELETE, OP_BAD_IP_ADD, OP_BAD_IP_REMOVE, OP_SD_ENABLE,
          OP_RISK_SET, OP_SD_ENABLE_DISABLING_PER_USER, OP_COUNT_ };

static int run(struct env *e, enum op op)
{
	struct ca_policy p;
	ca_policy_init(&p);
	int r = TG_ERR_INTERNAL;
	switch (op) {
	case OP_SETTINGS: r = svc_settings_set_text(&e->sv, &e->t, "trusted-ips", "10.0.0.0/8"); break;
	case OP_POLICY_CREATE: r = svc_policy_create(&e->sv, &e->t, policy_json, strlen(policy_json), &p, NULL); break;
	case OP_POLICY_UPDATE:
		r = svc_policy_update(&e->sv, &e->t, e->policy_id, policy_json, strlen(policy_json), &p, NULL);
		break;
	case OP_POLICY_DELETE: r = svc_policy_delete(&e->sv, &e->t, e->policy_id); break;
	case OP_TEMPLATE: r = svc_policy_from_template(&e->sv, &e->t, "block-legacy-auth", "admin@contoso.test", &p); break;
	case OP_LOCATION_CREATE:
		r = svc_location_create(&e->sv, &e->t, location_json, strlen(location_json), NULL, NULL);
		break;
	case OP_LOCATION_DELETE: r = svc_location_delete(&e->sv, &e->t, e->loc_id); break;
	case OP_BAD_IP_ADD: r = svc_bad_ip_add(&e->sv, &e->t, "198.51.100.0/24", NULL); break;
	case OP_BAD_IP_REMOVE: r = svc_bad_ip_remove(&e->sv, &e->t, "192.0.2.0/24"); break;
	case OP_SD_ENABLE: r = svc_security_defaults_set(&e->sv, &e->t, true, false, NULL); break;
	case OP_RISK_SET: r = svc_user_risk_set(&e->sv, &e->t, "bob@contoso.test", RISK_HIGH, "x"); break;
	case OP_SD_ENABLE_DISABLING_PER_USER:
		/* bob is enforced: his state and the defaults change together or not at all */
		r = svc_security_defaults_set(&e->sv, &e->t, true, true, NULL);
		break;
	case OP_COUNT_: break;
	}
	ca_policy_cleanup(&p);
	return r;
}

static void all_or_nothing(void)
{
	for (int op = 0; op < OP_COUNT_; op++) {
		int failures = 0;
		bool done = false;
		for (long nth = 1; nth < 400 && !done; nth++) {
			struct env e;
			REQUIRE(setup(&e) == 0);
			if (op == OP_SD_ENABLE) {
				/* bob's per-user state is in the way: turn it off first */
				const char *bob = "bob@contoso.test";
				struct svc_mfa_report rep;
				CHECK_OK(svc_mfa_set(&e.sv, &e.t, MFA_STATE_DISABLED, &bob, 1, false, false, &rep));
				svc_mfa_report_cleanup(&rep);
			}
			char *before = state_of(&e);
			e.sv.err[0] = '\0';
			store_fault_inject(nth);
			int r = run(&e, (enum op)op);
			store_fault_inject(0);
			char *after = state_of(&e);
			if (r) {
				failures++;
				if (!e.sv.err[0])
					TG_T_FAIL("op %d, fault at %ld: no message", op, nth);
				if (strcmp(before, after) != 0)
					TG_T_FAIL("op %d, fault at %ld: state changed after a failure (%s)\n--- before\n%s--- after\n%s",
					          op, nth, e.sv.err, before, after);
			} else {
				done = true;
				if (strcmp(before, after) == 0 && op != OP_RISK_SET)
					TG_T_FAIL("op %d succeeded without a change", op);
			}
			free(before);
			free(after);
			store_close(e.st);
		}
		if (!done)
			TG_T_FAIL("op %d never succeeded", op);
		if (failures < 2)
			TG_T_FAIL("op %d: only %d injected failures", op, failures);
	}
}

int main(void)
{
	TEST(all_or_nothing);
	return tg_test_done();
}
