-- Tollgate schema 7: the administrator's list of notices pages (keyset,
-- newest first by (created, change_seq); docs/internals/notifications.md).
-- A page after the first starts below the last notice shown:
--   WHERE tenant_id = ? [AND status = ?] AND (created, change_seq) < (?, ?)
--   ORDER BY created DESC, change_seq DESC
-- Both indexes end in change_seq so that the page is an index range read in
-- order (no sort), also for a status filter on a tenant of 100,000 notices.
DROP INDEX notification_tenant;
CREATE INDEX notification_tenant ON notification(tenant_id, created, change_seq);
CREATE INDEX notification_tenant_status ON notification(tenant_id, status, created, change_seq);
