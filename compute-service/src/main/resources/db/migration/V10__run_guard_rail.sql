-- Guard rails (product.md): an audience's limits, and runs held by them until approved or discarded.
ALTER TABLE audience_state ADD COLUMN guard_rail TEXT;
ALTER TABLE run ADD COLUMN held_because TEXT;
ALTER TABLE run ADD COLUMN resolved_by VARCHAR(200);
ALTER TABLE run ADD COLUMN resolved_at TIMESTAMPTZ;
ALTER TABLE run ADD COLUMN approved BOOLEAN NOT NULL DEFAULT FALSE;
-- a held run blocks the audience's later runs until it is resolved
DROP INDEX run_one_in_flight;
CREATE UNIQUE INDEX run_one_in_flight ON run (audience_id) WHERE status IN ('queued', 'running', 'awaiting_approval');
