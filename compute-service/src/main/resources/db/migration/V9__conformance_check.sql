-- Conformance checks an owner asked for (POST /api/v1/warehouse/conformance-checks): the differential suite run on
-- the installation's own warehouse in a scratch schema; the report is the JSON of ConformanceReport.
CREATE TABLE conformance_check (
    id             VARCHAR(36) PRIMARY KEY,
    status         VARCHAR(20)  NOT NULL,
    scratch_schema VARCHAR(63)  NOT NULL,
    seed           BIGINT       NOT NULL,
    definitions    INT          NOT NULL,
    requested_at   TIMESTAMPTZ  NOT NULL,
    started_at     TIMESTAMPTZ,
    finished_at    TIMESTAMPTZ,
    executed_by    VARCHAR(100) NOT NULL,
    agreed         BOOLEAN,
    report         TEXT,
    error          TEXT
);
