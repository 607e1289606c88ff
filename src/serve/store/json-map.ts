import type { RdConfig } from '../../kafka/index.js';
import type { Logger } from '../../log/logger.js';
import { TopicLog } from './topic-log.js';

/**
 * A compacted topic seen as a map of JSON values (the latest value per key; a tombstone
 * deletes). Listeners hear every change, whichever worker wrote it.
 */
export type ChangeListener<T> = (key: string, value: T | undefined, previous: T | undefined) => void;

export class JsonMap<T> {
  private readonly entries = new Map<string, T>();
  private readonly listeners: ChangeListener<T>[] = [];
  readonly log: TopicLog;

  constructor(options: { rd: RdConfig; topic: string; replicationFactor: number; logger?: Logger }, private readonly parse: (raw: unknown) => T | undefined) {
    this.log = new TopicLog({ ...options, onRecord: (k, v) => this.apply(k, v) });
  }

  start(): Promise<void> {
    return this.log.start();
  }

  stop(): Promise<void> {
    return this.log.stop();
  }

  onChange(listener: ChangeListener<T>): void {
    this.listeners.push(listener);
  }

  get(key: string): T | undefined {
    return this.entries.get(key);
  }

  values(): T[] {
    return [...this.entries.values()];
  }

  /** Writes and waits until this worker's view includes the write. */
  async put(key: string, value: T): Promise<void> {
    await this.log.send(key, Buffer.from(JSON.stringify(value)));
  }

  async remove(key: string): Promise<void> {
    await this.log.send(key, null);
  }

  /** Catches up with every write made before the call, by any worker. */
  sync(): Promise<void> {
    return this.log.readToEnd();
  }

  private apply(key: string, raw: Buffer | null): void {
    const previous = this.entries.get(key);
    let value: T | undefined;
    if (raw) {
      try {
        value = this.parse(JSON.parse(raw.toString('utf8')));
      } catch {
        value = undefined;
      }
    }
    if (value === undefined) this.entries.delete(key);
    else this.entries.set(key, value);
    for (const l of this.listeners) l(key, value, previous);
  }
}
