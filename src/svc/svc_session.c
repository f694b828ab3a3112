/* SPDX-License-Identifier: MIT
 * Browser sessions (created, looked up with idle and absolute timeouts,
 * rotated after every authentication step, ended), remembered devices and
 * `mfa revoke-sessions` (see svc_oidc.h). The cookie values are bearer
 * secrets known to the store only by their keyed digests.
 *
 * Sections: authentication steps, sessions, revoking a user's sessions,
 * remembered devices. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/err.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/str.h"
#include "core/cidr.h"
#include "core/uuid.h"
#include "crypto/rng.h"
#include "svc/svc_int.h"
#include "svc/svc_oidc.h"
#include "svc/svc_oidc_int.h"

/* ---------------------------------------------------- authentication steps */

/* true when amr (space-separated) holds value v. */
static bool amr_has(const char *amr, const char *v, size_t vl)
{
	for (const char *p = amr; *p;) {
		size_t l = strcspn(p, " ");
		if (l == vl && memcmp(p, v, vl) == 0)
			return true;
		p += l;
		while (*p == ' ')
			p++;
	}
	return false;
}

/* Add the values of `add` missing from amr (TG_MAX_AMR bytes). */
static int amr_add(struct svc *sv, char amr[TG_MAX_AMR + 1], const char *add)
{
	for (const char *p = add; *p;) {
		while (*p == ' ')
			p++;
		size_t l = strcspn(p, " ");
		if (l && !amr_has(amr, p, l)) {
			size_t cur = strlen(amr);
			if (cur + (cur ? 1 : 0) + l > TG_MAX_AMR)
				return svc_fail(sv, TG_ERR_INVALID, "too many amr values");
			if (cur)
				amr[cur++] = ' ';
			memcpy(amr + cur, p, l);
			amr[cur + l] = '\0';
		}
		p += l;
	}
	return TG_OK;
}

/* amr values are RFC 8176 style names: [A-Za-z0-9_-], space separated. */
static int check_amr(struct svc *sv, const char *amr)
{
	int r = svc_oidc_check_ascii(sv, "amr", amr, TG_MAX_AMR);
	if (r)
		return r;
	for (const char *p = amr; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		      *p == '_' || *p == '-' || *p == ' '))
			return svc_fail(sv, TG_ERR_INVALID, "amr values are names of letters, digits, "
			                "'_' and '-', separated by spaces");
	return TG_OK;
}

/* TG_OK when user_id is a user of tenant t, else TG_ERR_NOT_FOUND. */
static int user_in_tenant(struct svc *sv, const struct tg_tenant *t, const char *user_id)
{
	struct tg_user *u = xmalloc(sizeof *u);
	int r = store_user_get(sv->store, user_id, u);
	bool ours = !r && strcmp(u->tenant_id, t->id) == 0;
	tg_wipe(u, sizeof *u);
	free(u);
	if (r && r != TG_ERR_NOT_FOUND)
		return svc_store_fail(sv, r, "reading the user");
	if (!ours)
		return svc_fail(sv, TG_ERR_NOT_FOUND, "no such user in this tenant");
	return TG_OK;
}

/* Apply st to session x (of tenant t) at now. */
static int apply_step(struct svc_oidc *o, const struct tg_tenant *t, struct store_session *x,
                      const struct svc_session_step *st, int64_t now)
{
	struct svc *sv = o->sv;
	int r;
	bool has_user = st->user_id && *st->user_id;
	if (st->first_factor && !has_user)
		return svc_fail(sv, TG_ERR_INVALID, "a first-factor step needs the user");
	if (has_user) {
		if (!uuid_is_valid(st->user_id))
			return svc_fail(sv, TG_ERR_INVALID, "a session's user is a user object id");
		if (x->user_id[0] && strcmp(x->user_id, st->user_id) != 0)
			return svc_fail(sv, TG_ERR_CONFLICT, "another user is signed in in this session; "
			                "sign out first");
		if (!x->user_id[0] && (r = user_in_tenant(sv, t, st->user_id)))
			return r;
		tg_strlcpy(x->user_id, st->user_id, sizeof x->user_id);
	}
	if (!x->user_id[0] && ((st->amr && *st->amr) || st->mfa_methods))
		return svc_fail(sv, TG_ERR_INVALID, "an authentication step needs a user (first factor)");
	if (st->amr && (r = check_amr(sv, st->amr)))
		return r;
	if (st->acr && (r = svc_oidc_check_ascii(sv, "acr", st->acr, TG_MAX_ACR)))
		return r;
	if (st->flow && (r = svc_oidc_check_flow(sv, st->flow)))
		return r;
	if (st->first_factor) {
		x->auth_time = now;
		x->expires = now + o->session_absolute;   /* NIST: reauthenticate every 12 h */
		x->amr[0] = '\0';
	}
	if (st->amr && (r = amr_add(sv, x->amr, st->amr)))
		return r;
	if (st->mfa_methods) {
		x->mfa_time = now;
		x->mfa_methods |= st->mfa_methods;
		if ((r = amr_add(sv, x->amr, "mfa")))
			return r;
	}
	if (st->acr)
		tg_strlcpy(x->acr, st->acr, sizeof x->acr);
	if (st->flow)
		tg_strlcpy(x->flow, st->flow, sizeof x->flow);
	x->last_seen = now;
	return TG_OK;
}

