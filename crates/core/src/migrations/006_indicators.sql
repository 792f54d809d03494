-- Issue 12, item 5: indicators instead of free-text targets. Additive only: 001–005 are shipped
-- and never edited.
--
-- A target's kind (count, percent, yes_no) says how its figures are entered and how communes'
-- figures add up; NULL for a target stored before kinds existed, read as "%" → percent,
-- anything else → count. `code` is the key of a standard indicator of the built-in catalogue,
-- so communes' figures add up by it whatever each commune's copy of the text says.
ALTER TABLE targets ADD COLUMN kind TEXT;
ALTER TABLE targets ADD COLUMN code TEXT;

-- A percentage recorded with its base: the district adds numerators and denominators, never
-- percentages. NULL for counts, yes/no, and percentages typed without a base.
ALTER TABLE target_values ADD COLUMN numerator REAL;
ALTER TABLE target_values ADD COLUMN denominator REAL;
