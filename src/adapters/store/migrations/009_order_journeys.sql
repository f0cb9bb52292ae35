-- Attribution journeys kept collapsed as data arrives, so a question reads one row per order (and
-- per browsing visitor) instead of sorting every raw touch into paths again. Like customer_summaries
-- (003): triggers only mark orders and visitors dirty, the next reader recomputes the dirty ones
-- (src/adapters/store/queries/order-journeys.ts).

-- One row per order: its touches (touchpoints.order_id) in the 30 days before it (the commands'
-- lookback), in time order. Paths and ages are NULL when no touch falls in that window, so the
-- orders without touches are counted from the same rows.
CREATE TABLE order_journeys (
  order_id       text PRIMARY KEY,
  ordered_at     timestamptz NOT NULL,
  revenue        numeric(14, 2) NOT NULL,
  -- Labels joined by chr(31); campaign labels fall back to '(channel)' when a touch has no campaign.
  channel_path   text,
  campaign_path  text,
  -- Whole days from each touch to the order, joined by ','.
  ages           text
);
CREATE INDEX order_journeys_ordered_at ON order_journeys (ordered_at);

CREATE TABLE dirty_orders (
  order_id  text PRIMARY KEY
);

-- One row per visitor ('c:' || customer_id, else 'a:' || anonymous_id) with every touch of theirs
-- that belongs to no order: the whole non-converting journey and the span it covers. A visitor
-- whose span crosses an edge of a range is cut to it with the touch times (ats), without going
-- back to the touches.
CREATE TABLE browsing_journeys (
  visitor        text PRIMARY KEY,
  first_at       timestamptz NOT NULL,
  last_at        timestamptz NOT NULL,
  channel_path   text NOT NULL,
  campaign_path  text NOT NULL,
  -- The time of each touch of the paths, in path order.
  ats            timestamptz[] NOT NULL
);
-- Finds the visitors at the edges of a range: those starting near an edge, and those of a short
-- span crossing one (they start at most 168 hours, SHORT_SPAN in order-journeys.ts, before it).
CREATE INDEX browsing_journeys_span ON browsing_journeys (first_at, last_at);
-- Visitors of a longer span crossing an edge, found by where they end; a GiST index on the span
-- would serve both kinds but costs twenty times as much to build.
CREATE INDEX browsing_journeys_long ON browsing_journeys (last_at) WHERE last_at - first_at > interval '168 hours';

-- Visitors counted per path and UTC day of their first touch: a range reads its whole days here
-- (tens of thousands of rows instead of millions of visitors) and only the visitors at its edges
-- from browsing_journeys.
CREATE TABLE browsing_day_paths (
  first_day      date NOT NULL,
  channel_path   text NOT NULL,
  campaign_path  text NOT NULL,
  visitors       integer NOT NULL,
  PRIMARY KEY (first_day, channel_path, campaign_path)
);
-- A refresh moves counts between keys; the ones it empties are deleted through this.
CREATE INDEX browsing_day_paths_empty ON browsing_day_paths (first_day) WHERE visitors = 0;

CREATE TABLE dirty_visitors (
  visitor  text PRIMARY KEY
);

-- A visitor's touches without an order, to refresh that visitor's journey. The planner keeps no
-- statistics for the expression of a partial index: without its own, it takes every dirty visitor
-- for a match of the whole table and reads all of it.
CREATE INDEX touchpoints_browsing_visitor ON touchpoints ((coalesce('c:' || customer_id, 'a:' || anonymous_id)))
  WHERE order_id IS NULL;
CREATE STATISTICS touchpoints_visitor ON (coalesce('c:' || customer_id, 'a:' || anonymous_id)) FROM touchpoints;
ANALYZE touchpoints;

CREATE FUNCTION mark_order_journeys_dirty() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Each branch names only the transition table its event has; PL/pgSQL plans a statement on first use.
  IF TG_OP = 'INSERT' OR TG_OP = 'UPDATE' THEN
    INSERT INTO dirty_orders (order_id) SELECT DISTINCT id FROM new_orders ON CONFLICT DO NOTHING;
  END IF;
  IF TG_OP = 'UPDATE' OR TG_OP = 'DELETE' THEN
    INSERT INTO dirty_orders (order_id) SELECT DISTINCT id FROM old_orders ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END $$;

