import { lineChart } from './charts.js';
import type { IncidentCause, IncidentFinding, IncidentRecord } from './data-port.js';
import type { Formatter } from './format.js';
import type { MessageKey, Translate } from './messages/index.js';
import type { Block, Button, Reply } from './reply.js';
import { reply } from './reply.js';

/**
 * The posts of an incident's life: the root post (evidence, likely cause, owner, buttons), which is
 * edited in place as its status changes, and the notes in its thread. Monitors and the incident
 * commands both build them here, so a post looks the same whoever changed the incident.
 */
export interface PostContext {
  t: Translate;
  fmt: Formatter;
}

// More findings than this in a summary would bury the lead one; the root post lists them all.
const FINDINGS_IN_SUMMARY = 2;
const KB = 1000;
/** How long the Mute button silences an incident. */
export const MUTE_BUTTON_DURATION = '2h';

export function incidentTitle(incident: Pick<IncidentRecord, 'signal' | 'target'>, t: Translate): string {
  return incident.signal === 'speed' ? t('incident.title.speed', { target: incident.target }) : t('incident.title.tracking', { target: incident.target });
}

function valueText(value: number, unit: IncidentFinding['unit'], fmt: Formatter): string {
  if (unit === 'ratio') return fmt.percent(value, 0);
  if (unit === 'ms') return fmt.seconds(value);
  if (unit === 'bytes') return `${fmt.integer(Math.round(value / KB))} KB`;
  if (unit === 'score') return fmt.integer(Math.round(value * 100));
  return fmt.integer(Math.round(value));
}

type FindingKey = Extract<MessageKey, `incident.finding.${string}`>;
const FINDING_KEYS: Record<string, FindingKey> = {
  capture_rate: 'incident.finding.capture_rate', orders_unreported: 'incident.finding.orders_unreported',
  event_volume: 'incident.finding.event_volume', event_silent: 'incident.finding.event_silent',
  lab_lcp: 'incident.finding.lab_lcp', lab_tbt: 'incident.finding.lab_tbt', lab_score: 'incident.finding.lab_score',
  third_party_ms: 'incident.finding.third_party_ms', third_party_bytes: 'incident.finding.third_party_bytes',
  field_lcp: 'incident.finding.field_lcp', field_inp: 'incident.finding.field_inp', field_cls: 'incident.finding.field_cls',
};

export function findingText(finding: IncidentFinding, { t, fmt }: PostContext): string {
  const observed = valueText(finding.observed, finding.unit, fmt);
  const expected = valueText(finding.expected, finding.unit, fmt);
  const key = FINDING_KEYS[finding.metric];
  // A metric without a sentence (stored by a newer monitor) still shows its numbers.
  return key ? t(key, { subject: finding.subject, observed, expected }) : `${finding.metric} ${finding.subject}: ${observed} / ${expected}`;
}

/** The breaching findings in a sentence: the first few, then how many more. */
export function findingsSentence(incident: IncidentRecord, context: PostContext): string {
  const breaching = incident.evidence.findings.filter((finding) => finding.level === 'breach');
  const shown = breaching.slice(0, FINDINGS_IN_SUMMARY).map((finding) => findingText(finding, context));
  const more = breaching.length - shown.length;
  return context.fmt.list(more > 0 ? [...shown, context.t('incident.moreFindings', { count: more })] : shown);
}

function causeKind(cause: IncidentCause, t: Translate): string {
  return t(`incident.cause.${cause.kind}`);
}

export function causeSentence(causes: readonly IncidentCause[], { t, fmt }: PostContext): string {
  // Context changes (earlier than the cause window) are never the cause.
  const first = causes.find((cause) => cause.role !== 'context');
  if (!first) return t('incident.noCause');
  return t('incident.likelyCause', {
    kind: causeKind(first, t), ref: first.ref, author: first.author ?? '?', lead: fmt.duration(Math.round(first.leadMinutes)), summary: first.summary ?? '',
  });
}

export function teamName(team: IncidentRecord['ownerTeam'], t: Translate): string {
  return t(`incident.team.${team}`);
}

function fieldSentence(incident: IncidentRecord, t: Translate): string | null {
  if (incident.signal !== 'speed') return null;
  const confirmed = incident.evidence.isFieldConfirmed;
  return confirmed === null ? t('incident.noField') : confirmed ? t('incident.fieldConfirms') : t('incident.fieldNotYet');
}

