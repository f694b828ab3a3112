/* SPDX-License-Identifier: MIT
 * Shared only between store.c and the backends. */
#ifndef TG_STORE_STORE_INT_H
#define TG_STORE_STORE_INT_H

int store_sqlite_latest_schema(void);

#endif
