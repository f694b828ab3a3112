/* SPDX-License-Identifier: MIT
 * Authenticator apps and hardware OATH tokens (svc_auth.h): registration
 * with an otpauth URI and its QR code (libqrencode, drawn as SVG),
 * activation with a current code, verification with the atomic replay
 * check, and the hardware token CSV import (Entra's format). Seeds are
 * unsealed into stack buffers only for the HMAC and wiped at once. */
#include <qrencode.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/err.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/str.h"
#include "core/base32.h"
#include "core/csv.h"
#include "core/otpauth.h"
#include "core/upn.h"
#include "crypto/rng.h"
#include "svc/svc_auth.h"
#include "svc/svc_auth_int.h"
#include "svc/svc_int.h"

#define HW_DEFAULT_NAME "Hardware token"

static void params_of(const struct store_method *m, struct totp_params *p)
{
	totp_params_default(p);
	p->alg = (enum hmac_alg)m->oath_alg;
	p->digits = m->oath_digits;
	p->period = m->oath_period;
}

/* Seal secret for the method row m (sets m->secret). */
static int seal_seed(struct svc_auth *a, struct store_method *m, const uint8_t *secret, size_t len)
{
	char aad[SVC_AUTH_AAD_SIZE];
	size_t aad_len = svc_auth_aad(aad, m->tenant_id, m->user_id, m->id);
	int r = keys_seal(a->keys, aad, aad_len, secret, len, m->secret, sizeof m->secret,
	                  &m->secret_len);
	if (r)
		return svc_fail(a->sv, r, "could not seal the secret");
	return TG_OK;
}

/* Open the method's seed into out (TG_MAX_OATH_SECRET bytes). */
static int unseal_seed(struct svc_auth *a, const struct store_method *m, uint8_t *out,
                       size_t *len_out)
{
	char aad[SVC_AUTH_AAD_SIZE];
	size_t aad_len = svc_auth_aad(aad, m->tenant_id, m->user_id, m->id);
	int r = keys_unseal(a->keys, aad, aad_len, m->secret, m->secret_len, out,
	                    TG_MAX_OATH_SECRET, len_out);
	if (r) {
		log_error("the secret of method %s does not open (wrong master key file, or a "
		          "copied row)", m->id);
		return svc_fail(a->sv, TG_ERR_CRYPTO, "the method's secret cannot be opened with the "
		                "master key: the method must be registered again");
	}
	return TG_OK;
}

/* ------------------------------------------------------------------ QR code */

/* The text as a QR code in SVG: one path of unit squares, a 4-module
 * quiet zone. *svg_out is new; it reveals the text (free with
 * tg_secret_strfree). */
static int qr_svg(const char *text, char **svg_out)
{
	QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (!q)
		return TG_ERR_INTERNAL;
	int w = q->width, size = w + 8;
	struct tg_buf b;
	tg_buf_init_secret(&b, (size_t)w * (size_t)w * 16 + 1024);
	int r = tg_buf_appendf(&b, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
	                       "width=\"%d\" height=\"%d\" shape-rendering=\"crispEdges\">"
	                       "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><path fill=\"#000\" d=\"",
	                       size, size, size * 6, size * 6, size, size);
	for (int y = 0; y < w && !r; y++)
		for (int x = 0; x < w && !r; x++) {
			if (!(q->data[y * w + x] & 1))
				continue;
			int run = 1; /* one rectangle per horizontal run of dark modules */
			while (x + run < w && (q->data[y * w + x + run] & 1))
				run++;
			r = tg_buf_appendf(&b, "M%d %dh%dv1h-%dz", x + 4, y + 4, run, run);
			x += run - 1;
		}
	if (!r)
		r = tg_buf_append(&b, "\"/></svg>\n", 10);
	tg_wipe(q->data, (size_t)w * (size_t)w);
	QRcode_free(q);
	if (r) {
		tg_buf_cleanup_secret(&b);
		return r;
	}
	*svg_out = b.data; /* transferred */
	return TG_OK;
}

