-- Tollgate schema 2: per-tenant settings (MFA service settings, security
-- defaults…) and the registered authentication methods of users. Secret
-- material in auth_method.secret is sealed (AES-256-GCM) by the service
-- layer before it reaches the store; the store never sees plaintext.
CREATE TABLE setting (
  tenant_id TEXT NOT NULL REFERENCES tenant(id),
  key       TEXT NOT NULL,
  value     TEXT NOT NULL,
  PRIMARY KEY (tenant_id, key)
);

CREATE TABLE auth_method (
  id           TEXT PRIMARY KEY,
  tenant_id    TEXT NOT NULL REFERENCES tenant(id),
  user_id      TEXT NOT NULL REFERENCES user(id) ON DELETE CASCADE,
  kind         TEXT NOT NULL,            -- softwareOath, hardwareOath, phone, email, …
  status       INTEGER NOT NULL DEFAULT 0, -- 0 pending, 1 active, 2 disabled
  display_name TEXT NOT NULL DEFAULT '',
  secret       BLOB,
  created      INTEGER NOT NULL,
  last_used    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX auth_method_user ON auth_method(user_id, status);
