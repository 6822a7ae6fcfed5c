// The measurements of the policy bench, as one plain ES module that runs unchanged in Node and in
// Chromium (it imports nothing; the runner hands it the built package and the bundle).
//
// Latencies are batch means: each sample times `batch` consecutive calls and divides, because a
// browser's clock is too coarse for one sub-microsecond call (5 µs when cross-origin isolated).
// p50 and p99 are over those samples.

import { createBaselineCollect } from './baseline-collect.js';

const KINDS = ['collect', 'egress', 'script', 'notice'];

/** A typical storefront event: EU visitor who agreed to analytics views a product. */
const TYPICAL = {
  now: 1763942400000,
  jurisdiction: 'EU',
  signals: { gpc: false },
  consent: {
    revision: 'r1',
    given_at: 1763942300000,
    purposes: { analytics: true, marketing: false },
  },
  event: {
    type: 'track',
    name: 'Product Viewed',
    keys: ['sku', 'name', 'category', 'price', 'currency'],
  },
};

/**
 * Runs every warm measurement and returns the figures.
 *
 * @param {object} env
 * @param {(source: unknown, options?: object) => Promise<any>} env.loadPolicy - the built package
 * @param {() => unknown} env.source - a fresh loadPolicy source for the committed bundle
 * @param {string} env.digest - the bundle digest to pin
 * @param {Uint8Array} env.wasm - policy.wasm bytes
 * @param {Uint8Array} env.data - data.json bytes
 * @param {object} env.manifest - the parsed manifest.json
 * @param {{ entrypoint: string, input: any, expected: any }[]} env.golden - golden cases
 * @param {{ compilePolicy: Function, createEngine: Function }} env.engine - the thin host alone
 * @param {{ loadPolicy: Function } | undefined} env.opa - opa-wasm, for the peer row
 * @param {(message: string) => void} [env.log]
 */
export async function runPolicyBench(env) {
  const log = env.log ?? (() => {});
  const result = { load: {}, evaluate: {}, baseline: {}, peer: {} };

  log('load');
  const loads = [];
  for (let i = 0; i < 15; i++) {
    const t0 = performance.now();
    const policy = await env.loadPolicy(env.source(), { digest: env.digest });
    loads.push(performance.now() - t0);
    if (policy.error) throw policy.error;
  }
  result.load.repeatMs = stats(loads.slice(1));
  const module = await env.engine.compilePolicy(env.wasm.slice());
  const instantiations = [];
  for (let i = 0; i < 30; i++) {
    const t0 = performance.now();
    await env.engine.createEngine(module, env.data, 1024);
    instantiations.push(performance.now() - t0);
  }
  result.load.instantiateMs = stats(instantiations.slice(1));

  // The floor: the compiled policy alone (opa_eval with JSON in and out), no host work around it.
  const engine = await env.engine.createEngine(module, env.data, 1024);
  const collectId = engine.entrypoints['consentgate/collect/decision'];
  const collectJson = env.golden
    .filter((c) => c.entrypoint === 'consentgate/collect/decision')
    .map((c) => JSON.stringify(c.input));
  result.floor = {
    collect: latency((i) => engine.evaluate(collectId, collectJson[i % collectJson.length]), 50),
  };

  const uncached = await env.loadPolicy(env.source(), { digest: env.digest, cacheSize: 0 });
  const cached = await env.loadPolicy(env.source(), { digest: env.digest });

  for (const kind of KINDS) {
    log(`evaluate ${kind}`);
    const inputs = env.golden
      .filter((c) => c.entrypoint === `consentgate/${kind}/decision`)
      .map((c) => c.input);
    result.evaluate[kind] = {
      cases: inputs.length,
      uncached: latency(
        (i) => uncached[kind](inputs[i % inputs.length]),
        kind === 'notice' ? 10 : 50,
      ),
      cached: cachedLatency(cached, kind, inputs.slice(0, 256)),
    };
  }
  log('evaluate collect (typical event)');
  result.evaluate['collect, typical event'] = {
    cases: 1,
    uncached: latency(() => uncached.collect(TYPICAL), 50),
    cached: cachedLatency(cached, 'collect', [TYPICAL]),
  };

  log('baseline');
  const data = JSON.parse(new TextDecoder().decode(env.data));
  const baseline = createBaselineCollect(data);
  const collectCases = env.golden.filter((c) => c.entrypoint === 'consentgate/collect/decision');
  result.baseline.mismatches = collectCases.filter(
    (c) => canonical(baseline(c.input)) !== canonical(c.expected),
  ).length;
  result.baseline.cases = collectCases.length;
  const collectInputs = collectCases.map((c) => c.input);
  result.baseline.uncached = latency((i) => baseline(collectInputs[i % collectInputs.length]), 50);
  result.baseline.typical = latency(() => baseline(TYPICAL), 50);
  result.baseline.ratio = result.evaluate.collect.uncached.p50 / result.baseline.uncached.p50;
  result.baseline.typicalRatio =
    result.evaluate['collect, typical event'].uncached.p50 / result.baseline.typical.p50;

  if (env.opa) {
    log('opa-wasm');
    const t0 = performance.now();
    const opa = await env.opa.loadPolicy(env.wasm.slice().buffer);
    opa.setData(data);
    result.peer.loadMs = performance.now() - t0;
    for (const kind of KINDS) {
      const entrypoint = `consentgate/${kind}/decision`;
      const inputs = env.golden.filter((c) => c.entrypoint === entrypoint).map((c) => c.input);
      result.peer[kind] = latency(
        (i) => opa.evaluate(inputs[i % inputs.length], entrypoint),
        kind === 'notice' ? 10 : 50,
      );
    }
  }
  return result;
}