-- PostgreSQL allows transition tables only on single-event triggers, hence three per table.
CREATE TRIGGER orders_mark_journeys_insert AFTER INSERT ON orders
  REFERENCING NEW TABLE AS new_orders FOR EACH STATEMENT EXECUTE FUNCTION mark_order_journeys_dirty();
CREATE TRIGGER orders_mark_journeys_update AFTER UPDATE ON orders
  REFERENCING OLD TABLE AS old_orders NEW TABLE AS new_orders FOR EACH STATEMENT EXECUTE FUNCTION mark_order_journeys_dirty();
CREATE TRIGGER orders_mark_journeys_delete AFTER DELETE ON orders
  REFERENCING OLD TABLE AS old_orders FOR EACH STATEMENT EXECUTE FUNCTION mark_order_journeys_dirty();

-- A touch belongs to its order's journey when it has an order_id, else to its visitor's browsing
-- journey; an update can move it from one to the other, so old and new rows both mark.
CREATE FUNCTION mark_touchpoint_journeys_dirty() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' OR TG_OP = 'UPDATE' THEN
    INSERT INTO dirty_orders (order_id)
      SELECT DISTINCT order_id FROM new_touchpoints WHERE order_id IS NOT NULL ON CONFLICT DO NOTHING;
    INSERT INTO dirty_visitors (visitor)
      SELECT DISTINCT coalesce('c:' || customer_id, 'a:' || anonymous_id) FROM new_touchpoints WHERE order_id IS NULL
      ON CONFLICT DO NOTHING;
  END IF;
  IF TG_OP = 'UPDATE' OR TG_OP = 'DELETE' THEN
    INSERT INTO dirty_orders (order_id)
      SELECT DISTINCT order_id FROM old_touchpoints WHERE order_id IS NOT NULL ON CONFLICT DO NOTHING;
    INSERT INTO dirty_visitors (visitor)
      SELECT DISTINCT coalesce('c:' || customer_id, 'a:' || anonymous_id) FROM old_touchpoints WHERE order_id IS NULL
      ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER touchpoints_mark_journeys_insert AFTER INSERT ON touchpoints
  REFERENCING NEW TABLE AS new_touchpoints FOR EACH STATEMENT EXECUTE FUNCTION mark_touchpoint_journeys_dirty();
CREATE TRIGGER touchpoints_mark_journeys_update AFTER UPDATE ON touchpoints
  REFERENCING OLD TABLE AS old_touchpoints NEW TABLE AS new_touchpoints FOR EACH STATEMENT EXECUTE FUNCTION mark_touchpoint_journeys_dirty();
CREATE TRIGGER touchpoints_mark_journeys_delete AFTER DELETE ON touchpoints
  REFERENCING OLD TABLE AS old_touchpoints FOR EACH STATEMENT EXECUTE FUNCTION mark_touchpoint_journeys_dirty();

-- TRUNCATE fires no row or DELETE triggers. Without orders no order journey is left; without
-- touches no browsing journey is left, and every order's journey becomes empty (the next reader
-- rebuilds them, since then all are dirty).
CREATE FUNCTION forget_order_journeys() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE order_journeys, dirty_orders;
  RETURN NULL;
END $$;

CREATE FUNCTION forget_touchpoint_journeys() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE browsing_journeys, browsing_day_paths, dirty_visitors;
  INSERT INTO dirty_orders (order_id) SELECT order_id FROM order_journeys WHERE channel_path IS NOT NULL
    ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;

CREATE TRIGGER orders_forget_journeys AFTER TRUNCATE ON orders
  FOR EACH STATEMENT EXECUTE FUNCTION forget_order_journeys();
CREATE TRIGGER touchpoints_forget_journeys AFTER TRUNCATE ON touchpoints
  FOR EACH STATEMENT EXECUTE FUNCTION forget_touchpoint_journeys();

-- Data loaded before this migration: one dirty key is enough, since a refresh rebuilds everything
-- when the dirty keys are at least half the stored journeys (none yet). Marking every order and
-- visitor would only write millions of rows that the rebuild then truncates.
INSERT INTO dirty_orders (order_id) SELECT id FROM orders LIMIT 1;
INSERT INTO dirty_visitors (visitor)
  SELECT coalesce('c:' || customer_id, 'a:' || anonymous_id) FROM touchpoints WHERE order_id IS NULL LIMIT 1;
