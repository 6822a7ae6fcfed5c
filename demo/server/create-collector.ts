import { readFile } from 'node:fs/promises';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';

import { err, MAX_BATCH_BYTES, ok } from '@consentgate/core';
import type { Result, WireAnswer, WireRejection } from '@consentgate/core';

import { CollectorError, CollectorErrorCode } from './collector-error.js';
import { createStore } from './create-store.js';
import type { CollectorStore } from './create-store.js';
import { describeError, openDatabase } from './database.js';
import type { Database } from './database.js';
import { loadCollectorPolicy } from './load-collector-policy.js';
import { migrate } from './migrate.js';
import { isId, parseBatch, parseErase, parseJsonBody } from './parse-batch.js';
import { readBody } from './read-body.js';
import { renderPage, STYLESHEET_PATH } from './render-page.js';
import { verifyEvent } from './verify-event.js';
import type { CollectorPolicy, Rejection } from './verify-event.js';
import type { ValidEvent } from './parse-batch.js';

/** Options for {@link createCollector}. */
export interface CollectorOptions {
  /**
   * A database to use instead of opening one; the caller keeps ownership (`close()` leaves it
   * open). Its schema is migrated at start.
   *
   * @default undefined
   */
  database?: Database | undefined;
  /**
   * A `postgres://` URL: store in a PostgreSQL server (with `pg`) instead of embedded PGlite.
   *
   * @default undefined
   */
  databaseUrl?: string | undefined;
  /**
   * Where embedded PGlite keeps its files; ignored with `database` or `databaseUrl`.
   *
   * @default undefined (in memory: lost on close)
   */
  dataDir?: string | undefined;
  /**
   * The folder of the compiled policy bundle (`manifest.json`, `policy.wasm`, `data.json`).
   *
   * @default the checkout's `policies/dist/`
   */
  policyDir?: string | URL | undefined;
  /**
   * Pins the bundle digest (64 hex or `sha256-<base64>`); another bundle is refused (fail
   * closed).
   *
   * @default undefined (the bundle is checked against its own manifest only)
   */
  policyDigest?: string | undefined;
  /**
   * Page origins whose browsers may call the collector. Cross-origin reads are allowed only for
   * them, and a POST carrying any other `Origin` is refused with 403.
   *
   * @default {@link DEFAULT_ALLOWED_ORIGINS}
   */
  allowedOrigins?: readonly string[] | undefined;
  /**
   * The destination id the collector stands for in the policy catalog.
   *
   * @default 'collector'
   */
  destination?: string | undefined;
  /**
   * The largest request body in bytes; larger ones get 413.
   *
   * @default {@link MAX_BODY_BYTES} (64 KiB batches plus 4 KiB slack)
   */
  maxBodyBytes?: number | undefined;
  /**
   * The clock (epoch ms), for `received_at` and the policy input.
   *
   * @default Date.now
   */
  now?: (() => number) | undefined;
  /**
   * Receives one line per notable thing (policy unavailable, database errors). Never receives
   * property values.
   *
   * @default console.log
   */
  log?: ((line: string) => void) | undefined;
}

/** A collector ready to be mounted on a `node:http` server. */
export interface Collector {
  /** The request listener: `http.createServer(collector.handler)`. */
  readonly handler: RequestListener;
  /** The policy in force, or why there is none. */
  readonly policy: CollectorPolicy;
  /** The database it stores into. */
  readonly database: Database;
  /** Releases the policy and closes the database (unless it was passed in). */
  close(): Promise<void>;
}

/** Origins of the demo storefront (`vite` dev server and `vite preview`). */
export const DEFAULT_ALLOWED_ORIGINS: readonly string[] = [
  'http://127.0.0.1:5173',
  'http://localhost:5173',
  'http://127.0.0.1:4173',
];

/** The largest request body: the wire protocol's batch limit (`MAX_BATCH_BYTES`) plus 4 KiB. */
export const MAX_BODY_BYTES = MAX_BATCH_BYTES + 4 * 1024;

/** The most events one batch may hold (a 64 KiB batch of real events holds a few hundred). */
export const MAX_BATCH_EVENTS = 500;

/** Seconds a client should wait before retrying after a 503. */
const RETRY_AFTER_SECONDS = 5;
/** `GET /v1/events` page size when `limit` is absent, and its maximum. */
const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 500;
/** How many recent events and rejections the page lists. */
const PAGE_ROWS = 50;