/* ------------------------------------------------------- authenticator apps */

void svc_totp_enrollment_cleanup(struct svc_totp_enrollment *e)
{
	if (!e)
		return;
	tg_secret_strfree(e->uri);
	tg_secret_strfree(e->svg);
	tg_wipe(e, sizeof *e);
}

int svc_totp_register(struct svc_auth *a, const struct tg_tenant *t, const char *upn,
                      const char *name, struct svc_totp_enrollment *out)
{
	struct tg_user u;
	struct svc_auth_methods ms = {0};
	struct store_method m;
	struct svc_totp_enrollment e;
	uint8_t seed[OATH_SECRET_LEN];
	memset(&e, 0, sizeof e);
	memset(&m, 0, sizeof m);
	int r;
	if (name && (r = svc_check_text(a->sv, "the name", name, TG_MAX_DISPLAY_NAME)))
		return r;
	if ((r = svc_auth_user(a, t, upn, &u)) || (r = svc_auth_methods_load(a, u.id, &ms)))
		return r;
	size_t oath = 0;
	for (size_t i = 0; i < ms.n; i++)
		if (svc_auth_is_oath(&ms.v[i]) && !(ms.v[i].status == STORE_METHOD_PENDING &&
		    strcmp(ms.v[i].kind, STORE_KIND_SOFTWARE_OATH) == 0))
			oath++;
	if (oath >= TG_MAX_OATH_METHODS) {
		r = svc_fail(a->sv, TG_ERR_LIMIT, "%s already has %d authenticator apps and hardware "
		             "tokens, the most allowed: delete one first", u.upn, TG_MAX_OATH_METHODS);
		goto out;
	}
	if ((r = svc_auth_new_method(a, t, &u, STORE_KIND_SOFTWARE_OATH, &m)))
		goto out;
	tg_strlcpy(m.display_name, name && *name ? name : "Authenticator app", sizeof m.display_name);
	totp_params_default(&e.params);
	m.oath_alg = (int)e.params.alg;
	m.oath_digits = e.params.digits;
	m.oath_period = e.params.period;
	if ((r = rng_bytes(seed, sizeof seed))) {
		svc_fail(a->sv, r, "no randomness available");
		goto out;
	}
	const char *issuer = a->cfg && a->cfg->totp_issuer[0] ? a->cfg->totp_issuer : t->display_name;
	if (strchr(issuer, ':'))
		issuer = t->name;
	if ((r = base32_encode(seed, sizeof seed, false, e.secret_b32, sizeof e.secret_b32)) ||
	    (r = otpauth_build(issuer, u.upn, seed, sizeof seed, &e.params, &e.uri)) ||
	    (r = qr_svg(e.uri, &e.svg))) {
		svc_fail(a->sv, r, "could not build the authenticator app registration");
		goto out;
	}
	if ((r = seal_seed(a, &m, seed, sizeof seed)))
		goto out;
	tg_strlcpy(e.method_id, m.id, sizeof e.method_id);

	if ((r = store_tx_begin(a->sv->store))) {
		svc_store_fail(a->sv, r, "registering the authenticator app");
		goto out;
	}
	/* one pending app at a time: an abandoned registration is replaced */
	for (size_t i = 0; i < ms.n && !r; i++)
		if (ms.v[i].status == STORE_METHOD_PENDING &&
		    strcmp(ms.v[i].kind, STORE_KIND_SOFTWARE_OATH) == 0)
			r = store_method_delete(a->sv->store, ms.v[i].id);
	if (!r)
		r = store_method_insert(a->sv->store, &m);
	if (!r)
		r = svc_auth_audit(a, t, "method.register", u.upn, NULL, svc_auth_method_json(&m));
	if (!r)
		r = store_tx_commit(a->sv->store);
	if (r) {
		svc_auth_rollback(a, r, "registering the authenticator app");
		goto out;
	}
	*out = e;
	memset(&e, 0, sizeof e); /* transferred */
out:
	tg_wipe(seed, sizeof seed);
	tg_wipe(&m, sizeof m);
	svc_totp_enrollment_cleanup(&e);
	svc_auth_methods_free(&ms);
	return r;
}

