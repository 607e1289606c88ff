import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type avsc from 'avsc';
import { PACKAGE_ROOT } from '../package-info.js';
import { AvroContractError } from './errors.js';
import { parseSchema, type AvroSchema } from './schema.js';

/**
 * The Avro contract as shipped in schemas/: one value schema per source stream
 * (`streams/<stream>.avsc`), one per destination command entity (`commands/<entity>.avsc`) and
 * the key schema (`key.avsc`). Parsed once per directory; types are shared by everyone.
 */
export const COMMAND_ENTITIES = ['candidate', 'job', 'application', 'offer', 'interview_schedule'] as const;
export type CommandEntity = (typeof COMMAND_ENTITIES)[number];

export const DEFAULT_SCHEMAS_DIR = join(PACKAGE_ROOT, 'schemas');

export interface Contract {
  readonly schemasDir: string;
  /** Value type of a stream's topic. Throws AvroContractError for an unknown stream. */
  streamType(stream: string): avsc.Type;
  commandType(entity: CommandEntity): avsc.Type;
  keyType(): avsc.Type;
  /** Stream names, sorted. */
  streams(): string[];
  /** The schema JSON of a stream as written in its .avsc file (docs and `ashby.*` attributes included). */
  streamSchema(stream: string): AvroSchema;
  commandSchema(entity: CommandEntity): AvroSchema;
  keySchema(): AvroSchema;
  /** Every type of the contract (streams, commands, key). */
  allTypes(): avsc.Type[];
}

interface Entry {
  json: AvroSchema;
  type: avsc.Type;
}

const cache = new Map<string, Contract>();

export function loadContract(schemasDir: string = DEFAULT_SCHEMAS_DIR): Contract {
  const dir = resolve(schemasDir);
  let contract = cache.get(dir);
  if (!contract) {
    contract = readContract(dir);
    cache.set(dir, contract);
  }
  return contract;
}

function readSchemaFile(path: string): Entry {
  let json: AvroSchema;
  try {
    json = JSON.parse(readFileSync(path, 'utf8')) as AvroSchema;
  } catch (err) {
    throw new AvroContractError(`cannot read Avro schema ${path}: ${(err as Error).message}`, { path }, err);
  }
  return { json, type: parseSchema(json, path) };
}

function readDir(dir: string): Map<string, Entry> {
  const out = new Map<string, Entry>();
  if (!existsSync(dir)) return out;
  for (const file of readdirSync(dir).sort()) {
    if (file.endsWith('.avsc')) out.set(file.slice(0, -'.avsc'.length), readSchemaFile(join(dir, file)));
  }
  return out;
}

function readContract(dir: string): Contract {
  const keyPath = join(dir, 'key.avsc');
  if (!existsSync(keyPath)) {
    throw new AvroContractError(
      `no Avro contract in ${dir}: key.avsc is missing. Point schemasDir at the package's schemas/ folder.`,
      { dir },
    );
  }
  const key = readSchemaFile(keyPath);
  const streams = readDir(join(dir, 'streams'));
  const commands = readDir(join(dir, 'commands'));

  const stream = (name: string): Entry => {
    const entry = streams.get(name);
    if (!entry) {
      throw new AvroContractError(
        `unknown stream "${name}": the contract in ${dir} has ${[...streams.keys()].join(', ')}`,
        { stream: name },
      );
    }
    return entry;
  };
  const command = (entity: CommandEntity): Entry => {
    const entry = commands.get(entity);
    if (!entry) {
      throw new AvroContractError(
        `unknown command entity "${entity}": the contract in ${dir} has ${[...commands.keys()].join(', ')}`,
        { entity },
      );
    }
    return entry;
  };

  return {
    schemasDir: dir,
    streamType: (name) => stream(name).type,
    commandType: (entity) => command(entity).type,
    keyType: () => key.type,
    streams: () => [...streams.keys()],
    streamSchema: (name) => stream(name).json,
    commandSchema: (entity) => command(entity).json,
    keySchema: () => key.json,
    allTypes: () => [
      key.type,
      ...[...streams.values()].map((e) => e.type),
      ...[...commands.values()].map((e) => e.type),
    ],
  };
}
