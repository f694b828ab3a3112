/* SPDX-License-Identifier: MIT
 * Private to the SQLite backend's files (store_sqlite.c and the per-domain
 * store_sqlite_<domain>.c): the handle and statement helpers. Statements are
 * cached by the ADDRESS of their static SQL string, so always pass a
 * `static const char sql[]`, never a computed string. */
#ifndef TG_STORE_SQLITE_INT_H
#define TG_STORE_SQLITE_INT_H
#include <sqlite3.h>
#include <stddef.h>
#include "store/store.h"

#define STMT_CACHE 256

struct sqlite_store {
	struct store base;         /* must be first */
	sqlite3 *db;
	struct {
		const char *sql;       /* static string: cached by address */
		sqlite3_stmt *st;
	} cache[STMT_CACHE];
};

static inline struct sqlite_store *sqlite_of(struct store *s) { return (struct sqlite_store *)s; }

/* sqlite result code -> enum tg_err (unique -> EXISTS, FK -> NOT_FOUND,
 * CHECK -> INVALID, busy -> BUSY, other -> STORE and logged). */
int map_rc(sqlite3 *db, int rc, const char *what);
/* Prepared statement for a static SQL string, cached per handle. */
int prep(struct sqlite_store *s, const char *sql, sqlite3_stmt **out);
/* Reset and clear bindings (call after every use of a prep()ed statement). */
void done(sqlite3_stmt *st);
int bind_text(sqlite3_stmt *st, int i, const char *v);     /* NULL binds "" */
void col_text(sqlite3_stmt *st, int i, char *dst, size_t size);
/* Step a statement that returns no rows, then done(); mapped result. */
int step_done(struct sqlite_store *s, sqlite3_stmt *st, const char *what);
/* Step a one-row SELECT: TG_OK with the row current (the caller reads it,
 * then calls done()), TG_ERR_NOT_FOUND, or a mapped error; done() is called
 * here unless TG_OK. */
int step_row(struct sqlite_store *s, sqlite3_stmt *st, const char *what);
/* Run SQL text without parameters (pragmas, transactions). */
int exec_sql(struct sqlite_store *s, const char *sql, const char *what);

/* The per-domain tables of this backend. */
extern const struct store_auth_ops store_sqlite_auth_ops;
extern const struct store_policy_ops store_sqlite_policy_ops;
extern const struct store_oidc_ops store_sqlite_oidc_ops;
extern const struct store_notify_ops store_sqlite_notify_ops;

#endif
