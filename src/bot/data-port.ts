import type { ChannelSpend } from '../analytics/attribution/roas.js';
import type { AttributionPath, ChannelCredit } from '../analytics/attribution/types.js';
import type { RfmSegmentMap, SegmentMove, SegmentTransition } from '../analytics/rfm-segments.js';
import type { EvidenceSeries, Finding, Severity } from '../analytics/monitors/evaluation.js';
import type { LabRun } from '../analytics/monitors/page-speed.js';
import type { ChurnModels } from '../analytics/value-at-stake.js';
import type { Reply } from './reply.js';

/**
 * What the bot asks of the data: compact aggregates computed in the database. The store adapter
 * implements it (src/adapters/store/queries); the bot never sees SQL.
 */
export interface TimeRange {
  start: Date;
  end: Date;
}

export interface KpiTotals {
  revenue: number;
  orders: number;
  /** Visits: touchpoints in the range. */
  sessions: number;
  customers: number;
  newCustomers: number;
  returningCustomers: number;
}

export interface DailyRevenue {
  /** ISO day in the configured time zone. */
  day: string;
  revenue: number;
  orders: number;
}

/** A day's revenue and orders with the sessions recorded that day. */
export interface DailyActivity extends DailyRevenue {
  sessions: number;
}

export interface KpiData {
  kpiTotals(range: TimeRange): Promise<KpiTotals>;
  dailyRevenue(range: TimeRange, timeZone: string): Promise<DailyRevenue[]>;
  /** dailyRevenue with each day's sessions: what a period holds, to tell whether its data is partial. */
  dailyActivity(range: TimeRange, timeZone: string): Promise<DailyActivity[]>;
}

/** Whether journeys are told apart by channel or by campaign (touches without a campaign count as "(channel)"). */
export type AttributionDimension = 'channel' | 'campaign';

export interface JourneyQuery {
  /** Orders placed in this range, and the non-converting touches in it. */
  range: TimeRange;
  /** Touches longer than this before their order are not part of its journey. */
  lookbackDays: number;
  dimension: AttributionDimension;
  /** Also collapse touches without an order, one journey per visitor (Markov's null paths). */
  withNonConverting: boolean;
  /**
   * A question about a past day: no order or touch at or after this instant is read, so a later order
   * does not claim a touch that led to nothing yet, nor a later sign-in link a visitor back.
   */
  before?: Date;
}

export interface Journeys {
  paths: AttributionPath[];
  /** Orders in the range, with or without touches. */
  orders: number;
  /** Orders without any touch inside the lookback window: nothing to attribute them to. */
  ordersWithoutTouches: number;
}

/** Time decay over the orders of a range, as JourneyQuery without the non-converting journeys. */
export interface TimeDecayQuery {
  range: TimeRange;
  lookbackDays: number;
  dimension: AttributionDimension;
  /** Days after which a touch counts half as much (creditTimeDecay's halfLifeDays). */
  halfLifeDays: number;
  /** As JourneyQuery's: nothing at or after it is read. */
  before?: Date;
}

export interface TimeDecayCredits {
  /** creditTimeDecay over the range's journeys, summed in the database: every label on a converting journey, most conversions first. */
  credits: ChannelCredit[];
  /** Orders in the range, with or without touches. */
  orders: number;
  /** Orders without any touch inside the lookback window: credited to nobody. */
  ordersWithoutTouches: number;
}

export interface AttributionData {
  journeys(query: JourneyQuery): Promise<Journeys>;
  /** Time decay's credit per channel or campaign without reading every journey into memory. */
  timeDecayCredits(query: TimeDecayQuery): Promise<TimeDecayCredits>;
  /** Spend per channel (or campaign) over the days of the range in `timeZone`, largest first. */
  spendBy(range: TimeRange, dimension: AttributionDimension, timeZone: string): Promise<ChannelSpend[]>;
}

export type ChangeKind = 'deploy' | 'tag_manager' | 'campaign' | 'config';

export interface ChangeRecord {
  at: Date;
  kind: ChangeKind;
  ref: string;
  author: string | null;
  summary: string | null;
  url: string | null;
}

export interface ChangesData {
  /** Changes in the range of the given kinds, newest first. */
  changesBetween(range: TimeRange, kinds: readonly ChangeKind[]): Promise<ChangeRecord[]>;
}

export interface BudgetSpend {
  channel: string;
  /** Calendar days, YYYY-MM-DD, inclusive. */
  periodStart: string;
  periodEnd: string;
  cap: number;
  /** The channel's spend from periodStart through min(periodEnd, spendThrough). */
  spendToDate: number;
}

