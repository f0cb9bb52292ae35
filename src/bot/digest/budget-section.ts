import type { Cell, Reply } from '../reply.js';
import type { DigestSection, SectionContext } from './sections.js';
import { summarySection, tableWith } from './sections.js';

/** Pacing verdicts (the table's raw pace) that mean a channel spends too fast. */
const OVERPACING = new Set(['over', 'cap_exceeded']);

interface PacedLine { channel: string; cap: number; spent: number; expected: number; projected: number; isOverpacing: boolean }

const numberOf = (cell: Cell | undefined): number | null => (typeof cell?.raw === 'number' ? cell.raw : null);

/**
 * Budget pacing told from the budget answer's own table, in money rounded for reading: the channel
 * overpacing most (spent against expected by now, the largest ratio), else the totals against the
 * caps, with the answer's chart. An answer without a pacing table (no caps) is told as it is.
 */
export function budgetSection(heading: string, answer: Reply, context: SectionContext): DigestSection {
  const { t, fmt } = context;
  const found = answer.problem ? undefined : tableWith(answer, ['channel', 'cap', 'spent', 'expected', 'projected', 'pace']);
  if (!found) return summarySection(heading, answer, context);
  const { table, at } = found;
  const lines: PacedLine[] = table.rows.map((row) => {
    const spent = numberOf(row[at('spent')]) ?? 0;
    return {
      channel: row[at('channel')]?.text ?? '',
      cap: numberOf(row[at('cap')]) ?? 0,
      spent,
      expected: numberOf(row[at('expected')]) ?? 0,
      projected: numberOf(row[at('projected')]) ?? spent,
      isOverpacing: OVERPACING.has(String(row[at('pace')]?.raw)),
    };
  });
  const paceOf = (line: PacedLine) => (line.expected > 0 ? line.spent / line.expected : 0);
  const worst = lines.filter((line) => line.isOverpacing && line.expected > 0).sort((a, b) => paceOf(b) - paceOf(a))[0];
  const money = fmt.moneyForReading;
  const sum = (pick: (line: PacedLine) => number) => lines.reduce((total, line) => total + pick(line), 0);
  const insight = worst
    ? t('budget.overpacing', {
      channel: worst.channel, spent: money(worst.spent), expected: money(worst.expected), pace: fmt.percent(paceOf(worst), 0),
      projected: money(worst.projected), cap: money(worst.cap), over: money(worst.projected - worst.cap),
    })
    : t('budget.onTrack', { spent: money(sum((line) => line.spent)), cap: money(sum((line) => line.cap)), projected: money(sum((line) => line.projected)) });
  return { ...summarySection(heading, answer, context), insight };
}
