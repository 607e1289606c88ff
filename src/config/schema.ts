import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { DEFAULT_REGISTRY_RETRY, DEFAULT_REGISTRY_TIMEOUT_MS } from '../avro/registry/defaults.js';
import { HEADER_NAMES } from '../source/headers.js';

/**
 * The pipeline config, declared once. This schema yields:
 * - the TypeScript type (`PipelineConfig`, after defaults: every defaulted field is present),
 * - runtime validation with defaults and errors that name the path (config/load.ts),
 * - the reference docs in docs/config.md (config/docs.ts; a test keeps them in sync),
 * - redaction: fields marked `secret: true` are registered with the logger's scrubber on load.
 *
 * Keys are snake_case because users write them in YAML; the stable keys of the issue
 * contracts (ashby.api_key, source.topic_prefix, destination.topics, …) must not change.
 */

/** Options for a field whose value must never be printed. */
const secret = { secret: true } as const;

/** A duration: seconds as a number, or "500ms", "30s", "15m", "1h" (parsed by config/duration.ts). */
const duration = (defaultValue: string, description: string) =>
  Type.Union([Type.String({ pattern: '^\\d+(ms|s|m|h)$' }), Type.Integer({ minimum: 0 })], {
    default: defaultValue,
    description: `${description} A number of seconds, or a string such as "30s", "15m", "1h".`,
  });

const AshbyTimeouts = Type.Object(
  {
    connect_ms: Type.Integer({ minimum: 1, default: 10_000, description: 'TCP/TLS connect timeout.' }),
    headers_ms: Type.Integer({ minimum: 1, default: 60_000, description: 'Time to wait for response headers.' }),
    body_ms: Type.Integer({ minimum: 1, default: 60_000, description: 'Time allowed between body chunks.' }),
  },
  { additionalProperties: false, default: {}, description: 'HTTP timeouts for Ashby calls.' },
);

/** A retry schedule (`ashby.retry`, `schema_registry.retry`); the loop itself is src/retry.ts. */
const RetrySchedule = (defaults: { retries: number; minDelayMs: number; maxDelayMs: number }, description: string) =>
  Type.Object(
    {
      retries: Type.Integer({
        minimum: 0,
        maximum: 100,
        default: defaults.retries,
        description: 'Retries of a retriable failure before giving up.',
      }),
      min_delay_ms: Type.Integer({
        minimum: 0,
        default: defaults.minDelayMs,
        description: 'First backoff delay (doubles each retry, with jitter).',
      }),
      max_delay_ms: Type.Integer({ minimum: 0, default: defaults.maxDelayMs, description: 'Longest backoff delay.' }),
    },
    { additionalProperties: false, default: {}, description },
  );

const AshbyRetry = RetrySchedule(
  { retries: 8, minDelayMs: 500, maxDelayMs: 30_000 },
  'Retries of 429, 5xx and network failures (reads always; writes only when safe).',
);

const AshbyRate = Type.Object(
  {
    requests_per_second: Type.Number({
      exclusiveMinimum: 0,
      default: 15,
      description: 'Steady request rate shared by every stream and writer using this key.',
    }),
    burst: Type.Integer({ minimum: 1, default: 30, description: 'Requests allowed in a burst above the steady rate.' }),
    max_concurrent: Type.Integer({
      minimum: 1,
      maximum: 64,
      default: 8,
      description: 'Requests in flight at once for this key.',
    }),
  },
  {
    additionalProperties: false,
    default: {},
    description: 'The per-key request budget. Ashby publishes no number; lower it if you see 429s.',
  },
);

export const AshbyConfigSchema = Type.Object(
  {
    api_key: Type.Optional(
      Type.String({
        minLength: 1,
        ...secret,
        description: 'The Ashby API key. Prefer `${ASHBY_API_KEY}` or `credential`; never commit a key.',
      }),
    ),
    credential: Type.Optional(
      Type.String({
        minLength: 1,
        description: 'Name of a key in the credential store (`ashby-kafka credentials add NAME`).',
      }),
    ),
    base_url: Type.String({
      pattern: '^https?://',
      default: 'https://api.ashbyhq.com',
      description: 'Ashby API base URL (the sandbox prints its own).',
    }),
    ashby_version: Type.Optional(
      Type.String({ description: 'Pin an API version with the `Ashby-Version` header, e.g. "2026-01-01".' }),
    ),
    timeouts: AshbyTimeouts,
    retry: AshbyRetry,
    rate: AshbyRate,
  },
  { additionalProperties: false, description: 'How to reach Ashby. Exactly one of `api_key` or `credential`.' },
);

