-- Replayed dead letters start a new retry window (from retry_since instead of created_at).
alter table delivery_event add column retry_since timestamptz;
-- Replay by run.
create index delivery_event_run_failed on delivery_event (run_id) where status = 'failed';
