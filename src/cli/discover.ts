import type { Command } from 'commander';
import { loadContract } from '../avro/index.js';
import { loadConfigFile } from '../config/load.js';
import { createAshbyClient } from '../config/ashby-options.js';
import { DEFAULT_CATALOG } from '../source/catalog.js';
import { discoverStreams, formatDiscovery } from '../source/discover.js';
import type { LogFormat, LogLevel } from '../log/logger.js';
import { cliLogger, type CliIo } from './output.js';
import { SUMMARIES } from './summaries.js';

/** `ashby-kafka discover --config FILE [--json]`: the stream catalog and what this key can read. */
export function registerDiscoverCommand(program: Command, io: CliIo): void {
  program
    .command('discover')
    .description(SUMMARIES.discover)
    .requiredOption('-c, --config <file>', 'pipeline config file (YAML or JSON)')
    .option('--json', 'print JSON instead of a table')
    .action(async (opts: { config: string; json?: boolean }) => {
      const config = await loadConfigFile(opts.config);
      const logger = cliLogger(
        io,
        (config.logging.level === 'info' ? 'warn' : config.logging.level) as LogLevel,
        config.logging.format as LogFormat,
      );
      const client = await createAshbyClient(config.ashby, { logger });
      try {
        const { via, streams } = await discoverStreams(DEFAULT_CATALOG, loadContract(), client);
        if (opts.json) {
          io.out(`${JSON.stringify({ checkedVia: via, streams }, null, 2)}\n`);
          return;
        }
        io.out(formatDiscovery(streams));
        const readable = streams.filter((s) => s.readable).length;
        io.out(
          `\n${readable} of ${streams.length} streams readable with this key (checked via ${via === 'scopes' ? 'apiKey.info scopes' : 'one-record probes'}).` +
            `\n"off" streams run only when listed in source.streams.\n`,
        );
      } finally {
        await client.close();
      }
    });
}
