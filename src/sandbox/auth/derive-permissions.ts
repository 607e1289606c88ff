import { parse } from 'yaml';

/**
 * Derives endpoint → permission from Ashby's OpenAPI spec: each operation's description carries a
 * line "**Requires the [`candidatesRead`](…) permission.**". The sandbox ships the result as the
 * checked-in `permission-map.ts` (parsing the 650 KB spec at every start would cost ~0.4 s); a
 * unit test re-derives the map from the spec and fails if the two ever differ.
 */

export interface EndpointPermission {
  /** e.g. "candidatesRead"; null for operations Ashby documents without a permission (partner-implemented assessment.* calls). */
  permission: string | null;
}

const REQUIRES = /Requires the \[`(\w+)`\]/;

/**
 * The spec spells two operations' permission `candidateWrite` (application.addHiringTeamMember,
 * application.removeHiringTeamMember); no such permission exists in the key settings (docs/ashby-api.md §4.2).
 */
const SPELLING_FIXES: Readonly<Record<string, string>> = { candidateWrite: 'candidatesWrite' };

export function derivePermissionMap(specText: string): Record<string, EndpointPermission> {
  const spec = parse(specText, { maxAliasCount: -1 }) as { paths: Record<string, { post?: { description?: string } }> };
  const out: Record<string, EndpointPermission> = {};
  for (const [path, item] of Object.entries(spec.paths)) {
    const match = REQUIRES.exec(item.post?.description ?? '');
    const permission = match ? match[1]! : null;
    out[path.replace(/^\//, '')] = { permission: permission === null ? null : SPELLING_FIXES[permission] ?? permission };
  }
  return out;
}

/** Source text of permission-map.ts for a derived map. */
export function renderPermissionMap(map: Record<string, EndpointPermission>): string {
  const lines = Object.keys(map)
    .sort()
    .map((path) => `  '${path}': ${map[path]!.permission === null ? 'null' : `'${map[path]!.permission}'`},`);
  return [
    '// GENERATED from Ashby\'s OpenAPI document (test/fixtures/ashby/openapi.yml) by derivePermissionMap() — do not edit by hand.',
    '// test/sandbox/permission-map.test.ts fails when this drifts from the spec; it rewrites the file',
    '// when run with UPDATE_PERMISSION_MAP=1.',
    '',
    '/** Endpoint (without the leading slash) → the permission its "Requires" line names; null when the spec names none. */',
    'export const SPEC_PERMISSIONS: Readonly<Record<string, string | null>> = {',
    ...lines,
    '};',
    '',
  ].join('\n');
}
