/* SPDX-License-Identifier: MIT
 * HMAC and SHA-256 over OpenSSL 3 (see hmac.h). The EVP_MAC "HMAC" method
 * is fetched once; each call makes its own EVP_MAC_CTX, so nothing mutable
 * is shared between threads. */
#include <pthread.h>
#include <string.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include "base/err.h"
#include "base/mem.h"
#include "crypto/hmac.h"

struct hmac_ctx {
	EVP_MAC_CTX *mac;
	size_t len;
};

static EVP_MAC *hmac_method;
static pthread_once_t hmac_once = PTHREAD_ONCE_INIT;

static void fetch_method(void)
{
	hmac_method = EVP_MAC_fetch(NULL, OSSL_MAC_NAME_HMAC, NULL);
}

size_t hmac_alg_len(enum hmac_alg alg)
{
	switch (alg) {
	case HMAC_ALG_SHA1: return 20;
	case HMAC_ALG_SHA256: return 32;
	case HMAC_ALG_SHA512: return 64;
	}
	return 0;
}

const char *hmac_alg_name(enum hmac_alg alg)
{
	switch (alg) {
	case HMAC_ALG_SHA1: return "SHA1";
	case HMAC_ALG_SHA256: return "SHA256";
	case HMAC_ALG_SHA512: return "SHA512";
	}
	return NULL;
}

/* A keyed EVP_MAC_CTX, or an error code. */
static int mac_new(enum hmac_alg alg, const void *key, size_t key_len, EVP_MAC_CTX **out)
{
	static const uint8_t empty[1];
	const char *name = hmac_alg_name(alg);
	*out = NULL;
	if (!name)
		return TG_ERR_INVALID;
	if (key_len > HMAC_MAX_KEY)
		return TG_ERR_TOO_LARGE;
	if (pthread_once(&hmac_once, fetch_method) != 0 || !hmac_method)
		return TG_ERR_CRYPTO;
	EVP_MAC_CTX *m = EVP_MAC_CTX_new(hmac_method);
	if (!m)
		return TG_ERR_CRYPTO;
	OSSL_PARAM params[2];
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)(uintptr_t)name, 0);
	params[1] = OSSL_PARAM_construct_end();
	/* a zero-length key must still be a non-NULL pointer: NULL means
	 * "keep the previous key" to EVP_MAC_init */
	if (EVP_MAC_init(m, key_len ? key : empty, key_len, params) != 1) {
		EVP_MAC_CTX_free(m);
		return TG_ERR_CRYPTO;
	}
	*out = m;
	return TG_OK;
}

/* Reinitialise m with its key, MAC msg, write exactly len bytes. */
static int mac_run(EVP_MAC_CTX *m, int reinit, const void *msg, size_t msg_len,
                   uint8_t out[HMAC_MAX_LEN], size_t len)
{
	size_t got = 0;
	if (reinit && EVP_MAC_init(m, NULL, 0, NULL) != 1)
		return TG_ERR_CRYPTO;
	if (EVP_MAC_update(m, msg, msg_len) != 1 ||
	    EVP_MAC_final(m, out, &got, HMAC_MAX_LEN) != 1 || got != len)
		return TG_ERR_CRYPTO;
	return TG_OK;
}

int hmac_compute(enum hmac_alg alg, const void *key, size_t key_len,
                 const void *msg, size_t msg_len,
                 uint8_t out[HMAC_MAX_LEN], size_t *out_len)
{
	EVP_MAC_CTX *m = NULL;
	size_t len = hmac_alg_len(alg);
	if (out_len)
		*out_len = 0;
	int r = mac_new(alg, key, key_len, &m);
	if (r)
		return r;
	r = mac_run(m, 0, msg, msg_len, out, len);
	EVP_MAC_CTX_free(m); /* OpenSSL cleanses the HMAC state */
	if (r) {
		tg_wipe(out, HMAC_MAX_LEN);
		return r;
	}
	if (out_len)
		*out_len = len;
	return TG_OK;
}

int hmac_ctx_new(enum hmac_alg alg, const void *key, size_t key_len, struct hmac_ctx **out)
{
	EVP_MAC_CTX *m = NULL;
	*out = NULL;
	int r = mac_new(alg, key, key_len, &m);
	if (r)
		return r;
	struct hmac_ctx *c = xmalloc(sizeof *c);
	c->mac = m;
	c->len = hmac_alg_len(alg);
	*out = c;
	return TG_OK;
}

int hmac_ctx_compute(struct hmac_ctx *c, const void *msg, size_t msg_len,
                     uint8_t out[HMAC_MAX_LEN], size_t *out_len)
{
	if (out_len)
		*out_len = 0;
	int r = mac_run(c->mac, 1, msg, msg_len, out, c->len);
	if (r) {
		tg_wipe(out, HMAC_MAX_LEN);
		return r;
	}
	if (out_len)
		*out_len = c->len;
	return TG_OK;
}

void hmac_ctx_free(struct hmac_ctx *c)
{
	if (!c)
		return;
	EVP_MAC_CTX_free(c->mac);
	free(c);
}

int hmac_sha256_hash(const void *msg, size_t msg_len, uint8_t out[HMAC_SHA256_LEN])
{
	unsigned int n = 0;
	if (EVP_Digest(msg, msg_len, out, &n, EVP_sha256(), NULL) != 1 || n != HMAC_SHA256_LEN)
		return TG_ERR_CRYPTO;
	return TG_OK;
}

int hmac_pepper_digest(const uint8_t *pepper, size_t pepper_len, const char *context,
                       const void *msg, size_t msg_len, uint8_t out[HMAC_SHA256_LEN])
{
	static const uint8_t sep = 0;
	uint8_t mac[HMAC_MAX_LEN];
	EVP_MAC_CTX *m = NULL;
	size_t got = 0;
	int r = mac_new(HMAC_ALG_SHA256, pepper, pepper_len, &m);
	if (r)
		return r;
	r = TG_ERR_CRYPTO;
	if (EVP_MAC_update(m, (const uint8_t *)context, strlen(context)) != 1 ||
	    EVP_MAC_update(m, &sep, 1) != 1 ||
	    EVP_MAC_update(m, msg, msg_len) != 1 ||
	    EVP_MAC_final(m, mac, &got, sizeof mac) != 1 || got != HMAC_SHA256_LEN)
		goto out;
	memcpy(out, mac, HMAC_SHA256_LEN);
	r = TG_OK;
out:
	EVP_MAC_CTX_free(m);
	tg_wipe(mac, sizeof mac);
	return r;
}
