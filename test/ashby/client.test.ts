import { createServer } from 'node:net';
import { AshbyClient } from '../../src/ashby/client.js';
import {
  AshbyAbortedError,
  AshbyAmbiguousWriteError,
  AshbyApiError,
  AshbyNetworkError,
  AshbyPermissionError,
  AshbyServerError,
  AshbyTimeoutError,
} from '../../src/ashby/errors.js';
import { createLogger } from '../../src/log/logger.js';
import { clearSecretsForTests } from '../../src/log/secrets.js';
import { fail, memoryLog, ok, startFakeAshby, type FakeAshby } from './fake-ashby.js';
import { withAshbyDefaults, type AshbyClientOptionsInput } from '../../src/config/ashby-options.js';

const KEY = 'unit_test_key_4f1c9a7e2b';
const BASIC = Buffer.from(`${KEY}:`).toString('base64');
const fast = { retries: 3, minDelayMs: 1, maxDelayMs: 5 };
const roomy = { requestsPerSecond: 10_000, burst: 10_000, maxConcurrent: 8 };

let fake: FakeAshby;
const clients: AshbyClient[] = [];
function client(extra: Partial<AshbyClientOptionsInput> = {}): AshbyClient {
  const c = new AshbyClient(withAshbyDefaults({ apiKey: KEY, baseUrl: fake.url, retry: fast, rate: roomy, ...extra }));
  clients.push(c);
  return c;
}

beforeEach(async () => {
  fake = await startFakeAshby();
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await fake.close();
  clearSecretsForTests();
});

describe('AshbyClient transport', () => {
  it('POSTs JSON to /<endpoint> with Basic auth (key as user, empty password), the version headers and a User-Agent', async () => {
    fake.enqueue('candidate.info', ok({ id: 'c1' }));
    const res = await client({ ashbyVersion: '2026-01-01' }).call('candidate.info', { id: 'c1' });
    expect(res).toEqual({ results: { id: 'c1' }, requestId: '01JZ00000000000000000000HD', warnings: [] });
    const [req] = fake.requests;
    expect(req!.method).toBe('POST');
    expect(req!.path).toBe('/candidate.info');
    expect(req!.rawBody).toBe('{"id":"c1"}');
    expect(req!.headers.authorization).toBe(`Basic ${BASIC}`);
    expect(req!.headers['content-type']).toBe('application/json');
    expect(req!.headers.accept).toBe('application/json; version=1');
    expect(req!.headers['ashby-version']).toBe('2026-01-01');
    expect(req!.headers['user-agent']).toMatch(/^ashby-kafka\/\d+\.\d+\.\d+$/);
  });

  it('omits Ashby-Version unless pinned, sends {} for an empty body and keeps a base-URL path prefix', async () => {
    fake.enqueue('apiKey.info', ok({ title: 't', scopes: [] }));
    await client({ baseUrl: `${fake.url}/prefix/`, userAgent: 'custom/1' }).call('apiKey.info');
    const [req] = fake.requests;
    expect(req!.path).toBe('/prefix/apiKey.info');
    expect(req!.rawBody).toBe('{}');
    expect(req!.headers['ashby-version']).toBeUndefined();
    expect(req!.headers['user-agent']).toBe('custom/1');
  });

  it('returns warnings and logs them at warn with the request id', async () => {
    const log = memoryLog();
    fake.enqueue('application.create', ok({ id: 'a1' }, { warnings: ['unable_to_add_application_metadata'] }));
    const res = await client({ logger: createLogger({ write: log.write }) }).call(
      'application.create',
      {},
      { kind: 'write' },
    );
    expect(res.warnings).toEqual(['unable_to_add_application_metadata']);
    const line = JSON.parse(log.lines.find((l) => l.includes('warnings'))!);
    expect(line).toMatchObject({
      level: 'warn',
      msg: 'Ashby returned warnings',
      endpoint: 'application.create',
      warnings: ['unable_to_add_application_metadata'],
    });
  });

  it('rejects an empty key and a base URL that is not http(s) before any request', () => {
    expect(() => new AshbyClient(withAshbyDefaults({ apiKey: ' ' }))).toThrow(/API key is empty/);
    expect(() => new AshbyClient(withAshbyDefaults({ apiKey: KEY, baseUrl: 'ftp://x' }))).toThrow(
      /must start with http/,
    );
  });
});

