"""Spark Structured Streaming: the candidates topic as a DataFrame, decoded with the registry.

Open-source Spark's from_avro takes a schema, not a registry, and does not read the 5-byte
Confluent header. Decoding every record with one fixed schema breaks as soon as the schema
evolves: a record written with version 1 decoded as version 2 fails or yields wrong values.
So each micro-batch is grouped by the schema id in the header, and each group is decoded with
the schema it was written with (from the registry), resolved to the latest version (option
avroSchema), so every row has the same columns.

    spark-submit --packages org.apache.spark:spark-sql-kafka-0-10_2.12:3.5.1,org.apache.spark:spark-avro_2.12:3.5.1 \
      spark_candidates.py
"""
import json
import os
import urllib.request

from pyspark.sql import SparkSession
from pyspark.sql.avro.functions import from_avro
from pyspark.sql.functions import col, conv, expr, hex

BOOTSTRAP = os.environ.get("BOOTSTRAP", "127.0.0.1:9092")
REGISTRY = os.environ.get("REGISTRY_URL", "http://127.0.0.1:8081/apis/ccompat/v7")
TOPIC = os.environ.get("TOPIC", "ashby.candidates")


def registry_get(path):
    with urllib.request.urlopen(f"{REGISTRY}{path}") as response:
        return json.load(response)


def schema_by_id(schema_id, cache={}):
    if schema_id not in cache:
        cache[schema_id] = registry_get(f"/schemas/ids/{schema_id}")["schema"]
    return cache[schema_id]


def latest_schema():
    return registry_get(f"/subjects/{TOPIC}-value/versions/latest")["schema"]


spark = SparkSession.builder.appName("ashby-candidates").getOrCreate()

raw = (
    spark.readStream.format("kafka")
    .option("kafka.bootstrap.servers", BOOTSTRAP)
    .option("subscribe", TOPIC)
    .option("startingOffsets", "earliest")
    .option("kafka.isolation.level", "read_committed")
    .load()
    .select(
        col("key").cast("string").alias("ashby_id"),  # keys are plain UTF-8 strings
        conv(hex(expr("substring(value, 2, 4)")), 16, 10).cast("int").alias("schema_id"),  # bytes 1-4: schema id
        expr("substring(value, 6, length(value) - 5)").alias("avro"),  # after the 5-byte header
    )
)


def decode_batch(batch, batch_id):
    reader = latest_schema()
    ids = [row.schema_id for row in batch.select("schema_id").distinct().collect()]
    for schema_id in ids:
        decoded = batch.where(col("schema_id") == schema_id).select(
            "ashby_id",
            from_avro(col("avro"), schema_by_id(schema_id), {"mode": "FAILFAST", "avroSchema": reader}).alias("c"),
        ).select("ashby_id", "c.id", "c.name", "c.updatedAt", "c.additionalProperties")
        decoded.write.mode("append").parquet("ashby_candidates.parquet")


raw.writeStream.foreachBatch(decode_batch).option("checkpointLocation", "ashby_candidates.checkpoint").start().awaitTermination()
