import { CATALOG, type OperationCatalog } from '../sink/operations/catalog.js';
import type { Command } from 'commander';
import { AshbyClient, permissionFor } from '../ashby/index.js';
import { loadConfigFile } from '../config/load.js';
import type { PipelineConfig } from '../config/schema.js';
import { serdeConfigFrom } from '../config/serde-options.js';
import { RegistryAuthError } from '../avro/errors.js';
import { RegistryClient } from '../avro/registry/registry-client.js';
import { resolveAshbyApiKey } from '../config/ashby-key.js';
import {
  CredentialStore,
  reportAllows,
  resolveStorePath,
  testAshbyKey,
  type KeyTestReport,
} from '../credentials/index.js';
import { AshbyKafkaError, ConfigError } from '../errors.js';
import { KafkaAdmin } from '../kafka/admin.js';
import type { LogLevel } from '../log/logger.js';
import { rdkafkaConfig } from '../config/kafka-options.js';
import { ashbyClientOptions } from '../config/ashby-options.js';
import { DEFAULT_CATALOG, type CatalogStream } from '../source/catalog.js';
import { selectStreams, type StreamSelection } from '../config/stream-selection.js';
import { probeReceiver } from '../source/webhooks/probe.js';
import { formatKeyReport } from './credentials.js';
import { cliLogger, type CliIo } from './output.js';
import { SUMMARIES } from './summaries.js';

/**
 * `ashby-kafka check --config FILE`: can this pipeline run? Resolves the Ashby key, tests it
 * (as `credentials test` does), compares its scopes with what the destination will write, and
 * connects to Kafka and the schema registry. Every item is checked even after a failure, so one
 * run shows everything to fix.
 */
export type CheckStatus = 'pass' | 'warn' | 'fail' | 'skip';

export interface CheckItem {
  name: string;
  status: CheckStatus;
  detail: string;
  /** Extra indented lines (the key report). */
  more?: string;
}

export interface CheckOptions {
  env?: NodeJS.ProcessEnv;
  storePath?: string;
  /** Bounds each Kafka and registry probe. */
  timeoutMs?: number;
  confidentialJobId?: string;
  io?: CliIo;
}

const DEFAULT_TIMEOUT_MS = 10_000;

function message(err: unknown): string {
  if (err instanceof AshbyKafkaError)
    return `[${err.code}] ${err.message}${err.requestId ? ` (Ashby request id ${err.requestId})` : ''}`;
  return err instanceof Error ? err.message : String(err);
}

async function checkAshby(config: PipelineConfig, options: CheckOptions, items: CheckItem[]): Promise<void> {
  let apiKey: string;
  try {
    apiKey = await resolveAshbyApiKey(config.ashby, { env: options.env, storePath: options.storePath });
    const source = config.ashby.credential
      ? `credential "${config.ashby.credential}" from ${new CredentialStore({ path: options.storePath, env: options.env }).path}`
      : 'ashby.api_key from the config';
    items.push({ name: 'Ashby key', status: 'pass', detail: source });
  } catch (err) {
    items.push({ name: 'Ashby key', status: 'fail', detail: message(err) });
    items.push({ name: 'Ashby API', status: 'skip', detail: 'no key' });
    return;
  }

  // The pipeline's own logging settings: `logging.level: debug` shows every Ashby call of the check.
  const logger = options.io
    ? cliLogger(
        options.io,
        config.logging.level === 'info' ? 'warn' : (config.logging.level as LogLevel),
        config.logging.format,
      )
    : undefined;
  const client = new AshbyClient({
    ...ashbyClientOptions(config.ashby, apiKey, logger ? { logger } : {}),
    retry: { retries: 2, minDelayMs: 200, maxDelayMs: 2_000, maxRetryAfterMs: 10_000 },
  });
  let report: KeyTestReport;
  try {
    report = await testAshbyKey(client, {
      ...(options.confidentialJobId ? { confidentialJobId: options.confidentialJobId } : {}),
      ...(logger ? { logger } : {}),
    });
  } catch (err) {
    items.push({ name: 'Ashby API', status: 'fail', detail: `${config.ashby.base_url}: ${message(err)}` });
    return;
  } finally {
    await client.close();
  }
  const who = report.title !== undefined ? `key "${report.title}"` : 'key accepted';
  items.push({
    name: 'Ashby API',
    status: 'pass',
    detail: `${who} at ${report.baseUrl}`,
    more: formatKeyReport(report, '      '),
  });

  if (config.source) items.push(sourceAccess(config, report));
  if (config.destination) items.push(destinationAccess(config, report));
}

