import type { Logger } from '../../log/logger.js';
import { historyKey, storedHistoryOf, type StatusTopicValue } from '../model.js';
import type { JsonMap } from '../store/json-map.js';
import type { MetricsHistory, PipelineHistory, StoredHistory } from './history.js';

/**
 * Keeps the pipelines' hours (history.ts) in the group's status topic, the way Kafka Connect
 * keeps its connectors' active topics there (under their own key prefix): the worker running a
 * pipeline writes its hour under `history:<name>` when a minute with something in it is over
 * (one small record per pipeline per busy minute, compacted to the last), and when it stops
 * running it (a move, a clean shutdown), current minute included. Every worker tails the topic,
 * so any worker answers `GET /pipelines/{name}/history` from its view, and the owner adds its
 * current minute. The new owner of a moved pipeline starts from the stored hour; deleting the
 * pipeline tombstones the key.
 */
export interface HistoryStoreOptions {
  history: MetricsHistory;
  /** The worker's view of the status topic. */
  statuses: JsonMap<StatusTopicValue>;
  workerId: string;
  logger: Logger;
}

/** Writes come this long after a minute ends, so that the minute's last events are in. */
const AFTER_MINUTE_MS = 1_000;
const MINUTE_MS = 60_000;

export class HistoryStore {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  /** One write at a time per pipeline, in order (a tombstone is never overtaken by a write). */
  private readonly writes = new Map<string, Promise<void>>();

  constructor(private readonly o: HistoryStoreOptions) {
    // Another worker's hour of a pipeline this one runs: a previous owner's last counts.
    o.statuses.onChange((key, value) => {
      if (!key.startsWith('history:') || !value) return;
      const stored = value as StoredHistory;
      if (stored.worker_id !== o.workerId && o.history.holds(stored.name)) o.history.merge(stored.name, stored);
    });
  }

  /** Writes every minute from now on, until `stop`. */
  start(): void {
    const schedule = (): void => {
      if (this.stopped) return;
      const wait = MINUTE_MS - (Date.now() % MINUTE_MS) + AFTER_MINUTE_MS;
      this.timer = setTimeout(() => void this.publish().finally(schedule), wait);
      this.timer.unref();
    };
    schedule();
  }

  /** Stores every held hour, current minute included, and stops writing (the worker stops). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await Promise.all(this.o.history.pipelines().map((name) => this.release(name)));
  }

  /** The last hour: the stored one, with this worker's own where it runs the pipeline. */
  answer(name: string): PipelineHistory {
    return this.o.history.get(name, storedHistoryOf(this.o.statuses, name));
  }

  /** This worker starts running the pipeline: it goes on from the stored hour (read the topic to its end first). */
  started(name: string): void {
    if (!this.o.history.holds(name)) this.o.history.merge(name, storedHistoryOf(this.o.statuses, name));
  }

  /** Stores the hour of every pipeline run here whose last finished minute is not stored yet. */
  async publish(): Promise<void> {
    await Promise.all(
      this.o.history.pipelines().map((name) =>
        this.enqueue(name, async () => {
          const h = this.o.history.pending(name, this.o.workerId);
          if (!h) return;
          await this.o.statuses.put(historyKey(name), h);
          this.o.history.stored(name, h);
        }),
      ),
    );
  }

  /** This worker no longer runs the pipeline (moved away): stores all of its hour, then forgets it. */
  async release(name: string): Promise<void> {
    const h = this.o.history.pending(name, this.o.workerId, true);
    this.o.history.drop(name);
    if (h) await this.enqueue(name, () => this.o.statuses.put(historyKey(name), h));
  }

  /** The pipeline was deleted: forgets it and tombstones its hour (after any write in flight). */
  async removed(name: string): Promise<void> {
    this.o.history.drop(name);
    await this.enqueue(name, () => this.o.statuses.remove(historyKey(name)));
  }

  private enqueue(name: string, write: () => Promise<void>): Promise<void> {
    const next = (this.writes.get(name) ?? Promise.resolve()).then(write).catch((err: unknown) =>
      this.o.logger.warn(
        "could not store the pipeline's history (while it runs here, the next minute's write carries it)",
        {
          pipeline: name,
          err: err as Error,
        },
      ),
    );
    this.writes.set(name, next);
    void next.finally(() => {
      if (this.writes.get(name) === next) this.writes.delete(name);
    });
    return next;
  }
}
