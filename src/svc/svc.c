/* SPDX-License-Identifier: MIT
 * Service layer: context, audit helper, tenants, users, passwords.
 * (Import, MFA state, groups and roles are in svc_bulk.c and svc_dir.c.) */
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "base/err.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/str.h"
#include "core/email_addr.h"
#include "core/password_policy.h"
#include "core/phone.h"
#include "core/roles.h"
#include "core/upn.h"
#include "core/uuid.h"
#include "crypto/password.h"
#include "crypto/rng.h"
#include "svc/svc.h"
#include "svc/svc_int.h"

static int64_t wall_now(void)
{
	return (int64_t)time(NULL);
}

void svc_init(struct svc *sv, struct store *st, const struct pw_params *pw, const char *actor)
{
	memset(sv, 0, sizeof *sv);
	sv->store = st;
	if (pw)
		sv->pw = *pw;
	else
		pw_params_default(&sv->pw);
	tg_strlcpy(sv->actor, actor ? actor : "system", sizeof sv->actor);
	sv->now = wall_now;
}

int64_t svc_now(const struct svc *sv)
{
	return sv->now ? sv->now() : wall_now();
}

int svc_fail(struct svc *sv, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(sv->err, sizeof sv->err, fmt, ap);
	va_end(ap);
	return code;
}

int svc_store_fail(struct svc *sv, int r, const char *what)
{
	if (r == TG_ERR_BUSY)
		return svc_fail(sv, r, "%s: the database is busy; try again", what);
	return svc_fail(sv, r, "%s: %s", what, tg_strerror(r));
}

int svc_audit(struct svc *sv, const char *tenant_id, const char *action, const char *target,
              const char *before, const char *after)
{
	struct tg_audit *a = xcalloc(1, sizeof *a);
	tg_strlcpy(a->tenant_id, tenant_id ? tenant_id : "", sizeof a->tenant_id);
	a->time = svc_now(sv);
	tg_strlcpy(a->actor, sv->actor, sizeof a->actor);
	tg_strlcpy(a->action, action, sizeof a->action);
	tg_strlcpy(a->target, target ? target : "", sizeof a->target);
	tg_strlcpy(a->before, before ? before : "", sizeof a->before);
	tg_strlcpy(a->after, after ? after : "", sizeof a->after);
	int r = store_audit_append(sv->store, a);
	free(a);
	if (r)
		return svc_store_fail(sv, r, "writing the audit log");
	return TG_OK;
}

/* JSON text of a user's public fields (never the password hash). */
char *svc_user_json(const struct tg_user *u)
{
	json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:b,s:s}",
	                      "userPrincipalName", u->upn, "displayName", u->display_name,
	                      "mail", u->email, "mobilePhone", u->phone,
	                      "preferredLanguage", u->locale, "accountEnabled", u->enabled,
	                      "perUserMfaState", mfa_state_name(u->mfa_state));
	char *s = o ? json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(o);
	return s ? s : xstrdup("{}");
}

/* ------------------------------------------------------------------ tenants */

int svc_tenant_create(struct svc *sv, const char *name, const char *domain,
                      const char *display_name, struct tg_tenant *out)
{
	const char *why = NULL;
	struct tg_tenant t;
	memset(&t, 0, sizeof t);
	if (tenant_name_check(name, &why))
		return svc_fail(sv, TG_ERR_INVALID, "invalid tenant name \"%s\": %s", name, why);
	char dom[TG_MAX_DOMAIN + 1];
	if (domain && *domain) {
		if (tg_strcpy_checked(dom, sizeof dom, domain) || domain_check(dom, &why))
			return svc_fail(sv, TG_ERR_INVALID, "invalid domain \"%s\": %s", domain,
			                why ? why : "too long");
	} else {
		snprintf(dom, sizeof dom, "%s.tollgate.local", name);
	}
	tg_ascii_lower(dom);
	if (display_name && (strlen(display_name) > TG_MAX_DISPLAY_NAME || tg_has_ctl(display_name) ||
	                     !tg_utf8_valid(display_name, strlen(display_name), NULL)))
		return svc_fail(sv, TG_ERR_INVALID, "invalid display name: at most %d characters of text",
		                TG_MAX_DISPLAY_NAME);
	int r = rng_uuid(t.id);
	if (r)
		return svc_fail(sv, r, "no randomness available");
	tg_strlcpy(t.name, name, sizeof t.name);
	tg_strlcpy(t.domain, dom, sizeof t.domain);
	tg_strlcpy(t.display_name, display_name && *display_name ? display_name : name,
	           sizeof t.display_name);
	t.created = svc_now(sv);
	if ((r = store_tx_begin(sv->store)))
		return svc_store_fail(sv, r, "creating the tenant");
	r = store_tenant_insert(sv->store, &t);
	if (r == TG_ERR_EXISTS) {
		store_tx_rollback(sv->store);
		return svc_fail(sv, r, "a tenant named \"%s\" already exists", name);
	}
	if (!r) {
		char after[512];
		snprintf(after, sizeof after, "{\"name\":\"%s\",\"domain\":\"%s\"}", t.name, t.domain);
		r = svc_audit(sv, t.id, "tenant.create", t.name, "", after);
	}
	if (!r)
		r = store_tx_commit(sv->store);
	if (r) {
		store_tx_rollback(sv->store);
		return sv->err[0] ? r : svc_store_fail(sv, r, "creating the tenant");
	}
	if (out)
		*out = t;
	return TG_OK;
}

