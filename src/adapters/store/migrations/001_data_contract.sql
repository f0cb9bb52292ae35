-- The data contract of DESIGN.md: what analytics reads and what sources write.
-- Times are timestamptz, money is numeric. Ids are text so that any warehouse's keys fit.

CREATE TABLE customers (
  id              text PRIMARY KEY,
  first_order_at  timestamptz,
  country         text
);

CREATE TABLE orders (
  id           text PRIMARY KEY,
  customer_id  text NOT NULL REFERENCES customers (id),
  ordered_at   timestamptz NOT NULL,
  revenue      numeric(14, 2) NOT NULL CHECK (revenue >= 0),
  currency     text NOT NULL DEFAULT 'EUR'
);
CREATE INDEX orders_ordered_at ON orders (ordered_at);
CREATE INDEX orders_customer ON orders (customer_id, ordered_at);

CREATE TABLE touchpoints (
  id            text PRIMARY KEY,
  customer_id   text,
  anonymous_id  text,
  at            timestamptz NOT NULL,
  channel       text NOT NULL,
  source        text,
  medium        text,
  campaign      text,
  device        text,
  country       text,
  order_id      text,
  CHECK (customer_id IS NOT NULL OR anonymous_id IS NOT NULL)
);
CREATE INDEX touchpoints_at ON touchpoints (at);
CREATE INDEX touchpoints_order ON touchpoints (order_id) WHERE order_id IS NOT NULL;
CREATE INDEX touchpoints_customer ON touchpoints (customer_id, at);

CREATE TABLE reported_conversions (
  day          date NOT NULL,
  channel      text NOT NULL,
  conversions  numeric(14, 2) NOT NULL,
  revenue      numeric(14, 2) NOT NULL DEFAULT 0,
  source       text NOT NULL DEFAULT 'ga4',
  PRIMARY KEY (day, channel, source)
);

CREATE TABLE tracking_events (
  hour        timestamptz NOT NULL,
  event_name  text NOT NULL,
  count       bigint NOT NULL CHECK (count >= 0),
  source      text NOT NULL DEFAULT 'ga4',
  PRIMARY KEY (hour, event_name, source)
);
CREATE INDEX tracking_events_name_hour ON tracking_events (event_name, hour);

CREATE TABLE pagespeed_runs (
  id                 bigserial PRIMARY KEY,
  at                 timestamptz NOT NULL,
  url                text NOT NULL,
  form_factor        text NOT NULL CHECK (form_factor IN ('mobile', 'desktop')),
  kind               text NOT NULL CHECK (kind IN ('lab', 'field')),
  performance_score  real,
  lcp_ms             real,
  inp_ms             real,
  cls                real,
  ttfb_ms            real,
  tbt_ms             real,
  third_party_ms     real,
  third_party_bytes  bigint,
  source             text NOT NULL DEFAULT 'psi',
  details            jsonb,
  UNIQUE (url, form_factor, kind, at, source)
);
CREATE INDEX pagespeed_runs_url_at ON pagespeed_runs (url, at);

CREATE TABLE changes (
  id       bigserial PRIMARY KEY,
  at       timestamptz NOT NULL,
  kind     text NOT NULL CHECK (kind IN ('deploy', 'tag_manager', 'campaign', 'config')),
  ref      text NOT NULL,
  author   text,
  summary  text,
  url      text,
  details  jsonb,
  UNIQUE (kind, ref)
);
CREATE INDEX changes_at ON changes (at);

CREATE TABLE spend (
  day       date NOT NULL,
  channel   text NOT NULL,
  campaign  text NOT NULL DEFAULT '',
  cost      numeric(14, 2) NOT NULL CHECK (cost >= 0),
  currency  text NOT NULL DEFAULT 'EUR',
  PRIMARY KEY (day, channel, campaign)
);

CREATE TABLE budgets (
  channel       text NOT NULL,
  period_start  date NOT NULL,
  period_end    date NOT NULL,
  cap           numeric(14, 2) NOT NULL CHECK (cap >= 0),
  currency      text NOT NULL DEFAULT 'EUR',
  PRIMARY KEY (channel, period_start),
  CHECK (period_end >= period_start)
);
