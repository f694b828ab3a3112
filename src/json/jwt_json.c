/* SPDX-License-Identifier: MIT
 * Compact JWTs and the JWKS (see jwt_json.h). Sections: helpers,
 * signing, verification (shape, header, key, signature, claims), JWKS. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "base/b64.h"
#include "base/err.h"
#include "base/limits.h"
#include "base/mem.h"
#include "base/str.h"
#include "json/jwt_json.h"

/* Header members: nesting is shallow ("crit" is an array). */
#define JWT_HEADER_DEPTH 4

/* ---- helpers --------------------------------------------------------------- */

/* base64url-encode len bytes into a new string; caller frees. */
static char *b64url_new(const void *in, size_t len, size_t *out_len)
{
	size_t cap = B64URL_ENCODED_LEN(len) + 1;
	char *s = xmalloc(cap);
	if (b64url_encode(in, len, s, cap, out_len) != TG_OK)
		abort();   /* cap is exact: cannot happen */
	return s;
}

/* Decode one base64url segment into a new NUL-terminated buffer. */
static int b64url_segment(const char *seg, size_t len, char **out, size_t *out_len)
{
	size_t cap = B64_DECODED_MAX(len) + 1;
	char *buf = xmalloc(cap);
	int r = b64url_decode(seg, len, (uint8_t *)buf, cap - 1, out_len);
	if (r != TG_OK) {
		free(buf);
		*out = NULL;
		return TG_ERR_INVALID;
	}
	buf[*out_len] = '\0';
	*out = buf;   /* transferred */
	return TG_OK;
}

/* A NumericDate (RFC 7519 §2): a JSON integer, or a real truncated to
 * whole seconds; |value| < 2^62 keeps later sums with the clock defined. */
#define NUMERIC_DATE_MAX (INT64_C(1) << 62)
static bool numeric_date(const json_t *v, int64_t *out)
{
	if (json_is_integer(v)) {
		json_int_t i = json_integer_value(v);
		if (i >= NUMERIC_DATE_MAX || i <= -NUMERIC_DATE_MAX)
			return false;
		*out = (int64_t)i;
		return true;
	}
	if (json_is_real(v)) {
		double d = json_real_value(v);
		if (!isfinite(d) || d >= (double)NUMERIC_DATE_MAX || d <= -(double)NUMERIC_DATE_MAX)
			return false;
		*out = (int64_t)d;
		return true;
	}
	return false;
}

/* The string value of a JSON string of len bytes (jansson refuses
 * "\u0000" on input, but compare with lengths anyway). */
static bool json_str_eq(const json_t *v, const char *want)
{
	size_t n = strlen(want);
	return json_is_string(v) && json_string_length(v) == n &&
	       memcmp(json_string_value(v), want, n) == 0;
}

/* ---- signing --------------------------------------------------------------- */

