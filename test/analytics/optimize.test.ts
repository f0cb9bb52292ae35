import { describe, expect, it } from 'vitest';
import { minimizeBfgs } from '../../src/analytics/optimize.js';

describe('minimizeBfgs', () => {
  it('finds the minimum (1, 1) of the Rosenbrock valley from the textbook start (−1.2, 1)', () => {
    const rosenbrock = ([x = 0, y = 0]: readonly number[]) => 100 * (y - x * x) ** 2 + (1 - x) ** 2;
    const minimum = minimizeBfgs(rosenbrock, [-1.2, 1], { maxIterations: 500, relativeGradientTolerance: 1e-8 });
    expect(minimum.converged).toBe(true);
    expect(minimum.point[0]).toBeCloseTo(1, 4);
    expect(minimum.point[1]).toBeCloseTo(1, 4);
  });

  it('backs off from regions where the objective is undefined', () => {
    // x − ln x has its minimum at x = 1; from x = 10 the flat curvature makes the second (secant)
    // step land far below 0, where ln is NaN, so the line search has to shorten it.
    let undefinedEvaluations = 0;
    const objective = ([x = 0]: readonly number[]) => {
      const value = x - Math.log(x);
      if (Number.isNaN(value)) undefinedEvaluations += 1;
      return value;
    };
    const minimum = minimizeBfgs(objective, [10], { maxIterations: 100, relativeGradientTolerance: 1e-8 });
    expect(undefinedEvaluations).toBeGreaterThan(0);
    expect(minimum.converged).toBe(true);
    expect(minimum.point[0]).toBeCloseTo(1, 4);
  });

  it('reports that it did not converge when the iterations run out', () => {
    const rosenbrock = ([x = 0, y = 0]: readonly number[]) => 100 * (y - x * x) ** 2 + (1 - x) ** 2;
    const minimum = minimizeBfgs(rosenbrock, [-1.2, 1], { maxIterations: 3, relativeGradientTolerance: 1e-8 });
    expect(minimum.converged).toBe(false);
    expect(minimum.iterations).toBe(3);
  });
});