/** The HTML page's policy: nothing but its own stylesheet. */
const PAGE_CSP = "default-src 'none'; style-src 'self'";
/** Everything else: nothing at all. */
const API_CSP = "default-src 'none'; frame-ancestors 'none'";

/** Methods per path; HEAD is served wherever GET is. */
const ROUTES: Readonly<Record<string, readonly string[]>> = {
  '/v1/batch': ['POST'],
  '/v1/erase': ['POST'],
  '/v1/events': ['GET', 'HEAD'],
  '/v1/stats': ['GET', 'HEAD'],
  '/healthz': ['GET', 'HEAD'],
  '/': ['GET', 'HEAD'],
  [STYLESHEET_PATH]: ['GET', 'HEAD'],
};

const DEFAULT_POLICY_DIR = new URL('../../policies/dist/', import.meta.url);

/**
 * Opens the database (migrating its schema), loads and verifies the policy bundle, and returns
 * a {@link Collector}. Resolves to an error only when the database cannot be used or an option
 * is invalid; a policy that fails to load still gives a collector, one that rejects every event
 * with `policy-unavailable` and reports it on `/healthz`.
 *
 * @example
 * ```ts
 * const collector = await createCollector({ dataDir: 'demo/.data/collector' });
 * if (!collector.ok) throw collector.error;
 * http.createServer(collector.value.handler).listen(8787, '127.0.0.1');
 * ```
 */
export async function createCollector(
  options: CollectorOptions = {},
): Promise<Result<Collector, CollectorError>> {
  const {
    policyDir = DEFAULT_POLICY_DIR,
    allowedOrigins = DEFAULT_ALLOWED_ORIGINS,
    destination = 'collector',
    maxBodyBytes = MAX_BODY_BYTES,
    now = Date.now,
    log = (line: string) => console.log(line),
  } = options;
  if (!Number.isSafeInteger(maxBodyBytes) || maxBodyBytes < 1) {
    return err(invalid('maxBodyBytes must be a positive integer'));
  }
  if (typeof destination !== 'string' || destination === '') {
    return err(invalid('destination must be a non-empty string'));
  }

  let database = options.database;
  if (database === undefined) {
    const opened = await openDatabase({
      url: options.databaseUrl,
      dataDir: options.dataDir,
      onError: (error) => log(`collector: database connection error: ${describeError(error)}`),
    });
    if (!opened.ok) return opened;
    database = opened.value;
  }
  const db = database;
  const owned = options.database === undefined;
  try {
    await migrate(db);
  } catch (cause) {
    if (owned) await db.close().catch(() => {});
    return err(
      new CollectorError(
        CollectorErrorCode.DatabaseUnavailable,
        `the database schema could not be migrated: ${describeError(cause)}`,
        { cause },
      ),
    );
  }

  const policy = await loadCollectorPolicy(policyDir, { digest: options.policyDigest });
  if (!policy.ready) log(`collector: policy unavailable, rejecting every event: ${policy.error}`);
  const stylesheet = await readFile(new URL('./collector.css', import.meta.url), 'utf8').catch(
    () => '',
  );
  const store = createStore(db);
  const context: HandlerContext = {
    store,
    policy,
    allowed: new Set(allowedOrigins),
    destination,
    maxBodyBytes,
    now,
    log,
    stylesheet,
  };
  return ok({
    handler: (request, response) => {
      handle(context, request, response).catch((error: unknown) => {
        log(`collector: unexpected error: ${describeError(error)}`);
        if (!response.headersSent) send(response, 500, { error: 'internal-error' });
        else response.destroy();
      });
    },
    policy,
    database: db,
    async close() {
      if (policy.ready) policy.policy.dispose();
      if (owned) await db.close();
    },
  });
}

interface HandlerContext {
  readonly store: CollectorStore;
  readonly policy: CollectorPolicy;
  readonly allowed: ReadonlySet<string>;
  readonly destination: string;
  readonly maxBodyBytes: number;
  readonly now: () => number;
  readonly log: (line: string) => void;
  readonly stylesheet: string;
}

