/**
 * The Kafka headers a source record may carry (docs/source.md#records). `source.headers` chooses
 * which ones a pipeline's records carry; deletions records and tombstones always carry theirs.
 */
export const HEADERS = {
  stream: 'ashby.stream',
  syncMode: 'ashby.sync_mode',
  runId: 'ashby.sync_run_id',
  requestId: 'ashby.request_id',
  emittedAt: 'ashby.emitted_at',
} as const;

export type HeaderName = (typeof HEADERS)[keyof typeof HEADERS];

/** Every header name, in the order records carry them. */
export const HEADER_NAMES: readonly HeaderName[] = Object.values(HEADERS);

/** The headers `source.headers` asks for: `none`, `all`, or a list of names. */
export function selectedHeaders(setting: 'none' | 'all' | readonly HeaderName[]): ReadonlySet<HeaderName> {
  if (setting === 'none') return new Set();
  return new Set(setting === 'all' ? HEADER_NAMES : setting);
}
