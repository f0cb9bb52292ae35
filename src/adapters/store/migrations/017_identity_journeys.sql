-- Journeys by identity and lookback window (replacing 009's journeys by touchpoints.order_id alone),
-- as GA4 and ChannelAttribution build them. Analytics exports tag only the converting session with
-- the order; the visits before it carry the visitor id and, once signed in, the customer id.
--
-- - A visitor (anonymous_id) is linked to a customer by a touch that carries both ids, or by a touch
--   of theirs pinned to one of the customer's orders: from the first such touch on, and back over
--   the lookback window before it. A visitor linked to several customers (a shared device) belongs
--   to each from its own first link until the next customer's.
-- - A touch whose order_id names an existing order belongs to that order. Any other touch belongs
--   to its customer's (or linked customer's) next order at or after it, if that order is within the
--   lookback window; a touch after an order starts the next journey.
-- - The touches that belong to no order are browsing journeys: one per anonymous visitor, and one
--   per customer and stretch between two of their orders.
--
-- Triggers mark identities ('c:' customer id, 'a:' anonymous id) dirty; the next reader recomputes
-- their links and journeys (src/adapters/store/queries/order-journeys.ts).

DROP TRIGGER orders_mark_journeys_insert ON orders;
DROP TRIGGER orders_mark_journeys_update ON orders;
DROP TRIGGER orders_mark_journeys_delete ON orders;
DROP TRIGGER touchpoints_mark_journeys_insert ON touchpoints;
DROP TRIGGER touchpoints_mark_journeys_update ON touchpoints;
DROP TRIGGER touchpoints_mark_journeys_delete ON touchpoints;
DROP TRIGGER orders_forget_journeys ON orders;
DROP TRIGGER touchpoints_forget_journeys ON touchpoints;
DROP FUNCTION mark_order_journeys_dirty();
DROP FUNCTION mark_touchpoint_journeys_dirty();
DROP FUNCTION forget_order_journeys();
DROP FUNCTION forget_touchpoint_journeys();
DROP TABLE dirty_orders, dirty_visitors;
-- Found the browsing touches of a visitor key that no longer exists.
DROP STATISTICS touchpoints_visitor;
DROP INDEX touchpoints_browsing_visitor;

-- A visitor's touches in time order: to link them and to find those that fall in a link.
CREATE INDEX touchpoints_anonymous ON touchpoints (anonymous_id, at) WHERE anonymous_id IS NOT NULL;

-- Each visitor's link to each customer it was seen as: the first touch that tied them, and the
-- next link's first touch (NULL for the visitor's last link). The first link of a visitor also
-- takes the touches of the lookback window before it.
CREATE TABLE visitor_links (
  anonymous_id  text NOT NULL,
  customer_id   text NOT NULL,
  first_at      timestamptz NOT NULL,
  until_at      timestamptz,
  is_first      boolean NOT NULL,
  PRIMARY KEY (anonymous_id, customer_id)
);
CREATE INDEX visitor_links_customer ON visitor_links (customer_id);

TRUNCATE order_journeys;
ALTER TABLE order_journeys ADD COLUMN customer_id text NOT NULL;
CREATE INDEX order_journeys_customer ON order_journeys (customer_id);

DROP TABLE browsing_journeys;
TRUNCATE browsing_day_paths;
-- One row per identity and stretch: 'a:' || anonymous_id (after_orders 0), or 'c:' || customer_id
-- with after_orders the number of the customer's orders before these touches.
CREATE TABLE browsing_journeys (
  identity       text NOT NULL,
  after_orders   integer NOT NULL,
  first_at       timestamptz NOT NULL,
  last_at        timestamptz NOT NULL,
  channel_path   text NOT NULL,
  campaign_path  text NOT NULL,
  -- The time of each touch of the paths, in path order.
  ats            timestamptz[] NOT NULL,
  PRIMARY KEY (identity, after_orders)
);
-- As in 009: visitors starting near a range edge, and short spans crossing one (SHORT_SPAN).
CREATE INDEX browsing_journeys_span ON browsing_journeys (first_at, last_at);
CREATE INDEX browsing_journeys_long ON browsing_journeys (last_at) WHERE last_at - first_at > interval '168 hours';

CREATE TABLE dirty_identities (
  identity  text PRIMARY KEY
);