async function handle(
  context: HandlerContext,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const method = request.method ?? 'GET';
  let url: URL;
  try {
    url = new URL(`http://localhost${request.url?.startsWith('/') ? request.url : '/'}`);
  } catch {
    return send(response, 400, { error: 'bad-request-target' });
  }
  const origin = request.headers.origin;
  const allowedOrigin = origin !== undefined && context.allowed.has(origin);
  response.setHeader('Vary', 'Origin');
  response.setHeader('X-Content-Type-Options', 'nosniff');
  response.setHeader('Referrer-Policy', 'no-referrer');
  response.setHeader('Cache-Control', 'no-store');
  response.setHeader('Content-Security-Policy', API_CSP);
  if (allowedOrigin) response.setHeader('Access-Control-Allow-Origin', origin);

  const methods = Object.hasOwn(ROUTES, url.pathname) ? ROUTES[url.pathname] : undefined;
  if (methods === undefined) return send(response, 404, { error: 'not-found' });
  if (method === 'OPTIONS') return preflight(request, response, methods, origin, allowedOrigin);
  if (!methods.includes(method)) {
    response.setHeader('Allow', [...methods, 'OPTIONS'].join(', '));
    return send(response, 405, { error: 'method-not-allowed' });
  }
  if (method === 'POST' && origin !== undefined && !allowedOrigin) {
    return send(response, 403, { error: 'origin-not-allowed' });
  }

  switch (url.pathname) {
    case '/v1/batch':
      return receiveBatch(context, request, response);
    case '/v1/erase':
      return receiveErase(context, request, response);
    case '/v1/events':
      return listEvents(context, url, response);
    case '/v1/stats':
      return withDatabase(context, response, async () =>
        send(response, 200, await context.store.stats()),
      );
    case '/healthz':
      return health(context, response);
    case STYLESHEET_PATH:
      response.setHeader('Cache-Control', 'no-cache');
      return sendText(response, 200, context.stylesheet, 'text/css; charset=utf-8');
    default:
      return page(context, response);
  }
}

function preflight(
  request: IncomingMessage,
  response: ServerResponse,
  methods: readonly string[],
  origin: string | undefined,
  allowedOrigin: boolean,
): void {
  const allow = [...methods, 'OPTIONS'].join(', ');
  response.setHeader('Allow', allow);
  if (origin === undefined) return end(response, 204);
  const asked = request.headers['access-control-request-method'];
  if (!allowedOrigin || (asked !== undefined && !methods.includes(asked))) {
    return send(response, 403, { error: 'origin-not-allowed' });
  }
  response.setHeader('Access-Control-Allow-Methods', allow);
  response.setHeader('Access-Control-Allow-Headers', 'Content-Type');
  response.setHeader('Access-Control-Max-Age', '600');
  end(response, 204);
}

