-- GA4's BigQuery export as a touch source (src/adapters/sources/ga4-export-*.ts). Each export day
-- table (events_YYYYMMDD) is kept as the sessions it held, so importing a day again replaces that
-- day exactly; a session crossing midnight is in two day tables, and its touch (touchpoints.id
-- 'ga4:' user_pseudo_id ':' ga_session_id) is made from both parts.

CREATE TABLE ga4_export_sessions (
  day             date NOT NULL,
  touch_id        text NOT NULL,
  user_pseudo_id  text NOT NULL,
  -- The signed-in user id (the shop's customer id) and the purchase's transaction id (its order id).
  user_id         text,
  transaction_id  text,
  first_event_at  timestamptz NOT NULL,
  source          text,
  medium          text,
  campaign        text,
  channel         text NOT NULL,
  device          text,
  country         text,
  PRIMARY KEY (day, touch_id)
);
CREATE INDEX ga4_export_sessions_touch ON ga4_export_sessions (touch_id);

-- One row per day imported: what it held, where it came from and, from the BigQuery API, the
-- table's last modification (GA4 rewrites a day's table for up to three days), so an unchanged
-- table is not read again.
CREATE TABLE ga4_export_days (
  day                date PRIMARY KEY,
  origin             text NOT NULL CHECK (origin IN ('file', 'bigquery')),
  events             bigint NOT NULL,
  sessions           integer NOT NULL,
  table_modified_at  timestamptz,
  imported_at        timestamptz NOT NULL DEFAULT now()
);
