/* SPDX-License-Identifier: MIT
 * Store interface, notify domain: the queue of notices emailed to users
 * (today: "MFA was turned on for you", issue 6 item 4). Same conventions as
 * store.h (tg_err results, out-parameters written only on success, list
 * callbacks, one handle per thread); callers use the store_notify_*
 * wrappers (store_notify.c), never the table directly.
 *
 * A notice is inserted in the transaction of the change it reports, so it
 * exists exactly when the change does. Delivery is at least once with a
 * lease: store_notify_claim picks one due notice and, in the same single
 * UPDATE, pushes its next_attempt to the lease's end and counts the
 * attempt, so two workers (threads or servers) never hold one notice at
 * once. store_notify_mark_sent / _mark_failed change the row only while the
 * claim is still the caller's (status pending and attempts as claimed).
 * Rows hold no secret: an address, a kind and the last error's text.
 * Table: src/store/schema/sqlite/0006_notify.sql; design:
 * docs/internals/notifications.md. */
#ifndef TG_STORE_STORE_NOTIFY_H
#define TG_STORE_STORE_NOTIFY_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/limits.h"
#include "store/store.h"

#define STORE_NOTIFY_OPS_VERSION 1

#define STORE_NOTIFY_KIND_SIZE 24

/* Kinds of notice (the text the service renders for each). */
#define STORE_NOTIFY_MFA_REGISTER "mfaRegister"  /* MFA on; register at next sign-in */
#define STORE_NOTIFY_MFA_REQUIRED "mfaRequired"  /* MFA on; methods already registered */

enum store_notify_status {
	STORE_NOTIFY_PENDING = 0,   /* waiting for (another) delivery attempt */
	STORE_NOTIFY_SENT = 1,      /* accepted by the mail server / outbox */
	STORE_NOTIFY_FAILED = 2,    /* given up after TG_MAX_NOTIFY_ATTEMPTS */
};

struct store_notification {
	char id[TG_ID_BUF];
	char tenant_id[TG_ID_BUF];
	char user_id[TG_ID_BUF];
	int64_t change_seq;                      /* the audit record of the change (unique) */
	char kind[STORE_NOTIFY_KIND_SIZE];       /* STORE_NOTIFY_MFA_* */
	char locale[TG_MAX_LOCALE + 1];          /* the user's, "" = tenant default */
	char to[TG_MAX_EMAIL + 1];               /* the address at the time of the change */
	int64_t created;
	int status;                              /* enum store_notify_status */
	unsigned attempts;                       /* claims so far */
	int64_t next_attempt;                    /* due time, or the lease's end while claimed */
	int64_t sent;                            /* 0 = not (yet) */
	char last_error[TG_MAX_NOTIFY_ERROR + 1];
	/* filled by store_notify_list from the user (read only): */
	char upn[TG_MAX_UPN + 1];
};

/* The list is newest first by (created, change_seq), both descending;
 * change_seq is unique, so the pair is a total order and a page cursor.
 * before_seq 0 (and before_created 0): from the newest; before_seq > 0:
 * only the notices strictly older than (before_created, before_seq), the
 * last notice of the previous page (keyset paging: a notice inserted
 * meanwhile neither repeats nor hides one). */
struct store_notify_query {
	const char *tenant_id;      /* required */
	int status;                 /* -1 = any, else enum store_notify_status */
	int limit;                  /* 1..TG_MAX_NOTIFY_LIST */
	int64_t before_created;     /* cursor: the previous page's last created */
	int64_t before_seq;         /* cursor: its change_seq; 0 = no cursor */
};

typedef int (*store_notification_cb)(const struct store_notification *n, void *arg);

struct store_notify_ops {
	int version;
	int (*insert)(struct store *s, const struct store_notification *n);
	int (*claim)(struct store *s, int64_t now, int64_t lease_until,
	             struct store_notification *out);
	int (*mark_sent)(struct store *s, const char *id, unsigned attempts, int64_t now);
	int (*mark_failed)(struct store *s, const char *id, unsigned attempts, int64_t next_attempt,
	                   bool give_up, const char *error);
	int (*list)(struct store *s, const struct store_notify_query *q, store_notification_cb cb,
	            void *arg);
};

/* Queue a notice (id, tenant_id, user_id, change_seq > 0, kind, to
 * required; status PENDING, attempts 0, next_attempt = when it is due).
 * TG_ERR_EXISTS when a notice for change_seq exists already (one per
 * change), TG_ERR_NOT_FOUND for an unknown user or tenant. */
int store_notify_insert(struct store *s, const struct store_notification *n);
/* Claim the pending notice due longest (next_attempt <= now), atomically:
 * next_attempt := lease_until, attempts := attempts + 1. *out gets the row
 * as claimed. TG_ERR_NOT_FOUND when nothing is due. */
int store_notify_claim(struct store *s, int64_t now, int64_t lease_until,
                       struct store_notification *out);
/* The claimed delivery succeeded: status SENT, sent := now, last_error ''.
 * attempts is the value the claim returned. TG_ERR_CONFLICT when the claim
 * is no longer the caller's (the lease ran out and another worker claimed
 * the notice) or the row is gone. */
int store_notify_mark_sent(struct store *s, const char *id, unsigned attempts, int64_t now);
/* The claimed delivery failed: last_error := error (truncated to
 * TG_MAX_NOTIFY_ERROR; never a secret) and either next_attempt :=
 * next_attempt (retry) or, when give_up, status FAILED. TG_ERR_CONFLICT as
 * store_notify_mark_sent. */
int store_notify_mark_failed(struct store *s, const char *id, unsigned attempts,
                             int64_t next_attempt, bool give_up, const char *error);
/* A tenant's notices, newest first, at most q->limit, with each user's UPN,
 * from the cursor on when q->before_seq > 0. TG_ERR_INVALID for a limit
 * out of range, an unknown status, a negative before_seq, or
 * before_created without before_seq (both fields or neither). */
int store_notify_list(struct store *s, const struct store_notify_query *q,
                      store_notification_cb cb, void *arg);

#endif
