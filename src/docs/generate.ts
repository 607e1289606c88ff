import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONFIG_DOCS_PATH, renderConfigDocs } from '../config/docs.js';
import { PACKAGE_ROOT } from '../package-info.js';
import { loadContract } from '../avro/contract.js';
import { SINK_DOCS_PATH, readSinkDocs, renderSinkDocs } from '../sink/operations/docs-table.js';
import { COMMAND_RESULT_SCHEMA } from '../sink/results.js';
import { renderCliDocs } from './cli-reference.js';
import { renderTopicDocs } from './topic-reference.js';
import { SERVE_CONFIG_DOCS_PATH, renderWorkerConfigDocs } from '../serve/config/docs.js';
import { BUILDERS_PATH, formattedBuilders } from '../sink/builders-codegen.js';

/**
 * Every file generated from the code's own declarations: the config, CLI and topic references,
 * the operations table of docs/sink.md (from the sink's operation catalog) and the CommandResult
 * schema the sink writes; and the typed command builders (src/sink/builders.generated.ts, from the
 * command schemas, drift-tested by test/sink/builders.test.ts). `npm run docs` writes them;
 * test/docs/generated.test.ts fails when a committed copy differs.
 */
export function generatedFiles(): Map<string, string> {
  return new Map([
    [CONFIG_DOCS_PATH, renderConfigDocs()],
    [SERVE_CONFIG_DOCS_PATH, renderWorkerConfigDocs()],
    [join(PACKAGE_ROOT, 'docs', 'cli.md'), renderCliDocs()],
    [join(PACKAGE_ROOT, 'docs', 'topics.md'), renderTopicDocs()],
    [SINK_DOCS_PATH, renderSinkDocs(readSinkDocs(), loadContract())],
    [
      join(PACKAGE_ROOT, 'schemas', 'results', 'command-result.avsc'),
      `${JSON.stringify(COMMAND_RESULT_SCHEMA, null, 2)}\n`,
    ],
  ]);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const [path, text] of generatedFiles()) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    process.stdout.write(`wrote ${relative(PACKAGE_ROOT, path)}\n`);
  }
  writeFileSync(BUILDERS_PATH, await formattedBuilders(loadContract()));
  process.stdout.write(`wrote ${relative(PACKAGE_ROOT, BUILDERS_PATH)}\n`);
  // The CLI modules load node-rdkafka, whose threads would keep the process alive.
  process.exit(0);
}
