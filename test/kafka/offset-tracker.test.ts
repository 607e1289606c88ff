import { OffsetTracker } from '../../src/kafka/offset-tracker.js';

describe('OffsetTracker', () => {
  it('commits only the contiguous processed prefix of a partition', () => {
    const t = new OffsetTracker();
    for (const o of [10, 11, 12, 13]) t.received('a', 0, o);
    t.processed('a', 0, 11);
    t.processed('a', 0, 13);
    expect(t.takeCommittable()).toEqual([]);
    t.processed('a', 0, 10);
    expect(t.takeCommittable()).toEqual([{ topic: 'a', partition: 0, offset: 12 }]);
    expect(t.outstanding).toBe(2);
    t.processed('a', 0, 12);
    expect(t.takeCommittable()).toEqual([{ topic: 'a', partition: 0, offset: 14 }]);
    expect(t.takeCommittable()).toEqual([]);
    expect(t.outstanding).toBe(0);
  });

  it('keeps partitions independent, filters, and ignores revoked partitions', () => {
    const t = new OffsetTracker();
    t.received('a', 0, 0);
    t.received('a', 1, 5);
    t.processed('a', 0, 0);
    t.processed('a', 1, 5);
    expect(t.takeCommittable((_topic, p) => p === 1)).toEqual([{ topic: 'a', partition: 1, offset: 6 }]);
    t.forget('a', 0);
    t.processed('a', 0, 0);
    expect(t.takeCommittable()).toEqual([]);
    expect(t.positions()).toEqual([{ topic: 'a', partition: 1, offset: 6 }]);
  });
});
