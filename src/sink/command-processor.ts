import type { CommandEntity, Contract } from '../avro/contract.js';
import { AvroDecodeError, AvroEncodeError, CommandInvalidError } from '../avro/errors.js';
import type { CommandMapper } from './operations/command-mapping.js';
import type { CommandPlan } from './operations/command-plan.js';
import type { Serde } from '../avro/serde/serde.js';
import {
  AshbyAbortedError,
  AshbyAmbiguousWriteError,
  AshbyApiError,
  AshbyError,
  AshbyPermissionError,
  isRestartError,
} from '../ashby/errors.js';
import { type AshbyKafkaError } from '../errors.js';
import type { ConsumedMessage } from '../kafka/consumer.js';
import type { OutgoingRecord } from '../kafka/producer.js';
import type { Logger } from '../log/logger.js';
import { DLQ_HEADERS, RESENT_FROM_HEADER, deadLetterHeaders, type FailureStage } from './dead-letters.js';
import { SinkError } from './errors.js';
import { commandIdentity, type LedgerEntry } from './ledger.js';
import { PlanExecutor, stepKind, type ExecutionOutcome, type ExecutorOptions, type Progress } from './plan-executor.js';
import type { AshbyCaller } from './reconcile.js';
import { MetadataCache, dryRunProblems } from './dry-run.js';
import type { CommandResult } from './results.js';

/**
 * One command message → its effect in Ashby, its ledger entry, its result record, or a dead
 * letter. Knows nothing of consumer groups, offsets or scheduling (runner.ts owns those); its
 * outputs are injected, so tests drive it with fakes.
 */
export interface LedgerStore {
  readonly owner: string;
  get(id: string): LedgerEntry | undefined;
  put(id: string, entry: Omit<LedgerEntry, 'owner' | 'at'>): Promise<void>;
  catchUp(): Promise<void>;
}

export interface ProcessorOutputs {
  ledger: LedgerStore;
  /** Resolves once the dead letter is acknowledged by the broker. */
  deadLetter(record: OutgoingRecord): Promise<void>;
  /** Resolves once the result record is acknowledged by the broker. */
  result(key: Buffer | null, result: CommandResult): Promise<void>;
}

export interface ProcessorOptions {
  contract: Contract;
  mapper: CommandMapper;
  /** Decodes Avro commands; unused with `value_format: json`. */
  serde: Serde | undefined;
  valueFormat: 'avro' | 'json';
  onPermissionError: 'fail' | 'dlq';
  deadLetterTopic: string;
  ashby: AshbyCaller;
  outputs: ProcessorOutputs;
  taskId: string;
  logger: Logger;
  /** Hard abort: cancels Ashby calls in flight. */
  signal?: AbortSignal;
  /** Graceful stop: a command that has not reached Ashby yet (or is waiting for another process) gives up, to run again next time. */
  stopSignal?: AbortSignal;
  /**
   * How long an intent written by another sink process is left alone before this one settles it:
   * that process may still be finishing the call after a rebalance took the partition away.
   */
  takeoverGraceMs?: number;
  /**
   * Whether this process still owns the message's partition. Checked when the command starts,
   * after each intent is durable and before the call it announces (so the new owner, which reads
   * the ledger after its assignment, always sees the intent of any call the old owner made), and
   * before every other write (an update, setStatus, changeStage...), so a process that lost the
   * partition in a rebalance makes no call that could overtake the new owner's for the same key.
   */
  stillOwned?: (msg: ConsumedMessage) => boolean;
  /** See `destination.lookup_before_create`. Default false. */
  lookupBeforeCreate?: boolean;
  /** Check commands against live metadata instead of applying them (dry-run.ts); nothing is written to Ashby or the ledger. */
  dryRun?: boolean;
  /** Turns an upload's {url | bytes} into the file just before the call (upload-body.ts). */
  resolveBody?: ExecutorOptions['resolveBody'];
}

