-- Answers of the heavy customer questions (rfm's matrix, churn's population and top N), kept until
-- the order data changes: a row is served only while its data_version equals order_data_version's
-- (migration 003), which every statement writing orders raises, TRUNCATE included.
-- Only aggregates and top-N lists are stored, never a row per customer for every customer.
CREATE TABLE answer_cache (
  -- Which question, e.g. 'rfm_aggregates'; `key` is every input the answer depends on.
  kind          text NOT NULL,
  key           text NOT NULL,
  data_version  bigint NOT NULL,
  value         jsonb NOT NULL,
  computed_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (kind, key)
);
