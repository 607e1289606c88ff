import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fetchFile, type FileLimits } from '../../src/sink/file-fetch.js';

/** The upload downloader's limits: scheme, size (declared and streamed), deadline, content type, redirects. */

let server: Server;
let base: string;
const limits: FileLimits = {
  maxBytes: 1024,
  timeoutMs: 500,
  contentTypes: ['application/pdf', 'image/*'],
  allowLoopbackHttp: true,
};

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/cv.pdf')
      return void res
        .writeHead(200, {
          'content-type': 'application/pdf',
          'content-disposition': 'attachment; filename="Ada CV.pdf"',
        })
        .end(Buffer.alloc(100, 1));
    if (path === '/photo.png')
      return void res.writeHead(200, { 'content-type': 'image/png; charset=binary' }).end(Buffer.alloc(10));
    if (path === '/big-declared.pdf')
      return void res
        .writeHead(200, { 'content-type': 'application/pdf', 'content-length': '2048' })
        .end(Buffer.alloc(2048));
    if (path === '/big-chunked.pdf') {
      res.writeHead(200, { 'content-type': 'application/pdf', 'transfer-encoding': 'chunked' });
      for (let i = 0; i < 8; i++) res.write(Buffer.alloc(256));
      return void res.end();
    }
    if (path === '/page.html') return void res.writeHead(200, { 'content-type': 'text/html' }).end('<html></html>');
    if (path === '/slow.pdf') {
      res.writeHead(200, { 'content-type': 'application/pdf' });
      res.write(Buffer.alloc(10));
      return void setTimeout(() => res.end(), 2000).unref();
    }
    if (path === '/moved') return void res.writeHead(302, { location: '/cv.pdf' }).end();
    if (path === '/to-elsewhere') return void res.writeHead(302, { location: 'http://example.org/cv.pdf' }).end();
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const code = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (err) {
    return {
      code: (err as { code: string }).code,
      retriable: (err as { retriable: boolean }).retriable,
      message: (err as Error).message,
    };
  }
  throw new Error('expected a failure');
};

describe('fetchFile', () => {
  it('downloads a file within the limits, with its name and type', async () => {
    const file = await fetchFile(`${base}/cv.pdf?sig=secret`, limits);
    expect(file).toEqual({ bytes: Buffer.alloc(100, 1), contentType: 'application/pdf', filename: 'Ada CV.pdf' });
    expect((await fetchFile(`${base}/photo.png`, limits)).filename).toBe('photo.png');
  });

  it('follows a redirect, but only to an allowed URL', async () => {
    expect((await fetchFile(`${base}/moved`, limits)).bytes.length).toBe(100);
    expect((await code(fetchFile(`${base}/to-elsewhere`, limits))).code).toBe('SINK_FILE_URL_INVALID');
  });

  it('accepts https only, unless loopback http is explicitly allowed', async () => {
    const e = await code(fetchFile(`${base}/cv.pdf`, { ...limits, allowLoopbackHttp: false }));
    expect(e).toMatchObject({ code: 'SINK_FILE_URL_INVALID', retriable: false });
    expect(e.message).toMatch(/https only/);
    expect((await code(fetchFile('http://example.org/cv.pdf', limits))).code).toBe('SINK_FILE_URL_INVALID');
    expect((await code(fetchFile('not a url', limits))).code).toBe('SINK_FILE_URL_INVALID');
    expect((await code(fetchFile('https://user:pw@example.org/cv.pdf', limits))).code).toBe('SINK_FILE_URL_INVALID');
  });

  it('refuses a file over the byte limit, declared or streamed', async () => {
    expect(await code(fetchFile(`${base}/big-declared.pdf`, limits))).toMatchObject({
      code: 'SINK_FILE_TOO_LARGE',
      retriable: false,
    });
    expect(await code(fetchFile(`${base}/big-chunked.pdf`, limits))).toMatchObject({
      code: 'SINK_FILE_TOO_LARGE',
      retriable: false,
    });
  });

  it('refuses a content type outside the allow-list', async () => {
    const e = await code(fetchFile(`${base}/page.html`, limits));
    expect(e).toMatchObject({ code: 'SINK_FILE_TYPE_REFUSED', retriable: false });
    expect(e.message).toMatch(/text\/html/);
  });

  it('gives up at the deadline (retriable), and on an HTTP error (4xx not retriable); the query string is never shown', async () => {
    const slow = await code(fetchFile(`${base}/slow.pdf`, limits));
    expect(slow).toMatchObject({ code: 'SINK_FILE_FETCH_FAILED', retriable: true });
    expect(slow.message).toMatch(/500 ms/);
    const missing = await code(fetchFile(`${base}/nope.pdf?sig=secret`, limits));
    expect(missing).toMatchObject({ code: 'SINK_FILE_FETCH_FAILED', retriable: false });
    expect(missing.message).not.toMatch(/secret/);
  });
});
