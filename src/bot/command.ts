import type { LabRules } from '../analytics/lab-regression.js';
import type { RfmSegmentMap } from '../analytics/rfm-segments.js';
import type { DataPort } from './data-port.js';
import type { Formatter } from './format.js';
import type { Locale, StaticMessageKey, Translate } from './messages/index.js';
import type { Person, Reply } from './reply.js';
import type { Result } from './result.js';
import type { Roles } from './roles.js';
import type { Words } from './words.js';

export type Platform = 'console' | 'cli' | 'slack' | 'teams';

/** One question to the bot, whichever platform it came from. */
export interface BotRequest {
  text: string;
  platform: Platform;
  /** Where it was asked: a Slack channel id, a Teams conversation id, "console". */
  channelId: string;
  userId: string;
  /** Who asked, as the platform mentions them; chat answers say who asked and what. */
  asker?: Person;
  /** Forces the reply language (CLI flag); otherwise the channel's, then the client's, then the configured locale. */
  locale?: Locale;
  /** The language of the asker's chat client (Teams activity.locale), used where the channel has none configured. */
  clientLocale?: Locale;
  /** A button clicked rather than a command typed (the audit log tells them apart). */
  isClick?: boolean;
  /** The day asked about, YYYY-MM-DD (the CLI's --as-of): the same as the words `as-of D` in the text. */
  asOfDay?: string;
}

/** Settings the bot reads, taken from the validated configuration. */
export interface BotSettings {
  locale: Locale;
  channelLocales: Record<string, Locale>;
  currency: string;
  timeZone: string;
  /** Channel or user ids allowed to run commands that reveal customer data; empty allows everyone. */
  customerDataAllowlist: readonly string[];
  attributionModel: string;
  /** churn ranks only customers whose P(alive) is above this (CHURN_MIN_P_ALIVE); the rest are summarised as gone. */
  churnMinPAlive: number;
  /** RFM score → segment map (RFM_SEGMENT_MAP, or the documented default). */
  rfmSegmentMap: RfmSegmentMap;
  /** What a lab regression is, the same for `speed` as for the page-speed monitor (MONITOR_LCP_REGRESSION). */
  labRules: LabRules;
  /** Who may change incidents, silences and digests (src/bot/roles.ts). */
  roles: Roles;
}

export interface ParseContext {
  /** The moment the question is asked at: the wall clock, or the end of the as-of day in the time zone. */
  now: Date;
  /**
   * Set when the question is about a past day (`as-of D`, `--as-of D`): `now` is then the end of D in
   * the time zone, and nothing dated at or after it may be read, kept summaries of "now" included.
   */
  asOfDay?: string;
  timeZone: string;
  t: Translate;
  settings: BotSettings;
}

export interface CommandContext extends ParseContext {
  data: DataPort;
  fmt: Formatter;
  locale: Locale;
  settings: BotSettings;
  request: BotRequest;
}

export interface Command<Args = unknown> {
  name: string;
  /** Other words that start this command, e.g. the Italian "attribuzione". */
  aliases?: readonly string[];
  /** Words that point to this command when it is not named first ("which customers may churn"). */
  keywords?: readonly string[];
  /** Commands this one wins over when both are mentioned ("rfm churn risk" asks for churn). */
  outranks?: readonly string[];
  /** One line for `help`. */
  summary: StaticMessageKey;
  examples: readonly string[];
  /** Reads many rows or fits a model: waits its turn in the bot's answer queue (answer-queue.ts). */
  heavy?: boolean;
  /** Commands that list customers obey CUSTOMER_DATA_ALLOWLIST. */
  revealsCustomerData?: boolean;
  /**
   * Answers about a day: the dispatcher takes `as-of D` (or the CLI's --as-of) for it, asks at the end
   * of D in the time zone and clips periods there. Commands without it refuse `as-of`.
   */
  takesAsOf?: boolean;
  parse(words: Words, context: ParseContext): Result<Args>;
  /**
   * For a command that changes what others rely on (incidents, silences, digests): undefined when
   * these arguments only read; otherwise whether this asker may, and the refusal to show if not.
   * Every change, allowed or refused, is written to the audit log by the dispatcher.
   */
  stateChange?(args: Args, context: CommandContext): Promise<StateChange | undefined>;
  run(args: Args, context: CommandContext): Promise<Result<Reply>>;
}

export type StateChange = { isAllowed: true } | { isAllowed: false; refusal: string };

/** Keeps each command's argument type while the registry holds them side by side. */
export function defineCommand<Args>(command: Command<Args>): Command<Args> {
  return command;
}

/**
 * The registry holds commands of different argument types side by side. `parse` and `run` are
 * declared as methods (bivariant), and each command only ever receives what its own parse produced.
 */
export type AnyCommand = Command<unknown>;
