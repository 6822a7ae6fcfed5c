// The policy bench page in Chromium: loads the built package from the bench server and runs the
// shared measurements (bench-core.js). `?cold=load|compile` takes one cold sample instead; the
// runner opens each cold sample in a fresh browser context.
import { coldSample, runPolicyBench } from './bench-core.js';

const params = new URLSearchParams(location.search);
const log = (message) => {
  document.body.textContent = message;
};

try {
  const { loadPolicy } = await import('/build/dist/index.js');
  const engine = await import('/build/engine/engine.js');
  const manifest = await (await fetch('/policies/dist/manifest.json')).json();
  const bytes = async (path) => new Uint8Array(await (await fetch(path)).arrayBuffer());
  const env = {
    loadPolicy,
    engine,
    manifest,
    digest: manifest.digest,
    wasm: await bytes('/policies/dist/policy.wasm'),
    data: await bytes('/policies/dist/data.json'),
    // What a site does: point at manifest.json; the files are fetched (and streamed) from here.
    source: () => '/policies/dist/manifest.json',
    log,
  };
  if (params.has('cold')) {
    window.__policyBench = { cold: await coldSample(env, params.get('cold')) };
  } else {
    const opa = await import('/opa-wasm.js');
    const golden = await (await fetch('/policies/test/golden.json')).json();
    window.__policyBench = {
      result: await runPolicyBench({ ...env, golden, opa: opa.default, log }),
      crossOriginIsolated,
      userAgent: navigator.userAgent,
    };
  }
} catch (error) {
  window.__policyBench = { error: String(error?.stack ?? error) };
}
