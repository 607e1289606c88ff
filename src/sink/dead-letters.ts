import { AshbyKafkaError } from '../errors.js';

/**
 * Dead-letter headers in Kafka Connect's style (`errors.deadletterqueue.context.headers.enable`):
 * the original position, the failing stage, the exception class and message, plus what an Ashby
 * writer adds (our stable error code, the Ashby request id and endpoint, the attempt count and
 * the time). The record keeps the original key, value and headers, so it can be replayed as is.
 */
export const DLQ_HEADERS = {
  topic: '__connect.errors.topic',
  partition: '__connect.errors.partition',
  offset: '__connect.errors.offset',
  connector: '__connect.errors.connector.name',
  task: '__connect.errors.task.id',
  stage: '__connect.errors.stage',
  className: '__connect.errors.class.name',
  message: '__connect.errors.exception.message',
  code: '__connect.errors.code',
  requestId: '__connect.errors.ashby.request.id',
  endpoint: '__connect.errors.ashby.endpoint',
  entity: '__connect.errors.ashby.entity',
  operation: '__connect.errors.ashby.operation',
  /** Steps that applied before the failure, `endpoint=id,…` (a replay would repeat them). */
  applied: '__connect.errors.ashby.applied',
  attempts: '__connect.errors.attempts',
  timestamp: '__connect.errors.timestamp',
} as const;

/**
 * Set on a dead letter sent back to its command topic (`<dead-letter topic>/<partition>/<offset>`,
 * by `POST /pipelines/{name}/dead-letters/{id}/resend`): a command whose idempotencyKey the
 * ledger holds as dead-lettered is tried again once, where a plain duplicate is skipped.
 */
export const RESENT_FROM_HEADER = 'ashby-kafka.resent.from';

export const CONNECTOR_NAME = 'ashby-kafka-sink';

/** Where in the pipeline the command failed (Connect's stage names). */
export type FailureStage = 'VALUE_CONVERTER' | 'TRANSFORMATION' | 'TASK_PUT';

export interface DeadLetterContext {
  topic: string;
  partition: number;
  offset: number;
  headers: Record<string, Buffer>;
  stage: FailureStage;
  entity: string;
  operation: string | undefined;
  /** How many times the sink tried the command (1 + redeliveries it saw in this process). */
  attempts: number;
  taskId: string;
  now?: Date;
}

export function deadLetterHeaders(err: unknown, ctx: DeadLetterContext): Record<string, string | Buffer> {
  const out: Record<string, string | Buffer> = {};
  for (const [k, v] of Object.entries(ctx.headers)) if (!k.startsWith('__connect.errors.')) out[k] = v;
  const e = err instanceof AshbyKafkaError ? err : undefined;
  const endpoint = (e?.details.endpoint as string | undefined) ?? undefined;
  Object.assign(out, {
    [DLQ_HEADERS.topic]: ctx.topic,
    [DLQ_HEADERS.partition]: String(ctx.partition),
    [DLQ_HEADERS.offset]: String(ctx.offset),
    [DLQ_HEADERS.connector]: CONNECTOR_NAME,
    [DLQ_HEADERS.task]: ctx.taskId,
    [DLQ_HEADERS.stage]: ctx.stage,
    [DLQ_HEADERS.className]: err instanceof Error ? err.name : 'Error',
    [DLQ_HEADERS.message]: err instanceof Error ? err.message : String(err),
    [DLQ_HEADERS.code]: e?.code ?? 'INTERNAL',
    [DLQ_HEADERS.entity]: ctx.entity,
    [DLQ_HEADERS.attempts]: String(ctx.attempts),
    [DLQ_HEADERS.timestamp]: (ctx.now ?? new Date()).toISOString(),
  });
  if (e?.requestId) out[DLQ_HEADERS.requestId] = e.requestId;
  if (endpoint) out[DLQ_HEADERS.endpoint] = endpoint;
  if (ctx.operation) out[DLQ_HEADERS.operation] = ctx.operation;
  return out;
}
