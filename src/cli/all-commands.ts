import type { Command } from 'commander';
import { processIo, type CliIo } from './output.js';
import { createProgram } from './program.js';
import type { RegisterCommand } from './commands.js';
import { COMMAND_NAMES } from './commands.js';
import type { CommandName } from './summaries.js';
import { registerCheckCommand } from './check.js';
import { registerCredentialsCommand } from './credentials.js';
import { registerDiscoverCommand } from './discover.js';
import { registerInspectCommand } from './inspect.js';
import { registerPipelinesCommand } from './pipelines.js';
import { registerSandboxCommand } from './sandbox.js';
import { registerServeCommand } from './serve.js';
import { registerSinkCommand } from './sink.js';
import { registerSourceCommand } from './source.js';
import { registerValidateCommand } from './validate.js';
import { registerWebhooksCommand } from './webhooks.js';

/**
 * Every subcommand loaded at once, for what describes the whole CLI (the generated docs/cli.md
 * and its drift tests). The CLI itself loads only the subcommand it runs (main.ts, commands.ts).
 */
const REGISTRARS: Record<CommandName, RegisterCommand> = {
  validate: registerValidateCommand,
  sandbox: registerSandboxCommand,
  sink: registerSinkCommand,
  source: registerSourceCommand,
  discover: registerDiscoverCommand,
  inspect: registerInspectCommand,
  credentials: registerCredentialsCommand,
  check: registerCheckCommand,
  webhooks: registerWebhooksCommand,
  serve: registerServeCommand,
  pipelines: registerPipelinesCommand,
};

export function buildProgram(io: CliIo = processIo): Command {
  const program = createProgram(io);
  for (const name of COMMAND_NAMES) REGISTRARS[name](program, io);
  return program;
}
