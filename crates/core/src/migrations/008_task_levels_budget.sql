-- Issue 13, item 2: a time written per level ("cấp huyện từ ngày 01/7/2023; cấp xã từ ngày
-- 01/10/2023") keeps each level's date with the task (JSON list of {level, due}), and a task's
-- "Kinh phí: …" has its own column instead of riding in the product. Additive only.
ALTER TABLE tasks ADD COLUMN due_by_level TEXT NOT NULL DEFAULT '[]';
ALTER TABLE tasks ADD COLUMN budget TEXT;
