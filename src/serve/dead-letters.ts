import { COMMAND_ENTITIES, loadContract, type CommandEntity, type Contract } from '../avro/contract.js';
import { createSerde } from '../avro/serde/create-serde.js';
import type { Serde } from '../avro/serde/serde.js';
import { rdkafkaConfig } from '../config/kafka-options.js';
import type { PipelineConfig } from '../config/schema.js';
import { serdeConfigFrom } from '../config/serde-options.js';
import { AshbyKafkaError } from '../errors.js';
import { KafkaProducer, type ConsumedMessage } from '../kafka/index.js';
import { readTopicWindow } from '../kafka/topic-reader.js';
import { DLQ_HEADERS, RESENT_FROM_HEADER } from '../sink/dead-letters.js';
import { createCommandMapper, type CommandMapper } from '../sink/operations/command-mapping.js';
import { ServeError } from './errors.js';
import type { DeadLetterPage, DeadLetterView } from './rest/response-types.js';

/**
 * A sink pipeline's dead letters, for `GET /pipelines/{name}/dead-letters` and their re-send
 * (docs/serve.md#dead-letters). Each is decoded as the sink wrote it (the command's Avro or
 * JSON, the `__connect.errors.*` headers of src/sink/dead-letters.ts). A re-send validates the
 * edited command as the sink will (schema, then the operation's fields) and produces it to
 * the command topic it came from with its idempotency key: the original one, or one derived
 * from the dead letter's position when it had none, so re-sending twice applies once.
 */
export type { DeadLetterPage, DeadLetterView } from './rest/response-types.js';

/** Upper bound of one page, per partition of the dead-letter topic. */
export const DEAD_LETTER_PAGE_MAX = 200;

const text = (h: Record<string, Buffer>, name: string): string | null => h[name]?.toString('utf8') ?? null;
const num = (h: Record<string, Buffer>, name: string): number | null => {
  const t = text(h, name);
  return t === null || !/^\d+$/.test(t) ? null : Number(t);
};

/** Avro values as JSON the sink's JSON format takes back: dates as ISO text, bytes as base64, no nulls. */
function toJson(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Buffer.isBuffer(value)) return value.toString('base64');
  if (Array.isArray(value)) return value.map(toJson);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== null && v !== undefined) out[k] = toJson(v);
    return out;
  }
  return value;
}

export class DeadLetters {
  private readonly contract: Contract;
  private readonly mapper: CommandMapper;

  constructor(contract: Contract = loadContract()) {
    this.contract = contract;
    this.mapper = createCommandMapper(contract);
  }

  async list(config: PipelineConfig, opts: { limit: number; from?: number }): Promise<DeadLetterPage> {
    const d = this.destination(config);
    const messages = await readTopicWindow({
      rd: rdkafkaConfig(config.kafka),
      topic: d.dead_letter_topic,
      limit: Math.min(opts.limit, DEAD_LETTER_PAGE_MAX),
      ...(opts.from !== undefined ? { from: opts.from } : {}),
    });
    const serde = this.serde(config);
    try {
      const views = await Promise.all(messages.map((m) => this.view(config, m, serde)));
      views.sort((a, b) => (b.timestamp ?? '').localeCompare(a.timestamp ?? '') || b.offset - a.offset);
      return { topic: d.dead_letter_topic, value_format: d.value_format, dead_letters: views };
    } finally {
      await serde?.close();
    }
  }

