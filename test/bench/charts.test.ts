import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { chartsFor, renderSvg, throughputChart } from '../../bench/lib/charts.js';
import type { BenchResult } from '../../bench/lib/results.js';
import { PACKAGE_ROOT } from '../../src/package-info.js';

/** The report's charts render to SVG in Node, from a source bench result (no browser, no canvas). */
const source = JSON.parse(
  readFileSync(join(PACKAGE_ROOT, 'test', 'fixtures', 'bench', 'source-result.json'), 'utf8'),
) as BenchResult;

/** Well-formed enough for a browser: one svg root, every element closed in order. */
function checkWellFormed(svg: string): void {
  expect(svg.startsWith('<svg')).toBe(true);
  expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
  const stack: string[] = [];
  for (const m of svg.matchAll(/<(\/?)([a-zA-Z][\w:-]*)[^>]*?(\/?)>/g)) {
    if (m[1]) expect(stack.pop()).toBe(m[2]);
    else if (!m[3]) stack.push(m[2]!);
  }
  expect(stack).toEqual([]);
}

describe('benchmark charts', () => {
  it('makes the throughput, timeline and phase charts from a source result', () => {
    expect(chartsFor([source]).map((c) => c.name)).toEqual(['source-throughput', 'source-timeline', 'cpu-phases']);
    expect(chartsFor([{ ...source, series: {} }])).toEqual([]);
  });

  it('renders each chart to well-formed SVG that names its series', async () => {
    const [throughput, timeline, phases] = chartsFor([source]);
    const a = await renderSvg(throughput!.spec);
    checkWellFormed(a);
    for (const s of ['applications', 'candidates', 'application_feedback', 'records/s']) expect(a).toContain(s);
    const b = await renderSvg(timeline!.spec);
    checkWellFormed(b);
    for (const s of ['applications', 'candidates', 'jobs', 'offers']) expect(b).toContain(`>${s}<`);
    const c = await renderSvg(phases!.spec);
    checkWellFormed(c);
    for (const s of ['JSON parse', 'mapping', 'Avro encode', 'produce (librdkafka)', 'HTTP and client', 'connector'])
      expect(c).toContain(s);
  });

  it('sums the small streams of the throughput chart as "other streams"', () => {
    const rows = Array.from({ length: 9 }, (_, i) => ({ t_s: 1, stream: `s${i}`, records_per_s: 100 - i }));
    const values = (
      throughputChart(rows).spec as { data: { values: Array<{ stream: string; records_per_s: number }> } }
    ).data.values;
    expect(values.map((v) => v.stream)).toEqual(['s0', 's1', 's2', 's3', 's4', 's5', 'other streams']);
    expect(values.at(-1)!.records_per_s).toBe(94 + 93 + 92);
  });
});
