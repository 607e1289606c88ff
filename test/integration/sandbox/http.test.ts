import { Agent, request } from 'undici';
import { startSandbox, type RunningSandbox } from '../../../src/sandbox/index.js';

/** The sandbox over real HTTP: what a connector's HTTP client sees, faults included. */

const agent = new Agent({ keepAliveTimeout: 10_000, connections: 4 });
const auth = (key: string) => `Basic ${Buffer.from(`${key}:`).toString('base64')}`;

async function post(sb: RunningSandbox, path: string, body: unknown = {}, key: string | null = sb.keys.full) {
  const started = performance.now();
  const res = await request(`${sb.url}${path}`, {
    method: 'POST',
    dispatcher: agent,
    headers: {
      'content-type': 'application/json',
      accept: 'application/json; version=1',
      ...(key ? { authorization: auth(key) } : {}),
    },
    body: JSON.stringify(body),
  });
  const text = await res.body.text();
  return {
    status: res.statusCode,
    headers: res.headers,
    text,
    json: text.startsWith('{') ? JSON.parse(text) : undefined,
    ms: performance.now() - started,
  };
}

afterAll(() => agent.close());

describe('over HTTP', () => {
  let sb: RunningSandbox;
  beforeAll(async () => {
    sb = await startSandbox({ scale: 300 });
  });
  afterAll(() => sb.close());

  it('listens on 127.0.0.1 on an ephemeral port and exposes the two default keys', () => {
    expect(sb.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(sb.keys).toMatchObject({ full: 'sandbox_full', readonly: 'sandbox_readonly', sandbox_full: 'sandbox_full' });
  });

  it('pages through a list with keep-alive and Ashby headers', async () => {
    let cursor: string | undefined;
    const ids = new Set<string>();
    let pages = 0;
    do {
      const r = await post(sb, '/candidate.list', { limit: 100, ...(cursor ? { cursor } : {}) });
      expect(r.status).toBe(200);
      expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(r.headers['x-ashby-request-id']).toMatch(/^[0-9A-Z]{26}$/);
      expect(Number(r.headers['content-length'])).toBe(Buffer.byteLength(r.text));
      for (const c of r.json.results) ids.add(c.id);
      cursor = r.json.nextCursor;
      pages++;
    } while (cursor);
    expect([ids.size, pages]).toEqual([300, 3]);
  });

  it('answers 401, 403 and missing_endpoint_permission over the wire', async () => {
    expect((await post(sb, '/candidate.list', {}, null)).status).toBe(401);
    expect((await post(sb, '/candidate.list', {}, 'nope')).status).toBe(403);
    const denied = await post(sb, '/candidate.create', { name: 'x' }, sb.keys.readonly);
    expect([denied.status, denied.json.errorInfo.code]).toEqual([403, 'missing_endpoint_permission']);
  });

  it('serves the admin interface at /_sandbox/<command>', async () => {
    const r = await post(sb, '/_sandbox/stats');
    expect(r.json).toMatchObject({ success: true, results: { scale: 300, seed: 1 } });
    await post(sb, '/_sandbox/forceNext', { endpoint: 'job.list', count: 1, outcome: { status: 503 } });
    expect((await post(sb, '/job.list')).status).toBe(503);
    expect((await post(sb, '/job.list')).status).toBe(200);
  });
});

describe('latency, rate limits and faults on the wire', () => {
  it('delays responses by the configured latency', async () => {
    const sb = await startSandbox({ scale: 10, latencyMs: 120 });
    try {
      const r = await post(sb, '/apiKey.info');
      expect(r.status).toBe(200);
      expect(r.ms).toBeGreaterThanOrEqual(115);
    } finally {
      await sb.close();
    }
  });

  it("answers 429 with Retry-After when the key's bucket is empty", async () => {
    const sb = await startSandbox({ scale: 10, rateLimit: { perSecond: 1, burst: 2 } });
    try {
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push(await post(sb, '/apiKey.info'));
      expect(statuses.map((s) => s.status)).toEqual([200, 200, 429]);
      expect(statuses[2]!.headers['retry-after']).toBe('1');
      expect(statuses[2]!.json.errorInfo.code).toBe('rate_limit_exceeded');
    } finally {
      await sb.close();
    }
  });

  it('resets the connection when told to', async () => {
    const sb = await startSandbox({ scale: 10 });
    try {
      sb.admin.forceNext('apiKey.info', 1, { reset: true });
      await expect(post(sb, '/apiKey.info')).rejects.toThrow(/other side closed|socket|ECONNRESET/i);
      expect((await post(sb, '/apiKey.info')).status).toBe(200);
    } finally {
      await sb.close();
    }
  });

  it('sends bodies slowly, but completely, with the slow-body fault', async () => {
    const sb = await startSandbox({ scale: 50, faults: { slowBodyRate: 1, slowBodyMs: 300 } });
    try {
      const r = await post(sb, '/candidate.list', { limit: 50 });
      expect(r.ms).toBeGreaterThanOrEqual(200);
      expect(r.json.results).toHaveLength(50);
    } finally {
      await sb.close();
    }
  });

  it('stops listening on close', async () => {
    const sb = await startSandbox({ scale: 10 });
    await sb.close();
    await expect(request(`${sb.url}/apiKey.info`, { method: 'POST' })).rejects.toThrow(/ECONNREFUSED|connect/i);
  });
});