export type MessageOutcome =
  | { kind: 'ok'; operation: string; action: ExecutionOutcome['action']; ashbyId: string | undefined }
  /** Redelivery of a command the ledger shows finished: nothing to do. */
  | { kind: 'skipped'; operation: string | undefined }
  | { kind: 'dead_lettered'; operation: string | undefined; error: AshbyKafkaError }
  /** Must stop the sink without committing this message. */
  | { kind: 'fatal'; operation: string | undefined; error: unknown }
  /** Shutdown interrupted it; it will be redelivered. */
  | { kind: 'aborted'; operation: string | undefined };

export const DEFAULT_TAKEOVER_GRACE_MS = 70_000;
const OTHER_OWNER_POLL_MS = 1000;

/** The partition went to another sink process while this command waited; it stops before calling Ashby. */
class PartitionLostError extends Error {}

/** Errors that concern one command only: it goes to the dead-letter topic and the sink goes on. */
export function isRecordError(err: unknown): err is AshbyKafkaError {
  if (err instanceof CommandInvalidError || err instanceof AvroDecodeError || err instanceof AvroEncodeError)
    return true;
  if (err instanceof AshbyApiError) return !isRestartError(err);
  return err instanceof SinkError && err.code !== 'SINK_ERROR_RATE_EXCEEDED' && err.code !== 'SINK_TOPIC_MISSING';
}

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });

export class CommandProcessor {
  private readonly executor: PlanExecutor;
  /** Set in a dry run: the metadata read so far (one cache per processor, that is per pass). */
  private readonly dryRun: MetadataCache | undefined;
  private readonly grace: number;
  /** Commands being processed in this process, by identity. */
  private readonly running = new Map<string, Promise<void>>();

  constructor(private readonly o: ProcessorOptions) {
    this.dryRun = o.dryRun ? new MetadataCache(o.ashby, o.signal) : undefined;
    this.executor = new PlanExecutor(o.ashby, o.signal, {
      lookupBeforeCreate: o.lookupBeforeCreate ?? false,
      ...(o.resolveBody ? { resolveBody: o.resolveBody } : {}),
    });
    this.grace = o.takeoverGraceMs ?? DEFAULT_TAKEOVER_GRACE_MS;
  }

  async process(msg: ConsumedMessage, entity: CommandEntity): Promise<MessageOutcome> {
    let releaseIdentity: (() => void) | undefined;
    try {
      return await this.run(msg, entity, (r) => (releaseIdentity = r));
    } finally {
      releaseIdentity?.();
    }
  }

