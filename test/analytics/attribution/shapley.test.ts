import { describe, expect, it } from 'vitest';
import { creditShapley } from '../../../src/analytics/attribution/shapley.js';
import { byChannel, expectConserved } from './path-fixtures.js';

describe('creditShapley', () => {
  // v(S) = conversions of the paths whose channel set lies inside S (Zhao et al. 2018, simplified Shapley).
  const paths = [
    { channels: ['A'], conversions: 4, revenue: 40, nulls: 10 },
    { channels: ['A', 'B', 'A'], conversions: 6, revenue: 60, nulls: 0 },
    { channels: ['B', 'C'], conversions: 3, revenue: 30, nulls: 2 },
    { channels: ['C', 'A', 'B'], conversions: 9, revenue: 90, nulls: 0 },
  ];

  it('matches the Shapley value worked out over all six orders of three channels', () => {
    // v(∅)=0 v(A)=4 v(B)=0 v(C)=0 v(AB)=4+6=10 v(AC)=4 v(BC)=3 v(ABC)=22
    // marginal contributions (A, B, C) per order:
    //   A B C: 4, 10−4=6, 22−10=12     A C B: 4, 22−4=18, 4−4=0
    //   B A C: 10−0=10, 0, 12          B C A: 22−3=19, 0, 3−0=3
    //   C A B: 4−0=4, 18, 0            C B A: 19, 3−0=3, 0
    // A = (4+4+10+19+4+19)/6 = 60/6 = 10; B = (6+18+0+0+18+3)/6 = 45/6 = 7.5; C = (12+0+12+3+0+0)/6 = 27/6 = 4.5
    // Revenue is ten times conversions on every path, so its game and values are ten times as large.
    const credits = byChannel(creditShapley(paths));
    expect(credits.A?.conversions).toBeCloseTo(10, 12);
    expect(credits.B?.conversions).toBeCloseTo(7.5, 12);
    expect(credits.C?.conversions).toBeCloseTo(4.5, 12);
    expect(credits.A?.revenue).toBeCloseTo(100, 10);
    expect(credits.B?.revenue).toBeCloseTo(75, 10);
    expect(credits.C?.revenue).toBeCloseTo(45, 10);
    expectConserved(creditShapley(paths), paths);
  });

  it('counts a channel once per path however often it was touched, unlike linear', () => {
    const repeated = [{ channels: ['A', 'A', 'A', 'B'], conversions: 2, revenue: 0, nulls: 0 }];
    // players {A, B}: 2 / 2 each; linear would give A 1.5
    expect(byChannel(creditShapley(repeated)).A?.conversions).toBe(1);
  });

  it('stays exact with more channels than subsets could be enumerated for', () => {
    const channels = Array.from({ length: 40 }, (_, i) => `c${i}`);
    const many = [
      { channels, conversions: 40, revenue: 80, nulls: 0 },
      { channels: ['c0'], conversions: 1, revenue: 1, nulls: 0 },
    ];
    const credits = byChannel(creditShapley(many));
    expect(credits.c0?.conversions).toBeCloseTo(2, 12); // 40 / 40 + 1
    expect(credits.c39?.conversions).toBeCloseTo(1, 12); // 40 / 40
    expectConserved(creditShapley(many), many);
  });
});
