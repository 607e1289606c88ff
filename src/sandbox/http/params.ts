import { invalidInput } from './wire-error.js';

/**
 * Readers for request-body fields, with the coercions Ashby applies since its 2026 move to
 * schema validation: "true"/"25" strings are accepted for booleans/numbers, and null counts as
 * absent for cursor and syncToken (docs/ashby-api.md §1.7). Every failure is invalid_input naming the field.
 */
export type Body = Record<string, unknown>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function optString(body: Body, key: string): string | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw invalidInput(`${key} must be a string`);
  return v;
}

export function reqString(body: Body, key: string): string {
  const v = optString(body, key);
  if (v === undefined || v.trim() === '') throw invalidInput(`${key} is required`);
  return v;
}

export function optId(body: Body, key: string): string | undefined {
  const v = optString(body, key);
  if (v !== undefined && !UUID.test(v)) throw invalidInput(`${key} must be a UUID`);
  return v?.toLowerCase();
}

export function reqId(body: Body, key: string): string {
  const v = optId(body, key);
  if (v === undefined) throw invalidInput(`${key} is required`);
  return v;
}

export function optBool(body: Body, key: string): boolean | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'boolean') return v;
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw invalidInput(`${key} must be a boolean`);
}

export function optInt(body: Body, key: string): number | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n)) throw invalidInput(`${key} must be an integer`);
  return n;
}

export function optStringArray(body: Body, key: string, allowed?: readonly string[]): string[] | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string'))
    throw invalidInput(`${key} must be an array of strings`);
  if (allowed) {
    const bad = v.find((x) => !allowed.includes(x as string));
    if (bad !== undefined)
      throw invalidInput(`${key} contains "${String(bad)}"; allowed values are ${allowed.join(', ')}`);
  }
  return v as string[];
}

export function optEnum<T extends string>(body: Body, key: string, allowed: readonly T[]): T | undefined {
  const v = optString(body, key);
  if (v !== undefined && !allowed.includes(v as T)) throw invalidInput(`${key} must be one of ${allowed.join(', ')}`);
  return v as T | undefined;
}

export function optIsoDate(body: Body, key: string): string | undefined {
  const v = optString(body, key);
  if (v === undefined) return undefined;
  const ms = Date.parse(v);
  if (Number.isNaN(ms)) throw invalidInput(`${key} must be an ISO 8601 date-time`);
  return new Date(ms).toISOString();
}
