import type { Plugin } from 'esbuild';

/** The locales the widget ships messages for; the IIFE builds are made once per locale. */
export declare const LOCALES: readonly ['en', 'ja'];

/**
 * Returns an esbuild plugin that replaces the widget's `load-messages.ts` with static imports of
 * `locale`, so a build that cannot split chunks (an IIFE) carries only that locale's messages.
 * `lazyPanels` keeps the second layer's messages a dynamic import.
 */
export declare function pinLocale(
  locale: (typeof LOCALES)[number],
  options?: { readonly lazyPanels?: boolean },
): Plugin;
