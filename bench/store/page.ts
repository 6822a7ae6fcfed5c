// The store benchmark, run inside Chromium by run.mjs (bundled with esbuild, served on 127.0.0.1).
// Every figure goes through the public API of @consentgate/store on the browser's real IndexedDB.
import { openStore } from '@consentgate/store';
import type { EventInput, Store } from '@consentgate/store';

/** One measurement, run in a page of its own; `fill-*` pages prepare the next page's database. */
export type BenchStep =
  | { readonly step: 'single'; readonly count: number }
  | { readonly step: 'batched'; readonly count: number; readonly batchSize: number }
  | { readonly step: 'raw-batched'; readonly count: number; readonly batchSize: number }
  | {
      readonly step: 'fill';
      readonly db: string;
      readonly count: number;
      /** `sweep`: spread over four purposes; `purge`: all marketing, plus as many analytics. */
      readonly shape: 'sweep' | 'purge';
      /** Give each purged record an outbox entry. */
      readonly outbox: boolean;
    }
  | {
      readonly step: 'sweep';
      readonly db: string;
      readonly count: number;
      readonly batchSize: number;
    }
  | { readonly step: 'purge'; readonly db: string; readonly count: number }
  | { readonly step: 'idle'; readonly durationMs: number };

/** What a step measured. */
export interface StepResult {
  /** Events per second, or milliseconds for sweep and purge. */
  readonly value: number;
  /** Sweep only: transactions used. */
  readonly batches?: number;
  /** Sweep and idle: longest `longtask` entry (0 when none; none is ≥ 50 ms by definition). */
  readonly longestTaskMs?: number;
  /** Sweep and idle: longest time the event loop could not answer a posted message. */
  readonly longestGapMs?: number;
}

declare global {
  interface Window {
    runStep(step: BenchStep): Promise<StepResult>;
    longtaskSupported: boolean;
  }
}

const DAY = 86_400_000;
const PURPOSES = ['analytics', 'marketing', 'personalization', 'essential'];

let time = Date.UTC(2025, 10, 24);
const now = () => time;

function records(count: number, prefix: string, purpose?: string): EventInput[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `${prefix}-${i}`,
    name: 'Product Viewed',
    purpose: purpose ?? PURPOSES[i % PURPOSES.length] ?? 'analytics',
    fields: { sku: `SKU-${i % 977}`, price: (i % 300) * 100, path: `/products/${i % 977}` },
    expiresAt: time + DAY + (i % 1000),
    policyDigest: 'f'.repeat(64),
  }));
}

async function open(name: string, sweepBatchSize = 500): Promise<Store> {
  const opened = await openStore(name, {
    now,
    sweepIntervalMs: 0,
    sweepBatchSize,
    memoryFallback: false,
  });
  if (!opened.ok) throw opened.error;
  return opened.value;
}

async function fill(store: Store, inputs: readonly EventInput[], batch = 2000): Promise<void> {
  for (let i = 0; i < inputs.length; i += batch) {
    const put = await store.events.put(inputs.slice(i, i + batch));
    if (!put.ok) throw put.error;
  }
}

async function drop(store: Store, name: string): Promise<void> {
  store.close();
  await new Promise<void>((resolve) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = request.onerror = request.onblocked = () => resolve();
  });
}

function unique(label: string): string {
  return `bench-${label}-${crypto.randomUUID()}`;
}

async function writeSingle(count: number): Promise<StepResult> {
  const name = unique('single');
  const store = await open(name);
  const inputs = records(count, 'single');
  const start = performance.now();
  for (const input of inputs) {
    const put = await store.events.put([input]);
    if (!put.ok) throw put.error;
  }
  const value = count / ((performance.now() - start) / 1000);
  await drop(store, name);
  return { value };
}

async function writeBatched(count: number, batchSize: number): Promise<StepResult> {
  const name = unique('batched');
  const store = await open(name);
  const inputs = records(count, 'batched');
  const start = performance.now();
  await fill(store, inputs, batchSize);
  const value = count / ((performance.now() - start) / 1000);
  await drop(store, name);
  return { value };
}

/**
 * The same records and transactions straight through IndexedDB, with the store's key path and
 * index, no validation and no consent check: the ceiling the store's batched writes are held to.
 */
