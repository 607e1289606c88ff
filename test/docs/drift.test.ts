import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import type { TSchema } from '@sinclair/typebox';
import { parse as parseYaml } from 'yaml';
import { endpointPermissions } from '../../src/ashby/permissions.js';
import { CURSOR_RESTART_CODES, SYNC_TOKEN_RESTART_CODES } from '../../src/ashby/classify.js';
import { buildProgram } from '../../src/cli/all-commands.js';
import { reportError } from '../../src/cli/output.js';
import { resolveConfig } from '../../src/config/load.js';
import { PipelineConfigSchema } from '../../src/config/schema.js';
import { AshbyKafkaError } from '../../src/errors.js';
import { PACKAGE_ROOT } from '../../src/package-info.js';
import { DEFAULT_CATALOG } from '../../src/source/catalog.js';
import { PERMISSION_MODULES } from '../../src/ashby/permissions.js';

/**
 * The classes of drift a newcomer found in the docs, each checked against the code: config keys
 * and CLI flags named in prose, stream and restart-code counts, error codes, exit codes, links
 * that leave the repository, undefined terms, and benchmark internals on user pages.
 */

function markdownFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? markdownFiles(path) : path.endsWith('.md') ? [path] : [];
  });
}

const DOCS = [
  ...['README.md', 'CONTRIBUTING.md', 'CHANGELOG.md'].map((f) => join(PACKAGE_ROOT, f)).filter((f) => existsSync(f)),
  ...markdownFiles(join(PACKAGE_ROOT, 'docs')),
];
const text = new Map(DOCS.map((f) => [f, readFileSync(f, 'utf8')]));
const name = (f: string): string => relative(PACKAGE_ROOT, f);

/** Findings as `file: what`, so a failure names every place at once. */
function findings(check: (file: string, body: string) => string[]): string[] {
  return DOCS.flatMap((f) => check(f, text.get(f)!).map((x) => `${name(f)}: ${x}`));
}

type Node = TSchema & { properties?: Record<string, Node>; items?: Node; type?: string; patternProperties?: unknown };
function configPaths(node: Node, prefix = ''): Array<[string, Node]> {
  return Object.entries(node.properties ?? {}).flatMap(([k, child]) => {
    const path = prefix ? `${prefix}.${k}` : k;
    const nested = child.properties
      ? configPaths(child, path)
      : child.type === 'array' && child.items?.properties
        ? configPaths(child.items, `${path}[]`)
        : [];
    return [[path, child] as [string, Node], ...nested];
  });
}
const CONFIG = new Map(configPaths(PipelineConfigSchema as Node));
const SECTIONS = Object.keys(PipelineConfigSchema.properties);
const ENDPOINTS = new Set(Object.keys(endpointPermissions()));

