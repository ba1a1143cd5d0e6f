-- An audience's guard rail (GuardRail as JSON); null: runs publish whatever they change.
ALTER TABLE audience ADD COLUMN guard_rail TEXT;