/* Activate method m of user u with code (caller checked ownership). */
static int activate(struct svc_auth *a, const struct tg_tenant *t, const struct tg_user *u,
                    const struct store_method *m, const char *code)
{
	if (!svc_auth_is_oath(m))
		return svc_fail(a->sv, TG_ERR_INVALID, "method %s is not an authenticator app or "
		                "hardware token", m->id);
	if (m->status == STORE_METHOD_ACTIVE)
		return svc_fail(a->sv, TG_ERR_CONFLICT, "method %s is already active", m->id);
	char norm[OTP_CODE_SIZE];
	if (svc_auth_code_normalize(code, norm))
		return svc_fail(a->sv, TG_ERR_DENIED, "wrong verification code");
	struct totp_params p;
	params_of(m, &p);
	uint8_t seed[TG_MAX_OATH_SECRET];
	size_t seed_len = 0;
	int64_t step = 0, now = svc_now(a->sv);
	int r = unseal_seed(a, m, seed, &seed_len);
	if (!r)
		r = totp_verify(&p, seed, seed_len, norm, now, m->last_step, &step);
	tg_wipe(seed, sizeof seed);
	tg_wipe(norm, sizeof norm);
	if (r == TG_ERR_REPLAY)
		return svc_fail(a->sv, r, "verification code already used once");
	if (r == TG_ERR_DENIED)
		return svc_fail(a->sv, r, "wrong verification code (check the device's clock)");
	if (r)
		return a->sv->err[0] ? r : svc_fail(a->sv, r, "could not check the code");

	struct svc_auth_methods ms;
	if ((r = store_tx_begin(a->sv->store)))
		return svc_store_fail(a->sv, r, "activating the method");
	if ((r = svc_auth_methods_load(a, u->id, &ms)))
		return svc_auth_rollback(a, r, "activating the method");
	size_t active = svc_auth_active_count(&ms);
	svc_auth_methods_free(&ms);
	r = store_method_activate(a->sv->store, m->id, step, now);
	if (r == TG_ERR_REPLAY)
		svc_fail(a->sv, r, "verification code already used once");
	if (!r) {
		struct store_method after = *m;
		after.status = STORE_METHOD_ACTIVE;
		r = svc_auth_audit(a, t, strcmp(m->kind, STORE_KIND_HARDWARE_OATH) == 0
		                            ? "token.activate" : "method.activate",
		                   u->upn, NULL, svc_auth_method_json(&after));
		tg_wipe(&after, sizeof after);
	}
	if (!r)
		r = svc_auth_first_method(a, t, u, active);
	if (!r)
		r = store_tx_commit(a->sv->store);
	if (r)
		return svc_auth_rollback(a, r, "activating the method");
	return TG_OK;
}

int svc_oath_activate(struct svc_auth *a, const struct tg_tenant *t, const char *upn,
                      const char *method_id, const char *code)
{
	struct tg_user u;
	struct store_method m;
	int r = svc_auth_user(a, t, upn, &u);
	if (r)
		return r;
	r = store_method_get(a->sv->store, method_id, &m);
	if (r == TG_OK && strcmp(m.user_id, u.id) != 0)
		r = TG_ERR_NOT_FOUND;
	if (r == TG_ERR_NOT_FOUND)
		return svc_fail(a->sv, r, "%s has no method %s", u.upn, method_id);
	if (r)
		return svc_store_fail(a->sv, r, "reading the method");
	r = activate(a, t, &u, &m, code);
	tg_wipe(&m, sizeof m);
	return r;
}

