import type { Command } from 'commander';
import type { LogLevel } from '../log/logger.js';
import { createPinoLogger } from '../log/pino-logger.js';
import { loadWorkerConfigFile } from '../serve/config/load.js';
import { Worker } from '../serve/worker/worker.js';
import type { CliIo } from './output.js';
import { SUMMARIES } from './summaries.js';

/**
 * `ashby-kafka serve --config worker.yaml`: one worker of a group (docs/serve.md). Logs are
 * JSON lines on stderr; stdout gets one line with the REST address. The first SIGTERM/SIGINT
 * stops the pipelines (in-flight work finishes, state is stored) and leaves the group; a
 * second one exits at once.
 */
export async function runServeCli(opts: { config: string }, io: CliIo): Promise<void> {
  const config = await loadWorkerConfigFile(opts.config);
  const logger = createPinoLogger({ level: config.logging.level as LogLevel });
  const worker = new Worker({ config, logger });
  let received = 0;
  let stopped: Promise<void> | undefined;
  const onSignal = (sig: NodeJS.Signals): void => {
    received++;
    if (received > 1) process.exit(130);
    logger.warn(
      `${sig} received: stopping pipelines after the work in flight, then leaving the group (send it again to exit at once)`,
    );
    stopped = worker.stop();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const address = await worker.start();
    io.out(`worker ${config.worker.id} listening on ${address}\n`);
    await new Promise<void>((resolve) => {
      const wait = setInterval(() => {
        if (stopped) {
          clearInterval(wait);
          void stopped.then(resolve, resolve);
        }
      }, 100);
    });
  } catch (err) {
    await worker.stop().catch(() => undefined);
    throw err;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

export function registerServeCommand(program: Command, io: CliIo): void {
  program
    .command('serve')
    .description(SUMMARIES.serve)
    .requiredOption('-c, --config <file>', 'worker config file (YAML or JSON; see docs/serve-config.md)')
    .action(async (opts: { config: string }) => runServeCli(opts, io));
}
