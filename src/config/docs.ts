import { loadContract } from '../avro/contract.js';
import { SINK_DOCS_PATH, readSinkDocs, renderSinkDocs } from '../sink/operations/docs-table.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TSchema } from '@sinclair/typebox';
import { PACKAGE_ROOT } from '../package-info.js';
import { PipelineConfigSchema } from './schema.js';

/**
 * Renders docs/config.md from the config schema, so the reference cannot drift from what the
 * loader accepts. `npm run docs` rewrites the file; test/config/docs.test.ts fails when the
 * committed file differs from what this renders.
 */

type Node = TSchema & {
  type?: string | string[];
  description?: string;
  default?: unknown;
  properties?: Record<string, Node>;
  required?: string[];
  items?: Node;
  anyOf?: Node[];
  const?: unknown;
  patternProperties?: Record<string, Node>;
  additionalProperties?: boolean | Node;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minItems?: number;
  minLength?: number;
  secret?: boolean;
};

export const CONFIG_DOCS_PATH = join(PACKAGE_ROOT, 'docs', 'config.md');

/** A short human type: `string`, `integer ≥ 1`, `"a" \| "b"`, `list of string`, … */
function typeOf(s: Node): string {
  if (s.anyOf) {
    if (s.anyOf.every((v) => v.const !== undefined))
      return s.anyOf.map((v) => `\`${JSON.stringify(v.const)}\``).join(' \\| ');
    return s.anyOf.map(typeOf).join(' or ');
  }
  if (s.const !== undefined) return `\`${JSON.stringify(s.const)}\``;
  if (s.type === 'array') return `list of ${s.items ? typeOf(s.items) : 'any'}`;
  if (s.type === 'object' && !s.properties) {
    const values = s.patternProperties ? Object.values(s.patternProperties)[0] : undefined;
    return values ? `map of ${typeOf(values)}` : 'map';
  }
  if (s.type === 'object') return 'object';
  if (s.type === 'string' && s.pattern === '^\\d+(ms|s|m|h)$') return 'duration string';
  let t = Array.isArray(s.type) ? s.type.join(' \\| ') : String(s.type ?? 'any');
  const bounds: string[] = [];
  if (s.minimum !== undefined) bounds.push(`≥ ${s.minimum}`);
  if (s.exclusiveMinimum !== undefined) bounds.push(`> ${s.exclusiveMinimum}`);
  if (s.maximum !== undefined) bounds.push(`≤ ${s.maximum}`);
  if (bounds.length) t += ` ${bounds.join(', ')}`;
  return t;
}

function defaultOf(s: Node): string {
  if (s.default === undefined) return '';
  if (typeof s.default === 'object' && s.default !== null && Object.keys(s.default).length === 0) return '';
  return `\`${JSON.stringify(s.default)}\``;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

interface Row {
  path: string;
  type: string;
  required: string;
  default: string;
  description: string;
}

function rows(schema: Node, prefix: string, out: Row[]): void {
  const required = new Set(schema.required ?? []);
  for (const [key, child] of Object.entries(schema.properties ?? {})) {
    const path = prefix ? `${prefix}.${key}` : key;
    const item = child.type === 'array' && child.items?.properties ? child.items : undefined;
    const desc = (child.description ?? '') + (child.secret ? ' **Secret**: never printed, use `${ENV_VAR}`.' : '');
    out.push({
      path: `\`${path}\``,
      type: item ? 'list of objects' : typeOf(child),
      required: required.has(key) && child.default === undefined ? 'yes' : '',
      default: defaultOf(child),
      description: cell(desc),
    });
    if (child.properties) rows(child, path, out);
    if (item) rows(item, `${path}[]`, out);
  }
}

export function renderConfigDocs(schema: Node = PipelineConfigSchema as Node, header?: string[]): string {
  const lines: string[] = header ?? [
    '# Pipeline configuration reference',
    '',
    '<!-- Generated from src/config/schema.ts by `npm run docs`. Do not edit by hand: a test fails when this file and the schema disagree. -->',
    '',
    'A pipeline is a YAML or JSON file. `ashby-kafka validate --config FILE` checks it without connecting to anything;',
    'errors name the path and the reason. Any string may use `${ENV_VAR}` (or `${ENV_VAR:-default}`) so that secrets stay out of files.',
    'Examples: [config/ashby-to-kafka.yaml](../config/ashby-to-kafka.yaml) (source) and [config/kafka-to-ashby.yaml](../config/kafka-to-ashby.yaml) (destination).',
    '',
  ];
  const required = new Set(schema.required ?? []);
  for (const [section, child] of Object.entries(schema.properties ?? {})) {
    lines.push(`## \`${section}\`${required.has(section) ? '' : ' (optional)'}`, '');
    if (child.description) lines.push(child.description, '');
    const out: Row[] = [];
    rows(child, section, out);
    lines.push('| Key | Type | Required | Default | Description |', '| --- | --- | --- | --- | --- |');
    for (const r of out)
      lines.push(`| ${r.path} | ${cell(r.type)} | ${r.required} | ${cell(r.default)} | ${r.description} |`);
    lines.push('');
  }
  return lines.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(CONFIG_DOCS_PATH, renderConfigDocs());
  process.stdout.write(`wrote ${CONFIG_DOCS_PATH}\n`);
  writeFileSync(SINK_DOCS_PATH, renderSinkDocs(readSinkDocs(), loadContract()));
  process.stdout.write(`wrote the operations table of ${SINK_DOCS_PATH}\n`);
}
