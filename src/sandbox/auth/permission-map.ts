import { specPermissions } from '../../ashby/permissions.js';

/**
 * Endpoint (without the leading slash) → the permission its "Requires" line names; null when the
 * spec names none. The table is checked in once, as src/ashby/permissions.json (generated from
 * the spec; test/ashby/permissions.test.ts and test/sandbox/spec-tools.test.ts check it).
 */
export const SPEC_PERMISSIONS: Readonly<Record<string, string | null>> = specPermissions();
