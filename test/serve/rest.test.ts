import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry, Counter } from 'prom-client';
import { PipelineConfigSchema } from '../../src/config/schema.js';
import { ConfigError } from '../../src/errors.js';
import { silentLogger } from '../../src/log/logger.js';
import { registerSecret } from '../../src/log/secrets.js';
import { ServeError } from '../../src/serve/errors.js';
import type { PipelineStatus } from '../../src/serve/model.js';
import { buildRestServer } from '../../src/serve/rest/server.js';
import type { PipelineView, ServiceApi } from '../../src/serve/service.js';

/** The REST layer over a fake service: routes, status codes, error bodies, auth. */
const TOKEN = 'rest-test-token-0123456789';
const SECRET_KEY = 'sk_rest_test_never_shown_0123456789';
registerSecret(SECRET_KEY);

class FakeService implements ServiceApi {
  pipelines = new Map<string, PipelineView>();
  calls: string[] = [];
  isReady = true;
  async list() {
    return [...this.pipelines.values()];
  }
  async get(name: string) {
    const p = this.pipelines.get(name);
    if (!p) throw new ServeError('SERVE_NOT_FOUND', `no pipeline named ${name}`);
    return p;
  }
  async create(name: string, config: unknown) {
    if (this.pipelines.has(name)) throw new ServeError('SERVE_CONFLICT', `pipeline ${name} already exists`);
    await this.validate(name, config);
    const v: PipelineView = {
      name,
      config: config as Record<string, unknown>,
      kind: 'source',
      target: 'RUNNING',
      created_at: 'now',
      updated_at: 'now',
    };
    this.pipelines.set(name, v);
    return v;
  }
  async update(name: string, config: unknown) {
    const created = !this.pipelines.has(name);
    this.pipelines.delete(name);
    return { view: await this.create(name, config), created };
  }
  async remove(name: string) {
    await this.get(name);
    this.pipelines.delete(name);
  }
  async validate(_name: string, config: unknown) {
    const c = config as { source?: { mode?: string }; ashby?: unknown };
    const problems: string[] = [];
    if (!c.ashby) problems.push('ashby: is required');
    if (c.source?.mode === 'bad') problems.push('source.mode: must be one of incremental, full_refresh (got "bad")');
    if (problems.length) throw new ConfigError(`invalid pipeline:\n${problems.join('\n')}`, { problems });
  }
  async status(name: string): Promise<PipelineStatus> {
    await this.get(name);
    return { name, state: 'RUNNING', worker_id: 'w1', generation: 1, streams: [], failures: 0, updated_at: 'now' };
  }
  async pause(name: string) {
    await this.get(name);
    this.calls.push(`pause ${name}`);
  }
  async resume(name: string) {
    this.calls.push(`resume ${name}`);
  }
  async restart(name: string) {
    this.calls.push(`restart ${name}`);
  }
  async state() {
    return { kind: 'source', streams: {} };
  }
  async resetState(name: string): Promise<Record<string, unknown>> {
    throw new ServeError('SERVE_NOT_PAUSED', `pipeline ${name} must be paused`);
  }
  credentials = {
    list: () => [],
    get: (name: string) => {
      throw new ServeError('SERVE_NOT_FOUND', `no credential named ${name}`);
    },
    add: async (name: string, key: string) => {
      throw new AshbyLikeError(`the key ${key} was refused for ${name}`);
    },
    rotate: async () => {
      throw new Error('not used');
    },
    remove: async (name: string) => {
      throw new ServeError('SERVE_CREDENTIAL_IN_USE', `credential ${name} is used by p1`);
    },
  } as unknown as ServiceApi['credentials'];
  ready() {
    return this.isReady;
  }
  async deadLetters(name: string, opts: { limit: number; from?: number }) {
    this.calls.push(`dead-letters ${name} ${JSON.stringify(opts)}`);
    return { topic: 'dlq', value_format: 'json' as const, dead_letters: [] };
  }
  async resendDeadLetter(name: string, id: string, command: Record<string, unknown>) {
    this.calls.push(`resend ${name} ${id} ${JSON.stringify(command)}`);
    return { topic: 'cmds', partition: 0, offset: 7, idempotency_key: 'k1' };
  }
  async history(name: string) {
    await this.get(name);
    return { name, worker_id: 'w1', minutes: [] };
  }
}

class AshbyLikeError extends ServeError {
  constructor(message: string) {
    super('SERVE_BAD_REQUEST', message);
  }
}

/** A stand-in for the console's bundle (dist/console), next to a file that must not be served. */
const CONSOLE_DIR = mkdtempSync(join(tmpdir(), 'console-'));
writeFileSync(join(CONSOLE_DIR, 'index.html'), '<!doctype html><title>console</title>');
writeFileSync(join(CONSOLE_DIR, 'app.js'), 'export {};');
writeFileSync(join(CONSOLE_DIR, 'notes.txt'), 'not part of the console');

