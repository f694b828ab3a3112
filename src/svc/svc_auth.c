/* SPDX-License-Identifier: MIT
 * Authentication methods, service layer (svc_auth.h): shared helpers, the
 * method list, delete and require-re-register, phone and email methods,
 * the brute-force guard and account unlock. OATH is in svc_auth_oath.c,
 * one-time codes in svc_auth_code.c, recovery codes and app passwords in
 * svc_auth_secret.c, key rotation in svc_auth_keys.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/err.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/str.h"
#include "core/email_addr.h"
#include "crypto/rng.h"
#include "svc/svc_auth.h"
#include "svc/svc_auth_int.h"
#include "svc/svc_int.h"

void svc_auth_init(struct svc_auth *a, struct svc *sv, const struct keys *keys,
                   const struct auth_config *cfg)
{
	memset(a, 0, sizeof *a);
	a->sv = sv;
	a->keys = keys;
	a->cfg = cfg;
}

/* ----------------------------------------------------------------- helpers */

int svc_auth_user(struct svc_auth *a, const struct tg_tenant *t, const char *upn,
                  struct tg_user *u)
{
	int r = svc_user_find(a->sv, t, upn, u);
	if (r == TG_OK)
		tg_wipe(u->pwhash, sizeof u->pwhash);
	return r;
}

size_t svc_auth_aad(char out[SVC_AUTH_AAD_SIZE], const char *tenant_id, const char *user_id,
                    const char *method_id)
{
	int n = snprintf(out, SVC_AUTH_AAD_SIZE, "%s|%s|%s", tenant_id, user_id, method_id);
	return n > 0 && n < SVC_AUTH_AAD_SIZE ? (size_t)n : strlen(out);
}

static int collect_method(const struct store_method *m, void *arg)
{
	struct svc_auth_methods *ms = arg;
	if (ms->n == ms->cap) {
		size_t cap = ms->cap ? ms->cap * 2 : 8;
		struct store_method *v = xcalloc(cap, sizeof *v);
		if (ms->v) {
			memcpy(v, ms->v, ms->n * sizeof *v);
			tg_secret_free(ms->v, ms->cap * sizeof *v);
		}
		ms->v = v;
		ms->cap = cap;
	}
	ms->v[ms->n++] = *m;
	return 0;
}

int svc_auth_methods_load(struct svc_auth *a, const char *user_id, struct svc_auth_methods *out)
{
	memset(out, 0, sizeof *out);
	int r = store_method_list(a->sv->store, user_id, collect_method, out);
	if (r) {
		svc_auth_methods_free(out);
		return svc_store_fail(a->sv, r, "reading the user's methods");
	}
	return TG_OK;
}

void svc_auth_methods_free(struct svc_auth_methods *m)
{
	if (m->v)
		tg_secret_free(m->v, m->cap * sizeof *m->v);
	memset(m, 0, sizeof *m);
}

bool svc_auth_is_oath(const struct store_method *m)
{
	return strcmp(m->kind, STORE_KIND_SOFTWARE_OATH) == 0 ||
	       strcmp(m->kind, STORE_KIND_HARDWARE_OATH) == 0;
}

size_t svc_auth_active_count(const struct svc_auth_methods *m)
{
	size_t n = 0;
	for (size_t i = 0; i < m->n; i++)
		n += m->v[i].status == STORE_METHOD_ACTIVE;
	return n;
}

int svc_auth_first_method(struct svc_auth *a, const struct tg_tenant *t, const struct tg_user *u,
                          size_t active_before)
{
	if (active_before > 0)
		return TG_OK;
	return svc_mfa_registration_completed(a->sv, t, u->id);
}

static const char *status_name(int st)
{
	switch (st) {
	case STORE_METHOD_PENDING: return "pending";
	case STORE_METHOD_ACTIVE: return "active";
	case STORE_METHOD_DISABLED: return "disabled";
	}
	return "unknown";
}

