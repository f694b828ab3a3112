/* SPDX-License-Identifier: MIT
 * Argon2id password hashing (see password.h). */
#include <argon2.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include "base/err.h"
#include "base/mem.h"
#include "crypto/password.h"
#include "crypto/rng.h"

#define SALT_LEN 16
#define HASH_LEN 32

void pw_params_default(struct pw_params *p)
{
	p->m_kib = PW_DEFAULT_M_KIB;
	p->t_cost = PW_DEFAULT_T;
	p->parallelism = PW_DEFAULT_P;
}

int pw_params_check(const struct pw_params *p)
{
	if (p->parallelism < 1 || p->parallelism > 16 || p->t_cost < 1 ||
	    p->t_cost > 100 || p->m_kib < 8 * p->parallelism || p->m_kib > 4u * 1024 * 1024)
		return TG_ERR_INVALID;
	return TG_OK;
}

int password_hash(const struct pw_params *p, const char *pw, size_t pw_len,
                  char out[TG_MAX_PWHASH + 1])
{
	uint8_t salt[SALT_LEN];
	int r = pw_params_check(p);
	if (r)
		return r;
	if (pw_len > TG_MAX_PASSWORD_BYTES)
		return TG_ERR_TOO_LARGE;
	r = rng_bytes(salt, sizeof salt);
	if (r)
		return r;
	size_t need = argon2_encodedlen(p->t_cost, p->m_kib, p->parallelism, SALT_LEN,
	                                HASH_LEN, Argon2_id);
	if (need > TG_MAX_PWHASH + 1)
		return TG_ERR_INTERNAL;
	int a = argon2id_hash_encoded(p->t_cost, p->m_kib, p->parallelism, pw, pw_len,
	                              salt, SALT_LEN, HASH_LEN, out, TG_MAX_PWHASH + 1);
	tg_wipe(salt, sizeof salt);
	return a == ARGON2_OK ? TG_OK : TG_ERR_CRYPTO;
}

/* Parse "$argon2id$v=19$m=M,t=T,p=P$..." parameters. */
static int parse_params(const char *enc, struct pw_params *out)
{
	unsigned v, m, t, p;
	int n = 0;
	if (strncmp(enc, "$argon2id$", 10) != 0)
		return TG_ERR_INVALID;
	if (sscanf(enc + 10, "v=%u$m=%u,t=%u,p=%u$%n", &v, &m, &t, &p, &n) != 4 || n == 0)
		return TG_ERR_INVALID;
	if (v != ARGON2_VERSION_13)
		return TG_ERR_INVALID;
	out->m_kib = m;
	out->t_cost = t;
	out->parallelism = p;
	return pw_params_check(out);
}

bool password_is_encoded_hash(const char *s)
{
	struct pw_params p;
	size_t n = strlen(s);
	if (n > TG_MAX_PWHASH)
		return false;
	if (parse_params(s, &p) != TG_OK)
		return false;
	/* salt and hash parts must be present: count the '$' separators */
	int dollars = 0;
	for (const char *c = s; *c; c++)
		if (*c == '$')
			dollars++;
	return dollars == 5;
}

int password_verify(const char *encoded, const char *pw, size_t pw_len)
{
	if (!password_is_encoded_hash(encoded))
		return TG_ERR_INVALID;
	if (pw_len > TG_MAX_PASSWORD_BYTES)
		return TG_ERR_DENIED;
	int a = argon2id_verify(encoded, pw, pw_len);
	if (a == ARGON2_OK)
		return TG_OK;
	if (a == ARGON2_VERIFY_MISMATCH)
		return TG_ERR_DENIED;
	return a == ARGON2_MEMORY_ALLOCATION_ERROR ? TG_ERR_NOMEM : TG_ERR_DENIED;
}

static pthread_mutex_t dummy_lock = PTHREAD_MUTEX_INITIALIZER;
static char dummy_hash[TG_MAX_PWHASH + 1];
static struct pw_params dummy_params;

int password_verify_dummy(const struct pw_params *p, const char *pw, size_t pw_len)
{
	char local[TG_MAX_PWHASH + 1];
	pthread_mutex_lock(&dummy_lock);
	if (!dummy_hash[0] || memcmp(&dummy_params, p, sizeof *p) != 0) {
		if (password_hash(p, "tollgate-dummy-password", 23, dummy_hash) != TG_OK)
			dummy_hash[0] = '\0';
		dummy_params = *p;
	}
	memcpy(local, dummy_hash, sizeof local);
	pthread_mutex_unlock(&dummy_lock);
	if (local[0]) {
		int r = password_verify(local, pw, pw_len);
		(void)r; /* always a denial, whatever the outcome */
	}
	return TG_ERR_DENIED;
}

bool password_needs_rehash(const char *encoded, const struct pw_params *p)
{
	struct pw_params cur;
	if (parse_params(encoded, &cur) != TG_OK)
		return true;
	return cur.m_kib < p->m_kib || cur.t_cost < p->t_cost ||
	       cur.parallelism < p->parallelism;
}