int svc_oath_verify(struct svc_auth *a, const struct tg_tenant *t, const char *upn,
                    const char *code, const char *source, char method_id_out[TG_ID_BUF])
{
	struct tg_user u;
	struct svc_auth_guard g;
	struct svc_auth_methods ms = {0};
	char norm[OTP_CODE_SIZE] = "";
	int r = svc_auth_user(a, t, upn, &u);
	if (r)
		return r;
	if (!u.enabled)
		return svc_fail(a->sv, TG_ERR_DISABLED, "the account %s is disabled", u.upn);
	if (!svc_auth_option_allowed(a, t, "appCode"))
		return svc_fail(a->sv, TG_ERR_DISABLED, "codes from authenticator apps and hardware "
		                "tokens are not allowed by the tenant's verification options");
	if ((r = svc_auth_guard_begin(a, t, &u, SVC_AUTH_SECOND_FACTOR, source, &g)))
		return r;
	bool malformed = svc_auth_code_normalize(code, norm) != TG_OK;
	if ((r = svc_auth_methods_load(a, u.id, &ms)))
		goto out;
	int64_t now = svc_now(a->sv);
	int best = TG_ERR_DENIED;
	size_t hit = 0;
	int64_t hit_step = 0;
	size_t candidates = 0;
	for (size_t i = 0; i < ms.n; i++) {
		const struct store_method *m = &ms.v[i];
		if (!svc_auth_is_oath(m) || m->status != STORE_METHOD_ACTIVE)
			continue;
		candidates++;
		struct totp_params p;
		params_of(m, &p);
		uint8_t seed[TG_MAX_OATH_SECRET];
		size_t seed_len = 0;
		int64_t step = 0;
		int v = unseal_seed(a, m, seed, &seed_len);
		if (!v && !malformed)
			v = totp_verify(&p, seed, seed_len, norm, now, m->last_step, &step);
		else if (!v)
			v = TG_ERR_DENIED;
		tg_wipe(seed, sizeof seed);
		if (v == TG_OK && best != TG_OK) {
			best = TG_OK;
			hit = i;
			hit_step = step;
		} else if (v == TG_ERR_REPLAY && best == TG_ERR_DENIED) {
			best = TG_ERR_REPLAY;
		}
	}
	a->sv->err[0] = '\0';
	if (best == TG_OK) {
		/* the replay check that decides: one UPDATE, compare-and-set */
		r = store_oath_step_advance(a->sv->store, ms.v[hit].id, hit_step, now);
		if (r == TG_OK && method_id_out)
			tg_strlcpy(method_id_out, ms.v[hit].id, TG_ID_BUF);
		if (r && r != TG_ERR_REPLAY)
			svc_store_fail(a->sv, r, "recording the verification");
	} else {
		r = best;
	}
	if (r == TG_ERR_REPLAY)
		svc_fail(a->sv, r, "verification code already used once");
	else if (r == TG_ERR_DENIED)
		svc_fail(a->sv, r, candidates ? "wrong verification code"
		                              : "no active authenticator app or hardware token");
out:
	svc_auth_guard_end(a, t, &g, r == TG_OK);
	svc_auth_methods_free(&ms);
	tg_wipe(norm, sizeof norm);
	return r;
}

/* ---------------------------------------------------------- hardware tokens */

enum { C_UPN, C_SERIAL, C_SECRET, C_INTERVAL, C_MANUFACTURER, C_MODEL, C_HASH, C_COUNT };
static const char *const col_names[C_COUNT] = {
	"upn", "serial number", "secret key", "time interval", "manufacturer", "model",
	"hash function",
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

static bool serial_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > TG_MAX_TOKEN_SERIAL)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] <= ' ' || s[i] >= 0x7f || s[i] == ',')
			return false;
	return true;
}

static bool label_ok(const char *s)
{
	return strlen(s) <= TG_MAX_TOKEN_LABEL && !tg_has_ctl(s) && tg_utf8_valid(s, strlen(s), NULL);
}

struct seen_serial { char (*v)[TG_MAX_TOKEN_SERIAL + 1]; size_t *line; size_t n, cap; };

