/* SPDX-License-Identifier: MIT
 * The one project-wide error type. TG_OK is 0, errors are negative.
 * Append new values at the end; never renumber or reuse one.
 * "Denied" (wrong password, bad code: the caller's fault, expected) is kept
 * apart from "failed" (store down, bug): login code treats any unexpected
 * error as a denial but logs the detail. */
#ifndef TG_BASE_ERR_H
#define TG_BASE_ERR_H

enum tg_err {
	TG_OK = 0,
	TG_ERR_INTERNAL = -1,     /* a bug or an unexpected failure */
	TG_ERR_NOMEM = -2,
	TG_ERR_INVALID = -3,      /* bad input: syntax, range, format */
	TG_ERR_NOT_FOUND = -4,
	TG_ERR_EXISTS = -5,       /* uniqueness violated */
	TG_ERR_DENIED = -6,       /* wrong credential or code */
	TG_ERR_STORE = -7,        /* database failure */
	TG_ERR_IO = -8,           /* file or socket failure */
	TG_ERR_CRYPTO = -9,       /* crypto library failure, bad key, bad tag */
	TG_ERR_TOO_LARGE = -10,   /* input over a TG_MAX_* limit */
	TG_ERR_CONFLICT = -11,    /* refused because of current state */
	TG_ERR_LIMIT = -12,       /* a per-object count limit reached */
	TG_ERR_CYCLE = -13,       /* nested group cycle */
	TG_ERR_SCHEMA_NEWER = -14,/* database written by a newer Tollgate */
	TG_ERR_REPLAY = -15,      /* one-time value already used */
	TG_ERR_EXPIRED = -16,
	TG_ERR_LOCKED = -17,      /* account or source locked out */
	TG_ERR_RATE_LIMITED = -18,
	TG_ERR_UNAVAILABLE = -19, /* external service (SMTP, gateway) down */
	TG_ERR_FORBIDDEN = -20,   /* caller lacks the role or permission */
	TG_ERR_UNSUPPORTED = -21,
	TG_ERR_BUSY = -22,        /* store busy / locked beyond timeout */
	TG_ERR_TIMEOUT = -23,
	TG_ERR_DISABLED = -24,    /* account or feature disabled */
};

/* Human-readable text for an error code; never NULL, static storage. */
const char *tg_strerror(int err);
/* Stable short name ("TG_ERR_INVALID") for logs and JSON. */
const char *tg_errname(int err);

#endif
