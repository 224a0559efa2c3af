-- The tokens a message's copies carry, kept for a retry (ADR 0150, amended by ADR 0196): now in the
-- copy_retry row itself, encrypted with the blob store's key ring (AES-256-GCM, the message id bound as
-- associated data: SealedValues), instead of in a blob of their own. A blob cost a file (or an object),
-- two fsyncs, a rename and a delete per message; the row is written anyway. Only ciphertext is stored:
-- the key ring is never in the database. Set to null with context_blob once every copy was accepted.
-- Rows written before keep their context_blob, still read and purged as before.
alter table copy_retry add column context bytea;
