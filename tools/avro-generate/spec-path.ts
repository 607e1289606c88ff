import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { PACKAGE_ROOT } from '../../src/package-info.js';

/**
 * The folder holding Ashby's reference material (`ashby/openapi.yml`, `ashby/recorded/`,
 * `ashby-api.md`): $ASHBY_SHARED_DIR, else the first `shared/` folder beside the package or one
 * of its ancestors (a checkout in /work/main and a CI clone elsewhere on the machine both find
 * /work/shared), else /work/shared.
 */
export function sharedReferenceDir(): string {
  if (process.env.ASHBY_SHARED_DIR) return resolve(process.env.ASHBY_SHARED_DIR);
  let dir = PACKAGE_ROOT;
  for (;;) {
    const candidate = join(dirname(dir), 'shared');
    if (existsSync(join(candidate, 'ashby', 'openapi.yml'))) return candidate;
    if (dirname(dir) === dir) return '/work/shared';
    dir = dirname(dir);
  }
}

/** Ashby's OpenAPI document the contract is generated from: $ASHBY_OPENAPI, else <shared>/ashby/openapi.yml. */
export const DEFAULT_SPEC_PATH = process.env.ASHBY_OPENAPI ?? join(sharedReferenceDir(), 'ashby', 'openapi.yml');

/** The anonymised recordings of real Ashby exchanges. */
export const RECORDED_DIR = join(sharedReferenceDir(), 'ashby', 'recorded');
