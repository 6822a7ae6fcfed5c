// Store benchmark in Chromium: bundles page.ts with esbuild, serves it on 127.0.0.1, runs it in
// Debian's chromium through Playwright, prints a table and writes JSON to bench/out/.
//
//   node bench/store/run.mjs [--runs 3] [--single 1000] [--batched 50000] [--batch-size 500]
//                            [--sweep 100000] [--sweep-batch-size 1000] [--purge 10000]
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { build } from 'esbuild';
import { chromium } from 'playwright';

import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../scripts/chromium.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Pause after each step, so that one page's teardown does not land in the next one's figures. */
const SETTLE_MS = 1000;

/** The targets. */
const TARGETS = { batchedPerSecond: 20_000, sweepMs: 2_000, sweepLongestTaskMs: 50, purgeMs: 200 };

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    single: { type: 'string', default: '1000' },
    batched: { type: 'string', default: '50000' },
    'batch-size': { type: 'string', default: '500' },
    sweep: { type: 'string', default: '100000' },
    'sweep-batch-size': { type: 'string', default: '1000' },
    purge: { type: 'string', default: '10000' },
  },
});
const config = {
  single: Number(args.single),
  batched: Number(args.batched),
  batchSize: Number(args['batch-size']),
  sweep: Number(args.sweep),
  sweepBatchSize: Number(args['sweep-batch-size']),
  purge: Number(args.purge),
};
const runs = Number(args.runs);

const dir = await mkdtemp(join(tmpdir(), 'cg-bench-store-'));
const browser = await chromium.launch({
  executablePath: CHROMIUM_PATH,
  args: CHROMIUM_ARGS,
});
const server = createServer((request, response) => {
  const file = request.url === '/page.js' ? 'page.js' : 'index.html';
  response.setHeader('content-type', file.endsWith('.js') ? 'text/javascript' : 'text/html');
  readFile(join(dir, file)).then(
    (body) => response.end(body),
    () => response.writeHead(404).end(),
  );
});

