import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { PACKAGE_ROOT } from '../src/package-info.js';

/** docs/errors.md lists every error code the code can produce. */
const PREFIXES = [
  'ASHBY',
  'AVRO',
  'CHECK',
  'COMMAND',
  'CONFIG',
  'CREDENTIAL',
  'KAFKA',
  'REGISTRY',
  'SANDBOX',
  'SERVE',
  'SINK',
  'SOURCE',
];
/** Same shape, not error codes. */
const NOT_CODES = new Set([
  'ASHBY_API_KEY',
  'ASHBY_KAFKA_MASTER_KEY',
  'ASHBY_KAFKA_CREDENTIALS_FILE',
  'ASHBY_KAFKA_DEBUG',
  'ASHBY_BASE_URL',
]);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('docs/errors.md', () => {
  it('lists every error code used in src/', () => {
    const pattern = new RegExp(`'((?:${PREFIXES.join('|')})_[A-Z0-9_]+|INTERNAL|CANCELLED)'`, 'g');
    const codes = new Set<string>();
    for (const file of sourceFiles(join(PACKAGE_ROOT, 'src'))) {
      if (file.includes(`${join('src', 'sandbox')}/`) && !file.endsWith('admin.ts') && !file.endsWith('wire-error.ts'))
        continue;
      for (const m of readFileSync(file, 'utf8').matchAll(pattern)) if (!NOT_CODES.has(m[1]!)) codes.add(m[1]!);
    }
    expect(codes.size).toBeGreaterThan(50);
    const doc = readFileSync(join(PACKAGE_ROOT, 'docs', 'errors.md'), 'utf8');
    const missing = [...codes].filter((c) => !doc.includes(`| \`${c}\` |`)).sort();
    expect(missing).toEqual([]);
  });
});
