/* SPDX-License-Identifier: MIT
 * Signing keys and JWS signatures over OpenSSL 3 EVP (see jws.h and
 * jws_int.h). Sections: algorithm names, key objects and the RFC 7638
 * thumbprint, generation and import, private key export, ECDSA signature
 * form conversion, sign and verify. Every OpenSSL failure clears the
 * thread's error queue so one bad token leaves nothing behind. */
#include <string.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/decoder.h>
#include <openssl/ec.h>
#include <openssl/encoder.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include "base/b64.h"
#include "base/err.h"
#include "base/limits.h"
#include "base/mem.h"
#include "crypto/hmac.h"
#include "crypto/jws.h"
#include "crypto/jws_int.h"

struct sign_key {
	enum jws_alg alg;
	EVP_PKEY *pkey;        /* owns the key pair, or the public key only */
	bool has_private;
	int64_t created;
	int64_t not_after;     /* 0 = none */
	char kid[JWS_KID_LEN + 1];
};

/* ---- algorithm names --------------------------------------------------- */

const char *jws_alg_name(enum jws_alg alg)
{
	switch (alg) {
	case JWS_ALG_ES256: return "ES256";
	case JWS_ALG_RS256: return "RS256";
	}
	return NULL;
}

int jws_alg_parse(const char *name, enum jws_alg *out)
{
	*out = (enum jws_alg)0;
	/* exact, case-sensitive match (RFC 7515 §4.1.1); "none", "HS256",
	 * "es256" and everything else is refused */
	if (name && strcmp(name, "ES256") == 0) {
		*out = JWS_ALG_ES256;
		return TG_OK;
	}
	if (name && strcmp(name, "RS256") == 0) {
		*out = JWS_ALG_RS256;
		return TG_OK;
	}
	return TG_ERR_UNSUPPORTED;
}

static bool alg_known(enum jws_alg alg)
{
	return alg == JWS_ALG_ES256 || alg == JWS_ALG_RS256;
}

/* ---- key objects and the RFC 7638 thumbprint ---------------------------- */

enum jws_alg sign_key_alg(const struct sign_key *k)
{
	return k->alg;
}

const char *sign_key_kid(const struct sign_key *k)
{
	return k->kid;
}

int64_t sign_key_created(const struct sign_key *k)
{
	return k->created;
}

int64_t sign_key_not_after(const struct sign_key *k)
{
	return k->not_after;
}

void sign_key_set_not_after(struct sign_key *k, int64_t not_after)
{
	k->not_after = not_after;
}

bool sign_key_has_private(const struct sign_key *k)
{
	return k->has_private;
}

bool sign_key_is_valid_at(const struct sign_key *k, int64_t now)
{
	return k->not_after == 0 || now < k->not_after;
}

void sign_key_free(struct sign_key *k)
{
	if (!k)
		return;
	EVP_PKEY_free(k->pkey);   /* OpenSSL clears private bignums when freeing */
	tg_secret_free(k, sizeof *k);
}

/* A BIGNUM parameter of the key as unsigned big-endian bytes: exactly
 * pad_len bytes when pad_len > 0, else minimal (at least one byte). */
static int get_bn(const EVP_PKEY *pkey, const char *name, uint8_t *out, size_t out_size,
                  size_t pad_len, size_t *len_out)
{
	BIGNUM *bn = NULL;
	int r = TG_ERR_CRYPTO;
	if (EVP_PKEY_get_bn_param(pkey, name, &bn) != 1 || BN_is_negative(bn))
		goto out;
	size_t n = (size_t)BN_num_bytes(bn);
	size_t want = pad_len ? pad_len : (n ? n : 1);
	if (n > want || want > out_size)
		goto out;
	if (BN_bn2binpad(bn, out, (int)want) != (int)want)
		goto out;
	*len_out = want;
	r = TG_OK;
out:
	BN_free(bn);
	return r;
}

