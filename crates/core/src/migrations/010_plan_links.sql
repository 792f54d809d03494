-- Issue 17, plans flow down. Additive only.
-- A commune's plan derived from the level above's keeps its basis as a link: `parent` is a JSON
-- object {plan_id?, number?, date?, issuer?, title?, version?} (plan_id when the plan came as a
-- publication; number and date always, so a document imported before the publication is
-- recognised as the same plan). A derived task names the parent task it implements: by id when
-- known, and by the parent's number ("2.3") always.
ALTER TABLE plans ADD COLUMN parent TEXT;
ALTER TABLE tasks ADD COLUMN parent_task TEXT;
ALTER TABLE tasks ADD COLUMN parent_ref TEXT;
CREATE INDEX tasks_parent_task ON tasks(parent_task) WHERE parent_task IS NOT NULL;

-- A plan of the level above as this commune received it ("Kế hoạch cấp trên"): one record per
-- published version, read-only, written by the commune's own device when it accepted the
-- publication (so the commune's other PCs get it by sync). `signed` is the publication exactly
-- as signed by the level above's device (payload and signature), so any PC can check it again.
CREATE TABLE publications (
    id           TEXT PRIMARY KEY,
    plan_id      TEXT NOT NULL DEFAULT '',  -- the level above's plan id
    version      INTEGER NOT NULL DEFAULT 0,
    publisher    TEXT,                      -- the level above's unit name
    published_at TEXT,
    signed       TEXT NOT NULL DEFAULT '{}',
    received_at  TEXT
) STRICT;
CREATE INDEX publications_plan ON publications(plan_id, version);
