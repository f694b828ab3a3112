/* SPDX-License-Identifier: MIT
 * Every size and count limit in one place. Inputs are checked against these
 * before anything is allocated; exceeding one is TG_ERR_TOO_LARGE (HTTP 413)
 * or TG_ERR_INVALID (400). Sizes in bytes exclude the terminating NUL. */
#ifndef TG_BASE_LIMITS_H
#define TG_BASE_LIMITS_H

/* identifiers and names */
#define TG_MAX_ID            36    /* a UUID in text form */
#define TG_MAX_UPN           113   /* Entra: userPrincipalName up to 113 chars */
#define TG_MAX_TENANT_NAME   64
#define TG_MAX_DOMAIN        253
#define TG_MAX_DISPLAY_NAME  256
#define TG_MAX_EMAIL         254   /* RFC 5321 path limit */
#define TG_MAX_PHONE         32    /* "+CC NUMBERxEXT" */
#define TG_MAX_GROUP_NAME    256
#define TG_MAX_ROLE_NAME     80
#define TG_MAX_LOCALE        16

/* passwords (NIST SP 800-63B: at least 64 allowed; we allow more) */
#define TG_MIN_PASSWORD_CHARS 8
#define TG_MAX_PASSWORD_CHARS 512  /* Unicode code points */
#define TG_MAX_PASSWORD_BYTES 2048 /* UTF-8 bytes */
#define TG_MAX_PWHASH         256  /* encoded Argon2id string */

/* audit */
#define TG_MAX_AUDIT_ACTION  64
#define TG_MAX_AUDIT_ACTOR   160
#define TG_MAX_AUDIT_TARGET  160
#define TG_MAX_AUDIT_VALUE   4096  /* before/after text */

/* files and bulk operations */
#define TG_MAX_CSV_BYTES     (256L * 1024 * 1024)
#define TG_MAX_CSV_FIELD     4096
#define TG_MAX_CSV_FIELDS    32
#define TG_MAX_LIST_LINE     1024
#define TG_MAX_CONFIG_BYTES  (1024 * 1024)
#define TG_MAX_CONFIG_LINE   4096
#define TG_MAX_PATH          4096

/* groups */
#define TG_MAX_GROUP_DEPTH   64    /* nesting levels followed transitively */

/* HTTP */
#define TG_MAX_HTTP_BODY     (1024 * 1024)  /* default request body limit */
#define TG_MAX_HTTP_URL      8192
#define TG_MAX_HTTP_HEADER   8192
#define TG_MAX_JSON_DEPTH    32
#define TG_HTTP_CONN_MEMORY  (64 * 1024)    /* libmicrohttpd per-connection pool */
#define TG_HTTP_CONN_TIMEOUT 30             /* seconds */
#define TG_HTTP_MAX_CONNS    1024

/* paging */
#define TG_MAX_PAGE          999   /* Graph's $top maximum */
#define TG_DEFAULT_PAGE      100

#endif
