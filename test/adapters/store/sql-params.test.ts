import { describe, expect, it } from 'vitest';
import { sqlParams } from '../../../src/adapters/store/sql-params.js';
import { testDbKind, useTestDb } from '../../support/db.js';

describe('sqlParams', () => {
  it('numbers placeholders in the order values are added and keeps the values in that order', () => {
    const p = sqlParams();
    expect([p.add('a'), p.add(null), p.add(3)]).toEqual(['$1', '$2', '$3']);
    expect(p.values).toEqual(['a', null, 3]);
  });

  it('gives a value added twice two placeholders, each bound to its own copy', () => {
    const p = sqlParams();
    const day = new Date('2026-11-01T00:00:00Z');
    expect([p.add(day), p.add(day)]).toEqual(['$1', '$2']);
    expect(p.values).toEqual([day, day]);
  });

  it('starts every builder at $1', () => {
    sqlParams().add('taken');
    expect(sqlParams().add('fresh')).toBe('$1');
  });
});

describe(`sqlParams in a statement on ${testDbKind}`, () => {
  const test = useTestDb();

  it('binds each value to the placeholder it returned, whatever order the pieces are written in', async () => {
    const p = sqlParams();
    // The second piece is written first, so its value comes first in the list.
    const later = p.add(20);
    const earlier = p.add('x');
    const [row] = await test.db.query<{ text: string; number: number }>(`SELECT ${earlier}::text AS text, ${later}::int + 1 AS number`, p.values);
    expect(row).toEqual({ text: 'x', number: 21 });
  });
});