export interface BudgetData {
  /** Budgets whose period overlaps firstDay..lastDay (inclusive days), with their spend so far. */
  budgetsOverlapping(firstDay: string, lastDay: string, spendThrough: string): Promise<BudgetSpend[]>;
}

/** Which orders a customer question reads: all of them ("now", from the kept summaries) or those before `end`. */
export interface AsOf {
  /** Orders placed before this instant count; recency and age are measured to its UTC day (the day of end − 1 ms). */
  end: Date;
  /** Read customer_summaries (every order so far) instead of aggregating raw orders before `end`. */
  isNow: boolean;
}

/** The UTC day (YYYY-MM-DD) an AsOf measures to: the last day with orders counted. */
export function asOfDay(asOf: AsOf): string {
  return new Date(asOf.end.getTime() - 1).toISOString().slice(0, 10);
}

/** Customers sharing one (x, tx, T) history, times in days. */
export interface HistoryGroup {
  repeatPurchases: number;
  activeDays: number;
  ageDays: number;
  customers: number;
}

/** Repeat buyers' spend as columns (x and mean repeat value), what the Gamma-Gamma fit reads. */
export interface RepeatSpends {
  repeatPurchases: number[];
  repeatMeanValue: number[];
}

/** How many customers there are as of a day, and the distinct (x, T in days) pairs among repeat buyers. */
export interface ChurnPopulation {
  customers: number;
  repeatPurchases: number[];
  ageDays: number[];
}

/** Which customers a churn ranking covers. */
export interface ChurnScope {
  segmentMap: RfmSegmentMap;
  /** Only this RFM segment (scored among all customers). */
  segment?: string;
  /** Only customers whose last order falls in this range. */
  activeIn?: TimeRange;
}

export interface ChurnRankingQuery {
  asOf: AsOf;
  scope: ChurnScope;
  /** Days per model time unit. */
  unitDays: number;
  models: ChurnModels;
  /** E[purchases over the horizon | alive] per (x, T in days) pair of ChurnPopulation. */
  purchasesIfAlive: { repeatPurchases: number[]; ageDays: number[]; purchases: number[] };
  top: number;
  /** Only repeat buyers whose P(alive) is above this are ranked; the others are counted in `gone`. */
  minPAlive: number;
}

/** A ranked customer's history: enough to recompute its value at stake exactly in analytics. */
export interface RankedHistory {
  customerId: string;
  lastOrderAt: Date;
  segmentId: string;
  repeatPurchases: number;
  activeDays: number;
  ageDays: number;
  repeatMeanValue: number;
}

export interface ChurnRanking {
  /** Customers in scope, and how many of them bought again (only they can rank). */
  customers: number;
  repeatBuyers: number;
  /** The top customers by value at stake among those still likely active (P(alive) above the floor), largest first. */
  top: RankedHistory[];
  /** Repeat buyers in scope the model counts as already gone (P(alive) at or below the floor), and their revenue to date. */
  gone: { customers: number; revenue: number };
}

export interface CustomerData {
  historyGroups(asOf: AsOf): Promise<HistoryGroup[]>;
  repeatSpends(asOf: AsOf): Promise<RepeatSpends>;
  churnPopulation(asOf: AsOf): Promise<ChurnPopulation>;
  /** Value at stake computed in the database for every customer in scope; only the top come back. */
  churnRanking(query: ChurnRankingQuery): Promise<ChurnRanking>;
  /** The order data version now, and the params cached for (model, as-of point) if fitted at that version. */
  cachedModel(model: string, asOf: AsOf): Promise<{ dataVersion: number; params: unknown }>;
  storeModel(model: string, asOf: AsOf, dataVersion: number, params: unknown): Promise<void>;
}

/** RFM scored in the database at two as-of points: what the rfm command shows, nothing per customer beyond `topSlid`. */
export interface RfmAggregateQuery {
  /** The earlier point (period start). */
  start: AsOf;
  /** The later point (period end, or now). */
  end: AsOf;
  segmentMap: RfmSegmentMap;
  /** A slide is a move from one of `valuable` at the start to one of `slipping` at the end. */
  valuable: readonly string[];
  slipping: readonly string[];
  /** How many of the customers who slid to return, most valuable first. */
  topSlid: number;
}

export interface RfmSegmentSize {
  segmentId: string;
  customers: number;
  /** Sum of the members' monetary (revenue to date) at the end. */
  revenue: number;
}

