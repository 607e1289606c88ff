import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { Value, ValueErrorType, type ValueError } from '@sinclair/typebox/value';
import type { TSchema } from '@sinclair/typebox';
import { parse as parseYaml } from 'yaml';
import { AshbyKafkaError, ConfigError } from '../errors.js';
import { registerSecret } from '../log/secrets.js';
import { interpolate } from './env.js';
import { PipelineConfigSchema, secretPaths, type PipelineConfig } from './schema.js';

export interface LoadOptions {
  env?: NodeJS.ProcessEnv;
}

/** Read, interpolate, default and validate a pipeline config file (YAML or JSON). */
export async function loadConfigFile(file: string, options: LoadOptions = {}): Promise<PipelineConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (err as Error).message;
    throw new ConfigError(`cannot read config ${file}: ${why}`, { file });
  }
  let raw: unknown;
  try {
    raw = extname(file) === '.json' ? JSON.parse(text) : parseYamlWithReferences(text);
  } catch (err) {
    // Only the first line: YAML's pretty errors quote the offending source line, which may hold a key.
    const reason = (err as Error).message.split('\n')[0]!.replace(/:$/, '');
    throw new ConfigError(`${file} is not valid ${extname(file) === '.json' ? 'JSON' : 'YAML'}: ${reason}`, { file });
  }
  try {
    return resolveConfig(raw, options);
  } catch (err) {
    if (err instanceof AshbyKafkaError) throw new ConfigError(`${file}: ${err.message}`, { file, ...err.details });
    throw err;
  }
}

/**
 * YAML, tolerating unquoted `${VAR}` references inside flow mappings (`ashby: { api_key:
 * ${ASHBY_API_KEY} }`), where `{` and `}` are YAML syntax: when the text does not parse, the
 * unquoted references are quoted and it is parsed again. The references are still interpolated
 * after parsing, so a value can never change the document's structure.
 */
export function parseYamlWithReferences(text: string): unknown {
  try {
    return parseYaml(text, { prettyErrors: true });
  } catch (err) {
    const quoted = text.replace(/(^|[^"'\w$])(\$\{[A-Za-z_][A-Za-z0-9_]*(?::-[^}"'\n]*)?\})/gm, '$1"$2"');
    if (quoted === text) throw err;
    try {
      return parseYaml(quoted, { prettyErrors: true });
    } catch {
      throw err;
    }
  }
}

/** Validate an already-parsed config object (tests and embedders use this directly). */
export function resolveConfig(raw: unknown, options: LoadOptions = {}): PipelineConfig {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError('the config must be a mapping with at least an `ashby` section');
  }
  const interpolated = interpolate(raw, options.env ?? process.env);
  // Before validation, so that an error quoting a secret value (a misplaced key, a numeric password) is scrubbed.
  registerConfigSecrets(interpolated);
  const value = Value.Default(PipelineConfigSchema, Value.Clone(interpolated)) as PipelineConfig;
  const problems = describeErrors(PipelineConfigSchema, value);
  problems.push(...semanticProblems(value));
  if (problems.length) {
    throw new ConfigError(`invalid config:\n${problems.map((p) => `  - ${p}`).join('\n')}`, { problems });
  }
  return value;
}

/**
 * Register every value of a `secret: true` field (and secret-looking librdkafka values) with the
 * scrubber. Works on an unvalidated tree too: values of any type are registered as text.
 */
export function registerConfigSecrets(config: unknown): void {
  const register = (v: unknown): void => {
    if ((typeof v === 'string' && v !== '') || typeof v === 'number') registerSecret(String(v));
  };
  for (const path of secretPaths()) for (const v of valuesAt(config, path.split('.'))) register(v);
  const librdkafka = valuesAt(config, ['kafka', 'librdkafka'])[0];
  if (librdkafka && typeof librdkafka === 'object') {
    for (const [k, v] of Object.entries(librdkafka)) if (/password|secret|token/i.test(k)) register(v);
  }
}

function valuesAt(value: unknown, parts: string[]): unknown[] {
  if (parts.length === 0) return [value];
  if (value === null || typeof value !== 'object') return [];
  const [head, ...rest] = parts;
  if (head === '*') return Object.values(value).flatMap((v) => valuesAt(v, rest));
  return valuesAt((value as Record<string, unknown>)[head!], rest);
}

function dotted(pointer: string): string {
  if (!pointer) return '(root)';
  return pointer
    .slice(1)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, p) => (/^\d+$/.test(p) ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), '');
}

function literalChoices(schema: TSchema): string[] | undefined {
  const anyOf = (schema as { anyOf?: TSchema[] }).anyOf;
  if (!anyOf) return undefined;
  const consts = anyOf.map((s) => (s as { const?: unknown }).const);
  return consts.every((c) => typeof c === 'string') ? (consts as string[]) : undefined;
}

function show(v: unknown): string {
  return typeof v === 'string' ? `"${v}"` : JSON.stringify(v);
}

