import type { LibrdKafkaError } from 'node-rdkafka';
import { AshbyKafkaError } from '../errors.js';

/** librdkafka error codes we branch on (node-rdkafka's CODES.ERRORS). */
export const RdCode = {
  QUEUE_FULL: -184,
  MSG_TIMED_OUT: -192,
  TIMED_OUT: -185,
  UNKNOWN_TOPIC: -188,
  FENCED: -144,
  ASSIGN_PARTITIONS: -175,
  REVOKE_PARTITIONS: -174,
  NO_OFFSET: -168,
  UNKNOWN_TOPIC_OR_PART: 3,
  TOPIC_ALREADY_EXISTS: 36,
  PRODUCER_FENCED: 90,
  TRANSACTION_COORDINATOR_FENCED: 52,
} as const;

export type KafkaErrorCode =
  | 'KAFKA_CONNECT_FAILED'
  | 'KAFKA_PRODUCE_FAILED'
  | 'KAFKA_DELIVERY_FAILED'
  | 'KAFKA_TRANSACTION_FAILED'
  | 'KAFKA_FENCED'
  | 'KAFKA_CONSUME_FAILED'
  | 'KAFKA_COMMIT_FAILED'
  | 'KAFKA_ADMIN_FAILED'
  | 'KAFKA_CLOSED';

/**
 * A Kafka failure. Carries librdkafka's numeric code, whether librdkafka says retrying can
 * help, whether the client is now unusable (`fatal`, e.g. fenced by a newer instance with the
 * same transactional.id), and whether the open transaction must be aborted.
 */
export class KafkaError extends AshbyKafkaError {
  readonly librdkafkaCode: number | undefined;
  readonly fatal: boolean;
  readonly txnRequiresAbort: boolean;

  constructor(
    code: KafkaErrorCode,
    message: string,
    options: {
      librdkafkaCode?: number;
      retriable?: boolean;
      fatal?: boolean;
      txnRequiresAbort?: boolean;
      cause?: unknown;
      details?: Record<string, unknown>;
    } = {},
  ) {
    super(code, message, {
      retriable: options.retriable ?? false,
      cause: options.cause,
      details: options.details ?? {},
    });
    this.librdkafkaCode = options.librdkafkaCode;
    this.fatal = options.fatal ?? false;
    this.txnRequiresAbort = options.txnRequiresAbort ?? false;
  }

  /** Wrap a librdkafka error: `action` says what we were doing ("deliver to ashby.candidates"). */
  static from(
    code: KafkaErrorCode,
    action: string,
    err: LibrdKafkaError | Error,
    details: Record<string, unknown> = {},
  ): KafkaError {
    const rd = err as Partial<LibrdKafkaError>;
    const fenced =
      rd.code === RdCode.FENCED ||
      rd.code === RdCode.PRODUCER_FENCED ||
      rd.code === RdCode.TRANSACTION_COORDINATOR_FENCED;
    const fatal = Boolean(rd.isFatal) || fenced;
    return new KafkaError(fenced ? 'KAFKA_FENCED' : code, `${action}: ${err.message}${hint(rd.code, fenced)}`, {
      librdkafkaCode: rd.code,
      retriable: !fatal && Boolean(rd.isRetriable),
      fatal,
      txnRequiresAbort: Boolean(rd.isTxnRequiresAbort),
      cause: err,
      details: { ...details, ...(rd.code !== undefined ? { librdkafkaCode: rd.code } : {}) },
    });
  }
}

function hint(code: number | undefined, fenced: boolean): string {
  if (fenced)
    return ' (another process with the same transactional id took over, and goes on from the last committed page; if that was not meant, stop one of the two, or give them different kafka.client_id or source.topic_prefix)';
  if (code === RdCode.UNKNOWN_TOPIC || code === RdCode.UNKNOWN_TOPIC_OR_PART)
    return ' (the topic does not exist; create it or let ashby-kafka create it)';
  if (code === RdCode.MSG_TIMED_OUT) return ' (the broker did not acknowledge in time; check that it is reachable)';
  return '';
}
