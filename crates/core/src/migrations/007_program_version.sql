-- Issue 16, item 5: each PC says which version of kehoach it runs (and on which platform) in its
-- own `user` record when it syncs, so the district's roll-up can show which communes still run
-- an old one. Additive only.
ALTER TABLE users ADD COLUMN app_version TEXT;
ALTER TABLE users ADD COLUMN platform TEXT;