  /** Re-sends one dead letter, its command replaced by `command` (validated first); resolves with where it went. */
  async resend(
    config: PipelineConfig,
    id: string,
    command: Record<string, unknown>,
  ): Promise<{ topic: string; partition: number; offset: number; idempotency_key: string }> {
    const d = this.destination(config);
    const m = /^(\d+)-(\d+)$/.exec(id);
    if (!m)
      throw new ServeError(
        'SERVE_BAD_REQUEST',
        `dead letter id ${id}: expected <partition>-<offset>, as GET …/dead-letters lists them`,
      );
    const [partition, offset] = [Number(m[1]), Number(m[2])];
    const rd = rdkafkaConfig(config.kafka);
    const [letter] = (await readTopicWindow({ rd, topic: d.dead_letter_topic, limit: 1, from: offset })).filter(
      (x) => x.partition === partition && x.offset === offset,
    );
    if (!letter)
      throw new ServeError(
        'SERVE_NOT_FOUND',
        `no dead letter ${id} in ${d.dead_letter_topic}; list the current ones with GET …/dead-letters (a topic's retention may have removed it)`,
        { id },
      );
    const topic = text(letter.headers, DLQ_HEADERS.topic);
    const route = d.topics.find((t) => t.topic === topic);
    if (!route)
      throw new ServeError(
        'SERVE_CONFLICT',
        `dead letter ${id} came from ${topic ?? 'an unknown topic'}, which is not a command topic of this pipeline; add that topic to destination.topics, or produce the fixed command to its topic yourself`,
        { id },
      );
    const entity = route.entity as CommandEntity;
    const serde = this.serde(config);
    try {
      const original = await this.decode(config, letter, entity, serde).catch(() => undefined);
      const key =
        typeof original?.idempotencyKey === 'string'
          ? original.idempotencyKey
          : `dead-letter:${d.dead_letter_topic}/${partition}/${offset}`;
      if (command.idempotencyKey !== undefined && command.idempotencyKey !== null && command.idempotencyKey !== key)
        throw new ServeError(
          'SERVE_BAD_REQUEST',
          `idempotencyKey cannot change on a re-send (it is what keeps the command from applying twice): leave it out or send ${key}`,
          { id },
        );
      const edited = { ...command, idempotencyKey: key };
      let value: Record<string, unknown>;
      try {
        value = this.mapper.parseJsonCommand(entity, edited);
        this.mapper.commandToRequests(entity, value);
      } catch (err) {
        if (err instanceof AshbyKafkaError)
          throw new ServeError('SERVE_BAD_REQUEST', `the edited command is not valid: ${err.message}`, {
            id,
            problems: [err.message],
          });
        throw err;
      }
      const bytes = serde
        ? await serde.encodeValue(route.topic, this.contract.commandType(entity), value)
        : Buffer.from(JSON.stringify(edited)); // the JSON the sink parses, validated here the same way
      const headers: Record<string, string | Buffer> = {};
      for (const [k, v] of Object.entries(letter.headers)) if (!k.startsWith('__connect.errors.')) headers[k] = v;
      headers[RESENT_FROM_HEADER] = `${d.dead_letter_topic}/${partition}/${offset}`;
      const producer = await KafkaProducer.connect({ config: rd });
      try {
        const delivery = await producer.send({ topic: route.topic, key: letter.key, value: bytes, headers });
        return { topic: delivery.topic, partition: delivery.partition, offset: delivery.offset, idempotency_key: key };
      } finally {
        await producer.close();
      }
    } finally {
      await serde?.close();
    }
  }

  private destination(config: PipelineConfig): NonNullable<PipelineConfig['destination']> {
    if (!config.destination)
      throw new ServeError('SERVE_BAD_REQUEST', 'only a sink pipeline has dead letters; this one is a source');
    return config.destination;
  }

  private serde(config: PipelineConfig): Serde | undefined {
    return config.destination?.value_format === 'avro'
      ? createSerde(serdeConfigFrom(config), this.contract)
      : undefined;
  }

  private async decode(
    config: PipelineConfig,
    m: ConsumedMessage,
    entity: CommandEntity,
    serde: Serde | undefined,
  ): Promise<Record<string, unknown>> {
    if (!m.value || m.value.length === 0) throw new Error('the dead letter has no value');
    const topic = text(m.headers, DLQ_HEADERS.topic) ?? config.destination!.dead_letter_topic;
    if (!serde) return JSON.parse(m.value.toString('utf8')) as Record<string, unknown>;
    return toJson(await serde.decodeValue(topic, m.value, this.contract.commandType(entity))) as Record<
      string,
      unknown
    >;
  }

  private async view(config: PipelineConfig, m: ConsumedMessage, serde: Serde | undefined): Promise<DeadLetterView> {
    const h = m.headers;
    const origin = text(h, DLQ_HEADERS.topic);
    const entity =
      config.destination!.topics.find((t) => t.topic === origin)?.entity ?? text(h, DLQ_HEADERS.entity) ?? null;
    const out: DeadLetterView = {
      id: `${m.partition}-${m.offset}`,
      partition: m.partition,
      offset: m.offset,
      timestamp: m.timestamp ? new Date(m.timestamp).toISOString() : null,
      key: m.key ? m.key.toString('utf8') : null,
      error: {
        code: text(h, DLQ_HEADERS.code),
        message: text(h, DLQ_HEADERS.message),
        stage: text(h, DLQ_HEADERS.stage),
        attempts: num(h, DLQ_HEADERS.attempts),
        request_id: text(h, DLQ_HEADERS.requestId),
        endpoint: text(h, DLQ_HEADERS.endpoint),
        applied: text(h, DLQ_HEADERS.applied),
        at: text(h, DLQ_HEADERS.timestamp),
      },
      original: { topic: origin, partition: num(h, DLQ_HEADERS.partition), offset: num(h, DLQ_HEADERS.offset) },
      entity,
      operation: text(h, DLQ_HEADERS.operation),
    };
    try {
      if (!entity || !(COMMAND_ENTITIES as readonly string[]).includes(entity)) throw new Error('unknown entity');
      out.command = await this.decode(config, m, entity as CommandEntity, serde);
    } catch (err) {
      out.decode_error = err instanceof Error ? err.message : String(err);
      if (m.value) out.raw = serde ? m.value.toString('base64') : m.value.toString('utf8');
    }
    return out;
  }
}
