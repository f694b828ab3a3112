/* SPDX-License-Identifier: MIT
 * Bulk operations: CSV user import (all rows or none) and per-user MFA state
 * changes for many users at once, each in one transaction. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/err.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/str.h"
#include "core/csv.h"
#include "core/mfa_state.h"
#include "core/upn.h"
#include "svc/svc.h"
#include "svc/svc_int.h"
#include "svc/svc_notify.h"

/* ------------------------------------------------------------------ import */

enum col { C_UPN, C_NAME, C_MAIL, C_PHONE, C_PASSWORD, C_HASH, C_LANG, C_ENABLED, C_COUNT };

static const char *col_names[C_COUNT] = {
	"userPrincipalName", "displayName", "mail", "mobilePhone", "password",
	"passwordHash", "preferredLanguage", "accountEnabled",
};

static void add_error(struct svc_import_report *rep, size_t line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void add_error(struct svc_import_report *rep, size_t line, const char *fmt, ...)
{
	if (rep->nerrors < TG_ARRAY_LEN(rep->errors)) {
		struct svc_import_error *e = &rep->errors[rep->nerrors];
		e->line = line;
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(e->message, sizeof e->message, fmt, ap);
		va_end(ap);
	}
	rep->nerrors++;
}

/* UPN -> first line, to tell "twice in this file" from "already exists".
 * Open addressing over 64-bit FNV-1a hashes; a hash collision can only
 * change which of the two messages is shown, never what is imported. */
struct seen {
	struct { uint64_t h; size_t line; } *v;
	size_t cap, n;
};

static uint64_t fnv1a(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h ? h : 1;
}

static size_t seen_find_or_add(struct seen *t, const char *upn, size_t line)
{
	if (2 * (t->n + 1) > t->cap) {
		struct seen old = *t;
		t->cap = t->cap ? t->cap * 2 : 1024;
		t->v = xcalloc(t->cap, sizeof *t->v);
		t->n = 0;
		for (size_t i = 0; i < old.cap; i++)
			if (old.v[i].h) {
				size_t j = old.v[i].h & (t->cap - 1);
				while (t->v[j].h)
					j = (j + 1) & (t->cap - 1);
				t->v[j] = old.v[i];
				t->n++;
			}
		free(old.v);
	}
	uint64_t h = fnv1a(upn);
	size_t j = h & (t->cap - 1);
	while (t->v[j].h) {
		if (t->v[j].h == h)
			return t->v[j].line;
		j = (j + 1) & (t->cap - 1);
	}
	t->v[j].h = h;
	t->v[j].line = line;
	t->n++;
	return 0;
}

/* Rows are validated and inserted one by one inside a single transaction:
 * memory stays flat however large the file, and any error rolls the whole
 * import back, so nothing of a bad file is applied. */
int svc_user_import_csv(struct svc *sv, const struct tg_tenant *t, const char *data, size_t len,
                        bool dry_run, struct svc_import_report *rep)
{
	memset(rep, 0, sizeof *rep);
	if (len > TG_MAX_CSV_BYTES)
		return svc_fail(sv, TG_ERR_TOO_LARGE, "the file is larger than %ld bytes", TG_MAX_CSV_BYTES);
	struct csv_reader rd;
	csv_init(&rd, data, len);
	int idx[C_COUNT];
	for (int i = 0; i < C_COUNT; i++)
		idx[i] = -1;
	int r = csv_next(&rd);
	if (r) {
		csv_cleanup(&rd);
		if (r == TG_ERR_NOT_FOUND)
			return svc_fail(sv, TG_ERR_INVALID, "the file is empty: expected a header row "
			                "such as userPrincipalName,displayName,mail,mobilePhone,password");
		return svc_fail(sv, TG_ERR_INVALID, "line %zu: %s", rd.line, rd.error ? rd.error : "bad CSV");
	}
	size_t ncols = rd.nfields;
	for (size_t i = 0; i < rd.nfields; i++) {
		char *h = tg_trim(rd.fields[i]);
		int found = -1;
		for (int c = 0; c < C_COUNT; c++)
			if (tg_streq_ci(h, col_names[c]))
				found = c;
		if (found < 0) {
			r = svc_fail(sv, TG_ERR_INVALID, "line 1: unknown column \"%s\" (known: "
			             "userPrincipalName, displayName, mail, mobilePhone, password, "
			             "passwordHash, preferredLanguage, accountEnabled)", h);
			csv_cleanup(&rd);
			return r;
		}
		if (idx[found] >= 0) {
			r = svc_fail(sv, TG_ERR_INVALID, "line 1: column \"%s\" appears twice", h);
			csv_cleanup(&rd);
			return r;
		}
		idx[found] = (int)i;
	}
	if (idx[C_UPN] < 0) {
		csv_cleanup(&rd);
		return svc_fail(sv, TG_ERR_INVALID, "line 1: the header has no userPrincipalName column");
	}
	if ((r = store_tx_begin(sv->store))) {
		csv_cleanup(&rd);
		return svc_store_fail(sv, r, "importing users");
	}
	struct seen seen = {0};
	struct tg_user u;
	int fatal = TG_OK;
	while (!fatal && (r = csv_next(&rd)) == TG_OK) {
		rep->rows++;
		if (rd.nfields != ncols) {
			add_error(rep, rd.line, "expected %zu fields, found %zu", ncols, rd.nfields);
			continue;
		}
		const char *f[C_COUNT] = {0};
		for (int c = 0; c < C_COUNT; c++)
			f[c] = idx[c] >= 0 ? rd.fields[idx[c]] : NULL;
		struct svc_user_input in = {
			.upn = f[C_UPN],
			.display_name = f[C_NAME] && *f[C_NAME] ? f[C_NAME] : NULL,
			.email = f[C_MAIL],
			.phone = f[C_PHONE],
			.locale = f[C_LANG],
			.password = f[C_PASSWORD] && *f[C_PASSWORD] ? f[C_PASSWORD] : NULL,
			.password_len = f[C_PASSWORD] ? strlen(f[C_PASSWORD]) : 0,
			.pwhash = f[C_HASH] && *f[C_HASH] ? f[C_HASH] : NULL,
		};
		if (f[C_ENABLED] && *f[C_ENABLED]) {
			if (tg_streq_ci(f[C_ENABLED], "false"))
				in.disabled = true;
			else if (!tg_streq_ci(f[C_ENABLED], "true")) {
				add_error(rep, rd.line, "accountEnabled must be true or false");
				continue;
			}
		}
		sv->err[0] = '\0';
		int b = svc_user_build(sv, t, &in, &u);
		/* a password is only ever hashed; wipe the plaintext copy */
		if (f[C_PASSWORD])
			tg_wipe(rd.fields[idx[C_PASSWORD]], strlen(f[C_PASSWORD]));
		if (b) {
			add_error(rep, rd.line, "%s", sv->err);
			continue;
		}
		size_t first = seen_find_or_add(&seen, u.upn, rd.line);
		r = store_user_insert(sv->store, &u);
		if (r == TG_ERR_EXISTS) {
			if (first)
				add_error(rep, rd.line, "%s appears again (first on line %zu)", u.upn, first);
			else
				add_error(rep, rd.line, "a user named %s already exists", u.upn);
			continue;
		}
		if (!r) {
			char *after = svc_user_json(&u);
			r = svc_audit(sv, t->id, "user.create", u.upn, "", after);
			free(after);
		}
		if (r)
			fatal = r;
		else
			rep->created++;
	}
	if (!fatal && r != TG_ERR_NOT_FOUND && r != TG_OK)
		add_error(rep, rd.line, "%s", rd.error ? rd.error : "bad CSV");
	csv_cleanup(&rd);
	free(seen.v);
	tg_wipe(u.pwhash, sizeof u.pwhash);
	if (!fatal && rep->rows == 0 && rep->nerrors == 0)
		add_error(rep, 2, "the file has a header but no users");
	if (fatal) {
		store_tx_rollback(sv->store);
		rep->created = 0;
		return svc_store_fail(sv, fatal, "importing users (nothing was imported)");
	}
	if (rep->nerrors || dry_run) {
		store_tx_rollback(sv->store);
		size_t would = rep->created;
		rep->created = 0;
		if (rep->nerrors)
			return svc_fail(sv, TG_ERR_INVALID, "%zu problem%s found; nothing was imported",
			                rep->nerrors, rep->nerrors == 1 ? "" : "s");
		rep->rows = would;
		return TG_OK;
	}
	char summary[64];
	snprintf(summary, sizeof summary, "{\"created\":%zu}", rep->created);
	if ((r = svc_audit(sv, t->id, "user.import", "", "", summary)) ||
	    (r = store_tx_commit(sv->store))) {
		store_tx_rollback(sv->store);
		rep->created = 0;
		return svc_store_fail(sv, r, "importing users (nothing was imported)");
	}
	return TG_OK;
}

/* --------------------------------------------------------------- MFA state */

void svc_mfa_report_cleanup(struct svc_mfa_report *rep)
{
	for (size_t i = 0; i < rep->not_found; i++)
		free(rep->not_found_upns[i]);
	free(rep->not_found_upns);
	memset(rep, 0, sizeof *rep);
}

static void add_not_found(struct svc_mfa_report *rep, const char *upn)
{
	if (rep->not_found == rep->not_found_cap) {
		rep->not_found_cap = rep->not_found_cap ? rep->not_found_cap * 2 : 16;
		rep->not_found_upns = xrealloc(rep->not_found_upns,
		                               rep->not_found_cap * sizeof *rep->not_found_upns);
	}
	rep->not_found_upns[rep->not_found++] = xstrdup(upn);
}

/* Users told (or not) of the MFA turned on for them in one operation. */
struct notice_tally {
	size_t queued, no_address;
};

/* svc_audit that also reports the record's seq (a notice names its change). */
static int audit_seq(struct svc *sv, const char *tenant_id, const char *target,
                     const char *before, const char *after, int64_t *seq_out)
{
	struct tg_audit *a = xcalloc(1, sizeof *a);
	tg_strlcpy(a->tenant_id, tenant_id, sizeof a->tenant_id);
	a->time = svc_now(sv);
	tg_strlcpy(a->actor, sv->actor, sizeof a->actor);
	tg_strlcpy(a->action, "user.mfa_state", sizeof a->action);
	tg_strlcpy(a->target, target, sizeof a->target);
	tg_strlcpy(a->before, before, sizeof a->before);
	tg_strlcpy(a->after, after, sizeof a->after);
	int r = store_audit_append(sv->store, a);
	*seq_out = a->seq;
	free(a);
	return r ? svc_store_fail(sv, r, "writing the audit log") : TG_OK;
}

/* Apply an event to one user inside the caller's transaction. When an
 * administrator turns MFA on (tally given), the user's notice is queued in
 * the same transaction (svc_notify.h), so it exists exactly when the change
 * does: never for a dry run, an unchanged state or a rolled-back change. */
static int apply_event(struct svc *sv, const struct tg_tenant *t, const char *user_id,
                       const char *upn, enum mfa_state from, enum mfa_event ev, bool dry_run,
                       bool *changed, struct notice_tally *tally)
{
	int64_t methods = 0;
	int r;
	if (ev == MFA_EV_ADMIN_SET_ENABLED &&
	    (r = store_user_method_count(sv->store, user_id, &methods)))
		return svc_store_fail(sv, r, "reading methods");
	struct mfa_transition tr;
	if ((r = mfa_state_apply(from, ev, methods > 0, &tr)))
		return svc_fail(sv, r, "invalid MFA state transition");
	*changed = tr.changed;
	if (!tr.changed || dry_run)
		return TG_OK;
	if ((r = store_user_set_mfa_state(sv->store, user_id, tr.to, svc_now(sv))))
		return svc_store_fail(sv, r, "updating the MFA state");
	enum svc_notify_outcome outcome = SVC_NOTIFY_OFF;
	struct store_notification n;
	if (tally && tr.from == MFA_STATE_DISABLED) {
		if (ev == MFA_EV_ADMIN_SET_ENFORCED &&
		    (r = store_user_method_count(sv->store, user_id, &methods)))
			return svc_store_fail(sv, r, "reading methods");
		if ((r = svc_notify_mfa_prepare(sv, t, user_id, tr.from, tr.to, methods > 0, &n,
		                                &outcome)))
			return r;
	}
	char before[32], after[300];
	snprintf(before, sizeof before, "%s", mfa_state_name(tr.from));
	snprintf(after, sizeof after, "%s (%s)%s", mfa_state_name(tr.to), tr.why,
	         outcome == SVC_NOTIFY_QUEUED       ? "; the user is emailed"
	         : outcome == SVC_NOTIFY_NO_ADDRESS ? "; not emailed: the user has no email address"
	                                            : "");
	int64_t seq;
	if ((r = audit_seq(sv, t->id, upn, before, after, &seq)))
		return r;
	if (outcome == SVC_NOTIFY_QUEUED) {
		if ((r = svc_notify_enqueue(sv, &n, seq)))
			return r;
		tally->queued++;
	} else if (outcome == SVC_NOTIFY_NO_ADDRESS) {
		tally->no_address++;
	}
	return TG_OK;
}

struct all_users {
	struct { char id[TG_ID_BUF]; char upn[TG_MAX_UPN + 1]; enum mfa_state st; } *v;
	size_t n, cap;
};

static int collect_cb(const struct tg_user *u, void *arg)
{
	struct all_users *a = arg;
	if (a->n == a->cap) {
		a->cap = a->cap ? a->cap * 2 : 1024;
		a->v = xrealloc(a->v, a->cap * sizeof *a->v);
	}
	tg_strlcpy(a->v[a->n].id, u->id, sizeof a->v[a->n].id);
	tg_strlcpy(a->v[a->n].upn, u->upn, sizeof a->v[a->n].upn);
	a->v[a->n].st = u->mfa_state;
	a->n++;
	return 0;
}

static int mfa_set_tx(struct svc *sv, const struct tg_tenant *t, enum mfa_state target,
                      const char *const *upns, size_t n, bool all, bool dry_run,
                      struct svc_mfa_report *rep, struct notice_tally *tally)
{
	memset(rep, 0, sizeof *rep);
	if ((unsigned)target > MFA_STATE_ENFORCED)
		return svc_fail(sv, TG_ERR_INVALID, "unknown MFA state");
	enum mfa_event ev = mfa_event_admin_set(target);
	bool changed;
	int r;
	if (all) {
		struct all_users a = {0};
		struct user_query q = {.tenant_id = t->id, .state = -1};
		if ((r = store_user_list(sv->store, &q, collect_cb, &a))) {
			free(a.v);
			return svc_store_fail(sv, r, "listing users");
		}
		for (size_t i = 0; i < a.n && !r; i++) {
			r = apply_event(sv, t, a.v[i].id, a.v[i].upn, a.v[i].st, ev, dry_run, &changed,
			                tally);
			if (!r)
				changed ? rep->changed++ : rep->unchanged++;
		}
		free(a.v);
		return r;
	}
	for (size_t i = 0; i < n; i++) {
		char norm[TG_MAX_UPN + 1];
		struct tg_user u;
		if (upn_normalize(upns[i], norm, sizeof norm, NULL) != TG_OK) {
			add_not_found(rep, upns[i]);
			continue;
		}
		r = store_user_get_by_upn(sv->store, norm, &u);
		if (r == TG_ERR_NOT_FOUND || (r == TG_OK && strcmp(u.tenant_id, t->id) != 0)) {
			add_not_found(rep, upns[i]);
			continue;
		}
		tg_wipe(u.pwhash, sizeof u.pwhash);
		if (r)
			return svc_store_fail(sv, r, "reading users");
		if ((r = apply_event(sv, t, u.id, u.upn, u.mfa_state, ev, dry_run, &changed, tally)))
			return r;
		changed ? rep->changed++ : rep->unchanged++;
	}
	return TG_OK;
}

int svc_mfa_set_in_tx(struct svc *sv, const struct tg_tenant *t, enum mfa_state target,
                      const char *const *upns, size_t n, bool all, bool dry_run,
                      struct svc_mfa_report *rep)
{
	struct notice_tally tally = {0};
	return mfa_set_tx(sv, t, target, upns, n, all, dry_run, rep, &tally);
}

int svc_mfa_set(struct svc *sv, const struct tg_tenant *t, enum mfa_state target,
                const char *const *upns, size_t n, bool all, bool dry_run,
                struct svc_mfa_report *rep)
{
	memset(rep, 0, sizeof *rep);
	struct notice_tally tally = {0};
	int r = store_tx_begin(sv->store);
	if (r)
		return svc_store_fail(sv, r, "changing MFA states");
	if ((r = mfa_set_tx(sv, t, target, upns, n, all, dry_run, rep, &tally)))
		goto fail;
	if (dry_run) {
		store_tx_rollback(sv->store);
		return TG_OK;
	}
	if ((r = store_tx_commit(sv->store))) {
		svc_store_fail(sv, r, "changing MFA states (nothing was changed)");
		goto fail;
	}
	if (tally.queued || tally.no_address)
		log_info("per-user MFA turned on by %s: %zu user%s to be emailed, %zu without an email "
		         "address (not told)", sv->actor, tally.queued, tally.queued == 1 ? "" : "s",
		         tally.no_address);
	if (tally.queued)
		svc_notify_wake();
	return TG_OK;
fail:
	store_tx_rollback(sv->store);
	rep->changed = 0;
	return r;
}

int svc_mfa_registration_completed(struct svc *sv, const struct tg_tenant *t, const char *user_id)
{
	struct tg_user u;
	int r = store_user_get(sv->store, user_id, &u);
	if (r)
		return svc_store_fail(sv, r, "reading the user");
	tg_wipe(u.pwhash, sizeof u.pwhash);
	bool changed;
	return apply_event(sv, t, u.id, u.upn, u.mfa_state, MFA_EV_REGISTRATION_COMPLETED, false,
	                   &changed, NULL);
}
