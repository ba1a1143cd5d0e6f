-- The claim walks due events in its own order (next_attempt_at, seq) and stops at the batch size. With the index on
-- next_attempt_at alone, events that came in one poll share their next_attempt_at, so PostgreSQL had to read every
-- due event, check each against the per-profile index and sort them all (payloads included) to return 2,000:
-- 150 to 250 ms per claim with 100,000 pending. In claim order it reads about 2,000 entries: 6 to 8 ms.
drop index delivery_event_due;
create index delivery_event_due on delivery_event (next_attempt_at, seq) where status = 'pending';
