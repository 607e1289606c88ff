import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../../log/logger.js';
import type { SandboxEngine, WireResponse } from '../engine.js';

/**
 * The HTTP face of the engine: reads the body, waits the configured latency, and writes the
 * engine's response — or misbehaves on the wire when a fault says so (reset the connection,
 * or send the body in slow chunks).
 */

/** Larger bodies are refused before parsing; Ashby's real limit is undocumented. */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;
/** Longer than typical client pools' idle timeouts, so the client, not the sandbox, closes idle sockets. */
const KEEP_ALIVE_MS = 65_000;
const SLOW_BODY_CHUNKS = 8;

function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve();
}

async function write(res: ServerResponse, response: WireResponse, slowBodyMs: number): Promise<void> {
  const body = Buffer.from(response.body, 'utf8');
  res.writeHead(response.status, { ...response.headers, 'content-length': String(body.length) });
  if (response.fault !== 'slow-body' || body.length < SLOW_BODY_CHUNKS) {
    res.end(body);
    return;
  }
  const step = Math.ceil(body.length / SLOW_BODY_CHUNKS);
  for (let offset = 0; offset < body.length; offset += step) {
    if (res.destroyed) return;
    res.write(body.subarray(offset, offset + step));
    await sleep(slowBodyMs / SLOW_BODY_CHUNKS);
  }
  res.end();
}

export interface SandboxServer {
  server: Server;
  url: string;
  close(): Promise<void>;
}

export async function listen(
  engine: SandboxEngine,
  host: string,
  port: number,
  logger: Logger,
): Promise<SandboxServer> {
  const { latency, faults } = engine.options;
  const server = createServer({ keepAliveTimeout: KEEP_ALIVE_MS }, (req, res) => {
    void (async () => {
      // Latency is the server's response time, as a client measures Ashby's: it starts when the
      // request arrives, and the sandbox's own work counts toward it.
      const arrived = performance.now();
      const raw = await readBody(req);
      const response: WireResponse =
        raw === undefined
          ? {
              status: 413,
              headers: { 'content-type': 'application/json; charset=utf-8' },
              body: JSON.stringify({
                success: false,
                errors: ['payload_too_large'],
                errorInfo: {
                  code: 'payload_too_large',
                  message: `Request bodies are limited to ${MAX_BODY_BYTES} bytes.`,
                },
              }),
            }
          : engine.handle({
              method: req.method ?? 'GET',
              path: req.url ?? '/',
              headers: req.headers,
              body: raw.toString('utf8'),
              raw,
            });
      await sleep(Math.max(0, engine.faults.latency(latency.meanMs, latency.jitterMs) - (performance.now() - arrived)));
      if (response.fault === 'reset') {
        req.socket.destroy();
        return;
      }
      await write(res, response, faults.slowBodyMs);
    })().catch((err: unknown) => {
      logger.error('sandbox request failed', { err });
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
      res.end(
        JSON.stringify({
          success: false,
          errors: ['internal_server_error'],
          errorInfo: {
            code: 'internal_server_error',
            message: 'The sandbox failed to handle this request (a bug in the sandbox).',
          },
        }),
      );
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    server,
    url: `http://${shownHost}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
