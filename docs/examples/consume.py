"""Read an ashby-kafka topic: string keys, Avro values through the schema registry.

    pip install "confluent-kafka[avro]"    # or Debian: apt-get install python3-confluent-kafka python3-requests, and pip install fastavro
    BOOTSTRAP=127.0.0.1:9092 REGISTRY_URL=http://127.0.0.1:8081/apis/ccompat/v7 \
      TOPIC=ashby.candidates GROUP=my-candidates python3 consume.py
"""
import json
import os
import signal
import time

from confluent_kafka import Consumer, KafkaError, KafkaException
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroDeserializer
from confluent_kafka.serialization import MessageField, SerializationContext

topic = os.environ.get("TOPIC", "ashby.candidates")
# Stop after this many seconds without a new record (unset: run until Ctrl-C).
idle_exit = float(os.environ["IDLE_EXIT_SECONDS"]) if os.environ.get("IDLE_EXIT_SECONDS") else None

registry = SchemaRegistryClient({"url": os.environ.get("REGISTRY_URL", "http://127.0.0.1:8081/apis/ccompat/v7")})
# No reader schema: each record is decoded with the schema it was written with (looked up by id once).
deserialize_value = AvroDeserializer(registry)

consumer = Consumer({
    "bootstrap.servers": os.environ.get("BOOTSTRAP", "127.0.0.1:9092"),
    "group.id": os.environ.get("GROUP", "ashby-example"),
    "auto.offset.reset": "earliest",
    # Commit only what was handled: the offset is stored after the record is processed.
    "enable.auto.offset.store": False,
    # ashby-kafka's exactly-once mode writes in transactions; never read aborted ones.
    "isolation.level": "read_committed",
})

running = True
def stop(*_):
    global running
    running = False
signal.signal(signal.SIGINT, stop)
signal.signal(signal.SIGTERM, stop)

def handle(key, record):
    # Timestamps are datetime objects; `json` fields (additionalProperties, extraData…) are JSON text.
    extra = json.loads(record["additionalProperties"]) if record.get("additionalProperties") else {}
    print(json.dumps({"key": key, "id": record["id"], "name": record.get("name"), "extra": extra}, default=str), flush=True)

consumer.subscribe([topic])
last = time.monotonic()
try:
    while running:
        msg = consumer.poll(1.0)
        if msg is None:
            if idle_exit is not None and time.monotonic() - last > idle_exit:
                break
            continue
        if msg.error():
            if msg.error().code() == KafkaError._PARTITION_EOF:
                continue
            raise KafkaException(msg.error())
        last = time.monotonic()
        key = msg.key().decode("utf-8") if msg.key() is not None else None   # the Ashby id, a plain string
        record = deserialize_value(msg.value(), SerializationContext(msg.topic(), MessageField.VALUE))
        if record is None:
            continue  # a tombstone: nothing to decode
        handle(key, record)
        consumer.store_offsets(msg)
finally:
    consumer.close()  # commits the stored offsets
