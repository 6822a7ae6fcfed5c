import { describe, expect, it } from 'vitest';

import { sha256Hex } from './digest.js';
import { anonymousId, saltedHash } from './salted-hash.js';

describe(saltedHash, () => {
  it('hashes the salt, a NUL separator and the text', async () => {
    expect(await saltedHash('salt-salt-salt-16', 'alice@example.com')).toBe(
      await sha256Hex('salt-salt-salt-16\u0000alice@example.com'),
    );
  });

  it('keeps different splits of the same characters apart', async () => {
    expect(await saltedHash('ab', 'c')).not.toBe(await saltedHash('a', 'bc'));
  });
});

describe(anonymousId, () => {
  it('is the first 32 hex characters of the salted hash of the first receipt id', async () => {
    const id = await anonymousId('salt-salt-salt-16', 'receipt-1');

    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(id).toBe((await saltedHash('salt-salt-salt-16', 'receipt-1')).slice(0, 32));
  });
});
