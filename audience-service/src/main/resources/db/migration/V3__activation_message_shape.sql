-- Per activation (events.md, "The message"): the cap on each array of a message's entity context, and which
-- identifiers its messages carry. Existing activations keep what they had: 10 and userId + email.
ALTER TABLE activation ADD COLUMN max_entities_per_level INT NOT NULL DEFAULT 10;
ALTER TABLE activation ADD COLUMN identifiers VARCHAR(40) NOT NULL DEFAULT 'user_id_and_email';
