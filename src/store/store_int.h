/* SPDX-License-Identifier: MIT
 * Shared only between store.c and the backends. */
#ifndef TG_STORE_STORE_INT_H
#define TG_STORE_STORE_INT_H

int store_sqlite_latest_schema(void);

/* Count a store call and fail it when fault injection says so (see
 * store_fault_inject). Every wrapper calls it first. */
int store_fault_point(void);

/* Wrapper bodies for the per-domain sub-tables:
 *   int store_x(struct store *s, …) { STORE_SUB_CALL(s, auth, x, …); } */
#define STORE_SUB_CALL(s, dom, op, ...) do { \
	if (!(s) || !(s)->ops->dom || !(s)->ops->dom->op) return TG_ERR_UNSUPPORTED; \
	int _f = store_fault_point(); if (_f) return _f; \
	return (s)->ops->dom->op((s), __VA_ARGS__); } while (0)

#endif
