/* SPDX-License-Identifier: MIT
 * Storage interface. Callers use the store_* functions below; each backend
 * (SQLite now, PostgreSQL later) fills a `struct store_ops`. Backends only
 * store and fetch: hashing, encryption and policy stay in core/crypto/svc so
 * every database follows the same rules.
 *
 * Conventions
 * - Return enum tg_err: TG_OK, TG_ERR_NOT_FOUND, TG_ERR_EXISTS (uniqueness),
 *   TG_ERR_BUSY, TG_ERR_SCHEMA_NEWER, or TG_ERR_STORE for database failures.
 * - Out-parameters are written only on success.
 * - List functions call `cb` per row; a non-zero return from cb stops the
 *   walk and is returned by the list function.
 * - A handle is used by one thread at a time; open one per thread.
 * - Writes are durable once the call (or store_tx_commit) returns.
 * - Transactions: store_tx_begin/commit/rollback; nesting is not supported.
 */
#ifndef TG_STORE_STORE_H
#define TG_STORE_STORE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/model.h"

struct store;

#define STORE_OPS_VERSION 1

enum store_cap {
	STORE_CAP_TX = 1 << 0,          /* transactions */
	STORE_CAP_SHARED = 1 << 1,      /* several servers may share the database */
};

struct store_open_opts {
	const char *dsn;          /* SQLite: file path or ":memory:" */
	int max_schema;           /* 0 = latest; tests pin an older schema */
	bool create;              /* create the database if absent */
};

struct user_query {
	const char *tenant_id;       /* required */
	const char *after_upn;       /* paging cursor: rows with upn > this */
	const char *upn_prefix;      /* startswith filter (lowercase) */
	const char *upn_eq;
	const char *name_prefix;     /* displayName startswith (case-insensitive) */
	const char *name_eq;
	int state;                   /* -1 = any, else enum mfa_state */
	int limit;                   /* 0 = no limit */
};

struct audit_query {
	const char *tenant_id;       /* NULL = all; a tenant's list also holds the
	                                installation-wide records (tenant ""),
	                                such as master key rotation */
	int64_t since, until;        /* 0 = open */
	const char *action_prefix;
	const char *target;
	const char *actor;           /* exact: "user:<upn>", "app:<client id>",
	                                "cli:root"; at most TG_MAX_AUDIT_ACTOR */
	int64_t before_seq;          /* paging: seq < this (0 = newest) */
	int limit;
};

typedef int (*store_tenant_cb)(const struct tg_tenant *t, void *arg);
typedef int (*store_user_cb)(const struct tg_user *u, void *arg);
typedef int (*store_group_cb)(const struct tg_group *g, void *arg);
typedef int (*store_id_cb)(const char *id, void *arg);
typedef int (*store_member_cb)(enum tg_member_kind kind, const char *id, void *arg);
typedef int (*store_audit_cb)(const struct tg_audit *a, void *arg);

struct store_auth_ops;    /* store_auth.h: methods, codes, app passwords, lockouts */
struct store_policy_ops;  /* store_policy.h: settings, CA policies, locations, sign-ins */
struct store_oidc_ops;    /* store_oidc.h: apps, sessions, devices, codes, refresh tokens */
struct store_notify_ops;  /* store_notify.h: notices emailed to users */

struct store_ops {
	const char *name;
	int version;              /* STORE_OPS_VERSION it was written for */
	unsigned caps;

	int (*open)(const struct store_open_opts *o, struct store **out);
	void (*close)(struct store *s);
	int (*schema_version)(struct store *s, int *out);
	int (*ping)(struct store *s);
	int (*tx_begin)(struct store *s);
	int (*tx_commit)(struct store *s);
	int (*tx_rollback)(struct store *s);

	int (*tenant_insert)(struct store *s, const struct tg_tenant *t);
	int (*tenant_get)(struct store *s, const char *id_or_name, struct tg_tenant *out);
	int (*tenant_list)(struct store *s, store_tenant_cb cb, void *arg);

	int (*user_insert)(struct store *s, const struct tg_user *u);
	int (*user_update)(struct store *s, const struct tg_user *u);
	int (*user_delete)(struct store *s, const char *id);
	int (*user_get)(struct store *s, const char *id, struct tg_user *out);
	int (*user_get_by_upn)(struct store *s, const char *upn, struct tg_user *out);
	int (*user_list)(struct store *s, const struct user_query *q, store_user_cb cb, void *arg);
	int (*user_count)(struct store *s, const char *tenant_id, int64_t *out);
	int (*user_set_mfa_state)(struct store *s, const char *id, enum mfa_state st, int64_t modified);
	int (*user_method_count)(struct store *s, const char *user_id, int64_t *out);

	int (*group_insert)(struct store *s, const struct tg_group *g);
	int (*group_delete)(struct store *s, const char *id);
	int (*group_get)(struct store *s, const char *tenant_id, const char *id_or_name,
	                 struct tg_group *out);
	int (*group_list)(struct store *s, const char *tenant_id, store_group_cb cb, void *arg);
	int (*group_member_add)(struct store *s, const char *group_id, enum tg_member_kind k,
	                        const char *member_id);
	int (*group_member_remove)(struct store *s, const char *group_id, enum tg_member_kind k,
	                           const char *member_id);
	int (*group_members)(struct store *s, const char *group_id, bool transitive,
	                     store_member_cb cb, void *arg);
	/* groups containing the member, directly or transitively */
	int (*member_groups)(struct store *s, enum tg_member_kind k, const char *member_id,
	                     bool transitive, store_id_cb cb, void *arg);

