/* SPDX-License-Identifier: MIT
 * Logging to stderr with level, function name and error text.
 * Format strings must be literals (checked by the compiler).
 * NEVER log a password, code, token, seed or key. Thread-safe. */
#ifndef TG_BASE_LOG_H
#define TG_BASE_LOG_H

enum log_level { LOG_LVL_ERROR, LOG_LVL_WARN, LOG_LVL_INFO, LOG_LVL_DEBUG };

void log_set_level(enum log_level lvl);
enum log_level log_get_level(void);
/* Parse "error|warn|info|debug"; returns 0 on success, -1 otherwise. */
int log_level_parse(const char *s, enum log_level *out);

void log_emit(enum log_level lvl, const char *func, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define log_error(...) log_emit(LOG_LVL_ERROR, __func__, __VA_ARGS__)
#define log_warn(...)  log_emit(LOG_LVL_WARN, __func__, __VA_ARGS__)
#define log_info(...)  log_emit(LOG_LVL_INFO, __func__, __VA_ARGS__)
#define log_debug(...) log_emit(LOG_LVL_DEBUG, __func__, __VA_ARGS__)
/* error with the text of a tg_err appended: "...: not found" */
#define log_error_r(r, fmt, ...) \
	log_emit(LOG_LVL_ERROR, __func__, fmt ": %s", ##__VA_ARGS__, tg_strerror(r))

/* An access-log line (one per HTTP request), written at INFO level without
 * the function prefix. */
void log_access(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
