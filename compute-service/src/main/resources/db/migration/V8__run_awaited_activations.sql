-- The activations a run request named (id -> changedAt of their announcement): the run starts once compute-service
-- has read them, so an enable run right after a restart does not miss activations whose partition came late.
ALTER TABLE run ADD COLUMN awaited_activations TEXT;