int jwt_sign(const struct sign_key *k, const json_t *claims, char **out, size_t *out_len)
{
	json_t *header = NULL;
	char *hjson = NULL, *cjson = NULL, *h64 = NULL, *c64 = NULL, *s64 = NULL, *tok = NULL;
	uint8_t sig[JWS_MAX_SIG_LEN];
	size_t h64_len = 0, c64_len = 0, s64_len = 0, sig_len = 0;
	int r = TG_ERR_INVALID;
	*out = NULL;
	if (out_len)
		*out_len = 0;
	if (!json_is_object(claims) || !sign_key_has_private(k))
		return TG_ERR_INVALID;
	header = json_pack("{s:s, s:s, s:s}", "alg", jws_alg_name(sign_key_alg(k)), "typ", "JWT",
	                   "kid", sign_key_kid(k));
	if (!header)
		abort();   /* only on OOM: same policy as xmalloc */
	hjson = json_dump_canonical(header, false);
	cjson = json_dump_canonical(claims, false);
	size_t hlen = strlen(hjson), clen = strlen(cjson);
	/* refuse before encoding anything big; the exact check follows */
	if (B64URL_ENCODED_LEN(hlen) + B64URL_ENCODED_LEN(clen) + 1 > TG_MAX_JWT) {
		r = TG_ERR_TOO_LARGE;
		goto out;
	}
	h64 = b64url_new(hjson, hlen, &h64_len);
	c64 = b64url_new(cjson, clen, &c64_len);
	size_t input_len = h64_len + 1 + c64_len;
	tok = xmalloc(input_len + 1 + B64URL_ENCODED_LEN(JWS_MAX_SIG_LEN) + 1);
	memcpy(tok, h64, h64_len);
	tok[h64_len] = '.';
	memcpy(tok + h64_len + 1, c64, c64_len);
	if ((r = jws_sign(k, tok, input_len, sig, sizeof sig, &sig_len)) != TG_OK)
		goto out;
	s64 = b64url_new(sig, sig_len, &s64_len);
	size_t total = input_len + 1 + s64_len;
	if (total > TG_MAX_JWT) {
		r = TG_ERR_TOO_LARGE;
		goto out;
	}
	tok[input_len] = '.';
	memcpy(tok + input_len + 1, s64, s64_len + 1);
	*out = tok;   /* transferred */
	tok = NULL;
	if (out_len)
		*out_len = total;
	r = TG_OK;
out:
	json_decref(header);
	free(hjson);
	free(cjson);
	free(h64);
	free(c64);
	free(s64);
	free(tok);
	return r;
}

/* ---- verification ------------------------------------------------------------ */

/* Split into header, payload and signature segments: exactly two dots,
 * no empty part (an empty signature is alg "none"). */
static int split_compact(const char *t, size_t len, size_t *h_len, size_t *p_off, size_t *p_len,
                         size_t *s_off, size_t *s_len)
{
	const char *d1 = memchr(t, '.', len);
	if (!d1)
		return TG_ERR_INVALID;
	const char *rest = d1 + 1;
	const char *d2 = memchr(rest, '.', len - (size_t)(rest - t));
	if (!d2)
		return TG_ERR_INVALID;
	const char *sig = d2 + 1;
	if (memchr(sig, '.', len - (size_t)(sig - t)))   /* JWE has five parts */
		return TG_ERR_INVALID;
	*h_len = (size_t)(d1 - t);
	*p_off = (size_t)(rest - t);
	*p_len = (size_t)(d2 - rest);
	*s_off = (size_t)(sig - t);
	*s_len = len - *s_off;
	if (*h_len == 0 || *p_len == 0 || *s_len == 0)
		return TG_ERR_INVALID;
	return TG_OK;
}

/* Read the JOSE header: alg (known, else denied), kid, typ, crit. */
static int check_header(const json_t *h, const char *typ, enum jws_alg *alg_out,
                        const char **kid_out, struct json_path *path, struct json_err *err)
{
	const char *alg_s = NULL, *kid = NULL, *typ_s = NULL;
	bool has_typ = false;
	int r;
	if ((r = json_get_string(h, "alg", path, err, &alg_s, NULL)) != TG_OK ||
	    (r = json_get_string(h, "kid", path, err, &kid, NULL)) != TG_OK ||
	    (r = json_get_string(h, "typ", path, err, &typ_s, &has_typ)) != TG_OK)
		return r;
	if (!alg_s)
		return json_fail(err, path, "header: \"alg\" is required");
	/* RFC 8725 §3.1: only the algorithms we issue; "none" never */
	if (jws_alg_parse(alg_s, alg_out) != TG_OK)
		return json_fail_code(TG_ERR_DENIED, err, path, "header: algorithm not accepted");
	if (!kid || !*kid)
		return json_fail(err, path, "header: \"kid\" is required");
	/* RFC 7515 §4.1.11: we understand no extension, so any crit is fatal */
	if (json_object_get(h, "crit"))
		return json_fail_code(TG_ERR_DENIED, err, path, "header: \"crit\" not supported");
	/* a JWE header (RFC 7516) is not a signed token */
	if (json_object_get(h, "enc") || json_object_get(h, "zip"))
		return json_fail(err, path, "header: encrypted tokens not supported");
	if (typ) {
		if (!typ_s || !tg_streq_ci(typ_s, typ))
			return json_fail_code(TG_ERR_DENIED, err, path, "header: wrong \"typ\"");
	} else if (has_typ && typ_s && !tg_streq_ci(typ_s, "JWT")) {
		return json_fail_code(TG_ERR_DENIED, err, path, "header: wrong \"typ\"");
	}
	*kid_out = kid;
	return TG_OK;
}

