import { ConfigError } from '../../errors.js';
import type { Contract } from '../contract.js';
import { createConfluentSerde } from './confluent-serde.js';
import type { Serde, SerdeConfig, SerdeOptions } from './serde.js';
import { createSingleObjectSerde } from './single-object-serde.js';

/** The serde a config asks for (apart from serde.ts, whose types the implementations import). */
export function createSerde(config: SerdeConfig, contract: Contract, options: SerdeOptions = {}): Serde {
  switch (config.mode) {
    case 'confluent':
      return createConfluentSerde(config, contract, options);
    case 'single-object':
      return createSingleObjectSerde(config, contract);
    default:
      throw new ConfigError(
        `unknown Avro serde mode "${(config as { mode: string }).mode}": use confluent or single-object`,
        { mode: (config as { mode: string }).mode },
      );
  }
}
