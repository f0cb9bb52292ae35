import { START_STATE, type MarkovChain } from './markov-chain.js';

/** Sweeps stop once no state's value moves by more than this between two sweeps. */
export const ABSORPTION_TOLERANCE = 1e-12;
/** A chain estimated from finite paths converges in far fewer sweeps; reaching this is a bug. */
const MAX_SWEEPS = 100_000;

/**
 * Expected reward collected before absorption when starting from the start state, with the states in
 * `removed` turned into dead ends (value 0): the removal effect's "what if this channel did not exist".
 * With `chain.conversionReward` this is P(conversion); with `revenueReward`, revenue per journey.
 *
 * Solves x = r + Qx by Gauss-Seidel sweeps (Q is sparse and substochastic, and every state can reach
 * absorption, so the sweeps converge). A state's transition to itself is solved for exactly,
 * x_s = (r_s + Σ_{t≠s} Q_st x_t) / (1 − Q_ss), which is why repeated touches do not slow it down.
 */
export function expectedReward(chain: MarkovChain, reward: Float64Array, removed: ReadonlySet<number>): number {
  const stateCount = chain.transitions.length;
  const value = new Float64Array(stateCount);
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let largestChange = 0;
    // Later states sit nearer the end of paths, so sweeping backwards carries values towards the start faster.
    for (let state = stateCount - 1; state >= 0; state--) {
      if (removed.has(state)) continue;
      let sum = reward[state] ?? 0;
      let stay = 0;
      for (const { to, probability } of chain.transitions[state] ?? []) {
        if (to === state) stay += probability;
        else sum += probability * (value[to] ?? 0);
      }
      const next = sum / (1 - stay);
      largestChange = Math.max(largestChange, Math.abs(next - (value[state] ?? 0)));
      value[state] = next;
    }
    if (largestChange <= ABSORPTION_TOLERANCE) return value[START_STATE] ?? 0;
  }
  throw new Error(`absorption probabilities did not converge within ${MAX_SWEEPS} sweeps`);
}
