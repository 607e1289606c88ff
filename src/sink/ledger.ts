import { createHash, randomUUID } from 'node:crypto';
import type { RdConfig } from '../kafka/client-config.js';
import { CompactedLog, type LogRecord } from '../kafka/compacted-log.js';
import type { KafkaProducer } from '../kafka/producer.js';
import { silentLogger, type Logger } from '../log/logger.js';
import type { Progress } from './plan-executor.js';

/**
 * The idempotency ledger: a compacted Kafka topic mapping each command's identity to what the
 * sink did with it. It is what makes the sink exactly-once in effect:
 * - before a step that cannot be repeated (a create), the intent is written (`started`), so a
 *   crash or rebalance leaves a trace that the next owner settles by lookup instead of creating
 *   again;
 * - after the command, its outcome is written (`done` or `dead_lettered`) before the offset is
 *   committed, so a redelivery is recognised and skipped.
 * Every write waits for the broker's acknowledgement. The whole topic is read at start and again
 * (incrementally) after every partition assignment, before any message of the new partitions runs.
 */
export type LedgerState = 'started' | 'done' | 'dead_lettered';

export interface LedgerEntry {
  state: LedgerState;
  entity: string;
  operation: string;
  source: { topic: string; partition: number; offset: number };
  progress?: Progress;
  outcome?: { ashbyId?: string; action: string; requestId?: string; updatedAt?: string };
  error?: { code: string; message: string };
  /** How many times the command was started (redeliveries after a crash count). */
  attempts?: number;
  /** Which sink process wrote it, and when (ISO). */
  owner: string;
  at: string;
}

/**
 * A command's identity. With an idempotencyKey: once per (entity, idempotencyKey), as the command
 * schemas promise, so a producer resending the same command is recognised too. Without: the
 * message's position plus a hash of its bytes (the hash tells a recreated topic's new message at
 * a reused offset from the old one). A content hash alone would wrongly merge two legitimately
 * equal commands (set a job Open, Closed, then Open again).
 */
export function commandIdentity(
  entity: string,
  idempotencyKey: string | undefined,
  msg: { topic: string; partition: number; offset: number; key: Buffer | null; value: Buffer | null },
): string {
  if (idempotencyKey) return `${entity}/key/${idempotencyKey}`;
  const hash = createHash('sha256');
  hash.update(msg.key ?? Buffer.alloc(0));
  hash.update('\u0000');
  hash.update(msg.value ?? Buffer.alloc(0));
  return `${entity}/at/${msg.topic}/${msg.partition}/${msg.offset}/${hash.digest('hex').slice(0, 16)}`;
}

/** The message position a position-based identity names (`<entity>/at/<topic>/<partition>/<offset>/<hash>`); undefined for an idempotencyKey. */
export function identityPosition(id: string): { topic: string; partition: number; offset: number } | undefined {
  const parts = id.split('/');
  // Kafka topic names cannot contain '/', so a position identity has exactly six parts.
  if (parts.length !== 6 || parts[1] !== 'at') return undefined;
  const partition = Number(parts[3]);
  const offset = Number(parts[4]);
  if (!Number.isInteger(partition) || !Number.isInteger(offset)) return undefined;
  return { topic: parts[2]!, partition, offset };
}

export class Ledger {
  readonly owner = randomUUID();
  private readonly entries = new Map<string, LedgerEntry>();

  /** Set by `open`: the log's records reach `apply` while it reads, so the ledger exists first. */
  private store!: CompactedLog;

  private constructor(private readonly log: Logger) {}

  /** Reads the ledger topic (every partition, no group) to its end. */
  static async open(options: {
    config: RdConfig;
    topic: string;
    producer: KafkaProducer;
    logger?: Logger;
    timeoutMs?: number;
  }): Promise<Ledger> {
    const log = (options.logger ?? silentLogger).child({ component: 'ledger' });
    const ledger = new Ledger(log);
    ledger.store = await CompactedLog.open({
      config: options.config,
      topic: options.topic,
      producer: options.producer,
      name: `idempotency ledger ${options.topic}`,
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      logger: options.logger,
      onRecord: (r) => ledger.apply(r),
    });
    log.debug('ledger read', { topic: options.topic, entries: ledger.size });
    return ledger;
  }

  get size(): number {
    return this.entries.size;
  }

  get(id: string): LedgerEntry | undefined {
    return this.entries.get(id);
  }

  /** The command partitions that position-based entries in memory belong to. */
  positionPartitions(): Array<{ topic: string; partition: number }> {
    const seen = new Map<string, { topic: string; partition: number }>();
    for (const id of this.entries.keys()) {
      const at = identityPosition(id);
      if (at) seen.set(`${at.topic}\u0000${at.partition}`, { topic: at.topic, partition: at.partition });
    }
    return [...seen.values()];
  }

  /**
   * Forgets the position-based entries below the group's committed offsets (`offset` = the next
   * offset to read): such a message is never delivered again, so its entry can never be asked
   * for. Entries under an idempotencyKey stay (a producer may resend the command) until the
   * topic's retention removes them. Returns how many were forgotten. The topic is not changed.
   */
  forgetCommitted(committed: Array<{ topic: string; partition: number; offset: number }>): number {
    const below = new Map(committed.map((c) => [`${c.topic}\u0000${c.partition}`, c.offset]));
    let forgotten = 0;
    for (const id of this.entries.keys()) {
      const at = identityPosition(id);
      if (!at) continue;
      const next = below.get(`${at.topic}\u0000${at.partition}`);
      if (next !== undefined && at.offset < next) {
        this.entries.delete(id);
        forgotten++;
      }
    }
    if (forgotten)
      this.log.debug('forgot ledger entries of committed commands', { forgotten, entries: this.entries.size });
    return forgotten;
  }

  /** Writes an entry and resolves once the broker acknowledged it. */
  async put(id: string, entry: Omit<LedgerEntry, 'owner' | 'at'>): Promise<void> {
    const full: LedgerEntry = { ...entry, owner: this.owner, at: new Date().toISOString() };
    await this.store.append(id, Buffer.from(JSON.stringify(full)));
    this.entries.set(id, full);
  }

  /** Reads what other sink processes wrote since the last call, up to the end offsets seen now. Calls run one at a time. */
  async catchUp(): Promise<void> {
    const read = await this.store.readToEnd();
    this.log.debug('ledger caught up', { read, entries: this.entries.size });
  }

  async close(): Promise<void> {
    await this.store.close();
  }

  private apply(r: LogRecord): void {
    if (!r.value) {
      this.entries.delete(r.key);
      return;
    }
    try {
      this.entries.set(r.key, JSON.parse(r.value.toString('utf8')) as LedgerEntry);
    } catch {
      this.log.warn('ignoring an unreadable ledger entry', { partition: r.partition, offset: r.offset });
    }
  }
}
