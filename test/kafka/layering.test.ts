import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { PACKAGE_ROOT } from '../../src/package-info.js';

/** docs/architecture.md: the Kafka client library is an implementation detail of src/kafka/. */
function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? tsFiles(p) : n.endsWith('.ts') ? [p] : [];
  });
}

describe('layering', () => {
  it('only src/kafka/ imports node-rdkafka', () => {
    const src = join(PACKAGE_ROOT, 'src');
    const importers = tsFiles(src)
      .filter((f) =>
        /from 'node-rdkafka'|import\('node-rdkafka'\)|require\('node-rdkafka'\)/.test(readFileSync(f, 'utf8')),
      )
      .map((f) => relative(src, f));
    expect(importers.length).toBeGreaterThan(0);
    expect(importers.filter((f) => !f.startsWith('kafka/'))).toEqual([]);
  });
});
