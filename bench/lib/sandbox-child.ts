import type { ChildProcess } from 'node:child_process';

/**
 * A sandbox running in a forked child (its CPU and memory are not the measured process's): waits
 * for the `{ url }` message the child sends once it listens; `stop` sends it `'exit'` and waits.
 */
export async function sandboxInChild(child: ChildProcess): Promise<{ url: string; stop: () => Promise<void> }> {
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (m) => resolve((m as { url: string }).url));
    child.once('exit', (code) => reject(new Error(`sandbox child exited with ${code}`)));
  });
  return {
    url,
    stop: async () => {
      child.send('exit');
      await new Promise((r) => child.once('exit', r));
    },
  };
}
