import { AshbyKafkaError, type AshbyKafkaErrorOptions } from '../errors.js';

/**
 * Failures the sink itself raises (the Ashby, Avro and Kafka layers raise their own). Each has
 * a stable code; docs/sink.md lists them.
 */
export type SinkErrorCode =
  | 'SINK_ERROR_RATE_EXCEEDED'
  | 'SINK_TOPIC_MISSING'
  | 'SINK_UPSERT_AMBIGUOUS'
  | 'SINK_RECONCILE_AMBIGUOUS'
  | 'SINK_WRITE_OUTCOME_UNKNOWN'
  | 'SINK_RESULT_MISSING'
  | 'SINK_STOPPED'
  | 'SINK_FILE_URL_INVALID'
  | 'SINK_FILE_TOO_LARGE'
  | 'SINK_FILE_TYPE_REFUSED'
  | 'SINK_FILE_FETCH_FAILED';

export class SinkError extends AshbyKafkaError {
  constructor(code: SinkErrorCode, message: string, options: AshbyKafkaErrorOptions = {}) {
    super(code, message, options);
  }
}

/** The share of failed commands in the last `window` crossed `destination.max_error_rate`. */
export class SinkErrorRateError extends SinkError {
  constructor(failed: number, window: number, maxRate: number) {
    super(
      'SINK_ERROR_RATE_EXCEEDED',
      `${failed} of the last ${window} commands failed (more than destination.max_error_rate ${maxRate}); the sink stopped so a systematic problem does not fill the dead-letter topic. ` +
        'Look at the dead-letter topic headers for the cause, fix it, then run the sink again (the failed commands stay in the dead-letter topic).',
      { details: { failed, window, maxRate } },
    );
  }
}

/**
 * A write whose outcome is unknown (timeout after sending, crash between the call and the
 * ledger) for an endpoint the sink cannot look up afterwards. Dead-lettered rather than
 * repeated, because repeating could apply it twice.
 */
export class WriteOutcomeUnknownError extends SinkError {
  constructor(endpoint: string, why: string, options: AshbyKafkaErrorOptions = {}) {
    super(
      'SINK_WRITE_OUTCOME_UNKNOWN',
      `${endpoint} may or may not have been applied (${why}), and Ashby offers no lookup to tell; it was not repeated. Check the record in Ashby and resend the command if it is missing.`,
      { ...options, details: { endpoint, ...(options.details ?? {}) } },
    );
  }
}
