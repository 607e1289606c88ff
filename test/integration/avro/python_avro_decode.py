"""Independent decoder for the Avro contract tests: Debian's python3-avro (Apache Avro's own
Python implementation) reads our message bytes with our .avsc files.

stdin: JSON {"schemas": [path, ...], "messages": [{"schema": path, "format": "confluent" |
"single-object" | "raw", "hex": "..."}]}
stdout: JSON {"schemas": {path: {"canonical": str, "fingerprint": hex}}, "values": [value, ...]}
Instants are printed as ISO strings with milliseconds and Z, dates as YYYY-MM-DD.
"""
import datetime
import io
import json
import re
import sys

import avro.io
import avro.schema

EMPTY = 0xC15D213AA4D7A795
TABLE = []
for i in range(256):
    fp = i
    for _ in range(8):
        fp = (fp >> 1) ^ (EMPTY & -(fp & 1))
    TABLE.append(fp)


def crc64_avro(data: bytes) -> bytes:
    fp = EMPTY
    for b in data:
        fp = (fp >> 8) ^ TABLE[(fp ^ b) & 0xFF]
    return fp.to_bytes(8, "little")


# python-avro 1.11 leaves a logical type's primitive as {"type":"long"} in its canonical form;
# the specification's [PRIMITIVES] rule (and Java's SchemaNormalization) make it "long".
PRIMITIVE_OBJECT = re.compile(r'\{"type":"(null|boolean|int|long|float|double|bytes|string)"\}')


def canonical_form(schema) -> str:
    return PRIMITIVE_OBJECT.sub(r'"\1"', schema.canonical_form)


def plain(value):
    if isinstance(value, datetime.datetime):
        value = value.astimezone(datetime.timezone.utc)
        return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def main():
    request = json.load(sys.stdin)
    parsed = {}
    out_schemas = {}
    for path in request["schemas"]:
        with open(path, encoding="utf-8") as f:
            schema = avro.schema.parse(f.read())
        parsed[path] = schema
        canonical = canonical_form(schema)
        out_schemas[path] = {"canonical": canonical, "fingerprint": crc64_avro(canonical.encode("utf-8")).hex()}
    values = []
    for message in request["messages"]:
        schema = parsed[message["schema"]]
        data = bytes.fromhex(message["hex"])
        fmt = message["format"]
        if fmt == "confluent":
            if data[0] != 0:
                raise SystemExit("confluent message does not start with magic byte 0")
            data = data[5:]
        elif fmt == "single-object":
            if data[:2] != b"\xc3\x01":
                raise SystemExit("single-object message does not start with C3 01")
            expected = crc64_avro(canonical_form(schema).encode("utf-8"))
            if data[2:10] != expected:
                raise SystemExit(f"fingerprint {data[2:10].hex()} != CRC-64-AVRO of the schema {expected.hex()}")
            data = data[10:]
        decoder = avro.io.BinaryDecoder(io.BytesIO(data))
        value = avro.io.DatumReader(schema).read(decoder)
        if decoder.reader.read(1):
            raise SystemExit("trailing bytes after the record")
        values.append(plain(value))
    json.dump({"schemas": out_schemas, "values": values}, sys.stdout)


main()