int sign_key_public(const struct sign_key *k, struct sign_key_public *out)
{
	size_t len = 0;
	memset(out, 0, sizeof *out);
	out->alg = k->alg;
	if (k->alg == JWS_ALG_ES256) {
		if (get_bn(k->pkey, OSSL_PKEY_PARAM_EC_PUB_X, out->x, sizeof out->x,
		           JWS_EC_COORD_LEN, &len) != TG_OK ||
		    get_bn(k->pkey, OSSL_PKEY_PARAM_EC_PUB_Y, out->y, sizeof out->y,
		           JWS_EC_COORD_LEN, &len) != TG_OK)
			goto fail;
		return TG_OK;
	}
	if (get_bn(k->pkey, OSSL_PKEY_PARAM_RSA_N, out->n, sizeof out->n, 0, &out->n_len) != TG_OK ||
	    get_bn(k->pkey, OSSL_PKEY_PARAM_RSA_E, out->e, sizeof out->e, 0, &out->e_len) != TG_OK)
		goto fail;
	return TG_OK;
fail:
	ERR_clear_error();
	memset(out, 0, sizeof *out);
	return TG_ERR_CRYPTO;
}

/* base64url of len bytes appended at *p (room checked by the caller's
 * buffer size), advancing *p. */
static int put_b64url(char **p, char *end, const uint8_t *in, size_t len)
{
	size_t n = 0;
	int r = b64url_encode(in, len, *p, (size_t)(end - *p), &n);
	if (r == TG_OK)
		*p += n;
	return r;
}

static int put_str(char **p, char *end, const char *s)
{
	size_t n = strlen(s);
	if (n >= (size_t)(end - *p))
		return TG_ERR_TOO_LARGE;
	memcpy(*p, s, n + 1);
	*p += n;
	return TG_OK;
}

/* RFC 7638 §3: SHA-256 over the required public members in lexicographic
 * order, no white space; every value is base64url or a fixed name, so no
 * JSON escaping is ever needed. */
static int compute_kid(struct sign_key *k)
{
	struct sign_key_public pub;
	char json[64 + B64URL_ENCODED_LEN(sizeof pub.n) + B64URL_ENCODED_LEN(sizeof pub.e)];
	char *p = json, *end = json + sizeof json;
	uint8_t digest[HMAC_SHA256_LEN];
	int r = sign_key_public(k, &pub);
	if (r != TG_OK)
		return r;
	if (k->alg == JWS_ALG_ES256) {
		if ((r = put_str(&p, end, "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"")) ||
		    (r = put_b64url(&p, end, pub.x, sizeof pub.x)) ||
		    (r = put_str(&p, end, "\",\"y\":\"")) ||
		    (r = put_b64url(&p, end, pub.y, sizeof pub.y)) ||
		    (r = put_str(&p, end, "\"}")))
			return r;
	} else {
		if ((r = put_str(&p, end, "{\"e\":\"")) ||
		    (r = put_b64url(&p, end, pub.e, pub.e_len)) ||
		    (r = put_str(&p, end, "\",\"kty\":\"RSA\",\"n\":\"")) ||
		    (r = put_b64url(&p, end, pub.n, pub.n_len)) ||
		    (r = put_str(&p, end, "\"}")))
			return r;
	}
	if ((r = hmac_sha256_hash(json, (size_t)(p - json), digest)) != TG_OK)
		return r;
	return b64url_encode(digest, sizeof digest, k->kid, sizeof k->kid, NULL);
}

/* Check that pkey is exactly what alg needs (type, curve, RSA size and
 * exponent). */
static int check_key_shape(enum jws_alg alg, const EVP_PKEY *pkey)
{
	if (alg == JWS_ALG_ES256) {
		char group[64];
		size_t glen = 0;
		if (!EVP_PKEY_is_a(pkey, "EC") ||
		    EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME, group,
		                                   sizeof group, &glen) != 1 ||
		    strcmp(group, SN_X9_62_prime256v1) != 0)
			return TG_ERR_INVALID;
		return TG_OK;
	}
	/* EVP_PKEY_is_a("RSA") is false for RSA-PSS keys, which RS256 refuses */
	if (!EVP_PKEY_is_a(pkey, "RSA"))
		return TG_ERR_INVALID;
	int bits = EVP_PKEY_get_bits(pkey);
	if (bits < JWS_RSA_MIN_BITS || bits > JWS_RSA_MAX_BITS)
		return TG_ERR_INVALID;
	BIGNUM *e = NULL;
	int r = TG_ERR_INVALID;
	if (EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_E, &e) == 1 && BN_is_odd(e) &&
	    !BN_is_one(e) && BN_num_bytes(e) <= JWS_MAX_RSA_E_LEN)
		r = TG_OK;
	BN_free(e);
	return r;
}

