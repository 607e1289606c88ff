-- Flink SQL: the candidates topic as a table. Keys are plain strings ('key.format' = 'raw');
-- values are Avro in Confluent wire format, decoded with the schema each record names.
-- Columns are a subset of io.ashbykafka.v1.Candidate: list the fields you need, with the same names.
CREATE TABLE ashby_candidates (
  `ashby_key` STRING NOT NULL,
  `id` STRING NOT NULL,
  `name` STRING NOT NULL,
  `createdAt` TIMESTAMP(3),          -- UTC; Avro timestamp-millis
  `updatedAt` TIMESTAMP(3),
  `primaryEmailAddress` ROW<`value` STRING NOT NULL, `type` STRING NOT NULL, `isPrimary` BOOLEAN NOT NULL>,
  `tags` ARRAY<ROW<`id` STRING NOT NULL, `title` STRING NOT NULL, `isArchived` BOOLEAN NOT NULL> NOT NULL> NOT NULL,
  `company` STRING,
  `additionalProperties` STRING
) WITH (
  'connector' = 'kafka',
  'topic' = 'ashby.candidates',
  'properties.bootstrap.servers' = '127.0.0.1:9092',
  'properties.group.id' = 'flink-ashby-candidates',
  'properties.isolation.level' = 'read_committed',
  'scan.startup.mode' = 'earliest-offset',
  'key.format' = 'raw',
  'key.fields' = 'ashby_key',
  'value.format' = 'avro-confluent',
  'value.avro-confluent.url' = 'http://127.0.0.1:8081/apis/ccompat/v7',
  'value.fields-include' = 'EXCEPT_KEY'
);

-- The topic is compacted and holds every version of a record until compaction: keep the latest.
CREATE VIEW ashby_candidates_latest AS
SELECT id, name, company, updatedAt, JSON_VALUE(additionalProperties, '$.newField') AS new_field
FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY id ORDER BY updatedAt DESC) AS rn FROM ashby_candidates
) WHERE rn = 1;
