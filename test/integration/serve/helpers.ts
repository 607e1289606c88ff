import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../../src/package-info.js';
import { BOOTSTRAP, REGISTRY_URL, uniqueName } from '../../support/stack.js';
export { waitFor } from '../../support/wait-for.js';

/**
 * Helpers of the service-mode integration tests: worker processes (`ashby-kafka serve`, the
 * built CLI) of one group on the shared broker, each stopped by PID; and a small REST client.
 */
export const TOKEN = `tok-${uniqueName('serve').replace(/\W/g, '')}`;
export const MASTER_KEY = `mk-${uniqueName('master').replace(/\W/g, '')}`;
/** Short, so that a killed worker's pipelines move within the test's patience. */
export const SESSION_TIMEOUT_MS = 10_000;

export interface GroupSettings {
  groupId: string;
  prefix: string;
  partitions: number;
}

export function groupSettings(partitions = 12): GroupSettings {
  const prefix = uniqueName('serve');
  return { groupId: `${prefix}.group`, prefix, partitions };
}

export interface WorkerProcess {
  id: string;
  proc: ChildProcess;
  pid: number;
  url: string;
  /** Every stderr line (JSON log lines) and stdout line the worker wrote. */
  output: string[];
  exited: Promise<number | null>;
}

export async function startWorker(
  id: string,
  group: GroupSettings,
  extraEnv: Record<string, string> = {},
): Promise<WorkerProcess> {
  const file = join(tmpdir(), `${uniqueName(`worker-${id}`)}.yaml`);
  writeFileSync(
    file,
    [
      `kafka: { bootstrap_servers: "${BOOTSTRAP}", librdkafka: { log_level: 0 } }`,
      `schema_registry: { url: "${REGISTRY_URL}" }`,
      'worker:',
      `  id: ${id}`,
      `  group_id: ${group.groupId}`,
      '  master_key: ${TEST_MASTER_KEY}',
      `  session_timeout_ms: ${SESSION_TIMEOUT_MS}`,
      '  rest: { port: 0, tokens: [ "${TEST_TOKEN}" ] }',
      `  topics: { config: ${group.prefix}.configs, status: ${group.prefix}.status, credentials: ${group.prefix}.credentials, assignment: ${group.prefix}.assignment, assignment_partitions: ${group.partitions} }`,
      '  restart: { min_backoff_ms: 500, max_backoff_ms: 5000 }',
      'logging: { level: info }',
      '',
    ].join('\n'),
  );
  const proc = spawn(process.execPath, [join(PACKAGE_ROOT, 'bin', 'ashby-kafka.js'), 'serve', '--config', file], {
    env: { ...process.env, TEST_MASTER_KEY: MASTER_KEY, TEST_TOKEN: TOKEN, ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  /** Kept after the run for diagnosis (the path is in the first line of a failure). */
  const logFile = join(tmpdir(), `${group.prefix}.${id}.log`);
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`worker ${id} did not start within 60 s:\n${output.slice(-20).join('\n')}`)),
      60_000,
    );
    const collect = (chunk: Buffer): void => {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line) continue;
        output.push(line);
        appendFileSync(logFile, `${line}\n`);
        const m = /listening on (http:\/\/\S+)/.exec(line);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      }
    };
    proc.stdout!.on('data', collect);
    proc.stderr!.on('data', collect);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`worker ${id} exited with ${code}:\n${output.slice(-20).join('\n')}`));
    });
  });
  return { id, proc, pid: proc.pid!, url, output, exited };
}

/** Stops a worker by its PID: SIGTERM (clean) or SIGKILL; resolves when it has exited. */
export async function stopWorker(w: WorkerProcess, signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
  if (w.proc.exitCode !== null || w.proc.signalCode !== null) return;
  process.kill(w.pid, signal);
  await Promise.race([w.exited, new Promise((r) => setTimeout(r, 40_000).unref())]);
  if (w.proc.exitCode === null && w.proc.signalCode === null) process.kill(w.pid, 'SIGKILL');
}

export interface ApiResponse<T = unknown> {
  status: number;
  body: T;
  text: string;
}

/** Every REST response body of the test, to check that no key ever appears in one. */
export const responses: string[] = [];

export async function api<T = any>(
  url: string,
  method: string,
  path: string,
  body?: unknown,
  token: string | null = TOKEN,
): Promise<ApiResponse<T>> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  responses.push(text);
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T, text };
}
