// The SDK benchmark, run inside Chromium by run.mjs (bundled with esbuild, served on 127.0.0.1,
// cross-origin isolated so that performance.now() has 5 µs resolution). ConsentGate runs on the
// committed policy bundle and the browser's real IndexedDB; the peer, Segment's analytics-next,
// runs in the same page build with settings given inline and its one destination pointed at the
// bench server, so neither makes a request beyond 127.0.0.1.
import { AnalyticsBrowser } from '@segment/analytics-next';
import type { Analytics } from '@segment/analytics-next';

import type { CollectRecord, ConsentState, PolicyInput } from '@consentgate/core';
import { loadPolicy } from '@consentgate/policy';
import type { Policy } from '@consentgate/policy';
import { createTracker, minimise, normaliseEvent } from '@consentgate/sdk';
import type { Tracker, TrackResult } from '@consentgate/sdk';
import { openStore } from '@consentgate/store';
import type { EventInput, Store } from '@consentgate/store';

/** One measurement, run in a page of its own. */
export type SdkBenchStep =
  | { readonly step: 'sync'; readonly subject: Subject; readonly calls: number }
  | { readonly step: 'throughput'; readonly subject: Subject; readonly events: number }
  | {
      readonly step: 'paced';
      readonly subject: Subject;
      readonly rate: number;
      readonly durationMs: number;
    }
  | { readonly step: 'idle'; readonly durationMs: number }
  | { readonly step: 'profile'; readonly events: number; readonly batchSize: number };

/** `cg` is ConsentGate's tracker, `peer` is analytics-next. */
export type Subject = 'cg' | 'peer';

declare global {
  interface Window {
    sdkBenchRun(step: SdkBenchStep): Promise<Record<string, unknown>>;
  }
}

const SALT = 'bench-site-salt-0123456789';
const WRITE_KEY = 'bench-write-key';

/** A storefront session, cycled: mostly browsing, now and then a cart, a checkout, an order. */
function storefrontEvent(i: number): [name: string, properties: Record<string, unknown>] {
  const sku = `SKU-${(i * 7919) % 977}`;
  const price = ((i * 31) % 90) * 100 + 500;
  switch (i % 10) {
    case 0:
    case 5:
      return [
        'Page Viewed',
        {
          path: `/products/${sku.toLowerCase()}`,
          title: `Tea cup ${sku}`,
          referrer: `https://search.example/?q=${i % 50}`,
        },
      ];
    case 1:
    case 2:
    case 6:
    case 7:
      return [
        'Product Viewed',
        { sku, name: `Tea cup ${sku}`, category: 'tableware', price, currency: 'JPY' },
      ];
    case 3:
      return ['Product Added', { sku, quantity: 1 + (i % 3), price, currency: 'JPY' }];
    case 4:
      return [
        'Checkout Started',
        {
          value: price * 2,
          currency: 'JPY',
          item_count: 2,
          name: '山田 太郎',
          email: `Taro${i % 100}@Example.jp`,
          phone: '03-1234-5678',
          address: '東京都千代田区千代田1-1',
          postal_code: '100-0001',
          note: 'please ring twice',
        },
      ];
    case 8:
      return [
        'Order Completed',
        {
          order_id: `o-${i}`,
          revenue: price * 2,
          currency: 'JPY',
          item_count: 2,
          email: `taro${i % 100}@example.jp`,
          postal_code: '100-0001',
        },
      ];
    default:
      return ['Page Engagement', { path: `/products/${sku}`, dwell_ms: 12_000, scroll_depth: 60 }];
  }
}

// ---------------------------------------------------------------------------------------------
// Setup

interface ConsentGateRig {
  readonly tracker: Tracker;
  readonly store: Store;
  readonly policy: Policy;
  readonly dbName: string;
}

