-- The claim takes each activation's due events in turn (Dispatcher), so it walks the due events of one activation
-- at a time: the index leads with the activation. It replaces the one in global due order, so an event costs no
-- more index writes than before.
drop index delivery_event_due;
create index delivery_event_activation_due on delivery_event (activation_id, next_attempt_at, seq) where status = 'pending';

-- The live delivery-service instances: each splits a destination's rate limit by their number (docs/adr/0007).
create table delivery_instance (
    id      text primary key,
    seen_at timestamptz not null
);
