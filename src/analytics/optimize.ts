// Unconstrained minimisation for the model fits (Nocedal & Wright, Numerical Optimization, 2nd ed.,
// algorithm 6.1: BFGS on the inverse Hessian, with a backtracking Armijo line search).

export type Objective = (point: readonly number[]) => number;
/** ∇f at a point; the fits supply it analytically, which is exact and several times cheaper. */
export type Gradient = (point: readonly number[]) => number[];

export interface MinimizeOptions {
  maxIterations: number;
  /** Stop when every gradient component is at most this times max(1, |f|). */
  relativeGradientTolerance: number;
  /** Analytic gradient of f; without it, central differences (2·n evaluations of f per gradient). */
  gradient?: Gradient;
}

export interface Minimum {
  point: number[];
  value: number;
  /**
   * True when the gradient test passed, or f stopped improving (see FLAT_STEPS_TO_STOP); false when
   * iterations ran out or no step could improve f.
   */
  converged: boolean;
  iterations: number;
}

// Central differences: error ~ h² from truncation plus ~ 1e-16·|f|/h from rounding, balanced near 1e-5
// for the log-parameter scale the fits use.
const GRADIENT_STEP = 1e-5;
const ARMIJO_SLOPE_FRACTION = 1e-4;
// Each rejected trial shrinks the step at least by half, so 60 reach 1e-18 of the first one.
const MAX_HALVINGS = 60;
/**
 * Over likelihood sums of a million terms the central-difference gradient carries rounding noise of
 * about 1e-16·|f|/h, so the gradient test may never pass although f no longer moves. Three steps in a
 * row that improve f by less than this share of |f| count as converged.
 */
const FLAT_STEP_RELATIVE_CHANGE = 1e-12;
const FLAT_STEPS_TO_STOP = 3;

/**
 * f and ∇f for minimizeBfgs from one function that computes both. The gradient of the point last
 * evaluated is kept: BFGS asks for it at the point its line search just accepted, so a likelihood
 * whose gradient costs little beyond its value is summed once per trial instead of twice.
 */
export function valueAndGradient(evaluate: (point: readonly number[]) => { value: number; gradient: number[] }): { value: Objective; gradient: Gradient } {
  let last: { point: number[]; gradient: number[] } | undefined;
  const value = (point: readonly number[]): number => {
    const evaluated = evaluate(point);
    last = { point: [...point], gradient: evaluated.gradient };
    return evaluated.value;
  };
  const gradient = (point: readonly number[]): number[] => {
    if (last === undefined || last.point.some((coordinate, i) => coordinate !== point[i])) value(point);
    return last?.gradient ?? [];
  };
  return { value, gradient };
}

/** Central-difference gradient; the fits run in log-parameter space where one step size suits all. */
function numericalGradient(f: Objective, point: readonly number[]): number[] {
  return point.map((_, i) => {
    const forward = [...point];
    const backward = [...point];
    forward[i] = (forward[i] ?? 0) + GRADIENT_STEP;
    backward[i] = (backward[i] ?? 0) - GRADIENT_STEP;
    return (f(forward) - f(backward)) / (2 * GRADIENT_STEP);
  });
}

/**
 * Minimises f from start with BFGS. Non-finite values of f count as "worse than anything", so an
 * objective may return NaN or Infinity where the model is undefined and the line search backs off.
 */