json_t *svc_auth_method_json(const struct store_method *m)
{
	json_t *o = json_pack("{s:s,s:s,s:s,s:s}", "id", m->id, "kind", m->kind,
	                      "status", status_name(m->status), "displayName", m->display_name);
	if (!o)
		return json_object();
	if (strcmp(m->kind, STORE_KIND_PHONE) == 0) {
		json_object_set_new(o, "phoneNumber", json_string(m->detail));
		const char *ty = phone_type_name((enum phone_type)m->phone_type);
		json_object_set_new(o, "phoneType", json_string(ty ? ty : "mobile"));
	} else if (strcmp(m->kind, STORE_KIND_EMAIL) == 0) {
		json_object_set_new(o, "emailAddress", json_string(m->detail));
	} else if (svc_auth_is_oath(m)) {
		const char *alg = hmac_alg_name((enum hmac_alg)m->oath_alg);
		json_object_set_new(o, "algorithm", json_string(alg ? alg : "SHA1"));
		json_object_set_new(o, "digits", json_integer(m->oath_digits));
		json_object_set_new(o, "period", json_integer(m->oath_period));
		if (m->serial[0])
			json_object_set_new(o, "serialNumber", json_string(m->serial));
	}
	return o;
}

static char *dump(json_t *v)
{
	char *s = v ? json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	json_decref(v);
	return s;
}

int svc_auth_audit(struct svc_auth *a, const struct tg_tenant *t, const char *action,
                   const char *target, json_t *before, json_t *after)
{
	char *b = dump(before), *af = dump(after);
	int r = svc_audit(a->sv, t->id, action, target, b ? b : "", af ? af : "");
	free(b);
	free(af);
	return r;
}

int svc_auth_rollback(struct svc_auth *a, int r, const char *what)
{
	store_tx_rollback(a->sv->store);
	if (!a->sv->err[0])
		svc_store_fail(a->sv, r, what);
	return r;
}

int svc_auth_code_normalize(const char *typed, char out[OTP_CODE_SIZE])
{
	char digits[OTP_CODE_SIZE];
	size_t n = 0;
	int r = TG_ERR_INVALID;
	for (size_t i = 0; typed[i]; i++) {
		if (i > 64 || n == OTP_CODE_MAX_DIGITS + 1)
			goto out;
		if (typed[i] == ' ' || typed[i] == '-' || typed[i] == '\t')
			continue;
		if (typed[i] < '0' || typed[i] > '9' || n == OTP_CODE_MAX_DIGITS)
			goto out;
		digits[n++] = typed[i];
	}
	digits[n] = '\0';
	r = otp_code_normalize(digits, (unsigned)n, out);
out:
	tg_wipe(digits, sizeof digits);
	return r;
}

bool svc_auth_option_allowed(struct svc_auth *a, const struct tg_tenant *t, const char *option)
{
	char *v = NULL;
	int r = store_setting_get(a->sv->store, t->id, SVC_SETTING_VERIFICATION_OPTIONS, &v);
	if (r != TG_OK)
		return r == TG_ERR_NOT_FOUND; /* absent: every option; unreadable: none */
	bool allowed = false;
	size_t n = strlen(option);
	for (const char *p = v; *p;) {
		while (*p == ' ' || *p == ',')
			p++;
		const char *e = p;
		while (*e && *e != ',')
			e++;
		const char *end = e;
		while (end > p && end[-1] == ' ')
			end--;
		if ((size_t)(end - p) == n && strncmp(p, option, n) == 0)
			allowed = true;
		p = e;
	}
	free(v);
	return allowed;
}

/* ------------------------------------------------------------ lockout guard */

void svc_auth_policy(enum svc_auth_counter counter, struct lockout_policy *p)
{
	if (counter == SVC_AUTH_PASSWORD)
		lockout_policy_password(p);
	else
		lockout_policy_second_factor(p);
}

static int wait_message(struct svc_auth *a, int r, int64_t retry, const char *upn, bool source)
{
	if (retry == LOCKOUT_UNTIL_UNLOCK)
		return svc_fail(a->sv, r, "the account %s is locked after too many failed verifications: "
		                "an administrator must unlock it (tollgate account unlock %s)", upn, upn);
	if (r == TG_ERR_LOCKED)
		return svc_fail(a->sv, r, "%s locked after too many failed verifications: try again in "
		                "%lld minute%s, or an administrator can unlock it (tollgate account "
		                "unlock %s)", source ? "this address is" : "the account is",
		                (long long)((retry + 59) / 60), retry > 60 ? "s" : "", upn);
	return svc_fail(a->sv, r, "too many failed attempts: wait %lld second%s before trying again",
	                (long long)retry, retry == 1 ? "" : "s");
}