/* ---------------------------------------------------------------- sessions */

/* Printable ASCII of a User-Agent, truncated; anything else becomes '?'. */
static void copy_user_agent(char *dst, size_t size, const char *ua)
{
	size_t i = 0;
	for (; ua && ua[i] && i + 1 < size; i++)
		dst[i] = (unsigned char)ua[i] >= 0x20 && (unsigned char)ua[i] < 0x7f ? ua[i] : '?';
	dst[i] = '\0';
}

int svc_session_create(struct svc_oidc *o, const struct tg_tenant *t,
                       const struct svc_session_start *in, struct store_session *out,
                       char token_out[SVC_TOKEN_SIZE])
{
	struct svc *sv = o->sv;
	struct store_session *x = xcalloc(1, sizeof *x);
	char token[SVC_TOKEN_SIZE] = "";
	int64_t now = svc_now(sv);
	int r = TG_OK;
	if (in && in->ip && *in->ip) {
		struct cidr_ip ip;
		if (cidr_ip_parse(in->ip, &ip)) {
			r = svc_fail(sv, TG_ERR_INVALID, "\"%.64s\" is not an IP address", in->ip);
			goto out;
		}
		cidr_ip_format(&ip, x->ip);
	}
	if (in)
		copy_user_agent(x->user_agent, sizeof x->user_agent, in->user_agent);
	if (in && in->flow) {
		if ((r = svc_oidc_check_flow(sv, in->flow)))
			goto out;
		tg_strlcpy(x->flow, in->flow, sizeof x->flow);
	}
	if ((r = rng_uuid(x->id))) {
		svc_fail(sv, r, "no randomness available");
		goto out;
	}
	tg_strlcpy(x->tenant_id, t->id, sizeof x->tenant_id);
	x->created = x->last_seen = now;
	x->expires = now + o->session_absolute;
	if (in && in->auth && (r = apply_step(o, t, x, in->auth, now)))
		goto out;
	if ((r = svc_oidc_token_new(o, SVC_CTX_SESSION, NULL, token, &x->digest)))
		goto out;
	r = store_session_insert(sv->store, x);
	if (r == TG_ERR_NOT_FOUND)
		r = svc_fail(sv, TG_ERR_NOT_FOUND, "no such user in this tenant");
	else if (r)
		r = svc_store_fail(sv, r, "creating the session");
	if (r)
		goto out;
	memcpy(token_out, token, SVC_TOKEN_SIZE);
	if (out)
		*out = *x;
out:
	tg_wipe(token, sizeof token);
	free(x);
	return r;
}

/* Find the session of a cookie value and judge it at now (see
 * svc_session_get); *d gets the digest. */
static int session_load(struct svc_oidc *o, const struct tg_tenant *t, const char *token,
                        int64_t now, struct store_session *x, struct store_digest *d)
{
	struct svc *sv = o->sv;
	int r = svc_oidc_token_digest(o, SVC_CTX_SESSION, NULL, token, d);
	if (r == TG_ERR_DENIED)
		return svc_fail(sv, TG_ERR_NOT_FOUND, "no session");
	if (r)
		return r;
	r = store_session_get(sv->store, d, x);
	if (r == TG_ERR_NOT_FOUND)
		return svc_fail(sv, r, "no session");
	if (r)
		return svc_store_fail(sv, r, "reading the session");
	if (svc_oidc_token_verify(o, SVC_CTX_SESSION, NULL, token, &x->digest) ||
	    strcmp(x->tenant_id, t->id) != 0)
		return svc_fail(sv, TG_ERR_NOT_FOUND, "no session");
	if (x->revoked)
		return svc_fail(sv, TG_ERR_DENIED, "the session was ended");
	if (now >= x->expires)
		return svc_fail(sv, TG_ERR_EXPIRED, "the session has expired (absolute lifetime)");
	if (now - x->last_seen >= o->session_idle)
		return svc_fail(sv, TG_ERR_EXPIRED, "the session has expired (idle)");
	return TG_OK;
}

