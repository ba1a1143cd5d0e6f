-- The relationship whose matched entities an entity_entered / entity_exited activation watches.
ALTER TABLE activation_state ADD COLUMN relationship VARCHAR(200);
