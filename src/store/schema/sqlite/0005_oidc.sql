-- Tollgate schema 5: OpenID Connect apps, browser sessions, remembered
-- devices, authorization codes, refresh-token families and revoked access
-- token ids (issue 5). Design: docs/internals/sessions-and-tokens.md.
--
-- No bearer secret is stored: session ids, remembered-device tokens,
-- authorization codes, refresh tokens and client secrets are kept only as
-- keyed digests (keys_pepper_digest: key id byte || HMAC-SHA256, 33 bytes)
-- made by the service layer. Single-use rules are one UPDATE each, decided
-- by its change count.

-- Apps (OpenID Connect clients). The primary key is (tenant, client id):
-- the built-in apps (admin portal, My sign-ins) have the same well-known
-- client id in every tenant, as Entra's first-party apps do.
-- grant_types: bit 0 authorization_code, bit 1 refresh_token, bit 2
--   client_credentials.
-- redirect_uris, permissions: space-separated lists (validated values hold
--   no space); redirect URIs are matched as exact strings.
-- secret_digest: keyed digest of a confidential client's secret; NULL for a
--   public client (which must use PKCE).
CREATE TABLE app (
  tenant_id     TEXT NOT NULL REFERENCES tenant(id),
  id            TEXT NOT NULL,
  display_name  TEXT NOT NULL,
  public_client INTEGER NOT NULL CHECK (public_client IN (0, 1)),
  secret_digest BLOB,
  grant_types   INTEGER NOT NULL CHECK (grant_types BETWEEN 1 AND 7),
  redirect_uris TEXT NOT NULL DEFAULT '',
  permissions   TEXT NOT NULL DEFAULT '',
  privileged    INTEGER NOT NULL DEFAULT 0 CHECK (privileged IN (0, 1)),
  builtin       INTEGER NOT NULL DEFAULT 0 CHECK (builtin IN (0, 1)),
  signing_alg   TEXT NOT NULL DEFAULT 'ES256' CHECK (signing_alg IN ('ES256', 'RS256')),
  created       INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, id),
  CHECK ((public_client = 1) = (secret_digest IS NULL))
);

-- Browser sessions. id is an internal, non-secret handle (the OIDC "sid");
-- the bearer session id in the cookie is known only by its digest, which
-- changes after every authentication step (rotation).
-- user_id NULL: a sign-in not yet past its first factor.
-- expires: absolute expiry; last_seen drives the idle timeout.
-- auth_time: the last first-factor authentication (0 = none).
-- amr: space-separated RFC 8176 values; mfa_time / mfa_methods: the last
--   second factor and its CA_METHOD_* bits.
-- flow: the unfinished sign-in's state, a short JSON object owned by the
--   sign-in flow ('' = none).
CREATE TABLE session (
  id          TEXT PRIMARY KEY,
  digest      BLOB NOT NULL UNIQUE,
  tenant_id   TEXT NOT NULL REFERENCES tenant(id),
  user_id     TEXT REFERENCES user(id) ON DELETE CASCADE,
  created     INTEGER NOT NULL,
  last_seen   INTEGER NOT NULL,
  expires     INTEGER NOT NULL,
  auth_time   INTEGER NOT NULL DEFAULT 0,
  amr         TEXT NOT NULL DEFAULT '',
  mfa_time    INTEGER NOT NULL DEFAULT 0,
  mfa_methods INTEGER NOT NULL DEFAULT 0,
  acr         TEXT NOT NULL DEFAULT '',
  ip          TEXT NOT NULL DEFAULT '',
  user_agent  TEXT NOT NULL DEFAULT '',
  flow        TEXT NOT NULL DEFAULT '',
  revoked     INTEGER NOT NULL DEFAULT 0 CHECK (revoked IN (0, 1))
);
CREATE INDEX session_user ON session(user_id);
CREATE INDEX session_expires ON session(expires);

-- Remembered devices ("Don't ask again for N days"): the digest binds the
-- token to the user (the digested message includes the user id).
CREATE TABLE remembered_device (
  digest    BLOB PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenant(id),
  user_id   TEXT NOT NULL REFERENCES user(id) ON DELETE CASCADE,
  created   INTEGER NOT NULL,
  expires   INTEGER NOT NULL
);
CREATE INDEX remembered_device_user ON remembered_device(user_id);
CREATE INDEX remembered_device_expires ON remembered_device(expires);

