/**
 * Counts records handed to the producer and their delivery reports without keeping one promise
 * per record: a pass of a million records holds two numbers and the first error. `settled()`
 * resolves when every record handed over so far is acknowledged, or rejects with the first
 * delivery failure (the pass must then not store its position).
 */
export class DeliveryTracker {
  private sent = 0;
  private done = 0;
  private failure: unknown;
  private waiters: Array<() => void> = [];

  track(delivery: Promise<unknown>): void {
    this.sent++;
    delivery.then(
      () => this.settle(),
      (err: unknown) => this.fail(err),
    );
  }

  /**
   * The callback form of `track` for hot loops (no reaction per record): one record handed
   * over, whose outcome the caller reports with `acknowledge` or `fail`.
   */
  handOver(): void {
    this.sent++;
  }

  acknowledge(): void {
    this.settle();
  }

  fail(err: unknown): void {
    this.failure ??= err;
    this.settle();
  }

  get outstanding(): number {
    return this.sent - this.done;
  }

  get acknowledged(): number {
    return this.done;
  }

  /** The first delivery failure so far, if any (checked between pages to stop early). */
  get error(): unknown {
    return this.failure;
  }

  /** Waits until at most `n` records are unacknowledged (backpressure for the produce loop). */
  async below(n: number): Promise<void> {
    while (this.sent - this.done > n) await new Promise<void>((r) => this.waiters.push(r));
  }

  async settled(): Promise<void> {
    while (this.done < this.sent) await new Promise<void>((r) => this.waiters.push(r));
    if (this.failure !== undefined) throw this.failure;
  }

  private settle(): void {
    this.done++;
    if (this.waiters.length === 0) return;
    // Waiters re-check their own condition, so waking all of them on each settle is correct;
    // there are at most two (the produce loop and the end-of-pass wait).
    for (const w of this.waiters.splice(0)) w();
  }
}