function evidenceChart(incident: IncidentRecord, context: PostContext): Block[] {
  const { t, fmt } = context;
  const series = incident.evidence.series;
  if (!series || series.pointsMs.length === 0) return [];
  const labels = series.pointsMs.map((ms) => fmt.hourLabel(new Date(ms)));
  const round = (value: number) => Math.round(value * 100) / 100;
  const chart = lineChart({
    t,
    title: incidentTitle(incident, t),
    labels,
    series: [{ label: t('incident.chartObserved'), values: series.observed.map((value) => (value === null ? null : round(value))) }],
    band: { lowerLabel: t('incident.chartLower'), upperLabel: t('incident.chartUpper'), lower: series.lower.map(round), upper: series.upper.map(round) },
    width: 640,
    height: 280,
  });
  // The lead finding says in words, and in the reply's language, what the chart's line measures.
  const [lead] = incident.evidence.findings;
  return [lead ? { ...chart, alt: `${t('incident.chartAlt', { finding: findingText(lead, context) })} ${chart.alt}` } : chart];
}

export function incidentButtons(id: number, t: Translate): Button[] {
  return [
    { id: 'incident.ack', label: t('incident.button.ack'), command: `incident ack ${id}`, style: 'primary' },
    { id: 'incident.resolve', label: t('incident.button.resolve'), command: `incident resolve ${id}` },
    { id: 'incident.mute', label: t('incident.button.mute'), command: `incident mute ${id} ${MUTE_BUTTON_DURATION}`, style: 'danger' },
  ];
}

/**
 * The root post as it should read now, in at most 8 lines: what (title), how bad (severity and the lead
 * findings), since when, who owns it, the likely cause or that none explains it, and for page speed
 * whether real users see it. Every finding and the earlier changes are in the thread (detailNote).
 */
export function rootPost(incident: IncidentRecord, context: PostContext): Reply {
  const { t, fmt } = context;
  const status = t(`incident.status.${incident.status}`);
  const severity = t(`incident.severity.${incident.severity}`);
  const field = fieldSentence(incident, t);
  const otherLikely = incident.causes.filter((cause) => cause.role !== 'context').slice(1, 2);
  const blocks: Block[] = [
    {
      type: 'fields',
      fields: [
        { label: t('incident.label.status'), value: status, raw: incident.status },
        { label: t('incident.label.severity'), value: severity, raw: incident.severity },
        { label: t('incident.label.owner'), value: teamName(incident.ownerTeam, t), raw: incident.ownerTeam },
        { label: t('incident.label.began'), value: incident.breachStartedAt ? fmt.dateTime(incident.breachStartedAt) : fmt.dateTime(incident.openedAt), raw: (incident.breachStartedAt ?? incident.openedAt).toISOString() },
      ],
    },
    { type: 'text', text: [causeSentence(incident.causes, context), ...otherLikely.map((cause) => t('incident.otherCause', { kind: causeKind(cause, t), ref: cause.ref, lead: fmt.duration(Math.round(cause.leadMinutes)) }))].join(' ') },
    ...(field ? [{ type: 'text' as const, text: `${t('incident.label.fieldData')}: ${field}.` }] : []),
    ...evidenceChart(incident, context),
  ];
  return reply({
    title: `[${status}] #${incident.id} ${incidentTitle(incident, t)}`,
    summary: t('incident.summary', { severity, findings: findingsSentence(incident, context), cause: causeSentence(incident.causes, context) }),
    blocks,
    actions: incident.status === 'resolved' ? [] : incidentButtons(incident.id, t),
  });
}

/** The first note in the thread: every finding, and the changes before the cause window, as context only. */
export function detailNote(incident: IncidentRecord, context: PostContext): Reply {
  const { t, fmt } = context;
  const earlier = incident.causes.filter((cause) => cause.role === 'context');
  const contextText = earlier.length === 0
    ? t('incident.noEarlierChanges')
    : t('incident.earlierChanges', { changes: fmt.list(earlier.map((cause) => t('incident.earlierChange', { kind: causeKind(cause, t), ref: cause.ref, lead: fmt.duration(Math.round(cause.leadMinutes)) }))) });
  return reply({
    title: `#${incident.id} ${incidentTitle(incident, t)}`,
    summary: t('incident.detailFindings', { count: incident.evidence.findings.length }),
    blocks: [
      { type: 'list', items: incident.evidence.findings.map((finding) => findingText(finding, context)) },
      { type: 'text', text: contextText },
    ],
  });
}

/** A note in the incident's thread. */
export function threadNote(incident: IncidentRecord, text: string, { t }: PostContext): Reply {
  return reply({ title: `#${incident.id} ${incidentTitle(incident, t)}`, summary: text });
}

/** How a channel address is mentioned in a post: Slack links a channel id; elsewhere the address is shown. */
export function channelMention(address: string): string {
  return address.startsWith('slack:') ? `<#${address.slice('slack:'.length)}>` : `(${address})`;
}
