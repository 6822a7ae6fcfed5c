// The policy bench in Node: the built package (see build.mjs) on the committed bundle. Run it
// through run.mjs; `node bench/policy/node.mjs --cold <load|compile>` is one cold sample, run in a
// fresh process by run.mjs because V8 keeps compiled modules for the life of a process.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import { coldSample, runPolicyBench } from './bench-core.js';
import { OUT, ROOT } from './build.mjs';

const dist = join(ROOT, 'policies', 'dist');

async function environment() {
  const { loadPolicy } = await import(pathToFileURL(join(OUT, 'dist', 'index.js')).href);
  const engine = await import(pathToFileURL(join(OUT, 'engine', 'engine.js')).href);
  const manifest = JSON.parse(readFileSync(join(dist, 'manifest.json'), 'utf8'));
  const wasm = new Uint8Array(readFileSync(join(dist, 'policy.wasm')));
  const data = new Uint8Array(readFileSync(join(dist, 'data.json')));
  return {
    loadPolicy,
    engine,
    wasm,
    data,
    manifest,
    digest: manifest.digest,
    // What a collector would do: read the three files and hand them over as bytes.
    source: () => ({ manifest, wasm, data }),
  };
}

/** Runs `samples` cold samples of `kind`, each in a fresh Node process, and returns them (ms). */
export function coldSamples(kind, samples) {
  const times = [];
  for (let i = 0; i < samples; i++) {
    const child = spawnSync(process.execPath, [new URL(import.meta.url).pathname, '--cold', kind], {
      encoding: 'utf8',
    });
    if (child.status !== 0) throw new Error(`cold sample failed:\n${child.stderr}`);
    times.push(Number(child.stdout.trim()));
  }
  return times;
}

/** Runs the warm measurements in this process and returns them. */
export async function runNode(log) {
  const golden = join(ROOT, 'policies', 'test', 'golden.json');
  if (!existsSync(golden))
    throw new Error('policies/test/golden.json is missing: run `npm run policies`');
  const opa = await import('@open-policy-agent/opa-wasm');
  return runPolicyBench({
    ...(await environment()),
    golden: JSON.parse(readFileSync(golden, 'utf8')),
    opa: opa.default ?? opa,
    log,
  });
}

if (process.argv[2] === '--cold') {
  const env = await environment();
  process.stdout.write(`${await coldSample(env, process.argv[3])}\n`);
}
