import { describe, expect, it } from 'vitest';

import { createUnavailableNotice } from './create-unavailable-notice.js';
import { isNotice } from './is-decision.js';

describe(createUnavailableNotice, () => {
  it('is a valid notice that offers only the strictly necessary purpose', () => {
    const notice = createUnavailableNotice('shop.example');

    expect(isNotice(notice)).toBe(true);
    expect(notice).toMatchObject({ jurisdiction: 'default', mode: 'opt-in' });
    expect(notice.purposes.map(({ id, required, locked }) => ({ id, required, locked }))).toEqual([
      { id: 'essential', required: true, locked: true },
    ]);
  });

  it('names the controller it is given and cites no catalog version', () => {
    const notice = createUnavailableNotice('shop.example');

    expect(notice.controller.name).toEqual({ en: 'shop.example', ja: 'shop.example' });
    expect(notice.version).toBe('');
  });

  it('says in every locale that nothing is collected', () => {
    const [essential] = createUnavailableNotice('shop.example').purposes;

    expect(essential?.description.en).toMatch(/collects nothing/);
    expect(essential?.description.ja).toMatch(/収集しません/);
  });

  it('is frozen, as every notice a policy hands out is', () => {
    const notice = createUnavailableNotice('shop.example');

    expect(Object.isFrozen(notice)).toBe(true);
    expect(Object.isFrozen(notice.purposes[0]?.title)).toBe(true);
  });
});
