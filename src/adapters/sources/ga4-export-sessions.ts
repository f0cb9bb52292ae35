import type { Ga4ExportEvent } from './ga4-export-event.js';
import { eventParam } from './ga4-export-event.js';
import type { ChannelId, TrafficSource } from './ga4-channels.js';
import { channelOfGa4Group, defaultChannelGroup } from './ga4-channels.js';
import { countryCodeOf } from './country-codes.js';

/**
 * GA4 export events collapsed into one touch per session (user_pseudo_id + the ga_session_id
 * event parameter), per export day: a session that crosses midnight is in two day tables, and the
 * store merges its parts (ga4-export-store.ts).
 */
export interface ExportSession {
  /** `ga4:` user_pseudo_id `:` ga_session_id: the same touch whichever day table holds the events. */
  touchId: string;
  /** The export day (event_date) as YYYY-MM-DD. */
  day: string;
  userPseudoId: string;
  /** The site's signed-in user id, which names the shop's customer. */
  userId: string | null;
  /** The purchase event's ecommerce.transaction_id: the shop's order id. */
  transactionId: string | null;
  firstEventAt: Date;
  source: string | null;
  medium: string | null;
  campaign: string | null;
  channel: ChannelId;
  device: string | null;
  country: string | null;
}

type LastClick = NonNullable<Ga4ExportEvent['session_traffic_source_last_click']>;

interface SessionParts {
  day: string;
  userPseudoId: string;
  sessionId: string;
  first: { timestampUs: number; event: Ga4ExportEvent };
  /** The earliest signed-in event's user id. */
  user: { timestampUs: number; userId: string } | null;
  purchase: { timestampUs: number; transactionId: string } | null;
  lastClick: LastClick | null;
  /** The earliest event carrying source/medium/campaign parameters. */
  params: { timestampUs: number; traffic: TrafficSource } | null;
}

/** GA4 writes "(not set)" where a purchase had no transaction id. */
const isSet = (value: string | null | undefined): value is string => value !== undefined && value !== null && value !== '' && value !== '(not set)';

/** Collects events (in any order, from any number of files) into sessions. */
export class ExportSessions {
  private readonly parts = new Map<string, SessionParts>();
  /** Events without a visitor or a session id (consent-mode pings, some server-side events): no session to join. */
  skippedEvents = 0;
  events = 0;
  private readonly eventsByDay = new Map<string, number>();

  add(event: Ga4ExportEvent): void {
    this.events += 1;
    const day = `${event.event_date.slice(0, 4)}-${event.event_date.slice(4, 6)}-${event.event_date.slice(6, 8)}`;
    this.eventsByDay.set(day, (this.eventsByDay.get(day) ?? 0) + 1);
    const sessionId = eventParam(event, 'ga_session_id');
    if (!isSet(event.user_pseudo_id) || sessionId === undefined) {
      this.skippedEvents += 1;
      return;
    }
    const key = `${day} ${event.user_pseudo_id} ${sessionId}`;
    const at = event.event_timestamp;
    const parts = this.parts.get(key) ?? {
      day, userPseudoId: event.user_pseudo_id, sessionId, first: { timestampUs: at, event }, user: null, purchase: null, lastClick: null, params: null,
    };
    this.parts.set(key, parts);
    if (at < parts.first.timestampUs) parts.first = { timestampUs: at, event };
    if (isSet(event.user_id) && (!parts.user || at < parts.user.timestampUs)) parts.user = { timestampUs: at, userId: event.user_id };
    const transactionId = event.ecommerce?.transaction_id;
    if (event.event_name === 'purchase' && isSet(transactionId) && (!parts.purchase || at < parts.purchase.timestampUs)) parts.purchase = { timestampUs: at, transactionId };
    if (!parts.lastClick && hasLastClick(event.session_traffic_source_last_click)) parts.lastClick = event.session_traffic_source_last_click ?? null;
    const paramSource = eventParam(event, 'source');
    if (isSet(paramSource) && (!parts.params || at < parts.params.timestampUs)) {
      parts.params = { timestampUs: at, traffic: { source: paramSource, medium: eventParam(event, 'medium') ?? null, campaign: eventParam(event, 'campaign') ?? null } };
    }
  }

  /** One session per day and visitor session, in a fixed order. */
  sessions(): ExportSession[] {
    return [...this.parts.values()].map(sessionOf).sort((a, b) => (a.day + a.touchId < b.day + b.touchId ? -1 : 1));
  }

  /** The export days the events belong to, YYYY-MM-DD, in order. */
  days(): string[] {
    return [...this.eventsByDay.keys()].sort();
  }

  /** Events read of a day, those joined to no session included. */
  eventsOn(day: string): number {
    return this.eventsByDay.get(day) ?? 0;
  }
}

function hasLastClick(lastClick: LastClick | null | undefined): boolean {
  return isSet(lastClick?.cross_channel_campaign?.source) || isSet(lastClick?.manual_campaign?.source);
}

/**
 * The session's source, medium and campaign: its last-click source where the export has one, else
 * the campaign collected with its first event, else the source/medium/campaign event parameters,
 * else the user's first-visit source. The channel: GA4's own group where the export has it, else
 * GA4's default channel grouping applied to that source.
 */
function sessionOf(parts: SessionParts): ExportSession {
  const first = parts.first.event;
  const cross = parts.lastClick?.cross_channel_campaign;
  const manual = parts.lastClick?.manual_campaign;
  const collected = first.collected_traffic_source;
  const traffic: TrafficSource = isSet(cross?.source) ? { source: cross.source, medium: cross.medium ?? null, campaign: cross.campaign_name ?? null }
    : isSet(manual?.source) ? { source: manual.source, medium: manual.medium ?? null, campaign: manual.campaign_name ?? null }
    : isSet(collected?.manual_source) ? { source: collected.manual_source, medium: collected.manual_medium ?? null, campaign: collected.manual_campaign_name ?? null }
    : parts.params?.traffic
    ?? { source: first.traffic_source?.source ?? null, medium: first.traffic_source?.medium ?? null, campaign: first.traffic_source?.name ?? null };
  const group = isSet(cross?.default_channel_group) ? cross.default_channel_group : defaultChannelGroup(traffic);
  return {
    touchId: `ga4:${parts.userPseudoId}:${parts.sessionId}`,
    day: parts.day,
    userPseudoId: parts.userPseudoId,
    userId: parts.user?.userId ?? null,
    transactionId: parts.purchase?.transactionId ?? null,
    firstEventAt: new Date(Math.floor(parts.first.timestampUs / 1000)),
    source: blankAsNull(traffic.source),
    medium: blankAsNull(traffic.medium),
    campaign: isSet(traffic.campaign) && !traffic.campaign.startsWith('(') ? traffic.campaign : null,
    channel: channelOfGa4Group(group),
    device: blankAsNull(first.device?.category),
    country: isSet(first.geo?.country) ? countryCodeOf(first.geo.country) : null,
  };
}

const blankAsNull = (value: string | null | undefined): string | null => (isSet(value) ? value : null);
