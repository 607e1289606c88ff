import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { END_MARKER, renderReport, replaceGenerated, START_MARKER, type Machine } from '../../bench/lib/report.js';
import { figure, met, summarize, type BenchResult } from '../../bench/lib/results.js';
import { PACKAGE_ROOT } from '../../src/package-info.js';

const source = JSON.parse(
  readFileSync(join(PACKAGE_ROOT, 'test', 'fixtures', 'bench', 'source-result.json'), 'utf8'),
) as BenchResult;
const startup: BenchResult = {
  bench: 'startup',
  startedAt: '2026-12-06T00:35:59.186Z',
  durationS: 8.8,
  loadAverage: [1, 2, 3],
  figures: [
    figure('startup.version_over_node', '`ashby-kafka --version` ÷ `node -e 0`', 'ratio', [1.3, 1.2, 1.5], {
      op: '<=',
      value: 3,
    }),
    figure('startup.source_first_request', 'spawn → first request', 'ms', [1544.4, 1490.2, 1600]),
  ],
};
const machine: Machine = {
  cpuModel: 'Test CPU 9000',
  cores: 2,
  memoryGb: 7.8,
  node: 'v20.20.2',
  loadAverage: [0.5, 0.6, 0.7],
};

describe('benchmark report', () => {
  it('summarizes runs as median, min and max', () => {
    expect(summarize([3, 1, 2])).toEqual({ median: 2, min: 1, max: 3, runs: 3 });
    expect(summarize([4, 1, 2, 3])).toEqual({ median: 2.5, min: 1, max: 4, runs: 4 });
    expect(met({ median: 1.2, target: { op: '<=', value: 1.1 } })).toBe(false);
    expect(met({ median: 0.96, target: { op: '>=', value: 0.95 } })).toBe(true);
    expect(met({ median: 1 })).toBeUndefined();
  });

  it('writes the machine, the date, every figure with min and max, and each target met or missed', () => {
    const md = renderReport({
      date: '2026-12-06 01:00 UTC',
      machine,
      results: [source, startup],
      failed: [{ bench: 'sink', reason: 'exit code 1' }],
      charts: [{ title: 'Source throughput', path: 'benchmarks/source-throughput.svg' }],
    });
    expect(md).toContain('Generated 2026-12-06 01:00 UTC');
    expect(md).toContain('Test CPU 9000, 2 cores, 7.8 GB memory, Node v20.20.2, load average 0.5, 0.6, 0.7');
    expect(md).toContain(
      '| `source` | Source wall ÷ API-bound floor (10,000 candidates, every default stream) | **2.71** | 2.71 – 2.71 | 1 | ≤ 1.10 | **missed** |',
    );
    expect(md).toContain(
      '| `startup` | `ashby-kafka --version` ÷ `node -e 0` | **1.30** | 1.20 – 1.50 | 3 | ≤ 3.00 | met |',
    );
    expect(md).toContain('| `startup` | spawn → first request | **1,544 ms** | 1,490 – 1,600 | 3 |  |  |');
    expect(md).toContain(
      '| `source` | Peak RSS, one 100,000-candidate stream | **217 MB** | 217 – 217 | 1 | ≤ 150 MB | **missed** |',
    );
    expect(md).toContain('| `sink` | failed: exit code 1 | | |');
    expect(md).toContain('![Source throughput](benchmarks/source-throughput.svg)');
  });

  it('replaces only the text between the markers, and inserts them after the intro the first time', () => {
    const page = '# Benchmarks\n\nIntro.\n\n## Test inventory\n\nHand-written.\n';
    const once = replaceGenerated(page, '## Latest full run\n\nfirst\n');
    expect(once).toBe(
      `# Benchmarks\n\nIntro.\n\n${START_MARKER}\n\n## Latest full run\n\nfirst\n\n${END_MARKER}\n\n## Test inventory\n\nHand-written.\n`,
    );
    const twice = replaceGenerated(once, '## Latest full run\n\nsecond\n');
    expect(twice).toBe(once.replace('first', 'second'));
  });
});
