"""The three fastavro functions confluent_kafka's AvroSerializer/AvroDeserializer call, on
Apache Avro's Python implementation (Debian's python3-avro).

Debian ships python3-confluent-kafka but not fastavro, which its schema_registry.avro module
imports. With this folder on PYTHONPATH, docs/examples/consume.py runs unchanged against the
real broker and registry: confluent_kafka's own Consumer, SchemaRegistryClient and
AvroDeserializer do the work; only the Avro body decoding is Apache Avro's instead of fastavro's.
"""
import json
import warnings

import avro.errors
import avro.io
import avro.schema

# fastavro reads an unknown logical type (ashby-kafka's `json`) as its base type silently, as the
# Avro specification says; python3-avro does the same but warns.
warnings.filterwarnings('ignore', category=avro.errors.IgnoredLogicalType)


def parse_schema(schema):
    return avro.schema.parse(json.dumps(schema))


def schemaless_reader(fo, writer_schema, reader_schema=None, return_record_name=False):
    reader = avro.io.DatumReader(writer_schema, reader_schema or writer_schema)
    return reader.read(avro.io.BinaryDecoder(fo))


def schemaless_writer(fo, schema, record):
    avro.io.DatumWriter(schema).write(record, avro.io.BinaryEncoder(fo))
