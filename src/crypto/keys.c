/* SPDX-License-Identifier: MIT
 * The master keyring (see keys.h; format in docs/internals/keys.md).
 * Sections: file reading and parsing, file writing, derivation and the
 * public operations. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "base/err.h"
#include "base/limits.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/str.h"
#include "crypto/aead.h"
#include "crypto/ct.h"
#include "crypto/hmac.h"
#include "crypto/keys.h"
#include "crypto/rng.h"

#define KEYS_HEADER "tollgate-keys 1"
/* Labels for the subkeys derived from each master key; never change them. */
#define LABEL_SEAL   "tollgate/keys/seal/v1"
#define LABEL_PEPPER "tollgate/keys/pepper/v1"

struct keys_gen {
	uint8_t seal[AEAD_KEY_LEN];
	uint8_t pepper[HMAC_SHA256_LEN];
};

struct keys {
	uint8_t current;
	bool present[KEYS_MAX_ID + 1];
	struct keys_gen gen[KEYS_MAX_ID + 1];
};

/* The file's contents: master keys by id. Heap only, wiped when freed. */
struct keyfile {
	bool present[KEYS_MAX_ID + 1];
	uint8_t master[KEYS_MAX_ID + 1][KEYS_MASTER_LEN];
};

static void keyfile_free(struct keyfile *f)
{
	tg_secret_free(f, sizeof *f);
}

static uint8_t keyfile_highest(const struct keyfile *f)
{
	for (int id = KEYS_MAX_ID; id > 0; id--)
		if (f->present[id])
			return (uint8_t)id;
	return 0;
}

/* ---- reading and parsing ---- */

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Parse "key <id> <64 hex>" (line without its newline, NUL-terminated). */
static int parse_key_line(char *line, struct keyfile *f)
{
	int64_t id = 0;
	if (strncmp(line, "key ", 4) != 0)
		return TG_ERR_INVALID;
	char *id_s = line + 4, *sp = strchr(id_s, ' ');
	if (!sp)
		return TG_ERR_INVALID;
	*sp = '\0';
	if (*id_s == '+' || *id_s == '-' || tg_parse_i64(id_s, 1, KEYS_MAX_ID, &id) != TG_OK)
		return TG_ERR_INVALID;
	const char *hex = sp + 1;
	if (strlen(hex) != 2 * KEYS_MASTER_LEN || f->present[id])
		return TG_ERR_INVALID;
	for (size_t i = 0; i < KEYS_MASTER_LEN; i++) {
		int hi = hexval(hex[2 * i]), lo = hexval(hex[2 * i + 1]);
		if (hi < 0 || lo < 0) {
			tg_wipe(f->master[id], KEYS_MASTER_LEN);
			return TG_ERR_INVALID;
		}
		f->master[id][i] = (uint8_t)(hi << 4 | lo);
	}
	f->present[id] = true;
	return TG_OK;
}

/* Parse the whole file text (NUL-terminated, modified in place). */
static int parse_keyfile(char *text, const char *path, struct keyfile *f)
{
	bool header = false;
	unsigned lineno = 0;
	char *p = text;
	while (*p) {
		char *nl = strchr(p, '\n');
		char *next = nl ? nl + 1 : p + strlen(p);
		if (nl)
			*nl = '\0';
		lineno++;
		if (*p == '\0' || *p == '#') {
			p = next;
			continue;
		}
		if (!header) {
			if (strcmp(p, KEYS_HEADER) != 0) {
				log_error("%s:%u: expected \"" KEYS_HEADER "\"", path, lineno);
				return TG_ERR_INVALID;
			}
			header = true;
		} else if (parse_key_line(p, f) != TG_OK) {
			/* never print the line: it holds key material */
			log_error("%s:%u: malformed or duplicate key line", path, lineno);
			return TG_ERR_INVALID;
		}
		p = next;
	}
	if (!header || !keyfile_highest(f)) {
		log_error("%s: no keys", path);
		return TG_ERR_INVALID;
	}
	return TG_OK;
}

