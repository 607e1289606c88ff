import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { AshbyKafkaError } from '../../errors.js';
import {
  CompactedLog,
  KafkaError,
  type KafkaProducer,
  type LogRecord,
  type OutgoingRecord,
  type RdConfig,
  type TopicSpec,
} from '../../kafka/index.js';
import { silentLogger, type Logger } from '../../log/logger.js';
import { parseStreamState, type StreamState } from '../position.js';

/**
 * Where stream positions live between runs. Keys are record topic names (`ashby.candidates`),
 * so two pipelines writing to different topics never share a position.
 *
 * - `KafkaStateStore` (default, `state: kafka`): one compacted topic, JSON values. Under
 *   exactly-once, the state record is produced inside the page's transaction instead of `save`.
 * - `FileStateStore` (`state: file:<path>`): one JSON file, replaced atomically (write + rename).
 */
export interface StateStore {
  readonly kind: 'kafka' | 'file';
  load(keys: readonly string[]): Promise<Map<string, StreamState>>;
  /** Durably stores one stream's state; resolves once it is acknowledged / on disk. */
  save(key: string, state: StreamState): Promise<void>;
  close(): Promise<void>;
}

export class StateStoreError extends AshbyKafkaError {
  constructor(message: string, cause?: unknown, details: Record<string, unknown> = {}) {
    super('SOURCE_STATE_FAILED', message, { cause, details });
  }
}

const STATE_VERSION = 1;

export class FileStateStore implements StateStore {
  readonly kind = 'file' as const;
  private states: Record<string, StreamState> | undefined;
  /** Writes are chained so two streams finishing together cannot interleave renames. */
  private chain: Promise<void> = Promise.resolve();

  constructor(readonly path: string) {}

  async load(keys: readonly string[]): Promise<Map<string, StreamState>> {
    const all = await this.readAll();
    const out = new Map<string, StreamState>();
    for (const k of keys) if (all[k]) out.set(k, all[k]!);
    return out;
  }

  save(key: string, state: StreamState): Promise<void> {
    const next = this.chain.then(async () => {
      const all = await this.readAll();
      all[key] = state;
      const tmp = `${this.path}.${process.pid}.tmp`;
      try {
        await mkdir(dirname(this.path), { recursive: true });
        // Durable before it counts: the data reaches the disk, then the rename, then the directory entry.
        const file = await open(tmp, 'w', 0o600);
        try {
          await file.writeFile(`${JSON.stringify({ version: STATE_VERSION, streams: all }, null, 2)}\n`, 'utf8');
          await file.sync();
        } finally {
          await file.close();
        }
        await rename(tmp, this.path);
        const dir = await open(dirname(this.path), 'r');
        try {
          await dir.sync();
        } finally {
          await dir.close();
        }
      } catch (err) {
        throw new StateStoreError(`write source state to ${this.path}: ${(err as Error).message}`, err, {
          path: this.path,
        });
      }
    });
    this.chain = next.catch(() => undefined);
    return next;
  }

  async close(): Promise<void> {
    await this.chain;
  }

  private async readAll(): Promise<Record<string, StreamState>> {
    if (this.states) return this.states;
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return (this.states = {});
      throw new StateStoreError(`read source state ${this.path}: ${(err as Error).message}`, err, { path: this.path });
    }
    let parsed: { streams?: Record<string, unknown> };
    try {
      parsed = JSON.parse(text) as { streams?: Record<string, unknown> };
    } catch (err) {
      throw new StateStoreError(
        `source state ${this.path} is not valid JSON; fix or delete it (deleting means a full sync of every stream)`,
        err,
        { path: this.path },
      );
    }
    this.states = {};
    for (const [k, v] of Object.entries(parsed.streams ?? {})) {
      const s = parseStreamState(v);
      if (s) this.states[k] = s;
    }
    return this.states;
  }
}

/**
 * A reader of the state topic that stays open (service mode: one per worker, shared by its
 * pipelines): `read` catches up with everything committed before the call, then answers with the
 * latest value of each key that has one.
 */
export interface StateTopicReader {
  read(keys: readonly string[]): Promise<Map<string, Buffer>>;
}

/** What the state store needs of a producer. */
export type StateProducer = Pick<KafkaProducer, 'send'>;

export interface KafkaStateStoreOptions {
  rd: RdConfig;
  topic: string;
  replicationFactor: number;
  /** Producer for `save` (at-least-once); exactly-once writes state records through its own transactions. */
  producer?: StateProducer;
  /** Reads state through this reader instead of a reader of its own per `load`. */
  reader?: () => Promise<StateTopicReader>;
  logger?: Logger;
  timeoutMs?: number;
}

export class KafkaStateStore implements StateStore {
  readonly kind = 'kafka' as const;
  private producer: StateProducer | undefined;

  constructor(private readonly options: KafkaStateStoreOptions) {
    this.producer = options.producer;
  }

  get topic(): string {
    return this.options.topic;
  }

  setProducer(producer: StateProducer): void {
    this.producer = producer;
  }

  /** The compacted state topic, for the runner to create when missing. */
  topicSpec(): TopicSpec {
    return {
      name: this.options.topic,
      partitions: 1,
      replicationFactor: this.options.replicationFactor,
      config: { 'cleanup.policy': 'compact' },
    };
  }

  /** The record that stores `state` under `key` (also produced inside exactly-once transactions). */
  record(key: string, state: StreamState): OutgoingRecord {
    return {
      topic: this.options.topic,
      key,
      value: Buffer.from(JSON.stringify(state)),
      headers: { 'content-type': 'application/json' },
    };
  }

  async save(key: string, state: StreamState): Promise<void> {
    if (!this.producer) throw new StateStoreError('the Kafka state store has no producer (internal wiring error)');
    await this.producer.send(this.record(key, state));
  }

  /** Reads the state topic from the beginning to its end (committed records only); the last value per key wins. */
  async load(keys: readonly string[]): Promise<Map<string, StreamState>> {
    const wanted = new Set(keys);
    const out = new Map<string, StreamState>();
    const timeoutMs = this.options.timeoutMs ?? 30_000;
    const onRecord = (r: Pick<LogRecord, 'key' | 'value'> & { offset?: number }): void => {
      if (!wanted.has(r.key)) return;
      if (!r.value) {
        out.delete(r.key);
        return;
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(r.value.toString('utf8'));
      } catch {
        (this.options.logger ?? silentLogger).warn('ignoring a state record that is not JSON', {
          topic: this.options.topic,
          key: r.key,
          ...(r.offset !== undefined ? { offset: r.offset } : {}),
        });
        return;
      }
      const state = parseStreamState(parsed);
      if (state) out.set(r.key, state);
    };
    let log: CompactedLog | undefined;
    try {
      if (this.options.reader) {
        const values = await (await this.options.reader()).read(keys);
        for (const [key, value] of values) onRecord({ key, value });
        return out;
      }
      log = await CompactedLog.open({
        config: this.options.rd,
        topic: this.options.topic,
        name: 'source state',
        missingIsEmpty: true,
        timeoutMs,
        readTimeoutMs: timeoutMs,
        onRecord,
      });
    } catch (err) {
      if (err instanceof KafkaError && err.details['reason'] === 'read-timeout') {
        throw new StateStoreError(
          `reading source state from ${this.options.topic} did not reach the end within ${timeoutMs} ms; check that the brokers are healthy (an open transaction holds read_committed readers back until it ends) and run again`,
          err,
        );
      }
      throw err;
    }
    await log!.close();
    return out;
  }

  async close(): Promise<void> {
    // The producer belongs to the runner.
  }
}
