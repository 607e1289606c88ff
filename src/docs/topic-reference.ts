import { reconcilable } from '../source/deletes/reconcile.js';
import type { TSchema } from '@sinclair/typebox';
import { COMMAND_ENTITIES, loadContract, type Contract } from '../avro/contract.js';
import type { AvroSchema } from '../avro/schema.js';
import { PipelineConfigSchema } from '../config/schema.js';
import { DEFAULT_CATALOG, type CatalogStream, type StreamCatalog } from '../source/catalog.js';
import { COMMAND_RESULT_SCHEMA } from '../sink/results.js';
import { LEDGER_RETENTION_MS } from '../sink/topics.js';

/**
 * Renders docs/topics.md, the per-topic reference consumers read: topic, key, value schema,
 * subject, partitions, cleanup policy and delete semantics. Everything comes from the catalog,
 * the Avro contract and the config schema's defaults, so adding a stream or changing a default
 * changes this page; test/docs/generated.test.ts fails when the committed page is stale.
 */

type Node = TSchema & { default?: unknown; properties?: Record<string, Node> };

function configDefault(path: string): unknown {
  let node: Node | undefined = PipelineConfigSchema as Node;
  for (const key of path.split('.')) node = node?.properties?.[key];
  if (node?.default === undefined) throw new Error(`docs: config key ${path} has no default`);
  return node.default;
}

function fullName(schema: AvroSchema): string {
  const s = schema as { name?: string; namespace?: string };
  return s.namespace ? `${s.namespace}.${s.name}` : String(s.name);
}

function topFields(schema: AvroSchema): string[] {
  return ((schema as { fields?: Array<{ name: string }> }).fields ?? []).map((f) => f.name);
}

/** Streams whose records webhook events remove (source/webhooks/routes.ts). */
const WEBHOOK_DEPARTURES: Record<string, string> = {
  candidates: '`candidateDelete`, `candidateMerge`',
  offers: '`offerDelete`',
};

/**
 * What a consumer sees when a record goes away in Ashby. Ashby's lists report no deletions:
 * tombstones come from webhooks (source.webhooks) and from delete reconciliation
 * (source.reconcile_deletes, top-level streams keyed by id); some records are archived in place.
 */
function deleteSemantics(stream: CatalogStream, schema: AvroSchema): string {
  if (stream.parent) return 'not reported; a child removed in Ashby stays in the topic';
  const archived = topFields(schema).includes('isArchived') ? 'archived in place (`isArchived: true`); ' : '';
  const hook = WEBHOOK_DEPARTURES[stream.name];
  if (!reconcilable(stream)) return `${archived}not reported; a record removed in Ashby stays in the topic`;
  return hook
    ? `${archived}tombstone on ${hook} webhooks, and with \`source.reconcile_deletes\``
    : `${archived}tombstone with \`source.reconcile_deletes\`; otherwise it stays in the topic`;
}

function incremental(stream: CatalogStream): string {
  if (stream.parent)
    return stream.parent.rereadAll
      ? `every parent re-read; changes by record digest`
      : `children of changed \`${stream.parent.stream}\``;
  if (stream.paging === 'sync') return 'sync token';
  return 'record digest';
}

