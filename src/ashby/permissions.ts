import table from './permissions.json' with { type: 'json' };
import type { AshbyAccess } from './errors.js';

/**
 * Which API-key permission each endpoint needs (docs/ashby-api.md §4.2). The table is generated from
 * the "Requires …" line of every operation in Ashby's OpenAPI document and checked in as
 * permissions.json; `fromChangelog` holds endpoints Ashby announced after that document.
 * Used for the permission error message, `credentials test` probes and stream discovery.
 */
export interface PermissionModule {
  /** Prefix of the spec's permission names (`candidates` in `candidatesWrite`). */
  key: string;
  /** The module as Ashby's admin UI names it. */
  label: string;
}

/** Modules in the order Ashby's API-key screen lists them (docs/ashby-api.md §4.1). */
export const PERMISSION_MODULES: readonly PermissionModule[] = [
  { key: 'jobs', label: 'Jobs' },
  { key: 'candidates', label: 'Candidates' },
  { key: 'interviews', label: 'Interviews' },
  { key: 'hiringProcessMetadata', label: 'Hiring Process Metadata' },
  { key: 'organization', label: 'Organization' },
  { key: 'offers', label: 'Offers' },
  { key: 'apiKeys', label: 'API Keys' },
  { key: 'approvals', label: 'Approvals' },
  { key: 'reports', label: 'Reports' },
  { key: 'notetaker', label: 'Notetaker' },
];

export interface EndpointPermission {
  /** As written in the spec, e.g. `candidatesWrite`. */
  permission: string;
  /** Module display name, e.g. `Candidates`. */
  module: string;
  moduleKey: string;
  access: AshbyAccess;
  /** The scope string `apiKey.info` reports for it, e.g. `candidates:write`. */
  scope: string;
}

const ENDPOINTS: Readonly<Record<string, string>> = { ...table.endpoints, ...table.fromChangelog };

export function parsePermission(permission: string): EndpointPermission | undefined {
  const m = /^(\w+?)(Read|Write)$/.exec(permission);
  if (!m) return undefined;
  const moduleKey = m[1]!;
  const access: AshbyAccess = m[2] === 'Read' ? 'read' : 'write';
  const mod = PERMISSION_MODULES.find((x) => x.key === moduleKey);
  return { permission, moduleKey, module: mod?.label ?? moduleKey, access, scope: `${moduleKey}:${access}` };
}

const parsed = new Map<string, EndpointPermission | undefined>();

/**
 * The permission an endpoint needs, or undefined for endpoints Ashby documents none for.
 * Looked up on every call (its kind decides how it may be retried), so parsed once per endpoint.
 */
export function permissionFor(endpoint: string): EndpointPermission | undefined {
  if (parsed.has(endpoint)) return parsed.get(endpoint);
  const permission = Object.hasOwn(ENDPOINTS, endpoint) ? ENDPOINTS[endpoint] : undefined;
  const found = permission ? parsePermission(permission) : undefined;
  const result = found && Object.freeze(found);
  if (permission) parsed.set(endpoint, result);
  return result;
}

/**
 * What the spec says per endpoint, without the changelog additions: its permission, or null when
 * the operation names none (the sandbox enforces exactly this).
 */
export function specPermissions(): Readonly<Record<string, string | null>> {
  return { ...table.endpoints, ...Object.fromEntries(table.withoutPermission.map((e) => [e, null])) };
}

/** Every endpoint in the table with its permission name (spec order is not preserved). */
export function endpointPermissions(): Readonly<Record<string, string>> {
  return ENDPOINTS;
}

/**
 * Does a scope list from `apiKey.info` grant this endpoint? A write scope implies read only
 * if Ashby lists it; we do not assume it.
 */
export function scopesAllow(scopes: readonly string[], endpoint: string): boolean | undefined {
  const p = permissionFor(endpoint);
  if (!p) return undefined;
  return scopes.includes(p.scope);
}
