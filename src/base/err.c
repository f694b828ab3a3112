/* SPDX-License-Identifier: MIT
 * Text for enum tg_err. */
#include "base/err.h"

static const struct {
	int code;
	const char *name;
	const char *text;
} errs[] = {
	{TG_OK, "TG_OK", "success"},
	{TG_ERR_INTERNAL, "TG_ERR_INTERNAL", "internal error"},
	{TG_ERR_NOMEM, "TG_ERR_NOMEM", "out of memory"},
	{TG_ERR_INVALID, "TG_ERR_INVALID", "invalid input"},
	{TG_ERR_NOT_FOUND, "TG_ERR_NOT_FOUND", "not found"},
	{TG_ERR_EXISTS, "TG_ERR_EXISTS", "already exists"},
	{TG_ERR_DENIED, "TG_ERR_DENIED", "denied"},
	{TG_ERR_STORE, "TG_ERR_STORE", "database error"},
	{TG_ERR_IO, "TG_ERR_IO", "input/output error"},
	{TG_ERR_CRYPTO, "TG_ERR_CRYPTO", "cryptographic failure"},
	{TG_ERR_TOO_LARGE, "TG_ERR_TOO_LARGE", "input too large"},
	{TG_ERR_CONFLICT, "TG_ERR_CONFLICT", "conflict with current state"},
	{TG_ERR_LIMIT, "TG_ERR_LIMIT", "limit reached"},
	{TG_ERR_CYCLE, "TG_ERR_CYCLE", "would create a membership cycle"},
	{TG_ERR_SCHEMA_NEWER, "TG_ERR_SCHEMA_NEWER", "database was written by a newer version of Tollgate"},
	{TG_ERR_REPLAY, "TG_ERR_REPLAY", "already used once"},
	{TG_ERR_EXPIRED, "TG_ERR_EXPIRED", "expired"},
	{TG_ERR_LOCKED, "TG_ERR_LOCKED", "locked out"},
	{TG_ERR_RATE_LIMITED, "TG_ERR_RATE_LIMITED", "too many requests"},
	{TG_ERR_UNAVAILABLE, "TG_ERR_UNAVAILABLE", "service unavailable"},
	{TG_ERR_FORBIDDEN, "TG_ERR_FORBIDDEN", "forbidden"},
	{TG_ERR_UNSUPPORTED, "TG_ERR_UNSUPPORTED", "not supported"},
	{TG_ERR_BUSY, "TG_ERR_BUSY", "busy"},
	{TG_ERR_TIMEOUT, "TG_ERR_TIMEOUT", "timed out"},
	{TG_ERR_DISABLED, "TG_ERR_DISABLED", "disabled"},
};

const char *tg_strerror(int err)
{
	for (unsigned i = 0; i < sizeof errs / sizeof errs[0]; i++)
		if (errs[i].code == err)
			return errs[i].text;
	return "unknown error";
}

const char *tg_errname(int err)
{
	for (unsigned i = 0; i < sizeof errs / sizeof errs[0]; i++)
		if (errs[i].code == err)
			return errs[i].name;
	return "TG_ERR_UNKNOWN";
}
