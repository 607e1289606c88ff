import type { Command } from 'commander';
import { parseDuration } from '../config/duration.js';
import { loadConfigFile } from '../config/load.js';
import { AshbyKafkaError } from '../errors.js';
import type { LogFormat, LogLevel, Logger } from '../log/logger.js';
import type { AshbyClient } from '../ashby/index.js';
import { createAshbyClient } from '../config/ashby-options.js';
import { LogProgress, TtyProgress, formatSummary } from '../source/runtime/progress.js';
import { SourceRunner, type PassResult } from '../source/runtime/source-runner.js';
import { cliLogger, type CliIo } from './output.js';
import { stopOnSignals } from './stop-signals.js';
import { SUMMARIES } from './summaries.js';

/**
 * `ashby-kafka source --config FILE [--once]`: one pass of every selected stream (--once), or
 * passes every source.interval until SIGINT/SIGTERM. Each pass ends with a summary table on
 * stdout; progress goes to stderr (a live view on a terminal, log lines otherwise).
 */
export interface SourceCliOptions {
  config: string;
  once?: boolean;
}

export async function runSourceCli(opts: SourceCliOptions, io: CliIo): Promise<void> {
  const config = await loadConfigFile(opts.config);
  const logger = cliLogger(io, config.logging.level as LogLevel, config.logging.format as LogFormat);
  const stop = stopOnSignals(logger, 'stopping after the records in flight are acknowledged');
  let client: AshbyClient | undefined;
  let runner: SourceRunner | undefined;
  try {
    client = await createAshbyClient(config.ashby, { logger, signal: stop.signal });
    runner = await SourceRunner.open(config, {
      client,
      logger,
      signal: stop.signal,
      progress: () => (io.isTTY ? new TtyProgress(io.err) : new LogProgress(logger)),
    });
    const print = (r: PassResult): void => io.out(formatSummary(r.streams, r.durationMs));
    if (opts.once) {
      const result = await runner.runPass();
      print(result);
      if (result.error) throw result.error;
      if (result.stopped)
        throw new AshbyKafkaError(
          'SOURCE_INTERRUPTED',
          'the pass was stopped before every stream finished; stored positions are those of completed streams, so the next run catches up',
        );
      return;
    }
    const intervalMs = parseDuration(config.source!.interval, 'source.interval');
    await runner.runForever(intervalMs, (r) => {
      print(r);
      if (r.error) logPassError(logger, r);
    });
  } finally {
    stop.dispose();
    await runner?.close();
    await client?.close();
  }
}

function logPassError(logger: Logger, r: PassResult): void {
  logger.error('the pass failed; the next pass retries from the last stored positions', {
    runId: r.runId,
    code: r.error?.code,
    message: r.error?.message,
  });
}

export function registerSourceCommand(program: Command, io: CliIo): void {
  program
    .command('source')
    .description(SUMMARIES.source)
    .requiredOption('-c, --config <file>', 'pipeline config file (YAML or JSON)')
    .option('--once', 'run one pass of every selected stream, then exit')
    .action(async (opts: SourceCliOptions) => runSourceCli(opts, io));
}
