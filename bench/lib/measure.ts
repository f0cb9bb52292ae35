import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

const MB = 1024 * 1024;
const SAMPLE_EVERY_MS = 5;

/** Time and memory of one measured piece of work. */
export interface Measured {
  ms: number;
  /** Highest RSS and V8 heap seen while it ran (sampled, plus before and after). */
  peakRssMb: number;
  peakHeapMb: number;
  /** The process's RSS high-water mark from the kernel when it ended: catches peaks inside synchronous code. */
  maxRssMb: number;
}

// Collecting between stages lets one stage's peak stand alone instead of riding on the previous one's garbage.
setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;

/**
 * Runs `work` and measures it. Samples come from a timer, so a long synchronous stretch (a model
 * fit) is seen only at its ends; `maxRssMb` from resourceUsage covers it for RSS.
 */
export async function measure<T>(work: () => Promise<T> | T): Promise<{ value: T } & Measured> {
  collect();
  let peakRss = 0;
  let peakHeap = 0;
  const sample = () => {
    const usage = process.memoryUsage();
    peakRss = Math.max(peakRss, usage.rss);
    peakHeap = Math.max(peakHeap, usage.heapUsed);
  };
  sample();
  const timer = setInterval(sample, SAMPLE_EVERY_MS);
  const started = performance.now();
  try {
    const value = await work();
    const ms = performance.now() - started;
    sample();
    return { value, ms, peakRssMb: peakRss / MB, peakHeapMb: peakHeap / MB, maxRssMb: (process.resourceUsage().maxRSS * 1024) / MB };
  } finally {
    clearInterval(timer);
  }
}

/** The kernel's RSS high-water mark of this process so far, in MB. */
export function processMaxRssMb(): number {
  return (process.resourceUsage().maxRSS * 1024) / MB;
}
