-- The sync engine: the op log and the per-field winners. Everything below them is a projection
-- that `project.rs` rebuilds from `fields`, so these two tables are the whole truth.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE entities (
    id   TEXT PRIMARY KEY,
    kind TEXT NOT NULL
) STRICT;

CREATE TABLE ops (
    id      TEXT PRIMARY KEY,            -- UUID v7 of the op: applying it twice is a no-op
    entity  TEXT NOT NULL REFERENCES entities(id),
    field   TEXT NOT NULL,
    value   TEXT NOT NULL,               -- JSON
    hlc     INTEGER NOT NULL,            -- hybrid logical clock: ms << 16 | counter
    device  TEXT NOT NULL,
    prev    INTEGER NOT NULL,            -- stamp of the value this edit replaced on its device
    seq     INTEGER NOT NULL UNIQUE      -- local arrival order, for "what is new since"
) STRICT;
CREATE INDEX ops_entity_field ON ops(entity, field);

CREATE TABLE fields (
    entity TEXT NOT NULL REFERENCES entities(id),
    field  TEXT NOT NULL,
    value  TEXT NOT NULL,
    hlc    INTEGER NOT NULL,
    device TEXT NOT NULL,
    op_id  TEXT NOT NULL REFERENCES ops(id),
    prev   INTEGER NOT NULL,
    PRIMARY KEY (entity, field)
) STRICT, WITHOUT ROWID;

-- Losing values of concurrent edits, derived from the op log (see apply.rs).
CREATE TABLE conflicts (
    entity TEXT NOT NULL REFERENCES entities(id),
    field  TEXT NOT NULL,
    op_id  TEXT NOT NULL REFERENCES ops(id),
    value  TEXT NOT NULL,
    device TEXT NOT NULL,
    PRIMARY KEY (entity, field, op_id)
) STRICT;

-- Projections: current rows, one table per kind of record. Column names equal field names.
-- No foreign keys between them: ops from other devices may arrive in any order.
CREATE TABLE org (
    id           TEXT PRIMARY KEY,
    commune      TEXT,
    parent       TEXT,
    place        TEXT,
    signer       TEXT,
    signer_title TEXT,
    level        TEXT
) STRICT;

CREATE TABLE units (
    id      TEXT PRIMARY KEY,
    name    TEXT NOT NULL DEFAULT '',
    aliases TEXT NOT NULL DEFAULT '[]',
    merged_into TEXT
) STRICT;

CREATE TABLE users (
    id    TEXT PRIMARY KEY,
    name  TEXT NOT NULL DEFAULT '',
    title TEXT,
    unit  TEXT
) STRICT;

CREATE TABLE plans (
    id         TEXT PRIMARY KEY,
    title      TEXT NOT NULL DEFAULT '',
    number     TEXT,
    date       TEXT,
    issuer     TEXT,
    signer     TEXT,
    place      TEXT,
    basis      TEXT NOT NULL DEFAULT '[]',
    reporting  TEXT NOT NULL DEFAULT '[]',
    created_at TEXT
) STRICT;

CREATE TABLE sections (
    id      TEXT PRIMARY KEY,
    plan_id TEXT NOT NULL DEFAULT '',
    ref     TEXT,
    title   TEXT NOT NULL DEFAULT '',
    pos     INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE tasks (
    id            TEXT PRIMARY KEY,
    plan_id       TEXT NOT NULL DEFAULT '',
    section       TEXT,
    ref           TEXT,
    text          TEXT NOT NULL DEFAULT '',
    lead          TEXT NOT NULL DEFAULT '[]',   -- JSON array of unit ids
    coord         TEXT NOT NULL DEFAULT '[]',
    monitor       TEXT NOT NULL DEFAULT '[]',
    time_text     TEXT,
    due           TEXT NOT NULL DEFAULT '{"kind":"none"}',
    product       TEXT,
    appendix      TEXT,
    status        TEXT NOT NULL DEFAULT 'not_started',
    status_reason TEXT,
    pos           INTEGER NOT NULL DEFAULT 0,
    deadline      TEXT                           -- derived from due by project.rs
) STRICT;
CREATE INDEX tasks_plan ON tasks(plan_id, pos);
CREATE INDEX tasks_deadline ON tasks(deadline) WHERE deadline IS NOT NULL;
CREATE INDEX tasks_status ON tasks(status);

-- Derived from tasks.lead/coord/monitor so "tasks of unit X" hits an index.
CREATE TABLE task_units (
    task_id TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    unit_id TEXT NOT NULL,
    role    TEXT NOT NULL,
    PRIMARY KEY (task_id, unit_id, role)
) STRICT, WITHOUT ROWID;
CREATE INDEX task_units_unit ON task_units(unit_id);

CREATE TABLE notes (
    id      TEXT PRIMARY KEY,
    task_id TEXT NOT NULL DEFAULT '',
    date    TEXT,
    author  TEXT,
    text    TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX notes_task ON notes(task_id);

CREATE TABLE checklists (
    id      TEXT PRIMARY KEY,
    plan_id TEXT,
    title   TEXT NOT NULL DEFAULT '',
    source  TEXT
) STRICT;

CREATE TABLE checklist_items (
    id           TEXT PRIMARY KEY,
    checklist_id TEXT NOT NULL DEFAULT '',
    ref          TEXT,
    text         TEXT NOT NULL DEFAULT '',
    level        TEXT,
    lead         TEXT,
    time_text    TEXT,
    done         INTEGER NOT NULL DEFAULT 0,
    done_date    TEXT,
    evidence     TEXT,
    pos          INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX checklist_items_list ON checklist_items(checklist_id, pos);

CREATE TABLE targets (
    id      TEXT PRIMARY KEY,
    plan_id TEXT,
    text    TEXT NOT NULL DEFAULT '',
    value   REAL,
    unit    TEXT,
    period  TEXT
) STRICT;

CREATE TABLE target_values (
    id        TEXT PRIMARY KEY,
    target_id TEXT NOT NULL DEFAULT '',
    period    TEXT NOT NULL DEFAULT '',
    value     REAL
) STRICT;
CREATE INDEX target_values_target ON target_values(target_id, period);

CREATE TABLE reports (
    id      TEXT PRIMARY KEY,
    plan_id TEXT,
    period  TEXT,
    number  TEXT,
    title   TEXT,
    parts   TEXT NOT NULL DEFAULT '{}',
    status  TEXT NOT NULL DEFAULT 'draft',
    version INTEGER NOT NULL DEFAULT 1
) STRICT;

-- Diacritic-folded full-text index over tasks, notes and checklist items ("cong an" finds "Công an").
CREATE VIRTUAL TABLE search_fts USING fts5(entity UNINDEXED, kind UNINDEXED, folded, tokenize = 'unicode61');