const registry = new Registry();
new Counter({ name: 'rest_test_total', help: 'a test counter', registers: [registry] }).inc(3);
const service = new FakeService();
const app = buildRestServer({
  api: service,
  tokens: ['another-token-abcdefghij', TOKEN],
  registry,
  logger: silentLogger,
  consoleDir: CONSOLE_DIR,
});
const auth = { authorization: `Bearer ${TOKEN}` };
let base = '';
beforeAll(async () => {
  base = await app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(() => app.close());

/** Over real HTTP (Fastify's inject loads an ESM-only dependency that Jest's VM cannot require). */
async function inject(req: {
  method: string;
  url: string;
  headers?: Record<string, string | undefined>;
  payload?: unknown;
}) {
  const res = await fetch(`${base}${req.url}`, {
    method: req.method,
    headers: {
      ...(Object.fromEntries(Object.entries(req.headers ?? {}).filter(([, v]) => v !== undefined)) as Record<
        string,
        string
      >),
      ...(req.payload !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(req.payload !== undefined ? { body: JSON.stringify(req.payload) } : {}),
  });
  const body = await res.text();
  return {
    statusCode: res.status,
    body,
    headers: { 'content-type': res.headers.get('content-type') ?? '' },
    json: () => JSON.parse(body),
  };
}

const config = { ashby: { credential: 'acme' }, source: { streams: ['candidates'] } };

describe('REST API', () => {
  it('refuses requests without a valid bearer token with 401 {error_code, message}', async () => {
    for (const headers of [{}, { authorization: 'Bearer wrong-token' }, { authorization: TOKEN }]) {
      const res = await inject({ method: 'GET', url: '/pipelines', headers });
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual({ error_code: 'SERVE_UNAUTHORIZED', message: expect.stringContaining('Bearer') });
    }
    expect(
      (
        await inject({
          method: 'GET',
          url: '/pipelines',
          headers: { authorization: 'Bearer another-token-abcdefghij' },
        })
      ).statusCode,
    ).toBe(200);
  });

  it('serves /metrics, /healthz and /readyz without a token', async () => {
    const metrics = await inject({ method: 'GET', url: '/metrics' });
    expect(metrics.statusCode).toBe(200);
    expect(metrics.headers['content-type']).toContain('text/plain');
    expect(metrics.body).toContain('rest_test_total 3');
    expect((await inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    expect((await inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    service.isReady = false;
    expect((await inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(503);
    service.isReady = true;
  });

  it('creates with 201, conflicts with 409, lists, reads and deletes', async () => {
    const created = await inject({ method: 'POST', url: '/pipelines', headers: auth, payload: { name: 'p1', config } });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ name: 'p1', config });
    const again = await inject({ method: 'POST', url: '/pipelines', headers: auth, payload: { name: 'p1', config } });
    expect(again.statusCode).toBe(409);
    expect(again.json().error_code).toBe('SERVE_CONFLICT');
    expect(
      (await inject({ method: 'GET', url: '/pipelines', headers: auth })).json().map((p: PipelineView) => p.name),
    ).toEqual(['p1']);
    expect((await inject({ method: 'GET', url: '/pipelines/p1/status', headers: auth })).json()).toMatchObject({
      name: 'p1',
      state: 'RUNNING',
      worker_id: 'w1',
    });
    expect((await inject({ method: 'PUT', url: '/pipelines/p1', headers: auth, payload: { config } })).statusCode).toBe(
      200,
    );
    expect((await inject({ method: 'PUT', url: '/pipelines/p2', headers: auth, payload: { config } })).statusCode).toBe(
      201,
    );
    expect((await inject({ method: 'DELETE', url: '/pipelines/p1', headers: auth })).statusCode).toBe(204);
    const gone = await inject({ method: 'GET', url: '/pipelines/p1', headers: auth });
    expect(gone.statusCode).toBe(404);
    expect(gone.json()).toEqual({ error_code: 'SERVE_NOT_FOUND', message: 'no pipeline named p1' });
  });

  it('answers 400 listing every config problem', async () => {
    const res = await inject({
      method: 'PUT',
      url: '/pipelines/p3/validate',
      headers: auth,
      payload: { config: { source: { mode: 'bad' } } },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      error_code: 'CONFIG_INVALID',
      problems: ['ashby: is required', 'source.mode: must be one of incremental, full_refresh (got "bad")'],
    });
    expect(
      (await inject({ method: 'PUT', url: '/pipelines/p3/validate', headers: auth, payload: { config } })).json(),
    ).toEqual({ name: 'p3', valid: true });
  });

  it('answers 400 for a malformed body, 404 for an unknown route', async () => {
    const res = await inject({ method: 'POST', url: '/pipelines', headers: auth, payload: { config } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error_code).toBe('SERVE_BAD_REQUEST');
    expect((await inject({ method: 'GET', url: '/nothing', headers: auth })).statusCode).toBe(404);
  });

  it('pause, resume and restart answer 202; a state reset while running 409', async () => {
    for (const [method, verb] of [
      ['PUT', 'pause'],
      ['PUT', 'resume'],
      ['POST', 'restart'],
    ] as const) {
      expect((await inject({ method, url: `/pipelines/p2/${verb}`, headers: auth })).statusCode).toBe(202);
    }
    expect(service.calls).toEqual(['pause p2', 'resume p2', 'restart p2']);
    const reset = await inject({ method: 'DELETE', url: '/pipelines/p2/state', headers: auth });
    expect(reset.statusCode).toBe(409);
    expect(reset.json().error_code).toBe('SERVE_NOT_PAUSED');
  });

  it('lists dead letters with ?limit and ?from as numbers, re-sends one by id, serves the history', async () => {
    service.calls = [];
    const list = await inject({ method: 'GET', url: '/pipelines/p2/dead-letters?limit=5&from=10', headers: auth });
    expect(list.statusCode).toBe(200);
    expect(list.json()).toEqual({ topic: 'dlq', value_format: 'json', dead_letters: [] });
    await inject({ method: 'GET', url: '/pipelines/p2/dead-letters', headers: auth });
    const bad = await inject({ method: 'GET', url: '/pipelines/p2/dead-letters?limit=500', headers: auth });
    expect(bad.statusCode).toBe(400);
    const resend = await inject({
      method: 'POST',
      url: '/pipelines/p2/dead-letters/0-3/resend',
      headers: auth,
      payload: { command: { operation: 'create', name: 'Ada' } },
    });
    expect(resend.statusCode).toBe(202);
    expect(resend.json()).toEqual({ topic: 'cmds', partition: 0, offset: 7, idempotency_key: 'k1' });
    const badId = await inject({
      method: 'POST',
      url: '/pipelines/p2/dead-letters/x/resend',
      headers: auth,
      payload: { command: {} },
    });
    expect(badId.statusCode).toBe(400);
    expect(service.calls).toEqual([
      'dead-letters p2 {"limit":5,"from":10}',
      'dead-letters p2 {"limit":50}',
      'resend p2 0-3 {"operation":"create","name":"Ada"}',
    ]);
    expect((await inject({ method: 'GET', url: '/pipelines/nope/history', headers: auth })).statusCode).toBe(404);
    expect((await inject({ method: 'GET', url: '/pipelines/p2/dead-letters' })).statusCode).toBe(401);
  });

  it('refuses to delete a credential in use (409) and never echoes a key', async () => {
    expect((await inject({ method: 'DELETE', url: '/credentials/acme', headers: auth })).statusCode).toBe(409);
    const res = await inject({
      method: 'POST',
      url: '/credentials',
      headers: auth,
      payload: { name: 'acme', key: SECRET_KEY },
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).not.toContain(SECRET_KEY);
  });

  it('serves the stream and command catalog with the scope each needs', async () => {
    expect((await inject({ method: 'GET', url: '/catalog' })).statusCode).toBe(401);
    const res = await inject({ method: 'GET', url: '/catalog', headers: auth });
    expect(res.statusCode).toBe(200);
    const catalog = res.json();
    expect(catalog.modules).toContainEqual({ key: 'candidates', label: 'Candidates' });
    expect(catalog.streams).toContainEqual(
      expect.objectContaining({ name: 'candidates', module: 'Candidates', scope: 'candidates:read' }),
    );
    expect(catalog.commands).toContainEqual(
      expect.objectContaining({
        entity: 'candidate',
        operation: 'create',
        scopes: expect.arrayContaining(['candidates:write']),
      }),
    );
  });

  it('serves the pipeline config schema as JSON Schema, the one that validates files', async () => {
    const res = await inject({ method: 'GET', url: '/schemas/pipeline', headers: auth });
    expect(res.statusCode).toBe(200);
    const schema = res.json();
    expect(schema).toEqual(JSON.parse(JSON.stringify(PipelineConfigSchema)));
    expect(schema.properties.source.properties.mode).toMatchObject({
      default: 'incremental',
      description: expect.stringContaining('sync tokens'),
    });
  });

  it('serves the console at /ui without a token, with a strict CSP, and nothing else from its folder', async () => {
    const page = await fetch(`${base}/ui/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('content-security-policy')).not.toContain('unsafe-inline');
    expect(await page.text()).toContain('<title>console</title>');
    const script = await fetch(`${base}/ui/app.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toContain('text/javascript');
    const redirect = await fetch(`${base}/ui`, { redirect: 'manual' });
    expect([redirect.status, redirect.headers.get('location')]).toEqual([302, '/ui/']);
    for (const path of ['/ui/notes.txt', '/ui/app.css', '/ui/..%2Fpackage.json', '/ui/%2e%2e%2fnotes.txt'])
      expect([path, (await fetch(`${base}${path}`)).status]).toEqual([path, 404]);
  });
});
