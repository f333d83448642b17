-- A unit's sessions are found by unit when identity renames the unit (UnitVerified, issue 18), so
-- every live session shows the name on record.
CREATE INDEX sessions_unit ON sessions (unit_id) WHERE unit_id IS NOT NULL;
