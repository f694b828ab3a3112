/* SPDX-License-Identifier: MIT
 * The one randomness source (OpenSSL RAND_bytes over the OS generator).
 * If it fails the operation fails: callers must check the result. */
#ifndef TG_CRYPTO_RNG_H
#define TG_CRYPTO_RNG_H
#include <stddef.h>
#include <stdint.h>

/* Fill buf with len random bytes. TG_OK or TG_ERR_CRYPTO. */
int rng_bytes(void *buf, size_t len) __attribute__((warn_unused_result));
/* Uniform integer in [0, bound) without modulo bias. bound > 0. */
int rng_uniform(uint32_t bound, uint32_t *out) __attribute__((warn_unused_result));
/* A random version-4 UUID in text form (37 bytes incl. NUL). */
int rng_uuid(char out[37]) __attribute__((warn_unused_result));

#endif