const KafkaSecurity = Type.Object(
  {
    protocol: Type.Union(
      [Type.Literal('plaintext'), Type.Literal('ssl'), Type.Literal('sasl_plaintext'), Type.Literal('sasl_ssl')],
      {
        default: 'plaintext',
        description: 'librdkafka `security.protocol`.',
      },
    ),
    sasl_mechanism: Type.Optional(
      Type.Union([Type.Literal('PLAIN'), Type.Literal('SCRAM-SHA-256'), Type.Literal('SCRAM-SHA-512')], {
        description: 'SASL mechanism.',
      }),
    ),
    username: Type.Optional(Type.String({ description: 'SASL username.' })),
    password: Type.Optional(Type.String({ ...secret, description: 'SASL password.' })),
    ca_location: Type.Optional(Type.String({ description: 'Path to a CA bundle for TLS.' })),
  },
  { additionalProperties: false, default: {}, description: 'Connection security.' },
);

export const KafkaConfigSchema = Type.Object(
  {
    bootstrap_servers: Type.String({
      minLength: 1,
      default: '127.0.0.1:9092',
      description: 'Comma-separated host:port list.',
    }),
    client_id: Type.String({ default: 'ashby-kafka', description: 'Client id reported to the brokers.' }),
    group_id: Type.String({ default: 'ashby-writer', description: 'Consumer group of the destination (sink).' }),
    security: KafkaSecurity,
    librdkafka: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean()]), {
      default: {},
      description:
        'Extra librdkafka properties, passed through as-is. Values of keys containing "password" or "secret" are redacted from logs.',
    }),
  },
  { additionalProperties: false, default: {}, description: 'The Kafka cluster.' },
);

export const SchemaRegistryConfigSchema = Type.Object(
  {
    url: Type.String({
      pattern: '^https?://',
      description:
        'Confluent-compatible registry API, e.g. Apicurio `…/apis/ccompat/v7`. Omit the whole section to use Avro single-object encoding.',
    }),
    username: Type.Optional(Type.String({ description: 'Basic-auth user.' })),
    password: Type.Optional(Type.String({ ...secret, description: 'Basic-auth password.' })),
    bearer_token: Type.Optional(Type.String({ ...secret, description: 'Bearer token (instead of basic auth).' })),
    compatibility: Type.Union(
      ['BACKWARD', 'BACKWARD_TRANSITIVE', 'FORWARD', 'FORWARD_TRANSITIVE', 'FULL', 'FULL_TRANSITIVE', 'NONE'].map((v) =>
        Type.Literal(v),
      ),
      { default: 'BACKWARD', description: 'Compatibility level set on each subject we register.' },
    ),
    subject_strategy: Type.Union([Type.Literal('topic'), Type.Literal('record')], {
      default: 'topic',
      description: '`topic`: subject `<topic>-value`; `record`: subject = the record full name.',
    }),
    timeout_ms: Type.Integer({
      minimum: 1,
      default: DEFAULT_REGISTRY_TIMEOUT_MS,
      description:
        'Time allowed for one registry request (connect, headers and body). A request that takes longer is abandoned and retried.',
    }),
    retry: RetrySchedule(
      DEFAULT_REGISTRY_RETRY,
      'Retries of registry requests that time out, fail to connect, or get 429 or 5xx. Every registry call is idempotent (registering a schema again returns its id), so all are retried.',
    ),
  },
  { additionalProperties: false, description: 'Schema registry for Confluent wire format.' },
);

const TopicSettings = Type.Object(
  {
    partitions: Type.Integer({ minimum: 1, default: 3, description: 'Partitions of topics we create.' }),
    replication_factor: Type.Integer({
      minimum: 1,
      default: 1,
      description:
        'Replication factor of topics we create (the state topic included). 1 suits a one-broker development cluster: use 3 in production.',
    }),
    cleanup_policy: Type.Union([Type.Literal('compact'), Type.Literal('delete'), Type.Literal('compact,delete')], {
      default: 'compact',
      description: 'Cleanup policy of record topics we create; `compact` keeps the latest version of each Ashby id.',
    }),
  },
  {
    additionalProperties: false,
    default: {},
    description: 'Settings for topics created when missing (existing topics are left alone).',
  },
);