/* Check one key and count a failure in advance (caller's transaction). */
static int guard_key(struct svc_auth *a, const struct tg_tenant *t, const struct lockout_policy *p,
                     const char *key, const char *upn, int64_t now, enum lockout_event *ev)
{
	struct lockout_state st;
	memset(&st, 0, sizeof st);
	int r = store_lockout_get(a->sv->store, key, &st);
	if (r && r != TG_ERR_NOT_FOUND)
		return svc_store_fail(a->sv, r, "reading the failure counters");
	int64_t retry = 0;
	r = lockout_check(p, &st, now, &retry);
	if (r)
		return wait_message(a, r, retry, upn, p->scope == LOCKOUT_SOURCE);
	*ev = lockout_record_failure(p, &st, now);
	r = store_lockout_put(a->sv->store, p->scope == LOCKOUT_SOURCE ? "" : t->id, key, &st);
	return r ? svc_store_fail(a->sv, r, "writing the failure counters") : TG_OK;
}

int svc_auth_guard_begin(struct svc_auth *a, const struct tg_tenant *t, const struct tg_user *u,
                         enum svc_auth_counter counter, const char *source,
                         struct svc_auth_guard *g)
{
	memset(g, 0, sizeof *g);
	g->counter = counter;
	snprintf(g->acct_key, sizeof g->acct_key, "%s:%s",
	         counter == SVC_AUTH_PASSWORD ? "pw" : "mfa", u->id);
	if (source && *source)
		snprintf(g->src_key, sizeof g->src_key, "ip:%.64s", source);
	tg_strlcpy(g->upn, u->upn, sizeof g->upn);
	int64_t now = svc_now(a->sv);
	struct lockout_policy pa, ps;
	svc_auth_policy(counter, &pa);
	lockout_policy_source(&ps);
	int r = store_tx_begin(a->sv->store);
	if (r)
		return svc_store_fail(a->sv, r, "checking the failure counters");
	r = guard_key(a, t, &pa, g->acct_key, u->upn, now, &g->acct_ev);
	if (!r && g->src_key[0])
		r = guard_key(a, t, &ps, g->src_key, u->upn, now, &g->src_ev);
	if (!r)
		r = store_tx_commit(a->sv->store);
	if (r)
		return svc_auth_rollback(a, r, "checking the failure counters");
	return TG_OK;
}

void svc_auth_guard_end(struct svc_auth *a, const struct tg_tenant *t, struct svc_auth_guard *g,
                        bool success)
{
	char keep[sizeof a->sv->err];
	tg_strlcpy(keep, a->sv->err, sizeof keep); /* the verification's message wins */
	int r = store_tx_begin(a->sv->store);
	if (r)
		goto out;
	if (success) {
		r = store_lockout_delete(a->sv->store, g->acct_key);
		if (!r && g->src_key[0])
			r = store_lockout_delete(a->sv->store, g->src_key);
	} else if (g->acct_ev == LOCKOUT_EV_LOCKED || g->acct_ev == LOCKOUT_EV_LOCKED_UNTIL_UNLOCK) {
		json_t *after = json_pack("{s:s,s:s}", "counter",
		                          g->counter == SVC_AUTH_PASSWORD ? "password" : "secondFactor",
		                          "until", g->acct_ev == LOCKOUT_EV_LOCKED ? "timed"
		                                                                   : "administratorUnlock");
		r = svc_auth_audit(a, t, "account.lockout", g->upn, NULL, after);
		log_warn("account %s locked out after failed %s attempts", g->upn,
		         g->counter == SVC_AUTH_PASSWORD ? "password" : "second-factor");
	}
	if (!r && g->src_ev == LOCKOUT_EV_LOCKED && !success)
		log_warn("source %s locked out after failed attempts", g->src_key + 3);
	if (!r)
		r = store_tx_commit(a->sv->store);
	if (r)
		store_tx_rollback(a->sv->store);
out:
	if (r)
		log_error_r(r, "could not update the failure counters of %s", g->upn);
	tg_strlcpy(a->sv->err, keep, sizeof a->sv->err);
}

