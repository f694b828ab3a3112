/* SPDX-License-Identifier: MIT
 * Store interface, policy domain: MFA service settings, security defaults, Conditional Access policies, named locations and sign-in log records.
 * Same conventions as store.h (tg_err results, out-parameters written only
 * on success, list callbacks, one handle per thread). Callers use the
 * store_* wrappers declared here (store_policy.c), never the table directly. */
#ifndef TG_STORE_STORE_POLICY_H
#define TG_STORE_STORE_POLICY_H
#include "store/store.h"

#define STORE_POLICY_OPS_VERSION 1

struct store_policy_ops {
	int version;
	/* slots are appended here */
};

#endif
