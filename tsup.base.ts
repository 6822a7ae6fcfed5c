import type { Options } from 'tsup';

/**
 * Builds a package's tsup config from the shared defaults: ESM plus `.d.ts`, ES2022, tree-shaken,
 * with source maps, into a cleaned `dist/`.
 *
 * Each package's `tsup.config.ts` stays a one-liner on top of this, so moving to another bundler
 * (tsup is unmaintained; tsdown is its suggested successor) touches this file only.
 *
 * @param overrides - Per-package options; `entry` at minimum. They replace the defaults key by key.
 * @returns The tsup options for one package.
 *
 * @example
 * ```ts
 * export default base({ entry: ['src/index.ts'] });
 * ```
 */
export function base(overrides: Options): Options {
  return {
    format: ['esm'],
    dts: true,
    target: 'es2022',
    platform: 'browser',
    clean: true,
    treeshake: true,
    sourcemap: true,
    tsconfig: 'tsconfig.json',
    ...overrides,
  };
}
