// Preloaded with `node --import` by test/cli/startup.test.ts: any import of node-rdkafka fails,
// so a command that loads Kafka when it doesn't need to fails visibly.
import { register } from 'node:module';

const hook = `export async function resolve(specifier, context, next) {
  if (specifier === 'node-rdkafka') throw new Error('node-rdkafka was loaded');
  return next(specifier, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hook)}`);
