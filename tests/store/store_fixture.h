/* SPDX-License-Identifier: MIT
 * Shared set-up of the store unit tests: an SQLite database in memory,
 * and tenants and users made from the few fields the tests care about.
 * The insert helpers return the store's result (TG_OK on success). */
#ifndef TG_TEST_STORE_FIXTURE_H
#define TG_TEST_STORE_FIXTURE_H

#include <stdbool.h>
#include <string.h>
#include "base/err.h"
#include "base/str.h"
#include "store/store.h"

/* A new empty SQLite store in memory, or NULL. */
static inline struct store *fixture_open(void)
{
	struct store_open_opts o = {.dsn = ":memory:", .create = true};
	struct store *s = NULL;
	return store_open("sqlite", &o, &s) == TG_OK ? s : NULL;
}

/* A tenant; domain may be NULL (none). */
static inline int fixture_tenant(struct store *s, const char *id, const char *name, const char *domain)
{
	struct tg_tenant t;
	memset(&t, 0, sizeof t);
	tg_strlcpy(t.id, id, sizeof t.id);
	tg_strlcpy(t.name, name, sizeof t.name);
	if (domain)
		tg_strlcpy(t.domain, domain, sizeof t.domain);
	return store_tenant_insert(s, &t);
}

/* A user without a password, per-user MFA disabled. */
static inline int fixture_user(struct store *s, const char *id, const char *tenant_id, const char *upn,
                               bool enabled)
{
	struct tg_user u;
	memset(&u, 0, sizeof u);
	tg_strlcpy(u.id, id, sizeof u.id);
	tg_strlcpy(u.tenant_id, tenant_id, sizeof u.tenant_id);
	tg_strlcpy(u.upn, upn, sizeof u.upn);
	u.enabled = enabled;
	return store_user_insert(s, &u);
}

/* Closes s and answers NULL: `return fixture_fail(s);` in a set-up. */
static inline struct store *fixture_fail(struct store *s)
{
	store_close(s);
	return NULL;
}

#endif
