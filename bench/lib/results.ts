/**
 * Machine-readable benchmark results. Every bench in bench/*.ts, when the environment has
 * `BENCH_JSON=<path>`, writes one JSON file at that path besides its console output; the
 * no-name `npm run bench` collects them into the generated part of docs/benchmarks.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname } from 'node:path';

export type FigureUnit = 'ratio' | 'us' | 'ms' | 'MB' | 'records/s' | 'pages/s' | 's' | 'count';

export interface Target {
  op: '<=' | '>=';
  value: number;
}

export interface Figure {
  /** Stable id, `<bench>.<what>`. */
  id: string;
  label: string;
  unit: FigureUnit;
  median: number;
  min: number;
  max: number;
  runs: number;
  target?: Target;
}

/** Flat rows for charts, e.g. throughput over time: `{ t_s, records_per_s, stream }`. */
export type SeriesRow = Record<string, string | number>;

export interface BenchResult {
  bench: string;
  startedAt: string;
  durationS: number;
  loadAverage: number[];
  figures: Figure[];
  series?: Record<string, SeriesRow[]>;
}

/** Median, min and max of one or more measurements. */
export function summarize(xs: readonly number[]): { median: number; min: number; max: number; runs: number } {
  if (xs.length === 0) throw new Error('summarize: no measurements');
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  const median = s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
  return { median, min: s[0]!, max: s[s.length - 1]!, runs: s.length };
}

/** A figure from its measurements (one per run). */
export function figure(
  id: string,
  label: string,
  unit: FigureUnit,
  xs: number | readonly number[],
  target?: Target,
): Figure {
  return { id, label, unit, ...summarize(typeof xs === 'number' ? [xs] : xs), ...(target ? { target } : {}) };
}

/** Whether a figure meets its target (undefined when it has none). */
export function met(f: Pick<Figure, 'median' | 'target'>): boolean | undefined {
  if (!f.target) return undefined;
  return f.target.op === '<=' ? f.median <= f.target.value : f.median >= f.target.value;
}

/**
 * Collects a bench's results from its start; `write()` puts them at `BENCH_JSON` (no-op when it
 * is unset) and returns the path written, if any.
 */
export class ResultRecorder {
  private readonly startedAt = new Date();
  private readonly t0 = performance.now();
  private readonly load = loadavg();
  readonly figures: Figure[] = [];
  readonly series: Record<string, SeriesRow[]> = {};

  constructor(readonly bench: string) {}

  add(...figures: Figure[]): this {
    this.figures.push(...figures);
    return this;
  }

  addSeries(name: string, rows: SeriesRow[]): this {
    (this.series[name] ??= []).push(...rows);
    return this;
  }

  result(): BenchResult {
    return {
      bench: this.bench,
      startedAt: this.startedAt.toISOString(),
      durationS: Math.round((performance.now() - this.t0) / 100) / 10,
      loadAverage: this.load.map((x) => Math.round(x * 100) / 100),
      figures: this.figures,
      ...(Object.keys(this.series).length ? { series: this.series } : {}),
    };
  }

  write(env: NodeJS.ProcessEnv = process.env): string | undefined {
    return writeResults(this.result(), env);
  }
}

/** Writes one bench's result to `BENCH_JSON`; a no-op when it is unset. */
export function writeResults(result: BenchResult, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const path = env.BENCH_JSON;
  if (!path) return undefined;
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(result, null, 2)}\n`);
  return path;
}
