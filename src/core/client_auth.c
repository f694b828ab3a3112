/* SPDX-License-Identifier: MIT
 * Client credentials of a token request (see client_auth.h). */
#include <stdint.h>
#include <string.h>
#include <strings.h>
#include "base/b64.h"
#include "base/err.h"
#include "base/mem.h"
#include "core/client_auth.h"
#include "core/form.h"

/* Longest base64 text accepted after "Basic ": an id and a secret, each
 * fully percent-encoded, and the colon. */
#define BASIC_MAX_B64 B64_ENCODED_LEN(3 * (TG_MAX_ID + TG_MAX_BEARER_TOKEN) + 1)

void client_cred_wipe(struct client_cred *c)
{
	if (c)
		tg_wipe(c, sizeof *c);
}

static int parse_basic(const char *b64, struct client_cred *out)
{
	size_t tl = strlen(b64);
	if (tl == 0)
		return TG_ERR_INVALID;
	if (tl > BASIC_MAX_B64)
		return TG_ERR_TOO_LARGE;
	uint8_t buf[B64_DECODED_MAX(BASIC_MAX_B64) + 1];
	size_t n = 0;
	int r = b64_decode(b64, tl, buf, sizeof buf - 1, &n);
	if (r)
		goto out;
	uint8_t *colon = memchr(buf, ':', n);
	if (!colon) {
		r = TG_ERR_INVALID;
		goto out;
	}
	size_t idl = (size_t)(colon - buf), id_len;
	if ((r = form_decode((const char *)buf, idl, out->client_id, sizeof out->client_id, &id_len)))
		goto out;
	r = form_decode((const char *)colon + 1, n - idl - 1, out->secret, sizeof out->secret,
	                &out->secret_len);
	if (!r && (id_len == 0 || out->secret_len == 0))
		r = TG_ERR_INVALID;
	if (!r)
		out->method = CLIENT_AUTH_SECRET_BASIC;
out:
	tg_wipe(buf, sizeof buf);
	return r;
}

int client_cred_parse(const char *authorization, const char *form_id, const char *form_secret,
                      struct client_cred *out)
{
	int r;
	memset(out, 0, sizeof *out);
	if (authorization) {
		const char *a = authorization;
		if (strncasecmp(a, "Basic", 5) != 0 || (a[5] != ' ' && a[5] != '\t')) {
			r = TG_ERR_INVALID;
			goto out;
		}
		a += 5;
		while (*a == ' ' || *a == '\t')
			a++;
		if (form_secret) {
			r = TG_ERR_INVALID; /* two authentication methods */
			goto out;
		}
		if ((r = parse_basic(a, out)))
			goto out;
		if (form_id && strcmp(form_id, out->client_id) != 0)
			r = TG_ERR_INVALID;
		goto out;
	}
	if (!form_id || !*form_id) {
		r = TG_ERR_INVALID;
		goto out;
	}
	if (strlen(form_id) > TG_MAX_ID) {
		r = TG_ERR_TOO_LARGE;
		goto out;
	}
	memcpy(out->client_id, form_id, strlen(form_id) + 1);
	if (!form_secret) {
		out->method = CLIENT_AUTH_NONE;
		r = TG_OK;
		goto out;
	}
	size_t sl = strlen(form_secret);
	if (sl == 0) {
		r = TG_ERR_INVALID;
		goto out;
	}
	if (sl > TG_MAX_BEARER_TOKEN) {
		r = TG_ERR_TOO_LARGE;
		goto out;
	}
	memcpy(out->secret, form_secret, sl + 1);
	out->secret_len = sl;
	out->method = CLIENT_AUTH_SECRET_POST;
	r = TG_OK;
out:
	if (r)
		client_cred_wipe(out);
	return r;
}
