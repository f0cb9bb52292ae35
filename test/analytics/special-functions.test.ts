import { describe, expect, it } from 'vitest';
import { digamma, hypergeometric2F1, logAddExp, logGamma } from '../../src/analytics/special-functions.js';

describe('logGamma', () => {
  it('matches closed forms: Γ(1) = 1, Γ(1/2) = √π, Γ(10) = 9!, Γ(7/2) = 15√π/8', () => {
    expect(logGamma(1)).toBeCloseTo(0, 14);
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 14);
    expect(logGamma(10)).toBeCloseTo(Math.log(362_880), 13);
    expect(logGamma(3.5)).toBeCloseTo(Math.log((15 * Math.sqrt(Math.PI)) / 8), 14);
  });

  it('keeps 13 digits for small arguments like the BG/NBD r and for large ones', () => {
    // Reference values from mpmath.loggamma at 30 digits.
    expect(logGamma(0.25)).toBeCloseTo(1.2880225246980774, 13);
    expect(logGamma(0.243)).toBeCloseTo(1.3180435846996699, 13);
    expect(Math.abs(logGamma(1000) - 5905.220423209181) / 5905.220423209181).toBeLessThan(1e-14);
  });

  it('answers Infinity at 0 and NaN below it instead of throwing', () => {
    expect(logGamma(0)).toBe(Number.POSITIVE_INFINITY);
    expect(logGamma(-1)).toBeNaN();
  });
});

describe('logAddExp', () => {
  it('adds exponentials far beyond the range of Math.exp', () => {
    expect(logAddExp(1000, 1000)).toBeCloseTo(1000 + Math.log(2), 12);
    expect(logAddExp(-1000, -1000 - Math.log(3))).toBeCloseTo(-1000 + Math.log(4 / 3), 12);
    expect(logAddExp(Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY)).toBe(Number.NEGATIVE_INFINITY);
  });
});

describe('hypergeometric2F1', () => {
  it('matches the closed forms 2F1(1,1;2;z) = −ln(1−z)/z and 2F1(a,b;b;z) = (1−z)^−a', () => {
    expect(hypergeometric2F1(1, 1, 2, 0.5)).toBeCloseTo(2 * Math.log(2), 14);
    expect(hypergeometric2F1(1, 1, 2, 0.99)).toBeCloseTo(-Math.log(0.01) / 0.99, 12);
    expect(hypergeometric2F1(2.5, 0.7, 0.7, 0.3)).toBeCloseTo(0.7 ** -2.5, 13);
  });

  it('is 1 at z = 0 and when a parameter is 0 (the series stops at its first term)', () => {
    expect(hypergeometric2F1(3, 4, 5, 0)).toBe(1);
    expect(hypergeometric2F1(0, 4, 5, 0.9)).toBe(1);
  });

  it('rejects z outside [0, 1), where the power series does not converge', () => {
    expect(() => hypergeometric2F1(1, 1, 2, 1)).toThrow(RangeError);
    expect(() => hypergeometric2F1(1, 1, 2, -0.5)).toThrow(RangeError);
  });
});

describe('digamma', () => {
  it('matches closed forms: ψ(1) = −γ, ψ(1/2) = −γ − 2 ln 2, ψ(n + 1) = H(n) − γ', () => {
    const eulerGamma = 0.5772156649015329;
    expect(digamma(1)).toBeCloseTo(-eulerGamma, 14);
    expect(digamma(0.5)).toBeCloseTo(-eulerGamma - 2 * Math.LN2, 14);
    const harmonic10 = Array.from({ length: 10 }, (_, i) => 1 / (i + 1)).reduce((sum, term) => sum + term, 0);
    expect(digamma(11)).toBeCloseTo(harmonic10 - eulerGamma, 13);
  });

  it('is the derivative of logGamma, also for the small r of the BG/NBD and for large arguments', () => {
    for (const x of [0.24259, 2.5, 37.25, 1500]) {
      const h = 1e-5 * Math.max(1, x);
      const centralDifference = (logGamma(x + h) - logGamma(x - h)) / (2 * h);
      expect(digamma(x)).toBeCloseTo(centralDifference, 6);
    }
  });

  it('answers NaN at 0 and below instead of looping', () => {
    expect(digamma(0)).toBeNaN();
    expect(digamma(-1)).toBeNaN();
  });
});
