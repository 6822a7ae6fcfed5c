// The model behind "What left this browser": every request this page made to the collector or a
// third party (from the browser's own resource timing, so nothing can slip past unlisted), joined
// with what the tracker says it delivered in them, plus what the policy blocked and why.
import type { ConsentGate } from 'consentgate';

/** Where a request went. `other` is any cross-origin host the catalog does not know. */
export type Destination = 'collector' | 'ads' | 'chat' | 'other';

/** One record delivered inside a request. */
export interface Delivered {
  readonly name: string;
  readonly purpose: string;
  readonly fields: readonly string[];
}

/** One request that left this browser. */
export interface Outbound {
  readonly id: number;
  /** Epoch milliseconds when it started. */
  readonly at: number;
  readonly url: string;
  readonly destination: Destination;
  /** How the browser made it: `fetch`, `script`, `img`, `beacon`… */
  readonly kind: string;
  /** Records the tracker delivered in it (batches to the collector and the ads network). */
  readonly delivered: readonly Delivered[];
  /** Fields a third-party stand-in says it sent (its beacons). */
  readonly fields: readonly string[];
}

/** One decision that kept something on the device. */
export interface Blocked {
  readonly at: number;
  readonly name: string;
  readonly purpose?: string;
  readonly destination?: string;
  readonly reasons: readonly string[];
}

/** A failure ConsentGate reported; for the site owner. */
export interface OwnerError {
  readonly code: string;
  readonly message: string;
}

/** A snapshot of this page's activity. */
export interface ActivityState {
  readonly outbound: readonly Outbound[];
  readonly blocked: readonly Blocked[];
  /** Records stored on this device during this page. */
  readonly stored: number;
  readonly errors: readonly OwnerError[];
}

/** What {@link createActivity} returns. */
export interface Activity {
  get(): ActivityState;
  subscribe(fn: (state: ActivityState) => void): () => void;
}

/** The event third-party stand-ins dispatch for each beacon, naming the fields they sent. */
export const VENDOR_REQUEST_EVENT = 'demo:vendor-request';

/** Most entries kept per list. */
const LIMIT = 200;

/** Starts watching this page's requests and ConsentGate's events, and returns the live model. */
export function createActivity(cg: ConsentGate, collectorUrl: string): Activity {
  const collectorOrigin = new URL(collectorUrl, location.href).origin;
  let state: ActivityState = { outbound: [], blocked: [], stored: 0, errors: [] };
  const listeners = new Set<(state: ActivityState) => void>();
  const pendingDelivered = new Map<Destination, Delivered[]>();
  const pendingFields = new Map<string, readonly string[]>();
  let nextId = 1;

  const commit = (next: ActivityState) => {
    state = next;
    for (const fn of listeners) fn(state);
  };

  const classify = (href: string): Destination | undefined => {
    const url = new URL(href, location.href);
    if (url.origin === collectorOrigin) return 'collector';
    if (url.origin === location.origin) {
      if (url.pathname.startsWith('/vendors/ads')) return 'ads';
      if (url.pathname.startsWith('/vendors/chat')) return 'chat';
      return undefined; // the shop's own pages, code and policy bundle
    }
    return url.protocol === 'http:' || url.protocol === 'https:' ? 'other' : undefined;
  };

  const addRequest = (entry: PerformanceResourceTiming) => {
    const destination = classify(entry.name);
    if (!destination) return;
    const delivered =
      entry.initiatorType === 'fetch' ? (pendingDelivered.get(destination) ?? []) : [];
    pendingDelivered.delete(destination);
    const fields = pendingFields.get(entry.name) ?? [];
    pendingFields.delete(entry.name);
    const request: Outbound = {
      id: nextId++,
      at: Math.round(performance.timeOrigin + entry.startTime),
      url: entry.name,
      destination,
      kind: entry.initiatorType,
      delivered,
      fields,
    };
    commit({ ...state, outbound: [...state.outbound, request].slice(-LIMIT) });
  };

  if (typeof PerformanceObserver === 'function') {
    const observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) addRequest(entry as PerformanceResourceTiming);
    });
    observer.observe({ type: 'resource', buffered: true });
  }

  // A batch's resource entry and the tracker's `event:sent` can arrive in either order: join each
  // delivery to the latest request to its destination, or hold it for the next one.
  cg.tracker.on('event:sent', (message) => {
    const destination: Destination = classifyId(message.destination) ?? 'other';
    const delivered: Delivered = {
      name: message.name,
      purpose: message.purpose,
      fields: message.fields,
    };
    const outbound = [...state.outbound];
    for (let i = outbound.length - 1; i >= 0; i -= 1) {
      const request = outbound[i];
      if (request?.destination === destination && request.kind === 'fetch') {
        if (Date.now() - request.at < 30_000) {
          outbound[i] = { ...request, delivered: [...request.delivered, delivered] };
          commit({ ...state, outbound });
          return;
        }
        break;
      }
    }
    pendingDelivered.set(destination, [...(pendingDelivered.get(destination) ?? []), delivered]);
  });

  cg.tracker.on('event:blocked', (event, reasons) => {
    const blocked: Blocked = {
      at: Date.now(),
      name: event.name,
      ...(event.purpose ? { purpose: event.purpose } : {}),
      ...(event.destination ? { destination: event.destination } : {}),
      reasons,
    };
    commit({ ...state, blocked: [...state.blocked, blocked].slice(-LIMIT) });
  });

  cg.tracker.on('event:stored', () => commit({ ...state, stored: state.stored + 1 }));

  cg.on('error', (error) => {
    commit({
      ...state,
      errors: [...state.errors, { code: error.code, message: error.message }].slice(-LIMIT),
    });
  });

  window.addEventListener(VENDOR_REQUEST_EVENT, (event) => {
    const detail = (event as CustomEvent<{ url?: unknown; fields?: unknown }>).detail;
    if (typeof detail?.url !== 'string' || !Array.isArray(detail.fields)) return;
    const url = new URL(detail.url, location.href).href;
    const fields = detail.fields.filter((f): f is string => typeof f === 'string');
    const outbound = [...state.outbound];
    const index = outbound.findIndex((request) => request.url === url);
    const request = outbound[index];
    if (request) {
      outbound[index] = { ...request, fields };
      commit({ ...state, outbound });
    } else {
      pendingFields.set(url, fields);
    }
  });

  return {
    get: () => state,
    subscribe(fn) {
      listeners.add(fn);
      return () => void listeners.delete(fn);
    },
  };
}

/** The panel's destination for a catalog destination id. */
function classifyId(id: string): Destination | undefined {
  return id === 'collector' || id === 'ads' || id === 'chat' ? id : undefined;
}
