import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A tiny scripted HTTP server for unit tests that need exact control over what "Ashby" sends
 * (a status, a header, a reset connection, a stall). Integration tests use the real sandbox.
 * Binds 127.0.0.1 on an ephemeral port.
 */
export interface FakeRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
  rawBody: string;
}

export type FakeReply =
  | { status?: number; headers?: Record<string, string>; json?: unknown; text?: string; delayMs?: number }
  | { destroy: true }
  | { hang: true };

type Handler = (req: FakeRequest) => FakeReply;

export interface FakeAshby {
  url: string;
  requests: FakeRequest[];
  /** Queue replies for an endpoint (`candidate.list`); each request consumes one. */
  enqueue(endpoint: string, ...replies: FakeReply[]): void;
  /** Reply used when an endpoint's queue is empty. */
  fallback(endpoint: string, handler: Handler): void;
  close(): Promise<void>;
}

export const ok = (results: unknown, extra: Record<string, unknown> = {}): FakeReply => ({
  json: { success: true, results, ...extra },
});
export const fail = (code: string, status = 200, message = `${code} happened`): FakeReply => ({
  status,
  json: { success: false, errors: [code], errorInfo: { code, message, requestId: '01JZ00000000000000000000RQ' } },
});

export async function startFakeAshby(): Promise<FakeAshby> {
  const queues = new Map<string, FakeReply[]>();
  const fallbacks = new Map<string, Handler>();
  const requests: FakeRequest[] = [];
  const sockets = new Set<Socket>();

  const server: Server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (raw += chunk));
    req.on('end', () => {
      let body: unknown;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        body = undefined;
      }
      const path = req.url ?? '/';
      const fr: FakeRequest = { method: req.method ?? '', path, headers: req.headers, body, rawBody: raw };
      requests.push(fr);
      const endpoint = path.split('/').pop() ?? '';
      const reply = queues.get(endpoint)?.shift() ?? fallbacks.get(endpoint)?.(fr) ?? fail('not_found', 404);
      respond(res, reply);
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  function respond(res: ServerResponse, reply: FakeReply): void {
    if ('destroy' in reply) {
      res.socket?.destroy();
      return;
    }
    if ('hang' in reply) return;
    const send = (): void => {
      const body = reply.text ?? JSON.stringify(reply.json ?? {});
      res.writeHead(reply.status ?? 200, {
        'content-type': reply.text !== undefined ? 'text/plain' : 'application/json; charset=utf-8',
        'x-ashby-request-id': '01JZ00000000000000000000HD',
        ...(reply.headers ?? {}),
      });
      res.end(body);
    };
    if (reply.delayMs) setTimeout(send, reply.delayMs);
    else send();
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    enqueue: (endpoint, ...replies) => queues.set(endpoint, [...(queues.get(endpoint) ?? []), ...replies]),
    fallback: (endpoint, handler) => fallbacks.set(endpoint, handler),
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A logger that keeps its lines, for asserting what users would see in the logs. */
export function memoryLog(): { lines: string[]; write: (line: string) => void } {
  const lines: string[] = [];
  return { lines, write: (line) => lines.push(line) };
}