/** The webhook receiver of the source (docs/webhooks.md). Ashby's deliveries ring a doorbell: they trigger an immediate incremental pull. */
const SourceWebhooks = Type.Object(
  {
    host: Type.String({
      default: '127.0.0.1',
      description:
        'Interface the receiver binds. Terminate TLS in a reverse proxy in front of it; Ashby only delivers to https URLs.',
    }),
    port: Type.Integer({
      minimum: 0,
      maximum: 65_535,
      description: 'Port the receiver listens on (0: any free port, logged at start).',
    }),
    path: Type.String({ pattern: '^/', default: '/webhooks/ashby', description: 'Path Ashby posts to.' }),
    secret: Type.Optional(
      Type.String({
        minLength: 1,
        ...secret,
        description:
          "The webhook's secret token (HMAC-SHA256 key of `Ashby-Signature`). Use `${ENV_VAR}`, or `credential` instead; never commit it.",
      }),
    ),
    credential: Type.Optional(
      Type.String({
        minLength: 1,
        description:
          'Name of a credential-store entry holding the secret token (`ashby-kafka credentials add NAME`), instead of `secret`.',
      }),
    ),
    public_url: Type.Optional(
      Type.String({
        pattern: '^https?://',
        description:
          'The URL Ashby reaches the receiver at (through the proxy): what `webhooks register` registers and `check` probes.',
      }),
    ),
    max_body_bytes: Type.Integer({
      minimum: 1_024,
      default: 1_048_576,
      description: 'Larger deliveries are refused with 413 and counted.',
    }),
    replay_window: duration(
      '10m',
      'A delivery whose body was already accepted within this window is acknowledged but dropped (its event id is the SHA-256 of the signed body).',
    ),
    coalesce: duration('250ms', 'Events arriving within this window after the first one share one pull per stream.'),
  },
  {
    additionalProperties: false,
    description:
      'Receive Ashby webhooks while running continuously (not with `--once`): deliveries trigger immediate incremental pulls of the streams they concern, and deletes and merges become tombstones.',
  },
);