/** Can the key read every stream the source will read? Listed streams must be readable; `all` skips unreadable ones. */
function sourceAccess(config: PipelineConfig, report: KeyTestReport): CheckItem {
  let selection: StreamSelection;
  try {
    selection = selectStreams(config.source!, DEFAULT_CATALOG);
  } catch (err) {
    return { name: 'Source access', status: 'fail', detail: message(err) };
  }
  const denied = selection.streams.filter((s) => reportAllows(report, s.endpoint) === false);
  const unknown = selection.streams.filter(
    (s) => reportAllows(report, s.endpoint) === undefined && s.scope !== undefined,
  );
  const describe = (streams: CatalogStream[]): string =>
    streams.map((s) => `${s.name} (${s.module ?? '?'}: read)`).join(', ');
  const fatal = denied.filter((s) => selection.explicit.has(s.name));
  if (fatal.length > 0) {
    return {
      name: 'Source access',
      status: 'fail',
      detail: `the key cannot read listed stream(s) ${describe(fatal)}. Ask an Ashby admin to grant them under Admin → Integrations → API Keys, or remove them from source.streams.`,
    };
  }
  const readable = selection.streams.length - denied.length;
  if (denied.length > 0 || unknown.length > 0) {
    const parts = [
      denied.length ? `skipped, the key cannot read them: ${describe(denied)}` : '',
      unknown.length ? `not verified: ${describe(unknown)}` : '',
    ].filter(Boolean);
    return {
      name: 'Source access',
      status: 'warn',
      detail: `${readable} of ${selection.streams.length} stream(s) readable; ${parts.join('; ')}`,
    };
  }
  return {
    name: 'Source access',
    status: 'pass',
    detail: `the key can read all ${selection.streams.length} selected stream(s)`,
  };
}

/** Whether the key may call every endpoint the configured command topics need (the operation catalog's, as the sink's preflight). */
export function destinationAccess(
  config: Pick<PipelineConfig, 'destination'>,
  report: KeyTestReport,
  catalog: OperationCatalog = CATALOG,
): CheckItem {
  const entities = [...new Set(config.destination!.topics.map((t) => t.entity))];
  const missing = new Set<string>();
  const unknown = new Set<string>();
  for (const entity of entities) {
    for (const endpoint of catalog.endpointsOf(entity)) {
      const allowed = reportAllows(report, endpoint);
      if (allowed === false) missing.add(`${endpoint}`);
      if (allowed === undefined) unknown.add(endpoint);
    }
  }
  const scopesOf = (endpoints: Set<string>): string =>
    [...new Set([...endpoints].map((e) => reportScope(e)))].join(', ');
  if (missing.size > 0) {
    return {
      name: 'Destination access',
      status: 'fail',
      detail: `the destination writes ${entities.join(', ')} but the key lacks ${scopesOf(missing)} (needed by ${[...missing].join(', ')}). Ask an Ashby admin to edit the key under Admin → Integrations → API Keys.`,
    };
  }
  if (unknown.size > 0) {
    return {
      name: 'Destination access',
      status: 'warn',
      detail: `cannot verify ${scopesOf(unknown)} for ${entities.join(', ')} commands: the key lacks API Keys: read, so its write scopes are unknown. Grant API Keys: read, or make sure the key has those permissions.`,
    };
  }
  return {
    name: 'Destination access',
    status: 'pass',
    detail: `the key may write ${entities.join(', ')} (${scopesOf(new Set(entities.flatMap((e) => catalog.endpointsOf(e))))})`,
  };
}

function reportScope(endpoint: string): string {
  return permissionFor(endpoint)?.scope ?? endpoint;
}

async function checkKafka(config: PipelineConfig, options: CheckOptions, items: CheckItem[]): Promise<void> {
  let admin: KafkaAdmin | undefined;
  try {
    admin = KafkaAdmin.create(
      { ...rdkafkaConfig(config.kafka), log_level: 0 },
      { timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS },
    );
    const md = await admin.metadata();
    const topics = new Set(md.topics.map((t) => t.name));
    items.push({
      name: 'Kafka',
      status: 'pass',
      detail: `${config.kafka.bootstrap_servers}: ${md.brokers.length} broker(s), ${topics.size} topic(s)`,
    });
    const commandTopics = config.destination?.topics.map((t) => t.topic) ?? [];
    const absent = commandTopics.filter((t) => !topics.has(t));
    if (absent.length > 0) {
      items.push({
        name: 'Command topics',
        status: 'warn',
        detail: `not found: ${absent.join(', ')} (create them, or let the producers create them, before running the sink)`,
      });
    } else if (commandTopics.length > 0) {
      items.push({ name: 'Command topics', status: 'pass', detail: commandTopics.join(', ') });
    }
  } catch (err) {
    items.push({ name: 'Kafka', status: 'fail', detail: `${config.kafka.bootstrap_servers}: ${message(err)}` });
  } finally {
    admin?.close();
  }
}

