import { Command } from 'commander';
import { PACKAGE_VERSION } from '../package-info.js';
import type { CliIo } from './output.js';

/** The top-level program without subcommands: name, version, help and where output goes. */
export function createProgram(io: CliIo): Command {
  const program = new Command('ashby-kafka')
    .description('Stream Ashby ATS records into Kafka as Avro, and apply Kafka commands back to Ashby.')
    .version(PACKAGE_VERSION, '-v, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .exitOverride();
  program.addHelpText(
    'after',
    '\nPipelines are YAML or JSON files (see config/ and docs/config.md). Secrets come from ${ENV_VARS} or the credential store.\nDocs: docs/index.md (every command and flag: docs/cli.md)',
  );
  return program;
}
