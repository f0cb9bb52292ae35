import type { ChartConfiguration } from 'chart.js';
import type { Locale } from './messages/index.js';

/**
 * The platform-neutral answer of every command, digest and incident post (DESIGN.md, "The reply model").
 * Everything a person reads is already formatted (Intl, message catalog); raw numbers ride along
 * for `--json` and CSV exports. Renderers only lay it out.
 */
export interface Reply {
  title: string;
  /** The one-sentence insight that opens the answer. */
  summary: string;
  blocks: Block[];
  actions: Button[];
  attachments: FileAttachment[];
  /** Set when the reply reports a problem rather than an answer (adapters show it ephemerally). */
  problem?: ProblemKind;
  /** Meant for the person who asked only (help): chat adapters show it to them alone, like a problem. */
  isForAskerOnly?: boolean;
  /** Machine-readable figures behind the answer (fitted model parameters...), for `--json` and digests. */
  data?: Record<string, unknown>;
  /** The language the reply was written in, so the renderer's own words (table notes...) match it. */
  locale?: Locale;
  /** Who asked and what, for answers in a shared conversation: renderers show it with the person mentioned. */
  askedBy?: { person: Person; text: string };
  /** People named in the text with `mentionOf` markup; Teams needs each one listed beside the card. */
  mentions?: Person[];
  /**
   * Set on a follow-up a poster queued after splitting a reply too long for one message: this post
   * carries only that piece (a later message, or the charts and files), rendered from the same reply.
   */
  part?: ReplyPart;
  /**
   * Slack: the slash command's or button's response_url. It reaches a conversation the bot cannot post
   * in (a private channel, DM or group DM it is not a member of) for 30 minutes and 5 messages.
   */
  responseUrl?: string;
  /**
   * A short confirmation of a change whose own posts show it (an incident's card and thread note are
   * queued by the change itself): a clicked card is left for those posts, not overwritten by this text.
   */
  isConfirmation?: boolean;
}

/** Which piece of a split reply a follow-up post carries. */
export type ReplyPart = { kind: 'message'; index: number } | { kind: 'files' };

/** Someone a post names: the id the platform mentions them by (Slack user id, Teams `29:` id) and their name. */
export interface Person { id: string; name: string }

/** `store_unavailable`: the database could not be reached; the request changed nothing and may be asked again. */
export type ProblemKind = 'bad_input' | 'no_data' | 'forbidden' | 'store_unavailable' | 'internal';

export type Block = TextBlock | FieldsBlock | TableBlock | ChartBlock | ListBlock | DividerBlock;

export interface TextBlock { type: 'text'; text: string }
export interface Field { label: string; value: string; raw?: number | string | null }
export interface FieldsBlock { type: 'fields'; fields: Field[] }
export interface ListBlock { type: 'list'; items: string[] }
export interface DividerBlock { type: 'divider' }

export type ColumnKind = 'text' | 'number' | 'money' | 'percent' | 'date';
export interface Column { key: string; label: string; kind: ColumnKind }
/** `text` is what people read; `raw` is the number or ISO string behind it (CSV, JSON). */
export interface Cell { text: string; raw: number | string | null }
export interface TableBlock {
  type: 'table';
  columns: Column[];
  rows: Cell[][];
  caption?: string;
  /** How many rows exist in all, when `rows` holds only the top of a longer list. */
  totalRows?: number;
}

/** A chart.js configuration (plain JSON: no callbacks), rendered to PNG once by the adapters. */
export interface ChartBlock {
  type: 'chart';
  title: string;
  /** Describes the chart in words, for screen readers and for platforms that cannot show it. */
  alt: string;
  config: ChartConfiguration;
  width: number;
  height: number;
}

export interface Button {
  /** Stable action id the adapters route on, e.g. "attribution.model". */
  id: string;
  label: string;
  /** The bot command the button runs, e.g. "attribution markov last 30d". */
  command: string;
  style?: 'primary' | 'danger';
}

export interface FileAttachment {
  filename: string;
  mimeType: 'text/csv' | 'image/png' | 'application/json';
  /** Text content (CSV, JSON) or base64 for binary content. */
  content: string;
  encoding: 'utf8' | 'base64';
  title?: string;
}

export function reply(parts: Partial<Reply> & Pick<Reply, 'title' | 'summary'>): Reply {
  // Title and summary first: it is the order people read a `--json` answer in.
  const { title, summary, ...rest } = parts;
  return { title, summary, blocks: [], actions: [], attachments: [], ...rest };
}

/** Turns a table into CSV with raw values (RFC 4180 quoting), for attachments and exports. */
export function tableToCsv(table: TableBlock): string {
  const quote = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);
  const header = table.columns.map((column) => quote(column.label)).join(',');
  const lines = table.rows.map((row) => row.map((cell) => quote(cell.raw === null ? '' : String(cell.raw))).join(','));
  return [header, ...lines].join('\r\n') + '\r\n';
}

/** A file-name part people can read, from a title: "Customers at risk" → customers-at-risk. */
export function slugOf(title: string, fallback: string): string {
  return title.normalize('NFKD').replace(/[^\w\s-]/g, '').trim().toLowerCase().replace(/[\s_]+/g, '-').slice(0, 40) || fallback;
}

/** "Customers at risk", csv → customers-at-risk.csv. */
export function fileNameOf(title: string, extension: string, fallback = 'table'): string {
  return `${slugOf(title, fallback)}.${extension}`;
}
