import type {
  IncidentCause, IncidentChange, IncidentChangeResult, IncidentEventKind, IncidentEventRecord, IncidentEvidence, IncidentRecord, IncidentsData,
} from '../../../bot/data-port.js';
import { incidentEventOf } from '../../../bot/data-port.js';
import type { Reply } from '../../../bot/reply.js';
import { sqlParams } from '../sql-params.js';
import type { Db } from '../db.js';
import { enqueuePost } from './outbox.js';

/** An incident as the monitors see it: the record plus what they need to post and dedupe. */
export interface StoredIncident extends IncidentRecord {
  rootOutboxId: number | null;
}

type IncidentRow = {
  id: number; signal: string; target: string; status: IncidentRecord['status']; severity: IncidentRecord['severity']; title: string;
  owner_team: IncidentRecord['ownerTeam']; opened_at: Date; acknowledged_at: Date | null; acknowledged_by: string | null;
  resolved_at: Date | null; resolved_by: string | null; muted_until: Date | null; breach_started_at: Date | null;
  evidence: IncidentEvidence; cause: IncidentCause[] | null; root_outbox_id: number | null;
};

const COLUMNS = `id, signal, target, status, severity, title, owner_team, opened_at, acknowledged_at, acknowledged_by, resolved_at,
  resolved_by, muted_until, breach_started_at, evidence, cause, root_outbox_id`;

function toIncident(row: IncidentRow): StoredIncident {
  return {
    id: row.id, signal: row.signal, target: row.target, status: row.status, severity: row.severity, title: row.title,
    ownerTeam: row.owner_team, openedAt: row.opened_at, acknowledgedAt: row.acknowledged_at, acknowledgedBy: row.acknowledged_by,
    resolvedAt: row.resolved_at, resolvedBy: row.resolved_by, mutedUntil: row.muted_until, breachStartedAt: row.breach_started_at,
    evidence: row.evidence, causes: row.cause ?? [], rootOutboxId: row.root_outbox_id,
  };
}

/** The latest incident of a signal and target, live or resolved; the caller holds the monitor_state lock. */
export async function latestIncident(tx: Db, signal: string, target: string): Promise<StoredIncident | null> {
  const [row] = await tx.query<IncidentRow>(`SELECT ${COLUMNS} FROM incidents WHERE signal = $1 AND target = $2 ORDER BY id DESC LIMIT 1`, [signal, target]);
  return row ? toIncident(row) : null;
}

export interface NewIncident {
  signal: string;
  target: string;
  severity: IncidentRecord['severity'];
  title: string;
  ownerTeam: IncidentRecord['ownerTeam'];
  openedAt: Date;
  breachStartedAt: Date | null;
  evidence: IncidentEvidence;
  causes: IncidentCause[];
}

export async function insertIncident(tx: Db, incident: NewIncident): Promise<number> {
  const [row] = await tx.query<{ id: number }>(
    `INSERT INTO incidents (signal, target, status, severity, title, owner_team, opened_at, last_breach_at, breach_started_at, evidence, cause)
     VALUES ($1, $2, 'open', $3, $4, $5, $6, $6, $7, $8::jsonb, $9::jsonb) RETURNING id`,
    [incident.signal, incident.target, incident.severity, incident.title, incident.ownerTeam, incident.openedAt, incident.breachStartedAt,
      JSON.stringify(incident.evidence), JSON.stringify(incident.causes)],
  );
  if (!row) throw new Error('insert into incidents returned no id');
  return row.id;
}

export interface IncidentPatch {
  status?: IncidentRecord['status'];
  severity?: IncidentRecord['severity'];
  ownerTeam?: IncidentRecord['ownerTeam'];
  evidence?: IncidentEvidence;
  causes?: IncidentCause[];
  lastBreachAt?: Date;
  breachStartedAt?: Date | null;
  acknowledged?: { at: Date; by: string } | null;
  resolved?: { at: Date; by: string } | null;
  mutedUntil?: Date;
  rootOutboxId?: number;
}

/** Sets only the fields given; `null` for acknowledged/resolved clears them (re-open). */
export async function updateIncident(tx: Db, id: number, patch: IncidentPatch): Promise<void> {
  const sets: string[] = [];
  const p = sqlParams();
  const set = (column: string, value: unknown, cast = '') => sets.push(`${column} = ${p.add(value)}${cast}`);
  if (patch.status !== undefined) set('status', patch.status);
  if (patch.severity !== undefined) set('severity', patch.severity);
  if (patch.ownerTeam !== undefined) set('owner_team', patch.ownerTeam);
  if (patch.evidence !== undefined) set('evidence', JSON.stringify(patch.evidence), '::jsonb');
  if (patch.causes !== undefined) set('cause', JSON.stringify(patch.causes), '::jsonb');
  if (patch.lastBreachAt !== undefined) set('last_breach_at', patch.lastBreachAt);
  if (patch.breachStartedAt !== undefined) set('breach_started_at', patch.breachStartedAt);
  if (patch.acknowledged !== undefined) {
    set('acknowledged_at', patch.acknowledged?.at ?? null);
    set('acknowledged_by', patch.acknowledged?.by ?? null);
  }
  if (patch.resolved !== undefined) {
    set('resolved_at', patch.resolved?.at ?? null);
    set('resolved_by', patch.resolved?.by ?? null);
  }
  if (patch.mutedUntil !== undefined) set('muted_until', patch.mutedUntil);
  if (patch.rootOutboxId !== undefined) set('root_outbox_id', patch.rootOutboxId);
  if (sets.length === 0) return;
  await tx.query(`UPDATE incidents SET ${sets.join(', ')} WHERE id = ${p.add(id)}`, p.values);
}

