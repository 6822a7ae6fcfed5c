// The esbuild plugin that pins the widget to one locale, shared by the widget's tsup config, its
// size script and the script-tag build (packages/consentgate/scripts/build.mjs). Plain ESM so a
// TypeScript config and a .mjs script can both import it.
import { fileURLToPath } from 'node:url';

/** The locales the widget ships messages for; the IIFE builds are made once per locale. */
export const LOCALES = ['en', 'ja'];

/** The widget's source folder, where the pinned module's imports resolve. */
const WIDGET_SRC = fileURLToPath(new URL('../src/', import.meta.url));

/**
 * Returns an esbuild plugin that replaces the widget's `load-messages.ts` with static imports of
 * `locale`, so a build that cannot split chunks (an IIFE) carries only that locale's messages
 * instead of inlining every locale's dynamic `import()`.
 *
 * @param {(typeof LOCALES)[number]} locale
 * @param {{ lazyPanels?: boolean }} [options] `lazyPanels` keeps the second layer's messages a
 *   dynamic import (the size script measures them as their own chunk). Default: inlined.
 * @returns {import('esbuild').Plugin}
 */
export function pinLocale(locale, options = {}) {
  const lines = options.lazyPanels
    ? [
        `import { ${locale} } from './messages/${locale}.js';`,
        `export const loadMessages = () => Promise.resolve(${locale});`,
        `export const loadPanelMessages = () =>
  import('./messages/${locale}-panels.js').then((module) => module.${locale}Panels);`,
      ]
    : [
        `import { ${locale} } from './messages/${locale}.js';`,
        `import { ${locale}Panels } from './messages/${locale}-panels.js';`,
        `export const loadMessages = () => Promise.resolve(${locale});`,
        `export const loadPanelMessages = () => Promise.resolve(${locale}Panels);`,
      ];
  return {
    name: 'pin-locale',
    setup(build) {
      // The path includes widget/src, so the filter matches only the widget's module even in a
      // build that bundles other packages beside it.
      build.onLoad({ filter: /[\\/]widget[\\/]src[\\/]load-messages\.ts$/ }, () => ({
        contents: lines.join('\n'),
        loader: 'ts',
        resolveDir: WIDGET_SRC,
      }));
    },
  };
}
