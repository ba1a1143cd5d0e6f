-- alerting-service schema: what it hears on Kafka (run results, delivery outcomes),
-- the alert rules users define, and the in-app notifications the rules raise.

-- One row per finished run (run-results). The primary key makes a redelivered record a no-op.
create table run_result (
    run_id           text primary key,
    audience_id      text        not null,
    audience_key     text,
    status           text        not null,
    audience_size    bigint,
    profiles_entered integer,
    profiles_exited  integer,
    error            text,
    started_at       timestamptz,
    finished_at      timestamptz not null,
    received_at      timestamptz not null default now()
);
-- The size-change baseline lookups: successful runs of one audience by time.
create index run_result_audience_succeeded on run_result (audience_id, finished_at) where status = 'succeeded';

-- One row per event and final delivery step (delivery-outcomes); input of the activation event health rule.
create table delivery_outcome (
    message_id    text        not null,
    step          text        not null,
    activation_id text,
    audience_id   text,
    event_name    text,
    reason        text,
    occurred_at   timestamptz not null,
    primary key (message_id, step)
);
create index delivery_outcome_activation_time on delivery_outcome (activation_id, occurred_at);

create table alert_rule (
    id                uuid primary key,
    audience_id       text             not null,
    type              text             not null,
    threshold_percent double precision not null check (threshold_percent > 0),
    channels          text[]           not null,
    -- ok | breached: remembered so that a breach and its recovery are announced once each
    state             text             not null default 'ok',
    state_changed_at  timestamptz,
    created_by        text             not null,
    created_at        timestamptz      not null
);
create index alert_rule_audience on alert_rule (audience_id);

-- The in-app inbox. No foreign key to alert_rule: notifications outlive a deleted rule.
create table notification (
    id                uuid primary key,
    rule_id           uuid             not null,
    audience_id       text             not null,
    kind              text             not null,
    message           text             not null,
    previous_size     bigint           not null,
    current_size      bigint           not null,
    threshold_percent double precision not null,
    run_id            text             not null,
    created_at        timestamptz      not null
);
create index notification_audience_created on notification (audience_id, created_at desc);
create index notification_created on notification (created_at desc);