static int read_keyfile(const char *path, struct keyfile **out)
{
	struct stat st;
	char *buf = NULL;
	size_t len = 0, cap = 0;
	struct keyfile *f = NULL;
	int r = TG_ERR_IO;
	*out = NULL;
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return TG_ERR_NOT_FOUND;
		if (errno == ELOOP) {
			log_error("%s: refusing a symbolic link as the key file", path);
			return TG_ERR_FORBIDDEN;
		}
		return TG_ERR_IO;
	}
	if (fstat(fd, &st) != 0)
		goto out;
	if (!S_ISREG(st.st_mode)) {
		log_error("%s: the key file is not a regular file", path);
		r = TG_ERR_FORBIDDEN;
		goto out;
	}
	if (st.st_mode & (S_IRWXG | S_IRWXO)) {
		log_error("%s: the key file is accessible to group or others (mode %03o); "
		          "run chmod 600 on it", path, (unsigned)(st.st_mode & 0777));
		r = TG_ERR_FORBIDDEN;
		goto out;
	}
	if (st.st_size > TG_MAX_KEYS_FILE) {
		r = TG_ERR_TOO_LARGE;
		goto out;
	}
	/* one spare byte beyond st_size (plus the NUL) detects a file that
	 * grew while we read it: refuse rather than chase it */
	cap = (size_t)st.st_size + 2;
	buf = xmalloc(cap);
	for (;;) {
		if (len > (size_t)st.st_size) {
			r = TG_ERR_IO;
			goto out;
		}
		ssize_t n = read(fd, buf + len, cap - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto out;
		if (n == 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	if (memchr(buf, '\0', len)) {
		r = TG_ERR_INVALID;
		goto out;
	}
	f = xcalloc(1, sizeof *f);
	r = parse_keyfile(buf, path, f);
	if (r)
		goto out;
	*out = f;
	f = NULL; /* transferred */
out:
	close(fd);
	tg_secret_free(buf, cap);
	if (f)
		keyfile_free(f);
	return r;
}

/* ---- writing ---- */

#define FILE_PREAMBLE \
	"# Tollgate master keys: keep secret (mode 0600), never in the database.\n" \
	"# One line per key generation; the highest id is current.\n" \
	"# Format: docs/internals/keys.md\n" KEYS_HEADER "\n"
#define KEY_LINE_MAX (4 + 3 + 1 + 2 * KEYS_MASTER_LEN + 1) /* "key 255 <hex>\n" */

/* The file text, in one allocation of the largest possible size: growing
 * a buffer by reallocation would leave copies of key material behind.
 * Free with tg_secret_free(text->data, text->cap). */
struct text {
	char *data;
	size_t len, cap;
};

static void format_keyfile(const struct keyfile *f, struct text *t)
{
	static const char hex[] = "0123456789abcdef";
	t->cap = sizeof FILE_PREAMBLE + (size_t)KEYS_MAX_ID * KEY_LINE_MAX;
	t->data = xmalloc(t->cap);
	t->len = sizeof FILE_PREAMBLE - 1;
	memcpy(t->data, FILE_PREAMBLE, t->len);
	for (int id = 1; id <= KEYS_MAX_ID; id++) {
		if (!f->present[id])
			continue;
		char *line = t->data + t->len;
		size_t pos = (size_t)snprintf(line, KEY_LINE_MAX, "key %d ", id);
		for (size_t i = 0; i < KEYS_MASTER_LEN; i++) {
			line[pos++] = hex[f->master[id][i] >> 4];
			line[pos++] = hex[f->master[id][i] & 15];
		}
		line[pos++] = '\n';
		t->len += pos;
	}
}

static int write_all(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return TG_ERR_IO;
		p += n;
		len -= (size_t)n;
	}
	return TG_OK;
}

/* fsync the directory holding path so a create or rename is durable. */
static void sync_dir(const char *path)
{
	char dir[TG_MAX_PATH + 1];
	if (tg_strcpy_checked(dir, sizeof dir, path) != TG_OK)
		return;
	char *slash = strrchr(dir, '/');
	if (!slash)
		tg_strlcpy(dir, ".", sizeof dir);
	else if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		(void)fsync(fd);
		close(fd);
	}
}

/* Create path (which must not exist) holding f. */
static int create_keyfile(const char *path, const struct keyfile *f)
{
	struct text b;
	int r;
	format_keyfile(f, &b);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		r = errno == EEXIST ? TG_ERR_EXISTS : TG_ERR_IO;
		goto out;
	}
	/* the umask can only remove bits; make the mode exact anyway */
	r = fchmod(fd, 0600) == 0 ? TG_OK : TG_ERR_IO;
	if (!r)
		r = write_all(fd, b.data, b.len);
	if (!r && fsync(fd) != 0)
		r = TG_ERR_IO;
	if (close(fd) != 0 && !r)
		r = TG_ERR_IO;
	if (r) {
		unlink(path);
		goto out;
	}
	sync_dir(path);
