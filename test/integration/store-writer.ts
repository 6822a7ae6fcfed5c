// Loaded into an iframe by the store-*.test.ts integration tests: a "page" that writes to the
// store and tells its parent about every write the store acknowledged. The parent may remove the
// iframe at any moment, which tears the page down mid-write the way a crash or a closed tab does.
import { openStore } from '@consentgate/store';

/** What the parent asks a writer page to do. */
export interface WriterTask {
  readonly type: 'start';
  /** Database name. */
  readonly db: string;
  /** Prefix of the record ids this page writes, unique per page. */
  readonly prefix: string;
  /** Records to write. */
  readonly count: number;
  /** Records per `events.put` call; every other call writes a single record. */
  readonly batch: number;
  /** Consent receipts to append while writing. */
  readonly receipts: number;
}

/** What a writer page reports to its parent. */
export type WriterMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'ack'; readonly ids: readonly string[] }
  | { readonly type: 'done' }
  | { readonly type: 'failed'; readonly code: string };

/** Thirty days from now: far enough that nothing expires during a test. */
const TTL = 30 * 24 * 60 * 60 * 1000;

function report(message: WriterMessage): void {
  parent.postMessage(message, self.origin);
}

async function run(task: WriterTask): Promise<void> {
  const opened = await openStore(task.db, { sweepIntervalMs: 0, memoryFallback: false });
  if (!opened.ok) return report({ type: 'failed', code: opened.error.code });
  const store = opened.value;
  const receipts = Array.from({ length: task.receipts }, (_, i) =>
    store.consent.append({
      revision: `${task.prefix}-${i}`,
      purposes: { analytics: true },
      jurisdiction: 'EU',
      signals: {},
      method: 'api',
      given_at: Date.now(),
      policy_digest: 'digest',
    }),
  );
  let written = 0;
  for (let call = 0; written < task.count; call++) {
    const size = Math.min(call % 2 === 0 ? 1 : task.batch, task.count - written);
    const records = Array.from({ length: size }, (_, i) => ({
      id: `${task.prefix}-${written + i}`,
      name: 'Product Viewed',
      purpose: 'analytics',
      fields: { sku: `SKU-${written + i}` },
      expiresAt: Date.now() + TTL,
      policyDigest: 'digest',
    }));
    const put = await store.events.put(records);
    if (!put.ok) return report({ type: 'failed', code: put.error.code });
    report({ type: 'ack', ids: put.value.stored.map((event) => event.id) });
    written += size;
  }
  for (const result of await Promise.all(receipts)) {
    if (!result.ok) return report({ type: 'failed', code: result.error.code });
  }
  store.close();
  report({ type: 'done' });
}

addEventListener('message', (event: MessageEvent<WriterTask>) => {
  if (event.origin === self.origin && event.data.type === 'start') void run(event.data);
});
report({ type: 'ready' });
