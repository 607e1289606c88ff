import { Type, type Static } from '@sinclair/typebox';
import { KafkaConfigSchema, LoggingConfigSchema, SchemaRegistryConfigSchema } from '../../config/schema.js';

/**
 * The worker config of `ashby-kafka serve`, declared once like the pipeline config: the same
 * loader rules (defaults, errors naming the path, `${ENV}`), and docs/serve-config.md is
 * generated from it (`npm run docs`). The contract keys (kafka.bootstrap_servers,
 * schema_registry.url, worker.id, worker.group_id, worker.rest.host/port/tokens) must not change.
 */

const secret = { secret: true } as const;

const RestSchema = Type.Object(
  {
    host: Type.String({
      default: '127.0.0.1',
      description: 'Interface the REST API listens on (`0.0.0.0` in a container).',
    }),
    port: Type.Integer({
      minimum: 0,
      maximum: 65535,
      default: 8083,
      description: 'Port of the REST API, /metrics, /healthz and /readyz (0: any free port, printed at start).',
    }),
    tokens: Type.Array(Type.String({ minLength: 16, ...secret }), {
      minItems: 1,
      description:
        'Bearer tokens accepted by the REST API (`Authorization: Bearer <token>`); several allow rotation. /metrics, /healthz and /readyz need none.',
    }),
  },
  { additionalProperties: false, description: 'The REST listener.' },
);

const TopicsSchema = Type.Object(
  {
    config: Type.String({
      default: 'ashby-kafka.serve.configs',
      description: 'Compacted topic holding pipeline configs and their target state (running or paused).',
    }),
    status: Type.String({
      default: 'ashby-kafka.serve.status',
      description:
        "Compacted topic holding each pipeline's status (state, worker, streams, last error) and its last hour of counts per minute.",
    }),
    credentials: Type.String({
      default: 'ashby-kafka.serve.credentials',
      description:
        'Compacted topic holding credentials, each key encrypted with AES-256-GCM under `worker.master_key`.',
    }),
    assignment: Type.String({
      default: 'ashby-kafka.serve.assignment',
      description:
        'Topic whose partitions the workers consume as one group: a pipeline runs on the worker that owns its partition. Carries no records.',
    }),
    assignment_partitions: Type.Integer({
      minimum: 1,
      maximum: 1000,
      default: 60,
      description:
        'Partitions of the assignment topic when it is created: the most workers that can share the pipelines.',
    }),
    replication_factor: Type.Integer({
      minimum: 1,
      default: 1,
      description: 'Replication factor of the topics above when they are created (use 3 in production).',
    }),
  },
  {
    additionalProperties: false,
    default: {},
    description: 'Topics of the worker group, created when missing (existing ones are left alone).',
  },
);

const RestartSchema = Type.Object(
  {
    min_backoff_ms: Type.Integer({
      minimum: 0,
      default: 1_000,
      description: 'Wait before restarting a pipeline that failed for the first time.',
    }),
    max_backoff_ms: Type.Integer({
      minimum: 0,
      default: 300_000,
      description: 'Longest wait between restarts (the wait doubles after each failure in a row).',
    }),
  },
  {
    additionalProperties: false,
    default: {},
    description: 'Restarts of a FAILED pipeline; a pass that succeeds resets the backoff.',
  },
);

const WorkerSchema = Type.Object(
  {
    id: Type.String({
      minLength: 1,
      description: "This worker's id, shown in status and logs (e.g. the pod name: `${HOSTNAME}`).",
    }),
    group_id: Type.String({
      minLength: 1,
      description:
        'Workers with the same group id share the pipelines; also the consumer group of the assignment topic.',
    }),
    master_key: Type.String({
      minLength: 16,
      ...secret,
      description:
        'Encrypts credentials in the credentials topic. Every worker of a group needs the same one; use `${ASHBY_KAFKA_MASTER_KEY}`.',
    }),
    session_timeout_ms: Type.Integer({
      minimum: 6_000,
      maximum: 300_000,
      default: 10_000,
      description:
        "Consumer-group session timeout: a worker that stops heartbeating loses its pipelines after this long. Also the default of sink pipelines' own groups.",
    }),
    rest: RestSchema,
    topics: TopicsSchema,
    restart: RestartSchema,
    shutdown_timeout_ms: Type.Integer({
      minimum: 0,
      default: 30_000,
      description:
        'On SIGTERM, how long in-flight pages and commands may take to finish before the worker leaves anyway.',
    }),
  },
  { additionalProperties: false, description: 'This worker and its group.' },
);

export const WorkerConfigSchema = Type.Object(
  {
    kafka: KafkaConfigSchema,
    schema_registry: Type.Optional(SchemaRegistryConfigSchema),
    worker: WorkerSchema,
    logging: LoggingConfigSchema,
  },
  { additionalProperties: false, description: 'An ashby-kafka worker (`ashby-kafka serve`).' },
);

export type WorkerConfig = Static<typeof WorkerConfigSchema>;
