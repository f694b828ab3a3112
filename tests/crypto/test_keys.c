/* SPDX-License-Identifier: MIT
 * The master keyring: file creation (0600, O_EXCL), refusal of files open
 * to group/others, symlinks and malformed files, sealing, peppered
 * digests, a pinned derivation, and rotation (old values still open). */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include "harness.h"
#include "base/err.h"
#include "base/mem.h"
#include "crypto/hmac.h"
#include "crypto/keys.h"

static char dir[256];
static char path[300];
static int seq;

static void fresh_path(void)
{
	snprintf(path, sizeof path, "%s/master-%d.key", dir, ++seq);
}

static mode_t file_mode(const char *p)
{
	struct stat st;
	if (stat(p, &st) != 0)
		return (mode_t)-1;
	return st.st_mode & 07777;
}

static void write_text(const char *p, const char *text, mode_t mode)
{
	unlink(p);
	int fd = open(p, O_WRONLY | O_CREAT | O_EXCL, mode);
	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		abort();
	fchmod(fd, mode);
	close(fd);
}

static const char aad[] = "tenant-1|user-1|method-1";
static const char seed[] = "12345678901234567890";

static void generate_is_0600_and_exclusive(void)
{
	fresh_path();
	mode_t old = umask(0); /* even a permissive umask gives 0600 */
	CHECK_OK(keys_generate_file(path));
	umask(old);
	CHECK_INT(file_mode(path), 0600);
	struct stat before, after;
	REQUIRE(stat(path, &before) == 0);
	CHECK_INT(keys_generate_file(path), TG_ERR_EXISTS); /* never overwritten */
	REQUIRE(stat(path, &after) == 0);
	CHECK_INT(after.st_size, before.st_size);
	CHECK_INT(after.st_mtim.tv_nsec, before.st_mtim.tv_nsec);
	struct keys *k = NULL;
	CHECK_OK(keys_load(path, &k));
	REQUIRE(k != NULL);
	CHECK_INT(keys_current_id(k), 1);
	CHECK(keys_has_id(k, 1));
	CHECK(!keys_has_id(k, 2));
	keys_free(k);
	/* generating through a dangling symlink must not create its target */
	char link[320], target[320];
	snprintf(link, sizeof link, "%s/link.key", dir);
	snprintf(target, sizeof target, "%s/target.key", dir);
	unlink(target);
	REQUIRE(symlink(target, link) == 0);
	CHECK(keys_generate_file(link) != TG_OK);
	CHECK(access(target, F_OK) != 0);
	unlink(link);
}

static void refuses_group_or_world_access(void)
{
	static const mode_t bad[] = {0640, 0604, 0644, 0660, 0602, 0610, 0601};
	fresh_path();
	CHECK_OK(keys_generate_file(path));
	struct keys *k = (struct keys *)&k;
	for (size_t i = 0; i < TG_ARRAY_LEN(bad); i++) {
		REQUIRE(chmod(path, bad[i]) == 0);
		CHECK_INT(keys_load(path, &k), TG_ERR_FORBIDDEN);
		CHECK(k == NULL);
	}
	REQUIRE(chmod(path, 0400) == 0); /* read-only for the owner is fine */
	CHECK_OK(keys_load(path, &k));
	keys_free(k);
}

static void refuses_symlink_dir_and_missing(void)
{
	struct keys *k = NULL;
	fresh_path();
	CHECK_OK(keys_generate_file(path));
	char link[320];
	snprintf(link, sizeof link, "%s/symlink.key", dir);
	unlink(link);
	REQUIRE(symlink(path, link) == 0);
	CHECK_INT(keys_load(link, &k), TG_ERR_FORBIDDEN);
	unlink(link);
	char sub[320];
	snprintf(sub, sizeof sub, "%s/adir", dir);
	REQUIRE(mkdir(sub, 0700) == 0);
	CHECK_INT(keys_load(sub, &k), TG_ERR_FORBIDDEN);
	rmdir(sub);
	snprintf(sub, sizeof sub, "%s/absent.key", dir);
	CHECK_INT(keys_load(sub, &k), TG_ERR_NOT_FOUND);
	CHECK(k == NULL);
}

