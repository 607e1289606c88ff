import { SPEC_PERMISSIONS } from './permission-map.js';

/**
 * Endpoint → permission, from the spec's "Requires" lines (permission-map.ts), plus the few
 * endpoints Ashby added after the spec copy we hold. See docs/ashby-api.md §4.2.
 */

/** Modules a key can be granted read and/or write on (docs/ashby-api.md §4.1). */
export const MODULES = [
  'apiKeys',
  'approvals',
  'candidates',
  'hiringProcessMetadata',
  'interviews',
  'jobs',
  'notetaker',
  'offers',
  'organization',
  'reports',
] as const;
export type Module = (typeof MODULES)[number];

export const ALL_PERMISSIONS: readonly string[] = MODULES.flatMap((m) => [`${m}Read`, `${m}Write`]);

/** Endpoints documented only in Ashby's changelog (2026-07, "Add offer.setStatus"), so absent from the spec's map. */
const CHANGELOG_PERMISSIONS: Readonly<Record<string, string>> = {
  'offer.setStatus': 'offersWrite',
  'offer.setDecidedAt': 'offersWrite',
};

/**
 * Path spellings of the early-2024 spec (docs/ashby-api.md §1.1). Whether Ashby still serves them is
 * unknown; the sandbox accepts them by default (option `compat.snakeCaseAliases`).
 */
export const PATH_ALIASES: Readonly<Record<string, string>> = {
  'application.change_stage': 'application.changeStage',
  'application.change_source': 'application.changeSource',
  'canidate.anonymize': 'candidate.anonymize',
};

export function permissionFor(endpoint: string): string | null | undefined {
  if (endpoint in CHANGELOG_PERMISSIONS) return CHANGELOG_PERMISSIONS[endpoint];
  return endpoint in SPEC_PERMISSIONS ? SPEC_PERMISSIONS[endpoint] : undefined;
}

/** Whether Ashby documents this endpoint at all (spec or changelog). */
export function isKnownEndpoint(endpoint: string): boolean {
  return endpoint in SPEC_PERMISSIONS || endpoint in CHANGELOG_PERMISSIONS;
}

/** "candidatesRead" → "candidates:read": the scope strings apiKey.info reports. */
export function scopeOf(permission: string): string {
  const m = /^(\w+?)(Read|Write)$/.exec(permission);
  return m ? `${m[1]}:${m[2]!.toLowerCase()}` : permission;
}
