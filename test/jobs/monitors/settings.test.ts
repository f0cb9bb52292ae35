import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config.js';
import { DEFAULT_MONITOR_SETTINGS, monitorSettings } from '../../../src/jobs/monitors/settings.js';
import { MINUTE_MS } from '../../../src/analytics/time.js';

describe('monitor thresholds from the environment', () => {
  it('keeps every default when nothing is set', () => {
    const parsed = parseConfig({});
    expect(parsed.ok && monitorSettings(parsed.config)).toEqual(DEFAULT_MONITOR_SETTINGS);
  });

  it('applies the configured thresholds, keeping the LCP exit threshold in proportion', () => {
    const parsed = parseConfig({ MONITOR_EVENTS: 'purchase,sign_up', MONITOR_BREACHES_TO_OPEN: '3', MONITOR_HOLD_MINUTES: '30', MONITOR_LCP_REGRESSION: '0.5' });
    if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
    const settings = monitorSettings(parsed.config);
    expect(settings.events.names).toEqual(['purchase', 'sign_up']);
    expect(settings.rules).toEqual({ breachesToOpen: 3, holdMs: 30 * MINUTE_MS, cooldownMs: DEFAULT_MONITOR_SETTINGS.rules.cooldownMs });
    // Default LCP thresholds are 0.25 to enter and 0.12 to exit: doubling the first doubles the second.
    expect(settings.speed.lab.lcp.enter.relative).toBe(0.5);
    expect(settings.speed.lab.lcp.exit.relative).toBeCloseTo(0.24, 10);
  });

  it('refuses a threshold that makes no sense, naming the variable', () => {
    const parsed = parseConfig({ MONITOR_BREACHES_TO_OPEN: '0', MONITOR_LCP_REGRESSION: '-1' });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors.map((line) => line.split(':')[0]).sort()).toEqual(['MONITOR_BREACHES_TO_OPEN', 'MONITOR_LCP_REGRESSION']);
  });
});
