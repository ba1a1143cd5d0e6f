-- Per activation (events.md, "The message"): the cap on each array of an entity-trigger message's context, and
-- which identifiers its messages carry. Activations announced before these existed keep what they had.
ALTER TABLE activation_state ADD COLUMN max_entities_per_level INT NOT NULL DEFAULT 10;
ALTER TABLE activation_state ADD COLUMN identifiers VARCHAR(40) NOT NULL DEFAULT 'user_id_and_email';