static void refuses_malformed_files(void)
{
	static const char *const bad[] = {
		"",
		"# only a comment\n",
		"tollgate-keys 1\n",                               /* no keys */
		"key 1 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n", /* no header */
		"tollgate-keys 2\nkey 1 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n",
		"tollgate-keys 1\nkey 1 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1\n",   /* short */
		"tollgate-keys 1\nkey 1 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f0\n", /* long */
		"tollgate-keys 1\nkey 1 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1g\n", /* not hex */
		"tollgate-keys 1\nkey 0 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n", /* id 0 */
		"tollgate-keys 1\nkey 256 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n",
		"tollgate-keys 1\nkey +1 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n",
		"tollgate-keys 1\nkey 1  000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n",
		"tollgate-keys 1\nkey 1 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\r\n",
		"tollgate-keys 1\nkey 1 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n"
		"key 1 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n", /* duplicate */
		"tollgate-keys 1\nkey 1 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\ngarbage\n",
	};
	struct keys *k = NULL;
	/* each refusal logs one line (file:line, never the key) to stderr */
	for (size_t i = 0; i < TG_ARRAY_LEN(bad); i++) {
		fresh_path();
		write_text(path, bad[i], 0600);
		int r = keys_load(path, &k);
		if (r != TG_ERR_INVALID)
			TG_T_FAIL("malformed file %zu: got %d", i, r);
		CHECK(k == NULL);
	}
	/* and the good form of the same, with comments and blank lines */
	fresh_path();
	write_text(path, "# comment\n\ntollgate-keys 1\n"
	                 "key 3 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n"
	                 "key 12 000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F", 0600);
	CHECK_OK(keys_load(path, &k));
	REQUIRE(k != NULL);
	CHECK_INT(keys_current_id(k), 12);
	CHECK(keys_has_id(k, 3));
	keys_free(k);
}

static void seal_unseal_across_loads(void)
{
	struct keys *k1 = NULL, *k2 = NULL;
	uint8_t sealed[KEYS_SEALED_LEN(20)], pt[64];
	size_t len = 0, pt_len = 0;
	fresh_path();
	CHECK_OK(keys_generate_file(path));
	CHECK_OK(keys_load(path, &k1));
	CHECK_OK(keys_load(path, &k2));
	REQUIRE(k1 && k2);
	CHECK_OK(keys_seal(k1, aad, strlen(aad), seed, 20, sealed, sizeof sealed, &len));
	CHECK_INT(sealed[0], 1);
	CHECK_OK(keys_unseal(k2, aad, strlen(aad), sealed, len, pt, sizeof pt, &pt_len));
	CHECK_INT(pt_len, 20);
	CHECK(memcmp(pt, seed, 20) == 0);
	const char *other = "tenant-1|user-2|method-1";
	CHECK_INT(keys_unseal(k2, other, strlen(other), sealed, len, pt, sizeof pt, &pt_len), TG_ERR_CRYPTO);
	sealed[0] = 9; /* a generation this keyring does not have */
	CHECK_INT(keys_unseal(k2, aad, strlen(aad), sealed, len, pt, sizeof pt, &pt_len), TG_ERR_CRYPTO);
	/* a different key file does not open it */
	struct keys *k3 = NULL;
	sealed[0] = 1;
	CHECK_OK(keys_new_ephemeral(&k3));
	CHECK_INT(keys_unseal(k3, aad, strlen(aad), sealed, len, pt, sizeof pt, &pt_len), TG_ERR_CRYPTO);
	keys_free(k1);
	keys_free(k2);
	keys_free(k3);
	keys_free(NULL);
}

