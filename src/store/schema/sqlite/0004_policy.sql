-- Tollgate schema 4: the policy domain (docs/internals/policy-store.md).
-- Conditional Access policies and named locations are kept as their
-- canonical Graph JSON text plus the few columns queries need; the compiled
-- form is derived in memory and never stored. A per-tenant generation
-- counter changes with every policy, location, setting or risk-list change
-- so a server can cache the compiled tenant. Sign-in log records are Graph
-- `signIn` JSON with indexed columns for the filters.
CREATE TABLE ca_policy (
  id           TEXT PRIMARY KEY,
  tenant_id    TEXT NOT NULL REFERENCES tenant(id),
  display_name TEXT NOT NULL,
  state        INTEGER NOT NULL CHECK (state IN (1, 2, 3)), -- enum ca_state
  json         TEXT NOT NULL,
  created      INTEGER NOT NULL,
  modified     INTEGER NOT NULL,
  CHECK (id = lower(id))
);
CREATE INDEX ca_policy_tenant ON ca_policy(tenant_id, created, id);

CREATE TABLE named_location (
  id           TEXT PRIMARY KEY,
  tenant_id    TEXT NOT NULL REFERENCES tenant(id),
  display_name TEXT NOT NULL,
  is_trusted   INTEGER NOT NULL CHECK (is_trusted IN (0, 1)),
  json         TEXT NOT NULL,
  created      INTEGER NOT NULL,
  modified     INTEGER NOT NULL,
  CHECK (id = lower(id))
);
CREATE INDEX named_location_tenant ON named_location(tenant_id, created, id);

CREATE TABLE policy_generation (
  tenant_id  TEXT PRIMARY KEY REFERENCES tenant(id),
  generation INTEGER NOT NULL
);

-- The administrator's known-bad IP ranges (sign-in risk high).
CREATE TABLE bad_ip (
  tenant_id TEXT NOT NULL REFERENCES tenant(id),
  cidr      TEXT NOT NULL,            -- canonical cidr_format() text
  created   INTEGER NOT NULL,
  actor     TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (tenant_id, cidr)
);

-- User risk inputs: an administrator confirmed the user compromised, or
-- the user reported a suspicious MFA prompt. Both false = dismissed.
CREATE TABLE user_risk (
  user_id     TEXT PRIMARY KEY REFERENCES user(id) ON DELETE CASCADE,
  tenant_id   TEXT NOT NULL REFERENCES tenant(id),
  compromised INTEGER NOT NULL CHECK (compromised IN (0, 1)),
  reported    INTEGER NOT NULL CHECK (reported IN (0, 1)),
  reason      TEXT NOT NULL DEFAULT '',
  updated     INTEGER NOT NULL,
  actor       TEXT NOT NULL DEFAULT ''
);

-- Security defaults' 14-day registration grace: each user's first
-- interactive sign-in after security defaults were (last) enabled.
CREATE TABLE sd_first_signin (
  user_id   TEXT PRIMARY KEY REFERENCES user(id) ON DELETE CASCADE,
  tenant_id TEXT NOT NULL REFERENCES tenant(id),
  time      INTEGER NOT NULL
);

-- Sign-in log. No foreign key to user: failed sign-ins of unknown users are
-- logged too, and the log outlives a deleted user.
CREATE TABLE signin (
  seq         INTEGER PRIMARY KEY AUTOINCREMENT,
  id          TEXT NOT NULL UNIQUE,
  tenant_id   TEXT NOT NULL REFERENCES tenant(id),
  time        INTEGER NOT NULL,
  user_id     TEXT NOT NULL DEFAULT '',
  upn         TEXT NOT NULL DEFAULT '',
  app_id      TEXT NOT NULL DEFAULT '',
  app_name    TEXT NOT NULL DEFAULT '',
  ip          TEXT NOT NULL DEFAULT '',
  client_app  TEXT NOT NULL DEFAULT '',
  client_type INTEGER NOT NULL DEFAULT 0,   -- enum decision_client
  platform    INTEGER NOT NULL DEFAULT 0,   -- enum platform
  error_code  INTEGER NOT NULL DEFAULT 0,
  ca_status   INTEGER NOT NULL DEFAULT 0,   -- enum decision_ca_status
  interactive INTEGER NOT NULL CHECK (interactive IN (0, 1)),
  request_id  TEXT NOT NULL DEFAULT '',
  json        TEXT NOT NULL
);
CREATE INDEX signin_tenant_time ON signin(tenant_id, time, seq);
CREATE INDEX signin_user_time ON signin(tenant_id, user_id, time, seq);
CREATE INDEX signin_upn_time ON signin(tenant_id, upn, time, seq);
CREATE INDEX signin_app_time ON signin(tenant_id, app_id, time, seq);
CREATE INDEX signin_request ON signin(request_id);
