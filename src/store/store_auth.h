/* SPDX-License-Identifier: MIT
 * Store interface, auth domain: authentication methods (OATH secrets sealed by svc), one-time codes, recovery codes, app passwords and lockout counters.
 * Same conventions as store.h (tg_err results, out-parameters written only
 * on success, list callbacks, one handle per thread). Callers use the
 * store_* wrappers declared here (store_auth.c), never the table directly. */
#ifndef TG_STORE_STORE_AUTH_H
#define TG_STORE_STORE_AUTH_H
#include "store/store.h"

#define STORE_AUTH_OPS_VERSION 1

struct store_auth_ops {
	int version;
	/* slots are appended here */
};

#endif
