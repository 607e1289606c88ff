import type { Command } from 'commander';
import { ConfigError } from '../errors.js';
import { startSandbox, type RunningSandbox, type SandboxOptions } from '../sandbox/index.js';
import { cliLogger, processIo, type CliIo } from './output.js';
import { SUMMARIES } from './summaries.js';

/**
 * `ashby-kafka sandbox`: a local Ashby API for trying the connector without a production key.
 * Prints its base URL and API keys (sandbox keys, not credentials) and runs until SIGINT/SIGTERM.
 */

export interface SandboxCliOptions {
  host: string;
  port: string;
  seed: string;
  scale: string;
  latencyMs?: string;
  latencyJitterMs?: string;
  rateLimit?: string;
  rateLimitBurst?: string;
  rateLimitScope?: string;
  fault5xxRate?: string;
  faultResetRate?: string;
  faultSlowBodyRate?: string;
  faultLostResponseRate?: string;
  faultSeed?: string;
  keysFile?: string;
  maxPerPage?: string;
  emptyPageEvery?: string;
  incrementalMaxPages?: string;
  clockStart?: string;
  frozenClock?: boolean;
  webhook?: string[];
  authErrorBody?: string;
  withoutFeature?: string[];
}

function number(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n))
    throw new ConfigError(`--${flag} must be a number (got "${value}")`, { flag });
  return n;
}

/** Turns command-line flags into sandbox options; range checks happen in resolveSandboxOptions. */
export function sandboxOptionsFromCli(opts: SandboxCliOptions): SandboxOptions {
  const rate = number('rate-limit', opts.rateLimit);
  const scope = opts.rateLimitScope;
  if (scope !== undefined && scope !== 'key' && scope !== 'integration-partner')
    throw new ConfigError('--rate-limit-scope must be "key" or "integration-partner"', { flag: 'rate-limit-scope' });
  const mean = number('latency-ms', opts.latencyMs);
  const jitter = number('latency-jitter-ms', opts.latencyJitterMs);
  const authErrorBody = opts.authErrorBody;
  if (authErrorBody !== undefined && authErrorBody !== 'envelope' && authErrorBody !== 'text')
    throw new ConfigError('--auth-error-body must be "envelope" or "text"', { flag: 'auth-error-body' });
  const webhooks = (opts.webhook ?? []).map((spec) => {
    const at = spec.lastIndexOf('=');
    if (at <= 0) throw new ConfigError(`--webhook must be URL=SECRET (got "${spec}")`, { flag: 'webhook' });
    return { url: spec.slice(0, at), secret: spec.slice(at + 1) };
  });
  const faults = {
    serverErrorRate: number('fault-5xx-rate', opts.fault5xxRate),
    resetRate: number('fault-reset-rate', opts.faultResetRate),
    slowBodyRate: number('fault-slow-body-rate', opts.faultSlowBodyRate),
    lostResponseRate: number('fault-lost-response-rate', opts.faultLostResponseRate),
    seed: number('fault-seed', opts.faultSeed),
  };
  return {
    host: opts.host,
    port: number('port', opts.port),
    seed: number('seed', opts.seed),
    scale: number('scale', opts.scale),
    ...(mean !== undefined ? { latencyMs: { meanMs: mean, jitterMs: jitter ?? 0 } } : {}),
    ...(rate !== undefined
      ? {
          rateLimit: {
            perSecond: rate,
            burst: number('rate-limit-burst', opts.rateLimitBurst) ?? Math.max(1, Math.ceil(rate)),
            scope: (scope ?? 'key') as 'key' | 'integration-partner',
          },
        }
      : {}),
    faults: Object.fromEntries(Object.entries(faults).filter(([, v]) => v !== undefined)),
    ...(opts.keysFile ? { keysFile: opts.keysFile } : {}),
    pageSize: {
      maxPerPage: number('max-per-page', opts.maxPerPage),
      emptyPageEvery: number('empty-page-every', opts.emptyPageEvery),
    },
    incrementalMaxPages: number('incremental-max-pages', opts.incrementalMaxPages),
    clock: {
      start: opts.clockStart === 'now' ? new Date().toISOString() : (opts.clockStart ?? '2026-11-01T00:00:00.000Z'),
      follow: !opts.frozenClock,
    },
    webhooks,
    ...(authErrorBody ? { compat: { authErrorBody: authErrorBody as 'envelope' | 'text' } } : {}),
    // Names are checked by resolveSandboxOptions, which lists the known features.
    ...(opts.withoutFeature?.length
      ? { features: Object.fromEntries(opts.withoutFeature.map((f) => [f, false])) }
      : {}),
  };
}

