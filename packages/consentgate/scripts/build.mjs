// Builds the script-tag files of `consentgate` into dist/ (after tsup built the npm entry there),
// writes dist/sri.json and prints each file's SRI hash and sizes:
//
//   consentgate.js                the bootstrap (src/bootstrap.ts), with the chunks' hashes baked in
//   consentgate.runtime.js        startConsentGate + sdk + store + policy wrapper + core
//   consentgate.engine.js         the policy engine (the lazy half of @consentgate/policy)
//   consentgate.widget.<lc>.js    the widget with one locale's messages, one file per locale
//
// Every file is a self-contained classic script (IIFE), so the bootstrap can load it with
// `<script integrity>`: dynamic `import()` has no integrity, and blob: or eval would need CSP
// exceptions. The chunks register on a private registry (src/chunks.ts); the engine and the widget
// take @consentgate/core from the runtime instead of bundling their own copy, so there is one
// ConsentGateError class and one emitter on the page.
//
// Usage: node packages/consentgate/scripts/build.mjs [--check]
//   --check  also fails when a file is over its brotli budget (BUDGETS below).
//   --why    also lists the biggest inputs of each file.
// Also imported by test/support/consentgate-pages.ts, which serves the same files from memory.
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

import { build } from 'esbuild';

// The widget's own locale list and locale-pinning plugin: one widget file per locale it ships.
import { LOCALES, pinLocale } from '../../widget/scripts/pin-locale.mjs';

const root = fileURLToPath(new URL('../', import.meta.url));
const packages = fileURLToPath(new URL('../../', import.meta.url));
const src = `${root}src/`;

/** Brotli budgets in bytes, by file (the widget's apply to each locale). */
export const BUDGETS = {
  'consentgate.js': 2048,
  'consentgate.runtime.js': 23 * 1024,
  'consentgate.engine.js': 7 * 1024,
  // Raised from 13 KiB with the widget's size-limit entry (see .size-limit.js).
  'consentgate.widget.*.js': 13.1 * 1024,
};

/** Workspace packages resolve to their sources, as in the other packages' builds and tests. */
const workspace = {
  name: 'workspace',
  setup(b) {
    b.onResolve({ filter: /^@consentgate\/(core|policy|store|sdk|widget)$/ }, ({ path }) => ({
      path: `${packages}${path.slice('@consentgate/'.length)}/src/index.ts`,
    }));
  },
};

/**
 * The engine and widget chunks use the runtime's @consentgate/core (registered by src/runtime.ts)
 * instead of a copy of their own. The export list is read from core's built entry.
 */
async function sharedCore() {
  const { metafile } = await build({
    entryPoints: [`${packages}core/src/index.ts`],
    bundle: true,
    write: false,
    format: 'esm',
    metafile: true,
    outdir: '/virtual',
    logLevel: 'silent',
  });
  const names = Object.values(metafile.outputs)[0].exports;
  return {
    name: 'shared-core',
    setup(b) {
      b.onResolve({ filter: /^@consentgate\/core$/ }, () => ({
        path: 'core',
        namespace: 'shared',
      }));
      b.onLoad({ filter: /^core$/, namespace: 'shared' }, () => ({
        contents: `export const { ${names.join(', ')} } = globalThis[Symbol.for('consentgate')].core;`,
        loader: 'js',
      }));
    },
  };
}

/**
 * In the runtime, @consentgate/policy's lazy `import('./open-policy.js')` becomes a request for
 * the engine chunk. An IIFE cannot split, so esbuild would otherwise inline the engine. If the
 * chunk cannot be loaded, the policy fails closed as when the `import()` fails.
 */
const engineChunk = {
  name: 'engine-chunk',
  setup(b) {
    b.onResolve({ filter: /^\.\/open-policy\.js$/ }, ({ importer }) =>
      /load-policy\.ts$/.test(importer) ? { path: 'engine', namespace: 'chunk' } : undefined,
    );
    b.onLoad({ filter: /^engine$/, namespace: 'chunk' }, () => ({
      contents: `import { ConsentGateError, ErrorCode } from '@consentgate/core';
import { createClosedPolicy } from '${packages}policy/src/create-closed-policy.ts';
import { loadChunk } from '${src}chunks.ts';
export const openPolicy = (settings) =>
  loadChunk('engine').then(
    (engine) => engine.openPolicy(settings),
    (cause) =>
      createClosedPolicy(
        new ConsentGateError(ErrorCode.PolicyEngineFailed, 'consentgate.engine.js did not load', { cause }),
      ),
  );`,
      loader: 'js',
      resolveDir: src,
    }));
  },
};

/**
 * The script tag has no attribute to require a bundle signature, so the signature code (its own
 * lazy chunk in the npm build) is left out of the engine; were it ever asked for, it denies.
 */
const noSignatures = {
  name: 'no-signatures',
  setup(b) {
    b.onResolve({ filter: /^\.\/verify-signature\.js$/ }, () => ({
      path: 'verify-signature',
      namespace: 'chunk',
    }));
    b.onLoad({ filter: /^verify-signature$/, namespace: 'chunk' }, () => ({
      contents: `import { ConsentGateError, ErrorCode } from '@consentgate/core';
export const verifySignature = () =>
  Promise.reject(new ConsentGateError(ErrorCode.PolicyIntegrityMismatch, 'signatures need the npm build'));`,
      loader: 'js',
      resolveDir: src,
    }));
  },
};

