import type { Command } from 'commander';
import { loadConfigFile } from '../config/load.js';
import { AshbyKafkaError, wrapError } from '../errors.js';
import type { LogFormat, LogLevel } from '../log/logger.js';
import { resolveDestination, runSink } from '../sink/runner.js';
import { formatSummary } from '../sink/summary.js';
import { cliLogger, type CliIo } from './output.js';
import { stopOnSignals } from './stop-signals.js';
import { SUMMARIES } from './summaries.js';

/**
 * `ashby-kafka sink --config FILE [--once]`: applies the command topics to Ashby until stopped
 * (SIGINT/SIGTERM), or up to the end offsets seen at start (--once). Progress lines go to
 * stderr; the summary (per operation) to stdout. A fatal error ends it with `error [CODE]: …`
 * and a non-zero exit code, after committing every command that finished.
 */
export interface SinkCliOptions {
  config: string;
  once?: boolean;
  dryRun?: boolean;
}

export async function runSinkCli(opts: SinkCliOptions, io: CliIo): Promise<void> {
  const config = await loadConfigFile(opts.config);
  resolveDestination(config);
  if (opts.dryRun) config.destination!.dry_run = true;
  const logger = cliLogger(io, config.logging.level as LogLevel, config.logging.format as LogFormat);
  const stop = stopOnSignals(
    logger,
    'stopping after the commands in flight finish; unfinished commands run again next time',
  );
  try {
    const result = await runSink(config, {
      once: Boolean(opts.once),
      logger,
      signal: stop.signal,
      onProgress: (s, seconds) =>
        logger.info('sink progress', {
          processed: s.processed,
          ok: s.ok,
          deadLettered: s.deadLettered,
          skipped: s.skipped,
          failed: s.failed,
          perSecond: Math.round((s.processed / Math.max(seconds, 0.001)) * 10) / 10,
        }),
    });
    io.out(`${formatSummary(result.summary, result.seconds)}\n`);
    if (result.error !== undefined) {
      throw result.error instanceof AshbyKafkaError ? wrapError('sink stopped', result.error) : result.error;
    }
  } finally {
    stop.dispose();
  }
}

export function registerSinkCommand(program: Command, io: CliIo): void {
  program
    .command('sink')
    .description(SUMMARIES.sink)
    .requiredOption('-c, --config <file>', 'pipeline config file (YAML or JSON)')
    .option('--once', 'process everything up to the end offsets seen at start, commit, then exit')
    .option(
      '--dry-run',
      'plan and check every command against live Ashby metadata without writing (destination.dry_run)',
    )
    .action(async (opts: SinkCliOptions) => runSinkCli(opts, io));
}
