-- An activation's guard rail (GuardRail as JSON); null: none.
ALTER TABLE activation_state ADD COLUMN guard_rail TEXT;
