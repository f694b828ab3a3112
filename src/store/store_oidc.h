/* SPDX-License-Identifier: MIT
 * Store interface, oidc domain: registered applications (OpenID Connect
 * clients), browser sessions, remembered-device tokens, authorization codes
 * and refresh-token families. Bearer secrets (session ids, device tokens,
 * codes, refresh tokens, client secrets) are stored only as digests made by
 * the service layer. Same conventions as store.h. */
#ifndef TG_STORE_STORE_OIDC_H
#define TG_STORE_STORE_OIDC_H
#include "store/store.h"

#define STORE_OIDC_OPS_VERSION 1

struct store_oidc_ops {
	int version;
	/* slots are appended here */
};

#endif
