/* SPDX-License-Identifier: MIT
 * Wrappers of the oidc-domain store table (store_oidc.h): argument checks,
 * then the backend through STORE_SUB_CALL (which counts the call and can
 * inject a fault). */
#include <stddef.h>
#include <string.h>
#include "base/err.h"
#include "store/store_int.h"
#include "store/store_oidc.h"

#define NEED(x) do { if (!(x)) return TG_ERR_INVALID; } while (0)
#define DIGEST_OK(d) ((d) && (d)->len > 0 && (d)->len <= STORE_DIGEST_MAX)

int store_app_insert(struct store *s, const struct store_app *a)
{
	NEED(a && a->tenant_id[0] && a->id[0] && a->display_name[0] && a->signing_alg[0]);
	NEED(a->is_public ? a->secret.len == 0 : DIGEST_OK(&a->secret));
	NEED(a->n_redirect_uris <= TG_MAX_APP_REDIRECT_URIS && a->n_permissions <= TG_MAX_APP_PERMISSIONS);
	NEED(a->grant_types && (a->grant_types & ~STORE_GRANT_ALL) == 0);
	STORE_SUB_CALL(s, oidc, app_insert, a);
}

int store_app_update(struct store *s, const struct store_app *a)
{
	NEED(a && a->tenant_id[0] && a->id[0] && a->display_name[0] && a->signing_alg[0]);
	NEED(a->is_public ? a->secret.len == 0 : DIGEST_OK(&a->secret));
	NEED(a->n_redirect_uris <= TG_MAX_APP_REDIRECT_URIS && a->n_permissions <= TG_MAX_APP_PERMISSIONS);
	NEED(a->grant_types && (a->grant_types & ~STORE_GRANT_ALL) == 0);
	STORE_SUB_CALL(s, oidc, app_update, a);
}

int store_app_get(struct store *s, const char *tenant_id, const char *id, struct store_app *out)
{
	NEED(tenant_id && id && out);
	STORE_SUB_CALL(s, oidc, app_get, tenant_id, id, out);
}

int store_app_list(struct store *s, const char *tenant_id, store_app_cb cb, void *arg)
{
	NEED(tenant_id && cb);
	STORE_SUB_CALL(s, oidc, app_list, tenant_id, cb, arg);
}

int store_app_delete(struct store *s, const char *tenant_id, const char *id)
{
	NEED(tenant_id && id);
	STORE_SUB_CALL(s, oidc, app_delete, tenant_id, id);
}

int store_session_insert(struct store *s, const struct store_session *x)
{
	NEED(x && x->id[0] && x->tenant_id[0] && DIGEST_OK(&x->digest));
	STORE_SUB_CALL(s, oidc, session_insert, x);
}

int store_session_get(struct store *s, const struct store_digest *d, struct store_session *out)
{
	NEED(DIGEST_OK(d) && out);
	STORE_SUB_CALL(s, oidc, session_get, d, out);
}

int store_session_get_id(struct store *s, const char *id, struct store_session *out)
{
	NEED(id && out);
	STORE_SUB_CALL(s, oidc, session_get_id, id, out);
}

int store_session_rotate(struct store *s, const struct store_digest *old,
                         const struct store_session *x)
{
	NEED(DIGEST_OK(old) && x && x->id[0] && DIGEST_OK(&x->digest));
	STORE_SUB_CALL(s, oidc, session_rotate, old, x);
}

int store_session_touch(struct store *s, const char *id, int64_t now)
{
	NEED(id);
	STORE_SUB_CALL(s, oidc, session_touch, id, now);
}

int store_session_set_flow(struct store *s, const char *id, const struct store_digest *d,
                           const char *flow)
{
	NEED(id && DIGEST_OK(d) && flow && strlen(flow) <= TG_MAX_SESSION_FLOW);
	STORE_SUB_CALL(s, oidc, session_set_flow, id, d, flow);
}

int store_session_revoke(struct store *s, const char *id)
{
	NEED(id);
	STORE_SUB_CALL(s, oidc, session_revoke, id);
}