-- Authorization codes: single use by
--   UPDATE auth_code SET used = 1 WHERE digest = ? AND used = 0 AND expires > now.
-- family_id: the refresh-token family the code's tokens belong to, so that
-- a replayed code can revoke what was issued from it (RFC 6749 §4.1.2).
CREATE TABLE auth_code (
  digest         BLOB PRIMARY KEY,
  tenant_id      TEXT NOT NULL,
  client_id      TEXT NOT NULL,
  user_id        TEXT NOT NULL REFERENCES user(id) ON DELETE CASCADE,
  session_id     TEXT NOT NULL DEFAULT '',
  family_id      TEXT NOT NULL,
  redirect_uri   TEXT NOT NULL,
  code_challenge TEXT NOT NULL DEFAULT '',
  challenge_method TEXT NOT NULL DEFAULT '',
  nonce          TEXT NOT NULL DEFAULT '',
  scope          TEXT NOT NULL DEFAULT '',
  auth_time      INTEGER NOT NULL,
  amr            TEXT NOT NULL DEFAULT '',
  acr            TEXT NOT NULL DEFAULT '',
  mfa_time       INTEGER NOT NULL DEFAULT 0,
  mfa_methods    INTEGER NOT NULL DEFAULT 0,
  created        INTEGER NOT NULL,
  expires        INTEGER NOT NULL,
  used           INTEGER NOT NULL DEFAULT 0 CHECK (used IN (0, 1)),
  FOREIGN KEY (tenant_id, client_id) REFERENCES app(tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX auth_code_expires ON auth_code(expires);

-- Refresh-token families: every token rotated from one authorization code.
-- Reuse of a rotated token revokes the family (revoked = 1), which ends
-- every token in it (OAuth 2.0 Security BCP, RFC 9700 §4.14.2).
CREATE TABLE refresh_family (
  id         TEXT PRIMARY KEY,
  tenant_id  TEXT NOT NULL,
  client_id  TEXT NOT NULL,
  user_id    TEXT NOT NULL REFERENCES user(id) ON DELETE CASCADE,
  session_id TEXT NOT NULL DEFAULT '',
  created    INTEGER NOT NULL,
  expires    INTEGER NOT NULL,
  revoked    INTEGER NOT NULL DEFAULT 0 CHECK (revoked IN (0, 1)),
  revoked_at INTEGER NOT NULL DEFAULT 0,
  FOREIGN KEY (tenant_id, client_id) REFERENCES app(tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX refresh_family_user ON refresh_family(user_id);
CREATE INDEX refresh_family_session ON refresh_family(session_id);
CREATE INDEX refresh_family_expires ON refresh_family(expires);

-- Refresh tokens. Rotation is
--   UPDATE refresh_token SET rotated_to = :new, rotated_at = :now
--    WHERE digest = :old AND rotated_to IS NULL
-- (exactly one successor ever); a token with rotated_to set that comes back
-- is a reuse.
CREATE TABLE refresh_token (
  digest     BLOB PRIMARY KEY,
  family_id  TEXT NOT NULL REFERENCES refresh_family(id) ON DELETE CASCADE,
  scope      TEXT NOT NULL DEFAULT '',
  amr        TEXT NOT NULL DEFAULT '',
  acr        TEXT NOT NULL DEFAULT '',
  auth_time  INTEGER NOT NULL,
  mfa_time   INTEGER NOT NULL DEFAULT 0,
  mfa_methods INTEGER NOT NULL DEFAULT 0,
  created    INTEGER NOT NULL,
  expires    INTEGER NOT NULL,
  rotated_to BLOB,
  rotated_at INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX refresh_token_family ON refresh_token(family_id);

-- Access tokens revoked before their expiry (RFC 7009), by jti; a row can
-- go once the token has expired.
CREATE TABLE revoked_jti (
  jti       TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  expires   INTEGER NOT NULL
);
CREATE INDEX revoked_jti_expires ON revoked_jti(expires);
