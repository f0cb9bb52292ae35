import { describe, expect, it } from 'vitest';
import { createFormatter } from '../../../src/bot/format.js';
import { translator } from '../../../src/bot/messages/index.js';
import { reply } from '../../../src/bot/reply.js';
import type { IncidentRecord } from '../../../src/bot/data-port.js';
import { incidentsOfWeek, incidentsSection, rfmSection, trackingSection } from '../../../src/bot/digest/sections.js';

const context = { t: translator('en'), fmt: createFormatter('en', 'EUR', 'UTC') };
const rfmAnswer = reply({ title: 'RFM segments', summary: '5 valuable customers slid into At Risk or Can\'t Lose Them.' });

describe('digest sections', () => {
  it('counts customers who moved into At Risk or Can\'t Lose Them from another segment, and says the same numbers', () => {
    const section = rfmSection(rfmAnswer, [
      { from: 'champions', to: 'at_risk', customers: 3, monetary: 500 },
      { from: 'loyal', to: 'cant_lose', customers: 2, monetary: 300 },
      // not valuable, but a move into a slipping segment all the same
      { from: 'need_attention', to: 'at_risk', customers: 4, monetary: 12_345.67 },
      // already slipping before the week: not a move into it
      { from: 'at_risk', to: 'cant_lose', customers: 1, monetary: 100 },
      { from: 'champions', to: 'loyal', customers: 7, monetary: 900 },
      { from: 'at_risk', to: null, customers: 4, monetary: 50 },
    ], context);
    // 3 + 2 + 4 = 9 moved, 3 + 2 = 5 of them valuable, 500 + 300 + 12,345.67 = 13,145.67 → €13,146
    expect(section.blocks).toEqual([{ type: 'fields', fields: [
      { label: "Moved into At Risk or Can't Lose Them", value: '9', raw: 9 },
      { label: 'Of them from Champions, Loyal or Potential Loyalist', value: '5', raw: 5 },
      { label: 'Their revenue to date', value: '€13,146', raw: 13_145.67 },
    ] }]);
    expect(section.insight).toBe("9 customers moved into At Risk or Can't Lose Them this week, 5 of them from Champions, Loyal or Potential Loyalist; together they brought €13,146 in revenue to date.");
  });

  it('says nobody moved when no customer slipped', () => {
    const section = rfmSection(rfmAnswer, [{ from: 'champions', to: 'loyal', customers: 7, monetary: 900 }], context);
    expect([section.insight, section.blocks]).toEqual(["No customer moved into At Risk or Can't Lose Them this week.", []]);
  });

  it('reads the capture rate from the all-channel row of the tracking answer', () => {
    const cell = (text: string, raw: number | string) => ({ text, raw });
    const answer = reply({
      title: 'Tracking health', summary: 'Analytics recorded 80.0% of backend orders (20 of 100 missing).',
      blocks: [{
        type: 'table',
        columns: [
          { key: 'channel', label: 'Channel', kind: 'text' }, { key: 'backend', label: 'Backend orders', kind: 'number' },
          { key: 'reported', label: 'Reported', kind: 'number' }, { key: 'rate', label: 'Capture rate', kind: 'percent' },
          { key: 'missing', label: 'Missing', kind: 'number' },
        ],
        rows: [
          [cell('email', 'email'), cell('60', 60), cell('50', 50), cell('83.3%', 50 / 60), cell('10', 10)],
          [cell('direct', 'direct'), cell('40', 40), cell('30', 30), cell('75.0%', 0.75), cell('10', 10)],
          [cell('All channels', 'All channels'), cell('100', 100), cell('80', 80), cell('80.0%', 0.8), cell('20', 20)],
        ],
      }],
    });
    expect(trackingSection(answer, context).blocks).toEqual([{ type: 'fields', fields: [
      { label: 'Capture rate', value: '80.0%', raw: 0.8 },
      { label: 'Orders missing in analytics', value: '20', raw: 20 },
    ] }]);
  });

  it('says a section is not available when its command answered with a problem', () => {
    const problem = reply({ title: 'I could not answer that.', summary: 'No tracking events between 23 Nov 2026 and 29 Nov 2026.', problem: 'no_data' });
    expect(trackingSection(problem, context)).toEqual({ heading: "Tracking: analytics against the shop's orders", insight: 'Not available: No tracking events between 23 Nov 2026 and 29 Nov 2026.', blocks: [], charts: [] });
  });

  describe('incidents of the week (Mon 23 – Sun 29 Nov 2026)', () => {
    const start = new Date('2026-11-23T00:00:00Z');
    const end = new Date('2026-11-30T00:00:00Z');
    const incident = (id: number, openedAt: string, resolvedAt: string | null, severity: IncidentRecord['severity'] = 'major'): IncidentRecord => ({
      id, signal: 'tracking', target: 'purchase', status: resolvedAt ? 'resolved' : 'open', severity, title: `incident ${id}`, ownerTeam: 'dev',
      openedAt: new Date(openedAt), acknowledgedAt: null, acknowledgedBy: null, resolvedAt: resolvedAt ? new Date(resolvedAt) : null, resolvedBy: null,
      mutedUntil: null, breachStartedAt: null, evidence: { findings: [], series: null, isFieldConfirmed: null }, causes: [],
    });
    const all = [
      incident(1, '2026-11-10T00:00:00Z', '2026-11-12T00:00:00Z'),
      incident(2, '2026-11-20T00:00:00Z', '2026-11-24T06:00:00Z'),
      incident(3, '2026-11-25T00:00:00Z', '2026-11-26T01:30:00Z', 'critical'),
      incident(4, '2026-11-30T02:00:00Z', null),
    ];

    it('keeps those open at any time in the week, and tells them without an acknowledgement', () => {
      const week = incidentsOfWeek(all, start, end);
      // #1 was over before the week, #4 opened after it; #3 is critical, so it leads
      expect(week.map((record) => record.id)).toEqual([3, 2]);
      const section = incidentsSection(week, end, context);
      // resolved after 25 h 30 min and 102 h: median 63 h 45 min
      expect(section.insight).toBe('2 resolved this week; none acknowledged, median time to resolve 63 h 45 min.');
      expect(section.headline).toBe('2 incidents this week, all resolved (#3 incident 3 and #2 incident 2).');
    });
  });
});