describe('docs drift', () => {
  it('every relative link resolves to a file inside the repository; nothing points outside it', () => {
    expect(DOCS.length).toBeGreaterThan(10);
    const bad = findings((file, body) => {
      const out: string[] = [];
      if (/\.\.\/sha[r]ed\b/.test(body))
        out.push('points at a folder outside the repository (the shared reading folder)');
      for (const m of body.matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = m[1]!;
        if (/^(https?:|mailto:|#)/.test(target)) continue;
        const path = resolve(dirname(file), target.split('#')[0]!);
        if (relative(PACKAGE_ROOT, path).startsWith('..')) out.push(`${target} leaves the repository`);
        else if (!existsSync(path)) out.push(`${target} does not exist`);
      }
      return out;
    });
    expect(bad).toEqual([]);
  });

  it('code examples import from the package, not from its source or build folders', () => {
    const bad = findings((_f, body) =>
      [...body.matchAll(/from '((?:\.\.?\/)+src\/[^']*|[^']*dist\/src\/[^']*)'/g)].map((m) => `imports ${m[1]}`),
    );
    expect(bad).toEqual([]);
  });

  it('the Node.js version the docs ask for is the one package.json requires', () => {
    const engines = (
      JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { engines: { node: string } }
    ).engines.node;
    const required = /^>=\s*(\d+(?:\.\d+)*)$/.exec(engines)![1]!;
    let checked = 0;
    const bad = findings((_f, body) =>
      [...body.matchAll(/\bNode(?:\.js)? (\d+(?:\.\d+)*)/g)]
        .filter((m) => (checked++, m[1] !== required))
        .map((m) => `"${m[0]}", package.json requires ${engines}`),
    );
    expect(bad).toEqual([]);
    expect(checked).toBeGreaterThan(1);
  });

  it('the npm ci time the docs state is the one scripts/setup.sh states', () => {
    const setup = /npm ci[^\n]*~(\d+) min/.exec(readFileSync(join(PACKAGE_ROOT, 'scripts', 'setup.sh'), 'utf8'))![1]!;
    const bad = findings((_f, body) =>
      body
        .split('\n')
        .filter((l) => l.includes('npm ci'))
        .flatMap((l) => [...l.matchAll(/about (\d+) minutes?/g)])
        .filter((m) => m[1] !== setup)
        .map((m) => `"${m[0]}" for npm ci, setup.sh says ~${setup} min`),
    );
    expect(bad).toEqual([]);
  });

  it('config keys named in prose exist in the config schema', () => {
    const pattern = new RegExp(`\`((?:${SECTIONS.join('|')})\\.[A-Za-z_.\\[\\]]+)\``, 'g');
    const bad = findings((_f, body) =>
      [...body.matchAll(pattern)]
        .map((m) => m[1]!)
        .filter((p) => !/\.(md|ts|js|ya?ml|avsc|json)$/.test(p) && !ENDPOINTS.has(p))
        // A key below a map (kafka.librdkafka.<property>) is the user's own.
        .filter(
          (p) =>
            !CONFIG.has(p) &&
            !CONFIG.has(p.replace(/\[\]$/, '')) &&
            ![...CONFIG].some(([k, n]) => n.patternProperties && p.startsWith(`${k}.`)),
        )
        // `ashby.` is also the default topic prefix, the header prefix and the schema attribute prefix.
        .filter((p) => !(p.startsWith('ashby.') && !CONFIG.has(p.split('.').slice(0, 2).join('.'))))
        .map((p) => `\`${p}\` is not a config key`),
    );
    expect(bad).toEqual([]);
    // The camelCase library option is not a config key.
    expect(
      findings((_f, body) =>
        /subjectStrategy: record/.test(body) ? ['subjectStrategy (config: subject_strategy)'] : [],
      ),
    ).toEqual([]);
  });

  it('YAML in the docs parses, and pipeline YAML validates against the config schema', () => {
    let checked = 0;
    const bad = findings((_f, body) =>
      // YAML blocks, and pipeline files the guides write with a heredoc.
      [...body.matchAll(/```yaml\n([\s\S]*?)```/g), ...body.matchAll(/<<'EOF'\n([\s\S]*?)\nEOF/g)].flatMap((m) => {
        let raw: unknown;
        try {
          raw = parseYaml(m[1]!);
        } catch (err) {
          return [`a YAML example does not parse: ${(err as Error).message}`];
        }
        if (!raw || typeof raw !== 'object' || !('ashby' in raw || 'kafka' in raw)) return [];
        if (!Object.keys(raw).every((k) => SECTIONS.includes(k))) return [];
        checked++;
        const env = Object.fromEntries(
          [...m[1]!.matchAll(/\$\{(\w+)/g)].map((v) => [
            v[1]!,
            /BOOTSTRAP/.test(v[1]!) ? '127.0.0.1:9092' : /URL/.test(v[1]!) ? 'http://127.0.0.1:1' : 'x',
          ]),
        );
        try {
          resolveConfig(raw, { env });
          return [];
        } catch (err) {
          return [`a pipeline example does not validate: ${(err as Error).message}`];
        }
      }),
    );
    expect(bad).toEqual([]);
    expect(checked).toBeGreaterThanOrEqual(4);
  });

  it('CLI flags named next to a command are flags of that command', () => {
    const program = buildProgram({ out: () => undefined, err: () => undefined, isTTY: false });
    const flagsOf = new Map<string, Set<string>>();
    for (const c of program.commands) {
      const all = (cmd: typeof c): string[] => [...cmd.options.map((o) => o.long ?? ''), ...cmd.commands.flatMap(all)];
      flagsOf.set(c.name(), new Set([...all(c), '--help', '--version']));
    }
    let checked = 0;
    const bad = findings((_f, body) =>
      body.split('\n').flatMap((line) =>
        [...line.matchAll(/ashby-kafka\s+([a-z]+)((?:\s+(?:[^\s|;&#`]+))*)/g)].flatMap((m) => {
          const flags = flagsOf.get(m[1]!);
          if (!flags) return [];
          return [...m[2]!.matchAll(/(?:^|\s)(--[a-z][a-z0-9-]*)/g)]
            .map((f) => f[1]!)
            .filter((f) => (checked++, !flags.has(f)))
            .map((f) => `ashby-kafka ${m[1]} has no ${f}`);
        }),
      ),
    );
    expect(bad).toEqual([]);
    expect(checked).toBeGreaterThan(10);
  });

  it('stream counts match the catalog', () => {
    const count = DEFAULT_CATALOG.all().length;
    const bad = findings((_f, body) =>
      [...body.matchAll(/\b(\d+) (?:source |Ashby )?streams\b(?! (?:at once|in parallel))/g)]
        .filter((m) => Number(m[1]) !== count)
        .map((m) => `"${m[0]}", the catalog has ${count}`),
    );
    expect(bad).toEqual([]);
  });

  it('restart codes: counts match the client, and the source page lists every one', () => {
    const codes = [...SYNC_TOKEN_RESTART_CODES, ...CURSOR_RESTART_CODES];
    const words = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];
    const bad = findings((_f, body) =>
      [...body.matchAll(/\b(\w+) restart codes\b/g)]
        .map((m) => [m[0], /^\d+$/.test(m[1]!) ? Number(m[1]) : words.indexOf(m[1]!.toLowerCase())] as const)
        .filter(([, n]) => n >= 0 && n !== codes.length)
        .map(([phrase]) => `"${phrase}", there are ${codes.length}`),
    );
    expect(bad).toEqual([]);
    const source = text.get(join(PACKAGE_ROOT, 'docs', 'source.md'))!;
    expect(codes.filter((c) => !source.includes(`\`${c}\``))).toEqual([]);
  });

  const errorsPage = text.get(join(PACKAGE_ROOT, 'docs', 'errors.md'))!;
  const tableCodes = new Set([...errorsPage.matchAll(/^\| `([A-Z][A-Z0-9_]+)` \|/gm)].map((m) => m[1]!));

  it('every error code named in a doc is in the error table, and every code in the table is raised somewhere', () => {
    expect(tableCodes.size).toBeGreaterThan(50);
    const known = new Set([
      ...tableCodes,
      'ASHBY_API_KEY',
      'ASHBY_BASE_URL',
      'ASHBY_KAFKA_MASTER_KEY',
      'ASHBY_KAFKA_DEBUG',
      'ASHBY_KAFKA_CREDENTIALS_FILE',
    ]);
    const prefixes = 'ASHBY|AVRO|CHECK|COMMAND|CONFIG|CREDENTIAL|KAFKA|REGISTRY|SANDBOX|SINK|SOURCE';
    // The changelog may name codes that are gone.
    const bad = findings((f, body) =>
      name(f) === 'CHANGELOG.md'
        ? []
        : [...body.matchAll(new RegExp(`\`((?:${prefixes})_[A-Z0-9_]+|INTERNAL|USAGE)\``, 'g'))]
            .map((m) => m[1]!)
            .filter(
              (c) =>
                !known.has(c) &&
                !c.startsWith('ASHBY_KAFKA_') &&
                !/_(URL|BOOTSTRAP|DIR|HOME|PORT|FILE|HEAP|CACHE)$/.test(c),
            )
            .map((c) => `\`${c}\` is not in docs/errors.md`),
    );
    expect(bad).toEqual([]);
    const src = (dir: string): string[] =>
      readdirSync(dir).flatMap((n) =>
        statSync(join(dir, n)).isDirectory()
          ? src(join(dir, n))
          : n.endsWith('.ts')
            ? [readFileSync(join(dir, n), 'utf8')]
            : [],
      );
    const code = src(join(PACKAGE_ROOT, 'src')).join('\n');
    expect([...tableCodes].filter((c) => !code.includes(`'${c}'`))).toEqual([]);
  });

  it('troubleshooting covers every code of the error table, with the same retriable answer', () => {
    const rows = (page: string): Map<string, string> =>
      new Map([...page.matchAll(/^\| `([A-Z][A-Z0-9_]+)` \| ([^|]+) \|/gm)].map((m) => [m[1]!, m[2]!.trim()]));
    const errors = rows(errorsPage);
    const troubleshooting = rows(text.get(join(PACKAGE_ROOT, 'docs', 'troubleshooting.md'))!);
    expect([...troubleshooting.keys()].sort()).toEqual([...errors.keys()].sort());
    expect([...troubleshooting].filter(([code, r]) => errors.get(code) !== r)).toEqual([]);
  });

  it('the getting-started scope table: real modules, streams under their own module, every default module listed', () => {
    const guide = text.get(join(PACKAGE_ROOT, 'docs', 'guides', 'getting-started.md'))!;
    const table = new Map(
      [...guide.matchAll(/^\| ([A-Z][A-Za-z ]+) \| (.+) \|$/gm)]
        .filter((m) => m[1] !== 'Module')
        .map((m) => [m[1]!, m[2]!]),
    );
    const labels = new Set(PERMISSION_MODULES.map((m) => m.label));
    expect([...table.keys()].filter((k) => !labels.has(k))).toEqual([]);
    const misplaced = [...table].flatMap(([module, streams]) =>
      [...streams.matchAll(/`(\w+)`/g)]
        .map((m) => m[1]!)
        .filter((name) => DEFAULT_CATALOG.get(name)?.module !== module)
        .map((name) => `${name} under ${module}`),
    );
    expect(misplaced).toEqual([]);
    const needed = new Set(
      DEFAULT_CATALOG.all()
        .filter((s) => s.enabledByDefault && s.module)
        .map((s) => s.module!),
    );
    expect([...needed].filter((m) => !table.has(m))).toEqual([]);
  });

  it('exit codes stated in prose are the ones the CLI returns', () => {
    const silent = { out: () => undefined, err: () => undefined, isTTY: false };
    const exitOf = (c: string): number => reportError(new AshbyKafkaError(c, 'x'), silent);
    const bad = findings((_f, body) =>
      [...body.matchAll(/`([A-Z][A-Z0-9_]+)`(?: and `([A-Z][A-Z0-9_]+)`)? exits? (\d+)/g)].flatMap((m) =>
        [m[1]!, m[2]]
          .filter((c): c is string => Boolean(c))
          .filter((c) => exitOf(c) !== Number(m[3]))
          .map((c) => `${c} exits ${exitOf(c)}, not ${m[3]}`),
      ),
    );
    expect(bad).toEqual([]);
    expect(errorsPage).toMatch(/`INTERNAL` exits 70/);
  });

  it('terms the docs use are defined in the glossary (docs/index.md#terms)', () => {
    const index = text.get(join(PACKAGE_ROOT, 'docs', 'index.md'))!;
    const glossary = index.slice(index.indexOf('## Terms'));
    expect(glossary.length).toBeGreaterThan(100);
    for (const term of [
      'fan-out',
      'completeness flags',
      'catch-all',
      'restart code',
      'sync token',
      'dead letter',
      'ledger',
    ]) {
      expect(glossary.toLowerCase()).toContain(`**${term}`);
    }
    expect(
      findings((_f, body) =>
        /reference §/.test(body) ? ['"reference §…" points at a document that is not in the repository'] : [],
      ),
    ).toEqual([]);
  });

  it('user pages carry no benchmark internals (docs/benchmarks.md, docs/profiles/ and CONTRIBUTING.md do)', () => {
    const contributor = new Set(['docs/benchmarks.md', 'CONTRIBUTING.md', 'CHANGELOG.md']);
    const forContributors = (f: string): boolean => contributor.has(name(f)) || name(f).startsWith('docs/profiles/');
    const bad = DOCS.filter((f) => !forContributors(f)).flatMap((f) =>
      [/µs\b/, /--cpu-prof/, /peak RSS/i, /npm run bench/]
        .filter((p) => p.test(text.get(f)!))
        .map((p) => `${name(f)}: ${p}`),
    );
    expect(bad).toEqual([]);
  });
});
