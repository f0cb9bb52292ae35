import { describe, expect, it } from 'vitest';
import { captureRate } from '../../src/analytics/capture-rate.js';

describe('captureRate', () => {
  const reported = [
    { day: '2026-11-20', channel: 'paid_search', conversions: 45 },
    { day: '2026-11-20', channel: 'email', conversions: 12 },
    { day: '2026-11-21', channel: 'paid_search', conversions: 20 },
    { day: '2026-11-21', channel: 'email', conversions: 11 },
    { day: '2026-11-21', channel: 'social', conversions: 3 },
  ];
  const backend = [
    { day: '2026-11-20', channel: 'paid_search', orders: 50 },
    { day: '2026-11-20', channel: 'email', orders: 10 },
    { day: '2026-11-21', channel: 'paid_search', orders: 48 },
    { day: '2026-11-21', channel: 'email', orders: 11 },
  ];

  it('computes capture rate, net gap and unrecorded orders overall', () => {
    // reported 45 + 12 + 20 + 11 + 3 = 91; backend 50 + 10 + 48 + 11 = 119; rate 91/119 = 0.764706.
    // gap 119 − 91 = 28; unrecorded: paid 5 + 28, email 0 (over by 2) + 0, social 0 → 33.
    const { overall } = captureRate(reported, backend);
    expect(overall).toMatchObject({ reported: 91, backend: 119, gap: 28, unrecorded: 33 });
    expect(overall.captureRate).toBeCloseTo(91 / 119, 12);
  });

  it('breaks it down per channel, sorted by channel', () => {
    // email: 23 of 21 → 1.0952, gap −2, unrecorded 0. paid_search: 65 of 98, gap 33. social: backend 0 → null.
    const { byChannel } = captureRate(reported, backend);
    expect(byChannel.map((c) => c.channel)).toEqual(['email', 'paid_search', 'social']);
    expect(byChannel[0]).toMatchObject({ reported: 23, backend: 21, gap: -2, unrecorded: 0 });
    expect(byChannel[0]?.captureRate).toBeCloseTo(23 / 21, 12);
    expect(byChannel[1]).toMatchObject({ reported: 65, backend: 98, gap: 33, unrecorded: 33 });
    expect(byChannel[2]).toEqual({ channel: 'social', reported: 3, backend: 0, captureRate: null, gap: -3, unrecorded: 0 });
  });

  it('breaks it down per day and per day and channel', () => {
    // 2026-11-21: reported 34, backend 59, rate 34/59; paid_search that day 20 of 48, unrecorded 28.
    const report = captureRate(reported, backend);
    expect(report.byDay.map((d) => [d.day, d.reported, d.backend])).toEqual([
      ['2026-11-20', 57, 60],
      ['2026-11-21', 34, 59],
    ]);
    const paidDay2 = report.byDayAndChannel.find((c) => c.day === '2026-11-21' && c.channel === 'paid_search');
    expect(paidDay2).toMatchObject({ reported: 20, backend: 48, unrecorded: 28 });
    expect(paidDay2?.captureRate).toBeCloseTo(20 / 48, 12);
    expect(report.byDayAndChannel).toHaveLength(5);
  });

  it('is safe with no data and with a backend of zero', () => {
    expect(captureRate([], []).overall).toEqual({ reported: 0, backend: 0, captureRate: null, gap: 0, unrecorded: 0 });
    const zero = captureRate(
      [{ day: '2026-11-20', channel: 'email', conversions: 0 }],
      [{ day: '2026-11-20', channel: 'email', orders: 0 }],
    );
    expect(zero.overall.captureRate).toBeNull();
  });

  it('counts a day the analytics tool missed entirely as zero captured', () => {
    const result = captureRate([], [{ day: '2026-11-22', channel: 'email', orders: 7 }]);
    expect(result.overall).toEqual({ reported: 0, backend: 7, captureRate: 0, gap: 7, unrecorded: 7 });
  });
});
