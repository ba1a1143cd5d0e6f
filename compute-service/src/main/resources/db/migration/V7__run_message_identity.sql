-- The run whose id and start a run's message ids derive from: its own, or, after a run that did not succeed, that
-- run's (ADR 2), so that changes published before a failure keep their ids when the next run publishes them again.
ALTER TABLE run ADD COLUMN message_run_id VARCHAR(36);
ALTER TABLE run ADD COLUMN message_run_start TIMESTAMPTZ;