async function openConsentGate(): Promise<ConsentGateRig> {
  const dbName = `bench-sdk-${crypto.randomUUID()}`;
  const policy = await loadPolicy('/policies/dist/manifest.json');
  if (policy.error) throw policy.error;
  const opened = await openStore(dbName, { sweepIntervalMs: 0, memoryFallback: false });
  if (!opened.ok) throw opened.error;
  const store = opened.value;
  const tracker = createTracker({
    policy,
    store,
    salt: SALT,
    jurisdiction: 'JP',
    destinations: {
      collector: { url: `${location.origin}/sink/collector` },
      ads: { url: `${location.origin}/sink/ads` },
    },
    flushIntervalMs: 0,
    activateTags: false,
  });
  await tracker.ready;
  const consent = await tracker.setConsent({ analytics: true, marketing: true });
  if (!consent.ok) throw consent.error;
  if (!tracker.granted('analytics') || !tracker.granted('marketing')) {
    throw new Error('consent for analytics and marketing was not granted');
  }
  return { tracker, store, policy, dbName };
}

async function closeConsentGate(rig: ConsentGateRig): Promise<void> {
  rig.tracker.destroy();
  rig.store.close();
  rig.policy.dispose();
  await new Promise<void>((resolve) => {
    const request = indexedDB.deleteDatabase(rig.dbName);
    request.onsuccess = request.onerror = request.onblocked = () => resolve();
  });
}

async function openPeer(): Promise<Analytics> {
  // Settings inline (no CDN fetch), the Segment.io destination at the bench server, no metrics,
  // no cookies or localStorage.
  const apiHost = `${location.host}/segment/v1`;
  const [analytics] = await AnalyticsBrowser.load(
    {
      writeKey: WRITE_KEY,
      cdnURL: location.origin,
      cdnSettings: {
        integrations: { 'Segment.io': { apiKey: WRITE_KEY, apiHost, protocol: 'http' } },
        metrics: { sampleRate: 0 },
      },
    },
    {
      disableClientPersistence: true,
      integrations: { 'Segment.io': { apiHost, protocol: 'http' } },
    },
  );
  return analytics;
}

/** The same call on either subject; returns the promise the call returned. */
type Call = (name: string, properties: Record<string, unknown>) => Promise<unknown>;

async function open(subject: Subject): Promise<{ call: Call; close: () => Promise<void> }> {
  if (subject === 'cg') {
    const rig = await openConsentGate();
    return {
      call: (name, props) => rig.tracker.track(name, props),
      close: () => closeConsentGate(rig),
    };
  }
  const analytics = await openPeer();
  return { call: (name, props) => analytics.track(name, props), close: () => Promise.resolve() };
}

// ---------------------------------------------------------------------------------------------
// Statistics

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

function summary(values: readonly number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const mean = sorted.reduce((s, v) => s + v, 0) / Math.max(1, sorted.length);
  return {
    n: sorted.length,
    mean,
    p50: quantile(sorted, 0.5),
    p99: quantile(sorted, 0.99),
    max: sorted.at(-1) ?? Number.NaN,
  };
}

/** The clock's step in µs: the smallest non-zero difference between two readings. */
function clockResolutionUs(): number {
  let smallest = Infinity;
  for (let i = 0; i < 2000; i++) {
    const a = performance.now();
    let b = performance.now();
    while (b === a) b = performance.now();
    smallest = Math.min(smallest, b - a);
  }
  return smallest * 1000;
}

function tally(results: readonly unknown[]) {
  let stored = 0;
  const reasons: Record<string, number> = {};
  for (const result of results) {
    const r = result as TrackResult;
    if (typeof r?.stored !== 'number') continue;
    stored += r.stored;
    for (const reason of r.reasons) reasons[reason] = (reasons[reason] ?? 0) + 1;
  }
  return { stored, reasons };
}

// ---------------------------------------------------------------------------------------------
// Steps

/**
 * Per call: the time spent synchronously inside the call (until it returns its promise), and the
 * time until that promise settled. One call at a time, so each starts on an idle pipeline. Also
 * times groups of 100 calls back to back (then awaits them), whose mean per call is not limited by
 * the clock's resolution.
 */