int jwt_decode_verify(const char *token, size_t len, const struct sign_key *const *keys,
                      size_t n_keys, int64_t now, const char *typ, json_t **header_out,
                      json_t **claims_out, struct json_err *err)
{
	struct json_path path;
	json_t *header = NULL, *claims = NULL;
	char *hjson = NULL, *cjson = NULL;
	uint8_t sig[JWS_MAX_SIG_LEN];
	size_t h_len, p_off, p_len, s_off, s_len, n = 0, sig_len = 0;
	enum jws_alg alg;
	const char *kid = NULL;
	const struct sign_key *key = NULL;
	int r;
	json_path_init(&path);
	*claims_out = NULL;
	if (header_out)
		*header_out = NULL;
	if (len > TG_MAX_JWT)
		return json_fail_code(TG_ERR_TOO_LARGE, err, &path, "token larger than %d bytes",
		                      TG_MAX_JWT);
	if (!token || split_compact(token, len, &h_len, &p_off, &p_len, &s_off, &s_len) != TG_OK)
		return json_fail(err, &path, "not a JWS compact serialization");

	if (b64url_segment(token, h_len, &hjson, &n) != TG_OK) {
		r = json_fail(err, &path, "header: bad base64url");
		goto out;
	}
	if ((r = json_load_strict(hjson, n, TG_MAX_JWT, JWT_HEADER_DEPTH, &header, err)) != TG_OK)
		goto out;
	if ((r = check_header(header, typ, &alg, &kid, &path, err)) != TG_OK)
		goto out;

	for (size_t i = 0; i < n_keys && !key; i++)
		if (strcmp(sign_key_kid(keys[i]), kid) == 0)
			key = keys[i];
	if (!key) {
		r = json_fail_code(TG_ERR_DENIED, err, &path, "header: unknown \"kid\"");
		goto out;
	}
	if (!sign_key_is_valid_at(key, now)) {
		r = json_fail_code(TG_ERR_DENIED, err, &path, "header: signing key retired");
		goto out;
	}
	if (alg != sign_key_alg(key)) {
		r = json_fail_code(TG_ERR_DENIED, err, &path, "header: \"alg\" does not match the key");
		goto out;
	}

	/* the signature: a part too long for any key is a wrong length */
	r = b64url_decode(token + s_off, s_len, sig, sizeof sig, &sig_len);
	if (r == TG_ERR_TOO_LARGE) {
		r = json_fail_code(TG_ERR_DENIED, err, &path, "signature has the wrong length");
		goto out;
	}
	if (r != TG_OK) {
		r = json_fail(err, &path, "signature: bad base64url");
		goto out;
	}
	r = jws_verify(key, alg, token, p_off + p_len, sig, sig_len);
	if (r != TG_OK) {
		r = json_fail_code(r, err, &path, "signature does not verify");
		goto out;
	}

	/* only now is the payload worth reading */
	if (b64url_segment(token + p_off, p_len, &cjson, &n) != TG_OK) {
		r = json_fail(err, &path, "payload: bad base64url");
		goto out;
	}
	if ((r = json_load_strict(cjson, n, TG_MAX_JWT, TG_MAX_JSON_DEPTH, &claims, err)) != TG_OK)
		goto out;
	*claims_out = claims;   /* transferred */
	claims = NULL;
	if (header_out) {
		*header_out = header;   /* transferred */
		header = NULL;
	}
	r = TG_OK;
out:
	json_decref(header);
	json_decref(claims);
	free(hjson);
	free(cjson);
	return r;
}

