import type { TopicPartition } from 'node-rdkafka';
import type { ConsumedMessage, KafkaConsumer } from '../kafka/consumer.js';
import { KafkaError } from '../kafka/errors.js';
import type { Logger } from '../log/logger.js';

/**
 * --once: a member that gets no partition in this long after the group's session timeout has
 * nothing to do. (A member that died without leaving holds its partitions until its session
 * times out, so a restart right after a crash waits that long for its assignment.)
 */
export const ONCE_ASSIGNMENT_GRACE_MS = 15_000;
export const LIBRDKAFKA_SESSION_TIMEOUT_MS = 45_000;
const COMMITTED_REFRESH_MS = 1000;

/**
 * `--once`: each partition is processed up to the end offset seen when it was first assigned.
 * A partition is finished when the consumer's position (or, before any fetch, the committed
 * offset) has reached that end; the caller checks that nothing is in flight. Messages past the
 * end are left uncommitted for the next run.
 */
export class OnceTracker {
  private readonly ends = new Map<string, number>();
  private readonly committed = new Map<string, number>();
  private readonly since = Date.now();
  private committedAt = 0;

  constructor(
    private readonly consumer: KafkaConsumer,
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
    if (fresh.length) for (const e of await this.consumer.endOffsets(fresh)) this.ends.set(OnceTracker.id(e), e.offset);
    await this.refreshCommitted(assigned);
    this.log.debug('--once end offsets', { ends: Object.fromEntries(this.ends) });
  }

  private async refreshCommitted(partitions: Array<{ topic: string; partition: number }>): Promise<void> {
    if (!partitions.length) return;
    this.committedAt = Date.now();
    const committed = await new Promise<Array<{ topic: string; partition: number; offset?: number }>>((resolve, reject) =>
      this.consumer.raw.committed(partitions as TopicPartition[], 10_000, (err, tps) =>
        err ? reject(KafkaError.from('KAFKA_CONSUME_FAILED', 'read committed offsets', err)) : resolve(tps),
      ),
    );
    for (const tp of committed) if (typeof tp.offset === 'number' && tp.offset >= 0) this.committed.set(OnceTracker.id(tp), tp.offset);
  }

  beyondEnd(m: ConsumedMessage): boolean {
    const end = this.ends.get(OnceTracker.id(m));
    return end !== undefined && m.offset >= end;
  }

  async finished(): Promise<boolean> {
    const assigned = this.consumer.assignments();
    if (assigned.length === 0) {
      if (Date.now() - this.since > this.assignmentWaitMs) {
        this.log.warn('--once: no partition was assigned to this process; another member of the group holds them all', { waitedMs: this.assignmentWaitMs });
        return true;
      }
      return false;
    }
    if (assigned.some((tp) => !this.ends.has(OnceTracker.id(tp)))) await this.capture();
    const behind = (): Array<{ topic: string; partition: number }> => {
      const positions = this.consumer.raw.position(assigned as TopicPartition[]);
      return assigned.filter((tp) => {
        const id = OnceTracker.id(tp);
        const end = this.ends.get(id) ?? 0;
        const pos = positions.find((p) => p.topic === tp.topic && p.partition === tp.partition)?.offset;
        const at = Math.max(typeof pos === 'number' ? pos : -1, this.committed.get(id) ?? -1);
        return end > 0 && at < end;
      });
    };
    let late = behind();
    // A partition with nothing left to fetch has no position: its committed offset (which another
    // member may have advanced) tells instead. Asked at most once a second.
    if (late.length && Date.now() - this.committedAt >= COMMITTED_REFRESH_MS) {
      await this.refreshCommitted(late);
      late = behind();
    }
    return late.length === 0;
  }
}
