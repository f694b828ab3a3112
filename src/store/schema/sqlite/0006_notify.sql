-- Tollgate schema 6: notices emailed to users (issue 6 item 4: "users are
-- told" when an administrator turns per-user MFA on for them). Design:
-- docs/internals/notifications.md.
--
-- A row is inserted in the transaction of the change it reports (one per
-- change: change_seq is that change's audit record), so it exists exactly
-- when the change does. Delivery claims a row with one UPDATE that moves
-- next_attempt to the end of a lease and counts the attempt.
--
-- kind:         mfaRegister (register at the next sign-in) or mfaRequired
--               (methods already registered: MFA is now asked for)
-- locale:       the user's language at the time, '' = tenant default
-- to_addr:      the address at the time of the change (no secret is kept)
-- status:       0 pending, 1 sent, 2 failed (given up; kept for the record)
-- attempts:     deliveries tried (claims)
-- next_attempt: when it is due; while claimed, the end of the lease
-- sent:         when the mail server / outbox accepted it, 0 = not yet
-- last_error:   the last delivery error, one line, never a secret
CREATE TABLE notification (
  id           TEXT PRIMARY KEY,
  tenant_id    TEXT NOT NULL REFERENCES tenant(id),
  user_id      TEXT NOT NULL REFERENCES user(id) ON DELETE CASCADE,
  change_seq   INTEGER NOT NULL UNIQUE,
  kind         TEXT NOT NULL CHECK (kind IN ('mfaRegister', 'mfaRequired')),
  locale       TEXT NOT NULL DEFAULT '',
  to_addr      TEXT NOT NULL CHECK (to_addr <> ''),
  created      INTEGER NOT NULL,
  status       INTEGER NOT NULL DEFAULT 0 CHECK (status IN (0, 1, 2)),
  attempts     INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt INTEGER NOT NULL,
  sent         INTEGER NOT NULL DEFAULT 0,
  last_error   TEXT NOT NULL DEFAULT ''
);

-- the worker's question: the pending notice due longest
CREATE INDEX notification_due ON notification(next_attempt) WHERE status = 0;
-- the administrator's list, newest first
CREATE INDEX notification_tenant ON notification(tenant_id, created);
CREATE INDEX notification_user ON notification(user_id);
