// Size budgets (brotli), checked by `npm run size` in `npm test`. One entry per named import set
// a site actually loads up front; lazily imported chunks are measured as their own entries.
//
// Budgets start from STYLE §7. Where a package ships more than that table assumed, the budget was
// raised to what it measures plus a little headroom, with the reason beside it: lower a budget
// whenever you beat it, and explain any raise here and in the commit.

/** Marks `import()` targets external, so an entry is measured without its lazy chunks. */
const lazyChunksExcluded = (config) => ({
  ...config,
  plugins: [
    ...(config.plugins ?? []),
    {
      name: 'lazy-chunks-excluded',
      setup(build) {
        build.onResolve({ filter: /.*/ }, (args) =>
          args.kind === 'dynamic-import' ? { path: args.path, external: true } : undefined,
        );
      },
    },
  ],
});

export default [
  {
    name: '@consentgate/core { createEmitter, ok, err, ConsentGateError, sha256Hex }',
    path: 'packages/core/src/index.ts',
    import: '{ createEmitter, ok, err, ConsentGateError, isConsentGateError, sha256Hex }',
    limit: '1.5 kB',
  },
  {
    // Raised from 2.5 kB: besides idb (1.3 kB) it carries the memory fallback, quota eviction,
    // reconnects, the hash-chained consent log, AES-GCM sealing and the export document.
    name: '@consentgate/store { openStore }',
    path: 'packages/store/src/index.ts',
    import: '{ openStore }',
    modifyEsbuildConfig: lazyChunksExcluded,
    limit: '10.5 kB',
  },
  {
    // Raised from 1.5 kB: the wrapper pulls core's error table and Result helpers (≈0.8 kB).
    name: '@consentgate/policy { loadPolicy } (engine chunk excluded)',
    path: 'packages/policy/src/index.ts',
    import: '{ loadPolicy }',
    modifyEsbuildConfig: lazyChunksExcluded,
    limit: '2.5 kB',
  },
  {
    // Raised from 6 kB: the sender (locks, batching, retries), tag activation, Consent Mode and
    // normalisation all ship with createTracker; splitting them out is tracked as follow-up work.
    // Raised from 10.5 kB (issue 10): cutting the 670-line closure into modules costs property
    // names the minifier cannot shorten (9.77 → 10.57 kB); to be won back, see the issue note.
    name: '@consentgate/sdk { createTracker } (engine excluded)',
    path: 'packages/sdk/src/index.ts',
    import: '{ createTracker }',
    modifyEsbuildConfig: lazyChunksExcluded,
    limit: '10.65 kB',
  },
  {
    // Raised from 10.5 kB (issue 10): the banner now follows consent written by other parties
    // (the tracker, other tabs) and the closure became modules (9.97 → 10.88 kB); to be won back.
    name: '@consentgate/widget { createWidget } (banner; panels and locales lazy)',
    path: 'packages/widget/src/index.ts',
    import: '{ createWidget }',
    modifyEsbuildConfig: lazyChunksExcluded,
    limit: '10.95 kB',
  },
  {
    name: 'consentgate.js (script-tag bootstrap)',
    path: 'packages/consentgate/dist/consentgate.js',
    limit: '2 kB',
  },
  {
    name: 'consentgate.runtime.js',
    path: 'packages/consentgate/dist/consentgate.runtime.js',
    limit: '23 kB',
  },
  {
    name: 'consentgate.engine.js',
    path: 'packages/consentgate/dist/consentgate.engine.js',
    limit: '7 kB',
  },
  {
    name: 'consentgate.widget.en.js',
    path: 'packages/consentgate/dist/consentgate.widget.en.js',
    limit: '13 kB',
  },
  {
    // Raised from 13 kB with the widget entry above (12.5 → 13.34 kB).
    name: 'consentgate.widget.ja.js',
    path: 'packages/consentgate/dist/consentgate.widget.ja.js',
    limit: '13.4 kB',
  },
];