/**
 * Measures what a fresh process or page pays the first time, and returns milliseconds: `load` is
 * the first `loadPolicy` of `env.source()` (lazy chunk, fetching in a page, hashing, compiling,
 * instantiating); `bytes` the same with the three files already in memory; `compile` is the first
 * `WebAssembly.compile` of policy.wasm alone.
 */
export async function coldSample(env, kind) {
  const bytes = { manifest: env.manifest, wasm: env.wasm.slice(), data: env.data.slice() };
  const t0 = performance.now();
  if (kind === 'compile') {
    await WebAssembly.compile(bytes.wasm);
  } else {
    const source = kind === 'bytes' ? bytes : env.source();
    const policy = await env.loadPolicy(source, { digest: env.digest });
    if (policy.error) throw policy.error;
  }
  return performance.now() - t0;
}

/** Primes the cache with `inputs`, then times hits; collect hits move to a new `now` each call. */
function cachedLatency(policy, kind, inputs) {
  for (const input of inputs) policy[kind](input);
  let now = 1763942400000;
  const moved = inputs.map((input) => ({ ...input }));
  return latency((i) => {
    const input = moved[i % moved.length];
    if (kind === 'collect') input.now = now++;
    return policy[kind](input);
  }, 2000);
}

/** Times `call(i)` in batches after a warm-up and returns p50/p99/mean of the batch means, in µs. */
function latency(call, batch, samples = 200) {
  let sink = 0;
  for (let i = 0; i < batch * 20; i++) sink ^= call(i) ? 1 : 0;
  const means = [];
  let i = 0;
  for (let s = 0; s < samples; s++) {
    const t0 = performance.now();
    for (let b = 0; b < batch; b++) sink ^= call(i++) ? 1 : 0;
    means.push(((performance.now() - t0) * 1000) / batch);
  }
  if (sink === 2) console.log(sink); // keeps the calls from being optimised away
  return stats(means);
}

function stats(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return {
    p50: at(0.5),
    p99: at(0.99),
    mean: values.reduce((a, b) => a + b, 0) / values.length,
    n: values.length,
  };
}

function canonical(value) {
  return JSON.stringify(value, (_key, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, v[k]]),
        )
      : v,
  );
}