  private async run(
    msg: ConsumedMessage,
    entity: CommandEntity,
    onIdentity: (release: () => void) => void,
  ): Promise<MessageOutcome> {
    let stage: FailureStage = 'VALUE_CONVERTER';
    let plan: CommandPlan | undefined;
    let identity = commandIdentity(entity, undefined, msg);
    let attempts = 1;
    /** The command's operation once decoded, for counts and headers even when it fails validation. */
    let operationHint: string | undefined;
    /** The last intent this run recorded, if any. */
    let announced:
      { base: Pick<LedgerEntry, 'entity' | 'operation' | 'source'>; progress: Progress; started: boolean } | undefined;
    try {
      if (this.o.stopSignal?.aborted) return { kind: 'aborted', operation: undefined };
      if (this.o.stillOwned && !this.o.stillOwned(msg)) return { kind: 'aborted', operation: undefined };
      const value = await this.decode(msg, entity);
      if (typeof value.operation === 'string') operationHint = value.operation;
      stage = 'TRANSFORMATION';
      plan = this.o.mapper.commandToRequests(entity, value);
      if (this.dryRun) return await this.dryRunResult(msg, entity, plan, await dryRunProblems(plan, this.dryRun));
      identity = commandIdentity(entity, plan.idempotencyKey, msg);
      stage = 'TASK_PUT';
      // Two messages with the same idempotencyKey but different record keys may run at once here: one waits for the other.
      while (this.running.has(identity)) await this.running.get(identity);
      let release!: () => void;
      const id = identity;
      this.running.set(id, new Promise<void>((r) => (release = r)));
      onIdentity(() => {
        this.running.delete(id);
        release();
      });
      let entry = this.o.outputs.ledger.get(identity);
      if (entry?.state === 'started' && entry.progress?.started && entry.owner !== this.o.outputs.ledger.owner) {
        entry = await this.awaitOtherOwner(identity, entry);
        if (this.o.stopSignal?.aborted) return { kind: 'aborted', operation: plan.operation };
      }
      // A dead letter sent back on purpose (fixed, or its cause fixed) is tried again, once: after
      // it the ledger holds its new outcome, and further copies are skipped like any duplicate.
      const retry =
        entry?.state === 'dead_lettered' &&
        msg.headers[RESENT_FROM_HEADER] !== undefined &&
        !(
          entry.source.topic === msg.topic &&
          entry.source.partition === msg.partition &&
          entry.source.offset === msg.offset
        );
      if (entry && entry.state !== 'started' && !retry) return await this.alreadyDone(msg, entity, plan, entry);
      attempts = (entry?.state === 'started' ? (entry.attempts ?? 1) : 0) + 1;
      const progress: Progress = entry?.state === 'started' && entry.progress ? entry.progress : { done: {} };
      const base = {
        entity,
        operation: plan.operation,
        source: { topic: msg.topic, partition: msg.partition, offset: msg.offset },
      };
      const record = async (p: Progress): Promise<void> => {
        await this.o.outputs.ledger.put(identity, { ...base, state: 'started', progress: p, attempts });
        announced = { base, progress: structuredClone(p), started: p.started !== undefined };
        if (this.o.stillOwned && !this.o.stillOwned(msg)) {
          // Withdraw the intent (no call was made), so the new owner need not wait out the grace period.
          await this.o.outputs.ledger.put(identity, {
            ...base,
            state: 'started',
            progress: { done: p.done },
            attempts,
          });
          throw new PartitionLostError();
        }
      };
      const outcome = await this.executor.execute(plan, progress, {
        beforeUnsafeStep: (_s, p) => record(p),
        afterUnsafeStep: async (_s, p, last) => {
          if (!last) return record(p);
          announced = { base, progress: structuredClone(p), started: false };
        },
        beforeRepeatableWrite: () => {
          if (this.o.stillOwned && !this.o.stillOwned(msg)) throw new PartitionLostError();
        },
      });
      const result: CommandResult = {
        ...this.resultBase(msg, entity, plan),
        status: 'ok',
        action: outcome.action,
        ashbyId: outcome.ashbyId ?? null,
        ashbyUpdatedAt: outcome.updatedAt ? new Date(outcome.updatedAt) : null,
        requestId: outcome.requestId ?? null,
        error: null,
      };
      await Promise.all([
        this.o.outputs.ledger.put(identity, {
          ...base,
          state: 'done',
          outcome: {
            action: outcome.action,
            ...(outcome.ashbyId ? { ashbyId: outcome.ashbyId } : {}),
            ...(outcome.requestId ? { requestId: outcome.requestId } : {}),
            ...(outcome.updatedAt ? { updatedAt: outcome.updatedAt } : {}),
          },
        }),
        this.o.outputs.result(msg.key, result),
      ]);
      return { kind: 'ok', operation: plan.operation, action: outcome.action, ashbyId: outcome.ashbyId };
    } catch (err) {
      const operation = plan?.operation ?? operationHint;
      if (this.dryRun && isRecordError(err) && !(err instanceof AshbyApiError)) {
        // A command that would be dead-lettered as invalid: reported, never dead-lettered, in a dry run.
        return await this.dryRunResult(
          msg,
          entity,
          plan,
          [`${(err as AshbyKafkaError).code}: ${(err as Error).message}`],
          operation,
        );
      }
      if (err instanceof AshbyAbortedError || err instanceof PartitionLostError || this.o.signal?.aborted)
        return { kind: 'aborted', operation };
      const dlq = isRecordError(err) || (err instanceof AshbyPermissionError && this.o.onPermissionError === 'dlq');
      if (!dlq) {
        if (announced?.started && err instanceof AshbyError && !(err instanceof AshbyAmbiguousWriteError)) {
          // Ashby refused the announced call (it did not apply it): withdraw the intent so a rerun goes straight ahead.
          await this.o.outputs.ledger
            .put(identity, {
              ...announced.base,
              state: 'started',
              progress: { done: announced.progress.done },
              attempts,
            })
            .catch(() => undefined);
        }
        return { kind: 'fatal', operation, error: err };
      }
      try {
        await this.deadLetter(
          msg,
          entity,
          plan,
          operation,
          identity,
          stage,
          err as AshbyKafkaError,
          attempts,
          announced?.progress,
        );
      } catch (dlqErr) {
        return { kind: 'fatal', operation, error: dlqErr };
      }
      return { kind: 'dead_lettered', operation, error: err as AshbyKafkaError };
    }
  }

