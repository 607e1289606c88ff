/**
 * The library entry (`import … from 'ashby-kafka'`): the same pieces the CLI is built from.
 * Re-exports only.
 */
export { AshbyKafkaError, ConfigError, InternalError, isRetriable, wrapError } from './errors.js';
export { PACKAGE_VERSION } from './package-info.js';

// Pipeline configuration: one schema, its loader and its docs.
export { loadConfigFile, resolveConfig, type LoadOptions } from './config/load.js';
export {
  PipelineConfigSchema,
  type AshbyConfig,
  type DestinationConfig,
  type KafkaConfig,
  type PipelineConfig,
  type SchemaRegistryConfig,
  type SourceConfig,
} from './config/schema.js';

// The Ashby client and the credential store.
export * as ashby from './ashby/index.js';
export { AshbyClient } from './ashby/index.js';
export * as credentials from './credentials/index.js';
export { resolveAshbyApiKey } from './config/ashby-key.js';
export { createAshbyClient } from './config/ashby-options.js';

// The Avro contract and serdes; the Kafka layer.
export * as avro from './avro/index.js';
// What producers and consumers of the topics use most, also at the top level.
export {
  createSerde,
  loadContract,
  type CommandEntity,
  type Contract,
  type Serde,
  type SerdeConfig,
} from './avro/index.js';
export * as kafka from './kafka/index.js';

// The two jobs.
export { SourceRunner, type PassResult } from './source/runtime/source-runner.js';
export { DEFAULT_CATALOG, StreamCatalog, STREAM_DECLARATIONS, type StreamDeclaration } from './source/catalog.js';
export { runSink, openSink, SinkLoop, type SinkRunOptions, type SinkRunResult } from './sink/runner.js';
export {
  commandToRequests,
  createCommandMapper,
  parseJsonCommand,
  type CommandMapper,
} from './sink/operations/command-mapping.js';
export type { AshbyRequest, CommandPlan, ResultRef, SequencePlan, UpsertPlan } from './sink/operations/command-plan.js';
// Typed command builders (`commands.candidate.create({...})`) and a type per entity and operation, generated from the command schemas.
export * from './sink/builders.generated.js';
export { CATALOG as SINK_OPERATIONS, OperationCatalog, type OperationDecl } from './sink/operations/catalog.js';
// Two-way sync: drop the sink's own writes when they come back through the source.
export { IDEMPOTENCY_KEY_HEADER, ORIGIN_HEADER, SINK_ORIGIN, isSinkEcho } from './source/loop-guard.js';

// The local Ashby for tests and demos.
export { startSandbox, type RunningSandbox, type SandboxOptions } from './sandbox/index.js';
