import { describe, expect, it } from '@jest/globals';
import { leastUsedSlot, slotOrder } from '../../src/serve/slots.js';

/** Workers that each own a run of neighbouring partitions, as a fresh group's assignment does. */
function contiguousOwners(partitions: number, workers: number): number[] {
  return Array.from({ length: partitions }, (_, p) => Math.floor((p * workers) / partitions));
}

function spread(partitions: number, workers: number, pipelines: number): number[] {
  const owner = contiguousOwners(partitions, workers);
  const slots: number[] = [];
  for (let i = 0; i < pipelines; i++) slots.push(leastUsedSlot(partitions, slots));
  const perWorker = new Array<number>(workers).fill(0);
  for (const s of slots) perWorker[owner[s]!]!++;
  return perWorker;
}

describe('assignment slots', () => {
  it('visits every slot exactly once', () => {
    for (const n of [1, 2, 3, 7, 24, 60, 64, 1000])
      expect([...slotOrder(n)].sort((a, b) => a - b)).toEqual([...Array(n).keys()]);
  });

  it('spreads the first pipelines over workers that own neighbouring partitions (was: all on one)', () => {
    expect(spread(60, 3, 3)).toEqual([1, 1, 1]);
    expect(spread(60, 3, 6)).toEqual([2, 2, 2]);
    for (const workers of [2, 3, 4, 5, 6]) {
      for (let pipelines = 2 * workers; pipelines <= 60; pipelines++) {
        const counts = spread(60, workers, pipelines);
        expect([workers, pipelines, Math.max(...counts) - Math.min(...counts) <= 2]).toEqual([
          workers,
          pipelines,
          true,
        ]);
      }
    }
  });

  it('fills the least-used slot first once every slot is taken', () => {
    const slots = [...Array(60).keys()];
    expect(leastUsedSlot(60, [...slots, ...slots.filter((s) => s !== 17)])).toBe(17);
  });
});