/* Read a required (or optional) NumericDate claim. */
static int get_date(const json_t *claims, const char *name, bool required, int64_t *out,
                    bool *present, struct json_path *path, struct json_err *err)
{
	const json_t *v = json_object_get(claims, name);
	*present = v != NULL && !json_is_null(v);
	if (!*present) {
		if (!required)
			return TG_OK;
		size_t mark = json_path_push_key(path, name);
		int r = json_fail(err, path, "required claim missing");
		json_path_pop(path, mark);
		return r;
	}
	if (!numeric_date(v, out)) {
		size_t mark = json_path_push_key(path, name);
		int r = json_fail(err, path, "expected a NumericDate");
		json_path_pop(path, mark);
		return r;
	}
	return TG_OK;
}

/* aud is a string or a non-empty array of strings (RFC 7519 §4.1.3). */
static int check_aud(const json_t *claims, const char *want, struct json_path *path,
                     struct json_err *err)
{
	const json_t *aud = json_object_get(claims, "aud");
	size_t mark = json_path_push_key(path, "aud");
	int r = TG_OK;
	if (!aud || json_is_null(aud)) {
		if (want)
			r = json_fail(err, path, "required claim missing");
		goto out;
	}
	if (json_is_string(aud)) {
		if (want && !json_str_eq(aud, want))
			r = json_fail_code(TG_ERR_DENIED, err, path, "token is not for this audience");
		goto out;
	}
	if (!json_is_array(aud) || json_array_size(aud) == 0) {
		r = json_fail(err, path, "expected a string or an array of strings");
		goto out;
	}
	bool found = false;
	size_t i;
	const json_t *v;
	json_array_foreach(aud, i, v) {
		if (!json_is_string(v)) {
			r = json_fail(err, path, "expected a string or an array of strings");
			goto out;
		}
		if (want && json_str_eq(v, want))
			found = true;
	}
	if (want && !found)
		r = json_fail_code(TG_ERR_DENIED, err, path, "token is not for this audience");
out:
	json_path_pop(path, mark);
	return r;
}

int jwt_check_claims(const json_t *claims, const struct jwt_expect *ex, struct json_err *err)
{
	struct json_path path;
	int64_t exp = 0, iat = 0, nbf = 0;
	bool has_exp, has_iat, has_nbf;
	const char *iss = NULL;
	int r;
	json_path_init(&path);
	if (!ex->iss || ex->skew < 0 || ex->skew > JWT_MAX_SKEW)
		return json_fail(err, &path, "bad expectations");   /* caller's mistake */
	if (!json_is_object(claims))
		return json_fail(err, &path, "claims must be a JSON object");
	if ((r = get_date(claims, "exp", true, &exp, &has_exp, &path, err)) != TG_OK ||
	    (r = get_date(claims, "iat", true, &iat, &has_iat, &path, err)) != TG_OK ||
	    (r = get_date(claims, "nbf", false, &nbf, &has_nbf, &path, err)) != TG_OK ||
	    (r = json_get_string(claims, "iss", &path, err, &iss, NULL)) != TG_OK)
		return r;
	if (!iss) {
		size_t mark = json_path_push_key(&path, "iss");
		r = json_fail(err, &path, "required claim missing");
		json_path_pop(&path, mark);
		return r;
	}
	if (!json_str_eq(json_object_get(claims, "iss"), ex->iss)) {
		size_t mark = json_path_push_key(&path, "iss");
		r = json_fail_code(TG_ERR_DENIED, err, &path, "token is from another issuer");
		json_path_pop(&path, mark);
		return r;
	}
	if ((r = check_aud(claims, ex->aud, &path, err)) != TG_OK)
		return r;
	/* times: ex->now is bounded here and numeric_date bounds the dates
	 * (|d| < 2^62), skew <= JWT_MAX_SKEW: no sum below can overflow */
	int64_t now = ex->now, skew = ex->skew;
	if (now > INT64_MAX / 2 || now < INT64_MIN / 2)
		return json_fail(err, &path, "bad expectations");
	if (now - skew >= exp) {
		size_t mark = json_path_push_key(&path, "exp");
		r = json_fail_code(TG_ERR_EXPIRED, err, &path, "token expired");
		json_path_pop(&path, mark);
		return r;
	}
	if (has_nbf && now + skew < nbf) {
		size_t mark = json_path_push_key(&path, "nbf");
		r = json_fail_code(TG_ERR_DENIED, err, &path, "token not yet valid");
		json_path_pop(&path, mark);
		return r;
	}
	if (iat > now + skew) {
		size_t mark = json_path_push_key(&path, "iat");
		r = json_fail_code(TG_ERR_DENIED, err, &path, "token issued in the future");
		json_path_pop(&path, mark);
		return r;
	}
	return TG_OK;
}

