-- The installation's single data graph, as validated (with the warehouse column types it was checked with).
CREATE TABLE data_graph (
    id         INT PRIMARY KEY CHECK (id = 1),
    body       TEXT        NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE audience (
    id          VARCHAR(36) PRIMARY KEY,
    key         VARCHAR(100) NOT NULL UNIQUE,
    name        VARCHAR(200) NOT NULL,
    description TEXT,
    definition  TEXT         NOT NULL,
    schedule    TEXT         NOT NULL,
    enabled     BOOLEAN      NOT NULL,
    created_at  TIMESTAMPTZ  NOT NULL,
    updated_at  TIMESTAMPTZ  NOT NULL
);

-- Settings hold secrets: they are written, never returned.
CREATE TABLE destination (
    id         VARCHAR(36) PRIMARY KEY,
    name       VARCHAR(200) NOT NULL,
    type       VARCHAR(40)  NOT NULL,
    settings   TEXT         NOT NULL,
    created_at TIMESTAMPTZ  NOT NULL
);

CREATE TABLE activation (
    id             VARCHAR(36) PRIMARY KEY,
    audience_id    VARCHAR(36)  NOT NULL REFERENCES audience (id) ON DELETE CASCADE,
    destination_id VARCHAR(36)  NOT NULL REFERENCES destination (id),
    action         VARCHAR(40)  NOT NULL,
    trigger        VARCHAR(40)  NOT NULL,
    event_name     VARCHAR(200),
    enrichment     TEXT         NOT NULL,
    backfill       BOOLEAN      NOT NULL,
    enabled        BOOLEAN      NOT NULL,
    status         VARCHAR(20)  NOT NULL,
    invalid_reason TEXT,
    created_at     TIMESTAMPTZ  NOT NULL
);
CREATE INDEX activation_audience ON activation (audience_id);

-- Transactional outbox: a state change and the Kafka record announcing it are committed together,
-- then OutboxRelay sends unsent rows in id order.
CREATE TABLE outbox (
    id          BIGSERIAL PRIMARY KEY,
    topic       VARCHAR(100) NOT NULL,
    message_key VARCHAR(200) NOT NULL,
    payload     TEXT         NOT NULL,
    created_at  TIMESTAMPTZ  NOT NULL,
    sent_at     TIMESTAMPTZ
);
CREATE INDEX outbox_unsent ON outbox (id) WHERE sent_at IS NULL;
