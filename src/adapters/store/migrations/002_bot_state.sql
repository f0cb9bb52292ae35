-- The bot's own state, beside the data contract.

CREATE TABLE settings (
  scope  text NOT NULL,          -- 'global' or a channel address like 'slack:C0123'
  key    text NOT NULL,
  value  jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (scope, key)
);

CREATE TABLE audit_log (
  id        bigserial PRIMARY KEY,
  at        timestamptz NOT NULL DEFAULT now(),
  platform  text NOT NULL,
  channel   text,
  actor     text,
  action    text NOT NULL,
  outcome   text NOT NULL,
  details   jsonb
);

-- Inbound platform events already handled (Slack retries the same event_id).
CREATE TABLE processed_events (
  platform     text NOT NULL,
  event_id     text NOT NULL,
  received_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (platform, event_id)
);

-- Where proactive posts go (Teams needs serviceUrl, tenant and conversation ids).
CREATE TABLE conversation_refs (
  platform    text NOT NULL,
  channel_id  text NOT NULL,
  reference   jsonb NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (platform, channel_id)
);

CREATE TABLE subscriptions (
  id          bigserial PRIMARY KEY,
  kind        text NOT NULL DEFAULT 'weekly_digest',
  platform    text NOT NULL,
  channel_id  text NOT NULL,
  owner       text,
  weekday     smallint NOT NULL CHECK (weekday BETWEEN 0 AND 6),   -- 0 = Sunday
  local_time  text NOT NULL CHECK (local_time ~ '^[0-2][0-9]:[0-5][0-9]$'),
  time_zone   text NOT NULL,
  locale      text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (kind, platform, channel_id)
);

-- One row per job and period: the unique key is the lease that keeps replicas from running twice.
CREATE TABLE job_runs (
  id           bigserial PRIMARY KEY,
  job          text NOT NULL,
  period_key   text NOT NULL,
  holder       text NOT NULL,
  started_at   timestamptz NOT NULL,
  lease_until  timestamptz NOT NULL,
  finished_at  timestamptz,
  outcome      text CHECK (outcome IN ('ok', 'failed', 'skipped')),
  error        text,
  UNIQUE (job, period_key)
);

-- Every outbound post: written with the state change that causes it, delivered with retries.
CREATE TABLE outbox (
  id               bigserial PRIMARY KEY,
  dedupe_key       text NOT NULL UNIQUE,
  platform         text NOT NULL,
  channel_id       text NOT NULL,
  thread_of        bigint REFERENCES outbox (id),   -- reply in the thread of this post
  replaces         bigint REFERENCES outbox (id),   -- edit this post in place
  payload          jsonb NOT NULL,
  status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts         integer NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz NOT NULL DEFAULT now(),
  last_error       text,
  message_id       text,
  thread_id        text,
  owner            text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  delivered_at     timestamptz
);
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE status = 'pending';

CREATE TABLE incidents (
  id                bigserial PRIMARY KEY,
  signal            text NOT NULL,
  target            text NOT NULL,
  status            text NOT NULL CHECK (status IN ('open', 'acknowledged', 'resolved')),
  severity          text NOT NULL CHECK (severity IN ('critical', 'major', 'minor')),
  title             text NOT NULL,
  owner_team        text NOT NULL CHECK (owner_team IN ('dev', 'marketing', 'both')),
  opened_at         timestamptz NOT NULL,
  acknowledged_at   timestamptz,
  acknowledged_by   text,
  resolved_at       timestamptz,
  resolved_by       text,
  muted_until       timestamptz,
  last_breach_at    timestamptz,
  evidence          jsonb NOT NULL DEFAULT '{}',
  cause             jsonb,
  root_outbox_id    bigint REFERENCES outbox (id)
);
-- One live incident per signal and target, never duplicates.
CREATE UNIQUE INDEX incidents_one_live ON incidents (signal, target) WHERE status <> 'resolved';

CREATE TABLE incident_events (
  id           bigserial PRIMARY KEY,
  incident_id  bigint NOT NULL REFERENCES incidents (id),
  at           timestamptz NOT NULL,
  kind         text NOT NULL,
  actor        text,
  details      jsonb
);

-- Per signal and target: consecutive breaches and oks, for hysteresis and persistence.
CREATE TABLE monitor_state (
  signal            text NOT NULL,
  target            text NOT NULL,
  breaches_in_row   integer NOT NULL DEFAULT 0,
  oks_in_row        integer NOT NULL DEFAULT 0,
  last_value        double precision,
  last_evaluated_at timestamptz,
  PRIMARY KEY (signal, target)
);

CREATE TABLE silences (
  id          bigserial PRIMARY KEY,
  signal      text NOT NULL,
  target      text,                 -- null silences every target of the signal
  until_at    timestamptz NOT NULL,
  created_by  text,
  created_at  timestamptz NOT NULL DEFAULT now()
);
