export { KafkaAdmin, type TopicSpec, type EnsureResult } from './admin.js';
export { CompactedLog, caughtUp, type CompactedLogOptions, type LogRecord } from './compacted-log.js';
export { constructClient, type RdConfig } from './client-config.js';
export { KafkaConsumer, type ConsumerOptions, type ConsumedMessage } from './consumer.js';
export { KafkaError, RdCode, type KafkaErrorCode } from './errors.js';
export { OffsetTracker, type PartitionOffset } from './offset-tracker.js';
export {
  KafkaProducer,
  PRODUCER_DEFAULTS,
  POLL_INTERVAL_MS,
  DEFAULT_MAX_IN_FLIGHT,
  type ProducerOptions,
  type OutgoingRecord,
  type Delivery,
  type DeliveryCallback,
} from './producer.js';
export { GroupMembership, type MembershipOptions } from './group-membership.js';
export { readGroupLag, resetGroupToStart, type GroupPartitionLag, type GroupOffsetsOptions } from './group-offsets.js';
export { KafkaResources, SharedClients, ProducerLease, CompactedView, sharingKey } from './shared-clients.js';
