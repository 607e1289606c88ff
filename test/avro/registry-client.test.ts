import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { RegistryClient, routeOf } from '../../src/avro/registry/registry-client.js';
import {
  RegistryAuthError,
  RegistryIncompatibleSchemaError,
  RegistryNotFoundError,
  RegistryRequestError,
  RegistryUnavailableError,
} from '../../src/avro/errors.js';
import { scrub } from '../../src/log/secrets.js';
import { createLogger, type Logger } from '../../src/log/logger.js';
import { startFakeRegistry, type FakeRegistry } from './fake-registry.js';

let registry: FakeRegistry;

beforeAll(async () => {
  registry = await startFakeRegistry();
});
afterAll(() => registry.close());
beforeEach(() => {
  registry.requests.length = 0;
  registry.failNext.length = 0;
  registry.dropNext.count = 0;
});

/** Retries without waiting, so the tests do not sleep through the default backoff. */
const quickRetry = { retries: 2, minDelayMs: 1, maxDelayMs: 2 };

function capturingLogger(): { logger: Logger; warnings: Array<[string, Record<string, unknown>]> } {
  const warnings: Array<[string, Record<string, unknown>]> = [];
  const logger = createLogger({ level: 'silent' });
  logger.warn = (msg: string, fields?: Record<string, unknown>) => void warnings.push([msg, fields ?? {}]);
  return { logger, warnings };
}

const SCHEMA = '{"type":"record","name":"R","fields":[{"name":"a","type":"string"}]}';