/* Wrap pkey (ownership taken, freed on failure) into a new sign_key. */
static int wrap_key(enum jws_alg alg, EVP_PKEY *pkey, bool has_private, int64_t created,
                    int64_t not_after, struct sign_key **out)
{
	struct sign_key *k = xcalloc(1, sizeof *k);
	k->alg = alg;
	k->pkey = pkey;
	k->has_private = has_private;
	k->created = created;
	k->not_after = not_after;
	int r = compute_kid(k);
	if (r != TG_OK) {
		ERR_clear_error();
		sign_key_free(k);
		return TG_ERR_CRYPTO;
	}
	*out = k;   /* transferred */
	return TG_OK;
}

/* ---- generation and import --------------------------------------------- */

int sign_key_generate(enum jws_alg alg, int64_t now, struct sign_key **out)
{
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *pkey = NULL;
	int r = TG_ERR_CRYPTO;
	*out = NULL;
	if (!alg_known(alg))
		return TG_ERR_INVALID;
	ctx = EVP_PKEY_CTX_new_from_name(NULL, alg == JWS_ALG_ES256 ? "EC" : "RSA", NULL);
	if (!ctx || EVP_PKEY_keygen_init(ctx) != 1)
		goto out;
	if (alg == JWS_ALG_ES256) {
		if (EVP_PKEY_CTX_set_group_name(ctx, SN_X9_62_prime256v1) != 1)
			goto out;
	} else {
		/* the key size as a parameter (e defaults to 65537), which keeps
		 * <openssl/rsa.h> and its low-level API out of this file */
		size_t bits = JWS_RSA_BITS;
		OSSL_PARAM params[2];
		params[0] = OSSL_PARAM_construct_size_t(OSSL_PKEY_PARAM_RSA_BITS, &bits);
		params[1] = OSSL_PARAM_construct_end();
		if (EVP_PKEY_CTX_set_params(ctx, params) != 1)
			goto out;
	}
	if (EVP_PKEY_keygen(ctx, &pkey) != 1)
		goto out;
	r = wrap_key(alg, pkey, true, now, 0, out);
	pkey = NULL;   /* transferred (or freed by wrap_key) */
out:
	if (r != TG_OK)
		ERR_clear_error();
	EVP_PKEY_free(pkey);
	EVP_PKEY_CTX_free(ctx);
	return r;
}

