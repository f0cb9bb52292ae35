-- Delivery claims: a worker claims a due outbox row for a short while and posts outside any
-- transaction, so a slow chat platform never holds a database lock (PGlite has one connection).
-- A worker that dies leaves a claim that simply expires.
ALTER TABLE outbox
  ADD COLUMN claimed_by text,
  ADD COLUMN claimed_until timestamptz,
  -- Teams starts a channel thread as a new conversation; replies and edits go to it.
  ADD COLUMN conversation_id text;

-- The head of each channel's queue: per-channel order looks for earlier pending rows.
CREATE INDEX outbox_channel_pending ON outbox (platform, channel_id, id) WHERE status = 'pending';
CREATE INDEX outbox_failed ON outbox (id) WHERE status = 'failed';