int jwt_verify(const char *token, size_t len, const struct sign_key *const *keys, size_t n_keys,
               const struct jwt_expect *ex, json_t **claims_out, struct json_err *err)
{
	json_t *claims = NULL;
	*claims_out = NULL;
	int r = jwt_decode_verify(token, len, keys, n_keys, ex->now, ex->typ, NULL, &claims, err);
	if (r != TG_OK)
		return r;
	r = jwt_check_claims(claims, ex, err);
	if (r != TG_OK) {
		json_decref(claims);
		return r;
	}
	*claims_out = claims;   /* transferred */
	return TG_OK;
}

/* ---- JWKS ---------------------------------------------------------------------- */

static json_t *b64url_json(const uint8_t *in, size_t len)
{
	size_t n = 0;
	char *s = b64url_new(in, len, &n);
	json_t *v = json_stringn(s, n);
	free(s);
	if (!v)
		abort();   /* only on OOM */
	return v;
}

static void set_new(json_t *obj, const char *key, json_t *v)
{
	if (!v || json_object_set_new(obj, key, v) != 0)
		abort();   /* only on OOM */
}

int jwt_jwks_build(const struct sign_key *const *keys, size_t n_keys, json_t **out)
{
	json_t *arr = json_array(), *root = json_object();
	struct sign_key_public pub;
	*out = NULL;
	if (!arr || !root)
		abort();
	for (size_t i = 0; i < n_keys; i++) {
		const struct sign_key *k = keys[i];
		if (sign_key_public(k, &pub) != TG_OK) {
			json_decref(arr);
			json_decref(root);
			return TG_ERR_CRYPTO;
		}
		json_t *jwk = json_object();
		if (!jwk)
			abort();
		if (pub.alg == JWS_ALG_ES256) {
			set_new(jwk, "kty", json_string("EC"));
			set_new(jwk, "crv", json_string("P-256"));
			set_new(jwk, "x", b64url_json(pub.x, sizeof pub.x));
			set_new(jwk, "y", b64url_json(pub.y, sizeof pub.y));
		} else {
			set_new(jwk, "kty", json_string("RSA"));
			set_new(jwk, "n", b64url_json(pub.n, pub.n_len));
			set_new(jwk, "e", b64url_json(pub.e, pub.e_len));
		}
		set_new(jwk, "kid", json_string(sign_key_kid(k)));
		set_new(jwk, "use", json_string("sig"));
		set_new(jwk, "alg", json_string(jws_alg_name(pub.alg)));
		if (json_array_append_new(arr, jwk) != 0)
			abort();
	}
	set_new(root, "keys", arr);
	*out = root;   /* transferred */
	return TG_OK;
}

