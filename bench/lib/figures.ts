import { loadavg } from 'node:os';
import type { BenchResult, Figure } from './results.js';

/** Medians and ranges for bench figures, and the start/finish bookkeeping of a BenchResult. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** A figure from the values of several runs (median, min, max). */
export function figure(
  id: string,
  label: string,
  unit: Figure['unit'],
  values: readonly number[],
  target?: Figure['target'],
): Figure {
  return {
    id,
    label,
    unit,
    median: median(values),
    min: Math.min(...values),
    max: Math.max(...values),
    runs: values.length,
    ...(target ? { target } : {}),
  };
}

/** `met`/`missed` for a figure with a target. */
export function verdict(f: Figure): string {
  if (!f.target) return '';
  const ok = f.target.op === '<=' ? f.median <= f.target.value : f.median >= f.target.value;
  return ok ? 'met' : 'missed';
}

export interface ResultClock {
  bench: string;
  startedAt: string;
  started: number;
  loadAverage: number[];
}

export function startClock(bench: string): ResultClock {
  return { bench, startedAt: new Date().toISOString(), started: performance.now(), loadAverage: loadavg() };
}

export function resultOf(clock: ResultClock, figures: Figure[], series?: BenchResult['series']): BenchResult {
  return {
    bench: clock.bench,
    startedAt: clock.startedAt,
    durationS: Math.round((performance.now() - clock.started) / 100) / 10,
    loadAverage: clock.loadAverage.map((x) => Math.round(x * 100) / 100),
    figures,
    ...(series ? { series } : {}),
  };
}
