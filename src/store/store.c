/* SPDX-License-Identifier: MIT
 * Backend registry and the store_* wrappers. Wrappers check arguments,
 * count calls, and — for fault-injection tests — can make the Nth call fail
 * (environment TG_STORE_FAIL_AT=N, read once), so tests can prove a failed
 * write loses nothing and reports an error. */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include "base/err.h"
#include "base/log.h"
#include "base/str.h"
#include "store/store.h"
#include "store/store_int.h"

static const struct store_ops *const backends[] = {
	&store_sqlite_ops,
};

const struct store_ops *store_backend(const char *name)
{
	for (size_t i = 0; i < sizeof backends / sizeof backends[0]; i++)
		if (strcmp(backends[i]->name, name) == 0)
			return backends[i];
	return NULL;
}

static _Atomic long call_count;
static _Atomic long fail_at = -1;

void store_fault_inject(long nth)
{
	call_count = 0;
	fail_at = nth > 0 ? nth : 0;
}

int store_fault_point(void)
{
	if (fail_at < 0) {
		const char *e = getenv("TG_STORE_FAIL_AT");
		int64_t v;
		fail_at = (e && tg_parse_i64(e, 1, INT32_MAX, &v) == TG_OK) ? (long)v : 0;
	}
	if (fail_at == 0)
		return TG_OK;
	long n = ++call_count;
	if (fail_at > 0 && n == fail_at) {
		log_warn("fault injection: store call %ld fails", n);
		return TG_ERR_STORE;
	}
	return TG_OK;
}

int store_open(const char *backend, const struct store_open_opts *o, struct store **out)
{
	const struct store_ops *ops = store_backend(backend);
	if (!ops) {
		log_error("unknown store backend \"%s\"", backend);
		return TG_ERR_INVALID;
	}
	if (ops->version > STORE_OPS_VERSION)
		return TG_ERR_UNSUPPORTED;
	struct store *s = NULL;
	int r = ops->open(o, &s);
	if (r)
		return r;
	s->ops = ops;
	s->in_tx = false;
	*out = s; /* transferred */
	return TG_OK;
}

void store_close(struct store *s)
{
	if (!s)
		return;
	if (s->in_tx)
		store_tx_rollback(s);
	s->ops->close(s);
}

int store_latest_schema(const char *backend)
{
	if (strcmp(backend, "sqlite") == 0)
		return store_sqlite_latest_schema();
	return 0;
}

#define CALL(s, op, ...) do { \
	if (!(s) || !(s)->ops->op) return TG_ERR_UNSUPPORTED; \
	int _f = store_fault_point(); if (_f) return _f; \
	return (s)->ops->op((s), __VA_ARGS__); } while (0)
#define CALL0(s, op) do { \
	if (!(s) || !(s)->ops->op) return TG_ERR_UNSUPPORTED; \
	int _f = store_fault_point(); if (_f) return _f; \
	return (s)->ops->op((s)); } while (0)
#define NEED(x) do { if (!(x)) return TG_ERR_INVALID; } while (0)

int store_schema_version(struct store *s, int *out) { CALL(s, schema_version, out); }
int store_ping(struct store *s) { CALL0(s, ping); }

int store_tx_begin(struct store *s)
{
	if (!s)
		return TG_ERR_INVALID;
	if (s->in_tx)
		return TG_ERR_INTERNAL; /* nesting is a programming error */
	int f = store_fault_point();
	if (f)
		return f;
	int r = s->ops->tx_begin(s);
	if (r == TG_OK)
		s->in_tx = true;
	return r;
}

int store_tx_commit(struct store *s)
{
	if (!s || !s->in_tx)
		return TG_ERR_INTERNAL;
	int f = store_fault_point();
	if (f) {
		s->ops->tx_rollback(s);
		s->in_tx = false;
		return f;
	}
	int r = s->ops->tx_commit(s);
	if (r != TG_OK)
		s->ops->tx_rollback(s);
	s->in_tx = false;
	return r;
}

int store_tx_rollback(struct store *s)
{
	if (!s || !s->in_tx)
		return TG_OK;
	s->in_tx = false;
	return s->ops->tx_rollback(s);
}

int store_tenant_insert(struct store *s, const struct tg_tenant *t) { NEED(t); CALL(s, tenant_insert, t); }
int store_tenant_get(struct store *s, const char *k, struct tg_tenant *out) { NEED(k && out); CALL(s, tenant_get, k, out); }
int store_tenant_list(struct store *s, store_tenant_cb cb, void *arg) { NEED(cb); CALL(s, tenant_list, cb, arg); }

