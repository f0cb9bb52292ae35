// Special functions the buy-till-you-die models need; nothing here reads a clock or a file.

// Lanczos coefficients for g = 7, n = 9 (Numerical Recipes 3rd ed. §6.1 / Godfrey's table):
// about 15 significant digits for every positive argument.
const LANCZOS_G = 7;
const LANCZOS_COEFFICIENTS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
] as const;
const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

/** ln Γ(x) for x > 0 (Lanczos approximation); +Infinity at 0, NaN below it, never an exception. */
export function logGamma(x: number): number {
  if (Number.isNaN(x) || x < 0) return Number.NaN;
  if (x === 0) return Number.POSITIVE_INFINITY;
  // Reflection keeps the series accurate for small arguments such as the BG/NBD r ≈ 0.24.
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const shifted = x - 1;
  let sum = LANCZOS_COEFFICIENTS[0];
  for (let i = 1; i < LANCZOS_COEFFICIENTS.length; i++) sum += (LANCZOS_COEFFICIENTS[i] ?? 0) / (shifted + i);
  const t = shifted + LANCZOS_G + 0.5;
  return HALF_LOG_TWO_PI + (shifted + 0.5) * Math.log(t) - t + Math.log(sum);
}

// Below this the digamma recurrence steps up; from there the asymptotic series below has 15 digits.
const DIGAMMA_ASYMPTOTIC_FROM = 10;

/**
 * ψ(x) = d/dx ln Γ(x) for x > 0 (NaN otherwise): the recurrence ψ(x) = ψ(x + 1) − 1/x up to 10, then
 * the asymptotic series ln x − 1/(2x) − Σ B₂ₖ/(2k·x²ᵏ) (Abramowitz & Stegun 6.3.5 and 6.3.18). The
 * model fits need it for analytic gradients of their likelihoods.
 */
export function digamma(x: number): number {
  if (!(x > 0)) return Number.NaN;
  let shift = 0;
  while (x < DIGAMMA_ASYMPTOTIC_FROM) {
    shift -= 1 / x;
    x += 1;
  }
  const inverseSquare = 1 / (x * x);
  // B₂/2, B₄/4, B₆/6, B₈/8, B₁₀/10, B₁₂/12 in Horner form over 1/x².
  const series = inverseSquare * (1 / 12 - inverseSquare * (1 / 120 - inverseSquare * (1 / 252
    - inverseSquare * (1 / 240 - inverseSquare * (1 / 132 - inverseSquare * (691 / 32760))))));
  return shift + Math.log(x) - 1 / (2 * x) - series;
}

/** ln(e^u + e^v) without overflow or underflow when u and v are large in magnitude. */
export function logAddExp(u: number, v: number): number {
  const larger = Math.max(u, v);
  if (larger === Number.NEGATIVE_INFINITY) return larger;
  return larger + Math.log1p(Math.exp(Math.min(u, v) - larger));
}

// Enough for z = 0.999 with the parameters the BG/NBD produces; beyond it the caller's horizon is absurd.
const HYPERGEOMETRIC_MAX_TERMS = 100_000;
const HYPERGEOMETRIC_RELATIVE_TOLERANCE = 1e-15;

/**
 * Gauss hypergeometric ₂F₁(a, b; c; z) for 0 ≤ z < 1 by its power series (Abramowitz & Stegun 15.1.1),
 * summed until a bound on the remaining tail is below 1e-15 of the sum.
 * Callers keep c large relative to a·b (see bg-nbd-predict.ts, which applies Euler's transformation
 * first) so the series needs few terms. Throws when z is outside [0, 1) or the series has not
 * converged after HYPERGEOMETRIC_MAX_TERMS terms: both are bugs in the caller, not user input.
 */
export function hypergeometric2F1(a: number, b: number, c: number, z: number): number {
  const sum = hypergeometric2F1Series(a, b, c, z, HYPERGEOMETRIC_MAX_TERMS);
  if (sum === undefined) throw new RangeError(`hypergeometric2F1(${a}, ${b}; ${c}; ${z}) did not converge in ${HYPERGEOMETRIC_MAX_TERMS} terms`);
  return sum;
}

