import { describe, expect, it } from 'vitest';

import { deepFreeze } from './deep-freeze.js';

describe(deepFreeze, () => {
  it('freezes every level and returns the value', () => {
    const value = { a: { b: [{ c: 1 }] } };

    const frozen = deepFreeze(value);

    expect(frozen).toBe(value);
    expect(Object.isFrozen(value.a.b[0])).toBe(true);
  });
});
