import { Command, CommanderError } from 'commander';
import { AshbyKafkaError } from '../errors.js';
import { PACKAGE_VERSION } from '../package-info.js';
import { ExitCode, processIo, reportError, type CliIo } from './output.js';
import { registerCheckCommand } from './check.js';
import { registerCredentialsCommand } from './credentials.js';
import { registerSandboxCommand } from './sandbox.js';
import { registerSinkCommand } from './sink.js';
import { registerDiscoverCommand } from './discover.js';
import { registerInspectCommand } from './inspect.js';
import { registerSourceCommand } from './source.js';
import { registerWebhooksCommand } from './webhooks.js';
import { registerPipelinesCommand } from './pipelines.js';
import { registerServeCommand } from './serve.js';
import { registerValidateCommand } from './validate.js';

/** Builds the program. Each subcommand is a thin file over functions the tests call directly. */
export function buildProgram(io: CliIo = processIo): Command {
  const program = new Command('ashby-kafka')
    .description('Stream Ashby ATS records into Kafka as Avro, and apply Kafka commands back to Ashby.')
    .version(PACKAGE_VERSION, '-v, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .exitOverride();
  registerValidateCommand(program, io);
  registerSandboxCommand(program, io);
  registerSinkCommand(program, io);
  registerSourceCommand(program, io);
  registerDiscoverCommand(program, io);
  registerInspectCommand(program, io);
  registerCredentialsCommand(program, io);
  registerCheckCommand(program, io);
  registerWebhooksCommand(program, io);
  registerServeCommand(program, io);
  registerPipelinesCommand(program, io);
  program.addHelpText(
    'after',
    '\nPipelines are YAML or JSON files (see config/ and docs/config.md). Secrets come from ${ENV_VARS} or the credential store.\nDocs: docs/index.md (every command and flag: docs/cli.md)',
  );
  return program;
}

/** Runs the CLI and returns the exit code (bin/ashby-kafka.js exits with it). */
export async function run(argv: string[], io: CliIo = processIo): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv);
    return ExitCode.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end through here too, with exit code 0.
      return err.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    }
    return reportError(err, io);
  }
}

export async function main(argv: string[]): Promise<void> {
  // A throw from a background callback (a timer, a Kafka event) must not print Node's raw
  // stack: report it like any other error and stop. Stored positions and offsets only ever
  // cover acknowledged work, so stopping here loses nothing; the next run resumes.
  const crash = (err: unknown): void => {
    const code = reportError(err, processIo);
    process.exit(code === ExitCode.ok ? ExitCode.internal : code);
  };
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);
  const code = await run(argv);
  process.exitCode = code;
}

export { AshbyKafkaError };
