import type { ConsumedMessage } from '../kafka/consumer.js';
import type { PartitionOffset } from '../kafka/offset-tracker.js';
import type { Logger } from '../log/logger.js';

/**
 * --once: a member that gets no partition in this long after the group's session timeout has
 * nothing to do. (A member that died without leaving holds its partitions until its session
 * times out, so a restart right after a crash waits that long for its assignment.)
 */
export const ONCE_ASSIGNMENT_GRACE_MS = 15_000;
export const LIBRDKAFKA_SESSION_TIMEOUT_MS = 45_000;
const COMMITTED_REFRESH_MS = 1000;

/** What `--once` needs of the consumer (KafkaConsumer implements it; unit tests use a fake). */
export interface OnceConsumer {
  assignments(): Array<{ topic: string; partition: number }>;
  watermarks(
    partitions: Array<{ topic: string; partition: number }>,
  ): Promise<Array<{ topic: string; partition: number; low: number; high: number }>>;
  committed(partitions: Array<{ topic: string; partition: number }>): Promise<PartitionOffset[]>;
  positions(partitions: Array<{ topic: string; partition: number }>): PartitionOffset[];
}

/**
 * Whether a partition is done for `--once`: it was empty at start, its records were all removed
 * by retention (log start at or past the end), or this process (position) or the group
 * (committed offset) has reached the end seen at start.
 */
export function partitionFinished(p: { end: number; low: number; position?: number; committed?: number }): boolean {
  if (p.end <= 0 || p.low >= p.end) return true;
  return Math.max(p.position ?? -1, p.committed ?? -1) >= p.end;
}

/**
 * `--once`: each partition is processed up to the end offset seen when it was first assigned.
 * A partition is finished per `partitionFinished`; the caller checks that nothing is in flight.
 * Messages past the end are left uncommitted for the next run.
 */
export class OnceTracker {
  private readonly ends = new Map<string, number>();
  /** Log start offsets: retention may empty a partition, which then has nothing to fetch. */
  private readonly lows = new Map<string, number>();
  private readonly committed = new Map<string, number>();
  private readonly since = Date.now();
  private committedAt = 0;

  constructor(
    private readonly consumer: OnceConsumer,
    private readonly log: Logger,
    private readonly assignmentWaitMs: number,
  ) {}

  private static id(tp: { topic: string; partition: number }): string {
    return `${tp.topic}\u0000${tp.partition}`;
  }

  /**
   * After every assignment: records the end offsets of partitions seen for the first time, and
   * the committed offsets of every assigned partition (another member may have moved them since).
   */
  async capture(): Promise<void> {
    const assigned = this.consumer.assignments();
    const fresh = assigned.filter((tp) => !this.ends.has(OnceTracker.id(tp)));
    if (fresh.length) {
      for (const w of await this.consumer.watermarks(fresh)) {
        this.ends.set(OnceTracker.id(w), w.high);
        this.lows.set(OnceTracker.id(w), w.low);
      }
    }
    await this.refreshCommitted(assigned);
    this.log.debug('--once end offsets', { ends: Object.fromEntries(this.ends) });
  }

  /** Committed offsets, and log starts (retention may have moved them since `capture`). */
  private async refresh(partitions: Array<{ topic: string; partition: number }>): Promise<void> {
    await this.refreshCommitted(partitions);
    for (const w of await this.consumer.watermarks(partitions)) this.lows.set(OnceTracker.id(w), w.low);
  }

  private async refreshCommitted(partitions: Array<{ topic: string; partition: number }>): Promise<void> {
    if (!partitions.length) return;
    this.committedAt = Date.now();
    for (const tp of await this.consumer.committed(partitions)) this.committed.set(OnceTracker.id(tp), tp.offset);
  }

  beyondEnd(m: ConsumedMessage): boolean {
    const end = this.ends.get(OnceTracker.id(m));
    return end !== undefined && m.offset >= end;
  }

  async finished(): Promise<boolean> {
    const assigned = this.consumer.assignments();
    if (assigned.length === 0) {
      if (Date.now() - this.since > this.assignmentWaitMs) {
        this.log.warn('--once: no partition was assigned to this process; another member of the group holds them all', {
          waitedMs: this.assignmentWaitMs,
        });
        return true;
      }
      return false;
    }
    if (assigned.some((tp) => !this.ends.has(OnceTracker.id(tp)))) await this.capture();
    const behind = (): Array<{ topic: string; partition: number }> => {
      const positions = this.consumer.positions(assigned);
      return assigned.filter((tp) => {
        const id = OnceTracker.id(tp);
        const position = positions.find((p) => p.topic === tp.topic && p.partition === tp.partition)?.offset;
        return !partitionFinished({
          end: this.ends.get(id) ?? 0,
          low: this.lows.get(id) ?? 0,
          ...(position !== undefined ? { position } : {}),
          ...(this.committed.has(id) ? { committed: this.committed.get(id)! } : {}),
        });
      });
    };
    let late = behind();
    // A partition with nothing left to fetch has no position: its committed offset (which another
    // member may have advanced) or its log start (retention may have emptied it) tells instead.
    // Asked at most once a second.
    if (late.length && Date.now() - this.committedAt >= COMMITTED_REFRESH_MS) {
      await this.refresh(late);
      late = behind();
    }
    return late.length === 0;
  }
}