	int (*role_assign)(struct store *s, const char *tenant_id, const char *user_id,
	                   const char *role_id);
	int (*role_remove)(struct store *s, const char *user_id, const char *role_id);
	int (*user_roles)(struct store *s, const char *user_id, store_id_cb cb, void *arg);
	int (*role_members)(struct store *s, const char *tenant_id, const char *role_id,
	                    store_id_cb cb, void *arg);

	int (*audit_append)(struct store *s, struct tg_audit *a); /* sets a->seq */
	int (*audit_list)(struct store *s, const struct audit_query *q, store_audit_cb cb,
	                  void *arg);

	/* per-tenant settings as text key/value (service settings, security
	 * defaults…); value NULL-terminated, caller frees *out */
	int (*setting_get)(struct store *s, const char *tenant_id, const char *key, char **out);
	int (*setting_set)(struct store *s, const char *tenant_id, const char *key,
	                   const char *value);

	/* Per-domain sub-tables, each with its own header, wrappers and SQLite
	 * file (store_<domain>.h, store_<domain>.c, store_sqlite_<domain>.c), so
	 * the interface grows by domain without one giant table. */
	const struct store_auth_ops *auth;
	const struct store_policy_ops *policy;
	const struct store_oidc_ops *oidc;
	const struct store_notify_ops *notify;

	/* Appended slots (a backend may leave them NULL: TG_ERR_UNSUPPORTED). */
	/* rename / re-describe a group: name and description of g->id in
	 * g->tenant_id; TG_ERR_EXISTS for a name taken, TG_ERR_NOT_FOUND */
	int (*group_update)(struct store *s, const struct tg_group *g);
};

/* Backends compiled in. */
extern const struct store_ops store_sqlite_ops;

/* Every handle starts with this header (backend structs embed it first). */
struct store {
	const struct store_ops *ops;
	bool in_tx;
};

/* Find a backend by name ("sqlite"); NULL if not compiled in. */
const struct store_ops *store_backend(const char *name);

/* Open with the named backend. On failure *out is untouched. */
int store_open(const char *backend, const struct store_open_opts *o, struct store **out);
void store_close(struct store *s);   /* accepts NULL */
/* The newest schema version this binary knows for the backend. */
int store_latest_schema(const char *backend);

int store_schema_version(struct store *s, int *out);
int store_ping(struct store *s);
int store_tx_begin(struct store *s);
int store_tx_commit(struct store *s);
int store_tx_rollback(struct store *s); /* safe to call when no tx is open */

int store_tenant_insert(struct store *s, const struct tg_tenant *t);
int store_tenant_get(struct store *s, const char *id_or_name, struct tg_tenant *out);
int store_tenant_list(struct store *s, store_tenant_cb cb, void *arg);

int store_user_insert(struct store *s, const struct tg_user *u);
int store_user_update(struct store *s, const struct tg_user *u);
int store_user_delete(struct store *s, const char *id);
int store_user_get(struct store *s, const char *id, struct tg_user *out);
int store_user_get_by_upn(struct store *s, const char *upn, struct tg_user *out);
int store_user_list(struct store *s, const struct user_query *q, store_user_cb cb, void *arg);
int store_user_count(struct store *s, const char *tenant_id, int64_t *out);
int store_user_set_mfa_state(struct store *s, const char *id, enum mfa_state st, int64_t modified);
int store_user_method_count(struct store *s, const char *user_id, int64_t *out);

int store_group_insert(struct store *s, const struct tg_group *g);
int store_group_delete(struct store *s, const char *id);
int store_group_get(struct store *s, const char *tenant_id, const char *id_or_name,
                    struct tg_group *out);
/* Changes name and description only (id, tenant and created never change). */
int store_group_update(struct store *s, const struct tg_group *g);
int store_group_list(struct store *s, const char *tenant_id, store_group_cb cb, void *arg);
/* TG_ERR_CYCLE when adding a group would make a membership cycle. */
int store_group_member_add(struct store *s, const char *group_id, enum tg_member_kind k,
                           const char *member_id);
int store_group_member_remove(struct store *s, const char *group_id, enum tg_member_kind k,
                              const char *member_id);
int store_group_members(struct store *s, const char *group_id, bool transitive,
                        store_member_cb cb, void *arg);
int store_member_groups(struct store *s, enum tg_member_kind k, const char *member_id,
                        bool transitive, store_id_cb cb, void *arg);

int store_role_assign(struct store *s, const char *tenant_id, const char *user_id,
                      const char *role_id);
int store_role_remove(struct store *s, const char *user_id, const char *role_id);
int store_user_roles(struct store *s, const char *user_id, store_id_cb cb, void *arg);
int store_role_members(struct store *s, const char *tenant_id, const char *role_id,
                       store_id_cb cb, void *arg);

int store_audit_append(struct store *s, struct tg_audit *a);
int store_audit_list(struct store *s, const struct audit_query *q, store_audit_cb cb, void *arg);

int store_setting_get(struct store *s, const char *tenant_id, const char *key, char **out);
int store_setting_set(struct store *s, const char *tenant_id, const char *key, const char *value);

/* Tests only: make the nth store call from now fail with TG_ERR_STORE
 * (0 = never). The environment variable TG_STORE_FAIL_AT=N does the same
 * for a whole process. */
void store_fault_inject(long nth);

#endif
