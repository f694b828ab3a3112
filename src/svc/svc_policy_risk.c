/* SPDX-License-Identifier: MIT
 * Risk inputs (SPEC §5, see svc_policy.h): per-user risk set by an
 * administrator or reported by the user, and the tenant's bad-IP list. */
#include <stdio.h>
#include <string.h>
#include "base/err.h"
#include "base/mem.h"
#include "base/str.h"
#include "store/store_policy.h"
#include "svc/svc_policy.h"
#include "svc/svc_policy_int.h"

static void risk_from_row(const struct store_user_risk *row, struct svc_user_risk *out)
{
	memset(out, 0, sizeof *out);
	if (row) {
		out->compromised = row->compromised;
		out->reported = row->reported;
		tg_strlcpy(out->reason, row->reason, sizeof out->reason);
		out->updated = row->updated;
		tg_strlcpy(out->actor, row->actor, sizeof out->actor);
	}
	risk_user_evaluate(out->compromised, out->reported, &out->risk);
}

/* The stored row of user u, or a blank one. */
static int risk_row(struct svc *sv, const struct tg_user *u, struct store_user_risk *row, bool *found)
{
	memset(row, 0, sizeof *row);
	int r = store_user_risk_get(sv->store, u->id, row);
	*found = r == TG_OK;
	if (r == TG_ERR_NOT_FOUND)
		r = TG_OK;
	if (r)
		return svc_store_fail(sv, r, "reading the user's risk");
	tg_strlcpy(row->user_id, u->id, sizeof row->user_id);
	tg_strlcpy(row->tenant_id, u->tenant_id, sizeof row->tenant_id);
	return TG_OK;
}

int svc_user_risk_get(struct svc *sv, const struct tg_tenant *t, const char *user, struct svc_user_risk *out)
{
	struct tg_user u;
	struct store_user_risk row;
	bool found;
	int r = svc_user_find(sv, t, user, &u);
	if (r)
		return r;
	tg_wipe(u.pwhash, sizeof u.pwhash);
	if ((r = risk_row(sv, &u, &row, &found)))
		return r;
	risk_from_row(found ? &row : NULL, out);
	return TG_OK;
}

static void risk_json(const struct store_user_risk *row, char *buf, size_t size)
{
	snprintf(buf, size, "{\"compromised\":%s,\"reportedSuspiciousPrompt\":%s}",
	         row->compromised ? "true" : "false", row->reported ? "true" : "false");
}

/* Write row for u in one audited transaction. */
static int risk_write(struct svc *sv, const struct tg_tenant *t, const struct tg_user *u,
                      struct store_user_risk *row, const struct store_user_risk *before, const char *action)
{
	char b[128], a[128];
	row->updated = svc_now(sv);
	tg_strlcpy(row->actor, sv->actor, sizeof row->actor);
	risk_json(before, b, sizeof b);
	risk_json(row, a, sizeof a);
	int r = store_user_risk_set(sv->store, row);
	if (r)
		return svc_store_fail(sv, r, "recording the user's risk");
	return svc_audit(sv, t->id, action, u->upn, b, a);
}

int svc_user_risk_set(struct svc *sv, const struct tg_tenant *t, const char *user, enum risk_level level,
                      const char *reason)
{
	struct tg_user u;
	struct store_user_risk row, before;
	bool found;
	int r;
	if (level != RISK_HIGH && level != RISK_NONE)
		return svc_fail(sv, TG_ERR_INVALID, "user risk can be set to high (compromised) or none (dismiss)");
	if (reason && (r = svc_check_text(sv, "the reason", reason, TG_MAX_RISK_REASON)))
		return r;
	if ((r = store_tx_begin(sv->store)))
		return svc_store_fail(sv, r, "changing the user's risk");
	if ((r = svc_user_find(sv, t, user, &u)) || (r = risk_row(sv, &u, &row, &found)))
		goto out;
	tg_wipe(u.pwhash, sizeof u.pwhash);
	before = row;
	if (level == RISK_HIGH) {
		row.compromised = true;
		tg_strlcpy(row.reason, reason && *reason ? reason : "an administrator confirmed the user compromised",
		           sizeof row.reason);
	} else {
		row.compromised = false;
		row.reported = false;
		tg_strlcpy(row.reason, reason && *reason ? reason : "dismissed by an administrator", sizeof row.reason);
	}
	if ((r = risk_write(sv, t, &u, &row, &before, "risk.user")))
		goto out;
	if ((r = store_tx_commit(sv->store)))
		svc_store_fail(sv, r, "changing the user's risk");
out:
	if (r)
		store_tx_rollback(sv->store);
	tg_wipe(u.pwhash, sizeof u.pwhash);
	return r;
}

