import type { Formatter } from './format.js';
import type { Period } from './period.js';

/** The last instant inside a half-open period: what "until" means to a reader. */
export function lastInstantOf(period: Pick<Period, 'end'>): Date {
  return new Date(period.end.getTime() - 1);
}

/** "27 Oct 2026 – 25 Nov 2026": the days a period covers, as people read them. */
export function periodText(period: Pick<Period, 'start' | 'end'>, fmt: Formatter): string {
  const first = fmt.date(period.start);
  const last = fmt.date(lastInstantOf(period));
  return first === last ? first : `${first} – ${last}`;
}
