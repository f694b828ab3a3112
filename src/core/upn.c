/* SPDX-License-Identifier: MIT
 * UPN, domain and tenant-name syntax. */
#include <string.h>
#include "base/err.h"
#include "base/limits.h"
#include "base/str.h"
#include "core/upn.h"

static int fail(const char **why_out, const char *why)
{
	if (why_out)
		*why_out = why;
	return TG_ERR_INVALID;
}

static int is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

int domain_check(const char *d, const char **why_out)
{
	size_t n = strlen(d);
	if (n == 0)
		return fail(why_out, "the domain is empty");
	if (n > TG_MAX_DOMAIN)
		return fail(why_out, "the domain is too long");
	size_t label = 0;
	for (size_t i = 0; i <= n; i++) {
		char c = d[i];
		if (c == '.' || c == '\0') {
			if (label == 0)
				return fail(why_out, "the domain has an empty label");
			if (d[i - 1] == '-')
				return fail(why_out, "a domain label ends with '-'");
			label = 0;
			continue;
		}
		if (!is_alnum(c) && c != '-')
			return fail(why_out, "the domain may hold only letters, digits, '-' and '.'");
		if (label == 0 && c == '-')
			return fail(why_out, "a domain label starts with '-'");
		if (++label > 63)
			return fail(why_out, "a domain label is longer than 63 characters");
	}
	return TG_OK;
}

int upn_normalize(const char *in, char *out, size_t out_size, const char **why_out)
{
	size_t n = strlen(in);
	if (n == 0)
		return fail(why_out, "the user principal name is empty");
	if (n > TG_MAX_UPN || n >= out_size)
		return fail(why_out, "the user principal name is longer than 113 characters");
	const char *at = strchr(in, '@');
	if (!at || strchr(at + 1, '@'))
		return fail(why_out, "the user principal name must have the form name@domain");
	size_t local = (size_t)(at - in);
	if (local == 0 || local > 64)
		return fail(why_out, "the part before '@' must be 1 to 64 characters");
	if (in[0] == '.' || in[local - 1] == '.')
		return fail(why_out, "the part before '@' cannot start or end with '.'");
	for (size_t i = 0; i < local; i++) {
		char c = in[i];
		if (!is_alnum(c) && !strchr("'.-_!#^~", c))
			return fail(why_out, "the part before '@' may hold only letters, digits and ' . - _ ! # ^ ~");
		if (c == '.' && in[i + 1] == '.')
			return fail(why_out, "the part before '@' cannot contain '..'");
	}
	int r = domain_check(at + 1, why_out);
	if (r)
		return r;
	memcpy(out, in, n + 1);
	tg_ascii_lower(out);
	if (why_out)
		*why_out = NULL;
	return TG_OK;
}

int tenant_name_check(const char *name, const char **why_out)
{
	size_t n = strlen(name);
	if (n == 0 || n > TG_MAX_TENANT_NAME)
		return fail(why_out, "a tenant name must be 1 to 64 characters");
	if (name[0] == '-')
		return fail(why_out, "a tenant name cannot start with '-'");
	for (size_t i = 0; i < n; i++) {
		char c = name[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
			return fail(why_out, "a tenant name may hold only lowercase letters, digits and '-'");
	}
	return TG_OK;
}
