/* SPDX-License-Identifier: MIT
 * OpenID Connect service: set-up and the helpers of svc_oidc_int.h —
 * making, digesting and verifying bearer secrets. (Apps: svc_app.c;
 * sessions and devices: svc_session.c; codes, refresh tokens, jtis:
 * svc_token.c.) */
#include <jansson.h>
#include <string.h>
#include "base/b64.h"
#include "base/err.h"
#include "base/mem.h"
#include "crypto/keys.h"
#include "crypto/rng.h"
#include "svc/svc_int.h"
#include "svc/svc_oidc.h"
#include "svc/svc_oidc_int.h"

_Static_assert(KEYS_DIGEST_LEN <= STORE_DIGEST_MAX, "a digest fits struct store_digest");
_Static_assert(B64URL_ENCODED_LEN(SVC_TOKEN_BYTES) == SVC_TOKEN_LEN, "token text length");
_Static_assert(SVC_TOKEN_LEN <= TG_MAX_BEARER_TOKEN, "token within the bearer limit");

void svc_oidc_init(struct svc_oidc *o, struct svc *sv, const struct keys *keys,
                   const struct tg_config *cfg)
{
	memset(o, 0, sizeof *o);
	o->sv = sv;
	o->keys = keys;
	o->session_idle = SVC_SESSION_IDLE_DEFAULT;
	o->session_absolute = SVC_SESSION_ABSOLUTE_DEFAULT;
	if (cfg && cfg->session_idle_minutes)
		o->session_idle = (int64_t)cfg->session_idle_minutes * 60;
	if (cfg && cfg->session_absolute_hours)
		o->session_absolute = (int64_t)cfg->session_absolute_hours * 3600;
	if (o->session_idle > o->session_absolute)
		o->session_idle = o->session_absolute;
}

bool svc_oidc_is_token_text(const char *text)
{
	if (!text)
		return false;
	size_t n = 0;
	for (; text[n]; n++) {
		char c = text[n];
		if (n >= SVC_TOKEN_LEN || !((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		                            (c >= '0' && c <= '9') || c == '-' || c == '_'))
			return false;
	}
	return n == SVC_TOKEN_LEN;
}

/* keys_pepper_digest of (bind || 0 || text) or of text. */
static int digest_of(struct svc_oidc *o, const char *ctx, const char *bind, const char *text,
                     uint8_t out[KEYS_DIGEST_LEN], bool verify, const struct store_digest *d)
{
	char msg[TG_ID_BUF + SVC_TOKEN_SIZE];
	size_t n = 0;
	if (bind) {
		size_t bl = strlen(bind);
		if (bl > TG_MAX_ID)
			return TG_ERR_DENIED;
		memcpy(msg, bind, bl);
		msg[bl] = '\0';
		n = bl + 1;
	}
	memcpy(msg + n, text, SVC_TOKEN_LEN);
	n += SVC_TOKEN_LEN;
	int r = verify ? keys_pepper_verify(o->keys, ctx, msg, n, d->b, d->len)
	               : keys_pepper_digest(o->keys, ctx, msg, n, out);
	tg_wipe(msg, sizeof msg);
	return r;
}

int svc_oidc_token_digest(struct svc_oidc *o, const char *ctx, const char *bind,
                          const char *text, struct store_digest *d)
{
	memset(d, 0, sizeof *d);
	if (!svc_oidc_is_token_text(text))
		return TG_ERR_DENIED;
	if (!o->keys)
		return svc_fail(o->sv, TG_ERR_INTERNAL, "no master key loaded");
	int r = digest_of(o, ctx, bind, text, d->b, false, NULL);
	if (r) {
		memset(d, 0, sizeof *d);
		return r == TG_ERR_DENIED ? r : svc_fail(o->sv, r, "cannot digest a token: %s",
		                                          tg_strerror(r));
	}
	d->len = KEYS_DIGEST_LEN;
	return TG_OK;
}

int svc_oidc_token_verify(struct svc_oidc *o, const char *ctx, const char *bind,
                          const char *text, const struct store_digest *d)
{
	if (!svc_oidc_is_token_text(text) || !o->keys)
		return TG_ERR_DENIED;
	int r = digest_of(o, ctx, bind, text, NULL, true, d);
	return r == TG_OK ? TG_OK : TG_ERR_DENIED;
}

int svc_oidc_token_new(struct svc_oidc *o, const char *ctx, const char *bind,
                       char text[SVC_TOKEN_SIZE], struct store_digest *d)
{
	uint8_t raw[SVC_TOKEN_BYTES];
	int r = rng_bytes(raw, sizeof raw);
	if (!r)
		r = b64url_encode(raw, sizeof raw, text, SVC_TOKEN_SIZE, NULL);
	tg_wipe(raw, sizeof raw);
	if (!r)
		r = svc_oidc_token_digest(o, ctx, bind, text, d);
	if (r) {
		tg_wipe(text, SVC_TOKEN_SIZE);
		memset(d, 0, sizeof *d);
		return svc_fail(o->sv, TG_ERR_CRYPTO, "cannot make a token: no randomness or key");
	}
	return TG_OK;
}

int svc_oidc_end_tx(struct svc *sv, int r, const char *what)
{
	if (!r && (r = store_tx_commit(sv->store)))
		svc_store_fail(sv, r, what);
	if (r) {
		store_tx_rollback(sv->store);
		if (!sv->err[0])
			svc_store_fail(sv, r, what);
	}
	return r;
}

int svc_oidc_check_flow(struct svc *sv, const char *flow)
{
	if (!*flow)
		return TG_OK;
	size_t n = strlen(flow);
	if (n > TG_MAX_SESSION_FLOW)
		return svc_fail(sv, TG_ERR_INVALID, "the sign-in flow state is longer than %d bytes",
		                TG_MAX_SESSION_FLOW);
	json_error_t e;
	json_t *j = json_loadb(flow, n, JSON_REJECT_DUPLICATES, &e);
	bool ok = j && json_is_object(j);
	json_decref(j);
	if (!ok)
		return svc_fail(sv, TG_ERR_INVALID, "the sign-in flow state must be a JSON object");
	return TG_OK;
}

int svc_oidc_check_ascii(struct svc *sv, const char *field, const char *v, size_t max)
{
	size_t n = strlen(v);
	if (n > max)
		return svc_fail(sv, TG_ERR_INVALID, "%s is longer than %zu characters", field, max);
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)v[i] < 0x20 || (unsigned char)v[i] > 0x7e)
			return svc_fail(sv, TG_ERR_INVALID, "%s must be printable ASCII", field);
	return TG_OK;
}
