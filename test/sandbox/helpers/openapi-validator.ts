import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { OPENAPI_PATH } from '../../support/ashby-fixtures.js';

/**
 * A small JSON-schema validator for the subset Ashby's OpenAPI 3.1 spec uses: type (including
 * type arrays for nullable), properties, required, additionalProperties, items, enum,
 * allOf/anyOf/oneOf, $ref (JSON pointers anywhere in the document, siblings of $ref applied too),
 * format (uuid, date-time, date, uri), minItems, minLength, minimum, maximum.
 *
 * One leniency, for a common authoring slip: a schema whose `type` lists "null" accepts null even
 * when its `enum` omits it.
 *
 * oneOf is checked as "at least one branch": the spec's branches overlap (a custom field value is
 * `oneOf` three plain-string schemas; object branches have no required keys), so Ashby's own
 * valid values would fail an exclusive match. The response-level oneOf (success vs error) is
 * not left to that rule: callers pick the branch with `successSchema` / `errorSchema`.
 */

export type Schema = Record<string, unknown>;

export interface Issue {
  /** e.g. "results[3].source.id" */
  path: string;
  kind: 'type' | 'null' | 'required' | 'enum' | 'format' | 'additional' | 'constraint' | 'oneOf' | 'anyOf';
  message: string;
}

export const SPEC_PATH = OPENAPI_PATH;

const FORMATS: Record<string, RegExp> = {
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  'date-time': /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/,
  date: /^\d{4}-\d{2}-\d{2}$/,
  uri: /^[a-z][a-z0-9+.-]*:\/\/\S+$/i,
};

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function matchesType(value: unknown, type: string): boolean {
  switch (type) {
    case 'null':
      return value === null;
    case 'array':
      return Array.isArray(value);
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'string':
      return typeof value === 'string';
    case 'boolean':
      return typeof value === 'boolean';
    default:
      return true;
  }
}

export class OpenApiValidator {
  readonly spec: Record<string, unknown>;

  constructor(specText = readFileSync(SPEC_PATH, 'utf8')) {
    this.spec = parse(specText, { maxAliasCount: -1 }) as Record<string, unknown>;
  }

  resolve(ref: string): Schema {
    if (!ref.startsWith('#/')) throw new Error(`unsupported $ref ${ref}`);
    let node: unknown = this.spec;
    for (const raw of ref.slice(2).split('/')) {
      const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
      node = (node as Record<string, unknown> | undefined)?.[key];
      if (node === undefined) throw new Error(`$ref ${ref} does not resolve`);
    }
    return node as Schema;
  }

  private operation(endpoint: string): Record<string, any> {
    const op = (this.spec.paths as Record<string, { post?: unknown }>)[`/${endpoint}`]?.post;
    if (!op) throw new Error(`endpoint ${endpoint} is not in the spec`);
    return op as Record<string, any>;
  }

  private responseBranches(endpoint: string): Schema[] {
    const schema = this.operation(endpoint).responses['200'].content['application/json'].schema as Schema;
    return (schema.oneOf as Schema[] | undefined) ?? [schema];
  }

  /** Error branches are the 429 error schema, directly or extended with an endpoint's own error-code enum. */
  private isErrorBranch(branch: Schema): boolean {
    const refs429 = (s: Schema | undefined): boolean =>
      typeof s?.$ref === 'string' && s.$ref.includes('/responses/429/');
    return (
      branch.title === 'Error response' ||
      refs429(branch) ||
      (Array.isArray(branch.allOf) && refs429((branch.allOf as Schema[])[0]))
    );
  }

  /** The success schema(s) of an endpoint's 200 response (an anyOf when the spec has several, e.g. hiringTeamRole.list). */
  successSchema(endpoint: string): Schema {
    const branches = this.responseBranches(endpoint).filter((b) => !this.isErrorBranch(b));
    return branches.length === 1 ? branches[0]! : { anyOf: branches };
  }

  /** The error schema of an endpoint: its own branch when it lists error codes, else the shared one. */
  errorSchema(endpoint?: string): Schema {
    const own = endpoint ? this.responseBranches(endpoint).filter((b) => this.isErrorBranch(b)) : [];
    return own.length === 1
      ? own[0]!
      : { $ref: '#/paths/~1report.generate/post/responses/429/content/application~1json/schema' };
  }

