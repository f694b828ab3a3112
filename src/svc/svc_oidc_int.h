/* SPDX-License-Identifier: MIT
 * Helpers shared by the OpenID Connect service files only (svc_oidc.c,
 * svc_app.c, svc_session.c, svc_token.c): bearer-secret making and
 * digesting, and the transaction ending. */
#ifndef TG_SVC_SVC_OIDC_INT_H
#define TG_SVC_SVC_OIDC_INT_H
#include <stdbool.h>
#include "svc/svc_oidc.h"

/* A new bearer secret: SVC_TOKEN_BYTES from rng_bytes as base64url into
 * text, and into *d the keyed digest under ctx of (bind || 0 || text), or
 * of text alone when bind is NULL. TG_OK or TG_ERR_CRYPTO (sv->err set);
 * text and *d are wiped on failure. */
int svc_oidc_token_new(struct svc_oidc *o, const char *ctx, const char *bind,
                       char text[SVC_TOKEN_SIZE], struct store_digest *d);
/* Digest a presented secret as svc_oidc_token_new does. TG_ERR_DENIED for
 * anything that is not SVC_TOKEN_LEN base64url characters (no digest is
 * made); TG_ERR_CRYPTO. */
int svc_oidc_token_digest(struct svc_oidc *o, const char *ctx, const char *bind,
                          const char *text, struct store_digest *d);
/* Check text against a stored digest (any key generation) in constant
 * time: TG_OK or TG_ERR_DENIED. */
int svc_oidc_token_verify(struct svc_oidc *o, const char *ctx, const char *bind,
                          const char *text, const struct store_digest *d);
/* true for exactly SVC_TOKEN_LEN base64url characters. */
bool svc_oidc_is_token_text(const char *text);

/* End the transaction opened by the caller: commit when r is TG_OK,
 * otherwise (or when the commit fails) roll back; a store failure without
 * a reason yet gets "<what>: …" in sv->err. Returns the final code. */
int svc_oidc_end_tx(struct svc *sv, int r, const char *what);

/* A flow state: "" or a JSON object of at most TG_MAX_SESSION_FLOW bytes. */
int svc_oidc_check_flow(struct svc *sv, const char *flow);
/* An amr/acr/scope-like value: at most max bytes of printable ASCII. */
int svc_oidc_check_ascii(struct svc *sv, const char *field, const char *v, size_t max);

#endif