/**
 * TypeBox errors → one line each, naming the dotted path and the reason. `at` is the JSON
 * pointer of `value` inside the whole config (for the list branch of a union, below).
 */
export function describeErrors(schema: TSchema, value: unknown, at = ''): string[] {
  // Each line once, in the order TypeBox reports them.
  const lines = new Set<string>();
  for (const e of Value.Errors(schema, value) as Iterable<ValueError>) {
    const path = dotted(at + e.path);
    let line: string;
    switch (e.type) {
      case ValueErrorType.ObjectAdditionalProperties: {
        const known = Object.keys((e.schema as { properties?: object }).properties ?? {});
        line = `${path}: unknown key${known.length ? ` (known keys: ${known.join(', ')})` : ''}`;
        break;
      }
      case ValueErrorType.ObjectRequiredProperty:
        line = `${path}: is required`;
        break;
      case ValueErrorType.Union: {
        // A list where the union takes one (`all` or a list of …): what is wrong inside the list.
        const list = ((e.schema as { anyOf?: TSchema[] }).anyOf ?? []).find((b) => b.type === 'array');
        const inList = list && Array.isArray(e.value) ? describeErrors(list, e.value, at + e.path) : [];
        if (inList.length > 0) {
          for (const inner of inList) lines.add(inner);
          continue;
        }
        const choices = literalChoices(e.schema);
        const patterned = ((e.schema as { anyOf?: Array<{ pattern?: string }> }).anyOf ?? []).find((b) => b.pattern);
        if (!choices && patterned && typeof e.value === 'string') {
          line = `${path}: ${show(e.value)} ${patternHint(patterned.pattern)}`;
          break;
        }
        line = choices
          ? `${path}: must be one of ${choices.join(', ')} (got ${show(e.value)})`
          : `${path}: ${describeUnion(e.schema)} (got ${show(e.value)})`;
        break;
      }
      case ValueErrorType.ArrayUniqueItems:
        line = `${path}: names an item more than once; list each once (got ${show(e.value)})`;
        break;
      case ValueErrorType.StringPattern:
        line = `${path}: ${show(e.value)} ${patternHint((e.schema as { pattern?: string }).pattern)}`;
        break;
      default:
        line = `${path}: ${e.message.replace(/^Expected/, 'expected')}${e.value === undefined ? '' : ` (got ${show(e.value)})`}`;
    }
    lines.add(line);
  }
  return [...lines];
}

function describeUnion(schema: TSchema): string {
  const anyOf = (schema as { anyOf?: TSchema[] }).anyOf ?? [];
  const kinds = anyOf.map((s) => {
    const x = s as { const?: unknown; type?: string };
    return x.const !== undefined ? show(x.const) : x.type === 'array' ? 'a list' : `a ${x.type ?? 'value'}`;
  });
  return `must be ${kinds.join(' or ').replace(/\ba integer\b/, 'an integer')}`;
}

function patternHint(pattern: string | undefined): string {
  if (pattern === '^https?://') return 'is not an http(s) URL';
  if (pattern?.includes('ms|s|m|h')) return 'is not a duration; use e.g. "30s", "15m", "1h"';
  if (pattern?.includes('kafka|file:')) return 'must be `kafka` or `file:<path>`';
  return `does not match ${pattern}`;
}

function semanticProblems(config: PipelineConfig): string[] {
  const problems: string[] = [];
  const a = config.ashby as PipelineConfig['ashby'] | undefined;
  if (a) {
    if (a.api_key && a.credential) problems.push('ashby: set either api_key or credential, not both');
    if (!a.api_key && !a.credential)
      problems.push(
        'ashby: set api_key (e.g. ${ASHBY_API_KEY}) or credential (a name from `ashby-kafka credentials list`)',
      );
  }
  const hooks = config.source?.webhooks;
  if (hooks && (hooks.secret === undefined) === (hooks.credential === undefined))
    problems.push(
      'source.webhooks: set secret (e.g. ${ASHBY_WEBHOOK_SECRET}) or credential (a name from `ashby-kafka credentials list`), exactly one',
    );
  const sr = config.schema_registry;
  if (sr?.bearer_token && (sr.username || sr.password))
    problems.push('schema_registry: use bearer_token or username/password, not both');
  if (sr && Boolean(sr.username) !== Boolean(sr.password))
    problems.push('schema_registry: username and password go together');
  const sec = config.kafka?.security;
  if (sec && sec.protocol.startsWith('sasl') && (!sec.sasl_mechanism || !sec.username || !sec.password)) {
    problems.push(`kafka.security: protocol ${sec.protocol} needs sasl_mechanism, username and password`);
  }
  const src = config.source;
  if (src?.exactly_once && src.state !== 'kafka') {
    problems.push(
      'source.exactly_once needs source.state: kafka (the state commits in the same Kafka transaction as the records)',
    );
  }
  const topics = config.destination?.topics ?? [];
  const dup = topics.map((t) => t.topic).find((t, i, all) => all.indexOf(t) !== i);
  if (dup) problems.push(`destination.topics: topic ${dup} is listed twice`);
  return problems;
}
