import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { PACKAGE_ROOT } from '../src/package-info.js';

/**
 * There is no Docker engine on the build machines, so this checks what the image build needs
 * without running it: `npm ci` runs `prepare`, which is `npm run build`, so every folder the
 * build compiles or bundles must be copied into the build stage before `npm ci`.
 */
describe('Dockerfile', () => {
  const dockerfile = readFileSync(join(PACKAGE_ROOT, 'Dockerfile'), 'utf8');
  const buildStage = dockerfile.slice(0, dockerfile.indexOf('RUN npm ci'));
  const copied = new Set(
    [...buildStage.matchAll(/^COPY (?!--from)(.+)$/gm)].flatMap((m) => m[1]!.trim().split(/\s+/).slice(0, -1)),
  );

  it('copies every folder and config the build reads before npm ci', () => {
    const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    const tsBuild = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'tsconfig.build.json'), 'utf8')) as {
      include: string[];
    };
    const needed = new Set([
      ...tsBuild.include,
      'tsconfig.json',
      'tsconfig.build.json',
      'package.json',
      'package-lock.json',
    ]);
    // Every `tsc -p DIR` and `node DIR/…` of the build scripts, and the repository files those
    // node scripts read (`join(here, '..', 'docs', 'x.md')`).
    for (const script of [pkg.scripts.build!, pkg.scripts['build:console'] ?? '']) {
      for (const m of script.matchAll(/tsc -p (\S+)|node (\w+)\//g)) {
        const dir = m[1] ?? m[2]!;
        if (!dir.endsWith('.json')) needed.add(dir);
      }
      for (const [, file] of script.matchAll(/node (\S+\.m?js)/g)) {
        const source = readFileSync(join(PACKAGE_ROOT, file!), 'utf8');
        for (const [, parts] of source.matchAll(/join\(here, '\.\.', ((?:'[^']+'(?:, )?)+)\)/g))
          needed.add([...parts!.matchAll(/'([^']+)'/g)].map((p) => p[1]).join('/'));
      }
    }
    const isCopied = (n: string): boolean => [...copied].some((c) => n === c || n.startsWith(`${c}/`));
    // The build's own output is not an input.
    expect([...needed].filter((n) => !n.startsWith('dist/') && !isCopied(n))).toEqual([]);
  });
});
