import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { PERMISSION_MODULES, parsePermission, permissionFor, scopesAllow } from '../../src/ashby/permissions.js';
import { derivePermissions, specEndpoints } from './spec-helpers.js';

const JSON_PATH = resolve(process.cwd(), 'src/ashby/permissions.json');

describe('permissions.json', () => {
  it('matches the "Requires …" line of every operation in openapi.yml (regenerate with UPDATE_ASHBY_PERMISSIONS=1)', () => {
    const derived = derivePermissions();
    const file = JSON.parse(readFileSync(JSON_PATH, 'utf8')) as {
      endpoints: Record<string, string>;
      withoutPermission: string[];
      fromChangelog: Record<string, string>;
    };
    const without = specEndpoints()
      .filter((e) => !(e in derived))
      .sort();
    if (process.env.UPDATE_ASHBY_PERMISSIONS === '1') {
      writeFileSync(
        JSON_PATH,
        `${JSON.stringify({ ...file, endpoints: derived, withoutPermission: without }, null, 2)}\n`,
      );
      file.endpoints = derived;
      file.withoutPermission = without;
    }
    expect(file.endpoints).toEqual(derived);
    expect(file.withoutPermission).toEqual(without);
    // Changelog additions are only for endpoints the spec does not have yet.
    for (const endpoint of Object.keys(file.fromChangelog)) expect(specEndpoints()).not.toContain(endpoint);
  });

  it('covers every endpoint the spec documents a permission for, with a module we can name', () => {
    const derived = derivePermissions();
    expect(Object.keys(derived).length).toBeGreaterThanOrEqual(150);
    for (const [endpoint, permission] of Object.entries(derived)) {
      const p = permissionFor(endpoint);
      expect(p?.permission).toBe(permission);
      expect(PERMISSION_MODULES.map((m) => m.label)).toContain(p!.module);
    }
  });

  it.each([
    ['candidate.create', 'Candidates', 'write', 'candidates:write'],
    ['application.addHiringTeamMember', 'Candidates', 'write', 'candidates:write'],
    ['job.list', 'Jobs', 'read', 'jobs:read'],
    ['source.list', 'Hiring Process Metadata', 'read', 'hiringProcessMetadata:read'],
    ['user.list', 'Organization', 'read', 'organization:read'],
    ['apiKey.info', 'API Keys', 'read', 'apiKeys:read'],
    ['offer.setStatus', 'Offers', 'write', 'offers:write'],
  ])('%s needs %s: %s (scope %s)', (endpoint, module, access, scope) => {
    expect(permissionFor(endpoint)).toMatchObject({ module, access, scope });
  });

  it('knows nothing about partner-side endpoints and unknown names', () => {
    expect(permissionFor('assessment.start')).toBeUndefined();
    expect(permissionFor('nope.nothing')).toBeUndefined();
    expect(parsePermission('weird')).toBeUndefined();
  });

  it('tells whether apiKey.info scopes allow an endpoint', () => {
    expect(scopesAllow(['candidates:read', 'jobs:read'], 'candidate.list')).toBe(true);
    expect(scopesAllow(['candidates:read'], 'candidate.create')).toBe(false);
    expect(scopesAllow(['candidates:read'], 'assessment.start')).toBeUndefined();
  });
});
