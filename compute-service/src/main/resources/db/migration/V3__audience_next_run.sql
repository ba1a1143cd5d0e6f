-- When the audience's schedule next fires; null for manual schedules and disabled audiences.
-- Kept in the database so that a restart loses no scheduled run.
ALTER TABLE audience_state ADD COLUMN next_run_at TIMESTAMPTZ;
CREATE INDEX audience_state_due ON audience_state (next_run_at) WHERE next_run_at IS NOT NULL;
