-- Issue 5: periodic reports. Additive only: 001 and 002 are shipped and never edited.
--
-- A report is a `report` record; its `parts` field holds the whole edited document as JSON
-- ({"version": n, "content": {...}}). Earlier versions are not copied into a table: every save
-- is an op on `parts`, and the op log (ops, indexed by entity and field) already keeps each
-- one with its stamp and device, synced and in the same order on every PC. A copy would be a
-- second truth to keep in step with ops arriving in any order.

-- The report's date (ISO) and when its current version was saved (RFC 3339).
ALTER TABLE reports ADD COLUMN date TEXT;
ALTER TABLE reports ADD COLUMN saved_at TEXT;

-- "Is there a report for this plan and period?" — the schedule asks it for every period.
CREATE INDEX reports_plan_period ON reports(plan_id, period);
