-- The paint metrics a Lighthouse or PageSpeed run measures beside LCP: First Contentful Paint and
-- Speed Index (lab), and the field p75 of FCP that the Chrome UX Report publishes. NULL where a run
-- did not measure them (rows written before this migration, field rows for Speed Index).
ALTER TABLE pagespeed_runs
  ADD COLUMN fcp_ms real,
  ADD COLUMN speed_index_ms real;
