import { anonymousId } from '@consentgate/core';
import type { WireEraseRequest } from '@consentgate/core';
import type { Store } from '@consentgate/store';

/**
 * Reads the visitor's consent history and returns how a destination knows them: every receipt id,
 * and the pseudonymous `anonymousId` derived from the first receipt (none without a history).
 * The sender attaches that id; an erasure request names both.
 */
export async function readVisitor(store: Store, salt: string): Promise<WireEraseRequest> {
  const history = await store.consent.history();
  const receiptIds = history.ok ? history.value.map((r) => r.id) : [];
  const root = receiptIds[0];
  return { ...(root ? { anonymousId: await anonymousId(salt, root) } : {}), receiptIds };
}
