import { fileURLToPath } from 'node:url';

import type { BuildOptions, Plugin } from 'esbuild';

import { base } from '../../tsup.base.js';

/** The locales the IIFE builds are made for, one file each. */
const LOCALES = ['en', 'ja'] as const;

/**
 * Replaces `load-messages.ts` with a static import of one locale, so each IIFE (which cannot
 * split chunks) carries only its own messages instead of inlining every dynamic `import()`.
 */
function pinLocale(locale: (typeof LOCALES)[number]): Plugin {
  const dir = fileURLToPath(new URL('./src/', import.meta.url));
  return {
    name: 'pin-locale',
    setup(build) {
      build.onLoad({ filter: /[\\/]load-messages\.ts$/ }, () => ({
        contents: `import { ${locale} } from './messages/${locale}.js';
import { ${locale}Panels } from './messages/${locale}-panels.js';
export const loadMessages = () => Promise.resolve(${locale});
export const loadPanelMessages = () => Promise.resolve(${locale}Panels);`,
        loader: 'ts',
        resolveDir: dir,
      }));
    },
  };
}

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
