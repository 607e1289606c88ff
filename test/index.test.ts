import { describe, expect, it } from '@jest/globals';
import * as lib from '../src/index.js';

describe('library entry (package main)', () => {
  it('exposes the pieces the CLI is built from', () => {
    for (const name of [
      'loadConfigFile',
      'AshbyClient',
      'createAshbyClient',
      'resolveAshbyApiKey',
      'SourceRunner',
      'runSink',
      'startSandbox',
      'StreamCatalog',
    ]) {
      expect(typeof (lib as Record<string, unknown>)[name]).toBe('function');
    }
    expect(typeof lib.avro.createSerde).toBe('function');
    expect(typeof lib.kafka.KafkaProducer).toBe('function');
    expect(lib.DEFAULT_CATALOG.names()).toContain('candidates');
  });
});
