/* SPDX-License-Identifier: MIT
 * The service layer: every administrative operation as one function that
 * validates input (core), hashes secrets (crypto), writes the store and the
 * audit log in one transaction. The CLI and the HTTP API call these and only
 * these, so every interface applies the same rules.
 *
 * Errors: enum tg_err; a human-readable reason is left in sv->err (an
 * operation that fails always sets it). Thread-safety: a struct svc belongs
 * to one thread (it holds one store handle). */
#ifndef TG_SVC_SVC_H
#define TG_SVC_SVC_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/model.h"
#include "crypto/password.h"
#include "store/store.h"

struct svc {
	struct store *store;
	struct pw_params pw;                      /* for new password hashes */
	char actor[TG_MAX_AUDIT_ACTOR + 1];       /* written into audit records */
	int64_t (*now)(void);                     /* clock; tests may pin it */
	char err[512];                            /* reason of the last failure */
};

/* Set up sv over an open store. actor e.g. "cli:root". */
void svc_init(struct svc *sv, struct store *st, const struct pw_params *pw, const char *actor);
int64_t svc_now(const struct svc *sv);
/* printf into sv->err and return code (for one-line failure paths). */
int svc_fail(struct svc *sv, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Append an audit record (caller's transaction, if any). */
int svc_audit(struct svc *sv, const char *tenant_id, const char *action, const char *target,
              const char *before, const char *after);

/* ---- tenants ---- */
int svc_tenant_create(struct svc *sv, const char *name, const char *domain,
                      const char *display_name, struct tg_tenant *out);
/* Resolve --tenant: by name or id; when name is NULL and exactly one
 * tenant exists, that one. */
int svc_tenant_resolve(struct svc *sv, const char *name, struct tg_tenant *out);

/* ---- users ---- */
struct svc_user_input {
	const char *upn;
	const char *display_name;   /* NULL = derive from UPN */
	const char *email;          /* NULL = none */
	const char *phone;
	const char *locale;         /* "en", "sv"; NULL = "" (tenant default) */
	const char *password;       /* plaintext; NULL = none (cannot sign in) */
	size_t password_len;
	const char *pwhash;         /* an existing Argon2id hash instead of a password */
	bool must_change_password;
	bool disabled;
};
int svc_user_create(struct svc *sv, const struct tg_tenant *t, const struct svc_user_input *in,
                    struct tg_user *out);
/* Look up by UPN (case-insensitive) or object id, within the tenant. */
int svc_user_find(struct svc *sv, const struct tg_tenant *t, const char *upn_or_id,
                  struct tg_user *out);

struct svc_user_changes {
	const char *display_name;   /* NULL = unchanged; "" clears where allowed */
	const char *email;
	const char *phone;
	const char *locale;
	int enabled;                /* -1 unchanged, 0 disable, 1 enable */
};
int svc_user_update(struct svc *sv, const struct tg_tenant *t, const char *upn,
                    const struct svc_user_changes *ch, struct tg_user *out);
int svc_user_delete(struct svc *sv, const struct tg_tenant *t, const char *upn);
int svc_user_set_password(struct svc *sv, const struct tg_tenant *t, const char *upn,
                          const char *pw, size_t pw_len, bool must_change);
/* Generate a random password (20 chars from an unambiguous alphabet) into
 * out (>= 21 bytes). The caller wipes it after use. */
int svc_password_generate(char *out, size_t out_size);

/* Verify a password for sign-in: TG_OK, TG_ERR_DENIED (wrong password,
 * unknown user, no password — all take the same time), TG_ERR_DISABLED.
 * Upgrades a weaker hash after a success. */
int svc_password_check(struct svc *sv, const char *upn, const char *pw, size_t pw_len,
                       struct tg_user *out);

/* ---- CSV import: all rows or none ---- */
struct svc_import_error {
	size_t line;
	char message[200];
};
struct svc_import_report {
	size_t rows;                        /* data rows read */
	size_t created;
	size_t nerrors;                     /* total errors found */
	struct svc_import_error errors[20]; /* the first 20 */
};
/* Header row required; columns (any order, case-insensitive):
 * userPrincipalName (required), displayName, mail, mobilePhone, password,
 * passwordHash, preferredLanguage, accountEnabled. If any row is bad, nothing
 * is applied and every problem (first 20) is reported with its line. */
int svc_user_import_csv(struct svc *sv, const struct tg_tenant *t, const char *data, size_t len,
                        bool dry_run, struct svc_import_report *rep);

/* ---- per-user MFA state ---- */
struct svc_mfa_report {
	size_t changed, unchanged, not_found;
	char **not_found_upns;              /* the UPNs not found, in input order */
	size_t not_found_cap;
};
void svc_mfa_report_cleanup(struct svc_mfa_report *rep);
/* Apply one admin-set state to the given UPNs (or to every user of the
 * tenant when all). Unknown UPNs are reported and the others applied, in one
 * transaction; each change is audited. dry_run counts without writing. */
int svc_mfa_set(struct svc *sv, const struct tg_tenant *t, enum mfa_state target,
                const char *const *upns, size_t n, bool all, bool dry_run,
                struct svc_mfa_report *rep);
/* The same inside the caller's open transaction (the caller commits or
 * rolls back), for operations that change MFA states as one part of a
 * larger change, such as enabling security defaults. */
int svc_mfa_set_in_tx(struct svc *sv, const struct tg_tenant *t, enum mfa_state target,
                      const char *const *upns, size_t n, bool all, bool dry_run,
                      struct svc_mfa_report *rep);
/* The registration-completed event (first method activated). */
int svc_mfa_registration_completed(struct svc *sv, const struct tg_tenant *t, const char *user_id);

/* ---- groups ---- */
int svc_group_create(struct svc *sv, const struct tg_tenant *t, const char *name,
                     const char *description, struct tg_group *out);
/* Delete a group (its memberships go with it). Refused with
 * TG_ERR_CONFLICT, nothing changed, while any Conditional Access policy of
 * t in any state names the group in includeGroups or excludeGroups:
 * sv->err names up to three policies ("and N more") and says to remove the
 * group from them first. Check and delete are one transaction. Audited
 * group.delete. */
int svc_group_delete(struct svc *sv, const struct tg_tenant *t, const char *name_or_id);
/* member: a UPN (user) or a group name/id; is_group selects which. */
int svc_group_member(struct svc *sv, const struct tg_tenant *t, const char *group,
                     const char *member, bool is_group, bool add);

/* A member to add: a user (UPN or id) or a group (name or id). */
struct svc_member_ref {
	const char *id;
	bool is_group;
};
/* svc_group_create plus n members added, all in one transaction (nothing
 * is created when one member fails: TG_ERR_NOT_FOUND, TG_ERR_EXISTS for a
 * member listed twice). Audited group.create and group.member_add. */
int svc_group_create_with_members(struct svc *sv, const struct tg_tenant *t, const char *name,
                                  const char *description, const struct svc_member_ref *members,
                                  size_t n, struct tg_group *out);
struct svc_group_changes {
	const char *name;           /* NULL = unchanged */
	const char *description;    /* NULL = unchanged; "" clears */
};
/* Rename / re-describe a group and add n members, in one transaction.
 * TG_ERR_EXISTS when the new name is taken (or a member already belongs),
 * TG_ERR_CYCLE for a group member that would make a cycle. Audited
 * group.update (only when a property changed) and group.member_add. out
 * (may be NULL) gets the group as now stored. */
int svc_group_update(struct svc *sv, const struct tg_tenant *t, const char *name_or_id,
                     const struct svc_group_changes *ch, const struct svc_member_ref *add,
                     size_t n_add, struct tg_group *out);

/* ---- directory roles ---- */
int svc_role_assign(struct svc *sv, const struct tg_tenant *t, const char *upn,
                    const char *role, bool assign);

#endif
