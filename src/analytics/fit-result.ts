// What the churn (BG/NBD) and spend (Gamma-Gamma) fits share. They refuse data they cannot support
// instead of returning noise; the shape matches Result in src/bot/result.ts so a command can pass it
// on (analytics may not import bot).

/** Fewer customers with a repeat purchase than the model needs to separate its parameters. */
export interface TooFewRepeatBuyers {
  kind: 'too_few_repeat_buyers';
  repeatBuyers: number;
  minRepeatBuyers: number;
}

export type FitResult<T> = { ok: true; value: T } | { ok: false; error: TooFewRepeatBuyers };

/**
 * Below about 20 repeat buyers the likelihood surface is flat enough that the optimiser returns
 * whatever it started from; the published fits use hundreds (946 of 2,357 CDNOW customers).
 */
const DEFAULT_MIN_REPEAT_BUYERS = 20;

export interface FitOptions {
  maxIterations: number;
  minRepeatBuyers: number;
}

export const DEFAULT_FIT_OPTIONS: FitOptions = { maxIterations: 500, minRepeatBuyers: DEFAULT_MIN_REPEAT_BUYERS };

/** How the maximum-likelihood search ended; converged is false when the optimiser gave up. */
export interface FitDiagnostics {
  logLikelihood: number;
  converged: boolean;
  iterations: number;
}

// Stop when no log-parameter moves the log-likelihood by more than 1e-9 of its size per unit step.
export const RELATIVE_GRADIENT_TOLERANCE = 1e-9;
