// The policy bench in Chromium (Debian's /usr/bin/chromium via Playwright): serves the built
// package, the committed bundle and page.js from 127.0.0.1, cross-origin isolated so that the page
// clock has 5 µs resolution, and runs the page. Never downloads a browser.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';

import { chromium } from 'playwright';

import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../scripts/chromium.mjs';

import { OUT, ROOT } from './build.mjs';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
};

/** URL prefix → folder (or file) it is served from. */
const ROUTES = [
  ['/build/', OUT],
  ['/policies/', join(ROOT, 'policies')],
  ['/bench/', join(ROOT, 'bench', 'policy')],
  [
    '/opa-wasm.js',
    join(ROOT, 'node_modules/@open-policy-agent/opa-wasm/dist/opa-wasm-browser.esm.js'),
  ],
];

const PAGE =
  '<!doctype html><meta charset="utf-8"><title>policy bench</title><body>…</body>' +
  '<script type="module" src="/bench/page.js"></script>';

function serve() {
  const server = createServer(async (req, res) => {
    const { pathname } = new URL(req.url ?? '/', 'http://127.0.0.1');
    const headers = {
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
      'Cache-Control': 'no-store',
    };
    if (pathname === '/') {
      res.writeHead(200, { ...headers, 'Content-Type': TYPES['.html'] }).end(PAGE);
      return;
    }
    const route = ROUTES.find(([prefix]) => pathname.startsWith(prefix));
    const file = route && normalize(join(route[1], pathname.slice(route[0].length)));
    if (!route || !file.startsWith(route[1])) {
      res.writeHead(404).end();
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, {
        ...headers,
        'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
      });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function run(browser, origin, query = '') {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`${origin}/${query}`);
    await page.waitForFunction(() => window.__policyBench, undefined, { timeout: 300_000 });
    const outcome = await page.evaluate(() => window.__policyBench);
    if (outcome.error) throw new Error(`bench page failed: ${outcome.error}`);
    return outcome;
  } finally {
    await context.close();
  }
}

/** Runs the cold samples and the warm measurements in Chromium and returns them. */
export async function runChromium(samples, log) {
  process.env.PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD = '1';
  const server = await serve();
  const origin = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
  });
  try {
    const cold = { load: [], bytes: [], compile: [] };
    for (const kind of ['load', 'bytes', 'compile']) {
      for (let i = 0; i < samples; i++) {
        // A fresh context is a fresh renderer process: nothing compiled, nothing cached.
        cold[kind].push((await run(browser, origin, `?cold=${kind}`)).cold);
      }
    }
    log('chromium: warm measurements');
    const warm = await run(browser, origin);
    return { cold, version: browser.version(), ...warm };
  } finally {
    await browser.close();
    server.close();
  }
}
