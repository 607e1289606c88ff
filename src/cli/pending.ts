import type { Command } from 'commander';
import { AshbyKafkaError } from '../errors.js';

/**
 * Subcommands whose implementation arrives with later work. They are listed in --help so the
 * CLI's shape is visible, and fail with a clear code instead of doing nothing.
 */
const PENDING: Array<{ name: string; description: string; options: string[] }> = [
];

export function registerPendingCommands(program: Command): void {
  for (const p of PENDING) {
    const cmd = program.command(p.name).description(`${p.description} [not available yet]`);
    for (const o of p.options) cmd.option(o);
    cmd.action(() => {
      throw new AshbyKafkaError('NOT_AVAILABLE', `\`ashby-kafka ${p.name}\` is not available in this version yet.`);
    });
  }
}