out:
	tg_secret_free(b.data, b.cap);
	return r;
}

/* Replace path atomically with f: temporary file in the same directory
 * (mkostemp: O_EXCL, mode 0600), fsync, rename, fsync the directory. */
static int replace_keyfile(const char *path, const struct keyfile *f)
{
	struct text b;
	char *tmp = NULL;
	int fd = -1, r = TG_OK;
	format_keyfile(f, &b);
	if (strlen(path) > TG_MAX_PATH - 16) {
		r = TG_ERR_TOO_LARGE;
		goto out;
	}
	tmp = xasprintf("%s.tmp.XXXXXX", path);
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		r = TG_ERR_IO;
		goto out;
	}
	r = fchmod(fd, 0600) == 0 ? TG_OK : TG_ERR_IO;
	if (!r)
		r = write_all(fd, b.data, b.len);
	if (!r && fsync(fd) != 0)
		r = TG_ERR_IO;
	if (close(fd) != 0 && !r)
		r = TG_ERR_IO;
	fd = -1;
	if (!r && rename(tmp, path) != 0)
		r = TG_ERR_IO;
	if (r) {
		unlink(tmp);
		goto out;
	}
	sync_dir(path);
out:
	if (fd >= 0)
		close(fd);
	free(tmp);
	tg_secret_free(b.data, b.cap);
	return r;
}

/* ---- derivation and operations ---- */

/* Subkeys are HMAC-SHA256(master, label): the master is 32 uniformly
 * random bytes, so HMAC as a PRF is a sound KDF (HKDF-Expand, one block). */
static int derive(const uint8_t master[KEYS_MASTER_LEN], struct keys_gen *g)
{
	uint8_t mac[HMAC_MAX_LEN];
	int r = hmac_compute(HMAC_ALG_SHA256, master, KEYS_MASTER_LEN,
	                     LABEL_SEAL, strlen(LABEL_SEAL), mac, NULL);
	if (!r)
		memcpy(g->seal, mac, sizeof g->seal);
	if (!r)
		r = hmac_compute(HMAC_ALG_SHA256, master, KEYS_MASTER_LEN,
		                 LABEL_PEPPER, strlen(LABEL_PEPPER), mac, NULL);
	if (!r)
		memcpy(g->pepper, mac, sizeof g->pepper);
	tg_wipe(mac, sizeof mac);
	return r;
}

static int keys_from_file(const struct keyfile *f, struct keys **out)
{
	struct keys *k = xcalloc(1, sizeof *k);
	*out = NULL;
	for (int id = 1; id <= KEYS_MAX_ID; id++) {
		if (!f->present[id])
			continue;
		int r = derive(f->master[id], &k->gen[id]);
		if (r) {
			keys_free(k);
			return r;
		}
		k->present[id] = true;
	}
	k->current = keyfile_highest(f);
	*out = k;
	return TG_OK;
}

int keys_generate_file(const char *path)
{
	struct keyfile *f = xcalloc(1, sizeof *f);
	int r = rng_bytes(f->master[1], KEYS_MASTER_LEN);
	if (!r) {
		f->present[1] = true;
		r = create_keyfile(path, f);
	} else {
		r = TG_ERR_CRYPTO;
	}
	keyfile_free(f);
	return r;
}

int keys_load(const char *path, struct keys **out)
{
	struct keyfile *f = NULL;
	*out = NULL;
	int r = read_keyfile(path, &f);
	if (r)
		return r;
	r = keys_from_file(f, out);
	keyfile_free(f);
	return r;
}

int keys_new_ephemeral(struct keys **out)
{
	struct keyfile *f = xcalloc(1, sizeof *f);
	*out = NULL;
	int r = rng_bytes(f->master[1], KEYS_MASTER_LEN);
	if (!r) {
		f->present[1] = true;
		r = keys_from_file(f, out);
	} else {
		r = TG_ERR_CRYPTO;
	}
	keyfile_free(f);
	return r;
}

void keys_free(struct keys *k)
{
	tg_secret_free(k, sizeof *k);
}

uint8_t keys_current_id(const struct keys *k)
{
	return k->current;
}