/** Starts the sandbox and prints where it listens and which keys it accepts. */
export async function startSandboxFromCli(opts: SandboxCliOptions, io: CliIo): Promise<RunningSandbox> {
  const options = sandboxOptionsFromCli(opts);
  const sandbox = await startSandbox({ ...options, logger: cliLogger(io, 'warn') }, { port: 4010, follow: true });
  const stats = sandbox.admin.stats();
  const lines = [
    `Ashby sandbox listening on ${sandbox.url}`,
    `  seed ${stats.seed}, ${stats.counts.candidates} candidates, ${stats.counts.jobs} jobs, ${stats.counts.users} users`,
    '  API keys (send as the Basic-auth username, empty password):',
    ...sandbox.engine.keys.map((k) => `    ${k.name.padEnd(18)} ${k.secret}${k.deactivated ? '  (deactivated)' : ''}`),
    `  admin: POST ${sandbox.url}/_sandbox/<command> with the sandbox_full key (docs/sandbox.md)`,
    '',
  ];
  io.out(lines.join('\n'));
  return sandbox;
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function registerSandboxCommand(program: Command, io: CliIo = processIo): void {
  program
    .command('sandbox')
    .description(SUMMARIES.sandbox)
    .option('--host <host>', 'interface to bind', '127.0.0.1')
    .option('--port <port>', 'port to listen on', '4010')
    .option('--seed <n>', 'data seed: the same seed and scale give the same data', '1')
    .option('--scale <n>', 'number of candidates (other entities scale with it)', '200')
    .option('--latency-ms <ms>', 'added delay per response')
    .option('--latency-jitter-ms <ms>', 'uniform ± jitter around --latency-ms')
    .option('--rate-limit <perSecond>', 'token bucket per key: requests per second')
    .option('--rate-limit-burst <n>', 'bucket size (default: the per-second rate)')
    .option(
      '--rate-limit-scope <scope>',
      '"key" or "integration-partner" (one bucket for all keys, X-RateLimit-Scope header)',
    )
    .option('--fault-5xx-rate <x>', 'share of calls answered 503 (0-1)')
    .option('--fault-reset-rate <x>', 'share of calls whose connection is reset (0-1)')
    .option('--fault-slow-body-rate <x>', 'share of responses sent slowly (0-1)')
    .option(
      '--fault-lost-response-rate <x>',
      'share of calls carried out whose connection is then reset before the answer (0-1)',
    )
    .option('--fault-seed <n>', 'seed of the fault dice (default: --seed)')
    .option('--keys-file <file>', 'YAML/JSON file of extra API keys (docs/sandbox.md)')
    .option('--max-per-page <n>', 'cap every page below the requested limit')
    .option('--empty-page-every <n>', 'make every n-th page of a pass empty')
    .option('--incremental-max-pages <n>', 'incremental passes larger than this fail with incremental_sync_too_large')
    .option(
      '--clock-start <iso|now>',
      'sandbox clock start (default 2026-11-01T00:00:00.000Z, fixed so data is reproducible)',
    )
    .option('--frozen-clock', 'keep the sandbox clock still (default: it follows real time)')
    .option('--webhook <url=secret>', 'POST webhook events to this URL, signed with the secret (repeatable)', collect)
    .option('--auth-error-body <kind>', '"envelope" (default) or "text" bodies for 401/403')
    .option(
      '--without-feature <name>',
      'an org feature the sandbox lacks: aiApplicationReview, fraudDetection, surveys or assessments (repeatable)',
      collect,
    )
    .action(async (opts: SandboxCliOptions) => {
      const sandbox = await startSandboxFromCli(opts, io);
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          resolve();
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      await sandbox.close();
      io.out('Ashby sandbox stopped\n');
    });
}
