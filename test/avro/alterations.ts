import { recordedRecords } from './recorded.js';
import { APPLICATION, CANDIDATE } from './samples.js';

type Json = Record<string, unknown>;

/** A seeded generator, so that a test alters records the same way on every run. */
export function seeded(seed: number): { random: () => number; pick: <T>(xs: readonly T[]) => T } {
  let s = seed;
  const random = (): number => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
  return { random, pick: (xs) => xs[Math.floor(random() * xs.length)]! };
}

/** Records to alter: the hand-made samples and every recorded Ashby record, with their streams. */
export function alterationBases(): Array<[string, Json]> {
  return [
    ['candidates', CANDIDATE],
    ['applications', APPLICATION],
    ...recordedRecords().map((r) => [r.stream, r.record] as [string, Json]),
  ];
}

/** Every path to a value inside a record (objects and arrays). */
export function valuePaths(v: unknown, at: Array<string | number> = []): Array<Array<string | number>> {
  const out: Array<Array<string | number>> = [];
  if (Array.isArray(v)) v.forEach((x, i) => out.push([...at, i], ...valuePaths(x, [...at, i])));
  else if (v && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) out.push([...at, k], ...valuePaths(x, [...at, k]));
  return out;
}
