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
#define TG_HTTP_THREADS      4              /* default worker threads */
#define TG_HTTP_MAX_THREADS  256
#define TG_HTTP_MAX_CONNS_PER_IP 128        /* a reverse proxy is one IP: keep it high */
#define TG_HTTP_SHUTDOWN_GRACE   10         /* seconds stop() waits for in-flight requests */
#define TG_HTTP_MAX_DISCARD  (4 * 1024 * 1024) /* body bytes read past the limit
                                               before giving up and closing */

/* paging */
#define TG_MAX_PAGE          999   /* Graph's $top maximum */
#define TG_DEFAULT_PAGE      100

/* Conditional Access and named locations (reference/entra.md §3.1) */
#define TG_MAX_CA_LIST        512   /* ids in one list of a CA policy (includeUsers, ...) */
#define TG_MAX_CA_CUSTOM_ID   128   /* a customAuthenticationFactors entry */
#define TG_MAX_CA_DEVICE_RULE 3072  /* devices.deviceFilter.rule (Entra's limit) */
#define TG_MAX_CA_POLICY_JSON (256 * 1024) /* one policy document */
#define TG_MAX_NAMED_LOCATIONS 195  /* named locations per tenant (Entra) */
#define TG_MAX_LOCATION_RANGES 2000 /* IP ranges per named location (Entra) */
#define TG_MAX_ERR_PATH       256   /* JSON path in a validation error */
#define TG_MAX_ERR_MESSAGE    256   /* message in a validation error */

/* authentication methods and secrets at rest (SPEC §6, reference/entra.md §4) */
#define TG_MIN_OATH_SECRET    16    /* bytes: RFC 4226 §4 R6, 128 bits at least */
#define TG_MAX_OATH_SECRET    80    /* bytes: 128 Base32 characters */
#define TG_MAX_OATH_SECRET_B32 128  /* Entra hardware token secret (Base32 chars) */
#define TG_MAX_OATH_METHODS   5     /* apps + hardware tokens per user (Entra) */
#define TG_MAX_TOTP_WINDOW    10    /* steps either side a method may accept */
#define TG_MAX_OTPAUTH_URI    2048  /* otpauth:// URI length */
#define TG_MAX_ISSUER         128   /* otpauth issuer (shown in authenticator apps) */
#define TG_MAX_APP_PASSWORDS  40    /* per user (Entra) */
#define TG_MAX_APP_PASSWORD_NAME 256
#define TG_MAX_OTP_SENDS      100   /* configurable sends per user per window */
#define TG_MAX_CONSECUTIVE_FAILURES 100 /* NIST SP 800-63B §5.2.2 */
#define TG_MAX_SEAL_PLAINTEXT 4096  /* a secret sealed with keys_seal */
#define TG_MAX_SEAL_AAD       1024  /* its associated data */
#define TG_MAX_KEYS_FILE      (64 * 1024) /* master key file */
#define TG_MAX_TOKEN_SERIAL   64    /* hardware token serial number */
#define TG_MAX_TOKEN_LABEL    64    /* hardware token manufacturer / model */
#define TG_MAX_OTP_CODES_READ 64    /* recent one-time codes read per verification */
#define TG_MAX_CHANNEL_TEXT   1024  /* a configured message template or channel URL */

/* sign-in decision, risk and sign-in log records (SPEC §5, §7) */
#define TG_MAX_CA_POLICIES    4096  /* policies compiled for one tenant (Entra: 195) */
#define TG_MAX_DECISION_SOURCES 8   /* authenticationRequirementPolicies of one decision */
#define TG_MAX_RISK_REASON    160   /* a risk level's explanation */
#define TG_MAX_RISK_NETWORKS  256   /* known networks remembered per user */
#define TG_MAX_SIGNIN_DETAILS 4     /* authenticationDetails steps in one record */
#define TG_MAX_FAILURE_REASON 256   /* status.failureReason / additionalDetails */
#define TG_MAX_SIGNIN_TEXT    160   /* a short text field of a sign-in record */
#define TG_MAX_SIGNIN_USER_AGENT 512 /* User-Agent kept in a sign-in record (truncated) */

