import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { PACKAGE_ROOT } from '../../package-info.js';

/**
 * The web console's static files (docs/console.md), bundled by `npm run build` into
 * dist/console and served at /ui without a token: they hold no data. The console asks the
 * user for a token and calls the public REST API with it, like any other client.
 */
export const CONSOLE_DIR = join(PACKAGE_ROOT, 'dist', 'console');

const FILES: Readonly<Record<string, string>> = {
  'index.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'app.css': 'text/css; charset=utf-8',
};

/** Only the console's own files; no inline script, no third-party origin, no framing. */
const HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
};

export function isConsolePath(path: string): boolean {
  return path === '/ui' || path.startsWith('/ui/');
}

export function registerConsole(app: FastifyInstance, dir: string = CONSOLE_DIR): void {
  const serve = async (file: string, reply: FastifyReply): Promise<unknown> => {
    const type = FILES[file];
    if (!type) return reply.code(404).send({ error_code: 'SERVE_NOT_FOUND', message: `no console file ${file}` });
    let body: Buffer;
    try {
      body = await readFile(join(dir, file));
    } catch {
      return reply
        .code(404)
        .send({ error_code: 'SERVE_NOT_FOUND', message: 'the console is not built (run `npm run build`)' });
    }
    return reply.headers(HEADERS).type(type).send(body);
  };
  app.get('/ui', (_req, reply) => reply.redirect('/ui/'));
  app.get('/ui/', (_req, reply) => serve('index.html', reply));
  app.get<{ Params: { file: string } }>('/ui/:file', (req, reply) => serve(req.params.file, reply));
}