/* Decode a base64url member into out: exactly want bytes when want > 0,
 * else 1..out_size bytes without a leading zero byte (RFC 7518 §6.3.1.1). */
static int get_b64_member(const json_t *jwk, const char *name, uint8_t *out, size_t out_size,
                          size_t want, size_t *len_out, struct json_path *path,
                          struct json_err *err)
{
	const char *s = NULL;
	size_t mark = json_path_push_key(path, name);
	int r = json_get_string(jwk, name, path, err, &s, NULL);
	json_path_pop(path, mark);
	if (r != TG_OK)
		return r;
	mark = json_path_push_key(path, name);
	if (!s) {
		r = json_fail(err, path, "required member missing");
	} else if (b64url_decode(s, strlen(s), out, out_size, len_out) != TG_OK ||
	           (want && *len_out != want) || (!want && (*len_out == 0 || out[0] == 0))) {
		r = json_fail(err, path, "bad base64url value");
	}
	json_path_pop(path, mark);
	return r;
}

int jwt_jwk_to_key(const json_t *jwk, struct sign_key **out, struct json_err *err)
{
	struct json_path path;
	struct sign_key_public pub;
	const char *kty = NULL, *crv = NULL, *use = NULL, *alg = NULL;
	size_t len = 0;
	int r;
	json_path_init(&path);
	memset(&pub, 0, sizeof pub);
	*out = NULL;
	if (!json_is_object(jwk))
		return json_fail(err, &path, "expected a JWK object");
	if ((r = json_get_string(jwk, "kty", &path, err, &kty, NULL)) != TG_OK ||
	    (r = json_get_string(jwk, "use", &path, err, &use, NULL)) != TG_OK ||
	    (r = json_get_string(jwk, "alg", &path, err, &alg, NULL)) != TG_OK)
		return r;
	if (!kty)
		return json_fail(err, &path, "\"kty\" is required");
	if (json_object_get(jwk, "d") || json_object_get(jwk, "p"))
		return json_fail(err, &path, "private key members in a public JWK");
	if (use && strcmp(use, "sig") != 0)
		return json_fail(err, &path, "\"use\" must be \"sig\"");
	if (strcmp(kty, "EC") == 0) {
		pub.alg = JWS_ALG_ES256;
		if ((r = json_get_string(jwk, "crv", &path, err, &crv, NULL)) != TG_OK)
			return r;
		if (!crv || strcmp(crv, "P-256") != 0)
			return json_fail_code(TG_ERR_UNSUPPORTED, err, &path, "only the P-256 curve");
		if ((r = get_b64_member(jwk, "x", pub.x, sizeof pub.x, JWS_EC_COORD_LEN, &len,
		                        &path, err)) != TG_OK ||
		    (r = get_b64_member(jwk, "y", pub.y, sizeof pub.y, JWS_EC_COORD_LEN, &len,
		                        &path, err)) != TG_OK)
			return r;
	} else if (strcmp(kty, "RSA") == 0) {
		pub.alg = JWS_ALG_RS256;
		if ((r = get_b64_member(jwk, "n", pub.n, sizeof pub.n, 0, &pub.n_len, &path,
		                        err)) != TG_OK ||
		    (r = get_b64_member(jwk, "e", pub.e, sizeof pub.e, 0, &pub.e_len, &path,
		                        err)) != TG_OK)
			return r;
	} else {
		return json_fail_code(TG_ERR_UNSUPPORTED, err, &path, "key type not supported");
	}
	if (alg && strcmp(alg, jws_alg_name(pub.alg)) != 0)
		return json_fail(err, &path, "\"alg\" does not match the key type");
	r = sign_key_from_public(&pub, out);
	if (r != TG_OK)
		return json_fail_code(r == TG_ERR_CRYPTO ? TG_ERR_CRYPTO : TG_ERR_INVALID, err, &path,
		                      "not a valid public key");
	return TG_OK;
}