struct one_tenant { struct tg_tenant t; int n; };

static int count_tenant_cb(const struct tg_tenant *t, void *arg)
{
	struct one_tenant *o = arg;
	if (o->n++ == 0)
		o->t = *t;
	return 0;
}

int svc_tenant_resolve(struct svc *sv, const char *name, struct tg_tenant *out)
{
	if (name && *name) {
		int r = store_tenant_get(sv->store, name, out);
		if (r == TG_ERR_NOT_FOUND)
			return svc_fail(sv, r, "no tenant named \"%s\" (see `tollgate tenant list`)", name);
		return r ? svc_store_fail(sv, r, "reading tenants") : TG_OK;
	}
	struct one_tenant o = {.n = 0};
	int r = store_tenant_list(sv->store, count_tenant_cb, &o);
	if (r)
		return svc_store_fail(sv, r, "reading tenants");
	if (o.n == 0)
		return svc_fail(sv, TG_ERR_NOT_FOUND, "there is no tenant yet (run `tollgate init` or "
		                "`tollgate tenant create NAME`)");
	if (o.n > 1)
		return svc_fail(sv, TG_ERR_INVALID, "there are %d tenants: choose one with --tenant NAME", o.n);
	*out = o.t;
	return TG_OK;
}

/* -------------------------------------------------------------------- users */

int svc_idv_add(const char *id, void *arg)
{
	struct svc_idv *x = arg;
	if (x->n == x->cap) {
		x->cap = x->cap ? x->cap * 2 : 8;
		x->v = xrealloc(x->v, x->cap * sizeof *x->v);
	}
	tg_strlcpy(x->v[x->n++], id, TG_ID_BUF);
	return 0;
}

int svc_check_text(struct svc *sv, const char *field, const char *v, size_t max)
{
	size_t n = strlen(v);
	if (n > max)
		return svc_fail(sv, TG_ERR_INVALID, "%s is longer than %zu characters", field, max);
	if (!tg_utf8_valid(v, n, NULL) || tg_has_ctl(v))
		return svc_fail(sv, TG_ERR_INVALID, "%s must be UTF-8 text without control characters", field);
	return TG_OK;
}

/* Email and phone rules come from core (email_addr.c, phone.c), the same
 * rules the authentication methods use. "" means none. */
int svc_check_email(struct svc *sv, const char *v)
{
	const char *why = NULL;
	if (!*v)
		return TG_OK;
	if (email_addr_check(v, &why))
		return svc_fail(sv, TG_ERR_INVALID, "\"%s\" is not an email address%s%s", v,
		                why ? ": " : "", why ? why : "");
	return TG_OK;
}

int svc_phone_normalize(struct svc *sv, const char *v, char out[TG_MAX_PHONE + 1])
{
	char canon[PHONE_SIZE];
	if (!*v) {
		out[0] = '\0';
		return TG_OK;
	}
	if (phone_normalize(v, canon) != TG_OK || strlen(canon) > TG_MAX_PHONE)
		return svc_fail(sv, TG_ERR_INVALID, "\"%s\" is not a phone number in the form "
		                "+CC NUMBER or +CC NUMBERxEXT (for example \"+46 701234567\")", v);
	tg_strlcpy(out, canon, TG_MAX_PHONE + 1);
	return TG_OK;
}

int svc_check_locale(struct svc *sv, const char *v)
{
	if (!*v || strcmp(v, "en") == 0 || strcmp(v, "sv") == 0)
		return TG_OK;
	return svc_fail(sv, TG_ERR_INVALID, "language \"%s\" is not supported (en or sv)", v);
}

