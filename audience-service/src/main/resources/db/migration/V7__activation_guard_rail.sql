-- An activation's guard rail (GuardRail as JSON); null: none.
ALTER TABLE activation ADD COLUMN guard_rail TEXT;
