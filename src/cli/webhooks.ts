import type { Command } from 'commander';
import type { AshbyClient } from '../ashby/index.js';
import { ASHBY_WEBHOOK_TYPES, type AshbyWebhookType } from '../ashby/webhook-types.js';
import { createAshbyClient } from '../config/ashby-options.js';
import { loadConfigFile } from '../config/load.js';
import { resolveWebhookSecret } from '../config/webhook-secret.js';
import type { PipelineConfig } from '../config/schema.js';
import { ConfigError } from '../errors.js';
import type { LogFormat, LogLevel } from '../log/logger.js';
import { cliLogger, type CliIo } from './output.js';
import { SUMMARIES } from './summaries.js';

/**
 * `ashby-kafka webhooks register|list|remove --config FILE`: manage the Ashby webhook settings
 * that ring the source's receiver (docs/webhooks.md), with Ashby's webhook.create / webhook.info /
 * webhook.delete (the key needs the API-keys permissions; otherwise use Ashby's admin UI, Admin →
 * Integrations → Webhooks). Ashby has no webhook.list, so `list` and `remove` take the ids that
 * `register` printed.
 */

/**
 * Ashby's event types the receiver acts on (src/source/webhooks/routes.ts), one Ashby setting each.
 * Survey submissions are left out: the receiver ignores them, and `survey_submissions` is polled.
 */
export const RECEIVER_WEBHOOK_TYPES: readonly AshbyWebhookType[] = ASHBY_WEBHOOK_TYPES.filter(
  (type) => type !== 'surveySubmit',
);

interface Setting {
  id: string;
  enabled: boolean;
  requestUrl: string;
  webhookType: string;
}

async function withClient<T>(
  configPath: string,
  io: CliIo,
  run: (client: AshbyClient, config: PipelineConfig) => Promise<T>,
): Promise<T> {
  const config = await loadConfigFile(configPath);
  const logger = cliLogger(io, config.logging.level as LogLevel, config.logging.format as LogFormat);
  const client = await createAshbyClient(config.ashby, { logger });
  try {
    // A key without the API-keys permissions fails with ASHBY_PERMISSION_DENIED, which names what to grant.
    return await run(client, config);
  } finally {
    await client.close();
  }
}

function table(rows: Setting[]): string {
  const lines = rows.map(
    (s) => `${s.id}  ${s.webhookType.padEnd(24)}  ${s.enabled ? 'enabled ' : 'disabled'}  ${s.requestUrl}`,
  );
  return `${lines.join('\n')}\n`;
}

export async function registerWebhooks(
  opts: { config: string; url?: string; type?: string[] },
  io: CliIo,
): Promise<Setting[]> {
  return withClient(opts.config, io, async (client, config) => {
    const hooks = config.source?.webhooks;
    if (!hooks)
      throw new ConfigError('source.webhooks is not configured: set at least its port and secret (docs/webhooks.md)');
    const url = opts.url ?? hooks.public_url;
    if (!url)
      throw new ConfigError(
        'no URL to register: pass --url or set source.webhooks.public_url (the https URL of the proxy in front of the receiver)',
      );
    const types = opts.type?.length ? opts.type : [...RECEIVER_WEBHOOK_TYPES];
    const created: Setting[] = [];
    const secretToken = await resolveWebhookSecret(hooks);
    for (const webhookType of types) {
      const { results } = await client.call<Setting>('webhook.create', {
        webhookType,
        requestUrl: url,
        secretToken,
      });
      created.push({
        id: results.id,
        enabled: results.enabled,
        requestUrl: results.requestUrl,
        webhookType: results.webhookType,
      });
    }
    io.out(table(created));
    io.err(
      `registered ${created.length} webhooks; keep their ids (Ashby has no webhook.list): webhooks list|remove --id ID…\n`,
    );
    return created;
  });
}

export async function listWebhooks(opts: { config: string; id: string[] }, io: CliIo): Promise<Setting[]> {
  return withClient(opts.config, io, async (client) => {
    const out: Setting[] = [];
    for (const webhookId of opts.id) out.push((await client.call<Setting>('webhook.info', { webhookId })).results);
    io.out(table(out));
    return out;
  });
}

export async function removeWebhooks(opts: { config: string; id: string[] }, io: CliIo): Promise<void> {
  await withClient(opts.config, io, async (client) => {
    for (const webhookId of opts.id) await client.call('webhook.delete', { webhookId });
    io.out(`removed ${opts.id.length} webhooks\n`);
  });
}

export function registerWebhooksCommand(program: Command, io: CliIo): void {
  const cmd = program.command('webhooks').description(SUMMARIES.webhooks);
  cmd
    .command('register')
    .description('create one Ashby webhook per event type the receiver acts on, pointing at source.webhooks.public_url')
    .requiredOption('-c, --config <file>', 'pipeline config file (YAML or JSON)')
    .option('--url <url>', 'the URL Ashby posts to (default: source.webhooks.public_url)')
    .option('--type <types...>', 'only these webhook types')
    .action(async (opts: { config: string; url?: string; type?: string[] }) => void (await registerWebhooks(opts, io)));
  cmd
    .command('list')
    .description('show webhooks by id (Ashby has no webhook.list: use the ids register printed)')
    .requiredOption('-c, --config <file>', 'pipeline config file (YAML or JSON)')
    .requiredOption('--id <ids...>', 'webhook ids')
    .action(async (opts: { config: string; id: string[] }) => void (await listWebhooks(opts, io)));
  cmd
    .command('remove')
    .description('delete webhooks by id')
    .requiredOption('-c, --config <file>', 'pipeline config file (YAML or JSON)')
    .requiredOption('--id <ids...>', 'webhook ids')
    .action(async (opts: { config: string; id: string[] }) => removeWebhooks(opts, io));
}
