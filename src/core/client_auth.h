/* SPDX-License-Identifier: MIT
 * OAuth 2.0 client authentication at the token, introspection and
 * revocation endpoints (RFC 6749 §2.3): which credentials a request carries
 * — HTTP Basic (client_secret_basic), form fields (client_secret_post) or
 * only a client_id (a public client) — parsed without judging them. The
 * secret is checked by the service layer (svc_client_authenticate) in
 * constant time against the stored digest. Pure. */
#ifndef TG_CORE_CLIENT_AUTH_H
#define TG_CORE_CLIENT_AUTH_H
#include <stddef.h>
#include "base/limits.h"

enum client_auth_method {
	CLIENT_AUTH_NONE = 0,       /* client_id only: a public client */
	CLIENT_AUTH_SECRET_BASIC,   /* Authorization: Basic (RFC 6749 §2.3.1) */
	CLIENT_AUTH_SECRET_POST,    /* client_id and client_secret form fields */
};

/* WARNING: holds a client secret; release with client_cred_wipe. */
struct client_cred {
	enum client_auth_method method;
	char client_id[TG_MAX_ID + 1];
	char secret[TG_MAX_BEARER_TOKEN + 1];   /* "" for CLIENT_AUTH_NONE */
	size_t secret_len;
};

/* Work out the client's credentials from a token request:
 *   authorization  the Authorization header value, or NULL when absent;
 *   form_id        the client_id form field, or NULL;
 *   form_secret    the client_secret form field, or NULL.
 * With "Basic …", the header's base64 text decodes to "id:secret", each
 * half form-urlencoded (RFC 6749 §2.3.1); a client_secret field too is
 * refused (one method per request, RFC 6749 §2.3), and a client_id field
 * must equal the header's. Without it, form_id is required; form_secret
 * makes it client_secret_post. TG_OK with *out filled; TG_ERR_INVALID
 * (malformed, missing, two methods, another scheme such as Bearer) or
 * TG_ERR_TOO_LARGE (an id over TG_MAX_ID, a secret over
 * TG_MAX_BEARER_TOKEN) with *out wiped. */
int client_cred_parse(const char *authorization, const char *form_id, const char *form_secret,
                      struct client_cred *out) __attribute__((warn_unused_result));

/* Wipe the whole struct (the secret with it). Accepts NULL. */
void client_cred_wipe(struct client_cred *c);

#endif
