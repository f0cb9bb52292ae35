// Times every attribution model on ChannelAttribution's PathData (10,000 paths, 12 channels).
// Run: npx tsx bench/attribution.ts
import { attribute, ATTRIBUTION_MODELS, type AttributionOptions } from '../src/analytics/attribution/attribute.js';
import { readPathFixture } from '../test/analytics/attribution/read-path-fixture.js';

const RUNS = 7;
const paths = readPathFixture('channelattribution_PathData.csv');

function medianMs(run: () => unknown): number {
  run(); // warm-up: the first call pays for JIT compilation
  const times = Array.from({ length: RUNS }, () => {
    const start = performance.now();
    run();
    return performance.now() - start;
  }).sort((a, b) => a - b);
  return times[Math.floor(RUNS / 2)] ?? Number.NaN;
}

const cases: { label: string; model: (typeof ATTRIBUTION_MODELS)[number]; options: AttributionOptions }[] = [
  ...ATTRIBUTION_MODELS.map((model) => ({ label: model, model, options: {} })),
  { label: 'markov order 2', model: 'markov', options: { markovOrder: 2 } },
  { label: 'markov order 3', model: 'markov', options: { markovOrder: 3 } },
];

console.log(`${paths.length} paths, median of ${RUNS} runs`);
for (const { label, model, options } of cases) {
  console.log(`${label.padEnd(16)} ${medianMs(() => attribute(model, paths, options)).toFixed(1).padStart(8)} ms`);
}