int sign_key_from_public(const struct sign_key_public *pub, struct sign_key **out)
{
	OSSL_PARAM_BLD *bld = NULL;
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = NULL, *check = NULL;
	EVP_PKEY *pkey = NULL;
	BIGNUM *n = NULL, *e = NULL;
	uint8_t point[1 + 2 * JWS_EC_COORD_LEN];
	int r = TG_ERR_INVALID;
	*out = NULL;
	if (!alg_known(pub->alg))
		return TG_ERR_INVALID;
	bld = OSSL_PARAM_BLD_new();
	if (!bld)
		goto crypto;
	if (pub->alg == JWS_ALG_ES256) {
		point[0] = 0x04;   /* uncompressed point (SEC 1 §2.3.3) */
		memcpy(point + 1, pub->x, JWS_EC_COORD_LEN);
		memcpy(point + 1 + JWS_EC_COORD_LEN, pub->y, JWS_EC_COORD_LEN);
		if (OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME,
		                                    SN_X9_62_prime256v1, 0) != 1 ||
		    OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point,
		                                     sizeof point) != 1)
			goto crypto;
	} else {
		if (pub->n_len == 0 || pub->n_len > sizeof pub->n || pub->e_len == 0 ||
		    pub->e_len > sizeof pub->e)
			goto out;
		n = BN_bin2bn(pub->n, (int)pub->n_len, NULL);
		e = BN_bin2bn(pub->e, (int)pub->e_len, NULL);
		if (!n || !e)
			goto crypto;
		if (OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n) != 1 ||
		    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e) != 1)
			goto crypto;
	}
	params = OSSL_PARAM_BLD_to_param(bld);
	ctx = EVP_PKEY_CTX_new_from_name(NULL, pub->alg == JWS_ALG_ES256 ? "EC" : "RSA", NULL);
	if (!params || !ctx || EVP_PKEY_fromdata_init(ctx) != 1)
		goto crypto;
	/* a point off the curve or a malformed modulus fails here */
	if (EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) != 1)
		goto out;
	if (check_key_shape(pub->alg, pkey) != TG_OK)
		goto out;
	check = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL);
	if (!check)
		goto crypto;
	if (EVP_PKEY_public_check(check) != 1)
		goto out;
	r = wrap_key(pub->alg, pkey, false, 0, 0, out);
	pkey = NULL;   /* transferred (or freed by wrap_key) */
	goto out;
crypto:
	r = TG_ERR_CRYPTO;
out:
	if (r != TG_OK)
		ERR_clear_error();
	EVP_PKEY_free(pkey);
	EVP_PKEY_CTX_free(check);
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	BN_free(n);
	BN_free(e);
	return r;
}

/* Sign a fixed message and verify it with the same key. */
static int self_test(const struct sign_key *k)
{
	static const char msg[] = "tollgate signing key self-test";
	uint8_t sig[JWS_MAX_SIG_LEN];
	size_t len = 0;
	int r = jws_sign(k, msg, sizeof msg - 1, sig, sizeof sig, &len);
	if (r == TG_OK)
		r = jws_verify(k, k->alg, msg, sizeof msg - 1, sig, len);
	return r;
}

int sign_key_import_private(enum jws_alg alg, const uint8_t *der, size_t der_len,
                            int64_t created, int64_t not_after, struct sign_key **out)
{
	OSSL_DECODER_CTX *dctx = NULL;
	EVP_PKEY *pkey = NULL;
	struct sign_key *k = NULL;
	int r = TG_ERR_INVALID;
	*out = NULL;
	if (!alg_known(alg) || der_len == 0 || der_len > JWS_MAX_PRIVATE_DER)
		return TG_ERR_INVALID;
	dctx = OSSL_DECODER_CTX_new_for_pkey(&pkey, "DER", "PrivateKeyInfo",
	                                     alg == JWS_ALG_ES256 ? "EC" : "RSA",
	                                     EVP_PKEY_KEYPAIR, NULL, NULL);
	if (!dctx) {
		r = TG_ERR_CRYPTO;
		goto out;
	}
	const unsigned char *p = der;
	size_t left = der_len;
	if (OSSL_DECODER_from_data(dctx, &p, &left) != 1 || !pkey || left != 0)
		goto out;
	if (check_key_shape(alg, pkey) != TG_OK)
		goto out;
	if ((r = wrap_key(alg, pkey, true, created, not_after, &k)) != TG_OK)
		goto out;
	pkey = NULL;   /* transferred (or freed by wrap_key) */
	/* the public half (which goes into the JWKS) must belong to the
	 * private half: prove it with one signature. EVP_PKEY_pairwise_check
	 * would do too, but for RSA it tests p and q for primality (about
	 * 50 ms a key); a signature costs about 1 ms. */
	if (self_test(k) != TG_OK) {
		r = TG_ERR_INVALID;
		goto out;
	}
	*out = k;   /* transferred */
	k = NULL;
out:
	if (r != TG_OK)
		ERR_clear_error();
	sign_key_free(k);
	EVP_PKEY_free(pkey);
	OSSL_DECODER_CTX_free(dctx);
	return r;
}

