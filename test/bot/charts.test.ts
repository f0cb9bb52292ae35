import { describe, expect, it } from 'vitest';
import { CHANNEL_COLORS, barChart, bulletChart, lineChart, stackedBarChart } from '../../src/bot/charts.js';
import { translator } from '../../src/bot/messages/index.js';
import type { ChartBlock } from '../../src/bot/reply.js';

const t = translator('en');

// Okabe & Ito (2008) palette, with grey in place of black (R Graphics Cookbook, "cbPalette").
const OKABE_ITO = ['#999999', '#E69F00', '#56B4E9', '#009E73', '#F0E442', '#0072B2', '#D55E00', '#CC79A7'];

type LooseDataset = { label?: string; type?: string; data: unknown[]; fill?: unknown; grouped?: boolean; backgroundColor?: unknown };
const datasetsOf = (block: ChartBlock) => block.config.data.datasets as unknown as LooseDataset[];

const channels = ['Email', 'Direct', 'Paid search'];

describe('chart builders', () => {
  it('gives each of the 8 channels its own Okabe-Ito colour', () => {
    const colours = Object.values(CHANNEL_COLORS);
    expect(Object.keys(CHANNEL_COLORS).sort()).toEqual(
      ['affiliate', 'direct', 'display', 'email', 'organic_search', 'paid_search', 'paid_social', 'referral'],
    );
    expect(new Set(colours).size).toBe(8);
    colours.forEach((colour) => expect(OKABE_ITO).toContain(colour));
  });

  it('builds a grouped bar chart with one dataset per series and one bar per label', () => {
    const block = barChart({
      t, title: 'Revenue by channel', labels: channels,
      series: [{ label: 'This month', values: [10, 20, 15] }, { label: 'Last month', values: [12, 18, 25], channel: 'email' }],
    });
    const datasets = datasetsOf(block);
    expect(block.config.type).toBe('bar');
    expect(datasets.map((d) => d.data)).toEqual([[10, 20, 15], [12, 18, 25]]);
    expect(datasets[1]?.backgroundColor).toBe(CHANNEL_COLORS.email);
    expect(block.config.options?.indexAxis).toBe('x');
    expect([block.width, block.height]).toEqual([800, 400]);
    expect(block.alt).toContain('Revenue by channel');
    expect(block.alt).toContain('3 categories (Email, Direct, Paid search)');
    expect(block.alt).toContain('Highest This month: Direct.');
    expect(block.alt).toContain('Highest Last month: Paid search.');
  });

  it('turns bars sideways when asked', () => {
    const block = barChart({ t, title: 'Sessions', labels: channels, series: [{ label: 'Sessions', values: [1, 2, 3] }], horizontal: true });
    expect(block.config.options?.indexAxis).toBe('y');
    expect(block.alt).toMatch(/^Sessions\. Horizontal bar chart/);
  });

  it('stacks both axes and names the category with the largest total', () => {
    const block = stackedBarChart({
      t, title: 'Orders by device', labels: channels,
      series: [{ label: 'Mobile', values: [10, 5, 1] }, { label: 'Desktop', values: [1, 5, null] }],
    });
    expect(block.config.options?.scales).toEqual({ x: { stacked: true }, y: { stacked: true } });
    expect(datasetsOf(block)).toHaveLength(2);
    // Totals 11, 10, 1.
    expect(block.alt).toContain('Largest total: Email.');
  });

  it('adds a baseline band as two datasets, the upper one filled down to the lower', () => {
    const block = lineChart({
      t, title: 'Sessions per day', labels: ['1 Nov', '2 Nov', '3 Nov', '4 Nov'],
      series: [{ label: 'Sessions', values: [100, 130, 95, 60] }],
      band: { lowerLabel: 'Expected low', upperLabel: 'Expected high', lower: [90, 90, 90, 90], upper: [120, 120, 120, 120] },
    });
    const datasets = datasetsOf(block);
    expect(datasets.map((d) => d.label)).toEqual(['Sessions', 'Expected low', 'Expected high']);
    expect(datasets[1]?.fill).toBe(false);
    expect(datasets[2]?.fill).toBe('-1');
    expect(datasets[1]?.data).toEqual([90, 90, 90, 90]);
    // 130 is above 120 and 60 below 90: two points outside.
    expect(block.alt).toContain('2 of 4 points of Sessions fall outside it');
    expect(block.alt).toContain('from 1 Nov to 4 Nov');
  });

  it('draws event markers as floating bars spanning the plotted values, dropping events outside the labels', () => {
    const block = lineChart({
      t, title: 'LCP p75', labels: ['1 Nov', '2 Nov', '3 Nov'],
      series: [{ label: 'Mobile', values: [2400, 3100, null] }, { label: 'Desktop', values: [1800, 1900, 2000] }],
      markers: [{ at: '2 Nov', label: 'Deploy v2.3' }, { at: '9 Oct', label: 'Old deploy' }],
    });
    const datasets = datasetsOf(block);
    expect(datasets).toHaveLength(3);
    const marker = datasets[2];
    expect(marker?.type).toBe('bar');
    expect(marker?.grouped).toBe(false);
    expect(marker?.data).toEqual([null, [1800, 3100], null]);
    expect(block.alt).toContain('Marked: Deploy v2.3 at 2 Nov.');
    expect(block.alt).not.toContain('Old deploy');
  });

  it('leaves out dots on long lines', () => {
    const labels = Array.from({ length: 90 }, (_, i) => `d${i}`);
    const block = lineChart({ t, title: 'Orders', labels, series: [{ label: 'Orders', values: labels.map((_, i) => i) }] });
    expect(datasetsOf(block)[0]?.data).toHaveLength(90);
    expect(block.config.data.datasets[0]).toMatchObject({ pointRadius: 0 });
  });

  it('marks an event on a series longer than the stack allows as arguments (ten years of hours)', () => {
    const labels = Array.from({ length: 300_000 }, (_, i) => `h${i}`);
    const values = labels.map((_, i) => (i === 7 ? -5 : i % 1000));
    const block = lineChart({ t, title: 'Events', labels, series: [{ label: 'purchase', values }], markers: [{ at: 'h10', label: 'Deploy' }] });
    expect(datasetsOf(block)[1]?.data[10]).toEqual([-5, 999]);
  });

  it('refuses series whose length does not match the labels', () => {
    expect(() => lineChart({ t, title: 'x', labels: ['a', 'b'], series: [{ label: 'S', values: [1] }] })).toThrow(RangeError);
    expect(() => barChart({ t, title: 'x', labels: ['a'], series: [{ label: 'S', values: [1, 2] }] })).toThrow(RangeError);
  });

  it('builds a bullet chart of actual, expected and cap bars overlaid per channel', () => {
    const block = bulletChart({
      t, title: 'Budget pacing', legend: { actual: 'Spent', expected: 'Expected by today', cap: 'Budget' },
      rows: [
        { label: 'Paid search', actual: 5200, expected: 4000, cap: 5000 },
        { label: 'Paid social', actual: 2000, expected: 2500, cap: 4000 },
        { label: 'Display', actual: 900, expected: 800, cap: 1500 },
      ],
    });
    const datasets = datasetsOf(block);
    expect(block.config.options?.indexAxis).toBe('y');
    expect(datasets.map((d) => d.label)).toEqual(['Spent', 'Expected by today', 'Budget']);
    expect(datasets.map((d) => d.data)).toEqual([[5200, 2000, 900], [4000, 2500, 800], [5000, 4000, 1500]]);
    datasets.forEach((d) => expect(d.grouped).toBe(false));
    expect(datasets[0]?.backgroundColor).toEqual(['#D55E00', '#0072B2', '#0072B2']);
    expect(block.alt).toContain('Over Budget: Paid search.');
    expect(block.alt).toContain('Above Expected by today but within Budget: Display.');
  });

  it('produces plain JSON that survives a round trip unchanged', () => {
    const blocks = [
      barChart({ t, title: 'a', labels: channels, series: [{ label: 'S', values: [1, 2, 3] }] }),
      lineChart({ t, title: 'b', labels: ['x', 'y'], series: [{ label: 'S', values: [1, 2] }], markers: [{ at: 'y', label: 'Deploy' }],
        band: { lowerLabel: 'lo', upperLabel: 'hi', lower: [0, 0], upper: [3, 3] } }),
      bulletChart({ t, title: 'c', legend: { actual: 'A', expected: 'E', cap: 'C' }, rows: [{ label: 'r', actual: 1, expected: 2, cap: 3 }] }),
    ];
    blocks.forEach((block) => expect(JSON.parse(JSON.stringify(block))).toStrictEqual(block));
  });

  it('writes every alt text in the reply\'s language', () => {
    const it = translator('it');
    const bars = barChart({ t: it, title: 'Fatturato', labels: channels, series: [{ label: 'Questo mese', values: [3, 9, 1] }] });
    expect(bars.alt).toBe('Fatturato. Grafico a barre di Questo mese per 3 categorie (Email, Direct, Paid search). Valore più alto di Questo mese: Direct.');
    const stacked = stackedBarChart({ t: it, title: 'Quote', labels: ['a', 'b'], series: [{ label: 'x', values: [1, 5] }, { label: 'y', values: [1, 0] }] });
    expect(stacked.alt).toBe('Quote. Grafico a barre impilate di x, y per 2 categorie (a, b). Totale più alto: b.');
    const line = lineChart({
      t: it, title: 'Ordini', labels: ['1 nov', '2 nov'], series: [{ label: 'Osservati', values: [5, 1] }],
      band: { lowerLabel: 'Soglia', upperLabel: 'Atteso', lower: [2, 2], upper: [6, 6] }, markers: [{ at: '2 nov', label: 'Deploy v2' }],
    });
    expect(line.alt).toBe('Ordini. Grafico a linee di Osservati su 2 punti, da 1 nov a 2 nov. Fascia ombreggiata tra Soglia e Atteso; '
      + '1 punto su 2 di Osservati ne resta fuori. Segnati: Deploy v2 (2 nov).');
    const bullet = bulletChart({ t: it, title: 'Budget', legend: { actual: 'Speso', expected: 'Previsto', cap: 'Tetto' }, rows: [{ label: 'Email', actual: 1, expected: 2, cap: 3 }] });
    expect(bullet.alt).toBe('Budget. Grafico bullet di Speso rispetto a Previsto e Tetto per 1 categoria (Email). Oltre Tetto: nessuno. Sopra Previsto ma entro Tetto: nessuno.');
  });
});