describe('RegistryClient', () => {
  it('lists subjects (what `check` calls), and a refused key is a RegistryAuthError', async () => {
    const client = new RegistryClient({ url: registry.url, auth: { username: 'u', password: 'p' } });
    await client.register('listed-value', SCHEMA);
    expect(await client.subjects()).toContain('listed-value');
    expect(registry.requests.at(-1)).toMatchObject({
      method: 'GET',
      path: '/subjects',
      headers: expect.objectContaining({ authorization: `Basic ${Buffer.from('u:p').toString('base64')}` }),
    });
    registry.failNext.push([401, { error_code: 40101, message: 'Unauthorized' }]);
    await expect(client.subjects()).rejects.toBeInstanceOf(RegistryAuthError);
    await client.close();
  });

  it('registers with the registry media type and the exact body, and looks the schema up again', async () => {
    const client = new RegistryClient({ url: registry.url });
    const id = await client.register('orders-value', SCHEMA);
    expect(await client.lookup('orders-value', SCHEMA)).toBe(id);
    expect(await client.lookup('orders-value', '"string"')).toBeUndefined();
    expect(await client.schemaById(id)).toBe(SCHEMA);
    expect(registry.requests[0]).toMatchObject({
      method: 'POST',
      path: '/subjects/orders-value/versions',
      body: { schemaType: 'AVRO', schema: SCHEMA },
      headers: expect.objectContaining({ 'content-type': 'application/vnd.schemaregistry.v1+json' }),
    });
    await client.close();
  });

  it("sets and reads a subject's compatibility level", async () => {
    const client = new RegistryClient({ url: registry.url });
    await client.setCompatibility('a.b-value', 'FULL_TRANSITIVE');
    expect(await client.getCompatibility('a.b-value')).toBe('FULL_TRANSITIVE');
    expect(await client.getCompatibility('never-set')).toBeUndefined();
    expect(registry.requests[0]).toMatchObject({
      method: 'PUT',
      path: '/config/a.b-value',
      body: { compatibility: 'FULL_TRANSITIVE' },
    });
    await client.close();
  });

  it('sends basic or bearer credentials and registers them as secrets', async () => {
    const basic = new RegistryClient({ url: registry.url, auth: { username: 'svc', password: 'registry-pass-123' } });
    await basic.getCompatibility('x');
    expect(registry.requests.at(-1)!.headers.authorization).toBe(
      `Basic ${Buffer.from('svc:registry-pass-123').toString('base64')}`,
    );
    const bearer = new RegistryClient({ url: registry.url, auth: { bearerToken: 'tok-abcdef-123456' } });
    await bearer.getCompatibility('x');
    expect(registry.requests.at(-1)!.headers.authorization).toBe('Bearer tok-abcdef-123456');
    expect(scrub('pw registry-pass-123 token tok-abcdef-123456')).toBe('pw [REDACTED] token [REDACTED]');
    await Promise.all([basic.close(), bearer.close()]);
  });

  it.each([
    [
      409,
      { error_code: 409, message: 'Incompatible artifact: s [AVRO]' },
      RegistryIncompatibleSchemaError,
      'REGISTRY_INCOMPATIBLE_SCHEMA',
      false,
    ],
    [503, { message: 'down' }, RegistryUnavailableError, 'REGISTRY_UNAVAILABLE', true],
    [429, { message: 'slow down' }, RegistryUnavailableError, 'REGISTRY_UNAVAILABLE', true],
    [401, { message: 'no' }, RegistryAuthError, 'REGISTRY_AUTH_FAILED', false],
    [422, { error_code: 42201, message: 'Invalid schema' }, RegistryRequestError, 'REGISTRY_REQUEST_FAILED', false],
  ])('maps HTTP %i on register to %p', async (status, body, cls, code, retriable) => {
    const client = new RegistryClient({ url: registry.url, retry: { retries: 0 } });
    registry.failNext.push([status, body]);
    if (status === 409) registry.failNext.push([200, { compatibilityLevel: 'BACKWARD' }]);
    const err = await client.register('s-value', SCHEMA).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(cls);
    expect(err).toMatchObject({ code, retriable, httpStatus: status });
    await client.close();
  });

  it('says which subject and level an incompatible schema breaks', async () => {
    const client = new RegistryClient({ url: registry.url });
    registry.failNext.push(
      [409, { error_code: 409, message: 'Incompatible artifact: s [AVRO], list of diff types: [b at /fields/1]' }],
      [200, { compatibilityLevel: 'BACKWARD' }],
    );
    await expect(client.register('ashby.candidates-value', SCHEMA)).rejects.toThrow(
      'the schema for subject "ashby.candidates-value" is not BACKWARD-compatible with the versions already registered (registry said: Incompatible artifact: s [AVRO], list of diff types: [b at /fields/1])',
    );
    await client.close();
  });

  it('reports an unknown schema id as not found', async () => {
    const client = new RegistryClient({ url: registry.url });
    await expect(client.schemaById(987654)).rejects.toBeInstanceOf(RegistryNotFoundError);
    await client.close();
  });

  it('reports an unreachable registry as retriable REGISTRY_UNAVAILABLE', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer();
      s.listen(0, '127.0.0.1', () => {
        const p = (s.address() as AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    const client = new RegistryClient({ url: `http://127.0.0.1:${port}`, timeoutMs: 2000, retry: quickRetry });
    const err = await client.register('s', SCHEMA).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RegistryUnavailableError);
    expect(err).toMatchObject({ retriable: true });
    expect((err as Error).message).toMatch(
      /schema registry at http:\/\/127\.0\.0\.1:\d+ is unavailable \(register a schema for subject "s": ECONNREFUSED/,
    );
    await client.close();
  });

  it('retries a 429 or 5xx answer, logs each retry, and answers from the attempt that succeeds', async () => {
    const { logger, warnings } = capturingLogger();
    const observed: Array<[string, string]> = [];
    const client = new RegistryClient({
      url: registry.url,
      retry: quickRetry,
      logger,
      onRetry: (route, code) => observed.push([route, code]),
    });
    registry.failNext.push([503, { message: 'down' }], [429, { message: 'slow down' }]);
    const id = await client.register('retried-value', SCHEMA);
    expect(await client.lookup('retried-value', SCHEMA)).toBe(id);
    expect(registry.requests.map((r) => r.path)).toEqual([
      '/subjects/retried-value/versions',
      '/subjects/retried-value/versions',
      '/subjects/retried-value/versions',
      '/subjects/retried-value',
    ]);
    expect(warnings.map(([msg, f]) => [msg, f.retry, f.code])).toEqual([
      ['retrying schema registry call', 1, 'REGISTRY_UNAVAILABLE'],
      ['retrying schema registry call', 2, 'REGISTRY_UNAVAILABLE'],
    ]);
    expect(warnings[0]![1]).toMatchObject({ action: 'register a schema for subject "retried-value"' });
    // The observer (a metric in service mode) gets a route without the subject: few label values.
    expect(observed).toEqual([
      ['POST /subjects/{subject}/versions', 'REGISTRY_UNAVAILABLE'],
      ['POST /subjects/{subject}/versions', 'REGISTRY_UNAVAILABLE'],
    ]);
    await client.close();
  });

  it('abandons an attempt whose answer never comes, and the retry gets the id', async () => {
    const client = new RegistryClient({ url: registry.url, timeoutMs: 300, retry: quickRetry });
    registry.dropNext.count = 1;
    const id = await client.register('lost-answer-value', SCHEMA);
    expect(id).toBeGreaterThan(0);
    expect(registry.requests.filter((r) => r.path === '/subjects/lost-answer-value/versions')).toHaveLength(2);
    await client.close();
  });

  it('gives up after the configured retries with REGISTRY_UNAVAILABLE, naming the last failure', async () => {
    const client = new RegistryClient({ url: registry.url, timeoutMs: 300, retry: quickRetry });
    registry.dropNext.count = 3;
    const err = await client.register('never-value', SCHEMA).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RegistryUnavailableError);
    expect((err as Error).message).toContain('UND_ERR_HEADERS_TIMEOUT');
    expect((err as Error).message).toContain(
      'no answer within 300 ms: if the registry is slow rather than down, raise schema_registry.timeout_ms; 3 attempts)',
    );
    expect((err as RegistryUnavailableError).details).toMatchObject({ attempts: 3 });
    expect(registry.requests).toHaveLength(3);
    await client.close();
  });

  it('does not retry an answer that retrying cannot change (4xx)', async () => {
    const client = new RegistryClient({ url: registry.url, retry: quickRetry });
    registry.failNext.push([422, { error_code: 42201, message: 'Invalid schema' }]);
    await expect(client.register('bad-value', SCHEMA)).rejects.toBeInstanceOf(RegistryRequestError);
    expect(registry.requests).toHaveLength(1);
    await client.close();
  });
});

describe('routeOf', () => {
  it('leaves subjects, ids and versions out of a path', () => {
    expect(routeOf('POST', '/subjects/a.b-value/versions')).toBe('POST /subjects/{subject}/versions');
    expect(routeOf('POST', '/subjects/a.b-value')).toBe('POST /subjects/{subject}');
    expect(routeOf('GET', '/subjects/x/versions/latest')).toBe('GET /subjects/{subject}/versions/latest');
    expect(routeOf('GET', '/subjects/x/versions/3')).toBe('GET /subjects/{subject}/versions/{version}');
    expect(routeOf('GET', '/schemas/ids/42')).toBe('GET /schemas/ids/{id}');
    expect(routeOf('PUT', '/config/x-value')).toBe('PUT /config/{subject}');
    expect(routeOf('POST', '/compatibility/subjects/x/versions/latest')).toBe(
      'POST /compatibility/subjects/{subject}/versions/latest',
    );
    expect(routeOf('GET', '/subjects')).toBe('GET /subjects');
  });
});
