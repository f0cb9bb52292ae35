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
  if (!(z >= 0 && z < 1)) throw new RangeError(`hypergeometric2F1 needs 0 <= z < 1, got ${z}`);
  let term = 1;
  let sum = 1;
  for (let n = 0; n < HYPERGEOMETRIC_MAX_TERMS; n++) {
    const ratio = ((a + n) * (b + n)) / ((c + n) * (n + 1));
    term *= ratio * z;
    sum += term;
    if (term === 0) return sum;
    // Once the term ratio settles below 1 the tail is at most term·q/(1 − q), q the larger of the
    // current ratio and its limit z.
    const q = Math.max(Math.abs(ratio * z), z);
    if (q < 1 && Math.abs(term) * (q / (1 - q)) <= HYPERGEOMETRIC_RELATIVE_TOLERANCE * Math.abs(sum)) return sum;
  }
  throw new RangeError(`hypergeometric2F1(${a}, ${b}; ${c}; ${z}) did not converge in ${HYPERGEOMETRIC_MAX_TERMS} terms`);
}