async function checkRegistry(config: PipelineConfig, options: CheckOptions, items: CheckItem[]): Promise<void> {
  const reg = config.schema_registry;
  const serde = serdeConfigFrom(config);
  if (!reg || serde.mode !== 'confluent') {
    items.push({
      name: 'Schema registry',
      status: 'skip',
      detail: 'not configured (values use Avro single-object encoding)',
    });
    return;
  }
  // The serde's own client and auth, so `check` proves what the pipeline will use.
  const client = new RegistryClient({
    url: serde.registry.url,
    auth: serde.registry.auth,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    // A check reports what it sees at once; the pipeline itself retries.
    retry: { retries: 0 },
  });
  try {
    const subjects = await client.subjects();
    items.push({ name: 'Schema registry', status: 'pass', detail: `${reg.url}: ${subjects.length} subject(s)` });
  } catch (err) {
    const detail =
      err instanceof RegistryAuthError
        ? `${reg.url}: ${message(err)}; check schema_registry.username/password or bearer_token`
        : `${reg.url}: ${message(err)}`;
    items.push({ name: 'Schema registry', status: 'fail', detail });
  } finally {
    await client.close();
  }
}

/** Runs every check; the Ashby, Kafka and registry probes run concurrently. */
export async function runChecks(config: PipelineConfig, options: CheckOptions = {}): Promise<CheckItem[]> {
  const ashby: CheckItem[] = [];
  const kafka: CheckItem[] = [];
  const registry: CheckItem[] = [];
  const webhooks: CheckItem[] = [];
  const probeWebhooks = async (): Promise<void> => {
    if (!config.source?.webhooks) return;
    webhooks.push({
      name: 'Webhook receiver',
      ...(await probeReceiver(config.source.webhooks, options.timeoutMs ?? DEFAULT_TIMEOUT_MS)),
    });
  };
  await Promise.all([
    checkAshby(config, options, ashby),
    checkKafka(config, options, kafka),
    checkRegistry(config, options, registry),
    probeWebhooks(),
  ]);
  return [...ashby, ...kafka, ...registry, ...webhooks];
}

const MARK: Record<CheckStatus, string> = { pass: ' ok ', warn: 'WARN', fail: 'FAIL', skip: 'skip' };

export function formatChecklist(items: CheckItem[]): string {
  const width = Math.max(...items.map((i) => i.name.length));
  const lines = items.map(
    (i) => `[${MARK[i.status]}] ${i.name.padEnd(width)}  ${i.detail}${i.more ? `\n${i.more.replace(/\n$/, '')}` : ''}`,
  );
  const failed = items.filter((i) => i.status === 'fail').length;
  const warned = items.filter((i) => i.status === 'warn').length;
  const summary =
    failed > 0
      ? `${failed} check(s) failed${warned ? `, ${warned} warning(s)` : ''}.`
      : `All checks passed${warned ? ` (${warned} warning(s))` : ''}.`;
  return `${lines.join('\n')}\n${summary}\n`;
}

export function registerCheckCommand(program: Command, io: CliIo, deps: { env?: NodeJS.ProcessEnv } = {}): void {
  program
    .command('check')
    .description(SUMMARIES.check)
    .requiredOption('-c, --config <file>', 'pipeline config file (YAML or JSON)')
    .option('--store <file>', 'credential store file (for ashby.credential)')
    .option('--confidential-job <id>', 'a confidential job id: checks whether the key can see it')
    .option('--timeout-ms <ms>', 'bound on each Kafka and registry probe', String(DEFAULT_TIMEOUT_MS))
    .action(async (opts: { config: string; store?: string; confidentialJob?: string; timeoutMs: string }) => {
      const timeoutMs = Number(opts.timeoutMs);
      if (!Number.isInteger(timeoutMs) || timeoutMs < 1)
        throw new ConfigError(
          `--timeout-ms must be a positive whole number of milliseconds (got "${opts.timeoutMs}")`,
          { flag: 'timeout-ms' },
        );
      const env = deps.env ?? process.env;
      const config = await loadConfigFile(opts.config, { env });
      io.out(`Checking ${opts.config}\n`);
      const items = await runChecks(config, {
        env,
        storePath: opts.store ?? resolveStorePath(undefined, env),
        timeoutMs,
        ...(opts.confidentialJob ? { confidentialJobId: opts.confidentialJob } : {}),
        io,
      });
      io.out(formatChecklist(items));
      const failed = items.filter((i) => i.status === 'fail').length;
      if (failed > 0)
        throw new AshbyKafkaError('CHECK_FAILED', `${failed} check(s) failed for ${opts.config}; see the list above.`);
    });
}
