import { describe, expect, it } from 'vitest';

import { EU, JP, US_CA } from './fixtures/notices.js';
import { codeText, format, mergeMessages } from './messages.js';
import type { Messages } from './messages.js';
import { enPanels } from './messages/en-panels.js';
import { en } from './messages/en.js';
import { jaPanels } from './messages/ja-panels.js';
import { ja } from './messages/ja.js';

const EN: Messages = { ...en, ...enPanels };
const JA: Messages = { ...ja, ...jaPanels };

/** A message: a text or a map of codes to texts. */
type Value = string | Readonly<Record<string, string>>;

/** The messages as typed entries (Object.entries loses the value type). */
const entries = (messages: Messages) => Object.entries(messages) as [keyof Messages, Value][];

/** Every `{placeholder}` in a text, sorted. */
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('messages', () => {
  it('has the same keys, map keys and placeholders in Japanese and English', () => {
    expect(Object.keys(JA).sort()).toEqual(Object.keys(EN).sort());
    for (const [key, value] of entries(EN)) {
      const other: Value = JA[key];
      if (typeof value === 'string') {
        expect(placeholders(other as string), key).toEqual(placeholders(value));
      } else {
        expect(Object.keys(other).sort(), key).toEqual(Object.keys(value).sort());
      }
    }
  });

  it('has no empty text', () => {
    for (const messages of [EN, JA]) {
      for (const [, value] of entries(messages)) {
        const texts = typeof value === 'string' ? [value] : Object.values(value);
        for (const text of texts) expect(text.trim()).not.toBe('');
      }
    }
  });

  it('puts every legal basis and consent requirement of the catalog into words', () => {
    const purposes = [EU, US_CA, JP].flatMap((notice) => notice.purposes);

    for (const purpose of purposes) {
      expect(EN.legalBasis).toHaveProperty([purpose.legal_basis]);
      expect(JA.legalBasis).toHaveProperty([purpose.legal_basis]);
      expect(EN.requirement).toHaveProperty([purpose.consent]);
    }
    expect(Object.keys(EN.method).sort()).toEqual(['api', 'banner', 'privacy-centre', 'signal']);
  });
});

describe(mergeMessages, () => {
  it('replaces texts and merges maps key by key', () => {
    const merged = mergeMessages(EN, { acceptAll: 'Yes to all', legalBasis: { consent: 'Yes' } });

    expect(merged.acceptAll).toBe('Yes to all');
    expect(merged.legalBasis.consent).toBe('Yes');
    expect(merged.legalBasis['strictly-necessary']).toBe(EN.legalBasis['strictly-necessary']);
    expect(EN.acceptAll).toBe('Accept all');
  });
});

describe(format, () => {
  it('fills known placeholders and leaves unknown ones', () => {
    expect(format('{n} days, {x}', { n: 30 })).toBe('30 days, {x}');
  });
});

describe(codeText, () => {
  it('falls back to the code itself, also for inherited property names', () => {
    expect(codeText({ a: 'A' }, 'a')).toBe('A');
    expect(codeText({ a: 'A' }, 'toString')).toBe('toString');
  });
});