int store_user_insert(struct store *s, const struct tg_user *u) { NEED(u && u->id[0] && u->upn[0]); CALL(s, user_insert, u); }
int store_user_update(struct store *s, const struct tg_user *u) { NEED(u && u->id[0]); CALL(s, user_update, u); }
int store_user_delete(struct store *s, const char *id) { NEED(id); CALL(s, user_delete, id); }
int store_user_get(struct store *s, const char *id, struct tg_user *out) { NEED(id && out); CALL(s, user_get, id, out); }
int store_user_get_by_upn(struct store *s, const char *upn, struct tg_user *out) { NEED(upn && out); CALL(s, user_get_by_upn, upn, out); }
int store_user_list(struct store *s, const struct user_query *q, store_user_cb cb, void *arg) { NEED(q && q->tenant_id && cb); CALL(s, user_list, q, cb, arg); }
int store_user_count(struct store *s, const char *tid, int64_t *out) { NEED(tid && out); CALL(s, user_count, tid, out); }
int store_user_set_mfa_state(struct store *s, const char *id, enum mfa_state st, int64_t m) { NEED(id && (unsigned)st <= MFA_STATE_ENFORCED); CALL(s, user_set_mfa_state, id, st, m); }
int store_user_method_count(struct store *s, const char *id, int64_t *out) { NEED(id && out); CALL(s, user_method_count, id, out); }

int store_group_insert(struct store *s, const struct tg_group *g) { NEED(g && g->id[0]); CALL(s, group_insert, g); }
int store_group_delete(struct store *s, const char *id) { NEED(id); CALL(s, group_delete, id); }
int store_group_get(struct store *s, const char *tid, const char *k, struct tg_group *out) { NEED(tid && k && out); CALL(s, group_get, tid, k, out); }
int store_group_update(struct store *s, const struct tg_group *g) { NEED(g && g->id[0] && g->tenant_id[0] && g->name[0]); CALL(s, group_update, g); }
int store_group_list(struct store *s, const char *tid, store_group_cb cb, void *arg) { NEED(tid && cb); CALL(s, group_list, tid, cb, arg); }
int store_group_member_add(struct store *s, const char *g, enum tg_member_kind k, const char *m) { NEED(g && m); CALL(s, group_member_add, g, k, m); }
int store_group_member_remove(struct store *s, const char *g, enum tg_member_kind k, const char *m) { NEED(g && m); CALL(s, group_member_remove, g, k, m); }
int store_group_members(struct store *s, const char *g, bool tr, store_member_cb cb, void *arg) { NEED(g && cb); CALL(s, group_members, g, tr, cb, arg); }
int store_member_groups(struct store *s, enum tg_member_kind k, const char *m, bool tr, store_id_cb cb, void *arg) { NEED(m && cb); CALL(s, member_groups, k, m, tr, cb, arg); }

int store_role_assign(struct store *s, const char *tid, const char *uid, const char *rid) { NEED(tid && uid && rid); CALL(s, role_assign, tid, uid, rid); }
int store_role_remove(struct store *s, const char *uid, const char *rid) { NEED(uid && rid); CALL(s, role_remove, uid, rid); }
int store_user_roles(struct store *s, const char *uid, store_id_cb cb, void *arg) { NEED(uid && cb); CALL(s, user_roles, uid, cb, arg); }
int store_role_members(struct store *s, const char *tid, const char *rid, store_id_cb cb, void *arg) { NEED(tid && rid && cb); CALL(s, role_members, tid, rid, cb, arg); }

int store_audit_append(struct store *s, struct tg_audit *a) { NEED(a && a->action[0]); CALL(s, audit_append, a); }
int store_audit_list(struct store *s, const struct audit_query *q, store_audit_cb cb, void *arg)
{
	NEED(q && cb);
	NEED(!q->actor || (q->actor[0] && strlen(q->actor) <= TG_MAX_AUDIT_ACTOR));
	CALL(s, audit_list, q, cb, arg);
}

int store_setting_get(struct store *s, const char *tid, const char *k, char **out) { NEED(tid && k && out); CALL(s, setting_get, tid, k, out); }
int store_setting_set(struct store *s, const char *tid, const char *k, const char *v) { NEED(tid && k && v); CALL(s, setting_set, tid, k, v); }
