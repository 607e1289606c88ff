import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PACKAGE_ROOT } from '../../package-info.js';
import { generateSchemaFiles } from './generate.js';
import { DEFAULT_SPEC_PATH } from './spec-path.js';

/**
 * Regenerates schemas/ from Ashby's OpenAPI document:
 *   npm run build && node dist/src/avro/generate/main.js [path/to/openapi.yml]
 * Default spec: DEFAULT_SPEC_PATH (spec-path.ts; or $ASHBY_OPENAPI). Review the
 * diff: a renamed or retyped field is a breaking change for consumers (docs/avro.md).
 */
function main(): void {
  const spec = process.argv[2] ?? DEFAULT_SPEC_PATH;
  const out = join(PACKAGE_ROOT, 'schemas');
  const files = generateSchemaFiles(spec);
  for (const dir of ['streams', 'commands']) {
    mkdirSync(join(out, dir), { recursive: true });
    for (const name of readdirSync(join(out, dir))) {
      if (name.endsWith('.avsc') && !files.has(`${dir}/${name}`)) rmSync(join(out, dir, name));
    }
  }
  for (const [rel, text] of files) {
    mkdirSync(dirname(join(out, rel)), { recursive: true });
    writeFileSync(join(out, rel), text);
  }
  process.stdout.write(`wrote ${files.size} schemas to ${out} from ${spec}\n`);
}

main();
