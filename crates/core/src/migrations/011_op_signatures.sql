-- Issue 14, points 4 and 5: who wrote what, and which devices belong to the commune. Additive only.
-- Each op carries its author device's Ed25519 signature (hex) over its canonical encoding
-- (`Op::signing_bytes`). The sync layer adds it, for this device's own ops, before they leave
-- the PC; ops from before this change have none until their author signs them.
ALTER TABLE ops ADD COLUMN sig TEXT;
CREATE INDEX ops_unsigned ON ops(device, seq) WHERE sig IS NULL;
-- A device's admission into the commune and its revocation: each a statement (JSON) signed by
-- the device that made it, kept on the admitted device's `user` record so that it travels with
-- the data by every path and any PC can check it (see kehoach_sync's `admission`).
ALTER TABLE users ADD COLUMN admission TEXT;
ALTER TABLE users ADD COLUMN revoked TEXT;
