import type { CommandEntity, Contract } from '../avro/contract.js';
import type { Serde } from '../avro/serde/serde.js';
import { parseDuration } from '../config/duration.js';
import type { DestinationConfig } from '../config/schema.js';
import type { ConsumedMessage } from '../kafka/consumer.js';
import type { PartitionOffset } from '../kafka/offset-tracker.js';
import type { OutgoingRecord } from '../kafka/producer.js';
import type { Logger } from '../log/logger.js';
import { CommandProcessor, type LedgerStore, type MessageOutcome } from './command-processor.js';
import { SinkErrorRateError } from './errors.js';
import { ErrorWindow } from './error-window.js';
import { KeyScheduler } from './key-scheduler.js';
import { ONCE_ASSIGNMENT_GRACE_MS, OnceTracker, type OnceConsumer } from './once-tracker.js';
import type { CommandMapper } from './operations/command-mapping.js';
import type { AshbyCaller } from './reconcile.js';
import { encodeResult } from './results.js';
import { countOutcome, emptySummary, type SinkSummary } from './summary.js';
import { createUploadResolver } from './upload-body.js';

/**
 * The sink loop: consumes the command topics in a consumer group, runs each command through
 * the CommandProcessor (same key in order, different keys concurrently), and commits an offset
 * only once the command's effect, its ledger entry, its result and any dead letter are
 * acknowledged. A fatal error (a permission error in `fail` mode, a retriable error the client
 * gave up on, the error-rate limit) stops it without committing the failing command.
 *
 * It builds nothing: the consumer, producer, ledger and Ashby client are injected (runner.ts
 * wires the real ones; unit tests drive it with fakes). The consumer's rebalance callbacks must
 * call `onAssign` / `onRevoke`.
 */
export interface SinkLoopOptions {
  /** Process up to the end offsets seen when each partition is first assigned, commit, return. */
  once?: boolean;
  logger?: Logger;
  /** Graceful stop: no new commands start; commands in flight finish and are committed. */
  signal?: AbortSignal;
  /** Called every `progressIntervalMs` (default 10 s) and once at the end. */
  onProgress?: (summary: SinkSummary, seconds: number) => void;
  progressIntervalMs?: number;
  /** See ProcessorOptions.takeoverGraceMs. */
  takeoverGraceMs?: number;
  /** Tests only: upload commands may name plain-http file URLs on 127.0.0.1 / localhost. */
  allowLoopbackFileUrls?: boolean;
}

/** What the loop needs of the group consumer (KafkaConsumer implements it). */
export interface SinkConsumer extends OnceConsumer {
  consume(max: number, waitMs: number): Promise<ConsumedMessage[]>;
  markProcessed(message: Pick<ConsumedMessage, 'topic' | 'partition' | 'offset'>): void;
  commit(): Promise<PartitionOffset[]>;
  pause(): void;
  resume(): void;
}

/** What the loop needs of the ledger beyond the processor's use (Ledger implements it). */
export interface SinkLedger extends LedgerStore {
  positionPartitions(): Array<{ topic: string; partition: number }>;
  forgetCommitted(committed: PartitionOffset[]): number;
}

/** The injected pieces. The loop closes none of them. */
export interface SinkParts {
  consumer: SinkConsumer;
  producer: { send(record: OutgoingRecord): Promise<unknown> };
  ledger: SinkLedger;
  ashby: AshbyCaller;
}

/** What the loop is told once, from the pipeline (runner.ts resolves it from the config). */
export interface SinkSettings {
  destination: DestinationConfig;
  contract: Contract;
  mapper: CommandMapper;
  /** For `value_format: avro`. */
  serde: Serde | undefined;
  /** Names this process in results (`<group>/<ledger owner>`). */
  taskId: string;
  /** Default for SinkLoopOptions.takeoverGraceMs: connect plus response timeouts of the Ashby client. */
  takeoverGraceMs: number;
  /** The group's session timeout: `--once` waits this long (plus a grace) for a first assignment. */
  sessionTimeoutMs: number;
  logger: Logger;
}

export interface SinkRunResult {
  summary: SinkSummary;
  seconds: number;
  /** Set when a fatal error stopped the sink; the failing command was not committed. */
  error?: unknown;
}

