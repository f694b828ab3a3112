/* SPDX-License-Identifier: MIT
 * SQLite backend, auth domain (see store_auth.h). */
#include "store/store_auth.h"
#include "store/store_sqlite_int.h"

const struct store_auth_ops store_sqlite_auth_ops = {
	.version = STORE_AUTH_OPS_VERSION,
};
