import type { BuildOptions } from 'esbuild';

import { base } from '../../tsup.base.js';

import { LOCALES, pinLocale } from './scripts/pin-locale.mjs';

/** Production settings of the script-tag builds: minified, Preact bundled, dev checks dropped. */
function production(options: BuildOptions): void {
  options.define = { ...options.define, 'process.env.NODE_ENV': '"production"' };
  options.legalComments = 'none';
}

// More than the usual one-liner: besides the ESM build (each locale a lazy chunk), the widget
// ships one minified IIFE per locale for the script tag (STYLE §7), each pinned to its locale.
export default [
  base({ entry: ['src/index.ts'], splitting: true }),
  ...LOCALES.map((locale) =>
    base({
      entry: { [`widget.${locale}`]: 'src/index.ts' },
      format: ['iife'],
      globalName: 'ConsentGateWidget',
      dts: false,
      clean: false,
      minify: true,
      sourcemap: false,
      noExternal: [/.*/],
      esbuildPlugins: [pinLocale(locale)],
      esbuildOptions: production,
    }),
  ),
];
