import { PassThrough, Readable } from 'node:stream';
import { promptHidden, readApiKey, readKeyFromStream } from '../../src/credentials/index.js';

/** A fake terminal: a stream that records raw-mode switches (a unit test may use a fake). */
function fakeTty(): PassThrough & { isTTY: boolean; rawModes: boolean[]; setRawMode(on: boolean): void } {
  const s = new PassThrough() as PassThrough & { isTTY: boolean; rawModes: boolean[]; setRawMode(on: boolean): void };
  s.isTTY = true;
  s.rawModes = [];
  s.setRawMode = (on: boolean) => void s.rawModes.push(on);
  return s;
}

describe('reading the key', () => {
  it('reads all of a piped stdin', async () => {
    expect(await readKeyFromStream(Readable.from([Buffer.from('abc'), Buffer.from('def\n')]))).toBe('abcdef\n');
  });

  it('refuses a huge stdin', async () => {
    await expect(readKeyFromStream(Readable.from([Buffer.alloc(20_000, 97)]))).rejects.toMatchObject({
      code: 'CREDENTIAL_KEY_INVALID',
    });
  });

  it('prompts on a terminal without echoing, handles backspace and paste markers, restores the mode', async () => {
    const tty = fakeTty();
    const shown: string[] = [];
    const p = readApiKey({ stdin: tty as unknown as NodeJS.ReadStream, promptTo: (t) => void shown.push(t) }, 'key: ');
    tty.write('\u001b[200~secr');
    tty.write('x\u007fet\u001b[201~\r');
    expect(await p).toBe('secret');
    expect(shown.join('')).toBe('key: \n');
    expect(tty.rawModes).toEqual([true, false]);
  });

  it('Ctrl-C cancels with CANCELLED', async () => {
    const tty = fakeTty();
    const p = promptHidden({ stdin: tty as unknown as NodeJS.ReadStream, promptTo: () => undefined }, 'key: ');
    tty.write('abc\u0003');
    await expect(p).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(tty.rawModes).toEqual([true, false]);
  });
});
