-- Issue 4: task tracking. Additive only: 001 is shipped and never edited.

-- A per-task override of the utility group the dashboard files a task under (see
-- tracking/groups.rs); NULL = classified from the section and text. "group" is an SQL keyword,
-- so project.rs quotes column names.
ALTER TABLE tasks ADD COLUMN "group" TEXT;

-- Proof that a task (or a checklist item) was done: the number and date of a document, and
-- optionally a file copied into <data dir>/attachments/<sha256>.
CREATE TABLE evidence (
    id                TEXT PRIMARY KEY,
    task_id           TEXT,
    checklist_item_id TEXT,
    number            TEXT,
    date              TEXT,
    file_name         TEXT,
    sha256            TEXT,
    size              INTEGER,
    text              TEXT
) STRICT;
CREATE INDEX evidence_task ON evidence(task_id);

CREATE INDEX notes_task_date ON notes(task_id, date);
CREATE INDEX checklists_plan ON checklists(plan_id);
CREATE INDEX targets_plan ON targets(plan_id);
CREATE INDEX units_merged ON units(merged_into);
