// Times every attribution model on ChannelAttribution's PathData (10,000 paths, 12 channels).
// Run: npx tsx bench/attribution.ts (or as part of npm run bench)
import { attribute, ATTRIBUTION_MODELS, type AttributionOptions } from '../src/analytics/attribution/attribute.js';
import { readPathFixture } from './lib/path-fixture.js';
import { isMain } from './lib/is-main.js';

const RUNS = 7;

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

export interface PathDataFigure {
  label: string;
  medianMs: number;
}

/** Median time of each model on PathData, printed as it goes. */
export function benchPathData(): { paths: number; runs: number; models: PathDataFigure[] } {
  const paths = readPathFixture('channelattribution_PathData.csv');
  console.log(`${paths.length} paths, median of ${RUNS} runs`);
  const models = cases.map(({ label, model, options }) => {
    const figure = { label, medianMs: medianMs(() => attribute(model, paths, options)) };
    console.log(`${label.padEnd(16)} ${figure.medianMs.toFixed(1).padStart(8)} ms`);
    return figure;
  });
  return { paths: paths.length, runs: RUNS, models };
}

if (isMain(import.meta.url)) benchPathData();
