// A Vite plugin for the browser test project: serves pages that load the BUILT script-tag files of
// `consentgate` (packages/consentgate/scripts/build.mjs, built once into memory on first request)
// with a real Content-Security-Policy header. A test describes its page with a POST to
// `${CONSENTGATE_PAGES}<id>/setup` and opens `${CONSENTGATE_PAGES}<id>/index.html` in an iframe;
// under `<id>/` the plugin also serves the chunks (optionally tampered with, or held back until
// the test releases them), the page scripts (test/support/consentgate-page-*.ts, as classic
// scripts) and a copy of the policy bundle (optionally missing or corrupted).
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { build } from 'esbuild';
import type { Plugin } from 'vite';

import { CONSENTGATE_PAGES, TAMPERED_CODE } from './consentgate-probe.js';
import type { ScriptTagPage } from './consentgate-probe.js';

interface BuildModule {
  buildScriptTag(): Promise<{
    files: Record<string, Uint8Array>;
    sri: Record<string, string>;
  }>;
}

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Returns the plugin that serves the script-tag pages. */
export function consentgatePages(): Plugin {
  let dist: ReturnType<BuildModule['buildScriptTag']> | undefined;
  const scripts = new Map<string, Promise<Uint8Array>>();
  const pages = new Map<string, ScriptTagPage>();
  const released = new Map<string, Set<string>>();
  const parked = new Map<string, (() => void)[]>();

  const built = () =>
    (dist ??= (
      import(
        pathToFileURL(`${root}packages/consentgate/scripts/build.mjs`).href
      ) as Promise<BuildModule>
    ).then((module) => module.buildScriptTag()));

  const pageScript = (name: string) => {
    let script = scripts.get(name);
    if (!script) {
      script = build({
        entryPoints: [`${root}test/support/consentgate-page-${name}.ts`],
        bundle: true,
        write: false,
        format: 'iife',
        target: 'es2022',
        logLevel: 'silent',
      }).then(({ outputFiles }) => outputFiles[0]!.contents);
      scripts.set(name, script);
    }
    return script;
  };

  return {
    name: 'consentgate:script-tag-pages',
    configureServer(server) {
      server.middlewares.use((req: IncomingMessage, res: ServerResponse, next: () => void) => {
        const { pathname } = new URL(req.url ?? '/', 'http://localhost');
        if (!pathname.startsWith(CONSENTGATE_PAGES)) {
          next();
          return;
        }
        const send = (status: number, type: string, body: string | Uint8Array) => {
          res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' });
          res.end(body);
        };
        const fail = (error: unknown) => send(500, 'text/plain', String(error));
        const rest = pathname.slice(CONSENTGATE_PAGES.length);
        if (rest === 'sri.json') {
          built()
            .then(({ sri }) => send(200, 'application/json', JSON.stringify(sri)))
            .catch(fail);
          return;
        }
        const [id = '', ...parts] = rest.split('/');
        const file = parts.join('/');
        if (req.method === 'POST') {
          readBody(req)
            .then((body) => {
              if (file === 'setup') pages.set(id, JSON.parse(body) as ScriptTagPage);
              else if (file === 'release') {
                const done = released.get(id) ?? new Set();
                done.add(body);
                released.set(id, done);
                for (const resume of parked.get(`${id}/${body}`) ?? []) resume();
                parked.delete(`${id}/${body}`);
              } else throw new Error(`no route POST ${file}`);
              send(204, 'text/plain', '');
            })
            .catch(fail);
          return;
        }
        const page = pages.get(id);
        if (!page) {
          send(404, 'text/plain', `no page ${id}`);
          return;
        }
        if (file === 'index.html') {
          built()
            .then(({ sri }) => {
              res.setHeader('Content-Security-Policy', page.csp);
              send(200, 'text/html; charset=utf-8', html(page, sri['consentgate.js'] ?? ''));
            })
            .catch(fail);
          return;
        }
        if (file.startsWith('page/')) {
          pageScript(file.slice('page/'.length, -'.js'.length))
            .then((bytes) => send(200, 'text/javascript', bytes))
            .catch(fail);
          return;
        }
        if (file.startsWith('policy/')) {
          const name = file.slice('policy/'.length);
          if (
            page.bundle === 'missing' ||
            !/^(manifest\.json|policy\.wasm|data\.json)$/.test(name)
          ) {
            send(404, 'text/plain', 'not found');
            return;
          }
          readFile(`${root}policies/dist/${name}`)
            .then((bytes) => {
              const corrupt = page.bundle === 'corrupt' && name === 'data.json';
              // Still JSON, but no longer the bytes the manifest hashed.
              const body = corrupt ? bytes.toString('utf8').replace('a', 'b') : bytes;
              send(200, name.endsWith('.wasm') ? 'application/wasm' : 'application/json', body);
            })
            .catch(fail);
          return;
        }
        built()
          .then(async ({ files }) => {
            const bytes = files[file];
            if (!bytes) {
              send(404, 'text/plain', 'not found');
              return;
            }
            if (page.hold?.includes(file) && !released.get(id)?.has(file)) {
              await new Promise<void>((resume) => {
                const key = `${id}/${file}`;
                parked.set(key, [...(parked.get(key) ?? []), resume]);
              });
            }
            send(
              200,
              'text/javascript',
              page.tamper?.includes(file)
                ? Buffer.concat([Buffer.from(TAMPERED_CODE), bytes])
                : bytes,
            );
          })
          .catch(fail);
      });
    },
  };
}

/** The page: recorder, scripts before, the tag, deferred scripts after, the host's own script. */
function html(page: ScriptTagPage, integrity: string): string {
  const nonce = page.nonce ? ` nonce="${escape(page.nonce)}"` : '';
  const script = (src: string, extra = '') => `<script src="${src}"${extra}${nonce}></script>`;
  const attributes = Object.entries(page.attributes)
    .map(([name, value]) => ` data-${name}="${escape(value)}"`)
    .join('');
  const loading = page.loading === 'blocking' ? '' : ` ${page.loading}`;
  const tag = script(
    'consentgate.js',
    `${loading} integrity="${integrity}" crossorigin="anonymous"${attributes}`,
  );
  return [
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title>',
    script('page/recorder.js'),
    ...(page.before ?? []).map((name) => script(`page/${name}.js`)),
    ...(page.twice ? [tag, tag] : [tag]),
    ...(page.after ?? []).map((name) => script(`page/${name}.js`, ' defer')),
    script('page/host.js', ' defer'),
    '</head><body><main><h1>Shop</h1>',
    '<button type="button" id="host-button">Add to cart</button><p id="host-output"></p>',
    '</main></body></html>',
  ].join('\n');
}

function escape(value: string): string {
  return value.replace(/[&"<>]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
