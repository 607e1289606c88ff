// Metadata probe used by stack.sh when kcat is not installed: exits 0 once the
// broker answers a metadata request.
const Kafka = require('node-rdkafka');
const producer = new Kafka.Producer({ 'metadata.broker.list': process.argv[2] || '127.0.0.1:9092', 'log_level': 0 });
const timer = setTimeout(() => process.exit(1), 4000);
producer.connect({ timeout: 3000 }, (err) => {
  clearTimeout(timer);
  producer.disconnect(() => process.exit(err ? 1 : 0));
});
