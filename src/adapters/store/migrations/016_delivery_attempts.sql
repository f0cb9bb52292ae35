-- Delivery attempts that can be checked after a crash, posts into threads and edits of messages the
-- outbox did not post itself, and replies re-sent smaller after a platform refused their size.
ALTER TABLE outbox
  -- Set just before a post is sent and cleared with its outcome: a row claimed again while it is set
  -- was cut off mid-send, so its platform is asked whether the post arrived before it is sent again.
  ADD COLUMN attempt_started_at timestamptz,
  -- How many times the reply was made smaller after "too large" answers (charts left out, tables cut).
  ADD COLUMN reduced_steps integer NOT NULL DEFAULT 0,
  -- A reply in a thread the outbox did not start (a person's thread), by the platform's thread id.
  ADD COLUMN in_thread text,
  -- An edit of a message the outbox did not post (an older message, a card a button was clicked on).
  ADD COLUMN edits_message text,
  ADD CONSTRAINT outbox_one_target CHECK (num_nonnulls(thread_of, replaces, in_thread, edits_message) <= 1);
