/* SPDX-License-Identifier: MIT
 * Wrappers of the notify-domain store table (store_notify.h): argument
 * checks, then the backend through STORE_SUB_CALL (which counts the call
 * and can inject a fault). */
#include <stddef.h>
#include <string.h>
#include "base/err.h"
#include "store/store_int.h"
#include "store/store_notify.h"

#define NEED(x) do { if (!(x)) return TG_ERR_INVALID; } while (0)

static bool kind_ok(const char *k)
{
	return strcmp(k, STORE_NOTIFY_MFA_REGISTER) == 0 || strcmp(k, STORE_NOTIFY_MFA_REQUIRED) == 0;
}

int store_notify_insert(struct store *s, const struct store_notification *n)
{
	NEED(n && n->id[0] && n->tenant_id[0] && n->user_id[0] && n->to[0] && n->change_seq > 0);
	NEED(kind_ok(n->kind) && n->status == STORE_NOTIFY_PENDING && n->attempts == 0);
	STORE_SUB_CALL(s, notify, insert, n);
}

int store_notify_claim(struct store *s, int64_t now, int64_t lease_until,
                       struct store_notification *out)
{
	NEED(out && lease_until > now);
	STORE_SUB_CALL(s, notify, claim, now, lease_until, out);
}

int store_notify_mark_sent(struct store *s, const char *id, unsigned attempts, int64_t now)
{
	NEED(id && attempts > 0);
	STORE_SUB_CALL(s, notify, mark_sent, id, attempts, now);
}

int store_notify_mark_failed(struct store *s, const char *id, unsigned attempts,
                             int64_t next_attempt, bool give_up, const char *error)
{
	NEED(id && attempts > 0 && error);
	STORE_SUB_CALL(s, notify, mark_failed, id, attempts, next_attempt, give_up, error);
}

int store_notify_list(struct store *s, const struct store_notify_query *q,
                      store_notification_cb cb, void *arg)
{
	NEED(q && q->tenant_id && cb && q->limit > 0 && q->limit <= TG_MAX_NOTIFY_LIST);
	NEED(q->status >= -1 && q->status <= STORE_NOTIFY_FAILED);
	NEED(q->before_seq >= 0 && (q->before_seq > 0 || q->before_created == 0));
	STORE_SUB_CALL(s, notify, list, q, cb, arg);
}
