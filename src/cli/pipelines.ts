import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { Command } from 'commander';
import { parseYamlWithReferences } from '../config/load.js';
import { AshbyKafkaError, ConfigError } from '../errors.js';
import type { CliIo } from './output.js';
import { SUMMARIES } from './summaries.js';

/**
 * `ashby-kafka pipelines list|create|status|pause|resume|restart|delete`: a thin client of a
 * worker's REST API. `--url` (or $ASHBY_KAFKA_URL, default http://127.0.0.1:8083) and
 * `--token` (or $ASHBY_KAFKA_TOKEN). `create --config FILE` sends the file as it is: `${ENV}`
 * references are resolved by the workers, never by the client.
 */
interface ClientOptions {
  url?: string;
  token?: string;
  /** Seconds to wait for the worker's answer (a worker that cannot reach Kafka may never answer). */
  timeout?: string;
}

const DEFAULT_TIMEOUT_S = 30;

export async function callApi(
  opts: ClientOptions,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: unknown }> {
  const url = (opts.url ?? process.env.ASHBY_KAFKA_URL ?? 'http://127.0.0.1:8083').replace(/\/+$/, '');
  const token = opts.token ?? process.env.ASHBY_KAFKA_TOKEN;
  const timeoutS = opts.timeout === undefined ? DEFAULT_TIMEOUT_S : Number(opts.timeout);
  if (!Number.isFinite(timeoutS) || timeoutS <= 0) {
    throw new ConfigError(`--timeout must be a positive number of seconds (got "${opts.timeout}")`);
  }
  let res: Response;
  let text: string;
  try {
    res = await fetch(`${url}${path}`, {
      method,
      signal: AbortSignal.timeout(timeoutS * 1000),
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    text = await res.text();
  } catch (err) {
    const e = err as Error;
    const why =
      e.name === 'TimeoutError'
        ? `no answer within ${timeoutS} s (a worker that cannot reach Kafka waits for it: check its /readyz and log; --timeout sets the wait)`
        : e.message;
    throw new AshbyKafkaError(
      'SERVE_UNREACHABLE',
      `cannot reach the worker at ${url}: ${why}; check --url (or ASHBY_KAFKA_URL) and that \`ashby-kafka serve\` runs`,
    );
  }
  const parsed = parseBody(text);
  if (res.status >= 400) {
    const e = (parsed ?? {}) as { error_code?: string; message?: string; problems?: string[] };
    const problems = e.problems?.length ? `\n${e.problems.map((p) => `  - ${p}`).join('\n')}` : '';
    throw new AshbyKafkaError(
      e.error_code ?? 'SERVE_BAD_REQUEST',
      `${method} ${path}: HTTP ${res.status}: ${e.message ?? text}${problems && !(e.message ?? '').includes('\n') ? problems : ''}`,
    );
  }
  return { status: res.status, body: parsed };
}

/** The worker answers JSON; anything else (a proxy's error page) is kept as text for the message. */
function parseBody(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return { message: text.slice(0, 500) };
  }
}

async function readPipelineFile(file: string): Promise<unknown> {
  const text = await readFile(file, 'utf8').catch((err: Error) => {
    throw new ConfigError(`cannot read ${file}: ${err.message}`);
  });
  return extname(file) === '.json' ? JSON.parse(text) : parseYamlWithReferences(text);
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return `${rows
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')}\n`;
}

export function registerPipelinesCommand(program: Command, io: CliIo): void {
  const cmd = program.command('pipelines').description(SUMMARIES.pipelines);
  const withClient = (c: Command): Command =>
    c
      .option('--url <url>', "a worker's REST address (default $ASHBY_KAFKA_URL or http://127.0.0.1:8083)")
      .option('--token <token>', 'bearer token (default $ASHBY_KAFKA_TOKEN)')
      .option('--timeout <seconds>', `how long to wait for the worker's answer (default ${DEFAULT_TIMEOUT_S})`);
  const print = (v: unknown): void => io.out(`${JSON.stringify(v, null, 2)}\n`);

  withClient(cmd.command('list').description('list pipelines with their state and worker')).action(
    async (o: ClientOptions) => {
      const list = (await callApi(o, 'GET', '/pipelines')).body as Array<{
        name: string;
        kind: string;
        target: string;
      }>;
      const rows = [['NAME', 'KIND', 'STATE', 'WORKER']];
      for (const p of list) {
        const s = (await callApi(o, 'GET', `/pipelines/${encodeURIComponent(p.name)}/status`)).body as {
          state: string;
          worker_id: string | null;
        };
        rows.push([p.name, p.kind, s.state, s.worker_id ?? '-']);
      }
      io.out(table(rows));
    },
  );
  withClient(
    cmd
      .command('create')
      .description('create a pipeline from a pipeline file')
      .requiredOption('--name <name>', 'pipeline name')
      .requiredOption('-c, --config <file>', 'pipeline file (YAML or JSON)'),
  ).action(async (o: ClientOptions & { name: string; config: string }) =>
    print((await callApi(o, 'POST', '/pipelines', { name: o.name, config: await readPipelineFile(o.config) })).body),
  );
  withClient(cmd.command('status <name>').description('state, worker, streams and last error of a pipeline')).action(
    async (name: string, o: ClientOptions) =>
      print((await callApi(o, 'GET', `/pipelines/${encodeURIComponent(name)}/status`)).body),
  );
  for (const [verb, method, what] of [
    ['pause', 'PUT', 'pause a pipeline'],
    ['resume', 'PUT', 'resume a paused pipeline'],
    ['restart', 'POST', 'restart a pipeline'],
  ] as const) {
    withClient(cmd.command(`${verb} <name>`).description(what)).action(async (name: string, o: ClientOptions) => {
      await callApi(o, method, `/pipelines/${encodeURIComponent(name)}/${verb}`);
      io.out(`${name}: ${verb} requested\n`);
    });
  }
  withClient(cmd.command('delete <name>').description('stop and delete a pipeline (its topics and state stay)')).action(
    async (name: string, o: ClientOptions) => {
      await callApi(o, 'DELETE', `/pipelines/${encodeURIComponent(name)}`);
      io.out(`${name}: deleted\n`);
    },
  );
}
