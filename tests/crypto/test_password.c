/* SPDX-License-Identifier: MIT
 * Argon2id password hashing: encoded format, verify, wrong password,
 * malformed hashes refused, rehash detection, dummy verification. */
#include "harness.h"
#include "base/err.h"
#include "crypto/password.h"

static const struct pw_params fast = {64, 1, 1};

static void hash_and_verify(void)
{
	char h[TG_MAX_PWHASH + 1], h2[TG_MAX_PWHASH + 1];
	CHECK_OK(password_hash(&fast, "l\xc3\xb6senord123", 12, h));
	CHECK(strncmp(h, "$argon2id$v=19$m=64,t=1,p=1$", 28) == 0);
	CHECK(password_is_encoded_hash(h));
	CHECK_OK(password_verify(h, "l\xc3\xb6senord123", 12));
	CHECK_INT(password_verify(h, "l\xc3\xb6senord124", 12), TG_ERR_DENIED);
	CHECK_INT(password_verify(h, "", 0), TG_ERR_DENIED);
	/* fresh salt each time */
	CHECK_OK(password_hash(&fast, "l\xc3\xb6senord123", 12, h2));
	CHECK(strcmp(h, h2) != 0);
}

static void default_params_are_owasp(void)
{
	struct pw_params p;
	pw_params_default(&p);
	CHECK(p.m_kib >= 19456);
	CHECK(p.t_cost >= 2);
	CHECK_INT(p.parallelism, 1);
	CHECK_OK(pw_params_check(&p));
	struct pw_params bad = {4, 1, 1};
	char h[TG_MAX_PWHASH + 1];
	CHECK_INT(password_hash(&bad, "password1", 9, h), TG_ERR_INVALID);
}

static void malformed_hashes_refused(void)
{
	const char *bad[] = {"", "plaintext", "$argon2i$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaA",
	                     "$argon2id$v=16$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaA",
	                     "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ",
	                     "$2b$12$abcdefghijklmnopqrstuv"};
	for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		CHECK(!password_is_encoded_hash(bad[i]));
		CHECK_INT(password_verify(bad[i], "password", 8), TG_ERR_INVALID);
	}
}

static void rehash_when_weaker(void)
{
	char h[TG_MAX_PWHASH + 1];
	CHECK_OK(password_hash(&fast, "password1", 9, h));
	CHECK(!password_needs_rehash(h, &fast));
	struct pw_params more_mem = {128, 1, 1}, more_t = {64, 2, 1}, less = {32, 1, 1};
	CHECK(password_needs_rehash(h, &more_mem));
	CHECK(password_needs_rehash(h, &more_t));
	CHECK(!password_needs_rehash(h, &less));
	CHECK(password_needs_rehash("garbage", &fast));
}

static void dummy_always_denies(void)
{
	CHECK_INT(password_verify_dummy(&fast, "tollgate-dummy-password", 23), TG_ERR_DENIED);
	CHECK_INT(password_verify_dummy(&fast, "anything", 8), TG_ERR_DENIED);
}

int main(void)
{
	TEST(hash_and_verify);
	TEST(default_params_are_owasp);
	TEST(malformed_hashes_refused);
	TEST(rehash_when_weaker);
	TEST(dummy_always_denies);
	return tg_test_done();
}