/** Messages fetched and not yet finished, above which fetching pauses. */
const MAX_BUFFERED = 1000;
const CONSUME_BATCH = 200;
const CONSUME_WAIT_MS = 200;
const COMMIT_INTERVAL_MS = 1000;
/** How often the ledger forgets position-based entries of commands the group has committed. */
const LEDGER_PRUNE_INTERVAL_MS = 30_000;

interface Meta {
  topic: string;
  partition: number;
}

/** The key commands are ordered by: same topic and key in order; keyless commands each on their own. */
function orderingKey(m: ConsumedMessage): string {
  return m.key ? `${m.topic}\u0000k${m.key.toString('base64')}` : `${m.topic}\u0000p${m.partition}\u0000o${m.offset}`;
}

export class SinkLoop {
  private assignmentChanged = false;
  /** Fetching paused because MAX_BUFFERED commands wait (consume keeps being called, so the group keeps us). */
  private paused = false;
  private readonly scheduler: KeyScheduler<Meta>;
  private readonly log: Logger;

  constructor(private readonly settings: SinkSettings) {
    this.scheduler = new KeyScheduler<Meta>(settings.destination.concurrency);
    this.log = settings.logger;
  }

  /** The consumer's rebalance callback, after the new partitions are assigned: the ledger is read again before any of their commands runs. */
  onAssign(parts: Array<{ topic: string; partition: number }>): void {
    this.assignmentChanged = true;
    this.paused = false;
    this.log.info('partitions assigned', { partitions: parts.map((p) => `${p.topic}[${p.partition}]`) });
  }

  /** The consumer's rebalance callback, before the partitions go: their commands not yet started are left to the new owner. */
  onRevoke(parts: Array<{ topic: string; partition: number }>): void {
    const gone = new Set(parts.map((p) => `${p.topic}\u0000${p.partition}`));
    const dropped = this.scheduler.drop((m) => gone.has(`${m.topic}\u0000${m.partition}`));
    this.log.info('partitions revoked', {
      partitions: parts.map((p) => `${p.topic}[${p.partition}]`),
      droppedQueued: dropped.length,
    });
  }

