/**
 * Runs tasks so that tasks with the same key run one after another, in submission order, and
 * tasks with different keys run concurrently, at most `concurrency` at once. Keys take turns,
 * so one busy key cannot starve the others.
 */
export interface ScheduledTask<M> {
  key: string;
  meta: M;
  run: () => Promise<void>;
}

export class KeyScheduler<M = unknown> {
  private readonly queues = new Map<string, Array<ScheduledTask<M>>>();
  /** Keys with a waiting task and none running, in the order they became ready. */
  private readonly ready: string[] = [];
  private readonly active = new Set<string>();
  private running = 0;
  private queued = 0;
  private waiters: Array<{ below: number; resolve: () => void }> = [];

  constructor(private readonly concurrency: number) {}

  /** Tasks queued or running. */
  get pending(): number {
    return this.queued + this.running;
  }

  submit(task: ScheduledTask<M>): void {
    let q = this.queues.get(task.key);
    if (!q) this.queues.set(task.key, (q = []));
    q.push(task);
    this.queued++;
    if (q.length === 1 && !this.active.has(task.key)) this.ready.push(task.key);
    this.pump();
  }

  /** Drops queued (not running) tasks matching `filter`; returns them. */
  drop(filter: (meta: M) => boolean): Array<ScheduledTask<M>> {
    const dropped: Array<ScheduledTask<M>> = [];
    for (const [key, q] of this.queues) {
      const keep = q.filter((t) => !filter(t.meta));
      dropped.push(...q.filter((t) => filter(t.meta)));
      if (keep.length) this.queues.set(key, keep);
      else this.queues.delete(key);
    }
    this.queued -= dropped.length;
    for (let i = this.ready.length - 1; i >= 0; i--) if (!this.queues.has(this.ready[i]!)) this.ready.splice(i, 1);
    this.notify();
    return dropped;
  }

  /** Resolves when fewer than `n` tasks are pending. */
  waitBelow(n: number): Promise<void> {
    if (this.pending < n) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ below: n, resolve }));
  }

  idle(): Promise<void> {
    return this.waitBelow(1);
  }

  private pump(): void {
    while (this.running < this.concurrency && this.ready.length) {
      const key = this.ready.shift()!;
      const q = this.queues.get(key);
      const task = q?.shift();
      if (!task) continue;
      if (q!.length === 0) this.queues.delete(key);
      this.queued--;
      this.running++;
      this.active.add(key);
      void task
        .run()
        .catch(() => undefined)
        .finally(() => {
          this.running--;
          this.active.delete(key);
          if (this.queues.get(key)?.length) this.ready.push(key);
          this.pump();
          this.notify();
        });
    }
  }

  private notify(): void {
    const still: typeof this.waiters = [];
    for (const w of this.waiters) {
      if (this.pending < w.below) w.resolve();
      else still.push(w);
    }
    this.waiters = still;
  }
}
