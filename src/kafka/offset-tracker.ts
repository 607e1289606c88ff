/**
 * Tracks, per partition, which consumed offsets are processed, so that a commit covers only
 * the contiguous prefix of processed messages. Messages of one partition arrive in offset
 * order; they may finish in any order (different keys run concurrently).
 */
export interface PartitionOffset {
  topic: string;
  partition: number;
  /** The next offset to read, as Kafka commits it. */
  offset: number;
}

class PartitionTrack {
  /** Offsets received and not yet behind the commit point, in arrival order. */
  private readonly queue: number[] = [];
  private readonly done = new Set<number>();
  /** Next offset to commit (exclusive end of the processed prefix), or undefined before any progress. */
  private committable: number | undefined;
  /** The value last reported by `take` (so unchanged partitions are not recommitted). */
  private committed: number | undefined;

  received(offset: number): void {
    this.queue.push(offset);
  }

  processed(offset: number): void {
    this.done.add(offset);
    while (this.queue.length && this.done.has(this.queue[0]!)) {
      const head = this.queue.shift()!;
      this.done.delete(head);
      this.committable = head + 1;
    }
  }

  /** The processed prefix when it moved past the last confirmed commit. Does not change state: see `confirm`. */
  pending(): number | undefined {
    if (this.committable === undefined || this.committable === this.committed) return undefined;
    return this.committable;
  }

  /** Called once the broker accepted a commit of `offset`; a failed commit leaves it pending, to be sent again. */
  confirm(offset: number): void {
    if (this.committed === undefined || offset > this.committed) this.committed = offset;
  }

  peek(): number | undefined {
    return this.committable;
  }

  get outstanding(): number {
    return this.queue.length;
  }
}

export class OffsetTracker {
  private readonly tracks = new Map<string, PartitionTrack>();

  private static id(topic: string, partition: number): string {
    return `${topic}\u0000${partition}`;
  }

  received(topic: string, partition: number, offset: number): void {
    const id = OffsetTracker.id(topic, partition);
    let track = this.tracks.get(id);
    if (!track) this.tracks.set(id, (track = new PartitionTrack()));
    track.received(offset);
  }

  /** Mark a message processed. A message of a partition no longer tracked (revoked) is ignored. */
  processed(topic: string, partition: number, offset: number): void {
    this.tracks.get(OffsetTracker.id(topic, partition))?.processed(offset);
  }

  /**
   * Offsets that advanced past the last confirmed commit: what a commit should send now. Call
   * `confirmCommitted` with them after the broker accepted the commit; until then they stay
   * pending, so a failed commit is retried by the next one instead of being forgotten.
   */
  takeCommittable(filter?: (topic: string, partition: number) => boolean): PartitionOffset[] {
    const out: PartitionOffset[] = [];
    for (const [id, track] of this.tracks) {
      const [topic, p] = id.split('\u0000') as [string, string];
      const partition = Number(p);
      if (filter && !filter(topic, partition)) continue;
      const offset = track.pending();
      if (offset !== undefined) out.push({ topic, partition, offset });
    }
    return out;
  }

  confirmCommitted(offsets: readonly PartitionOffset[]): void {
    for (const o of offsets) this.tracks.get(OffsetTracker.id(o.topic, o.partition))?.confirm(o.offset);
  }

  /** Current processed prefix of every partition, whether or not already committed. */
  positions(): PartitionOffset[] {
    const out: PartitionOffset[] = [];
    for (const [id, track] of this.tracks) {
      const offset = track.peek();
      const [topic, p] = id.split('\u0000') as [string, string];
      if (offset !== undefined) out.push({ topic, partition: Number(p), offset });
    }
    return out;
  }

  /** Messages received but not yet part of a processed prefix. */
  get outstanding(): number {
    let n = 0;
    for (const t of this.tracks.values()) n += t.outstanding;
    return n;
  }

  forget(topic: string, partition: number): void {
    this.tracks.delete(OffsetTracker.id(topic, partition));
  }

  clear(): void {
    this.tracks.clear();
  }
}
