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
  requestId: string | null;
  idempotencyKey: string | null;
  error: { code: string; message: string } | null;
  sourceTopic: string;
  sourcePartition: number;
  sourceOffset: number;
  processedAt: Date;
}

/** Kept in code rather than schemas/ because schemas/ is exactly the generator's output (test/tools/avro-generate.test.ts). */
export const COMMAND_RESULT_SCHEMA: AvroSchema = {
  type: 'record',
  name: 'CommandResult',
  namespace: 'io.ashbykafka.v1.result',
  doc: 'What the ashby-kafka sink did with one command. Keyed like the command.',
  fields: [
    {
      name: 'status',
      type: { type: 'enum', name: 'CommandStatus', namespace: 'io.ashbykafka.v1.result', symbols: ['ok', 'dead_lettered'], doc: 'Outcome.' },
      doc: 'ok: applied (or found already applied); dead_lettered: sent to the dead-letter topic, see error.',
    },
    { name: 'entity', type: 'string', doc: 'candidate, job, application or offer.' },
    { name: 'operation', type: ['null', 'string'], default: null, doc: 'The command operation; null when the command could not be decoded.' },
    { name: 'action', type: ['null', 'string'], default: null, doc: 'created, updated, unchanged (a redelivered command whose effect was already in place), or partially_applied (dead-lettered after some of its calls applied; see ashbyId).' },
    { name: 'ashbyId', type: ['null', 'string'], default: null, doc: 'Id of the Ashby record created or updated (also set for a dead-lettered command whose create did apply).' },
    { name: 'requestId', type: ['null', 'string'], default: null, doc: 'Ashby request id of the main call, or of the failed call.' },
    { name: 'idempotencyKey', type: ['null', 'string'], default: null, doc: 'The command idempotencyKey, when it had one.' },
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
    { name: 'processedAt', type: { type: 'long', logicalType: 'timestamp-millis' }, doc: 'When the sink finished the command.' },
  ],
};

let resultType: avsc.Type | undefined;

export function commandResultType(): avsc.Type {
  resultType ??= parseSchema(COMMAND_RESULT_SCHEMA, 'CommandResult');
  return resultType;
}

export function resultToJson(r: CommandResult): Record<string, unknown> {
  return { ...r, processedAt: r.processedAt.toISOString() };
}

export async function encodeResult(format: 'avro' | 'json', serde: Serde | undefined, topic: string, r: CommandResult): Promise<Buffer> {
  if (format === 'json' || !serde) return Buffer.from(JSON.stringify(resultToJson(r)));
  return serde.encodeValue(topic, commandResultType(), r);
}
