import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A minimal Confluent-compatible registry for unit tests: it stores schemas per subject, logs
 * every request, and can be told to answer the next requests with a given status. The real
 * registry (Apicurio) is exercised by test/integration/avro.
 */
export interface LoggedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

export interface FakeRegistry {
  url: string;
  requests: LoggedRequest[];
  /** Schema text by global id. */
  schemas: Map<number, string>;
  /** Next answers, used in order before normal handling: [status, body]. */
  failNext: Array<[number, unknown]>;
  /**
   * How many of the next requests get no answer at all, like the ones Apicurio 3 sometimes
   * leaves unanswered (docs/avro.md, "Registry requests"). Checked before failNext.
   */
  dropNext: { count: number };
  close(): Promise<void>;
}

export async function startFakeRegistry(prefix = '/apis/ccompat/v7'): Promise<FakeRegistry> {
  const requests: LoggedRequest[] = [];
  const schemas = new Map<number, string>();
  const subjects = new Map<string, number[]>();
  const config = new Map<string, string>();
  const failNext: Array<[number, unknown]> = [];
  const dropNext = { count: 0 };

  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : undefined;
      const path = (req.url ?? '').slice(prefix.length);
      requests.push({ method: req.method ?? '', path, headers: req.headers, body });
      const send = (status: number, payload: unknown): void => {
        res.writeHead(status, { 'content-type': 'application/vnd.schemaregistry.v1+json' });
        res.end(JSON.stringify(payload));
      };
      if (dropNext.count > 0) {
        dropNext.count -= 1;
        return;
      }
      const forced = failNext.shift();
      if (forced) return send(forced[0], forced[1]);
      let m: RegExpMatchArray | null;
      if (path === '/subjects' && req.method === 'GET') return send(200, [...subjects.keys()]);
      if ((m = path.match(/^\/subjects\/([^/]+)\/versions$/)) && req.method === 'POST') {
        const subject = decodeURIComponent(m[1]!);
        const text = String(body?.schema);
        let id = [...schemas].find(([, s]) => s === text)?.[0];
        if (id === undefined) {
          id = schemas.size + 1;
          schemas.set(id, text);
        }
        subjects.set(subject, [...(subjects.get(subject) ?? []), id]);
        return send(200, { id });
      }
      if ((m = path.match(/^\/subjects\/([^/]+)$/)) && req.method === 'POST') {
        const ids = subjects.get(decodeURIComponent(m[1]!)) ?? [];
        const id = ids.find((i) => schemas.get(i) === body?.schema);
        return id === undefined
          ? send(404, { error_code: 40403, message: 'Schema not found' })
          : send(200, { id, version: 1, schema: body?.schema });
      }
      if ((m = path.match(/^\/schemas\/ids\/(\d+)$/))) {
        const text = schemas.get(Number(m[1]));
        return text === undefined
          ? send(404, { error_code: 40403, message: `No content with ID '${m[1]}' was found.` })
          : send(200, { schema: text });
      }
      if ((m = path.match(/^\/config\/([^/]+)$/))) {
        const subject = decodeURIComponent(m[1]!);
        if (req.method === 'PUT') {
          config.set(subject, String(body?.compatibility));
          return send(200, { compatibility: body?.compatibility });
        }
        const level = config.get(subject);
        return level
          ? send(200, { compatibilityLevel: level })
          : send(404, { error_code: 40401, message: 'Subject not found' });
      }
      return send(404, { error_code: 404, message: `no route ${req.method} ${path}` });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${prefix}`,
    requests,
    schemas,
    failNext,
    dropNext,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