/** Every state change is an event with who and when; the id keys the posts it causes. */
export async function insertIncidentEvent(tx: Db, incidentId: number, event: IncidentEventRecord & { kind: IncidentEventKind }): Promise<number> {
  const [row] = await tx.query<{ id: number }>(
    'INSERT INTO incident_events (incident_id, at, kind, actor, details) VALUES ($1, $2, $3, $4, $5::jsonb) RETURNING id',
    [incidentId, event.at, event.kind, event.actor, event.details === null ? null : JSON.stringify(event.details)],
  );
  if (!row) throw new Error('insert into incident_events returned no id');
  return row.id;
}

export async function isSilenced(db: Db, signal: string, target: string, at: Date): Promise<boolean> {
  const rows = await db.query('SELECT 1 FROM silences WHERE signal = $1 AND (target IS NULL OR target = $2) AND until_at > $3 LIMIT 1', [signal, target, at]);
  return rows.length > 0;
}

/** Every copy of an incident's root post (one per team channel told), the first one first. */
export async function incidentRootCopies(tx: Db, incident: Pick<StoredIncident, 'id' | 'rootOutboxId'>): Promise<{ id: number; platform: string; channelId: string }[]> {
  const rows = await tx.query<{ id: number; platform: string; channel_id: string }>(
    `SELECT id, platform, channel_id FROM outbox
      WHERE (id = $1 OR dedupe_key = $2 OR dedupe_key LIKE $3) AND thread_of IS NULL AND replaces IS NULL ORDER BY id`,
    [incident.rootOutboxId ?? -1, `incident:${incident.id}:root`, `incident:${incident.id}:root:%`],
  );
  return rows.map((row) => ({ id: row.id, platform: row.platform, channelId: row.channel_id }));
}

/**
 * Every copy of the root post edited to `root`, and `note` in each copy's thread, keyed by the event
 * that caused them: when both teams were told, both copies read the same.
 */
export async function enqueueRootEditAndNote(tx: Db, incident: StoredIncident, eventId: number, posts: { root: Reply; note: Reply | null }): Promise<void> {
  if (incident.rootOutboxId === null) return;
  const key = `incident:${incident.id}:event:${eventId}`;
  for (const copy of await incidentRootCopies(tx, incident)) {
    // The first copy keeps the keys it always had, so an event queued before copies existed is not posted again.
    const suffix = copy.id === incident.rootOutboxId ? '' : `:${copy.id}`;
    await enqueuePost(tx, { dedupeKey: `${key}:root${suffix}`, reply: posts.root, replaces: copy.id });
    if (posts.note) await enqueuePost(tx, { dedupeKey: `${key}:note${suffix}`, reply: posts.note, threadOf: copy.id });
  }
}

function patchOf(change: IncidentChange, by: { actor: string; at: Date }): IncidentPatch {
  if (change.kind === 'acknowledge') return { status: 'acknowledged', acknowledged: { at: by.at, by: by.actor } };
  if (change.kind === 'resolve') return { status: 'resolved', resolved: { at: by.at, by: by.actor } };
  return { mutedUntil: change.until };
}

/** Incidents for the chat commands; a person's change writes its event and posts in one transaction. */
export function incidentsQueries(db: Db): IncidentsData {
  return {
    async incidents(filter, limit) {
      const rows = await db.query<IncidentRow>(
        `SELECT ${COLUMNS} FROM incidents WHERE $1::text = 'all' OR status <> 'resolved' ORDER BY id DESC LIMIT $2`, [filter, limit]);
      return rows.map(toIncident);
    },

    async incident(id) {
      const [row] = await db.query<IncidentRow>(`SELECT ${COLUMNS} FROM incidents WHERE id = $1`, [id]);
      if (!row) return null;
      const events = await db.query<{ at: Date; kind: string; actor: string | null; details: Record<string, unknown> | null }>(
        'SELECT at, kind, actor, details FROM incident_events WHERE incident_id = $1 ORDER BY at, id', [id]);
      return { incident: toIncident(row), events };
    },

    async changeIncident(id, change, by, render): Promise<IncidentChangeResult> {
      return db.transaction(async (tx) => {
        const [row] = await tx.query<IncidentRow>(`SELECT ${COLUMNS} FROM incidents WHERE id = $1 FOR UPDATE`, [id]);
        if (!row) return { ok: false, reason: 'not_found' };
        if (row.status === 'resolved') return { ok: false, reason: 'already_resolved' };
        await updateIncident(tx, id, patchOf(change, by));
        const eventId = await insertIncidentEvent(tx, id, { at: by.at, kind: incidentEventOf(change.kind), actor: by.actor, details: change.kind === 'mute' ? { until: change.until.toISOString() } : null });
        const [updated] = await tx.query<IncidentRow>(`SELECT ${COLUMNS} FROM incidents WHERE id = $1`, [id]);
        if (!updated) throw new Error(`incident ${id} vanished inside its transaction`);
        const incident = toIncident(updated);
        await enqueueRootEditAndNote(tx, incident, eventId, render(incident));
        return { ok: true, incident };
      });
    },

    async addSilence(silence) {
      await db.query('INSERT INTO silences (signal, target, until_at, created_by, created_at) VALUES ($1, $2, $3, $4, $5)',
        [silence.signal, silence.target, silence.until, silence.actor, silence.at]);
    },
  };
}
