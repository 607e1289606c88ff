/**
 * The one-line description of every subcommand, in the order `--help` lists them. Each
 * subcommand's module uses its line for `.description()`, and the top-level help lists them all
 * without importing those modules (see commands.ts).
 */
export const SUMMARIES = {
  validate: 'check a pipeline config file (syntax, schema, environment variables) without connecting to anything',
  sandbox: 'run a local Ashby API with seeded data (for tests, demos and benchmarks)',
  sink: 'apply command topics to Ashby (until end offsets with --once)',
  source: 'stream Ashby records into Kafka topics (one pass with --once)',
  discover: 'list the streams, their keys, schemas and sync modes, and whether this key can read them',
  inspect: "count what the source's topics hold, read back from Kafka, and decode a sample record",
  credentials:
    'manage named Ashby API keys in the local credential store (keys come from stdin or a prompt, never the command line)',
  check:
    'test a pipeline: Ashby key and scopes, read access for the source, write access for the destination, Kafka, schema registry',
  webhooks: "manage the Ashby webhooks that ring the source's receiver (docs/webhooks.md)",
  serve: 'run a worker: pipelines shared by every worker of the group, managed through a REST API (docs/serve.md)',
  pipelines: 'manage the pipelines of a worker group through its REST API (see `serve`)',
} as const;

export type CommandName = keyof typeof SUMMARIES;