async function sync(subject: Subject, calls: number) {
  const { call, close } = await open(subject);
  // Warm-up: JIT, policy cache, IndexedDB connection, first requests.
  for (let i = 0; i < 200; i++) await call(...storefrontEvent(i));
  const syncUs: number[] = [];
  const asyncUs: number[] = [];
  const results: unknown[] = [];
  for (let i = 0; i < calls; i++) {
    const [name, props] = storefrontEvent(i);
    const t0 = performance.now();
    const promise = call(name, props);
    const t1 = performance.now();
    results.push(await promise);
    const t2 = performance.now();
    syncUs.push((t1 - t0) * 1000);
    asyncUs.push((t2 - t0) * 1000);
  }
  const groupUs: number[] = [];
  for (let g = 0; g < Math.max(1, Math.floor(calls / 100)); g++) {
    const promises: Promise<unknown>[] = [];
    const t0 = performance.now();
    for (let i = 0; i < 100; i++) promises.push(call(...storefrontEvent(g * 100 + i)));
    groupUs.push(((performance.now() - t0) * 1000) / 100);
    await Promise.all(promises);
  }
  await close();
  return {
    crossOriginIsolated,
    clockResolutionUs: clockResolutionUs(),
    syncUs: summary(syncUs),
    asyncUs: summary(asyncUs),
    groupMeanSyncUs: summary(groupUs),
    ...(subject === 'cg' ? tally(results) : {}),
  };
}

/** `events` calls back to back, then everything awaited: events per second until committed. */
async function throughput(subject: Subject, events: number) {
  if (subject === 'cg') {
    const rig = await openConsentGate();
    for (let i = 0; i < 50; i++) await rig.tracker.track(...storefrontEvent(i));
    const before = await rig.store.events.count();
    if (!before.ok) throw before.error;
    const start = performance.now();
    const promises: Promise<TrackResult>[] = [];
    for (let i = 0; i < events; i++) promises.push(rig.tracker.track(...storefrontEvent(i)));
    const callsMs = performance.now() - start;
    const results = await Promise.all(promises);
    const after = await rig.store.events.count();
    const ms = performance.now() - start;
    if (!after.ok) throw after.error;
    const { stored, reasons } = tally(results);
    await closeConsentGate(rig);
    return {
      perSecond: events / (ms / 1000),
      ms,
      callsMs,
      records: after.value - before.value,
      storedReported: stored,
      reasons,
    };
  }
  const analytics = await openPeer();
  for (let i = 0; i < 50; i++) await analytics.track(...storefrontEvent(i));
  const start = performance.now();
  const promises: Promise<unknown>[] = [];
  for (let i = 0; i < events; i++) promises.push(analytics.track(...storefrontEvent(i)));
  const callsMs = performance.now() - start;
  const contexts = await Promise.all(promises);
  const ms = performance.now() - start;
  const failed = contexts.filter(
    (ctx) => (ctx as { failedDelivery?: () => unknown }).failedDelivery?.() !== undefined,
  ).length;
  return { perSecond: events / (ms / 1000), ms, callsMs, failed };
}

/** Collects `longtask` entries (each ≥ 50 ms by definition) with their start times. */
function longTasks(): { stop(): { start: number; duration: number }[]; supported: boolean } {
  const supported = PerformanceObserver.supportedEntryTypes.includes('longtask');
  const entries: { start: number; duration: number }[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      entries.push({ start: entry.startTime, duration: entry.duration });
    }
  });
  if (supported) observer.observe({ type: 'longtask' });
  return {
    supported,
    stop() {
      observer.disconnect();
      return entries;
    },
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 100));

function taskStats(
  entries: readonly { start: number; duration: number }[],
  from: number,
  to: number,
) {
  const inside = entries.filter((e) => e.start >= from && e.start < to);
  return {
    longestTaskMs: inside.reduce((m, e) => Math.max(m, e.duration), 0),
    longTasks: inside.length,
    over50ms: inside.filter((e) => e.duration > 50).length,
  };
}

/**
 * `rate` calls per second for `durationMs`, paced by 1 ms timers (Chromium clamps nested timers to
 * 4 ms, so about four calls per tick), then waits until all settled.
 */
