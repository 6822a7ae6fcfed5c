/** How long a lease taken without Web Locks stays valid if its tab dies while holding it. */
const LEASE_MS = 15_000;

interface LockManagerLike {
  request<T>(
    name: string,
    options: { ifAvailable: boolean },
    callback: (lock: unknown) => Promise<T>,
  ): Promise<T>;
}

/**
 * Runs `fn` only if no other tab of this origin is sending, and returns its result, or `skipped`
 * when another tab holds the lock. Uses Web Locks; where they are missing, a short lease in
 * `localStorage` (best effort: a rare double send is absorbed by the collector's de-duplication
 * on `messageId`).
 */
export async function withSenderLock<T>(
  name: string,
  fn: () => Promise<T>,
  env: {
    locks?: LockManagerLike | undefined;
    storage?: Storage | undefined;
    now?: () => number;
  } = {},
): Promise<{ readonly ran: true; readonly value: T } | { readonly ran: false }> {
  const locks =
    'locks' in env
      ? env.locks
      : (globalThis.navigator as { locks?: LockManagerLike } | undefined)?.locks;
  if (locks) {
    return locks.request(name, { ifAvailable: true }, async (lock) =>
      lock ? { ran: true as const, value: await fn() } : { ran: false as const },
    );
  }
  const storage = 'storage' in env ? env.storage : safeLocalStorage();
  const now = env.now ?? Date.now;
  if (!storage) return { ran: true, value: await fn() };
  const key = `${name}:lease`;
  const owner = Math.random().toString(36).slice(2);
  try {
    const held = JSON.parse(storage.getItem(key) ?? 'null') as {
      owner: string;
      until: number;
    } | null;
    if (held && held.until > now()) return { ran: false };
    storage.setItem(key, JSON.stringify({ owner, until: now() + LEASE_MS }));
  } catch {
    return { ran: true, value: await fn() };
  }
  try {
    return { ran: true, value: await fn() };
  } finally {
    try {
      const held = JSON.parse(storage.getItem(key) ?? 'null') as { owner: string } | null;
      if (held?.owner === owner) storage.removeItem(key);
    } catch {
      // The lease simply expires.
    }
  }
}

function safeLocalStorage(): Storage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined;
  }
}
