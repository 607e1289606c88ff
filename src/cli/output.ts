import { AshbyKafkaError } from '../errors.js';
import { createLogger, type LogFormat, type Logger, type LogLevel } from '../log/logger.js';
import { scrub } from '../log/secrets.js';

/** Exit codes: documented in docs/cli.md (generated from this table). A flag commander rejects exits `usage` too. */
export const ExitCode = { ok: 0, failure: 1, usage: 2, internal: 70 } as const;

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  isTTY: boolean;
}

export const processIo: CliIo = {
  out: (t) => process.stdout.write(scrub(t)),
  err: (t) => process.stderr.write(scrub(t)),
  isTTY: Boolean(process.stderr.isTTY),
};

export function cliLogger(io: CliIo, level: LogLevel = 'info', format: LogFormat | 'auto' = 'auto'): Logger {
  return createLogger({ level, format: format === 'auto' ? (io.isTTY ? 'pretty' : 'json') : format, write: io.err });
}

/**
 * Turn any failure into one or two lines for a person: `error [CODE]: message`. Stack traces
 * are for bug reports only (ASHBY_KAFKA_DEBUG=1), never the user interface.
 */
export function reportError(err: unknown, io: CliIo): number {
  const debug = process.env.ASHBY_KAFKA_DEBUG === '1';
  if (err instanceof AshbyKafkaError) {
    const rid = err.requestId ? ` (Ashby request id ${err.requestId})` : '';
    io.err(`error [${err.code}]: ${err.message}${rid}\n`);
    if (debug && err.stack) io.err(`${err.stack}\n`);
    if (err.code === 'INTERNAL') return ExitCode.internal;
    return err.code === 'CONFIG_INVALID' ? ExitCode.usage : ExitCode.failure;
  }
  const message = err instanceof Error ? err.message : String(err);
  io.err(
    `error [INTERNAL]: ${message}\nThis is a bug in ashby-kafka; rerun with ASHBY_KAFKA_DEBUG=1 and report the output.\n`,
  );
  if (debug && err instanceof Error && err.stack) io.err(`${err.stack}\n`);
  return ExitCode.internal;
}
