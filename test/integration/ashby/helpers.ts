import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AshbyClient } from '../../../src/ashby/index.js';
import { afterAll, afterEach, beforeAll } from '@jest/globals';
import { clearSecretsForTests } from '../../../src/log/secrets.js';
import { startSandbox, type RunningSandbox } from '../../../src/sandbox/index.js';
import type { SandboxOptions } from '../../../src/sandbox/index.js';
import { withAshbyDefaults, type AshbyClientOptionsInput } from '../../../src/config/ashby-options.js';

/**
 * Shared set-up for the client's integration tests: a real sandbox over HTTP, clients with tiny
 * backoff delays (Retry-After still wins: that is what the tests measure), and a small real
 * HTTP proxy that rewrites what the sandbox cannot produce itself (an HTTP-date Retry-After,
 * a request whose Authorization header was stripped on the way).
 */
export const FAST_RETRY = { retries: 3, minDelayMs: 1, maxDelayMs: 10 };
export const ROOMY_RATE = { requestsPerSecond: 10_000, burst: 10_000, maxConcurrent: 8 };

/** Extra sandbox keys used across the tests (secrets are not credentials). */
export const TEST_KEYS = [
  { name: 'jobs_only', secret: 'jobs-only-secret-1234', title: 'Job board', permissions: ['jobsRead'] },
  {
    name: 'no_apikeys',
    secret: 'no-apikeys-secret-5678',
    title: 'Reader',
    permissions: ['jobsRead', 'candidatesRead', 'organizationRead'],
    confidential: true,
  },
  { name: 'retired', secret: 'retired-secret-9012', permissions: ['*'], deactivated: true },
];

export async function sandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  return startSandbox({ seed: 7, scale: 120, keys: TEST_KEYS, ...options });
}

/**
 * Registers the file's hooks: one sandbox for the file (handed to `ready`), and after each test
 * the clients closed, forced outcomes and the call log cleared, registered secrets forgotten.
 * Returns the pool tests make their clients from.
 */
export function withSandbox(options: SandboxOptions, ready: (sb: RunningSandbox) => void): ClientPool {
  const pool = new ClientPool();
  let sb: RunningSandbox | undefined;
  beforeAll(async () => {
    sb = await sandbox(options);
    ready(sb);
  });
  afterAll(async () => {
    await sb?.close();
  });
  afterEach(async () => {
    await pool.closeAll();
    sb?.admin.clearForced();
    sb?.admin.resetCallLog();
    clearSecretsForTests();
  });
  return pool;
}

export class ClientPool {
  private readonly clients: AshbyClient[] = [];
  make(baseUrl: string, apiKey: string, extra: Partial<AshbyClientOptionsInput> = {}): AshbyClient {
    const c = new AshbyClient(withAshbyDefaults({ apiKey, baseUrl, retry: FAST_RETRY, rate: ROOMY_RATE, ...extra }));
    this.clients.push(c);
    return c;
  }
  async closeAll(): Promise<void> {
    await Promise.all(this.clients.splice(0).map((c) => c.close()));
  }
}

export interface RewritingProxy {
  url: string;
  close(): Promise<void>;
}

export interface ProxyRules {
  /** Drop the Authorization header before forwarding (a misconfigured proxy). */
  stripAuth?: boolean;
  /** Turn a delta-seconds Retry-After into the equivalent HTTP date. */
  retryAfterAsDate?: boolean;
}

/** A forwarding HTTP proxy in front of the sandbox; every request still reaches the sandbox. */
export async function rewritingProxy(target: string, rules: ProxyRules): Promise<RewritingProxy> {
  const to = new URL(target);
  const server: Server = createServer((req, res) => {
    const headers: IncomingHttpHeaders = { ...req.headers, host: to.host };
    if (rules.stripAuth) delete headers.authorization;
    const upstream = httpRequest(
      { host: to.hostname, port: to.port, path: req.url, method: req.method, headers },
      (up) => {
        const out = { ...up.headers };
        const ra = out['retry-after'];
        if (rules.retryAfterAsDate && typeof ra === 'string' && /^\d+$/.test(ra)) {
          out['retry-after'] = new Date(Date.now() + Number(ra) * 1000).toUTCString();
        }
        res.writeHead(up.statusCode ?? 502, out);
        up.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Resolves to the error a promise rejects with (fails the test when it resolves). */
export async function rejection(p: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await p;
  } catch (err) {
    return err as Error & Record<string, unknown>;
  }
  throw new Error('expected the call to fail');
}

export async function drain<T>(pages: AsyncIterable<{ results: T[] }>): Promise<T[]> {
  const out: T[] = [];
  for await (const p of pages) out.push(...p.results);
  return out;
}