bool keys_has_id(const struct keys *k, uint8_t id)
{
	return k->present[id];
}

int keys_seal(const struct keys *k, const void *aad, size_t aad_len,
              const void *pt, size_t pt_len,
              uint8_t *out, size_t out_size, size_t *out_len)
{
	return aead_seal(k->gen[k->current].seal, k->current, aad, aad_len, pt, pt_len,
	                 out, out_size, out_len);
}

int keys_unseal(const struct keys *k, const void *aad, size_t aad_len,
                const uint8_t *in, size_t in_len,
                uint8_t *pt_out, size_t pt_size, size_t *pt_len_out)
{
	uint8_t id = 0;
	*pt_len_out = 0;
	if (aead_version(in, in_len, &id) != TG_OK || !k->present[id])
		return TG_ERR_CRYPTO;
	return aead_unseal(k->gen[id].seal, aad, aad_len, in, in_len, pt_out, pt_size, pt_len_out);
}

bool keys_sealed_is_current(const struct keys *k, const uint8_t *in, size_t in_len)
{
	uint8_t id = 0;
	return aead_version(in, in_len, &id) == TG_OK && id == k->current;
}

int keys_reseal(const struct keys *k, const void *aad, size_t aad_len,
                const uint8_t *in, size_t in_len,
                uint8_t *out, size_t out_size, size_t *out_len)
{
	uint8_t pt[TG_MAX_SEAL_PLAINTEXT];
	size_t pt_len = 0;
	*out_len = 0;
	int r = keys_unseal(k, aad, aad_len, in, in_len, pt, sizeof pt, &pt_len);
	if (!r)
		r = keys_seal(k, aad, aad_len, pt, pt_len, out, out_size, out_len);
	tg_wipe(pt, sizeof pt);
	return r;
}

int keys_pepper_digest(const struct keys *k, const char *context,
                       const void *msg, size_t msg_len, uint8_t out[KEYS_DIGEST_LEN])
{
	const struct keys_gen *g = &k->gen[k->current];
	int r = hmac_pepper_digest(g->pepper, sizeof g->pepper, context, msg, msg_len, out + 1);
	if (r) {
		tg_wipe(out, KEYS_DIGEST_LEN);
		return r;
	}
	out[0] = k->current;
	return TG_OK;
}

int keys_pepper_verify(const struct keys *k, const char *context,
                       const void *msg, size_t msg_len,
                       const uint8_t *digest, size_t digest_len)
{
	uint8_t mine[HMAC_SHA256_LEN];
	if (digest_len != KEYS_DIGEST_LEN || !k->present[digest[0]])
		return TG_ERR_CRYPTO;
	const struct keys_gen *g = &k->gen[digest[0]];
	int r = hmac_pepper_digest(g->pepper, sizeof g->pepper, context, msg, msg_len, mine);
	if (!r)
		r = ct_memeq(mine, digest + 1, sizeof mine) ? TG_OK : TG_ERR_DENIED;
	tg_wipe(mine, sizeof mine);
	return r;
}

int keys_rotate_file(const char *path, uint8_t *new_id_out)
{
	struct keyfile *f = NULL;
	int r = read_keyfile(path, &f);
	if (r)
		return r;
	uint8_t top = keyfile_highest(f);
	if (top == KEYS_MAX_ID) {
		r = TG_ERR_LIMIT;
		goto out;
	}
	uint8_t id = (uint8_t)(top + 1);
	if (rng_bytes(f->master[id], KEYS_MASTER_LEN) != TG_OK) {
		r = TG_ERR_CRYPTO;
		goto out;
	}
	f->present[id] = true;
	r = replace_keyfile(path, f);
	if (!r && new_id_out)
		*new_id_out = id;
out:
	keyfile_free(f);
	return r;
}

int keys_drop_file(const char *path, uint8_t id)
{
	struct keyfile *f = NULL;
	int r = read_keyfile(path, &f);
	if (r)
		return r;
	if (!f->present[id])
		r = TG_ERR_NOT_FOUND;
	else if (id == keyfile_highest(f))
		r = TG_ERR_CONFLICT;
	if (r)
		goto out;
	f->present[id] = false;
	tg_wipe(f->master[id], KEYS_MASTER_LEN);
	r = replace_keyfile(path, f);
out:
	keyfile_free(f);
	return r;
}