int svc_session_get(struct svc_oidc *o, const struct tg_tenant *t, const char *token,
                    struct store_session *out)
{
	struct store_session *x = xmalloc(sizeof *x);
	struct store_digest d;
	int64_t now = svc_now(o->sv);
	int r = session_load(o, t, token, now, x, &d);
	if (!r && now - x->last_seen >= SVC_SESSION_TOUCH_EVERY) {
		int tr = store_session_touch(o->sv->store, x->id, now);
		if (tr)
			log_warn("session %s: last-seen time not written: %s", x->id, tg_strerror(tr));
		else
			x->last_seen = now;
	}
	if (!r)
		*out = *x;
	free(x);
	return r;
}

int svc_session_step(struct svc_oidc *o, const struct tg_tenant *t, const char *token,
                     const struct svc_session_step *st, struct store_session *out,
                     char new_token_out[SVC_TOKEN_SIZE])
{
	struct svc *sv = o->sv;
	struct store_session *x = xmalloc(sizeof *x);
	struct store_digest old;
	char fresh[SVC_TOKEN_SIZE] = "";
	int64_t now = svc_now(sv);
	int r = session_load(o, t, token, now, x, &old);
	if (r)
		goto out;
	if (!st) {
		r = svc_fail(sv, TG_ERR_INVALID, "no authentication step given");
		goto out;
	}
	if ((r = apply_step(o, t, x, st, now)))
		goto out;
	if ((r = svc_oidc_token_new(o, SVC_CTX_SESSION, NULL, fresh, &x->digest)))
		goto out;
	r = store_session_rotate(sv->store, &old, x);
	if (r == TG_ERR_CONFLICT)
		r = svc_fail(sv, r, "the session changed meanwhile (another request rotated it or "
		             "ended it)");
	else if (r == TG_ERR_NOT_FOUND)
		r = svc_fail(sv, r, "no such user in this tenant");
	else if (r)
		r = svc_store_fail(sv, r, "updating the session");
	if (r)
		goto out;
	memcpy(new_token_out, fresh, SVC_TOKEN_SIZE);
	if (out)
		*out = *x;
out:
	tg_wipe(fresh, sizeof fresh);
	free(x);
	return r;
}

int svc_session_set_flow(struct svc_oidc *o, const struct tg_tenant *t, const char *token,
                         const char *flow)
{
	struct svc *sv = o->sv;
	struct store_session *x = xmalloc(sizeof *x);
	struct store_digest d;
	int r = session_load(o, t, token, svc_now(sv), x, &d);
	if (!r && !flow)
		r = svc_fail(sv, TG_ERR_INVALID, "no flow state given");
	if (!r)
		r = svc_oidc_check_flow(sv, flow);
	if (!r) {
		r = store_session_set_flow(sv->store, x->id, &d, flow);
		if (r == TG_ERR_CONFLICT)
			svc_fail(sv, r, "the session changed meanwhile");
		else if (r)
			svc_store_fail(sv, r, "updating the session");
	}
	free(x);
	return r;
}

int svc_session_end(struct svc_oidc *o, const struct tg_tenant *t, const char *token)
{
	o->sv->err[0] = '\0';
	struct svc *sv = o->sv;
	struct store_session *x = xmalloc(sizeof *x);
	struct store_digest d;
	int r = svc_oidc_token_digest(o, SVC_CTX_SESSION, NULL, token, &d);
	if (r) {
		free(x);
		return r == TG_ERR_DENIED ? TG_OK : r;   /* nothing to end */
	}
	r = store_session_get(sv->store, &d, x);
	if (r == TG_ERR_NOT_FOUND || (!r && strcmp(x->tenant_id, t->id) != 0)) {
		free(x);
		return TG_OK;
	}
	if (r) {
		free(x);
		return svc_store_fail(sv, r, "reading the session");
	}
	if ((r = store_tx_begin(sv->store))) {
		free(x);
		return svc_store_fail(sv, r, "ending the session");
	}
	r = store_session_revoke(sv->store, x->id);
	if (!r)
		r = store_family_revoke_session(sv->store, x->id, svc_now(sv), NULL);
	r = svc_oidc_end_tx(sv, r, "ending the session");
	free(x);
	return r;
}

/* ------------------------------------------------ revoking a user's sessions */

