import { describe, expect, it } from 'vitest';
import { budgetSection } from '../../../src/bot/digest/budget-section.js';
import { createFormatter } from '../../../src/bot/format.js';
import { translator } from '../../../src/bot/messages/index.js';
import { reply } from '../../../src/bot/reply.js';

const context = { t: translator('en'), fmt: createFormatter('en', 'EUR', 'UTC') };
const cell = (text: string, raw: number | string | null) => ({ text, raw });

describe('the digest\'s budget section', () => {
  it('names the channel overpacing most with the table\'s figures rounded for reading', () => {
    const answer = reply({
      title: 'Budget pacing', summary: 'paid_social is overpacing most: €2,190.54 spent against €1,774.19 expected by now …',
      blocks: [{
        type: 'table',
        columns: ['channel', 'cap', 'spent', 'expected', 'projected', 'pace'].map((key) => ({ key, label: key, kind: 'text' as const })),
        rows: [
          // 1,100 / 1,000 = 110 %
          [cell('email', 'email'), cell('', 3_000), cell('', 1_100), cell('', 1_000), cell('', 3_300), cell('', 'over')],
          // 2,190.54 / 1,774.19 = 123 %, projected 13,581.35 against 11,000: 2,581.35 over
          [cell('paid_social', 'paid_social'), cell('', 11_000), cell('', 2_190.54), cell('', 1_774.19), cell('', 13_581.35), cell('', 'cap_exceeded')],
          [cell('paid_search', 'paid_search'), cell('', 5_000), cell('', 900), cell('', 1_000), cell('', 4_500), cell('', 'on_pace')],
        ],
      }],
    });
    expect(budgetSection('Budget pacing', answer, context).insight).toBe(
      'paid_social is overpacing most: €2,191 spent against €1,774 expected by now (123% of pace); at this rate it will spend €13,581 against a €11,000 cap, €2,581 over.',
    );
  });
});
