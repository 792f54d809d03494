-- Ops set aside because the receiving PC's check refused them (author not proven: a forged or
-- altered op, a revoked device's later work) must never be applied by the retry after an
-- upgrade, which cannot run that check: it applied them. Rows kept before this column existed
-- cannot be told apart and are marked refused: they stay listed, not applied.
ALTER TABLE set_aside ADD COLUMN refused INTEGER NOT NULL DEFAULT 0;
UPDATE set_aside SET refused = 1;
