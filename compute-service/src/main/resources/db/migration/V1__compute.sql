-- Audiences as last announced on audience-definitions (with the data graph they were validated against).
CREATE TABLE audience_state (
    id         VARCHAR(36) PRIMARY KEY,
    key        VARCHAR(100) NOT NULL,
    enabled    BOOLEAN      NOT NULL,
    definition TEXT,
    data_graph TEXT,
    schedule   TEXT,
    changed_at TIMESTAMPTZ  NOT NULL
);

-- Activations as last announced on activation-definitions (destination settings are not kept here).
CREATE TABLE activation_state (
    id          VARCHAR(36) PRIMARY KEY,
    audience_id VARCHAR(36)  NOT NULL,
    trigger     VARCHAR(40)  NOT NULL,
    event_name  VARCHAR(200) NOT NULL,
    enrichment  TEXT         NOT NULL,
    backfill    BOOLEAN      NOT NULL,
    enabled     BOOLEAN      NOT NULL,
    status      VARCHAR(20)  NOT NULL,
    -- set by the first successful run that emitted this activation's events
    first_run_id VARCHAR(36),
    changed_at  TIMESTAMPTZ  NOT NULL
);
CREATE INDEX activation_state_audience ON activation_state (audience_id);

CREATE TABLE run (
    id                VARCHAR(36) PRIMARY KEY,
    audience_id       VARCHAR(36)  NOT NULL,
    status            VARCHAR(20)  NOT NULL,
    trigger           VARCHAR(20)  NOT NULL,
    queued_at         TIMESTAMPTZ  NOT NULL,
    started_at        TIMESTAMPTZ,
    finished_at       TIMESTAMPTZ,
    queueing_ms       BIGINT,
    extracting_ms     BIGINT,
    preparing_ms      BIGINT,
    audience_size     BIGINT,
    profiles_entered  INT,
    profiles_exited   INT,
    error             TEXT,
    -- the run-results record was acknowledged by Kafka
    result_published  BOOLEAN      NOT NULL DEFAULT FALSE
);
CREATE INDEX run_audience ON run (audience_id, queued_at DESC);
-- One run in flight per audience, whatever the number of compute-service instances.
CREATE UNIQUE INDEX run_one_in_flight ON run (audience_id) WHERE status IN ('queued', 'running');
CREATE INDEX run_unpublished ON run (finished_at) WHERE result_published = FALSE AND finished_at IS NOT NULL;