async function writeRaw(count: number, batchSize: number): Promise<StepResult> {
  const name = unique('raw');
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open(name, 1);
    request.onupgradeneeded = () => {
      const events = request.result.createObjectStore('events', {
        keyPath: ['purpose', 'expiresAt', 'id'],
      });
      events.createIndex('expiresAt', 'expiresAt');
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('open failed'));
  });
  const inputs = records(count, 'raw').map((input) => ({ ...input, createdAt: time }));
  const start = performance.now();
  for (let i = 0; i < inputs.length; i += batchSize) {
    const tx = db.transaction('events', 'readwrite', { durability: 'strict' });
    const events = tx.objectStore('events');
    for (const input of inputs.slice(i, i + batchSize)) events.put(input);
    await new Promise((resolve, reject) => {
      tx.oncomplete = resolve;
      tx.onabort = () => reject(tx.error ?? new Error('aborted'));
    });
  }
  const value = count / ((performance.now() - start) / 1000);
  db.close();
  indexedDB.deleteDatabase(name);
  return { value };
}

/** Measures the longest stretch the event loop could not answer a posted message. */
function gapMonitor(): { stop(): number } {
  const channel = new MessageChannel();
  let last = performance.now();
  let longest = 0;
  let running = true;
  channel.port1.onmessage = () => {
    const current = performance.now();
    longest = Math.max(longest, current - last);
    last = current;
    if (running) channel.port2.postMessage(null);
  };
  channel.port2.postMessage(null);
  return {
    stop() {
      running = false;
      channel.port1.close();
      return longest;
    },
  };
}

/** Fills `db` for the sweep or purge step of the next page. */
async function prepare(
  db: string,
  count: number,
  shape: 'sweep' | 'purge',
  outbox: boolean,
): Promise<StepResult> {
  const store = await open(db);
  const inputs =
    shape === 'purge'
      ? [...records(count, 'doomed', 'marketing'), ...records(count, 'kept', 'analytics')]
      : records(count, 'sweep');
  await fill(store, inputs);
  if (outbox) {
    const doomed = inputs.slice(0, count);
    for (let i = 0; i < doomed.length; i += 2000) {
      const entries = doomed.slice(i, i + 2000).map((input) => ({
        event: { id: input.id ?? '', purpose: input.purpose, expiresAt: input.expiresAt },
        destination: 'collector',
      }));
      const enqueued = await store.outbox.enqueue(entries);
      if (!enqueued.ok) throw enqueued.error;
    }
  }
  store.close();
  return { value: count };
}

/** Watches the main thread while `work` runs: its duration, longest task and longest gap. */
async function watch<T>(work: () => Promise<T>) {
  let longestTaskMs = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) longestTaskMs = Math.max(longestTaskMs, entry.duration);
  });
  if (window.longtaskSupported) observer.observe({ type: 'longtask' });
  const monitor = gapMonitor();
  const start = performance.now();
  const outcome = await work();
  const value = performance.now() - start;
  const longestGapMs = monitor.stop();
  // Long tasks are delivered after they end; give the observer its turn before reading.
  await new Promise((resolve) => setTimeout(resolve, 100));
  observer.disconnect();
  return { outcome, value, longestTaskMs, longestGapMs };
}

async function sweep(db: string, count: number, batchSize: number): Promise<StepResult> {
  const store = await open(db, batchSize);
  // Let the sweep at open finish (nothing has expired yet), then move the clock past every expiry.
  await store.sweep();
  time += 2 * DAY;
  const { outcome: report, ...watched } = await watch(() => store.sweep());
  if (!report.ok) throw report.error;
  const expired = report.value.expired.reduce((sum, { count: n }) => sum + n, 0);
  if (expired !== count) throw new Error(`swept ${expired} of ${count}`);
  await drop(store, db);
  return { ...watched, batches: report.value.batches };
}

/**
 * The control for the sweep's long tasks: the same watch over a page doing nothing. On a busy
 * machine the main thread is descheduled now and then, and that shows here as well.
 */
async function idle(durationMs: number): Promise<StepResult> {
  const { outcome: _, ...watched } = await watch(
    () => new Promise((resolve) => setTimeout(resolve, durationMs)),
  );
  return watched;
}

async function purge(db: string, count: number): Promise<StepResult> {
  const store = await open(db);
  await store.sweep();
  const start = performance.now();
  const report = await store.purge('marketing');
  const value = performance.now() - start;
  if (!report.ok) throw report.error;
  if (report.value.events !== count) throw new Error(`purged ${report.value.events} of ${count}`);
  await drop(store, db);
  return { value };
}

window.longtaskSupported = PerformanceObserver.supportedEntryTypes.includes('longtask');

window.runStep = (step) => {
  switch (step.step) {
    case 'single':
      return writeSingle(step.count);
    case 'batched':
      return writeBatched(step.count, step.batchSize);
    case 'raw-batched':
      return writeRaw(step.count, step.batchSize);
    case 'fill':
      return prepare(step.db, step.count, step.shape, step.outbox);
    case 'sweep':
      return sweep(step.db, step.count, step.batchSize);
    case 'purge':
      return purge(step.db, step.count);
    case 'idle':
      return idle(step.durationMs);
  }
};
