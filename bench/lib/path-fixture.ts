import { readFileSync } from 'node:fs';
import type { AttributionPath } from '../../src/analytics/attribution/types.js';

const FIXTURES = new URL('../../../shared/fixtures/attribution/', import.meta.url);

/**
 * Reads a ChannelAttribution-style file: `;`-separated with a header naming `path`,
 * `total_conversions`, `total_null` and optionally `total_conversion_value`; channels joined by ` > `.
 */
export function readPathFixture(fileName: string): AttributionPath[] {
  const [header = '', ...lines] = readFileSync(new URL(fileName, FIXTURES), 'utf8').trim().split(/\r?\n/);
  const columns = header.split(';');
  const column = (name: string): number => columns.indexOf(name);
  return lines.map((line) => {
    const cells = line.split(';');
    const numberAt = (name: string): number => (column(name) === -1 ? 0 : Number(cells[column(name)]));
    return {
      channels: (cells[column('path')] ?? '').split(' > '),
      conversions: numberAt('total_conversions'),
      revenue: numberAt('total_conversion_value'),
      nulls: numberAt('total_null'),
    };
  });
}
