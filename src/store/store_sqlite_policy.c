/* SPDX-License-Identifier: MIT
 * SQLite backend, policy domain (see store_policy.h). */
#include "store/store_policy.h"
#include "store/store_sqlite_int.h"

const struct store_policy_ops store_sqlite_policy_ops = {
	.version = STORE_POLICY_OPS_VERSION,
};
