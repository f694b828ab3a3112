/* SPDX-License-Identifier: MIT
 * UUID text form (pure: the random bytes come in as a parameter). Lives in
 * base so both crypto (rng_uuid) and core can use it. */
#ifndef TG_BASE_UUID_H
#define TG_BASE_UUID_H
#include <stdbool.h>
#include <stdint.h>

/* Format 16 random bytes as a version-4 UUID "xxxxxxxx-xxxx-4xxx-yxxx-…". */
void uuid_format_v4(const uint8_t rnd[16], char out[37]);
/* true for 8-4-4-4-12 hexadecimal (any case, any version). */
bool uuid_is_valid(const char *s);

#endif
