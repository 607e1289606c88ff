import { describe, expect, it } from '@jest/globals';
import { OffsetTracker } from '../../src/kafka/offset-tracker.js';

describe('OffsetTracker', () => {
  it('commits only the contiguous processed prefix of a partition', () => {
    const t = new OffsetTracker();
    for (const o of [10, 11, 12, 13]) t.received('a', 0, o);
    t.processed('a', 0, 11);
    t.processed('a', 0, 13);
    expect(t.takeCommittable()).toEqual([]);
    t.processed('a', 0, 10);
    const first = t.takeCommittable();
    expect(first).toEqual([{ topic: 'a', partition: 0, offset: 12 }]);
    t.confirmCommitted(first);
    expect(t.outstanding).toBe(2);
    t.processed('a', 0, 12);
    const second = t.takeCommittable();
    expect(second).toEqual([{ topic: 'a', partition: 0, offset: 14 }]);
    t.confirmCommitted(second);
    expect(t.takeCommittable()).toEqual([]);
    expect(t.outstanding).toBe(0);
  });

  it('keeps partitions independent, filters, and ignores revoked partitions', () => {
    const t = new OffsetTracker();
    t.received('a', 0, 0);
    t.received('a', 1, 5);
    t.processed('a', 0, 0);
    t.processed('a', 1, 5);
    const p1 = t.takeCommittable((_topic, p) => p === 1);
    expect(p1).toEqual([{ topic: 'a', partition: 1, offset: 6 }]);
    t.confirmCommitted(p1);
    t.forget('a', 0);
    t.processed('a', 0, 0);
    expect(t.takeCommittable()).toEqual([]);
    expect(t.positions()).toEqual([{ topic: 'a', partition: 1, offset: 6 }]);
  });

  it('keeps an offset pending until its commit is confirmed, so a failed commit is sent again', () => {
    const t = new OffsetTracker();
    t.received('a', 0, 7);
    t.processed('a', 0, 7);
    expect(t.takeCommittable()).toEqual([{ topic: 'a', partition: 0, offset: 8 }]);
    // the commit failed (e.g. REBALANCE_IN_PROGRESS): nothing confirmed
    expect(t.takeCommittable()).toEqual([{ topic: 'a', partition: 0, offset: 8 }]);
    t.confirmCommitted([{ topic: 'a', partition: 0, offset: 8 }]);
    expect(t.takeCommittable()).toEqual([]);
    // a late confirmation of an older commit never moves the mark backwards
    t.received('a', 0, 8);
    t.processed('a', 0, 8);
    t.confirmCommitted([{ topic: 'a', partition: 0, offset: 9 }]);
    t.confirmCommitted([{ topic: 'a', partition: 0, offset: 8 }]);
    expect(t.takeCommittable()).toEqual([]);
  });
});