int store_session_revoke_user(struct store *s, const char *user_id, int64_t *n_out)
{
	NEED(user_id && user_id[0]);
	STORE_SUB_CALL(s, oidc, session_revoke_user, user_id, n_out);
}

int store_device_insert(struct store *s, const struct store_device *d)
{
	NEED(d && DIGEST_OK(&d->digest) && d->tenant_id[0] && d->user_id[0]);
	STORE_SUB_CALL(s, oidc, device_insert, d);
}

int store_device_get(struct store *s, const struct store_digest *d, struct store_device *out)
{
	NEED(DIGEST_OK(d) && out);
	STORE_SUB_CALL(s, oidc, device_get, d, out);
}

int store_device_delete_user(struct store *s, const char *user_id, int64_t *n_out)
{
	NEED(user_id && user_id[0]);
	STORE_SUB_CALL(s, oidc, device_delete_user, user_id, n_out);
}

int store_code_insert(struct store *s, const struct store_code *c)
{
	NEED(c && DIGEST_OK(&c->digest) && c->tenant_id[0] && c->client_id[0] && c->user_id[0] &&
	     c->family_id[0] && c->redirect_uri[0]);
	STORE_SUB_CALL(s, oidc, code_insert, c);
}

int store_code_consume(struct store *s, const struct store_digest *d, int64_t now,
                       struct store_code *out)
{
	NEED(DIGEST_OK(d) && out);
	STORE_SUB_CALL(s, oidc, code_consume, d, now, out);
}

int store_family_insert(struct store *s, const struct store_refresh_family *f)
{
	NEED(f && f->id[0] && f->tenant_id[0] && f->client_id[0] && f->user_id[0]);
	STORE_SUB_CALL(s, oidc, family_insert, f);
}

int store_family_revoke(struct store *s, const char *id, int64_t now)
{
	NEED(id && id[0]);
	STORE_SUB_CALL(s, oidc, family_revoke, id, now);
}

int store_family_revoke_user(struct store *s, const char *user_id, int64_t now, int64_t *n_out)
{
	NEED(user_id && user_id[0]);
	STORE_SUB_CALL(s, oidc, family_revoke_user, user_id, now, n_out);
}

int store_family_revoke_session(struct store *s, const char *session_id, int64_t now,
                                int64_t *n_out)
{
	NEED(session_id && session_id[0]);
	STORE_SUB_CALL(s, oidc, family_revoke_session, session_id, now, n_out);
}

int store_refresh_insert(struct store *s, const struct store_refresh *r)
{
	NEED(r && DIGEST_OK(&r->digest) && r->family.id[0]);
	STORE_SUB_CALL(s, oidc, refresh_insert, r);
}

int store_refresh_get(struct store *s, const struct store_digest *d, struct store_refresh *out)
{
	NEED(DIGEST_OK(d) && out);
	STORE_SUB_CALL(s, oidc, refresh_get, d, out);
}

int store_refresh_rotate(struct store *s, const struct store_digest *old,
                         const struct store_digest *fresh, int64_t now)
{
	NEED(DIGEST_OK(old) && DIGEST_OK(fresh));
	STORE_SUB_CALL(s, oidc, refresh_rotate, old, fresh, now);
}

int store_jti_revoke(struct store *s, const char *tenant_id, const char *jti, int64_t expires)
{
	NEED(tenant_id && jti && jti[0] && strlen(jti) <= TG_MAX_JTI);
	STORE_SUB_CALL(s, oidc, jti_revoke, tenant_id, jti, expires);
}

int store_jti_is_revoked(struct store *s, const char *jti, int64_t now, bool *out)
{
	NEED(jti && out);
	STORE_SUB_CALL(s, oidc, jti_is_revoked, jti, now, out);
}

int store_oidc_purge(struct store *s, const struct store_oidc_purge_at *at,
                     struct store_oidc_purged *out)
{
	NEED(at);
	STORE_SUB_CALL(s, oidc, purge, at, out);
}
