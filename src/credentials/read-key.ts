import { AshbyKafkaError } from '../errors.js';
import { CredentialError } from './errors.js';

/**
 * Where an API key enters the process: piped stdin, or a prompt that does not echo. Never
 * argv (shell history, `ps`) and never an environment variable the CLI names. The key read
 * here is only ever handed to the store, which registers it with the log scrubber.
 */
/** Far above any real key; stops `credentials add < big-file` from reading a whole file. */
const MAX_KEY_INPUT_BYTES = 16 * 1024;
/** Bracketed-paste markers some terminals wrap pasted text in. */
// eslint-disable-next-line no-control-regex -- the terminal's escape character is what is matched
const PASTE_MARKERS = /\u001b\[20[01]~/g;

export interface KeyInput {
  stdin: NodeJS.ReadStream;
  /** Where the prompt goes (stderr, so stdout stays clean). */
  promptTo: (text: string) => void;
}

export async function readKeyFromStream(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buf.length;
    if (size > MAX_KEY_INPUT_BYTES) {
      throw new CredentialError(
        'CREDENTIAL_KEY_INVALID',
        `stdin holds more than ${MAX_KEY_INPUT_BYTES} bytes; pipe only the API key.`,
      );
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Reads one line from a TTY in raw mode without echoing it. Ctrl-C cancels. */
export function promptHidden(input: KeyInput, prompt: string): Promise<string> {
  const { stdin, promptTo } = input;
  promptTo(prompt);
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = (): void => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      promptTo('\n');
    };
    const onData = (chunk: Buffer | string): void => {
      const text = (typeof chunk === 'string' ? chunk : chunk.toString('utf8')).replace(PASTE_MARKERS, '');
      for (const ch of text) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') {
          finish();
          resolve(value);
          return;
        }
        if (ch === '\u0003') {
          finish();
          reject(new AshbyKafkaError('CANCELLED', 'Cancelled; nothing was saved.'));
          return;
        }
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on('data', onData);
  });
}

/** The key from stdin when it is piped, or from a hidden prompt on a terminal. */
export async function readApiKey(input: KeyInput, prompt: string): Promise<string> {
  return input.stdin.isTTY ? promptHidden(input, prompt) : readKeyFromStream(input.stdin);
}
