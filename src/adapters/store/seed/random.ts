/**
 * A small seeded random source, so the same seed always yields the same shop.
 * sfc32 (Chris Doty-Humphrey's Small Fast Counting generator, as in PractRand) seeded through splitmix32.
 */
export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
}

/** One independent stream per part of the shop: adding draws to one part leaves the others unchanged. */
export function randomStream(seed: number, stream: number): Random {
  let state = (Math.imul(seed | 0, 0x9e3779b1) ^ Math.imul(stream + 1, 0x85ebca6b)) >>> 0;
  const splitmix32 = (): number => {
    state = (state + 0x9e3779b9) | 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitmix32();
  let b = splitmix32();
  let c = splitmix32();
  let d = splitmix32();
  const next = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 12; i += 1) next();
  return { next };
}

export const uniform = (random: Random, low: number, high: number): number => low + (high - low) * random.next();

export const integerBetween = (random: Random, low: number, high: number): number => low + Math.floor(random.next() * (high - low + 1));

/** Standard normal by Box-Muller; one draw per call keeps the stream easy to reason about. */
export function normal(random: Random, mean = 0, sd = 1): number {
  const u = 1 - random.next();
  const v = random.next();
  return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Lognormal given its median and the sd of its log. */
export const logNormal = (random: Random, median: number, logSd: number): number => median * Math.exp(normal(random, 0, logSd));

export const exponential = (random: Random, mean: number): number => -mean * Math.log(1 - random.next());

/** Gamma(shape, scale) by Marsaglia and Tsang (2000), with the shape < 1 boost. */
export function gamma(random: Random, shape: number, scale: number): number {
  if (shape < 1) return gamma(random, shape + 1, scale) * Math.pow(random.next(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = normal(random);
    const v = Math.pow(1 + c * x, 3);
    if (v <= 0) continue;
    const u = random.next();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v * scale;
  }
}

export function beta(random: Random, a: number, b: number): number {
  const x = gamma(random, a, 1);
  return x / (x + gamma(random, b, 1));
}

/** Poisson count: Knuth's product method for small means, a rounded normal above 30. */
export function poisson(random: Random, mean: number): number {
  if (mean <= 0) return 0;
  if (mean > 30) return Math.max(0, Math.round(normal(random, mean, Math.sqrt(mean))));
  const limit = Math.exp(-mean);
  let count = 0;
  let product = random.next();
  while (product > limit) {
    count += 1;
    product *= random.next();
  }
  return count;
}

/** Index drawn with probability proportional to its weight. */
export function pickIndex(random: Random, weights: readonly number[]): number {
  let total = 0;
  for (const weight of weights) total += weight;
  let target = random.next() * total;
  for (let index = 0; index < weights.length; index += 1) {
    target -= weights[index] ?? 0;
    if (target < 0) return index;
  }
  return weights.length - 1;
}

export function pick<T>(random: Random, items: readonly T[]): T {
  const item = items[Math.floor(random.next() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

/** A short lowercase hex string, like an abbreviated git sha. */
export function hexString(random: Random, length: number): string {
  let text = '';
  for (let index = 0; index < length; index += 1) text += Math.floor(random.next() * 16).toString(16);
  return text;
}