static void derivation_is_pinned(void)
{
	/* master key 00..1f; digests stored in databases depend on this
	 * derivation, so it must never change silently */
	uint8_t master[32], pepper[HMAC_MAX_LEN], expect[HMAC_MAX_LEN], d[KEYS_DIGEST_LEN];
	for (int i = 0; i < 32; i++)
		master[i] = (uint8_t)i;
	fresh_path();
	write_text(path, "tollgate-keys 1\nkey 1 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n", 0600);
	struct keys *k = NULL;
	CHECK_OK(keys_load(path, &k));
	REQUIRE(k != NULL);
	CHECK_OK(keys_pepper_digest(k, "otp-code", "123456", 6, d));
	CHECK_OK(hmac_compute(HMAC_ALG_SHA256, master, 32, "tollgate/keys/pepper/v1", 23, pepper, NULL));
	CHECK_OK(hmac_compute(HMAC_ALG_SHA256, pepper, 32, "otp-code\0" "123456", 15, expect, NULL));
	CHECK_INT(d[0], 1);
	CHECK(memcmp(d + 1, expect, 32) == 0);
	/* and the sealing key is the "seal" subkey */
	uint8_t seal_key[HMAC_MAX_LEN], sealed[KEYS_SEALED_LEN(20)], pt[32];
	size_t len = 0, pt_len = 0;
	CHECK_OK(hmac_compute(HMAC_ALG_SHA256, master, 32, "tollgate/keys/seal/v1", 21, seal_key, NULL));
	CHECK_OK(keys_seal(k, aad, strlen(aad), seed, 20, sealed, sizeof sealed, &len));
	CHECK_OK(aead_unseal(seal_key, aad, strlen(aad), sealed, len, pt, sizeof pt, &pt_len));
	CHECK(memcmp(pt, seed, 20) == 0);
	keys_free(k);
}

static void pepper_verify(void)
{
	struct keys *k = NULL;
	uint8_t d[KEYS_DIGEST_LEN];
	CHECK_OK(keys_new_ephemeral(&k));
	REQUIRE(k != NULL);
	CHECK_OK(keys_pepper_digest(k, "recovery-code", "abcde12345", 10, d));
	CHECK_OK(keys_pepper_verify(k, "recovery-code", "abcde12345", 10, d, sizeof d));
	CHECK_INT(keys_pepper_verify(k, "recovery-code", "abcde12346", 10, d, sizeof d), TG_ERR_DENIED);
	CHECK_INT(keys_pepper_verify(k, "otp-code", "abcde12345", 10, d, sizeof d), TG_ERR_DENIED);
	CHECK_INT(keys_pepper_verify(k, "recovery-code", "abcde12345", 10, d, sizeof d - 1), TG_ERR_CRYPTO);
	d[0] = 77;
	CHECK_INT(keys_pepper_verify(k, "recovery-code", "abcde12345", 10, d, sizeof d), TG_ERR_CRYPTO);
	keys_free(k);
}

