import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { PACKAGE_ROOT } from '../../src/package-info.js';

/** `npm run bench` with no name runs the benchmarks listed in REPORT (scripts/bench.sh): all of them. */
describe('the benchmark report list', () => {
  it('names every bench/*.ts once, each with a compiled entry point', () => {
    const script = readFileSync(join(PACKAGE_ROOT, 'scripts', 'bench.sh'), 'utf8');
    const block = /^REPORT=\(\n([\s\S]*?)\n\)/m.exec(script)?.[1];
    expect(block).toBeDefined();
    const listed = block!
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l.startsWith('"'))
      .map((l) =>
        l
          .slice(1, -1)
          .split(/\s+/)
          .find((w) => !w.includes('='))!,
      );
    const benches = readdirSync(join(PACKAGE_ROOT, 'bench'))
      .filter((f) => f.endsWith('.ts'))
      .map((f) => f.slice(0, -3));
    expect([...listed].sort()).toEqual([...benches].sort());
  });
});
