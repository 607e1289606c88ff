import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { callApi } from '../../src/cli/pipelines.js';

/** The `pipelines` CLI's HTTP client against a local server that misbehaves on purpose. */
let server: Server;
let url: string;
const held: Array<() => void> = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/silent') {
      held.push(() => res.destroy());
      return; // never answers: a worker stuck waiting for Kafka
    }
    if (req.url === '/proxy-error') {
      res.writeHead(502, { 'content-type': 'text/html' }).end('<html>Bad Gateway</html>');
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error_code: 'SERVE_NOT_FOUND', message: 'no pipeline named x' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const release of held) release();
  await new Promise((resolve) => server.close(resolve));
});

describe('pipelines CLI client', () => {
  it('gives up on a worker that never answers, after --timeout, with SERVE_UNREACHABLE', async () => {
    const started = Date.now();
    await expect(callApi({ url, timeout: '0.3' }, 'GET', '/silent')).rejects.toMatchObject({
      code: 'SERVE_UNREACHABLE',
      message: expect.stringContaining('no answer within 0.3 s'),
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });

  it('keeps the error code and message of a JSON error body', async () => {
    await expect(callApi({ url }, 'GET', '/pipelines/x')).rejects.toMatchObject({
      code: 'SERVE_NOT_FOUND',
      message: expect.stringContaining('no pipeline named x'),
    });
  });

  it('reports a non-JSON answer (a proxy error page) with its text, not a parse error', async () => {
    await expect(callApi({ url }, 'GET', '/proxy-error')).rejects.toMatchObject({
      code: 'SERVE_BAD_REQUEST',
      message: expect.stringContaining('HTTP 502: <html>Bad Gateway</html>'),
    });
  });

  it('refuses a timeout that is not a positive number', async () => {
    await expect(callApi({ url, timeout: 'soon' }, 'GET', '/pipelines')).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
    });
  });
});
