import { existsSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';

import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';
import type { Connect, Plugin } from 'vite';

const root = fileURLToPath(new URL('../', import.meta.url));
const demo = fileURLToPath(new URL('./', import.meta.url));
const policyDist = `${root}policies/dist/`;

/** Workspace packages the demo imports by name; each resolves to its source, not `dist/`. */
const PACKAGES = ['core', 'policy', 'store', 'sdk', 'widget'];

/** The files of the compiled policy bundle, served under `/policy/` with their content types. */
const POLICY_FILES: Readonly<Record<string, string>> = {
  'manifest.json': 'application/json',
  'policy.wasm': 'application/wasm',
  'data.json': 'application/json',
};

/** The digest the storefront pins: read from the committed manifest when the config loads. */
const policyDigest = (
  JSON.parse(readFileSync(`${policyDist}manifest.json`, 'utf8')) as { digest: string }
).digest;

export default defineConfig({
  root: demo,
  plugins: [preact(), pageRoutes(), policyBundle(), vendorStandIns()],
  resolve: {
    alias: {
      ...Object.fromEntries(
        PACKAGES.filter((name) => existsSync(`${root}packages/${name}/src/index.ts`)).map(
          (name) => [`@consentgate/${name}`, `${root}packages/${name}/src/index.ts`],
        ),
      ),
      consentgate: `${root}packages/consentgate/src/index.ts`,
    },
  },
  define: { __POLICY_DIGEST__: JSON.stringify(policyDigest) },
  server: {
    // The playground imports the committed policy bundle from ../policies/dist as is.
    fs: { allow: [root] },
  },
  build: {
    target: 'es2022',
    rolldownOptions: {
      input: { shop: `${demo}index.html`, playground: `${demo}playground.html` },
    },
  },
});

type Middleware = (req: IncomingMessage, res: ServerResponse, next: Connect.NextFunction) => void;

/** Adds the same middleware to the dev server and to `vite preview`, ahead of Vite's own. */
function both(name: string, middleware: Middleware): Plugin {
  return {
    name,
    configureServer: (server) => void server.middlewares.use(middleware),
    configurePreviewServer: (server) => void server.middlewares.use(middleware),
  };
}

/**
 * Real URLs for every page: the storefront's routes fall through to `index.html` (Vite's SPA
 * fallback), and `/playground` is the policy playground's own page.
 */
function pageRoutes(): Plugin {
  return both('demo:page-routes', (req, _res, next) => {
    if (req.url && /^\/playground\/?(\?.*)?$/.test(req.url)) {
      req.url = req.url.replace(/^\/playground\/?/, '/playground.html');
    }
    next();
  });
}

/**
 * Serves `policies/dist` under the stable path `/policy/` in development and copies it there in
 * the build, so the storefront loads `/policy/manifest.json` and the files beside it.
 */
function policyBundle(): Plugin {
  const serve = both('demo:policy-bundle', (req, res, next) => {
    const file = /^\/policy\/([\w.]+)(\?.*)?$/.exec(req.url ?? '')?.[1];
    const type = file ? POLICY_FILES[file] : undefined;
    if (!file || !type || req.method !== 'GET') return next();
    res.setHeader('Content-Type', type);
    res.setHeader('Cache-Control', 'no-cache');
    res.end(readFileSync(`${policyDist}${file}`));
  });
  return {
    ...serve,
    generateBundle() {
      for (const file of Object.keys(POLICY_FILES)) {
        this.emitFile({
          type: 'asset',
          fileName: `policy/${file}`,
          source: readFileSync(`${policyDist}${file}`),
        });
      }
    },
  };
}

/** What the ads stand-in received, newest last; bounded, in memory, for the demo only. */
const adsInbox: unknown[] = [];

/** A transparent 1×1 GIF: the ads pixel's answer. */
const PIXEL = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

/**
 * The two third parties, served locally: an ads network (`/vendors/ads/…`: the pixel's beacon, a
 * batch endpoint speaking the collector's wire protocol, and erasure) and a support chat
 * (`/vendors/chat/…`). Their scripts are static files in `public/vendors/`.
 */
function vendorStandIns(): Plugin {
  return both('demo:vendor-stand-ins', (req, res, next) => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    const json = (status: number, body: unknown) => {
      res.statusCode = status;
      res.setHeader('Content-Type', 'application/json');
      res.setHeader('Cache-Control', 'no-store');
      res.end(JSON.stringify(body));
    };
    if (path === '/vendors/ads/pixel.gif') {
      res.setHeader('Content-Type', 'image/gif');
      res.setHeader('Cache-Control', 'no-store');
      res.end(PIXEL);
      return;
    }
    if (path === '/vendors/ads/v1/events' && req.method === 'GET') {
      json(200, { events: adsInbox });
      return;
    }
    if (path === '/vendors/ads/v1/batch' && req.method === 'POST') {
      readJson(req).then(
        (body) => {
          const batch = Array.isArray((body as { batch?: unknown } | null)?.batch)
            ? (body as { batch: unknown[] }).batch
            : [];
          adsInbox.push(...batch);
          adsInbox.splice(0, Math.max(0, adsInbox.length - 500));
          json(200, { accepted: batch.length, duplicates: 0, rejected: [] });
        },
        () => json(400, { error: 'not JSON' }),
      );
      return;
    }
    if (path === '/vendors/ads/v1/erase' && req.method === 'POST') {
      readJson(req).then(
        (body) => {
          const id = (body as { anonymousId?: unknown } | null)?.anonymousId;
          const before = adsInbox.length;
          const kept = adsInbox.filter(
            (event) => (event as { anonymousId?: unknown }).anonymousId !== id,
          );
          adsInbox.splice(0, adsInbox.length, ...kept);
          json(200, { erased: { events: before - kept.length } });
        },
        () => json(400, { error: 'not JSON' }),
      );
      return;
    }
    if (path === '/vendors/chat/v1/session' && req.method === 'POST') {
      readJson(req).then(
        () => json(200, { session: 'stand-in' }),
        () => json(400, { error: 'not JSON' }),
      );
      return;
    }
    next();
  });
}

/** Reads a small JSON body (at most 64 KiB). */
function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > 65_536) req.destroy();
      else chunks.push(chunk);
    });
    req.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown);
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
    req.on('error', reject);
  });
}
