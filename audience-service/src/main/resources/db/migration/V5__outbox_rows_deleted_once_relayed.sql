-- The relay deletes a row once Kafka acknowledged it (docs/adr/0008): rows it marked sent before are deleted too,
-- activation rows among them held destination secrets in clear.
DELETE FROM outbox WHERE sent_at IS NOT NULL;
COMMENT ON COLUMN outbox.sent_at IS 'unused since V5: relayed rows are deleted';