export function renderTopicDocs(catalog: StreamCatalog = DEFAULT_CATALOG, contract: Contract = loadContract()): string {
  const prefix = String(configDefault('source.topic_prefix'));
  const partitions = String(configDefault('source.topics.partitions'));
  const replication = String(configDefault('source.topics.replication_factor'));
  const cleanup = String(configDefault('source.topics.cleanup_policy'));
  const keyFormat = String(configDefault('source.key_format'));
  const streams = catalog.all();
  const lines: string[] = [
    '# Topic reference',
    '',
    '<!-- Generated from the stream catalog, the Avro contract and the config schema by `npm run docs`. Do not edit by hand: a test fails when this file is stale. -->',
    '',
    `The source fills one topic per stream: ${streams.length} streams, ${streams.filter((s) => s.enabledByDefault).length} of them in \`streams: all\`.`,
    'How to read them from Kafka Connect, Flink, Spark and Python: [consumers.md](consumers.md).',
    '',
    '## Every stream topic',
    '',
    '| | Default | Config key |',
    '| --- | --- | --- |',
    `| Topic name | \`${prefix}<stream>\` | \`source.topic_prefix\` |`,
    `| Key | the record's Ashby \`id\`, ${keyFormat === 'string' ? "a plain UTF-8 string (not Avro: Kafka Connect `StringConverter`, Flink `'key.format' = 'raw'`)" : keyFormat} | \`source.key_format\` (\`avro\`: an Avro string, [schemas/key.avsc](../schemas/key.avsc)) |`,
    '| Value | Avro, Confluent wire format, subject `<topic>-value` (single-object encoding without a registry) | `schema_registry`, `schema_registry.subject_strategy` |',
    `| Partitions | ${partitions} (records of one id always land in one partition) | \`source.topics.partitions\` |`,
    `| Replication factor | ${replication}: **raise it to 3 in production** | \`source.topics.replication_factor\` |`,
    `| Cleanup policy | \`${cleanup}\`: the latest version of each id is kept | \`source.topics.cleanup_policy\` |`,
    "| Timestamp | when the record's page was encoded for Kafka (`CreateTime`) | |",
    '| Headers | none; any of `ashby.stream`, `ashby.sync_mode`, `ashby.sync_run_id`, `ashby.request_id`, `ashby.emitted_at` on request ([source.md](source.md#records)) | `source.headers` |',
    '',
    'Topics are created with these settings only when missing; existing topics are left as they are.',
    'A record is written when it is new or changed; a full refresh (`source.mode: full_refresh`) writes every record again.',
    '',
    '## Streams',
    '',
    '| Stream | Topic | Value record (`.avsc`) | Ashby endpoint | Key needs | In `all` | Incremental by | When a record goes away |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const s of [...streams].sort((a, b) => a.name.localeCompare(b.name))) {
    const schema = contract.streamSchema(s.name);
    lines.push(
      `| \`${s.name}\` | \`${prefix}${s.name}\` | [\`${fullName(schema)}\`](../schemas/streams/${s.name}.avsc) | \`${s.endpoint}\`${s.parent ? ` per \`${s.parent.stream}\` record` : ''} | ${s.module ? `${s.module}: read` : ''} | ${s.enabledByDefault ? 'yes' : 'no'} | ${incremental(s)} | ${deleteSemantics(s, schema)} |`,
    );
  }
  const unread = contract.streams().filter((n) => !catalog.get(n));
  if (unread.length) {
    lines.push('', `Schemas without a stream yet (no topic is written): ${unread.map((n) => `\`${n}\``).join(', ')}.`);
  }
  lines.push(
    '',
    '## Sink topics',
    '',
    "Written or read by `ashby-kafka sink` ([sink.md](sink.md)). Keys are the command's key bytes, unchanged.",
    '',
    '| Topic | Default name | Value | Created by the sink |',
    '| --- | --- | --- | --- |',
    ...COMMAND_ENTITIES.map(
      (e) =>
        `| ${e} commands | your choice (\`destination.topics[]\`) | [\`${fullName(contract.commandSchema(e))}\`](../schemas/commands/${e}.avsc), Avro or JSON (\`destination.value_format\`) | no: create it first |`,
    ),
    `| results | \`${String(configDefault('destination.results_topic'))}\` | [\`${fullName(COMMAND_RESULT_SCHEMA)}\`](../schemas/results/command-result.avsc), in the commands' format | yes |`,
    `| dead letters | \`${String(configDefault('destination.dead_letter_topic'))}\` | the command's bytes unchanged, error in \`__connect.errors.*\` headers | yes |`,
    `| idempotency ledger | \`${String(configDefault('destination.ledger_topic'))}\` | internal (JSON), compacted with a ${LEDGER_RETENTION_MS / 86_400_000}-day retention | yes |`,
    `| source state | \`${String(configDefault('source.state_topic'))}\` | internal (JSON), compacted, one partition | yes (by the source) |`,
    '',
  );
  return lines.join('\n');
}