/** Reads and parses a JSON request body, answering 415/413/400 itself; null when it did. */
async function readJson(
  context: HandlerContext,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<{ value: unknown } | null> {
  // text/plain is what sendBeacon and no-preflight fetch send; anything but UTF-8 is refused.
  const type = /^\s*(application\/json|text\/plain)\s*(;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;
  if (!type.test(request.headers['content-type'] ?? '')) {
    send(response, 415, { error: 'send application/json or text/plain (UTF-8)' });
    return null;
  }
  const body = await readBody(request, context.maxBodyBytes);
  if (!body.ok) {
    if (body.error === 'too-large') {
      // The rest of the body stays unread; the connection is closed instead of drained.
      response.setHeader('Connection', 'close');
      send(response, 413, { error: `the body is larger than ${context.maxBodyBytes} bytes` });
    } else {
      response.destroy();
    }
    return null;
  }
  const parsed = parseJsonBody(body.value);
  if (!parsed.ok) {
    send(response, 400, { error: parsed.error });
    return null;
  }
  return { value: parsed.value };
}

async function receiveBatch(
  context: HandlerContext,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const json = await readJson(context, request, response);
  if (json === null) return;
  const envelope = parseBatch(json.value);
  if (!envelope.ok) return send(response, 400, { error: envelope.error });
  const { batch, receipt, sentAt } = envelope.value;
  if (batch.length > MAX_BATCH_EVENTS) {
    return send(response, 400, { error: `a batch holds at most ${MAX_BATCH_EVENTS} events` });
  }
  const now = context.now();
  const events: ValidEvent[] = [];
  const rejected: Rejection[] = [];
  for (const raw of batch) {
    const verdict = verifyEvent(raw, {
      receipt,
      policy: context.policy,
      destination: context.destination,
      now,
    });
    if (verdict.accepted) events.push(verdict.event);
    else rejected.push(verdict.rejection);
  }
  return withDatabase(context, response, async () => {
    const outcome = await context.store.recordBatch({
      receipt,
      events,
      rejected,
      sentAt,
      receivedAt: new Date(now).toISOString(),
    });
    const answer: WireAnswer & { readonly duplicates: number } = {
      accepted: outcome.accepted,
      duplicates: outcome.duplicates,
      rejected: outcome.rejected.map(({ messageId, reasons }): WireRejection =>
        messageId === null ? { reasons } : { messageId, reasons },
      ),
    };
    send(response, 200, answer);
  });
}

async function receiveErase(
  context: HandlerContext,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const json = await readJson(context, request, response);
  if (json === null) return;
  const erase = parseErase(json.value);
  if (!erase.ok) return send(response, 400, { error: erase.error });
  return withDatabase(context, response, async () => {
    const erased = await context.store.erase({
      anonymousId: erase.value.anonymousId ?? null,
      receiptIds: erase.value.receiptIds,
      erasedAt: new Date(context.now()).toISOString(),
    });
    send(response, 200, { erased });
  });
}

function listEvents(context: HandlerContext, url: URL, response: ServerResponse): Promise<void> {
  const anonymousId = url.searchParams.get('anonymousId');
  const limitText = url.searchParams.get('limit');
  const limit = limitText === null ? DEFAULT_LIMIT : Number(limitText);
  if (!/^\d+$/.test(limitText ?? '1') || !Number.isSafeInteger(limit) || limit < 1) {
    send(response, 400, { error: `"limit" must be an integer from 1 to ${MAX_LIMIT}` });
    return Promise.resolve();
  }
  if (anonymousId !== null && !isId(anonymousId)) {
    send(response, 400, { error: '"anonymousId" must be a non-empty string' });
    return Promise.resolve();
  }
  return withDatabase(context, response, async () => {
    const events = await context.store.listEvents({
      anonymousId,
      limit: Math.min(limit, MAX_LIMIT),
    });
    send(response, 200, { events });
  });
}

async function health(context: HandlerContext, response: ServerResponse): Promise<void> {
  if (!context.policy.ready) {
    return sendText(response, 503, `policy-unavailable: ${context.policy.error}\n`);
  }
  try {
    await context.store.ping();
  } catch (error) {
    context.log(`collector: database error: ${describeError(error)}`);
    response.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    return sendText(response, 503, 'database-unavailable\n');
  }
  sendText(response, 200, 'ok\n');
}

async function page(context: HandlerContext, response: ServerResponse): Promise<void> {
  const { store, policy } = context;
  let html: string;
  try {
    const [events, rejections, stats] = await Promise.all([
      store.listEvents({ limit: PAGE_ROWS }),
      store.listRejections(PAGE_ROWS),
      store.stats(),
    ]);
    html = renderPage({
      events,
      rejections,
      stats,
      policyError: policy.ready ? null : policy.error,
      digest: policy.ready ? policy.digest : null,
    });
  } catch (error) {
    context.log(`collector: database error: ${describeError(error)}`);
    response.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    return sendText(response, 503, 'database-unavailable\n');
  }
  response.setHeader('Content-Security-Policy', PAGE_CSP);
  sendText(response, 200, html, 'text/html; charset=utf-8');
}

/** Runs a database step; on failure answers 503 with `Retry-After` (the SDK retries). */
async function withDatabase(
  context: HandlerContext,
  response: ServerResponse,
  step: () => Promise<void>,
): Promise<void> {
  try {
    await step();
  } catch (error) {
    context.log(`collector: database error: ${describeError(error)}`);
    response.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    send(response, 503, { error: 'database-unavailable' });
  }
}

function send(response: ServerResponse, status: number, body: unknown): void {
  sendText(response, status, JSON.stringify(body), 'application/json; charset=utf-8');
}

function sendText(
  response: ServerResponse,
  status: number,
  body: string,
  type = 'text/plain; charset=utf-8',
): void {
  if (response.headersSent || response.destroyed) return;
  response.statusCode = status;
  response.setHeader('Content-Type', type);
  response.setHeader('Content-Length', Buffer.byteLength(body));
  response.end(body);
}

function end(response: ServerResponse, status: number): void {
  response.statusCode = status;
  response.end();
}

function invalid(message: string): CollectorError {
  return new CollectorError(CollectorErrorCode.InvalidOptions, message);
}