/** Production settings shared by every file: one minified, self-contained classic script. */
const shared = {
  bundle: true,
  write: false,
  format: 'iife',
  minify: true,
  target: 'es2022',
  platform: 'browser',
  legalComments: 'none',
  define: { 'process.env.NODE_ENV': '"production"' },
  outdir: '/virtual',
  metafile: true,
  logLevel: 'silent',
};

/** Minified bytes per input file of each output, for `--why`. */
const inputs = new Map();

async function one(options) {
  const { outputFiles, metafile } = await build({ ...shared, ...options });
  const { contents } = outputFiles[0];
  inputs.set(contents, Object.values(metafile.outputs)[0].inputs);
  return contents;
}

/** Returns the `sha384-<base64>` Subresource Integrity value of `bytes`. */
export function sri(bytes) {
  return `sha384-${createHash('sha384').update(bytes).digest('base64')}`;
}

/** Returns the brotli (quality 11) size of `bytes`, as size-limit measures it. */
export function brotliSize(bytes) {
  return brotliCompressSync(bytes, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: 11,
      [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
    },
  }).length;
}

/**
 * Builds every script-tag file in memory and returns them by file name, with their SRI hashes.
 *
 * @returns {Promise<{ files: Record<string, Uint8Array>, sri: Record<string, string> }>}
 */
export async function buildScriptTag() {
  const core = await sharedCore();
  const [runtime, engine, ...widgets] = await Promise.all([
    one({ entryPoints: [`${src}runtime.ts`], plugins: [engineChunk, workspace] }),
    one({
      stdin: {
        contents: `import { openPolicy } from '${packages}policy/src/open-policy.ts';
import { registerChunk } from '${src}chunks.ts';
registerChunk('engine', { openPolicy });`,
        resolveDir: src,
        loader: 'ts',
        sourcefile: 'engine-chunk.ts',
      },
      plugins: [core, noSignatures, workspace],
    }),
    ...LOCALES.map((locale) =>
      one({
        entryPoints: [`${src}widget-chunk.ts`],
        plugins: [core, pinLocale(locale), workspace],
      }),
    ),
  ]);
  const chunks = {
    'consentgate.runtime.js': runtime,
    'consentgate.engine.js': engine,
    ...Object.fromEntries(
      LOCALES.map((locale, i) => [`consentgate.widget.${locale}.js`, widgets[i]]),
    ),
  };
  const chunkSri = Object.fromEntries(
    Object.entries(chunks).map(([file, bytes]) => [file, sri(bytes)]),
  );
  // The bootstrap holds the bare digests by chunk id: `runtime` for consentgate.runtime.js.
  const digests = Object.fromEntries(
    Object.entries(chunkSri).map(([file, hash]) => [
      file.slice('consentgate.'.length, -'.js'.length),
      hash.slice('sha384-'.length),
    ]),
  );
  const bootstrap = await one({
    entryPoints: [`${src}bootstrap.ts`],
    define: { ...shared.define, __CONSENTGATE_SRI__: JSON.stringify(digests) },
  });
  const files = { 'consentgate.js': bootstrap, ...chunks };
  return { files, sri: { 'consentgate.js': sri(bootstrap), ...chunkSri } };
}

/** Returns the budget of `file` in brotli bytes, or undefined. */
function budgetOf(file) {
  return BUDGETS[file] ?? BUDGETS[file.replace(/\.widget\.[a-z]+\.js$/, '.widget.*.js')];
}

async function main() {
  const check = process.argv.includes('--check');
  const { files, sri: hashes } = await buildScriptTag();
  const dist = `${root}dist/`;
  await mkdir(dist, { recursive: true });
  for (const [file, bytes] of Object.entries(files)) await writeFile(`${dist}${file}`, bytes);
  await writeFile(`${dist}sri.json`, `${JSON.stringify(hashes, null, 2)}\n`);
  const version = JSON.parse(await readFile(`${root}package.json`, 'utf8')).version;
  console.log(`consentgate ${version}: dist/sri.json`);
  console.log(JSON.stringify(hashes, null, 2));
  const rows = Object.entries(files).map(([file, bytes]) => ({
    file,
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliSize(bytes),
    budget: budgetOf(file) ?? '',
  }));
  console.table(rows);
  const over = rows.filter((row) => row.budget !== '' && row.brotli > row.budget);
  if (process.argv.includes('--why')) {
    for (const [file, bytes] of Object.entries(files)) {
      console.log(`\n${file}: minified bytes per input`);
      const list = Object.entries(inputs.get(bytes) ?? {})
        .map(([input, { bytesInOutput }]) => [
          input.replace(/^.*node_modules\//, ''),
          bytesInOutput,
        ])
        .sort((a, b) => b[1] - a[1]);
      for (const [input, size] of list) console.log(`${String(size).padStart(7)}  ${input}`);
    }
  }
  if (check && over.length > 0) {
    for (const row of over) console.error(`${row.file}: ${row.brotli} B brotli > ${row.budget} B`);
    process.exitCode = 1;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
