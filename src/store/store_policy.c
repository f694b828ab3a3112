/* SPDX-License-Identifier: MIT
 * Wrappers of the policy-domain store operations (store_policy.h): argument
 * checks, then the backend slot through STORE_SUB_CALL, which also counts
 * the call for fault injection. */
#include <stdlib.h>
#include "base/err.h"
#include "store/store_int.h"
#include "store/store_policy.h"

#define NEED(x) do { if (!(x)) return TG_ERR_INVALID; } while (0)
#define ROW_OK(r) ((r) && (r)->id[0] && (r)->tenant_id[0] && (r)->json)

void store_policy_row_cleanup(struct store_policy_row *row)
{
	if (!row)
		return;
	free(row->json);
	row->json = NULL;
}

void store_signin_cleanup(struct store_signin *r)
{
	if (!r)
		return;
	free(r->json);
	r->json = NULL;
}

int store_ca_policy_insert(struct store *s, const struct store_policy_row *row)
{
	NEED(ROW_OK(row) && row->state >= 1 && row->state <= 3);
	STORE_SUB_CALL(s, policy, ca_policy_insert, row);
}

int store_ca_policy_update(struct store *s, const struct store_policy_row *row)
{
	NEED(ROW_OK(row) && row->state >= 1 && row->state <= 3);
	STORE_SUB_CALL(s, policy, ca_policy_update, row);
}

int store_ca_policy_delete(struct store *s, const char *tid, const char *id)
{
	NEED(tid && id);
	STORE_SUB_CALL(s, policy, ca_policy_delete, tid, id);
}

int store_ca_policy_get(struct store *s, const char *tid, const char *id, struct store_policy_row *out)
{
	NEED(tid && id && out);
	STORE_SUB_CALL(s, policy, ca_policy_get, tid, id, out);
}

int store_ca_policy_list(struct store *s, const char *tid, store_policy_row_cb cb, void *arg)
{
	NEED(tid && cb);
	STORE_SUB_CALL(s, policy, ca_policy_list, tid, cb, arg);
}

int store_ca_policy_count(struct store *s, const char *tid, int64_t *out)
{
	NEED(tid && out);
	STORE_SUB_CALL(s, policy, ca_policy_count, tid, out);
}

int store_location_insert(struct store *s, const struct store_policy_row *row)
{
	NEED(ROW_OK(row));
	STORE_SUB_CALL(s, policy, location_insert, row);
}

int store_location_update(struct store *s, const struct store_policy_row *row)
{
	NEED(ROW_OK(row));
	STORE_SUB_CALL(s, policy, location_update, row);
}

int store_location_delete(struct store *s, const char *tid, const char *id)
{
	NEED(tid && id);
	STORE_SUB_CALL(s, policy, location_delete, tid, id);
}

int store_location_get(struct store *s, const char *tid, const char *id, struct store_policy_row *out)
{
	NEED(tid && id && out);
	STORE_SUB_CALL(s, policy, location_get, tid, id, out);
}

int store_location_list(struct store *s, const char *tid, store_policy_row_cb cb, void *arg)
{
	NEED(tid && cb);
	STORE_SUB_CALL(s, policy, location_list, tid, cb, arg);
}

int store_location_count(struct store *s, const char *tid, int64_t *out)
{
	NEED(tid && out);
	STORE_SUB_CALL(s, policy, location_count, tid, out);
}

int store_policy_generation_get(struct store *s, const char *tid, int64_t *out)
{
	NEED(tid && out);
	STORE_SUB_CALL(s, policy, generation_get, tid, out);
}

int store_policy_generation_bump(struct store *s, const char *tid, int64_t *out)
{
	NEED(tid);
	STORE_SUB_CALL(s, policy, generation_bump, tid, out);
}

int store_bad_ip_add(struct store *s, const char *tid, const struct store_bad_ip *b)
{
	NEED(tid && b && b->cidr[0]);
	STORE_SUB_CALL(s, policy, bad_ip_add, tid, b);
}

int store_bad_ip_remove(struct store *s, const char *tid, const char *cidr)
{
	NEED(tid && cidr);
	STORE_SUB_CALL(s, policy, bad_ip_remove, tid, cidr);
}

int store_bad_ip_list(struct store *s, const char *tid, store_bad_ip_cb cb, void *arg)
{
	NEED(tid && cb);
	STORE_SUB_CALL(s, policy, bad_ip_list, tid, cb, arg);
}

int store_bad_ip_count(struct store *s, const char *tid, int64_t *out)
{
	NEED(tid && out);
	STORE_SUB_CALL(s, policy, bad_ip_count, tid, out);
}

int store_user_risk_get(struct store *s, const char *uid, struct store_user_risk *out)
{
	NEED(uid && out);
	STORE_SUB_CALL(s, policy, user_risk_get, uid, out);
}

int store_user_risk_set(struct store *s, const struct store_user_risk *r)
{
	NEED(r && r->user_id[0] && r->tenant_id[0]);
	STORE_SUB_CALL(s, policy, user_risk_set, r);
}

int store_sd_first_signin_get(struct store *s, const char *uid, int64_t *out)
{
	NEED(uid && out);
	STORE_SUB_CALL(s, policy, sd_first_signin_get, uid, out);
}

int store_sd_first_signin_note(struct store *s, const char *tid, const char *uid, int64_t time,
                               int64_t since, bool *noted_out)
{
	NEED(tid && uid);
	STORE_SUB_CALL(s, policy, sd_first_signin_note, tid, uid, time, since, noted_out);
}

int store_signin_insert(struct store *s, struct store_signin *r)
{
	NEED(r && r->id[0] && r->tenant_id[0] && r->json);
	STORE_SUB_CALL(s, policy, signin_insert, r);
}

int store_signin_get(struct store *s, const char *tid, const char *id, struct store_signin *out)
{
	NEED(tid && id && out);
	STORE_SUB_CALL(s, policy, signin_get, tid, id, out);
}

int store_signin_list(struct store *s, const struct store_signin_query *q, store_signin_cb cb,
                      void *arg)
{
	NEED(q && q->tenant_id && cb);
	STORE_SUB_CALL(s, policy, signin_list, q, cb, arg);
}

int store_signin_purge(struct store *s, const char *tid, int64_t before, int limit, int64_t *n_out)
{
	NEED(tid && n_out && limit >= 1 && limit <= TG_MAX_SIGNIN_PURGE_BATCH);
	STORE_SUB_CALL(s, policy, signin_purge, tid, before, limit, n_out);
}