/* ---- private key export ------------------------------------------------- */

int sign_key_export_private(const struct sign_key *k, uint8_t *out, size_t out_size,
                            size_t *out_len)
{
	OSSL_ENCODER_CTX *ectx = NULL;
	unsigned char *data = NULL;
	size_t len = 0;
	int r = TG_ERR_CRYPTO;
	*out_len = 0;
	if (!k->has_private)
		return TG_ERR_INVALID;
	ectx = OSSL_ENCODER_CTX_new_for_pkey(k->pkey, EVP_PKEY_KEYPAIR, "DER", "PrivateKeyInfo",
	                                     NULL);
	if (!ectx || OSSL_ENCODER_CTX_get_num_encoders(ectx) == 0 ||
	    OSSL_ENCODER_to_data(ectx, &data, &len) != 1 || !data)
		goto out;
	if (len > out_size) {
		r = TG_ERR_TOO_LARGE;
		goto out;
	}
	memcpy(out, data, len);
	*out_len = len;
	r = TG_OK;
out:
	if (r != TG_OK)
		ERR_clear_error();
	OPENSSL_clear_free(data, len);
	OSSL_ENCODER_CTX_free(ectx);
	return r;
}

/* ---- ECDSA signature forms (RFC 7518 §3.4) ------------------------------- */

int jws_ecdsa_der_to_raw(const uint8_t *der, size_t der_len, uint8_t raw[JWS_ES256_SIG_LEN])
{
	ECDSA_SIG *sig = NULL;
	unsigned char *re = NULL;
	int r = TG_ERR_INVALID;
	memset(raw, 0, JWS_ES256_SIG_LEN);
	if (der_len == 0 || der_len > JWS_MAX_ECDSA_DER)
		return TG_ERR_INVALID;
	const unsigned char *p = der;
	sig = d2i_ECDSA_SIG(NULL, &p, (long)der_len);
	if (!sig || p != der + der_len)
		goto out;
	/* canonical DER only: re-encoding must give the same bytes */
	int relen = i2d_ECDSA_SIG(sig, &re);
	if (relen <= 0 || (size_t)relen != der_len || memcmp(re, der, der_len) != 0)
		goto out;
	const BIGNUM *br = NULL, *bs = NULL;
	ECDSA_SIG_get0(sig, &br, &bs);
	if (BN_is_negative(br) || BN_is_negative(bs) || BN_num_bytes(br) > 32 ||
	    BN_num_bytes(bs) > 32)
		goto out;
	if (BN_bn2binpad(br, raw, 32) != 32 || BN_bn2binpad(bs, raw + 32, 32) != 32)
		goto out;
	r = TG_OK;
out:
	if (r != TG_OK) {
		ERR_clear_error();
		memset(raw, 0, JWS_ES256_SIG_LEN);
	}
	OPENSSL_free(re);
	ECDSA_SIG_free(sig);
	return r;
}

int jws_ecdsa_raw_to_der(const uint8_t raw[JWS_ES256_SIG_LEN], uint8_t *der, size_t der_size,
                         size_t *der_len)
{
	ECDSA_SIG *sig = ECDSA_SIG_new();
	BIGNUM *br = BN_bin2bn(raw, 32, NULL), *bs = BN_bin2bn(raw + 32, 32, NULL);
	int r = TG_ERR_CRYPTO;
	*der_len = 0;
	if (!sig || !br || !bs || ECDSA_SIG_set0(sig, br, bs) != 1)
		goto out;
	br = bs = NULL;   /* owned by sig */
	int need = i2d_ECDSA_SIG(sig, NULL);
	if (need <= 0)
		goto out;
	if ((size_t)need > der_size) {
		r = TG_ERR_TOO_LARGE;
		goto out;
	}
	unsigned char *p = der;
	if (i2d_ECDSA_SIG(sig, &p) != need)
		goto out;
	*der_len = (size_t)need;
	r = TG_OK;
out:
	if (r != TG_OK)
		ERR_clear_error();
	BN_free(br);
	BN_free(bs);
	ECDSA_SIG_free(sig);
	return r;
}

