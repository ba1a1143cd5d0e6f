-- attempts: how many times an executor claimed the run (more than one: an instance died and another resumed it).
-- executed_by: the instance that claimed it last (HOSTNAME, the pod name on Kubernetes).
-- cancel_requested: a running run stops at its next checkpoint and ends canceled, changing nothing.
ALTER TABLE run ADD COLUMN attempts INT NOT NULL DEFAULT 0;
ALTER TABLE run ADD COLUMN executed_by TEXT;
ALTER TABLE run ADD COLUMN cancel_requested BOOLEAN NOT NULL DEFAULT FALSE;
