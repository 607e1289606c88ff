import type { Serde } from '../../avro/index.js';
import { CompactedLog } from '../../kafka/compacted-log.js';
import type { RdConfig } from '../../kafka/client-config.js';
import type { Logger } from '../../log/logger.js';
import { decodeResult } from '../../sink/results.js';
import { SinkWriteIndex } from '../loop-guard.js';

/**
 * Keeps a SinkWriteIndex current from the sink's results topic: opened once (reading it to its
 * end), then read up to its end again before each pass. The topic is only read, never created.
 * Results decode asynchronously (through the registry), so records are queued and decoded
 * after each read.
 */
export class SinkWriteReader {
  readonly index = new SinkWriteIndex();
  private pending: Buffer[] = [];
  private log: CompactedLog | undefined;

  constructor(
    private readonly options: {
      rd: RdConfig;
      topic: string;
      format: 'avro' | 'json';
      serde: Serde | undefined;
      logger: Logger;
    },
  ) {}

  async refresh(): Promise<SinkWriteIndex> {
    if (!this.log) {
      this.log = await CompactedLog.open({
        config: this.options.rd,
        topic: this.options.topic,
        missingIsEmpty: true,
        name: 'sink results (loop guard)',
        logger: this.options.logger,
        onRecord: (r) => void (r.value && this.pending.push(r.value)),
      });
    } else {
      await this.log.readToEnd();
    }
    const batch = this.pending;
    this.pending = [];
    for (const bytes of batch) {
      try {
        this.index.add(await decodeResult(this.options.format, this.options.serde, this.options.topic, bytes));
      } catch (err) {
        // A record this reader cannot decode only means its write is not recognised as an echo.
        this.options.logger.warn('loop guard: a results record could not be decoded; skipped', {
          topic: this.options.topic,
          error: (err as Error).message,
        });
      }
    }
    return this.index;
  }

  async close(): Promise<void> {
    await this.log?.close();
  }
}