export const SourceConfigSchema = Type.Object(
  {
    streams: Type.Union([Type.Literal('all'), Type.Array(Type.String({ minLength: 1 }), { minItems: 1 })], {
      default: 'all',
      description:
        '`all` (every stream enabled by default that the key can read), or a list of stream names. A listed stream the key cannot read fails the run.',
    }),
    exclude: Type.Array(Type.String(), { default: [], description: 'Streams to leave out of `all`.' }),
    topic_prefix: Type.String({ default: 'ashby.', description: 'Topic name = `<topic_prefix><stream>`.' }),
    headers: Type.Union(
      [
        Type.Literal('none'),
        Type.Literal('all'),
        Type.Array(Type.Union(HEADER_NAMES.map((name) => Type.Literal(name))), { uniqueItems: true }),
      ],
      {
        default: 'none',
        description: `Kafka headers on each record: \`none\`, \`all\`, or a list of ${HEADER_NAMES.map((n) => `\`${n}\``).join(', ')} (docs/source.md#records). Each record's Kafka timestamp is the time its page was encoded either way. Headers cost CPU on every record: a worker writing none spends 13–25 % less per record than one writing all five (docs/benchmarks.md).`,
      },
    ),
    mode: Type.Union([Type.Literal('incremental'), Type.Literal('full_refresh')], {
      default: 'incremental',
      description:
        '`incremental` uses Ashby sync tokens after the first pass; `full_refresh` re-reads everything each pass.',
    }),
    state: Type.String({
      pattern: '^(kafka|file:.+)$',
      default: 'kafka',
      description: 'Where sync tokens are kept: `kafka` (a compacted topic) or `file:<path>`.',
    }),
    state_topic: Type.String({
      default: 'ashby-kafka.state',
      description: 'Compacted topic holding stream state when `state: kafka`.',
    }),
    interval: duration('15m', 'Pause between passes when running continuously (without `--once`).'),
    checkpoint_interval: duration(
      '10s',
      'At-least-once: how often an unfinished pass stores the cursor after its last fully acknowledged page, so a crashed pass resumes there instead of starting over (0 = after every page).',
    ),
    exactly_once: Type.Boolean({
      default: false,
      description:
        'Write each page and its state in one Kafka transaction; `read_committed` consumers never see duplicates.',
    }),
    concurrency: Type.Integer({
      minimum: 1,
      maximum: 32,
      default: 4,
      description: "Streams read at once (all share the key's rate budget).",
    }),
    key_format: Type.Union([Type.Literal('string'), Type.Literal('avro')], {
      default: 'string',
      description: 'Record key encoding: the Ashby id as UTF-8, or as an Avro string.',
    }),
    topics: TopicSettings,
    webhooks: Type.Optional(SourceWebhooks),
    deletions_topic: Type.Optional(
      Type.String({
        minLength: 1,
        description:
          'Topic of deletion records (schemas/deletions.avsc): one per tombstone, saying why the record left. Default `<topic_prefix>deletions`.',
      }),
    ),
    reconcile_deletes: Type.Union(
      [Type.Literal('off'), Type.String({ pattern: '^\\d+(ms|s|m|h)$' }), Type.Integer({ minimum: 0 })],
      {
        default: 'off',
        description:
          'Delete reconciliation while running continuously: this often (e.g. "24h"; seconds as a number; `off` or 0 = never), after a pass, compare the ids each top-level stream\'s full listing returns with the live keys of its topic, and write a tombstone and a deletions record for each key Ashby no longer lists (docs/webhooks.md). The first one runs after the first pass.',
      },
    ),
    reconcile_invisible: Type.Union([Type.Literal('report'), Type.Literal('tombstone')], {
      default: 'report',
      description:
        'Reconciliation: a missing record that the key may only have lost sight of (it lost confidential access) is reported in the deletions topic as `no_longer_visible` without a tombstone (`report`), or tombstoned too (`tombstone`).',
    }),
    loop_guard: Type.Optional(
      Type.Object(
        {
          results_topic: Type.String({
            minLength: 1,
            description: "The sink's `destination.results_topic`, read before each pass.",
          }),
          value_format: Type.Union([Type.Literal('avro'), Type.Literal('json')], {
            default: 'avro',
            description: "The sink's `destination.value_format` (how its results are encoded).",
          }),
        },
        {
          additionalProperties: false,
          description:
            'Two-way sync: mark records whose latest change is a sink write (matched on id and the `updatedAt` the write returned) with headers `ashby.origin: ashby-kafka-sink` and `ashby.idempotency_key`, so a pipeline feeding the sink can drop its own echoes (docs/two-way-sync.md).',
        },
      ),
    ),
  },
  { additionalProperties: false, description: 'Ashby → Kafka.' },
);

const DestinationTopic = Type.Object(
  {
    topic: Type.String({ minLength: 1, description: 'Command topic to consume.' }),
    entity: Type.Union(
      [
        Type.Literal('candidate'),
        Type.Literal('job'),
        Type.Literal('application'),
        Type.Literal('offer'),
        Type.Literal('interview_schedule'),
      ],
      {
        description: 'Which command schema the topic carries.',
      },
    ),
  },
  { additionalProperties: false },
);

