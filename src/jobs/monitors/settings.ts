import { DEFAULT_LAB_RULES, labRulesWithLcpShare } from '../../analytics/lab-regression.js';
import type { CaptureDropSettings } from '../../analytics/monitors/capture-drop.js';
import type { EventVolumeSettings } from '../../analytics/monitors/event-volume.js';
import type { PageSpeedSettings } from '../../analytics/monitors/page-speed.js';
import type { RuleSettings } from '../incident-rules.js';
import { DEFAULT_RULES } from '../incident-rules.js';
import { DEFAULT_CAUSE_WINDOW_MINUTES } from '../../analytics/likely-cause.js';
import { MINUTE_MS } from '../../analytics/time.js';

/** Every threshold the monitors use; `enter` opens a breach, `exit` (less strict) ends it. */
export interface MonitorSettings {
  rules: RuleSettings;
  events: EventVolumeSettings;
  capture: CaptureDropSettings;
  speed: PageSpeedSettings;
  /** How long before a breach earlier changes are listed beside it as context (never as its cause). */
  causeLookbackMinutes: number;
  /** How long before a tracking breach's start a change may land and still be named its likely cause. */
  causeWindowMinutes: number;
}

export const DEFAULT_MONITOR_SETTINGS: MonitorSettings = {
  rules: DEFAULT_RULES,
  events: {
    names: ['page_view', 'add_to_cart', 'begin_checkout', 'purchase'],
    windowHours: 3, maxWindowHours: 48, baselineWeeks: 6, enterZ: -4, enterPercentBelow: 35, exitPercentBelow: 25, minExpected: 20, silentMinExpected: 10,
  },
  capture: {
    event: 'purchase', lookbackHours: 24, baselineDays: 14, minOrders: 3, alpha: 1e-4, enterShare: 0.7, exitShare: 0.85, exitWindowHours: 2,
  },
  speed: { lookbackDays: 28, lab: DEFAULT_LAB_RULES },
  causeLookbackMinutes: 24 * 60,
  causeWindowMinutes: DEFAULT_CAUSE_WINDOW_MINUTES,
};

/** The thresholds a team can change from the environment (.env.example, "Scheduled work"). */
export interface MonitorOverrides {
  MONITOR_EVENTS: readonly string[];
  MONITOR_BREACHES_TO_OPEN?: number | undefined;
  MONITOR_HOLD_MINUTES?: number | undefined;
  MONITOR_COOLDOWN_MINUTES?: number | undefined;
  MONITOR_MIN_EXPECTED_EVENTS?: number | undefined;
  MONITOR_LCP_REGRESSION?: number | undefined;
  MONITOR_CAUSE_WINDOW_MINUTES?: number | undefined;
}

/** The defaults with the configured overrides; LCP's exit threshold keeps its ratio to the enter one. */
export function monitorSettings(overrides: MonitorOverrides, base: MonitorSettings = DEFAULT_MONITOR_SETTINGS): MonitorSettings {
  return {
    ...base,
    rules: {
      breachesToOpen: overrides.MONITOR_BREACHES_TO_OPEN ?? base.rules.breachesToOpen,
      holdMs: overrides.MONITOR_HOLD_MINUTES === undefined ? base.rules.holdMs : overrides.MONITOR_HOLD_MINUTES * MINUTE_MS,
      cooldownMs: overrides.MONITOR_COOLDOWN_MINUTES === undefined ? base.rules.cooldownMs : overrides.MONITOR_COOLDOWN_MINUTES * MINUTE_MS,
    },
    events: {
      ...base.events,
      names: overrides.MONITOR_EVENTS.length > 0 ? overrides.MONITOR_EVENTS : base.events.names,
      minExpected: overrides.MONITOR_MIN_EXPECTED_EVENTS ?? base.events.minExpected,
    },
    speed: { ...base.speed, lab: labRulesWithLcpShare(overrides.MONITOR_LCP_REGRESSION, base.speed.lab) },
    causeWindowMinutes: overrides.MONITOR_CAUSE_WINDOW_MINUTES ?? base.causeWindowMinutes,
  };
}
