/* SPDX-License-Identifier: MIT
 * One-time codes by SMS, voice call or email (svc_auth.h).
 *
 * Sending: in one short transaction the send rate limit is checked and the
 * code's digest stored as "not delivered" (so parallel sends are counted);
 * then the channel is tried outside any transaction (it may take seconds);
 * on success the code becomes usable, on failure its row is deleted, so a
 * failed send consumes nothing and codes sent earlier keep working.
 * Verifying: every delivered, unused code of the user younger than its ttl
 * is a candidate; the store's "used_at = 0" compare-and-set makes a code
 * single use even against concurrent submissions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/err.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/str.h"
#include "crypto/rng.h"
#include "svc/svc_auth.h"
#include "svc/svc_auth_int.h"
#include "svc/svc_int.h"

#define CODE_KEEP_SECONDS 86400 /* old code rows are purged after a day */

struct codes {
	struct store_otp_code v[TG_MAX_OTP_CODES_READ];
	size_t n;
};

static int collect_code(const struct store_otp_code *c, void *arg)
{
	struct codes *cs = arg;
	if (cs->n < TG_ARRAY_LEN(cs->v))
		cs->v[cs->n++] = *c;
	return 0;
}

/* The method a code of this kind goes to, or TG_ERR_NOT_FOUND. */
static int pick_method(const struct svc_auth_methods *ms, enum channel_kind kind,
                       const struct store_method **out)
{
	static const enum phone_type voice_order[] = {
		PHONE_TYPE_MOBILE, PHONE_TYPE_ALTERNATE_MOBILE, PHONE_TYPE_OFFICE,
	};
	*out = NULL;
	if (kind == CHANNEL_EMAIL) {
		for (size_t i = 0; i < ms->n; i++)
			if (strcmp(ms->v[i].kind, STORE_KIND_EMAIL) == 0 &&
			    ms->v[i].status == STORE_METHOD_ACTIVE)
				*out = &ms->v[i];
		return *out ? TG_OK : TG_ERR_NOT_FOUND;
	}
	enum phone_channel pc = kind == CHANNEL_SMS ? PHONE_CHANNEL_SMS : PHONE_CHANNEL_VOICE;
	for (size_t k = 0; k < TG_ARRAY_LEN(voice_order) && !*out; k++)
		for (size_t i = 0; i < ms->n && !*out; i++) {
			const struct store_method *m = &ms->v[i];
			if (strcmp(m->kind, STORE_KIND_PHONE) == 0 && m->status == STORE_METHOD_ACTIVE &&
			    m->phone_type == (int)voice_order[k] &&
			    (phone_channels((enum phone_type)m->phone_type, m->detail) & pc))
				*out = m;
		}
	return *out ? TG_OK : TG_ERR_NOT_FOUND;
}

static const char *no_method_message(enum channel_kind kind)
{
	switch (kind) {
	case CHANNEL_EMAIL: return "has no email method (tollgate method add-email)";
	case CHANNEL_SMS: return "has no mobile phone number that can receive SMS "
	                         "(tollgate method add-phone)";
	case CHANNEL_VOICE: break;
	}
	return "has no phone number (tollgate method add-phone)";
}

/* Phase 1: rate limit, then the undelivered code row (one transaction). */
static int reserve(struct svc_auth *a, const struct tg_user *u, struct store_otp_code *c,
                   int64_t *retry_out)
{
	int64_t now = svc_now(a->sv);
	struct codes *cs = xcalloc(1, sizeof *cs);
	int r = store_tx_begin(a->sv->store);
	if (r) {
		free(cs);
		return svc_store_fail(a->sv, r, "sending a code");
	}
	r = store_otp_code_purge(a->sv->store, u->id, now - CODE_KEEP_SECONDS);
	if (!r)
		r = store_otp_code_list(a->sv->store, u->id, now - OTP_CODE_SEND_WINDOW,
		                        TG_MAX_OTP_CODES_READ, collect_code, cs);
	if (!r) {
		int64_t sent[TG_MAX_OTP_CODES_READ];
		for (size_t i = 0; i < cs->n; i++)
			sent[i] = cs->v[i].created;
		unsigned max = a->cfg ? a->cfg->otp_max_sends : OTP_CODE_SEND_DEFAULT_MAX;
		r = otp_code_send_check(sent, cs->n, now, max, OTP_CODE_SEND_WINDOW, retry_out);
		if (r == TG_ERR_RATE_LIMITED)
			svc_fail(a->sv, r, "%s was sent %u codes in the last 15 minutes, the most allowed: "
			         "try again in %lld seconds", u->upn, max, (long long)*retry_out);
	}
	tg_wipe(cs, sizeof *cs);
	free(cs);
	if (!r)
		r = store_otp_code_insert(a->sv->store, c);
	if (!r)
		r = store_tx_commit(a->sv->store);
	if (r)
		return svc_auth_rollback(a, r, "sending a code");
	return TG_OK;
}

