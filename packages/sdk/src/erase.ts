import { ConsentGateError, ErrorCode, ok } from '@consentgate/core';
import type { Result, WireEraseRequest } from '@consentgate/core';
import type { Store } from '@consentgate/store';

import { reportError } from './as-error.js';
import { classifyStatus } from './delivery.js';
import { postText } from './post-text.js';
import { readVisitor } from './read-visitor.js';
import type { DestinationOptions } from './sender.js';
import type { EraseReport } from './tracker.js';

/** Erasure requests a destination gets before it counts as unreachable. */
const ERASE_ATTEMPTS = 3;

/** What {@link erase} needs. */
export interface EraseOptions {
  readonly store: Store;
  /** Destinations with an `eraseUrl` are asked to delete what they received. */
  readonly destinations: Readonly<Record<string, DestinationOptions>>;
  /** The site's salt, from which the visitor's `anonymousId` was derived. */
  readonly salt: string;
  readonly fetch: typeof fetch;
  /** Called once the remote requests are done, right before the local erasure. */
  readonly beforeLocal: () => void;
  /** Receives each failure; the erasure carries on. */
  readonly onError: (error: ConsentGateError) => void;
}

/**
 * Erases the visitor's data: asks each destination with an `eraseUrl` to delete what it received
 * (by pseudonymous id and consent receipt ids), then deletes everything on the device but a
 * minimal "erased at" audit entry, and returns which destinations confirmed. The local erasure
 * happens even when a destination cannot be reached. Never rejects.
 */
export async function erase(options: EraseOptions): Promise<Result<EraseReport>> {
  const { store, onError } = options;
  try {
    const body = await readVisitor(store, options.salt);
    const remote: { destination: string; ok: boolean; status: number }[] = [];
    for (const [destination, { eraseUrl }] of Object.entries(options.destinations)) {
      if (!eraseUrl || body.receiptIds.length === 0) continue;
      const status = await postErase(options.fetch, eraseUrl, body);
      const confirmed = status >= 200 && status < 300;
      remote.push({ destination, ok: confirmed, status });
      if (!confirmed) {
        onError(
          new ConsentGateError(ErrorCode.TransportEraseFailed, `${destination}: HTTP ${status}`),
        );
      }
    }
    options.beforeLocal();
    const erased = await store.eraseAll();
    if (!erased.ok) {
      onError(erased.error);
      return erased;
    }
    return ok({ remote });
  } catch (error) {
    return reportError(onError, error, ErrorCode.StoreUnavailable, 'erasure failed');
  }
}

/**
 * Posts an erasure request, retrying what the sender would retry (twice at most); returns the
 * HTTP status, or 0 when unreachable.
 */
async function postErase(
  fetchFn: typeof fetch,
  url: string,
  body: WireEraseRequest,
): Promise<number> {
  let status = 0;
  for (let attempt = 0; attempt < ERASE_ATTEMPTS; attempt += 1) {
    try {
      status = (await postText(fetchFn, url, body, { keepalive: true })).status;
      if (classifyStatus(status) !== 'retry') return status;
    } catch {
      status = 0;
    }
  }
  return status;
}
