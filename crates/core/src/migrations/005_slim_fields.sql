-- Issue 6: the winner of each field points at its op instead of copying it. `fields` held the
-- op's value, device and id beside the op log's own copy: the largest table of a replica, and
-- a fifth of the pages an import of 100,000 ops wrote. Additive only: 001–004 are shipped and
-- never edited.
--
-- `seq` is the winning op's arrival number in this database (unique in `ops`); `hlc` and `prev`
-- stay here because every new op is compared with them. `field_values` gives the old shape
-- back for readers.
CREATE TABLE fields_slim (
    entity TEXT NOT NULL REFERENCES entities(id),
    field  TEXT NOT NULL,
    seq    INTEGER NOT NULL REFERENCES ops(seq),
    hlc    INTEGER NOT NULL,
    prev   INTEGER NOT NULL,
    PRIMARY KEY (entity, field)
) STRICT, WITHOUT ROWID;
INSERT INTO fields_slim(entity, field, seq, hlc, prev)
    SELECT f.entity, f.field, o.seq, f.hlc, f.prev FROM fields f JOIN ops o ON o.id = f.op_id;
DROP TABLE fields;
ALTER TABLE fields_slim RENAME TO fields;

CREATE VIEW field_values AS
    SELECT f.entity, f.field, o.value, f.hlc, o.device, o.id AS op_id, f.prev, f.seq
    FROM fields f JOIN ops o ON o.seq = f.seq;
