-- The conflicts of a field are recomputed at every write of it from the ops newer than the
-- winner's `prev` (apply.rs, recompute_conflicts). Indexed by (entity, field) alone, that read
-- went through every op the field ever had: a status edited 20,000 times made each further
-- edit scan 20,000 rows. With the stamp in the index it reads only the ops it may keep.
CREATE INDEX ops_entity_field_hlc ON ops(entity, field, hlc);
DROP INDEX ops_entity_field;
