import type { Logger } from '../log/logger.js';

/**
 * Graceful stop for the long-running commands: the first SIGINT/SIGTERM aborts the returned
 * signal (the runner finishes what is in flight and stores only acknowledged progress); a second
 * one exits at once with 130. `dispose` removes the handlers.
 */
export function stopOnSignals(logger: Logger, whatHappens: string): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  let received = 0;
  const onSignal = (sig: NodeJS.Signals): void => {
    received++;
    if (received > 1) process.exit(130);
    logger.warn(`${sig} received: ${whatHappens} (send it again to exit at once)`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
