/* SPDX-License-Identifier: MIT
 * SQLite backend, oidc domain (see store_oidc.h). */
#include "store/store_oidc.h"
#include "store/store_sqlite_int.h"

const struct store_oidc_ops store_sqlite_oidc_ops = {
	.version = STORE_OIDC_OPS_VERSION,
};