int svc_account_unlock(struct svc_auth *a, const struct tg_tenant *t, const char *upn,
                       bool *was_locked_out)
{
	struct tg_user u;
	int r = svc_auth_user(a, t, upn, &u);
	if (r)
		return r;
	int64_t now = svc_now(a->sv);
	bool locked = false;
	json_t *before = json_object();
	static const struct { const char *prefix, *name; enum svc_auth_counter c; } keys[] = {
		{"pw", "password", SVC_AUTH_PASSWORD}, {"mfa", "secondFactor", SVC_AUTH_SECOND_FACTOR},
	};
	if ((r = store_tx_begin(a->sv->store))) {
		json_decref(before);
		return svc_store_fail(a->sv, r, "unlocking the account");
	}
	for (size_t i = 0; i < TG_ARRAY_LEN(keys) && !r; i++) {
		char key[TG_ID_BUF + 8];
		snprintf(key, sizeof key, "%s:%s", keys[i].prefix, u.id);
		struct lockout_state st;
		memset(&st, 0, sizeof st);
		r = store_lockout_get(a->sv->store, key, &st);
		if (r == TG_ERR_NOT_FOUND) {
			r = TG_OK;
			continue;
		}
		if (r)
			break;
		struct lockout_policy p;
		svc_auth_policy(keys[i].c, &p);
		int64_t retry;
		if (lockout_check(&p, &st, now, &retry) != TG_OK)
			locked = true;
		json_object_set_new(before, keys[i].name, json_integer(st.failures));
		r = store_lockout_delete(a->sv->store, key);
	}
	if (!r)
		r = svc_auth_audit(a, t, "account.unlock", u.upn, json_incref(before),
		                   json_pack("{s:b}", "wasLocked", locked));
	json_decref(before);
	if (!r)
		r = store_tx_commit(a->sv->store);
	if (r)
		return svc_auth_rollback(a, r, "unlocking the account");
	if (was_locked_out)
		*was_locked_out = locked;
	return TG_OK;
}

/* ----------------------------------------------------------------- methods */

struct strip_arg { store_method_cb cb; void *arg; };

static int strip_secret_cb(const struct store_method *m, void *arg)
{
	struct strip_arg *s = arg;
	struct store_method c = *m;
	tg_wipe(c.secret, sizeof c.secret);
	c.secret_len = 0;
	return s->cb(&c, s->arg);
}

int svc_method_list(struct svc_auth *a, const struct tg_tenant *t, const char *upn,
                    store_method_cb cb, void *arg)
{
	struct tg_user u;
	int r = svc_auth_user(a, t, upn, &u);
	if (r)
		return r;
	struct strip_arg s = {cb, arg};
	r = store_method_list(a->sv->store, u.id, strip_secret_cb, &s);
	if (r < 0)
		return svc_store_fail(a->sv, r, "reading the user's methods");
	return r;
}

/* The method with this id, if it is the user's. */
static int own_method(struct svc_auth *a, const struct tg_user *u, const char *id,
                      struct store_method *m)
{
	int r = store_method_get(a->sv->store, id, m);
	if (r == TG_OK && strcmp(m->user_id, u->id) != 0)
		r = TG_ERR_NOT_FOUND;
	if (r == TG_ERR_NOT_FOUND)
		return svc_fail(a->sv, r, "%s has no method %s (see `tollgate method list %s`)",
		                u->upn, id, u->upn);
	if (r)
		return svc_store_fail(a->sv, r, "reading the method");
	return TG_OK;
}

int svc_method_delete(struct svc_auth *a, const struct tg_tenant *t, const char *upn,
                      const char *method_id)
{
	struct tg_user u;
	struct store_method m;
	int r = svc_auth_user(a, t, upn, &u);
	if (r)
		return r;
	if ((r = store_tx_begin(a->sv->store)))
		return svc_store_fail(a->sv, r, "deleting the method");
	if ((r = own_method(a, &u, method_id, &m)))
		goto fail;
	tg_wipe(m.secret, sizeof m.secret);
	if ((r = store_method_delete(a->sv->store, m.id)))
		goto fail;
	if ((r = svc_auth_audit(a, t, "method.delete", u.upn, svc_auth_method_json(&m), NULL)))
		goto fail;
	if ((r = store_tx_commit(a->sv->store)))
		goto fail;
	return TG_OK;
fail:
	return svc_auth_rollback(a, r, "deleting the method");
}