-- An order's customer, and every identity of a touch pinned to it: moving or deleting the order
-- moves those touches (and the links they made) too.
CREATE FUNCTION mark_order_identities_dirty() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Each branch names only the transition table its event has; PL/pgSQL plans a statement on first use.
  IF TG_OP = 'INSERT' OR TG_OP = 'UPDATE' THEN
    INSERT INTO dirty_identities (identity)
      SELECT 'c:' || customer_id FROM new_orders
      UNION SELECT 'c:' || t.customer_id FROM touchpoints t WHERE t.order_id IN (SELECT id FROM new_orders) AND t.customer_id IS NOT NULL
      UNION SELECT 'a:' || t.anonymous_id FROM touchpoints t WHERE t.order_id IN (SELECT id FROM new_orders) AND t.anonymous_id IS NOT NULL
      ON CONFLICT DO NOTHING;
  END IF;
  IF TG_OP = 'UPDATE' OR TG_OP = 'DELETE' THEN
    INSERT INTO dirty_identities (identity)
      SELECT 'c:' || customer_id FROM old_orders
      UNION SELECT 'c:' || t.customer_id FROM touchpoints t WHERE t.order_id IN (SELECT id FROM old_orders) AND t.customer_id IS NOT NULL
      UNION SELECT 'a:' || t.anonymous_id FROM touchpoints t WHERE t.order_id IN (SELECT id FROM old_orders) AND t.anonymous_id IS NOT NULL
      ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER orders_mark_identities_insert AFTER INSERT ON orders
  REFERENCING NEW TABLE AS new_orders FOR EACH STATEMENT EXECUTE FUNCTION mark_order_identities_dirty();
CREATE TRIGGER orders_mark_identities_update AFTER UPDATE ON orders
  REFERENCING OLD TABLE AS old_orders NEW TABLE AS new_orders FOR EACH STATEMENT EXECUTE FUNCTION mark_order_identities_dirty();
CREATE TRIGGER orders_mark_identities_delete AFTER DELETE ON orders
  REFERENCING OLD TABLE AS old_orders FOR EACH STATEMENT EXECUTE FUNCTION mark_order_identities_dirty();

-- A touch's customer, its visitor (whose links the refresh recomputes, marking the customers they
-- reach) and the customer of the order it names.
CREATE FUNCTION mark_touchpoint_identities_dirty() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' OR TG_OP = 'UPDATE' THEN
    INSERT INTO dirty_identities (identity)
      SELECT 'c:' || customer_id FROM new_touchpoints WHERE customer_id IS NOT NULL
      UNION SELECT 'a:' || anonymous_id FROM new_touchpoints WHERE anonymous_id IS NOT NULL
      UNION SELECT 'c:' || o.customer_id FROM orders o WHERE o.id IN (SELECT order_id FROM new_touchpoints WHERE order_id IS NOT NULL)
      ON CONFLICT DO NOTHING;
  END IF;
  IF TG_OP = 'UPDATE' OR TG_OP = 'DELETE' THEN
    INSERT INTO dirty_identities (identity)
      SELECT 'c:' || customer_id FROM old_touchpoints WHERE customer_id IS NOT NULL
      UNION SELECT 'a:' || anonymous_id FROM old_touchpoints WHERE anonymous_id IS NOT NULL
      UNION SELECT 'c:' || o.customer_id FROM orders o WHERE o.id IN (SELECT order_id FROM old_touchpoints WHERE order_id IS NOT NULL)
      ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER touchpoints_mark_identities_insert AFTER INSERT ON touchpoints
  REFERENCING NEW TABLE AS new_touchpoints FOR EACH STATEMENT EXECUTE FUNCTION mark_touchpoint_identities_dirty();
CREATE TRIGGER touchpoints_mark_identities_update AFTER UPDATE ON touchpoints
  REFERENCING OLD TABLE AS old_touchpoints NEW TABLE AS new_touchpoints FOR EACH STATEMENT EXECUTE FUNCTION mark_touchpoint_identities_dirty();
CREATE TRIGGER touchpoints_mark_identities_delete AFTER DELETE ON touchpoints
  REFERENCING OLD TABLE AS old_touchpoints FOR EACH STATEMENT EXECUTE FUNCTION mark_touchpoint_identities_dirty();

-- TRUNCATE fires no row or DELETE triggers. Emptying orders or touches changes every journey: the
-- kept ones are emptied and one dirty mark is left, which the next reader (finding more marks than
-- kept journeys) answers with a full rebuild.
CREATE FUNCTION forget_journeys() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE order_journeys, browsing_journeys, browsing_day_paths, visitor_links, dirty_identities;
  INSERT INTO dirty_identities (identity) VALUES ('*');
  RETURN NULL;
END $$;

CREATE TRIGGER orders_forget_journeys AFTER TRUNCATE ON orders
  FOR EACH STATEMENT EXECUTE FUNCTION forget_journeys();
CREATE TRIGGER touchpoints_forget_journeys AFTER TRUNCATE ON touchpoints
  FOR EACH STATEMENT EXECUTE FUNCTION forget_journeys();

-- Data loaded before this migration: rebuilt by the first reader, as after a TRUNCATE.
INSERT INTO dirty_identities (identity) SELECT '*' WHERE EXISTS (SELECT 1 FROM orders) OR EXISTS (SELECT 1 FROM touchpoints);
