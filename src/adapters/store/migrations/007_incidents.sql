-- Incidents and monitors: what 002 left out.
-- ok_since: the hold period before an incident resolves is measured in time, not in evaluations.
ALTER TABLE monitor_state ADD COLUMN ok_since timestamptz;
-- When the problem began by the data, which is earlier than opened_at (persistence) and dates the likely cause.
ALTER TABLE incidents ADD COLUMN breach_started_at timestamptz;
CREATE INDEX incidents_signal_target ON incidents (signal, target, id DESC);
CREATE INDEX incident_events_incident ON incident_events (incident_id, id);
CREATE INDEX silences_signal_until ON silences (signal, until_at);
