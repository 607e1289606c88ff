import type { Command } from 'commander';
import { loadConfigFile } from '../config/load.js';
import { DEFAULT_CATALOG } from '../source/catalog.js';
import { selectStreams } from '../config/stream-selection.js';
import type { CliIo } from './output.js';
import { SUMMARIES } from './summaries.js';

/** `ashby-kafka validate --config FILE`: load and check a pipeline file without touching any service. */
export function registerValidateCommand(program: Command, io: CliIo): void {
  program
    .command('validate')
    .description(SUMMARIES.validate)
    .requiredOption('-c, --config <file>', 'pipeline config file (YAML or JSON)')
    .action(async (opts: { config: string }) => {
      const config = await loadConfigFile(opts.config);
      // Stream names are checked against the catalog here, as `source` would at start.
      if (config.source) selectStreams(config.source, DEFAULT_CATALOG);
      const parts = [config.source ? 'source' : undefined, config.destination ? 'destination' : undefined].filter(
        Boolean,
      );
      io.out(`${opts.config}: valid${parts.length ? ` (${parts.join(' and ')})` : ''}\n`);
    });
}
