// Prints the widget's sizes as a browser downloads them, minified for production with Preact
// bundled: raw, gzip (level 9) and brotli (quality 11), per locale.
//   - "banner chunk": everything the page needs to show the banner, as one ESM file: widget,
//     Preact, CSS and one locale's banner messages (pinned into it, as a bootstrap that knows the
//     page's language would load it);
//   - "lazy": the second layer, imported once the banner is up: the preferences and privacy
//     centre views with their CSS (panels.js), and their messages in that locale;
//   - "IIFE": the script-tag file, everything in one (widget.<locale>.global.js).
// `--why` also lists the biggest inputs of each IIFE. Usage: node packages/widget/scripts/size.mjs
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

import { build } from 'esbuild';

import { LOCALES, pinLocale } from './pin-locale.mjs';

const src = fileURLToPath(new URL('../src/', import.meta.url));
const why = process.argv.includes('--why');

/** As tsup.config.ts does, except that the second layer's messages stay a lazy chunk. */
const pin = (locale) => pinLocale(locale, { lazyPanels: true });

const shared = {
  entryPoints: { widget: `${src}index.ts` },
  bundle: true,
  write: false,
  minify: true,
  target: 'es2022',
  platform: 'browser',
  legalComments: 'none',
  metafile: true,
  outdir: '/virtual',
  define: { 'process.env.NODE_ENV': '"production"' },
  tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)),
  alias: {
    '@consentgate/core': fileURLToPath(new URL('../../core/src/index.ts', import.meta.url)),
  },
};

const measure = (name, bytes) => ({
  chunk: name,
  raw: bytes.length,
  gzip: gzipSync(bytes, { level: 9 }).length,
  brotli: brotliCompressSync(bytes, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: 11,
      [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
    },
  }).length,
});

/** Leaves the second layer (views and their messages) out, as the lazy chunks it is. */
const lazy = {
  name: 'second-layer-external',
  setup(b) {
    b.onResolve({ filter: /(^\.\/panels|-panels)\.js$/ }, ({ path }) => ({ path, external: true }));
  },
};

const rows = [];
for (const locale of LOCALES) {
  const banner = await build({ ...shared, format: 'esm', plugins: [pin(locale), lazy] });
  rows.push(measure(`${locale}: banner chunk`, banner.outputFiles[0].contents));
  const panels = await build({
    ...shared,
    entryPoints: [`${src}panels.ts`, `${src}messages/${locale}-panels.ts`],
    format: 'esm',
    external: ['preact', 'preact/*', '@consentgate/core'],
  });
  for (const file of panels.outputFiles) {
    rows.push(measure(`${locale}: lazy ${file.path.split('/').pop()}`, file.contents));
  }
  const iife = await build({
    ...shared,
    format: 'iife',
    globalName: 'ConsentGateWidget',
    plugins: [pin(locale)],
  });
  rows.push(measure(`${locale}: IIFE (all views)`, iife.outputFiles[0].contents));
  if (why) {
    const inputs = Object.entries(Object.values(iife.metafile.outputs)[0].inputs)
      .map(([file, { bytesInOutput }]) => [file.replace(/^.*node_modules\//, ''), bytesInOutput])
      .sort((a, b) => b[1] - a[1]);
    console.log(`\n${locale} IIFE: minified bytes per input`);
    for (const [file, size] of inputs) console.log(`${String(size).padStart(7)}  ${file}`);
  }
}
console.table(rows);
