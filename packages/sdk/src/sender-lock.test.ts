import { describe, expect, it } from 'vitest';

import { withSenderLock } from './sender-lock.js';

/** A `localStorage` stand-in: the lease is the only thing written. */
function memoryStorage(): Storage {
  const map = new Map<string, string>();
  return {
    get length() {
      return map.size;
    },
    clear: () => map.clear(),
    getItem: (key) => map.get(key) ?? null,
    key: (index) => [...map.keys()][index] ?? null,
    removeItem: (key) => void map.delete(key),
    setItem: (key, value) => void map.set(key, value),
  };
}

describe(withSenderLock, () => {
  it('lets one caller run while another holds the lease, without Web Locks', async () => {
    const storage = memoryStorage();
    let release!: () => void;
    const holding = new Promise<void>((resolve) => (release = resolve));

    const first = withSenderLock('s', () => holding.then(() => 'first'), {
      locks: undefined,
      storage,
    });
    const second = await withSenderLock('s', () => Promise.resolve('second'), {
      locks: undefined,
      storage,
    });
    release();

    expect(second).toEqual({ ran: false });
    expect(await first).toEqual({ ran: true, value: 'first' });
    expect(storage.length).toBe(0);
  });

  it('takes over a lease whose holder died', async () => {
    const storage = memoryStorage();
    storage.setItem('s:lease', JSON.stringify({ owner: 'dead-tab', until: 1_000 }));

    const result = await withSenderLock('s', () => Promise.resolve(1), {
      locks: undefined,
      storage,
      now: () => 2_000,
    });

    expect(result).toEqual({ ran: true, value: 1 });
  });

  it('runs without any coordination when neither Web Locks nor storage exist', async () => {
    const result = await withSenderLock('s', () => Promise.resolve('alone'), {
      locks: undefined,
      storage: undefined,
    });

    expect(result).toEqual({ ran: true, value: 'alone' });
  });

  it('skips when Web Locks report the lock as taken', async () => {
    const locks = {
      request: <T>(
        _name: string,
        _options: { ifAvailable: boolean },
        callback: (lock: unknown) => Promise<T>,
      ) => callback(null),
    };

    const result = await withSenderLock('s', () => Promise.resolve('never'), { locks });

    expect(result).toEqual({ ran: false });
  });
});
