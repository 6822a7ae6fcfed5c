#!/usr/bin/env node
// `npm start`: the demo collector (port 8787) and the storefront's Vite dev server (port 5173),
// together. Prints the storefront's URL once both answer; Ctrl-C stops both.
//
// Settings: COLLECTOR_PORT and the collector's other variables (demo/server/README.md), and
// DEMO_PORT for the storefront. Both listen on 127.0.0.1 only.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const demo = fileURLToPath(new URL('./', import.meta.url));
const host = '127.0.0.1';
const shopPort = Number(process.env.DEMO_PORT ?? 5173);
const collectorPort = Number(process.env.COLLECTOR_PORT ?? 8787);
const collectorUrl = `http://${host}:${collectorPort}/`;
// The storefront sends to this collector (read by demo/src/shop/consent-gate.ts).
process.env.VITE_COLLECTOR_URL ??= `${collectorUrl}v1/batch`;

/** Writes each line of a child's output with a label, so the two logs stay apart. */
function prefixed(stream, label, out) {
  let rest = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk) => {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) out.write(`${label} ${line}\n`);
  });
  stream.on('end', () => {
    if (rest) out.write(`${label} ${rest}\n`);
  });
}

let stopping = false;
let vite;

const collector = spawn(process.execPath, ['--import', 'tsx', 'demo/server/main.ts'], {
  cwd: root,
  env: {
    ...process.env,
    COLLECTOR_PORT: String(collectorPort),
    COLLECTOR_ALLOWED_ORIGINS:
      process.env.COLLECTOR_ALLOWED_ORIGINS ??
      [`http://${host}:${shopPort}`, `http://localhost:${shopPort}`].join(','),
  },
  // Its own process group: Ctrl-C reaches it once, through stop(), not twice.
  detached: true,
  stdio: ['ignore', 'pipe', 'pipe'],
});
prefixed(collector.stdout, '[collector]', process.stdout);
prefixed(collector.stderr, '[collector]', process.stderr);
collector.on('exit', (code, signal) => {
  if (stopping) return;
  console.error(`[demo] the collector stopped (${signal ?? `exit code ${code}`}); stopping.`);
  void stop(1);
});

async function stop(code) {
  if (stopping) return;
  stopping = true;
  const exited =
    collector.exitCode === null && collector.signalCode === null
      ? new Promise((resolve) => collector.once('exit', resolve))
      : Promise.resolve();
  if (collector.exitCode === null && collector.signalCode === null) collector.kill('SIGTERM');
  await Promise.allSettled([vite?.close(), exited]);
  process.exit(code);
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.once(signal, () => void stop(0));

/** Resolves once the collector answers its health check (the first start runs initdb). */
async function waitForCollector() {
  for (;;) {
    if (stopping) return false;
    try {
      const response = await fetch(`${collectorUrl}healthz`);
      if (response.ok) return true;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

try {
  const { createServer } = await import('vite');
  vite = await createServer({
    configFile: `${demo}vite.config.ts`,
    server: { host, port: shopPort, strictPort: true },
    clearScreen: false,
  });
  await vite.listen();
} catch (error) {
  console.error(`[demo] the storefront could not start: ${error?.message ?? error}`);
  await stop(1);
}

if (await waitForCollector()) {
  const shop = `http://${host}:${shopPort}/`;
  console.log(`
  ConsentGate demo is running.

    Storefront          ${shop}
    Policy playground   ${shop}playground
    Collector           ${collectorUrl}

  Press Ctrl-C to stop both.
`);
}
