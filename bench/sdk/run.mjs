// SDK benchmark in Chromium: bundles page.ts with esbuild, serves it, the committed policy bundle
// and no-op collector endpoints on 127.0.0.1 (cross-origin isolated, for a 5 µs clock), runs it in
// Debian's chromium through Playwright next to Segment's analytics-next, prints a table and writes
// JSON to bench/out/. No request may leave 127.0.0.1: every other one is counted and reported.
//
//   node bench/sdk/run.mjs [--runs 1] [--calls 5000] [--events 10000] [--rate 1000]
//                          [--paced-ms 5000] [--profile 2000] [--batch-size 100]
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { build } from 'esbuild';
import { chromium } from 'playwright';

import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../scripts/chromium.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const policyDir = join(root, 'policies/dist');

/** The issue's targets. */
const TARGETS = { trackP50Us: 20, perSecond: 10_000, pacedLongestTaskMs: 50 };

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '1' },
    calls: { type: 'string', default: '5000' },
    events: { type: 'string', default: '10000' },
    rate: { type: 'string', default: '1000' },
    'paced-ms': { type: 'string', default: '5000' },
    profile: { type: 'string', default: '2000' },
    'batch-size': { type: 'string', default: '100' },
  },
});
const config = {
  calls: Number(args.calls),
  events: Number(args.events),
  rate: Number(args.rate),
  pacedMs: Number(args['paced-ms']),
  profileEvents: Number(args.profile),
  batchSize: Number(args['batch-size']),
};
const runs = Number(args.runs);

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
};
const ISOLATED = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cache-Control': 'no-store',
};

/** What the no-op endpoints received. */
const received = {
  sinkRequests: 0,
  sinkMessages: 0,
  /** Messages the demo collector would refuse as `invalid-event`: no anonymousId, no userId. */
  sinkWithoutId: 0,
  segmentRequests: 0,
  other: 0,
};

const dir = await mkdtemp(join(tmpdir(), 'cg-bench-sdk-'));
const browser = await chromium.launch({
  executablePath: CHROMIUM_PATH,
  args: CHROMIUM_ARGS,
});
const server = createServer((request, response) => {
  const { pathname } = new URL(request.url ?? '/', 'http://127.0.0.1');
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    if (request.method === 'POST' && pathname.startsWith('/sink/')) {
      // ConsentGate's wire protocol v1: `{ batch, sentAt, receipt }` as text/plain.
      received.sinkRequests += 1;
      let accepted = 0;
      try {
        const { batch } = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        accepted = batch.length;
        received.sinkWithoutId += batch.filter((m) => !m.anonymousId && !m.userId).length;
      } catch {
        // Counted as a request with no messages.
      }
      received.sinkMessages += accepted;
      response.writeHead(200, { ...ISOLATED, 'Content-Type': TYPES['.json'] });
      response.end(JSON.stringify({ accepted, duplicates: 0, rejected: [] }));
      return;
    }
    if (request.method === 'POST' && pathname.startsWith('/segment/')) {
      received.segmentRequests += 1;
      response.writeHead(200, { ...ISOLATED, 'Content-Type': TYPES['.json'] }).end('{}');
      return;
    }
    const file =
      pathname === '/'
        ? join(dir, 'index.html')
        : pathname === '/page.js'
          ? join(dir, 'page.js')
          : pathname.startsWith('/policies/dist/')
            ? normalize(join(policyDir, pathname.slice('/policies/dist/'.length)))
            : undefined;
    if (!file || !(file.startsWith(dir) || file.startsWith(policyDir))) {
      received.other += 1;
      response.writeHead(404, ISOLATED).end();
      return;
    }
    readFile(file).then(
      (body) =>
        response
          .writeHead(200, {
            ...ISOLATED,
            'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
          })
          .end(body),
      () => response.writeHead(404, ISOLATED).end(),
    );
  });
});

