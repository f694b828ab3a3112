/* SPDX-License-Identifier: MIT
 * Wrappers of the auth-domain store table (store_auth.h): argument checks,
 * then the backend through STORE_SUB_CALL (which counts the call and can
 * inject a fault). */
#include <stddef.h>
#include "base/err.h"
#include "store/store_auth.h"
#include "store/store_int.h"

#define NEED(x) do { if (!(x)) return TG_ERR_INVALID; } while (0)
#define SEALED_OK(p, n) ((p) && (n) > 0 && (n) <= STORE_MAX_SEALED)

int store_method_insert(struct store *s, const struct store_method *m)
{
	NEED(m && m->id[0] && m->tenant_id[0] && m->user_id[0] && m->kind[0]);
	NEED(m->secret_len <= STORE_MAX_SEALED);
	STORE_SUB_CALL(s, auth, method_insert, m);
}

int store_method_get(struct store *s, const char *id, struct store_method *out)
{
	NEED(id && out);
	STORE_SUB_CALL(s, auth, method_get, id, out);
}

int store_method_list(struct store *s, const char *user_id, store_method_cb cb, void *arg)
{
	NEED(user_id && cb);
	STORE_SUB_CALL(s, auth, method_list, user_id, cb, arg);
}

int store_method_delete(struct store *s, const char *id)
{
	NEED(id);
	STORE_SUB_CALL(s, auth, method_delete, id);
}

int store_method_set_status(struct store *s, const char *id, int status)
{
	NEED(id && status >= STORE_METHOD_PENDING && status <= STORE_METHOD_DISABLED);
	STORE_SUB_CALL(s, auth, method_set_status, id, status);
}

int store_method_activate(struct store *s, const char *id, int64_t step, int64_t now)
{
	NEED(id && step >= 0);
	STORE_SUB_CALL(s, auth, method_activate, id, step, now);
}

int store_oath_step_advance(struct store *s, const char *id, int64_t step, int64_t now)
{
	NEED(id && step >= 0);
	STORE_SUB_CALL(s, auth, oath_step_advance, id, step, now);
}

int store_method_touch(struct store *s, const char *id, int64_t now)
{
	NEED(id);
	STORE_SUB_CALL(s, auth, method_touch, id, now);
}

int store_sealed_list(struct store *s, const char *after_id, int limit, store_sealed_cb cb,
                      void *arg)
{
	NEED(after_id && limit > 0 && cb);
	STORE_SUB_CALL(s, auth, sealed_list, after_id, limit, cb, arg);
}

int store_sealed_replace(struct store *s, const char *method_id, const uint8_t *old,
                         size_t old_len, const uint8_t *fresh, size_t fresh_len)
{
	NEED(method_id && SEALED_OK(old, old_len) && SEALED_OK(fresh, fresh_len));
	STORE_SUB_CALL(s, auth, sealed_replace, method_id, old, old_len, fresh, fresh_len);
}

int store_hw_token_insert(struct store *s, const struct store_hw_token *t)
{
	NEED(t && t->id[0] && t->tenant_id[0] && t->serial[0]);
	STORE_SUB_CALL(s, auth, hw_token_insert, t);
}

int store_hw_token_get(struct store *s, const char *serial, struct store_hw_token *out)
{
	NEED(serial && out);
	STORE_SUB_CALL(s, auth, hw_token_get, serial, out);
}

int store_hw_token_list(struct store *s, const char *tenant_id, store_hw_token_cb cb, void *arg)
{
	NEED(tenant_id && cb);
	STORE_SUB_CALL(s, auth, hw_token_list, tenant_id, cb, arg);
}

int store_hw_token_delete(struct store *s, const char *id)
{
	NEED(id);
	STORE_SUB_CALL(s, auth, hw_token_delete, id);
}

int store_otp_code_insert(struct store *s, const struct store_otp_code *c)
{
	NEED(c && c->id[0] && c->user_id[0] && c->method_id[0] && c->digest_len > 0 &&
	     c->digest_len <= STORE_MAX_DIGEST);
	STORE_SUB_CALL(s, auth, otp_code_insert, c);
}

