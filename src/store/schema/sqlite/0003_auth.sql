-- Tollgate schema 3: authentication methods (issue 3). Extends auth_method
-- (schema 2) with OATH parameters, the atomic replay counter and the phone /
-- email detail, and adds the hardware token inventory, one-time codes,
-- recovery codes, app passwords and brute-force counters.
--
-- Nothing here is a secret in clear: OATH seeds in auth_method.secret are
-- sealed (AES-256-GCM, the row's "tenant|user|method" ids as associated
-- data) by the service layer, one-time and recovery codes are keyed digests
-- (keys_pepper_digest), app passwords are Argon2id strings. See
-- docs/internals/methods.md.

-- kind: softwareOath, hardwareOath, phone, email.
-- last_step: the last TOTP step accepted (-1 never); the replay check is
--   UPDATE … SET last_step = :m WHERE id = :id AND last_step < :m.
-- oath_alg: 0 SHA1, 1 SHA256, 2 SHA512 (enum hmac_alg).
-- detail: the phone number ("+CC NUMBER[xEXT]") or the email address.
-- phone_type: 0 mobile, 1 alternateMobile, 2 office (enum phone_type).
ALTER TABLE auth_method ADD COLUMN last_step   INTEGER NOT NULL DEFAULT -1;
ALTER TABLE auth_method ADD COLUMN oath_alg    INTEGER NOT NULL DEFAULT 0;
ALTER TABLE auth_method ADD COLUMN oath_digits INTEGER NOT NULL DEFAULT 6;
ALTER TABLE auth_method ADD COLUMN oath_period INTEGER NOT NULL DEFAULT 30;
ALTER TABLE auth_method ADD COLUMN detail      TEXT NOT NULL DEFAULT '';
ALTER TABLE auth_method ADD COLUMN phone_type  INTEGER NOT NULL DEFAULT 0;
CREATE INDEX auth_method_user_kind ON auth_method(user_id, kind);

-- Hardware OATH token inventory. A token imported for a user gets a
-- hardwareOath method (pending until activated with a current code) that
-- holds its sealed seed; deleting that method (or the user) leaves the
-- token unassigned here (method_id NULL) until it is imported again.
CREATE TABLE hardware_token (
  id           TEXT PRIMARY KEY,
  tenant_id    TEXT NOT NULL REFERENCES tenant(id),
  serial       TEXT NOT NULL UNIQUE,
  manufacturer TEXT NOT NULL DEFAULT '',
  model        TEXT NOT NULL DEFAULT '',
  method_id    TEXT UNIQUE REFERENCES auth_method(id) ON DELETE SET NULL,
  created      INTEGER NOT NULL
);
CREATE INDEX hardware_token_tenant ON hardware_token(tenant_id, serial);

-- One-time codes sent by SMS, voice or email. delivered = 0 while the
-- channel is being tried (the row counts for the send rate limit but can
-- not be used); a failed delivery deletes the row. used_at = 0 while
-- unused; using one is UPDATE … SET used_at = :now WHERE id = :id AND
-- used_at = 0.
CREATE TABLE otp_code (
  id        TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenant(id),
  user_id   TEXT NOT NULL REFERENCES user(id) ON DELETE CASCADE,
  method_id TEXT NOT NULL REFERENCES auth_method(id) ON DELETE CASCADE,
  channel   TEXT NOT NULL CHECK (channel IN ('email', 'sms', 'voice')),
  digest    BLOB NOT NULL,
  created   INTEGER NOT NULL,
  ttl       INTEGER NOT NULL,
  delivered INTEGER NOT NULL DEFAULT 0,
  used_at   INTEGER NOT NULL DEFAULT 0,
  failures  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX otp_code_user ON otp_code(user_id, created);

-- Recovery codes: one set of RECOVERY_CODE_COUNT per user, replaced whole.
CREATE TABLE recovery_code (
  id        TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenant(id),
  user_id   TEXT NOT NULL REFERENCES user(id) ON DELETE CASCADE,
  digest    BLOB NOT NULL,
  created   INTEGER NOT NULL,
  used_at   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX recovery_code_user ON recovery_code(user_id);

-- App passwords for legacy clients (at most 40 per user, checked by svc).
CREATE TABLE app_password (
  id        TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenant(id),
  user_id   TEXT NOT NULL REFERENCES user(id) ON DELETE CASCADE,
  name      TEXT NOT NULL,
  pwhash    TEXT NOT NULL,
  created   INTEGER NOT NULL,
  last_used INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX app_password_user ON app_password(user_id, created);

-- Brute-force counters (core/lockout.h), one row per key:
-- "mfa:<user id>", "pw:<user id>" (accounts) and "ip:<address>" (sources).
CREATE TABLE lockout (
  key          TEXT PRIMARY KEY,
  tenant_id    TEXT NOT NULL DEFAULT '',
  failures     INTEGER NOT NULL DEFAULT 0,
  last_failure INTEGER NOT NULL DEFAULT 0,
  locked_until INTEGER NOT NULL DEFAULT 0
);