/* ---- sign and verify ----------------------------------------------------- */

int jws_sign(const struct sign_key *k, const void *input, size_t input_len,
             uint8_t *sig, size_t sig_size, size_t *sig_len_out)
{
	EVP_MD_CTX *md = NULL;
	uint8_t der[JWS_MAX_ECDSA_DER];
	size_t len = 0;
	int r = TG_ERR_CRYPTO;
	*sig_len_out = 0;
	if (!k->has_private)
		return TG_ERR_INVALID;
	if (input_len > TG_MAX_JWT)
		return TG_ERR_TOO_LARGE;
	size_t need = k->alg == JWS_ALG_ES256 ? JWS_ES256_SIG_LEN : (size_t)EVP_PKEY_get_size(k->pkey);
	if (need > sig_size)
		return TG_ERR_TOO_LARGE;
	md = EVP_MD_CTX_new();
	if (!md || EVP_DigestSignInit_ex(md, NULL, "SHA256", NULL, NULL, k->pkey, NULL) != 1)
		goto out;
	if (k->alg == JWS_ALG_ES256) {
		len = sizeof der;
		if (EVP_DigestSign(md, der, &len, input, input_len) != 1)
			goto out;
		if (jws_ecdsa_der_to_raw(der, len, sig) != TG_OK)
			goto out;
		len = JWS_ES256_SIG_LEN;
	} else {
		len = sig_size;
		if (EVP_DigestSign(md, sig, &len, input, input_len) != 1 || len != need)
			goto out;
	}
	*sig_len_out = len;
	r = TG_OK;
out:
	if (r != TG_OK) {
		ERR_clear_error();
		tg_wipe(sig, sig_size < need ? sig_size : need);
	}
	OPENSSL_cleanse(der, sizeof der);
	EVP_MD_CTX_free(md);
	return r;
}

int jws_verify(const struct sign_key *k, enum jws_alg alg, const void *input, size_t input_len,
               const uint8_t *sig, size_t sig_len)
{
	EVP_MD_CTX *md = NULL;
	uint8_t der[JWS_MAX_ECDSA_DER];
	size_t der_len = 0;
	int r = TG_ERR_DENIED;
	/* the key decides the algorithm; a token naming another one (or
	 * "none", which never parses) is refused before any work */
	if (!alg_known(alg) || alg != k->alg)
		return TG_ERR_DENIED;
	if (input_len > TG_MAX_JWT)
		return TG_ERR_TOO_LARGE;
	size_t want = k->alg == JWS_ALG_ES256 ? JWS_ES256_SIG_LEN : (size_t)EVP_PKEY_get_size(k->pkey);
	if (sig_len != want)
		return TG_ERR_DENIED;
	const uint8_t *vsig = sig;
	size_t vlen = sig_len;
	if (k->alg == JWS_ALG_ES256) {
		r = jws_ecdsa_raw_to_der(sig, der, sizeof der, &der_len);
		if (r != TG_OK)
			goto out;
		r = TG_ERR_DENIED;
		vsig = der;
		vlen = der_len;
	}
	md = EVP_MD_CTX_new();
	if (!md || EVP_DigestVerifyInit_ex(md, NULL, "SHA256", NULL, NULL, k->pkey, NULL) != 1) {
		r = TG_ERR_CRYPTO;
		goto out;
	}
	/* 1 = valid; 0 = does not verify; < 0 = malformed signature: all but
	 * 1 are a denial */
	if (EVP_DigestVerify(md, vsig, vlen, input, input_len) == 1)
		r = TG_OK;
out:
	if (r != TG_OK)
		ERR_clear_error();
	EVP_MD_CTX_free(md);
	return r;
}
