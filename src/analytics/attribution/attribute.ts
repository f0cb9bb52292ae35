import { creditFirstClick } from './first-click.js';
import { creditLastClick } from './last-click.js';
import { creditLastNonDirect } from './last-non-direct.js';
import { creditLinear } from './linear.js';
import { creditMarkov } from './markov.js';
import { creditPositionBased } from './position-based.js';
import { creditShapley } from './shapley.js';
import { creditTimeDecay } from './time-decay.js';
import type { AttributionPath, ChannelCredit } from './types.js';

export const ATTRIBUTION_MODELS = [
  'first_click',
  'last_click',
  'last_non_direct',
  'linear',
  'time_decay',
  'position_based',
  'markov',
  'shapley',
] as const;
export type AttributionModel = (typeof ATTRIBUTION_MODELS)[number];

/** Each setting is read by one model only; unset means that model's default. */
export interface AttributionOptions {
  /** last_non_direct: the channel name that means "typed the address". */
  readonly directChannel?: string;
  /** time_decay. */
  readonly halfLifeDays?: number;
  /** markov: how many past channels a state remembers. */
  readonly markovOrder?: number;
}

type Model = (paths: readonly AttributionPath[], options: AttributionOptions) => ChannelCredit[];

const MODELS: Record<AttributionModel, Model> = {
  first_click: (paths) => creditFirstClick(paths),
  last_click: (paths) => creditLastClick(paths),
  last_non_direct: (paths, options) => creditLastNonDirect(paths, options.directChannel),
  linear: (paths) => creditLinear(paths),
  time_decay: (paths, options) => creditTimeDecay(paths, options.halfLifeDays),
  position_based: (paths) => creditPositionBased(paths),
  markov: (paths, options) => creditMarkov(paths, options.markovOrder),
  shapley: (paths) => creditShapley(paths),
};

/** Conversions and revenue per channel under one model; the totals always equal the input's. */
export function attribute(
  model: AttributionModel,
  paths: readonly AttributionPath[],
  options: AttributionOptions = {},
): ChannelCredit[] {
  return MODELS[model](paths, options);
}
