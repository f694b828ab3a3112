-- Tollgate schema 8: the audit log filtered by who made the change
-- (directoryAudits $filter=initiatedBy/…, tollgate audit list --actor).
-- The index holds (actor, seq): a list for one actor walks it newest
-- first from the paging cursor instead of scanning the whole log.
CREATE INDEX audit_actor ON audit(actor);