int store_otp_code_list(struct store *s, const char *user_id, int64_t since, int limit,
                        store_otp_code_cb cb, void *arg)
{
	NEED(user_id && limit > 0 && cb);
	STORE_SUB_CALL(s, auth, otp_code_list, user_id, since, limit, cb, arg);
}

int store_otp_code_delivered(struct store *s, const char *id)
{
	NEED(id);
	STORE_SUB_CALL(s, auth, otp_code_delivered, id);
}

int store_otp_code_delete(struct store *s, const char *id)
{
	NEED(id);
	STORE_SUB_CALL(s, auth, otp_code_delete, id);
}

int store_otp_code_use(struct store *s, const char *id, int64_t now)
{
	NEED(id && now > 0);
	STORE_SUB_CALL(s, auth, otp_code_use, id, now);
}

int store_otp_code_fail(struct store *s, const char *id)
{
	NEED(id);
	STORE_SUB_CALL(s, auth, otp_code_fail, id);
}

int store_otp_code_use_all(struct store *s, const char *user_id, int64_t now)
{
	NEED(user_id && now > 0);
	STORE_SUB_CALL(s, auth, otp_code_use_all, user_id, now);
}

int store_otp_code_purge(struct store *s, const char *user_id, int64_t before)
{
	NEED(user_id);
	STORE_SUB_CALL(s, auth, otp_code_purge, user_id, before);
}

int store_recovery_code_insert(struct store *s, const char *tenant_id, const char *user_id,
                               const struct store_recovery_code *c)
{
	NEED(tenant_id && user_id && c && c->id[0] && c->digest_len > 0 &&
	     c->digest_len <= STORE_MAX_DIGEST);
	STORE_SUB_CALL(s, auth, recovery_code_insert, tenant_id, user_id, c);
}

int store_recovery_code_list(struct store *s, const char *user_id, store_recovery_cb cb, void *arg)
{
	NEED(user_id && cb);
	STORE_SUB_CALL(s, auth, recovery_code_list, user_id, cb, arg);
}

int store_recovery_code_use(struct store *s, const char *id, int64_t now)
{
	NEED(id && now > 0);
	STORE_SUB_CALL(s, auth, recovery_code_use, id, now);
}

int store_recovery_code_delete_all(struct store *s, const char *user_id, int64_t *n_out)
{
	NEED(user_id);
	STORE_SUB_CALL(s, auth, recovery_code_delete_all, user_id, n_out);
}

int store_app_password_insert(struct store *s, const struct store_app_password *p)
{
	NEED(p && p->id[0] && p->user_id[0] && p->pwhash[0]);
	STORE_SUB_CALL(s, auth, app_password_insert, p);
}

int store_app_password_list(struct store *s, const char *user_id, store_app_password_cb cb,
                            void *arg)
{
	NEED(user_id && cb);
	STORE_SUB_CALL(s, auth, app_password_list, user_id, cb, arg);
}

int store_app_password_count(struct store *s, const char *user_id, int64_t *out)
{
	NEED(user_id && out);
	STORE_SUB_CALL(s, auth, app_password_count, user_id, out);
}

int store_app_password_delete(struct store *s, const char *user_id, const char *id)
{
	NEED(user_id && id);
	STORE_SUB_CALL(s, auth, app_password_delete, user_id, id);
}

int store_app_password_delete_all(struct store *s, const char *user_id, int64_t *n_out)
{
	NEED(user_id);
	STORE_SUB_CALL(s, auth, app_password_delete_all, user_id, n_out);
}

int store_app_password_touch(struct store *s, const char *id, int64_t now)
{
	NEED(id);
	STORE_SUB_CALL(s, auth, app_password_touch, id, now);
}

int store_lockout_get(struct store *s, const char *key, struct lockout_state *out)
{
	NEED(key && key[0] && out);
	STORE_SUB_CALL(s, auth, lockout_get, key, out);
}

int store_lockout_put(struct store *s, const char *tenant_id, const char *key,
                      const struct lockout_state *st)
{
	NEED(tenant_id && key && key[0] && st);
	STORE_SUB_CALL(s, auth, lockout_put, tenant_id, key, st);
}

int store_lockout_delete(struct store *s, const char *key)
{
	NEED(key && key[0]);
	STORE_SUB_CALL(s, auth, lockout_delete, key);
}
