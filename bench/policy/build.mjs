// Builds what the policy bench runs and measures: @consentgate/policy as a site would ship it
// (esbuild, the bundler under tsup: ESM, minified, ES2022, with the engine split into the chunk
// that `import()` loads), the thin WebAssembly host on its own, and sizes for each.
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';

import { build } from 'esbuild';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const OUT = join(ROOT, 'bench', 'out', 'policy-build');

const alias = { '@consentgate/core': join(ROOT, 'packages/core/src/index.ts') };
const common = {
  bundle: true,
  format: 'esm',
  minify: true,
  target: 'es2022',
  platform: 'browser',
  alias,
  logLevel: 'warning',
  legalComments: 'none',
};

/** Returns raw, gzip (level 9) and brotli (quality 11) sizes of `bytes`. */
export function sizes(bytes) {
  return {
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

/**
 * Builds into bench/out/policy-build/ and returns the output folder and the size table:
 * `wrapper` (what `import { loadPolicy }` costs up front), `engine` (everything `import()` loads
 * on the first loadPolicy call), `host` (the OPA ABI host alone, without core's errors),
 * and `opaWasm` (the peer: @open-policy-agent/opa-wasm's browser build).
 */
export async function buildPolicyBench() {
  rmSync(OUT, { recursive: true, force: true });
  const dist = await build({
    ...common,
    entryPoints: { index: join(ROOT, 'packages/policy/src/index.ts') },
    splitting: true,
    outdir: join(OUT, 'dist'),
    chunkNames: 'chunk-[hash]',
    metafile: true,
  });
  await build({
    ...common,
    entryPoints: { engine: join(ROOT, 'packages/policy/src/create-engine.ts') },
    outdir: join(OUT, 'engine'),
  });
  const hostOnly = await build({
    ...common,
    entryPoints: { host: join(ROOT, 'packages/policy/src/create-engine.ts') },
    // Core stays out (an alias would win over `external`): the host alone is measured.
    alias: {},
    external: ['@consentgate/core'],
    write: false,
    outdir: join(OUT, 'host'),
  });

  // The entry and what it imports statically are the wrapper; the rest arrives through import().
  const outputs = dist.metafile.outputs;
  const name = (path) => relative(join(OUT, 'dist'), join(ROOT, path));
  const entry = Object.keys(outputs).find((path) => outputs[path].entryPoint);
  const closure = (start) => {
    const seen = new Set();
    const visit = (path) => {
      if (seen.has(path)) return;
      seen.add(path);
      for (const imported of outputs[path].imports) {
        if (imported.kind === 'import-statement') visit(imported.path);
      }
    };
    visit(start);
    return seen;
  };
  const wrapper = closure(entry);
  // What loadPolicy() imports: the chunks reached from the wrapper by import(), minus those already
  // loaded; the signature check is its own import() from there, loaded only when a key is pinned.
  const lazyFrom = (from, exclude) => {
    const found = new Set();
    for (const path of from) {
      for (const imported of outputs[path].imports) {
        if (imported.kind !== 'dynamic-import') continue;
        for (const chunk of closure(imported.path)) if (!exclude.has(chunk)) found.add(chunk);
      }
    }
    return found;
  };
  const lazy = lazyFrom(wrapper, wrapper);
  const signature = lazyFrom(lazy, new Set([...wrapper, ...lazy]));
  const read = (paths) =>
    Buffer.concat(
      [...paths].filter((p) => p.endsWith('.js')).map((p) => readFileSync(join(ROOT, p))),
    );
  const opaWasm = readFileSync(
    join(ROOT, 'node_modules/@open-policy-agent/opa-wasm/dist/opa-wasm-browser.esm.js'),
  );
  return {
    dir: OUT,
    entry: join(ROOT, entry),
    files: {
      wrapper: [...wrapper].map(name),
      engine: [...lazy].map(name),
      signature: [...signature].map(name),
    },
    sizes: {
      wrapper: sizes(read(wrapper)),
      engine: sizes(read(lazy)),
      signature: sizes(read(signature)),
      host: sizes(Buffer.from(hostOnly.outputFiles[0].contents)),
      opaWasm: {
        ...sizes(opaWasm),
        setsWindowSprintf: /window\.sprintf\s*=/.test(opaWasm.toString('utf8')),
      },
    },
  };
}
