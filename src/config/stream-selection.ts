import type { SourceConfig } from './schema.js';
import { ConfigError } from '../errors.js';
import type { CatalogStream, StreamCatalog } from '../source/catalog.js';

/**
 * Which streams a pass reads: `streams: all` is every stream enabled by default minus
 * `exclude`; a list names streams explicitly (a listed stream the key cannot read fails the run
 * instead of being skipped). Order follows the catalog, which lists the largest streams first,
 * so the longest reads start first.
 */
export interface StreamSelection {
  streams: CatalogStream[];
  /** Names the user listed (permission failures on these fail the run). */
  explicit: ReadonlySet<string>;
}

export function selectStreams(
  source: Pick<SourceConfig, 'streams' | 'exclude'>,
  catalog: StreamCatalog,
): StreamSelection {
  const problems: string[] = [];
  const check = (name: string, where: string): void => {
    if (!catalog.get(name))
      problems.push(`${where}: unknown stream "${name}"; available: ${[...catalog.names()].sort().join(', ')}`);
  };
  source.exclude.forEach((n, i) => check(n, `source.exclude[${i}]`));
  const excluded = new Set(source.exclude);
  let streams: CatalogStream[];
  let explicit: Set<string>;
  if (source.streams === 'all') {
    streams = catalog.all().filter((s) => s.enabledByDefault && !excluded.has(s.name));
    explicit = new Set();
  } else {
    source.streams.forEach((n, i) => check(n, `source.streams[${i}]`));
    const dupes = source.streams.filter((n, i) => source.streams.indexOf(n) !== i);
    if (dupes.length) problems.push(`source.streams lists ${[...new Set(dupes)].join(', ')} more than once`);
    explicit = new Set(source.streams);
    streams = catalog.all().filter((s) => explicit.has(s.name) && !excluded.has(s.name));
  }
  if (problems.length)
    throw new ConfigError(`invalid source streams:\n${problems.map((p) => `  - ${p}`).join('\n')}`, { problems });
  if (streams.length === 0) throw new ConfigError('source selects no stream: check source.streams and source.exclude');
  return { streams, explicit };
}