/* Build a user record from input without touching the store. Hashes the
 * password when one is given (slow by design). */
int svc_user_build(struct svc *sv, const struct tg_tenant *t, const struct svc_user_input *in,
                   struct tg_user *u)
{
	const char *why = NULL;
	memset(u, 0, sizeof *u);
	if (!in->upn || upn_normalize(in->upn, u->upn, sizeof u->upn, &why))
		return svc_fail(sv, TG_ERR_INVALID, "invalid user principal name \"%s\": %s",
		                in->upn ? in->upn : "", why ? why : "missing");
	int r;
	if (in->display_name && (r = svc_check_text(sv, "the display name", in->display_name, TG_MAX_DISPLAY_NAME)))
		return r;
	if (in->email && (r = svc_check_email(sv, in->email)))
		return r;
	char phone[TG_MAX_PHONE + 1] = "";
	if (in->phone && (r = svc_phone_normalize(sv, in->phone, phone)))
		return r;
	if (in->locale && (r = svc_check_locale(sv, in->locale)))
		return r;
	if (in->password && in->pwhash)
		return svc_fail(sv, TG_ERR_INVALID, "give a password or a password hash, not both");
	if (in->password) {
		if (password_policy_check(in->password, in->password_len, &why))
			return svc_fail(sv, TG_ERR_INVALID, "%s", why);
		r = password_hash(&sv->pw, in->password, in->password_len, u->pwhash);
		if (r)
			return svc_fail(sv, r, "could not hash the password");
	} else if (in->pwhash && *in->pwhash) {
		if (!password_is_encoded_hash(in->pwhash))
			return svc_fail(sv, TG_ERR_INVALID, "the password hash is not an Argon2id "
			                "encoded string ($argon2id$v=19$m=…,t=…,p=…$salt$hash)");
		tg_strlcpy(u->pwhash, in->pwhash, sizeof u->pwhash);
	}
	if ((r = rng_uuid(u->id)))
		return svc_fail(sv, r, "no randomness available");
	tg_strlcpy(u->tenant_id, t->id, sizeof u->tenant_id);
	if (in->display_name && *in->display_name) {
		tg_strlcpy(u->display_name, in->display_name, sizeof u->display_name);
	} else {
		/* derive from the part before '@', as typed */
		size_t k = (size_t)(strchr(in->upn, '@') - in->upn);
		memcpy(u->display_name, in->upn, k);
		u->display_name[k] = '\0';
	}
	tg_strlcpy(u->email, in->email ? in->email : "", sizeof u->email);
	tg_strlcpy(u->phone, phone, sizeof u->phone);
	tg_strlcpy(u->locale, in->locale ? in->locale : "", sizeof u->locale);
	u->enabled = !in->disabled;
	u->must_change_password = in->must_change_password && u->pwhash[0];
	u->mfa_state = MFA_STATE_DISABLED;
	u->created = u->modified = svc_now(sv);
	return TG_OK;
}

int svc_user_create(struct svc *sv, const struct tg_tenant *t, const struct svc_user_input *in,
                    struct tg_user *out)
{
	struct tg_user u;
	int r = svc_user_build(sv, t, in, &u);
	if (r)
		goto out;
	if ((r = store_tx_begin(sv->store))) {
		svc_store_fail(sv, r, "creating the user");
		goto out;
	}
	r = store_user_insert(sv->store, &u);
	if (r == TG_ERR_EXISTS)
		svc_fail(sv, r, "a user named %s already exists", u.upn);
	else if (r)
		svc_store_fail(sv, r, "creating the user");
	if (!r) {
		char *after = svc_user_json(&u);
		r = svc_audit(sv, t->id, "user.create", u.upn, "", after);
		free(after);
	}
	if (!r && (r = store_tx_commit(sv->store)))
		svc_store_fail(sv, r, "creating the user");
	if (r)
		store_tx_rollback(sv->store);
	else if (out)
		*out = u;
out:
	tg_wipe(u.pwhash, sizeof u.pwhash);
	return r;
}

int svc_user_find(struct svc *sv, const struct tg_tenant *t, const char *key, struct tg_user *out)
{
	int r;
	if (uuid_is_valid(key))
		r = store_user_get(sv->store, key, out);
	else
		r = store_user_get_by_upn(sv->store, key, out);
	if (r == TG_OK && strcmp(out->tenant_id, t->id) != 0)
		r = TG_ERR_NOT_FOUND;
	if (r == TG_ERR_NOT_FOUND)
		return svc_fail(sv, r, "no user %s in tenant %s", key, t->name);
	if (r)
		return svc_store_fail(sv, r, "reading the user");
	return TG_OK;
}