static size_t seen_line(struct seen_serial *s, const char *serial, size_t line)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->v[i], serial) == 0)
			return s->line[i];
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->v = xrealloc(s->v, s->cap * sizeof *s->v);
		s->line = xrealloc(s->line, s->cap * sizeof *s->line);
	}
	tg_strlcpy(s->v[s->n], serial, sizeof s->v[s->n]);
	s->line[s->n++] = line;
	return 0;
}

/* Validate one data row and, when good, insert its method and token
 * (inside the import's transaction). Row problems go to rep; returns
 * non-zero only for a store failure that stops the import. */
static int import_row(struct svc_auth *a, const struct tg_tenant *t, char *const *f,
                      size_t line, struct seen_serial *seen, struct svc_import_report *rep)
{
	struct tg_user u;
	struct store_method m;
	struct store_hw_token tok;
	uint8_t seed[TG_MAX_OATH_SECRET];
	size_t seed_len = 0;
	int64_t interval = 30;
	enum hmac_alg alg = HMAC_ALG_SHA1;
	int r = TG_OK;
	const char *secret = f[C_SECRET] ? f[C_SECRET] : "";
	char serial[TG_MAX_TOKEN_SERIAL + 1] = "";

	if (!f[C_SERIAL] || !serial_ok(tg_trim(f[C_SERIAL]))) {
		add_error(rep, line, "the serial number must be 1 to %d printable characters without "
		          "spaces", TG_MAX_TOKEN_SERIAL);
		goto out;
	}
	tg_strlcpy(serial, f[C_SERIAL], sizeof serial);
	size_t first = seen_line(seen, serial, line);
	if (first) {
		add_error(rep, line, "serial number %s appears again (first on line %zu)", serial, first);
		goto out;
	}
	a->sv->err[0] = '\0';
	if (!f[C_UPN] || !*f[C_UPN]) {
		add_error(rep, line, "%s: the upn is empty (each token is assigned to one user)", serial);
		goto out;
	}
	if (svc_auth_user(a, t, f[C_UPN], &u)) {
		add_error(rep, line, "%s: %s", serial, a->sv->err);
		goto out;
	}
	size_t slen = strlen(secret);
	if (slen == 0 || slen > TG_MAX_OATH_SECRET_B32 ||
	    base32_decode(secret, slen, seed, sizeof seed, &seed_len) != TG_OK) {
		add_error(rep, line, "%s: the secret key must be Base32 (letters a-z, digits 2-7), at "
		          "most %d characters", serial, TG_MAX_OATH_SECRET_B32);
		goto out;
	}
	if (oath_secret_check(seed_len) != TG_OK) {
		add_error(rep, line, "%s: the secret key is %zu bytes; %d to %d are accepted (at least "
		          "26 Base32 characters)", serial, seed_len, TG_MIN_OATH_SECRET, TG_MAX_OATH_SECRET);
		goto out;
	}
	if (f[C_INTERVAL] && *f[C_INTERVAL] &&
	    (tg_parse_i64(f[C_INTERVAL], 30, 60, &interval) || (interval != 30 && interval != 60))) {
		add_error(rep, line, "%s: the time interval must be 30 or 60", serial);
		goto out;
	}
	if (f[C_HASH] && *f[C_HASH] &&
	    (oath_alg_parse(f[C_HASH], &alg) || alg == HMAC_ALG_SHA512)) {
		add_error(rep, line, "%s: the hash function must be hmacsha1 or hmacsha256", serial);
		goto out;
	}
	const char *manu = f[C_MANUFACTURER] ? f[C_MANUFACTURER] : "";
	const char *model = f[C_MODEL] ? f[C_MODEL] : "";
	if (!label_ok(manu) || !label_ok(model)) {
		add_error(rep, line, "%s: manufacturer and model must be text of at most %d bytes",
		          serial, TG_MAX_TOKEN_LABEL);
		goto out;
	}
	/* the per-user limit counts what this file added so far (same tx) */
	struct svc_auth_methods ms;
	if ((r = svc_auth_methods_load(a, u.id, &ms)))
		goto out;
	size_t oath = 0;
	for (size_t i = 0; i < ms.n; i++)
		oath += svc_auth_is_oath(&ms.v[i]);
	svc_auth_methods_free(&ms);
	if (oath >= TG_MAX_OATH_METHODS) {
		add_error(rep, line, "%s: %s would have more than %d authenticator apps and hardware "
		          "tokens", serial, u.upn, TG_MAX_OATH_METHODS);
		goto out;
	}
	if ((r = svc_auth_new_method(a, t, &u, STORE_KIND_HARDWARE_OATH, &m)))
		goto out;
	m.oath_alg = (int)alg;
	m.oath_period = (unsigned)interval;
	m.oath_digits = 6;
	snprintf(m.display_name, sizeof m.display_name, "%s%s%s", manu, *manu && *model ? " " : "",
	         model);
	if (!m.display_name[0])
		tg_strlcpy(m.display_name, HW_DEFAULT_NAME, sizeof m.display_name);
	if ((r = seal_seed(a, &m, seed, seed_len)))
		goto out;
	memset(&tok, 0, sizeof tok);
	if ((r = rng_uuid(tok.id)))
		goto out;
	tg_strlcpy(tok.tenant_id, t->id, sizeof tok.tenant_id);
	tg_strlcpy(tok.serial, serial, sizeof tok.serial);
	tg_strlcpy(tok.manufacturer, manu, sizeof tok.manufacturer);
	tg_strlcpy(tok.model, model, sizeof tok.model);
	tg_strlcpy(tok.method_id, m.id, sizeof tok.method_id);
	tok.created = m.created;
	if ((r = store_method_insert(a->sv->store, &m)))
		goto out;
	r = store_hw_token_insert(a->sv->store, &tok);
	if (r == TG_ERR_EXISTS) {
		add_error(rep, line, "serial number %s is already imported", serial);
		r = TG_OK;
		goto out;
	}
	if (r)
		goto out;
	tg_strlcpy(m.serial, serial, sizeof m.serial);
	r = svc_auth_audit(a, t, "token.import", u.upn, NULL, svc_auth_method_json(&m));
	if (!r)
		rep->created++;
out:
	tg_wipe(seed, sizeof seed);
	tg_wipe(&m, sizeof m);
	return r;
}

