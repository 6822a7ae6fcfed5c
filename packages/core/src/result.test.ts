import { describe, expect, it } from 'vitest';

import { err, ok } from './result.js';
import type { Result } from './result.js';

describe(ok, () => {
  it('wraps a value as a success', () => {
    const result = ok(42);

    expect(result).toEqual({ ok: true, value: 42 });
  });

  it('wraps nothing as a success with an undefined value', () => {
    const result = ok();

    expect(result).toEqual({ ok: true, value: undefined });
  });
});

describe(err, () => {
  it('wraps an error as a failure', () => {
    const error = new Error('nope');

    const result = err(error);

    expect(result).toEqual({ ok: false, error });
  });

  it('narrows a result on its ok flag', () => {
    const results: Result<number, string>[] = [ok(1), err('bad')];

    const seen = results.map((result) => (result.ok ? result.value : result.error));

    expect(seen).toEqual([1, 'bad']);
  });
});
