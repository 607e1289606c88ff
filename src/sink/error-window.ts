/**
 * The share of failed commands among the last `size` commands, for `destination.max_error_rate`.
 * It only judges a full window, so a handful of early failures cannot stop a fresh sink.
 */
export class ErrorWindow {
  private readonly outcomes: boolean[] = [];
  private failures = 0;

  constructor(
    readonly size: number,
    readonly maxRate: number,
  ) {}

  /** Records one command; returns true when the window is full and its failure share exceeds the limit. */
  record(failed: boolean): boolean {
    this.outcomes.push(failed);
    if (failed) this.failures++;
    if (this.outcomes.length > this.size && this.outcomes.shift()) this.failures--;
    return this.outcomes.length === this.size && this.failures / this.size > this.maxRate;
  }

  get failed(): number {
    return this.failures;
  }
}
