// kafka-topics.sh --bootstrap-server B --create --topic T [--partitions N] [--replication-factor R] [--config k=v]... [--if-not-exists]
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const value = (flag) => {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
};
if (!args.includes('--create')) {
  process.stderr.write('this stand-in only supports --create\n');
  process.exit(2);
}
const root = fileURLToPath(new URL('../../../../', import.meta.url));
const { KafkaAdmin } = await import(`${root}dist/src/kafka/admin.js`);
const config = {};
args.forEach((a, i) => {
  if (a === '--config') {
    const [k, ...v] = args[i + 1].split('=');
    config[k] = v.join('=');
  }
});
const admin = KafkaAdmin.create({ 'bootstrap.servers': value('--bootstrap-server'), log_level: 0 });
try {
  await admin.ensureTopics([{ name: value('--topic'), partitions: Number(value('--partitions') ?? 1), replicationFactor: Number(value('--replication-factor') ?? 1), config }]);
  process.stdout.write(`Created topic ${value('--topic')}.\n`);
} finally {
  admin.close();
}
process.exit(0);