try {
  await build({
    entryPoints: [join(root, 'bench/sdk/page.ts')],
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2022',
    platform: 'browser',
    define: { 'process.env.NODE_ENV': '"production"' },
    // Resolves @consentgate/* to the workspace sources through the root tsconfig's paths.
    tsconfig: join(root, 'tsconfig.json'),
    outfile: join(dir, 'page.js'),
    logLevel: 'warning',
  });
  await writeFile(
    join(dir, 'index.html'),
    '<!doctype html><meta charset="utf-8"><title>sdk bench</title>' +
      '<script type="module" src="/page.js"></script>',
  );
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  const origin = `http://127.0.0.1:${port}`;

  /** Requests the pages made to anywhere but the bench server (must stay empty). */
  const escaped = [];

  /** Runs one step in a fresh context and page and returns what it measured. */
  const step = async (task) => {
    const context = await browser.newContext();
    const page = await context.newPage();
    // Passive: counts without intercepting, so the peer's per-event requests are not slowed.
    page.on('request', (request) => {
      if (!request.url().startsWith(`${origin}/`)) escaped.push(request.url());
    });
    const errors = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    try {
      await page.goto(`${origin}/`);
      await page.waitForFunction(() => typeof window.sdkBenchRun === 'function');
      return await page.evaluate((t) => window.sdkBenchRun(t), task);
    } catch (error) {
      throw new Error(`${task.step} ${task.subject ?? ''} failed: ${error}\n${errors.join('\n')}`);
    } finally {
      await context.close();
    }
  };

  const results = [];
  for (let run = 0; run < runs; run++) {
    const log = (what) => process.stderr.write(`run ${run + 1}/${runs}: ${what}\n`);
    log('track() cost, ConsentGate');
    const cgSync = await step({ step: 'sync', subject: 'cg', calls: config.calls });
    log('track() cost, analytics-next');
    const peerSync = await step({ step: 'sync', subject: 'peer', calls: config.calls });
    log('throughput, ConsentGate');
    const cgThroughput = await step({ step: 'throughput', subject: 'cg', events: config.events });
    log('throughput, analytics-next');
    const peerThroughput = await step({
      step: 'throughput',
      subject: 'peer',
      events: config.events,
    });
    log('paced, ConsentGate');
    const cgPaced = await step({
      step: 'paced',
      subject: 'cg',
      rate: config.rate,
      durationMs: config.pacedMs,
    });
    log('paced, analytics-next');
    const peerPaced = await step({
      step: 'paced',
      subject: 'peer',
      rate: config.rate,
      durationMs: config.pacedMs,
    });
    log('idle control');
    const idle = await step({ step: 'idle', durationMs: config.pacedMs + cgPaced.drainMs });
    log('stage profile');
    const profile = await step({
      step: 'profile',
      events: config.profileEvents,
      batchSize: config.batchSize,
    });
    results.push({
      loadavg: loadavg(),
      cgSync,
      peerSync,
      cgThroughput,
      peerThroughput,
      cgPaced,
      peerPaced,
      idle,
      profile,
    });
  }

  // ---- table ------------------------------------------------------------------------------
  const pick = (path) => (r) => path.split('.').reduce((o, k) => o?.[k], r);
  const sorted = (path) => results.map(pick(path)).sort((a, b) => a - b);
  const median = (path) => sorted(path)[Math.floor(results.length / 2)];
  const fmt = (n, digits = 0) =>
    Number.isFinite(n)
      ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
      : 'n/a';
  /** The median, with the range when there was more than one run. */
  const show = (path, digits = 0) => {
    const all = sorted(path);
    const range = all.length > 1 ? ` (${fmt(all[0], digits)}–${fmt(all.at(-1), digits)})` : '';
    return `${fmt(median(path), digits)}${range}`;
  };
  const ratio = (a, b) => `${fmt(median(a) / median(b), 2)}×`;
  const verdict = (ok) => (ok ? 'met' : 'MISSED');

  const trackP50 = median('cgSync.syncUs.p50');
  const perSecond = median('cgThroughput.perSecond');
  const pacedLongest = median('cgPaced.pacing.longestTaskMs');
  const pacedOver = median('cgPaced.pacing.over50ms');
  const rows = [
    ['track() sync µs p50', 'cgSync.syncUs.p50', 'peerSync.syncUs.p50', 1],
    ['track() sync µs p99', 'cgSync.syncUs.p99', 'peerSync.syncUs.p99', 1],
    [
      'track() sync µs, mean of 100 back to back',
      'cgSync.groupMeanSyncUs.p50',
      'peerSync.groupMeanSyncUs.p50',
      1,
    ],
    ['await track() µs p50', 'cgSync.asyncUs.p50', 'peerSync.asyncUs.p50', 0],
    ['await track() µs p99', 'cgSync.asyncUs.p99', 'peerSync.asyncUs.p99', 0],
    [
      `events/s, ${fmt(config.events)} at once, all awaited`,
      'cgThroughput.perSecond',
      'peerThroughput.perSecond',
      0,
    ],
    [
      `${fmt(config.rate)}/s paced: longest task ms`,
      'cgPaced.pacing.longestTaskMs',
      'peerPaced.pacing.longestTaskMs',
      1,
    ],
    [
      `${fmt(config.rate)}/s paced: tasks over 50 ms`,
      'cgPaced.pacing.over50ms',
      'peerPaced.pacing.over50ms',
      0,
    ],
    [
      `${fmt(config.rate)}/s paced: settled when pacing ended`,
      'cgPaced.settledAtPaceEnd',
      'peerPaced.settledAtPaceEnd',
      0,
    ],
    [
      `${fmt(config.rate)}/s paced: drain after pacing, ms`,
      'cgPaced.drainMs',
      'peerPaced.drainMs',
      0,
    ],
    [
      `  incl. drain: longest task ms`,
      'cgPaced.all.longestTaskMs',
      'peerPaced.all.longestTaskMs',
      1,
    ],
  ];
  const targets = {
    'cgSync.syncUs.p50': `≤ ${TARGETS.trackP50Us} ${verdict(trackP50 <= TARGETS.trackP50Us)}`,
    'cgThroughput.perSecond': `≥ ${fmt(TARGETS.perSecond)} ${verdict(perSecond >= TARGETS.perSecond)}; ≥ peer ${verdict(perSecond >= median('peerThroughput.perSecond'))}`,
    'cgPaced.pacing.longestTaskMs': `≤ ${TARGETS.pacedLongestTaskMs} ${verdict(pacedLongest <= TARGETS.pacedLongestTaskMs)}`,
    'cgPaced.pacing.over50ms': `0 ${verdict(pacedOver === 0)}`,
  };
  const table = rows.map(([label, cg, peer, digits]) => [
    label,
    show(cg, digits),
    show(peer, digits),
    ratio(cg, peer),
    targets[cg] ?? '—',
  ]);
  const version = browser.version();
  const load = loadavg().map((n) => n.toFixed(2));
  const first = results[0];
  console.log(
    `\n@consentgate/sdk vs @segment/analytics-next in Chromium ${version}, ${cpus().length} CPUs, ` +
      `load ${load.join(' ')} (at start of each run: ${results.map((r) => r.loadavg[0].toFixed(2)).join(', ')}); ` +
      `median (min–max) of ${runs} run(s)`,
  );
  console.log(
    `clock ${fmt(first.cgSync.clockResolutionUs, 1)} µs (crossOriginIsolated ${first.cgSync.crossOriginIsolated}); ` +
      `${fmt(config.calls)} calls per cost figure; JP, analytics + marketing granted\n`,
  );
  const head = ['measure', 'ConsentGate', 'analytics-next', 'CG/peer', 'target'];
  const widths = head.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
  const line = (cells) =>
    cells
      .map((c, i) => (i === 0 || i === 4 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
      .join('  ');
  console.log(line(head));
  for (const row of table) console.log(line(row));
  console.log(
    `idle page, same duration (control): longest task ${show('idle.longestTaskMs', 1)} ms, ` +
      `${show('idle.over50ms')} over 50 ms`,
  );

  const p = first.profile;
  console.log(
    `\nConsentGate per-event stages, one event at a time (${fmt(config.profileEvents)} events, run 1), µs:`,
  );
  const stageRows = Object.entries(p.stages).map(([name, s]) => [
    name,
    fmt(s.p50, 0),
    fmt(s.p99, 0),
    fmt(s.mean, 0),
    name === 'total' ? '100 %' : `${fmt(100 * p.shareOfTotal[name], 1)} %`,
  ]);
  const stageHead = ['stage', 'p50', 'p99', 'mean', 'share'];
  const sw = stageHead.map((h, i) => Math.max(h.length, ...stageRows.map((r) => r[i].length)));
  const sline = (cells) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(sw[i]) : c.padStart(sw[i]))).join('  ');
  console.log(sline(stageHead));
  for (const row of stageRows) console.log(sline(row));
  console.log(
    `sequential pipeline: ${fmt(p.sequentialEventsPerSecond)} events/s; ` +
      `the same records, ${config.batchSize} events per events.put: ${fmt(p.batchedPutEventsPerSecond)} events/s; ` +
      `salted SHA-256 of one value: ${fmt(p.hashOneValueUs.p50)} µs p50`,
  );
  for (const [label, f] of [
    ['before any track() in the page', p.flush.unprimed],
    ['after one track()', p.flush.primed],
  ]) {
    console.log(
      `sender, ${label}: ${fmt(f.sent)} messages in ${fmt(f.ms)} ms ` +
        `(${fmt(f.usPerMessage)} µs/message), consent.history() read ${fmt(f.historyReads)} times`,
    );
  }
  console.log(
    `\nrequests: ${received.sinkRequests} batches (${received.sinkMessages} messages, ` +
      `${received.sinkWithoutId} without anonymousId or userId) to the ConsentGate sink, ` +
      `${received.segmentRequests} to the Segment.io stand-in, ${received.other} other local; ` +
      `${escaped.length} left 127.0.0.1${escaped.length ? `: ${[...new Set(escaped)].slice(0, 5).join(', ')}` : ''}`,
  );

  const out = join(root, 'bench/out');
  await mkdir(out, { recursive: true });
  const file = join(out, `sdk-chromium-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  await writeFile(
    file,
    `${JSON.stringify(
      {
        chromium: version,
        cpus: cpus().length,
        loadavg: loadavg(),
        config,
        targets: TARGETS,
        requests: { ...received, escaped },
        runs: results,
      },
      null,
      2,
    )}\n`,
  );
  console.log(`\nwrote ${file}`);
  if (escaped.length > 0) process.exitCode = 1;
} finally {
  server.close();
  await browser.close();
  await rm(dir, { recursive: true, force: true });
}
