import { Type, type Static, type TSchema } from '@sinclair/typebox';
import type { ServiceApi } from '../service.js';
import { catalogView, pipelineSchemaView } from './catalog.js';

/**
 * Every REST route, declared once as data (method, path, body schema, handler). The server
 * registers them; docs/serve.md lists them. Paths and bodies follow Kafka Connect's REST API.
 */
const Name = Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }) });
const PipelineBody = Type.Object({
  name: Type.String({ minLength: 1 }),
  config: Type.Record(Type.String(), Type.Unknown()),
});
const ConfigBody = Type.Object({ config: Type.Record(Type.String(), Type.Unknown()) });
const CredentialBody = Type.Object({
  name: Type.String({ minLength: 1 }),
  key: Type.String({ minLength: 1 }),
  base_url: Type.Optional(Type.String({ pattern: '^https?://' })),
});
const RotateBody = Type.Object({
  key: Type.String({ minLength: 1 }),
  base_url: Type.Optional(Type.String({ pattern: '^https?://' })),
});

export interface RouteReply {
  status: number;
  body?: unknown;
}

export interface Route<
  P extends TSchema | undefined = TSchema | undefined,
  B extends TSchema | undefined = TSchema | undefined,
  Q extends TSchema | undefined = TSchema | undefined,
> {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  params?: P;
  body?: B;
  query?: Q;
  summary: string;
  handler: (
    api: ServiceApi,
    params: P extends TSchema ? Static<P> : undefined,
    body: B extends TSchema ? Static<B> : undefined,
    query: Q extends TSchema ? Static<Q> : undefined,
  ) => Promise<RouteReply>;
}

const ok = (body: unknown): RouteReply => ({ status: 200, body });
const accepted: RouteReply = { status: 202 };

export function route<P extends TSchema | undefined, B extends TSchema | undefined, Q extends TSchema | undefined>(
  r: Route<P, B, Q>,
): Route {
  return r as unknown as Route;
}

/** The default base URL of a key posted without one: Ashby itself. */
const ASHBY_URL = 'https://api.ashbyhq.com';

export const ROUTES: Route[] = [
  route({
    method: 'GET',
    url: '/pipelines',
    summary: 'List pipelines (name, kind, target state).',
    handler: async (api) => ok(await api.list()),
  }),
  route({
    method: 'POST',
    url: '/pipelines',
    body: PipelineBody,
    summary: 'Create a pipeline: `{name, config}`; 201.',
    handler: async (api, _p, b) => ({ status: 201, body: await api.create(b.name, b.config) }),
  }),
  route({
    method: 'GET',
    url: '/pipelines/:name',
    params: Name,
    summary: 'One pipeline with its config.',
    handler: async (api, p) => ok(await api.get(p.name)),
  }),
  route({
    method: 'PUT',
    url: '/pipelines/:name',
    params: Name,
    body: ConfigBody,
    summary: "Create or replace a pipeline's config: `{config}`; 201 when created; the owner restarts it.",
    handler: async (api, p, b) => {
      const r = await api.update(p.name, b.config);
      return { status: r.created ? 201 : 200, body: r.view };
    },
  }),
  route({
    method: 'DELETE',
    url: '/pipelines/:name',
    params: Name,
    summary: 'Stop and delete a pipeline (its topics and state stay).',
    handler: async (api, p) => (await api.remove(p.name), { status: 204 }),
  }),
  route({
    method: 'PUT',
    url: '/pipelines/:name/validate',
    params: Name,
    body: ConfigBody,
    summary: 'Validate a config without storing it: 200 `{valid: true}`, or 400 listing every problem.',
    handler: async (api, p, b) => (await api.validate(p.name, b.config), ok({ name: p.name, valid: true })),
  }),
  route({
    method: 'GET',
    url: '/pipelines/:name/status',
    params: Name,
    summary: 'State (RUNNING, PAUSED, FAILED, UNASSIGNED), worker, streams, last pass, last error.',
    handler: async (api, p) => ok(await api.status(p.name)),
  }),
  route({
    method: 'PUT',
    url: '/pipelines/:name/pause',
    params: Name,
    summary: 'Pause: the owner stops it after the pages or commands in flight; 202.',
    handler: async (api, p) => (await api.pause(p.name), accepted),
  }),
  route({
    method: 'PUT',
    url: '/pipelines/:name/resume',
    params: Name,
    summary: 'Resume a paused pipeline; 202.',
    handler: async (api, p) => (await api.resume(p.name), accepted),
  }),
  route({
    method: 'POST',
    url: '/pipelines/:name/restart',
    params: Name,
    summary: 'Restart (also a FAILED one, at once); 202.',
    handler: async (api, p) => (await api.restart(p.name), accepted),
  }),
  route({
    method: 'GET',
    url: '/pipelines/:name/state',
    params: Name,
    summary: 'Source: sync state per stream; sink: committed offsets and lag.',
    handler: async (api, p) => ok(await api.state(p.name)),
  }),
  route({
    method: 'DELETE',
    url: '/pipelines/:name/state',
    params: Name,
    summary: 'Reset the state; only while PAUSED (409 otherwise).',
    handler: async (api, p) => ok(await api.resetState(p.name)),
  }),
  route({
    method: 'GET',
    url: '/credentials',
    summary: 'Names, scopes, dates and the pipelines using each key (never the key).',
    handler: async (api) => ok(api.credentials.list()),
  }),
  route({
    method: 'POST',
    url: '/credentials',
    body: CredentialBody,
    summary: 'Test a key against Ashby and store it encrypted: `{name, key, base_url?}`; 201 with its scopes.',
    handler: async (api, _p, b) => ({
      status: 201,
      body: await api.credentials.add(b.name, b.key, b.base_url ?? ASHBY_URL),
    }),
  }),
  route({
    method: 'GET',
    url: '/credentials/:name',
    params: Name,
    summary: 'One credential (never the key).',
    handler: async (api, p) => ok(api.credentials.get(p.name)),
  }),
  route({
    method: 'POST',
    url: '/credentials/:name/rotate',
    params: Name,
    body: RotateBody,
    summary: 'Replace the key (tested first); pipelines using it pick it up at their next start.',
    handler: async (api, p, b) => ok(await api.credentials.rotate(p.name, b.key, b.base_url)),
  }),
  route({
    method: 'DELETE',
    url: '/credentials/:name',
    params: Name,
    summary: 'Delete a credential; refused (409) while a pipeline uses it.',
    handler: async (api, p) => (await api.credentials.remove(p.name), { status: 204 }),
  }),
  route({
    method: 'GET',
    url: '/catalog',
    summary: 'The source streams and sink commands, each with the scope it needs, and the permission modules.',
    handler: async () => ok(catalogView()),
  }),
  route({
    method: 'GET',
    url: '/schemas/pipeline',
    summary: 'The pipeline config schema (JSON Schema: defaults, descriptions, constraints).',
    handler: async () => ok(pipelineSchemaView()),
  }),
];
