/* SPDX-License-Identifier: MIT
 * The master key file and everything done with it, behind one narrow
 * interface (so it can later move into a separate key helper process):
 * sealing recoverable secrets (TOTP seeds) with AES-256-GCM and hashing
 * bearer secrets (one-time codes, recovery codes) with a keyed digest.
 *
 * The file is a keyring of numbered key generations (1..255); the highest
 * id is current. New values are sealed and digested under the current
 * generation and carry its id in their first byte, so values made under an
 * older generation still open after `tollgate key rotate` adds a new one.
 * File format, derivation and the rotation procedure:
 * docs/internals/keys.md.
 *
 * Thread-safety: a loaded struct keys is read-only; share it freely.
 * The master key never leaves this module; only derived subkeys stay in
 * memory and they are wiped by keys_free. */
#ifndef TG_CRYPTO_KEYS_H
#define TG_CRYPTO_KEYS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "crypto/aead.h"

#define KEYS_MASTER_LEN   32
#define KEYS_MAX_ID       255
/* Sealed size for a plaintext of pt_len bytes. */
#define KEYS_SEALED_LEN(pt_len) AEAD_SEALED_LEN(pt_len)
/* A peppered digest: key id (1 byte) || HMAC-SHA256 (32 bytes). */
#define KEYS_DIGEST_LEN   33

struct keys;

/* Create a new key file at path holding one fresh generation (id 1):
 * created with O_CREAT|O_EXCL|O_NOFOLLOW and mode 0600, fsynced. Returns
 * TG_OK; TG_ERR_EXISTS when path exists (never overwritten); TG_ERR_IO;
 * TG_ERR_CRYPTO when the RNG fails. A partly written file is removed. */
int keys_generate_file(const char *path) __attribute__((warn_unused_result));

/* Load the keyring at path. Refuses (TG_ERR_FORBIDDEN, logged) a file that
 * any group or other permission bit is set on, or that is not a regular
 * file; TG_ERR_NOT_FOUND when it does not exist; TG_ERR_INVALID for a
 * malformed file (logged with the line number, never the key); TG_ERR_IO.
 * *out is set only on TG_OK; free with keys_free. */
int keys_load(const char *path, struct keys **out) __attribute__((warn_unused_result));

/* A keyring of one random generation (id 1) that exists only in memory:
 * for tests and throw-away development servers. */
int keys_new_ephemeral(struct keys **out) __attribute__((warn_unused_result));

/* Wipe and free; accepts NULL. */
void keys_free(struct keys *k);

/* Id of the current generation (the highest in the file). */
uint8_t keys_current_id(const struct keys *k);
/* true when the keyring holds generation id. */
bool keys_has_id(const struct keys *k, uint8_t id);

/* Seal pt under the current generation; aad binds the value to its row
 * (pass "tenant|user|method" ids). out_size >= KEYS_SEALED_LEN(pt_len).
 * Errors as aead_seal. */
int keys_seal(const struct keys *k, const void *aad, size_t aad_len,
              const void *pt, size_t pt_len,
              uint8_t *out, size_t out_size, size_t *out_len)
	__attribute__((warn_unused_result));

/* Open a value sealed under any generation in the keyring (picked by its
 * first byte). TG_ERR_CRYPTO for an unknown generation, wrong aad or any
 * tampering; pt_out is wiped on failure. Errors as aead_unseal. */
int keys_unseal(const struct keys *k, const void *aad, size_t aad_len,
                const uint8_t *in, size_t in_len,
                uint8_t *pt_out, size_t pt_size, size_t *pt_len_out)
	__attribute__((warn_unused_result));

/* true when the sealed value was made under the current generation (key
 * rotation skips those). False for malformed input. */
bool keys_sealed_is_current(const struct keys *k, const uint8_t *in, size_t in_len);

/* Open with the old generation and seal again under the current one, with
 * the same aad (key rotation). The plaintext lives only on the stack and
 * is wiped. out_size >= in_len. Errors as keys_unseal/keys_seal. */
int keys_reseal(const struct keys *k, const void *aad, size_t aad_len,
                const uint8_t *in, size_t in_len,
                uint8_t *out, size_t out_size, size_t *out_len)
	__attribute__((warn_unused_result));

/* Keyed digest for storing a bearer secret (code, recovery code) hashed:
 * out = current id || HMAC-SHA256(pepper_id, context || 0 || msg), where
 * the pepper is a subkey of the generation's master key. context is a
 * short literal naming the purpose ("otp-code", "recovery-code").
 * Deterministic for one generation. TG_OK or TG_ERR_CRYPTO. */
int keys_pepper_digest(const struct keys *k, const char *context,
                       const void *msg, size_t msg_len, uint8_t out[KEYS_DIGEST_LEN])
	__attribute__((warn_unused_result));

/* Check msg against a digest made by keys_pepper_digest under any
 * generation in the keyring. Constant-time compare. TG_OK when it matches,
 * TG_ERR_DENIED when it does not, TG_ERR_CRYPTO for a digest of the wrong
 * length or of an unknown generation. */
int keys_pepper_verify(const struct keys *k, const char *context,
                       const void *msg, size_t msg_len,
                       const uint8_t *digest, size_t digest_len)
	__attribute__((warn_unused_result));

/* Add a new generation (id = highest + 1) to the key file and make it
 * current. The file is rewritten atomically (temporary file, fsync,
 * rename), keeping mode 0600. Servers must reload the file before values
 * sealed under the new generation reach them (docs/internals/keys.md).
 * *new_id_out (may be NULL) gets the new id. TG_ERR_LIMIT when id 255 is
 * used; other errors as keys_load and TG_ERR_IO. */
int keys_rotate_file(const char *path, uint8_t *new_id_out)
	__attribute__((warn_unused_result));

/* Remove retired generation id from the key file once nothing sealed or
 * digested under it remains. TG_ERR_CONFLICT for the current generation,
 * TG_ERR_NOT_FOUND when absent; other errors as keys_rotate_file. */
int keys_drop_file(const char *path, uint8_t id) __attribute__((warn_unused_result));

#endif
