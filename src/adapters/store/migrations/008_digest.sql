-- One weekly digest per subscription and ISO week: the unique key is what keeps two replicas, or a
-- job run twice, from composing a second one. The post itself is the outbox row it names.
CREATE TABLE digests (
  id               bigserial PRIMARY KEY,
  subscription_id  bigint NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
  week_key         text NOT NULL,          -- ISO week in the subscription's time zone, e.g. '2026-W48'
  outbox_id        bigint NOT NULL REFERENCES outbox (id),
  scheduled_at     timestamptz NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (subscription_id, week_key)
);
