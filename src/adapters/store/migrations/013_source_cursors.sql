-- Where each incremental order source (the Shopify connector, the shop's own database) stopped:
-- the next run reads from here. `position` is the source's own cursor (an update time and a key,
-- or the bulk operation a backfill is waiting for), written in the transaction that stores the
-- orders read up to it, so a run that dies never skips an order.
CREATE TABLE source_cursors (
  source      text PRIMARY KEY,
  position    jsonb NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now()
);