describe('AshbyClient retries', () => {
  it('retries a read on 5xx and succeeds', async () => {
    fake.enqueue(
      'job.list',
      { status: 502, text: 'bad gateway' },
      { status: 503, json: {} },
      ok([], { moreDataAvailable: false }),
    );
    const res = await client().call('job.list', { limit: 1 });
    expect(res.results).toEqual([]);
    expect(fake.requests).toHaveLength(3);
  });

  it('gives up on a read after the configured retries with AshbyServerError', async () => {
    fake.fallback('job.list', () => ({ status: 500, text: 'no' }));
    await expect(
      client({ retry: { retries: 2, minDelayMs: 1, maxDelayMs: 2 } }).call('job.list'),
    ).rejects.toBeInstanceOf(AshbyServerError);
    expect(fake.requests).toHaveLength(3);
  });

  it('retries a 429 on a write, honouring Retry-After, and the retry body is identical', async () => {
    fake.enqueue(
      'candidate.create',
      { status: 429, headers: { 'retry-after': '0.2' }, json: { success: false, errors: ['rate_limit_exceeded'] } },
      ok({ id: 'c9' }),
    );
    const started = performance.now();
    const res = await client().call('candidate.create', { name: 'Ada' }, { kind: 'write' });
    expect(res.results).toEqual({ id: 'c9' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(195);
    expect(fake.requests.map((r) => r.rawBody)).toEqual(['{"name":"Ada"}', '{"name":"Ada"}']);
  });

  it('never retries an ambiguous create: a 500 on candidate.create is ASHBY_WRITE_OUTCOME_UNKNOWN after exactly one request', async () => {
    fake.fallback('candidate.create', () => ({ status: 500, text: 'boom' }));
    const err = await client()
      .call('candidate.create', { name: 'Ada' }, { kind: 'write' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AshbyAmbiguousWriteError);
    expect((err as AshbyAmbiguousWriteError).code).toBe('ASHBY_WRITE_OUTCOME_UNKNOWN');
    expect((err as Error).cause).toBeInstanceOf(AshbyServerError);
    expect(fake.requests).toHaveLength(1);
  });

  it('a write whose connection resets mid-request is ambiguous and not retried', async () => {
    fake.fallback('application.create', () => ({ destroy: true }));
    const err = await client()
      .call('application.create', { candidateId: 'c', jobId: 'j' }, { kind: 'write' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AshbyAmbiguousWriteError);
    expect((err as Error).cause).toBeInstanceOf(AshbyNetworkError);
    expect(fake.requests).toHaveLength(1);
  });

  it('a write that times out waiting for headers is ambiguous and not retried; the same read is retried', async () => {
    fake.fallback('candidate.create', () => ({ hang: true }));
    const c = client({ timeouts: { headersMs: 80 } });
    const err = await c.call('candidate.create', { name: 'Ada' }, { kind: 'write' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AshbyAmbiguousWriteError);
    expect((err as Error).cause).toBeInstanceOf(AshbyTimeoutError);
    expect(fake.requests).toHaveLength(1);

    fake.enqueue('candidate.info', { hang: true }, ok({ id: 'c1' }));
    const res = await c.call('candidate.info', { id: 'c1' });
    expect(res.results).toEqual({ id: 'c1' });
    expect(fake.requests.filter((r) => r.path === '/candidate.info')).toHaveLength(2);
  });

  it('a write whose connection is refused (nothing sent) is retried, then surfaces as a network error', async () => {
    const port = await freePort();
    const log = memoryLog();
    const c = client({
      baseUrl: `http://127.0.0.1:${port}`,
      retry: { retries: 2, minDelayMs: 1, maxDelayMs: 2 },
      logger: createLogger({ write: log.write }),
    });
    const err = await c.call('candidate.create', { name: 'Ada' }, { kind: 'write' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AshbyNetworkError);
    expect(err).toMatchObject({ requestSent: false, details: { systemCode: 'ECONNREFUSED', requestSent: false } });
    const retries = log.lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'retrying Ashby call');
    expect(retries.map((r) => [r.retry, r.code])).toEqual([
      [1, 'ASHBY_NETWORK'],
      [2, 'ASHBY_NETWORK'],
    ]);
  });

  it('does not retry final answers: API errors and permission errors surface after one request', async () => {
    fake.enqueue('candidate.info', fail('candidate_not_found'));
    await expect(client().call('candidate.info', { id: 'x' })).rejects.toMatchObject({
      code: 'ASHBY_API_ERROR',
      ashbyCode: 'candidate_not_found',
    });
    fake.enqueue('candidate.create', fail('missing_endpoint_permission', 403));
    await expect(client().call('candidate.create', { name: 'x' }, { kind: 'write' })).rejects.toBeInstanceOf(
      AshbyPermissionError,
    );
    expect(fake.requests).toHaveLength(2);
  });

  it('a 200 success:false write is a definite answer, not an ambiguous one', async () => {
    fake.enqueue('application.changeStage', fail('invalid_input'));
    const err = await client()
      .call('application.changeStage', {}, { kind: 'write' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AshbyApiError);
    expect(err).not.toBeInstanceOf(AshbyAmbiguousWriteError);
  });

  it('shutdown: aborting the client signal ends a Retry-After wait at once', async () => {
    const ac = new AbortController();
    fake.fallback('job.list', () => ({
      status: 429,
      headers: { 'retry-after': '5' },
      json: { success: false, errors: ['rate_limit_exceeded'] },
    }));
    const c = client({
      signal: ac.signal,
      retry: { retries: 3, minDelayMs: 1, maxDelayMs: 2, maxRetryAfterMs: 60_000 },
    });
    const started = performance.now();
    const run = c.call('job.list');
    setTimeout(() => ac.abort(), 50);
    const err = await run.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AshbyAbortedError);
    expect(err).toMatchObject({ endpoint: 'job.list' });
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it("a call given the client's own signal (as the source's streams are) is aborted by it", async () => {
    fake.fallback('job.list', () => ({ hang: true }));
    const ac = new AbortController();
    const run = client({ signal: ac.signal }).call('job.list', {}, { signal: ac.signal });
    setTimeout(() => ac.abort(), 40);
    await expect(run).rejects.toBeInstanceOf(AshbyAbortedError);
  });

  it("a call is aborted by its own signal while the client's is still live", async () => {
    fake.fallback('job.list', () => ({ hang: true }));
    const call = new AbortController();
    const run = client({ signal: new AbortController().signal }).call('job.list', {}, { signal: call.signal });
    setTimeout(() => call.abort(), 40);
    await expect(run).rejects.toBeInstanceOf(AshbyAbortedError);
  });

  it('aborting a write in flight is ambiguous', async () => {
    fake.fallback('candidate.create', () => ({ hang: true }));
    const ac = new AbortController();
    const run = client().call('candidate.create', { name: 'x' }, { kind: 'write', signal: ac.signal });
    setTimeout(() => ac.abort(), 40);
    await expect(run).rejects.toBeInstanceOf(AshbyAmbiguousWriteError);
  });
});

describe('AshbyClient and the key', () => {
  it('never prints the key or its Authorization form in errors or debug logs', async () => {
    const log = memoryLog();
    fake.enqueue('candidate.create', fail('missing_endpoint_permission', 403));
    fake.fallback('job.list', () => ({ status: 500, text: `echo ${KEY} Basic ${BASIC}` }));
    const c = client({
      logger: createLogger({ level: 'trace', write: log.write }),
      retry: { retries: 1, minDelayMs: 1, maxDelayMs: 1 },
    });
    const errors = [
      await c.call('candidate.create', { name: 'x' }, { kind: 'write' }).catch((e: unknown) => e),
      await c.call('job.list').catch((e: unknown) => e),
    ] as Error[];
    const printed = [...log.lines, ...errors.flatMap((e) => [e.message, String(e.stack), JSON.stringify(e)])].join(
      '\n',
    );
    expect(log.lines.length).toBeGreaterThan(2);
    expect(printed).not.toContain(KEY);
    expect(printed).not.toContain(BASIC.replace(/=+$/, ''));
  });
});

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}
