// A Vite plugin for the browser test project: an in-memory stand-in for the collector's
// `POST /v1/batch` (wire protocol v1) so SDK tests in real Chromium can count every request.
// Each test uses its own inbox name. Responses can be programmed (status, delay, headers) to
// exercise retries, Retry-After and withdrawals during an in-flight request.
import type { IncomingMessage, ServerResponse } from 'node:http';

import type { Plugin } from 'vite';

/** Where the fake listens: `${FAKE_COLLECTOR}<inbox>/v1/batch`. */
export const FAKE_COLLECTOR = '/__consentgate/fake-collector/';

/** One programmed answer. */
export interface FakeAnswer {
  readonly status?: number;
  readonly delayMs?: number;
  readonly headers?: Record<string, string>;
}

/** One request as the fake received it. */
export interface FakeRequest {
  readonly contentType: string;
  readonly body: unknown;
  /** False when the client went away before the fake answered (an aborted request). */
  completed: boolean;
}

interface Inbox {
  readonly requests: FakeRequest[];
  readonly answers: FakeAnswer[];
  readonly delivered: Set<string>;
  readonly erasures: unknown[];
}

/** Returns the plugin. */
export function fakeCollector(): Plugin {
  const inboxes = new Map<string, Inbox>();
  const inbox = (name: string) => {
    let found = inboxes.get(name);
    if (!found) {
      found = { requests: [], answers: [], delivered: new Set(), erasures: [] };
      inboxes.set(name, found);
    }
    return found;
  };
  return {
    name: 'consentgate:fake-collector',
    configureServer(server) {
      server.middlewares.use((req: IncomingMessage, res: ServerResponse, next: () => void) => {
        const { pathname } = new URL(req.url ?? '/', 'http://localhost');
        if (!pathname.startsWith(FAKE_COLLECTOR)) {
          next();
          return;
        }
        const [name = '', ...rest] = pathname.slice(FAKE_COLLECTOR.length).split('/');
        const route = `${req.method ?? 'GET'} /${rest.join('/')}`;
        const box = inbox(name);
        const json = (status: number, value: unknown, headers: Record<string, string> = {}) => {
          res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
          res.end(JSON.stringify(value));
        };
        if (route === 'GET /requests') {
          json(200, box.requests);
          return;
        }
        if (route === 'GET /erasures') {
          json(200, box.erasures);
          return;
        }
        if (route === 'POST /v1/erase') {
          const chunks: Buffer[] = [];
          req.on('data', (chunk: Buffer) => chunks.push(chunk));
          req.on('end', () => {
            box.erasures.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown);
            json(200, { erased: { events: 0, receipts: 0 } });
          });
          return;
        }
        if (route === 'POST /program' || route === 'POST /v1/batch') {
          const chunks: Buffer[] = [];
          req.on('data', (chunk: Buffer) => chunks.push(chunk));
          req.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            if (route === 'POST /program') {
              box.answers.push(...(JSON.parse(text) as FakeAnswer[]));
              json(200, { programmed: box.answers.length });
              return;
            }
            let body: unknown;
            try {
              body = JSON.parse(text);
            } catch {
              json(400, { error: 'not JSON' });
              return;
            }
            const request: FakeRequest = {
              contentType: req.headers['content-type'] ?? '',
              body,
              completed: false,
            };
            box.requests.push(request);
            const answer = box.answers.shift() ?? {};
            // The request stream ends (and is destroyed) once its body is read; only the
            // response's connection closing early means the client went away.
            let gone = false;
            res.on('close', () => {
              if (!res.writableFinished) gone = true;
            });
            const respond = () => {
              if (gone) return;
              const status = answer.status ?? 200;
              let duplicates = 0;
              if (status >= 200 && status < 300) {
                for (const message of (body as { batch?: { messageId: string }[] }).batch ?? []) {
                  if (box.delivered.has(message.messageId)) duplicates += 1;
                  box.delivered.add(message.messageId);
                }
              }
              request.completed = true;
              json(status, { accepted: 0, duplicates, rejected: [] }, answer.headers ?? {});
            };
            if (answer.delayMs) setTimeout(respond, answer.delayMs);
            else respond();
          });
          return;
        }
        json(404, { error: `no route ${route}` });
      });
    },
  };
}