export const DestinationConfigSchema = Type.Object(
  {
    topics: Type.Array(DestinationTopic, {
      minItems: 1,
      description: 'Command topics and the entity each one carries.',
    }),
    value_format: Type.Union([Type.Literal('avro'), Type.Literal('json')], {
      default: 'avro',
      description: 'Encoding of command values.',
    }),
    on_permission_error: Type.Union([Type.Literal('fail'), Type.Literal('dlq')], {
      default: 'fail',
      description: '`fail`: stop without committing the command, exit non-zero; `dlq`: dead-letter it and go on.',
    }),
    dead_letter_topic: Type.String({
      default: 'ashby.commands.dlq',
      description: 'Where undecodable or rejected commands go, with error headers.',
    }),
    results_topic: Type.String({
      default: 'ashby.commands.results',
      description: 'One result record per processed command.',
    }),
    ledger_topic: Type.String({ default: 'ashby-kafka.ledger', description: 'Compacted idempotency ledger.' }),
    concurrency: Type.Integer({
      minimum: 1,
      maximum: 64,
      default: 8,
      description: 'Commands with different keys applied at once.',
    }),
    max_error_rate: Type.Number({
      minimum: 0,
      maximum: 1,
      default: 0.5,
      description:
        'Stop when more than this share of the last `error_window` commands was dead-lettered (judged once `error_window` commands have run).',
    }),
    error_window: Type.Integer({
      minimum: 1,
      default: 100,
      description: 'Commands over which `max_error_rate` is measured.',
    }),
    files: Type.Object(
      {
        max_bytes: Type.Integer({
          minimum: 1,
          default: 10 * 1024 * 1024,
          description:
            'Largest file an upload command may name by URL; a larger one is dead-lettered with SINK_FILE_TOO_LARGE.',
        }),
        max_inline_bytes: Type.Integer({
          minimum: 1,
          default: 1024 * 1024,
          description: 'Largest file an upload command may carry inline (base64 `bytes`).',
        }),
        timeout: duration('30s', 'Deadline for downloading one file (connect, headers and body).'),
        content_types: Type.Array(Type.String({ minLength: 1 }), {
          default: [
            'application/pdf',
            'application/msword',
            'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
            'text/plain',
            'image/*',
          ],
          description: 'Media types an uploaded file may have (`image/*` matches every image type; empty accepts any).',
        }),
      },
      {
        additionalProperties: false,
        default: {},
        description: 'Limits for candidate.uploadFile / uploadResume files (downloaded over https, or inline).',
      },
    ),
    dry_run: Type.Boolean({
      default: false,
      description:
        'Plan every command and check it against live Ashby metadata (stages, archive reasons, tags, sources, users, custom fields) without writing to Ashby or the ledger; each command gets a result with `dryRun: true` and the `problems` found. `sink --dry-run` sets it.',
    }),
    lookup_before_create: Type.Boolean({
      default: false,
      description:
        'Look up matching candidates/jobs before each create, so settling an unknown outcome (a timeout after sending) never adopts an older identical record. Costs one read per create, about half the create rate at the rate limit.',
    }),
  },
  { additionalProperties: false, description: 'Kafka → Ashby.' },
);

export const LoggingConfigSchema = Type.Object(
  {
    level: Type.Union(
      ['trace', 'debug', 'info', 'warn', 'error', 'silent'].map((v) => Type.Literal(v)),
      { default: 'info', description: 'Log level.' },
    ),
    format: Type.Union([Type.Literal('auto'), Type.Literal('json'), Type.Literal('pretty')], {
      default: 'auto',
      description: '`auto`: pretty on a terminal, JSON lines otherwise.',
    }),
  },
  { additionalProperties: false, default: {}, description: 'Logging.' },
);

export const PipelineConfigSchema = Type.Object(
  {
    ashby: AshbyConfigSchema,
    kafka: KafkaConfigSchema,
    schema_registry: Type.Optional(SchemaRegistryConfigSchema),
    source: Type.Optional(SourceConfigSchema),
    destination: Type.Optional(DestinationConfigSchema),
    logging: LoggingConfigSchema,
  },
  { additionalProperties: false, description: 'An ashby-kafka pipeline.' },
);

export type PipelineConfig = Static<typeof PipelineConfigSchema>;
export type AshbyConfig = Static<typeof AshbyConfigSchema>;
export type KafkaConfig = Static<typeof KafkaConfigSchema>;
export type SchemaRegistryConfig = Static<typeof SchemaRegistryConfigSchema>;
export type SourceConfig = Static<typeof SourceConfigSchema>;
export type DestinationConfig = Static<typeof DestinationConfigSchema>;
export type LoggingConfig = Static<typeof LoggingConfigSchema>;

/** Dotted paths (with `*` for record keys / array items) of every field marked secret. */
export function secretPaths(schema: TSchema = PipelineConfigSchema, prefix = ''): string[] {
  const s = schema as TSchema & {
    secret?: boolean;
    properties?: Record<string, TSchema>;
    items?: TSchema;
    anyOf?: TSchema[];
  };
  const out: string[] = [];
  if (s.secret) out.push(prefix);
  if (s.properties)
    for (const [k, v] of Object.entries(s.properties)) out.push(...secretPaths(v, prefix ? `${prefix}.${k}` : k));
  if (s.items) out.push(...secretPaths(s.items, `${prefix}.*`));
  if (s.anyOf) for (const v of s.anyOf) out.push(...secretPaths(v, prefix));
  return [...new Set(out)];
}
