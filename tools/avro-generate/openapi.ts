import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';

/**
 * Reading Ashby's OpenAPI document into plain shapes the Avro generator can walk. The spec
 * points between paths with JSON pointers (`#/paths/~1job.info/...`), nests `allOf` for
 * shared envelopes and writes nullability three ways (`type: [T, 'null']`, `anyOf` with
 * `type: 'null'`, a `null` enum value); all of that is flattened here.
 */
export type Shape =
  | { kind: 'string'; format?: string; enum?: string[]; description?: string; nullable: boolean }
  | { kind: 'number' | 'integer' | 'boolean'; description?: string; nullable: boolean }
  | { kind: 'array'; items: Shape; description?: string; nullable: boolean }
  | { kind: 'object'; properties: Property[]; description?: string; nullable: boolean }
  /** Free-form object (no declared properties): kept as JSON. */
  | { kind: 'json'; description?: string; nullable: boolean }
  /** oneOf/anyOf with several non-null alternatives. */
  | { kind: 'variants'; alternatives: Shape[]; description?: string; nullable: boolean };

export interface Property {
  name: string;
  shape: Shape;
  required: boolean;
  /** Set by the overrides (ABSENT_WHEN_UNSET_AT): Ashby leaves the field out when unset, never null. */
  absentWhenUnset?: boolean;
}

type Node = Record<string, unknown>;

export class OpenApiDoc {
  private readonly doc: Node;

  constructor(specPath: string) {
    this.doc = parseYaml(readFileSync(specPath, 'utf8')) as Node;
  }

  private pointer(ref: string): Node {
    let node: unknown = this.doc;
    for (const raw of ref.replace(/^#\//, '').split('/')) {
      const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
      node = (node as Node | undefined)?.[key];
    }
    if (!node || typeof node !== 'object') throw new Error(`unresolvable $ref ${ref}`);
    return node as Node;
  }

  /** Follows $ref chains; sibling keys of a $ref (description…) win over the target's. */
  private resolve(node: Node): Node {
    let out = node;
    for (let hops = 0; typeof out.$ref === 'string'; hops++) {
      if (hops > 50) throw new Error(`$ref cycle at ${String(node.$ref)}`);
      const { $ref, ...rest } = out;
      out = { ...this.pointer($ref as string), ...rest };
    }
    return out;
  }

  /** Merges allOf parts into one node (properties and required lists are unioned). */
  private flatten(node: Node): Node {
    const n = this.resolve(node);
    if (!Array.isArray(n.allOf)) return n;
    const { allOf, ...rest } = n;
    let merged: Node = {};
    const properties: Node = {};
    const required: string[] = [];
    for (const part of [...(allOf as Node[]), rest]) {
      const p = this.flatten(part);
      if (p.properties) Object.assign(properties, p.properties);
      if (Array.isArray(p.required)) required.push(...(p.required as string[]));
      merged = { ...merged, ...p };
    }
    if (Object.keys(properties).length) merged.properties = properties;
    if (required.length) merged.required = [...new Set(required)];
    return merged;
  }

  operation(endpoint: string): Node {
    const op = (this.doc.paths as Node)[`/${endpoint}`] as Node | undefined;
    if (!op?.post) throw new Error(`the OpenAPI document has no POST /${endpoint}`);
    return op.post as Node;
  }

  /** The shape of one item of `results` in the endpoint's success response. */
  resultItemShape(endpoint: string, responseVariant = 0): Shape {
    const schema = this.resolve(
      (((this.operation(endpoint).responses as Node)['200'] as Node).content as Node)['application/json'] as Node,
    ).schema as Node;
    const root = this.resolve(schema);
    const success = Array.isArray(root.oneOf) ? (root.oneOf as Node[])[responseVariant]! : root;
    const results = (this.flatten(success).properties as Node | undefined)?.results as Node | undefined;
    if (!results) throw new Error(`${endpoint}: the success response has no results`);
    const shape = this.shape(results);
    return shape.kind === 'array' ? shape.items : shape;
  }

  /** The request body of a write endpoint. */
  requestShape(endpoint: string): Shape {
    const body = (((this.operation(endpoint).requestBody as Node).content as Node)['application/json'] as Node)
      .schema as Node;
    return this.shape(body);
  }

  shape(input: Node): Shape {
    const n = this.flatten(input);
    const description = typeof n.description === 'string' ? n.description.trim() : undefined;
    let nullable = false;
    let type = n.type;
    if (Array.isArray(type)) {
      nullable = type.includes('null');
      const rest = type.filter((t) => t !== 'null');
      type = rest.length === 1 ? rest[0] : rest;
    }
    const alternatives = (n.oneOf ?? n.anyOf) as Node[] | undefined;
    if (alternatives) {
      const shapes: Shape[] = [];
      for (const alt of alternatives) {
        const s = this.flatten(alt);
        if (s.type === 'null') nullable = true;
        else shapes.push(this.shape(s));
      }
      if (shapes.length === 1)
        return {
          ...shapes[0]!,
          nullable: nullable || shapes[0]!.nullable,
          description: description ?? shapes[0]!.description,
        };
      return { kind: 'variants', alternatives: shapes, description, nullable };
    }
    if (Array.isArray(n.enum)) {
      const values = n.enum as unknown[];
      if (values.includes(null)) nullable = true;
      return { kind: 'string', enum: values.filter((v): v is string => typeof v === 'string'), description, nullable };
    }
    switch (type) {
      case 'string':
        return { kind: 'string', ...(typeof n.format === 'string' ? { format: n.format } : {}), description, nullable };
      case 'number':
      case 'integer':
      case 'boolean':
        return { kind: type, description, nullable };
      case 'array':
        return {
          kind: 'array',
          items: n.items ? this.shape(n.items as Node) : { kind: 'json', nullable: false },
          description,
          nullable,
        };
      default: {
        let props = n.properties as Node | undefined;
        // The spec sometimes points a whole properties map elsewhere (candidate.update location).
        if (props && typeof props.$ref === 'string' && Object.keys(props).length === 1)
          props = this.pointer(props.$ref);
        if (props && Object.keys(props).length) {
          const required = new Set((n.required as string[] | undefined) ?? []);
          const properties = Object.entries(props).map(([name, p]) => ({
            name,
            shape: this.shape(p as Node),
            required: required.has(name),
          }));
          return { kind: 'object', properties, description, nullable };
        }
        return { kind: 'json', description, nullable };
      }
    }
  }
}
