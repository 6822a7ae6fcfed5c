// The demo collector: `npx tsx demo/server/main.ts` (settings: README.md in this folder).
import { collectorOptionsFromEnv } from './collector-options-from-env.js';
import { startCollector } from './start-collector.js';

const options = collectorOptionsFromEnv(process.env);
if (!options.ok) {
  console.error(`collector: ${options.error.message}`);
  process.exit(1);
}
const running = await startCollector(options.value);
if (!running.ok) {
  console.error(`collector: ${running.error.message}`);
  process.exit(1);
}
const collector = running.value;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    collector.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('collector: could not close cleanly', error);
        process.exit(1);
      },
    );
  });
}
