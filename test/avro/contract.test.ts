import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COMMAND_ENTITIES, loadContract } from '../../src/avro/contract.js';
import { AvroContractError } from '../../src/avro/errors.js';

describe('loadContract', () => {
  const contract = loadContract();

  it('parses the package schemas once and shares the types', () => {
    expect(loadContract()).toBe(contract);
    expect(contract.streamType('candidates')).toBe(contract.streamType('candidates'));
    expect(contract.streams()).toHaveLength(43);
    expect(contract.allTypes()).toHaveLength(1 + 43 + COMMAND_ENTITIES.length);
  });

  it('gives the value type of a stream and of each command entity, and the string key type', () => {
    expect((contract.streamType('applications') as unknown as { name: string }).name).toBe(
      'io.ashbykafka.v1.Application',
    );
    for (const entity of COMMAND_ENTITIES)
      expect((contract.commandType(entity) as unknown as { name: string }).name).toMatch(
        /^io\.ashbykafka\.v1\.command\.\w+Command$/,
      );
    expect(contract.keyType().toBuffer('abc')).toEqual(Buffer.from([6, 0x61, 0x62, 0x63]));
  });

  it('names the known streams when asked for an unknown one', () => {
    expect(() => contract.streamType('candidate')).toThrow(AvroContractError);
    expect(() => contract.streamType('candidate')).toThrow(
      /unknown stream "candidate": the contract in .* has application_criteria_evaluations, application_feedback/,
    );
    expect(() => contract.commandType('user' as never)).toThrow(/unknown command entity "user"/);
  });

  it('reads another schemas folder, and says what is missing from an empty one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'avro-contract-'));
    expect(() => loadContract(dir)).toThrow(/key\.avsc is missing/);
    writeFileSync(join(dir, 'key.avsc'), '{"type":"string"}');
    mkdirSync(join(dir, 'streams'));
    writeFileSync(
      join(dir, 'streams', 'things.avsc'),
      JSON.stringify({ type: 'record', name: 'Thing', fields: [{ name: 'id', type: 'string' }] }),
    );
    const custom = loadContract(dir);
    expect(custom.streams()).toEqual(['things']);
    expect(custom.streamSchema('things')).toEqual({
      type: 'record',
      name: 'Thing',
      fields: [{ name: 'id', type: 'string' }],
    });
  });

  it('reports a broken schema file with its path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'avro-contract-'));
    writeFileSync(join(dir, 'key.avsc'), '{"type":"string"}');
    mkdirSync(join(dir, 'streams'));
    writeFileSync(
      join(dir, 'streams', 'bad.avsc'),
      '{"type":"record","name":"Bad","fields":[{"name":"x","type":"nope"}]}',
    );
    expect(() => loadContract(dir)).toThrow(/streams\/bad\.avsc is not a valid Avro schema/);
  });
});