/**
 * The same series, undefined when it has not converged within `maxTerms` terms: a caller with another
 * way to the answer tries the series first (its terms grow for about b·z/(1 − z) steps before they
 * shrink, hopeless when b is 10⁹) and falls back when it does not converge.
 */
export function hypergeometric2F1Series(a: number, b: number, c: number, z: number, maxTerms: number): number | undefined {
  if (!(z >= 0 && z < 1)) throw new RangeError(`hypergeometric2F1 needs 0 <= z < 1, got ${z}`);
  let term = 1;
  let sum = 1;
  for (let n = 0; n < maxTerms; n++) {
    const ratio = ((a + n) * (b + n)) / ((c + n) * (n + 1));
    term *= ratio * z;
    sum += term;
    if (term === 0) return sum;
    if (!Number.isFinite(sum)) return undefined;
    // Once the term ratio settles below 1 the tail is at most term·q/(1 − q), q the larger of the
    // current ratio and its limit z.
    const q = Math.max(Math.abs(ratio * z), z);
    if (q < 1 && Math.abs(term) * (q / (1 - q)) <= HYPERGEOMETRIC_RELATIVE_TOLERANCE * Math.abs(sum)) return sum;
  }
  return undefined;
}

/** ln(1 + e^y) without overflow for large y or loss of digits for very negative y. */
export function softplus(y: number): number {
  return y > 0 ? y + Math.log1p(Math.exp(-y)) : Math.log1p(Math.exp(y));
}

// Below e^-40 of the peak a Beta weight adds nothing a double can hold beside the peak's terms.
const BETA_TAIL_LOG = -40;
// Steps per standard deviation at the peak, and the widest step: the weight is analytic in a strip of
// half-width π around the real line, so the trapezoidal rule's error is about exp(−2π²/h) (Trefethen &
// Weideman, "The exponentially convergent trapezoidal rule", SIAM Review 56 (2014), section 5).
const BETA_STEPS_PER_SD = 4;
const BETA_MAX_STEP = 0.25;
const BETA_MAX_STEPS_PER_SIDE = 200_000;

/**
 * E[g(p)] for p ~ Beta(a, b), by the trapezoidal rule over the log-odds u = ln(p/(1 − p)), where the
 * weight p^a (1 − p)^b is smooth, unimodal and decays exponentially both ways whatever a and b are
 * (no endpoint singularity for a < 1, a peak of width √((a+b)/(ab)) however concentrated). The weights
 * are normalised by their own sum, so B(a, b), whose logarithm loses every digit at a = 10⁹, is never needed.
 */
export function betaExpectation(a: number, b: number, g: (p: number, oneMinusP: number) => number): number {
  const peak = Math.log(a) - Math.log(b);
  const sd = Math.sqrt((a + b) / (a * b));
  const step = Math.min(BETA_MAX_STEP, sd / BETA_STEPS_PER_SD);
  const logWeight = (u: number) => -a * softplus(-u) - b * softplus(u);
  const peakLog = logWeight(peak);
  let weights = 0;
  let total = 0;
  const add = (u: number): boolean => {
    const relative = logWeight(u) - peakLog;
    const weight = Math.exp(relative);
    // p and 1 − p from u without cancellation: 1 − p = 1/(1 + e^u).
    const p = 1 / (1 + Math.exp(-u));
    const oneMinusP = 1 / (1 + Math.exp(u));
    weights += weight;
    total += weight * g(p, oneMinusP);
    return relative > BETA_TAIL_LOG;
  };
  add(peak);
  for (let k = 1; k <= BETA_MAX_STEPS_PER_SIDE && add(peak - k * step); k++);
  for (let k = 1; k <= BETA_MAX_STEPS_PER_SIDE && add(peak + k * step); k++);
  return total / weights;
}
