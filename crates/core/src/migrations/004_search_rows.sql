-- Which full-text row belongs to which record. FTS5 cannot index its `entity` column, so
-- removing a record's old entry by entity scanned the whole index on every op; by rowid it is
-- one lookup.
CREATE TABLE search_rows (
    entity    TEXT PRIMARY KEY,
    fts_rowid INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
INSERT INTO search_rows(entity, fts_rowid) SELECT entity, rowid FROM search_fts;