export interface RfmAggregates {
  /** Every segment of the map, in map order, empty ones included; sizes at the end. */
  segments: RfmSegmentSize[];
  /** Non-empty cells of the start → end matrix as segmentMovement gives them (same order, nulls for absent). */
  transitions: SegmentTransition[];
  /** The most valuable customers who slid, as customersWhoSlid orders them. */
  topSlid: SegmentMove[];
}

export interface RfmData {
  rfmAggregates(query: RfmAggregateQuery): Promise<RfmAggregates>;
}

/** How an order is split: its last non-direct channel, last touch's device, customer's country, new or returning. */
export type OrderDimension = 'channel' | 'device' | 'country' | 'new_returning' | 'rfm_segment';
export type SessionDimension = 'channel' | 'device' | 'country';

export interface OrderSplit {
  key: string;
  orders: number;
  revenue: number;
  /** Σ revenue² over orders (AOV variance). */
  revenueSquares: number;
  /** Σ over days of (the day's revenue)², for revenue as a mean of daily revenue. */
  dailyRevenueSquares: number;
  customers: number;
  /** Customers whose first order was before the range. */
  returningCustomers: number;
}

export interface SessionSplit {
  key: string;
  sessions: number;
  /** Sessions (touchpoints) that led to an order. */
  convertedSessions: number;
}

export interface SegmentData {
  /**
   * Orders in the range split by a dimension. rfm_segment keys each order by the segment of `segmentMap`
   * its customer was in at the range's start (scored in the database), "none" without an earlier order.
   */
  ordersBy(range: TimeRange, dimension: OrderDimension, timeZone: string, segmentMap: RfmSegmentMap): Promise<OrderSplit[]>;
  sessionsBy(range: TimeRange, dimension: SessionDimension): Promise<SessionSplit[]>;
}

export interface HourlyEventCount {
  hourMs: number;
  eventName: string;
  count: number;
}

export interface BackendDayOrders {
  day: string;
  channel: string;
  orders: number;
}

export interface ReportedDayConversions {
  day: string;
  channel: string;
  conversions: number;
}

export interface TrackingData {
  /** Event names counted in some hour before `before`. */
  eventNames(before: Date): Promise<string[]>;
  hourlyEvents(eventNames: readonly string[], range: TimeRange): Promise<HourlyEventCount[]>;
  backendOrdersByDay(range: TimeRange, timeZone: string): Promise<BackendDayOrders[]>;
  reportedConversionsByDay(range: TimeRange, timeZone: string): Promise<ReportedDayConversions[]>;
}

export type IncidentStatus = 'open' | 'acknowledged' | 'resolved';
export type IncidentSeverity = Severity;
/** Who owns an incident, by its likely cause: deploys go to dev, tag-manager publishes to marketing. */
export type OwnerTeam = 'dev' | 'marketing' | 'both';

/** One measured fact behind an incident, and the series its chart draws (src/analytics/monitors/evaluation.ts). */
export type IncidentFinding = Finding;
export type IncidentSeries = EvidenceSeries;

export interface IncidentEvidence {
  findings: IncidentFinding[];
  series: IncidentSeries | null;
  /** Page speed: whether real-user data (CrUX p75) shows it too; null without field data. */
  isFieldConfirmed: boolean | null;
}

export interface IncidentCause {
  kind: ChangeKind;
  ref: string;
  at: string;
  author: string | null;
  summary: string | null;
  url: string | null;
  /** Minutes from the change to the start of the breach. */
  leadMinutes: number;
  /** 'context': an earlier change, listed beside the incident but never its cause (absent: a likely cause). */
  role?: 'context';
}

export interface IncidentRecord {
  id: number;
  signal: string;
  target: string;
  status: IncidentStatus;
  severity: IncidentSeverity;
  title: string;
  ownerTeam: OwnerTeam;
  openedAt: Date;
  acknowledgedAt: Date | null;
  acknowledgedBy: string | null;
  resolvedAt: Date | null;
  resolvedBy: string | null;
  mutedUntil: Date | null;
  breachStartedAt: Date | null;
  evidence: IncidentEvidence;
  /** Likely causes, most likely first; empty when no change preceded the breach. */
  causes: IncidentCause[];
}

