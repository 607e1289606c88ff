import { timingSafeEqual } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Registry } from 'prom-client';
import { AshbyKafkaError } from '../../errors.js';
import type { Logger } from '../../log/logger.js';
import { scrub } from '../../log/secrets.js';
import { httpStatusOf } from '../errors.js';
import type { ServiceApi } from '../service.js';
import { isConsolePath, registerConsole } from './console.js';
import { PIPELINE_DATA_ROUTES } from './pipeline-data-routes.js';
import { ROUTES } from './routes.js';

/**
 * The worker's HTTP server: the REST API (bearer token), and /metrics, /healthz, /readyz
 * (no token, for Prometheus and Kubernetes probes), and the web console's static files at /ui
 * (no token; the console sends the user's token to the REST API). Errors are `{error_code, message}`; a
 * 400 for a config lists every problem in `problems`. Messages are scrubbed of registered
 * secrets, so a key can never come back in a response.
 */
export interface RestServerOptions {
  api: ServiceApi;
  tokens: string[];
  registry: Registry;
  logger: Logger;
  /** /healthz: the process is alive and its loops are turning. */
  alive?: () => boolean;
  /** Where the console's bundle is (default dist/console of the package). */
  consoleDir?: string;
}

const PUBLIC = new Set(['/metrics', '/healthz', '/readyz']);

export function buildRestServer(options: RestServerOptions): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: 1_048_576 }).withTypeProvider<TypeBoxTypeProvider>();
  const tokens = options.tokens.map((t) => Buffer.from(t));
  const log = options.logger.child({ component: 'rest' });

  app.addHook('onRequest', async (req, reply) => {
    const path = req.url.split('?')[0]!;
    if (PUBLIC.has(path) || isConsolePath(path)) return;
    const header = req.headers.authorization ?? '';
    const m = /^Bearer (.+)$/.exec(header);
    const given = m ? Buffer.from(m[1]!) : undefined;
    if (!given || !tokens.some((t) => t.length === given.length && timingSafeEqual(t, given))) {
      return reply.code(401).header('www-authenticate', 'Bearer').send({
        error_code: 'SERVE_UNAUTHORIZED',
        message: 'send Authorization: Bearer <token> with one of worker.rest.tokens',
      });
    }
  });

  app.setErrorHandler((err, req, reply) => {
    const e = err as Error & { validation?: unknown; statusCode?: number; code?: string };
    if (e.validation)
      return reply.code(400).send({ error_code: 'SERVE_BAD_REQUEST', message: scrub(`request ${e.message}`) });
    if (!(err instanceof AshbyKafkaError) && e.statusCode && e.statusCode < 500) {
      return reply.code(e.statusCode).send({ error_code: 'SERVE_BAD_REQUEST', message: scrub(e.message) });
    }
    const status = httpStatusOf(err);
    const code = err instanceof AshbyKafkaError ? err.code : 'INTERNAL';
    const problems = err instanceof AshbyKafkaError ? (err.details as { problems?: string[] }).problems : undefined;
    if (status >= 500) log.error('request failed', { method: req.method, url: req.url, err: err as Error });
    return reply
      .code(status)
      .send({ error_code: code, message: scrub(e.message), ...(problems ? { problems: problems.map(scrub) } : {}) });
  });

  app.setNotFoundHandler((req, reply) =>
    reply.code(404).send({ error_code: 'SERVE_NOT_FOUND', message: `no route ${req.method} ${req.url.split('?')[0]}` }),
  );

  app.get('/healthz', async (_req, reply) =>
    (options.alive?.() ?? true) ? reply.send({ status: 'ok' }) : reply.code(503).send({ status: 'stalled' }),
  );
  app.get('/readyz', async (_req, reply) =>
    options.api.ready() ? reply.send({ status: 'ready' }) : reply.code(503).send({ status: 'not ready' }),
  );
  app.get('/metrics', async (_req, reply) =>
    reply.header('content-type', options.registry.contentType).send(await options.registry.metrics()),
  );

  registerConsole(app, options.consoleDir);

  for (const r of [...ROUTES, ...PIPELINE_DATA_ROUTES]) {
    app.route({
      method: r.method,
      url: r.url,
      schema: {
        ...(r.params ? { params: r.params } : {}),
        ...(r.body ? { body: r.body } : {}),
        ...(r.query ? { querystring: r.query } : {}),
      },
      handler: async (req, reply) => {
        const out = await r.handler(options.api, req.params as never, req.body as never, req.query as never);
        reply.code(out.status);
        return out.body === undefined ? reply.send() : reply.send(out.body);
      },
    });
  }
  return app;
}
