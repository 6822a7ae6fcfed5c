import { fileURLToPath } from 'node:url';

import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('../', import.meta.url));

export default defineConfig({
  plugins: [preact()],
  resolve: {
    alias: { '@consentgate/core': `${root}packages/core/src/index.ts` },
  },
  server: {
    // The committed policy bundle lives in ../policies/dist and is served from there as is.
    fs: { allow: [root] },
  },
  build: { target: 'es2022' },
});
