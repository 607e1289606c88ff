import { writeFileSync } from 'node:fs';

/**
 * The machine-readable result every bench writes when `BENCH_JSON=<path>` is set (in addition
 * to its console output), so one report can be built from all of them.
 */
export interface Figure {
  id: string;
  label: string;
  unit: 'ratio' | 'us' | 'MB' | 'records/s' | 's' | 'count';
  median: number;
  min: number;
  max: number;
  runs: number;
  target?: { op: '<=' | '>='; value: number };
}

export type SeriesRow = Record<string, string | number | boolean | null>;

export interface BenchResult {
  bench: string;
  /** ISO-8601. */
  startedAt: string;
  durationS: number;
  /** os.loadavg() at start. */
  loadAverage: number[];
  figures: Figure[];
  series?: Record<string, SeriesRow[]>;
}

/** Writes the result to BENCH_JSON; a no-op when it is unset. */
export function writeResults(result: BenchResult): void {
  const path = process.env.BENCH_JSON;
  if (!path) return;
  writeFileSync(path, `${JSON.stringify(result, null, 2)}\n`);
}