int svc_method_require_reregister(struct svc_auth *a, const struct tg_tenant *t, const char *upn,
                                  struct svc_rereg_report *rep)
{
	struct tg_user u;
	struct svc_auth_methods ms = {0};
	struct svc_rereg_report rr = {0};
	int r = svc_auth_user(a, t, upn, &u);
	if (r)
		return r;
	if ((r = store_tx_begin(a->sv->store)))
		return svc_store_fail(a->sv, r, "requiring re-registration");
	if ((r = svc_auth_methods_load(a, u.id, &ms)))
		goto fail;
	json_t *gone = json_array();
	for (size_t i = 0; i < ms.n && !r; i++) {
		const struct store_method *m = &ms.v[i];
		if (strcmp(m->kind, STORE_KIND_PHONE) == 0 ||
		    strcmp(m->kind, STORE_KIND_SOFTWARE_OATH) == 0) {
			r = store_method_delete(a->sv->store, m->id);
			rr.deleted++;
			json_array_append_new(gone, svc_auth_method_json(m));
		} else if (strcmp(m->kind, STORE_KIND_HARDWARE_OATH) == 0 &&
		           m->status != STORE_METHOD_DISABLED) {
			r = store_method_set_status(a->sv->store, m->id, STORE_METHOD_DISABLED);
			rr.deactivated++;
			json_array_append_new(gone, svc_auth_method_json(m));
		}
	}
	if (!r)
		r = svc_auth_audit(a, t, "method.require_reregister", u.upn, gone,
		                   json_pack("{s:I,s:I}", "deleted", (json_int_t)rr.deleted,
		                             "deactivated", (json_int_t)rr.deactivated));
	else
		json_decref(gone);
	if (!r)
		r = store_tx_commit(a->sv->store);
	if (r)
		goto fail;
	svc_auth_methods_free(&ms);
	if (rep)
		*rep = rr;
	return TG_OK;
fail:
	svc_auth_methods_free(&ms);
	return svc_auth_rollback(a, r, "requiring re-registration");
}

/* ---------------------------------------------------------- phone and email */

/* Insert an active method, audited, in one transaction; the first active
 * method completes registration. */
static int add_active(struct svc_auth *a, const struct tg_tenant *t, const struct tg_user *u,
                      struct store_method *m, const struct svc_auth_methods *ms)
{
	int r = store_tx_begin(a->sv->store);
	if (r)
		return svc_store_fail(a->sv, r, "adding the method");
	if ((r = store_method_insert(a->sv->store, m)))
		goto fail;
	if ((r = svc_auth_audit(a, t, "method.add", u->upn, NULL, svc_auth_method_json(m))))
		goto fail;
	if ((r = svc_auth_first_method(a, t, u, svc_auth_active_count(ms))))
		goto fail;
	if ((r = store_tx_commit(a->sv->store)))
		goto fail;
	return TG_OK;
fail:
	return svc_auth_rollback(a, r, "adding the method");
}

int svc_auth_new_method(struct svc_auth *a, const struct tg_tenant *t, const struct tg_user *u,
                      const char *kind, struct store_method *m)
{
	memset(m, 0, sizeof *m);
	int r = rng_uuid(m->id);
	if (r)
		return svc_fail(a->sv, r, "no randomness available");
	tg_strlcpy(m->tenant_id, t->id, sizeof m->tenant_id);
	tg_strlcpy(m->user_id, u->id, sizeof m->user_id);
	tg_strlcpy(m->kind, kind, sizeof m->kind);
	m->created = svc_now(a->sv);
	m->last_step = TOTP_STEP_NONE;
	m->oath_digits = TOTP_DEFAULT_DIGITS;
	m->oath_period = TOTP_DEFAULT_PERIOD;
	return TG_OK;
}

