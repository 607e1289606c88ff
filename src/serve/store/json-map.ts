import { CompactedLog } from '../../kafka/compacted-log.js';
import { KafkaProducer, type RdConfig } from '../../kafka/index.js';
import type { Logger } from '../../log/logger.js';

/**
 * A compacted topic of the worker group seen as a map of JSON values (the latest value per
 * key; a tombstone deletes), on the CompactedLog primitive: read to its end at start, then
 * tailed, so every worker sees every change; listeners hear each one, whoever wrote it.
 * `put` returns once this worker's view includes the write (read-your-writes).
 */
export type ChangeListener<T> = (key: string, value: T | undefined, previous: T | undefined) => void;

export interface JsonMapOptions {
  rd: RdConfig;
  topic: string;
  replicationFactor: number;
  logger?: Logger;
  /** How often other workers' writes are picked up. */
  tailIntervalMs?: number;
}

const DEFAULT_TAIL_INTERVAL_MS = 500;

export class JsonMap<T> {
  private readonly entries = new Map<string, T>();
  private readonly listeners: ChangeListener<T>[] = [];
  private log: CompactedLog | undefined;
  private producer: KafkaProducer | undefined;

  constructor(
    private readonly options: JsonMapOptions,
    /** The value under `key`, or undefined to leave the key out (a value this map does not hold). */
    private readonly parse: (raw: unknown, key: string) => T | undefined,
  ) {}

  get topic(): string {
    return this.options.topic;
  }

  async start(): Promise<void> {
    const o = this.options;
    this.producer = await KafkaProducer.connect({
      config: { ...o.rd, 'linger.ms': 0 },
      ...(o.logger ? { logger: o.logger } : {}),
    });
    try {
      this.log = await CompactedLog.open({
        config: o.rd,
        topic: o.topic,
        producer: this.producer,
        create: { partitions: 1, replicationFactor: o.replicationFactor },
        onRecord: (r) => this.apply(r.key, r.value),
        name: `worker topic ${o.topic}`,
        ...(o.logger ? { logger: o.logger } : {}),
      });
    } catch (err) {
      await this.producer.close();
      throw err;
    }
    this.log.tail({ intervalMs: o.tailIntervalMs ?? DEFAULT_TAIL_INTERVAL_MS });
  }

  async stop(): Promise<void> {
    await this.log?.close();
    await this.producer?.close();
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

  async put(key: string, value: T): Promise<void> {
    await this.started().append(key, Buffer.from(JSON.stringify(value)));
    await this.sync();
  }

  async remove(key: string): Promise<void> {
    await this.started().append(key, null);
    await this.sync();
  }

  /** Catches up with every write made before the call, by any worker. */
  async sync(): Promise<void> {
    await this.started().readToEnd();
  }

  private started(): CompactedLog {
    if (!this.log) throw new Error(`worker topic ${this.options.topic} is not open yet`);
    return this.log;
  }

  private apply(key: string, raw: Buffer | null): void {
    const previous = this.entries.get(key);
    let value: T | undefined;
    if (raw) {
      try {
        value = this.parse(JSON.parse(raw.toString('utf8')), key);
      } catch {
        value = undefined;
      }
    }
    if (value === undefined) this.entries.delete(key);
    else this.entries.set(key, value);
    for (const l of this.listeners) l(key, value, previous);
  }
}