int svc_token_import_csv(struct svc_auth *a, const struct tg_tenant *t, const char *data,
                         size_t len, bool dry_run, struct svc_import_report *rep)
{
	memset(rep, 0, sizeof *rep);
	if (len > TG_MAX_CSV_BYTES)
		return svc_fail(a->sv, TG_ERR_TOO_LARGE, "the file is larger than %ld bytes",
		                TG_MAX_CSV_BYTES);
	struct csv_reader rd;
	csv_init(&rd, data, len);
	int idx[C_COUNT];
	for (int i = 0; i < C_COUNT; i++)
		idx[i] = -1;
	int r = csv_next(&rd);
	if (r) {
		csv_cleanup(&rd);
		if (r == TG_ERR_NOT_FOUND)
			return svc_fail(a->sv, TG_ERR_INVALID, "the file is empty: expected the header "
			                "upn,serial number,secret key,time interval,manufacturer,model");
		return svc_fail(a->sv, TG_ERR_INVALID, "line %zu: %s", rd.line,
		                rd.error ? rd.error : "bad CSV");
	}
	size_t ncols = rd.nfields;
	for (size_t i = 0; i < rd.nfields && !r; i++) {
		char *h = tg_trim(rd.fields[i]);
		int found = -1;
		for (int c = 0; c < C_COUNT; c++)
			if (tg_streq_ci(h, col_names[c]))
				found = c;
		if (found < 0)
			r = svc_fail(a->sv, TG_ERR_INVALID, "line 1: unknown column \"%s\" (expected upn, "
			             "serial number, secret key, time interval, manufacturer, model and "
			             "optionally hash function)", h);
		else if (idx[found] >= 0)
			r = svc_fail(a->sv, TG_ERR_INVALID, "line 1: column \"%s\" appears twice", h);
		else
			idx[found] = (int)i;
	}
	for (int c = 0; c < C_HASH && !r; c++)
		if (idx[c] < 0)
			r = svc_fail(a->sv, TG_ERR_INVALID, "line 1: the header has no \"%s\" column "
			             "(expected upn,serial number,secret key,time interval,manufacturer,"
			             "model)", col_names[c]);
	if (r) {
		csv_cleanup(&rd);
		return r;
	}
	if ((r = store_tx_begin(a->sv->store))) {
		csv_cleanup(&rd);
		return svc_store_fail(a->sv, r, "importing tokens");
	}
	struct seen_serial seen = {0};
	int fatal = TG_OK;
	while (!fatal && (r = csv_next(&rd)) == TG_OK) {
		rep->rows++;
		if (rd.nfields != ncols) {
			add_error(rep, rd.line, "expected %zu fields, found %zu", ncols, rd.nfields);
		} else {
			char *f[C_COUNT] = {0};
			for (int c = 0; c < C_COUNT; c++)
				f[c] = idx[c] >= 0 ? rd.fields[idx[c]] : NULL;
			fatal = import_row(a, t, f, rd.line, &seen, rep);
		}
		/* the secret column is plaintext: wipe it in the reader's copy */
		if ((size_t)idx[C_SECRET] < rd.nfields)
			tg_wipe(rd.fields[idx[C_SECRET]], strlen(rd.fields[idx[C_SECRET]]));
	}
	if (!fatal && r != TG_ERR_NOT_FOUND && r != TG_OK)
		add_error(rep, rd.line, "%s", rd.error ? rd.error : "bad CSV");
	csv_cleanup(&rd);
	free(seen.v);
	free(seen.line);
	if (!fatal && rep->rows == 0 && rep->nerrors == 0)
		add_error(rep, 2, "the file has a header but no tokens");
	if (fatal) {
		rep->created = 0;
		store_tx_rollback(a->sv->store);
		return svc_store_fail(a->sv, fatal, "importing tokens (nothing was imported)");
	}
	if (rep->nerrors || dry_run) {
		store_tx_rollback(a->sv->store);
		if (rep->nerrors) {
			rep->created = 0;
			return svc_fail(a->sv, TG_ERR_INVALID, "%zu bad row%s: nothing was imported",
			                rep->nerrors, rep->nerrors == 1 ? "" : "s");
		}
		return TG_OK;
	}
	if ((r = store_tx_commit(a->sv->store))) {
		rep->created = 0;
		return svc_auth_rollback(a, r, "importing tokens (nothing was imported)");
	}
	return TG_OK;
}

