/**
 * The benchmark report's charts: Vega-Lite specs built from bench results, compiled to Vega and
 * rendered to SVG in Node (no browser, no canvas: the SVG renderer needs neither).
 */
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { BenchResult, SeriesRow } from './results.js';

export interface Chart {
  /** File name without extension, e.g. `source-throughput`. */
  name: string;
  title: string;
  spec: TopLevelSpec;
}

const WIDTH = 640;

function rowsOf(results: readonly BenchResult[], bench: string, series: string): SeriesRow[] {
  return results.find((r) => r.bench === bench)?.series?.[series] ?? [];
}

/** Streams drawn on their own in the throughput chart; the rest are summed as "other streams". */
const THROUGHPUT_STREAMS = 6;

/** (a) Records/s of each stream in each second of the source pass, stacked. */
export function throughputChart(input: SeriesRow[]): Chart {
  const totals = new Map<string, number>();
  for (const r of input) totals.set(String(r.stream), (totals.get(String(r.stream)) ?? 0) + Number(r.records_per_s));
  const own = new Set(
    [...totals]
      .sort((a, b) => b[1] - a[1])
      .slice(0, totals.size > THROUGHPUT_STREAMS + 1 ? THROUGHPUT_STREAMS : totals.size)
      .map(([s]) => s),
  );
  const summed = new Map<string, SeriesRow>();
  for (const r of input) {
    const stream = own.has(String(r.stream)) ? String(r.stream) : 'other streams';
    const key = `${String(r.t_s)}\u0000${stream}`;
    const row = summed.get(key) ?? { t_s: Number(r.t_s), stream, records_per_s: 0 };
    row.records_per_s = Number(row.records_per_s) + Number(r.records_per_s);
    summed.set(key, row);
  }
  const rows = [...summed.values()];
  return {
    name: 'source-throughput',
    title: 'Source pass: records/s per stream, each second',
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      title: 'Source pass: records/s per stream, each second',
      width: WIDTH,
      height: 260,
      data: { values: rows },
      mark: { type: 'area', interpolate: 'step-after' },
      encoding: {
        x: { field: 't_s', type: 'quantitative', title: 'seconds since the pass started' },
        y: { field: 'records_per_s', type: 'quantitative', stack: 'zero', title: 'records/s' },
        color: { field: 'stream', type: 'nominal', title: 'stream', legend: { labelLimit: 260 } },
      },
    },
  };
}

/** (b) When each stream read, as bars from its start to its end; the pass ends with the last. */
export function timelineChart(rows: SeriesRow[]): Chart {
  const streams = [...rows].sort((a, b) => Number(a.start_s) - Number(b.start_s)).map((r) => String(r.stream));
  return {
    name: 'source-timeline',
    title: 'Source pass: when each stream read (the pass waits on the longest chain)',
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      title: 'Source pass: when each stream read (the pass waits on the longest chain)',
      width: WIDTH,
      height: { step: 18 },
      data: { values: rows },
      mark: { type: 'bar', cornerRadius: 2 },
      encoding: {
        y: { field: 'stream', type: 'nominal', sort: streams, title: null, axis: { labelLimit: 260 } },
        x: { field: 'start_s', type: 'quantitative', title: 'seconds since the pass started' },
        x2: { field: 'end_s' },
        color: {
          condition: { test: "datum.stream === 'applications'", value: '#d62728' },
          value: '#4c78a8',
        },
        tooltip: [
          { field: 'stream', type: 'nominal' },
          { field: 'records', type: 'quantitative' },
          { field: 'calls', type: 'quantitative' },
        ],
      },
    },
  };
}

/**
 * (c) CPU per record by phase. Takes whatever phase rows exist (`{ phase, us_per_record }`,
 * optionally `what`: e.g. connector vs floor), from every bench that recorded a `phases` series.
 */
export function phasesChart(rows: SeriesRow[]): Chart {
  const grouped = rows.some((r) => r.what !== undefined);
  return {
    name: 'cpu-phases',
    title: 'CPU per record by phase (µs)',
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      title: 'CPU per record by phase (µs)',
      width: WIDTH,
      height: { step: 22 },
      data: { values: rows },
      mark: 'bar',
      encoding: {
        y: { field: grouped ? 'what' : 'phase', type: 'nominal', title: null, sort: null, axis: { labelLimit: 260 } },
        x: { field: 'us_per_record', type: 'quantitative', stack: 'zero', title: 'µs of CPU per record' },
        color: { field: 'phase', type: 'nominal', title: 'phase', sort: null, legend: { labelLimit: 260 } },
        order: { field: 'order', type: 'quantitative' },
        tooltip: [
          { field: 'phase', type: 'nominal' },
          { field: 'us_per_record', type: 'quantitative' },
        ],
      },
    },
  };
}

/** The charts the results have data for. */
export function chartsFor(results: readonly BenchResult[]): Chart[] {
  const out: Chart[] = [];
  const throughput = rowsOf(results, 'source', 'throughput');
  if (throughput.length) out.push(throughputChart(throughput));
  const timeline = rowsOf(results, 'source', 'timeline');
  if (timeline.length) out.push(timelineChart(timeline));
  const phases = results.flatMap((r) =>
    (r.series?.phases ?? []).map((row, order) => ({
      what: r.bench === 'source' ? 'connector' : r.bench,
      order,
      ...row,
    })),
  );
  if (phases.length) out.push(phasesChart(phases));
  return out;
}

/** Vega-Lite → Vega → SVG, headless. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
