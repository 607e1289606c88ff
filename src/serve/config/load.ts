import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { Value } from '@sinclair/typebox/value';
import { describeErrors, parseYamlWithReferences } from '../../config/load.js';
import { interpolate } from '../../config/env.js';
import { secretPaths } from '../../config/schema.js';
import { AshbyKafkaError, ConfigError } from '../../errors.js';
import { registerSecret } from '../../log/secrets.js';
import { WorkerConfigSchema, type WorkerConfig } from './schema.js';

/** Read, interpolate, default and validate a worker file (YAML or JSON): the pipeline loader's rules. */
export async function loadWorkerConfigFile(file: string, env: NodeJS.ProcessEnv = process.env): Promise<WorkerConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigError(
      `cannot read worker config ${file}: ${code === 'ENOENT' ? 'no such file' : (err as Error).message}`,
      { file },
    );
  }
  let raw: unknown;
  try {
    raw = extname(file) === '.json' ? JSON.parse(text) : parseYamlWithReferences(text);
  } catch (err) {
    throw new ConfigError(
      `${file} is not valid ${extname(file) === '.json' ? 'JSON' : 'YAML'}: ${(err as Error).message.split('\n')[0]}`,
      { file },
    );
  }
  try {
    return resolveWorkerConfig(raw, env);
  } catch (err) {
    if (err instanceof AshbyKafkaError) throw new ConfigError(`${file}: ${err.message}`, { file, ...err.details });
    throw err;
  }
}

export function resolveWorkerConfig(raw: unknown, env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw new ConfigError('the worker config must be a mapping with at least a `worker` section');
  const interpolated = interpolate(raw, env);
  for (const path of secretPaths(WorkerConfigSchema))
    for (const v of valuesAt(interpolated, path.split('.'))) if (typeof v === 'string' && v) registerSecret(v);
  const value = Value.Default(WorkerConfigSchema, Value.Clone(interpolated)) as WorkerConfig;
  const problems = describeErrors(WorkerConfigSchema, value);
  const tokens = value.worker?.rest?.tokens;
  if (Array.isArray(tokens) && new Set(tokens).size !== tokens.length)
    problems.push('worker.rest.tokens: a token is listed twice');
  if (problems.length)
    throw new ConfigError(`invalid worker config:\n${problems.map((p) => `  - ${p}`).join('\n')}`, { problems });
  return value;
}

function valuesAt(value: unknown, parts: string[]): unknown[] {
  if (parts.length === 0) return [value];
  if (value === null || typeof value !== 'object') return [];
  const [head, ...rest] = parts;
  if (head === '*') return Object.values(value).flatMap((v) => valuesAt(v, rest));
  return valuesAt((value as Record<string, unknown>)[head!], rest);
}