async function paced(subject: Subject, rate: number, durationMs: number) {
  const { call, close } = await open(subject);
  for (let i = 0; i < 50; i++) await call(...storefrontEvent(i));
  let settled = 0;
  const promises: Promise<unknown>[] = [];
  const watch = longTasks();
  const start = performance.now();
  let sent = 0;
  for (;;) {
    const elapsed = performance.now() - start;
    if (elapsed >= durationMs) break;
    const due = Math.min(
      Math.floor((elapsed * rate) / 1000),
      Math.floor((durationMs * rate) / 1000),
    );
    while (sent < due) {
      const promise = call(...storefrontEvent(sent));
      void promise.then(() => (settled += 1));
      promises.push(promise);
      sent += 1;
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  const paceEnd = performance.now();
  const settledAtPaceEnd = settled;
  await Promise.all(promises);
  const drainEnd = performance.now();
  await settle();
  const entries = watch.stop();
  await close();
  return {
    longtaskSupported: watch.supported,
    sent,
    achievedRate: sent / ((paceEnd - start) / 1000),
    settledAtPaceEnd,
    drainMs: drainEnd - paceEnd,
    pacing: taskStats(entries, start, paceEnd),
    all: taskStats(entries, start, drainEnd),
  };
}

/** The control for the long-task figures: the same observer over a page doing nothing. */
async function idle(durationMs: number) {
  const watch = longTasks();
  const start = performance.now();
  await new Promise((resolve) => setTimeout(resolve, durationMs));
  const end = performance.now();
  await settle();
  return { longtaskSupported: watch.supported, ...taskStats(watch.stop(), start, end) };
}

/**
 * The tracker's per-event path, stage by stage, through the SDK's exported building blocks and the
 * same policy and store calls `process()` in create-tracker.ts makes, one event at a time. Then the
 * same records written `batchSize` events per transaction: the ceiling if the tracker batched.
 */
async function profile(events: number, batchSize: number) {
  const rig = await openConsentGate();
  const { policy, store, tracker } = rig;
  const receipt = tracker.getConsent();
  if (!receipt) throw new Error('no receipt');
  // The tracker only stores and sends; stop it so its flushes do not overlap the measurement.
  tracker.destroy();
  const consent: ConsentState = {
    revision: receipt.revision,
    purposes: receipt.purposes,
    given_at: receipt.given_at,
  };
  const digest = policy.digest ?? '';
  const destinations = ['collector', 'ads'];
  const input = (extra: Partial<PolicyInput>): PolicyInput => ({
    now: Date.now(),
    jurisdiction: 'JP',
    signals: { gpc: false },
    consent,
    ...extra,
  });

  const stages = {
    normalise: [] as number[],
    collect: [] as number[],
    minimise: [] as number[],
    minimiseHashed: [] as number[],
    eventsPut: [] as number[],
    auditAppend: [] as number[],
    egress: [] as number[],
    outboxEnqueue: [] as number[],
    total: [] as number[],
  };
  const batchInputs: EventInput[] = [];
  for (let i = 0; i < events + 50; i++) {
    const warm = i < 50;
    const [name, props] = storefrontEvent(i);
    const t0 = performance.now();
    const normalised = normaliseEvent(name, props);
    const t1 = performance.now();
    if (!normalised.ok) throw new Error(`refused: ${normalised.reason}`);
    const { decision } = policy.collect(
      input({ event: { type: 'track', name, keys: Object.keys(normalised.properties) } }),
    );
    const t2 = performance.now();
    const records: CollectRecord[] = Object.values(decision.records);
    const inputs: EventInput[] = [];
    let hashed = false;
    for (const record of records) {
      hashed ||= Object.values(record.fields).some((f) => f.action === 'hash');
      const { fields } = await minimise(normalised.properties, record.fields, SALT);
      inputs.push({
        name,
        purpose: record.purpose,
        fields,
        createdAt: Date.now(),
        expiresAt: record.expires_at,
        policyDigest: digest,
        messageId: crypto.randomUUID(),
      });
    }
    const t3 = performance.now();
    const put = await store.events.put(inputs);
    const t4 = performance.now();
    if (!put.ok) throw put.error;
    const audit = await store.audit.append(
      put.value.stored.map((stored) => ({
        kind: 'allowed' as const,
        event: name,
        eventId: stored.id,
        purpose: stored.purpose,
        reasons: [],
        policyDigest: digest,
      })),
    );
    const t5 = performance.now();
    if (!audit.ok) throw audit.error;
    const outbox = [];
    for (const stored of put.value.stored) {
      for (const destination of destinations) {
        const egress = policy.egress(
          input({
            destination,
            event: {
              type: 'track',
              name,
              purpose: stored.purpose,
              keys: Object.keys(stored.fields),
            },
          }),
        );
        if (egress.decision.allow)
          outbox.push({ event: stored, destination, nextAttemptAt: Date.now() });
      }
    }
    const t6 = performance.now();
    if (outbox.length > 0) {
      const queued = await store.outbox.enqueue(outbox);
      if (!queued.ok) throw queued.error;
    }
    const t7 = performance.now();
    if (warm) continue;
    batchInputs.push(...inputs.map((e) => ({ ...e, messageId: crypto.randomUUID() })));
    stages.normalise.push((t1 - t0) * 1000);
    stages.collect.push((t2 - t1) * 1000);
    (hashed ? stages.minimiseHashed : stages.minimise).push((t3 - t2) * 1000);
    stages.eventsPut.push((t4 - t3) * 1000);
    stages.auditAppend.push((t5 - t4) * 1000);
    stages.egress.push((t6 - t5) * 1000);
    stages.outboxEnqueue.push((t7 - t6) * 1000);
    stages.total.push((t7 - t0) * 1000);
  }

  // The same records, `batchSize` events' worth per events.put: one transaction for many events.
  const perEvent = batchInputs.length / events;
  const chunk = Math.max(1, Math.round(batchSize * perEvent));
  const start = performance.now();
  for (let i = 0; i < batchInputs.length; i += chunk) {
    const put = await store.events.put(batchInputs.slice(i, i + chunk));
    if (!put.ok) throw put.error;
  }
  const batchedPutEventsPerSecond = events / ((performance.now() - start) / 1000);

  // SHA-256 of one salted value, alone (the `hash` action's cost).
  const hashUs: number[] = [];
  for (let i = 0; i < 500; i++) {
    const t0 = performance.now();
    await minimise(
      Object.assign(Object.create(null) as Record<string, string>, { email: `a${i}@example.jp` }),
      { email: { action: 'hash' } },
      SALT,
    );
    hashUs.push((performance.now() - t0) * 1000);
  }

  // The sender over the outbox these events filled, as a tracker on the same store runs it, with
  // the store's consent.history() counted (the anonymousId of each message reads it).
  let historyReads = 0;
  const counted: Store = {
    ...store,
    mode: store.mode,
    fallback: store.fallback,
    consent: {
      ...store.consent,
      history: () => {
        historyReads += 1;
        return store.consent.history();
      },
    },
  };
  const sender = createTracker({
    policy,
    store: counted,
    salt: SALT,
    jurisdiction: 'JP',
    destinations: {
      collector: { url: `${location.origin}/sink/collector` },
      ads: { url: `${location.origin}/sink/ads` },
    },
    flushIntervalMs: 0,
    activateTags: false,
  });
  await sender.ready;
  const flushed = async (atLeast: number) => {
    historyReads = 0;
    let sent = 0;
    const begin = performance.now();
    while (sent < atLeast) {
      const report = await sender.flush();
      if (report.sent === 0) break;
      sent += report.sent;
    }
    const ms = performance.now() - begin;
    return { sent, ms, usPerMessage: (ms * 1000) / Math.max(1, sent), historyReads };
  };
  // A tracker that has not yet decided an event in this page (a reload, another tab) attaches no
  // anonymousId; after one track() it reads the receipt history for every message.
  const unprimed = await flushed(1);
  await sender.track(...storefrontEvent(1));
  const primed = await flushed(1000);
  sender.destroy();

  await closeConsentGate(rig);
  const sums = Object.fromEntries(
    Object.entries(stages).map(([k, v]) => [k, v.reduce((s, x) => s + x, 0)]),
  );
  return {
    stages: Object.fromEntries(Object.entries(stages).map(([k, v]) => [k, summary(v)])),
    shareOfTotal: Object.fromEntries(
      Object.entries(sums)
        .filter(([k]) => k !== 'total')
        .map(([k, v]) => [k, v / (sums.total ?? 1)]),
    ),
    sequentialEventsPerSecond: events / ((sums.total ?? 0) / 1e6),
    batchedPutEventsPerSecond,
    batchSize,
    hashOneValueUs: summary(hashUs),
    flush: { unprimed, primed },
  };
}

window.sdkBenchRun = async (step) => {
  switch (step.step) {
    case 'sync':
      return sync(step.subject, step.calls);
    case 'throughput':
      return throughput(step.subject, step.events);
    case 'paced':
      return paced(step.subject, step.rate, step.durationMs);
    case 'idle':
      return idle(step.durationMs);
    case 'profile':
      return profile(step.events, step.batchSize);
  }
};