int svc_user_risk_report(struct svc *sv, const struct tg_tenant *t, const char *user_id)
{
	struct tg_user u;
	struct store_user_risk row, before;
	char actor[sizeof sv->actor];
	bool found;
	int r;
	if ((r = store_tx_begin(sv->store)))
		return svc_store_fail(sv, r, "recording the report");
	if ((r = svc_user_find(sv, t, user_id, &u)) || (r = risk_row(sv, &u, &row, &found)))
		goto out;
	tg_wipe(u.pwhash, sizeof u.pwhash);
	before = row;
	row.reported = true;
	tg_strlcpy(row.reason, "the user reported a suspicious MFA prompt", sizeof row.reason);
	/* the user, not the service account, did this */
	tg_strlcpy(actor, sv->actor, sizeof actor);
	snprintf(sv->actor, sizeof sv->actor, "user:%s", u.upn);
	r = risk_write(sv, t, &u, &row, &before, "risk.user.reported");
	tg_strlcpy(sv->actor, actor, sizeof sv->actor);
	if (r)
		goto out;
	if ((r = store_tx_commit(sv->store)))
		svc_store_fail(sv, r, "recording the report");
out:
	if (r)
		store_tx_rollback(sv->store);
	tg_wipe(u.pwhash, sizeof u.pwhash);
	return r;
}

/* A bad-IP range from text: a CIDR or a bare address, canonical form. */
static int bad_ip_parse(struct svc *sv, const char *text, char canon[STORE_IP_BUF])
{
	struct cidr c;
	if (cidr_parse(text, CIDR_ALLOW_BARE, &c))
		return svc_fail(sv, TG_ERR_INVALID, "\"%s\" is not an IPv4 or IPv6 address or CIDR range", text);
	if (c.prefix < SVC_MIN_RANGE_PREFIX)
		return svc_fail(sv, TG_ERR_INVALID, "\"%s\": the mask must be /8 or longer", text);
	cidr_format(&c, canon);
	return TG_OK;
}

int svc_bad_ip_add(struct svc *sv, const struct tg_tenant *t, const char *cidr, char *canonical_out)
{
	struct store_bad_ip b;
	int64_t n = 0;
	memset(&b, 0, sizeof b);
	int r = bad_ip_parse(sv, cidr, b.cidr);
	if (r)
		return r;
	if ((r = store_tx_begin(sv->store)))
		return svc_store_fail(sv, r, "adding the bad IP range");
	if ((r = store_bad_ip_count(sv->store, t->id, &n))) {
		svc_store_fail(sv, r, "counting the bad IP ranges");
		goto out;
	}
	if (n >= TG_MAX_BAD_IPS) {
		r = svc_fail(sv, TG_ERR_LIMIT, "the bad-IP list already has %lld ranges (at most %d)",
		             (long long)n, TG_MAX_BAD_IPS);
		goto out;
	}
	b.created = svc_now(sv);
	tg_strlcpy(b.actor, sv->actor, sizeof b.actor);
	r = store_bad_ip_add(sv->store, t->id, &b);
	if (r == TG_ERR_EXISTS) {
		svc_fail(sv, r, "%s is already in the bad-IP list", b.cidr);
		goto out;
	}
	if (r) {
		svc_store_fail(sv, r, "adding the bad IP range");
		goto out;
	}
	if ((r = svc_audit(sv, t->id, "risk.badIp.add", b.cidr, "", b.cidr)) || (r = svc_policy_bump(sv, t)))
		goto out;
	if ((r = store_tx_commit(sv->store)))
		svc_store_fail(sv, r, "adding the bad IP range");
out:
	if (r)
		store_tx_rollback(sv->store);
	else if (canonical_out)
		tg_strlcpy(canonical_out, b.cidr, STORE_IP_BUF);
	return r;
}

int svc_bad_ip_remove(struct svc *sv, const struct tg_tenant *t, const char *cidr)
{
	char canon[STORE_IP_BUF];
	int r = bad_ip_parse(sv, cidr, canon);
	if (r)
		return r;
	if ((r = store_tx_begin(sv->store)))
		return svc_store_fail(sv, r, "removing the bad IP range");
	r = store_bad_ip_remove(sv->store, t->id, canon);
	if (r == TG_ERR_NOT_FOUND)
		svc_fail(sv, r, "%s is not in the bad-IP list", canon);
	else if (r)
		svc_store_fail(sv, r, "removing the bad IP range");
	if (!r && !(r = svc_audit(sv, t->id, "risk.badIp.remove", canon, canon, "")) &&
	    !(r = svc_policy_bump(sv, t)) && (r = store_tx_commit(sv->store)))
		svc_store_fail(sv, r, "removing the bad IP range");
	if (r)
		store_tx_rollback(sv->store);
	return r;
}