int svc_session_revoke_user(struct svc *sv, const struct tg_tenant *t, const char *upn,
                            struct svc_revoke_report *rep)
{
	sv->err[0] = '\0';
	struct tg_user *u = xmalloc(sizeof *u);
	struct svc_revoke_report n = {0, 0, 0};
	int r = store_tx_begin(sv->store);
	if (r) {
		free(u);
		return svc_store_fail(sv, r, "revoking sessions");
	}
	if ((r = svc_user_find(sv, t, upn, u)))
		goto out;
	tg_wipe(u->pwhash, sizeof u->pwhash);
	r = store_session_revoke_user(sv->store, u->id, &n.sessions);
	if (!r)
		r = store_device_delete_user(sv->store, u->id, &n.devices);
	if (!r)
		r = store_family_revoke_user(sv->store, u->id, svc_now(sv), &n.families);
	if (r) {
		svc_store_fail(sv, r, "revoking sessions");
		goto out;
	}
	char after[200];
	snprintf(after, sizeof after, "{\"sessions\":%lld,\"rememberedDevices\":%lld,"
	         "\"refreshTokenFamilies\":%lld}", (long long)n.sessions, (long long)n.devices,
	         (long long)n.families);
	r = svc_audit(sv, t->id, "user.revoke_sessions", u->upn, "", after);
out:
	r = svc_oidc_end_tx(sv, r, "revoking sessions");
	free(u);
	if (!r && rep)
		*rep = n;
	return r;
}

/* ------------------------------------------------------ remembered devices */

int svc_device_remember(struct svc_oidc *o, const struct tg_tenant *t, const char *user_id,
                        int days, char token_out[SVC_TOKEN_SIZE], int64_t *expires_out)
{
	struct svc *sv = o->sv;
	if (days < 1 || days > TG_MAX_REMEMBER_DAYS)
		return svc_fail(sv, TG_ERR_INVALID, "a device is remembered for 1 to %d days",
		                TG_MAX_REMEMBER_DAYS);
	if (!user_id || !uuid_is_valid(user_id))
		return svc_fail(sv, TG_ERR_INVALID, "a remembered device belongs to a user object id");
	int r = user_in_tenant(sv, t, user_id);
	if (r)
		return r;
	struct store_device d;
	memset(&d, 0, sizeof d);
	char token[SVC_TOKEN_SIZE];
	int64_t now = svc_now(sv);
	tg_strlcpy(d.tenant_id, t->id, sizeof d.tenant_id);
	tg_strlcpy(d.user_id, user_id, sizeof d.user_id);
	d.created = now;
	d.expires = now + (int64_t)days * 86400;
	if ((r = svc_oidc_token_new(o, SVC_CTX_DEVICE, d.user_id, token, &d.digest)))
		return r;
	if ((r = store_device_insert(sv->store, &d))) {
		svc_store_fail(sv, r, "remembering the device");
	} else {
		memcpy(token_out, token, SVC_TOKEN_SIZE);
		if (expires_out)
			*expires_out = d.expires;
	}
	tg_wipe(token, sizeof token);
	return r;
}

int svc_device_check(struct svc_oidc *o, const struct tg_tenant *t, const char *user_id,
                     const char *token)
{
	struct svc *sv = o->sv;
	struct store_digest d;
	struct store_device row;
	if (!user_id || !uuid_is_valid(user_id))
		return svc_fail(sv, TG_ERR_DENIED, "not a remembered device");
	int r = svc_oidc_token_digest(o, SVC_CTX_DEVICE, user_id, token, &d);
	if (r == TG_ERR_DENIED)
		return svc_fail(sv, r, "not a remembered device");
	if (r)
		return r;
	r = store_device_get(sv->store, &d, &row);
	if (r == TG_ERR_NOT_FOUND)
		return svc_fail(sv, TG_ERR_DENIED, "not a remembered device");
	if (r)
		return svc_store_fail(sv, r, "reading remembered devices");
	if (svc_oidc_token_verify(o, SVC_CTX_DEVICE, user_id, token, &row.digest) ||
	    strcmp(row.user_id, user_id) != 0 || strcmp(row.tenant_id, t->id) != 0)
		return svc_fail(sv, TG_ERR_DENIED, "not a remembered device");
	if (svc_now(sv) >= row.expires)
		return svc_fail(sv, TG_ERR_EXPIRED, "the remembered device has expired");
	return TG_OK;
}

int svc_device_revoke_user(struct svc *sv, const struct tg_tenant *t, const char *upn,
                           int64_t *n_out)
{
	sv->err[0] = '\0';
	struct tg_user *u = xmalloc(sizeof *u);
	int64_t n = 0;
	int r = store_tx_begin(sv->store);
	if (r) {
		free(u);
		return svc_store_fail(sv, r, "revoking remembered devices");
	}
	if ((r = svc_user_find(sv, t, upn, u)))
		goto out;
	tg_wipe(u->pwhash, sizeof u->pwhash);
	if ((r = store_device_delete_user(sv->store, u->id, &n))) {
		svc_store_fail(sv, r, "revoking remembered devices");
		goto out;
	}
	char after[64];
	snprintf(after, sizeof after, "{\"rememberedDevices\":%lld}", (long long)n);
	r = svc_audit(sv, t->id, "user.revoke_remembered_devices", u->upn, "", after);
out:
	r = svc_oidc_end_tx(sv, r, "revoking remembered devices");
	free(u);
	if (!r && n_out)
		*n_out = n;
	return r;
}
