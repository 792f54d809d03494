-- Issue 14, point 3: ops from elsewhere that no replica can apply (a plan title emptied, a value
-- of the wrong type, a field no record has, a record's kind changed) are kept here, with the
-- device that made them and the reason, instead of stopping every later sync. Local to this PC,
-- never synced. Additive only.
CREATE TABLE set_aside (
    op_id  TEXT PRIMARY KEY,
    device TEXT NOT NULL,   -- the device that made the op
    kind   TEXT NOT NULL,
    entity TEXT NOT NULL,
    field  TEXT NOT NULL,
    op     TEXT NOT NULL,   -- the whole op (JSON), as it arrived
    reason TEXT NOT NULL,   -- why, in Vietnamese
    at     TEXT NOT NULL    -- when it was first set aside (RFC 3339)
) STRICT;