  /** Runs until `--once` is done, the signal stops it or a fatal error; commits what finished. Never throws: see SinkRunResult.error. */
  async run(parts: SinkParts, opts: SinkLoopOptions = {}): Promise<SinkRunResult> {
    const { consumer: c, producer, ledger, ashby } = parts;
    const d = this.settings.destination;
    const log = this.log;
    const scheduler = this.scheduler;
    const started = Date.now();
    const seconds = (): number => (Date.now() - started) / 1000;
    const summary = emptySummary();
    const entityOf = new Map(d.topics.map((t) => [t.topic, t.entity as CommandEntity]));
    // Stops commands that have not reached Ashby yet: on a fatal error, and on the caller's graceful stop.
    const stop = new AbortController();
    const onStop = (): void => stop.abort();
    opts.signal?.addEventListener('abort', onStop, { once: true });
    if (opts.signal?.aborted) stop.abort();
    let fatal: unknown;
    const owned = (m: Meta): boolean =>
      c.assignments().some((tp) => tp.topic === m.topic && tp.partition === m.partition);
    try {
      const { serde } = this.settings;
      const processor = new CommandProcessor({
        contract: this.settings.contract,
        mapper: this.settings.mapper,
        serde,
        valueFormat: d.value_format,
        onPermissionError: d.on_permission_error,
        deadLetterTopic: d.dead_letter_topic,
        ashby,
        taskId: this.settings.taskId,
        logger: log,
        // Calls in flight are never cut off (that would make their outcome unknown).
        stopSignal: stop.signal,
        takeoverGraceMs: opts.takeoverGraceMs ?? this.settings.takeoverGraceMs,
        stillOwned: (m) => owned(m),
        lookupBeforeCreate: d.lookup_before_create,
        dryRun: d.dry_run,
        resolveBody: createUploadResolver({
          maxBytes: d.files.max_bytes,
          maxInlineBytes: d.files.max_inline_bytes,
          timeoutMs: parseDuration(d.files.timeout, 'destination.files.timeout'),
          contentTypes: d.files.content_types,
          ...(opts.allowLoopbackFileUrls ? { allowLoopbackHttp: true } : {}),
        }),
        outputs: {
          ledger,
          deadLetter: async (record) => void (await producer.send(record)),
          result: async (key, result) => {
            const value = await encodeResult(d.value_format, serde, d.results_topic, result);
            await producer.send({ topic: d.results_topic, key, value });
          },
        },
      });
      const window = new ErrorWindow(d.error_window, d.max_error_rate);

      const fail = (err: unknown): void => {
        if (fatal !== undefined) return;
        fatal = err;
        stop.abort();
        const dropped = scheduler.drop(() => true);
        log.error('sink stopping', { err: err as Error, droppedQueued: dropped.length });
      };

      const handle = async (m: ConsumedMessage): Promise<void> => {
        if (fatal !== undefined) return;
        const entity = entityOf.get(m.topic)!;
        let outcome: MessageOutcome;
        try {
          outcome = await processor.process(m, entity);
        } catch (err) {
          outcome = { kind: 'fatal', operation: undefined, error: err };
        }
        countOutcome(summary, entity, outcome);
        if (outcome.kind === 'fatal') return fail(outcome.error);
        if (outcome.kind === 'aborted') return;
        // A dry run marks nothing, so commits leave the group's offsets where they are: the real run still sees every command.
        if (!d.dry_run) c.markProcessed(m);
        if (outcome.kind !== 'skipped' && window.record(outcome.kind === 'dead_lettered'))
          fail(new SinkErrorRateError(window.failed, window.size, window.maxRate));
      };

      const once = opts.once
        ? new OnceTracker(c, log, this.settings.sessionTimeoutMs + ONCE_ASSIGNMENT_GRACE_MS)
        : undefined;
      let lastCommit = Date.now();
      let lastProgress = Date.now();
      /** 0: prune after the first commit round, once the first assignment is known. */
      let lastPrune = 0;
      const pruneLedger = async (): Promise<void> => {
        const partitions = ledger.positionPartitions();
        if (partitions.length) ledger.forgetCommitted(await c.committed(partitions));
      };
      const progressEvery = opts.progressIntervalMs ?? 10_000;
      const catchUpIfNeeded = async (): Promise<void> => {
        if (!this.assignmentChanged) return;
        this.assignmentChanged = false;
        await ledger.catchUp();
        await once?.capture();
      };

      while (fatal === undefined && !opts.signal?.aborted) {
        await catchUpIfNeeded();
        if (!this.paused && scheduler.pending >= MAX_BUFFERED) {
          c.pause();
          this.paused = true;
        } else if (this.paused && scheduler.pending < MAX_BUFFERED / 2) {
          c.resume();
          this.paused = false;
        }
        const messages = await c.consume(CONSUME_BATCH, CONSUME_WAIT_MS);
        await catchUpIfNeeded();
        let notOwned = 0;
        for (const m of messages) {
          if (fatal !== undefined) break;
          if (once?.beyondEnd(m)) continue;
          // Fetched before a rebalance (served inside this consume) took the partition away: the new owner gets it.
          if (!owned(m)) {
            notOwned++;
            continue;
          }
          scheduler.submit({
            key: orderingKey(m),
            meta: { topic: m.topic, partition: m.partition },
            run: () => handle(m),
          });
        }
        if (notOwned) log.debug('dropped messages of partitions revoked while fetching', { count: notOwned });
        if (Date.now() - lastCommit >= COMMIT_INTERVAL_MS) {
          await c.commit();
          lastCommit = Date.now();
          if (lastCommit - lastPrune >= LEDGER_PRUNE_INTERVAL_MS) {
            lastPrune = lastCommit;
            await pruneLedger().catch((err: unknown) =>
              log.warn('could not read committed offsets to trim the ledger; will try again', { err: err as Error }),
            );
          }
        }
        if (opts.onProgress && Date.now() - lastProgress >= progressEvery) {
          opts.onProgress(summary, seconds());
          lastProgress = Date.now();
        }
        if (once && scheduler.pending === 0 && (await once.finished())) break;
      }
      if (fatal !== undefined || opts.signal?.aborted) scheduler.drop(() => true);
      await scheduler.idle();
      await c.commit();
    } catch (err) {
      fatal ??= err;
    } finally {
      opts.signal?.removeEventListener('abort', onStop);
    }
    opts.onProgress?.(summary, seconds());
    return { summary, seconds: seconds(), ...(fatal !== undefined ? { error: fatal } : {}) };
  }
}
