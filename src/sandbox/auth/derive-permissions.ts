import { parse } from 'yaml';

/**
 * Derives endpoint → permission from Ashby's OpenAPI spec: each operation's description carries a
 * line "**Requires the [`candidatesRead`](…) permission.**". The result is checked in once, as
 * src/ashby/permissions.json (parsing the 650 KB spec at every start would cost ~0.4 s), which
 * the sandbox's permission-map.ts reads; unit tests re-derive it and fail if the two ever differ.
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
    out[path.replace(/^\//, '')] = {
      permission: permission === null ? null : (SPELLING_FIXES[permission] ?? permission),
    };
  }
  return out;
}
