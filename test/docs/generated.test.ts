import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { loadContract } from '../../src/avro/contract.js';
import { parseSchema } from '../../src/avro/schema.js';
import { generatedFiles } from '../../src/docs/generate.js';
import { renderTopicDocs } from '../../src/docs/topic-reference.js';
import { PACKAGE_ROOT } from '../../src/package-info.js';
import { commandResultType } from '../../src/sink/results.js';
import { DEFAULT_CATALOG } from '../../src/source/catalog.js';

/** Generated references are current: run `npm run docs` after changing the schema, the CLI, the catalog or the contract. */
describe('generated docs and schemas', () => {
  for (const [path, text] of generatedFiles()) {
    it(`${relative(PACKAGE_ROOT, path)} is current (npm run docs)`, () => {
      expect(existsSync(path)).toBe(true);
      expect(readFileSync(path, 'utf8')).toBe(text);
    });
  }

  it('the topic reference has one row per catalog stream, with its topic and schema file', () => {
    const page = renderTopicDocs();
    const streams = DEFAULT_CATALOG.all();
    expect(streams.length).toBeGreaterThan(20);
    for (const s of streams)
      expect(page).toContain(
        `| \`${s.name}\` | \`ashby.${s.name}\` | [\`${(loadContract().streamType(s.name) as { name: string }).name}\`](../schemas/streams/${s.name}.avsc)`,
      );
    expect(page).toContain(`${streams.length} streams`);
  });

  it('schemas/results/command-result.avsc is the schema the sink writes', () => {
    const shipped = JSON.parse(readFileSync(`${PACKAGE_ROOT}/schemas/results/command-result.avsc`, 'utf8')) as object;
    expect(parseSchema(shipped as never, 'command-result.avsc').equals(commandResultType())).toBe(true);
  });
});
