import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { ConfigError } from '../../errors.js';
import { ALL_PERMISSIONS, MODULES } from './permissions.js';

/**
 * API keys the sandbox accepts. Two always exist, and their secrets are literally their names so
 * tests and docs can use them (they are not real credentials):
 * - `sandbox_full`: read and write on every module, confidential jobs/projects and private fields;
 * - `sandbox_readonly`: read on every module, no write, no confidential access, no private fields.
 * A keys file (or `keys` option) adds more, or redefines these two by name.
 */

export interface SandboxKeyDefinition {
  /** How the key is named in the call log and in `RunningSandbox.keys`. */
  name: string;
  /** The secret sent as the Basic-auth username; defaults to the name. */
  secret?: string;
  /** apiKey.info's `title`. */
  title?: string;
  /**
   * Permission names as Ashby spells them (`candidatesRead`, `jobsWrite`, …), or `*` for every
   * permission, `*Read` for every read permission.
   */
  permissions: string[];
  /** "Allow access to confidential jobs and projects?" */
  confidential?: boolean;
  /** "Allow access to non-offer private fields?" */
  privateFields?: boolean;
  /** A deactivated key is refused with 403 like an unknown one. */
  deactivated?: boolean;
}

export interface ResolvedKey {
  name: string;
  secret: string;
  title: string;
  permissions: ReadonlySet<string>;
  confidential: boolean;
  privateFields: boolean;
  deactivated: boolean;
}

export const FULL_KEY = 'sandbox_full';
export const READONLY_KEY = 'sandbox_readonly';

export const DEFAULT_KEYS: readonly SandboxKeyDefinition[] = [
  { name: FULL_KEY, title: 'Sandbox full access', permissions: ['*'], confidential: true, privateFields: true },
  { name: READONLY_KEY, title: 'Sandbox read-only', permissions: ['*Read'], confidential: false, privateFields: false },
];

function expand(permissions: unknown, path: string): Set<string> {
  if (!Array.isArray(permissions))
    throw new ConfigError(`${path}.permissions must be a list of permission names such as "candidatesRead"`, { path });
  const out = new Set<string>();
  permissions.forEach((p, i) => {
    if (p === '*') ALL_PERMISSIONS.forEach((x) => out.add(x));
    else if (p === '*Read' || p === '*Write') MODULES.forEach((m) => out.add(`${m}${String(p).slice(1)}`));
    else if (typeof p === 'string' && ALL_PERMISSIONS.includes(p)) out.add(p);
    else
      throw new ConfigError(
        `${path}.permissions[${i}] is "${String(p)}": use one of ${ALL_PERMISSIONS.join(', ')}, "*Read", "*Write" or "*"`,
        { path: `${path}.permissions[${i}]` },
      );
  });
  return out;
}

function resolveOne(def: SandboxKeyDefinition, path: string): ResolvedKey {
  if (!def || typeof def !== 'object')
    throw new ConfigError(`${path} must be an object with name and permissions`, { path });
  if (typeof def.name !== 'string' || !/^[A-Za-z0-9_.-]{1,64}$/.test(def.name)) {
    throw new ConfigError(`${path}.name must be 1-64 letters, digits, "_", "-" or "."`, { path: `${path}.name` });
  }
  const secret = def.secret ?? def.name;
  if (typeof secret !== 'string' || secret.length < 1 || secret.includes(':')) {
    throw new ConfigError(
      `${path}.secret must be a non-empty string without ":" (it travels as the Basic-auth username)`,
      { path: `${path}.secret` },
    );
  }
  for (const flag of ['confidential', 'privateFields', 'deactivated'] as const) {
    if (def[flag] !== undefined && typeof def[flag] !== 'boolean')
      throw new ConfigError(`${path}.${flag} must be true or false`, { path: `${path}.${flag}` });
  }
  return {
    name: def.name,
    secret,
    title: def.title ?? def.name,
    permissions: expand(def.permissions, path),
    confidential: def.confidential ?? false,
    privateFields: def.privateFields ?? false,
    deactivated: def.deactivated ?? false,
  };
}

/** Reads a keys file: YAML or JSON, either a list of key definitions or `{ keys: [...] }`. */
export function loadKeysFile(file: string): SandboxKeyDefinition[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read the sandbox keys file ${file}: ${(err as Error).message}`, { file });
  }
  let parsed: unknown;
  try {
    parsed = parse(text);
  } catch (err) {
    throw new ConfigError(`the sandbox keys file ${file} is not valid YAML or JSON: ${(err as Error).message}`, {
      file,
    });
  }
  const list = Array.isArray(parsed) ? parsed : (parsed as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(list))
    throw new ConfigError(`the sandbox keys file ${file} must hold a list of keys, or an object with a "keys" list`, {
      file,
    });
  return list as SandboxKeyDefinition[];
}

/** Defaults first, then the given definitions; a later definition with the same name replaces the earlier one. */
export function resolveKeys(extra: readonly SandboxKeyDefinition[]): ResolvedKey[] {
  const byName = new Map<string, ResolvedKey>();
  DEFAULT_KEYS.forEach((d, i) => byName.set(d.name, resolveOne(d, `defaultKeys[${i}]`)));
  extra.forEach((d, i) => {
    const key = resolveOne(d, `keys[${i}]`);
    byName.set(key.name, key);
  });
  const secrets = new Map<string, string>();
  for (const key of byName.values()) {
    const other = secrets.get(key.secret);
    if (other)
      throw new ConfigError(`sandbox keys "${other}" and "${key.name}" have the same secret; give each key its own`, {
        keys: [other, key.name],
      });
    secrets.set(key.secret, key.name);
  }
  return [...byName.values()];
}
