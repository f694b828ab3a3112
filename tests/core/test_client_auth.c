/* SPDX-License-Identifier: MIT
 * Client credentials of a token request (core/client_auth.c): HTTP Basic
 * with form-urlencoded halves (RFC 6749 §2.3.1), client_secret_post, a
 * public client's bare client_id, and the refusals — two methods at once,
 * another scheme, malformed base64, oversized values. */
#include "harness.h"
#include "base/b64.h"
#include "base/err.h"
#include "core/client_auth.h"

#define ID "0c523b87-3e9b-493d-a43e-8162ec30a4ec"

static void basic_header(const char *userpass, char *out, size_t size)
{
	char b64[512];
	b64_encode((const uint8_t *)userpass, strlen(userpass), b64, sizeof b64, NULL);
	snprintf(out, size, "Basic %s", b64);
}

static void basic(void)
{
	struct client_cred c;
	char h[600];
	basic_header(ID ":s3cr3t-Value_x", h, sizeof h);
	CHECK_OK(client_cred_parse(h, NULL, NULL, &c));
	CHECK_INT(c.method, CLIENT_AUTH_SECRET_BASIC);
	CHECK_STR(c.client_id, ID);
	CHECK_STR(c.secret, "s3cr3t-Value_x");
	CHECK_INT(c.secret_len, 14);
	client_cred_wipe(&c);
	CHECK_INT(c.secret[0], 0);
	/* scheme is case-insensitive; the same client_id in the form is fine */
	h[0] = 'b';
	CHECK_OK(client_cred_parse(h, ID, NULL, &c));
	/* form-urlencoded halves: '+' is a space, %XX a byte, ':' inside escaped */
	basic_header("my%3Aclient:a+b%2Fc", h, sizeof h);
	CHECK_OK(client_cred_parse(h, NULL, NULL, &c));
	CHECK_STR(c.client_id, "my:client");
	CHECK_STR(c.secret, "a b/c");
	/* the secret may contain ':' (only the first one splits) */
	basic_header(ID ":a:b", h, sizeof h);
	CHECK_OK(client_cred_parse(h, NULL, NULL, &c));
	CHECK_STR(c.secret, "a:b");
}

static void post_and_public(void)
{
	struct client_cred c;
	CHECK_OK(client_cred_parse(NULL, ID, "secret", &c));
	CHECK_INT(c.method, CLIENT_AUTH_SECRET_POST);
	CHECK_STR(c.client_id, ID);
	CHECK_STR(c.secret, "secret");
	CHECK_OK(client_cred_parse(NULL, ID, NULL, &c));
	CHECK_INT(c.method, CLIENT_AUTH_NONE);
	CHECK_STR(c.secret, "");
}

static void refused(void)
{
	struct client_cred c;
	char h[600];
	basic_header(ID ":secret", h, sizeof h);
	/* two methods in one request (RFC 6749 §2.3) */
	CHECK_INT(client_cred_parse(h, NULL, "secret", &c), TG_ERR_INVALID);
	CHECK_INT(c.secret[0], 0);
	/* form client_id differs from the header's */
	CHECK_INT(client_cred_parse(h, "other", NULL, &c), TG_ERR_INVALID);
	/* nothing identifies the client */
	CHECK_INT(client_cred_parse(NULL, NULL, NULL, &c), TG_ERR_INVALID);
	CHECK_INT(client_cred_parse(NULL, "", NULL, &c), TG_ERR_INVALID);
	CHECK_INT(client_cred_parse(NULL, ID, "", &c), TG_ERR_INVALID);
	static const char *bad[] = {
		"Bearer abc", "Basic", "Basic ", "Basicx", "Digest username=x",
		"Basic !!!!", "Basic YWJj",              /* "abc": no colon */
		"Basic OnNlY3JldA==",                     /* ":secret": empty id */
		"Basic aWQ6",                             /* "id:": empty secret */
		"Basic aWQ6YSUy",                         /* "id:a%2": bad escape */
		"Basic aWQ6YQFi",                         /* control character */
		"Basic aWQ6c2VjcmV0eA",                   /* unpadded: strict decoder refuses */
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (client_cred_parse(bad[i], NULL, NULL, &c) != TG_ERR_INVALID)
			TG_T_FAIL("accepted \"%s\"", bad[i]);
}

static void too_large(void)
{
	struct client_cred c;
	char big[TG_MAX_BEARER_TOKEN + 2];
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	CHECK_INT(client_cred_parse(NULL, ID, big, &c), TG_ERR_TOO_LARGE);
	big[TG_MAX_BEARER_TOKEN] = '\0';
	CHECK_OK(client_cred_parse(NULL, ID, big, &c));
	char longid[TG_MAX_ID + 2];
	memset(longid, 'b', sizeof longid - 1);
	longid[sizeof longid - 1] = '\0';
	CHECK_INT(client_cred_parse(NULL, longid, NULL, &c), TG_ERR_TOO_LARGE);
	/* a huge Basic value is refused before decoding */
	static char hdr[8192];
	memcpy(hdr, "Basic ", 6);
	memset(hdr + 6, 'A', sizeof hdr - 7);
	hdr[sizeof hdr - 1] = '\0';
	CHECK_INT(client_cred_parse(hdr, NULL, NULL, &c), TG_ERR_TOO_LARGE);
	char userpass[TG_MAX_BEARER_TOKEN + 64], h[600];
	snprintf(userpass, sizeof userpass, "%s:%s", ID, big);
	size_t n = strlen(userpass);
	userpass[n] = 'z';          /* one character over the secret limit */
	userpass[n + 1] = '\0';
	basic_header(userpass, h, sizeof h);
	CHECK_INT(client_cred_parse(h, NULL, NULL, &c), TG_ERR_TOO_LARGE);
}

int main(void)
{
	TEST(basic);
	TEST(post_and_public);
	TEST(refused);
	TEST(too_large);
	return tg_test_done();
}
