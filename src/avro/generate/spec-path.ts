import { resolve } from 'node:path';
import { PACKAGE_ROOT } from '../../package-info.js';

/** Ashby's OpenAPI document the contract is generated from: $ASHBY_OPENAPI, else ../shared/ashby/openapi.yml beside the package. */
export const DEFAULT_SPEC_PATH = process.env.ASHBY_OPENAPI ?? resolve(PACKAGE_ROOT, '../shared/ashby/openapi.yml');