/* Read-modify-write of one user in a transaction, audited. */
static int update_user(struct svc *sv, const struct tg_tenant *t, const char *upn,
                       const char *action, int (*apply)(struct svc *, struct tg_user *, const void *),
                       const void *arg, struct tg_user *out)
{
	struct tg_user u;
	int r = store_tx_begin(sv->store);
	if (r)
		return svc_store_fail(sv, r, "updating the user");
	if ((r = svc_user_find(sv, t, upn, &u)))
		goto fail;
	char *before = svc_user_json(&u);
	r = apply(sv, &u, arg);
	if (!r) {
		u.modified = svc_now(sv);
		if ((r = store_user_update(sv->store, &u)))
			svc_store_fail(sv, r, "updating the user");
	}
	if (!r) {
		char *after = svc_user_json(&u);
		r = svc_audit(sv, t->id, action, u.upn, before, after);
		free(after);
	}
	free(before);
	if (!r && (r = store_tx_commit(sv->store)))
		svc_store_fail(sv, r, "updating the user");
	if (r)
		goto fail;
	if (out)
		*out = u;
	tg_wipe(u.pwhash, sizeof u.pwhash);
	return TG_OK;
fail:
	store_tx_rollback(sv->store);
	tg_wipe(u.pwhash, sizeof u.pwhash);
	return r;
}

struct ga_count {
	struct svc *sv;
	const char *tenant_id, *user_id;
	bool is_member;
	size_t others;          /* other enabled Global Administrators */
	int err;
};

static int ga_cb(const char *id, void *arg)
{
	struct ga_count *g = arg;
	if (strcmp(id, g->user_id) == 0) {
		g->is_member = true;
		return 0;
	}
	struct tg_user o;
	int r = store_user_get(g->sv->store, id, &o);
	if (r) {
		g->err = r;
		return 1;
	}
	tg_wipe(o.pwhash, sizeof o.pwhash);
	if (o.enabled && strcmp(o.tenant_id, g->tenant_id) == 0)
		g->others++;
	return 0;
}

int svc_keep_last_global_admin(struct svc *sv, const char *tenant_id, const char *user_id,
                               const char *what)
{
	struct ga_count g = {sv, tenant_id, user_id, false, 0, 0};
	int r = store_role_members(sv->store, tenant_id, ROLE_ID_GLOBAL_ADMIN, ga_cb, &g);
	if (r && g.err)
		r = g.err;
	if (r)
		return svc_store_fail(sv, r, "reading the Global Administrators");
	if (g.is_member && g.others == 0)
		return svc_fail(sv, TG_ERR_CONFLICT, "%s would leave the tenant without an enabled "
		                "Global Administrator: assign the role to another user first", what);
	return TG_OK;
}

static int apply_changes(struct svc *sv, struct tg_user *u, const void *arg)
{
	const struct svc_user_changes *ch = arg;
	int r;
	if (ch->display_name) {
		if (!*ch->display_name)
			return svc_fail(sv, TG_ERR_INVALID, "the display name cannot be empty");
		if ((r = svc_check_text(sv, "the display name", ch->display_name, TG_MAX_DISPLAY_NAME)))
			return r;
		tg_strlcpy(u->display_name, ch->display_name, sizeof u->display_name);
	}
	if (ch->email) {
		if ((r = svc_check_email(sv, ch->email)))
			return r;
		tg_strlcpy(u->email, ch->email, sizeof u->email);
	}
	if (ch->phone && (r = svc_phone_normalize(sv, ch->phone, u->phone)))
		return r;
	if (ch->locale) {
		if ((r = svc_check_locale(sv, ch->locale)))
			return r;
		tg_strlcpy(u->locale, ch->locale, sizeof u->locale);
	}
	if (ch->enabled == 0 && u->enabled &&
	    (r = svc_keep_last_global_admin(sv, u->tenant_id, u->id, "disabling this user")))
		return r;
	if (ch->enabled >= 0)
		u->enabled = ch->enabled != 0;
	return TG_OK;
}

int svc_user_update(struct svc *sv, const struct tg_tenant *t, const char *upn,
                    const struct svc_user_changes *ch, struct tg_user *out)
{
	const char *action = "user.update";
	if (ch->enabled >= 0 && !ch->display_name && !ch->email && !ch->phone && !ch->locale)
		action = ch->enabled ? "user.enable" : "user.disable";
	return update_user(sv, t, upn, action, apply_changes, ch, out);
}