static void rotation_keeps_old_values_open(void)
{
	struct keys *before = NULL, *after = NULL;
	uint8_t old_sealed[KEYS_SEALED_LEN(20)], new_sealed[KEYS_SEALED_LEN(20)];
	uint8_t resealed[KEYS_SEALED_LEN(20)], pt[64];
	uint8_t old_digest[KEYS_DIGEST_LEN], new_digest[KEYS_DIGEST_LEN];
	size_t ol = 0, nl = 0, rl = 0, pt_len = 0;
	uint8_t id = 0;
	fresh_path();
	CHECK_OK(keys_generate_file(path));
	CHECK_OK(keys_load(path, &before));
	REQUIRE(before != NULL);
	CHECK_OK(keys_seal(before, aad, strlen(aad), seed, 20, old_sealed, sizeof old_sealed, &ol));
	CHECK_OK(keys_pepper_digest(before, "otp-code", "123456", 6, old_digest));

	CHECK_OK(keys_rotate_file(path, &id));
	CHECK_INT(id, 2);
	CHECK_INT(file_mode(path), 0600);
	CHECK_OK(keys_load(path, &after));
	REQUIRE(after != NULL);
	CHECK_INT(keys_current_id(after), 2);
	CHECK(keys_has_id(after, 1));

	/* old rows still open and old digests still verify */
	CHECK_OK(keys_unseal(after, aad, strlen(aad), old_sealed, ol, pt, sizeof pt, &pt_len));
	CHECK(pt_len == 20 && memcmp(pt, seed, 20) == 0);
	CHECK_OK(keys_pepper_verify(after, "otp-code", "123456", 6, old_digest, sizeof old_digest));
	/* new values use generation 2 */
	CHECK_OK(keys_seal(after, aad, strlen(aad), seed, 20, new_sealed, sizeof new_sealed, &nl));
	CHECK_INT(new_sealed[0], 2);
	CHECK_OK(keys_pepper_digest(after, "otp-code", "123456", 6, new_digest));
	CHECK_INT(new_digest[0], 2);
	CHECK(memcmp(new_digest + 1, old_digest + 1, 32) != 0);
	CHECK(!keys_sealed_is_current(after, old_sealed, ol));
	CHECK(keys_sealed_is_current(after, new_sealed, nl));
	CHECK(!keys_sealed_is_current(after, new_sealed, 3));
	/* a server that has not reloaded cannot open generation 2 yet */
	CHECK_INT(keys_unseal(before, aad, strlen(aad), new_sealed, nl, pt, sizeof pt, &pt_len), TG_ERR_CRYPTO);

	/* re-encryption moves a row to the current generation, same aad */
	CHECK_OK(keys_reseal(after, aad, strlen(aad), old_sealed, ol, resealed, sizeof resealed, &rl));
	CHECK_INT(resealed[0], 2);
	CHECK(keys_sealed_is_current(after, resealed, rl));
	CHECK_OK(keys_unseal(after, aad, strlen(aad), resealed, rl, pt, sizeof pt, &pt_len));
	CHECK(memcmp(pt, seed, 20) == 0);
	const char *other = "tenant-1|user-2|method-1";
	uint8_t refused[KEYS_SEALED_LEN(20)];
	size_t refused_len = 9;
	CHECK_INT(keys_reseal(after, other, strlen(other), old_sealed, ol, refused, sizeof refused, &refused_len), TG_ERR_CRYPTO);
	CHECK_INT(refused_len, 0);

	/* the current generation cannot be dropped; a retired one can */
	CHECK_INT(keys_drop_file(path, 2), TG_ERR_CONFLICT);
	CHECK_INT(keys_drop_file(path, 5), TG_ERR_NOT_FOUND);
	CHECK_OK(keys_drop_file(path, 1));
	CHECK_INT(file_mode(path), 0600);
	struct keys *dropped = NULL;
	CHECK_OK(keys_load(path, &dropped));
	REQUIRE(dropped != NULL);
	CHECK(!keys_has_id(dropped, 1));
	CHECK_INT(keys_unseal(dropped, aad, strlen(aad), old_sealed, ol, pt, sizeof pt, &pt_len), TG_ERR_CRYPTO);
	CHECK_OK(keys_unseal(dropped, aad, strlen(aad), resealed, rl, pt, sizeof pt, &pt_len));
	/* ids keep growing after a drop: never reused */
	CHECK_OK(keys_rotate_file(path, &id));
	CHECK_INT(id, 3);
	keys_free(before);
	keys_free(after);
	keys_free(dropped);
}

static void rotation_refuses_open_file(void)
{
	fresh_path();
	CHECK_OK(keys_generate_file(path));
	REQUIRE(chmod(path, 0644) == 0);
	CHECK_INT(keys_rotate_file(path, NULL), TG_ERR_FORBIDDEN);
	CHECK_INT(file_mode(path), 0644); /* untouched */
}

static void rotation_limit(void)
{
	fresh_path();
	write_text(path, "tollgate-keys 1\nkey 255 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n", 0600);
	CHECK_INT(keys_rotate_file(path, NULL), TG_ERR_LIMIT);
}

static void ephemeral_keyrings_differ(void)
{
	struct keys *a = NULL, *b = NULL;
	uint8_t da[KEYS_DIGEST_LEN], db[KEYS_DIGEST_LEN];
	CHECK_OK(keys_new_ephemeral(&a));
	CHECK_OK(keys_new_ephemeral(&b));
	REQUIRE(a && b);
	CHECK_OK(keys_pepper_digest(a, "c", "m", 1, da));
	CHECK_OK(keys_pepper_digest(b, "c", "m", 1, db));
	CHECK(memcmp(da, db, sizeof da) != 0);
	keys_free(a);
	keys_free(b);
}

static void rm_rf(void)
{
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
}

int main(void)
{
	const char *tmp = getenv("TMPDIR");
	snprintf(dir, sizeof dir, "%s/tg-keys-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	TEST(generate_is_0600_and_exclusive);
	TEST(refuses_group_or_world_access);
	TEST(refuses_symlink_dir_and_missing);
	TEST(refuses_malformed_files);
	TEST(seal_unseal_across_loads);
	TEST(derivation_is_pinned);
	TEST(pepper_verify);
	TEST(rotation_keeps_old_values_open);
	TEST(rotation_refuses_open_file);
	TEST(rotation_limit);
	TEST(ephemeral_keyrings_differ);
	rm_rf();
	return tg_test_done();
}
