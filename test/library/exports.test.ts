import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { PACKAGE_ROOT } from '../../src/package-info.js';

/**
 * `import … from 'ashby-kafka'` resolves through package.json's `exports` map to the built
 * library (needs `npm run build`, as `npm test` does first). Run inside the package folder,
 * where Node resolves a package's own name to itself.
 */

const exec = promisify(execFile);
const run = (code: string) => exec(process.execPath, ['--input-type=module', '-e', code], { cwd: PACKAGE_ROOT });

describe("import from 'ashby-kafka'", () => {
  it('gives createSerde and parseJsonCommand at the top level, and they work', async () => {
    const { stdout } = await run(`
      import { createSerde, loadContract, parseJsonCommand, PACKAGE_VERSION } from 'ashby-kafka';
      const contract = loadContract();
      const serde = createSerde({ mode: 'single-object' }, contract);
      const value = parseJsonCommand('candidate', { operation: 'create', name: 'Ada Lovelace', email: 'ada@example.com' });
      const bytes = await serde.encodeValue('t', contract.commandType('candidate'), value);
      const back = await serde.decodeValue('t', bytes);
      console.log(JSON.stringify({ name: back.name, version: typeof PACKAGE_VERSION }));
    `);
    expect(JSON.parse(stdout)).toEqual({ name: 'Ada Lovelace', version: 'string' });
  });

  it('gives the typed command builders, whose commands the sink parses', async () => {
    const { stdout } = await run(`
      import { commands, parseJsonCommand } from 'ashby-kafka';
      const command = commands.interview_schedule.cancel({ interviewScheduleId: 's1' });
      const value = parseJsonCommand('interview_schedule', command);
      console.log(JSON.stringify({ command, operation: value.operation, id: value.interviewScheduleId }));
    `);
    expect(JSON.parse(stdout)).toEqual({
      command: { operation: 'cancel', interviewScheduleId: 's1' },
      operation: 'cancel',
      id: 's1',
    });
  });

  it('exposes the command schemas, and nothing of dist/ but the entry', async () => {
    const { stdout } = await run(`
      import { createRequire } from 'node:module';
      const require = createRequire(import.meta.url);
      console.log(require.resolve('ashby-kafka/schemas/commands/candidate.avsc'));
    `);
    expect(stdout.trim()).toMatch(/schemas\/commands\/candidate\.avsc$/);
    await expect(run(`await import('ashby-kafka/dist/src/avro/index.js');`)).rejects.toMatchObject({
      stderr: expect.stringMatching(/ERR_PACKAGE_PATH_NOT_EXPORTED/),
    });
  });
});
