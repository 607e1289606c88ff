import type avsc from 'avsc';
import type { Serde } from '../avro/serde/serde.js';
import { parseSchema, type AvroSchema } from '../avro/schema.js';

/**
 * The results topic: one record per processed command, keyed like the command, so pipelines
 * can chain on it (a created candidate's id feeding an application create). Avro with the
 * schema below when `value_format: avro` (registered like every other value schema), the same
 * fields as JSON when `value_format: json`. docs/sink.md documents both.
 */
export type ResultStatus = 'ok' | 'dead_lettered';

export interface CommandResult {
  status: ResultStatus;
  entity: string;
  operation: string | null;
  /** `created`, `updated`, `unchanged` (already done before a crash), or `partially_applied` (dead-lettered after some steps applied). */
  action: string | null;
  ashbyId: string | null;
  /** A dry run's result: nothing was written; `problems` is what the checks found. */
  dryRun?: boolean;
  problems?: string[];
  /** The record's `updatedAt` as the write returned it: the source's loop guard matches on it (src/source/loop-guard.ts). */
  ashbyUpdatedAt?: Date | null;
  requestId: string | null;
  idempotencyKey: string | null;
  error: { code: string; message: string } | null;
  sourceTopic: string;
  sourcePartition: number;
  sourceOffset: number;
  processedAt: Date;
}

/** Declared here; `npm run docs` writes it to schemas/results/command-result.avsc, which ships (test/docs/generated.test.ts checks they agree). */
export const COMMAND_RESULT_SCHEMA: AvroSchema = {
  type: 'record',
  name: 'CommandResult',
  namespace: 'io.ashbykafka.v1.result',
  doc: 'What the ashby-kafka sink did with one command. Keyed like the command.',
  fields: [
    {
      name: 'status',
      type: {
        type: 'enum',
        name: 'CommandStatus',
        namespace: 'io.ashbykafka.v1.result',
        symbols: ['ok', 'dead_lettered'],
        doc: 'Outcome.',
      },
      doc: 'ok: applied (or found already applied); dead_lettered: sent to the dead-letter topic, see error.',
    },
    { name: 'entity', type: 'string', doc: 'candidate, job, application or offer.' },
    {
      name: 'operation',
      type: ['null', 'string'],
      default: null,
      doc: 'The command operation; null when the command could not be decoded.',
    },
    {
      name: 'action',
      type: ['null', 'string'],
      default: null,
      doc: 'created, updated, unchanged (a redelivered command whose effect was already in place), or partially_applied (dead-lettered after some of its calls applied; see ashbyId).',
    },
    {
      name: 'ashbyId',
      type: ['null', 'string'],
      default: null,
      doc: 'Id of the Ashby record created or updated (also set for a dead-lettered command whose create did apply).',
    },
    {
      name: 'requestId',
      type: ['null', 'string'],
      default: null,
      doc: 'Ashby request id of the main call, or of the failed call.',
    },
    {
      name: 'idempotencyKey',
      type: ['null', 'string'],
      default: null,
      doc: 'The command idempotencyKey, when it had one.',
    },
    {
      name: 'error',
      type: [
        'null',
        {
          type: 'record',
          name: 'CommandError',
          namespace: 'io.ashbykafka.v1.result',
          doc: 'Why the command was dead-lettered.',
          fields: [
            { name: 'code', type: 'string', doc: 'Stable error code, e.g. COMMAND_INVALID, ASHBY_API_ERROR.' },
            { name: 'message', type: 'string', doc: 'What went wrong and what to do.' },
          ],
        },
      ],
      default: null,
      doc: 'Set when status is dead_lettered.',
    },
    { name: 'sourceTopic', type: 'string', doc: 'Topic of the command.' },
    { name: 'sourcePartition', type: 'int', doc: 'Partition of the command.' },
    { name: 'sourceOffset', type: 'long', doc: 'Offset of the command.' },
    {
      name: 'processedAt',
      type: { type: 'long', logicalType: 'timestamp-millis' },
      doc: 'When the sink finished the command.',
    },
    {
      name: 'ashbyUpdatedAt',
      type: ['null', { type: 'long', logicalType: 'timestamp-millis' }],
      default: null,
      doc: "updatedAt of the record as the write returned it; a two-way sync's loop guard matches the source's records on ashbyId and this.",
    },
    {
      name: 'dryRun',
      type: 'boolean',
      default: false,
      doc: "A dry run's result: the command was planned and checked, nothing was written.",
    },
    {
      name: 'problems',
      type: { type: 'array', items: 'string' },
      default: [],
      doc: "What the dry run's checks against live Ashby metadata found; empty when none.",
    },
  ],
};

let resultType: avsc.Type | undefined;

export function commandResultType(): avsc.Type {
  resultType ??= parseSchema(COMMAND_RESULT_SCHEMA, 'CommandResult');
  return resultType;
}

export function resultToJson(r: CommandResult): Record<string, unknown> {
  return {
    ...r,
    processedAt: r.processedAt.toISOString(),
    ashbyUpdatedAt: r.ashbyUpdatedAt ? r.ashbyUpdatedAt.toISOString() : null,
  };
}

/** A results record read back (the source's loop guard reads the results topic). */
export async function decodeResult(
  format: 'avro' | 'json',
  serde: Serde | undefined,
  topic: string,
  bytes: Buffer,
): Promise<CommandResult> {
  if (format === 'json' || !serde) {
    const json = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
    return {
      ...(json as unknown as CommandResult),
      processedAt: new Date(json.processedAt as string),
      ashbyUpdatedAt: typeof json.ashbyUpdatedAt === 'string' ? new Date(json.ashbyUpdatedAt) : null,
    };
  }
  return (await serde.decodeValue(topic, bytes, commandResultType())) as CommandResult;
}

export async function encodeResult(
  format: 'avro' | 'json',
  serde: Serde | undefined,
  topic: string,
  r: CommandResult,
): Promise<Buffer> {
  if (format === 'json' || !serde) return Buffer.from(JSON.stringify(resultToJson(r)));
  return serde.encodeValue(topic, commandResultType(), r);
}
