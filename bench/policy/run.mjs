// The @consentgate/policy bench: builds the package as it ships, then measures it in Node and in
// Chromium side by side with @open-policy-agent/opa-wasm and with the same collect decision
// written by hand in plain JavaScript. Prints a table and writes bench/out/policy.json.
//
// Usage: node bench/policy/run.mjs [--node] [--chromium] [--samples N]
// (both runtimes by default; N cold samples per runtime, default 10). Not part of `npm test`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { buildPolicyBench, ROOT } from './build.mjs';
import { runChromium } from './chromium.mjs';
import { coldSamples, runNode } from './node.mjs';

const args = process.argv.slice(2);
const only = ['--node', '--chromium'].filter((flag) => args.includes(flag));
const runtimes = only.length > 0 ? only.map((flag) => flag.slice(2)) : ['node', 'chromium'];
const samplesAt = args.indexOf('--samples');
const samples = samplesAt >= 0 ? Number(args[samplesAt + 1]) : 10;
const log = (message) => process.stderr.write(`· ${message}\n`);

log('build');
const build = await buildPolicyBench();
const report = { date: new Date().toISOString(), sizes: build.sizes, files: build.files };

if (runtimes.includes('node')) {
  log('node: cold samples');
  const cold = {
    load: coldSamples('load', samples),
    bytes: [],
    compile: coldSamples('compile', samples),
  };
  log('node: warm measurements');
  report.node = { version: process.version, cold, result: await runNode((m) => log(`node: ${m}`)) };
}
if (runtimes.includes('chromium')) {
  log('chromium: cold samples');
  report.chromium = await runChromium(samples, (m) => log(m));
}

mkdirSync(join(ROOT, 'bench', 'out'), { recursive: true });
const file = join(ROOT, 'bench', 'out', 'policy.json');
writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
print(report);
console.log(`\nwritten to ${file}`);

function print({ sizes, node, chromium }) {
  const bytes = (n) => `${n.toLocaleString('en')} B`.padStart(9);
  console.log('\nsize (esbuild, minified ES2022)          raw       gzip     brotli');
  const row = (name, s, note = '') =>
    console.log(
      `  ${name.padEnd(36)} ${bytes(s.raw)} ${bytes(s.gzip)} ${bytes(s.brotli)}  ${note}`,
    );
  row('loadPolicy wrapper (+ its core)', sizes.wrapper, 'budget 1,500 B brotli');
  row('lazy engine chunk, all of it', sizes.engine);
  row('  of which the OPA ABI host', sizes.host, 'target ≤ 3,000 B gzip');
  row('  signature check (own chunk)', sizes.signature, 'only with options.signature');
  row(
    '@open-policy-agent/opa-wasm (peer)',
    sizes.opaWasm,
    sizes.opaWasm.setsWindowSprintf ? 'sets window.sprintf' : '',
  );

  const us = (s) => (s === undefined ? '—' : s < 10 ? s.toFixed(2) : s.toFixed(1)).padStart(8);
  const median = (values) => {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted.length
      ? sorted[Math.floor(sorted.length / 2)].toFixed(1).padStart(8)
      : '       —';
  };
  for (const [name, run] of [
    ['node', node],
    ['chromium', chromium],
  ]) {
    if (!run) continue;
    const { result, cold } = run;
    const where = name === 'node' ? 'processes' : 'pages';
    console.log(
      `\n${name} ${run.version}${run.crossOriginIsolated ? ' (cross-origin isolated)' : ''}`,
    );
    console.log(`  load, ms (p50)                                     target: cold ≤ 20 ms`);
    if (name === 'node') {
      console.log(`    cold, from bytes (fresh ${where})          ${median(cold.load)}`);
    } else {
      console.log(`    cold, from its URL (fresh ${where})           ${median(cold.load)}`);
      console.log(`    cold, from bytes in memory (fresh ${where})   ${median(cold.bytes)}`);
    }
    console.log(`    cold WebAssembly.compile alone              ${median(cold.compile)}`);
    console.log(`    warm loadPolicy again                       ${us(result.load.repeatMs.p50)}`);
    console.log(
      `    warm instantiate + data.json                ${us(result.load.instantiateMs.p50)}`,
    );
    console.log(
      '  evaluate, µs per call, p50 / p99 of batch means     targets: collect ≤ 10 uncached, ≤ 0.5 cached',
    );
    console.log(
      '    entrypoint               cases    uncached      p99      cached      p99    opa-wasm',
    );
    for (const [kind, e] of Object.entries(result.evaluate)) {
      console.log(
        `    ${kind.padEnd(24)} ${String(e.cases).padStart(5)}  ${us(e.uncached.p50)} ${us(e.uncached.p99)}  ${us(e.cached.p50)} ${us(e.cached.p99)}  ${us(result.peer[kind]?.p50)}`,
      );
    }
    console.log(
      `    compiled policy alone (collect: opa_eval + JSON)  ${us(result.floor.collect.p50)} ${us(result.floor.collect.p99)}`,
    );
    const b = result.baseline;
    console.log(
      `    plain-JS collect baseline          ${String(b.cases).padStart(5)}  ${us(b.uncached.p50)} ${us(b.uncached.p99)}` +
        `   (${b.mismatches} answers differ from opa eval)`,
    );
    console.log(
      `    policy ÷ baseline, uncached collect: ${b.ratio.toFixed(1)}× over the golden cases, ${b.typicalRatio.toFixed(1)}× for the typical event`,
    );
  }
}