  /**
   * Another process announced a call for this command and has not recorded its outcome. It may
   * still be making that call (it lost the partition in a rebalance mid-command), so wait until
   * it records something or the grace period since its intent has passed.
   */
  private async awaitOtherOwner(identity: string, entry: LedgerEntry): Promise<LedgerEntry | undefined> {
    const until = Date.parse(entry.at) + this.grace;
    let current: LedgerEntry | undefined = entry;
    const stop = this.o.stopSignal ?? this.o.signal;
    while (Date.now() < until && !stop?.aborted && current?.at === entry.at && current.owner === entry.owner) {
      await sleep(Math.min(OTHER_OWNER_POLL_MS, until - Date.now()), stop);
      await this.o.outputs.ledger.catchUp();
      current = this.o.outputs.ledger.get(identity);
    }
    return current;
  }

  private async decode(msg: ConsumedMessage, entity: CommandEntity): Promise<Record<string, unknown>> {
    if (!msg.value || msg.value.length === 0) {
      throw new CommandInvalidError(
        entity,
        '',
        'has no value (a tombstone or an empty message); a command needs at least an operation',
      );
    }
    if (this.o.valueFormat === 'json') return this.o.mapper.parseJsonCommand(entity, msg.value.toString('utf8'));
    if (!this.o.serde) throw new SinkError('SINK_STOPPED', 'no Avro serde configured (this is a bug in ashby-kafka)');
    return (await this.o.serde.decodeValue(msg.topic, msg.value, this.o.contract.commandType(entity))) as Record<
      string,
      unknown
    >;
  }

  /**
   * The ledger has an outcome. A redelivery (same position) is not applied again, but its result
   * is sent again from the ledger: the outcome and the result are written together, so a crash
   * between the two acknowledgements may have lost the result (results are at-least-once).
   * Another message with the same idempotencyKey gets a result saying it was already applied.
   */
  private async alreadyDone(
    msg: ConsumedMessage,
    entity: CommandEntity,
    plan: CommandPlan,
    entry: LedgerEntry,
  ): Promise<MessageOutcome> {
    const samePosition =
      entry.source.topic === msg.topic &&
      entry.source.partition === msg.partition &&
      entry.source.offset === msg.offset;
    if (samePosition) {
      await this.o.outputs.result(msg.key, {
        ...this.resultBase(msg, entity, plan),
        status: entry.state === 'done' ? 'ok' : 'dead_lettered',
        action: entry.outcome && entry.outcome.action !== 'none' ? entry.outcome.action : null,
        ashbyId: entry.outcome?.ashbyId ?? null,
        ashbyUpdatedAt: entry.outcome?.updatedAt ? new Date(entry.outcome.updatedAt) : null,
        requestId: entry.outcome?.requestId ?? null,
        error: entry.error ?? null,
      });
      return { kind: 'skipped', operation: plan.operation };
    }
    this.o.logger.info('command already applied under the same idempotencyKey; not applying it again', {
      topic: msg.topic,
      partition: msg.partition,
      offset: msg.offset,
      idempotencyKey: plan.idempotencyKey,
      first: entry.source,
    });
    await this.o.outputs.result(msg.key, {
      ...this.resultBase(msg, entity, plan),
      status: entry.state === 'done' ? 'ok' : 'dead_lettered',
      action: 'unchanged',
      ashbyId: entry.outcome?.ashbyId ?? null,
      requestId: entry.outcome?.requestId ?? null,
      error: entry.error ?? null,
    });
    return { kind: 'skipped', operation: plan.operation };
  }

