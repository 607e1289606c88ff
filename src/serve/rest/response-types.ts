/**
 * Types only: the JSON bodies of the REST responses that the web console reads too
 * (ui/src/api.ts imports them, and builds with its own tsconfig and esbuild). So this file
 * imports nothing and uses no Node types; the server's modules re-export what they return.
 */

/** One dead letter of `GET /pipelines/{name}/dead-letters` (src/serve/dead-letters.ts). */
export interface DeadLetterView {
  /** `<partition>-<offset>` in the dead-letter topic. */
  id: string;
  partition: number;
  offset: number;
  timestamp: string | null;
  key: string | null;
  /** The command as JSON (Avro decoded), or undefined when it could not be decoded. */
  command?: Record<string, unknown>;
  /** The bytes as text (JSON) or base64 (Avro) when they could not be decoded. */
  raw?: string;
  decode_error?: string;
  error: {
    code: string | null;
    message: string | null;
    stage: string | null;
    attempts: number | null;
    request_id: string | null;
    endpoint: string | null;
    applied: string | null;
    at: string | null;
  };
  original: { topic: string | null; partition: number | null; offset: number | null };
  entity: string | null;
  operation: string | null;
}

export interface DeadLetterPage {
  topic: string;
  value_format: 'avro' | 'json';
  dead_letters: DeadLetterView[];
}

/** One minute of `GET /pipelines/{name}/history` (src/serve/metrics/history.ts). */
export interface MinuteCounts {
  /** Start of the minute (ISO). */
  minute: string;
  records: number;
  pages: number;
  calls: number;
  rate_limited: number;
  retries: number;
  /** Records per stream. */
  streams: Record<string, number>;
  /** Sink commands by outcome (ok, skipped, dead_lettered, failed). */
  commands: Record<string, number>;
}

export interface PipelineHistory {
  name: string;
  /** The last hour, oldest first: 60 minutes. */
  minutes: MinuteCounts[];
}

/** `GET /pipelines/{name}/history`: the hour and the worker that answered. */
export interface HistoryResponse extends PipelineHistory {
  worker_id: string;
}
