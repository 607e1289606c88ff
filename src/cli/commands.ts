import type { Command } from 'commander';
import type { CliIo } from './output.js';
import { SUMMARIES, type CommandName } from './summaries.js';

/** Adds one subcommand (its options, help and action) to the program. */
export type RegisterCommand = (program: Command, io: CliIo) => void;

/**
 * How to load each subcommand. The CLI imports only the module of the subcommand it runs (the
 * others are listed by name and summary), so `--version`, `--help` and `validate` don't pay for
 * node-rdkafka, the sandbox or the service.
 */
const LOADERS: Record<CommandName, () => Promise<RegisterCommand>> = {
  validate: async () => (await import('./validate.js')).registerValidateCommand,
  sandbox: async () => (await import('./sandbox.js')).registerSandboxCommand,
  sink: async () => (await import('./sink.js')).registerSinkCommand,
  source: async () => (await import('./source.js')).registerSourceCommand,
  discover: async () => (await import('./discover.js')).registerDiscoverCommand,
  inspect: async () => (await import('./inspect.js')).registerInspectCommand,
  credentials: async () => (await import('./credentials.js')).registerCredentialsCommand,
  check: async () => (await import('./check.js')).registerCheckCommand,
  webhooks: async () => (await import('./webhooks.js')).registerWebhooksCommand,
  serve: async () => (await import('./serve.js')).registerServeCommand,
  pipelines: async () => (await import('./pipelines.js')).registerPipelinesCommand,
};

export const COMMAND_NAMES = Object.keys(SUMMARIES) as CommandName[];

export function isCommandName(name: string | undefined): name is CommandName {
  return name !== undefined && Object.hasOwn(SUMMARIES, name);
}

export function loadCommand(name: CommandName): Promise<RegisterCommand> {
  return LOADERS[name]();
}
