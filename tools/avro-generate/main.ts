import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/package-info.js';
import { generateSchemaFiles } from './generate.js';

/**
 * Regenerates schemas/ from Ashby's OpenAPI document (a development tool; nothing at run time
 * imports it):
 *   npm run generate:schemas -- --spec path/to/openapi.yml
 * Review the diff: a renamed or retyped field is a breaking change for consumers (docs/avro.md).
 */
function specArgument(argv: readonly string[]): string | undefined {
  const i = argv.indexOf('--spec');
  if (i >= 0) return argv[i + 1];
  const eq = argv.find((a) => a.startsWith('--spec='));
  return eq?.slice('--spec='.length);
}

function main(): void {
  const spec = specArgument(process.argv.slice(2));
  if (!spec) {
    process.stderr.write(
      'usage: npm run generate:schemas -- --spec path/to/openapi.yml\n  --spec is required: the Ashby OpenAPI document to generate schemas/ from\n',
    );
    process.exitCode = 2;
    return;
  }
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