  private async dryRunResult(
    msg: ConsumedMessage,
    entity: CommandEntity,
    plan: CommandPlan | undefined,
    problems: string[],
    operation?: string,
  ): Promise<MessageOutcome> {
    await this.o.outputs.result(msg.key, {
      ...this.resultBase(msg, entity, plan),
      ...(plan ? {} : { operation: operation ?? null }),
      status: 'ok',
      action: null,
      ashbyId: plan?.targetId ?? null,
      requestId: null,
      error: null,
      dryRun: true,
      problems,
    });
    if (problems.length)
      this.o.logger.warn('dry run: the command would fail', {
        topic: msg.topic,
        partition: msg.partition,
        offset: msg.offset,
        problems,
      });
    return { kind: 'skipped', operation: plan?.operation ?? operation };
  }

  private resultBase(msg: ConsumedMessage, entity: CommandEntity, plan: CommandPlan | undefined) {
    return {
      entity,
      operation: plan?.operation ?? null,
      idempotencyKey: plan?.idempotencyKey ?? null,
      sourceTopic: msg.topic,
      sourcePartition: msg.partition,
      sourceOffset: msg.offset,
      processedAt: new Date(),
    };
  }

  private async deadLetter(
    msg: ConsumedMessage,
    entity: CommandEntity,
    plan: CommandPlan | undefined,
    operation: string | undefined,
    identity: string,
    stage: FailureStage,
    err: AshbyKafkaError,
    attempts: number,
    progress: Progress | undefined,
  ): Promise<void> {
    // Steps that did apply before the failure (say the create before a rejected custom field): a
    // replay of this dead letter would repeat them, so they are named in a header and the result.
    const applied = Object.values(progress?.done ?? {}).filter((r) => stepKind(r.endpoint) !== 'repeatable');
    const createdId =
      applied.map((r) => (r.results as { id?: string } | null)?.id).find((id) => typeof id === 'string') ?? null;
    const headers = deadLetterHeaders(err, { ...msg, stage, entity, operation, attempts, taskId: this.o.taskId });
    if (applied.length)
      headers[DLQ_HEADERS.applied] = applied
        .map((r) => `${r.endpoint}=${(r.results as { id?: string } | null)?.id ?? '?'}`)
        .join(',');
    await this.o.outputs.deadLetter({
      topic: this.o.deadLetterTopic,
      key: msg.key,
      value: msg.value,
      headers,
      ...(msg.timestamp ? { timestamp: msg.timestamp } : {}),
    });
    const error = { code: err.code, message: err.message };
    await Promise.all([
      this.o.outputs.ledger.put(identity, {
        entity,
        operation: operation ?? '',
        source: { topic: msg.topic, partition: msg.partition, offset: msg.offset },
        state: 'dead_lettered',
        error,
        // What the result says, so a redelivery can send it again.
        ...(applied.length || createdId || err.requestId
          ? {
              outcome: {
                action: applied.length ? 'partially_applied' : 'none',
                ...(createdId ? { ashbyId: createdId } : {}),
                ...(err.requestId ? { requestId: err.requestId } : {}),
              },
            }
          : {}),
      }),
      this.o.outputs.result(msg.key, {
        ...this.resultBase(msg, entity, plan),
        operation: operation ?? null,
        status: 'dead_lettered',
        action: applied.length ? 'partially_applied' : null,
        ashbyId: createdId,
        requestId: err.requestId ?? null,
        error,
      }),
    ]);
    this.o.logger.warn('command dead-lettered', {
      topic: msg.topic,
      partition: msg.partition,
      offset: msg.offset,
      operation,
      code: err.code,
      message: err.message,
      requestId: err.requestId,
    });
  }
}