/* policy store: settings, risk inputs, sign-in log (docs/internals/policy-store.md) */
#define TG_MAX_TRUSTED_IPS    50    /* MFA service settings trusted IP ranges (Entra: 50) */
#define TG_MAX_TRUSTED_PROXIES 32   /* trusted_proxies ranges (config): X-Forwarded-For honoured from these */
#define TG_MAX_SIGNIN_BODY    8192  /* one sign-in API request body (JSON); more = 413 */
#define TG_MAX_SIGNIN_FIELD   TG_MAX_PASSWORD_BYTES /* one string field of it */
#define TG_MAX_BAD_IPS        2000  /* administrator's bad-IP ranges per tenant */
#define TG_MAX_RISK_HISTORY   1000  /* recent successful sign-ins read for sign-in risk */
#define TG_MAX_SIGNIN_JSON    (8 * 1024 * 1024) /* one stored sign-in record (all policies) */
#define TG_MAX_IMPACT_SIGNINS 1000000 /* sign-ins one impact replay reads */
#define TG_MAX_SIGNIN_PURGE_BATCH 1000 /* sign-in records one retention statement deletes */
#define TG_MAX_SIGNIN_RETENTION_DAYS 3650 /* signin_log_retention_days at most (10 years) */

/* JSON Web Tokens and token signing keys (RFC 7515/7519, issue 5) */
#define TG_MAX_JWT            8192  /* a compact JWT (one Authorization header) */
#define TG_MAX_SIGN_KEYS      16    /* keys in the signing key ring */

/* OpenID Connect apps, sessions and tokens (docs/internals/sessions-and-tokens.md) */
#define TG_MAX_REDIRECT_URI   256   /* one redirect URI (Entra: 256 characters) */
#define TG_MAX_APP_REDIRECT_URIS 32 /* redirect URIs of one app */
#define TG_MAX_APP_PERMISSION 64    /* one application permission ("User.ReadWrite.All") */
#define TG_MAX_APP_PERMISSIONS 32   /* application permissions of one app */
#define TG_MAX_BEARER_TOKEN   128   /* a session id, code, refresh token or client secret */
#define TG_MAX_OIDC_SCOPE     1024  /* a granted scope string */
#define TG_MAX_OIDC_NONCE     256   /* an authorization request's nonce */
#define TG_MAX_PKCE_CHALLENGE 128   /* a code_challenge (RFC 7636 §4.2) */
#define TG_MAX_AMR            128   /* amr values, space separated */
#define TG_MAX_ACR            64
#define TG_MAX_JTI            64    /* an access token's jti */
#define TG_MAX_SESSION_FLOW   2048  /* an unfinished sign-in's state (JSON) */
#define TG_MAX_SESSION_USER_AGENT 256 /* User-Agent kept with a session (truncated) */
#define TG_MAX_REMEMBER_DAYS  365   /* "Don't ask again for N days" (Entra: 1-365) */

/* OpenID Connect endpoints (docs/internals/oidc.md) */
#define TG_MAX_FORM_FIELDS    32    /* parameters of one OAuth request (query or form body) */
#define TG_MAX_FORM_NAME      64    /* one parameter name */
#define TG_MAX_FORM_VALUE     TG_MAX_JWT /* one value (a token_hint may be a JWT) */
#define TG_MAX_OIDC_BODY      (16 * 1024) /* a token/introspection/revocation request body */
#define TG_MAX_OIDC_STATE     2048  /* an authorization request's state (echoed back) */

/* user notifications (docs/internals/notifications.md) */
#define TG_MAX_NOTIFY_ATTEMPTS 9    /* deliveries tried (over about 23 hours) before giving up */
#define TG_MAX_NOTIFY_ERROR   256   /* the last delivery error kept with a notice */
#define TG_MAX_NOTIFY_BATCH   1000  /* notices one run delivers at most */
#define TG_MAX_NOTIFY_LIST    1000  /* notices one list returns at most */

#endif