int svc_phone_add(struct svc_auth *a, const struct tg_tenant *t, const char *upn,
                  const char *number, enum phone_type type, struct store_method *out)
{
	char canon[PHONE_SIZE];
	const char *tname = phone_type_name(type);
	if (!tname)
		return svc_fail(a->sv, TG_ERR_INVALID, "the phone type must be mobile, "
		                "alternateMobile or office");
	if (phone_normalize(number, canon))
		return svc_fail(a->sv, TG_ERR_INVALID, "\"%s\" is not a phone number in the form "
		                "+CC NUMBER or +CC NUMBERxEXT (for example \"+46 701234567\")", number);
	struct tg_user u;
	struct svc_auth_methods ms;
	struct store_method m;
	int r = svc_auth_user(a, t, upn, &u);
	if (r || (r = svc_auth_methods_load(a, u.id, &ms)))
		return r;
	bool has_mobile = false;
	for (size_t i = 0; i < ms.n && !r; i++) {
		if (strcmp(ms.v[i].kind, STORE_KIND_PHONE) != 0)
			continue;
		has_mobile |= ms.v[i].phone_type == PHONE_TYPE_MOBILE;
		if (ms.v[i].phone_type == (int)type)
			r = svc_fail(a->sv, TG_ERR_EXISTS, "%s already has a %s phone number (%s); "
			             "delete that method first", u.upn, tname, ms.v[i].detail);
	}
	if (!r && type == PHONE_TYPE_ALTERNATE_MOBILE && !has_mobile)
		r = svc_fail(a->sv, TG_ERR_CONFLICT, "add a mobile number before an alternateMobile one");
	if (!r)
		r = svc_auth_new_method(a, t, &u, STORE_KIND_PHONE, &m);
	if (!r) {
		m.status = STORE_METHOD_ACTIVE;
		m.phone_type = (int)type;
		tg_strlcpy(m.detail, canon, sizeof m.detail);
		tg_strlcpy(m.display_name, tname, sizeof m.display_name);
		r = add_active(a, t, &u, &m, &ms);
	}
	svc_auth_methods_free(&ms);
	if (!r && out)
		*out = m;
	return r;
}

int svc_email_add(struct svc_auth *a, const struct tg_tenant *t, const char *upn,
                  const char *address, struct store_method *out)
{
	char norm[EMAIL_ADDR_SIZE];
	const char *why = NULL;
	if (email_addr_normalize(address, norm, &why))
		return svc_fail(a->sv, TG_ERR_INVALID, "\"%s\" is not an email address%s%s", address,
		                why ? ": " : "", why ? why : "");
	struct tg_user u;
	struct svc_auth_methods ms;
	struct store_method m;
	int r = svc_auth_user(a, t, upn, &u);
	if (r || (r = svc_auth_methods_load(a, u.id, &ms)))
		return r;
	for (size_t i = 0; i < ms.n && !r; i++)
		if (strcmp(ms.v[i].kind, STORE_KIND_EMAIL) == 0)
			r = svc_fail(a->sv, TG_ERR_EXISTS, "%s already has an email method (%s); delete "
			             "it first", u.upn, ms.v[i].detail);
	if (!r)
		r = svc_auth_new_method(a, t, &u, STORE_KIND_EMAIL, &m);
	if (!r) {
		m.status = STORE_METHOD_ACTIVE;
		tg_strlcpy(m.detail, norm, sizeof m.detail);
		tg_strlcpy(m.display_name, "email", sizeof m.display_name);
		r = add_active(a, t, &u, &m, &ms);
	}
	svc_auth_methods_free(&ms);
	if (!r && out)
		*out = m;
	return r;
}

int svc_phone_update(struct svc_auth *a, const struct tg_tenant *t, const char *upn,
                     const char *method_id, const char *number, struct store_method *out)
{
	char canon[PHONE_SIZE];
	if (phone_normalize(number, canon))
		return svc_fail(a->sv, TG_ERR_INVALID, "\"%s\" is not a phone number in the form "
		                "+CC NUMBER or +CC NUMBERxEXT (for example \"+46 701234567\")", number);
	struct tg_user u;
	struct store_method m, after;
	int r = svc_auth_user(a, t, upn, &u);
	if (r)
		return r;
	if ((r = store_tx_begin(a->sv->store)))
		return svc_store_fail(a->sv, r, "changing the phone number");
	if ((r = own_method(a, &u, method_id, &m)))
		goto fail;
	if (strcmp(m.kind, STORE_KIND_PHONE) != 0) {
		r = svc_fail(a->sv, TG_ERR_NOT_FOUND, "%s has no phone method %s", u.upn, method_id);
		goto fail;
	}
	/* the store has no update: replace the row under the same id (its
	 * one-time codes, sent to the old number, go with it) */
	after = m;
	tg_strlcpy(after.detail, canon, sizeof after.detail);
	if ((r = store_method_delete(a->sv->store, m.id)) ||
	    (r = store_method_insert(a->sv->store, &after)))
		goto fail;
	if ((r = svc_auth_audit(a, t, "method.update", u.upn, svc_auth_method_json(&m),
	                        svc_auth_method_json(&after))))
		goto fail;
	if ((r = store_tx_commit(a->sv->store)))
		goto fail;
	if (out)
		*out = after;
	return TG_OK;
fail:
	return svc_auth_rollback(a, r, "changing the phone number");
}
