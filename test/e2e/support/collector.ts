// The e2e suite's collector: the demo's real server on its own port, with PGlite in memory, so
// every run starts empty and leaves nothing behind. Started by playwright.config.ts.
import { startCollector } from '../../../demo/server/index.js';

const port = Number(process.env.E2E_COLLECTOR_PORT ?? 18787);
const origin = process.env.E2E_SHOP_ORIGIN ?? 'http://127.0.0.1:14173';

const running = await startCollector({ port, allowedOrigins: [origin], log: () => {} });
if (!running.ok) {
  console.error(`e2e collector: ${running.error.message}`);
  process.exit(1);
}
const collector = running.value;
console.log(`e2e collector on ${collector.url}`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void collector.close().finally(() => process.exit(0));
  });
}
