-- Per-customer order summaries for RFM and churn, kept correct as orders arrive, change or go.
-- Triggers only mark customers dirty (cheap, one statement per write); the next query that reads
-- summaries recomputes the dirty ones (src/adapters/store/queries/customer-summaries.ts).

CREATE TABLE customer_summaries (
  customer_id        text PRIMARY KEY,
  first_order_at     timestamptz NOT NULL,
  last_order_at      timestamptz NOT NULL,
  orders             integer NOT NULL,
  -- Distinct UTC calendar days with an order: BG/NBD counts a day's orders as one purchase.
  purchase_days      integer NOT NULL,
  revenue            numeric(16, 2) NOT NULL,
  -- Revenue of the first purchase day, so repeat mean value = (revenue − this) / (purchase_days − 1).
  first_day_revenue  numeric(16, 2) NOT NULL
);
CREATE INDEX customer_summaries_last_order ON customer_summaries (last_order_at);

CREATE TABLE dirty_customers (
  customer_id  text PRIMARY KEY
);

-- One row; the version goes up with every statement that writes orders, so cached model fits
-- know when the data under them changed. A row (not a sequence) so the bump is transactional.
CREATE TABLE order_data_version (
  singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  version    bigint NOT NULL DEFAULT 0
);
INSERT INTO order_data_version DEFAULT VALUES;

-- Fitted model parameters, reused until the order data changes.
CREATE TABLE model_cache (
  model         text NOT NULL,
  as_of         date NOT NULL,
  data_version  bigint NOT NULL,
  params        jsonb NOT NULL,
  fitted_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (model, as_of)
);

CREATE FUNCTION mark_order_customers_dirty() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Each branch names only the transition table its event has; PL/pgSQL plans a statement on first use.
  IF TG_OP = 'INSERT' OR TG_OP = 'UPDATE' THEN
    INSERT INTO dirty_customers (customer_id) SELECT DISTINCT customer_id FROM new_orders ON CONFLICT DO NOTHING;
  END IF;
  IF TG_OP = 'UPDATE' OR TG_OP = 'DELETE' THEN
    INSERT INTO dirty_customers (customer_id) SELECT DISTINCT customer_id FROM old_orders ON CONFLICT DO NOTHING;
  END IF;
  UPDATE order_data_version SET version = version + 1;
  RETURN NULL;
END $$;

-- PostgreSQL allows transition tables only on single-event triggers, hence three.
CREATE TRIGGER orders_mark_dirty_insert AFTER INSERT ON orders
  REFERENCING NEW TABLE AS new_orders FOR EACH STATEMENT EXECUTE FUNCTION mark_order_customers_dirty();
CREATE TRIGGER orders_mark_dirty_update AFTER UPDATE ON orders
  REFERENCING OLD TABLE AS old_orders NEW TABLE AS new_orders FOR EACH STATEMENT EXECUTE FUNCTION mark_order_customers_dirty();
CREATE TRIGGER orders_mark_dirty_delete AFTER DELETE ON orders
  REFERENCING OLD TABLE AS old_orders FOR EACH STATEMENT EXECUTE FUNCTION mark_order_customers_dirty();

CREATE FUNCTION forget_customer_summaries() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE customer_summaries, dirty_customers;
  UPDATE order_data_version SET version = version + 1;
  RETURN NULL;
END $$;

-- TRUNCATE fires no row or DELETE triggers; with no orders left, no summary is left either.
CREATE TRIGGER orders_forget_summaries AFTER TRUNCATE ON orders
  FOR EACH STATEMENT EXECUTE FUNCTION forget_customer_summaries();

-- Orders loaded before this migration: summarised on the first refresh.
INSERT INTO dirty_customers (customer_id) SELECT DISTINCT customer_id FROM orders;
