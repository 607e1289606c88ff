import { caughtUp } from '../../src/kafka/compacted-log.js';
import { OnceTracker, partitionFinished, type OnceConsumer } from '../../src/sink/once-tracker.js';
import { silentLogger } from '../../src/log/logger.js';
import type { PartitionOffset } from '../../src/kafka/offset-tracker.js';

/** Partitions whose records retention removed (log start == end > 0) have nothing to fetch, hence no position. */
describe('ledger caught-up predicate', () => {
  it('counts a partition emptied by retention as caught up, without a position', () => {
    expect(caughtUp({ low: 120, high: 120 })).toBe(true);
    expect(caughtUp({ low: 0, high: 0 })).toBe(true);
  });

  it('still waits for a partition with records left to read', () => {
    expect(caughtUp({ low: 100, high: 120 })).toBe(false);
    expect(caughtUp({ low: 100, high: 120, position: 119 })).toBe(false);
    expect(caughtUp({ low: 100, high: 120, position: 120 })).toBe(true);
  });
});

describe('--once finished predicate', () => {
  it('an emptied partition with no committed offset is finished', () => {
    expect(partitionFinished({ end: 50, low: 50 })).toBe(true);
  });

  it('otherwise the position or the committed offset must reach the end', () => {
    expect(partitionFinished({ end: 50, low: 10 })).toBe(false);
    expect(partitionFinished({ end: 50, low: 10, position: 49, committed: 30 })).toBe(false);
    expect(partitionFinished({ end: 50, low: 10, committed: 50 })).toBe(true);
    expect(partitionFinished({ end: 50, low: 10, position: 50 })).toBe(true);
    expect(partitionFinished({ end: 0, low: 0 })).toBe(true);
  });
});

class FakeConsumer implements OnceConsumer {
  marks = new Map<number, { low: number; high: number }>();
  committedOffsets = new Map<number, number>();
  positionOffsets = new Map<number, number>();
  constructor(
    private readonly topic: string,
    readonly parts: number[],
  ) {}
  assignments() {
    return this.parts.map((partition) => ({ topic: this.topic, partition }));
  }
  async watermarks(ps: Array<{ topic: string; partition: number }>) {
    return ps.map((p) => ({ ...p, ...(this.marks.get(p.partition) ?? { low: 0, high: 0 }) }));
  }
  async committed(ps: Array<{ topic: string; partition: number }>): Promise<PartitionOffset[]> {
    return ps.flatMap((p) =>
      this.committedOffsets.has(p.partition) ? [{ ...p, offset: this.committedOffsets.get(p.partition)! }] : [],
    );
  }
  positions(ps: Array<{ topic: string; partition: number }>): PartitionOffset[] {
    return ps.flatMap((p) =>
      this.positionOffsets.has(p.partition) ? [{ ...p, offset: this.positionOffsets.get(p.partition)! }] : [],
    );
  }
}

describe('OnceTracker', () => {
  it('finishes when one partition was emptied by retention and the other was processed to its end', async () => {
    const c = new FakeConsumer('t', [0, 1]);
    c.marks.set(0, { low: 40, high: 40 }); // retention removed everything; never committed
    c.marks.set(1, { low: 0, high: 3 });
    const once = new OnceTracker(c, silentLogger, 60_000);
    await once.capture();
    expect(await once.finished()).toBe(false);
    c.positionOffsets.set(1, 3);
    expect(await once.finished()).toBe(true);
  });

  it('does not finish a partition that still has records to process', async () => {
    const c = new FakeConsumer('t', [0]);
    c.marks.set(0, { low: 5, high: 9 });
    const once = new OnceTracker(c, silentLogger, 60_000);
    await once.capture();
    expect(await once.finished()).toBe(false);
    expect(
      once.beyondEnd({
        topic: 't',
        partition: 0,
        offset: 9,
        key: null,
        value: null,
        headers: {},
        timestamp: undefined,
      }),
    ).toBe(true);
  });
});
