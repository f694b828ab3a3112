/* SPDX-License-Identifier: MIT
 * App passwords for legacy clients (SPEC §2, reference/entra.md §1.5):
 * 16 random lower-case letters (75 bits), shown once grouped as
 * "abcd efgh ijkl mnop", Argon2id-hashed (crypto/password.h), at most 40
 * per user, created only while the tenant allows app passwords. Pure: the
 * random bytes come in as a parameter. */
#ifndef TG_CORE_APP_PASSWORD_H
#define TG_CORE_APP_PASSWORD_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/limits.h"

#define APP_PASSWORD_LEN          16
#define APP_PASSWORD_SIZE         (APP_PASSWORD_LEN + 1)
#define APP_PASSWORD_DISPLAY_SIZE (APP_PASSWORD_LEN + APP_PASSWORD_LEN / 4) /* 3 spaces + NUL */
#define APP_PASSWORD_MAX_PER_USER TG_MAX_APP_PASSWORDS /* 40 (Entra) */
/* Random bytes to pass to app_password_generate. A byte is used only when
 * below 234 (9 * 26), so each letter is uniform; 48 bytes leave fewer than
 * 16 usable with probability < 1e-20. */
#define APP_PASSWORD_RAND_BYTES   48

/* 16 letters from rnd (rnd_len bytes, rejection sampling as above) into
 * out. TG_OK, or TG_ERR_INVALID when fewer than 16 bytes were usable (ask
 * for fresh bytes; out is ""). */
int app_password_generate(const uint8_t *rnd, size_t rnd_len, char out[APP_PASSWORD_SIZE])
	__attribute__((warn_unused_result));

/* "abcdefghijklmnop" -> "abcd efgh ijkl mnop". TG_OK, or TG_ERR_INVALID
 * when pw is not 16 letters (out ""). */
int app_password_display(const char *pw, char out[APP_PASSWORD_DISPLAY_SIZE]);

/* What the user typed into a legacy client: spaces removed, upper case
 * folded. TG_OK when exactly 16 letters a-z remain, else TG_ERR_INVALID
 * (out ""): then the input cannot be an app password and the Argon2id
 * checks can be skipped. */
int app_password_normalize(const char *typed, char out[APP_PASSWORD_SIZE]);

/* May the user create another app password? allow_setting: the tenant's
 * "allow users to create app passwords" (off by default); existing: how
 * many the user has. TG_OK; TG_ERR_DISABLED when the setting is off
 * (existing ones keep working); TG_ERR_LIMIT at APP_PASSWORD_MAX_PER_USER. */
int app_password_may_create(bool allow_setting, size_t existing);

/* The name a user gives one (e.g. "Outlook on my phone"): 1 to
 * TG_MAX_APP_PASSWORD_NAME bytes of UTF-8 without control characters.
 * TG_OK, TG_ERR_INVALID or TG_ERR_TOO_LARGE. */
int app_password_name_check(const char *name);

#endif
