import { CommanderError, type Command } from 'commander';
import { AshbyKafkaError } from '../errors.js';
import { ExitCode, processIo, reportError, type CliIo } from './output.js';
import { createProgram } from './program.js';
import { COMMAND_NAMES, isCommandName, loadCommand } from './commands.js';
import { SUMMARIES } from './summaries.js';

/**
 * The program for one invocation: the subcommand named in `args` is loaded in full; the others
 * are listed by name and summary only (for `--help` and "unknown command" suggestions).
 */
async function programFor(args: string[], io: CliIo): Promise<Command> {
  const program = createProgram(io);
  const words = args.filter((a) => !a.startsWith('-'));
  // `ashby-kafka help source` shows the help of `source`, so that one is loaded too.
  const named = words[0] === 'help' ? words[1] : words[0];
  const wanted = isCommandName(named) ? named : undefined;
  const register = wanted ? await loadCommand(wanted) : undefined;
  for (const name of COMMAND_NAMES) {
    if (name === wanted) register!(program, io);
    else program.command(name).description(SUMMARIES[name]);
  }
  return program;
}

/** Runs the CLI and returns the exit code (bin/ashby-kafka.js exits with it). */
export async function run(argv: string[], io: CliIo = processIo): Promise<number> {
  try {
    const program = await programFor(argv.slice(2), io);
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
