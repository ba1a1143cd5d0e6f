-- delivery-service schema: the activations it delivers for (from activation-definitions) and one row per
-- activation event, which is at once the delivery queue, the dead-letter store, the outcome outbox and the
-- source of the delivery overview.

-- The latest state of each activation. settings holds the destination's secrets (apiKey): never log it.
create table activation_state (
    id               text primary key,
    audience_id      text        not null,
    audience_key     text,
    trigger          text,
    event_name       text,
    enabled          boolean     not null,
    status           text,
    destination_id   text,
    destination_type text,
    action           text,
    settings         text        not null default '{}',
    changed_at       timestamptz not null
);

-- One row per event; the message id as primary key absorbs a redelivered Kafka record.
create table delivery_event (
    message_id        text primary key,
    -- Arrival order: a profile's events are sent in this order.
    seq               bigserial   not null unique,
    activation_id     text        not null,
    audience_id       text,
    run_id            text,
    profile_id        text        not null,
    trigger           text,
    event_name        text,
    destination       text,
    -- The Segment message as JSON, sent as is (and kept for replay when the event fails).
    payload           text        not null,
    status            text        not null check (status in ('filtered_at_source', 'filtered_at_destination',
                                                             'pending', 'failed', 'successful')),
    reason            text,
    attempts          integer     not null default 0,
    next_attempt_at   timestamptz,
    created_at        timestamptz not null,
    finished_at       timestamptz,
    -- The outcome outbox: false until the final step was acknowledged on delivery-outcomes.
    outcome_published boolean     not null default false
);
-- The dispatcher: due events, and the "no earlier pending event of this profile" check.
create index delivery_event_due on delivery_event (next_attempt_at) where status = 'pending';
create index delivery_event_profile_pending on delivery_event (activation_id, profile_id, seq) where status = 'pending';
-- The outcome relay.
create index delivery_event_unpublished on delivery_event (seq) where not outcome_published and status <> 'pending';
-- The overview by audience and time range, and the dead letters of an audience.
create index delivery_event_audience_created on delivery_event (audience_id, created_at);
create index delivery_event_audience_failed on delivery_event (audience_id, seq) where status = 'failed';