int svc_user_delete(struct svc *sv, const struct tg_tenant *t, const char *upn)
{
	struct tg_user u;
	int r = store_tx_begin(sv->store);
	if (r)
		return svc_store_fail(sv, r, "deleting the user");
	if ((r = svc_user_find(sv, t, upn, &u)))
		goto fail;
	tg_wipe(u.pwhash, sizeof u.pwhash);
	if ((r = svc_keep_last_global_admin(sv, t->id, u.id, "deleting this user")))
		goto fail;
	if ((r = store_user_delete(sv->store, u.id))) {
		svc_store_fail(sv, r, "deleting the user");
		goto fail;
	}
	char *before = svc_user_json(&u);
	r = svc_audit(sv, t->id, "user.delete", u.upn, before, "");
	free(before);
	if (!r && (r = store_tx_commit(sv->store)))
		svc_store_fail(sv, r, "deleting the user");
	if (r)
		goto fail;
	return TG_OK;
fail:
	store_tx_rollback(sv->store);
	return r;
}

struct pw_arg { const char *pw; size_t len; bool must_change; };

static int apply_password(struct svc *sv, struct tg_user *u, const void *arg)
{
	const struct pw_arg *a = arg;
	const char *why = NULL;
	if (password_policy_check(a->pw, a->len, &why))
		return svc_fail(sv, TG_ERR_INVALID, "%s", why);
	int r = password_hash(&sv->pw, a->pw, a->len, u->pwhash);
	if (r)
		return svc_fail(sv, r, "could not hash the password");
	u->must_change_password = a->must_change;
	return TG_OK;
}

int svc_user_set_password(struct svc *sv, const struct tg_tenant *t, const char *upn,
                          const char *pw, size_t pw_len, bool must_change)
{
	struct pw_arg a = {pw, pw_len, must_change};
	return update_user(sv, t, upn, "user.set_password", apply_password, &a, NULL);
}

int svc_password_generate(char *out, size_t out_size)
{
	/* no 0/O, 1/l/I: easy to read aloud and type */
	static const char alphabet[] = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
	const size_t len = 20;
	if (out_size < len + 1)
		return TG_ERR_INVALID;
	for (size_t i = 0; i < len; i++) {
		uint32_t k;
		int r = rng_uniform((uint32_t)(sizeof alphabet - 1), &k);
		if (r) {
			tg_wipe(out, out_size);
			return r;
		}
		out[i] = alphabet[k];
	}
	out[len] = '\0';
	return TG_OK;
}

int svc_password_check(struct svc *sv, const char *upn, const char *pw, size_t pw_len,
                       struct tg_user *out)
{
	struct tg_user u;
	char norm[TG_MAX_UPN + 1];
	int r = TG_ERR_NOT_FOUND;
	if (upn_normalize(upn, norm, sizeof norm, NULL) == TG_OK)
		r = store_user_get_by_upn(sv->store, norm, &u);
	if (r == TG_ERR_NOT_FOUND || (r == TG_OK && !u.pwhash[0])) {
		/* same work as a real verification: no user-enumeration by timing */
		password_verify_dummy(&sv->pw, pw, pw_len);
		return svc_fail(sv, TG_ERR_DENIED, "wrong user name or password");
	}
	if (r)
		return svc_store_fail(sv, r, "reading the user");
	r = password_verify(u.pwhash, pw, pw_len);
	if (r != TG_OK) {
		tg_wipe(u.pwhash, sizeof u.pwhash);
		return svc_fail(sv, TG_ERR_DENIED, "wrong user name or password");
	}
	if (!u.enabled) {
		tg_wipe(u.pwhash, sizeof u.pwhash);
		return svc_fail(sv, TG_ERR_DISABLED, "the account is disabled");
	}
	if (password_needs_rehash(u.pwhash, &sv->pw)) {
		char fresh[TG_MAX_PWHASH + 1];
		if (password_hash(&sv->pw, pw, pw_len, fresh) == TG_OK) {
			tg_strlcpy(u.pwhash, fresh, sizeof u.pwhash);
			u.modified = svc_now(sv);
			if (store_user_update(sv->store, &u) != TG_OK)
				log_warn("could not store the upgraded password hash of %s", u.upn);
		}
		tg_wipe(fresh, sizeof fresh);
	}
	if (out)
		*out = u;
	tg_wipe(u.pwhash, sizeof u.pwhash);
	return TG_OK;
}