  validate(schema: Schema, value: unknown, path = ''): Issue[] {
    const issues: Issue[] = [];
    this.check(schema, value, path, issues);
    return issues;
  }

  private check(schema: Schema, value: unknown, path: string, issues: Issue[]): void {
    if (typeof schema.$ref === 'string') {
      this.check(this.resolve(schema.$ref), value, path, issues);
      const { $ref: _ignored, ...siblings } = schema;
      if (Object.keys(siblings).length) this.check(siblings, value, path, issues);
      return;
    }
    if (Array.isArray(schema.allOf)) for (const s of schema.allOf as Schema[]) this.check(s, value, path, issues);
    for (const key of ['anyOf', 'oneOf'] as const) {
      const branches = schema[key] as Schema[] | undefined;
      if (!Array.isArray(branches)) continue;
      const results = branches.map((b) => this.validate(b, value, path));
      if (!results.some((r) => r.length === 0)) {
        const best = results.reduce((a, b) => (b.length < a.length ? b : a));
        issues.push({
          path,
          kind: key,
          message: `matches none of ${branches.length} ${key} branches (closest: ${best.map((i) => `${i.path}: ${i.message}`).join('; ')})`,
        });
      }
    }
    if (schema.type !== undefined) {
      const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
      if (!types.some((t) => matchesType(value, t))) {
        issues.push({
          path,
          kind: value === null ? 'null' : 'type',
          message: `is ${typeOf(value)}, expected ${types.join(' | ')}`,
        });
        return;
      }
    }
    // A schema typed [string, null] whose enum forgets null (interviewers' trainingRole, documented
    // as "returns null when qualified") still means null is allowed: the type array says so.
    const nullTyped = value === null && Array.isArray(schema.type) && (schema.type as string[]).includes('null');
    if (Array.isArray(schema.enum) && !nullTyped && !(schema.enum as unknown[]).includes(value)) {
      issues.push({
        path,
        kind: value === null ? 'null' : 'enum',
        message: `${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`,
      });
    }
    if (typeof value === 'string') {
      const re = typeof schema.format === 'string' ? FORMATS[schema.format] : undefined;
      if (re && !re.test(value))
        issues.push({
          path,
          kind: 'format',
          message: `${JSON.stringify(value)} is not a valid ${schema.format as string}`,
        });
      if (typeof schema.minLength === 'number' && value.length < schema.minLength)
        issues.push({ path, kind: 'constraint', message: `is shorter than ${schema.minLength}` });
    }
    if (typeof value === 'number') {
      if (typeof schema.minimum === 'number' && value < schema.minimum)
        issues.push({ path, kind: 'constraint', message: `is below ${schema.minimum}` });
      if (typeof schema.maximum === 'number' && value > schema.maximum)
        issues.push({ path, kind: 'constraint', message: `is above ${schema.maximum}` });
    }
    if (Array.isArray(value)) {
      if (typeof schema.minItems === 'number' && value.length < schema.minItems)
        issues.push({ path, kind: 'constraint', message: `has fewer than ${schema.minItems} items` });
      if (schema.items) value.forEach((item, i) => this.check(schema.items as Schema, item, `${path}[${i}]`, issues));
    }
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const obj = value as Record<string, unknown>;
      const props = (schema.properties ?? {}) as Record<string, Schema>;
      for (const req of (schema.required ?? []) as string[]) {
        if (!(req in obj))
          issues.push({ path: path ? `${path}.${req}` : req, kind: 'required', message: 'is required but absent' });
      }
      for (const [key, v] of Object.entries(obj)) {
        const sub = path ? `${path}.${key}` : key;
        if (props[key]) this.check(props[key]!, v, sub, issues);
        else if (schema.additionalProperties === false)
          issues.push({ path: sub, kind: 'additional', message: 'is not allowed (additionalProperties: false)' });
        else if (schema.additionalProperties && typeof schema.additionalProperties === 'object')
          this.check(schema.additionalProperties as Schema, v, sub, issues);
      }
    }
  }
}

/** "results[3].source" → "results[].source": the form deviation allowances are keyed by. */
export function normalizePath(path: string): string {
  return path.replace(/\[\d+\]/g, '[]');
}
