import { parseDuration } from '../../config/duration.js';
import type { SourceConfig } from '../../config/schema.js';
import type { Logger } from '../../log/logger.js';
import { resolveWebhookSecret } from '../../config/webhook-secret.js';
import { Doorbell, type DoorbellStats, type Round } from './doorbell.js';
import { WebhookReceiver, type ReceiverCounters } from './receiver.js';

/**
 * The receiver and the doorbell wired together from `source.webhooks`: what a process that runs
 * a source pipeline continuously (`source`, later `serve`) starts next to its poll loop. Each
 * round goes to `apply` (SourceRunner.applyRound), which serialises it with the polls.
 */
export interface WebhookIntake {
  readonly url: string;
  counters(): ReceiverCounters & DoorbellStats;
  /** Resolves once every event received so far has been applied (or its round failed). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export async function startWebhookIntake(
  config: NonNullable<SourceConfig['webhooks']>,
  apply: (round: Round) => Promise<void>,
  logger: Logger,
  /** Where `credential` is looked up (default: $ASHBY_KAFKA_CREDENTIALS_FILE or the XDG path). */
  secretOptions: { env?: NodeJS.ProcessEnv; storePath?: string } = {},
): Promise<WebhookIntake> {
  const secret = await resolveWebhookSecret(config, secretOptions);
  const doorbell = new Doorbell(apply, parseDuration(config.coalesce, 'source.webhooks.coalesce'), logger);
  const receiver = await WebhookReceiver.start({
    host: config.host,
    port: config.port,
    path: config.path,
    secret,
    maxBodyBytes: config.max_body_bytes,
    replayWindowMs: parseDuration(config.replay_window, 'source.webhooks.replay_window'),
    onEvent: (event) => doorbell.ring(event),
    logger,
  });
  return {
    url: receiver.url,
    counters: () => ({ ...receiver.counters(), ...doorbell.counters() }),
    idle: () => doorbell.idle(),
    close: async () => {
      // Stop answering first: Ashby retries what we did not acknowledge, the poll covers the rest.
      await receiver.close();
      await doorbell.close();
    },
  };
}