export function minimizeBfgs(f: Objective, start: readonly number[], options: MinimizeOptions): Minimum {
  const n = start.length;
  let point = [...start];
  let value = f(point);
  if (!Number.isFinite(value)) throw new RangeError('minimizeBfgs: objective is not finite at the start point');
  const gradientAt: Gradient = options.gradient ?? ((at) => numericalGradient(f, at));
  let gradient = gradientAt(point);
  let inverseHessian = identity(n);
  let isFirstStep = true;
  let flatSteps = 0;

  for (let iteration = 0; iteration < options.maxIterations; iteration++) {
    if (isStationary(gradient, value, options)) return { point, value, converged: true, iterations: iteration };
    let direction = scale(matrixVector(inverseHessian, gradient), -1);
    if (dot(direction, gradient) >= 0) {
      // The approximation lost positive definiteness (rounding); restart from steepest descent.
      inverseHessian = identity(n);
      direction = scale(gradient, -1);
    }
    // Before any curvature is known, keep the first trial step to unit length in parameter space.
    const initialStep = isFirstStep ? Math.min(1, 1 / maxAbs(direction)) : 1;
    const step = backtrack(f, point, value, gradient, direction, initialStep);
    if (step === undefined) return { point, value, converged: isStationary(gradient, value, options), iterations: iteration };

    const nextPoint = point.map((p, i) => p + step.length * (direction[i] ?? 0));
    const nextGradient = gradientAt(nextPoint);
    const s = nextPoint.map((p, i) => p - (point[i] ?? 0));
    const y = nextGradient.map((g, i) => g - (gradient[i] ?? 0));
    const curvature = dot(s, y);
    if (curvature > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y))) {
      if (isFirstStep) inverseHessian = scaleMatrix(identity(n), curvature / dot(y, y));
      inverseHessian = updateInverseHessian(inverseHessian, s, y, curvature);
      isFirstStep = false;
    }
    flatSteps = value - step.value <= FLAT_STEP_RELATIVE_CHANGE * Math.max(1, Math.abs(value)) ? flatSteps + 1 : 0;
    point = nextPoint;
    value = step.value;
    gradient = nextGradient;
    if (flatSteps >= FLAT_STEPS_TO_STOP) return { point, value, converged: true, iterations: iteration + 1 };
  }
  return { point, value, converged: isStationary(gradient, value, options), iterations: options.maxIterations };
}

function isStationary(gradient: readonly number[], value: number, options: MinimizeOptions): boolean {
  return maxAbs(gradient) <= options.relativeGradientTolerance * Math.max(1, Math.abs(value));
}

/**
 * Backtracking Armijo line search. A rejected trial is replaced by the minimiser of the quadratic
 * through f(0), f'(0) and f(trial) (Nocedal & Wright §3.5), kept within [0.1, 0.5] of the trial: far
 * fewer evaluations than halving when the first step overshoots by orders of magnitude.
 */
function backtrack(f: Objective, point: readonly number[], value: number, gradient: readonly number[],
  direction: readonly number[], initialStep: number): { length: number; value: number } | undefined {
  const slope = dot(gradient, direction);
  let length = initialStep;
  for (let halving = 0; halving < MAX_HALVINGS; halving++) {
    const trial = f(point.map((p, i) => p + length * (direction[i] ?? 0)));
    if (Number.isFinite(trial) && trial <= value + ARMIJO_SLOPE_FRACTION * length * slope) return { length, value: trial };
    const quadraticMinimum = Number.isFinite(trial) ? (-slope * length * length) / (2 * (trial - value - slope * length)) : 0;
    length = Math.min(0.5 * length, Math.max(0.1 * length, quadraticMinimum));
  }
  return undefined;
}

// H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ with ρ = 1 / (yᵀ s)   (Nocedal & Wright eq. 6.17)
function updateInverseHessian(h: readonly number[][], s: readonly number[], y: readonly number[], curvature: number): number[][] {
  const rho = 1 / curvature;
  const hy = matrixVector(h, y);
  const yHy = dot(y, hy);
  return h.map((row, i) => row.map((hij, j) => {
    const si = s[i] ?? 0;
    const sj = s[j] ?? 0;
    return hij - rho * ((hy[i] ?? 0) * sj + si * (hy[j] ?? 0)) + (rho * rho * yHy + rho) * si * sj;
  }));
}

function identity(n: number): number[][] {
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
}

function scaleMatrix(m: readonly number[][], factor: number): number[][] {
  return m.map((row) => scale(row, factor));
}

function matrixVector(m: readonly number[][], v: readonly number[]): number[] {
  return m.map((row) => dot(row, v));
}

function dot(u: readonly number[], v: readonly number[]): number {
  return u.reduce((sum, ui, i) => sum + ui * (v[i] ?? 0), 0);
}

function scale(v: readonly number[], factor: number): number[] {
  return v.map((vi) => vi * factor);
}

function maxAbs(v: readonly number[]): number {
  return v.reduce((largest, vi) => Math.max(largest, Math.abs(vi)), 0);
}
