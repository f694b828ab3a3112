/* SPDX-License-Identifier: MIT
 * userPrincipalName and tenant-name syntax. Pure. */
#ifndef TG_CORE_UPN_H
#define TG_CORE_UPN_H
#include <stddef.h>

/* Validate and normalise a UPN "local@domain" into out (lowercase).
 * Rules (Entra's): local part 1–64 of A–Z a–z 0–9 ' . - _ ! # ^ ~, not
 * starting or ending with '.', no ".."; domain of dot-separated labels of
 * letters, digits and '-', each 1–63, not starting/ending with '-'; total
 * at most TG_MAX_UPN. Returns TG_OK or TG_ERR_INVALID with a static reason. */
int upn_normalize(const char *in, char *out, size_t out_size, const char **why_out);

/* Domain-name syntax check (labels as above, at least one label). */
int domain_check(const char *d, const char **why_out);

/* Tenant short name: 1–64 of a–z 0–9 '-', starting with a letter or digit. */
int tenant_name_check(const char *name, const char **why_out);

#endif