/** Each change to an incident, a person's or a monitor's, and the event it is recorded as. */
const INCIDENT_EVENTS = {
  open: 'opened', update: 'updated', handover: 'handed_over', acknowledge: 'acknowledged', mute: 'muted', resolve: 'resolved', reopen: 'reopened',
} as const;
export type IncidentChangeKind = keyof typeof INCIDENT_EVENTS;
export type IncidentEventKind = (typeof INCIDENT_EVENTS)[IncidentChangeKind];

export function incidentEventOf(change: IncidentChangeKind): IncidentEventKind {
  return INCIDENT_EVENTS[change];
}

export interface IncidentEventRecord {
  at: Date;
  /** An IncidentEventKind; read back as the text stored. */
  kind: string;
  actor: string | null;
  details: Record<string, unknown> | null;
}

export type IncidentChange = { kind: 'acknowledge' } | { kind: 'resolve' } | { kind: 'mute'; until: Date };
export type IncidentChangeResult = { ok: true; incident: IncidentRecord } | { ok: false; reason: 'not_found' | 'already_resolved' };

export interface IncidentsData {
  /** Newest first; "open" means not resolved (acknowledged ones included). */
  incidents(filter: 'open' | 'all', limit: number): Promise<IncidentRecord[]>;
  incident(id: number): Promise<{ incident: IncidentRecord; events: IncidentEventRecord[] } | null>;
  /**
   * Applies a person's change and, in the same transaction, queues the posts `render` builds for it:
   * the root post edited to the new status and a note in its thread.
   */
  changeIncident(id: number, change: IncidentChange, by: { actor: string; at: Date }, render: (incident: IncidentRecord) => { root: Reply; note: Reply }): Promise<IncidentChangeResult>;
  /** `target` null silences every target of the signal. */
  addSilence(silence: { signal: string; target: string | null; until: Date; actor: string; at: Date }): Promise<void>;
}

export interface LabDay {
  url: string;
  day: string;
  runs: number;
  performanceScore: number | null;
  lcpMs: number | null;
  fcpMs: number | null;
  speedIndexMs: number | null;
  tbtMs: number | null;
  cls: number | null;
  thirdPartyMs: number | null;
  thirdPartyBytes: number | null;
}

export interface FieldDay {
  url: string;
  day: string;
  lcpMs: number | null;
  fcpMs: number | null;
  inpMs: number | null;
  cls: number | null;
  ttfbMs: number | null;
}

export interface SpeedData {
  /** Pages with a run measured before `before`. */
  measuredUrls(before: Date): Promise<string[]>;
  /** Each lab run of one form factor in the range, oldest first: what a regression is judged on. */
  labRuns(range: TimeRange, formFactor: string): Promise<LabRun[]>;
  labDays(range: TimeRange, formFactor: string, timeZone: string): Promise<LabDay[]>;
  fieldDays(range: TimeRange, formFactor: string, timeZone: string): Promise<FieldDay[]>;
}

/** A channel's weekly digest: when it is posted, in the subscriber's own time zone. */
export interface NewDigestSubscription {
  platform: string;
  channelId: string;
  /** Who is told if a digest can never be delivered. */
  owner: string | null;
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number;
  /** 'HH:MM', wall clock in `timeZone`. */
  localTime: string;
  timeZone: string;
  locale: string | null;
  /** Digests are due from here on: a slot already past in the week of subscribing waits for the next week. */
  createdAt: Date;
}

export interface DigestSubscription extends NewDigestSubscription {
  id: number;
  /** The ISO week of the latest digest composed for it, e.g. '2026-W48'. */
  lastWeekKey: string | null;
}

export interface DigestData {
  /** Creates the channel's subscription, or reschedules the one it has. */
  subscribeDigest(subscription: NewDigestSubscription): Promise<DigestSubscription>;
  /** False when the channel had no subscription. */
  unsubscribeDigest(platform: string, channelId: string): Promise<boolean>;
  digestSubscriptions(): Promise<DigestSubscription[]>;
}

/** One state-changing command, typed or clicked, as the audit log keeps it (`mkt audit` shows them). */
export interface AuditRecord {
  at: Date;
  platform: string;
  channel: string;
  actor: string;
  /** The command as asked, e.g. "incident resolve 12". */
  action: string;
  /** 'ok', or the problem kind ('forbidden' for a refusal, 'bad_input', ...). */
  outcome: string;
  isClick: boolean;
}

export interface AuditData {
  recordAudit(entry: AuditRecord): Promise<void>;
}

export type DataPort = KpiData & AttributionData & ChangesData & BudgetData & CustomerData & RfmData & SegmentData & TrackingData & IncidentsData & SpeedData & DigestData & AuditData;