int svc_token_activate(struct svc_auth *a, const struct tg_tenant *t, const char *upn,
                       const char *serial, const char *code)
{
	struct tg_user u;
	struct store_hw_token tok;
	struct store_method m;
	int r = svc_auth_user(a, t, upn, &u);
	if (r)
		return r;
	r = store_hw_token_get(a->sv->store, serial, &tok);
	if (r == TG_OK && (strcmp(tok.tenant_id, t->id) != 0 || strcmp(tok.user_id, u.id) != 0))
		r = TG_ERR_NOT_FOUND;
	if (r == TG_ERR_NOT_FOUND)
		return svc_fail(a->sv, r, "no hardware token with serial number %s is assigned to %s",
		                serial, u.upn);
	if (r)
		return svc_store_fail(a->sv, r, "reading the token");
	if ((r = store_method_get(a->sv->store, tok.method_id, &m)))
		return svc_store_fail(a->sv, r, "reading the token's method");
	r = activate(a, t, &u, &m, code);
	tg_wipe(&m, sizeof m);
	return r;
}

int svc_token_list(struct svc_auth *a, const struct tg_tenant *t, store_hw_token_cb cb, void *arg)
{
	int r = store_hw_token_list(a->sv->store, t->id, cb, arg);
	if (r < 0)
		return svc_store_fail(a->sv, r, "reading the tokens");
	return r;
}
