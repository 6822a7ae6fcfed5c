// A Vite plugin for the browser test project: serves two pages whose only difference is the
// Content-Security-Policy header, one without 'wasm-unsafe-eval' (WebAssembly blocked) and one
// with it. Each page loads test/support/policy-csp-probe.ts, which loads the committed policy
// bundle with @consentgate/policy and reports to its parent with postMessage.
import type { Plugin } from 'vite';

/** Where the pages are served; `${POLICY_CSP_PAGES}blocked.html` and `allowed.html`. */
export const POLICY_CSP_PAGES = '/__consentgate/policy-csp/';

/** The CSP of each page. Neither allows inline script or eval; only `allowed` allows wasm. */
export const POLICY_CSP = {
  blocked: "script-src 'self'",
  allowed: "script-src 'self' 'wasm-unsafe-eval'",
} as const;

const PAGE =
  '<!doctype html><meta charset="utf-8"><title>policy CSP probe</title>' +
  '<script type="module" src="/test/support/policy-csp-probe.ts"></script>';

/** Returns the plugin that serves the CSP probe pages. */
export function policyCspPages(): Plugin {
  return {
    name: 'consentgate:policy-csp-pages',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const { pathname } = new URL(req.url ?? '/', 'http://localhost');
        const page = pathname.startsWith(POLICY_CSP_PAGES)
          ? pathname.slice(POLICY_CSP_PAGES.length).replace(/\.html$/, '')
          : '';
        if (page !== 'blocked' && page !== 'allowed') {
          next();
          return;
        }
        res.setHeader('Content-Type', 'text/html; charset=utf-8');
        res.setHeader('Content-Security-Policy', POLICY_CSP[page]);
        res.setHeader('Cache-Control', 'no-store');
        res.end(PAGE);
      });
    },
  };
}
