import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { OPENAPI_PATH, RECORDED_DIR as FIXTURE_RECORDED_DIR } from '../support/ashby-fixtures.js';

/**
 * Reading Ashby's OpenAPI document for the tests that keep our hand-written types, the
 * permission map and the recorded exchanges honest. The spec references schemas by JSON
 * pointers into other operations (`#/paths/~1job.info/post/...`), so everything here derefs.
 */
export const SPEC_PATH = OPENAPI_PATH;
export const RECORDED_DIR = FIXTURE_RECORDED_DIR;

type Json = Record<string, unknown>;
export interface OpenApiSpec {
  paths: Record<string, { post?: { description?: string; requestBody?: Json; responses?: Record<string, Json> } }>;
}

let cached: OpenApiSpec | undefined;
export function loadSpec(): OpenApiSpec {
  cached ??= parse(readFileSync(SPEC_PATH, 'utf8')) as OpenApiSpec;
  return cached;
}

function pointer(spec: unknown, ref: string): unknown {
  let node: unknown = spec;
  for (const raw of ref.replace(/^#\//, '').split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    node = (node as Json)[key];
  }
  return node;
}

export function deref(schema: unknown): Json {
  let s = schema as Json;
  for (let i = 0; s && typeof s === 'object' && typeof s.$ref === 'string'; i++) {
    if (i > 50) throw new Error('$ref loop');
    s = pointer(loadSpec(), s.$ref as string) as Json;
  }
  return s ?? {};
}

/**
 * A schema reduced to what the shape checks need. allOf parts are merged; oneOf/anyOf
 * variants are merged too (a property is known if any variant has it, required only if
 * every object variant requires it), which is how a tolerant reader sees them.
 */
export interface FlatSchema {
  types: Set<string>;
  properties: Map<string, Json>;
  required: Set<string>;
  items: Json[];
  enum: unknown[] | undefined;
}

export function flatten(schema: unknown): FlatSchema {
  const s = deref(schema);
  const out: FlatSchema = { types: new Set(), properties: new Map(), required: new Set(), items: [], enum: undefined };
  const t = s.type;
  for (const x of Array.isArray(t) ? t : t ? [t] : []) out.types.add(String(x));
  if (s.properties) {
    out.types.add('object');
    for (const [k, v] of Object.entries(s.properties as Json)) out.properties.set(k, v as Json);
  }
  for (const r of (s.required as string[] | undefined) ?? []) out.required.add(r);
  if (s.items) out.items.push(s.items as Json);
  if (Array.isArray(s.enum)) out.enum = s.enum;
  for (const part of (s.allOf as unknown[] | undefined) ?? []) {
    const f = flatten(part);
    f.types.forEach((x) => out.types.add(x));
    f.properties.forEach((v, k) =>
      out.properties.set(k, out.properties.has(k) ? { allOf: [out.properties.get(k), v] } : v),
    );
    f.required.forEach((r) => out.required.add(r));
    out.items.push(...f.items);
    out.enum ??= f.enum;
  }
  const variants = ((s.oneOf ?? s.anyOf) as unknown[] | undefined) ?? [];
  if (variants.length) {
    const flats = variants.map(flatten);
    const objects = flats.filter((f) => f.properties.size > 0);
    for (const f of flats) {
      f.types.forEach((x) => out.types.add(x));
      f.properties.forEach((v, k) =>
        out.properties.set(k, out.properties.has(k) ? { anyOf: [out.properties.get(k), v] } : v),
      );
      out.items.push(...f.items);
      if (f.enum) out.enum = [...(out.enum ?? []), ...f.enum];
    }
    if (objects.length) {
      for (const r of objects[0]!.required) if (objects.every((f) => f.required.has(r))) out.required.add(r);
    }
  }
  return out;
}

function operation(endpoint: string): NonNullable<OpenApiSpec['paths'][string]['post']> {
  const op = loadSpec().paths[`/${endpoint}`]?.post;
  if (!op) throw new Error(`${endpoint} is not in the spec`);
  return op;
}

/** The request body schema of an endpoint. */
export function requestSchema(endpoint: string): Json {
  const op = operation(endpoint);
  if (!op.requestBody) return { type: 'object' };
  const body = deref(op.requestBody);
  return ((body.content as Json)['application/json'] as Json).schema as Json;
}

/**
 * The schema of `results` in the success response (for a list: the item schema).
 * The success variant is the first oneOf member that has a `results` property.
 */
export function resultsSchema(endpoint: string): Json {
  const res = deref(operation(endpoint).responses!['200']);
  const schema = ((res.content as Json)['application/json'] as Json).schema;
  const top = deref(schema);
  const variants = ((top.oneOf ?? top.anyOf) as unknown[] | undefined) ?? [top];
  for (const v of variants) {
    const f = flatten(v);
    const results = f.properties.get('results');
    if (results) {
      const r = flatten(results);
      return (r.types.has('array') && r.items.length ? { allOf: r.items } : results) as Json;
    }
  }
  throw new Error(`${endpoint}: no success variant with results`);
}

export function specEndpoints(): string[] {
  return Object.keys(loadSpec().paths).map((p) => p.slice(1));
}

/** Normalised spellings: the spec writes `candidateWrite` once where every other line says `candidatesWrite`. */
const PERMISSION_ALIASES: Record<string, string> = { candidateWrite: 'candidatesWrite' };

/** endpoint -> permission, from each operation's "Requires the [`x`] permission" line. */
export function derivePermissions(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const endpoint of specEndpoints().sort()) {
    const description = operation(endpoint).description ?? '';
    const m = /Requires the \[`(\w+)`\]/.exec(description);
    if (m) out[endpoint] = PERMISSION_ALIASES[m[1]!] ?? m[1]!;
  }
  return out;
}

export interface RecordedExchange {
  method: string;
  path: string;
  request: Record<string, unknown>;
  status: number;
  headers: Record<string, string>;
  response: Record<string, unknown>;
}
