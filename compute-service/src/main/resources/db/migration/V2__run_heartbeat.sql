-- A running run's executor refreshes heartbeat_at; a run whose heartbeat stopped (its instance died) is
-- queued again, so its audience is never stuck with a run "in flight" forever.
ALTER TABLE run ADD COLUMN heartbeat_at TIMESTAMPTZ;
