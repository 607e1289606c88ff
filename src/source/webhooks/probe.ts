import { request } from 'undici';
import type { SourceConfig } from '../../config/schema.js';

/**
 * Whether the receiver answers at `source.webhooks.public_url`, i.e. through the proxy Ashby
 * goes through (`check` runs it). The receiver answers `GET <path>` with
 * `{"receiver": "ashby-kafka"}`; anything else at that URL means the proxy routes elsewhere.
 */
export interface ProbeResult {
  status: 'pass' | 'warn' | 'fail' | 'skip';
  detail: string;
}

export async function probeReceiver(hooks: SourceConfig['webhooks'], timeoutMs: number): Promise<ProbeResult> {
  if (!hooks) return { status: 'skip', detail: 'source.webhooks not configured' };
  if (!hooks.public_url)
    return {
      status: 'warn',
      detail: `no source.webhooks.public_url: the receiver listens on ${hooks.host}:${hooks.port}${hooks.path}, but nothing says where Ashby reaches it`,
    };
  const url = hooks.public_url;
  try {
    const res = await request(url, {
      method: 'GET',
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.body.text();
    let receiver: unknown;
    try {
      receiver = (JSON.parse(text) as { receiver?: unknown }).receiver;
    } catch {
      receiver = undefined;
    }
    if (res.statusCode === 200 && receiver === 'ashby-kafka')
      return { status: 'pass', detail: `${url} reaches the receiver` };
    return {
      status: 'fail',
      detail: `${url} answers HTTP ${res.statusCode} but not as the receiver: check the proxy forwards ${hooks.path} to ${hooks.host}:${hooks.port}`,
    };
  } catch (err) {
    const code = (err as { code?: string }).code;
    return {
      status: 'warn',
      detail: `${url} is not reachable (${code ?? (err as Error).message}); the receiver runs only while \`source\` runs without --once`,
    };
  }
}
