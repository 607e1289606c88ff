import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { RegistryClient } from '../../../src/avro/registry/registry-client.js';
import { createLogger } from '../../../src/log/logger.js';
import { REGISTRY_URL, uniqueName } from '../../support/stack.js';

/**
 * The real registry behind a TCP relay that loses one answer: it passes the first registration
 * on to the registry, then drops everything the registry sends back on that connection. This is
 * what Apicurio 3.3 itself does about once in 100,000 requests (docs/avro.md, "Registry
 * requests"), made to happen on demand.
 */
interface LosingRelay {
  url: string;
  /** Registrations the relay passed on and whose answer it dropped. */
  lost: number;
  close(): Promise<void>;
}

async function startLosingRelay(target: URL): Promise<LosingRelay> {
  const sockets = new Set<Socket>();
  const relay = { lost: 0 };
  const server: Server = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    sockets.add(client).add(upstream);
    let dropAnswers = false;
    client.on('data', (chunk: Buffer) => {
      if (relay.lost === 0 && /^POST \S+\/versions HTTP/.test(chunk.toString('latin1'))) {
        relay.lost += 1;
        dropAnswers = true;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (!dropAnswers) client.write(chunk);
    });
    const end = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${target.pathname}`,
    get lost() {
      return relay.lost;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

const SCHEMA = JSON.stringify({
  type: 'record',
  name: 'LostAnswer',
  namespace: 'io.ashbykafka.test',
  fields: [{ name: 'id', type: 'string' }],
});

describe('a registration whose answer is lost, against the real registry', () => {
  it('is retried on a fresh connection and gets the id the lost attempt registered: one version, no duplicate', async () => {
    const relay = await startLosingRelay(new URL(REGISTRY_URL));
    const warnings: Array<Record<string, unknown>> = [];
    const logger = createLogger({ level: 'silent' });
    logger.warn = (_msg: string, fields?: Record<string, unknown>) => void warnings.push(fields ?? {});
    const viaRelay = new RegistryClient({
      url: relay.url,
      timeoutMs: 1_000,
      retry: { retries: 2, minDelayMs: 10, maxDelayMs: 20 },
      logger,
    });
    const direct = new RegistryClient({ url: REGISTRY_URL });
    const subject = `${uniqueName('lost-answer')}-value`;
    try {
      const id = await viaRelay.register(subject, SCHEMA);
      expect(relay.lost).toBe(1);
      expect(warnings).toEqual([
        expect.objectContaining({
          retry: 1,
          code: 'REGISTRY_UNAVAILABLE',
          error: expect.stringContaining('UND_ERR_HEADERS_TIMEOUT'),
        }),
      ]);
      // The lost attempt did register: the registry has the schema under the id the retry got, once.
      expect(await direct.lookup(subject, SCHEMA)).toBe(id);
      expect(await direct.latest(subject)).toMatchObject({ id, version: 1 });
    } finally {
      await viaRelay.close();
      await direct.close();
      await relay.close();
    }
  });
});