try {
  await build({
    entryPoints: [join(root, 'bench/store/page.ts')],
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2022',
    // Resolves @consentgate/* to the workspace sources through the root tsconfig's paths.
    tsconfig: join(root, 'tsconfig.json'),
    outfile: join(dir, 'page.js'),
    logLevel: 'warning',
  });
  await writeFile(
    join(dir, 'index.html'),
    '<!doctype html><meta charset="utf-8"><script type="module" src="/page.js"></script>',
  );
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());

  /** Runs one step in a fresh page of `context` and returns what it measured. */
  /** Runs one step in a fresh page of `context` and returns what it measured. */
  const step = async (context, task) => {
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.waitForFunction(() => typeof window.runStep === 'function');
    const result = await page.evaluate((t) => window.runStep(t), task);
    const longtaskSupported = await page.evaluate(() => window.longtaskSupported);
    await page.close();
    // Pages of one site can share a renderer: let this one's teardown (and its garbage) pass
    // before the next step starts measuring on the same main thread.
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    return { ...result, longtaskSupported };
  };

  const results = [];
  for (let run = 0; run < runs; run++) {
    // A fresh context per run; within it, a fresh page per step, so no step inherits another's
    // garbage or connections. A fill step prepares the database the next step measures.
    const context = await browser.newContext();
    const single = await step(context, { step: 'single', count: config.single });
    const batched = await step(context, {
      step: 'batched',
      count: config.batched,
      batchSize: config.batchSize,
    });
    const raw = await step(context, {
      step: 'raw-batched',
      count: config.batched,
      batchSize: config.batchSize,
    });
    await step(context, {
      step: 'fill',
      db: 'sweep',
      count: config.sweep,
      shape: 'sweep',
      outbox: false,
    });
    const swept = await step(context, {
      step: 'sweep',
      db: 'sweep',
      count: config.sweep,
      batchSize: config.sweepBatchSize,
    });
    const idle = await step(context, { step: 'idle', durationMs: swept.value });
    await step(context, {
      step: 'fill',
      db: 'purge',
      count: config.purge,
      shape: 'purge',
      outbox: false,
    });
    const purged = await step(context, { step: 'purge', db: 'purge', count: config.purge });
    await step(context, {
      step: 'fill',
      db: 'purge-outbox',
      count: config.purge,
      shape: 'purge',
      outbox: true,
    });
    const purgedOutbox = await step(context, {
      step: 'purge',
      db: 'purge-outbox',
      count: config.purge,
    });
    await context.close();
    results.push({
      singlePerSecond: single.value,
      batchedPerSecond: batched.value,
      rawBatchedPerSecond: raw.value,
      sweepMs: swept.value,
      sweepBatches: swept.batches,
      sweepLongestTaskMs: swept.longestTaskMs,
      sweepLongestGapMs: swept.longestGapMs,
      longtaskSupported: swept.longtaskSupported,
      idleLongestTaskMs: idle.longestTaskMs,
      idleLongestGapMs: idle.longestGapMs,
      purgeMs: purged.value,
      purgeWithOutboxMs: purgedOutbox.value,
    });
    process.stderr.write(`run ${run + 1}/${runs} done\n`);
  }

  const values = (key) => results.map((r) => r[key]).sort((a, b) => a - b);
  const median = (key) => values(key)[Math.floor(results.length / 2)];
  const fmt = (n, digits = 0) =>
    n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  /** The median, with the range when there was more than one run. */
  const show = (key, digits = 0) => {
    const all = values(key);
    const range = all.length > 1 ? ` (${fmt(all[0], digits)}–${fmt(all.at(-1), digits)})` : '';
    return `${fmt(median(key), digits)}${range}`;
  };
  const single = median('singlePerSecond');
  const batched = median('batchedPerSecond');
  const longtask = results[0]?.longtaskSupported;
  const rows = [
    ['events/s, one per transaction', show('singlePerSecond'), '—'],
    [
      `events/s, batched (${config.batchSize}/tx), ×${fmt(batched / single, 1)}`,
      show('batchedPerSecond'),
      `≥ ${fmt(TARGETS.batchedPerSecond)}`,
    ],
    ['  raw IndexedDB, same records and batches', show('rawBatchedPerSecond'), 'ceiling'],
    [`sweep ${fmt(config.sweep)} expired, ms`, show('sweepMs'), `≤ ${fmt(TARGETS.sweepMs)}`],
    [
      '  longest task ms (longtask)',
      longtask ? show('sweepLongestTaskMs', 1) : 'n/a',
      `≤ ${TARGETS.sweepLongestTaskMs}`,
    ],
    ['  longest event-loop gap ms', show('sweepLongestGapMs', 1), '—'],
    [
      '  idle page, same time: longest task ms',
      longtask ? show('idleLongestTaskMs', 1) : 'n/a',
      'control',
    ],
    ['  idle page, same time: longest gap ms', show('idleLongestGapMs', 1), 'control'],
    [`purge ${fmt(config.purge)} events, ms`, show('purgeMs', 1), `≤ ${TARGETS.purgeMs}`],
    [`purge ${fmt(config.purge)} events + outbox entries, ms`, show('purgeWithOutboxMs', 1), '—'],
  ];
  const width = rows.reduce((w, [label]) => Math.max(w, label.length), 0);
  const version = browser.version();
  const load = loadavg().map((n) => n.toFixed(2));
  console.log(
    `\n@consentgate/store in Chromium ${version}, ${cpus().length} CPUs, load ${load.join(' ')}; ` +
      `median (min–max) of ${runs} run(s)\n`,
  );
  console.log(`${'measure'.padEnd(width)}  ${'result'.padStart(26)}  target`);
  for (const [label, result, target] of rows) {
    console.log(`${label.padEnd(width)}  ${result.padStart(26)}  ${target}`);
  }

  const out = join(root, 'bench/out');
  await mkdir(out, { recursive: true });
  const file = join(out, `store-chromium-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  await writeFile(
    file,
    `${JSON.stringify({ chromium: version, loadavg: loadavg(), config, runs: results, targets: TARGETS }, null, 2)}\n`,
  );
  console.log(`\nwrote ${file}`);
} finally {
  server.close();
  await browser.close();
  await rm(dir, { recursive: true, force: true });
}
