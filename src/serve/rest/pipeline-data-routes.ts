import { Type } from '@sinclair/typebox';
import { route, type Route } from './routes.js';

/**
 * REST routes over a pipeline's data rather than its config: a sink's dead letters (browse,
 * and re-send one fixed) and the last hour of counts (docs/serve.md#rest-api). Declared as
 * data like routes.ts; the server registers both lists.
 */
const Name = Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }) });
const DeadLetterId = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 100 }),
  id: Type.String({ pattern: '^[0-9]+-[0-9]+$' }),
});
const Page = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  from: Type.Optional(Type.Integer({ minimum: 0 })),
});
const ResendBody = Type.Object({ command: Type.Record(Type.String(), Type.Unknown()) });

export const PIPELINE_DATA_ROUTES: Route[] = [
  route({
    method: 'GET',
    url: '/pipelines/:name/dead-letters',
    params: Name,
    query: Page,
    summary:
      "A sink's dead letters, newest first: each decoded, with its error headers; `?limit` (per partition, ≤ 200) and `?from` (offset).",
    handler: async (api, p, _b, q) => ({
      status: 200,
      body: await api.deadLetters(p.name, { limit: q.limit ?? 50, ...(q.from !== undefined ? { from: q.from } : {}) }),
    }),
  }),
  route({
    method: 'POST',
    url: '/pipelines/:name/dead-letters/:id/resend',
    params: DeadLetterId,
    body: ResendBody,
    summary:
      'Re-send a dead letter to its command topic with `{command}` (edited, validated first) and its idempotency key; 202.',
    handler: async (api, p, b) => ({ status: 202, body: await api.resendDeadLetter(p.name, p.id, b.command) }),
  }),
  route({
    method: 'GET',
    url: '/pipelines/:name/history',
    params: Name,
    summary: 'The last hour minute by minute: records and pages per stream, calls, 429s, retries, sink commands.',
    handler: async (api, p) => ({ status: 200, body: await api.history(p.name) }),
  }),
];
