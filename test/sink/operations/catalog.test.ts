import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { loadContract } from '../../../src/avro/contract.js';
import { destinationAccess } from '../../../src/cli/check.js';
import type { KeyTestReport } from '../../../src/credentials/index.js';
import { CATALOG, OPERATIONS, OperationCatalog, type OperationDecl } from '../../../src/sink/operations/catalog.js';
import { readSinkDocs, renderOperationsTable, renderSinkDocs } from '../../../src/sink/operations/docs-table.js';
import { missingScopes } from '../../../src/sink/preflight.js';
import { commandSpecs } from '../../../tools/avro-generate/command-specs.js';
import { generateSchemaFiles } from '../../../tools/avro-generate/generate.js';
import { OPENAPI_PATH } from '../../support/ashby-fixtures.js';

/** An operation declared in the catalog alone: every view derived from the catalog must show it. */
const ADD_PROJECT: OperationDecl = {
  entity: 'candidate',
  operation: 'addProject',
  steps: [
    { id: 'addProject', endpoint: 'candidate.addProject', describe: (i) => `add candidate ${i.targetId} to a project` },
  ],
  schema: { endpoints: ['candidate.addProject'], doc: 'candidate.addProject' },
  docs: '`candidate.addProject`',
};
const extended = new OperationCatalog([...OPERATIONS, ADD_PROJECT]);
const readOnly: KeyTestReport = {
  baseUrl: 'http://x',
  testedAt: '2026-01-01T00:00:00Z',
  scopes: ['candidates:read'],
  modules: [],
  confidentialJobs: 'unknown' as never,
};
const destination = { destination: { topics: [{ entity: 'candidate' }] } } as never;

describe('the sink operation catalog', () => {
  it('an operation added in the catalog alone reaches check, preflight, the docs table and the command schema', () => {
    expect(CATALOG.endpointsOf('candidate')).not.toContain('candidate.addProject');

    const check = destinationAccess(destination, readOnly, extended);
    expect(check.status).toBe('fail');
    expect(check.detail).toContain('candidate.addProject');
    expect(destinationAccess(destination, readOnly).detail).not.toContain('candidate.addProject');

    const preflight = missingScopes(['candidates:read'], ['candidate'], extended);
    expect(preflight.flatMap((m) => m.endpoints)).toContain('candidate.addProject');

    expect(renderOperationsTable(undefined, extended)).toContain(
      '| candidate | `addProject` | `candidate.addProject` |',
    );

    const files = generateSchemaFiles(OPENAPI_PATH, commandSpecs(extended));
    const schema = JSON.parse(files.get('commands/candidate.avsc')!) as {
      fields: Array<{ name: string; type: unknown }>;
    };
    const operation = schema.fields.find((f) => f.name === 'operation')!.type as { symbols: string[] };
    expect(operation.symbols).toContain('addProject');
  });

  it('check and preflight ask for the same endpoints (both derive them from the catalog)', () => {
    for (const entity of ['candidate', 'job', 'application', 'offer'] as const) {
      const none: KeyTestReport = { ...readOnly, scopes: [] };
      const fromCheck = destinationAccess({ destination: { topics: [{ entity }] } } as never, none);
      const fromPreflight = missingScopes([], [entity]).flatMap((m) => m.endpoints);
      for (const e of fromPreflight) expect(fromCheck.detail).toContain(e);
    }
    // What used to disagree: the lookups that settle unknown outcomes need read scopes too.
    expect(CATALOG.endpointsOf('application')).toEqual(
      expect.arrayContaining(['candidate.info', 'application.info', 'customField.setValues']),
    );
    expect(CATALOG.endpointsOf('job')).toContain('job.search');
  });

  it('derives which steps never repeat and which lookups settle them', () => {
    expect(CATALOG.stepKind('offer.create')).toBe('once');
    expect(CATALOG.stepKind('candidate.create')).toBe('reconcilable');
    expect(CATALOG.settleOf('candidate.create')?.before).toBe(true);
    expect(CATALOG.settleOf('application.create')?.before).toBeUndefined();
    expect(CATALOG.stepKind('candidate.update')).toBe('repeatable');
  });

  it('refuses an endpoint declared with two different behaviours', () => {
    const twice: OperationDecl = {
      ...ADD_PROJECT,
      operation: 'again',
      steps: [{ id: 'x', endpoint: 'offer.create', describe: () => 'x' }],
    };
    expect(() => new OperationCatalog([...OPERATIONS, twice])).toThrow(/different repeat\/settle behaviour/);
  });

  it('docs/sink.md has the table the catalog renders (run `npm run docs` after changing the catalog)', () => {
    const current = readSinkDocs();
    expect(renderSinkDocs(current, loadContract())).toBe(current);
    expect(readFileSync(new URL('../../../docs/sink.md', import.meta.url), 'utf8')).toContain(
      '| offer | `setStatus` | `offer.setStatus` | `offerId`, `acceptanceStatus` |',
    );
  });
});