int svc_code_send(struct svc_auth *a, const struct tg_tenant *t, const char *upn,
                  enum channel_kind kind, struct svc_code_sent *out)
{
	static const char *const option[] = {"email", "sms", "voice"};
	struct tg_user u;
	struct svc_auth_methods ms = {0};
	struct store_otp_code c;
	struct svc_code_sent sent;
	char code[OTP_CODE_SIZE] = "";
	memset(&c, 0, sizeof c);
	memset(&sent, 0, sizeof sent);
	if ((unsigned)kind >= TG_ARRAY_LEN(option))
		return svc_fail(a->sv, TG_ERR_INVALID, "the channel must be email, sms or voice");
	int r = svc_auth_user(a, t, upn, &u);
	if (r)
		return r;
	if (!u.enabled)
		return svc_fail(a->sv, TG_ERR_DISABLED, "the account %s is disabled", u.upn);
	if (!svc_auth_option_allowed(a, t, option[kind]))
		return svc_fail(a->sv, TG_ERR_DISABLED, "%s codes are not allowed by the tenant's "
		                "verification options", channel_kind_name(kind));
	if ((r = svc_auth_methods_load(a, u.id, &ms)))
		return r;
	const struct store_method *m;
	if (pick_method(&ms, kind, &m)) {
		r = svc_fail(a->sv, TG_ERR_NOT_FOUND, "%s %s", u.upn, no_method_message(kind));
		goto out;
	}
	/* the code, its digest, and the reserved row */
	uint32_t samples[OTP_CODE_SAMPLES];
	unsigned digits = a->cfg ? a->cfg->otp_digits : OTP_CODE_DEFAULT_DIGITS;
	r = rng_bytes(samples, sizeof samples);
	if (!r)
		r = otp_code_generate(samples, TG_ARRAY_LEN(samples), digits, code);
	tg_wipe(samples, sizeof samples);
	if (!r)
		r = rng_uuid(c.id);
	if (r) {
		svc_fail(a->sv, TG_ERR_CRYPTO, "no randomness available");
		r = TG_ERR_CRYPTO;
		goto out;
	}
	if ((r = keys_pepper_digest(a->keys, OTP_CODE_DIGEST_CONTEXT, code, strlen(code), c.digest))) {
		svc_fail(a->sv, r, "could not hash the code");
		goto out;
	}
	c.digest_len = KEYS_DIGEST_LEN;
	tg_strlcpy(c.tenant_id, t->id, sizeof c.tenant_id);
	tg_strlcpy(c.user_id, u.id, sizeof c.user_id);
	tg_strlcpy(c.method_id, m->id, sizeof c.method_id);
	tg_strlcpy(c.channel, channel_kind_name(kind), sizeof c.channel);
	c.created = svc_now(a->sv);
	c.ttl = OTP_CODE_TTL;
	tg_strlcpy(sent.code_id, c.id, sizeof sent.code_id);
	tg_strlcpy(sent.method_id, m->id, sizeof sent.method_id);
	tg_strlcpy(sent.to, m->detail, sizeof sent.to);
	sent.kind = kind;
	sent.transport = a->cfg ? channel_transport_for(a->cfg, kind) : CHANNEL_OUTBOX;
	sent.expires = c.created + c.ttl;
	if ((r = reserve(a, &u, &c, &sent.retry_after))) {
		if (r == TG_ERR_RATE_LIMITED && out)
			*out = sent;
		goto out;
	}

