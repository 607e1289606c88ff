import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * `ashby-kafka/<version>`: Ashby support can tell our traffic apart. The version comes from
 * the package.json above this file, found by walking up, because the file runs both from
 * src/ (tests) and from dist/src/ (the built CLI).
 */
let cached: string | undefined;

export function packageVersion(): string {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'ashby-kafka' && pkg.version) return (cached = pkg.version);
    } catch {
      // not here; keep walking up
    }
    dir = dirname(dir);
  }
  return (cached = '0.0.0');
}

export function defaultUserAgent(): string {
  return `ashby-kafka/${packageVersion()}`;
}
