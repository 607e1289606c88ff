import type { Command, Option } from 'commander';
import { buildProgram } from '../cli/all-commands.js';
import { ExitCode } from '../cli/output.js';

/**
 * Renders docs/cli.md from the commander definitions the CLI itself parses with, so a flag
 * cannot be renamed, added or dropped without the reference following. `npm run docs` writes
 * it; test/docs/generated.test.ts fails when the committed page is stale.
 */

const silent = { out: () => undefined, err: () => undefined, isTTY: false };

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function usageOf(cmd: Command, parents: string[]): string {
  return [...parents, cmd.name(), cmd.usage()].filter(Boolean).join(' ');
}

function optionRows(options: readonly Option[]): string[] {
  const shown = options.filter((o) => !o.hidden);
  if (!shown.length) return [];
  const rows = ['| Option | Description | Default |', '| --- | --- | --- |'];
  for (const o of shown) {
    const def = o.defaultValue === undefined ? '' : `\`${JSON.stringify(o.defaultValue)}\``;
    rows.push(`| \`${cell(o.flags)}\` | ${cell(o.description)}${o.mandatory ? ' (required)' : ''} | ${def} |`);
  }
  return rows;
}

function renderCommand(cmd: Command, parents: string[], depth: number, out: string[]): void {
  const heading = '#'.repeat(depth);
  out.push(
    `${heading} \`${[...parents.slice(1), cmd.name()].join(' ')}\``,
    '',
    cmd.description(),
    '',
    '```text',
    usageOf(cmd, parents),
    '```',
    '',
  );
  const args = cmd.registeredArguments;
  if (args.length) {
    out.push('| Argument | Description |', '| --- | --- |');
    for (const a of args) out.push(`| \`${a.name()}\`${a.required ? '' : ' (optional)'} | ${cell(a.description)} |`);
    out.push('');
  }
  const rows = optionRows(cmd.options);
  if (rows.length) out.push(...rows, '');
  for (const sub of cmd.commands) renderCommand(sub, [...parents, cmd.name()], depth + 1, out);
}

/** The command names as `ashby-kafka <name>` (and `<name> <sub>`), for the docs drift test. */
export function cliCommandPaths(program: Command = buildProgram(silent)): string[] {
  return program.commands.flatMap((c) => [c.name(), ...c.commands.map((s) => `${c.name()} ${s.name()}`)]);
}

/** Every long flag any command accepts, for the docs drift test. */
export function cliFlags(program: Command = buildProgram(silent)): Set<string> {
  const flags = new Set<string>(program.options.map((o) => o.long).filter((x): x is string => Boolean(x)));
  const walk = (c: Command): void => {
    for (const o of c.options) if (o.long) flags.add(o.long);
    c.commands.forEach(walk);
  };
  program.commands.forEach(walk);
  flags.add('--help');
  return flags;
}

export function renderCliDocs(program: Command = buildProgram(silent)): string {
  const out: string[] = [
    '# CLI reference',
    '',
    '<!-- Generated from the commander definitions in src/cli/ by `npm run docs`. Do not edit by hand: a test fails when this file is stale. -->',
    '',
    `\`${program.name()} [command] [options]\`: ${program.description()}`,
    '',
    'Every command takes `-h, --help`. Pipeline files are described in [config.md](config.md); error codes in [errors.md](errors.md).',
    '',
    '## Exit codes',
    '',
    '| Code | Meaning |',
    '| --- | --- |',
    `| ${ExitCode.ok} | success |`,
    `| ${ExitCode.failure} | the job failed (a permission error, an unreachable service, …): \`error [CODE]: message\` on stderr says what to do |`,
    `| ${ExitCode.usage} | usage or config error (a bad flag, an invalid pipeline file): \`CONFIG_INVALID\` |`,
    `| ${ExitCode.internal} | \`INTERNAL\`: a bug in ashby-kafka; rerun with \`ASHBY_KAFKA_DEBUG=1\` and report the output |`,
    '',
    '## Commands',
    '',
  ];
  for (const cmd of program.commands) renderCommand(cmd, [program.name()], 3, out);
  return `${out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}
