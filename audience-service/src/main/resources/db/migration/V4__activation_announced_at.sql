-- When each activation was last announced on activation-definitions (its changedAt there): run requests name
-- these, and compute-service waits until it has read them before the run starts.
ALTER TABLE activation ADD COLUMN announced_at TIMESTAMPTZ;
