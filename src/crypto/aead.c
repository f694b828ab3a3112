/* SPDX-License-Identifier: MIT
 * AES-256-GCM seal/unseal (see aead.h) over the EVP cipher interface. */
#include <string.h>
#include <openssl/evp.h>
#include "base/err.h"
#include "base/limits.h"
#include "base/mem.h"
#include "crypto/aead.h"
#include "crypto/rng.h"

/* Feed version || aad as GCM associated data. */
static int feed_aad(EVP_CIPHER_CTX *c, uint8_t version, const void *aad, size_t aad_len)
{
	int n = 0;
	if (EVP_CipherUpdate(c, NULL, &n, &version, 1) != 1)
		return TG_ERR_CRYPTO;
	if (aad_len && EVP_CipherUpdate(c, NULL, &n, aad, (int)aad_len) != 1)
		return TG_ERR_CRYPTO;
	return TG_OK;
}

int aead_seal(const uint8_t key[AEAD_KEY_LEN], uint8_t version,
              const void *aad, size_t aad_len, const void *pt, size_t pt_len,
              uint8_t *out, size_t out_size, size_t *out_len)
{
	EVP_CIPHER_CTX *c = NULL;
	int n = 0, fin = 0, r;
	*out_len = 0;
	if (pt_len > TG_MAX_SEAL_PLAINTEXT || aad_len > TG_MAX_SEAL_AAD)
		return TG_ERR_TOO_LARGE;
	if (out_size < AEAD_SEALED_LEN(pt_len))
		return TG_ERR_TOO_LARGE;
	uint8_t *nonce = out + 1, *ct = out + 1 + AEAD_NONCE_LEN, *tag = ct + pt_len;
	out[0] = version;
	r = rng_bytes(nonce, AEAD_NONCE_LEN);
	if (r) {
		r = TG_ERR_CRYPTO;
		goto out;
	}
	r = TG_ERR_CRYPTO;
	c = EVP_CIPHER_CTX_new();
	if (!c || EVP_EncryptInit_ex(c, EVP_aes_256_gcm(), NULL, NULL, NULL) != 1 ||
	    EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_IVLEN, AEAD_NONCE_LEN, NULL) != 1 ||
	    EVP_EncryptInit_ex(c, NULL, NULL, key, nonce) != 1)
		goto out;
	if (feed_aad(c, version, aad, aad_len))
		goto out;
	if (pt_len && EVP_EncryptUpdate(c, ct, &n, pt, (int)pt_len) != 1)
		goto out;
	if (EVP_EncryptFinal_ex(c, ct + n, &fin) != 1 || (size_t)(n + fin) != pt_len)
		goto out;
	if (EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, AEAD_TAG_LEN, tag) != 1)
		goto out;
	*out_len = AEAD_SEALED_LEN(pt_len);
	r = TG_OK;
out:
	EVP_CIPHER_CTX_free(c); /* cleanses the key schedule */
	if (r)
		tg_wipe(out, AEAD_SEALED_LEN(pt_len));
	return r;
}

int aead_unseal(const uint8_t key[AEAD_KEY_LEN], const void *aad, size_t aad_len,
                const uint8_t *in, size_t in_len,
                uint8_t *pt_out, size_t pt_size, size_t *pt_len_out)
{
	EVP_CIPHER_CTX *c = NULL;
	uint8_t tag[AEAD_TAG_LEN];
	int n = 0, fin = 0, r = TG_ERR_CRYPTO;
	size_t pt_len = 0;
	*pt_len_out = 0;
	if (in_len < AEAD_OVERHEAD)
		return TG_ERR_CRYPTO;
	pt_len = in_len - AEAD_OVERHEAD;
	if (pt_len > TG_MAX_SEAL_PLAINTEXT || aad_len > TG_MAX_SEAL_AAD)
		return TG_ERR_TOO_LARGE;
	if (pt_size < pt_len)
		return TG_ERR_TOO_LARGE;
	const uint8_t *nonce = in + 1, *ct = in + 1 + AEAD_NONCE_LEN;
	memcpy(tag, ct + pt_len, AEAD_TAG_LEN); /* EVP wants a mutable tag */
	c = EVP_CIPHER_CTX_new();
	if (!c || EVP_DecryptInit_ex(c, EVP_aes_256_gcm(), NULL, NULL, NULL) != 1 ||
	    EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_IVLEN, AEAD_NONCE_LEN, NULL) != 1 ||
	    EVP_DecryptInit_ex(c, NULL, NULL, key, nonce) != 1)
		goto out;
	if (feed_aad(c, in[0], aad, aad_len))
		goto out;
	if (pt_len && EVP_DecryptUpdate(c, pt_out, &n, ct, (int)pt_len) != 1)
		goto out;
	if (EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, AEAD_TAG_LEN, tag) != 1)
		goto out;
	/* the tag is checked here, in constant time, by OpenSSL */
	if (EVP_DecryptFinal_ex(c, pt_out + n, &fin) != 1 || (size_t)(n + fin) != pt_len)
		goto out;
	*pt_len_out = pt_len;
	r = TG_OK;
out:
	EVP_CIPHER_CTX_free(c);
	tg_wipe(tag, sizeof tag);
	if (r)
		tg_wipe(pt_out, pt_len);
	return r;
}

int aead_version(const uint8_t *in, size_t in_len, uint8_t *version_out)
{
	if (in_len < AEAD_OVERHEAD)
		return TG_ERR_INVALID;
	*version_out = in[0];
	return TG_OK;
}