	/* deliver, outside any transaction */
	struct channel_msg msg = {
		.kind = kind, .to = m->detail, .code = code, .locale = u.locale, .upn = u.upn,
		.issuer = a->cfg && a->cfg->totp_issuer[0] ? a->cfg->totp_issuer : t->display_name,
		.ref = c.id, .minutes = (unsigned)(OTP_CODE_TTL / 60), .now = c.created,
	};
	char why[400] = "";
	if (a->deliver)
		r = a->deliver(a->deliver_arg, &msg, why, sizeof why);
	else if (a->cfg)
		r = channel_send(a->cfg, &msg, why, sizeof why);
	else
		r = svc_fail(a->sv, TG_ERR_INVALID, "no channel configuration");
	if (r) {
		int d = store_otp_code_delete(a->sv->store, c.id);
		if (d)
			log_error_r(d, "could not remove undelivered code %s (it can never be used)", c.id);
		log_warn("%s code for %s not delivered: %s", channel_kind_name(kind), u.upn, why);
		svc_fail(a->sv, r, "could not send the code by %s: %s. No code was sent and nothing "
		         "was used up; a code sent earlier still works", channel_kind_name(kind),
		         why[0] ? why : tg_strerror(r));
		goto out;
	}
	if ((r = store_tx_begin(a->sv->store))) {
		svc_store_fail(a->sv, r, "recording the sent code");
		goto out;
	}
	r = store_otp_code_delivered(a->sv->store, c.id);
	if (!r)
		r = svc_auth_audit(a, t, "code.send", u.upn, NULL,
		                   json_pack("{s:s,s:s,s:s,s:s}", "channel", channel_kind_name(kind),
		                             "transport", auth_config_transport_name(sent.transport),
		                             "to", m->detail, "methodId", m->id));
	if (!r)
		r = store_tx_commit(a->sv->store);
	if (r) {
		svc_auth_rollback(a, r, "recording the sent code");
		goto out;
	}
	if (out)
		*out = sent;
out:
	tg_wipe(code, sizeof code);
	tg_wipe(&c, sizeof c);
	svc_auth_methods_free(&ms);
	return r;
}

int svc_code_verify(struct svc_auth *a, const struct tg_tenant *t, const char *upn,
                    const char *typed, const char *source)
{
	struct tg_user u;
	struct svc_auth_guard g;
	char code[OTP_CODE_SIZE] = "";
	int r = svc_auth_user(a, t, upn, &u);
	if (r)
		return r;
	if (!u.enabled)
		return svc_fail(a->sv, TG_ERR_DISABLED, "the account %s is disabled", u.upn);
	if ((r = svc_auth_guard_begin(a, t, &u, SVC_AUTH_SECOND_FACTOR, source, &g)))
		return r;
	bool malformed = svc_auth_code_normalize(typed, code) != TG_OK;
	int64_t now = svc_now(a->sv);
	struct codes *cs = xcalloc(1, sizeof *cs);
	r = store_otp_code_list(a->sv->store, u.id, now - CODE_KEEP_SECONDS, TG_MAX_OTP_CODES_READ,
	                        collect_code, cs);
	if (r) {
		svc_store_fail(a->sv, r, "reading the sent codes");
		goto out;
	}
	int best = TG_ERR_DENIED;
	const struct store_otp_code *hit = NULL;
	for (size_t i = 0; i < cs->n; i++) {
		const struct store_otp_code *c = &cs->v[i];
		if (!c->delivered)
			continue;
		bool match = !malformed && keys_pepper_verify(a->keys, OTP_CODE_DIGEST_CONTEXT, code,
		                                              strlen(code), c->digest,
		                                              c->digest_len) == TG_OK;
		struct otp_code_rec rec = {c->created, c->ttl, c->used_at, c->failures};
		int v = otp_code_attempt(&rec, now, match);
		if (v == TG_OK && !hit) {
			hit = c;
		} else if (v == TG_ERR_DENIED) {
			/* a wrong guess against a live code counts towards burning it */
			int f = store_otp_code_fail(a->sv->store, c->id);
			if (f)
				log_error_r(f, "could not count a wrong guess");
		} else if (match && best == TG_ERR_DENIED) {
			best = v; /* REPLAY, EXPIRED or LIMIT: say why the right code failed */
		}
	}
	if (hit) {
		r = store_otp_code_use(a->sv->store, hit->id, now);
		if (!r) {
			int s = store_otp_code_use_all(a->sv->store, u.id, now);
			if (!s)
				s = store_method_touch(a->sv->store, hit->method_id, now);
			if (s)
				log_error_r(s, "could not retire the other codes of %s", u.upn);
		}
	} else {
		r = best;
	}
	switch (r) {
	case TG_OK: break;
	case TG_ERR_REPLAY: svc_fail(a->sv, r, "the code was already used"); break;
	case TG_ERR_EXPIRED: svc_fail(a->sv, r, "the code has expired: ask for a new one"); break;
	case TG_ERR_LIMIT:
		svc_fail(a->sv, r, "too many wrong guesses for this code: ask for a new one");
		break;
	case TG_ERR_DENIED: svc_fail(a->sv, r, "wrong code"); break;
	default: svc_store_fail(a->sv, r, "using the code"); break;
	}
out:
	svc_auth_guard_end(a, t, &g, r == TG_OK);
	tg_wipe(cs, sizeof *cs);
	free(cs);
	tg_wipe(code, sizeof code);
	return r;
}
