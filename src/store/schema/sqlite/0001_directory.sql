-- Tollgate schema 1: the directory (tenants, users, groups, roles) and the
-- append-only audit log. Applied by the SQLite backend in one transaction.
CREATE TABLE tenant (
  id           TEXT PRIMARY KEY,
  name         TEXT NOT NULL UNIQUE,
  domain       TEXT NOT NULL,
  display_name TEXT NOT NULL DEFAULT '',
  created      INTEGER NOT NULL
);

CREATE TABLE user (
  id                   TEXT PRIMARY KEY,
  tenant_id            TEXT NOT NULL REFERENCES tenant(id),
  upn                  TEXT NOT NULL UNIQUE,  -- lowercase, unique per installation
  display_name         TEXT NOT NULL DEFAULT '',
  email                TEXT NOT NULL DEFAULT '',
  phone                TEXT NOT NULL DEFAULT '',
  locale               TEXT NOT NULL DEFAULT '',
  enabled              INTEGER NOT NULL DEFAULT 1,
  is_guest             INTEGER NOT NULL DEFAULT 0,
  must_change_password INTEGER NOT NULL DEFAULT 0,
  pwhash               TEXT NOT NULL DEFAULT '',
  mfa_state            INTEGER NOT NULL DEFAULT 0 CHECK (mfa_state IN (0, 1, 2)),
  created              INTEGER NOT NULL,
  modified             INTEGER NOT NULL,
  CHECK (upn = lower(upn))
);
CREATE INDEX user_tenant_upn ON user(tenant_id, upn);
CREATE INDEX user_tenant_state ON user(tenant_id, mfa_state, upn);

CREATE TABLE grp (
  id          TEXT PRIMARY KEY,
  tenant_id   TEXT NOT NULL REFERENCES tenant(id),
  name        TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  created     INTEGER NOT NULL,
  UNIQUE (tenant_id, name)
);

-- member_kind 0 = user, 1 = group. Cycles are refused by the backend.
CREATE TABLE group_member (
  group_id    TEXT NOT NULL REFERENCES grp(id) ON DELETE CASCADE,
  member_kind INTEGER NOT NULL CHECK (member_kind IN (0, 1)),
  member_id   TEXT NOT NULL,
  PRIMARY KEY (group_id, member_kind, member_id)
);
CREATE INDEX group_member_member ON group_member(member_kind, member_id);

CREATE TABLE role_assignment (
  tenant_id TEXT NOT NULL REFERENCES tenant(id),
  user_id   TEXT NOT NULL REFERENCES user(id) ON DELETE CASCADE,
  role_id   TEXT NOT NULL,
  PRIMARY KEY (user_id, role_id)
);
CREATE INDEX role_assignment_role ON role_assignment(tenant_id, role_id);

CREATE TABLE audit (
  seq       INTEGER PRIMARY KEY AUTOINCREMENT,
  tenant_id TEXT NOT NULL DEFAULT '',
  time      INTEGER NOT NULL,
  actor     TEXT NOT NULL,
  action    TEXT NOT NULL,
  target    TEXT NOT NULL DEFAULT '',
  before    TEXT NOT NULL DEFAULT '',
  after     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_tenant_time ON audit(tenant_id, time);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
